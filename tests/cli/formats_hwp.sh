#!/bin/sh
# Hangul documents end to end: every fact ../shared/corpus/formats/README.md
# gives for testHWP_5.0.hwp, hwpx-sample.hwpx and hwpx-changetrack.hwpx is
# found in the report (report.json) or the case database of
# `mailcase report FILE -o CASE`, in both languages; the evidence table
# names the Hangul kind; and an .hwpx and an .hwp attached to a message are
# unpacked like the same files given directly.
. tests/cli/lib.sh
need_corpus_and_jq
if ! command -v sqlite3 >/dev/null 2>&1; then skip all "sqlite3 is not installed"; exit 0; fi
F=$CORPUS/formats
for f in testHWP_5.0.hwp hwpx-sample.hwpx hwpx-changetrack.hwpx; do
	[ -f "$F/$f" ] || { skip all "$F/$f is absent"; exit 0; }
done

# report FILE NAME [LANG]: a case of one evidence file in $TMP/NAME
report() {
	"$MC_BIN" report -o "$TMP/$2" ${3:+--lang "$3"} "$1" >"$TMP/$2.out" 2>&1 ||
		fail "$2:report" "$(head -c 300 "$TMP/$2.out")"
}
# doc CASE JQ: a field of the case's first document
doc() { jq -r ".documents[0] | $2" "$TMP/$1/report/report.json"; }

report "$F/testHWP_5.0.hwp" hwp
eq hwp:kind "$(doc hwp .kind)" hwp
eq hwp:title "$(doc hwp .title)" "테스트"
eq hwp:author "$(doc hwp .creator)" next1009
eq hwp:text_korean "$(doc hwp '.text | contains("테스트")')" true
eq hwp:text_latin "$(doc hwp '.text | contains("test")')" true
eq hwp:evidence "$(jq -r '.evidence[0] | .type + " / " + .detail' "$TMP/hwp/report/report.json")" \
	"ole / OLE compound file, HWP 5 document"
has hwp:md_kind "$TMP/hwp/report/report.md" "hwp (Hangul HWP 5)"
eq hwp:db "$(sqlite3 "$TMP/hwp/case.db" "SELECT kind || '|' || title || '|' || creator FROM documents")" \
	"hwp|테스트|next1009"

report "$F/hwpx-sample.hwpx" sample
eq sample:kind "$(doc sample .kind)" hwpx
eq sample:title "$(doc sample .title)" "100문제 뽀개기"
eq sample:creator "$(doc sample .creator)" kimseungju
eq sample:last_saved_by "$(doc sample .last_modified_by)" kimseungju
eq sample:created "$(doc sample .created)" 2025-05-05T13:36:32Z
eq sample:modified "$(doc sample .modified)" 2025-07-23T21:56:08Z
eq sample:text_begins "$(doc sample '.text | startswith("고등내신 대비 영어문법 100제(1) 테스트")')" true
eq sample:image "$(doc sample '.files[] | select(.part == "BinData/image1.png") | .kind + " " + .md5 + " " + (.size | tostring)')" \
	"image b29eb0bf2c2c7e233b6dc3cb4ba29906 40359"
eq sample:evidence "$(jq -r '.evidence[0].detail' "$TMP/sample/report/report.json")" "zip archive, HWPX document"
eq sample:timeline "$(jq -r '[.timeline[] | select(.kind == "doc-created" or .kind == "doc-modified") | .time] | join(" ")' "$TMP/sample/report/report.json")" \
	"2025-05-05T13:36:32Z 2025-07-23T21:56:08Z"
# the extracted image is the artifact, byte for byte
art=$(sqlite3 "$TMP/sample/case.db" "SELECT sha256 FROM doc_items WHERE part = 'BinData/image1.png'")
eq sample:artifact_md5 "$(md5sum "$TMP/sample/artifacts/$(echo "$art" | cut -c1-2)/$art" | cut -d' ' -f1)" \
	b29eb0bf2c2c7e233b6dc3cb4ba29906

report "$F/hwpx-changetrack.hwpx" track
eq track:title_begins "$(doc track '.title | startswith("변경 추적")')" true
eq track:creator "$(doc track .creator)" fff
eq track:created "$(doc track .created)" 2023-02-07T10:20:23Z
eq track:modified "$(doc track .modified)" 2023-02-07T12:36:22Z
eq track:changes "$(doc track '[.items[] | select(.kind == "insertion" or .kind == "deletion") | .kind + "|" + .author + "|" + .date + "|" + .text] | sort | join(" ")')" \
	"deletion|fff|2023-02-07T10:21:00Z|추적 insertion|fff|2023-02-07T10:21:00Z|인간은"
has track:md_inserted "$TMP/track/report/report.md" "| Inserted text | fff | 2023-02-07T10:21:00Z | 인간은 |"
has track:md_deleted "$TMP/track/report/report.md" "| Deleted text | fff | 2023-02-07T10:21:00Z | 추적 |"

# the same in Korean
report "$F/hwpx-changetrack.hwpx" track_ko ko
has track_ko:kind "$TMP/track_ko/report/report.md" "hwpx (한글 HWPX)"
has track_ko:inserted "$TMP/track_ko/report/report.md" "| fff | 2023-02-07T10:21:00Z | 인간은 |"

# attached to a message: both documents are unpacked from the attachment
{
	printf 'From: a@example.kr\r\nTo: b@example.kr\r\nSubject: hwp attached\r\n'
	printf 'Date: Tue, 7 Feb 2023 19:30:00 +0900\r\nMIME-Version: 1.0\r\n'
	printf 'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\n'
	printf 'Content-Type: text/plain; charset=utf-8\r\n\r\nsee attached\r\n--b1\r\n'
	printf 'Content-Type: application/octet-stream; name="track.hwpx"\r\n'
	printf 'Content-Disposition: attachment; filename="track.hwpx"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
	base64 "$F/hwpx-changetrack.hwpx" | sed 's/$/\r/'
	printf -- '--b1\r\nContent-Type: application/x-hwp; name="test.hwp"\r\n'
	printf 'Content-Disposition: attachment; filename="test.hwp"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
	base64 "$F/testHWP_5.0.hwp" | sed 's/$/\r/'
	printf -- '--b1--\r\n'
} > "$TMP/attached.eml"
report "$TMP/attached.eml" mail
J=$TMP/mail/report/report.json
eq mail:documents "$(jq -r '[.documents[] | .name + "=" + .kind] | sort | join(" ")' "$J")" "test.hwp=hwp track.hwpx=hwpx"
eq mail:hwpx_title "$(jq -r '.documents[] | select(.kind == "hwpx") | .title' "$J")" "변경 추적 인간은"
eq mail:hwp_author "$(jq -r '.documents[] | select(.kind == "hwp") | .creator' "$J")" next1009
eq mail:changes "$(sqlite3 "$TMP/mail/case.db" "SELECT count(*) FROM doc_items WHERE kind IN ('insertion', 'deletion') AND author = 'fff' AND date = '2023-02-07T10:21:00Z'")" 2
eq mail:evidence "$(jq -r '.evidence[0].type' "$J")" eml
