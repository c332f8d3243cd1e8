#!/bin/sh
# make bench, part 3 (alone: make bench BENCH_ONLY=hostile): evidence whose
# hostility is its size. Each row is written by tests/tools/genhostile at
# two sizes into MAILCASE_BENCH_DIR (default /tmp/mailcase-bench; never the
# source tree; kept for the next run, the generator is deterministic), and
# `mailcase report` runs on each. A row prints time and peak RSS at both
# sizes, how time grew against the input (linear is xN for N times the
# input), and the ceilings the processing log says were met.
# Target: time linear in the input, peak RSS under 256 MB, the ceiling named.
# HOSTILE_ROWS="rcpt gaps" runs only those rows; BENCH_RENDER=0 times
# ingest only (--no-render).
set -e
: "${B:=.}"
dir=${MAILCASE_BENCH_DIR:-/tmp/mailcase-bench}/hostile
mkdir -p "$dir"
G="$B/tests/tools/genhostile"
if [ ! -x /usr/bin/time ]; then
	echo "bench: /usr/bin/time is needed for peak RSS (Debian package: time)" >&2
	exit 1
fi
over=0

# row NAME KIND EXT SMALL LARGE [M]: both sizes of one row
row() {
	name=$1 kind=$2 ext=$3 small=$4 large=$5 m=${6:-}
	case " ${HOSTILE_ROWS:-$name} " in *" $name "*) ;; *) return 0 ;; esac
	last_secs= last_n=
	line="bench: hostile $name:"
	for n in $small $large; do
		in="$dir/$kind-$n${m:+x$m}.$ext"
		[ -s "$in" ] || "$G" "$kind" "$in" "$n" $m
		c="$dir/case-$name-$n"
		rm -rf "$c"
		cat "$in" > /dev/null
		set -- report -o "$c" "$in"
		[ "${BENCH_RENDER:-1}" = 0 ] && set -- report --no-render -o "$c" "$in"
		# exit 1 (evidence read in part) is an expected answer here
		/usr/bin/time -f "%e %M" -o "$c.time" "$B/mailcase" "$@" > "$c.log" 2>&1 || true
		secs=$(tail -1 "$c.time" | awk '{ print $1 }')
		rss=$(tail -1 "$c.time" | awk '{ printf "%.0f", $2 / 1024 }')
		codes=$(sqlite3 "$c/case.db" "SELECT DISTINCT code FROM log WHERE level = 'warning'
		    AND (code LIKE '%ceiling%' OR code LIKE 'cap.%' OR code IN ('tcp.gaps_counted',
		    'office.zip.inflated', 'office.doc_count', 'office.depth', 'mail.message_too_large',
		    'mail.session_messages', 'pop3.listing_lines', 'mail.imap_items', 'smtp.reply_lines',
		    'mail.flow_capped', 'tcp.flow_table_full', 'hops.cap'))" 2>/dev/null | tr '\n' ' ')
		note=
		if [ "$rss" -gt 256 ]; then
			over=1
			note=" (over 256 MB)"
		fi
		line="$line $n: $secs s, $rss MB$note"
		if [ -n "$last_secs" ]; then
			line="$line (time x$(awk -v a="$secs" -v b="$last_secs" 'BEGIN { if (b < 0.05) b = 0.05; printf "%.1f", a / b }')"
			line="$line for x$(awk -v a="$n" -v b="$last_n" 'BEGIN { printf "%.0f", a / b }') the input)"
		fi
		line="$line;"
		last_secs=$secs last_n=$n
	done
	echo "$line ceilings: ${codes:-none}"
}

row zipnest zipnest eml 3 4 16
row rcpt rcpt pcap 100000 1000000
row txn txn pcap 5000 50000
row pipeline pipeline pcap 100000 1000000
row replies replies pcap 100000 1000000
row retr retr pcap 50 200
row poplist poplist pcap 100000 1000000
row imapfetch imapfetch pcap 100000 1000000
row imaplit imaplit pcap 10000 100000
row longhdr longhdr eml 20 200
row received received eml 10000 100000
row addrs addrs eml 10000 100000
row mimedeep mimedeep eml 1000 10000
row ooo ooo pcap 10000 100000
row gaps gaps pcap 40000 400000 12
row tinyflows tinyflows pcap 100000 1000000
row synflood synflood pcap 100000 1000000
[ "$over" = 0 ] || echo "bench: hostile: some row passed 256 MB (see above)"
