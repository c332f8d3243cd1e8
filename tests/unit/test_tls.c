/* TLS as captures show it (issue 14, item 2): the handshake parser
 * (mail/tls.c) over real TLS 1.2 and 1.3 bytes that OpenSSL itself writes
 * here, between a client and a server over memory BIOs, with a self-signed
 * certificate made on the fly; the JA4 example of the FoxIO spec; and whole
 * captures through the driver: SMTP STARTTLS followed by TLS, SMTP that goes
 * on in clear after STARTTLS (a capture behind a TLS-terminating proxy),
 * IMAP on 993 and TLS on another port with TLS only. */
#include "check.h"
#include "exitcodes.h"
#include "ingest.h"
#include "pcapgen.h"
#include "mail/tls.h"
#include "report/model.h"
#include "report/render.h"
#include "store/artifacts.h"
#include "store/casedb.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/plog.h"
#include "util/xalloc.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- a TLS conversation written by OpenSSL ------------------------------ */

#define SERIAL_HEX "0123456789abcdef01"

struct conv {
	struct pcapgen_chunk ch[64];
	size_t n;
	struct buf dir[2];               /* all bytes of each direction */
	char ja3_expect[4096];           /* JA3 built from OpenSSL's view of the ClientHello */
	int ja3_exts[128];               /* extension types OpenSSL saw, any order */
	size_t ja3_next;
	uint16_t cipher;                 /* the suite both ends agreed on */
	char cert_sha256[65];
	char cert_subject[256];
};

static X509 *
make_cert(EVP_PKEY **keyp)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();
	BIGNUM *bn = NULL;
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	if (key == NULL || x == NULL || n == NULL || BN_hex2bn(&bn, SERIAL_HEX) == 0)
		return NULL;
	X509_set_version(x, 2);
	BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
	BN_free(bn);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"Mailcase Test", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"mail.example.test",
	    -1, -1, 0);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, n);
	X509_NAME_free(n);
	ASN1_TIME_set_string_X509(X509_getm_notBefore(x), "20260101000000Z");
	ASN1_TIME_set_string_X509(X509_getm_notAfter(x), "20360101120000Z");
	X509_set_pubkey(x, key);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name,
	    "DNS:mail.example.test,IP:192.0.2.25");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	if (X509_sign(x, key, EVP_sha256()) == 0)
		return NULL;
	*keyp = key;
	return x;
}

/* Moves what one side wrote to the other and keeps it as a chunk. */
static void
conv_move(struct conv *c, BIO *from, BIO *to, int dir)
{
	char tmp[65536];
	int n = BIO_read(from, tmp, sizeof(tmp));
	size_t at = c->dir[dir].len;

	if (n <= 0)
		return;
	BIO_write(to, tmp, n);
	if (!buf_add(&c->dir[dir], tmp, (size_t)n) || c->n == 64)
		abort();
	c->ch[c->n].dir = dir;
	c->ch[c->n].p = (const void *)(uintptr_t)at;   /* offset; made a pointer in conv_done */
	c->ch[c->n].len = (size_t)n;
	c->n++;
}

static void
ja3_add(char *out, size_t max, const char *sep, unsigned v, bool *first)
{
	size_t l = strlen(out);

	snprintf(out + l, max - l, "%s%u", *first ? "" : sep, v);
	*first = false;
}

static bool
grease(unsigned v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* JA3's fields from OpenSSL's own reading of the ClientHello: version and
 * ciphers in order, groups and point formats in order; the extension list
 * (OpenSSL 3.0 has no call for their order) is checked as a set. */
static int
hello_cb(SSL *s, int *al, void *arg)
{
	struct conv *c = arg;
	const unsigned char *p;
	size_t n, i;
	int *ext;
	bool first = true;
	char *o = c->ja3_expect;

	snprintf(o, sizeof(c->ja3_expect), "%u,", SSL_client_hello_get0_legacy_version(s));
	n = SSL_client_hello_get0_ciphers(s, &p);
	for (i = 0; i + 1 < n; i += 2)
		if (!grease((unsigned)(p[i] << 8 | p[i + 1])))
			ja3_add(o, sizeof(c->ja3_expect), "-", (unsigned)(p[i] << 8 | p[i + 1]), &first);
	strcat(o, ",EXTS,");
	first = true;
	if (SSL_client_hello_get0_ext(s, 10, &p, &n) && n >= 2)
		for (i = 2; i + 1 < n; i += 2)
			if (!grease((unsigned)(p[i] << 8 | p[i + 1])))
				ja3_add(o, sizeof(c->ja3_expect), "-", (unsigned)(p[i] << 8 | p[i + 1]), &first);
	strcat(o, ",");
	first = true;
	if (SSL_client_hello_get0_ext(s, 11, &p, &n) && n >= 1)
		for (i = 1; i < n; i++)
			ja3_add(o, sizeof(c->ja3_expect), "-", p[i], &first);
	if (SSL_client_hello_get1_extensions_present(s, &ext, &n) == 1) {
		for (i = 0; i < n && i < 128; i++)
			c->ja3_exts[i] = ext[i];
		c->ja3_next = i;
		OPENSSL_free(ext);
	}
	return SSL_CLIENT_HELLO_SUCCESS;
}

static int
alpn_cb(SSL *s, const unsigned char **out, unsigned char *outlen, const unsigned char *in,
    unsigned inlen, void *arg)
{
	static const unsigned char want[] = "\x04imap";

	if (SSL_select_next_proto((unsigned char **)out, outlen, want, 5, in, inlen) !=
	    OPENSSL_NPN_NEGOTIATED)
		return SSL_TLSEXT_ERR_NOACK;
	return SSL_TLSEXT_ERR_OK;
}

/* The ALPN the client offers (RFC 7301 3.1 wire form). */
static const char *conv_alpn = "\x04imap";

/* With conv_hrr set, the client offers a key share for X25519 only and the
 * server accepts only P-256: a HelloRetryRequest. */
static bool conv_hrr;

/* A whole handshake and one record of data each way, version max_v. */
static bool
conv_make(struct conv *c, int max_v)
{
	EVP_PKEY *key = NULL;
	X509 *x = make_cert(&key);
	SSL_CTX *sc = SSL_CTX_new(TLS_server_method()), *cc = SSL_CTX_new(TLS_client_method());
	SSL *srv, *cli;
	BIO *s_in = BIO_new(BIO_s_mem()), *s_out = BIO_new(BIO_s_mem());
	BIO *c_in = BIO_new(BIO_s_mem()), *c_out = BIO_new(BIO_s_mem());
	unsigned char *der = NULL;
	int derlen, i;
	char tmp[256];
	X509_NAME *subj;

	memset(c, 0, sizeof(*c));
	buf_init(&c->dir[0], 1 << 20);
	buf_init(&c->dir[1], 1 << 20);
	if (x == NULL || sc == NULL || cc == NULL)
		return false;
	derlen = i2d_X509(x, &der);
	hash_sha256_hex(der, (size_t)derlen, c->cert_sha256);
	OPENSSL_free(der);
	subj = X509_get_subject_name(x);
	X509_NAME_oneline(subj, tmp, sizeof(tmp));
	snprintf(c->cert_subject, sizeof(c->cert_subject), "%s", tmp);
	SSL_CTX_use_certificate(sc, x);
	SSL_CTX_use_PrivateKey(sc, key);
	SSL_CTX_set_max_proto_version(sc, max_v);
	SSL_CTX_set_client_hello_cb(sc, hello_cb, c);
	SSL_CTX_set_alpn_select_cb(sc, alpn_cb, NULL);
	if (conv_hrr && (!SSL_CTX_set1_groups_list(sc, "P-256") ||
	    !SSL_CTX_set1_groups_list(cc, "X25519:P-256")))
		return false;
	srv = SSL_new(sc);
	cli = SSL_new(cc);
	/* small records: the server's flight spans several records */
	SSL_set_max_send_fragment(srv, 512);
	SSL_set_bio(srv, s_in, s_out);
	SSL_set_bio(cli, c_in, c_out);
	SSL_set_accept_state(srv);
	SSL_set_connect_state(cli);
	SSL_set_tlsext_host_name(cli, "mail.example.test");
	SSL_set_alpn_protos(cli, (const unsigned char *)conv_alpn, (unsigned)strlen(conv_alpn));
	for (i = 0; i < 20 && !(SSL_is_init_finished(cli) && SSL_is_init_finished(srv)); i++) {
		(void)SSL_do_handshake(cli);
		conv_move(c, c_out, s_in, 0);
		(void)SSL_do_handshake(srv);
		conv_move(c, s_out, c_in, 1);
	}
	if (!SSL_is_init_finished(cli) || !SSL_is_init_finished(srv))
		return false;
	c->cipher = (uint16_t)SSL_CIPHER_get_protocol_id(SSL_get_current_cipher(cli));
	/* data each way: an IMAP login that must never be read as a command */
	SSL_write(cli, "a1 LOGIN alice s3cret\r\n", 23);
	conv_move(c, c_out, s_in, 0);
	(void)SSL_read(srv, tmp, sizeof(tmp));
	conv_move(c, s_out, c_in, 1);
	SSL_write(srv, "a1 OK done\r\n", 12);
	conv_move(c, s_out, c_in, 1);
	(void)SSL_read(cli, tmp, sizeof(tmp));
	for (size_t k = 0; k < c->n; k++)
		c->ch[k].p = c->dir[c->ch[k].dir].p + (uintptr_t)c->ch[k].p;
	SSL_free(srv);
	SSL_free(cli);
	SSL_CTX_free(sc);
	SSL_CTX_free(cc);
	X509_free(x);
	EVP_PKEY_free(key);
	return true;
}

static void
conv_free(struct conv *c)
{
	buf_free(&c->dir[0]);
	buf_free(&c->dir[1]);
}

static struct slice
dir_slice(const struct conv *c, int d)
{
	return (struct slice){ (const uint8_t *)c->dir[d].p, c->dir[d].len };
}

/* JA3 with the extensions of ours put in; true when the string is the one
 * OpenSSL's view gives and its extensions are the set OpenSSL saw. */
static bool
ja3_agrees(const struct conv *c, const char *ja3)
{
	const char *e1 = strchr(strchr(ja3, ',') + 1, ','), *e2 = strchr(e1 + 1, ',');
	char *want = xstrdup(c->ja3_expect), *at = strstr(want, "EXTS"), *got;
	size_t n = 0;
	bool ok;

	*at = '\0';
	got = xasprintf("%s%.*s%s", want, (int)(e2 - e1 - 1), e1 + 1, at + 4);
	ok = strcmp(got, ja3) == 0;
	for (const char *p = e1 + 1; ok && p < e2; n++) {
		int v = atoi(p);
		bool seen = false;
		for (size_t i = 0; i < c->ja3_next; i++)
			seen = seen || c->ja3_exts[i] == v;
		ok = seen;
		p = strchr(p, '-');
		p = p && p < e2 ? p + 1 : e2;
	}
	ok = ok && n == c->ja3_next;
	if (!ok)
		fprintf(stderr, "  ja3 %s\n  want %s (%zu extensions seen)\n", ja3, got, c->ja3_next);
	free(want);
	free(got);
	return ok;
}

/* ---- the parser ----------------------------------------------------------- */

TEST(cipher_names)
{
	CHECK_STR(tls_cipher_name(0xc02f), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
	CHECK_STR(tls_cipher_name(0x1301), "TLS_AES_128_GCM_SHA256");
	CHECK_STR(tls_cipher_name(0x002f), "TLS_RSA_WITH_AES_128_CBC_SHA");
	CHECK_STR(tls_cipher_name(0x1a1a), "GREASE");
	CHECK_STR(tls_cipher_name(0xfafa), "GREASE");
	CHECK_STR(tls_cipher_name(0x00ff), "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
	CHECK_STR(tls_cipher_name(0x5600), "TLS_FALLBACK_SCSV");
	CHECK(tls_cipher_name(0x1a1b) == NULL);    /* not GREASE, not a suite */
	CHECK(tls_cipher_name(0xffff) == NULL);
}

TEST(record_looks)
{
	CHECK(tls_record_looks((struct slice){ (const uint8_t *)"\x16\x03\x01\x00\x05\x01", 6 }, true));
	CHECK(!tls_record_looks((struct slice){ (const uint8_t *)"\x16\x03\x01\x00\x05\x02", 6 }, true));
	CHECK(tls_record_looks((struct slice){ (const uint8_t *)"\x17\x03\x03\x00\x05\x01", 6 }, false));
	CHECK(!tls_record_looks((struct slice){ (const uint8_t *)"\x16\x03\x05\x00\x05\x01", 6 }, false));
	CHECK(!tls_record_looks((struct slice){ (const uint8_t *)"\x16\x03\x01\x48\x01\x01", 6 }, false));
	CHECK(!tls_record_looks((struct slice){ (const uint8_t *)"EHLO x", 6 }, false));
	CHECK(!tls_record_looks((struct slice){ (const uint8_t *)"\x16\x03\x01\x00\x05", 5 }, false));
}

TEST(openssl_tls12)
{
	struct conv c;
	struct tls_info t;
	char cipher[8];

	CHECK(conv_make(&c, TLS1_2_VERSION));
	CHECK(tls_parse(dir_slice(&c, 0), dir_slice(&c, 1), &t));
	CHECK(t.client_hello && t.server_hello);
	CHECK_STR(t.sni, "mail.example.test");
	CHECK_STR(t.alpn_offered, "imap");
	CHECK_STR(t.alpn, "imap");
	CHECK_INT(t.version, 0x0303);
	CHECK_INT(t.server_version, 0x0303);
	CHECK_INT(t.client_version, 0x0303);
	CHECK_INT(t.cipher, c.cipher);
	snprintf(cipher, sizeof(cipher), "0x%04x", c.cipher);
	CHECK(strstr(t.ciphers, cipher) != NULL);
	CHECK(t.offered_versions != NULL && strstr(t.offered_versions, "0x0304") != NULL);
	CHECK(!t.certs_hidden);
	CHECK_INT(t.ncerts, 1);
	CHECK(t.certs[0].parsed);
	CHECK_STR(t.certs[0].subject, "CN=mail.example.test,O=Mailcase Test");
	CHECK_STR(t.certs[0].issuer, "CN=mail.example.test,O=Mailcase Test");
	CHECK_STR(t.certs[0].serial, SERIAL_HEX);
	CHECK_STR(t.certs[0].sha256, c.cert_sha256);
	CHECK_STR(t.certs[0].not_before, "2026-01-01T00:00:00Z");
	CHECK_STR(t.certs[0].not_after, "2036-01-01T12:00:00Z");
	CHECK_STR(t.certs[0].san, "DNS:mail.example.test, IP Address:192.0.2.25");
	CHECK(ja3_agrees(&c, t.ja3));
	{
		struct hashes h;
		hash_mem(t.ja3, strlen(t.ja3), &h);
		CHECK_STR(t.ja3_md5, h.md5);
	}
	CHECK(t.ja3s != NULL);
	CHECK(strncmp(t.ja3s, "771,", 4) == 0);
	CHECK(strncmp(t.ja4, "t13d", 4) == 0);     /* the client offered TLS 1.3 */
	CHECK(t.err[0] == NULL && t.err[1] == NULL);
	tls_info_free(&t);
	conv_free(&c);
}

TEST(openssl_tls13)
{
	struct conv c;
	struct tls_info t;

	CHECK(conv_make(&c, TLS1_3_VERSION));
	CHECK(tls_parse(dir_slice(&c, 0), dir_slice(&c, 1), &t));
	CHECK_STR(t.sni, "mail.example.test");
	CHECK_INT(t.version, 0x0304);
	CHECK_INT(t.server_version, 0x0303);          /* RFC 8446 4.1.3: legacy_version */
	CHECK_INT(t.cipher, c.cipher);
	CHECK(t.alpn == NULL);                         /* in EncryptedExtensions */
	CHECK(t.certs_hidden);
	CHECK_INT(t.ncerts, 0);
	CHECK(ja3_agrees(&c, t.ja3));
	tls_info_free(&t);
	conv_free(&c);
}

/* A HelloRetryRequest: the server's real ServerHello and the client's
 * second ClientHello come after a middlebox-compatibility ChangeCipherSpec
 * (RFC 8446 D.4) and are still read. */
TEST(openssl_tls13_hrr)
{
	struct conv c, plain;
	struct tls_info t, t0;

	conv_hrr = true;
	CHECK(conv_make(&c, TLS1_3_VERSION));
	conv_hrr = false;
	CHECK(tls_parse(dir_slice(&c, 0), dir_slice(&c, 1), &t));
	CHECK(t.hrr);
	CHECK_INT(t.hrr_group, 0x0017);                /* secp256r1 */
	CHECK_STR(tls_group_name(t.hrr_group), "secp256r1");
	CHECK(t.server_hello);
	CHECK_INT(t.version, 0x0304);
	CHECK_INT(t.cipher, c.cipher);
	CHECK(t.client_hello2);
	CHECK(strncmp(t.ja4_retry, "t13d", 4) == 0);
	CHECK(ja3_agrees(&c, t.ja3));                   /* of the first ClientHello */
	CHECK(t.err[0] == NULL && t.err[1] == NULL);
	/* Without a retry, none of it. */
	CHECK(conv_make(&plain, TLS1_3_VERSION));
	CHECK(tls_parse(dir_slice(&plain, 0), dir_slice(&plain, 1), &t0));
	CHECK(!t0.hrr && !t0.client_hello2 && t0.ja4_retry[0] == '\0');
	tls_info_free(&t0);
	conv_free(&plain);
	tls_info_free(&t);
	conv_free(&c);
}

/* Every prefix of a real handshake: no over-read (ASan), and the prefix
 * that holds the whole ClientHello gives the same fingerprint. */
TEST(openssl_prefixes)
{
	struct conv c;
	struct tls_info full, t;

	CHECK(conv_make(&c, TLS1_2_VERSION));
	CHECK(tls_parse(dir_slice(&c, 0), dir_slice(&c, 1), &full));
	for (size_t n = 0; n <= c.dir[1].len; n += 7) {
		uint8_t *p = xmalloc(n ? n : 1);
		memcpy(p, c.dir[1].p, n);
		(void)tls_parse(dir_slice(&c, 0), (struct slice){ p, n }, &t);
		CHECK_STR(t.ja3, full.ja3);
		tls_info_free(&t);
		free(p);
	}
	tls_info_free(&full);
	conv_free(&c);
}

/* The example of FoxIO's JA4 spec (technical_details/JA4.md): 15 ciphers,
 * 16 extensions in the order given, the signature algorithms given, ALPN
 * h2, SNI: "t13d1516h2_8daaf6152771_e5627efa2ab1". GREASE values are added
 * to every list and must change nothing. */
static size_t
spec_hello(uint8_t *out, size_t split)
{
	static const uint16_t ciphers[] = { 0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c,
	    0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035 };
	static const uint16_t exts[] = { 0x2a2a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017,
	    0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015 };
	static const uint16_t sig[] = { 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601 };
	uint8_t body[1024], hs[1100];
	size_t n = 0, i, m = 0, o = 0;

#define PUT8(v) (body[n++] = (uint8_t)(v))
#define PUT16(v) (PUT8((v) >> 8), PUT8(v))
	PUT16(0x0303);
	for (i = 0; i < 32; i++)
		PUT8(i);
	PUT8(0);
	PUT16(sizeof(ciphers));
	for (i = 0; i < sizeof(ciphers) / 2; i++)
		PUT16(ciphers[i]);
	PUT8(1);
	PUT8(0);
	{
		size_t at = n;
		PUT16(0);
		for (i = 0; i < sizeof(exts) / 2; i++) {
			PUT16(exts[i]);
			switch (exts[i]) {
			case 0x0000:    /* server_name: mail.example.test */
				PUT16(22); PUT16(20); PUT8(0); PUT16(17);
				memcpy(body + n, "mail.example.test", 17); n += 17;
				break;
			case 0x0010:    /* ALPN: h2, http/1.1 */
				PUT16(14); PUT16(12); PUT8(2); PUT8('h'); PUT8('2');
				PUT8(8); memcpy(body + n, "http/1.1", 8); n += 8;
				break;
			case 0x000d:
				PUT16(2 + sizeof(sig)); PUT16(sizeof(sig));
				for (size_t k = 0; k < sizeof(sig) / 2; k++)
					PUT16(sig[k]);
				break;
			case 0x002b:    /* supported_versions: GREASE, 1.3, 1.2 */
				PUT16(7); PUT8(6); PUT16(0x3a3a); PUT16(0x0304); PUT16(0x0303);
				break;
			case 0x000a:    /* groups: GREASE, x25519, secp256r1 */
				PUT16(8); PUT16(6); PUT16(0x4a4a); PUT16(29); PUT16(23);
				break;
			case 0x000b:
				PUT16(2); PUT8(1); PUT8(0);
				break;
			default:
				PUT16(0);
			}
		}
		body[at] = (uint8_t)((n - at - 2) >> 8);
		body[at + 1] = (uint8_t)(n - at - 2);
	}
	hs[m++] = 1;
	hs[m++] = 0;
	hs[m++] = (uint8_t)(n >> 8);
	hs[m++] = (uint8_t)n;
	memcpy(hs + m, body, n);
	m += n;
	/* one record, or two when split (a message across records) */
	for (size_t from = 0; from < m; ) {
		size_t len = split && from == 0 ? split : m - from;
		out[o++] = 22; out[o++] = 3; out[o++] = 1;
		out[o++] = (uint8_t)(len >> 8); out[o++] = (uint8_t)len;
		memcpy(out + o, hs + from, len);
		o += len;
		from += len;
	}
	return o;
#undef PUT8
#undef PUT16
}

#define SPEC_JA3 "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53," \
	"27-0-51-16-17513-23-45-13-5-35-18-43-65281-11-10-21,29-23,0"

TEST(ja4_spec_example)
{
	uint8_t rec[2048];
	size_t n = spec_hello(rec, 0);
	struct tls_info t;
	struct hashes h;

	CHECK(tls_parse((struct slice){ rec, n }, (struct slice){ NULL, 0 }, &t));
	CHECK_STR(t.ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
	CHECK_STR(t.ja3, SPEC_JA3);
	hash_mem(SPEC_JA3, strlen(SPEC_JA3), &h);
	CHECK_STR(t.ja3_md5, h.md5);
	CHECK_STR(t.alpn_offered, "h2,http/1.1");
	CHECK_STR(t.offered_versions, "0x0304,0x0303");
	CHECK(!t.server_hello && t.ja3s == NULL);
	tls_info_free(&t);
	/* the same hello in two records, cut inside the extensions */
	n = spec_hello(rec, 100);
	CHECK(tls_parse((struct slice){ rec, n }, (struct slice){ NULL, 0 }, &t));
	CHECK_STR(t.ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
	CHECK_STR(t.sni, "mail.example.test");
	tls_info_free(&t);
}

/* ---- whole captures through the driver ----------------------------------- */

static int64_t
q_int(struct casedb *db, const char *sql)
{
	sqlite3_stmt *st = casedb_prepare(db, sql);
	int64_t v = -1;

	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static char q_buf[8192];

static const char *
q_str(struct casedb *db, const char *sql)
{
	sqlite3_stmt *st = casedb_prepare(db, sql);

	q_buf[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(q_buf, sizeof(q_buf), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return q_buf;
}

static struct casedb *
ingest_one(const char *dir, const char *pcap)
{
	char *err = NULL, *paths[1] = { (char *)pcap };
	struct ingest_opts o = { false };
	struct ingest_ctx ctx;
	struct limits lim;
	struct casedb *db = casedb_open(dir, true, &err);
	int rc;

	if (db == NULL) {
		fprintf(stderr, "  %s\n", err);
		free(err);
		return NULL;
	}
	limits_default(&lim);
	memset(&ctx, 0, sizeof(ctx));
	ctx.db = db;
	ctx.art = artstore_open(db);
	ctx.log = plog_new();
	ctx.lim = &lim;
	ctx.now_us = 1700000000000000LL;
	casedb_begin(db);
	ctx.run_id = casedb_run_begin(db, &(struct casedb_run){ .command = "report", .command_line = "test", .db_before_state = "new", .started = ctx.now_us });
	casedb_commit(db);
	rc = ingest_run(&ctx, paths, 1, &o);
	plog_free(ctx.log);
	artstore_free(ctx.art);
	if (rc != MC_EXIT_OK) {
		casedb_close(db);
		return NULL;
	}
	return db;
}

static char *
write_pcap(const char *dir, const char *name, struct conv *c, int kind, uint16_t port)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct pcapgen *g = pcapgen_open(path, 1, false);
	struct tcpconv t;

	tcpconv_init(&t, "192.0.2.10", 50123, "192.0.2.25", port);
	t.ts_us = 1780000000000000ULL;
	t.step_us = 1000;
	t.mss = 300;           /* records and handshake messages span segments */
	if (kind == 0) {       /* SMTP, STARTTLS, TLS */
		tcpconv_smtp_starttls(g, &t);
		tcpconv_chunks(g, &t, c->ch, c->n);
	} else if (kind == 1) {                 /* TLS only */
		tcpconv_handshake(g, &t);
		tcpconv_chunks(g, &t, c->ch, c->n);
	} else {               /* SMTP, STARTTLS, then clear */
		tcpconv_smtp_starttls(g, &t);
		tcpconv_smtp_mail(g, &t, "alice@example.test", "bob@example.test",
		    "From: Alice <alice@example.test>\r\nTo: bob@example.test\r\n"
		    "Subject: after STARTTLS in clear\r\nMessage-ID: <clear-1@example.test>\r\n"
		    "\r\nThe proxy took the TLS off.\r\n.leading dot\r\n");
	}
	tcpconv_close(g, &t);
	pcapgen_close(g);
	return path;
}

/* The TLS row and certificate of a TLS 1.2 handshake, as stored. */
static void
check_tls12_rows(struct casedb *db, const struct conv *c)
{
	char sql[512];
	struct stat st;

	CHECK_STR(q_str(db, "SELECT sni FROM tls"), "mail.example.test");
	CHECK_STR(q_str(db, "SELECT alpn_offered || ' ' || alpn FROM tls"), "imap imap");
	CHECK_INT(q_int(db, "SELECT version FROM tls"), 0x0303);
	CHECK_INT(q_int(db, "SELECT cipher FROM tls"), c->cipher);
	CHECK_INT(q_int(db, "SELECT certs FROM tls"), 1);
	CHECK_STR(q_str(db, "SELECT subject FROM tls_certs WHERE idx = 0"),
	    "CN=mail.example.test,O=Mailcase Test");
	CHECK_STR(q_str(db, "SELECT serial FROM tls_certs"), SERIAL_HEX);
	CHECK_STR(q_str(db, "SELECT sha256 FROM tls_certs"), c->cert_sha256);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM artifact_refs r JOIN artifacts a"
	    " ON a.sha256 = r.sha256 WHERE r.role = 'certificate' AND r.parent_kind = 'tls'"
	    " AND r.sha256 = '%s'", c->cert_sha256);
	CHECK_INT(q_int(db, sql), 1);
	snprintf(sql, sizeof(sql), "%s/%s", casedb_dir(db), artstore_relpath(c->cert_sha256));
	CHECK(stat(sql, &st) == 0);
	CHECK(ja3_agrees(c, q_str(db, "SELECT ja3 FROM tls")));
}

/* tshark's JA3 of the ClientHello, "md5\tstring", or NULL without tshark. */
static char *
tshark_ja3(const char *pcap, const char *decode_as)
{
	char *cmd, line[8192];
	FILE *p;
	char *out = NULL;

	if (system("command -v tshark >/dev/null 2>&1") != 0)
		return NULL;
	cmd = xasprintf("tshark -r '%s' %s -Y tls.handshake.type==1 -T fields -e tls.handshake.ja3"
	    " -e tls.handshake.ja3_full 2>/dev/null", pcap, decode_as);
	p = popen(cmd, "r");
	free(cmd);
	if (p == NULL)
		return NULL;
	if (fgets(line, sizeof(line), p) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		out = xstrdup(line);
	} else {
		out = xstrdup("");
	}
	pclose(p);
	return out;
}

static bool
same_as_tshark(struct casedb *db, const char *pcap, const char *decode_as)
{
	char *ts = tshark_ja3(pcap, decode_as), *mine;
	bool ok;

	if (ts == NULL) {
		printf("  (tshark not installed: JA3 not cross-checked)\n");
		return true;
	}
	mine = xstrdup(q_str(db, "SELECT ja3_md5 || '	' || ja3 FROM tls"));
	ok = strcmp(ts, mine) == 0;
	if (!ok)
		fprintf(stderr, "  tshark: %s\n  mine:   %s\n", ts, mine);
	free(ts);
	free(mine);
	return ok;
}

TEST(smtp_starttls_then_tls12)
{
	const char *dir = check_tmpdir("starttls");
	struct conv c;
	char *pcap, *cs;
	struct casedb *db;

	CHECK(conv_make(&c, TLS1_2_VERSION));
	pcap = write_pcap(dir, "starttls.pcap", &c, 0, 25);
	cs = xasprintf("%s/case", dir);
	CHECK((db = ingest_one(cs, pcap)) != NULL);
	CHECK_STR(q_str(db, "SELECT protocol || ' ' || tls FROM sessions"), "smtp starttls");
	CHECK_INT(q_int(db, "SELECT tls_frame FROM sessions"), 8);     /* the 220 reply */
	check_tls12_rows(db, &c);
	if (check_failed_now())
		return;
	/* nothing after STARTTLS was read as a command: greeting, EHLO, three
	 * 250 lines, STARTTLS, 220, and one line per direction for the
	 * encrypted rest */
	CHECK_INT(q_int(db, "SELECT count(*) FROM transcript"), 9);
	CHECK_STR(q_str(db, "SELECT line FROM transcript WHERE seq = 7"), "220 2.0.0 Ready to start TLS");
	CHECK_INT(q_int(db, "SELECT count(*) FROM transcript WHERE line LIKE"
	    " '[encrypted after STARTTLS: %'"), 2);
	CHECK_INT(q_int(db, "SELECT count(*) FROM credentials"), 0);
	CHECK_INT(q_int(db, "SELECT count(*) FROM messages"), 0);
	CHECK(same_as_tshark(db, pcap, ""));
	casedb_close(db);
	conv_free(&c);
	free(pcap);
	free(cs);
}

TEST(imaps_993_tls_only)
{
	const char *dir = check_tmpdir("imaps");
	struct conv c;
	char *pcap, *cs;
	struct casedb *db;

	CHECK(conv_make(&c, TLS1_2_VERSION));
	pcap = write_pcap(dir, "imaps.pcap", &c, 1, 993);
	cs = xasprintf("%s/case", dir);
	CHECK((db = ingest_one(cs, pcap)) != NULL);
	CHECK_STR(q_str(db, "SELECT app FROM flows"), "imaps");
	CHECK_STR(q_str(db, "SELECT protocol || ' ' || tls FROM sessions"), "imaps implicit");
	CHECK_INT(q_int(db, "SELECT tls_frame FROM sessions"), 4);
	check_tls12_rows(db, &c);
	if (check_failed_now())
		return;
	CHECK_INT(q_int(db, "SELECT count(*) FROM transcript"), 2);
	CHECK_INT(q_int(db, "SELECT count(*) FROM transcript WHERE line LIKE"
	    " '[encrypted (TLS from the first byte): %'"), 2);
	CHECK_INT(q_int(db, "SELECT count(*) FROM credentials"), 0);
	CHECK(same_as_tshark(db, pcap, ""));
	casedb_close(db);
	conv_free(&c);
	free(pcap);
	free(cs);
}

TEST(imaps_993_tls13)
{
	const char *dir = check_tmpdir("imaps13");
	struct conv c;
	char *pcap, *cs;
	struct casedb *db;

	CHECK(conv_make(&c, TLS1_3_VERSION));
	pcap = write_pcap(dir, "imaps13.pcap", &c, 1, 993);
	cs = xasprintf("%s/case", dir);
	CHECK((db = ingest_one(cs, pcap)) != NULL);
	CHECK_STR(q_str(db, "SELECT protocol || ' ' || tls FROM sessions"), "imaps implicit");
	CHECK_INT(q_int(db, "SELECT version FROM tls"), 0x0304);
	CHECK_INT(q_int(db, "SELECT certs_hidden FROM tls"), 1);
	CHECK_INT(q_int(db, "SELECT count(*) FROM tls_certs"), 0);
	CHECK_STR(q_str(db, "SELECT sni FROM tls"), "mail.example.test");
	CHECK(same_as_tshark(db, pcap, ""));
	casedb_close(db);
	conv_free(&c);
	free(pcap);
	free(cs);
}

/* Not a mail port: the ClientHello alone makes it TLS. */
TEST(tls_on_any_port)
{
	const char *dir = check_tmpdir("anyport");
	struct conv c;
	char *pcap, *cs;
	struct casedb *db;

	CHECK(conv_make(&c, TLS1_2_VERSION));
	pcap = write_pcap(dir, "anyport.pcap", &c, 1, 8443);
	cs = xasprintf("%s/case", dir);
	CHECK((db = ingest_one(cs, pcap)) != NULL);
	CHECK_STR(q_str(db, "SELECT app FROM flows"), "tls");
	CHECK_STR(q_str(db, "SELECT protocol || ' ' || tls FROM sessions"), "tls implicit");
	CHECK_STR(q_str(db, "SELECT sni FROM tls"), "mail.example.test");
	CHECK(same_as_tshark(db, pcap, "-d tcp.port==8443,tls"));
	casedb_close(db);
	conv_free(&c);
	free(pcap);
	free(cs);
}

/* HTTPS (ALPN h2, http/1.1) on 443: recognised as TLS, never read as
 * commands, and no mail session. */
TEST(https_is_not_mail)
{
	const char *dir = check_tmpdir("https");
	struct conv c;
	char *pcap, *cs;
	struct casedb *db;

	conv_alpn = "\x02h2\x08http/1.1";
	CHECK(conv_make(&c, TLS1_3_VERSION));
	conv_alpn = "\x04imap";
	pcap = write_pcap(dir, "https.pcap", &c, 1, 443);
	cs = xasprintf("%s/case", dir);
	CHECK((db = ingest_one(cs, pcap)) != NULL);
	CHECK_STR(q_str(db, "SELECT app FROM flows"), "tls");
	CHECK_INT(q_int(db, "SELECT count(*) FROM sessions"), 0);
	CHECK_INT(q_int(db, "SELECT count(*) FROM tls"), 0);
	casedb_close(db);
	conv_free(&c);
	free(pcap);
	free(cs);
}

TEST(smtp_starttls_then_clear)
{
	const char *dir = check_tmpdir("clear");
	char *pcap, *cs, *err = NULL, *md;
	struct casedb *db;
	struct model_opts mo = { .lang = "en", .generated_us = 1780000000000000LL };
	struct render_opts ro = { .templates_dir = "templates/en" };
	json_t *model;

	pcap = write_pcap(dir, "clear.pcap", NULL, 2, 25);
	cs = xasprintf("%s/case", dir);
	CHECK((db = ingest_one(cs, pcap)) != NULL);
	CHECK_STR(q_str(db, "SELECT protocol || ' ' || tls FROM sessions"), "smtp starttls-clear");
	CHECK_STR(q_str(db, "SELECT notes FROM sessions"),
	    "continued in clear after STARTTLS (frame 8): no TLS record followed");
	CHECK_INT(q_int(db, "SELECT count(*) FROM tls"), 0);
	CHECK_INT(q_int(db, "SELECT messages FROM sessions"), 1);
	CHECK_STR(q_str(db, "SELECT subject || ' ' || from_addr || ' ' || env_rcpt FROM messages"),
	    "after STARTTLS in clear alice@example.test [\"bob@example.test\"]");
	CHECK_INT(q_int(db, "SELECT count(*) FROM transcript WHERE line = 'MAIL FROM:<alice@example.test>'"), 1);
	model = model_build(db, &mo);
	CHECK(render_report(db, model, &ro, &err));
	json_decref(model);
	md = xasprintf("%s/report/report.md", cs);
	{
		char *text = check_slurp(md, NULL);
		CHECK(text != NULL);
		CHECK(strstr(text, "STARTTLS was accepted in frame 8, but no TLS record followed") != NULL);
		free(text);
	}
	casedb_close(db);
	free(md);
	free(pcap);
	free(cs);
}

/* The report of an implicit-TLS session in both languages. */
TEST(report_en_ko)
{
	const char *dir = check_tmpdir("report");
	struct conv c;
	char *pcap, *cs, *err = NULL, *line;
	struct casedb *db;

	CHECK(conv_make(&c, TLS1_2_VERSION));
	pcap = write_pcap(dir, "imaps.pcap", &c, 1, 993);
	cs = xasprintf("%s/case", dir);
	CHECK((db = ingest_one(cs, pcap)) != NULL);
	for (int k = 0; k < 2; k++) {
		const char *lang = k ? "ko" : "en";
		struct model_opts mo = { .lang = lang, .generated_us = 1780000000000000LL };
		char *td = xasprintf("templates/%s", lang), *md, *text;
		struct render_opts ro = { .templates_dir = td };
		json_t *model = model_build(db, &mo);

		CHECK(render_report(db, model, &ro, &err));
		json_decref(model);
		md = xasprintf("%s/report/report.md", cs);
		text = check_slurp(md, NULL);
		CHECK(text != NULL);
		line = xasprintf(k ? "서버 이름(SNI): mail.example.test" : "Server name (SNI): mail.example.test");
		CHECK(strstr(text, line) != NULL);
		free(line);
		line = xasprintf(k ? "일련번호 %s; SHA-256 %s" : "serial %s; SHA-256 %s", SERIAL_HEX,
		    c.cert_sha256);
		CHECK(strstr(text, line) != NULL);
		free(line);
		CHECK(strstr(text, k ? "첫 바이트부터 TLS입니다" : "TLS from the first byte") != NULL);
		CHECK(strstr(text, "TLS 1.2") != NULL);
		/* The chosen suite by its IANA name, then its number. */
		CHECK(strstr(text, k ? "선택된 암호 스위트: TLS\\_ECDHE\\_" :
		    "Cipher suite chosen: TLS\\_ECDHE\\_") != NULL);
		free(text);
		free(md);
		free(td);
	}
	casedb_close(db);
	conv_free(&c);
	free(pcap);
	free(cs);
}

/* Zeek's STARTTLS traces (SMTP, POP3, IMAP: real servers) against Zeek's
 * own baselines: the chain in order, each certificate's SHA-256, serial,
 * subject, issuer and notAfter as x509.log has them, the cipher suite of
 * ssl.log; and JA3/JA3S against tshark where it is installed. */
static void
zeek_starttls(const char *trace, const char *baseline, const char *proto, int64_t cipher)
{
	const char *corpus = check_corpus();
	char *pcap = xasprintf("%s/zeek/testing/btest/Traces/tls/%s.pcap", corpus, trace);
	char *x509 = xasprintf("%s/zeek/testing/btest/Baseline/%s/x509.log", corpus, baseline);
	char *cs = xasprintf("%s/case", check_tmpdir(trace)), *log = check_slurp(x509, NULL);
	char *line, *save = NULL, sql[256];
	struct casedb *db;
	int idx = 0;

	CHECK(log != NULL);
	CHECK((db = ingest_one(cs, pcap)) != NULL);
	snprintf(sql, sizeof(sql), "%s starttls", proto);
	CHECK_STR(q_str(db, "SELECT protocol || ' ' || tls FROM sessions"), sql);
	CHECK_INT(q_int(db, "SELECT version FROM tls"), 0x0303);
	CHECK_INT(q_int(db, "SELECT cipher FROM tls"), cipher);
	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[8], *p = line;
		int n = 0;

		if (line[0] == '#')
			continue;
		while (n < 8 && p) {
			f[n++] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		CHECK(n == 8);
		snprintf(sql, sizeof(sql), "SELECT sha256 || '|' || upper(serial) || '|' || subject ||"
		    " '|' || issuer || '|' || strftime('%%s', not_after) || '.000000' FROM tls_certs"
		    " WHERE idx = %d", idx++);
		{
			char *want = xasprintf("%s|%s|%s|%s|%s", f[1], f[3], f[4], f[5], f[7]);
			const char *got = q_str(db, sql);
			bool same = strcmp(got, want) == 0;
			if (!same)
				fprintf(stderr, "  got  %s\n  want %s\n", got, want);
			free(want);
			CHECK(same);
		}
	}
	CHECK_INT(q_int(db, "SELECT count(*) FROM tls_certs"), idx);
	CHECK(idx > 0);
	{
		char *ts = tshark_ja3(pcap, "");
		if (ts != NULL) {
			char *mine = xstrdup(q_str(db, "SELECT ja3_md5 || '\t' || ja3 FROM tls"));
			CHECK_STR(mine, ts);
			free(mine);
			free(ts);
		}
	}
	casedb_close(db);
	free(log);
	free(pcap);
	free(x509);
	free(cs);
}

TEST(zeek_smtp_starttls)
{
	/* ssl.log: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 0xc02f */
	zeek_starttls("smtp-starttls", "scripts.base.protocols.smtp.starttls", "smtp", 0xc02f);
}

TEST(zeek_pop3_starttls)
{
	/* ssl.log: TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 = 0x009f */
	zeek_starttls("pop3-starttls", "scripts.base.protocols.pop3.starttls", "pop3", 0x009f);
}

TEST(zeek_imap_starttls)
{
	/* ssl.log: TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = 0xc030 */
	zeek_starttls("imap-starttls", "scripts.base.protocols.imap.starttls", "imap", 0xc030);
}

/* The retry in the report, both languages, and in the case database. */
TEST(report_hrr)
{
	const char *dir = check_tmpdir("report_hrr");
	struct conv c;
	char *pcap, *cs, *err = NULL;
	struct casedb *db;

	conv_hrr = true;
	CHECK(conv_make(&c, TLS1_3_VERSION));
	conv_hrr = false;
	pcap = write_pcap(dir, "imaps.pcap", &c, 1, 993);
	cs = xasprintf("%s/case", dir);
	CHECK((db = ingest_one(cs, pcap)) != NULL);
	CHECK_STR(q_str(db, "SELECT hrr || ' ' || hrr_group || ' ' || substr(ja4_retry, 1, 4) FROM tls"),
	    "1 23 t13d");
	for (int k = 0; k < 2; k++) {
		const char *lang = k ? "ko" : "en";
		struct model_opts mo = { .lang = lang, .generated_us = 1780000000000000LL };
		char *td = xasprintf("templates/%s", lang), *md, *text;
		struct render_opts ro = { .templates_dir = td };
		json_t *model = model_build(db, &mo);

		CHECK(render_report(db, model, &ro, &err));
		json_decref(model);
		md = xasprintf("%s/report/report.md", cs);
		text = check_slurp(md, NULL);
		CHECK(text != NULL);
		CHECK(strstr(text, k ? "HelloRetryRequest: 서버가 클라이언트에게 secp256r1 (0x0017) 그룹의 키"
		    " 공유로 ClientHello를 다시 보내도록 요청했습니다. 두 번째 ClientHello를 읽었습니다(JA4 t13d" :
		    "HelloRetryRequest: the server asked the client to send its ClientHello again with a"
		    " key share in group secp256r1 (0x0017); the second ClientHello was read (JA4 t13d")
		    != NULL);
		free(text);
		free(md);
		free(td);
	}
	casedb_close(db);
	free(cs);
	free(pcap);
	conv_free(&c);
}

int
main(void)
{
	RUN(cipher_names);
	RUN(record_looks);
	RUN(openssl_tls12);
	RUN(openssl_tls13);
	RUN(openssl_tls13_hrr);
	RUN(openssl_prefixes);
	RUN(ja4_spec_example);
	RUN(smtp_starttls_then_tls12);
	RUN(imaps_993_tls_only);
	RUN(imaps_993_tls13);
	RUN(tls_on_any_port);
	RUN(https_is_not_mail);
	RUN(smtp_starttls_then_clear);
	RUN(report_en_ko);
	RUN(report_hrr);
	if (check_corpus() != NULL) {
		RUN(zeek_smtp_starttls);
		RUN(zeek_pop3_starttls);
		RUN(zeek_imap_starttls);
	} else {
		SKIP(zeek_smtp_starttls, "no ../shared/corpus");
		SKIP(zeek_pop3_starttls, "no ../shared/corpus");
		SKIP(zeek_imap_starttls, "no ../shared/corpus");
	}
	return check_done();
}
