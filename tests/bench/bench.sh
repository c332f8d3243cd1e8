#!/bin/sh
# make bench: speed and memory, stage by stage and end to end.
#
# Everything generated goes to a scratch directory (MAILCASE_BENCH_DIR,
# default /tmp/mailcase-bench), never into the source tree, and is kept
# there for the next run; the generators are deterministic (fixed seeds), so
# a kept file is the same file.
#
# 1. The whole pipeline, `mailcase report` with rendering, as an examiner
#    runs it (docs/performance.md has the figures and the profile):
#    - mboxes from tests/tools/genmbox (varied messages: text, HTML,
#      alternative, attachments incl. docx/xlsx, RFC 2047 subjects in UTF-8
#      and EUC-KR, Received chains, forwarded message/rfc822), against the
#      floor tests/tools/mboxfloor (GMime parses, decodes and SHA-256-hashes
#      every part of the same mbox). Target: within 4x the floor.
#    - mail-dense captures from `gencap --mail` (30% of bytes SMTP with
#      attachments and AUTH, POP3, IMAP), against
#      `tshark -r FILE -q --export-objects imf,DIR`. Target: >= 10x faster.
#    Every size: peak RSS <= 256 MB; 100,000 messages within 5.5x the time
#    of 20,000.
#    Sizes: BENCH_SIZES=small (2,000 messages, 50 MB capture), or full
#    (the default: 20,000 and 100,000 messages, 200 MB and 1 GB captures);
#    BENCH_MBOX="2000 20000" and BENCH_CAP="50 200" (MB) choose exactly.
#    BENCH_STAGES=0 skips part 2. BENCH_RENDER=0 times ingest only
#    (`--no-render`; the lines say "ingest"), e.g. while rendering still
#    holds the whole report in memory.
# 2. The capture stage alone, on a large synthetic capture (gencap, size
#    MAILCASE_BENCH_MB, default 1100; 100 when BENCH_SIZES=small): decoding
#    and reassembly (tests/tools/capbench, a sink that only counts) and
#    evidence hashing (MD5+SHA-1+SHA-256 in one pass), >= 1000 MB/s and
#    peak RSS < 256 MB; and a capture of many small flows (`gencap --flows`,
#    MAILCASE_BENCH_FLOWS_MB, default 300), half of them a SYN scan that
#    never closes: memory must not grow with the number of flows.
# 3. Hostile sizes (tests/bench/hostile.sh): evidence built to grow without
#    end (a million RCPT TO, a RETR that never ends, nested zips, 400,000
#    lines over 33,333 holes...), each row at two sizes with its time, peak
#    RSS and the ceiling it met. BENCH_ONLY=hostile runs only this part;
#    BENCH_HOSTILE=0 skips it.
# 4. The crash sweep (tests/bench/crash.sh): a run killed at every kill
#    point (MAILCASE_FAULT, docs/testing.md) and completed by the next run;
#    each check printed. BENCH_ONLY=crash runs only this part; BENCH_CRASH=0
#    skips it.
set -e
: "${B:=.}"
if [ "${BENCH_ONLY:-}" = hostile ]; then
	exec sh tests/bench/hostile.sh
fi
if [ "${BENCH_ONLY:-}" = crash ]; then
	exec sh tests/bench/crash.sh
fi
dir=${MAILCASE_BENCH_DIR:-/tmp/mailcase-bench}
mkdir -p "$dir"
# Old cases and exported objects are set aside, and deleted only when the
# timings are done: on ext4 without a journal, creating a file soon after
# many files were deleted costs about a millisecond of kernel time each
# (the inode allocator skips recently deleted inodes, recently_deleted()),
# which would be charged to the run that follows.
trash="$dir/trash"
rm -rf "$trash"
mkdir -p "$trash"
set_aside() {
	if [ -e "$1" ]; then
		mv "$1" "$trash/$(basename "$1").$$.$(date +%s%N)"
	fi
}
case ${BENCH_SIZES:-full} in
small)
	: "${BENCH_MBOX:=2000}" "${BENCH_CAP:=50}"
	: "${MAILCASE_BENCH_MB:=100}" "${MAILCASE_BENCH_FLOWS_MB:=50}" ;;
*)
	: "${BENCH_MBOX:=20000 100000}" "${BENCH_CAP:=200 1000}" ;;
esac
if [ ! -x /usr/bin/time ]; then
	echo "bench: /usr/bin/time is needed for peak RSS (Debian package: time)" >&2
	exit 1
fi

# timed OUT CMD...: runs CMD, output to OUT.log; sets $secs (elapsed), $cpu
# (user + system: the figure to trust on a shared machine) and $rss_mb.
timed() {
	out=$1
	shift
	if ! /usr/bin/time -f "%e %M %U %S" -o "$out.time" "$@" > "$out.log" 2>&1; then
		echo "bench: failed: $* (see $out.log)" >&2
		exit 1
	fi
	secs=$(awk '{ print $1 }' "$out.time")
	rss_mb=$(awk '{ printf "%.0f", $2 / 1024 }' "$out.time")
	cpu=$(awk '{ printf "%.2f", $3 + $4 }' "$out.time")
}

size_mb() {
	awk -v b="$(wc -c < "$1")" 'BEGIN { printf "%.1f", b / 1e6 }'
}

# pipeline LABEL EVIDENCE MESSAGES: times mailcase report on EVIDENCE.
pipeline() {
	case_dir="$dir/case-$1"
	set_aside "$case_dir"
	cat "$2" > /dev/null
	if [ "${BENCH_RENDER:-1}" = 0 ]; then
		timed "$dir/run-$1" "$B/mailcase" report --no-render -o "$case_dir" "$2"
	else
		timed "$dir/run-$1" "$B/mailcase" report -o "$case_dir" "$2"
	fi
	p_secs=$secs p_rss=$rss_mb p_cpu=$cpu
	p_mb=$(size_mb "$2")
	p_rates=$(awk -v s="$secs" -v mb="$p_mb" -v n="$3" \
	    'BEGIN { if (s < 0.01) s = 0.01; printf "%.1f MB/s, %.0f messages/s", mb / s, n / s }')
}

what="mailcase report"
[ "${BENCH_RENDER:-1}" = 0 ] && what="mailcase ingest (--no-render)"
last_mbox_n= last_mbox_secs=
for n in $BENCH_MBOX; do
	mbox="$dir/bench-$n.mbox"
	if [ ! -s "$mbox" ]; then
		echo "bench: writing $mbox ($n messages)"
		"$B/tests/tools/genmbox" "$mbox" "$n" > /dev/null
	fi
	pipeline "mbox-$n" "$mbox" "$n"
	timed "$dir/floor-$n" "$B/tests/tools/mboxfloor" "$mbox"
	echo "bench: mbox $n messages ($p_mb MB): $what $p_secs s (cpu $p_cpu s)," \
	    "$p_rates, peak RSS $p_rss MB | floor (GMime + SHA-256) $secs s (cpu $cpu s)," \
	    "$rss_mb MB |" \
	    "$(awk -v a="$p_secs" -v b="$secs" 'BEGIN { if (b < 0.01) b = 0.01; printf "%.1f", a / b }')x" \
	    "the floor (cpu $(awk -v a="$p_cpu" -v b="$cpu" 'BEGIN { if (b < 0.01) b = 0.01; printf "%.1f", a / b }')x;" \
	    "target <= 4x, RSS <= 256 MB)"
	if [ -n "$last_mbox_n" ]; then
		echo "bench: mbox growth $last_mbox_n -> $n messages: time x$(awk -v a="$p_secs" \
		    -v b="$last_mbox_secs" 'BEGIN { if (b < 0.01) b = 0.01; printf "%.2f", a / b }')" \
		    "for x$(awk -v a="$n" -v b="$last_mbox_n" 'BEGIN { printf "%.1f", a / b }') the messages"
	fi
	last_mbox_n=$n last_mbox_secs=$p_secs
done

for mb in $BENCH_CAP; do
	cap="$dir/mail-$mb.pcap"
	if [ ! -s "$cap" ] || [ ! -s "$cap.info" ]; then
		echo "bench: writing $cap ($mb MB, 30% mail)"
		"$B/tests/tools/gencap" --mail "$cap" "$mb" > "$cap.info"
	fi
	msgs=$(sed -n 's/.* \([0-9][0-9]*\) messages$/\1/p' "$cap.info")
	pipeline "cap-$mb" "$cap" "$msgs"
	set_aside "$dir/imf-$mb"
	mkdir -p "$dir/imf-$mb"
	timed "$dir/tshark-$mb" tshark -r "$cap" -q --export-objects "imf,$dir/imf-$mb"
	echo "bench: capture $mb MB ($msgs messages): $what $p_secs s (cpu $p_cpu s)," \
	    "$p_rates, peak RSS $p_rss MB | tshark IMF export $secs s (cpu $cpu s), $rss_mb MB |" \
	    "mailcase" \
	    "$(awk -v a="$secs" -v b="$p_secs" 'BEGIN { if (b < 0.01) b = 0.01; printf "%.2f", a / b }')x" \
	    "as fast (cpu $(awk -v a="$cpu" -v b="$p_cpu" 'BEGIN { if (b < 0.01) b = 0.01; printf "%.2f", a / b }')x;" \
	    "target >= 10x, RSS <= 256 MB)"
done

rm -rf "$trash"
if [ "${BENCH_STAGES:-1}" = 0 ]; then
	[ "${BENCH_HOSTILE:-1}" = 0 ] || sh tests/bench/hostile.sh
	[ "${BENCH_CRASH:-1}" = 0 ] || sh tests/bench/crash.sh
	exit 0
fi
mb=${MAILCASE_BENCH_MB:-1100}
cap="$dir/bench-$mb.pcap"
if [ ! -s "$cap" ]; then
	echo "bench: writing $cap ($mb MB)"
	"$B/tests/tools/gencap" "$cap" "$mb"
fi
# Warm the page cache so the figures are about the code, not the disk.
cat "$cap" > /dev/null
echo "bench: decoding and reassembly"
/usr/bin/time -v "$B/tests/tools/capbench" "$cap" 2> "$dir/time.txt"
grep -E "Maximum resident|Elapsed" "$dir/time.txt" | sed 's/^[[:space:]]*/  /'
fmb=${MAILCASE_BENCH_FLOWS_MB:-300}
fcap="$dir/flows-$fmb.pcap"
if [ ! -s "$fcap" ]; then
	echo "bench: writing $fcap ($fmb MB of small flows)"
	"$B/tests/tools/gencap" --flows "$fcap" "$fmb"
fi
cat "$fcap" > /dev/null
echo "bench: many small flows"
"$B/tests/tools/capbench" "$fcap"
echo "bench: evidence hashing (MD5, SHA-1, SHA-256)"
"$B/tests/tools/capbench" --hash "$cap"
[ "${BENCH_HOSTILE:-1}" = 0 ] || sh tests/bench/hostile.sh
[ "${BENCH_CRASH:-1}" = 0 ] || sh tests/bench/crash.sh
