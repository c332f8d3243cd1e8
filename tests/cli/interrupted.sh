#!/bin/sh
# A run killed half-way leaves a case that the next run completes: each
# evidence file is ingested in one transaction, so `mailcase add` ingests
# what the killed run had not committed, and the case verifies.
. tests/cli/lib.sh
GEN=${B:-.}/tests/tools/gencap

"$GEN" "$TMP/big.pcap" 40 >"$TMP/gen.out" 2>&1 || { fail generator "$(head -c 300 "$TMP/gen.out")"; exit 0; }
"$MC_BIN" report -o "$TMP/case" "$TMP/big.pcap" cases/sample/sample.mbox >"$TMP/run1.out" 2>&1 &
pid=$!
# Kill it once the case exists (the capture is then being read), at the latest after 10 s.
i=0
while [ ! -s "$TMP/case/case.db" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.2
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
if [ ! -s "$TMP/case/case.db" ]; then
	skip killed "the run ended before its case existed"
	exit 0
fi
before=$(sqlite3 "$TMP/case/case.db" "SELECT count(*) FROM evidence" 2>&1)
case "$before" in
[0-9]*) pass killed_case_readable; echo "  (the killed run had committed $before evidence rows)" ;;
*) fail killed_case_readable "$before" ;;
esac
"$MC_BIN" add "$TMP/case" "$TMP/big.pcap" cases/sample/sample.mbox >"$TMP/run2.out" 2>&1
rc=$?
[ $rc -eq 0 ] && pass add_completes || fail add_completes "exit $rc: $(head -c 300 "$TMP/run2.out")"
n=$(sqlite3 "$TMP/case/case.db" "SELECT count(*) FROM evidence WHERE status = 'ok'")
[ "$n" = 2 ] && pass each_evidence_once || fail each_evidence_once "evidence rows: $n (before the add: $before)"
n=$(sqlite3 "$TMP/case/case.db" "SELECT count(*) FROM flows WHERE evidence_id = (SELECT id FROM evidence WHERE path LIKE '%big.pcap')")
[ "$n" -gt 0 ] && pass capture_flows_once || fail capture_flows_once "flows: $n"
d=$(sqlite3 "$TMP/case/case.db" "SELECT count(*) - count(DISTINCT flow_no || '/' || evidence_id) FROM flows")
[ "$d" = 0 ] && pass no_duplicate_flows || fail no_duplicate_flows "$d duplicates"
check verify_after_add "$MC_BIN" verify "$TMP/case"
