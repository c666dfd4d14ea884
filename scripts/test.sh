#!/usr/bin/env bash
# THE test command (`npm test`): installs what the tests need (scripts/install.sh: idempotent, cached, a no-op
# when everything is there; skip with NEMETON_SKIP_INSTALL=1), then typecheck, import-direction check, every
# test under test/, then a check that no external test server (PostgreSQL/Kafka/MinIO) outlived its test.
#
#   scripts/test.sh                   all steps, all tests
#   scripts/test.sh test/infra ...    all steps, tests only from the given files/folders
#   scripts/test.sh --fail-fast       stop at the first failing step
#
# Every step runs (unless --fail-fast) so one run shows all problems; exits 1 if any step failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

FAIL_FAST=0
TEST_PATHS=()
for arg in "$@"; do
  case "$arg" in
    --fail-fast) FAIL_FAST=1 ;;
    -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) TEST_PATHS+=("$arg") ;;
  esac
done

now() { date +%s.%N; }
FAILED=()
SUMMARY=()

step() {
  local name="$1"; shift
  local t; t=$(now)
  echo "=== $name: $*"
  local rc=0
  "$@" || rc=$?
  local took; took=$(awk -v a="$t" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }')
  if [[ $rc == 0 ]]; then
    SUMMARY+=("  ok    $name ($took)")
  else
    SUMMARY+=("  FAIL  $name ($took, exit $rc)")
    FAILED+=("$name")
    if [[ $FAIL_FAST == 1 ]]; then report; exit 1; fi
  fi
}

report() {
  echo "=== summary"
  printf '%s\n' "${SUMMARY[@]}"
}

if [[ "${NEMETON_SKIP_INSTALL:-0}" != 1 ]]; then
  # Without the installed components nothing else can run: stop here if this fails.
  step install bash scripts/install.sh
  if [[ ${#FAILED[@]} -gt 0 ]]; then report; exit 1; fi
fi
step typecheck npx --no-install tsc --noEmit -p .
step imports node scripts/check-imports.mjs
step tests node scripts/run-tests.mjs "${TEST_PATHS[@]}"
step leaks node scripts/check-leaks.mjs

report
if [[ ${#FAILED[@]} -gt 0 ]]; then
  echo "test.sh: failed: ${FAILED[*]}" >&2
  exit 1
fi
