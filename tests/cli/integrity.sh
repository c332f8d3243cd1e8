# What the report claims must be true (the integrity defects of the
# adversarial campaign): each check recreates its reproducer.
. tests/cli/lib.sh
S=cases/sample

# corrupt_at PCAP N OUT: a copy of PCAP whose record N (1-based) has a
# capture length no reader accepts (0x7fffffff, past any snapshot length).
corrupt_at() {
	python3 - "$1" "$2" "$3" <<'PY'
import struct, sys
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
b = bytearray(open(src, 'rb').read())
le = b[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1')
fmt = '<I' if le else '>I'
off = 24
for _ in range(n - 1):
    off += 16 + struct.unpack_from(fmt, b, off + 8)[0]
struct.pack_into(fmt, b, off + 8, 0x7fffffff)
open(out, 'wb').write(b)
print(off)
PY
}

if ! command -v python3 >/dev/null 2>&1; then
	skip corrupt_header "python3 is not installed"
else
	# Issue reproducer: reading stops at frame 10 of the worked example
	# (both mails lost). Without the corpus, the sample capture's record 3.
	if [ -n "$CORPUS" ]; then src=$CORPUS/evidence02.pcap; n=10; else src=$S/sample.pcap; n=3; fi
	off=$(corrupt_at "$src" $n "$TMP/corrupt.pcap")
	"$MC_BIN" report -o "$TMP/corrupt" "$TMP/corrupt.pcap" >"$TMP/corrupt.out" 2>&1
	eq corrupt_header_exit "$?" 1
	grep -q "corrupt.pcap: .*(record at byte $off)" "$TMP/corrupt.out" && pass corrupt_header_named \
		|| fail corrupt_header_named "$(head -c 300 "$TMP/corrupt.out")"
	has corrupt_header_status "$TMP/corrupt/report/report.md" "| partial (invalid packet capture length 2147483647, bigger than snaplen of "
	has corrupt_header_reason "$TMP/corrupt/report/report.md" "(record at byte $off)) |"
	has corrupt_header_logged "$TMP/corrupt/report/report.md" "capture.read"
	"$MC_BIN" streams -o "$TMP/corrupt-streams" "$TMP/corrupt.pcap" >"$TMP/streams.out" 2>&1
	eq corrupt_header_streams_exit "$?" 1
fi

# A case inside its own evidence folder is refused before anything is made.
mkdir -p "$TMP/evdir"
cp "$S/sample.mbox" "$TMP/evdir/"
"$MC_BIN" report -o "$TMP/evdir/case" "$TMP/evdir" >"$TMP/inside.out" 2>&1
eq case_inside_evidence_refused "$?" 2
[ ! -e "$TMP/evdir/case" ] && pass case_inside_evidence_not_made || fail case_inside_evidence_not_made "the case was created"
has case_inside_evidence_said "$TMP/inside.out" "must not lie one inside the other"

# Evidence that changes while it is processed (here: a file another program
# keeps appending to for the whole run): the exit status says so (3), the
# processing log names both digests, and the report no longer says the
# evidence was unchanged.
printf 'From: a@example.com\r\nSubject: growing\r\n\r\nfirst line\r\n' > "$TMP/grow.eml"
i=0
while [ $i -lt 100 ]; do cat "$S/sample.mbox"; i=$((i + 1)); done > "$TMP/first.mbox"
( while [ ! -e "$TMP/stop" ]; do echo "more" >> "$TMP/grow.eml"; done ) &
writer=$!
sleep 0.05
"$MC_BIN" report -o "$TMP/changed" "$TMP/first.mbox" "$TMP/grow.eml" >"$TMP/changed.out" 2>&1
rc=$?
touch "$TMP/stop"
wait $writer
eq evidence_changed_exit "$rc" 3
has evidence_changed_stderr "$TMP/changed.out" "grow.eml: evidence changed while it was processed"
has evidence_changed_logged "$TMP/changed/report/report.md" "evidence.changed"
hasnt evidence_changed_not_claimed "$TMP/changed/report/report.md" "none changed"
has evidence_changed_said "$TMP/changed/report/report.md" "did not hash the same when read again"

# The same evidence added twice at once is ingested once: the second run
# waits for the first and then finds it in the case.
if command -v sqlite3 >/dev/null 2>&1; then
	"$MC_BIN" report -o "$TMP/twice" --no-render "$S/sample.pcap" >"$TMP/twice.out" 2>&1
	"$MC_BIN" add --no-render "$TMP/twice" "$S/sample.mbox" >"$TMP/twice1.out" 2>&1 &
	p1=$!
	"$MC_BIN" add --no-render "$TMP/twice" "$S/sample.mbox" >"$TMP/twice2.out" 2>&1 &
	p2=$!
	wait $p1; wait $p2
	eq added_twice_once "$(sqlite3 "$TMP/twice/case.db" "SELECT count(*) FROM evidence WHERE path LIKE '%sample.mbox'")" 1
	want=$(sqlite3 "$TMP/twice/case.db" "SELECT count(*) FROM messages WHERE evidence_id = (SELECT id FROM evidence WHERE path LIKE '%sample.mbox')")
	"$MC_BIN" report -o "$TMP/once" --no-render "$S/sample.mbox" >/dev/null 2>&1
	eq added_twice_messages "$want" "$(sqlite3 "$TMP/once/case.db" "SELECT count(*) FROM messages")"

	# A run killed after its evidence was committed but before it was
	# hashed again (as the database is then left, with no entry in the run
	# log, which a run writes last): the next run completes it, and the
	# killed run is marked interrupted.
	"$MC_BIN" report -o "$TMP/killed" --no-render "$S/sample.mbox" >/dev/null 2>&1
	sqlite3 "$TMP/killed/case.db" "UPDATE evidence SET after_sha256 = NULL, after_match = NULL; UPDATE runs SET finished = NULL, status = NULL"
	rm "$TMP/killed/runs.log"
	"$MC_BIN" add "$TMP/killed" "$S/sample.pcap" >"$TMP/killed.out" 2>&1
	eq killed_rehashed "$(sqlite3 "$TMP/killed/case.db" "SELECT after_match FROM evidence WHERE path LIKE '%sample.mbox'")" 1
	eq killed_run_marked "$(sqlite3 "$TMP/killed/case.db" "SELECT status FROM runs ORDER BY id LIMIT 1")" -1
	has killed_logged "$TMP/killed/report/report.md" "run.interrupted"
	hasnt killed_not_unchecked "$TMP/killed/report/report.md" "not hashed again"
	check killed_verify "$MC_BIN" verify "$TMP/killed"
	has killed_run_noted "$TMP/.out" "NOTE     case-db   case.db  changed by a run that did not finish, before run 2 (add,"
	has killed_add_said "$TMP/killed.out" "was changed by 1 run that did not finish"
else
	skip concurrent "sqlite3 is not installed"
fi

# --no-render names the case, not a report that was not written.
"$MC_BIN" report -o "$TMP/norender" --no-render "$S/sample.mbox" >"$TMP/norender.out" 2>&1
has no_render_said "$TMP/norender.out" "no report rendered"
hasnt no_render_no_report_line "$TMP/norender.out" "report.html"

# A capture libpcap cannot open is an error in the case's processing log,
# not only on stderr.
printf '\324\303\262\241\002\000\004\000garbage' > "$TMP/badcap.pcap"
"$MC_BIN" report -o "$TMP/badcap" "$TMP/badcap.pcap" >"$TMP/badcap.out" 2>&1
eq unopenable_capture_exit "$?" 1
has unopenable_capture_logged "$TMP/badcap/report/report.md" "capture.open"

# Bidirectional controls never reach the report raw (a subject would read
# backwards); a NUL in a header is flagged and logged, not a silent cut.
printf 'From: a@b\r\nTo: c@d\r\nSubject: pay \342\200\256 fdp.exe\r\n\r\nbody\r\n' > "$TMP/bidi.eml"
printf 'From: a@b\r\nSubject: before\000after\r\n\r\nbody\r\n' > "$TMP/nul.eml"
"$MC_BIN" report -o "$TMP/bidi" "$TMP/bidi.eml" "$TMP/nul.eml" >"$TMP/bidi.out" 2>&1
for f in report.md report.json report.html; do
	if grep -q "$(printf '\342\200\256')" "$TMP/bidi/report/$f"; then
		fail "bidi_escaped_$f" "a raw U+202E is in $f"
	else
		pass "bidi_escaped_$f"
	fi
done
has bidi_shown "$TMP/bidi/report/report.json" 'pay \\u202E fdp.exe'
has nul_header_logged "$TMP/bidi/report/report.md" "holds a NUL byte"
if command -v sqlite3 >/dev/null 2>&1; then
	eq nul_header_flag "$(sqlite3 "$TMP/bidi/case.db" "SELECT flags FROM messages WHERE subject = 'before'")" nul-in-header
fi

# An artifact changed after it was stored is never blessed by a later
# render: SHA256SUMS lists each artifact (and its hard link under
# extracted/) with the SHA-256 the store wrote it under, so sha256sum -c
# and verify name the changed file.
"$MC_BIN" report -o "$TMP/tamper" "$S/sample.mbox" >"$TMP/tamper.out" 2>&1
art=$(find "$TMP/tamper/artifacts" -type f | sort | head -1)
sha=$(basename "$art")
chmod u+w "$art" 2>/dev/null
printf 'changed' >> "$art"
"$MC_BIN" render "$TMP/tamper" >"$TMP/tamper-render.out" 2>&1
has tampered_artifact_listed_as_stored "$TMP/tamper/report/SHA256SUMS" "$sha  ../artifacts/"
if command -v sha256sum >/dev/null 2>&1; then
	(cd "$TMP/tamper/report" && sha256sum -c --quiet SHA256SUMS) >"$TMP/tamper-sums.out" 2>&1
	[ $? -ne 0 ] && grep -q "$sha: FAILED" "$TMP/tamper-sums.out" && pass tampered_artifact_sha256sum_fails \
		|| fail tampered_artifact_sha256sum_fails "$(head -c 300 "$TMP/tamper-sums.out")"
fi
"$MC_BIN" verify "$TMP/tamper" >"$TMP/tamper-verify.out" 2>&1
rc=$?
[ $rc -ne 0 ] && grep -q "$sha" "$TMP/tamper-verify.out" && pass tampered_artifact_verify_names \
	|| fail tampered_artifact_verify_names "exit $rc: $(grep -v '^OK' "$TMP/tamper-verify.out" | head -c 300)"
