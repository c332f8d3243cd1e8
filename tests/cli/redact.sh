# --redact-secrets: a secret becomes a marker with its length and the start
# of a keyed HMAC, in the report's language, everywhere the report shows it
# (credentials, transcripts, JSON, CSV); equal secrets give equal markers;
# the key stays in the case database and the secret's plain SHA-256 (which
# a reader could test guesses against) appears nowhere.
. tests/cli/lib.sh
if ! command -v jq >/dev/null 2>&1 || ! command -v sqlite3 >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1; then
	skip all "jq, sqlite3 or openssl is not installed"; exit 0
fi
S=cases/sample
SECRET='Tr0ub4dor&3'
"$MC_BIN" report --redact-secrets -o "$TMP/c" "$S/sample.pcap" >"$TMP/out" 2>&1
eq report_exit "$?" 0
R=$TMP/c/report
key=$(sqlite3 "$TMP/c/case.db" "SELECT value FROM meta WHERE key = 'redact_key'")
eq key_kept "${#key}" 64
mark=$(printf '%s' "$SECRET" | openssl dgst -sha256 -hmac "$key" | sed 's/^.*= //' | cut -c1-16)
eq marker_json "$(jq -r '[.credentials[].secret] | unique | join("|")' "$R/report.json")" \
    "[redacted: 11 characters; HMAC-SHA-256 $mark]"
plain=$(printf '%s' "$SECRET" | sha256sum | cut -d' ' -f1)
leak=$(grep -rlF -e "$SECRET" -e "$plain" -e "$key" "$R" | head -3)
eq nothing_leaks "$leak" ""
has marker_csv "$R/credentials.csv" "[redacted: 11 characters; HMAC-SHA-256 $mark]"
has transcript_marked "$R/transcript.jsonl" "[credential line redacted]"
has cover_says "$R/report.md" "keyed HMAC"
# Korean: the marker in Korean, the same digits (the same key).
"$MC_BIN" render --lang ko "$TMP/c" >/dev/null 2>&1
eq marker_ko "$(jq -r '[.credentials[].secret] | unique | join("|")' "$TMP/c/report-ko/report.json")" \
    "[가림: 11자; HMAC-SHA-256 $mark]"
has transcript_marked_ko "$TMP/c/report-ko/transcript.jsonl" "[인증 정보가 담긴 줄 가림]"
# Another case has another key: its markers do not match this case's.
"$MC_BIN" report --redact-secrets -o "$TMP/c2" "$S/sample.pcap" >/dev/null 2>&1
m2=$(jq -r '.credentials[0].secret' "$TMP/c2/report/report.json")
[ "$m2" != "[redacted: 11 characters; HMAC-SHA-256 $mark]" ] && pass key_per_case || fail key_per_case "$m2"
