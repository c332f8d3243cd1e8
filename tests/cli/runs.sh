#!/bin/sh
# The case proves its history: every report, add and render is an entry of
# CASE/runs.log chained by SHA-256, with the case database's SHA-256 before
# and after the run; verify names a database, report or log changed outside
# a recorded run, and the next run records such a change instead of
# blessing it.
. tests/cli/lib.sh
S=cases/sample
C=$TMP/case
if ! command -v sqlite3 >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
	skip all "sqlite3 or python3 is not installed"
	exit 0
fi

"$MC_BIN" report -o "$C" --examiner Kim "$S/sample.pcap" >"$TMP/1.out" 2>&1
eq report_exit "$?" 0
"$MC_BIN" render "$C" >"$TMP/2.out" 2>&1
eq render_exit "$?" 0
"$MC_BIN" add "$C" "$S/sample.mbox" >"$TMP/3.out" 2>&1
eq add_exit "$?" 0
"$MC_BIN" render --examiner Park "$C" >"$TMP/4.out" 2>&1
eq render_examiner_exit "$?" 0

# Each entry checked apart from mailcase: its hash is the SHA-256 of the
# entry without "hash" as compact JSON with sorted keys, "prev" is the
# hash before it, db_before is the db_after before it, and the last
# db_after and manifest are the files as they are now.
python3 - "$C" "$MC_BIN" >"$TMP/chain.out" 2>&1 <<'PY'
import hashlib, json, sys
case, exe = sys.argv[1], sys.argv[2]
def sha(p):
    return hashlib.sha256(open(p, 'rb').read()).hexdigest()
prev = None; after = None; n = 0
for line in open(case + '/runs.log', encoding='utf-8'):
    e = json.loads(line); n += 1
    h = e.pop('hash')
    body = json.dumps(e, sort_keys=True, separators=(',', ':'), ensure_ascii=False)
    assert hashlib.sha256(body.encode()).hexdigest() == h, 'entry %d hash' % n
    assert e['seq'] == n and e['run'] == n, 'entry %d number' % n
    assert e['prev'] == prev, 'entry %d prev' % n
    assert e['db_before'] == after, 'entry %d db_before' % n
    assert e['db_before_state'] == ('new' if n == 1 else 'recorded'), 'entry %d state' % n
    assert e['tool_sha256'] == sha(exe), 'entry %d tool' % n
    assert e['status'] == 0 and e['finished'] and e['started'], 'entry %d end' % n
    prev, after = h, e['db_after']
assert after == sha(case + '/case.db'), 'last db_after'
assert e['report_manifest_sha256'] == sha(case + '/report/SHA256SUMS'), 'manifest'
print(n, ' '.join(json.loads(l)['command'] for l in open(case + '/runs.log')),
      ' '.join(str(json.loads(l)['examiner']) for l in open(case + '/runs.log')))
PY
eq chain_entries "$(cat "$TMP/chain.out")" "4 report render add render Kim Kim Kim Park"
eq runs_table "$(sqlite3 "$C/case.db" "SELECT group_concat(id || ':' || command || ':' || examiner || ':' || db_before_state, ' ') FROM runs")" \
	"1:report:Kim:new 2:render:Kim:recorded 3:add:Kim:recorded 4:render:Park:recorded"
eq examiner_change_entry "$(tail -1 "$C/runs.log" | python3 -c 'import json,sys; print(json.load(sys.stdin)["details"])')" \
	"{'examiner': 'Park'}"
"$MC_BIN" verify "$C" >"$TMP/verify.out" 2>&1
eq verify_clean_exit "$?" 0
has verify_chain_ok "$TMP/verify.out" "OK       run-log   runs.log  4 runs, each entry chained to the one before"
has verify_db_ok "$TMP/verify.out" "OK       case-db   case.db"
# The cover lists every run, the examiner of each.
has cover_runs_render "$C/report/report.md" "| 2 | \`mailcase render $C\` | Kim |"
has cover_runs_examiner "$C/report/report.md" "| 4 | \`mailcase render --examiner Park $C\` | Park |"
has cover_runs_state "$C/report/report.md" "| as the previous run left it |"
has cover_examiner_now "$C/report/report.md" "| Examiner | Park |"

# The database changed by another program: verify fails naming case.db.
cp -R "$C" "$TMP/edit"
sqlite3 "$TMP/edit/case.db" "UPDATE credentials SET secret = 'hunter2'"
eq edit_took "$(sqlite3 "$TMP/edit/case.db" "SELECT count(*) FROM credentials WHERE secret = 'hunter2'")" 2
"$MC_BIN" verify "$TMP/edit" >"$TMP/edit-verify.out" 2>&1
eq db_edit_verify_exit "$?" 3
grep -q "^CHANGED  case-db   case.db  SHA-256 $(sha256sum "$TMP/edit/case.db" | cut -d' ' -f1); the last recorded run (4, render) left $(tail -1 "$C/runs.log" | python3 -c 'import json,sys; print(json.load(sys.stdin)["db_after"])'): changed outside a recorded run" "$TMP/edit-verify.out" \
	&& pass db_edit_named || fail db_edit_named "$(grep -v '^OK' "$TMP/edit-verify.out" | head -3)"
# A render after the edit is recorded, warns, and does not bless the edit.
edited=$(sha256sum "$TMP/edit/case.db" | cut -d' ' -f1)
"$MC_BIN" render "$TMP/edit" >"$TMP/edit-render.out" 2>"$TMP/edit-render.err"
eq db_edit_render_exit "$?" 0
has db_edit_render_warns "$TMP/edit-render.err" "mailcase render: WARNING: $TMP/edit/case.db was changed outside a recorded mailcase run"
has db_edit_render_warns_hash "$TMP/edit-render.err" "its SHA-256 now:       $edited"
eq db_edit_render_entry "$(tail -1 "$TMP/edit/runs.log" | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["command"], e["db_before"], e["db_before_state"])')" \
	"render $edited unrecorded"
eq db_edit_render_row "$(sqlite3 "$TMP/edit/case.db" "SELECT db_before_state FROM runs WHERE id = 5")" unrecorded
"$MC_BIN" verify "$TMP/edit" >"$TMP/edit-verify2.out" 2>&1
eq db_edit_still_fails "$?" 3
has db_edit_still_named "$TMP/edit-verify2.out" "CHANGED  case-db   case.db  changed outside a recorded run before run 5 (render,"
has db_edit_current_ok "$TMP/edit-verify2.out" "OK       case-db   case.db"
has db_edit_on_cover "$TMP/edit/report/report.md" "| **CHANGED outside a recorded run** |"

# A report file changed, with its manifest line made to match: verify
# names the manifest, whose hash the last run recorded.
cp -R "$C" "$TMP/rep"
printf 'X' | dd of="$TMP/rep/report/report.md" bs=1 seek=10 conv=notrunc 2>/dev/null
"$MC_BIN" verify "$TMP/rep" >"$TMP/rep.out" 2>&1
eq report_edit_exit "$?" 3
grep -q "^CHANGED  report    report/report.md" "$TMP/rep.out" && pass report_edit_named \
	|| fail report_edit_named "$(grep -v '^OK' "$TMP/rep.out" | head -3)"
( cd "$TMP/rep/report" && sha256sum report.md > ../sums.new && grep -v '  report.md$' SHA256SUMS >> ../sums.new && mv ../sums.new SHA256SUMS )
"$MC_BIN" verify "$TMP/rep" >"$TMP/rep2.out" 2>&1
eq manifest_edit_exit "$?" 3
has manifest_edit_named "$TMP/rep2.out" "CHANGED  manifest  report/SHA256SUMS  SHA-256 $(sha256sum "$TMP/rep/report/SHA256SUMS" | cut -d' ' -f1); the last recorded run left"
hasnt manifest_edit_report_passes "$TMP/rep2.out" "CHANGED  report    report/report.md"

# The run log edited, or its last entry removed: verify names runs.log.
cp -R "$C" "$TMP/log"
sed -i '2s/"examiner":"Kim"/"examiner":"Lee"/' "$TMP/log/runs.log"
"$MC_BIN" verify "$TMP/log" >"$TMP/log.out" 2>&1
eq log_edit_exit "$?" 3
has log_edit_named "$TMP/log.out" "CHANGED  run-log   runs.log  line 2: its hash does not match its content (the entry was edited)"
cp -R "$C" "$TMP/cut"
sed -i '$d' "$TMP/cut/runs.log"
"$MC_BIN" verify "$TMP/cut" >"$TMP/cut.out" 2>&1
eq log_cut_exit "$?" 3
has log_cut_named "$TMP/cut.out" "CHANGED  run-log   runs.log  run 4 (render) is in the case database but not in the run log (an entry removed)"
# The next run says the log is broken and records that.
"$MC_BIN" render "$TMP/log" >"$TMP/log-render.out" 2>&1
has log_edit_render_warns "$TMP/log-render.out" "mailcase render: WARNING: $TMP/log/runs.log: line 2: its hash does not match its content"
"$MC_BIN" verify "$TMP/log" >"$TMP/log2.out" 2>&1
has log_edit_recorded "$TMP/log2.out" "CHANGED  run-log   runs.log  run 5 found it broken: line 2:"

# A refused run is no run: nothing is appended.
n=$(wc -l < "$C/runs.log")
"$MC_BIN" render "$C" --lang fr >/dev/null 2>&1
eq refused_not_recorded "$(wc -l < "$C/runs.log")" "$n"

# A run that ends on a fatal error (its artifacts folder cannot be written):
# its last line says so, it leaves no entry, and the next run records the
# database as changed by a run that did not finish, which verify notes.
"$MC_BIN" report -o "$TMP/fatal" --no-render "$S/sample.pcap" >/dev/null 2>&1
if [ "$(id -u)" = 0 ] && command -v chattr >/dev/null 2>&1 && chattr +i "$TMP/fatal/artifacts" 2>/dev/null; then
	ro=chattr
elif [ "$(id -u)" != 0 ]; then
	chmod a-w "$TMP/fatal/artifacts"; ro=chmod
else
	ro=
fi
if [ -n "$ro" ]; then
	"$MC_BIN" add "$TMP/fatal" "$S/sample.mbox" >"$TMP/fatal.out" 2>&1
	rc=$?
	if [ $ro = chattr ]; then chattr -i "$TMP/fatal/artifacts"; else chmod u+w "$TMP/fatal/artifacts"; fi
	eq fatal_exit "$rc" 70
	has fatal_final_line "$TMP/fatal.out" "mailcase add: $TMP/fatal: stopped by the error above"
	eq fatal_no_entry "$(wc -l < "$TMP/fatal/runs.log")" 1
	"$MC_BIN" render "$TMP/fatal" >"$TMP/fatal-render.out" 2>&1
	has fatal_next_run_says "$TMP/fatal-render.out" "was changed by 1 run that did not finish"
	eq fatal_next_run_state "$(sqlite3 "$TMP/fatal/case.db" "SELECT db_before_state FROM runs WHERE id = 3")" interrupted
	"$MC_BIN" verify "$TMP/fatal" >"$TMP/fatal-verify.out" 2>&1
	eq fatal_verify_exit "$?" 0
	has fatal_verify_notes "$TMP/fatal-verify.out" "NOTE     run-log   runs.log  run 2 (add) did not finish and has no entry"
else
	skip fatal "cannot make a folder read-only for root here"
fi
