#!/bin/sh
# The foundation as a user meets it: report, verify, add, render, errors.
. tests/cli/lib.sh
S=cases/sample
C=$TMP/case

"$MC_BIN" report -o "$C" --title "T1" --case-number "N-1" --examiner "Kim" \
	"$S/sample.pcap" "$S/sample.mbox" >"$TMP/report.out" 2>&1
rc=$?
[ $rc -eq 0 ] && pass report_exit || fail report_exit "exit $rc: $(head -c 300 "$TMP/report.out")"
for f in case.db report/report.md report/report.html report/report.json report/SHA256SUMS; do
	[ -s "$C/$f" ] && pass "writes_$f" || fail "writes_$f" "missing"
done
sha=$(sha256sum "$S/sample.pcap" | cut -d' ' -f1)
md5=$(md5sum "$S/sample.pcap" | cut -d' ' -f1)
sha1=$(sha1sum "$S/sample.pcap" | cut -d' ' -f1)
has report_sha256 "$C/report/report.md" "$sha"
has report_md5 "$C/report/report.md" "$md5"
has report_sha1 "$C/report/report.md" "$sha1"
has cover_case_number "$C/report/report.md" "N-1"
( cd "$C/report" && sha256sum -c --quiet SHA256SUMS ) >"$TMP/sums.out" 2>&1 \
	&& pass sha256sums_check || fail sha256sums_check "$(head -c 300 "$TMP/sums.out")"
check verify_clean "$MC_BIN" verify "$C"

# One changed byte in a report file: verify fails and names the file.
cp -R "$C" "$TMP/tampered"
printf 'X' | dd of="$TMP/tampered/report/report.md" bs=1 seek=10 conv=notrunc 2>/dev/null
"$MC_BIN" verify "$TMP/tampered" >"$TMP/verify.out" 2>&1
rc=$?
[ $rc -eq 3 ] && pass verify_tampered_exit || fail verify_tampered_exit "exit $rc"
grep -q '^CHANGED.*report/report.md' "$TMP/verify.out" && pass verify_names_file \
	|| fail verify_names_file "$(cat "$TMP/verify.out" | head -5)"

# An existing case is never overwritten.
"$MC_BIN" report -o "$C" "$S/sample.mbox" >"$TMP/exists.out" 2>&1
rc=$?
[ $rc -eq 4 ] && pass refuses_existing_case || fail refuses_existing_case "exit $rc"
check existing_case_intact "$MC_BIN" verify "$C"

# A missing evidence file: one line naming it, non-zero exit, the rest processed.
"$MC_BIN" report -o "$TMP/missing" "$TMP/no-such.pcap" "$S/sample.mbox" >"$TMP/missing.out" 2>&1
rc=$?
[ $rc -eq 1 ] && pass missing_exit_1 || fail missing_exit_1 "exit $rc"
[ "$(grep -c 'no-such.pcap' "$TMP/missing.out")" -eq 1 ] && pass missing_named_once \
	|| fail missing_named_once "$(cat "$TMP/missing.out")"
has missing_rest_processed "$TMP/missing/report/report.md" "$(sha256sum "$S/sample.mbox" | cut -d' ' -f1)"

# add: evidence already in the case (by SHA-256) is not ingested twice.
"$MC_BIN" add "$C" "$S/sample.mbox" >"$TMP/add.out" 2>&1
n=$(sqlite3 "$C/case.db" "SELECT count(*) FROM evidence" 2>/dev/null || echo "?")
[ "$n" = 2 ] && pass add_skips_duplicate || fail add_skips_duplicate "evidence rows: $n"
has add_says_why "$TMP/add.out" "already in the case"

# Byte-identical reports with SOURCE_DATE_EPOCH.
"$MC_BIN" report -o "$TMP/r1" "$S/sample.pcap" "$S/sample.mbox" >/dev/null 2>&1
"$MC_BIN" report -o "$TMP/r2" "$S/sample.pcap" "$S/sample.mbox" >/dev/null 2>&1
for f in report.md report.json report.html; do
	sed "s|$TMP/r[12]|CASE|g" "$TMP/r1/report/$f" > "$TMP/a"
	sed "s|$TMP/r[12]|CASE|g" "$TMP/r2/report/$f" > "$TMP/b"
	cmp -s "$TMP/a" "$TMP/b" && pass "reproducible_$f" || fail "reproducible_$f" "differs"
done

# render in Korean from the database alone.
check render_ko "$MC_BIN" render --lang ko "$C"
has render_ko_title "$C/report-ko/report.md" "증거"

# The worked example, when the corpus is here.
if [ -n "$CORPUS" ]; then
	E=$CORPUS/evidence02.pcap
	"$MC_BIN" report -o "$TMP/ev2" "$E" >"$TMP/ev2.out" 2>&1
	has ev2_md5 "$TMP/ev2/report/report.md" cfac149a49175ac8e89d5b5b5d69bad3
	has ev2_sha1 "$TMP/ev2/report/report.md" cc649705cef9f42fd2ecd6f5b949d5b7c4901c3d
	has ev2_sha256 "$TMP/ev2/report/report.md" 290f495df4d30038e0db638ac9a0ee24afd9c708acbf1bd86bec9f0c45fc061c
	check ev2_verify "$MC_BIN" verify "$TMP/ev2"
else
	skip ev2 "corpus not present"
fi

# A capture cut off in the middle of a record: what was read is kept and
# reported, stderr names the file and the byte, and the exit status is 1.
head -c "$(( $(wc -c < "$S/sample.pcap") - 20 ))" "$S/sample.pcap" > "$TMP/cut.pcap"
"$MC_BIN" report -o "$TMP/cut" "$TMP/cut.pcap" "$S/sample.mbox" >"$TMP/cut.out" 2>&1
rc=$?
[ $rc -eq 1 ] && pass truncated_exit_1 || fail truncated_exit_1 "exit $rc"
grep -q "cut.pcap: .*(record at byte [0-9]*)" "$TMP/cut.out" && pass truncated_named \
	|| fail truncated_named "$(cat "$TMP/cut.out")"
grep -q "warnings\? and [0-9]* errors\? in the processing log" "$TMP/cut.out" && pass log_summary_line \
	|| fail log_summary_line "$(cat "$TMP/cut.out")"
has truncated_logged "$TMP/cut/report/report.md" "capture.truncated"
has truncated_status "$TMP/cut/report/report.md" "| partial (truncated dump file; tried to read 54 captured bytes, only got 34 (record at byte 11580)) |"
check truncated_verify "$MC_BIN" verify "$TMP/cut"

# Ceiling options reach the stages: a 512-byte message ceiling is hit by the
# sample mailbox's larger message and logged; a bad value is refused.
"$MC_BIN" report -o "$TMP/capped" --max-message-bytes 512 "$S/sample.mbox" >"$TMP/capped.out" 2>&1
rc=$?
[ $rc -eq 0 ] && pass ceiling_run || fail ceiling_run "exit $rc: $(head -c 300 "$TMP/capped.out")"
has ceiling_logged "$TMP/capped/report/report.md" "| message size ceiling reached (cap.message\\_bytes) | sample.mbox | message 2 (offset 663) |"
"$MC_BIN" report -o "$TMP/badcap" --max-mime-parts 0 "$S/sample.mbox" >"$TMP/badcap.out" 2>&1
rc=$?
[ $rc -eq 2 ] && pass ceiling_refused || fail ceiling_refused "exit $rc"
has ceiling_refused_says "$TMP/badcap.out" "--max-mime-parts 0: takes a positive number"
[ ! -e "$TMP/badcap" ] && pass ceiling_refused_no_case || fail ceiling_refused_no_case "a case was made"
"$MC_BIN" add --output "$TMP/x" "$TMP/case" "$S/sample.mbox" >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && pass add_refuses_output || fail add_refuses_output "exit $rc"
