#!/bin/sh
# mailcase diff on real cases: evidence02.pcap against itself and against
# the same capture plus spam-2007.eml; a mailbox against the same mailbox
# with one message removed.
. tests/cli/lib.sh

if ! command -v jq >/dev/null 2>&1; then
	skip all "jq is not installed"
	exit 0
fi

# ids DIR CATEGORY LIST: the ids of one list of diff.json, joined by "|".
ids() {
	jq -r --arg c "$2" --arg l "$3" \
		'.categories[] | select(.key == $c) | .[$l] | map(.id) | join("|")' "$1/diff.json"
}
# empty_except DIR LIST CATEGORY...: LIST is empty in every other category.
empty_except() {
	d=$1; l=$2; shift 2
	jq -r --arg l "$l" '.categories[] | select((.[$l] | length) > 0) | .key' "$d/diff.json" \
		| sort | tr '\n' ' '
}
# diffrun NAME WANT-EXIT A B OUT: runs mailcase diff and checks its status.
diffrun() {
	"$MC_BIN" diff "$3" "$4" -o "$5" >"$TMP/$1.out" 2>&1
	rc=$?
	[ $rc -eq "$2" ] && pass "$1_exit" || fail "$1_exit" "exit $rc, want $2: $(head -c 300 "$TMP/$1.out" | tr '\n' ' ')"
}

# --- a mailbox, and the same mailbox with its second message removed ---
msg() {
	printf 'From %s Mon Jan  1 00:00:00 2024\n' "$2"
	printf 'From: %s\nTo: %s\nSubject: %s\nDate: Mon, 1 Jan 2024 0%s:00:00 +0000\n' "$2" "$3" "$4" "$5"
	printf 'Message-ID: <%s@example.org>\n\n%s\n\n' "$1" "$6"
}
{
	msg one alice@example.org bob@example.org "First" 1 "The first message."
	msg two mallory@evil.example bob@example.org "Second" 2 "The message that goes away."
	msg three alice@example.org carol@example.org "Third" 3 "The third message."
} >"$TMP/full.mbox"
{
	msg one alice@example.org bob@example.org "First" 1 "The first message."
	msg three alice@example.org carol@example.org "Third" 3 "The third message."
} >"$TMP/less.mbox"
if "$MC_BIN" report -o "$TMP/mfull" "$TMP/full.mbox" >"$TMP/mfull.out" 2>&1 &&
   "$MC_BIN" report -o "$TMP/mless" "$TMP/less.mbox" >"$TMP/mless.out" 2>&1; then
	diffrun mailbox 1 "$TMP/mfull" "$TMP/mless" "$TMP/d-mailbox"
	eq mailbox_message_only_a "$(ids "$TMP/d-mailbox" messages only_a)" "<two@example.org>"
	eq mailbox_messages_both "$(ids "$TMP/d-mailbox" messages both)" "<one@example.org>|<three@example.org>"
	eq mailbox_address_only_a "$(ids "$TMP/d-mailbox" addresses only_a)" "mallory@evil.example"
	eq mailbox_only_b "$(empty_except "$TMP/d-mailbox" only_b)" "evidence "
	eq mailbox_altered "$(empty_except "$TMP/d-mailbox" altered)" ""
	eq mailbox_only_a_categories "$(empty_except "$TMP/d-mailbox" only_a)" "addresses evidence messages "
else
	fail mailbox_cases "report failed: $(head -c 300 "$TMP/mfull.out" "$TMP/mless.out" | tr '\n' ' ')"
fi

# --- the shared corpus ---
if [ -z "$CORPUS" ]; then
	skip corpus "the shared corpus is absent"
	exit 0
fi
P=$CORPUS/evidence02.pcap
E=$CORPUS/spam-2007.eml
ok=1
"$MC_BIN" report -o "$TMP/c1" "$P" >"$TMP/c1.out" 2>&1 || ok=0
"$MC_BIN" report -o "$TMP/c2" "$P" >"$TMP/c2.out" 2>&1 || ok=0
"$MC_BIN" report -o "$TMP/c3" "$P" "$E" >"$TMP/c3.out" 2>&1 || ok=0
if [ $ok -eq 0 ]; then
	fail corpus_cases "report failed: $(head -c 300 "$TMP/c1.out" "$TMP/c3.out" | tr '\n' ' ')"
	exit 0
fi

# Two runs over the same evidence: the same findings, exit 0.
diffrun same 0 "$TMP/c1" "$TMP/c2" "$TMP/d-same"
eq same_differs "$(jq -r .differs "$TMP/d-same/diff.json")" "false"
eq same_messages "$(ids "$TMP/d-same" messages both)" \
	'<000901ca49ae$89d698c0$9f01a8c0@annlaptop>|<001101ca49ae$e93e45b0$9f01a8c0@annlaptop>'
eq same_credentials "$(ids "$TMP/d-same" credentials both)" "smtp sneakyg33k@aol.com / 558r00lz"
for f in diff.md diff.html diff.json; do
	[ -s "$TMP/d-same/$f" ] && pass "writes_$f" || fail "writes_$f" "missing or empty"
done

# The capture against the capture plus the spam: exactly the spam message,
# its addresses, hosts and origin (and the .eml itself) are only in B.
diffrun spam 1 "$TMP/c1" "$TMP/c3" "$TMP/d-spam"
D=$TMP/d-spam
eq spam_evidence "$(ids "$D" evidence only_b)" "$(sha256sum "$E" | cut -d' ' -f1)"
eq spam_message "$(ids "$D" messages only_b)" "<MEDSVR01kNsjUHQHh2w00000278@medsvr01.medentech.com>"
eq spam_addresses "$(ids "$D" addresses only_b)" "hahaha@tt.co.kr|mkeh@avnetcom.co.kr"
eq spam_hosts "$(ids "$D" hosts only_b)" \
	"193.120.114.219|200.59.38.130|medentech.isdn.esat.net|medsvr01.medentech.com|relay03.avnetcom.co.kr|test.com"
case "$(ids "$D" origins only_b)" in
*200.59.38.130*) pass spam_origin ;;
*) fail spam_origin "got '$(ids "$D" origins only_b)'" ;;
esac
eq spam_only_b_categories "$(empty_except "$D" only_b)" "addresses evidence hosts messages origins "
eq spam_nothing_only_a "$(empty_except "$D" only_a)" ""
eq spam_nothing_altered "$(empty_except "$D" altered)" ""
eq spam_messages_both "$(ids "$D" messages both)" \
	'<000901ca49ae$89d698c0$9f01a8c0@annlaptop>|<001101ca49ae$e93e45b0$9f01a8c0@annlaptop>'

# An existing output folder is never overwritten.
diffrun exists 2 "$TMP/c1" "$TMP/c3" "$TMP/d-spam"
