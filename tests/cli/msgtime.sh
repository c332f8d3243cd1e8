#!/bin/sh
# One timeline per message: a message dated in KST whose origin hop wrote
# UTC shows both clocks agreeing; one whose Date is hours off its Received
# chain is flagged with the difference; the mbox From_ line is on the
# timeline; --timezone gives local times; the Korean report says the same.
. tests/cli/lib.sh

if ! command -v jq >/dev/null 2>&1; then skip all "jq is not installed"; exit 0; fi

cat > "$TMP/t.mbox" <<'MBOX'
From kim@example.kr Tue Jul  1 01:53:10 2003
Received: from mx.example.net (mx.example.net [192.0.2.2]) by in.example.org with ESMTP id 2; Tue, 1 Jul 2003 01:52:50 +0000
Received: from pc.example.kr (pc.example.kr [192.0.2.1]) by mx.example.net with ESMTP id 1; Tue, 1 Jul 2003 01:52:40 +0000
From: kim@example.kr
To: lee@example.org
Subject: agreeing clocks
Date: Tue, 1 Jul 2003 10:52:37 +0900
Message-ID: <20030701015237.GA4242@pc.example.kr>

body one

From lee@example.org Tue Jul  1 05:00:30 2003
Received: from relay.example.net (relay.example.net [192.0.2.3]) by in.example.org with ESMTP id 3; Tue, 1 Jul 2003 05:00:20 +0000
Received: from pc2.example.org (pc2.example.org [192.0.2.4]) by relay.example.net with ESMTP id 4; Tue, 1 Jul 2003 05:00:10 +0000
From: lee@example.org
To: kim@example.kr
Subject: backdated
Date: Tue, 1 Jul 2003 02:00:00 +0000
Message-ID: <x1@pc2.example.org>

body two
MBOX

C=$TMP/case
"$MC_BIN" report --timezone Asia/Seoul -o "$C" "$TMP/t.mbox" >"$TMP/out" 2>&1
eq exit "$?" 0
J=$C/report/report.json
M=$C/report/report.md

# 1: KST Date, UTC hops, mutt's UTC Message-ID, the From_ line: one clock.
eq kst_events "$(jq -r '[.messages[0].times.events[] | "\(.kind)/\(.time)/\(.step_ms)/\(.finding)"] | join(" ")' "$J")" \
	"hidden/2003-07-01T01:52:37Z/null/ok date/2003-07-01T01:52:37Z/0/ok hop/2003-07-01T01:52:40Z/3000/ok hop/2003-07-01T01:52:50Z/10000/ok from-line/2003-07-01T01:53:10Z/20000/ok"
eq kst_written "$(jq -r '[.messages[0].times.events[] | .written] | join(" | ")' "$J")" \
	"2003-07-01 01:52:37.000 UTC | 2003-07-01 10:52:37 UTC+09:00 | 2003-07-01 01:52:40 UTC+00:00 | 2003-07-01 01:52:50 UTC+00:00 | From kim@example.kr Tue Jul  1 01:53:10 2003 (no zone: read as UTC)"
eq kst_local "$(jq -r '.messages[0].times.events[0].time_local' "$J")" "2003-07-01T10:52:37+09:00"
eq kst_note "$(jq -r '.messages[0].times.zone_note' "$J")" \
	"The Date field (written in UTC+09:00) and the origin hop (written in UTC+00:00) agree (+3 s): the sender's clock was set to UTC+09:00."
eq kst_no_findings "$(jq -r '.messages[0].times.findings_any' "$J")" false
eq from_line_db "$(sqlite3 "$C/case.db" "SELECT from_line_us FROM messages WHERE id = 1" 2>/dev/null)" 1057024390000000

# 2: a Date three hours before its origin hop: the hop is flagged, +10,790 s.
eq far_finding "$(jq -r '[.messages[1].times.events[] | "\(.kind)/\(.finding)/\(.finding_s)"] | join(" ")' "$J")" \
	"date/ok/null hop/far/10810 hop/ok/null from-line/ok/null"
eq far_text "$(jq -r '.messages[1].times.findings[0].text' "$J")" \
	"Received hop 1 (header 2): far after the time before it (+10810 s (3 h 0 min) against Date field)"
has far_md "$M" "| 2 | Received hop 1 (header 2) | 2003-07-01T05:00:10Z | 2003-07-01 05:00:10 UTC+00:00 | 2003-07-01T14:00:10+09:00 | +10810 s (3 h 0 min) | Received hop 1 (header 2): far after the time before it (+10810 s (3 h 0 min) against Date field) |"
has md_header "$M" "| # | Time | UTC | As written | Asia/Seoul | After the time before it | Finding |"

# The same Date three hours after the chain puts the hops out of order.
sed 's/^Date: Tue, 1 Jul 2003 02:00:00 +0000/Date: Tue, 1 Jul 2003 08:00:00 +0000/' "$TMP/t.mbox" > "$TMP/late.mbox"
C2=$TMP/late
"$MC_BIN" report -o "$C2" "$TMP/late.mbox" >"$TMP/out2" 2>&1
eq late_finding "$(jq -r '[.messages[1].times.events[] | "\(.kind)/\(.finding)/\(.finding_s)"] | join(" ")' "$C2/report/report.json")" \
	"date/ok/null hop/out-of-order/-10790 hop/out-of-order/-10780 from-line/out-of-order/-10770"
eq late_no_local "$(jq -r '.messages[1].times.local_any' "$C2/report/report.json")" false

# Korean
"$MC_BIN" render --lang ko "$C" >/dev/null 2>&1
K=$C/report-ko/report.md
has ko_header "$K" "| 번호 | 시각 | UTC | 기록된 그대로 | Asia/Seoul | 앞선 시각과의 차이 | 발견 사항 |"
has ko_far "$K" "Received 홉 1 (헤더 2): 앞선 값과 간격이 비정상적으로 큼 (Date 필드 대비 +10810초 (3시간 0분))"
has ko_note "$K" "Date 필드(UTC+09:00로 기록)와 발신 홉(UTC+00:00로 기록)의 시각이 일치합니다 (+3초): 발신자의 시계는 UTC+09:00였습니다."

# Many hidden times: the timeline shows the first 16 and says how many more.
{
	printf 'From: a@example.com\nTo: b@example.org\nSubject: many parts\nDate: Sat, 10 Oct 2009 13:35:30 +0000\nMessage-ID: <m@example.com>\nMIME-Version: 1.0\n'
	printf 'Content-Type: multipart/mixed; boundary="----=_Part_0_1.1255181730338"\n\n'
	i=1
	while [ $i -le 17 ]; do
		printf -- '------=_Part_0_1.1255181730338\nContent-Type: multipart/alternative; boundary="----=_Part_%d_1.1255181730338"\n\n' $i
		printf -- '------=_Part_%d_1.1255181730338\nContent-Type: text/plain\n\nx\n------=_Part_%d_1.1255181730338--\n' $i $i
		i=$((i + 1))
	done
	printf -- '------=_Part_0_1.1255181730338--\n'
} > "$TMP/many.eml"
"$MC_BIN" report -o "$TMP/many" "$TMP/many.eml" >"$TMP/out3" 2>&1
J3=$TMP/many/report/report.json
eq many_hidden "$(jq -r '.messages[0].authenticity.hidden | length' "$J3")" 18
eq many_events "$(jq -r '[.messages[0].times.events[] | select(.kind == "hidden")] | length' "$J3")" 16
eq many_omitted "$(jq -r '.messages[0].times.hidden_omitted' "$J3")" 2
has many_said "$TMP/many/report/report.md" "2 more hidden times are left out of this timeline (the first 16 are shown); all are in the Authenticity table above."
