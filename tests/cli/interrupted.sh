#!/bin/sh
# A run killed with SIGKILL at any point leaves a case that the next run
# completes, and nothing in between claims to be complete: no report
# manifest over pages it does not describe, no run log entry for the killed
# run, and `mailcase verify` fails until a run has finished. The kills are
# deterministic: MAILCASE_FAULT=POINT:N (docs/testing.md) kills the run at
# the Nth passage of a named point. The completed case holds what a run
# that was never killed holds (evidence, messages, artifacts, report files).
#
# make check runs a few kill points; CRASH_SWEEP=1 (make bench
# BENCH_ONLY=crash, tests/bench/crash.sh) runs every point at every count
# it reaches, and a second kill of the run that completes the first.
. tests/cli/lib.sh
GEN=${B:-.}/tests/tools/genmbox
SQ() { sqlite3 "$1/case.db" "$2" 2>&1; }

if ! command -v sqlite3 >/dev/null 2>&1; then
	skip all "sqlite3 is not installed"
	exit 0
fi
# 60 messages: more than the main report shows, so there are appendix pages
"$GEN" "$TMP/m.mbox" 60 >"$TMP/gen.out" 2>&1 || { fail generator "$(head -c 300 "$TMP/gen.out")"; exit 0; }
cp cases/sample/sample.pcap cases/sample/sample.mbox "$TMP/"
set -- "$TMP/m.mbox" "$TMP/sample.mbox" "$TMP/sample.pcap"
EV="$*"

# The case as a run that is never killed leaves it.
"$MC_BIN" report -o "$TMP/base" $EV >"$TMP/base.out" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
	fail base "exit $rc: $(head -c 300 "$TMP/base.out")"
	exit 0
fi
base_files=$(cut -c67- "$TMP/base/report/SHA256SUMS" | grep -v '^\.\./artifacts/' | sort | tr '\n' ' ')
base_counts=$(SQ "$TMP/base" "SELECT (SELECT count(*) FROM evidence), (SELECT count(*) FROM messages),
    (SELECT count(*) FROM flows), (SELECT count(*) FROM artifacts), (SELECT count(*) FROM artifact_refs)")
base_pages=$(find "$TMP/base/report" -name '*.html' | wc -l)

# killed NAME POINT:N CMD...: runs CMD with the kill point armed; true when
# SIGKILL ended it (exit 137), else a FAIL line (the point was not reached).
killed() {
	k_name=$1 k_fault=$2
	shift 2
	MAILCASE_FAULT=$k_fault "$MC_BIN" "$@" >"$TMP/$k_name.kill.out" 2>&1
	k_rc=$?
	if [ $k_rc -eq 137 ]; then
		pass "${k_name}_killed"
		return 0
	fi
	fail "${k_name}_killed" "$k_fault: exit $k_rc, not killed: $(head -c 300 "$TMP/$k_name.kill.out" | tr '\n' ' ')"
	return 1
}

# runlog_lines CASE: the number of entries in CASE/runs.log (0: none)
runlog_lines() { if [ -f "$1/runs.log" ]; then wc -l < "$1/runs.log" | tr -d ' '; else echo 0; fi; }

# unclaimed NAME CASE LINES POINT: after a kill, nothing claims the run
# complete: the run log has no more entries than before it (LINES), the
# killed run's row has no end (unless it was killed after committing it,
# writing the run log), and verify does not pass.
unclaimed() {
	u_name=$1 u_case=$2 u_lines=$3 u_point=${4%%:*}
	eq "${u_name}_no_log_entry" "$(runlog_lines "$u_case")" "$u_lines"
	if [ -f "$u_case/runs.log" ]; then
		# an entry is one line, whole: the chain still holds
		if "$MC_BIN" verify "$u_case" >"$TMP/$u_name.v0" 2>&1; then
			fail "${u_name}_verify_fails" "verify passed a case whose last run was killed"
		else
			pass "${u_name}_verify_fails"
		fi
		hasnt "${u_name}_log_whole" "$TMP/$u_name.v0" "cut off"
	else
		check "${u_name}_verify_fails" sh -c "! '$MC_BIN' verify '$u_case'"
	fi
	last=$(SQ "$u_case" "SELECT coalesce(status, 'none') FROM runs ORDER BY id DESC LIMIT 1")
	case "$last/$u_point" in
	none/*|0/run.end|0/runlog.write) pass "${u_name}_run_unfinished" ;;
	*) fail "${u_name}_run_unfinished" "the killed run's status: $last" ;;
	esac
	# a report folder whose render was cut has no manifest: none lists
	# files that are not the ones it names
	if [ -f "$u_case/report/SHA256SUMS" ]; then
		(cd "$u_case/report" && sha256sum --quiet -c SHA256SUMS) >"$TMP/$u_name.sums" 2>&1 &&
		    pass "${u_name}_manifest_true" ||
		    fail "${u_name}_manifest_true" "$(head -c 300 "$TMP/$u_name.sums" | tr '\n' ' ')"
	else
		pass "${u_name}_manifest_true"
	fi
}

# completed NAME CASE CMD...: CMD (add or render) completes the case, which
# verifies and holds what the never-killed case holds.
completed() {
	c_name=$1 c_case=$2
	shift 2
	"$MC_BIN" "$@" >"$TMP/$c_name.done.out" 2>&1
	c_rc=$?
	[ $c_rc -eq 0 ] && pass "${c_name}_completes" ||
	    fail "${c_name}_completes" "$*: exit $c_rc: $(head -c 300 "$TMP/$c_name.done.out" | tr '\n' ' ')"
	hasnt "${c_name}_no_tamper_warning" "$TMP/$c_name.done.out" "WARNING"
	"$MC_BIN" verify "$c_case" >"$TMP/$c_name.verify" 2>&1
	c_rc=$?
	[ $c_rc -eq 0 ] && pass "${c_name}_verifies" ||
	    fail "${c_name}_verifies" "exit $c_rc: $(grep -v '^OK' "$TMP/$c_name.verify" | head -c 400 | tr '\n' ' ')"
	eq "${c_name}_same_records" "$(SQ "$c_case" "SELECT (SELECT count(*) FROM evidence),
	    (SELECT count(*) FROM messages), (SELECT count(*) FROM flows),
	    (SELECT count(*) FROM artifacts), (SELECT count(*) FROM artifact_refs)")" "$base_counts"
	eq "${c_name}_same_report_files" "$(cut -c67- "$c_case/report/SHA256SUMS" 2>/dev/null |
	    grep -v '^\.\./artifacts/' | sort | tr '\n' ' ')" "$base_files"
	eq "${c_name}_evidence_once" "$(SQ "$c_case" "SELECT count(*) - count(DISTINCT sha256) FROM evidence")" 0
	eq "${c_name}_flows_once" "$(SQ "$c_case" "SELECT count(*) - count(DISTINCT flow_no || '/' || evidence_id) FROM flows")" 0
	eq "${c_name}_recorded_interrupted" "$(tail -1 "$c_case/runs.log" |
	    sed -n 's/.*"db_before_state":"\([a-z]*\)".*/\1/p')" interrupted
}

# scenario NAME POINT:N FROM KILLED-CMD COMPLETING-CMD: the killed command
# (report: a new case; add, render: on a copy of the complete case), then
# the completing one (add or render). FROM is "new" or "base".
scenario() {
	s_name=$1 s_fault=$2 s_from=$3 s_kcmd=$4 s_ccmd=$5
	s_case="$TMP/case-$s_name"
	rm -rf "$s_case"
	if [ "$s_from" = base ]; then
		cp -a "$TMP/base" "$s_case"
	fi
	s_lines=$(runlog_lines "$s_case")
	case $s_kcmd in
	report) killed "$s_name" "$s_fault" report -o "$s_case" $EV || return 0 ;;
	add) killed "$s_name" "$s_fault" add "$s_case" $EV || return 0 ;;
	render) killed "$s_name" "$s_fault" render "$s_case" || return 0 ;;
	esac
	unclaimed "$s_name" "$s_case" "$s_lines" "$s_fault"
	if [ -n "${CRASH_TWICE:-}" ]; then
		# the completing run killed too, at its first page
		s_lines=$(runlog_lines "$s_case")
		case $s_ccmd in
		add) killed "${s_name}_again" render.page:1 add "$s_case" $EV ;;
		render) killed "${s_name}_again" render.page:1 render "$s_case" ;;
		esac && unclaimed "${s_name}_again" "$s_case" "$s_lines" render.page
	fi
	case $s_ccmd in
	add) completed "$s_name" "$s_case" add "$s_case" $EV ;;
	render) completed "$s_name" "$s_case" render "$s_case" ;;
	esac
}

if [ -z "${CRASH_SWEEP:-}" ]; then
	# during ingest: after the first evidence file's commit, and inside an
	# evidence file's transaction (artifacts written, rows not committed)
	scenario ingest_commit ingest.commit:1 new report add
	scenario ingest_artifact artifact.write:40 new report add
	# during rendering: a report run after its second page, a render of a
	# complete case before its manifest is renamed into place
	scenario render_page render.page:2 new report render
	scenario render_manifest render.manifest:1 base render render
	# writing the run log: the end committed to case.db but not logged,
	# and the new log written but not renamed
	scenario run_end run.end:1 base render add
	scenario runlog_write runlog.write:1 new report render
	# a report in a second language cut while it renders claims nothing,
	# and verify says it is not verified; report/ is verified whatever
	# else is beside it
	k="$TMP/case-ko"
	cp -a "$TMP/base" "$k"
	check ko_render "$MC_BIN" render --lang ko "$k"
	killed ko_page render.page:1 render --lang ko "$k"
	check ko_en_render "$MC_BIN" render "$k"
	"$MC_BIN" verify "$k" >"$TMP/ko.verify" 2>&1
	eq ko_verifies "$?" 0
	has ko_unverified_said "$TMP/ko.verify" "report-ko/SHA256SUMS  none: this report's rendering did not finish"
	check ko_render_again "$MC_BIN" render --lang ko "$k"
	mv "$k/report/SHA256SUMS" "$TMP/ko.sums"
	"$MC_BIN" verify "$k" >"$TMP/ko.verify2" 2>&1
	eq ko_report_manifest_gone "$?" 3
	has ko_report_manifest_named "$TMP/ko.verify2" "MISSING  manifest  report/SHA256SUMS"
	exit 0
fi

# The sweep: every point, at every count it reaches in this case.
arts=$(echo "$base_counts" | cut -d'|' -f4)
echo "  sweep: $base_pages pages, $arts artifacts, 3 evidence files"
for k in 1 2 3; do
	scenario "sweep_ingest_commit_$k" "ingest.commit:$k" new report add
done
k=1
while [ "$k" -le "$arts" ]; do
	scenario "sweep_artifact_write_$k" "artifact.write:$k" new report add
	k=$((k * 3))
done
k=1
while [ "$k" -le "$base_pages" ]; do
	scenario "sweep_render_page_report_$k" "render.page:$k" new report render
	scenario "sweep_render_page_render_$k" "render.page:$k" base render add
	k=$((k * 2))
done
scenario sweep_render_page_last "render.page:$base_pages" base render render
scenario sweep_render_manifest_report render.manifest:1 new report add
scenario sweep_render_manifest_add render.manifest:1 base add render
for cmd in report render; do
	from=new
	[ $cmd = render ] && from=base
	scenario "sweep_run_end_$cmd" run.end:1 $from $cmd render
	scenario "sweep_runlog_write_$cmd" runlog.write:1 $from $cmd add
done
CRASH_TWICE=1 scenario sweep_twice_ingest ingest.commit:2 new report add
CRASH_TWICE=1 scenario sweep_twice_render render.page:3 base render render
CRASH_TWICE=1 scenario sweep_twice_run_end run.end:1 base render add
