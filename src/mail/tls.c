/* tls.c - the clear part of a TLS connection. See tls.h.
 *
 * Each direction is read record by record (RFC 8446 5.1, RFC 5246 6.2);
 * the fragments of handshake records are joined (a handshake message may
 * span records, RFC 8446 5.1 "Handshake messages MAY be coalesced ... or
 * fragmented across several records") up to the first ChangeCipherSpec or
 * application_data record, after which the handshake is encrypted. The
 * joined bytes are then read as handshake messages (RFC 8446 4, RFC 5246
 * 7.4). Records that span TCP segments need nothing here: the stream is
 * already reassembled (capture/tcp.h). */
#include "mail/tls.h"

#include <openssl/ssl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/hash.h"
#include "util/text.h"
#include "util/xalloc.h"

/* RFC 8446 5.1: content types. */
enum { CT_CCS = 20, CT_ALERT = 21, CT_HANDSHAKE = 22, CT_APPDATA = 23 };
/* RFC 8446 4: handshake types. */
enum { HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2, HS_CERTIFICATE = 11 };
/* Extension types (IANA TLS ExtensionType Values). */
enum {
	EXT_SNI = 0, EXT_GROUPS = 10, EXT_POINT_FORMATS = 11, EXT_SIG_ALGS = 13,
	EXT_ALPN = 16, EXT_VERSIONS = 43, EXT_KEY_SHARE = 51,
};
/* RFC 8446 4.1.3: a ServerHello with this random is a HelloRetryRequest
 * (the SHA-256 of "HelloRetryRequest"). */
static const uint8_t tls_hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};
/* RFC 8446 5.1: a TLSCiphertext fragment is at most 2^14 + 256 bytes,
 * TLS 1.2's at most 2^14 + 2048 (RFC 5246 6.2.3); the larger bound. */
#define RECORD_MAX (16384 + 2048)
/* Fingerprint strings: lists of at most 2^15 values of 6 characters. */
#define LIST_TEXT_MAX ((size_t)1 << 20)

/* RFC 8701 2: GREASE values are 0x0a0a, 0x1a1a, ... 0xfafa. */
static bool
tls_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* RFC 8446 5.1 / RFC 5246 6.2 TLSPlaintext header fields. */
static bool
tls_header_ok(uint8_t type, uint8_t major, uint8_t minor, uint16_t len)
{
	return type >= CT_CCS && type <= CT_APPDATA && major == 3 && minor <= 4 && len > 0 &&
	    len <= RECORD_MAX;
}

bool
tls_record_looks(struct slice s, bool hello)
{
	struct rd r;
	uint8_t type, major, minor;
	uint16_t len;

	if (s.len < 6)
		return false;
	rd_init(&r, s.p, s.len);
	type = rd_u8(&r);
	major = rd_u8(&r);
	minor = rd_u8(&r);
	len = rd_be16(&r);
	if (!tls_header_ok(type, major, minor, len))
		return false;
	return !hello || (type == CT_HANDSHAKE && rd_u8(&r) == HS_CLIENT_HELLO);
}

const char *
tls_version_name(uint16_t v, char buf[8])
{
	switch (v) {
	case 0x0300: return "SSL 3.0";
	case 0x0301: return "TLS 1.0";
	case 0x0302: return "TLS 1.1";
	case 0x0303: return "TLS 1.2";
	case 0x0304: return "TLS 1.3";
	default:
		snprintf(buf, 8, "0x%04x", v);
		return buf;
	}
}

/* ---- lists of values ---------------------------------------------------- */

struct u16s {
	uint16_t *v;
	size_t n;
};

static void
u16s_add(struct u16s *l, uint16_t v)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = v;
}

/* "a<sep>b" in decimal ("%u") or hex ("%04x"), GREASE left out. */
static char *
u16s_text(const struct u16s *l, const char *fmt, const char *sep)
{
	struct buf b;
	bool first = true;

	buf_init(&b, LIST_TEXT_MAX);
	for (size_t i = 0; i < l->n; i++) {
		if (tls_grease(l->v[i]))
			continue;
		if ((!first && !buf_adds(&b, sep)) || !buf_printf(&b, fmt, l->v[i]))
			break;    /* cannot happen: 2^15 values fit */
		first = false;
	}
	return buf_take(&b);
}

/* What the hellos carry for the fingerprints. */
struct hello {
	struct u16s ciphers, exts, groups, sigalgs, versions;
	struct u16s points;      /* uint8 values, widened */
	char *alpn_first;        /* raw first ALPN name, for JA4 */
	size_t alpn_first_len;
	bool sni;
};

static void
hello_free(struct hello *h)
{
	free(h->ciphers.v);
	free(h->exts.v);
	free(h->groups.v);
	free(h->sigalgs.v);
	free(h->versions.v);
	free(h->points.v);
	free(h->alpn_first);
}

/* ---- records ------------------------------------------------------------ */

/* Whether the one-byte ChangeCipherSpec at r is TLS 1.3's middlebox
 * compatibility dummy (RFC 8446 D.4) before a second hello in clear: the
 * client's ClientHello after a HelloRetryRequest, or the server's
 * ServerHello after it. It is when the next record is a handshake record
 * holding exactly one whole ClientHello (dir 0) or ServerHello (dir 1); in
 * TLS 1.2 the record after a ChangeCipherSpec is encrypted, and its first
 * four bytes are that by chance once in 2^32. */
static bool
tls_compat_ccs(const struct rd *r, int dir)
{
	struct slice s;
	uint16_t len;
	uint32_t mlen;

	if (!rd_peek(r, 1 + 5 + 4, &s) || s.p[0] != 1 || s.p[1] != CT_HANDSHAKE)
		return false;
	len = (uint16_t)(s.p[4] << 8 | s.p[5]);
	mlen = (uint32_t)s.p[7] << 16 | (uint32_t)s.p[8] << 8 | s.p[9];
	return s.p[6] == (dir == 0 ? HS_CLIENT_HELLO : HS_SERVER_HELLO) && len >= 4 &&
	    mlen == (uint32_t)len - 4;
}

/* Joins the handshake fragments of one direction into hs, up to the first
 * record after which the handshake is encrypted. */
static void
tls_dir_collect(struct slice in, struct buf *hs, struct tls_info *t, int dir)
{
	struct rd r;

	rd_init(&r, in.p, in.len);
	while (rd_left(&r) >= 5) {
		size_t at = r.off;
		uint8_t type = rd_u8(&r), major = rd_u8(&r), minor = rd_u8(&r);
		uint16_t len = rd_be16(&r);
		struct slice frag;

		if (!tls_header_ok(type, major, minor, len)) {
			t->err[dir] = "not a TLS record";
			t->err_off[dir] = at;
			r.off = at;
			break;
		}
		if (type == CT_CCS && len == 1 && tls_compat_ccs(&r, dir)) {
			rd_skip(&r, 1);    /* RFC 8446 D.4: a dummy before a hello still in clear */
			continue;
		}
		if (type == CT_CCS || type == CT_APPDATA) {
			r.off = at;
			break;
		}
		frag = rd_bytes(&r, len);
		if (!rd_ok(&r)) {
			t->err[dir] = "the capture ends inside a TLS record";
			t->err_off[dir] = at;
			r.off = in.len;
			break;
		}
		if (type == CT_HANDSHAKE && !t->capped[dir] && !buf_add(hs, frag.p, frag.len))
			t->capped[dir] = true;
	}
	t->clear_end[dir] = rd_ok(&r) ? r.off : in.len;
}

/* ---- hellos --------------------------------------------------------------- */

/* RFC 6066 3: the first host_name of a ServerNameList. */
static void
ext_sni(struct rd *e, struct tls_info *t)
{
	struct rd l = rd_sub(e, rd_be16(e));

	while (rd_left(&l) >= 3) {
		uint8_t type = rd_u8(&l);
		struct slice name = rd_bytes(&l, rd_be16(&l));

		if (rd_ok(&l) && type == 0 && t->sni == NULL) {
			t->sni = text_clean(name.p, name.len, 0);
			return;
		}
	}
}

/* RFC 7301 3.1: ProtocolNameList, as "a,b"; the first name raw for JA4. */
static char *
ext_alpn(struct rd *e, struct hello *h)
{
	struct rd l = rd_sub(e, rd_be16(e));
	struct buf b;

	buf_init(&b, LIST_TEXT_MAX);
	while (rd_left(&l) >= 1) {
		struct slice name = rd_bytes(&l, rd_u8(&l));
		char *n;

		if (!rd_ok(&l) || name.len == 0)
			break;
		if (h != NULL && h->alpn_first == NULL) {
			h->alpn_first = xstrndup((const char *)name.p, name.len);
			h->alpn_first_len = name.len;
		}
		n = text_clean(name.p, name.len, 0);
		if ((b.len > 0 && !buf_addc(&b, ',')) || !buf_adds(&b, n))
			l.off = l.len;
		free(n);
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

static void
u16_list(struct rd *e, size_t len, struct u16s *out)
{
	struct rd l = rd_sub(e, len);

	while (rd_left(&l) >= 2)
		u16s_add(out, rd_be16(&l));
}

/* One extension of a ClientHello (RFC 8446 4.2). */
static void
client_ext(uint16_t type, struct rd *e, struct tls_info *t, struct hello *h)
{
	switch (type) {
	case EXT_SNI:
		h->sni = true;
		ext_sni(e, t);
		break;
	case EXT_ALPN:
		free(t->alpn_offered);
		t->alpn_offered = ext_alpn(e, h);
		break;
	case EXT_GROUPS:
		u16_list(e, rd_be16(e), &h->groups);
		break;
	case EXT_SIG_ALGS:
		u16_list(e, rd_be16(e), &h->sigalgs);
		break;
	case EXT_VERSIONS:
		u16_list(e, rd_u8(e), &h->versions);
		break;
	case EXT_POINT_FORMATS: {
		struct rd l = rd_sub(e, rd_u8(e));
		while (rd_left(&l) >= 1)
			u16s_add(&h->points, rd_u8(&l));
		break;
	}
	default:
		break;
	}
}

/* Extensions <0..2^16-1> (RFC 8446 4.2): absent in old hellos. */
static void
hello_exts(struct rd *m, struct tls_info *t, struct hello *h, bool client)
{
	struct rd all;

	if (rd_left(m) < 2)
		return;
	all = rd_sub(m, rd_be16(m));
	while (rd_left(&all) >= 4) {
		uint16_t type = rd_be16(&all);
		struct rd e = rd_sub(&all, rd_be16(&all));

		if (!rd_ok(&all))
			break;
		u16s_add(&h->exts, type);
		if (client) {
			client_ext(type, &e, t, h);
		} else if (type == EXT_VERSIONS) {
			t->version = rd_be16(&e);        /* RFC 8446 4.2.1: selected_version */
		} else if (type == EXT_ALPN) {
			free(t->alpn);
			t->alpn = ext_alpn(&e, NULL);
		} else if (type == EXT_KEY_SHARE && rd_left(&e) == 2) {
			t->hrr_group = rd_be16(&e);      /* a HelloRetryRequest's selected_group */
		}
	}
}

/* RFC 8446 4.1.2, RFC 5246 7.4.1.2. */
static void
client_hello(struct rd *m, struct tls_info *t, struct hello *h)
{
	struct rd cs;

	t->client_version = rd_be16(m);
	rd_skip(m, 32);                         /* random */
	rd_skip(m, rd_u8(m));                   /* legacy_session_id */
	cs = rd_sub(m, rd_be16(m));
	while (rd_left(&cs) >= 2)
		u16s_add(&h->ciphers, rd_be16(&cs));
	rd_skip(m, rd_u8(m));                   /* legacy_compression_methods */
	if (!rd_ok(m))
		return;
	t->client_hello = true;
	hello_exts(m, t, h, true);
	t->ciphers = u16s_text(&h->ciphers, "0x%04x", ",");
	if (h->versions.n > 0) {
		char *v = u16s_text(&h->versions, "0x%04x", ",");
		if (*v)
			t->offered_versions = v;
		else
			free(v);
	}
}

/* A HelloRetryRequest (RFC 8446 4.1.4): its extensions are read as a
 * ServerHello's (hello_exts takes the group its key_share asks for, RFC
 * 8446 4.2.8), into a hello of its own; the ServerHello that follows is
 * the one that counts. */
static void
tls_retry_request(struct rd *m, struct tls_info *t)
{
	struct hello scratch = { 0 };

	t->hrr = true;
	hello_exts(m, t, &scratch, false);
	hello_free(&scratch);
}

/* RFC 8446 4.1.3, RFC 5246 7.4.1.3. */
static void
server_hello(struct rd *m, struct tls_info *t, struct hello *h)
{
	uint16_t version = rd_be16(m), cipher;
	struct slice random = rd_bytes(m, 32);

	rd_skip(m, rd_u8(m));
	cipher = rd_be16(m);
	rd_skip(m, 1);
	if (!rd_ok(m))
		return;
	if (memcmp(random.p, tls_hrr_random, sizeof(tls_hrr_random)) == 0) {
		tls_retry_request(m, t);
		return;
	}
	t->server_version = version;
	t->cipher = cipher;
	t->server_hello = true;
	t->version = t->server_version;
	hello_exts(m, t, h, false);
}

/* RFC 5246 7.4.2: certificate_list <0..2^24-1> of ASN.1Cert <1..2^24-1>,
 * the server's own first. */
static void
certificates(struct rd *m, struct tls_info *t)
{
	uint32_t len = (uint32_t)rd_u8(m) << 16 | rd_be16(m);
	struct rd l = rd_sub(m, len);

	while (rd_left(&l) >= 3) {
		uint32_t n = (uint32_t)rd_u8(&l) << 16 | rd_be16(&l);
		struct slice der = rd_bytes(&l, n);

		if (!rd_ok(&l))
			break;
		if (t->ncerts == TLS_CERTS_MAX) {
			t->certs_dropped++;
			continue;
		}
		(void)x509_facts_read(der, &t->certs[t->ncerts++]);
	}
}

static void tls_ja4(struct tls_info *t, const struct hello *c);

/* The ClientHello sent again after a HelloRetryRequest: its JA4, the rest
 * of the session's facts stay those of the first. */
static void
tls_second_hello(struct rd *m, struct tls_info *t)
{
	struct tls_info t2;
	struct hello h2 = { 0 };

	memset(&t2, 0, sizeof(t2));
	client_hello(m, &t2, &h2);
	if (t2.client_hello) {
		t->client_hello2 = true;
		tls_ja4(&t2, &h2);
		memcpy(t->ja4_retry, t2.ja4, sizeof(t->ja4_retry));
	}
	hello_free(&h2);
	tls_info_free(&t2);
}

/* The joined handshake bytes of one direction as messages (RFC 8446 4:
 * msg_type, a 24-bit length, the body). */
static void
tls_dir_messages(const struct buf *hs, struct tls_info *t, struct hello *h, int dir)
{
	struct rd r;

	rd_init(&r, hs->p, hs->len);
	while (rd_left(&r) >= 4) {
		uint8_t type = rd_u8(&r);
		uint32_t len = (uint32_t)rd_u8(&r) << 16 | rd_be16(&r);
		struct rd m = rd_sub(&r, len);

		if (!rd_ok(&r))
			break;     /* the rest of this message was not captured or kept */
		if (dir == 0 && type == HS_CLIENT_HELLO && !t->client_hello)
			client_hello(&m, t, h);
		else if (dir == 0 && type == HS_CLIENT_HELLO && !t->client_hello2)
			tls_second_hello(&m, t);
		else if (dir == 1 && type == HS_SERVER_HELLO && !t->server_hello)
			server_hello(&m, t, h);
		else if (dir == 1 && type == HS_CERTIFICATE && t->ncerts == 0 &&
		    t->version != 0x0304)
			certificates(&m, t);
	}
}

/* ---- fingerprints ------------------------------------------------------- */

static void
md5_hex(const char *s, char out[33])
{
	struct hashes h;

	hash_mem(s, strlen(s), &h);
	memcpy(out, h.md5, 33);
}

/* JA3 (salesforce/ja3): SSLVersion,Ciphers,Extensions,EllipticCurves,
 * EllipticCurvePointFormats, decimal, '-' within a field, GREASE left out;
 * JA3S: SSLVersion,Cipher,Extensions of the ServerHello. */
static void
tls_ja3(struct tls_info *t, const struct hello *c, const struct hello *s)
{
	if (t->client_hello) {
		char *ci = u16s_text(&c->ciphers, "%u", "-"), *ex = u16s_text(&c->exts, "%u", "-");
		char *gr = u16s_text(&c->groups, "%u", "-"), *pf = u16s_text(&c->points, "%u", "-");

		t->ja3 = xasprintf("%u,%s,%s,%s,%s", t->client_version, ci, ex, gr, pf);
		md5_hex(t->ja3, t->ja3_md5);
		free(ci);
		free(ex);
		free(gr);
		free(pf);
	}
	if (t->server_hello) {
		char *ex = u16s_text(&s->exts, "%u", "-");

		t->ja3s = xasprintf("%u,%u,%s", t->server_version, t->cipher, ex);
		md5_hex(t->ja3s, t->ja3s_md5);
		free(ex);
	}
}

static int
cmp_u16(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return x < y ? -1 : x > y;
}

/* The first 12 hex digits of SHA-256 of s; twelve zeros for nothing. */
static void
sha12(const char *s, char out[13])
{
	char h[65];

	if (*s == '\0') {
		memcpy(out, "000000000000", 13);
		return;
	}
	hash_sha256_hex(s, strlen(s), h);
	memcpy(out, h, 12);
	out[12] = '\0';
}

/* JA4 part a's version: the highest supported_versions value, else the
 * ClientHello's legacy_version. */
static const char *
ja4_version(const struct tls_info *t, const struct hello *c)
{
	uint16_t v = 0;

	for (size_t i = 0; i < c->versions.n; i++)
		if (!tls_grease(c->versions.v[i]) && c->versions.v[i] > v)
			v = c->versions.v[i];
	switch (v ? v : t->client_version) {
	case 0x0304: return "13";
	case 0x0303: return "12";
	case 0x0302: return "11";
	case 0x0301: return "10";
	case 0x0300: return "s3";
	case 0x0200: return "s2";
	case 0x0100: return "s1";
	default: return "00";
	}
}

static bool
alnum(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* JA4 ALPN: first and last character of the first value; "00" without one;
 * when either is not alphanumeric, the first and last hex digit of the
 * value's bytes (the FoxIO spec's rule for binary values). */
static void
ja4_alpn(const struct hello *c, char out[3])
{
	const char *hex = "0123456789abcdef";
	const unsigned char *a = (const unsigned char *)c->alpn_first;
	size_t n = c->alpn_first_len;

	if (a == NULL || n == 0) {
		memcpy(out, "00", 3);
		return;
	}
	if (alnum((char)a[0]) && alnum((char)a[n - 1])) {
		out[0] = (char)a[0];
		out[1] = (char)a[n - 1];
	} else {
		out[0] = hex[a[0] >> 4];
		out[1] = hex[a[n - 1] & 0x0f];
	}
	out[2] = '\0';
}

/* JA4 (FoxIO-LLC/ja4, technical_details/JA4.md): t, version, d/i, cipher
 * and extension counts (GREASE left out, at most 99), ALPN; the truncated
 * SHA-256 of the sorted cipher list; that of the sorted extension list
 * without SNI and ALPN, '_', the signature algorithms in their order. */
static void
tls_ja4(struct tls_info *t, const struct hello *c)
{
	struct u16s ci = { 0 }, ex = { 0 };
	char alpn[3], hc[13], he[13], *sc, *se, *sg, *s;
	size_t i;

	if (!t->client_hello)
		return;
	for (i = 0; i < c->ciphers.n; i++)
		if (!tls_grease(c->ciphers.v[i]))
			u16s_add(&ci, c->ciphers.v[i]);
	for (i = 0; i < c->exts.n; i++)
		if (!tls_grease(c->exts.v[i]))
			u16s_add(&ex, c->exts.v[i]);
	ja4_alpn(c, alpn);
	snprintf(t->ja4, sizeof(t->ja4), "t%s%c%02zu%02zu%s_", ja4_version(t, c),
	    c->sni ? 'd' : 'i', ci.n > 99 ? 99 : ci.n, ex.n > 99 ? 99 : ex.n, alpn);
	if (ci.n)
		qsort(ci.v, ci.n, sizeof(*ci.v), cmp_u16);
	sc = u16s_text(&ci, "%04x", ",");
	sha12(sc, hc);
	/* SNI (0000) and ALPN (0010) are in part a already */
	for (i = 0; i < ex.n; )
		if (ex.v[i] == EXT_SNI || ex.v[i] == EXT_ALPN)
			ex.v[i] = ex.v[--ex.n];
		else
			i++;
	if (ex.n)
		qsort(ex.v, ex.n, sizeof(*ex.v), cmp_u16);
	se = u16s_text(&ex, "%04x", ",");
	sg = u16s_text(&c->sigalgs, "%04x", ",");
	s = *sg ? xasprintf("%s_%s", se, sg) : xstrdup(se);
	sha12(s, he);
	snprintf(t->ja4 + strlen(t->ja4), sizeof(t->ja4) - strlen(t->ja4), "%s_%s", hc, he);
	free(sc);
	free(se);
	free(sg);
	free(s);
	free(ci.v);
	free(ex.v);
}

/* ---- the whole ---------------------------------------------------------- */

bool
tls_parse(struct slice client, struct slice server, struct tls_info *t)
{
	struct buf hs[2];
	struct hello hc = { 0 }, hsv = { 0 };
	struct slice in[2] = { client, server };
	struct rd r;
	int d;

	memset(t, 0, sizeof(*t));
	if (!tls_record_looks(client, false) && !tls_record_looks(server, false)) {
		t->err[0] = "not a TLS record";
		return false;
	}
	if (client.len >= 5) {
		rd_init(&r, client.p, client.len);
		rd_skip(&r, 1);
		t->record_version = rd_be16(&r);
	}
	for (d = 0; d < 2; d++) {
		buf_init(&hs[d], TLS_HANDSHAKE_MAX);
		if (in[d].len > 0)
			tls_dir_collect(in[d], &hs[d], t, d);
	}
	tls_dir_messages(&hs[0], t, &hc, 0);
	tls_dir_messages(&hs[1], t, &hsv, 1);
	t->certs_hidden = t->server_hello && t->version == 0x0304;
	tls_ja3(t, &hc, &hsv);
	tls_ja4(t, &hc);
	for (d = 0; d < 2; d++)
		buf_free(&hs[d]);
	hello_free(&hc);
	hello_free(&hsv);
	return true;
}

void
tls_info_free(struct tls_info *t)
{
	free(t->offered_versions);
	free(t->sni);
	free(t->alpn_offered);
	free(t->alpn);
	free(t->ciphers);
	free(t->ja3);
	free(t->ja3s);
	for (size_t i = 0; i < t->ncerts; i++)
		x509_facts_free(&t->certs[i]);
	memset(t, 0, sizeof(*t));
}

/* One SSL object for SSL_CIPHER_find, which searches every suite libssl
 * was built with, whatever the object would itself negotiate. */
static SSL *tls_names_ssl;

static void
tls_names_init(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_method());

	tls_names_ssl = ctx != NULL ? SSL_new(ctx) : NULL;
	SSL_CTX_free(ctx);     /* the SSL object keeps its own reference */
}

static pthread_once_t tls_names_once = PTHREAD_ONCE_INIT;

const char *
tls_group_name(uint16_t id)
{
	pthread_once(&tls_names_once, tls_names_init);
	/* an id with TLSEXT_nid_unknown set is a TLS group id, not a NID */
	return tls_names_ssl != NULL ? SSL_group_to_name(tls_names_ssl, (int)(id | TLSEXT_nid_unknown)) : NULL;
}

const char *
tls_cipher_name(uint16_t id)
{
	unsigned char b[2] = { (unsigned char)(id >> 8), (unsigned char)id };
	const SSL_CIPHER *c;

	if ((id & 0x0f0f) == 0x0a0a && b[0] == b[1])
		return "GREASE";
	if (id == 0x00ff)
		return "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";
	if (id == 0x5600)
		return "TLS_FALLBACK_SCSV";
	pthread_once(&tls_names_once, tls_names_init);
	if (tls_names_ssl == NULL || (c = SSL_CIPHER_find(tls_names_ssl, b)) == NULL)
		return NULL;
	return SSL_CIPHER_standard_name(c);
}
