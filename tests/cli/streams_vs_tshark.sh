#!/bin/sh
# The streams command against tshark: for every TCP stream of the corpus
# captures, both directions written by `mailcase streams` must be
# byte-identical to `tshark -q -z follow,tcp,raw,N`, and the flow list must
# match tshark's TCP conversations (`-z conv,tcp`: endpoints, packets and
# bytes per direction; also summed from the frames, where tshark does not
# round). The same for the capture fixtures the unit tests write
# (tests/tmp/test_capture, test_smtp, test_pop3, test_imap), but for the
# four whose difference is by design (listed below). The comparison itself is
# streams_vs_tshark.py. Skips when tshark, python3 or the captures are missing.
: "${MC_BIN:=./mailcase}"
: "${B:=.}"
corpus=../shared/corpus
name=streams_vs_tshark
here=$(dirname "$0")

if ! command -v tshark >/dev/null 2>&1; then
	echo "SKIP: $name: tshark is not installed"; exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: $name: python3 is not installed"; exit 0
fi
# The command line may not dispatch `streams` yet: then use the test tool.
run_streams() {
	if "$MC_BIN" streams --help >/dev/null 2>&1; then
		"$MC_BIN" streams "$@"
	else
		"$B/tests/tools/capbench" streams "$@"
	fi
}
tmp=tests/tmp/streams_vs_tshark
rm -rf "$tmp"
mkdir -p "$tmp"

# compare LABEL CAPTURE [FILE...]: tshark reads CAPTURE; mailcase reads the
# FILEs as one capture when they are given, CAPTURE otherwise.
compare() {
	label=$1 cf=$2 w="$tmp/$1"
	shift 2
	[ $# -gt 0 ] || set -- "$cf"
	run_streams "$@" -o "$w.out" 2>"$w.err"
	rc=$?
	# Exit 1 is a capture read in part (it says where reading stopped):
	# what was read is still compared.
	if [ $rc -ne 0 ] && ! { [ $rc -eq 1 ] && grep -q 'reading stopped at byte' "$w.err"; }; then
		echo "FAIL: $name:$label: streams exited with an error"; cat "$w.err"; return
	fi
	n=$(tshark -n -r "$cf" -T fields -e tcp.stream -Y tcp 2>/dev/null | sort -n | tail -1)
	zs=""
	i=0
	while [ -n "$n" ] && [ "$i" -le "$n" ]; do zs="$zs -z follow,tcp,raw,$i"; i=$((i + 1)); done
	# shellcheck disable=SC2086
	tshark -n -r "$cf" -q $zs > "$w.follow" 2>/dev/null
	tshark -n -r "$cf" -Y tcp -T fields -E separator=/t -e tcp.stream -e ip.src -e ipv6.src \
		-e tcp.srcport -e frame.len -e _ws.col.Source > "$w.fields" 2>/dev/null
	tshark -n -r "$cf" -q -z conv,tcp > "$w.conv" 2>/dev/null
	if ! python3 "$here/streams_vs_tshark.py" "$label" "$w.out" "$w.follow" "$w.fields" \
	    "$w.conv" > "$w.result" 2>&1 || ! grep -q '^PASS' "$w.result"; then
		grep -q '^FAIL' "$w.result" || echo "FAIL: $name:$label: the comparison did not finish"
		sed -n '1,22p' "$w.result"
		return
	fi
	cat "$w.result"
}

if [ -f "$corpus/evidence02.pcap" ]; then
	for cap in evidence02.pcap evidence01.pcap; do
		if [ -f "$corpus/$cap" ]; then
			compare "${cap%.pcap}" "$corpus/$cap"
		else
			echo "SKIP: $name:$cap: not in the corpus"
		fi
	done
else
	echo "SKIP: $name: corpus not found at $corpus"
fi

# Fixtures. Four differ from tshark by design, and their own unit tests
# check what mailcase does there:
#  idle: mailcase ends a flow after CAPTURE_IDLE_TIMEOUT_US without packets
#    and starts a new one on a later packet; tshark keeps one stream.
#  pcapng_mixed: libpcap stops at an interface of a second link type (the
#    file is reported as truncated); tshark's own reader goes on.
#  first_arrival: of two different copies of the same bytes, mailcase keeps
#    the one that arrived first, also when it arrived out of order, and
#    records the other as a conflict; tshark keeps the in-order copy.
#  hole_at_end: bytes after a hole that the other side never acknowledged,
#    at the end of the capture: tshark's follow leaves them out, mailcase
#    keeps them and records the gap (they were captured).
nfix=0
for f in tests/tmp/test_capture/*/*.pcap tests/tmp/test_capture/*/*.pcapng \
    tests/tmp/test_smtp/*/in.pcap tests/tmp/test_pop3/*/in.pcap tests/tmp/test_imap/*/in.pcap; do
	[ -f "$f" ] || continue
	case "$f" in
	*/test_capture/idle/*|*/test_capture/pcapng_mixed/*) continue ;;
	*/test_capture/first_arrival/*|*/test_capture/hole_at_end/*) continue ;;
	esac
	label=$(echo "${f#tests/tmp/}" | tr / _)
	compare "$label" "$f"
	nfix=$((nfix + 1))
done
# The tunnel fixtures (tests/golden/capture scripts with an encap line):
# tshark follows the same innermost TCP stream.
for c in tests/golden/capture/*.conv; do
	grep -q '^encap ' "$c" || continue
	[ -x "$B/tests/tools/golden" ] || break
	label=golden_$(basename "$c" .conv)
	"$B/tests/tools/golden" pcap "$c" "$tmp/$label.pcap" && compare "$label" "$tmp/$label.pcap"
	nfix=$((nfix + 1))
done
# The two-file capture as one: tshark reads the files merged by time.
two=tests/tmp/test_capture/two
if [ -f "$two/a.pcap" ] && command -v mergecap >/dev/null 2>&1; then
	mergecap -F pcap -w "$tmp/two-merged.pcap" "$two/a.pcap" "$two/b.pcap" &&
		compare test_capture_two_as_one "$tmp/two-merged.pcap" "$two/b.pcap" "$two/a.pcap"
fi
if [ "$nfix" -eq 0 ]; then
	echo "SKIP: $name: fixtures: none found (the unit tests write them; run make check)"
fi
