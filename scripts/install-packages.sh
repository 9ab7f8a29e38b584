#!/usr/bin/env bash
# Installs the locked packages: `npm ci`, except in one known case. npm refuses a lockfile that lists
# other platforms' optional native binaries (@swc/core-darwin-*, …) when the registry it talks to
# cannot serve them — they come back with no version (npm/cli#8805). Then, and only then, it
# installs from the same lockfile with `npm install --no-save`, which leaves the lockfile untouched.
# Any other mismatch between package.json and the lockfile fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
npm ci --no-audit --no-fund 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ] \
  && grep -q 'Missing: .*@ from lock file' "$log" \
  && ! grep -E 'Missing: [^ ]*[^@ ] from lock file|Invalid: ' "$log" >/dev/null; then
  echo "install-packages: npm ci rejected only unresolvable optional platform packages (npm/cli#8805); installing from the lockfile with npm install --no-save" >&2
  status=0
  npm install --no-save --no-audit --no-fund || status=$?
fi
exit "$status"
