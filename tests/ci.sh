#!/bin/bash
# The whole test suite, as the README's test command runs it on a fresh
# Debian 12 machine as root: installs the packages, builds with
# -Wall -Wextra -Werror, runs the unit tests under ASan+UBSan, the
# integration tests in network namespaces, the fuzzers briefly, a clang
# build, make distcheck and an install check. Ends with "N passed, N failed"
# and exits non-zero on any failure. A skipped test (exit 77) counts as a
# failure in CI (CI=true), where everything it needs is there; elsewhere it
# is counted as skipped (e.g. the MIB checks need ../shared, CI's copy of
# the IETF MIBs and the reference OID trees).
#   FUZZ_SECONDS=60   seconds per fuzz target
#   ALIVED_QUICK=1    leave out the clang build, distcheck and fuzzing
set -u
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
logdir=$top/test-logs
rm -rf "$logdir"; mkdir -p "$logdir"
passed=0 failed=0 skipped=0 failures=()
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
jobs=$(nproc 2>/dev/null || echo 2)

result() {	# NAME RC
	if [ "$2" = 0 ]; then
		passed=$((passed + 1)); echo "PASS: $1"
	elif [ "$2" = 77 ] && [ "${CI:-}" != true ]; then
		skipped=$((skipped + 1)); echo "SKIP: $1"
	else
		failed=$((failed + 1)); failures+=("$1"); echo "FAIL: $1 (rc $2)"
	fi
}
step() {	# NAME CMD... (output to test-logs/NAME.log, shown on failure)
	local name=$1; shift
	local log="$logdir/${name//\//_}.log"
	"$@" > "$log" 2>&1
	local rc=$?
	result "$name" $rc
	[ $rc = 0 ] || tail -n 40 "$log" | sed 's/^/    /'
	return $rc
}
finish() {
	echo
	[ ${#failures[@]} = 0 ] || printf 'failed: %s\n' "${failures[@]}"
	if [ $skipped = 0 ]; then
		echo "$passed passed, $failed failed"
	else
		echo "$passed passed, $failed failed, $skipped skipped"
	fi
	[ $failed = 0 ]
	exit $?
}

step deps ./tests/deps.sh || finish
step autogen ./autogen.sh || finish

# 1. Sanitizer build: unit tests under ASan + UBSan, -Werror.
san=$top/build-san
rm -rf "$san"; mkdir -p "$san"
step configure-sanitizers sh -c "cd '$san' && '$top/configure' --enable-werror --enable-sanitizers" || finish
step build-sanitizers make -C "$san" -j"$jobs" || finish
make -C "$san" -j"$jobs" check > "$logdir/unit.log" 2>&1
for trs in $(find "$san/tests/unit" -name '*.trs' | sort); do
	t=$(basename "$trs" .trs)
	if grep -q '^:test-result: PASS' "$trs"; then
		result "unit/$t" 0
	else
		result "unit/$t" 1; sed 's/^/    /' "${trs%.trs}.log" | tail -n 40
	fi
done
[ -n "$(find "$san/tests/unit" -name '*.trs' 2>/dev/null)" ] || result "unit tests ran" 1
step tree-checks make -C "$san" check-headers check-layering check-filesize

# 2. Release-style build (-Werror, no sanitizers) for the integration tests.
bld=$top/build
rm -rf "$bld"; mkdir -p "$bld"
step configure sh -c "cd '$bld' && '$top/configure' --enable-werror" || finish
step build make -C "$bld" -j"$jobs" || finish
export ALIVED="$bld/alived" ALIVED_SRCDIR="$top"
for t in tests/integration/[0-9]*.sh; do
	name="integration/$(basename "$t" .sh)"
	timeout 600 bash "$t" > "$logdir/${name//\//_}.log" 2>&1
	rc=$?
	result "$name" $rc
	[ $rc = 0 ] || tail -n 40 "$logdir/${name//\//_}.log" | sed 's/^/    /'
done

# 3. Install layout.
step install-layout ./tests/check-install.sh "$bld"

if [ "${ALIVED_QUICK:-0}" != 1 ]; then
	# 4. clang build with the same warnings.
	cl=$top/build-clang
	rm -rf "$cl"; mkdir -p "$cl"
	step build-clang sh -c "cd '$cl' && CC=clang '$top/configure' --enable-werror >/dev/null && make -j$jobs"
	# 5. Fuzzers (libFuzzer), a short run each.
	for f in tests/fuzz/fuzz_*.c; do
		step "fuzz/$(basename "$f" .c)" ./tests/fuzz/run.sh "$f" "$FUZZ_SECONDS"
	done
	# 6. make distcheck.
	step distcheck make -C "$bld" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror
fi
finish
