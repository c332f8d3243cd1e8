/* Tests of SASL decoding (src/mail/sasl.c) with the RFCs' own examples. */
#include "check.h"
#include "mail/sasl.h"
#include "ntlmgen.h"
#include "util/text.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* base64 of p[0..n) (libcrypto); free() it. */
static char *
b64(const void *p, size_t n)
{
	char *o = malloc(4 * ((n + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)o, p, (int)n);
	return o;
}

static void
respond(struct sasl_auth *a, const void *p, size_t n)
{
	char *t = b64(p, n);

	sasl_auth_response(a, t, strlen(t));
	free(t);
}

static void
challenge(struct sasl_auth *a, const void *p, size_t n)
{
	char *t = b64(p, n);

	sasl_auth_challenge(a, t, strlen(t));
	free(t);
}

static const uint8_t chal[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
static const uint8_t cchal[8] = { 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa };

TEST(base64)
{
	char *o = NULL;
	size_t n = 0;

	CHECK(sasl_base64_decode("NTU4cjAwbHo=", 12, &o, &n));
	CHECK_STR(o, "558r00lz");
	CHECK_INT(n, 8);
	free(o);
	CHECK(sasl_base64_decode("NTU4cjAwbHo", 11, &o, &n));     /* padding dropped */
	CHECK_STR(o, "558r00lz");
	free(o);
	CHECK(!sasl_base64_decode("NTU4c*AwbHo=", 12, &o, &n));
	CHECK(!sasl_base64_decode("NT=4cjAwbHo=", 12, &o, &n));
	CHECK(sasl_base64_decode("", 0, &o, &n));
	CHECK_INT(n, 0);
	free(o);
}

TEST(printable)
{
	char *p = text_clean("a\x01\xc3\xa9\xff\tz", 7, 0);

	CHECK_STR(p, "a\\x01\xc3\xa9\\xFF\tz");
	free(p);
}

TEST(plain_rfc4616)
{
	struct sasl_auth a;
	const char *b = "YWRtaW4AdGltAHRhbnN0YWFmdGFuc3RhYWY=";   /* admin\0tim\0tanstaaftanstaaf */

	sasl_auth_init(&a, "plain", 5);
	CHECK_STR(a.mech_name, "PLAIN");
	CHECK(sasl_auth_wants_response(&a));
	sasl_auth_response(&a, b, strlen(b));
	CHECK_STR(a.authzid, "admin");
	CHECK_STR(a.user, "tim");
	CHECK_STR(a.secret, "tanstaaftanstaaf");
	CHECK_STR(a.secret_kind, "password");
	CHECK(!sasl_auth_wants_response(&a));
	sasl_auth_free(&a);
}

TEST(login_and_cancel)
{
	struct sasl_auth a;

	sasl_auth_init(&a, "LOGIN", 5);
	sasl_auth_challenge(&a, "VXNlcm5hbWU6", 12);
	sasl_auth_response(&a, "dGlt", 4);
	CHECK(sasl_auth_wants_response(&a));
	sasl_auth_response(&a, "*", 1);
	CHECK(a.cancelled);
	CHECK(!sasl_auth_wants_response(&a));
	CHECK_STR(a.user, "tim");
	CHECK(a.secret == NULL);
	sasl_auth_free(&a);
}

TEST(cram_md5_rfc2195)
{
	struct sasl_auth a;
	const char *ch = "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+";
	const char *rs = "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw";

	sasl_auth_init(&a, "CRAM-MD5", 8);
	sasl_auth_challenge(&a, ch, strlen(ch));
	sasl_auth_response(&a, rs, strlen(rs));
	CHECK_STR(a.user, "tim");
	CHECK_STR(a.secret, "b913a602c7eda7a495b4e6e7334d3890");
	CHECK_STR(a.crack_line,
	    "$cram_md5$PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+$"
	    "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
	sasl_auth_free(&a);
}

TEST(xoauth2_error_round)
{
	struct sasl_auth a;
	const char *ir = "dXNlcj1hQGIuYwFhdXRoPUJlYXJlciB0b2sBAQ==";   /* user=a@b.c^Aauth=Bearer tok^A^A */

	sasl_auth_init(&a, "XOAUTH2", 7);
	sasl_auth_response(&a, ir, strlen(ir));
	CHECK_STR(a.user, "a@b.c");
	CHECK_STR(a.secret, "tok");
	CHECK(!sasl_auth_wants_response(&a));
	sasl_auth_challenge(&a, "eyJzdGF0dXMiOiI0MDEifQ==", 24);
	CHECK(sasl_auth_wants_response(&a));
	sasl_auth_response(&a, "", 0);
	CHECK(!sasl_auth_wants_response(&a));
	sasl_auth_free(&a);
}

TEST(scram_user_and_bad_base64)
{
	struct sasl_auth a;
	const char *r = "biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM";  /* n,,n=user,r=... */

	sasl_auth_init(&a, "SCRAM-SHA-1", 11);
	sasl_auth_response(&a, r, strlen(r));
	CHECK_STR(a.user, "user");
	CHECK(a.secret == NULL);
	CHECK_STR(a.secret_kind, "scram proof");
	sasl_auth_response(&a, "%%%", 3);
	CHECK(a.bad_base64);
	sasl_auth_free(&a);
}

/* hashcat's published example hashes (hashcat wiki, example_hashes; the
 * same strings are in hashcat's module sources), both for the password
 * "hashcat": the verifier must accept them, so it computes what hashcat
 * computes, and must refuse another password. */
TEST(ntlm_verifier_hashcat_examples)
{
	const char *v2 = "admin::N46iSNekpT:08ca45b7d7ea58ee:88dcbe4446168966a153a0064958dac6:"
	    "5c7830315c7830310000000000000b45c67103d07d7b95acd12ffa11230e0000000052920b85f78d"
	    "013c31cdb3b92f5d765c783030";
	const char *v1 = "u4-netntlm::kNS:338d08f8e26de93300000000000000000000000000000000:"
	    "9526fb8c23a90751cdd619b6cea564742e1e4bf33006ba41:cb8086049ec4736c";

	CHECK(ntlmgen_verify_5600(v2, "hashcat"));
	CHECK(!ntlmgen_verify_5600(v2, "hashcat1"));
	CHECK(ntlmgen_verify_5500(v1, "hashcat"));
	CHECK(!ntlmgen_verify_5500(v1, "Hashcat"));
}

/* MS-NLMP 1.3.1.1: NEGOTIATE, CHALLENGE, AUTHENTICATE, the NTLMv2 response
 * computed from a known password. */
TEST(ntlm_v2_known_password)
{
	struct sasl_auth a;
	uint8_t m[1024];
	size_t n;

	sasl_auth_init(&a, "NTLM", 4);
	CHECK(a.mech == SASL_NTLM);
	n = ntlmgen_type1(m, "CORP", "WS01");
	respond(&a, m, n);
	CHECK(sasl_auth_wants_response(&a));
	CHECK_STR(a.domain, "CORP");           /* OEM, from Type 1 until Type 3 */
	n = ntlmgen_type2(m, chal, "CORP");
	challenge(&a, m, n);
	n = ntlmgen_type3_v2(m, "Alice", "CORP", "ALICE-PC", "Winter2026!", chal, cchal,
	    0x01d0000000000000ull);
	respond(&a, m, n);
	CHECK(!sasl_auth_wants_response(&a));
	CHECK_STR(a.user, "Alice");
	CHECK_STR(a.domain, "CORP");
	CHECK_STR(a.workstation, "ALICE-PC");
	CHECK_STR(a.secret_kind, "netntlmv2 response");
	CHECK_STR(a.crack_line, "Alice::CORP:0123456789abcdef:a021fb8a1f1d6ca15f859741f978e2f9:"
	    "0101000000000000000000000000d001aaaaaaaaaaaaaaaa000000000200080043004f0052005000000000"
	    "0000000000");
	CHECK(ntlmgen_verify_5600(a.crack_line, "Winter2026!"));
	CHECK(!ntlmgen_verify_5600(a.crack_line, "Winter2025!"));
	CHECK_STR(a.details, "server_challenge=0123456789abcdef; target=CORP; encoding=unicode; ntlm=v2");
	sasl_auth_free(&a);
}

/* NTLMv1 from an old client, strings in the OEM code page, no Type 1 in the
 * capture (it started at the challenge). */
TEST(ntlm_v1_oem)
{
	struct sasl_auth a;
	uint8_t m[1024];
	size_t n;

	sasl_auth_init(&a, "ntlm", 4);
	n = ntlmgen_type2(m, chal, "OLD");
	challenge(&a, m, n);
	n = ntlmgen_type3_v1(m, "bob", "OLD", "XP", "password", chal, false);
	respond(&a, m, n);
	CHECK_STR(a.user, "bob");
	CHECK_STR(a.domain, "OLD");
	CHECK_STR(a.workstation, "XP");
	CHECK_STR(a.secret_kind, "netntlmv1 response");
	CHECK(ntlmgen_verify_5500(a.crack_line, "password"));
	CHECK(strncmp(a.crack_line, "bob::OLD:", 9) == 0);
	CHECK(strlen(a.crack_line) == 9 + 48 + 1 + 48 + 1 + 16);
	CHECK(strstr(a.details, "encoding=oem; ntlm=v1") != NULL);
	sasl_auth_free(&a);
}

/* A Type 3 without a Type 2 in the capture: names, no line; and garbage. */
TEST(ntlm_without_challenge_and_malformed)
{
	struct sasl_auth a;
	uint8_t m[1024];
	size_t n;

	sasl_auth_init(&a, "NTLM", 4);
	n = ntlmgen_type3_v2(m, "Jürgen", "BÜRO", "PC", "x", chal, cchal, 0);
	respond(&a, m, n);
	CHECK_STR(a.user, "Jürgen");           /* UTF-16LE decoded */
	CHECK_STR(a.domain, "BÜRO");
	CHECK(a.crack_line == NULL);
	CHECK(strstr(a.details, "crack_line=none (no Type 2 challenge seen)") != NULL);
	sasl_auth_free(&a);
	sasl_auth_init(&a, "NTLM", 4);
	m[20] = 0xff, m[21] = 0x7f;            /* the NT response length past the end */
	respond(&a, m, n);
	CHECK(a.crack_line == NULL);
	CHECK(strstr(a.details, "malformed=") != NULL);
	respond(&a, "NTLMSSP", 8);
	CHECK(strstr(a.details, "malformed=truncated NTLMSSP message") != NULL);
	sasl_auth_free(&a);
}

static void
md5hex(const void *p, size_t n, char out[33])
{
	unsigned char d[16];
	int i;

	EVP_Digest(p, n, d, NULL, EVP_md5(), NULL);
	for (i = 0; i < 16; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* RFC 2831 4's example, password "secret"; the response is recomputed
 * from the John line's fields the way RFC 2831 2.1.2.1 defines it. */
TEST(digest_md5_rfc2831)
{
	struct sasl_auth a;
	const char *c1 = "realm=\"elwood.innosoft.com\",nonce=\"OA6MG9tEQGm2hh\",qop=\"auth\","
	    "algorithm=md5-sess,charset=utf-8";
	const char *r1 = "charset=utf-8,username=\"chris\",realm=\"elwood.innosoft.com\","
	    "nonce=\"OA6MG9tEQGm2hh\",nc=00000001,cnonce=\"OA6MHXh6VqTrRk\","
	    "digest-uri=\"imap/elwood.innosoft.com\","
	    "response=d388dad90d4bbd760a152321f2143af7,qop=auth";
	const char *c2 = "rspauth=ea40f60335c427b5527b84dbabcdfffd";
	unsigned char h[16];
	char a1[128], ha1[33], ha2[33], kd[256], resp[33];
	size_t n;

	sasl_auth_init(&a, "DIGEST-MD5", 10);
	challenge(&a, c1, strlen(c1));
	CHECK(sasl_auth_wants_response(&a));
	respond(&a, r1, strlen(r1));
	CHECK(!sasl_auth_wants_response(&a));
	challenge(&a, c2, strlen(c2));
	CHECK(sasl_auth_wants_response(&a));     /* the empty response after rspauth */
	sasl_auth_response(&a, "", 0);
	CHECK(!sasl_auth_wants_response(&a));
	CHECK_STR(a.user, "chris");
	CHECK_STR(a.domain, "elwood.innosoft.com");
	CHECK_STR(a.secret, "d388dad90d4bbd760a152321f2143af7");
	CHECK_STR(a.secret_kind, "digest-md5 response");
	CHECK_STR(a.crack_line, "$DIGEST-MD5$chris$elwood.innosoft.com$OA6MG9tEQGm2hh$"
	    "imap/elwood.innosoft.com$OA6MHXh6VqTrRk$00000001$auth$d388dad90d4bbd760a152321f2143af7");
	CHECK_STR(a.details, "nonce=OA6MG9tEQGm2hh; digest-uri=imap/elwood.innosoft.com; "
	    "cnonce=OA6MHXh6VqTrRk; nc=00000001; qop=auth");
	EVP_Digest("chris:elwood.innosoft.com:secret", 32, h, NULL, EVP_md5(), NULL);
	memcpy(a1, h, 16);
	n = 16 + (size_t)sprintf(a1 + 16, ":OA6MG9tEQGm2hh:OA6MHXh6VqTrRk");
	md5hex(a1, n, ha1);
	md5hex("AUTHENTICATE:imap/elwood.innosoft.com", 37, ha2);
	n = (size_t)snprintf(kd, sizeof(kd), "%s:OA6MG9tEQGm2hh:00000001:OA6MHXh6VqTrRk:auth:%s",
	    ha1, ha2);
	md5hex(kd, n, resp);
	CHECK_STR(resp, a.secret);
	sasl_auth_free(&a);
}

/* The value of key= in a details string; free() it. */
static char *
detail(const char *d, const char *key)
{
	char k[64];
	const char *p, *e;

	snprintf(k, sizeof(k), "%s=", key);
	for (p = d; p && (p = strstr(p, k)) != NULL; p++)
		if (p == d || p[-1] == ' ')
			break;
	if (p == NULL)
		return NULL;
	p += strlen(k);
	e = strstr(p, "; ");
	return strndup(p, e ? (size_t)(e - p) : strlen(p));
}

/* RFC 5802 3: ClientProof = ClientKey XOR HMAC(H(ClientKey), AuthMessage),
 * ClientKey = HMAC(Hi(password, salt, i), "Client Key"). */
static bool
scram_proof_ok(const EVP_MD *md, const char *details, const char *password)
{
	char *salt_b = detail(details, "salt"), *it = detail(details, "iterations");
	char *am = detail(details, "auth_message"), *pr = detail(details, "proof");
	unsigned char salt[64], sp[64], ck[64], sk[64], sig[64], proof[64];
	unsigned hl = (unsigned)EVP_MD_get_size(md), l = hl, i;
	int ns, np;
	bool ok = false;

	if (salt_b && it && am && pr) {
		ns = EVP_DecodeBlock(salt, (const unsigned char *)salt_b, (int)strlen(salt_b));
		ns -= salt_b[strlen(salt_b) - 1] == '=' ? (salt_b[strlen(salt_b) - 2] == '=' ? 2 : 1) : 0;
		np = EVP_DecodeBlock(proof, (const unsigned char *)pr, (int)strlen(pr));
		PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt, ns, atoi(it), md, (int)hl, sp);
		HMAC(md, sp, (int)hl, (const unsigned char *)"Client Key", 10, ck, &l);
		EVP_Digest(ck, hl, sk, NULL, md, NULL);
		HMAC(md, sk, (int)hl, (const unsigned char *)am, strlen(am), sig, &l);
		for (i = 0; i < hl; i++)
			ck[i] ^= sig[i];
		ok = np >= (int)hl && memcmp(ck, proof, hl) == 0;
	}
	free(salt_b), free(it), free(am), free(pr);
	return ok;
}

static void
scram_run(struct sasl_auth *a, const char *const *steps)
{
	respond(a, steps[0], strlen(steps[0]));
	challenge(a, steps[1], strlen(steps[1]));
	respond(a, steps[2], strlen(steps[2]));
	challenge(a, steps[3], strlen(steps[3]));
}

TEST(scram_rfc5802_rfc7677)
{
	struct sasl_auth a;
	const char *sha1[] = { "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
	    "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
	    "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
	    "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=" };
	const char *sha256[] = { "n,a=adm=2Cin,n=us=3Der,r=rOprNGfwEbeRWgbNEkqO",
	    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
	    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
	    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
	    "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=" };

	sasl_auth_init(&a, "SCRAM-SHA-1", 11);
	scram_run(&a, sha1);
	CHECK(sasl_auth_wants_response(&a));
	sasl_auth_response(&a, "", 0);
	CHECK(!sasl_auth_wants_response(&a));
	CHECK_STR(a.user, "user");
	CHECK_STR(a.secret, "v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");
	CHECK(a.crack_line == NULL);
	CHECK(scram_proof_ok(EVP_sha1(), a.details, "pencil"));
	CHECK(!scram_proof_ok(EVP_sha1(), a.details, "pencil2"));
	CHECK(strstr(a.details, "; server_signature=rmF9pqV8S7suAoZWja4dJRkFsKQ=") != NULL);
	sasl_auth_free(&a);
	/* RFC 7677 3's exchange; escaped names (5.1) for the user and authzid,
	 * so the proof no longer matches the changed client-first. */
	sasl_auth_init(&a, "SCRAM-SHA-256", 13);
	scram_run(&a, sha256);
	CHECK_STR(a.user, "us=er");
	CHECK_STR(a.authzid, "adm,in");
	CHECK(!scram_proof_ok(EVP_sha256(), a.details, "pencil"));
	sasl_auth_free(&a);
	sha256[0] = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
	sasl_auth_init(&a, "SCRAM-SHA-256", 13);
	scram_run(&a, sha256);
	CHECK(scram_proof_ok(EVP_sha256(), a.details, "pencil"));
	sasl_auth_free(&a);
}

/* RFC 7628 4.1 and the error round of 3.2.3. */
TEST(oauthbearer_rfc7628)
{
	struct sasl_auth a;
	const char *r = "n,a=user@example.com,\x01host=server.example.com\x01port=143\x01"
	    "auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01";
	const char *e = "{\"status\":\"invalid_token\"}";

	sasl_auth_init(&a, "OAUTHBEARER", 11);
	respond(&a, r, strlen(r));
	CHECK_STR(a.user, "user@example.com");
	CHECK_STR(a.secret, "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==");
	CHECK_STR(a.secret_kind, "oauth token");
	CHECK(!sasl_auth_wants_response(&a));
	challenge(&a, e, strlen(e));
	CHECK(sasl_auth_wants_response(&a));
	respond(&a, "\x01", 1);
	CHECK(!sasl_auth_wants_response(&a));
	CHECK_STR(a.details, "host=server.example.com; port=143; server_error={\"status\":\"invalid_token\"}");
	sasl_auth_free(&a);
}

/* DER TLV (X.690 8.1.3: short or two-byte long length) appended at *n. */
static void
der(uint8_t *out, size_t *n, uint8_t tag, const uint8_t *v, size_t vl)
{
	uint8_t tmp[1024];

	memcpy(tmp, v, vl);
	out[(*n)++] = tag;
	if (vl < 128) {
		out[(*n)++] = (uint8_t)vl;
	} else {
		out[(*n)++] = 0x82;
		out[(*n)++] = (uint8_t)(vl >> 8);
		out[(*n)++] = (uint8_t)vl;
	}
	memcpy(out + *n, tmp, vl);
	*n += vl;
}

/* RFC 4752 3.1 with RFC 1964 1.1 and RFC 4120 5.5.1: the ticket's realm and
 * service name are in clear, the client's name is not. */
TEST(gssapi_kerberos_ap_req)
{
	static const uint8_t oid[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02 };
	uint8_t a_[512], b_[512], c_[512], t[1024], s[1024], tok[1024];
	size_t na = 0, nb = 0, nc = 0, nt = 0, ns = 0, n = 0;
	struct sasl_auth a;
	uint8_t five = 5, fourteen = 14, eighteen = 18, zero = 0;

	/* PrincipalName { name-type [0] 2, name-string [1] { "imap", "mail.example.com" } } */
	der(a_, &na, 0x1b, (const uint8_t *)"imap", 4);
	der(a_, &na, 0x1b, (const uint8_t *)"mail.example.com", 16);
	der(b_, &nb, 0x30, a_, na);
	nc = 0;
	der(c_, &nc, 0x02, &five, 1);            /* any name-type */
	na = 0;
	der(a_, &na, 0xa0, c_, nc);
	der(a_, &na, 0xa1, b_, nb);
	nb = 0;
	der(b_, &nb, 0x30, a_, na);               /* PrincipalName */
	/* Ticket { tkt-vno [0] 5, realm [1], sname [2], enc-part [3] } */
	nt = 0;
	nc = 0;
	der(c_, &nc, 0x02, &five, 1);
	der(t, &nt, 0xa0, c_, nc);
	nc = 0;
	der(c_, &nc, 0x1b, (const uint8_t *)"EXAMPLE.COM", 11);
	der(t, &nt, 0xa1, c_, nc);
	der(t, &nt, 0xa2, b_, nb);
	nc = 0;
	der(c_, &nc, 0x30, &zero, 0);
	der(t, &nt, 0xa3, c_, nc);
	ns = 0;
	der(s, &ns, 0x30, t, nt);
	nt = 0;
	der(t, &nt, 0x61, s, ns);                  /* [APPLICATION 1] Ticket */
	/* AP-REQ { pvno [0] 5, msg-type [1] 14, ap-options [2], ticket [3],
	 * authenticator [4] EncryptedData { etype [0] 18, cipher [2] } } */
	ns = 0;
	nc = 0;
	der(c_, &nc, 0x02, &five, 1);
	der(s, &ns, 0xa0, c_, nc);
	nc = 0;
	der(c_, &nc, 0x02, &fourteen, 1);
	der(s, &ns, 0xa1, c_, nc);
	nc = 0;
	der(c_, &nc, 0x03, (const uint8_t *)"\0\0\0\0\0", 5);
	der(s, &ns, 0xa2, c_, nc);
	der(s, &ns, 0xa3, t, nt);
	na = 0;
	nc = 0;
	der(c_, &nc, 0x02, &eighteen, 1);
	der(a_, &na, 0xa0, c_, nc);
	nc = 0;
	der(c_, &nc, 0x04, (const uint8_t *)"secretsecret", 12);
	der(a_, &na, 0xa2, c_, nc);
	nb = 0;
	der(b_, &nb, 0x30, a_, na);
	der(s, &ns, 0xa4, b_, nb);
	nt = 0;
	der(t, &nt, 0x30, s, ns);
	ns = 0;
	der(s, &ns, 0x6e, t, nt);                  /* [APPLICATION 14] AP-REQ */
	/* InitialContextToken: [APPLICATION 0] { OID, 01 00, AP-REQ } */
	nt = 0;
	der(t, &nt, 0x06, oid, sizeof(oid));
	t[nt++] = 0x01;
	t[nt++] = 0x00;
	memcpy(t + nt, s, ns);
	nt += ns;
	der(tok, &n, 0x60, t, nt);

	sasl_auth_init(&a, "GSSAPI", 6);
	sasl_auth_challenge(&a, "", 0);
	respond(&a, tok, n);
	CHECK(a.user == NULL);
	CHECK(a.secret == NULL);
	CHECK_STR(a.domain, "EXAMPLE.COM");
	CHECK_STR(a.details, "gss_mech=kerberos; service=imap/mail.example.com@EXAMPLE.COM; "
	    "authenticator_etype=18; client_principal=encrypted");
	sasl_auth_free(&a);
	sasl_auth_init(&a, "GSSAPI", 6);
	respond(&a, tok, n - 30);                  /* cut inside the ticket */
	CHECK(strstr(a.details, "malformed=") != NULL);
	sasl_auth_free(&a);
}

/* RFC 4422 3: a mechanism this module does not know keeps its exchange. */
TEST(unknown_mechanism_exchange)
{
	struct sasl_auth a;
	int i;

	sasl_auth_init(&a, "x-weird", 7);
	CHECK_STR(a.mech_name, "X-WEIRD");
	CHECK(a.mech == SASL_OTHER);
	challenge(&a, "hello?", 6);
	respond(&a, "\x00\x01\xff", 3);
	sasl_auth_response(&a, "not base64!", 11);
	CHECK_STR(a.details, "S=hello?; C=base64:AAH/; C=base64:not base64!");
	for (i = 0; i < 20; i++)
		respond(&a, "x", 1);
	CHECK(strstr(a.details, "exchange_cut=after 16 steps; the rest is in the transcript") != NULL);
	CHECK(a.secret == NULL);
	sasl_auth_free(&a);
}

int
main(void)
{
	RUN(base64);
	RUN(printable);
	RUN(plain_rfc4616);
	RUN(login_and_cancel);
	RUN(cram_md5_rfc2195);
	RUN(xoauth2_error_round);
	RUN(scram_user_and_bad_base64);
	RUN(ntlm_verifier_hashcat_examples);
	RUN(ntlm_v2_known_password);
	RUN(ntlm_v1_oem);
	RUN(ntlm_without_challenge_and_malformed);
	RUN(digest_md5_rfc2831);
	RUN(scram_rfc5802_rfc7677);
	RUN(oauthbearer_rfc7628);
	RUN(gssapi_kerberos_ap_req);
	RUN(unknown_mechanism_exchange);
	return check_done();
}
