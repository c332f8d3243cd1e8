#!/bin/sh
# Every format a stage gives the processing log (plog_add and the stages'
# logging helpers, found in src/ by log_formats.py) has a Korean wording in
# the catalogue (src/report/logtext_ko.c), every entry of the catalogue is
# a format some stage still writes, and every wording uses each of its
# format's arguments and only logtext.h's directives. The formats are pasted
# into a C file as written, so the compiler expands the <inttypes.h> macros.
. tests/cli/lib.sh
: "${B:=.}"
: "${CC:=cc}"
# make check passes the build's link flags and libraries (sanitizers included)
: "${TEST_LDFLAGS:=}"
: "${TEST_LIBS:=-lsqlite3 -pthread}"
if ! command -v python3 >/dev/null 2>&1; then skip all "python3 is not installed"; exit 0; fi
python3 tests/cli/log_formats.py src > "$TMP/formats.txt"
n=$(wc -l < "$TMP/formats.txt")
[ "$n" -gt 150 ] && pass formats_found || fail formats_found "only $n formats found in src/"
if grep -q "	!" "$TMP/formats.txt"; then
	fail formats_literal "a format that is not a string literal: $(grep "	!" "$TMP/formats.txt" | head -3 | tr '\n' ' ')"
else
	pass formats_literal
fi
{
	echo '#include <inttypes.h>'
	echo '#include <stdio.h>'
	echo '#include <string.h>'
	echo '#include "report/logtext.h"'
	echo '#include "store/casedb.h"'
	echo 'static const struct { const char *at, *fmt; } f[] = {'
	grep -v "	!" "$TMP/formats.txt" | while IFS='	' read -r at fmt; do
		printf '\t{ "%s", %s },\n' "$at" "$fmt"
	done
	echo '	{ "src/store/casedb.c", CASEDB_LOG_CAP_FORMAT },'
	echo '};'
	cat <<'C'
int
main(void)
{
	size_t i, k, n = sizeof(f) / sizeof(f[0]), missing = 0, stale = 0, bad = 0, entries = 0;
	const char *en, *ko, *why;

	for (i = 0; i < n; i++)
		if (!logtext_has(f[i].fmt)) {
			printf("missing %s: %s\n", f[i].at, f[i].fmt);
			missing++;
		}
	for (i = 0; logtext_entry(i, &en, &ko); i++) {
		entries++;
		for (k = 0; k < n && strcmp(f[k].fmt, en) != 0; k++)
			;
		if (k == n) {
			printf("stale: %s\n", en);
			stale++;
		}
		if ((why = logtext_check(i)) != NULL) {
			printf("bad: %s: %s\n", en, why);
			bad++;
		}
	}
	printf("calls %zu entries %zu missing %zu stale %zu bad %zu\n", n, entries, missing,
	    stale, bad);
	return 0;
}
C
} > "$TMP/check.c"
if ! $CC -std=c11 -D_GNU_SOURCE -Isrc $TEST_LDFLAGS -o "$TMP/check" "$TMP/check.c" "$B/libmailcase.a" $TEST_LIBS \
	> "$TMP/cc.out" 2>&1; then
	fail compiles "$(head -c 400 "$TMP/cc.out" | tr '\n' ' ')"
	exit 0
fi
"$TMP/check" > "$TMP/check.out"
tail -1 "$TMP/check.out" | sed 's/^/  /'
sum=$(tail -1 "$TMP/check.out")
case "$sum" in
*" missing 0 "*) pass every_format_worded ;;
*) fail every_format_worded "no Korean wording for: $(grep '^missing' "$TMP/check.out" | head -5 | tr '\n' ' ')" ;;
esac
case "$sum" in
*" stale 0 "*) pass no_stale_entry ;;
*) fail no_stale_entry "catalogue entries no stage writes: $(grep '^stale' "$TMP/check.out" | head -5 | tr '\n' ' ')" ;;
esac
case "$sum" in
*" bad 0") pass wordings_well_formed ;;
*) fail wordings_well_formed "$(grep '^bad' "$TMP/check.out" | head -5 | tr '\n' ' ')" ;;
esac
