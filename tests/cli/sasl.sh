# SASL mechanisms that carry an identity (issue 14 item 4), end to end: the
# capture scripts of tests/golden/capture (40-46) become pcaps, mailcase
# reads them into a case, and the credentials table holds exactly these
# rows, for SMTP AUTH, POP3 AUTH and IMAP AUTHENTICATE. The NTLMv2 line is
# the one tests/unit/test_sasl.c verifies against the password Winter2026!,
# the NTLMv1 one against "password".
. tests/cli/lib.sh
if ! command -v sqlite3 >/dev/null 2>&1; then
	skip all "sqlite3 is not installed"; exit 0
fi
G=${B:-.}/tests/tools/golden
for c in 40-smtp-auth-ntlm 41-pop3-auth-ntlm 42-imap-authenticate-ntlm 43-smtp-auth-digest-md5 \
    44-imap-authenticate-scram-sha-256 45-pop3-auth-oauthbearer 46-smtp-auth-unknown-mechanism; do
	"$G" pcap "tests/golden/capture/$c.conv" "$TMP/$c.pcap" || { fail pcap "$c"; exit 0; }
done
"$MC_BIN" report -o "$TMP/case" "$TMP"/*.pcap >"$TMP/out" 2>&1 || { fail report "$(head -c 300 "$TMP/out")"; exit 0; }
q() { sqlite3 -separator ' | ' "$TMP/case/case.db" "SELECT protocol, mechanism, coalesce(username, '-'), coalesce(domain, '-'), coalesce(workstation, '-'), coalesce(secret_kind, '-'), coalesce(crack_line, '-'), verdict FROM credentials WHERE $1 ORDER BY id"; }
V2='Alice::CORP:0123456789abcdef:a021fb8a1f1d6ca15f859741f978e2f9:0101000000000000000000000000d001aaaaaaaaaaaaaaaa000000000200080043004f00520050000000000000000000'
eq smtp_ntlm "$(q "protocol = 'smtp' AND mechanism = 'NTLM'")" "smtp | NTLM | Alice | CORP | ALICE-PC | netntlmv2 response | $V2 | accepted"
eq pop3_ntlm "$(q "protocol = 'pop3' AND mechanism = 'NTLM'")" "pop3 | NTLM | Alice | CORP | ALICE-PC | netntlmv2 response | $V2 | rejected"
eq imap_ntlm "$(q "protocol = 'imap' AND mechanism = 'NTLM'")" "imap | NTLM | bob | OLD | XP | netntlmv1 response | bob::OLD:dd5428b01e86f4dfcabeac394946dbd43ee88f794dd63255:dd5428b01e86f4dfcabeac394946dbd43ee88f794dd63255:0123456789abcdef | accepted"
eq smtp_ntlm_secret "$(sqlite3 "$TMP/case/case.db" "SELECT secret FROM credentials WHERE protocol = 'smtp' AND mechanism = 'NTLM'")" \
    a021fb8a1f1d6ca15f859741f978e2f90101000000000000000000000000d001aaaaaaaaaaaaaaaa000000000200080043004f00520050000000000000000000
eq digest "$(q "mechanism = 'DIGEST-MD5'")" 'smtp | DIGEST-MD5 | chris | elwood.innosoft.com | - | digest-md5 response | $DIGEST-MD5$chris$elwood.innosoft.com$OA6MG9tEQGm2hh$smtp/elwood.innosoft.com$OA6MHXh6VqTrRk$00000001$auth$52ff44907f72314481b5c098c708ebf3 | accepted'
eq scram "$(q "mechanism = 'SCRAM-SHA-256'")" 'imap | SCRAM-SHA-256 | user | - | - | scram proof | - | accepted'
eq scram_details "$(sqlite3 "$TMP/case/case.db" "SELECT details FROM credentials WHERE mechanism = 'SCRAM-SHA-256'")" \
    'salt=W22ZaJ0SNY7soEsUEjb6gQ==; iterations=4096; nonce=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0; proof=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=; auth_message=n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0; server_signature=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='
eq oauthbearer "$(q "mechanism = 'OAUTHBEARER'") / $(sqlite3 "$TMP/case/case.db" "SELECT secret FROM credentials WHERE mechanism = 'OAUTHBEARER'")" \
    'pop3 | OAUTHBEARER | user@example.com | - | - | oauth token | - | rejected / vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg=='
eq unknown "$(sqlite3 "$TMP/case/case.db" "SELECT mechanism || ': ' || details FROM credentials WHERE mechanism LIKE 'X-%' OR mechanism = 'EXTERNAL' ORDER BY id")" \
    'EXTERNAL: C=
X-TOKEN: S=token please; C=base64:AAEC/w==; S=and the second part; C=part2'
R=$TMP/case/report/report.md
has report_domain "$R" 'Alice (domain CORP) (workstation ALICE-PC)'
has report_crack_line "$R" "crack line: \`$V2\`"
has report_mode "$R" 'NetNTLMv2: mode 5600'
if "$MC_BIN" render --lang ko "$TMP/case" >"$TMP/out.ko" 2>&1; then
	R=$TMP/case/report-ko/report.md
	has report_ko_domain "$R" 'Alice (도메인 CORP) (워크스테이션 ALICE-PC)'
	has report_ko_mode "$R" 'NetNTLMv2: 모드 5600'
else
	fail report_ko "$(head -c 300 "$TMP/out.ko")"
fi
