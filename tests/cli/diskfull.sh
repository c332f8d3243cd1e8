#!/bin/sh
# A full disk ends the run with exit 70 and a message naming the file in
# the case that could not be written; nothing claims the run complete (no
# report manifest, no run log entry, no successful end in the runs
# table); once there is room, `add` completes the case and verify passes.
# The disk is a small tmpfs mounted in a private mount namespace (unshare
# -m, as root), at sizes that run out while the case database, the stored
# files and the report are written. Where mounting is not allowed,
# tests/tools/enospc.so (tests/tools/enospc.c) makes writes under
# the case fail with ENOSPC after a number of bytes instead; SKIP when
# neither can be had. See docs/testing.md.
. tests/cli/lib.sh
SHIM=${B:-.}/tests/tools/enospc.so

if ! command -v sqlite3 >/dev/null 2>&1; then
	skip all "sqlite3 is not installed"
	exit 0
fi
"${B:-.}/tests/tools/genmbox" "$TMP/m.mbox" 60 >"$TMP/gen.out" 2>&1 ||
    { fail generator "$(head -c 300 "$TMP/gen.out")"; exit 0; }
cp cases/sample/sample.mbox cases/sample/sample.pcap "$TMP/"
EV="$TMP/m.mbox $TMP/sample.mbox $TMP/sample.pcap"
MNT="$TMP/mnt"
mkdir -p "$MNT"
case "$MC_BIN" in /*) ;; *) MC_BIN="$(pwd)/$MC_BIN" ;; esac

mode=
# DISKFULL_MODE=shim tries the shim even where a tmpfs could be mounted.
if [ "${DISKFULL_MODE:-}" != shim ] && command -v unshare >/dev/null 2>&1 &&
    unshare -m sh -c "mount -t tmpfs -o size=64k tmpfs '$MNT'" >/dev/null 2>&1; then
	mode=tmpfs
elif [ -f "$SHIM" ]; then
	# An ASan build must be told that the shim comes first.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	export ASAN_OPTIONS
	if ENOSPC_PREFIX="$TMP/probe" ENOSPC_AFTER=0 LD_PRELOAD="$SHIM" "$MC_BIN" version >/dev/null 2>&1; then
		mode=shim
	fi
fi
if [ -z "$mode" ]; then
	skip all "neither a tmpfs in a private mount namespace nor the LD_PRELOAD shim is available"
	exit 0
fi
echo "  (the disk: $mode)"

# What a case of the evidence holds when the disk has room.
"$MC_BIN" report --no-render -o "$TMP/roomy" $EV >"$TMP/roomy.out" 2>&1 ||
    { fail roomy "$(head -c 300 "$TMP/roomy.out")"; exit 0; }
want=$(sqlite3 "$TMP/roomy/case.db" "SELECT (SELECT count(*) FROM evidence),
    (SELECT count(*) FROM messages), (SELECT count(*) FROM artifacts)")

# full NAME KIB EXIT: a report on a disk of KIB KiB ends with EXIT (70, or
# 4 when the case itself could not be created), then add with room
full() {
	f_name=$1 f_kib=$2 f_exit=$3
	c="$MNT/case"
	if [ $mode = tmpfs ]; then
		unshare -m sh -c "mount -t tmpfs -o size=${f_kib}k tmpfs '$MNT' &&
		    '$MC_BIN' report -o '$c' $EV >'$TMP/$f_name.out' 2>&1; echo \$? >'$TMP/$f_name.rc'
		    cp -a '$c' '$TMP/$f_name.case' 2>/dev/null; umount '$MNT'"
		cc="$TMP/$f_name.case"
	else
		rm -rf "$c"
		ENOSPC_PREFIX="$(pwd)/$MNT/" ENOSPC_AFTER=$((f_kib * 1024)) LD_PRELOAD="$SHIM" \
		    "$MC_BIN" report -o "$c" $EV >"$TMP/$f_name.out" 2>&1
		echo $? >"$TMP/$f_name.rc"
		cc=$c
	fi
	eq "${f_name}_exit" "$(cat "$TMP/$f_name.rc")" "$f_exit"
	# the message names a file of the case and the reason
	if grep -E "$MNT/case/[^ ]*: .*(No space left on device|database or disk is full)" \
	    "$TMP/$f_name.out" >/dev/null; then
		pass "${f_name}_names_path"
	else
		fail "${f_name}_names_path" "$(head -c 400 "$TMP/$f_name.out" | tr '\n' ' ')"
	fi
	if [ ! -f "$cc/case.db" ]; then
		# out of room while the case was created: nothing of it is kept,
		# and the report can be run again
		eq "${f_name}_nothing_kept" "$(ls -A "$cc" 2>/dev/null | tr '\n' ' ')" ""
		rm -rf "$cc"
		"$MC_BIN" report -o "$cc" $EV >"$TMP/$f_name.again" 2>&1
		eq "${f_name}_report_again" "$?" 0
		check "${f_name}_verifies" "$MC_BIN" verify "$cc"
		return
	fi
	[ -f "$cc/report/SHA256SUMS" ] && fail "${f_name}_no_manifest" "report/SHA256SUMS was written" ||
	    pass "${f_name}_no_manifest"
	n=0
	[ -f "$cc/runs.log" ] && n=$(wc -l < "$cc/runs.log" | tr -d ' ')
	eq "${f_name}_no_log_entry" "$n" 0
	eq "${f_name}_no_success" "$(sqlite3 "$cc/case.db" "SELECT count(*) FROM runs WHERE status = 0")" 0
	# with room, the next run completes the case
	"$MC_BIN" add "$cc" $EV >"$TMP/$f_name.add" 2>&1
	eq "${f_name}_add_completes" "$?" 0
	check "${f_name}_verifies" "$MC_BIN" verify "$cc"
	eq "${f_name}_records" "$(sqlite3 "$cc/case.db" "SELECT (SELECT count(*) FROM evidence),
	    (SELECT count(*) FROM messages), (SELECT count(*) FROM artifacts)")" "$want"
}

# Out of room while the case database is created, while it and the stored
# files are written, and while the report is (the case takes about 6.5 MB,
# its report 4.5).
full create_db 160 4
full ingest_db 280 70
full ingest_artifacts 900 70
full render_pages 2500 70
full render_late 4800 70
