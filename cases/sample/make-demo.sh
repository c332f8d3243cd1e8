#!/bin/sh
# `make demo`: renders the sample case into cases/sample/out (replacing an
# earlier demo output) in English, and its Korean rendering into out-ko.
set -e
here=$(dirname "$0")
bin=${MC_BIN:-./mailcase}
rm -rf "$here/out" "$here/out-ko"
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000} "$bin" report -o "$here/out" \
	--title "Sample case: a rendezvous by mail" --case-number "SAMPLE-2009-001" \
	--examiner "Demo Examiner" --agency "mailcase project" \
	"$here/sample.pcap" "$here/sample.mbox"
cp -R "$here/out" "$here/out-ko"
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000} "$bin" render --lang ko "$here/out-ko"
echo "report: $here/out/report/report.html (Korean: $here/out-ko/report/report.html)"
