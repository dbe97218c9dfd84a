#!/usr/bin/env bash
# Runs `npm test` once more on Node.js 22, the other major version that
# package.json's engines allow, in a copy of the working tree: node_modules
# holds better-sqlite3's native module, which is built for one Node.js
# version at a time. Everything comes from the npm registry: Node.js 22 as
# the node-linux-<arch> package, whose include/ folder also serves node-gyp
# as the headers for building better-sqlite3 from source.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/porter-node22.XXXXXX")
trap 'rm -rf "$work"' EXIT

arch=$(node -p process.arch)
(cd "$work" && npm pack --silent "node-linux-$arch@22" >/dev/null)
tarball=$(ls "$work"/node-linux-"$arch"-22.*.tgz)
mkdir "$work/node" "$work/repo"
tar xzf "$tarball" -C "$work/node" --strip-components=1
export PATH="$work/node/bin:$PATH"
echo "test-on-node22: $(node --version) from the npm registry"

git ls-files -z | tar -cf - --null -T - | tar xf - -C "$work/repo"
cd "$work/repo"
npm ci --ignore-scripts --no-audit --no-fund
(cd node_modules/better-sqlite3 &&
  npm_config_nodedir="$work/node" npm exec --yes --package=node-gyp@12 -- node-gyp rebuild --release >"$work/gyp.log" 2>&1) ||
  { cat "$work/gyp.log" >&2; echo "test-on-node22: building better-sqlite3 for $(node --version) failed" >&2; exit 1; }
node -e 'new (require("better-sqlite3"))(":memory:").close()'
npm test
