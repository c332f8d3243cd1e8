/* fault.h - deterministic kill points for the crash-consistency tests.
 *
 * MAILCASE_FAULT=NAME:N makes the Nth passage of the named point end the
 * process with SIGKILL, as a power cut or the OOM killer would: no atexit
 * handler, no buffered output, no unlock but the kernel's. NAME:N:stop
 * stops it with SIGSTOP instead, so that a test can act while the run
 * holds the case (its lock, a half-written file) and then kill it. Unset,
 * a point costs a string comparison at most. The points are listed in
 * docs/testing.md; tests/cli/interrupted.sh and tests/bench/crash.sh pass
 * through each. */
#ifndef MC_FAULT_H
#define MC_FAULT_H

/* A named point: "ingest.commit" (after the transaction of an evidence
 * file, or of the capture files given together, is committed),
 * "artifact.write" (after a stored file is renamed into place),
 * "render.page" (after a page's three files are written),
 * "render.manifest" (SHA256SUMS written under its temporary name, before
 * the rename), "run.end" (the run's end committed to case.db, before the
 * run log), "runlog.write" (the run log written under its temporary
 * name, before the rename). Safe from any thread. */
void fault_point(const char *name);

#endif
