# Porter in a container: `docker build -t porter .`, then see docs/deploy.md.
#
# The build stage has the compilers better-sqlite3 needs when no prebuilt
# binary fits; the runtime stage gets only production dependencies and the
# compiled code. Both stages share Debian bookworm, so the native addon built
# in one links against the same glibc in the other.

FROM node:20-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Compile against the headers of this image's own Node.js rather than
# downloading them: the addon then matches the runtime's ABI, and the build
# works without access to nodejs.org.
RUN npm_config_nodedir="$(node -p 'require("node:path").resolve(process.execPath, "../..")')" npm ci
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# A fixed numeric user, so orchestrators can check that it is not root and
# operators can chown a bind-mounted data folder to it.
RUN groupadd --gid 10001 porter \
 && useradd --uid 10001 --gid porter --no-create-home --shell /usr/sbin/nologin porter \
 && mkdir -m 700 /data \
 && chown porter:porter /data
WORKDIR /app
# Code and dependencies stay owned by root: the process cannot rewrite them.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY config/porter.example.yaml ./config/

# Variables win over a config file, so these hold even when one is mounted at
# /app/config/porter.yaml (the default path) or named by PORTER_CONFIG.
# Listening on every interface of the container is what makes a published
# port reach Porter; the database lives on the volume.
ENV PORTER_HTTP_LISTEN=0.0.0.0:5380 \
    PORTER_DATABASE_PATH=/data/porter.sqlite
VOLUME /data
EXPOSE 5380
USER 10001:10001

# The port comes from PORTER_HTTP_LISTEN, which the variables above guarantee.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const port = process.env.PORTER_HTTP_LISTEN.split(':').pop(); fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) }).then((res) => process.exit(res.ok ? 0 : 1), () => process.exit(1))"]

# Node runs as PID 1 without an init (the shell execs it): `porter start`
# installs its own SIGTERM and SIGINT handlers (the kernel only delivers
# signals to PID 1 that it handles) and starts no child processes, so there
# are no zombies to reap. umask 077: whatever the process writes on /data is
# private, beyond the files Porter already makes owner-only.
ENTRYPOINT ["/bin/sh", "-c", "umask 077 && exec /app/dist/src/cli/porter.js \"$@\"", "porter"]
CMD ["start"]
