/* workq.c - a bounded queue of independent jobs run on worker threads. */
#include "util/workq.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/xalloc.h"

struct job {
	workq_fn fn;
	void *arg;
	uint64_t seq;        /* order of workq_add(), for the error kept */
	struct job *next;
};

struct workq {
	pthread_t *threads;
	unsigned workers;
	size_t max_pending;
	pthread_mutex_t mu;
	pthread_cond_t work;     /* a job was queued, or the queue ends */
	pthread_cond_t room;     /* a job finished: room in the queue, or all done */
	struct job *head, *tail;
	size_t pending;          /* queued or running */
	uint64_t seq;
	bool stop;
	char *err;               /* of the failed job with the lowest seq */
	uint64_t err_seq;
};

unsigned
workq_default_workers(void)
{
	const char *env = getenv("MAILCASE_THREADS");
	long n;

	if (env != NULL && *env != '\0') {
		char *end;

		n = strtol(env, &end, 10);
		if (*end == '\0' && n >= 1 && n <= 64)
			return (unsigned)(n - 1);
	}
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n <= 1)
		return 0;
	return n - 1 > 7 ? 7 : (unsigned)(n - 1);
}

/* Records the outcome of job seq: the error of the earliest failed job is
 * kept. Called with the lock held. */
static void
workq_outcome(struct workq *q, uint64_t seq, bool ok, char *err)
{
	if (ok) {
		free(err);
		return;
	}
	if (err == NULL)
		err = xstrdup("a report job failed");
	if (q->err == NULL || seq < q->err_seq) {
		free(q->err);
		q->err = err;
		q->err_seq = seq;
	} else {
		free(err);
	}
}

static void *
workq_main(void *arg)
{
	struct workq *q = arg;

	pthread_mutex_lock(&q->mu);
	for (;;) {
		struct job *j;
		char *err = NULL;
		bool ok;

		while (q->head == NULL && !q->stop)
			pthread_cond_wait(&q->work, &q->mu);
		if (q->head == NULL)
			break;
		j = q->head;
		q->head = j->next;
		if (q->head == NULL)
			q->tail = NULL;
		pthread_mutex_unlock(&q->mu);
		ok = j->fn(j->arg, &err);
		pthread_mutex_lock(&q->mu);
		workq_outcome(q, j->seq, ok, err);
		free(j);
		q->pending--;
		pthread_cond_broadcast(&q->room);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

struct workq *
workq_new(unsigned workers, size_t max_pending)
{
	struct workq *q = xcalloc(1, sizeof(*q));
	unsigned i;

	q->max_pending = max_pending > 0 ? max_pending : 1;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->work, NULL);
	pthread_cond_init(&q->room, NULL);
	if (workers > 0)
		q->threads = xcalloc(workers, sizeof(*q->threads));
	for (i = 0; i < workers; i++) {
		if (pthread_create(&q->threads[i], NULL, workq_main, q) != 0)
			break;     /* fewer workers; with none, jobs run inline */
		q->workers++;
	}
	return q;
}

void
workq_add(struct workq *q, workq_fn fn, void *arg)
{
	struct job *j;

	pthread_mutex_lock(&q->mu);
	/* With no workers, or every worker busy and the queue full, the caller
	 * runs the job itself rather than wait: the caller's core is never idle
	 * and no more than max_pending + 1 jobs are ever held. */
	if (q->workers == 0 || q->pending >= q->max_pending) {
		uint64_t seq = q->seq++;
		char *err = NULL;
		bool ok;

		pthread_mutex_unlock(&q->mu);
		ok = fn(arg, &err);
		pthread_mutex_lock(&q->mu);
		workq_outcome(q, seq, ok, err);
		pthread_mutex_unlock(&q->mu);
		return;
	}
	j = xcalloc(1, sizeof(*j));
	j->fn = fn;
	j->arg = arg;
	j->seq = q->seq++;
	if (q->tail != NULL)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
	q->pending++;
	pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->mu);
}

bool
workq_wait(struct workq *q, char **err)
{
	bool ok;

	pthread_mutex_lock(&q->mu);
	while (q->pending > 0)
		pthread_cond_wait(&q->room, &q->mu);
	ok = q->err == NULL;
	if (!ok) {
		*err = q->err;
		q->err = NULL;
	}
	pthread_mutex_unlock(&q->mu);
	return ok;
}

void
workq_free(struct workq *q)
{
	char *err = NULL;
	unsigned i;

	if (q == NULL)
		return;
	if (!workq_wait(q, &err))
		free(err);
	pthread_mutex_lock(&q->mu);
	q->stop = true;
	pthread_cond_broadcast(&q->work);
	pthread_mutex_unlock(&q->mu);
	for (i = 0; i < q->workers; i++)
		pthread_join(q->threads[i], NULL);
	pthread_cond_destroy(&q->work);
	pthread_cond_destroy(&q->room);
	pthread_mutex_destroy(&q->mu);
	free(q->threads);
	free(q);
}
