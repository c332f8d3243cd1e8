#include "util/hash.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct hasher {
	EVP_MD_CTX *md5, *sha1, *sha256;
	uint64_t size;
};

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

	h->md5 = hasher_ctx(EVP_md5());
	h->sha1 = hasher_ctx(EVP_sha1());
	h->sha256 = hasher_ctx(EVP_sha256());
	return h;
}

void
hasher_update(struct hasher *h, const void *p, size_t n)
{
	if (EVP_DigestUpdate(h->md5, p, n) != 1 ||
	    EVP_DigestUpdate(h->sha1, p, n) != 1 ||
	    EVP_DigestUpdate(h->sha256, p, n) != 1)
		fatal("libcrypto digest update failed");
	h->size += n;
}

static void
hasher_hex(EVP_MD_CTX *c, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	if (EVP_DigestFinal_ex(c, md, &n) != 1)
		fatal("libcrypto digest final failed");
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	EVP_MD_CTX_free(c);
}

void
hasher_final(struct hasher *h, struct hashes *out)
{
	hasher_hex(h->md5, out->md5);
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
	unsigned int len = 0, i;

	if (EVP_Digest(p, n, md, &len, EVP_sha256(), NULL) != 1)
		fatal("libcrypto SHA-256 failed");
	for (i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

bool
hash_file(const char *path, struct hashes *out)
{
	enum { CHUNK = 1 << 20 };
	unsigned char *chunk;
	struct hasher *h;
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	chunk = xmalloc(CHUNK);
	h = hasher_new();
	while ((n = read(fd, chunk, CHUNK)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			hasher_final(h, out);
			free(chunk);
			close(fd);
			errno = saved;
			return false;
		}
		hasher_update(h, chunk, (size_t)n);
	}
	free(chunk);
	close(fd);
	hasher_final(h, out);
	return true;
}
