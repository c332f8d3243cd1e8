#!/bin/sh
# --timezone ZONE: every time the report shows is also given in ZONE, after
# the UTC time (message Date lines and the messages table, sessions, flows,
# evidence, the case timeline, transcripts, route hops, hidden times, DKIM
# t= and x=, runs), in English and Korean; without the option no local time
# appears anywhere.
. tests/cli/lib.sh
if ! command -v jq >/dev/null 2>&1; then skip all "jq is not installed"; exit 0; fi
export SOURCE_DATE_EPOCH=1700000000

# A generated mailbox: a KST-dated message with a UTC hop, and a DKIM-signed
# message (t= and x= of tests/tools/dkimsign's pass-rsa.eml).
F=$TMP/fx
mkdir -p "$F"
cat > "$TMP/t.mbox" <<'MBOX'
From kim@example.kr Tue Jul  1 01:53:10 2003
Received: from pc.example.kr (pc.example.kr [192.0.2.1]) by mx.example.net with ESMTP id 1; Tue, 1 Jul 2003 01:52:40 +0000
From: kim@example.kr
To: lee@example.org
Subject: seoul
Date: Tue, 1 Jul 2003 10:52:37 +0900
Message-ID: <20030701015237.GA4242@pc.example.kr>

body one
MBOX
C=$TMP/mbox
"$MC_BIN" report --timezone Asia/Seoul -o "$C" "$TMP/t.mbox" >"$TMP/out" 2>&1
eq mbox_exit "$?" 0
M=$C/report/report.md
has mbox_date_line "$M" "- Date: Tue, 1 Jul 2003 10:52:37 +0900 (2003-07-01T01:52:37Z UTC; 2003-07-01T10:52:37+09:00)"
has mbox_table "$M" "| 1 | Tue, 1 Jul 2003 10:52:37 +0900 (2003-07-01T01:52:37Z; 2003-07-01T10:52:37+09:00) | kim@example.kr |"
has mbox_hop "$M" "| 2003-07-01 01:52:40 (2003-07-01T10:52:40+09:00) |"
has mbox_timeline "$M" "| 2003-07-01T01:52:37Z | 2003-07-01T10:52:37+09:00 | message Date header |"
has mbox_generated "$M" "| Generated at (UTC; Asia/Seoul) | 2023-11-14T22:13:20Z (2023-11-15T07:13:20+09:00) |"
eq mbox_json "$(jq -r '.messages[0] | "\(.date) \(.date_local) \(.route.hops[0].time_local)"' "$C/report/report.json")" \
	"2003-07-01T01:52:37Z 2003-07-01T10:52:37+09:00 2003-07-01T10:52:40+09:00"
"$MC_BIN" render --lang ko "$C" >/dev/null 2>&1
K=$C/report-ko/report.md
has mbox_ko_date "$K" "- 작성 시각(Date): Tue, 1 Jul 2003 10:52:37 +0900 (UTC 2003-07-01T01:52:37Z; 2003-07-01T10:52:37+09:00)"
has mbox_ko_generated "$K" "| 작성 일시(UTC; Asia/Seoul) |"

if "${B:-.}/tests/tools/dkimsign" "$F" >/dev/null 2>&1; then
	"$MC_BIN" report --timezone Asia/Seoul -o "$TMP/dkim" --dkim-keys "$F/keys.txt" "$F/pass-rsa.eml" >/dev/null 2>&1
	# t=1600000000 is 2020-09-13T12:26:40Z, 21:26:40 in Seoul; x= a day later
	has dkim_t_x "$TMP/dkim/report/report.md" "| 2020-09-13T12:26:40Z (2020-09-13T21:26:40+09:00) | 2020-09-14T12:26:40Z (2020-09-14T21:26:40+09:00) |"
else
	fail dkimsign "tests/tools/dkimsign failed"
fi

# Without --timezone: no local time, no _local value in the JSON.
"$MC_BIN" report -o "$TMP/plain" "$TMP/t.mbox" >/dev/null 2>&1
hasnt plain_md "$TMP/plain/report/report.md" "T10:52:37+09:00"
hasnt plain_zone "$TMP/plain/report/report.md" "Asia/Seoul"
eq plain_json "$(jq '[.. | objects | to_entries[] | select((.key | endswith("_local")) and .value != null)] | length' "$TMP/plain/report/report.json")" 0

# evidence02.pcap: the two SMTP submissions of 2009-10-10.
if [ -z "$CORPUS" ] || [ ! -f "$CORPUS/evidence02.pcap" ]; then
	skip evidence02 "the shared corpus is absent"; exit 0
fi
E=$TMP/e2
"$MC_BIN" report --timezone Asia/Seoul -o "$E" "$CORPUS/evidence02.pcap" >/dev/null 2>&1
eq e2_exit "$?" 0
M=$E/report/report.md
has e2_evidence "$M" "| 2009-10-10T13:34:08.112737Z (2009-10-10T22:34:08+09:00) | 2009-10-10T13:38:22.861997Z (2009-10-10T22:38:22+09:00) | 572 | EN10MB |"
has e2_credential "$M" "| 235 AUTHENTICATION SUCCESSFUL | 2009-10-10T13:35:31.444690Z (2009-10-10T22:35:31+09:00) | 192.168.1.159:1036 |"
has e2_session "$M" "| none | 2009-10-10T13:35:31.101734Z (2009-10-10T22:35:31+09:00) | 2009-10-10T13:35:32.383551Z (2009-10-10T22:35:32+09:00) | 1 | evidence02.pcap | 53-88 |"
has e2_flow "$M" "| SMTP | 2009-10-10T13:38:10.908020Z (2009-10-10T22:38:10+09:00) | 2009-10-10T13:38:15.024755Z (2009-10-10T22:38:15+09:00) | 113-569 |"
has e2_flow_head "$M" "| First packet (UTC; Asia/Seoul) | Last packet (UTC; Asia/Seoul) |"
has e2_table "$M" "| 2 | Sat, 10 Oct 2009 07:38:10 -0600 (2009-10-10T13:38:10Z; 2009-10-10T22:38:10+09:00) | Ann Dercover"
has e2_date "$M" "- Date: Sat, 10 Oct 2009 07:35:30 -0600 (2009-10-10T13:35:30Z UTC; 2009-10-10T22:35:30+09:00)"
has e2_hidden "$M" "(outlook-msgid) | 2009-10-10T13:35:31.916000Z (2009-10-10T22:35:31+09:00) | 192.168.1.159"
has e2_hop "$M" "| SMTP | 2009-10-10 13:38:13 (2009-10-10T22:38:13+09:00) |"
has e2_timeline "$M" "| 2009-10-10T13:35:31.444690Z | 2009-10-10T22:35:31+09:00 | login | SMTP LOGIN login as sneakyg33k@aol.com"
has e2_transcript "$M" "| C | 2009-10-10T13:35:31.111176Z (2009-10-10T22:35:31+09:00) | 57 | EHLO annlaptop |"
"$MC_BIN" render --lang ko "$E" >/dev/null 2>&1
K=$E/report-ko/report.md
has e2_ko_session "$K" "| 없음 | 2009-10-10T13:35:31.101734Z (2009-10-10T22:35:31+09:00) | 2009-10-10T13:35:32.383551Z (2009-10-10T22:35:32+09:00) |"
has e2_ko_head "$K" "| 시작(UTC; Asia/Seoul) | 종료(UTC; Asia/Seoul) |"
has e2_ko_date "$K" "- 작성 시각(Date): Sat, 10 Oct 2009 07:38:10 -0600 (UTC 2009-10-10T13:38:10Z; 2009-10-10T22:38:10+09:00)"
# the message's timeline picture gives its two ends in the zone too
has e2_picture_local "$E/report/report.html" 'fill="#424242">2009-10-10T22:35:30+09:00</text>'
# and the route picture each hop's time in the zone under its arrow
has e2_picture_hop_local "$E/report/report.html" '<text x="255" y="73" text-anchor="middle" font-size="9" fill="#424242">2009-10-10T22:35:31+09:00</text>'
