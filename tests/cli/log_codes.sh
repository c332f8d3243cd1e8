#!/bin/sh
# Every processing-log code the stages write has a plain-words label in the
# report (model_log_codes in src/report/model.c), in English and Korean.
. tests/cli/lib.sh
codes=$(grep -rhoE '(plog_add\([^,]*, PLOG_[A-Z]+|mail_log\([^,]*, [^,]*, [^,]*|msg_warn\(m), "[a-z0-9]+\.[a-z_0-9]+"' src \
	| grep -oE '"[a-z0-9]+\.[a-z_0-9]+"$' | sort -u)
[ -n "$codes" ] && pass codes_found || fail codes_found "no code found in src/"
missing=
for c in $codes; do
	grep -q "{ $c, \"" src/report/model.c || missing="$missing $c"
done
[ -z "$missing" ] && pass every_code_labelled || fail every_code_labelled "no label for:$missing"
