/* sasl.c - SASL exchanges seen on the wire: see sasl.h. */
#include "mail/sasl.h"
#include "mail/sasl_int.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/rd.h"
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

/* RFC 4422 3.1: mechanism names are upper-case ASCII; SCRAM-* is matched by
 * prefix (RFC 5802 4: SCRAM-SHA-1, SCRAM-SHA-256, their -PLUS variants). */
static const struct {
	const char *name;
	enum sasl_mech mech;
	const char *kind;
} sasl_mechs[] = {
	{ "LOGIN", SASL_LOGIN, "password" },
	{ "PLAIN", SASL_PLAIN, "password" },
	{ "CRAM-MD5", SASL_CRAM_MD5, "cram-md5 digest" },
	{ "XOAUTH2", SASL_XOAUTH2, "oauth token" },
	{ "OAUTHBEARER", SASL_OAUTHBEARER, "oauth token" },
	{ "NTLM", SASL_NTLM, NULL },
	{ "DIGEST-MD5", SASL_DIGEST_MD5, "digest-md5 response" },
	{ "GSSAPI", SASL_GSSAPI, NULL },
	{ "GSS-SPNEGO", SASL_GSSAPI, NULL },
};

void
sasl_auth_init(struct sasl_auth *a, const char *mech, size_t mech_len)
{
	size_t i;
	char *up = xmalloc(mech_len + 1);

	memset(a, 0, sizeof(*a));
	for (i = 0; i < mech_len; i++)
		up[i] = (char)toupper((unsigned char)mech[i]);
	a->mech_name = text_clean(up, mech_len, 0);
	free(up);
	a->mech = SASL_OTHER;
	for (i = 0; i < sizeof(sasl_mechs) / sizeof(sasl_mechs[0]); i++)
		if (strcmp(a->mech_name, sasl_mechs[i].name) == 0) {
			a->mech = sasl_mechs[i].mech;
			a->secret_kind = sasl_mechs[i].kind;
		}
	if (strncmp(a->mech_name, "SCRAM-", 6) == 0) {
		a->mech = SASL_SCRAM;
		a->secret_kind = "scram proof";
	}
}

void
sasl_str_set(char **dst, const void *p, size_t n)
{
	free(*dst);
	*dst = text_clean(p, n, 0);
}

void
sasl_detail_n(struct sasl_auth *a, const char *key, const void *v, size_t n)
{
	char *t = text_clean(v, n, 0), *d;

	d = a->details ? xasprintf("%s; %s=%s", a->details, key, t) : xasprintf("%s=%s", key, t);
	free(t);
	free(a->details);
	a->details = d;
}

void
sasl_detail(struct sasl_auth *a, const char *key, const char *v)
{
	sasl_detail_n(a, key, v, strlen(v));
}

char *
sasl_hex(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *h = xmalloc(2 * n + 1);
	size_t i;

	for (i = 0; i < n; i++) {
		h[2 * i] = digits[p[i] >> 4];
		h[2 * i + 1] = digits[p[i] & 15];
	}
	h[2 * n] = '\0';
	return h;
}

/* The bytes up to the next c (or the end); the reader moves past c. */
static struct slice
rd_until(struct rd *r, uint8_t c)
{
	struct rd start = *r;
	struct slice b;
	size_t n = 0;

	while (rd_peek(r, 1, &b) && b.p[0] != c) {
		rd_skip(r, 1);
		n++;
	}
	if (rd_left(r) > 0)
		rd_skip(r, 1);
	return rd_bytes(&start, n);
}

static bool
slice_pfx(struct slice s, const char *p)
{
	size_t n = strlen(p);

	return s.len >= n && strncasecmp((const char *)s.p, p, n) == 0;
}

/* An exchange step of a mechanism not decoded here: its text when it is
 * text, else the base64 as sent. */
static void
exchange_step(struct sasl_auth *a, const char *who, const char *b64, size_t len,
    const char *dec, size_t n)
{
	char *t;

	if (a->steps > SASL_EXCHANGE_STEPS)
		return;
	if (a->steps++ == SASL_EXCHANGE_STEPS) {
		sasl_detail(a, "exchange_cut", "after 16 steps; the rest is in the transcript");
		return;
	}
	if (dec != NULL && text_is_clean(dec, n, 0)) {
		sasl_detail_n(a, who, dec, n);
		return;
	}
	t = xasprintf("base64:%.*s", (int)len, b64);
	sasl_detail(a, who, t);
	free(t);
}

/* SCRAM's saslname (RFC 5802 5.1): "=2C" is ',' and "=3D" is '='. */
static void
scram_name(char **dst, struct slice s)
{
	char *o = xmalloc(s.len + 1);
	size_t i, n = 0;

	for (i = 0; i < s.len; i++) {
		if (s.p[i] == '=' && i + 2 < s.len && s.p[i + 1] == '2' && s.p[i + 2] == 'C') {
			o[n++] = ',';
			i += 2;
		} else if (s.p[i] == '=' && i + 2 < s.len && s.p[i + 1] == '3' && s.p[i + 2] == 'D') {
			o[n++] = '=';
			i += 2;
		} else {
			o[n++] = (char)s.p[i];
		}
	}
	sasl_str_set(dst, o, n);
	free(o);
}

/* s without its first k bytes (k <= s.len). */
static struct slice
slice_from(struct slice s, size_t k)
{
	struct rd r;

	rd_init(&r, s.p, s.len);
	rd_skip(&r, k);
	return rd_rest(&r);
}

/* The value of attribute "k=" in a comma-separated SCRAM message, and the
 * offset of its element. */
static bool
scram_attr(struct slice msg, char k, struct slice *v, size_t *at)
{
	struct rd r;

	rd_init(&r, msg.p, msg.len);
	while (rd_left(&r) > 0) {
		size_t off = r.off;
		struct slice e = rd_until(&r, ',');
		if (e.len >= 2 && e.p[0] == (uint8_t)k && e.p[1] == '=') {
			*v = slice_from(e, 2);
			if (at)
				*at = off;
			return true;
		}
	}
	return false;
}

/* RFC 5802 7: client-first-message = gs2-header client-first-message-bare
 * with gs2-header = cbind-flag "," [ "a=" saslname ] ","; client-final-
 * message = "c=" cbind ",r=" nonce ",p=" proof. AuthMessage (3) is
 * client-first-bare "," server-first "," client-final-without-proof. */
static void
scram_client(struct sasl_auth *a, const char *dec, size_t n)
{
	struct slice m = { (const uint8_t *)dec, n }, v, flag, az, bare;
	struct rd r;
	size_t at = 0;

	if (slice_pfx(m, "c=")) {
		if (scram_attr(m, 'r', &v, NULL))
			sasl_detail_n(a, "nonce", v.p, v.len);
		if (!scram_attr(m, 'p', &v, &at))
			return;
		sasl_str_set(&a->secret, v.p, v.len);
		sasl_detail_n(a, "proof", v.p, v.len);
		if (a->scram_first != NULL && a->scram_server != NULL && at > 0) {
			char *am = xasprintf("%s,%s,%.*s", a->scram_first, a->scram_server,
			    (int)(at - 1), dec);
			sasl_detail(a, "auth_message", am);
			free(am);
		}
		return;
	}
	rd_init(&r, m.p, m.len);
	flag = rd_until(&r, ',');
	az = rd_until(&r, ',');
	bare = rd_rest(&r);
	if (slice_pfx(flag, "p="))
		sasl_detail_n(a, "channel_binding", flag.p, flag.len);
	if (slice_pfx(az, "a="))
		scram_name(&a->authzid, slice_from(az, 2));
	if (scram_attr(bare, 'n', &v, NULL))
		scram_name(&a->user, v);
	free(a->scram_first);
	a->scram_first = text_clean(bare.p, bare.len, 0);
}

/* RFC 5802 7: server-first-message "r=" nonce ",s=" salt ",i=" count;
 * server-final-message "v=" verifier or "e=" error. */
static void
scram_server(struct sasl_auth *a, const char *dec, size_t n)
{
	struct slice m = { (const uint8_t *)dec, n }, v;

	if (slice_pfx(m, "v=") || slice_pfx(m, "e=")) {
		a->final_seen = true;
		v = slice_from(m, 2);
		sasl_detail_n(a, m.p[0] == 'v' ? "server_signature" : "server_error", v.p, v.len);
		return;
	}
	if (scram_attr(m, 's', &v, NULL))
		sasl_detail_n(a, "salt", v.p, v.len);
	if (scram_attr(m, 'i', &v, NULL))
		sasl_detail_n(a, "iterations", v.p, v.len);
	free(a->scram_server);
	a->scram_server = text_clean(dec, n, 0);
}

/* RFC 2831 7.1: a #rule list of directives, token "=" (token |
 * quoted-string); *val gets the value with quoted-pairs undone (free it). */
static bool
digest_next(struct rd *r, struct slice *key, char **val, size_t *vlen)
{
	struct slice b;
	struct rd k;
	size_t kn = 0, n = 0;
	char *v;

	while (rd_peek(r, 1, &b) && strchr(", \t\r\n", b.p[0]) != NULL && b.p[0] != 0)
		rd_skip(r, 1);
	if (rd_left(r) == 0)
		return false;
	k = *r;
	while (rd_peek(r, 1, &b) && b.p[0] != '=' && b.p[0] != ',') {
		rd_skip(r, 1);
		kn++;
	}
	*key = rd_bytes(&k, kn);
	v = xmalloc(rd_left(r) + 1);
	if (rd_peek(r, 1, &b) && b.p[0] == '=') {
		rd_skip(r, 1);
		if (rd_peek(r, 1, &b) && b.p[0] == '"') {
			rd_skip(r, 1);
			while (rd_left(r) > 0) {
				uint8_t c = rd_u8(r);
				if (c == '"')
					break;
				if (c == '\\' && rd_left(r) > 0)
					c = rd_u8(r);
				v[n++] = (char)c;
			}
		} else {
			while (rd_peek(r, 1, &b) && b.p[0] != ',')
				v[n++] = (char)rd_u8(r);
			while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
				n--;
		}
	}
	v[n] = '\0';
	*val = v;
	*vlen = n;
	return true;
}

enum { D_USER, D_REALM, D_NONCE, D_URI, D_CNONCE, D_NC, D_QOP, D_RESP, D_AUTHZID, D_N };
/* In the order of John's dmd5 line (sasl.h). */
static const char *const digest_keys[D_N] = {
	"username", "realm", "nonce", "digest-uri", "cnonce", "nc", "qop", "response", "authzid",
};

static void
digest_crack_line(struct sasl_auth *a, char *const *f)
{
	int i;

	for (i = 0; i < D_N; i++)
		if (f[i] != NULL && strchr(f[i], '$') != NULL) {
			sasl_detail(a, "crack_line", "none ('$' in a field)");
			return;
		}
	if (f[D_USER] == NULL || f[D_NONCE] == NULL || f[D_URI] == NULL || f[D_CNONCE] == NULL ||
	    f[D_NC] == NULL || f[D_RESP] == NULL)
		return;
	free(a->crack_line);
	/* 2.1.2: realm may be absent, qop defaults to "auth" */
	a->crack_line = xasprintf("$DIGEST-MD5$%s$%s$%s$%s$%s$%s$%s$%s%s%s", f[D_USER],
	    f[D_REALM] ? f[D_REALM] : "", f[D_NONCE], f[D_URI], f[D_CNONCE], f[D_NC],
	    f[D_QOP] ? f[D_QOP] : "auth", f[D_RESP], f[D_AUTHZID] ? "$" : "",
	    f[D_AUTHZID] ? f[D_AUTHZID] : "");
}

/* RFC 2831 2.1.2: the digest-response. */
static void
digest_response(struct sasl_auth *a, const char *dec, size_t n)
{
	char *f[D_N] = { NULL }, *v;
	struct slice k;
	struct rd r;
	size_t vl;
	int i;

	rd_init(&r, dec, n);
	while (digest_next(&r, &k, &v, &vl)) {
		for (i = 0; i < D_N; i++)
			if (k.len == strlen(digest_keys[i]) &&
			    strncasecmp((const char *)k.p, digest_keys[i], k.len) == 0 && f[i] == NULL)
				break;
		if (i < D_N)
			f[i] = text_clean(v, vl, 0);
		free(v);
	}
	if (f[D_USER])
		sasl_str_set(&a->user, f[D_USER], strlen(f[D_USER]));
	if (f[D_REALM])
		sasl_str_set(&a->domain, f[D_REALM], strlen(f[D_REALM]));
	if (f[D_AUTHZID])
		sasl_str_set(&a->authzid, f[D_AUTHZID], strlen(f[D_AUTHZID]));
	if (f[D_RESP])
		sasl_str_set(&a->secret, f[D_RESP], strlen(f[D_RESP]));
	for (i = D_NONCE; i <= D_QOP; i++)
		if (f[i])
			sasl_detail(a, digest_keys[i], f[i]);
	if (f[D_RESP])
		digest_crack_line(a, f);
	for (i = 0; i < D_N; i++)
		free(f[i]);
}

/* RFC 2831 2.1.3: the second challenge carries rspauth; one empty response
 * follows it. */
static void
digest_challenge(struct sasl_auth *a, const char *dec, size_t n)
{
	struct slice k;
	struct rd r;
	char *v;
	size_t vl;

	rd_init(&r, dec, n);
	while (digest_next(&r, &k, &v, &vl)) {
		if (k.len == 7 && strncasecmp((const char *)k.p, "rspauth", 7) == 0)
			a->final_seen = true;
		free(v);
	}
}

/* RFC 7628 3.1: gs2-header kvsep *kvpair kvsep, kvsep being ^A; the
 * gs2-header's "a=" names the user, kvpair "auth=Bearer <token>". */
static void
oauthbearer_response(struct sasl_auth *a, const char *dec, size_t n)
{
	struct rd r, h;
	struct slice hdr, az, kv, v;

	rd_init(&r, dec, n);
	hdr = rd_until(&r, 0x01);
	rd_init(&h, hdr.p, hdr.len);
	(void)rd_until(&h, ',');
	az = rd_until(&h, ',');
	if (slice_pfx(az, "a="))
		scram_name(&a->user, slice_from(az, 2));
	while (rd_left(&r) > 0) {
		kv = rd_until(&r, 0x01);
		if (slice_pfx(kv, "auth=Bearer "))
			v = slice_from(kv, 12), sasl_str_set(&a->secret, v.p, v.len);
		else if (slice_pfx(kv, "host=") || slice_pfx(kv, "port="))
			v = slice_from(kv, 5), sasl_detail_n(a, kv.p[0] == 'h' ? "host" : "port", v.p, v.len);
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

/* RFC 4616 2: [authzid] NUL authcid NUL passwd. An empty response only asks
 * the server for an empty challenge. */
static void
plain_response(struct sasl_auth *a, const char *dec, size_t n)
{
	size_t i, j;

	if (n == 0)
		return;
	for (i = 0; i < n && dec[i] != 0; i++)
		;
	for (j = i + 1; j < n && dec[j] != 0; j++)
		;
	if (i >= n) {      /* no NUL at all: keep what was sent as the user */
		sasl_str_set(&a->user, dec, n);
		return;
	}
	if (i > 0)
		sasl_str_set(&a->authzid, dec, i);
	sasl_str_set(&a->user, dec + i + 1, (j < n ? j : n) - i - 1);
	if (j < n)
		sasl_str_set(&a->secret, dec + j + 1, n - j - 1);
}

/* "user=" user ^A "auth=Bearer " token ^A ^A; after a failure the client
 * answers the error challenge with an empty response. */
static void
xoauth2_response(struct sasl_auth *a, const char *dec, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i = j + 1) {
		for (j = i; j < n && dec[j] != 0x01; j++)
			;
		if (j - i > 5 && memcmp(dec + i, "user=", 5) == 0)
			sasl_str_set(&a->user, dec + i + 5, j - i - 5);
		else if (j - i > 12 && strncasecmp(dec + i, "auth=Bearer ", 12) == 0)
			sasl_str_set(&a->secret, dec + i + 12, j - i - 12);
		else if (j - i > 5 && strncasecmp(dec + i, "auth=", 5) == 0)
			sasl_str_set(&a->secret, dec + i + 5, j - i - 5);
	}
}

void
sasl_auth_challenge(struct sasl_auth *a, const char *b64, size_t len)
{
	char *dec = NULL;
	size_t n = 0;

	a->nchal++;
	if (a->nresp > 0)
		a->nchal_late++;
	if (len == 0)
		return;
	free(a->challenge_b64);
	a->challenge_b64 = text_clean(b64, len, 0);
	if (a->mech == SASL_LOGIN || a->mech == SASL_PLAIN || a->mech == SASL_CRAM_MD5 ||
	    a->mech == SASL_XOAUTH2)
		return;
	if (!sasl_base64_decode(b64, len, &dec, &n)) {
		if (a->mech == SASL_OTHER)
			exchange_step(a, "S", b64, len, NULL, 0);
		return;
	}
	if (a->mech == SASL_NTLM)
		sasl_ntlm_message(a, (const uint8_t *)dec, n);
	else if (a->mech == SASL_DIGEST_MD5)
		digest_challenge(a, dec, n);
	else if (a->mech == SASL_SCRAM)
		scram_server(a, dec, n);
	else if (a->mech == SASL_GSSAPI && n > 0 && (uint8_t)dec[0] != 0x60)
		sasl_gssapi_token(a, (const uint8_t *)dec, n);
	else if (a->mech == SASL_OAUTHBEARER)
		sasl_detail_n(a, "server_error", dec, n);    /* RFC 7628 3.2.2 */
	else if (a->mech == SASL_OTHER)
		exchange_step(a, "S", b64, len, dec, n);
	free(dec);
}

void
sasl_auth_response(struct sasl_auth *a, const char *b64, size_t len)
{
	char *dec = NULL;
	size_t n = 0, i;
	unsigned idx = a->nresp++;

	if (len == 1 && b64[0] == '*') {
		a->cancelled = true;
		return;
	}
	if (len == 1 && b64[0] == '=')
		len = 0;
	if (!sasl_base64_decode(b64, len, &dec, &n)) {
		a->bad_base64 = true;
		if (a->mech == SASL_OTHER)
			exchange_step(a, "C", b64, len, NULL, 0);
		return;
	}
	switch (a->mech) {
	case SASL_LOGIN:
		/* Username first, then password; the challenges "Username:" and
		 * "Password:" are customary but not required, so order decides. */
		if (idx == 0 && a->user == NULL)
			sasl_str_set(&a->user, dec, n);
		else if (a->secret == NULL)
			sasl_str_set(&a->secret, dec, n);
		break;
	case SASL_PLAIN:
		plain_response(a, dec, n);
		break;
	case SASL_CRAM_MD5:
		/* RFC 2195 2: "user SP hexdigest". */
		if (n == 0)
			break;
		for (i = n; i > 0 && dec[i - 1] != ' '; i--)
			;
		if (i == 0) {
			sasl_str_set(&a->secret, dec, n);
		} else {
			sasl_str_set(&a->user, dec, i - 1);
			sasl_str_set(&a->secret, dec + i, n - i);
		}
		cram_crack_line(a, b64, len);
		break;
	case SASL_XOAUTH2:
		xoauth2_response(a, dec, n);
		break;
	case SASL_OAUTHBEARER:
		oauthbearer_response(a, dec, n);
		break;
	case SASL_NTLM:
		if (n > 0)
			sasl_ntlm_message(a, (const uint8_t *)dec, n);
		break;
	case SASL_DIGEST_MD5:
		if (n > 0)
			digest_response(a, dec, n);
		break;
	case SASL_SCRAM:
		if (n > 0)
			scram_client(a, dec, n);
		break;
	case SASL_GSSAPI:
		if (n > 0)
			sasl_gssapi_token(a, (const uint8_t *)dec, n);
		break;
	case SASL_OTHER:
		exchange_step(a, "C", b64, len, dec, n);
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
	case SASL_OAUTHBEARER:
		/* one response, plus the empty one after an error challenge */
		return a->nresp < 1 || (a->nchal_late > 0 && a->nresp < 2);
	case SASL_NTLM:
		/* Type 1, then Type 3 (MS-NLMP 1.3.1.1) */
		return !a->ntlm_done && a->nresp < 3;
	case SASL_DIGEST_MD5:
		/* the digest-response, then an empty one after rspauth (RFC 2831 2.1.3) */
		return a->nresp < 1 || (a->final_seen && a->nresp < 2);
	case SASL_SCRAM:
		/* client-first, client-final, and an empty one after "v=" */
		return a->nresp < 2 || (a->final_seen && a->nresp < 3);
	case SASL_GSSAPI:
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
	free(a->domain);
	free(a->workstation);
	free(a->details);
	free(a->crack_line);
	free(a->challenge_b64);
	free(a->scram_first);
	free(a->scram_server);
	memset(a, 0, sizeof(*a));
}
