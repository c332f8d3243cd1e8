"""Compares the output of `mailcase streams` for one capture with tshark's.

usage: streams_vs_tshark.py NAME OUT FOLLOW FIELDS CONV

OUT is the streams directory (index.json and one file per direction),
FOLLOW the output of `tshark -q -z follow,tcp,raw,N` for every stream,
FIELDS `tshark -Y tcp -T fields -e tcp.stream -e ip.src -e ipv6.src
-e tcp.srcport -e frame.len -e _ws.col.Source`, CONV `tshark -q -z conv,tcp`.
Prints one PASS or FAIL line (with at most 20 differences below it).

tshark stream N is mailcase flow N + 1: both number TCP connections in the
order of their first packet.
"""
import json
import os
import re
import sys

name, out, follow, fields, conv = sys.argv[1:6]
idx = json.load(open(os.path.join(out, "index.json")))
flows = {f["flow"]: f for f in idx["flows"]}
bad = []


def ep(ip, port):
    return "[%s]:%d" % (ip, port) if ":" in ip else "%s:%d" % (ip, port)


def expected(f, d):
    """What tshark shows for direction d of flow f.

    Where bytes were never captured, tshark's follow writes the text
    "[N bytes missing in capture file]" and its terminating NUL into the
    stream (Wireshark ui/cli/tap-follow.c). mailcase writes only captured
    bytes and records the hole in index.json ("gaps": offset, length), which
    is what evidence needs: nothing in the file that the wire did not carry.
    The two agree when the marker is put back at each gap's offset."""
    fn = f[d]["file"]
    data = open(os.path.join(out, fn), "rb").read() if fn else b""
    res, at = b"", 0
    for g in f[d]["gaps"]:
        res += data[at:g["offset"]] + b"[%d bytes missing in capture file]\0" % g["length"]
        at = g["offset"]
    return res + data[at:]


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
for s in streams:
    f = flows.get(s["stream"] + 1)
    if f is None:
        bad.append("stream %d: no flow %d" % (s["stream"], s["stream"] + 1))
        continue
    for node, addr in enumerate(s["nodes"]):
        if addr == ep(f["client"]["ip"], f["client"]["port"]):
            d = "client_to_server"
        elif addr == ep(f["server"]["ip"], f["server"]["port"]):
            d = "server_to_client"
        else:
            bad.append("stream %d: node %s is neither endpoint" % (s["stream"], addr))
            continue
        if expected(f, d) != s["data"][node]:
            bad.append("stream %d %s: %d bytes, tshark %d" % (
                s["stream"], d, len(expected(f, d)), len(s["data"][node])))

# Packets and frame bytes per stream and source endpoint, from the frames.
tc = {}
for line in open(fields):
    st, ip4, ip6, port, ln, col = (line.rstrip("\n").split("\t") + [""])[:6]
    if not st:
        continue
    # Inside a tunnel ip.src lists every layer's address ("outer,inner");
    # the Source column is the innermost, the one the TCP segment is from.
    k = (int(st), col or ip4 or ip6, int(port))
    p, b = tc.get(k, (0, 0))
    tc[k] = (p + 1, b + int(ln))
streams_n = len({k[0] for k in tc})
if streams_n != len(flows) or len(streams) != len(flows):
    bad.append("%d tshark streams (%d followed), %d flows" % (streams_n, len(streams), len(flows)))
for (st, ip, port), (p, b) in sorted(tc.items()):
    f = flows.get(st + 1)
    if f is None:
        continue
    if (f["client"]["ip"], f["client"]["port"]) == (ip, port):
        d = f["client_to_server"]
    elif (f["server"]["ip"], f["server"]["port"]) == (ip, port):
        d = f["server_to_client"]
    else:
        bad.append("stream %d: endpoint %s:%d not in flow" % (st, ip, port))
        continue
    if (d["packets"], d["frame_bytes"]) != (p, b):
        bad.append("stream %d from %s:%d: %d packets %d bytes, tshark %d packets %d bytes" % (
            st, ip, port, d["packets"], d["frame_bytes"], p, b))


# The conversation list itself (`-z conv,tcp`): one line per connection,
#   A:pa <-> B:pb  frames bytes (B to A)  frames bytes (A to B)  total...
# with bytes as "1451 bytes" or rounded ("29 kB"). Frames are compared
# exactly, bytes exactly when tshark prints them in bytes, otherwise to its
# rounding (Wireshark format_size: SI units, 1 kB = 1000 bytes).
def size_ok(n, text):
    v, unit = text.split()
    scale = {"bytes": 1, "kB": 10**3, "MB": 10**6, "GB": 10**9}[unit]
    return int(v) == n if scale == 1 else int(v) in (n // scale, round(n / scale))


def split_ep(s):
    ip, port = s.rsplit(":", 1)
    return ip.strip("[]"), int(port)


pairs = {}
for f in flows.values():
    c = (f["client"]["ip"], f["client"]["port"])
    s = (f["server"]["ip"], f["server"]["port"])
    pairs.setdefault(frozenset((c, s)), []).append(f)
nconv = 0
row = re.compile(r"^(\S+)\s+<->\s+(\S+)\s+(\d+) (\d+ \S+)\s+(\d+) (\d+ \S+)\s+(\d+) (\d+ \S+)")
for line in open(conv):
    m = row.match(line)
    if not m:
        continue
    nconv += 1
    a, b = split_ep(m.group(1)), split_ep(m.group(2))
    cands = pairs.get(frozenset((a, b)), [])
    if not cands:
        bad.append("conversation %s <-> %s: no flow" % (m.group(1), m.group(2)))
        continue
    # Connections reusing one pair of endpoints are one line per connection
    # (tshark keys conversations by stream); take the first that matches.
    for f in cands:
        fa = f["client_to_server"] if (f["client"]["ip"], f["client"]["port"]) == a else f["server_to_client"]
        fb = f["server_to_client"] if fa is f["client_to_server"] else f["client_to_server"]
        if (fb["packets"] == int(m.group(3)) and size_ok(fb["frame_bytes"], m.group(4)) and
                fa["packets"] == int(m.group(5)) and size_ok(fa["frame_bytes"], m.group(6))):
            cands.remove(f)
            break
    else:
        bad.append("conversation %s <-> %s: frames %s/%s bytes %s/%s match no flow" % (
            m.group(1), m.group(2), m.group(5), m.group(3), m.group(6), m.group(4)))
if nconv != len(flows):
    bad.append("%d tshark conversations, %d flows" % (nconv, len(flows)))

if bad:
    print("FAIL: streams_vs_tshark:%s: %d differences" % (name, len(bad)))
    for x in bad[:20]:
        print("  " + x)
else:
    print("PASS: streams_vs_tshark:%s: %d streams and %d conversations identical" % (
        name, len(streams), nconv))
