/* fault.c - kill points named by MAILCASE_FAULT (see fault.h). */
#include "util/fault.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FAULT_NAME_MAX 32

static struct {
	pthread_once_t once;
	bool armed, stop;
	char name[FAULT_NAME_MAX];
	unsigned long at;          /* the passage that fires, from 1 */
	atomic_ulong passed;
} fault = { .once = PTHREAD_ONCE_INIT };

/* NAME:N or NAME:N:stop; anything else leaves the points unarmed. */
static void
fault_parse(void)
{
	const char *env = getenv("MAILCASE_FAULT"), *colon;
	char *end;
	size_t n;

	if (env == NULL || (colon = strchr(env, ':')) == NULL)
		return;
	n = (size_t)(colon - env);
	if (n == 0 || n >= sizeof(fault.name))
		return;
	fault.at = strtoul(colon + 1, &end, 10);
	if (fault.at == 0 || (*end != '\0' && strcmp(end, ":stop") != 0))
		return;
	memcpy(fault.name, env, n);
	fault.name[n] = '\0';
	fault.stop = *end != '\0';
	fault.armed = true;
}

void
fault_point(const char *name)
{
	pthread_once(&fault.once, fault_parse);
	if (!fault.armed || strcmp(name, fault.name) != 0)
		return;
	if (atomic_fetch_add(&fault.passed, 1) + 1 != fault.at)
		return;
	if (fault.stop) {
		(void)raise(SIGSTOP);
		return;
	}
	(void)kill(getpid(), SIGKILL);
	for (;;)
		pause();
}
