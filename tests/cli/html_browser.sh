#!/bin/sh
# report.html as a browser meets it: headless Chromium loads the sample
# case's page (English and Korean) with no console message at all (a script,
# a resource the Content-Security-Policy refuses, a broken reference would
# each print one). Skips when Chromium is not installed.
. tests/cli/lib.sh
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	skip all "chromium is not installed"
	exit 0
fi
# console FILE: the console lines Chromium prints while it loads FILE.
console() {
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
		--user-data-dir="$TMP/profile" --dump-dom "file://$(realpath "$1")" 2>&1 >/dev/null |
		grep ':CONSOLE' || true
}

# The check itself can fail: a page with a script that logs and an outside
# image (refused by the same policy) prints console lines.
sed -n '1,/<body>/p' templates/en/page.html.mustache | sed 's/{{[^}]*}}//g' > "$TMP/bad.html"
printf '<img src="http://example.invalid/x.png"><script>console.log("x")</script></body></html>\n' >> "$TMP/bad.html"
[ -n "$(console "$TMP/bad.html")" ] && pass check_can_fail || fail check_can_fail "no console line for a page that should print one"

"$MC_BIN" report -o "$TMP/case" cases/sample/sample.pcap cases/sample/sample.mbox >"$TMP/case.out" 2>&1
out=$(console "$TMP/case/report/report.html")
[ -z "$out" ] && pass sample_en_console_clean || fail sample_en_console_clean "$(echo "$out" | head -3)"
cp -R "$TMP/case" "$TMP/case-ko"
"$MC_BIN" render --lang ko "$TMP/case-ko" >/dev/null 2>&1
out=$(console "$TMP/case-ko/report-ko/report.html")
[ -z "$out" ] && pass sample_ko_console_clean || fail sample_ko_console_clean "$(echo "$out" | head -3)"
if [ -n "$CORPUS" ]; then
	"$MC_BIN" report -o "$TMP/ev2" "$CORPUS/evidence02.pcap" >/dev/null 2>&1
	out=$(console "$TMP/ev2/report/report.html")
	[ -z "$out" ] && pass ev2_console_clean || fail ev2_console_clean "$(echo "$out" | head -3)"
fi

# As printed on A4 (tests/cli/html_layout.py, through the DevTools
# protocol): every table inside its page (upright, or landscape for a table
# of class "wide"), every digest in a monospace font on one or two lines,
# no timestamp broken, no console message; English and Korean.
# layout NAME PAGE: the checks on one page.
layout() {
	out=$(timeout 120 python3 tests/cli/html_layout.py "$CHROMIUM" "$2" 2>&1)
	if [ -z "$out" ] || ! printf '%s\n' "$out" | jq -e . >/dev/null 2>&1; then
		fail "$1_layout" "no answer: $(printf '%s\n' "$out" | head -c 300)"
		return
	fi
	eq "$1_layout_console" "$(printf '%s\n' "$out" | jq -c .console)" "[]"
	eq "$1_layout_tables_fit" "$(printf '%s\n' "$out" | jq -c .tables_over)" "[]"
	eq "$1_layout_hex_mono" "$(printf '%s\n' "$out" | jq '.hex_not_mono')" 0
	[ "$(printf '%s\n' "$out" | jq '.hex > 0 and .hex_lines_max <= 2')" = true ] && pass "$1_layout_hex_lines" ||
	    fail "$1_layout_hex_lines" "$(printf '%s\n' "$out" | jq -c '{hex, hex_lines_max}')"
	eq "$1_layout_ts_whole" "$(printf '%s\n' "$out" | jq '.ts_broken')" 0
}
if command -v python3 >/dev/null 2>&1 && command -v jq >/dev/null 2>&1; then
	layout sample_en "$TMP/case/report/report.html"
	layout sample_ko "$TMP/case-ko/report-ko/report.html"
	[ -n "$CORPUS" ] && layout ev2 "$TMP/ev2/report/report.html"
	# The check can fail: a page whose table is wider than A4.
	python3 - "$TMP/case/report/report.html" "$TMP/wide.html" <<'PY'
import sys
s = open(sys.argv[1], encoding='utf-8').read()
cells = ''.join('<td>%s</td>' % ('x' * 60) for _ in range(6))
s = s.replace('<main>', '<main><table><tr>%s</tr></table>' % cells, 1)
open(sys.argv[2], 'w', encoding='utf-8').write(s)
PY
	out=$(timeout 120 python3 tests/cli/html_layout.py "$CHROMIUM" "$TMP/wide.html" 2>&1)
	[ "$(printf '%s\n' "$out" | jq '.tables_over | length')" = 1 ] && pass layout_check_can_fail ||
	    fail layout_check_can_fail "$(printf '%s\n' "$out" | head -c 300)"
else
	skip layout "python3 or jq is not installed"
fi
