#!/bin/sh
# make bench: the capture stage's speed and memory on a large synthetic
# capture. The capture is written by tests/tools/gencap into a scratch
# directory (MAILCASE_BENCH_DIR, default /tmp/mailcase-bench; size
# MAILCASE_BENCH_MB, default 1100) and kept there for the next run; it never
# goes into the source tree. Decoding + reassembly (tests/tools/capbench, a
# sink that only counts) and evidence hashing (MD5+SHA-1+SHA-256 in one pass)
# are timed separately. Targets: >= 1000 MB/s and peak RSS < 256 MB.
# A second capture of many small flows (`gencap --flows`, size
# MAILCASE_BENCH_FLOWS_MB, default 300), half of them a SYN scan that never
# closes, shows that memory does not grow with the number of flows.
set -e
: "${B:=.}"
dir=${MAILCASE_BENCH_DIR:-/tmp/mailcase-bench}
mb=${MAILCASE_BENCH_MB:-1100}
cap="$dir/bench-$mb.pcap"
mkdir -p "$dir"
if [ ! -s "$cap" ]; then
	echo "bench: writing $cap ($mb MB)"
	"$B/tests/tools/gencap" "$cap" "$mb"
fi
# Warm the page cache so the figures are about the code, not the disk.
cat "$cap" > /dev/null
echo "bench: decoding and reassembly"
if [ -x /usr/bin/time ]; then
	/usr/bin/time -v "$B/tests/tools/capbench" "$cap" 2> "$dir/time.txt"
	grep -E "Maximum resident|Elapsed" "$dir/time.txt" | sed 's/^[[:space:]]*/  /'
else
	"$B/tests/tools/capbench" "$cap"
fi
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
