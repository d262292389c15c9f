#!/bin/bash
# Runs the integration tests (as root) against a built alived.
#   tests/run-integration.sh [BUILD_DIR] [TEST...]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bld=${1:-$top/build}; shift || true
export ALIVED="$bld/alived" ALIVED_SRCDIR="$top"
tests=("$@"); [ ${#tests[@]} = 0 ] && tests=("$top"/tests/integration/[0-9]*.sh)
p=0 f=0
for t in "${tests[@]}"; do
	timeout 600 bash "$t"; rc=$?
	if [ $rc = 0 ]; then p=$((p+1)); echo "PASS: $t"; else f=$((f+1)); echo "FAIL ($rc): $t"; fi
done
echo "$p passed, $f failed"
[ $f = 0 ]
