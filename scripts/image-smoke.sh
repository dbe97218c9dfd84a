#!/usr/bin/env bash
# Builds Porter's container image from this repository and checks what a
# Dockerfile change could break: the image runs as a configured non-root user,
# `porter --help` and `porter config check` work from PORTER_* variables alone,
# the native SQLite addon loads (an invite and a backup on the /data volume),
# `porter start` answers /healthz and exits 0 on SIGTERM, and the image's
# HEALTHCHECK fails on Porter's 503 and passes on a 200.
#
# usage: scripts/image-smoke.sh [TAG]              (default: localhost/porter:smoke)
#
# No Docker engine is needed: BUILD_IMAGE (default: ../shared/tools/build-image.sh
# beside this repository) builds the Dockerfile with buildah, and buildah runs
# the commands in a container of the image.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TAG=${1:-localhost/porter:smoke}
BUILD_IMAGE=${BUILD_IMAGE:-$ROOT/../shared/tools/build-image.sh}
# Docker's image format keeps HEALTHCHECK (OCI's has no place for it), so the
# check the image declares can be run below.
export BUILDAH_FORMAT=docker
# The build tool stores images with the vfs driver; other drivers would not see
# them. Chroot isolation is what works without a container engine's cgroups.
B="buildah --storage-driver vfs"
RUN="$B run --isolation chroot"

fail() { echo "image-smoke: FAIL: $*" >&2; exit 1; }
step() { echo "image-smoke: $*"; }

[ -f "$BUILD_IMAGE" ] || { echo "image-smoke: no image build tool at $BUILD_IMAGE (set BUILD_IMAGE)" >&2; exit 2; }

step "building $TAG from $ROOT"
bash "$BUILD_IMAGE" "$ROOT" "$TAG"

# The image's own settings, as `docker run` would apply them.
image=$($B inspect --type image "$TAG")
field() { node -e 'const value = JSON.parse(process.argv[1]).OCIv1.config[process.argv[2]]; console.log(typeof value === "string" ? value : JSON.stringify(value ?? null))' "$image" "$1"; }
user=$(field User)
case "${user%%:*}" in
  "" | 0 | root) fail "the image's user is '${user}', not a non-root user" ;;
esac
step "image user: $user"
[ "$(field Cmd)" = '["start"]' ] || fail "the default command is $(field Cmd), not [\"start\"]"
mapfile -t entrypoint < <(node -e 'for (const arg of JSON.parse(process.argv[1]) ?? []) console.log(arg)' "$(field Entrypoint)")
[ "${#entrypoint[@]}" -gt 0 ] || fail "the image has no ENTRYPOINT"
step "entrypoint: ${entrypoint[*]}"

ctr=$($B from --pull=never "$TAG")
trap '$B rm "$ctr" >/dev/null' EXIT

uid=$($RUN "$ctr" -- id -u)
[ "$uid" != 0 ] || fail "commands in the container run as root"
step "id -u in the container: $uid"

secret="smoke-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
env_args=(
  --env PORTER_XMPP_DOMAIN=invite.example.com
  --env "PORTER_XMPP_SECRET=$secret"
  --env PORTER_XMPP_HOST=example.com
  --env PORTER_HTTP_PUBLIC_URL=https://invite.example.com
  # Nothing listens on port 1: the stream stays down and /healthz says so.
  --env PORTER_XMPP_SERVICE=xmpp://127.0.0.1:1
)
porter() { $RUN --user "$user" "${env_args[@]}" "$ctr" -- "${entrypoint[@]}" "$@"; }

help=$(porter --help)
grep -q '^Usage: porter <command>' <<<"$help" || fail "porter --help printed: $help"
step "porter --help: $(head -n1 <<<"$help")"

check=$(porter config check)
grep -q '^# configuration is valid: no config file (environment only)' <<<"$check" || fail "porter config check printed: $check"
grep -q 'listen: 0.0.0.0:5380' <<<"$check" || fail "the image does not listen on 0.0.0.0:5380 by default: $check"
grep -q 'path: /data/porter.sqlite' <<<"$check" || fail "the database is not on /data: $check"
if grep -qF "$secret" <<<"$check"; then fail "porter config check printed the component secret"; fi
step "porter config check: $(head -n1 <<<"$check")"

porter invite create --note smoke >/dev/null || fail "porter invite create failed"
owner=$($RUN "$ctr" -- stat -c %u /data/porter.sqlite)
[ "$owner" = "$uid" ] || fail "/data/porter.sqlite belongs to uid $owner, not $uid"
backup=$(porter db backup /data/smoke-backup.sqlite)
step "porter db backup: $backup"
listed=$($RUN --user "$user" "${env_args[@]}" --env PORTER_DATABASE_PATH=/data/smoke-backup.sqlite "$ctr" -- "${entrypoint[@]}" invite list)
grep -q 'smoke' <<<"$listed" || fail "the backup does not list the invite: $listed"

healthcheck=$(node -e '
  const test = JSON.parse(process.argv[1]).Docker?.config?.Healthcheck?.Test ?? [];
  if (test.length !== 4 || test[0] !== "CMD" || test[1] !== "node" || test[2] !== "-e") process.exit(1);
  console.log(test[3]);' "$image") || fail "the image has no HEALTHCHECK of the form [\"node\", \"-e\", SCRIPT]"

# Scripts for the container's node; the port comes from PORTER_HTTP_LISTEN there, as in the health check.
probe='const port = process.env.PORTER_HTTP_LISTEN.split(":").pop(); fetch(`http://127.0.0.1:${port}/healthz`).then(async (res) => console.log("healthz", res.status, await res.text()), () => process.exit(1))'
stub='require("node:http").createServer((req, res) => { res.statusCode = req.url === "/healthz" ? 200 : 404; res.end(); }).listen(Number(process.env.PORTER_HTTP_LISTEN.split(":").pop()), "127.0.0.1")'
# buildah runs the command in the host's network: take a port that is free here.
port=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
started=$($RUN --user "$user" "${env_args[@]}" --env "PORTER_HTTP_LISTEN=127.0.0.1:$port" --env PORTER_LOG_FORMAT=json \
  --env "HEALTHCHECK=$healthcheck" --env "PROBE=$probe" --env "STUB=$stub" "$ctr" -- sh -c '
  "$@" & pid=$!
  for _ in $(seq 100); do node -e "$PROBE" && break; sleep 0.1; done
  node -e "$HEALTHCHECK"; echo "healthcheck while porter is unhealthy: $?"
  kill -TERM "$pid"; wait "$pid"; echo "exit $?"
  node -e "$STUB" & stub=$!
  for _ in $(seq 50); do node -e "$HEALTHCHECK" && { echo "healthcheck on a 200: 0"; break; }; sleep 0.1; done
  kill "$stub"
' sh "${entrypoint[@]}" start)
health=$(grep '^healthz ' <<<"$started") || fail "porter start never answered /healthz: $started"
grep -q '^healthz 503 .*"xmpp":"down","database":"ok"' <<<"$health" || fail "unexpected /healthz answer: $health"
grep -q '"msg":"stopped"' <<<"$started" || fail "porter start did not log a clean stop: $started"
grep -q '^exit 0$' <<<"$started" || fail "porter start did not exit 0 on SIGTERM: $started"
step "porter start: $health; SIGTERM: $(grep '^exit ' <<<"$started")"
grep -q '^healthcheck while porter is unhealthy: 1$' <<<"$started" || fail "the HEALTHCHECK did not fail on a 503: $started"
grep -q '^healthcheck on a 200: 0$' <<<"$started" || fail "the HEALTHCHECK never passed on a 200: $started"
step "HEALTHCHECK: exit 1 on porter's 503, exit 0 on a 200"

step "OK $TAG"
