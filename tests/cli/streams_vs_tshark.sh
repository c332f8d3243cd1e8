#!/bin/sh
# The streams command against tshark: for every TCP stream of the corpus
# captures, both directions written by `mailcase streams` must be
# byte-identical to `tshark -q -z follow,tcp,raw,N`, and the flow list must
# match tshark's TCP conversations (endpoints, packets and bytes per
# direction). Skips when tshark, python3 or the corpus is missing.
: "${MC_BIN:=./mailcase}"
: "${B:=.}"
corpus=../shared/corpus
name=streams_vs_tshark

if ! command -v tshark >/dev/null 2>&1; then
	echo "SKIP: $name: tshark is not installed"; exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: $name: python3 is not installed"; exit 0
fi
if [ ! -f "$corpus/evidence02.pcap" ]; then
	echo "SKIP: $name: corpus not found at $corpus"; exit 0
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
for cap in evidence02.pcap evidence01.pcap; do
	f="$corpus/$cap"
	[ -f "$f" ] || { echo "SKIP: $name:$cap: not in the corpus"; continue; }
	out="$tmp/${cap%.pcap}"
	if ! run_streams "$f" -o "$out" 2>"$tmp/${cap%.pcap}.err"; then
		echo "FAIL: $name:$cap: streams exited with an error"; cat "$tmp/${cap%.pcap}.err"; continue
	fi
	n=$(tshark -r "$f" -T fields -e tcp.stream -Y tcp 2>/dev/null | sort -n | tail -1)
	zs=""
	i=0
	while [ "$i" -le "$n" ]; do zs="$zs -z follow,tcp,raw,$i"; i=$((i + 1)); done
	# shellcheck disable=SC2086
	tshark -r "$f" -q $zs > "$tmp/${cap%.pcap}.follow" 2>/dev/null
	tshark -r "$f" -Y tcp -T fields -E separator=/t -e tcp.stream -e ip.src -e ipv6.src \
		-e tcp.srcport -e frame.len > "$tmp/${cap%.pcap}.conv" 2>/dev/null
	python3 - "$out" "$tmp/${cap%.pcap}.follow" "$tmp/${cap%.pcap}.conv" "$cap" <<'PY'
import json, sys, os
out, follow, conv, cap = sys.argv[1:5]
idx = json.load(open(os.path.join(out, "index.json")))
flows = {f["flow"]: f for f in idx["flows"]}
bad = []
# tshark follow: blocks between ==== lines; "Node 0/1: ip:port"; node 1's
# data is indented by a tab.
streams = []
cur = None
for line in open(follow):
    line = line.rstrip("\n")
    if line.startswith("Follow: "):
        cur = {"nodes": [], "data": [b"", b""]}
        streams.append(cur)
    elif cur is None or line.startswith("====="):
        continue
    elif line.startswith("Filter: "):
        cur["stream"] = int(line.split()[-1])
    elif line.startswith("Node "):
        cur["nodes"].append(line.split(": ", 1)[1])
    elif line:
        node = 1 if line.startswith("\t") else 0
        cur["data"][node] += bytes.fromhex(line.strip())
def ep(e):
    return "%s:%d" % (e["ip"], e["port"]) if ":" not in e["ip"] else "[%s]:%d" % (e["ip"], e["port"])
def content(f, d):
    name = f[d]["file"]
    return open(os.path.join(out, name), "rb").read() if name else b""
for s in streams:
    f = flows.get(s["stream"] + 1)
    if f is None:
        bad.append("stream %d: no flow %d" % (s["stream"], s["stream"] + 1)); continue
    for node, addr in enumerate(s["nodes"]):
        if addr == ep(f["client"]):
            d = "client_to_server"
        elif addr == ep(f["server"]):
            d = "server_to_client"
        else:
            bad.append("stream %d: node %s is neither endpoint" % (s["stream"], addr)); continue
        if content(f, d) != s["data"][node]:
            bad.append("stream %d %s: %d bytes, tshark %d" % (s["stream"], d, len(content(f, d)), len(s["data"][node])))
# Conversations: packets and frame bytes per source endpoint.
tc = {}
for line in open(conv):
    st, ip4, ip6, port, ln = line.rstrip("\n").split("\t")
    if not st:
        continue
    k = (int(st), ip4 or ip6, int(port))
    p, b = tc.get(k, (0, 0))
    tc[k] = (p + 1, b + int(ln))
streams_n = len({k[0] for k in tc})
if streams_n != len(flows):
    bad.append("%d tshark streams, %d flows" % (streams_n, len(flows)))
for (st, ip, port), (p, b) in sorted(tc.items()):
    f = flows.get(st + 1)
    if f is None:
        continue
    if (f["client"]["ip"], f["client"]["port"]) == (ip, port):
        d = f["client_to_server"]
    elif (f["server"]["ip"], f["server"]["port"]) == (ip, port):
        d = f["server_to_client"]
    else:
        bad.append("stream %d: endpoint %s:%d not in flow" % (st, ip, port)); continue
    if (d["packets"], d["frame_bytes"]) != (p, b):
        bad.append("stream %d from %s:%d: %d packets %d bytes, tshark %d packets %d bytes" % (st, ip, port, d["packets"], d["frame_bytes"], p, b))
if bad:
    print("FAIL: streams_vs_tshark:%s: %d differences" % (cap, len(bad)))
    for x in bad[:20]:
        print("  " + x)
else:
    print("PASS: streams_vs_tshark:%s: %d streams identical" % (cap, len(streams)))
PY
done
