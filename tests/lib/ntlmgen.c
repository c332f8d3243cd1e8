/* ntlmgen.c - see ntlmgen.h. */
#define OPENSSL_SUPPRESS_DEPRECATED   /* MD4 and DES are NTLM's, not ours to choose */
#include "ntlmgen.h"

#include <glib.h>
#include <openssl/des.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/md4.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define F_UNICODE 0x00000001u
#define F_OEM 0x00000002u
#define F_NTLM 0x00000200u
#define F_OEM_DOMAIN 0x00001000u
#define F_OEM_WS 0x00002000u
#define F_ALWAYS_SIGN 0x00008000u
#define F_ESS 0x00080000u
#define F_TARGET_INFO 0x00800000u

static void
le16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
le32(uint8_t *p, uint32_t v)
{
	le16(p, v & 0xffff);
	le16(p + 2, v >> 16);
}

/* UTF-16LE of s into out; returns bytes. */
static size_t
utf16(const char *s, uint8_t *out)
{
	glong n = 0, i;
	gunichar2 *u = g_utf8_to_utf16(s, -1, NULL, &n, NULL);

	for (i = 0; i < n; i++)
		le16(out + 2 * i, u[i]);
	g_free(u);
	return (size_t)n * 2;
}

/* A payload field descriptor at hdr, its bytes appended at *off. */
static void
field(uint8_t *msg, size_t hdr, size_t *off, const void *p, size_t n)
{
	le16(msg + hdr, (unsigned)n);
	le16(msg + hdr + 2, (unsigned)n);
	le32(msg + hdr + 4, (uint32_t)*off);
	memcpy(msg + *off, p, n);
	*off += n;
}

static void
header(uint8_t *out, uint32_t type)
{
	memcpy(out, "NTLMSSP", 8);
	le32(out + 8, type);
}

size_t
ntlmgen_type1(uint8_t *out, const char *domain, const char *ws)
{
	size_t off = 32;

	memset(out, 0, 32);
	header(out, 1);
	le32(out + 12, F_UNICODE | F_OEM | F_NTLM | F_OEM_DOMAIN | F_OEM_WS | F_ALWAYS_SIGN | F_ESS);
	field(out, 16, &off, domain, strlen(domain));
	field(out, 24, &off, ws, strlen(ws));
	return off;
}

/* MsvAvNbDomainName (2) and MsvAvEOL (MS-NLMP 2.2.2.1). */
static size_t
target_info(uint8_t *out, const char *target)
{
	size_t n = utf16(target, out + 4);

	le16(out, 2);
	le16(out + 2, (unsigned)n);
	memset(out + 4 + n, 0, 4);
	return n + 8;
}

size_t
ntlmgen_type2(uint8_t *out, const uint8_t chal[8], const char *target)
{
	uint8_t name[256], info[300];
	size_t off = 48, nn = utf16(target, name), ni = target_info(info, target);

	memset(out, 0, 48);
	header(out, 2);
	field(out, 12, &off, name, nn);
	le32(out + 20, F_UNICODE | F_NTLM | F_ALWAYS_SIGN | F_ESS | F_TARGET_INFO);
	memcpy(out + 24, chal, 8);
	field(out, 40, &off, info, ni);
	return off;
}

static void
nt_hash(const char *password, uint8_t h[16])
{
	uint8_t u[512];
	size_t n = utf16(password, u);

	MD4(u, n, h);
}

static void
hmac_md5(const uint8_t *key, size_t kn, const uint8_t *d, size_t n, uint8_t out[16])
{
	unsigned len = 16;

	HMAC(EVP_md5(), key, (int)kn, d, n, out, &len);
}

/* HMAC-MD5(NT hash, UTF-16LE(upper(user) + domain)) */
static void
v2_hash(const char *password, const char *user, const char *domain, uint8_t out[16])
{
	uint8_t nt[16], id[1024];
	gchar *up = g_utf8_strup(user, -1);
	gchar *s = g_strconcat(up, domain, NULL);
	size_t n = utf16(s, id);

	nt_hash(password, nt);
	hmac_md5(nt, 16, id, n, out);
	g_free(up);
	g_free(s);
}

static void
type3(uint8_t *out, size_t *off, uint32_t flags, const char *user, const char *domain,
    const char *ws, const uint8_t *lm, size_t nlm, const uint8_t *nt, size_t nnt)
{
	uint8_t d[256], u[256], w[256];
	bool uni = (flags & F_UNICODE) != 0;
	size_t nd = uni ? utf16(domain, d) : strlen(domain);
	size_t nu = uni ? utf16(user, u) : strlen(user);
	size_t nw = uni ? utf16(ws, w) : strlen(ws);

	if (!uni) {
		memcpy(d, domain, nd);
		memcpy(u, user, nu);
		memcpy(w, ws, nw);
	}
	memset(out, 0, 64);
	header(out, 3);
	*off = 64;
	field(out, 28, off, d, nd);
	field(out, 36, off, u, nu);
	field(out, 44, off, w, nw);
	field(out, 12, off, lm, nlm);
	field(out, 20, off, nt, nnt);
	field(out, 52, off, "", 0);
	le32(out + 60, flags);
}

size_t
ntlmgen_type3_v2(uint8_t *out, const char *user, const char *domain, const char *ws,
    const char *password, const uint8_t chal[8], const uint8_t cchal[8], uint64_t filetime)
{
	uint8_t key[16], blob[400], buf[408], nt[416], lm[24];
	size_t nb, off, i;

	/* NTLMv2_CLIENT_CHALLENGE (MS-NLMP 2.2.2.7) */
	memset(blob, 0, 28);
	blob[0] = blob[1] = 1;
	for (i = 0; i < 8; i++)
		blob[8 + i] = (uint8_t)(filetime >> (8 * i));
	memcpy(blob + 16, cchal, 8);
	nb = 28 + target_info(blob + 28, domain);
	memset(blob + nb, 0, 4);     /* Z(4) after the AV pairs (3.3.2) */
	nb += 4;
	v2_hash(password, user, domain, key);
	memcpy(buf, chal, 8);
	memcpy(buf + 8, blob, nb);
	hmac_md5(key, 16, buf, 8 + nb, nt);
	memcpy(nt + 16, blob, nb);
	memcpy(buf + 8, cchal, 8);
	hmac_md5(key, 16, buf, 16, lm);
	memcpy(lm + 16, cchal, 8);
	type3(out, &off, F_UNICODE | F_NTLM | F_ALWAYS_SIGN | F_ESS | F_TARGET_INFO, user, domain,
	    ws, lm, 24, nt, 16 + nb);
	return off;
}

/* DES with a 7-byte key, expanded to 8 bytes with parity bits (MS-NLMP 6). */
static void
des7(const uint8_t k7[7], const uint8_t in[8], uint8_t out[8])
{
	DES_cblock key;
	DES_key_schedule ks;
	int i;

	key[0] = k7[0];
	for (i = 1; i < 7; i++)
		key[i] = (uint8_t)(k7[i - 1] << (8 - i) | k7[i] >> i);
	key[7] = (uint8_t)(k7[6] << 1);
	DES_set_odd_parity(&key);
	DES_set_key_unchecked(&key, &ks);
	DES_ecb_encrypt((const_DES_cblock *)in, (DES_cblock *)out, &ks, DES_ENCRYPT);
}

static void
desl(const uint8_t h[16], const uint8_t c[8], uint8_t out[24])
{
	uint8_t k[21] = { 0 };

	memcpy(k, h, 16);
	des7(k, c, out);
	des7(k + 7, c, out + 8);
	des7(k + 14, c, out + 16);
}

size_t
ntlmgen_type3_v1(uint8_t *out, const char *user, const char *domain, const char *ws,
    const char *password, const uint8_t chal[8], bool unicode)
{
	uint8_t h[16], nt[24];
	size_t off;

	nt_hash(password, h);
	desl(h, chal, nt);
	type3(out, &off, (unicode ? F_UNICODE : F_OEM) | F_NTLM | F_ALWAYS_SIGN, user, domain, ws,
	    nt, 24, nt, 24);
	return off;
}

/* The fields of a hashcat line, split at ':' (at most n). */
static int
split(char *s, char **f, int n)
{
	int k = 0;

	f[k++] = s;
	for (; *s && k < n; s++)
		if (*s == ':') {
			*s = '\0';
			f[k++] = s + 1;
		}
	return k;
}

static size_t
unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	unsigned v;

	while (s[0] && s[1] && n < max && sscanf(s, "%2x", &v) == 1) {
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

bool
ntlmgen_verify_5600(const char *line, const char *password)
{
	char *s = strdup(line), *f[6];
	uint8_t key[16], chal[8], proof[16], blob[2048], buf[2056], got[16];
	size_t nb;
	bool ok = false;

	/* user::domain:challenge:NTProofStr:blob */
	if (split(s, f, 6) == 6 && unhex(f[3], chal, 8) == 8 && unhex(f[4], proof, 16) == 16) {
		nb = unhex(f[5], blob, sizeof(blob));
		v2_hash(password, f[0], f[2], key);
		memcpy(buf, chal, 8);
		memcpy(buf + 8, blob, nb);
		hmac_md5(key, 16, buf, 8 + nb, got);
		ok = memcmp(got, proof, 16) == 0;
	}
	free(s);
	return ok;
}

bool
ntlmgen_verify_5500(const char *line, const char *password)
{
	static const uint8_t zero[16];
	char *s = strdup(line), *f[6];
	uint8_t h[16], lm[24], nt[24], chal[8], c[8], got[24], md[16], two[16];
	bool ok = false;

	/* user::domain:lm:nt:challenge */
	if (split(s, f, 6) == 6 && unhex(f[4], nt, 24) == 24 && unhex(f[5], chal, 8) == 8) {
		memcpy(c, chal, 8);
		if (unhex(f[3], lm, 24) == 24 && memcmp(lm + 8, zero, 16) == 0) {
			memcpy(two, chal, 8);
			memcpy(two + 8, lm, 8);
			EVP_Digest(two, 16, md, NULL, EVP_md5(), NULL);
			memcpy(c, md, 8);
		}
		nt_hash(password, h);
		desl(h, c, got);
		ok = memcmp(got, nt, 24) == 0;
	}
	free(s);
	return ok;
}
