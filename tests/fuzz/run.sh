#!/bin/sh
# run.sh - runs libFuzzer targets one after another, each for a given time,
# on the corpus it keeps in tests/fuzz/corpus/NAME/ (with its dictionary when
# there is one), and says per target what it did. Called by `make fuzz-run`:
#
#   FUZZ_TIME=180 FUZZ_OUT=/tmp/mailcase-fuzz sh tests/fuzz/run.sh smtp pop3
#
# NAME is a target's name without "fuzz_" (tests/fuzz/fuzz_NAME.c).
# FUZZ_TIME    seconds per target (default 60)
# FUZZ_OUT     where findings and the run's new inputs go; outside the source
#              tree (default ${TMPDIR:-/tmp}/mailcase-fuzz)
# FUZZ_NICE    niceness of the fuzzers (default 19: a shared machine)
# FUZZ_TIMEOUT seconds after which one input is a timeout finding (default 20)
# FUZZ_SLOW    seconds after which one input is kept as a slow finding (default 5)
# FUZZ_RSS_MB  memory after which the run is an out-of-memory finding (default 1024)
# FUZZ_MERGE   1 (default): the committed corpus is made anew after the run
#              (libFuzzer -merge=1 on edges): the seeds and the fewest, smallest
#              inputs that reach every edge reached, so it stays small; 0: left
#              alone. The run's full corpus stays in FUZZ_OUT/NAME/corpus and a
#              later run with the same FUZZ_OUT goes on from it.
#              FUZZ_TIME=0 only remakes the committed corpus.
# FUZZ_CORPUS_KB  ceiling on the found (not seed) inputs committed per
#              target, in KB (default 24): above it the largest are left out
# FUZZ_EXTRA   further libFuzzer options
# FUZZ_SEEDS   further seed folders, only read (inputs that may not be
#              committed: run with FUZZ_MERGE=0 so that nothing derived from
#              them reaches the committed corpus)
#
# A target that stops on a finding (crash, leak, timeout, out of memory) is
# started again on the same corpus until its time is used up, so one finding
# does not end the run; each finding is a file in FUZZ_OUT/NAME/findings/.
# The last lines are a table: target, seconds, executions, cov, ft (the
# coverage counters of libFuzzer's last status line), corpus entries and
# bytes, change in entries, findings. The exit status is 1 when a target
# had a finding or could not run.
set -u
cd "$(dirname "$0")/../.."
: "${FUZZ_TIME:=60}" "${FUZZ_NICE:=19}" "${FUZZ_TIMEOUT:=20}" "${FUZZ_SLOW:=5}"
: "${FUZZ_RSS_MB:=1024}" "${FUZZ_MERGE:=1}" "${FUZZ_CORPUS_KB:=24}" "${FUZZ_EXTRA:=}" "${FUZZ_SEEDS:=}"
: "${FUZZ_OUT:=${TMPDIR:-/tmp}/mailcase-fuzz}"
case "$FUZZ_OUT" in /*) ;; *) FUZZ_OUT="$(pwd)/$FUZZ_OUT" ;; esac
case "$FUZZ_OUT/" in "$(pwd)"/*)
	echo "run.sh: FUZZ_OUT ($FUZZ_OUT) must lie outside the source tree" >&2; exit 2 ;;
esac
if [ $# -eq 0 ]; then
	set -- $(ls tests/fuzz/fuzz_*.c | sed 's|tests/fuzz/fuzz_||; s|\.c$||')
fi
mkdir -p "$FUZZ_OUT"
# leaks inside the libraries' own error paths (tests/fuzz/lsan.supp)
LSAN_OPTIONS="suppressions=$(pwd)/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
summary="$FUZZ_OUT/summary.txt"
printf '%-10s %7s %11s %6s %7s %8s %9s %5s %s\n' target seconds executions cov ft corpus bytes delta \
	findings >"$summary"
status=0

# dict NAME: the target's dictionary, or nothing
dict() {
	for d in "tests/fuzz/fuzz_$1.dict" "tests/fuzz/$1.dict"; do
		if [ -f "$d" ]; then printf '%s' "$d"; return; fi
	done
}

for t in "$@"; do
	t=${t#fuzz_}
	bin="tests/fuzz/fuzz_$t"
	corpus="tests/fuzz/corpus/$t"
	out="$FUZZ_OUT/$t"
	if [ ! -x "$bin" ]; then
		echo "run.sh: $bin is not built (make fuzz)" >&2
		status=1
		continue
	fi
	mkdir -p "$corpus" "$out/corpus" "$out/findings"
	d=$(dict "$t")
	: >"$out/log"
	rm -f "$out"/run[0-9]*.log
	found0=$(ls "$out/findings" | wc -l)
	touch "$out/started"
	start=$(date +%s)
	execs=0 runs=0
	while :; do
		now=$(date +%s)
		left=$((FUZZ_TIME - (now - start)))
		[ "$left" -gt 0 ] || break
		runs=$((runs + 1))
		echo "== run $runs ($left s left)" >>"$out/log"
		# New inputs go to $out/corpus (the first folder, kept from run
		# to run of one FUZZ_OUT); the committed corpus is only read.
		nice -n "$FUZZ_NICE" "$bin" -max_total_time="$left" -timeout="$FUZZ_TIMEOUT" \
			-report_slow_units="$FUZZ_SLOW" -rss_limit_mb="$FUZZ_RSS_MB" \
			-print_final_stats=1 -artifact_prefix="$out/findings/" \
			${d:+-dict="$d"} $FUZZ_EXTRA "$out/corpus" "$corpus" $FUZZ_SEEDS >"$out/run$runs.log" 2>&1 </dev/null
		rc=$?
		# executions of this run: the final stats, else the last status line
		n=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$out/run$runs.log" | tail -1)
		[ -n "$n" ] || n=$(grep -o '^#[0-9]*' "$out/run$runs.log" | tail -1 | tr -d '#')
		execs=$((execs + ${n:-0}))
		echo "exit $rc after $(( $(date +%s) - now )) s, $n executions" >>"$out/log"
		[ "$rc" -eq 0 ] && break
		# a fuzzer that cannot start (no finding written) would loop
		if [ "$(ls "$out/findings" | wc -l)" -eq "$found0" ]; then
			echo "run.sh: $bin exited $rc without a finding (see $out/run.log)" >&2
			status=1
			break
		fi
		found0=$(ls "$out/findings" | wc -l)
		[ "$runs" -lt 50 ] || break
	done
	secs=$(( $(date +%s) - start ))
	i=1; : >"$out/run.log"
	while [ "$i" -le "$runs" ]; do cat "$out/run$i.log" >>"$out/run.log"; i=$((i + 1)); done
	last=$(grep -E '^#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$out/run.log" | tail -1)
	cov=$(printf '%s\n' "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	added=0
	if [ "$FUZZ_MERGE" = 1 ]; then
		# The committed corpus is made anew from itself and the run's
		# corpus: the smallest inputs that together reach every edge
		# (-use_counters=0: edges, not hit counts, so it stays small),
		# plus the seeds, which are kept whatever they reach.
		before=$(ls "$corpus" | wc -l)
		rm -rf "$out/min"
		mkdir -p "$out/min"
		if nice -n "$FUZZ_NICE" "$bin" -merge=1 -use_counters=0 -timeout="$FUZZ_TIMEOUT" \
			-rss_limit_mb="$FUZZ_RSS_MB" "$out/min" "$corpus" "$out/corpus" \
			>"$out/merge.log" 2>&1 </dev/null; then
			for f in "$corpus"/seed-*; do
				[ -f "$f" ] && rm -f "$out/min/$(sha1sum <"$f" | cut -c1-40)"
			done
			for f in "$corpus"/*; do
				case "${f##*/}" in seed-*) ;; *) [ -f "$out/min/${f##*/}" ] || rm -f "$f" ;; esac
			done
			cp -n "$out/min"/* "$corpus"/ 2>/dev/null
			# a ceiling on the found inputs committed: the largest go first
			while [ "$(ls "$corpus" | grep -v '^seed-' | sed "s|^|$corpus/|" | xargs cat 2>/dev/null |
				wc -c)" -gt $((FUZZ_CORPUS_KB * 1024)) ]; do
				big=$(ls -S "$corpus" | grep -v '^seed-' | head -1)
				[ -n "$big" ] || break
				rm -f "$corpus/$big"
			done
		else
			echo "run.sh: merging $t failed (see $out/merge.log); corpus left alone" >&2
			status=1
		fi
		added=$(( $(ls "$corpus" | wc -l) - before ))
	fi
	found=$(find "$out/findings" -type f -newer "$out/started" | sed 's|.*/||' | sort)
	nfind=$(printf '%s' "$found" | grep -c .)
	[ "$nfind" -eq 0 ] || status=1
	entries=$(ls "$corpus" | wc -l)
	bytes=$(cat "$corpus"/* 2>/dev/null | wc -c)
	printf '%-10s %7s %11s %6s %7s %8s %9s %5s %s\n' "$t" "$secs" "$execs" "${cov:-?}" "${ft:-?}" \
		"$entries" "$bytes" "$added" "$nfind $(printf '%s' "$found" | tr '\n' ' ')" >>"$summary"
	tail -1 "$summary"
done
echo
cat "$summary"
echo "findings in $FUZZ_OUT/NAME/findings/, libFuzzer's output in $FUZZ_OUT/NAME/run.log"
exit $status
