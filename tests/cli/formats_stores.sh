#!/bin/sh
# Mail stores (src/mailstore/): every fact ../shared/corpus/formats/README.md
# gives for testPST.pst, testMSG.msg, test-outlook.msg, testWINMAIL.dat and
# testEMLX.emlx is found in the report of that file; a damaged PST is read in
# part (exit 1, logged), never a crash.
. tests/cli/lib.sh
F=${CORPUS:+$CORPUS/formats}
if [ -z "$F" ] || [ ! -f "$F/testPST.pst" ]; then skip all "the shared corpus (formats) is absent"; exit 0; fi
if ! command -v jq >/dev/null 2>&1; then skip all "jq is not installed"; exit 0; fi

# run NAME FILE: a case of one file in $TMP/NAME; its exit status in $rc
run() { "$MC_BIN" report -o "$TMP/$1" "$2" >"$TMP/$1.out" 2>&1; rc=$?; J=$TMP/$1/report/report.json; D=$TMP/$1/case.db; }
q() { jq -r "$1" "$J"; }

# ---- testPST.pst ----
run pst "$F/testPST.pst"
eq pst_exit "$rc" 0
eq pst_type "$(q '.evidence[0].type')" pst
has pst_folder_top "$TMP/pst/report/report.md" "Début du fichier de données Outlook"
has pst_folder_search "$TMP/pst/report/report.md" "Racine (pour la recherche)"
M='.messages[] | select(.subject == "Re: Feature Generators" and (.store.recovered | not))'
eq pst_fg_from "$(q "$M | .from")" "Jörn Kottmann <kottmann@gmail.com>"
eq pst_fg_to "$(q "$M | .to")" "users@opennlp.apache.org"
eq pst_fg_submit "$(q "$M | .store.submit")" "2014-02-26T07:50:04Z"
eq pst_fg_delivery "$(q "$M | .store.delivery" | cut -c1-19)" "2014-02-26T07:51:02"
eq pst_fg_class "$(q "$M | .store.message_class")" "IPM.Note"
eq pst_fg_mid "$(q "$M | .message_id")" "<530D9CAC.5080901@gmail.com>"
eq pst_fg_source "$(q "$M | .source")" pst
eq pst_fg_prov "$(q "$M | .provenance")" "testPST.pst PST folder /Début du fichier de données Outlook item 2097188"
eq pst_fg_transport "$(q "$M | .store.headers_from")" transport
eq pst_fg_route "$(q "$M | .route.verdict != null")" true
eq pst_mid_any "$(q '[.messages[] | select(.message_id == "<530D9CAC.5080901@gmail.com>")] | length > 0')" true
eq pst_tika1250 "$(q '[.messages[] | select([.body_lines[].line] | join("\n") | contains("Gary Murphy commented on TIKA-1250:"))] | length > 0')" true
C='.messages[] | select(.from == "Couchbase <couchbase@couchbase.com>")'
eq pst_cb_to "$(q "$C | .to")" "hong-thai.nguyen@polyspot.com"
eq pst_cb_exchange "$(q "$C | .store.addresses[] | select(.role == \"to\") | .address")" \
	"/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=polyspot1.onmicrosoft.com-50609-Hong-Thai.Ng"
eq pst_cb_type "$(q "$C | .store.addresses[] | select(.role == \"to\") | .type")" EX
eq pst_first_att "$(q '.messages[] | select(.subject == "First email") | [.attachments[].name] | join(",")')" "attachment.docx"
eq pst_first_nested "$(q '.messages[] | select(.subject == "First email") | .nested')" true
eq pst_docx_text "$(q '.documents[] | select(.name == "attachment.docx") | .text')" "This is a docx attachment."
eq pst_recovered "$(q '[.messages[] | select(.store.recovered)] | length > 0')" true
# the folder table: every folder with its messages, sub-folders and the
# folder's own item and unread counts, in the report and in store_folders
eq pst_folder_rows "$(sqlite3 "$D" "SELECT count(*) FROM store_folders")" 7
eq pst_folder_inbox "$(sqlite3 "$D" "SELECT messages || '|' || sub_folders || '|' || content_count || '|' || unread_count || '|' || unreadable FROM store_folders WHERE path = '/Début du fichier de données Outlook'")" "7|1|7|0|0"
eq pst_folder_root "$(sqlite3 "$D" "SELECT depth || '|' || messages || '|' || sub_folders FROM store_folders WHERE path = '/'")" "0|0|5"
eq pst_folder_deleted "$(q '.store_folders[] | select(.path | endswith("/Éléments supprimés")) | "\(.depth) \(.messages) \(.content_count)"')" "2 0 0"
has pst_folder_table "$TMP/pst/report/report.md" "| testPST.pst | /Début du fichier de données Outlook | 7 | 1 | 7 | 0 | 0 |"
has pst_folder_heading "$TMP/pst/report/report.md" "### Folders of the mail stores"
# the attached message of "FW: First email" has a store row of its own
eq pst_embedded_row "$(sqlite3 "$D" "SELECT s.item_id || '|' || s.part || '|' || s.folder FROM store_items s JOIN messages m ON m.id = s.message_id WHERE m.parent_id IS NOT NULL")" "2097412|2|/Début du fichier de données Outlook"
eq pst_embedded_prov "$(q '.messages[] | select(.subject == "First email") | .provenance')" \
	"testPST.pst PST folder /Début du fichier de données Outlook item 2097412, attached as part 2"
eq pst_embedded_class "$(q '.messages[] | select(.subject == "First email") | .store.message_class')" IPM.Note
hasnt pst_subject_prefix "$TMP/pst/report/report.md" "$(printf '\001')"
# the Korean words of the store provenance
cp -R "$TMP/pst" "$TMP/pst-ko"
"$MC_BIN" render --lang ko "$TMP/pst-ko" >"$TMP/pst-ko.out" 2>&1
has pst_ko_prov "$TMP/pst-ko/report-ko/report.md" "testPST.pst PST 폴더 /Début du fichier de données Outlook 항목 2097188"
has pst_ko_reconstructed "$TMP/pst-ko/report-ko/report.md" "- 재구성됨: "
has pst_ko_folders "$TMP/pst-ko/report-ko/report.md" "### 메일 저장소의 폴더"
has pst_ko_embedded "$TMP/pst-ko/report-ko/report.md" "항목 2097412, 첨부된 부분 2"

# ---- damaged copies of testPST.pst (made here, never kept) ----
# cut at 1,000,000 bytes: what libpff reads is kept, the rest logged
head -c 1000000 "$F/testPST.pst" >"$TMP/cut.pst"
run cut "$TMP/cut.pst"
eq cut_exit "$rc" 1
eq cut_status "$(sqlite3 "$D" "SELECT status FROM evidence")" partial
eq cut_messages "$(sqlite3 "$D" "SELECT count(*) > 0 FROM messages WHERE source = 'pst'")" 1
eq cut_logged "$(sqlite3 "$D" "SELECT count(*) > 0 FROM log WHERE code = 'pst.unreadable' AND source LIKE '%cut.pst'")" 1
# blocks overwritten with other bytes of the file (its index among them)
cp "$F/testPST.pst" "$TMP/blocks.pst"
for off in 70000 300000 900000 1500000 2100000; do
	dd if="$F/testPST.pst" of="$TMP/blocks.pst" bs=1 skip=8192 seek=$off count=8192 conv=notrunc 2>/dev/null
done
run blocks "$TMP/blocks.pst"
eq blocks_exit "$rc" 1
eq blocks_logged "$(sqlite3 "$D" "SELECT count(*) FROM log WHERE level = 'error' AND code = 'pst.open'")" 1
# blocks overwritten where no index is: every message is still read
cp "$F/testPST.pst" "$TMP/blocks2.pst"
for off in 300000 900000 1500000 2100000; do
	dd if="$F/testPST.pst" of="$TMP/blocks2.pst" bs=1 skip=8192 seek=$off count=8192 conv=notrunc 2>/dev/null
done
run blocks2 "$TMP/blocks2.pst"
eq blocks2_exit "$rc" 0
eq blocks2_messages "$(sqlite3 "$D" "SELECT count(*) FROM messages WHERE source = 'pst'")" 8
# a PST header alone
head -c 600 "$F/testPST.pst" >"$TMP/header.pst"
run header "$TMP/header.pst"
eq header_exit "$rc" 1
eq header_type "$(sqlite3 "$D" "SELECT type FROM evidence")" pst

# ---- testMSG.msg ----
run msg "$F/testMSG.msg"
eq msg_exit "$rc" 0
eq msg_type "$(q '.evidence[0].type')" msg
eq msg_from "$(q '.messages[0].from')" "Jukka Zitting <jukka.zitting@gmail.com>"
eq msg_to "$(q '.messages[0].to')" "tika-dev@lucene.apache.org"
eq msg_source "$(q '.messages[0].source')" msg
eq msg_transport "$(q '.messages[0].store.headers_from')" transport
has msg_received "$TMP/msg/report/report.md" "from athena.apache.org (HELO athena.apache.org) (140.211.11.136)"
has msg_filetime "$TMP/msg/report/report.md" '29 Jan 2009 19:17:10.0163 (UTC) FILETIME=\[2ED25E30:01C98246\]'
eq msg_received_by_ex "$(q '.messages[0].store.addresses[] | select(.role == "received-by") | .type')" EX
hasnt msg_banner "$TMP/msg/report/report.md" "| Microsoft Mail Internet Headers"

# ---- test-outlook.msg ----
run outlook "$F/test-outlook.msg"
eq outlook_exit "$rc" 0
eq outlook_subject "$(q '.messages[0].subject')" "Microsoft Outlook Express 6"
eq outlook_from "$(q '.messages[0].from')" "L'Équipe Microsoft Outlook Express <msoe@microsoft.com>"
eq outlook_to_name "$(q '.messages[0].store.addresses[] | select(.role == "to") | .name')" "Nouvel utilisateur de Outlook Express"
eq outlook_created "$(q '.messages[0].date')" "2007-04-05T16:26:06Z"
eq outlook_submit "$(q '.messages[0].store.submit')" "2007-04-05T16:26:06Z"
# an HWP file is OLE too, and no message
if [ -f "$F/testHWP_5.0.hwp" ]; then
	run hwp "$F/testHWP_5.0.hwp"
	[ "$(q '.evidence[0].type')" != msg ] && pass hwp_not_msg || fail hwp_not_msg "typed as msg"
fi

# ---- testEMLX.emlx: the message after the byte-count line ----
run emlx "$F/testEMLX.emlx"
eq emlx_exit "$rc" 0
eq emlx_type "$(q '.evidence[0].type')" emlx
eq emlx_source "$(q '.messages[0].source')" emlx
eq emlx_from "$(q '.messages[0].from')" '"Julien Nioche (JIRA)" <jira@apache.org>'
eq emlx_to "$(q '.messages[0].to')" "dev@tika.apache.org"
eq emlx_subject "$(q '.messages[0].subject')" "[jira] Commented: (TIKA-461) RFC822 messages not parsed"
eq emlx_date "$(q '.messages[0].date_raw' | cut -c1-30)" "Mon, 6 Sep 2010 05:25:34 -0400"
# a count line larger than what follows: read as far as the file goes, exit 1, logged
printf '500\nSubject: short\r\n\r\nbody\r\n' > "$TMP/lying.emlx"
run lying "$TMP/lying.emlx"
eq emlx_lying_exit "$rc" 1
eq emlx_lying_subject "$(q '.messages[0].subject')" "short"
eq emlx_lying_incomplete "$(q '.messages[0].incomplete')" true
has emlx_lying_logged "$TMP/lying/report/report.md" "emlx.count"
J=$TMP/emlx/report/report.json
eq emlx_plist_subject "$(q '.messages[0].store.flags.subject')" "[jira] Commented: (TIKA-461) RFC822 messages not parsed"
eq emlx_plist_flags "$(q '.messages[0].store.flags.flags')" 0
# flags 2309 = read (bit 0), answered (2), forwarded (8), 2 attachments (bits 10-15)
printf '20\nSubject: f\r\n\r\nbody\r\n<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>flags</key><integer>2309</integer><key>date-received</key><integer>1283765134</integer></dict></plist>\n' > "$TMP/flags.emlx"
run flags "$TMP/flags.emlx"
eq emlx_flags_exit "$rc" 0
eq emlx_flags_set "$(q '.messages[0].store.flags.flags_set | join(",")')" "read,answered,forwarded"
eq emlx_flags_attachments "$(q '.messages[0].store.flags.attachments')" 2
eq emlx_flags_received "$(q '.messages[0].store.flags["date-received"]')" 1283765134
