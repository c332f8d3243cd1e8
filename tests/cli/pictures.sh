#!/bin/sh
# The pictures of the HTML report: each message's route and timeline drawn
# as inline SVG (report/svg.c) where the Markdown has an image reference;
# host names from evidence stay text; the Markdown carries no SVG; the same
# case renders the same bytes twice.
. tests/cli/lib.sh
export SOURCE_DATE_EPOCH=1700000000

# Received fields whose host names are hostile: an attribute breakout,
# markup (the Received parser ends a name at "<"; tests/unit/test_svg.c gives
# svg.c "<script>" itself) and a right-to-left override (U+202E, which the
# case database already holds as the text \u202E).
printf '%s\n' \
	'Received: from mx.example.net ([192.0.2.2]) by in.example.org with ESMTP id 2; Tue, 1 Jul 2003 01:52:50 +0000' \
	"Received: from evil\"onload=\"x<script>alert(1)</script> ([192.0.2.1]) by a$(printf '\342\200\256')gpj.exe with ESMTP id 1; Tue, 1 Jul 2003 01:52:40 +0000" \
	'From: kim@example.kr' 'To: lee@example.org' 'Subject: pictures' \
	'Date: Tue, 1 Jul 2003 10:52:37 +0900' 'Message-ID: <p1@example.kr>' '' 'body' > "$TMP/h.eml"
C=$TMP/case
"$MC_BIN" report -o "$C" "$TMP/h.eml" >"$TMP/out" 2>&1
eq exit "$?" 0
H=$C/report/report.html
M=$C/report/report.md
has md_route_ref "$M" "![Route of message 1, drawn (in the HTML report)](#mailcase-figure-route-1)"
has md_times_ref "$M" "![Timeline of message 1, drawn (in the HTML report)](#mailcase-figure-times-1)"
hasnt md_no_svg "$M" "<svg"
eq html_pictures "$(grep -o '<svg xmlns="http://www.w3.org/2000/svg" class="mc-figure"' "$H" | wc -l)" 2
hasnt html_no_img_ref "$H" "#mailcase-figure-"
hasnt html_no_script "$H" "<script"
# inside the pictures: the hostile names as text only
sed -n 's/.*\(<svg xmlns.*<\/svg>\).*/\1/p' "$H" | sed 's/<\/svg>/<\/svg>\n/g' > "$TMP/svg.txt"
has svg_escaped "$TMP/svg.txt" '>evil&quot;onload=&quot;x</text>'
hasnt svg_no_attr "$TMP/svg.txt" 'onload="'
hasnt svg_no_rlo "$TMP/svg.txt" "$(printf '\342\200\256')"
has svg_rlo_shown "$TMP/svg.txt" '>a\u202Egpj.exe</text>'
has svg_hop_time "$TMP/svg.txt" ">2003-07-01 01:52:40<"
cp "$H" "$TMP/first.html"
"$MC_BIN" render "$C" >/dev/null 2>&1
eq deterministic "$(sed -n '/<svg/,/<\/svg>/p' "$H" | sha256sum)" "$(sed -n '/<svg/,/<\/svg>/p' "$TMP/first.html" | sha256sum)"
"$MC_BIN" render --lang ko "$C" >/dev/null 2>&1
has ko_route "$C/report-ko/report.html" "<title>전달 경로: 발신지에서 오른쪽으로, 홉마다 화살표</title>"

if [ -z "$CORPUS" ] || [ ! -f "$CORPUS/forged-hops.eml" ]; then
	skip forged "the shared corpus is absent"; exit 0
fi
"$MC_BIN" report -o "$TMP/forged" "$CORPUS/forged-hops.eml" >/dev/null 2>&1
has forged_red "$TMP/forged/report/report.html" '<text x="405" y="80" text-anchor="middle" font-size="10" fill="#c62828">! flagged hop</text>'
has forged_origin "$TMP/forged/report/report.html" '>mail.bieberdorf.edu</text>'
