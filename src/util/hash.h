/* hash.h - MD5, SHA-1 and SHA-256 in one pass, with libcrypto's EVP API.
 *
 * Digests are kept as lowercase hex strings, the form every report, manifest
 * and sha256sum(1) line uses. */
#ifndef MC_HASH_H
#define MC_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hashes {
	char md5[33];
	char sha1[41];
	char sha256[65];
	uint64_t size;
};

struct hasher;

struct hasher *hasher_new(void);
/* SHA-256 alone (md5 and sha1 come out empty): for bytes hashed on the way
 * through a reader, where only the identity of the content is checked. */
struct hasher *hasher_new_sha256(void);
void hasher_update(struct hasher *h, const void *p, size_t n);
/* Finishes and frees h. */
void hasher_final(struct hasher *h, struct hashes *out);

void hash_mem(const void *p, size_t n, struct hashes *out);
/* SHA-256 only, as hex. */
void hash_sha256_hex(const void *p, size_t n, char out[65]);
/* HMAC-SHA-256 of p under key, as hex. */
void hash_hmac_sha256_hex(const void *key, size_t klen, const void *p, size_t n, char out[65]);
/* A new random 256-bit key from libcrypto's generator, as hex. */
void hash_random_key_hex(char out[65]);
/* Hashes a file opened read-only, in one read pass (MD5 on a second thread).
 * false with errno set when it cannot be read. */
bool hash_file(const char *path, struct hashes *out) __attribute__((warn_unused_result));

#endif
