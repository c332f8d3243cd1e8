#!/bin/sh
# What Zeek's expected logs say about its own test captures (corpus zeek/,
# see zeek/MAPPING.md) must reach mailcase's report, not only its case
# database (tests/unit/test_zeek_smtp.c checks the database for every
# trace). Exact strings in report.json and report.md for a few captures.
#
# Where the report writes a value differently from Zeek's smtp.log:
# - Zeek's to/cc are sets, logged in hash order; the report keeps the order
#   of the header (RFC 5322 3.6.3), which is what the sender wrote.
# - Zeek logs From as written ('"Gurpartap Singh" <gurpartap@patriots.in>');
#   the report writes the decoded display name, quoted only when it holds a
#   special ('"rafael@kernel.org" <rafael@kernel.org>'), RFC 5322 3.4.
# - report.md escapes Markdown: "<" is written "\<", "_" "\_", "[" "\[".
. tests/cli/lib.sh

need_corpus_and_jq
Z=$CORPUS/zeek/testing/btest/Traces

# js NAME CASE FILTER WANT: one jq value of CASE/report/report.json
js() { eq "$1" "$(jq -r "$3" "$2/report/report.json" 2>&1)" "$4"; }
# report NAME TRACE: a case from one capture
report() {
	"$MC_BIN" report -o "$TMP/$1" "$2" >"$TMP/$1.out" 2>&1
	rc=$?
	[ $rc -eq 0 ] && pass "$1_exit" || fail "$1_exit" "exit $rc: $(head -c 300 "$TMP/$1.out" | tr '\n' ' ')"
}

# smtp.pcap (Zeek baselines smtp.basic, smtp.attachment): two sessions.
report smtp "$Z/smtp.pcap"
C=$TMP/smtp
js smtp_helo "$C" '[.sessions[].helo] | join("|")' 'GP|[192.168.133.100]'
js smtp_m1_from "$C" '.messages[0].from' 'Gurpartap Singh <gurpartap@patriots.in>'
js smtp_m1_to "$C" '.messages[0].to' 'raj_deol2002in@yahoo.co.in'
js smtp_m1_subject "$C" '.messages[0].subject' 'SMTP'
js smtp_m1_msgid "$C" '.messages[0].message_id' '<000301ca4581$ef9e57f0$cedb07d0$@in>'
js smtp_m1_date "$C" '.messages[0].date_raw' 'Mon, 5 Oct 2009 11:36:07 +0530'
js smtp_m1_agent "$C" '.messages[0].x_mailer' 'Microsoft Office Outlook 12.0'
js smtp_m1_envelope "$C" '.messages[0].env_from + " -> " + .messages[0].env_rcpt' \
	'gurpartap@patriots.in -> raj_deol2002in@yahoo.co.in'
js smtp_m2_from "$C" '.messages[1].from' 'Albert Zaharovits <albert@example.com>'
js smtp_m2_to "$C" '.messages[1].to' 'ericlim220@yahoo.com'
js smtp_m2_cc "$C" '.messages[1].cc' 'felica4uu@hotmail.com, davis_mark1@outlook.com'
js smtp_m2_subject "$C" '.messages[1].subject' 'Re: Bro SMTP CC Header'
js smtp_m2_msgid "$C" '.messages[1].message_id' '<A6202DF2-8E58-4E41-BE0B-C8D3989A4AEE@example.com>'
js smtp_m2_reply "$C" '.messages[1].in_reply_to' '<9ACEE03C-AB98-4046-AEC1-BF4910C61E96@example.com>'
js smtp_m2_agent "$C" '.messages[1].x_mailer' 'Apple Mail (2.2102)'
js smtp_m2_rcpt "$C" '.messages[1].env_rcpt' 'ericlim220@yahoo.com, felica4uu@hotmail.com, davis_mark1@outlook.com'
M=$C/report/report.md
has smtp_md_from "$M" '- From: Gurpartap Singh \<gurpartap@patriots.in>'
has smtp_md_msgid "$M" '- Message-ID: \<000301ca4581$ef9e57f0$cedb07d0$@in>'
has smtp_md_cc "$M" '- Cc: felica4uu@hotmail.com, davis\_mark1@outlook.com'
has smtp_md_subject "$M" '### Message 2: Re: Bro SMTP CC Header'
has smtp_md_helo "$M" '- Client name (HELO/EHLO): \[192.168.133.100\]'
has smtp_md_rcpt "$M" '- Envelope recipients (RCPT TO): ericlim220@yahoo.com, felica4uu@hotmail.com, davis\_mark1@outlook.com'

# smtp-bdat-pipeline-8bitmime.pcap: two messages over BDAT, long Cc lists,
# a display name that is an address.
report bdat "$Z/smtp/smtp-bdat-pipeline-8bitmime.pcap"
C=$TMP/bdat
js bdat_m1_cc "$C" '.messages[0].cc' 'Daniel Lezcano <daniel.lezcano@linaro.org>, "rafael@kernel.org" <rafael@kernel.org>, Andy Shevchenko <andriy.shevchenko@linux.intel.com>, Lukasz Luba <lukasz.luba@arm.com>, open list <linux-kernel@vger.kernel.org>'
js bdat_m1_subject "$C" '.messages[0].subject' 'Re: [PATCH 1/2] units: Add the HZ_PER_KHZ macro'
js bdat_m1_msgid "$C" '.messages[0].message_id' '<CAHp75Vd5u1jHKPALfBTTqEoXf-4OAdLhsn3A-fzPw3Me=7hhMA@mail.gmail.com>'
js bdat_m2_from "$C" '.messages[1].from' 'Alejandro Colomar <alx.manpages@gmail.com>'
js bdat_m2_to "$C" '.messages[1].to' 'linux-man@vger.kernel.org, Amir Goldstein <amir73il@gmail.com>, Michael Kerrisk <mtk.manpages@gmail.com>, Luis Henriques <lhenriques@suse.de>, Steve French <sfrench@samba.org>'
js bdat_m2_cc_count "$C" '.messages[1].cc | split(", ") | length' '22'
js bdat_m2_date "$C" '.messages[1].date_raw' 'Thu,  4 Mar 2021 10:38:07 +0100'
js bdat_m2_agent "$C" '.messages[1].x_mailer' 'git-send-email 2.30.1.721.g45526154a5'
M=$C/report/report.md
has bdat_md_subject "$M" '### Message 2: \[RFC v4\] copy\_file\_range.2: Update cross-filesystem support for 5.12'
has bdat_md_quoted "$M" '"rafael@kernel.org" \<rafael@kernel.org>'
has bdat_md_msgid "$M" '- Message-ID: \<20210304093806.10589-1-alx.manpages@gmail.com>'

# connect-with-smtp.pcap (Zeek baseline http.http-connect): SMTP inside an
# HTTP CONNECT tunnel on port 8240.
report tunnel "$Z/http/connect-with-smtp.pcap"
C=$TMP/tunnel
js tunnel_helo "$C" '.sessions[0].helo' '208.191.73.21'
js tunnel_notes "$C" '.sessions[0].notes' 'carried in an HTTP CONNECT tunnel'
js tunnel_from "$C" '.messages[0].from' 'Sybille Ostermann <nhfjenna_neumann@lycos.com>'
js tunnel_to "$C" '.messages[0].to' 'thenightwatch@t-online.de'
js tunnel_subject "$C" '.messages[0].subject' 'Hier sind die dicken Girls hemmungloser denn je.. grcu'
js tunnel_agent "$C" '.messages[0].x_mailer' 'Microsoft Outlook Build 10.0.2616'
has tunnel_md_from "$TMP/tunnel/report/report.md" '- From: Sybille Ostermann \<nhfjenna\_neumann@lycos.com>'

# The summary's list of messages (the key findings) names each one's
# recipients, Date and place in the evidence.
has smtp_md_summary "$TMP/smtp/report/report.md" '- "Re: Bro SMTP CC Header" from albert@example.com to ericlim220@yahoo.com, felica4uu@hotmail.com, davis\_mark1@outlook.com, dated Sat, 25 Jul 2015 16:43:07 +0300 (smtp.pcap frames 87)'
js smtp_summary_msgid "$TMP/smtp" '.summary.messages[0].message_id' '<000301ca4581$ef9e57f0$cedb07d0$@in>'

# pop3.pcap (Zeek baseline pop3.basic prints commands only): the logins and
# the messages retrieved reach the report.
report pop3 "$Z/pop3/pop3.pcap"
C=$TMP/pop3
js pop3_creds "$C" '[.credentials[] | .mechanism + " " + .user + " " + .secret + " " + .verdict] | join("|")' \
	'PLAIN digitalinvestigator@networksims.com napier rejected|PLAIN digitalinvestigator@networksims.com napier123 accepted|PLAIN digitalinvestigator@networksims.com napier123 accepted'
js pop3_subjects "$C" '[.messages[].subject] | join("|")' 'A message from 1&1 Internet|Testing|RE: Testing'

# bad-list-retr-crafted.pcap: the message Zeek loses (its analyzer stops at
# the LIST listing without "."); the report shows it and why.
report badlist "$Z/pop3/bad-list-retr-crafted.pcap"
C=$TMP/badlist
js badlist_msg "$C" '.messages[0].subject + " | " + .messages[0].from + " | " + .messages[0].to' \
	'Crafted email | zeek@zeek.org | zeek@zeek.org'
js badlist_log "$C" '[.log[].code] | join("|")' 'pop3.bad_reply|pop3.unterminated'
