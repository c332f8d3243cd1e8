# Authenticity (issue 16): DKIM verified offline through the command line.
# Messages signed by libopendkim's signer with keys made on the fly
# (tests/tools/dkimsign), the keys given as dig output with --dkim-keys;
# the case.db rows and report.json fields are compared exactly.
. tests/cli/lib.sh
if ! command -v sqlite3 >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	skip all "sqlite3 or jq is not installed"; exit 0
fi
F=$TMP/fx
mkdir -p "$F"
"$B/tests/tools/dkimsign" "$F" || { fail fixtures "dkimsign failed"; exit 0; }
"$MC_BIN" report -o "$TMP/case" --dkim-keys "$F/keys.txt" "$F"/*.eml >"$TMP/out" 2>&1 ||
	{ fail report "$(head -c 300 "$TMP/out")"; exit 0; }
DB=$TMP/case/case.db
J=$TMP/case/report/report.json
rows=$(sqlite3 "$DB" "SELECT m.subject || '|' || s.selector || '|' || s.algorithm || '|' || s.result || '|' ||
    s.body_hash || '|' || coalesce(k.name, '-') || '|' || s.eval_basis || '|' || coalesce(s.eval_us, '-') || '|' ||
    coalesce(s.x, '-') FROM dkim_signatures s JOIN messages m ON m.id = s.message_id
    LEFT JOIN dkim_keys k ON k.id = s.key_id ORDER BY m.subject")
eq dkim_rows "$rows" "body|rsa|rsa-sha256|body-altered|mismatch|rsa._domainkey.example.com|date|1600000000000000|-
expired|rsa|rsa-sha256|expired|match|rsa._domainkey.example.com|received|1600007200000000|1600003600
headers|rsa|rsa-sha256|headers-altered|match|rsa._domainkey.example.com|date|1600000000000000|-
nokey|absent|rsa-sha256|no-key|match|-|date|1600000000000000|-
pass-ed|ed|ed25519-sha256|pass|match|ed._domainkey.example.com|date|1600000000000000|-
pass-rsa|rsa|rsa-sha256|pass|match|rsa._domainkey.example.com|date|1600000000000000|1600086400
revoked|gone|rsa-sha256|key-revoked|match|gone._domainkey.example.com|date|1600000000000000|-"
# the keys are kept in the case as given, each record's SHA-256 that of its joined text
for k in rsa ed gone; do
	want=$(sha256sum < "$F/$k.record" | cut -d' ' -f1)
	eq "key_${k}_sha256" "$(sqlite3 "$DB" "SELECT sha256 FROM dkim_keys WHERE name = '$k._domainkey.example.com'")" "$want"
	eq "key_${k}_record" "$(sqlite3 "$DB" "SELECT record FROM dkim_keys WHERE name = '$k._domainkey.example.com'")" "$(cat "$F/$k.record")"
done
rsa_sha=$(sha256sum < "$F/rsa.record" | cut -d' ' -f1)
eq json_pass "$(jq -c '.messages[] | select(.subject == "pass-rsa") | .authenticity.dkim[0] |
    [.domain, .selector, .result, .body_hash, .key_sha256, .signed_at, .expires, .evaluated_at, .evaluated_by,
     .signed_headers, .canonicalization]' "$J")" \
    "[\"example.com\",\"rsa\",\"pass\",\"match\",\"$rsa_sha\",\"2020-09-13T12:26:40Z\",\"2020-09-14T12:26:40Z\",\"2020-09-13T12:26:40Z\",\"date\",\"From:To:Subject:Date:Message-ID\",\"relaxed/simple\"]"
eq json_nokey "$(jq -c '.messages[] | select(.subject == "nokey") | .authenticity.dkim[0] | [.result, .key_sha256, .library_says]' "$J")" \
    '["no-key",null,null]'
eq json_case "$(jq -c '.authenticity | [.messages_signed, .messages_verified, .messages_altered, .messages_unverifiable]' "$J")" \
    '[7,2,2,3]'
has report_md "$TMP/case/report/report.md" "DKIM across the case: 7 signed messages; 2 with a verified signature, 2 altered after signing, 3 not verifiable."
has report_md_key "$TMP/case/report/report.md" "$rsa_sha"
# a key file that cannot be read is a usage error
"$MC_BIN" render --dkim-keys "$TMP/nonexistent.txt" "$TMP/case" >"$TMP/out2" 2>&1
eq bad_key_file_exit "$?" 2
has bad_key_file_said "$TMP/out2" "--dkim-keys $TMP/nonexistent.txt"
# Korean report
"$MC_BIN" render --lang ko "$TMP/case" >/dev/null 2>&1
has report_ko "$TMP/case/report-ko/report.md" "사건 전체 DKIM: 서명된 메시지 7건"
