#!/usr/bin/env bash
# The whole test command (`npm test`): lint, types, fresh dist/ and docs, the real tools, then every
# test, unit and integration. Ends with one line `N passed, N failed`.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$(bash scripts/node.sh):$root/node_modules/.bin:$root/.tools/bin:$PATH"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<22||(a===22&&b<19)) { console.error(`Node ${process.version} is too old: shipshape needs >= 22.19`); process.exit(1) }' || exit 1

failed_checks=()
step() { # name, command...
  local name=$1
  shift
  printf '\n== %s\n' "$name"
  if ! "$@"; then failed_checks+=("$name"); fi
}

step "lint and format (biome)" biome check .
step "types (tsc)" tsc -p tsconfig.test.json --noEmit
step "dist/ is fresh" bash -c 'node scripts/build.mjs && git diff --quiet --exit-code -- dist && test -z "$(git status --porcelain -- dist)" || { git status --short -- dist | head; echo "dist/ is stale: run npm run build and commit dist/"; exit 1; }'
step "real tools (helm, kustomize, kubectl, kube-apiserver, etcd)" bash scripts/tools.sh

report=$(mktemp)
printf '\n== tests (vitest: unit and integration)\n'
vitest run --reporter=default --reporter=json --outputFile.json="$report"
vitest_status=$?

counts=$(node -e '
  const fs = require("node:fs");
  let passed = 0, failed = 0;
  try { const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); passed = r.numPassedTests; failed = r.numFailedTests + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0); } catch { failed = 1; }
  console.log(`${passed} ${failed}`);
' "$report")
rm -f "$report"
read -r passed failed <<<"$counts"
failed=$((failed + ${#failed_checks[@]}))
if [ ${#failed_checks[@]} -gt 0 ]; then printf '\nfailed checks: %s\n' "${failed_checks[*]}"; fi
if [ "$vitest_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
printf '\n%s passed, %s failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
