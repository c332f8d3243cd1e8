#!/bin/sh
# Options the Unix way: options and operands in any order, "--" ends the
# options, every refusal names the option or file and why, and a refused
# run writes nothing.
. tests/cli/lib.sh
S=cases/sample

# report: the evidence before -o.
"$MC_BIN" report "$S/sample.mbox" -o "$TMP/r" --examiner Kim >"$TMP/r.out" 2>&1
eq report_operand_first_exit "$?" 0
has report_operand_first_line "$TMP/r.out" "report: $TMP/r/report/report.html"
has report_operand_first_examiner "$TMP/r/report/report.md" "| Examiner | Kim |"

# add: an option after the case is an option, not evidence.
"$MC_BIN" add "$TMP/r" --examiner Lee "$S/sample.pcap" >"$TMP/add.out" 2>&1
eq add_option_after_case_exit "$?" 0
if command -v sqlite3 >/dev/null 2>&1; then
	eq add_option_not_evidence "$(sqlite3 "$TMP/r/case.db" "SELECT group_concat(path, ' ') FROM evidence ORDER BY id")" \
		"$S/sample.mbox $S/sample.pcap"
	eq add_option_examiner "$(sqlite3 "$TMP/r/case.db" "SELECT examiner FROM runs WHERE id = 2")" Lee
else
	skip add_option_not_evidence "sqlite3 is not installed"
fi

# render: --lang after the case.
"$MC_BIN" render "$TMP/r" --lang ko >"$TMP/render.out" 2>&1
eq render_option_after_case_exit "$?" 0
has render_option_after_case_ko "$TMP/r/report-ko/report.md" "| 분석관 | Lee |"

# "--" ends the options: a file named like an option is evidence.
cp "$S/sample.mbox" -- "$TMP/--notes"
"$MC_BIN" report -o "$TMP/dd" -- "$TMP/--notes" >"$TMP/dd.out" 2>&1
eq double_dash_exit "$?" 0
if command -v sqlite3 >/dev/null 2>&1; then
	eq double_dash_evidence "$(sqlite3 "$TMP/dd/case.db" "SELECT path FROM evidence")" "$TMP/--notes"
fi
"$MC_BIN" add -- "$TMP/dd" --examiner >"$TMP/dd2.out" 2>&1
eq double_dash_add_exit "$?" 2
has double_dash_add_named "$TMP/dd2.out" "mailcase add: --examiner: cannot open: No such file or directory"

# refused: each names the option, the value and why, and leaves no case.
refused() {
	name=$1; want=$2; shift 2
	rm -rf "$TMP/no"
	"$MC_BIN" report -o "$TMP/no" "$@" >"$TMP/$name.out" 2>&1
	eq "${name}_exit" "$?" 2
	has "${name}_said" "$TMP/$name.out" "$want"
	[ ! -e "$TMP/no" ] && pass "${name}_no_case" || fail "${name}_no_case" "$TMP/no was made"
	has "${name}_final_line" "$TMP/$name.out" "mailcase report: failed (exit 2); nothing was written"
}
refused lang_fr "mailcase report: --lang fr: no report templates in that language (this mailcase has: en, ko)" \
	--lang fr "$S/sample.mbox"
refused timezone_mars "mailcase report: --timezone Mars/Olympus: not a time zone of the tz database" \
	"$S/sample.mbox" --timezone Mars/Olympus
refused timezone_path "mailcase report: --timezone ../../etc/passwd: not a time zone" \
	--timezone ../../etc/passwd "$S/sample.mbox"
refused size_bad "mailcase report: --max-flow-bytes 12X: takes a positive number" \
	--max-flow-bytes 12X "$S/sample.mbox"
refused unknown_option "mailcase report: --colour: unknown option" --colour "$S/sample.mbox"
refused missing_value "mailcase report: --lang: needs a value" "$S/sample.mbox" --lang
refused flag_value "mailcase report: --no-render: takes no value" --no-render=yes "$S/sample.mbox"
refused dkim_keys_missing "mailcase report: --dkim-keys $TMP/no-keys.txt: cannot be read: No such file or directory" \
	--dkim-keys "$TMP/no-keys.txt" "$S/sample.mbox"
refused templates_empty "mailcase report: --templates $TMP: no report.md.mustache there" \
	--templates "$TMP" "$S/sample.mbox"
refused no_evidence_opens "mailcase report: $TMP/nothing.pcap: cannot open: No such file or directory" \
	"$TMP/nothing.pcap"
# A valid zone is taken.
"$MC_BIN" report -o "$TMP/seoul" --timezone Asia/Seoul "$S/sample.mbox" >"$TMP/seoul.out" 2>&1
eq timezone_valid "$?" 0

# add and render refuse in the same way and leave the case as it was.
before=$(sha256sum "$TMP/r/case.db" | cut -d' ' -f1)
"$MC_BIN" render "$TMP/r" --timezone Mars/Olympus >"$TMP/rtz.out" 2>&1
eq render_timezone_exit "$?" 2
has render_timezone_said "$TMP/rtz.out" "mailcase render: --timezone Mars/Olympus: not a time zone"
"$MC_BIN" add "$TMP/r" "$TMP/nothing.pcap" >"$TMP/anone.out" 2>&1
eq add_nothing_opens_exit "$?" 2
has add_nothing_opens_said "$TMP/anone.out" "mailcase add: $TMP/nothing.pcap: cannot open: No such file or directory"
has add_nothing_opens_final "$TMP/anone.out" "nothing was written ($TMP/r is unchanged)"
eq refused_case_unchanged "$(sha256sum "$TMP/r/case.db" | cut -d' ' -f1)" "$before"

# A case that cannot be written: the file and the reason, before anything.
if [ "$(id -u)" = 0 ] && command -v chattr >/dev/null 2>&1 && chattr +i "$TMP/r/case.db" 2>/dev/null; then
	ro=chattr
elif [ "$(id -u)" != 0 ]; then
	chmod a-w "$TMP/r/case.db"; ro=chmod
else
	ro=
fi
if [ -n "$ro" ]; then
	"$MC_BIN" add "$TMP/r" "$S/sample.mbox" >"$TMP/ro.out" 2>&1
	rc=$?
	if [ $ro = chattr ]; then chattr -i "$TMP/r/case.db"; else chmod u+w "$TMP/r/case.db"; fi
	eq readonly_case_exit "$rc" 4
	has readonly_case_named "$TMP/ro.out" "mailcase add: $TMP/r/case.db: cannot be written ("
	has readonly_case_final "$TMP/ro.out" "nothing was written ($TMP/r is unchanged)"
	eq readonly_case_unchanged "$(sha256sum "$TMP/r/case.db" | cut -d' ' -f1)" "$before"
else
	skip readonly_case "cannot make a file read-only for root here"
fi

# streams: options in any order, a mailbox is refused with the reason on
# stderr, a capture that does not exist makes no folder.
"$MC_BIN" streams "$S/sample.pcap" -o "$TMP/st" >"$TMP/st.out" 2>&1
eq streams_operand_first_exit "$?" 0
has streams_final_line "$TMP/st.out" "streams: $TMP/st/index.json (2 flows)"
"$MC_BIN" streams -o "$TMP/stm" "$S/sample.mbox" >"$TMP/stm.out" 2>"$TMP/stm.err"
eq streams_mailbox_exit "$?" 1
has streams_mailbox_said "$TMP/stm.err" "mailcase streams: $S/sample.mbox: not a capture libpcap can read"
"$MC_BIN" streams -o "$TMP/stn" "$TMP/nothing.pcap" >"$TMP/stn.out" 2>&1
eq streams_nothing_exit "$?" 2
has streams_nothing_said "$TMP/stn.out" "mailcase streams: $TMP/nothing.pcap: cannot open: No such file or directory"
[ ! -e "$TMP/stn" ] && pass streams_nothing_no_dir || fail streams_nothing_no_dir "$TMP/stn was made"

# verify takes "--" and says what it refuses.
"$MC_BIN" verify -- "$TMP/r" >"$TMP/v.out" 2>&1
eq verify_double_dash "$?" 0
"$MC_BIN" verify --quick "$TMP/r" >"$TMP/vq.out" 2>&1
eq verify_refuses_extra "$?" 2
has verify_refuses_said "$TMP/vq.out" "mailcase verify: give one case folder"
