#!/bin/sh
# The processing log of a Korean report is in Korean, sentence and position,
# in Markdown, HTML, JSON and CSV alike, from the format and arguments the
# case database keeps (schema 12); the English report of the same evidence
# keeps the English sentences; an entry without a wording, and every entry
# of a case made before schema 12, shows its English sentence.
. tests/cli/lib.sh
: "${B:=.}"
G="$B/tests/tools/genhostile"
S=cases/sample
if [ ! -x "$G" ] || ! command -v sqlite3 >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	skip all "tests/tools/genhostile, sqlite3 or jq is missing"
	exit 0
fi
q() { sqlite3 "$TMP/$1/case.db" "$2" 2>/dev/null; }

# a capture cut off mid-record, a part with a byte outside base64, and a
# session past its ceiling of recipients
head -c "$(( $(wc -c < "$S/sample.pcap") - 20 ))" "$S/sample.pcap" > "$TMP/cut.pcap"
printf 'From: a@b\nSubject: b64\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=Q\n\n--Q\nContent-Type: application/octet-stream; name=a.bin\nContent-Transfer-Encoding: base64\n\naGVs*bG8=\n--Q--\n' > "$TMP/b64.eml"
"$G" rcpt "$TMP/rcpt.pcap" 50
"$MC_BIN" report --lang ko --limit smtp-recipients=10 -o "$TMP/ko" "$TMP/cut.pcap" "$TMP/b64.eml" \
	"$TMP/rcpt.pcap" > "$TMP/ko.out" 2>&1
eq ko_exit "$?" 1
"$MC_BIN" report --limit smtp-recipients=10 -o "$TMP/en" "$TMP/cut.pcap" "$TMP/b64.eml" \
	"$TMP/rcpt.pcap" > "$TMP/en.out" 2>&1
eq en_exit "$?" 1

K=$TMP/ko/report
trunc='프레임 55 뒤, 바이트 11580에서 읽기가 멈췄습니다(truncated dump file; tried to read 54 captured bytes, only got 34). 그 앞의 프레임 55개는 보존했습니다.'
rcpt='세션이 수신자 한도 10명(smtp-recipients)을 넘습니다. 이후 RCPT TO 주소는 개수만 세고 보존하지 않았습니다.'
b64='손상된 base64입니다(base64 문자가 아닌 바이트, 파트 본문의 바이트 4). 가능한 곳까지 디코딩했습니다.'
has md_truncated "$K/report.md" "| 1 | 오류 | 캡처가 레코드 중간에서 잘림 (capture.truncated) | cut.pcap | 오프셋 11580 | $trunc |"
has md_ceiling "$K/report.md" "| 2 | 경고 | 세션당 수신자 한도 초과 (smtp.recipients\\_ceiling) | cut.pcap | 프레임 9, 클라이언트 방향 스트림 오프셋 338 (흐름 10.0.0.1:40000 -> 192.0.2.25:25) | $rcpt |"
has md_base64 "$K/report.md" "| 3 | 경고 | 손상된 base64 (mime.base64) | b64.eml | 메시지 1 (오프셋 0), 파트 1 | $b64 |"
has html_truncated "$K/report.html" "<td>$trunc</td>"
has html_position "$K/report.html" "<td>메시지 1 (오프셋 0), 파트 1</td>"
has html_base64 "$K/report.html" "<td>$b64</td>"
eq json_base64 "$(jq -r '.log[] | select(.code == "mime.base64") | .message' "$K/report.json")" "$b64"
eq json_base64_en "$(jq -r '.log[] | select(.code == "mime.base64") | .message_en' "$K/report.json")" \
	"broken base64 (a byte outside the base64 alphabet, at byte 4 of the part's body); decoded as far as possible"
eq json_position_en "$(jq -r '.log[] | select(.code == "mime.base64") | .position_en' "$K/report.json")" \
	"message 1 (offset 0), part 1"
eq json_ceiling "$(jq -r '.log[] | select(.code == "smtp.recipients_ceiling") | .message' "$K/report.json")" "$rcpt"
has csv_truncated "$K/log.csv" "1,오류,capture.truncated,캡처가 레코드 중간에서 잘림,cut.pcap,오프셋 11580,\"$trunc\""
# no English sentence is left in the Korean log
eq json_all_worded "$(jq '[.log[] | select(has("message_en") | not)] | length' "$K/report.json")" 0

# a hole in a TCP stream: the flow label worded as a position
"$G" gaps "$TMP/gaps.pcap" 200 10
"$MC_BIN" report --lang ko -o "$TMP/gaps" "$TMP/gaps.pcap" > "$TMP/gaps.out" 2>&1
has md_gap "$TMP/gaps/report/report.md" "| 경고 | 캡처에서 빠진 바이트 (tcp.gap) | gaps.pcap | 프레임 23 | 흐름 1 (10.0.0.1:40000 -> 192.0.2.25:25): 스트림 오프셋 208(시퀀스 오프셋 208) 앞의 1바이트가 캡처되지 않았습니다. 스트림은 누락 구간 뒤로 이어집니다. |"
has md_gaps_counted "$TMP/gaps/report/report.md" "| 흐름 1 (10.0.0.1:40000 -> 192.0.2.25:25): 모두 20개의 누락 구간(20바이트)이 캡처되지 않았습니다. 처음 3개만 목록에 적었습니다. |"

# the database keeps the format and its arguments
eq db_format "$(q ko "SELECT format FROM log WHERE code = 'mime.base64'")" \
	"broken base64 (%s, at byte %zu of the part's body); decoded as far as possible"
eq db_args "$(q ko "SELECT args FROM log WHERE code = 'mime.base64'")" \
	'["a byte outside the base64 alphabet","4"]'
eq db_version "$(q ko 'PRAGMA user_version')" 12

# the English report: the sentences as they were, no _en keys
E=$TMP/en/report
has en_md_base64 "$E/report.md" "| 3 | warning | broken base64 (mime.base64) | b64.eml | message 1 (offset 0), part 1 | broken base64 (a byte outside the base64 alphabet, at byte 4 of the part's body); decoded as far as possible |"
has en_md_truncated "$E/report.md" "| offset 11580 | reading stopped at byte 11580, after frame 55: truncated dump file; tried to read 54 captured bytes, only got 34; the 55 frames before are kept |"
eq en_json_no_en_keys "$(jq '[.log[] | select(has("message_en") or has("position_en"))] | length' "$E/report.json")" 0

# an entry whose format has no wording: its English sentence, never an empty cell
cp -r "$TMP/ko" "$TMP/nf"
sqlite3 "$TMP/nf/case.db" "UPDATE log SET format = 'a format no stage writes: %s' WHERE code = 'mime.base64'"
"$MC_BIN" render "$TMP/nf" > "$TMP/nf.out" 2>&1
has fallback_english "$TMP/nf/report/report.md" "| 메시지 1 (오프셋 0), 파트 1 | broken base64 (a byte outside the base64 alphabet, at byte 4 of the part's body); decoded as far as possible |"
has fallback_others_worded "$TMP/nf/report/report.md" "$rcpt"

# a case of schema 11: opened, brought to 12 by the render that writes it,
# its entries shown with their English sentences (positions worded)
cp -r "$TMP/en" "$TMP/old"
sqlite3 "$TMP/old/case.db" "ALTER TABLE log DROP COLUMN format; ALTER TABLE log DROP COLUMN args;
	PRAGMA user_version = 11; UPDATE meta SET value = '11' WHERE key = 'schema_version';"
eq old_is_11 "$(q old 'PRAGMA user_version')" 11
"$MC_BIN" render --lang ko "$TMP/old" > "$TMP/old.out" 2>&1
eq old_render_exit "$?" 0
eq old_now_12 "$(q old 'PRAGMA user_version')/$(q old "SELECT value FROM meta WHERE key = 'schema_version'")" 12/12
eq old_formats_null "$(q old 'SELECT count(*) FROM log WHERE format IS NOT NULL OR args IS NOT NULL')" 0
eq old_runlog_says "$(tail -1 "$TMP/old/runs.log" | jq -r .schema_migrated_from)" 11
O=$(ls -d "$TMP"/old/report-ko 2>/dev/null || echo "$TMP/old/report")
has old_english_sentence "$O/report.md" "| 3 | 경고 | 손상된 base64 (mime.base64) | b64.eml | 메시지 1 (오프셋 0), 파트 1 | broken base64 (a byte outside the base64 alphabet, at byte 4 of the part's body); decoded as far as possible |"
# verify reads an old case without changing it
cp -r "$TMP/en" "$TMP/old2"
sqlite3 "$TMP/old2/case.db" "ALTER TABLE log DROP COLUMN format; ALTER TABLE log DROP COLUMN args;
	PRAGMA user_version = 11; UPDATE meta SET value = '11' WHERE key = 'schema_version';"
"$MC_BIN" verify "$TMP/old2" > "$TMP/old2.out" 2>&1
eq old_verify_leaves_11 "$(q old2 'PRAGMA user_version')" 11
hasnt old_verify_opens "$TMP/old2.out" "schema version"
