#!/bin/sh
# Mailboxes inside zip archives given as evidence (an examiner's export.zip):
# every entry is an evidence row of its own (parent the archive, position its
# name in it, hashed, its bytes an artifact), read by its own content (mbox,
# .eml, TNEF, a zip inside, and the corpus's PST and .msg when present); the
# ceilings of office/zipsafe.h (entries, inflated bytes, ratio) and the
# nesting ceiling (doc-depth) are logged findings, never a crash; verify
# checks the archive and the artifacts, not paths inside it.
. tests/cli/lib.sh
: "${B:=.}"
if ! command -v jq >/dev/null 2>&1; then skip all "jq is not installed"; exit 0; fi
if ! command -v sqlite3 >/dev/null 2>&1; then skip all "sqlite3 is not installed"; exit 0; fi
if ! command -v python3 >/dev/null 2>&1; then skip all "python3 is not installed"; exit 0; fi

run() { n=$1; f=$2; shift 2; "$MC_BIN" report "$@" -o "$TMP/$n" "$f" >"$TMP/$n.out" 2>"$TMP/$n.err"; rc=$?; J=$TMP/$n/report/report.json; D=$TMP/$n/case.db; }
q() { jq -r "$1" "$J"; }
s() { sqlite3 "$D" "$1"; }
sha() { sha256sum | cut -c1-64; }

E=$TMP/src
mkdir -p "$E/mail"
printf 'From a@example.org Mon Jan  5 10:00:00 2015\nFrom: Ann <ann@example.org>\nSubject: first in the mbox\n\nhello\n\nFrom b@example.org Mon Jan  5 11:00:00 2015\nFrom: Bob <bob@example.org>\nSubject: second in the mbox\n\nbye\n' > "$E/box.mbox"
printf 'From: Cy <cy@example.org>\nSubject: one eml\nDate: Tue, 6 Jan 2015 09:00:00 +0900\n\nbody\n' > "$E/mail/one.eml"
printf 'From: Di <di@example.org>\nSubject: deep inside\n\ndeep\n' > "$E/deep.eml"
printf 'these are notes\n' > "$E/notes.txt"
"$B/tests/tools/mkdocx" "$TMP/plan.docx" "Budget plan for the third quarter" || fail mkdocx "mkdocx failed"
python3 tests/cli/mktnef.py "$E/winmail.dat" "$TMP/plan.docx" || fail mktnef "mktnef.py failed"

# zipit OUT NAME=FILE...: a deterministic zip (fixed dates, deflated)
zipit() {
	python3 - "$@" <<'EOF'
import sys, zipfile
out = sys.argv[1]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for spec in sys.argv[2:]:
        name, path = spec.split("=", 1)
        info = zipfile.ZipInfo(name, (2020, 1, 2, 3, 4, 6))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, b"" if path == "" else open(path, "rb").read())
EOF
}
zipit "$E/inner.zip" "deep.eml=$E/deep.eml"
zipit "$TMP/export.zip" "box.mbox=$E/box.mbox" "mail/=" "mail/one.eml=$E/mail/one.eml" \
	"winmail.dat=$E/winmail.dat" "notes.txt=$E/notes.txt" "inner.zip=$E/inner.zip"

run export "$TMP/export.zip"
eq export_exit "$rc" 0
eq export_rows "$(s "SELECT count(*) FROM evidence")" 7
eq export_entries "$(s "SELECT group_concat(position || ':' || type || ':' || status, ' ') FROM (SELECT * FROM evidence WHERE position IS NOT NULL ORDER BY id)")" \
	"box.mbox:mbox:ok mail/one.eml:eml:ok winmail.dat:tnef:ok notes.txt:unknown:not-evidence inner.zip:zip:ok deep.eml:eml:ok"
eq export_paths "$(s "SELECT path FROM evidence WHERE position = 'mail/one.eml'")" "$TMP/export.zip/mail/one.eml"
eq export_parent "$(s "SELECT p.position FROM evidence e JOIN evidence p ON p.id = e.parent_id WHERE e.position = 'deep.eml'")" inner.zip
eq export_top_parent "$(s "SELECT count(*) FROM evidence WHERE parent_id = 1")" 5
for f in box.mbox mail/one.eml winmail.dat notes.txt inner.zip; do
	want=$(sha < "$E/$f")
	eq "hash_$f" "$(s "SELECT sha256 FROM evidence WHERE position = '$f'")" "$want"
	eq "artifact_$f" "$(s "SELECT count(*) FROM artifacts WHERE sha256 = '$want'")" 1
done
eq hash_deep "$(s "SELECT sha256 FROM evidence WHERE position = 'deep.eml'")" "$(sha < "$E/deep.eml")"
eq export_messages "$(s "SELECT group_concat(e.position || ':' || m.subject, '|') FROM (SELECT * FROM messages WHERE parent_id IS NULL ORDER BY id) m JOIN evidence e ON e.id = m.evidence_id")" \
	"box.mbox:first in the mbox|box.mbox:second in the mbox|mail/one.eml:one eml|winmail.dat:Quarterly 보고서 / Q3|deep.eml:deep inside"
eq export_deep_evidence "$(s "SELECT e.position FROM messages m JOIN evidence e ON e.id = m.evidence_id WHERE m.subject = 'deep inside'")" deep.eml
eq export_docx_text "$(q '.documents[] | select(.name == "plan.docx") | .text')" "Budget plan for the third quarter"
eq export_eml_date "$(q '.messages[] | select(.subject == "one eml") | .date')" "2015-01-06T00:00:00Z"
eq export_logged "$(s "SELECT message FROM log WHERE code = 'archive.read' AND evidence_id = 1")" \
	"a zip archive of 6 entries (1 of them folders): 5 files read as evidence of their own, 0 not whole"
eq export_integrity "$(s "SELECT count(*) FROM evidence WHERE after_match = 1")" 7
has export_report_row "$TMP/export/report/report.md" "| export.zip/mail/one.eml |"
"$MC_BIN" verify "$TMP/export" > "$TMP/verify.out" 2>&1
eq export_verify "$?" 0
hasnt export_verify_missing "$TMP/verify.out" "MISSING"
eq export_verify_zip "$(grep -c "^OK       evidence  .*export.zip$" "$TMP/verify.out")" 1

# the corpus's PST and .msg inside an archive: read like the files themselves
F=${CORPUS:+$CORPUS/formats}
if [ -n "$F" ] && [ -f "$F/testPST.pst" ] && [ -f "$F/testMSG.msg" ]; then
	zipit "$TMP/stores.zip" "outlook/testPST.pst=$F/testPST.pst" "testMSG.msg=$F/testMSG.msg"
	run stores "$TMP/stores.zip"
	eq stores_exit "$rc" 0
	eq stores_types "$(s "SELECT group_concat(type, ',') FROM (SELECT type FROM evidence WHERE position IS NOT NULL ORDER BY id)")" "pst,msg"
	eq stores_pst_messages "$(s "SELECT count(*) FROM messages m JOIN evidence e ON e.id = m.evidence_id WHERE e.position = 'outlook/testPST.pst' AND m.source = 'pst'")" 8
	eq stores_folders "$(s "SELECT count(*) FROM store_folders f JOIN evidence e ON e.id = f.evidence_id WHERE e.position = 'outlook/testPST.pst'")" 7
	eq stores_prov "$(q '.messages[] | select(.subject == "Re: Feature Generators" and (.store.recovered | not)) | .provenance')" \
		"testPST.pst PST folder /Début du fichier de données Outlook item 2097188"
	eq stores_msg_from "$(q '.messages[] | select(.source == "msg") | .from')" "Jukka Zitting <jukka.zitting@gmail.com>"
	eq stores_log_source "$(s "SELECT count(*) FROM log WHERE code = 'pst.read' AND source = '$TMP/stores.zip/outlook/testPST.pst'")" 1
	hasnt stores_no_tmp_name "$TMP/stores/report/report.md" "mailcase-entry-"
else
	skip stores "the shared corpus (formats) is absent"
fi

# ---- ceilings: logged, the archive partial, exit 1 ----
run entries "$TMP/export.zip" --limit zip-entries=2
eq entries_exit "$rc" 1
eq entries_logged "$(s "SELECT count(*) FROM log WHERE code = 'office.zip.entries'")" 1
eq entries_rows "$(s "SELECT count(*) FROM evidence WHERE position IS NOT NULL")" 1
eq entries_status "$(s "SELECT status FROM evidence WHERE id = 1")" partial
# a bomb: 4 MiB of zeros deflate past the 200:1 ratio
head -c 4194304 /dev/zero > "$E/zeros.bin"
zipit "$TMP/bomb.zip" "zeros.mbox=$E/zeros.bin" "box.mbox=$E/box.mbox"
run bomb "$TMP/bomb.zip"
eq bomb_exit "$rc" 1
eq bomb_logged "$(s "SELECT count(*) FROM log WHERE code = 'office.zip.ratio'")" 1
eq bomb_entry "$(s "SELECT status FROM evidence WHERE position = 'zeros.mbox'")" unreadable
eq bomb_other_read "$(s "SELECT count(*) FROM messages")" 2
# the inflated budget is shared by the nest: a small one stops the second entry
run budget "$TMP/export.zip" --limit zip-bytes=2700
eq budget_exit "$rc" 1
eq budget_logged "$(s "SELECT count(*) FROM log WHERE code = 'office.zip.inflated'")" 1
# zips in zips past doc-depth
zipit "$E/z2.zip" "inner.zip=$E/inner.zip"
zipit "$TMP/deep.zip" "z2.zip=$E/z2.zip"
run depth "$TMP/deep.zip" --limit doc-depth=1
eq depth_exit "$rc" 1
eq depth_logged "$(s "SELECT position || '|' || message FROM log WHERE code = 'archive.depth'")" \
	"|a zip archive nested 2 deep, past the ceiling of 1 (doc-depth): stored and hashed, not opened"
eq depth_rows "$(s "SELECT group_concat(position, ',') FROM evidence WHERE position IS NOT NULL")" "z2.zip,inner.zip"
run depth_ok "$TMP/deep.zip"
eq depth_ok_exit "$rc" 0
eq depth_ok_message "$(s "SELECT subject FROM messages")" "deep inside"
# a cut archive: no central directory, logged, the file still hashed
head -c 300 "$TMP/export.zip" > "$TMP/cut.zip"
run cut "$TMP/cut.zip"
eq cut_exit "$rc" 1
eq cut_logged "$(s "SELECT count(*) FROM log WHERE code = 'office.zip'")" 1
eq cut_hash "$(s "SELECT sha256 FROM evidence WHERE id = 1")" "$(sha < "$TMP/cut.zip")"
