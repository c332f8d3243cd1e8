#include "util/hash.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct hasher {
	EVP_MD_CTX *md5, *sha1, *sha256;
	uint64_t size;
};

/* The three digest implementations, fetched from libcrypto's provider once
 * per run: EVP_md5() and friends make EVP_DigestInit_ex look the
 * implementation up again on every call (a locked table search in OpenSSL
 * 3), which cost more than hashing a short body. Fetched digests live
 * until the process ends. */
static EVP_MD *md_md5, *md_sha1, *md_sha256;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;

static void
md_fetch(void)
{
	md_md5 = EVP_MD_fetch(NULL, "MD5", NULL);
	md_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (md_md5 == NULL || md_sha1 == NULL || md_sha256 == NULL)
		fatal("libcrypto has no MD5, SHA-1 or SHA-256");
}

static void
md_ready(void)
{
	if (pthread_once(&md_once, md_fetch) != 0)
		fatal("cannot set up the digests");
}

static EVP_MD_CTX *
hasher_ctx(const EVP_MD *md)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	if (c == NULL || EVP_DigestInit_ex(c, md, NULL) != 1)
		fatal("libcrypto cannot start a digest");
	return c;
}

struct hasher *
hasher_new(void)
{
	struct hasher *h = xcalloc(1, sizeof(*h));

	md_ready();
	h->md5 = hasher_ctx(md_md5);
	h->sha1 = hasher_ctx(md_sha1);
	h->sha256 = hasher_ctx(md_sha256);
	return h;
}

struct hasher *
hasher_new_sha256(void)
{
	struct hasher *h = xcalloc(1, sizeof(*h));

	md_ready();
	h->sha256 = hasher_ctx(md_sha256);
	return h;
}

void
hasher_update(struct hasher *h, const void *p, size_t n)
{
	if ((h->md5 != NULL && EVP_DigestUpdate(h->md5, p, n) != 1) ||
	    (h->sha1 != NULL && EVP_DigestUpdate(h->sha1, p, n) != 1) ||
	    EVP_DigestUpdate(h->sha256, p, n) != 1)
		fatal("libcrypto digest update failed");
	h->size += n;
}

/* Lowercase hex of a digest into out (2n + 1 bytes). */
static void
hex_digest(const unsigned char *md, unsigned int n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * n] = 0;
}

static void
hasher_hex(EVP_MD_CTX *c, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_DigestFinal_ex(c, md, &n) != 1)
		fatal("libcrypto digest final failed");
	hex_digest(md, n, out);
	EVP_MD_CTX_free(c);
}

void
hasher_final(struct hasher *h, struct hashes *out)
{
	out->md5[0] = out->sha1[0] = '\0';
	if (h->md5 != NULL)
		hasher_hex(h->md5, out->md5);
	if (h->sha1 != NULL)
		hasher_hex(h->sha1, out->sha1);
	hasher_hex(h->sha256, out->sha256);
	out->size = h->size;
	free(h);
}

void
hash_mem(const void *p, size_t n, struct hashes *out)
{
	struct hasher *h = hasher_new();

	hasher_update(h, p, n);
	hasher_final(h, out);
}

void
hash_sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	md_ready();
	if (EVP_Digest(p, n, md, &len, md_sha256, NULL) != 1)
		fatal("libcrypto SHA-256 failed");
	hex_digest(md, len, out);
}

void
hash_hmac_sha256_hex(const void *key, size_t klen, const void *p, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (HMAC(EVP_sha256(), key, (int)klen, p, n, md, &len) == NULL)
		fatal("libcrypto HMAC-SHA-256 failed");
	hex_digest(md, len, out);
}

void
hash_random_key_hex(char out[65])
{
	unsigned char k[32];

	if (RAND_bytes(k, sizeof(k)) != 1)
		fatal("libcrypto has no random bytes for a key");
	hex_digest(k, sizeof(k), out);
}

/* MD5 is libcrypto's slowest digest of the three (about 730 MB/s on this
 * project's machines, against 1.7-1.8 GB/s for SHA-1 and SHA-256 with the
 * CPU's SHA extensions), so hash_file() gives it a thread of its own. The
 * file is still read once: each chunk is hashed by both threads, and a
 * buffer is read into again only after MD5 is done with it. */
struct md5_job {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	EVP_MD_CTX *ctx;
	const unsigned char *p;     /* the chunk to hash while pending */
	size_t n;
	bool pending, quit, failed;
};

static void *
md5_worker(void *arg)
{
	struct md5_job *j = arg;

	pthread_mutex_lock(&j->mu);
	for (;;) {
		while (!j->pending && !j->quit)
			pthread_cond_wait(&j->cv, &j->mu);
		if (!j->pending)
			break;
		pthread_mutex_unlock(&j->mu);
		if (EVP_DigestUpdate(j->ctx, j->p, j->n) != 1)
			j->failed = true;
		pthread_mutex_lock(&j->mu);
		j->pending = false;
		pthread_cond_broadcast(&j->cv);
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

/* Waits until the worker has hashed the last chunk posted. */
static void
md5_wait(struct md5_job *j)
{
	pthread_mutex_lock(&j->mu);
	while (j->pending)
		pthread_cond_wait(&j->cv, &j->mu);
	pthread_mutex_unlock(&j->mu);
}

static void
md5_post(struct md5_job *j, const unsigned char *p, size_t n)
{
	pthread_mutex_lock(&j->mu);
	j->p = p;
	j->n = n;
	j->pending = true;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

bool
hash_file(const char *path, struct hashes *out)
{
	enum { CHUNK = 1 << 20 };
	unsigned char *buf[2];
	struct hasher *h;
	struct md5_job job = { .pending = false };
	pthread_t tid;
	bool threaded, ok = true;
	unsigned k = 0;
	ssize_t n;
	int fd, saved = 0;

	fd = fileio_open_ro(path);
	if (fd < 0)
		return false;
	buf[0] = xmalloc(CHUNK);
	buf[1] = xmalloc(CHUNK);
	h = hasher_new();
	job.ctx = h->md5;
	threaded = pthread_mutex_init(&job.mu, NULL) == 0;
	if (threaded && pthread_cond_init(&job.cv, NULL) != 0) {
		pthread_mutex_destroy(&job.mu);
		threaded = false;
	}
	if (threaded && pthread_create(&tid, NULL, md5_worker, &job) != 0) {
		pthread_cond_destroy(&job.cv);
		pthread_mutex_destroy(&job.mu);
		threaded = false;   /* hashed on this thread alone, the same result */
	}
	for (;;) {
		/* buf[k] was last hashed two chunks ago: MD5 is done with it. */
		n = read(fd, buf[k], CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ok = n == 0;
			saved = errno;
			break;
		}
		if (!threaded) {
			hasher_update(h, buf[k], (size_t)n);
		} else {
			md5_wait(&job);
			md5_post(&job, buf[k], (size_t)n);
			if (EVP_DigestUpdate(h->sha1, buf[k], (size_t)n) != 1 ||
			    EVP_DigestUpdate(h->sha256, buf[k], (size_t)n) != 1)
				fatal("libcrypto digest update failed");
			h->size += (uint64_t)n;
		}
		k ^= 1;
	}
	if (threaded) {
		md5_wait(&job);
		pthread_mutex_lock(&job.mu);
		job.quit = true;
		pthread_cond_broadcast(&job.cv);
		pthread_mutex_unlock(&job.mu);
		pthread_join(tid, NULL);
		pthread_cond_destroy(&job.cv);
		pthread_mutex_destroy(&job.mu);
		if (job.failed)
			fatal("libcrypto digest update failed");
	}
	free(buf[0]);
	free(buf[1]);
	close(fd);
	hasher_final(h, out);
	if (!ok)
		errno = saved;
	return ok;
}
