# Shared helpers for command-line tests: each check prints one line,
# "PASS: file:name", "FAIL: file:name: why" or "SKIP: file:name: why".
# Sourced by tests/cli/*.sh, which run from the source tree's top.
T=$(basename "$0" .sh)
: "${MC_BIN:=./mailcase}"
TMP=tests/tmp/cli-$T
rm -rf "$TMP"
mkdir -p "$TMP"
CORPUS=${MC_CORPUS:-../shared/corpus}
[ -d "$CORPUS" ] || CORPUS=

pass() { echo "PASS: $T:$1"; }
fail() { echo "FAIL: $T:$1: $2"; }
skip() { echo "SKIP: $T:$1: $2"; }
# check NAME COMMAND...: passes when the command succeeds
check() { n=$1; shift; if "$@" >"$TMP/.out" 2>&1; then pass "$n"; else fail "$n" "$(head -c 400 "$TMP/.out" | tr '\n' ' ')"; fi; }
# has NAME FILE FIXED-STRING: passes when FILE contains the string
has() { if grep -qF -- "$3" "$2" 2>/dev/null; then pass "$1"; else fail "$1" "$2 lacks: $3"; fi; }
hasnt() { if grep -qF -- "$3" "$2" 2>/dev/null; then fail "$1" "$2 contains: $3"; else pass "$1"; fi; }
# eq NAME GOT WANT: passes when the two strings are equal
eq() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi; }
# need_corpus_and_jq: ends the script with one SKIP when either is missing
need_corpus_and_jq() {
	if [ -z "$CORPUS" ]; then skip all "the shared corpus is absent"; exit 0; fi
	if ! command -v jq >/dev/null 2>&1; then skip all "jq is not installed"; exit 0; fi
}
