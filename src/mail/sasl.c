/* sasl.c - SASL exchanges seen on the wire: see sasl.h. */
#include "mail/sasl.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/text.h"
#include "util/xalloc.h"

bool
sasl_base64_decode(const char *b64, size_t len, char **out, size_t *out_len)
{
	char *clean = xmalloc(len + 4);
	size_t n = 0, pad = 0, i;
	unsigned char *dec;
	int got;

	/* RFC 4648 4; whitespace is not part of the alphabet but clients and
	 * captures sometimes carry a stray space or CR. */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)b64[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (!(isalnum(c) || c == '+' || c == '/' || c == '=')) {
			free(clean);
			return false;
		}
		clean[n++] = (char)c;
	}
	/* Some clients drop the padding. */
	while (n % 4 != 0)
		clean[n++] = '=';
	for (i = n; i > 0 && clean[i - 1] == '=' && pad < 2; i--)
		pad++;
	for (i = 0; i + pad < n; i++)
		if (clean[i] == '=') {
			free(clean);
			return false;
		}
	dec = xmalloc(n / 4 * 3 + 1);
	got = n ? EVP_DecodeBlock(dec, (const unsigned char *)clean, (int)n) : 0;
	free(clean);
	if (got < 0 || (size_t)got < pad) {
		free(dec);
		return false;
	}
	got -= (int)pad;     /* EVP_DecodeBlock counts the padding as zero bytes */
	dec[got] = 0;
	*out = (char *)dec;
	*out_len = (size_t)got;
	return true;
}

void
sasl_auth_init(struct sasl_auth *a, const char *mech, size_t mech_len)
{
	size_t i;

	char *up = xmalloc(mech_len + 1);

	memset(a, 0, sizeof(*a));
	/* RFC 4422 3.1: mechanism names are upper-case ASCII; compare them so */
	for (i = 0; i < mech_len; i++)
		up[i] = (char)toupper((unsigned char)mech[i]);
	a->mech_name = text_clean(up, mech_len, 0);
	free(up);
	if (strcmp(a->mech_name, "LOGIN") == 0)
		a->mech = SASL_LOGIN;
	else if (strcmp(a->mech_name, "PLAIN") == 0)
		a->mech = SASL_PLAIN;
	else if (strcmp(a->mech_name, "CRAM-MD5") == 0)
		a->mech = SASL_CRAM_MD5;
	else if (strcmp(a->mech_name, "XOAUTH2") == 0)
		a->mech = SASL_XOAUTH2;
	else
		a->mech = SASL_OTHER;
	if (a->mech == SASL_PLAIN || a->mech == SASL_LOGIN)
		a->secret_kind = "password";
	else if (a->mech == SASL_CRAM_MD5)
		a->secret_kind = "cram-md5 digest";
	else if (a->mech == SASL_XOAUTH2)
		a->secret_kind = "oauth token";
}

static void
set_str(char **dst, const void *p, size_t n)
{
	free(*dst);
	*dst = text_clean(p, n, 0);
}

void
sasl_auth_challenge(struct sasl_auth *a, const char *b64, size_t len)
{
	a->nchal++;
	if (a->nresp > 0)
		a->nchal_late++;
	if (len > 0) {
		free(a->challenge_b64);
		a->challenge_b64 = text_clean(b64, len, 0);
	}
}

/* The text of a "key=value" pair (SCRAM, RFC 5802 5.1) up to the next comma. */
static void
take_attr(struct sasl_auth *a, const char *dec, size_t n, const char *key)
{
	size_t kl = strlen(key), i, j;

	for (i = 0; i + kl <= n; i++) {
		if ((i == 0 || dec[i - 1] == ',') && memcmp(dec + i, key, kl) == 0) {
			for (j = i + kl; j < n && dec[j] != ','; j++)
				;
			set_str(&a->user, dec + i + kl, j - i - kl);
			return;
		}
	}
}

/* DIGEST-MD5 (RFC 2831 2.1.2) carries username="..." in its response. */
static void
take_digest_user(struct sasl_auth *a, const char *dec, size_t n)
{
	const char *k = "username=\"";
	size_t kl = strlen(k), i, j;

	for (i = 0; i + kl <= n; i++)
		if (strncasecmp(dec + i, k, kl) == 0) {
			for (j = i + kl; j < n && dec[j] != '"'; j++)
				;
			set_str(&a->user, dec + i + kl, j - i - kl);
			return;
		}
}

static void
cram_crack_line(struct sasl_auth *a, const char *resp_b64, size_t len)
{
	char *resp = text_clean(resp_b64, len, 0);

	free(a->crack_line);
	a->crack_line = xasprintf("$cram_md5$%s$%s",
	    a->challenge_b64 ? a->challenge_b64 : "", resp);
	free(resp);
}

void
sasl_auth_response(struct sasl_auth *a, const char *b64, size_t len)
{
	char *dec = NULL;
	size_t n = 0, i, j;
	unsigned idx = a->nresp++;

	if (len == 1 && b64[0] == '*') {
		a->cancelled = true;
		return;
	}
	if (len == 1 && b64[0] == '=')
		len = 0;
	if (!sasl_base64_decode(b64, len, &dec, &n)) {
		a->bad_base64 = true;
		return;
	}
	switch (a->mech) {
	case SASL_LOGIN:
		/* Username first, then password; the challenges "Username:" and
		 * "Password:" are customary but not required, so order decides. */
		if (idx == 0 && a->user == NULL)
			set_str(&a->user, dec, n);
		else if (a->secret == NULL)
			set_str(&a->secret, dec, n);
		break;
	case SASL_PLAIN:
		/* RFC 4616 2: [authzid] NUL authcid NUL passwd. An empty response
		 * only asks the server for an empty challenge. */
		if (n == 0)
			break;
		for (i = 0; i < n && dec[i] != 0; i++)
			;
		for (j = i + 1; j < n && dec[j] != 0; j++)
			;
		if (i >= n) {      /* no NUL at all: keep what was sent as the user */
			set_str(&a->user, dec, n);
			break;
		}
		if (i > 0)
			set_str(&a->authzid, dec, i);
		set_str(&a->user, dec + i + 1, (j < n ? j : n) - i - 1);
		if (j < n)
			set_str(&a->secret, dec + j + 1, n - j - 1);
		break;
	case SASL_CRAM_MD5:
		/* RFC 2195 2: "user SP hexdigest". */
		if (n == 0)
			break;
		for (i = n; i > 0 && dec[i - 1] != ' '; i--)
			;
		if (i == 0) {
			set_str(&a->secret, dec, n);
		} else {
			set_str(&a->user, dec, i - 1);
			set_str(&a->secret, dec + i, n - i);
		}
		cram_crack_line(a, b64, len);
		break;
	case SASL_XOAUTH2:
		/* "user=" user ^A "auth=Bearer " token ^A ^A; after a failure the
		 * client answers the error challenge with an empty response. */
		for (i = 0; i < n; i = j + 1) {
			for (j = i; j < n && dec[j] != 0x01; j++)
				;
			if (j - i > 5 && memcmp(dec + i, "user=", 5) == 0)
				set_str(&a->user, dec + i + 5, j - i - 5);
			else if (j - i > 12 && strncasecmp(dec + i, "auth=Bearer ", 12) == 0)
				set_str(&a->secret, dec + i + 12, j - i - 12);
			else if (j - i > 5 && strncasecmp(dec + i, "auth=", 5) == 0)
				set_str(&a->secret, dec + i + 5, j - i - 5);
		}
		break;
	case SASL_OTHER:
		if (strncmp(a->mech_name, "SCRAM-", 6) == 0 && idx == 0)
			take_attr(a, dec, n, "n=");
		else if (strcmp(a->mech_name, "DIGEST-MD5") == 0)
			take_digest_user(a, dec, n);
		break;
	}
	free(dec);
}

bool
sasl_auth_wants_response(const struct sasl_auth *a)
{
	if (a->cancelled)
		return false;
	switch (a->mech) {
	case SASL_LOGIN:
		return a->secret == NULL && a->nresp < 2;
	case SASL_PLAIN:
		return a->user == NULL && a->nresp < 2;
	case SASL_CRAM_MD5:
		return a->nresp < 1;
	case SASL_XOAUTH2:
		/* one response, plus the empty one after an error challenge */
		return a->nresp < 1 || (a->nchal_late > 0 && a->nresp < 2);
	case SASL_OTHER:
		return true;
	}
	return true;
}

void
sasl_auth_free(struct sasl_auth *a)
{
	free(a->mech_name);
	free(a->authzid);
	free(a->user);
	free(a->secret);
	free(a->crack_line);
	free(a->challenge_b64);
	memset(a, 0, sizeof(*a));
}
