#!/usr/bin/env bash
# The contract tests: every forge test (offline, solc-js behind tools/solc-wrapper), then a check that
# the committed artifacts are what the sources compile to. Works from any directory; prints one line
# on success and everything on failure. Extra arguments go to `forge test` (e.g. --match-test Escape).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
forge="$repo/node_modules/@foundry-rs/forge-linux-amd64/bin/forge"
[ -x "$forge" ] || { echo "contracts: forge not found at $forge (run scripts/setup)" >&2; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT

if ! "$forge" test --root "$here" --offline --use "$here/tools/solc-wrapper" "$@" >"$log" 2>&1; then
  cat "$log" >&2
  echo "contracts: forge test failed" >&2
  exit 1
fi
summary=$(grep -E '^Ran [0-9]+ test suites?' "$log" | tail -1 | sed -E 's/.*: ([0-9]+ tests passed, [0-9]+ failed, [0-9]+ skipped).*/\1/')

if ! artifacts=$(node "$here/build.mjs" --check 2>&1); then
  echo "$artifacts" >&2
  exit 1
fi
echo "contracts: ${summary:-tests ran}; $artifacts"
