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
out=$(console "$TMP/case-ko/report/report.html")
[ -z "$out" ] && pass sample_ko_console_clean || fail sample_ko_console_clean "$(echo "$out" | head -3)"
if [ -n "$CORPUS" ]; then
	"$MC_BIN" report -o "$TMP/ev2" "$CORPUS/evidence02.pcap" >/dev/null 2>&1
	out=$(console "$TMP/ev2/report/report.html")
	[ -z "$out" ] && pass ev2_console_clean || fail ev2_console_clean "$(echo "$out" | head -3)"
fi
