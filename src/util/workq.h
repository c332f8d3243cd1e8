/* workq.h - a bounded queue of independent jobs run on worker threads.
 *
 * The report's pages and CSV files are rendered from models that nothing
 * else touches once they are handed over, so they can be rendered on the
 * machine's other cores. A job is a function and its argument; the job owns
 * the argument and frees it. Jobs must not share mutable state: each writes
 * its own files, so the output is the same whatever the number of threads
 * and whatever order the jobs finish in.
 *
 * With 0 workers a job runs at once in workq_add(), on the caller's thread:
 * that is the one-thread run the multi-thread output is checked against.
 * When `max_pending` jobs are queued or running, workq_add() runs the new
 * job on the caller's thread instead, so memory stays bounded by the size
 * of max_pending + 1 jobs and the caller's core does not wait idle. */
#ifndef MC_WORKQ_H
#define MC_WORKQ_H

#include <stdbool.h>
#include <stddef.h>

struct workq;

/* A job: returns false and sets *err (malloc'd) on failure. */
typedef bool (*workq_fn)(void *arg, char **err);

/* The number of workers for a run: MAILCASE_THREADS (the total, counting
 * the calling thread; 1 means none) when set to 1..64, else the online
 * processors less one, at most 7. */
unsigned workq_default_workers(void);

struct workq *workq_new(unsigned workers, size_t max_pending);
/* Queues fn(arg), or runs it at once when the queue has no workers or is
 * full. */
void workq_add(struct workq *q, workq_fn fn, void *arg);
/* Waits until every queued job has run. Returns false with the error of
 * the first failed job in the order they were added (*err, malloc'd; later
 * errors are dropped). The queue can be used again afterwards. */
bool workq_wait(struct workq *q, char **err) __attribute__((warn_unused_result));
/* Waits for the jobs (dropping their errors) and ends the workers. */
void workq_free(struct workq *q);

#endif
