#!/bin/sh
# One run at a time on a case: while a run writes to it (held here by
# MAILCASE_FAULT=POINT:N:stop, docs/testing.md, which stops the run with
# SIGSTOP at a known point with the case locked), report, add and render
# on the same case are refused at once with a message saying why, and
# verify is refused too (it would hash a case half written); nothing they
# do changes the case. Verifies share the lock with each other, and a
# writer is refused while a verify holds it. The stopped run is then
# killed, and the next add completes the case.
. tests/cli/lib.sh

if ! command -v sqlite3 >/dev/null 2>&1; then
	skip all "sqlite3 is not installed"
	exit 0
fi
C="$TMP/case"
cp cases/sample/sample.mbox cases/sample/sample.pcap "$TMP/"

# stopped PID: waits (at most 20 s) until the process is stopped
stopped() {
	i=0
	while [ $i -lt 200 ]; do
		case $(ps -o stat= -p "$1" 2>/dev/null) in T*) return 0 ;; "") return 1 ;; esac
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# refused NAME WANT-TEXT CMD...: CMD exits 4 at once, saying WANT-TEXT
refused() {
	r_name=$1 r_want=$2
	shift 2
	"$MC_BIN" "$@" >"$TMP/$r_name.out" 2>&1
	r_rc=$?
	eq "${r_name}_refused" "$r_rc" 4
	has "${r_name}_says_why" "$TMP/$r_name.out" "$r_want"
}

MAILCASE_FAULT=ingest.commit:1:stop "$MC_BIN" report -o "$C" "$TMP/sample.mbox" "$TMP/sample.pcap" \
    >"$TMP/writer.out" 2>&1 &
writer=$!
if ! stopped $writer; then
	fail writer_stopped "the run did not stop at its first commit: $(head -c 300 "$TMP/writer.out")"
	kill -9 $writer 2>/dev/null
	wait $writer 2>/dev/null
	exit 0
fi
pass writer_stopped
before=$(sha256sum < "$C/case.db")
busy="another mailcase run is using this case"
refused add "$busy" add "$C" "$TMP/sample.pcap"
refused render "$busy" render "$C"
refused report "$busy" report -o "$C" "$TMP/sample.mbox"
refused verify "is writing to this case; nothing was verified" verify "$C"
eq case_untouched "$(sha256sum < "$C/case.db")" "$before"
eq one_run_row "$(sqlite3 "$C/case.db" "SELECT count(*) FROM runs")" 1
kill -9 $writer
wait $writer 2>/dev/null

check add_after_kill "$MC_BIN" add "$C" "$TMP/sample.mbox" "$TMP/sample.pcap"
eq evidence_once "$(sqlite3 "$C/case.db" "SELECT count(*) FROM evidence WHERE status = 'ok'")" 2

# A verify's shared lock (held by flock(1), as a verify holds it): another
# verify runs beside it, a writer is refused.
if command -v flock >/dev/null 2>&1; then
	flock -s "$C" sleep 30 &
	holder=$!
	sleep 0.3
	check verify_beside_verify "$MC_BIN" verify "$C"
	refused render_beside_verify "$busy" render "$C"
	kill $holder 2>/dev/null
	wait $holder 2>/dev/null
else
	skip verify_beside_verify "flock(1) is not installed"
fi
check verify_after "$MC_BIN" verify "$C"
