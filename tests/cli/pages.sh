# A report that scales (issue 13 item 4): a generated mailbox of 2,500
# messages is rendered as a small main report plus appendix pages of at most
# 1,000 rows, linked both ways, in English and Korean, with one JSON Lines
# file per table; SHA256SUMS and verify cover every page; and the peak
# memory of rendering does not grow with the case (2,500 against 5,000).
. tests/cli/lib.sh
if ! command -v python3 >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	skip all "python3 or jq is not installed"; exit 0
fi
TIME=/usr/bin/time
[ -x "$TIME" ] || TIME=

# mkcase N: the case $TMP/cN of N generated messages, rendered; prints the
# peak RSS of the render in KB (or 0 without time(1)).
mkcase() {
	python3 tests/cli/genmbox.py "$1" "$TMP/m$1.mbox"
	"$MC_BIN" report --no-render -o "$TMP/c$1" "$TMP/m$1.mbox" >"$TMP/ingest$1.out" 2>&1
	if [ -n "$TIME" ]; then
		# Under AddressSanitizer freed memory waits in a quarantine that
		# grows with the work done, not with what is live: turned off, so
		# that the peak measures the render in a sanitizer build too.
		# One thread: with workers, two pages are modelled at once
		# whenever they overlap, which is timing, not case size.
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0" MAILCASE_THREADS=1 \
		    $TIME -f %M -o "$TMP/rss$1" "$MC_BIN" render "$TMP/c$1" >"$TMP/render$1.out" 2>&1
		cat "$TMP/rss$1"
	else
		"$MC_BIN" render "$TMP/c$1" >"$TMP/render$1.out" 2>&1
		echo 0
	fi
}

# links_resolve FILE: every relative .md/.html link of FILE names a file.
links_resolve() {
	d=$(dirname "$1")
	grep -oE '\]\([^)#]+\.(md|html)\)|href="[^"#]+\.(md|html)"' "$1" |
	    sed -E 's/^\]\(//; s/\)$//; s/^href="//; s/"$//' | sort -u |
	    while read -r l; do [ -f "$d/$l" ] || echo "$1 -> $l"; done
}

rss1=$(mkcase 2500)
R=$TMP/c2500/report
eq render_2500_exit "$(tail -1 "$TMP/render2500.out" | cut -c1-7)" "report:"
for f in report.md report.html; do
	sz=$(wc -c <"$R/$f")
	[ "$sz" -lt 512000 ] && pass "main_${f}_small" || fail "main_${f}_small" "$sz bytes"
done
eq main_json_count "$(jq '.messages_count' "$R/report.json")" 2500
eq main_json_rows "$(jq '.messages | length' "$R/report.json")" 50
eq main_json_pages "$(jq -r '[.appendix[] | select(.table == "messages") | .pages[].html] | join(" ")' "$R/report.json")" \
    "$(for i in 01 02 03 04 05 06 07 08 09 10; do printf 'messages/page-00%s.html ' $i; done | sed 's/ $//')"
# Each page's rows are lines first..last of the table's JSON Lines file:
# the page's Markdown shows the messages those lines hold.
eq main_json_page_lines "$(jq -c '.appendix[] | select(.table == "messages") | [.jsonl, .pages[2].md, .pages[2].first, .pages[2].last, .pages[9].last]' "$R/report.json")" \
    '["messages.jsonl","messages/page-0003.md",501,750,2500]'
eq page_md_matches_jsonl "$(sed -n 501p "$R/messages.jsonl" | jq -r .no) $(sed -n 750p "$R/messages.jsonl" | jq -r .no)" \
    "$(grep '^### Message ' "$R/messages/page-0003.md" | sed -n '1s/^### Message \([0-9]*\).*/\1/p;$s/^### Message \([0-9]*\).*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
has main_more "$R/report.md" "2450 more: every row is in the appendix pages [1](messages/page-0001.md)"
has main_more_html "$R/report.html" 'href="messages/page-0003.html"'

# Every message in exactly one page, no page over 1,000 rows.
eq pages_exist "$(ls "$R/messages" | tr '\n' ' ')" \
    "$(for i in 01 02 03 04 05 06 07 08 09 10; do printf 'page-00%s.html page-00%s.md ' $i $i; done)"
max=$(for p in "$R"/messages/page-*.md; do grep -c '^### Message ' "$p"; done | sort -n | tail -1)
eq page_rows_max "$max" 250
eq every_message_once "$(grep -h '^### Message ' "$R"/messages/page-*.md | awk '{print $3}' | sort -n | uniq | wc -l | tr -d ' ')/$(grep -h '^### Message ' "$R"/messages/page-*.md | wc -l | tr -d ' ')" "2500/2500"
eq page_md_rows "$(grep -c '^### Message ' "$R/messages/page-0010.md")" 250
has page_back_md "$R/messages/page-0002.md" "[Main report](../report.md) · [Previous page](page-0001.md) · [Next page](page-0003.md)"
has page_back_html "$R/messages/page-0002.html" 'href="../report.html"'
has page_next_html "$R/messages/page-0002.html" 'href="page-0003.html"'
hasnt page_last_no_next "$R/messages/page-0010.md" "Next page"
bad=$(for f in "$R"/report.md "$R"/report.html "$R"/*/page-*.md "$R"/*/page-*.html; do links_resolve "$f"; done | head -3)
eq links_resolve "$bad" ""
eq timeline_paged "$(jq '.timeline_count' "$R/report.json") $(jq '.timeline | length' "$R/report.json")" "$(wc -l <"$R/timeline.jsonl" | tr -d ' ') 50"

# JSON Lines and CSVs.
eq messages_jsonl "$(wc -l <"$R/messages.jsonl" | tr -d ' ')" 2500
eq messages_jsonl_nos "$(jq -r .no "$R/messages.jsonl" | sort -n | uniq | wc -l | tr -d ' ')" 2500
eq files_jsonl "$(wc -l <"$R/files.jsonl" | tr -d ' ')" 500
eq messages_csv_rows "$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))) - 1)' "$R/messages.csv")" 2500

# SHA256SUMS and verify cover every page.
missing=$(cd "$R" && for f in */page-* *.jsonl *.csv; do grep -qF "  $f" SHA256SUMS || echo "$f"; done | head -3)
eq sums_every_page "$missing" ""
check sums_check sh -c "cd '$R' && sha256sum -c --quiet SHA256SUMS"
check verify_ok "$MC_BIN" verify "$TMP/c2500"
cp "$R/messages/page-0002.html" "$TMP/page.keep"
python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[len(b)//2]^=1; open(p,"wb").write(b)' "$R/messages/page-0002.html"
"$MC_BIN" verify "$TMP/c2500" >"$TMP/verify.out" 2>&1
rc=$?
[ $rc -ne 0 ] && pass verify_changed_page_fails || fail verify_changed_page_fails "exit $rc"
has verify_names_page "$TMP/verify.out" "report/messages/page-0002.html"
cp "$TMP/page.keep" "$R/messages/page-0002.html"

# The pages and CSVs are rendered on worker threads: one thread, two and
# three give the same files, byte for byte (the generation time pinned).
for t in 1 2 3; do
	SOURCE_DATE_EPOCH=1700000000 MAILCASE_THREADS=$t "$MC_BIN" render "$TMP/c2500" >"$TMP/render-t$t.out" 2>&1
	rm -rf "$TMP/rep-t$t"
	cp -r "$R" "$TMP/rep-t$t"
done
# (The main report and SHA256SUMS list the case's runs, which differ.)
for t in 1 2 3; do rm -f "$TMP/rep-t$t"/report.* "$TMP/rep-t$t/SHA256SUMS"; done
eq threads_same_2 "$(diff -r "$TMP/rep-t1" "$TMP/rep-t2" 2>&1 | head -3)" ""
eq threads_same_3 "$(diff -r "$TMP/rep-t1" "$TMP/rep-t3" 2>&1 | head -3)" ""
if [ -n "$TIME" ]; then
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0" MAILCASE_THREADS=2 \
	    $TIME -f %M -o "$TMP/rss-t2" "$MC_BIN" render "$TMP/c2500" >/dev/null 2>&1
	r2=$(cat "$TMP/rss-t2")
	echo "  render peak RSS with two threads: ${r2} KB"
	# At most two pages at once: under twice the one-thread peak, and
	# under 256 MB in a build without AddressSanitizer's shadow memory.
	[ "$rss1" -gt 0 ] && [ "$r2" -le $((rss1 * 2)) ] && pass threads_rss_bounded ||
	    fail threads_rss_bounded "${rss1} KB with one thread, ${r2} KB with two"
	if grep -q __asan_init "$MC_BIN"; then
		skip threads_rss_256mb "AddressSanitizer build"
	else
		[ "$r2" -le 262144 ] && pass threads_rss_256mb || fail threads_rss_256mb "${r2} KB"
	fi
fi
eq threads_pages "$(find "$TMP/rep-t2" -name 'page-*' | wc -l | tr -d ' ')" "$(find "$TMP/rep-t1" -name 'page-*' | wc -l | tr -d ' ')"

# A page left by an earlier render (of a larger case) is removed, not kept
# beside the new ones.
: >"$R/messages/page-0019.md"
"$MC_BIN" render "$TMP/c2500" >"$TMP/render-again.out" 2>&1
[ -e "$R/messages/page-0019.md" ] && fail stale_page_removed "page-0019.md is still there" || pass stale_page_removed

# Korean pages: written beside the case's English report (report-ko/),
# which stays as it was, byte for byte; verify covers both.
en_sums=$(sha256sum "$R/SHA256SUMS" | cut -d' ' -f1)
"$MC_BIN" render --lang ko "$TMP/c2500" >"$TMP/render-ko.out" 2>&1
eq render_ko_exit "$?" 0
has render_ko_says "$TMP/render-ko.out" "report: $TMP/c2500/report-ko/report.html"
eq en_report_kept "$(sha256sum "$R/SHA256SUMS" | cut -d' ' -f1)" "$en_sums"
has en_report_english "$R/report.md" "## Summary of findings"
RK=$TMP/c2500/report-ko
has ko_page_heading "$RK/messages/page-0001.md" "부록, 메시지, 10쪽 중 1쪽"
has ko_page_back "$RK/messages/page-0001.md" "[본 보고서](../report.md)"
has ko_main_more "$RK/report.md" "나머지 2450행을 포함한 모든 행은 부록 페이지에 있습니다"
bad=$(for f in "$RK"/report.md "$RK"/*/page-*.md; do links_resolve "$f"; done | head -3)
eq ko_links_resolve "$bad" ""
check ko_verify_ok "$MC_BIN" verify "$TMP/c2500"
"$MC_BIN" verify "$TMP/c2500" >"$TMP/verify-both.out" 2>&1
has ko_verify_lists "$TMP/verify-both.out" "report-ko/messages/page-0001.md"
cp "$RK/report.md" "$TMP/ko.keep"
echo x >>"$RK/report.md"
"$MC_BIN" verify "$TMP/c2500" >"$TMP/verify-ko.out" 2>&1
rc=$?
[ $rc -ne 0 ] && pass ko_changed_fails || fail ko_changed_fails "exit $rc"
has ko_changed_named "$TMP/verify-ko.out" "report-ko/report.md"
cp "$TMP/ko.keep" "$RK/report.md"
# A plain render afterwards is English again, in report/.
"$MC_BIN" render "$TMP/c2500" >/dev/null 2>&1
has en_again "$R/report.md" "## Summary of findings"

# Twice the case: more pages, the same memory.
rss2=$(mkcase 5000)
eq pages_5000 "$(ls "$TMP/c5000/report/messages" | grep -c '\.md$')" 20
echo "  render peak RSS: 2,500 messages ${rss1} KB, 5,000 messages ${rss2} KB"
if [ -n "$TIME" ] && [ "$rss1" -gt 0 ]; then
	# Memory must not follow the case: twice the messages, at most 25% more.
	[ $((rss2 * 4)) -le $((rss1 * 5)) ] && pass rss_flat || fail rss_flat "${rss1} KB -> ${rss2} KB"
else
	skip rss_flat "time(1) is not installed"
fi

# A capture with more flows than the main report shows (tests/tools/gencap):
# the flows get pages, and the whole-case figures are the same on a page as
# in the main report.
G=${B:-.}/tests/tools/gencap
if [ -x "$G" ]; then
	"$G" "$TMP/g.pcap" 30 >/dev/null 2>&1
	"$MC_BIN" report -o "$TMP/cap" "$TMP/g.pcap" >"$TMP/cap.out" 2>&1
	CR=$TMP/cap/report
	eq cap_flows_paged "$(jq -c '[.flows_count, (.flows | length), .flows_paged]' "$CR/report.json")" "[172,50,true]"
	eq cap_flows_page "$(jq -c '.appendix[] | select(.table == "flows") | [.rows, .jsonl, .pages[0].md, .pages[0].first, .pages[0].last]' "$CR/report.json")" \
	    '[172,"flows.jsonl","flows/page-0001.md",1,172]'
	has cap_flows_page_figures "$CR/flows/page-0001.md" \
	    "172 TCP flows were rebuilt from the captures; $(jq .flows_mail "$CR/report.json") of them carry mail"
	eq cap_flows_jsonl "$(wc -l <"$CR/flows.jsonl" | tr -d ' ')" 172
	eq cap_timeline_jsonl "$(wc -l <"$CR/timeline.jsonl" | tr -d ' ')" "$(jq .timeline_count "$CR/report.json")"
	# A table without rows still has its CSV header row.
	eq cap_documents_csv_empty "$(jq -r .documents_count "$CR/report.json") $(tr -d '\r' <"$CR/documents.csv" | wc -l | tr -d ' ')" "0 1"
	eq cap_sessions_one_page "$(jq -c '[.sessions_count, (.sessions | length), .sessions_paged]' "$CR/report.json")" "[17,17,null]"
	check cap_verify "$MC_BIN" verify "$TMP/cap"
	# A FETCH reply without a UID says so, never "UID ,".
	"$G" --mail "$TMP/m.pcap" 1 >/dev/null 2>&1
	"$MC_BIN" report -o "$TMP/mailcap" "$TMP/m.pcap" >"$TMP/mailcap.out" 2>&1
	MR=$TMP/mailcap/report
	eq imap_no_uid_said "$(cat "$MR"/messages/page-*.md | grep -c 'mailbox INBOX, no UID in the reply, message sequence number')" \
	    "$(jq -s '[.[] | select(.imap != null and .imap.uid == null)] | length' "$MR/messages.jsonl")"
	hasnt imap_no_empty_uid "$MR/messages/page-0001.md" "UID ,"
else
	skip cap_flows_paged "tests/tools/gencap is not built"
fi
