#!/bin/sh
# TNEF (winmail.dat, src/mailstore/tnef.c): a stream the test writes itself
# (tests/cli/mktnef.py) read as evidence and as the attachment of a message,
# with exact fields (class, subject, sender, MAPI times, bodies, attachment
# hashes, the docx through the office pipeline, an attached message with its
# own store row); hostile copies (cut, a length that lies, a bad checksum, a
# property list that lies, an RTF header that lies) give a logged partial,
# nothing on stdout but mailcase's own line; then the facts of the corpus's
# testWINMAIL.dat (skipped when ../shared/corpus is absent).
. tests/cli/lib.sh
: "${B:=.}"
if ! command -v jq >/dev/null 2>&1; then skip all "jq is not installed"; exit 0; fi
if ! command -v sqlite3 >/dev/null 2>&1; then skip all "sqlite3 is not installed"; exit 0; fi
if ! command -v python3 >/dev/null 2>&1; then skip all "python3 is not installed"; exit 0; fi

run() { "$MC_BIN" report -o "$TMP/$1" "$2" >"$TMP/$1.out" 2>"$TMP/$1.err"; rc=$?; J=$TMP/$1/report/report.json; D=$TMP/$1/case.db; }
q() { jq -r "$1" "$J"; }
s() { sqlite3 "$D" "$1"; }
sha() { sha256sum | cut -c1-64; }

"$B/tests/tools/mkdocx" "$TMP/plan.docx" "Budget plan for the third quarter" || fail mkdocx "mkdocx failed"
for v in good truncated lying checksum props rtf twice; do
	python3 tests/cli/mktnef.py "$TMP/$v.dat" "$TMP/plan.docx" "$v" || fail "mktnef_$v" "mktnef.py failed"
done
docx_sha=$(sha < "$TMP/plan.docx")
notes_sha=$(printf 'agenda: budget, hiring\n' | sha)
rtf_sha=$(printf '%s' '{\rtf1\ansi\deff0 {\fonttbl{\f0 Arial;}}\f0 Quarterly figures attached.\par}' | sha)

# ---- the written stream as evidence ----
run good "$TMP/good.dat"
eq good_exit "$rc" 0
eq good_stdout "$(cat "$TMP/good.out")" "report: $TMP/good/report/report.html"
eq good_type "$(q '.evidence[0].type')" tnef
eq good_detail "$(q '.evidence[0].detail')" "TNEF stream (winmail.dat)"
M='.messages[] | select(.nested | not)'
eq good_subject "$(q "$M | .subject")" "Quarterly 보고서 / Q3"
eq good_from "$(q "$M | .from")" "Kim Minsu <minsu@example.kr>"
eq good_source "$(q "$M | .source")" tnef
eq good_class "$(q "$M | .store.message_class")" IPM.Note
eq good_submit "$(q "$M | .store.submit")" "2021-03-04T05:06:07Z"
eq good_delivery "$(q "$M | .store.delivery")" "2021-03-04T05:06:09Z"
eq good_date "$(q "$M | .date")" "2021-03-04T05:06:07Z"
eq good_sender_type "$(q "$M | .store.addresses[] | select(.role == \"sender\") | .type")" SMTP
eq good_body "$(q "$M | [.body_lines[].line] | join(\"\n\")")" "Please see the plan."
eq good_parts "$(q "$M | [.parts[] | .name // \"-\"] | join(\",\")")" "-,-,message.rtf,회의 notes.txt,plan.docx,inner message"
eq good_rtf_sha "$(q "$M | .parts[] | select(.name == \"message.rtf\") | .sha256")" "$rtf_sha"
eq good_notes_sha "$(q "$M | .parts[] | select(.name == \"회의 notes.txt\") | .sha256")" "$notes_sha"
eq good_notes_type "$(q "$M | .parts[] | select(.name == \"회의 notes.txt\") | .type")" text/plain
eq good_docx_sha "$(q "$M | .parts[] | select(.name == \"plan.docx\") | .sha256")" "$docx_sha"
eq good_docx_text "$(q '.documents[] | select(.name == "plan.docx") | .text')" "Budget plan for the third quarter"
# the attached message (method 5, a TNEF stream of its own) and its row
N='.messages[] | select(.nested)'
eq good_inner_subject "$(q "$N | .subject")" "inner message"
eq good_inner_att "$(q "$N | [.parts[] | select(.name == \"inner.txt\") | .sha256] | .[0]")" \
	"$(printf 'inner attachment text\n' | sha)"
eq good_inner_store "$(s "SELECT store || '|' || message_class || '|' || part FROM store_items s JOIN messages m ON m.id = s.message_id WHERE m.parent_id IS NOT NULL")" "tnef|IPM.Note|5"
eq good_inner_prov "$(q "$N | .provenance")" "good.dat tnef file, attached as part 5"
eq good_read_log "$(s "SELECT message FROM log WHERE code = 'tnef.read'")" \
	"2 attached files, 1 attached messages; RTF body inflated and kept; plain body present"

# ---- the stream as the attachment of a message ----
{
	printf 'From: Ann <ann@example.org>\nTo: bo@example.org\nSubject: fwd: plan\nMessage-ID: <t1@example.org>\n'
	printf 'Date: Mon, 1 Jun 2020 10:00:00 +0000\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n'
	printf -- '--B\nContent-Type: text/plain\n\nsee attached\n--B\nContent-Type: application/ms-tnef; name=winmail.dat\n'
	printf 'Content-Transfer-Encoding: base64\n\n'
	base64 "$TMP/good.dat"
	printf -- '--B--\n'
} > "$TMP/outer.eml"
run outer "$TMP/outer.eml"
eq outer_exit "$rc" 0
eq outer_top "$(q '.messages[] | select(.nested | not) | .subject')" "fwd: plan"
eq outer_tnef_msg "$(s "SELECT m.subject || '|' || s.store || '|' || s.part FROM messages m JOIN store_items s ON s.message_id = m.id WHERE m.parent_id = (SELECT id FROM messages WHERE parent_id IS NULL)")" \
	"Quarterly 보고서 / Q3|tnef|2"
eq outer_tnef_prov "$(q '.messages[] | select(.subject == "Quarterly 보고서 / Q3") | .provenance')" \
	"outer.eml tnef file, attached as part 2"
eq outer_docx_sha "$(s "SELECT count(*) FROM artifacts WHERE sha256 = '$docx_sha'")" 1
eq outer_docx_text "$(q '.documents[] | select(.name == "plan.docx") | .text')" "Budget plan for the third quarter"
eq outer_flag "$(s "SELECT flags FROM messages WHERE parent_id IS NULL")" tnef
eq outer_messages "$(s "SELECT count(*) FROM messages")" 3
# a winmail.dat part without the signature: kept as a file, logged
printf 'From: a@example.org\nSubject: fake\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: application/octet-stream; name=winmail.dat\n\nnot tnef at all\n--B--\n' > "$TMP/fake.eml"
run fake "$TMP/fake.eml"
eq fake_exit "$rc" 0
eq fake_logged "$(s "SELECT count(*) FROM log WHERE code = 'tnef.unreadable' AND level = 'warning'")" 1
eq fake_messages "$(s "SELECT count(*) FROM messages")" 1

# ---- hostile streams: a logged partial, what precedes the damage kept ----
for v in truncated lying checksum props rtf twice; do
	run "$v" "$TMP/$v.dat"
	eq "${v}_exit" "$rc" 1
	eq "${v}_status" "$(s "SELECT status FROM evidence")" partial
	eq "${v}_stdout" "$(cat "$TMP/$v.out")" "report (not all evidence could be read in full; see the processing log): $TMP/$v/report/report.html"
done
run truncated "$TMP/truncated.dat"
eq truncated_subject "$(q '.messages[0].subject')" "Quarterly 보고서 / Q3"
eq truncated_notes "$(q ".messages[0].parts[] | select(.name == \"회의 notes.txt\") | .sha256")" "$notes_sha"
docx_len=$(wc -c < "$TMP/plan.docx")
eq truncated_logged "$(s "SELECT code || ': ' || message FROM log WHERE level = 'warning'")" \
	"tnef.truncated: attribute 10 (0x0006800F) at offset 604 declares $docx_len bytes; only $((docx_len / 2)) follow: the rest of the stream is not read"
run lying "$TMP/lying.dat"
eq lying_logged "$(s "SELECT count(*) FROM log WHERE code = 'tnef.truncated' AND message LIKE '%declares 1000000 bytes%'")" 1
eq lying_subject "$(q '.messages[0].subject')" "Quarterly 보고서 / Q3"
run checksum "$TMP/checksum.dat"
eq checksum_logged "$(s "SELECT count(*) FROM log WHERE code = 'tnef.checksum'")" 1
eq checksum_docx "$(q ".messages[0].parts[] | select(.name == \"plan.docx\") | .sha256")" "$docx_sha"
eq checksum_notes_empty "$(q ".messages[0].parts[] | select(.name == \"회의 notes.txt\") | .size")" 0
run props "$TMP/props.dat"
eq props_logged "$(s "SELECT count(*) FROM log WHERE code = 'tnef.attribute'")" 1
eq props_docx "$(q ".messages[0].parts[] | select(.name == \"plan.docx\") | .sha256")" "$docx_sha"
eq props_class "$(q '.messages[0].store.message_class')" IPM.Note
run rtf "$TMP/rtf.dat"
eq rtf_logged "$(s "SELECT count(*) FROM log WHERE code = 'tnef.rtf'")" 1
eq rtf_kept "$(q ".messages[0].parts[] | select(.name == \"message.rtf\") | .sha256")" "$rtf_sha"
run twice "$TMP/twice.dat"
eq twice_logged "$(s "SELECT message FROM log WHERE code = 'tnef.attribute'")" \
	"attribute 11 (0x0006800F) at offset $((604 + 11 + docx_len)): the same attribute again for the same attachment; not read"
eq twice_docx "$(q ".messages[0].parts[] | select(.name == \"plan.docx\") | .sha256")" "$docx_sha"
# every prefix of the stream: never a crash, never a word on stdout but mailcase's
n=0; bad=
for cut in 3 6 7 20 80 400 700 900 1200; do
	head -c "$cut" "$TMP/good.dat" > "$TMP/cut$cut.dat"
	"$MC_BIN" report -o "$TMP/cut$cut" "$TMP/cut$cut.dat" > "$TMP/cut$cut.out" 2>&1
	r=$?
	[ $r -le 1 ] || bad="$bad $cut:rc$r"
	grep -q -e ERROR -e Corrupted -e 'Signature' "$TMP/cut$cut.out" && bad="$bad $cut:noise"
	n=$((n + 1))
done
eq prefixes_clean "$bad" ""

# ---- the corpus's testWINMAIL.dat ----
F=${CORPUS:+$CORPUS/formats}
if [ -z "$F" ] || [ ! -f "$F/testWINMAIL.dat" ]; then skip corpus "the shared corpus (formats) is absent"; exit 0; fi
run winmail "$F/testWINMAIL.dat"
eq winmail_exit "$rc" 0
eq winmail_type "$(q '.evidence[0].type')" tnef
eq winmail_subject "$(q '.messages[0].subject')" "This is a test message"
eq winmail_class "$(q '.messages[0].store.message_class')" "IPM.Microsoft Mail.Note"
# README: six attached files in this order: message.rtf (the RTF body, the
# name Tika gives it too), quick.doc, quick.html, quick.pdf, quick.txt, quick.xml
eq winmail_files "$(q '[.messages[0].parts[] | select(.name) | .name] | join(",")')" \
	"message.rtf,quick.doc,quick.html,quick.pdf,quick.txt,quick.xml"
# the attachment data are the stream's own bytes (attAttachData at offset 35682 + 9)
eq winmail_pdf "$(q '.messages[0].parts[] | select(.name == "quick.pdf") | .sha256')" \
	"$(dd if="$F/testWINMAIL.dat" bs=1 skip=35691 count=18638 2>/dev/null | sha)"
eq winmail_rtf_head "$(s "SELECT path FROM artifacts WHERE sha256 = (SELECT sha256 FROM artifact_refs WHERE declared_name = 'message.rtf')" | xargs -I{} head -c 6 "$TMP/winmail/{}")" '{\rtf1'
eq winmail_note "$(q '.messages[0].store.notes')" "no PidTagSubject: the subject is PidTagConversationTopic"
