# Golden files per stage (STYLE.md principle 10; tcpdump's tests/TESTLIST):
# each line of tests/golden/TESTLIST names a stage and an input under
# tests/golden/<stage>/; tests/tools/golden prints that stage's records for
# the input as JSON, which must equal tests/golden/<stage>/<input>.json byte
# for byte. No case database is involved: the stages are run as the pure
# producers they are.
#
# Regenerate every expected file after an intended change, then review the
# diff before committing it:
#     sh tests/cli/golden.sh --update && git diff --stat tests/golden
. tests/cli/lib.sh
GOLDEN=${B:-.}/tests/tools/golden
update=false
[ "${1:-}" = "--update" ] && update=true
if [ ! -x "$GOLDEN" ]; then fail tool "$GOLDEN is not built"; exit 0; fi
grep -v '^#' tests/golden/TESTLIST | while read -r stage input; do
	[ -n "$stage" ] || continue
	in=tests/golden/$stage/$input
	want=$in.json
	got=$TMP/$stage-$input.json
	if ! "$GOLDEN" "$stage" "$in" >"$got" 2>"$TMP/.err"; then
		fail "$stage/$input" "tests/tools/golden failed: $(head -c 300 "$TMP/.err" | tr '\n' ' ')"
		continue
	fi
	if $update; then
		cp "$got" "$want"
		echo "updated $want"
	elif [ ! -f "$want" ]; then
		fail "$stage/$input" "no expected file $want (sh tests/cli/golden.sh --update)"
	elif cmp -s "$got" "$want"; then
		pass "$stage/$input"
	else
		fail "$stage/$input" "differs from $want: $(diff "$want" "$got" | head -8 | tr '\n' ' ')"
	fi
done

# The comparison catches a change of one byte: the first expected file with
# one byte altered must differ from what the stage prints.
first=$(grep -v '^#' tests/golden/TESTLIST | head -1)
set -- $first
if [ -n "${1:-}" ] && ! $update; then
	in=tests/golden/$1/$2
	sed '2s/./#/' "$in.json" > "$TMP/tampered.json"
	"$GOLDEN" "$1" "$in" > "$TMP/fresh.json" 2>/dev/null
	if cmp -s "$TMP/fresh.json" "$in.json" && ! cmp -s "$TMP/fresh.json" "$TMP/tampered.json"; then
		pass one_byte_caught
	else
		fail one_byte_caught "a golden file with one byte changed was not told apart"
	fi
fi
