# One date parser (issue: "one message gets two dates"): a message's Date is
# one UTC instant in the messages table, its route, the timeline and the
# report, for every zone name mail carries; an unknown zone is flagged.
. tests/cli/lib.sh
if ! command -v sqlite3 >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	skip all "sqlite3 or jq is not installed"; exit 0
fi
# zone  Date header                              its instant, UTC
cat > "$TMP/dates.txt" <<'T'
KST Tue, 1 Jul 2003 10:52:37 KST 2003-07-01T01:52:37Z
JST Tue, 1 Jul 2003 10:52:37 JST 2003-07-01T01:52:37Z
CET Tue, 1 Jul 2003 10:52:37 CET 2003-07-01T09:52:37Z
CEST Tue, 1 Jul 2003 10:52:37 CEST 2003-07-01T08:52:37Z
BST Tue, 1 Jul 2003 10:52:37 BST 2003-07-01T09:52:37Z
IST Tue, 1 Jul 2003 10:52:37 IST 2003-07-01T05:22:37Z
HKT Tue, 1 Jul 2003 10:52:37 HKT 2003-07-01T02:52:37Z
SGT Tue, 1 Jul 2003 10:52:37 SGT 2003-07-01T02:52:37Z
EDT Tue, 1 Jul 2003 10:52:37 EDT 2003-07-01T14:52:37Z
PST Tue, 1 Jul 2003 10:52:37 PST 2003-07-01T18:52:37Z
UT Tue, 1 Jul 2003 10:52:37 UT 2003-07-01T10:52:37Z
two-digit-year Tue, 1 Jul 03 10:52 +0900 2003-07-01T01:52:00Z
fraction Tue, 1 Jul 2003 10:52:37.5 +0900 2003-07-01T01:52:37.500000Z
T
i=0
while read -r name rest; do
	i=$((i + 1))
	want=${rest##* }
	date=${rest% *}
	printf 'From: a@example.kr\r\nTo: b@example.com\r\nSubject: %s\r\nDate: %s\r\nReceived: from x (x [198.51.100.1]) by mx.example.com with SMTP; %s\r\n\r\nbody\r\n' \
	    "$name" "$date" "$date" > "$TMP/m$i.eml"
done < "$TMP/dates.txt"
"$MC_BIN" report -o "$TMP/case" "$TMP"/m*.eml >"$TMP/out" 2>&1 || { fail report "$(head -c 300 "$TMP/out")"; exit 0; }
J=$TMP/case/report/report.json
while read -r name rest; do
	want=${rest##* }
	msg=$(jq -r --arg s "$name" '.messages[] | select(.subject == $s) | .date_utc // .date' "$J")
	route=$(jq -r --arg s "$name" '.messages[] | select(.subject == $s) | .route.date' "$J")
	line=$(jq -r --arg s "$name" '[.timeline[] | select(.kind == "date" and (.text | endswith(": " + $s)))][0].time' "$J")
	db=$(sqlite3 "$TMP/case/case.db" "SELECT m.date_us = r.date_us FROM messages m JOIN routes r ON r.message_id = m.id WHERE m.subject = '$name'")
	eq "$name:message" "$msg" "$want"
	eq "$name:route" "$route" "$want"
	eq "$name:timeline" "$line" "$want"
	eq "$name:database" "$db" 1
done < "$TMP/dates.txt"

# An unknown zone name is flagged and logged, not silently read as UTC.
printf 'From: a@example.kr\r\nSubject: unknown\r\nDate: Tue, 1 Jul 2003 10:52:37 XYZ\r\n\r\nbody\r\n' > "$TMP/u.eml"
"$MC_BIN" report -o "$TMP/ucase" "$TMP/u.eml" >"$TMP/uout" 2>&1
eq unknown_zone_flag "$(sqlite3 "$TMP/ucase/case.db" "SELECT flags FROM messages")" date-zone-unknown
has unknown_zone_logged "$TMP/ucase/report/report.md" "time zone that is not known (XYZ)"
