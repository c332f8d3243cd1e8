/* test_workq.c - the job queue: every job runs once, the error kept is the
 * first job's in the order added, and a full queue runs jobs on the caller. */
#include "check.h"
#include "util/workq.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct job {
	int no;
	atomic_int *ran;
	int *slot;           /* set to no, one slot per job */
	pthread_t *thread;   /* the thread it ran on */
	bool fail;
};

static bool
job_run(void *arg, char **err)
{
	struct job *j = arg;
	bool ok = !j->fail;

	usleep(j->no % 3 == 0 ? 2000 : 0);   /* later jobs finish first */
	*j->slot = j->no;
	*j->thread = pthread_self();
	atomic_fetch_add(j->ran, 1);
	if (!ok)
		*err = xasprintf("job %d failed", j->no);
	free(j);
	return ok;
}

static bool
run_jobs(unsigned workers, size_t max_pending, int n, const int *failing, char **err,
    int *slots, pthread_t *threads, atomic_int *ran)
{
	struct workq *q = workq_new(workers, max_pending);
	bool ok;
	int i, k;

	for (i = 0; i < n; i++) {
		struct job *j = xcalloc(1, sizeof(*j));

		j->no = i;
		j->ran = ran;
		j->slot = &slots[i];
		j->thread = &threads[i];
		for (k = 0; failing[k] >= 0; k++)
			j->fail = j->fail || failing[k] == i;
		workq_add(q, job_run, j);
	}
	ok = workq_wait(q, err);
	workq_free(q);
	return ok;
}

TEST(every_job_once_first_error_kept)
{
	static int slots[200];
	static pthread_t threads[200];
	const int failing[] = { 150, 37, 90, -1 };
	unsigned w;

	for (w = 0; w <= 3; w++) {
		atomic_int ran = 0;
		char *err = NULL;
		int i;

		for (i = 0; i < 200; i++)
			slots[i] = -1;
		CHECK(!run_jobs(w, 2, 200, failing, &err, slots, threads, &ran));
		CHECK_INT(atomic_load(&ran), 200);
		for (i = 0; i < 200; i++)
			CHECK_INT(slots[i], i);
		CHECK(err != NULL);
		CHECK_STR(err, "job 37 failed");
		free(err);
	}
}

TEST(no_workers_runs_on_caller)
{
	static int slots[10];
	static pthread_t threads[10];
	const int none[] = { -1 };
	atomic_int ran = 0;
	char *err = NULL;
	int i;

	CHECK(run_jobs(0, 1, 10, none, &err, slots, threads, &ran));
	CHECK(err == NULL);
	for (i = 0; i < 10; i++)
		CHECK(pthread_equal(threads[i], pthread_self()));
}

TEST(threads_setting)
{
	setenv("MAILCASE_THREADS", "1", 1);
	CHECK_INT(workq_default_workers(), 0);
	setenv("MAILCASE_THREADS", "3", 1);
	CHECK_INT(workq_default_workers(), 2);
	setenv("MAILCASE_THREADS", "0", 1);    /* out of range: the default */
	CHECK(workq_default_workers() <= 7);
	unsetenv("MAILCASE_THREADS");
}

int
main(void)
{
	RUN(every_job_once_first_error_kept);
	RUN(no_workers_runs_on_caller);
	RUN(threads_setting);
	return check_done();
}
