#!/bin/sh
# Runs every unit test binary and every command-line test script, counts
# their PASS/FAIL/SKIP lines and ends with "N passed, N failed".
# Environment is pinned so golden files are deterministic.
TZ=UTC; LC_ALL=C.UTF-8; SOURCE_DATE_EPOCH=1700000000
export TZ LC_ALL SOURCE_DATE_EPOCH
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export ASAN_OPTIONS
# leaks inside libolecf's own failed reads, which mailcase cannot free
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(pwd)/tests/fuzz/lsan.supp}
export LSAN_OPTIONS
: "${B:=.}"
case "$B" in /*) ;; *) B="$(pwd)/$B" ;; esac
: "${MC_BIN:=$B/mailcase}"
export B
export MC_BIN
: "${MAILCASE_TEMPLATES:=$(pwd)/templates}"
export MAILCASE_TEMPLATES
mkdir -p tests/tmp
log=tests/tmp/check.log
: > "$log"
failed_units=""
for t in "$B"/tests/unit/test_*; do
	case "$t" in *.c|*.o) continue ;; esac
	[ -x "$t" ] || continue
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out" >> "$log"
	printf '%s\n' "$out" | grep -E '^(FAIL|SKIP)' | sed 's/^/  /'
	printf '%s\n' "$out" | grep -E '^  at ' | sed 's/^/  /'
	if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL'; then
		echo "FAIL: $t: exited $rc without reporting" | tee -a "$log"
		printf '%s\n' "$out" | tail -20
	fi
done
for t in tests/cli/*.sh; do
	[ -f "$t" ] || continue
	out=$(sh "$t" 2>&1); rc=$?
	printf '%s\n' "$out" >> "$log"
	printf '%s\n' "$out" | grep -E '^(FAIL|SKIP)|^  ' | sed 's/^/  /'
	if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL'; then
		echo "FAIL: $t: exited $rc without reporting" | tee -a "$log"
		printf '%s\n' "$out" | tail -20
	fi
done
passed=$(grep -c '^PASS' "$log")
failed=$(grep -c '^FAIL' "$log")
skipped=$(grep -c '^SKIP' "$log")
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
