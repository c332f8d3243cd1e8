#!/bin/sh
# The worked example and the shared corpus as an examiner reads them: every
# fact that ../shared/corpus/README.md lists for evidence02.pcap appears in the
# report, with its source; evidence01.pcap says plainly that no mail was
# found; the header samples give their routes. Skips without the corpus.
. tests/cli/lib.sh

need_corpus_and_jq

C=$TMP/ev2
"$MC_BIN" report -o "$C" "$CORPUS/evidence02.pcap" >"$TMP/ev2.out" 2>&1
rc=$?
eq ev2_exit "$rc" 0
M=$C/report/report.md
J=$C/report/report.json

# Every extracted file and raw message opens from the report under its
# name: report/extracted/ holds them (links to the store), the report links
# them, SHA256SUMS covers them.
X=$C/report/extracted
eq ev2_extracted_docx "$(sha256sum "$X/0001-secretrendezvous.docx" 2>/dev/null | cut -d' ' -f1)" \
    0eeacf280329a375498dc71c837ad4d773d3b9bdaee1593e60ad434c2a1c723b
eq ev2_extracted_eml "$(sha256sum "$X/message-0002.eml" 2>/dev/null | cut -d' ' -f1)" \
    "$(jq -r '.messages[1].raw_sha256' "$J")"
eq ev2_extracted_count "$(ls "$X" | wc -l | tr -d ' ')" 4
has ev2_extracted_linked "$C/report/report.html" 'href="extracted/0001-secretrendezvous.docx"'
has ev2_eml_linked "$C/report/report.html" 'href="extracted/message-0001.eml"'
has ev2_extracted_sums "$C/report/SHA256SUMS" "  extracted/0001-secretrendezvous.docx"

# Evidence: size, packets, link type, first and last packet.
eq ev2_size "$(jq -r '.evidence[0].size' "$J")" 335144
eq ev2_packets "$(jq -r '.evidence[0].packets' "$J")" 572
eq ev2_link "$(jq -r '.evidence[0].link_types' "$J")" EN10MB
eq ev2_first "$(jq -r '.evidence[0].first' "$J")" 2009-10-10T13:34:08.112737Z
eq ev2_last "$(jq -r '.evidence[0].last' "$J")" 2009-10-10T13:38:22.861997Z

# The two submission sessions, their greetings and the frames of each step.
eq ev2_sessions "$(jq -r '[.sessions[] | "\(.client)>\(.server)"] | join(" ")' "$J")" \
	"192.168.1.159:1036>64.12.102.142:587 192.168.1.159:1038>64.12.102.142:587"
has ev2_banner "$M" "220 cia-mc06.mx.aol.com ESMTP mail\\_cia-mc06.1; Sat, 10 Oct 2009 15:35:16 -0400"
frames() { jq -r --arg l "$2" '.sessions[0].transcript[] | select(.line == $l) | .frames' "$1"; }
eq ev2_frame_banner "$(jq -r '.sessions[0].transcript[0].frames' "$J")" 56
eq ev2_frame_ehlo "$(frames "$J" 'EHLO annlaptop')" 57
eq ev2_frame_auth "$(frames "$J" 'AUTH LOGIN')" 60
eq ev2_frame_user "$(frames "$J" 'c25lYWt5ZzMza0Bhb2wuY29t')" 63
eq ev2_frame_pass "$(frames "$J" 'NTU4cjAwbHo=')" 66
eq ev2_frame_235 "$(frames "$J" '235 AUTHENTICATION SUCCESSFUL')" 68
eq ev2_frame_quit "$(frames "$J" 'QUIT')" 83
eq ev2_frame_221 "$(frames "$J" '221 SERVICE CLOSING CHANNEL')" 85
eq ev2_caps "$(jq -r '[.sessions[0].capabilities[].name] | join("|")' "$J")" \
	"AUTH=LOGIN PLAIN XAOL-UAS-MB|AUTH LOGIN PLAIN XAOL-UAS-MB|STARTTLS|CHUNKING|BINARYMIME|X-AOL-FWD-BY-REF|X-AOL-DIV_TAG|X-AOL-OUTBOX-COPY|HELP"

# Credentials, with their frames in the credentials table of the report.
has ev2_cred_1 "$M" "| 1 | SMTP | LOGIN | sneakyg33k@aol.com | 558r00lz | password | accepted | 235 AUTHENTICATION SUCCESSFUL |"
# One story: the summary's counts are the sections' row counts; identical
# logins are one key finding with their number.
has ev2_sum_files "$M" '| Extracted files (attachments and parts of documents, as in "Extracted files") | 2 |'
has ev2_sec_files "$M" "Files extracted: 2 (2 distinct contents)."
has ev2_sum_stored "$M" "| Contents stored by SHA-256 (extracted files, raw messages and text bodies, each once) | 8 |"
has ev2_sum_logins "$M" "- SMTP LOGIN login as sneakyg33k@aol.com: accepted, 2 times (the first: evidence02.pcap frames 63, 66)"
has ev2_cred_1_frames "$M" "| 192.168.1.159:1036 | 64.12.102.142:587 | evidence02.pcap | 63, 66 |"
has ev2_cred_2_frames "$M" "| 192.168.1.159:1038 | 64.12.102.142:587 | evidence02.pcap | 123, 126 |"

# Messages: headers, envelope, decoded text, provenance.
msg() { jq -r ".messages[$1].$2" "$J"; }
eq ev2_m1_id "$(msg 0 message_id)" '<000901ca49ae$89d698c0$9f01a8c0@annlaptop>'
eq ev2_m1_subject "$(msg 0 subject)" "lunch next week"
eq ev2_m1_date "$(msg 0 date_raw)" "Sat, 10 Oct 2009 07:35:30 -0600"
has ev2_m1_from "$M" 'From: Ann Dercover \<sneakyg33k@aol.com>'
has ev2_m1_rcpt "$M" "Envelope recipients (RCPT TO): sec558@gmail.com"
has ev2_m1_mailer "$M" "Mail program (X-Mailer / User-Agent): Microsoft Outlook Express 6.00.2900.2180"
has ev2_m1_text "$M" "> Sorry-- I can't do lunch next week after all. Heading out of town. Another time! -Ann"
has ev2_m1_prov "$M" "Provenance: evidence02.pcap flow 1, stream offset 136, frames 78, 80"
eq ev2_m2_id "$(msg 1 message_id)" '<001101ca49ae$e93e45b0$9f01a8c0@annlaptop>'
eq ev2_m2_subject "$(msg 1 subject)" "rendezvous"
has ev2_m2_rcpt "$M" "Envelope recipients (RCPT TO): mistersecretx@aol.com"
has ev2_m2_text "$M" "> Hi sweetheart! Bring your fake passport and a bathing suit. Address attached. love, Ann"
eq ev2_m2_first_frame "$(msg 1 frames | cut -d, -f1)" 138
# Every part's three hashes (issue 14 item 5): the raw message as carried and
# each text body too, each the hash of the stored file.
eq ev2_m1_raw_md5 "$(msg 0 raw_md5)" ff6d081afafeb1f4e18ee164b8d33537
eq ev2_m1_parts "$(jq -r '[.messages[0].parts[] | "\(.part // "")/\(.role)/\(.type)/\(.size)/\(.sha1)"] | join(" ")' "$J")" \
    "/raw-message/message/rfc822/1350/6d7b90d26803171ecc3469b3b3a83b49d005af9a 1/body/text/plain/85/441dd0c04dccee5fc45d03933206ca278081d351 2/body/text/html/400/399f49f994357062ff017738cb8fb43ab884217a"
good=0
for p in $(jq -r '.messages[].parts[] | "\(.sha256):\(.md5)"' "$J"); do
	f="$C/artifacts/$(echo "$p" | cut -c1-2)/${p%%:*}"
	[ "$(md5sum < "$f" 2>/dev/null | cut -d' ' -f1)" = "${p#*:}" ] && good=$((good + 1))
done
eq ev2_parts_hashed "$good" "$(jq '[.messages[].parts[]] | length' "$J")"
has ev2_m1_parts_table "$M" "| 1 | text body |  | text/plain | 85 | 541812ed71a51b9c1ae07741ed5ae63c | 441dd0c04dccee5fc45d03933206ca278081d351 |"

# The attachment and what the document holds.
has ev2_docx "$M" "| 2 | secretrendezvous.docx | application/octet-stream | application/vnd.openxmlformats-officedocument.wordprocessingml.document | 207438 | 9e423e11db88f01bbff81172839e1923 | 0eeacf280329a375498dc71c837ad4d773d3b9bdaee1593e60ad434c2a1c723b |"
has ev2_doc_text "$M" "> Meet me at the fountain near the rendezvous point. Address below. I’m bringing all the cash."
has ev2_doc_revision "$M" "| Revision | 1 |"
has ev2_doc_created "$M" "| Created | 2009-10-10T17:58:00Z |"
has ev2_doc_modified "$M" "| Modified | 2009-10-10T18:29:00Z |"
has ev2_doc_creator "$M" "| Author | (empty) |"
has ev2_doc_lastmod "$M" "| Last modified by | (empty) |"
has ev2_image "$M" "word/media/image1.png: MD5 aadeace50997b1ba24b09ac2ef1940b7"
img=$(jq -r '.documents[0].images[0].href' "$J")
[ -f "$C/report/$img" ] && [ "$(md5sum < "$C/report/$img" | cut -d' ' -f1)" = aadeace50997b1ba24b09ac2ef1940b7 ] \
	&& pass ev2_image_file || fail ev2_image_file "$img"
grep -q "<img src=\"../artifacts/7d/7dc8b5a245a0ba9e7a456e718316c4fb0ab5ae59d34833f415a429a5b8a6b437\"" "$C/report/report.html" \
	&& pass ev2_image_in_html || fail ev2_image_in_html "no <img> for image1.png"

# The observed hops, one second after message 1's Date.
has ev2_hop_1 "$M" "| 1 (observed) | annlaptop | 192.168.1.159 | cia-mc06.mx.aol.com |  | SMTP | 2009-10-10 13:35:31 |"
has ev2_hop_2 "$M" "| 1 (observed) | annlaptop | 192.168.1.159 | cia-mc07.mx.aol.com |  | SMTP | 2009-10-10 13:38:13 |"
has ev2_date_consistent "$M" "Its Date header is 1 s before the capture time (consistent)."

# The timeline runs from the first handshake to the last QUIT (and shows
# the capture's first and last packet around them).
kinds=$(jq -r '[.timeline[] | select(.kind == "tcp" or .kind == "quit") | "\(.kind)@\(.time)"] | join(" ")' "$J")
case "$kinds" in
"tcp@2009-10-10T13:35:30.820315Z "*"quit@2009-10-10T13:38:14.908571Z tcp@2009-10-10T13:38:15.024755Z") pass ev2_timeline_span ;;
*) fail ev2_timeline_span "$kinds" ;;
esac
eq ev2_timeline_sorted "$(jq -r '[.timeline[].time_us] | . == sort' "$J")" true

# evidence01.pcap: no mail, said plainly; its flows and hashes are listed.
C1=$TMP/ev1
"$MC_BIN" report -o "$C1" "$CORPUS/evidence01.pcap" >"$TMP/ev1.out" 2>&1
eq ev1_exit "$?" 0
has ev1_no_mail "$C1/report/report.md" "No SMTP, POP3 or IMAP traffic and no mailbox messages were found in the evidence."
has ev1_sha256 "$C1/report/report.md" 8b997bb2d221d538174f89796b6434e853d2ed19bd5da5f15bec9bd7bc485650
has ev1_md5 "$C1/report/report.md" d187d77e18c84f6d72f5845edca833f5
eq ev1_packets "$(jq -r '.evidence[0].packets' "$C1/report/report.json")" 240
[ "$(jq -r '.flows_count' "$C1/report/report.json")" -gt 0 ] && pass ev1_flows || fail ev1_flows "no flows listed"

# The header samples: decoded Korean, routes and verdicts.
C2=$TMP/hops
"$MC_BIN" report -o "$C2" "$CORPUS/spam-2007.eml" "$CORPUS/forged-hops.eml" >"$TMP/hops.out" 2>&1
J2=$C2/report/report.json
eq spam_subject "$(jq -r '.messages[0].subject' "$J2")" "지금 바로 확인해 보세요."
eq spam_from_name "$(jq -r '.messages[0].from_name' "$J2")" "섹시마스터"
eq spam_route "$(jq -r '[.messages[0].route.hops[] | "\(.helo)/\(.ip)/\(.by)/\(.time)/\(.delay)"] | join(" ")' "$J2")" \
	"test.com/200.59.38.130/medsvr01.medentech.com/2007-03-05T23:10:53Z/ medentech.isdn.esat.net/193.120.114.219/relay03.avnetcom.co.kr/2007-03-05T23:14:01Z/3 min 8 s"
eq forged_verdict "$(jq -r '.messages[1].route.verdict' "$J2")" \
	"Likely origin galangal.org [104.128.23.115]; the 2 hops below it look forged."
eq forged_trust "$(jq -r '[.messages[1].route.hops[].trust] | join(" ")' "$J2")" \
	"unverifiable unverifiable origin trusted"
has forged_summary "$C2/report/report.md" "Routes that look forged:"

# The Korean report of the worked example: byte counts with grouped digits,
# long frame lists the Korean way.
cp -R "$C" "$TMP/ev2-ko"
"$MC_BIN" render --lang ko "$TMP/ev2-ko" >/dev/null 2>&1
has ev2_ko_bytes "$TMP/ev2-ko/report-ko/report.md" "- secretrendezvous.docx, 207,438바이트, "
has ev2_ko_frames "$TMP/ev2-ko/report-ko/report.html" "evidence02.pcap 프레임 138~557 중 209개"
has ev2_en_bytes "$M" "- secretrendezvous.docx, 207,438 bytes, "

# Times and the address hidden in the Message-IDs and boundaries
# (docs/hidden-timestamps.md): Outlook Express's FILETIME in UTC and the
# client's address, the boundary's local clock, each against the Date field
# and the capture time (milliseconds), and the sender's zone they imply.
eq ev2_hidden_1 "$(jq -r '[.messages[0].authenticity.hidden[] | "\(.rule)/\(.time)/\(.wall_clock)/\(.address)/\(.date_diff_ms)/\(.capture_diff_ms)/\(.sender_zone)"] | join(" ")' "$J")" \
	"outlook-msgid/2009-10-10T13:35:31.916000Z/null/192.168.1.159/1916/-8/null outlook-boundary/null/2009-10-10 07:35:30.338/null/338/-1586/-06:00"
eq ev2_hidden_2 "$(jq -r '[.messages[1].authenticity.hidden[] | "\(.field)/\(.rule)/\(.time // .wall_clock)/\(.date_diff_ms)/\(.capture_diff_ms)"] | join(" ")' "$J")" \
	"message-id/outlook-msgid/2009-10-10T13:38:11.979000Z/1979/-1321 boundary/outlook-boundary/2009-10-10 07:38:10.775/775/-2525 boundary/outlook-boundary/2009-10-10 07:38:10.775/775/-2525"
has ev2_hidden_md "$M" '| Message-ID | \<000901ca49ae$89d698c0$9f01a8c0@annlaptop> | Outlook Express / Outlook (MimeOLE) Message-ID: a FILETIME in UTC and the sender'"'"'s IPv4 address (outlook-msgid) | 2009-10-10T13:35:31.916000Z | 192.168.1.159 | +1.916 s | -0.008 s |'
has ev2_hidden_local_md "$M" "2009-10-10 07:35:30.338 on the sender's clock, zone not written; UTC-06:00 by the Message-ID's UTC time (-21601.578 s)"
has ev2_hidden_ko "$TMP/ev2-ko/report-ko/report.md" "발신자 시계 2009-10-10 07:35:30.338, 시간대 미기재; Message-ID의 UTC 시각 기준 UTC-06:00 (-21601.578초) |  | +0.338초 (Date 필드의 시계 UTC-06:00 기준) | -1.586초 (Date 필드의 시간대로 환산) |"
eq ev2_hidden_rows "$(sqlite3 "$C/case.db" "SELECT count(*) FROM hidden_times" 2>/dev/null)" 5
