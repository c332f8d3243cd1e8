#!/bin/sh
# make bench, the crash sweep (alone: make bench BENCH_ONLY=crash): every
# kill point of MAILCASE_FAULT (docs/testing.md) at every count the test
# case reaches (each evidence commit; stored files 1, 3, 9...; pages 1, 2,
# 4... and the last; the manifest and the run log of report, add and
# render), and kills of the run that completes the first kill. After each
# kill nothing may claim the run complete; after the completing run the
# case must verify and hold what a case never killed holds. The checks
# are tests/cli/interrupted.sh's (CRASH_SWEEP=1); this prints each one,
# then the totals, and fails when one failed.
: "${B:=.}"
case "$B" in /*) ;; *) B="$(pwd)/$B" ;; esac
: "${MC_BIN:=$B/mailcase}"
export B MC_BIN
TZ=UTC LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=1700000000
export TZ LC_ALL SOURCE_DATE_EPOCH
start=$(date +%s)
out=$(CRASH_SWEEP=1 sh tests/cli/interrupted.sh 2>&1)
printf '%s\n' "$out" | sed 's/^/bench: crash: /'
passed=$(printf '%s\n' "$out" | grep -c '^PASS')
failed=$(printf '%s\n' "$out" | grep -c '^FAIL')
kills=$(printf '%s\n' "$out" | grep -c '^PASS: interrupted:.*_killed$')
echo "bench: crash sweep: $kills kills, $passed checks passed, $failed failed," \
    "$(($(date +%s) - start)) s"
[ "$failed" -eq 0 ]
