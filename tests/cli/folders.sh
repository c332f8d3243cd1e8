# Folder evidence: every entry accounted for. A folder holding a capture, a
# message, a subfolder, a document, an image, text, an empty file, random
# bytes and a Maildir++ tree with a symbolic link out of the folder: each
# file is read by its own content as an evidence row of its own, what is not
# evidence is listed with its hashes and why, the link is listed and never
# followed, and the folder hash covers exactly the listed entries.
. tests/cli/lib.sh
: "${B:=.}"
if ! command -v sqlite3 >/dev/null 2>&1; then skip all "sqlite3 is not installed"; exit 0; fi
q() { sqlite3 "$1/case.db" "$2"; }

# folder_sha256 DIR: the folder hash as docs/mailcase.1 defines it, made
# with coreutils: "sha256  path" per regular file and symbolic link (a link
# hashed as its target text), sorted by path as bytes.
folder_sha256() {
	( cd "$1" && find . \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort | while read -r f; do
		if [ -L "$f" ]; then h=$(printf '%s' "$(readlink "$f")" | sha256sum | cut -c1-64)
		else h=$(sha256sum < "$f" | cut -c1-64); fi
		printf '%s  %s\n' "$h" "$f"
	done ) | sha256sum | cut -c1-64
}

E=$TMP/ev
mkdir -p "$E/sub" "$E/md/cur" "$E/md/new" "$E/md/tmp" "$E/md/.Sent/cur" "$E/md/.Sent/new"
if [ -n "$CORPUS" ] && [ -f "$CORPUS/evidence02.pcap" ]; then
	cp "$CORPUS/evidence02.pcap" "$E/capture.pcap"
	want_cred="sneakyg33k@aol.com|558r00lz"
	want_cred_n=2
else
	cp cases/sample/sample.pcap "$E/capture.pcap"
	want_cred="j.doe@example.net|Tr0ub4dor&3"
	want_cred_n=2
fi
printf 'From: Ann <ann@example.org>\r\nTo: b@example.org\r\nSubject: top message\r\n\r\nhello\r\n' > "$E/a.eml"
printf 'From: Bob <bob@example.org>\r\nSubject: message in a subfolder\r\n\r\nhello\r\n' > "$E/sub/b.eml"
"$B/tests/tools/mkdocx" "$E/plan.docx" "Meet at the north gate at noon" || fail mkdocx "mkdocx failed"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001\000\000\000\001\010\002\000\000\000' > "$E/p.png"
printf 'These are my notes.\n' > "$E/notes.txt"
: > "$E/empty.dat"
printf '\001\002\003\004\377\376\375\000\021' > "$E/random.bin"
printf 'Subject: inbox\n\nx\n' > "$E/md/cur/1.host:2,S"
printf 'Subject: unseen\n\nx\n' > "$E/md/new/2.host"
printf 'Subject: being delivered\n\nx\n' > "$E/md/tmp/3.host"
printf 'Subject: sent\n\nx\n' > "$E/md/.Sent/cur/4.host:2,S"
printf '3 V1 N5\n' > "$E/md/dovecot-uidlist"
printf 'Subject: outside\n\nnot evidence of this folder\n' > "$TMP/outside.eml"
ln -s ../../../outside.eml "$E/md/cur/5.host:2,S"

C=$TMP/case
"$MC_BIN" report -o "$C" "$E" >"$TMP/all.out" 2>"$TMP/all.err"
eq all_readable_exit "$?" 0
eq rows "$(q "$C" "SELECT coalesce(parent_id, 0) || '|' || substr(path, length('$E') + 1) || '|' || type || '|' || status FROM evidence ORDER BY id")" \
"0||folder|ok
1|/a.eml|eml|ok
1|/capture.pcap|pcap|ok
1|/empty.dat|unknown|not-evidence
1|/md|maildir|ok
1|/md/cur/5.host:2,S|symlink|not-followed
1|/md/dovecot-uidlist|unknown|not-evidence
1|/notes.txt|unknown|not-evidence
1|/p.png|unknown|not-evidence
1|/plan.docx|zip|ok
1|/random.bin|unknown|not-evidence
1|/sub/b.eml|eml|ok"
eq not_evidence_said "$(q "$C" "SELECT detail || '|' || reason || '|' || size FROM evidence WHERE path LIKE '%p.png' OR path LIKE '%empty.dat' OR path LIKE '%random.bin' ORDER BY id")" \
"empty file|no reader for this content; hashed and listed only|0
PNG image|no reader for this content; hashed and listed only|29
unrecognised content|no reader for this content; hashed and listed only|9"
eq png_hashed "$(q "$C" "SELECT sha256 FROM evidence WHERE path LIKE '%p.png'")" "$(sha256sum < "$E/p.png" | cut -c1-64)"
eq link_listed "$(q "$C" "SELECT detail || '|' || reason || '|' || sha256 FROM evidence WHERE type = 'symlink'")" \
	"symbolic link to ../../../outside.eml|symbolic links in evidence folders are not followed|$(printf '%s' ../../../outside.eml | sha256sum | cut -c1-64)"
eq link_not_read "$(q "$C" "SELECT count(*) FROM messages WHERE subject = 'outside'")" 0
eq credentials "$(q "$C" "SELECT DISTINCT username || '|' || secret FROM credentials")" "$want_cred"
eq credentials_count "$(q "$C" "SELECT count(*) FROM credentials")" "$want_cred_n"
eq credentials_from_capture "$(q "$C" "SELECT DISTINCT e.path FROM credentials c JOIN sessions s ON s.id = c.session_id JOIN evidence e ON e.id = s.evidence_id")" "$E/capture.pcap"
eq document "$(q "$C" "SELECT declared_name || '|' || kind || '|' || text FROM documents WHERE evidence_id = (SELECT id FROM evidence WHERE path LIKE '%plan.docx')")" \
	"plan.docx|docx|Meet at the north gate at noon"
eq messages "$(q "$C" "SELECT substr(e.path, length('$E') + 2) || '|' || m.source || '|' || coalesce(m.file_path, '') || '|' || m.subject FROM messages m JOIN evidence e ON e.id = m.evidence_id WHERE m.source <> 'smtp' ORDER BY m.id")" \
"md|maildir|.Sent/cur/4.host:2,S|sent
md|maildir|cur/1.host:2,S|inbox
md|maildir|new/2.host|unseen
md|maildir|tmp/3.host|being delivered
a.eml|eml||top message
sub/b.eml|eml||message in a subfolder"
eq folder_hash "$(q "$C" "SELECT sha256 FROM evidence WHERE parent_id IS NULL")" "$(folder_sha256 "$E")"
eq maildir_hash "$(q "$C" "SELECT sha256 FROM evidence WHERE type = 'maildir'")" "$(folder_sha256 "$E/md")"
eq folder_size_sum "$(q "$C" "SELECT size FROM evidence WHERE parent_id IS NULL")" \
	"$(q "$C" "SELECT (SELECT sum(size) FROM evidence WHERE parent_id IS NOT NULL AND path NOT LIKE '%/md%') + (SELECT size FROM evidence WHERE type = 'maildir')")"
eq all_matched_after "$(q "$C" "SELECT count(*) FROM evidence WHERE after_match = 1")" 12
has summary_line "$TMP/all.err" "mailcase: 6 files listed with their hashes but not read: not evidence, or a symbolic link"
hasnt png_not_a_problem "$TMP/all.err" "p.png"
M=$C/report/report.md
has table_png "$M" "| $E/p.png | 29 | unknown (PNG image) |  |  |  |  | not evidence (no reader for this content; hashed and listed only) |"
has table_link "$M" "| $E/md/cur/5.host:2,S | 20 | symlink (symbolic link to ../../../outside.eml) |  |  |  |  | link not followed (symbolic links in evidence folders are not followed) |"
has table_hash_name "$M" "| ev/sub/b.eml | $(md5sum < "$E/sub/b.eml" | cut -c1-32) |"
check verify_ok "$MC_BIN" verify "$C"

# The link is the link: re-pointing it changes the link, its Maildir and
# the folder; the file it points to is nothing to the case.
printf 'changed\n' >> "$TMP/outside.eml"
check verify_target_change_ignored "$MC_BIN" verify "$C"
ln -sf ../../../other.eml "$E/md/cur/5.host:2,S"
"$MC_BIN" verify "$C" >"$TMP/verify.out" 2>&1
eq verify_relinked_exit "$?" 3
eq verify_relinked "$(grep -c '^CHANGED  evidence' "$TMP/verify.out")" 3
has verify_relinked_link "$TMP/verify.out" "$E/md/cur/5.host:2,S"
ln -sf ../../../outside.eml "$E/md/cur/5.host:2,S"

# A Maildir given itself: the same messages, the link listed in its hash.
"$MC_BIN" report -o "$TMP/md-case" --no-render "$E/md" >"$TMP/md.out" 2>&1
eq maildir_exit "$?" 0
eq maildir_rows "$(q "$TMP/md-case" "SELECT substr(path, length('$E/md') + 1) || '|' || type || '|' || status FROM evidence ORDER BY id")" \
"|maildir|ok
/cur/5.host:2,S|symlink|not-followed
/dovecot-uidlist|unknown|not-evidence"
eq maildir_messages "$(q "$TMP/md-case" "SELECT count(*) FROM messages")" 4
eq maildir_self_hash "$(q "$TMP/md-case" "SELECT sha256 FROM evidence WHERE parent_id IS NULL")" "$(folder_sha256 "$E/md")"

# One entry that cannot be read (a capture libpcap cannot open): named on
# stderr with the reason, exit status 1, the rest still read.
E2=$TMP/ev2
mkdir -p "$E2"
cp "$E/a.eml" "$E2/a.eml"
printf '\324\303\262\241\002\000\004\000garbage' > "$E2/bad.pcap"
"$MC_BIN" report -o "$TMP/bad-case" --no-render "$E2" >"$TMP/bad.out" 2>"$TMP/bad.err"
eq unreadable_exit "$?" 1
has unreadable_named "$TMP/bad.err" "mailcase: $E2/bad.pcap: "
eq unreadable_rows "$(q "$TMP/bad-case" "SELECT substr(path, length('$E2') + 1) || '|' || status || '|' || (reason IS NOT NULL) FROM evidence ORDER BY id")" \
"|partial|1
/a.eml|ok|0
/bad.pcap|unreadable|1"
eq unreadable_rest_read "$(q "$TMP/bad-case" "SELECT subject FROM messages")" "top message"

# Files that are no evidence given directly: said on stderr by name, listed,
# and no error.
"$MC_BIN" report -o "$TMP/direct" --no-render "$E/p.png" "$E/empty.dat" "$E/random.bin" >"$TMP/direct.out" 2>&1
eq direct_exit "$?" 0
has direct_png "$TMP/direct.out" "mailcase: $E/p.png: not evidence (PNG image); hashed and listed only"
has direct_empty "$TMP/direct.out" "mailcase: $E/empty.dat: not evidence (empty file); hashed and listed only"
has direct_random "$TMP/direct.out" "mailcase: $E/random.bin: not evidence (unrecognised content); hashed and listed only"
eq direct_rows "$(q "$TMP/direct" "SELECT status FROM evidence ORDER BY id" | tr '\n' ' ')" "not-evidence not-evidence not-evidence "

# In the Korean report the intake's reasons are in Korean too.
"$MC_BIN" render --lang ko "$TMP/case" >/dev/null 2>&1
has ko_reason_not_evidence "$TMP/case/report-ko/report.md" "증거 아님 (읽을 수 있는 형식이 아니므로 해시 값을 계산하고 목록에만 올림)"
has ko_reason_link "$TMP/case/report-ko/report.md" "링크 따라가지 않음 (증거 폴더 안의 심볼릭 링크는 따라가지 않음)"
