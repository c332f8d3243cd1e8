#!/bin/sh
# Every ceiling on what grows with hostile input, hit on a small input
# written by tests/tools/genhostile with the ceiling set low by
# `--limit NAME=VALUE`: the processing log names it, the rest is processed,
# and a message cut at its ceiling is kept, partial, with its hashes.
. tests/cli/lib.sh
: "${B:=.}"
G="$B/tests/tools/genhostile"
if [ ! -x "$G" ] || ! command -v sqlite3 >/dev/null 2>&1; then
	skip all "tests/tools/genhostile or sqlite3 is missing"
	exit 0
fi

# run NAME INPUT [OPTIONS...]: a case of INPUT in $TMP/NAME
run() {
	n=$1 in=$2
	shift 2
	"$MC_BIN" report --no-render "$@" -o "$TMP/$n" "$in" > "$TMP/$n.out" 2>&1
}
q() { sqlite3 "$TMP/$1/case.db" "$2" 2>/dev/null; }
logn() { q "$1" "SELECT count(*) FROM log WHERE code = '$2'"; }

# --- the option and the listing ---
"$MC_BIN" limits > "$TMP/limits.out" 2>&1
has limits_lists_names "$TMP/limits.out" "smtp-recipients"
has limits_lists_defaults "$TMP/limits.out" "received                   1000"
"$MC_BIN" report --limit no-such=1 -o "$TMP/x" "$TMP/limits.out" > "$TMP/bad1.out" 2>&1
eq unknown_limit_exit "$?" 2
has unknown_limit_says "$TMP/bad1.out" "unknown ceiling 'no-such'"
"$MC_BIN" report --limit received=0 -o "$TMP/x" "$TMP/limits.out" > "$TMP/bad2.out" 2>&1
eq bad_value_exit "$?" 2
has bad_value_says "$TMP/bad2.out" "received takes a positive number"

# --- SMTP: recipients, transcript lines, transactions, messages, pending replies ---
"$G" rcpt "$TMP/rcpt.pcap" 50
run rcpt "$TMP/rcpt.pcap" --limit smtp-recipients=10 --limit transcript-lines=30
eq rcpt_ceiling_logged "$(logn rcpt smtp.recipients_ceiling)" 1
eq rcpt_kept "$(q rcpt "SELECT length(env_rcpt) - length(replace(env_rcpt, '@', '')) FROM messages")" 10
eq transcript_ceiling_logged "$(logn rcpt mail.transcript_ceiling)" 1
eq transcript_rows "$(q rcpt "SELECT count(*) FROM transcript")" 31
eq transcript_last_line "$(q rcpt "SELECT line FROM transcript ORDER BY seq DESC LIMIT 1" | cut -c1-15)" "[82 more lines,"

"$G" txn "$TMP/txn.pcap" 30
run txn "$TMP/txn.pcap" --limit smtp-transactions=5 --limit session-messages=7
eq txn_ceiling_logged "$(logn txn smtp.transactions_ceiling)" 1
eq session_messages_kept "$(q txn "SELECT count(*) FROM messages")" 7
# three listed, then one entry counting the rest (23 in all)
eq session_messages_logged "$(logn txn mail.session_messages)" 4
has session_messages_counted "$TMP/txn/case.db" "(23 in all)"
eq envelope_kept "$(q txn "SELECT count(*) FROM messages WHERE env_from IS NOT NULL")" 5

"$G" pipeline "$TMP/pipe.pcap" 100
run pipe "$TMP/pipe.pcap" --limit smtp-pending=10
eq pending_ceiling_logged "$(logn pipe smtp.pending_ceiling)" 1

# --- a POP3 message that never ends: cut at the message ceiling, kept ---
"$G" retr "$TMP/retr.pcap" 1
run retr "$TMP/retr.pcap" --limit message-bytes=100k
eq retr_ceiling_logged "$(logn retr mail.message_too_large)" 1
# whole lines up to the ceiling (the data is read a line at a time)
eq retr_partial_kept "$(q retr "SELECT count(*), incomplete, size <= 102400 AND size > 102300 FROM messages")" "1|1|1"
sha=$(q retr "SELECT raw_sha256 FROM messages")
path=$(q retr "SELECT path FROM artifacts WHERE sha256 = '$sha'")
eq retr_partial_hashed "$(sha256sum "$TMP/retr/$path" 2>/dev/null | cut -d' ' -f1)" "$sha"
eq retr_partial_size "$(wc -c < "$TMP/retr/$path" 2>/dev/null | tr -d ' ')" "$(q retr "SELECT size FROM messages")"

"$G" poplist "$TMP/list.pcap" 50
run list "$TMP/list.pcap" --limit pop3-lines=10
eq pop3_lines_logged "$(logn list pop3.listing_lines)" 1
eq pop3_quit_still_read "$(q list "SELECT count(*) FROM transcript WHERE line = 'QUIT'")" 1

# --- holes per direction ---
"$G" gaps "$TMP/gaps.pcap" 200 10
run gaps "$TMP/gaps.pcap"
eq gaps_listed "$(logn gaps tcp.gap)" 3
has gaps_counted "$TMP/gaps/case.db" "in all 20 holes (20 bytes) were not captured"
run gaps5 "$TMP/gaps.pcap" --limit stream-gaps=5
eq gaps_ceiling_logged "$(logn gaps5 tcp.gaps_ceiling)" 1
eq gaps_message_incomplete "$(q gaps5 "SELECT incomplete FROM messages")" 1

# --- one message: Received fields, header length, addresses ---
"$G" received "$TMP/rec.eml" 50
run rec "$TMP/rec.eml" --limit received=10
eq received_logged "$(logn rec cap.received)" 1
eq received_hops "$(q rec "SELECT count(*) FROM hops")" 10
eq received_size_whole "$(q rec "SELECT size FROM messages")" "$(wc -c < "$TMP/rec.eml" | tr -d ' ')"

"$G" longhdr "$TMP/long.eml" 1
run long "$TMP/long.eml" --limit header-bytes=1000
eq header_logged "$(logn long cap.header_bytes)" 1
eq header_cut "$(q long "SELECT length(subject) < 1000 AND length(subject) > 900 FROM messages")" 1
eq header_flag "$(q long "SELECT instr(flags, 'cap-hit:header') > 0 FROM messages")" 1
sha=$(q long "SELECT raw_sha256 FROM messages")
eq header_message_whole "$(sha256sum "$TMP/long.eml" | cut -d' ' -f1)" "$sha"

"$G" addrs "$TMP/addrs.eml" 50
run addrs "$TMP/addrs.eml" --limit header-addresses=10
eq addresses_logged "$(logn addrs cap.header_addresses)" 1
eq addresses_kept "$(q addrs "SELECT count(*) FROM addresses WHERE role = 'to'")" 10

# --- documents inside documents: one count and one budget for the nest ---
"$G" zipnest "$TMP/nest.eml" 2 4
run nest "$TMP/nest.eml" --limit doc-count=5
eq doc_count_logged "$(logn nest office.doc_count)" 1
eq doc_count_kept "$(q nest "SELECT count(*) FROM documents")" 5
run nestz "$TMP/nest.eml" --limit zip-bytes=2M
eq nest_budget_logged_once "$(logn nestz office.zip.inflated)" 1
eq nest_budget_docs "$(q nestz "SELECT count(*) < 21 FROM documents")" 1
run nestall "$TMP/nest.eml"
eq nest_whole_by_default "$(q nestall "SELECT count(*) FROM documents")" 21
