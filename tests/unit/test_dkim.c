/* Unit tests of auth/dkimkeys.c (key files as dig and zone files write
 * them), auth/fields.c (tag lists) and auth/dkim.c (DKIM verified with
 * libopendkim): messages signed here by libopendkim's signer with keys made
 * here, each result code, and RFC 8463's published example. */
#include "check.h"
#include "dkimgen.h"
#include "auth/dkim.h"
#include "auth/dkimkeys.h"
#include "auth/fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t nproblems;
static size_t problem_line;

static void
on_problem(void *arg, const struct dkimkeys_problem *p)
{
	(void)arg;
	nproblems++;
	problem_line = p->line;
}

TEST(keys_dig_format)
{
	static const char text[] =
	    "; <<>> DiG 9.18 <<>> +noall +answer TXT sel._domainkey.example.com\n"
	    "sel._domainkey.Example.COM. 300 IN TXT \"v=DKIM1; k=rsa; \" \"p=AB\\\"C\\059D\"\n"
	    "other.example.com. 60 IN CNAME sel._domainkey.example.com.\n"
	    "ed._domainkey.example.org.\t3600\tIN\tTXT\t\"v=DKIM1; k=ed25519; p=11qY\"";
	struct dkimkeys *ks = dkimkeys_new();
	const struct dkimkey *k;

	nproblems = 0;
	CHECK_INT(dkimkeys_parse(ks, text, strlen(text), on_problem, NULL), 2);
	CHECK_INT(nproblems, 0);
	k = dkimkeys_find(ks, "sel._domainkey.example.com");
	CHECK(k != NULL);
	CHECK_STR(k->name, "sel._domainkey.example.com");
	CHECK_STR(k->record, "v=DKIM1; k=rsa; p=AB\"C;D");
	CHECK_INT(k->line, 2);
	k = dkimkeys_find(ks, "ED._domainkey.example.org");
	CHECK(k != NULL);
	CHECK_STR(k->record, "v=DKIM1; k=ed25519; p=11qY");
	/* the SHA-256 of the joined record text */
	CHECK_STR(k->sha256, "e451b31fcb2ea18fc5c58fbf5d5973549afd5e184acd24471806f32d714e8973");
	dkimkeys_free(ks);
}

/* A NUL byte outside a quoted string (found by fuzz_dkimkeys: the token
 * never ended, the reader looped for ever; the alarm ends such a loop as a
 * failure): that record is refused, the next is read. */
TEST(keys_nul_byte)
{
	static const char text[] =
	    "a._domainkey.example.com. IN\0X TXT \"v=DKIM1; p=AA\"\n"
	    "b._domainkey.example.com. IN TXT \"v=DKIM1; p=BB\"\n";
	struct dkimkeys *ks = dkimkeys_new();

	nproblems = 0;
	alarm(10);
	CHECK_INT(dkimkeys_parse(ks, text, sizeof(text) - 1, on_problem, NULL), 1);
	alarm(0);
	CHECK_INT(nproblems, 1);
	CHECK_INT(problem_line, 1);
	CHECK_STR(dkimkeys_get(ks, 0)->name, "b._domainkey.example.com");
	CHECK_STR(dkimkeys_get(ks, 0)->record, "v=DKIM1; p=BB");
	dkimkeys_free(ks);
}

TEST(keys_zone_format)
{
	static const char text[] =
	    "$ORIGIN example.net.\n"
	    "$TTL 3600\n"
	    "mail._domainkey IN TXT ( \"v=DKIM1; k=rsa; \"   ; the first part\n"
	    "    \"p=MIIB\"\n"
	    "    \"IjAN\" )\n"
	    "                 TXT \"second record, same owner\"\n"
	    "@ IN TXT \"v=spf1 -all\"\n"
	    "broken IN TXT \"no end\n"
	    "abs.example.com. TXT unquoted\n";
	struct dkimkeys *ks = dkimkeys_new();
	const struct dkimkey *k;

	nproblems = 0;
	CHECK_INT(dkimkeys_parse(ks, text, strlen(text), on_problem, NULL), 4);
	CHECK_INT(nproblems, 1);
	CHECK_INT(problem_line, 8);
	k = dkimkeys_get(ks, 0);
	CHECK_STR(k->name, "mail._domainkey.example.net");
	CHECK_STR(k->record, "v=DKIM1; k=rsa; p=MIIBIjAN");
	CHECK_INT(k->line, 3);
	CHECK_STR(dkimkeys_get(ks, 1)->name, "mail._domainkey.example.net");
	CHECK_STR(dkimkeys_get(ks, 1)->record, "second record, same owner");
	CHECK_STR(dkimkeys_get(ks, 2)->name, "example.net");
	CHECK_STR(dkimkeys_get(ks, 3)->name, "abs.example.com");
	CHECK_STR(dkimkeys_get(ks, 3)->record, "unquoted");
	dkimkeys_free(ks);
}

TEST(tags_parse)
{
	static const char s[] = " v=1; a=rsa-sha256;\r\n\td=example.com ; h=From : To;\tb=ab cd\r\n ef; ";
	struct auth_tags *t = auth_tags_parse(s, strlen(s));
	char *b;

	CHECK(t->err == NULL);
	CHECK_INT(t->n, 5);
	CHECK_STR(auth_tags_get(t, "d"), "example.com");
	CHECK_STR(auth_tags_get(t, "h"), "From : To");
	b = auth_tags_squeeze(auth_tags_get(t, "b"));
	CHECK_STR(b, "abcdef");
	free(b);
	auth_tags_free(t);
	t = auth_tags_parse("a=1; a=2", 8);
	CHECK_STR(t->err, "a tag given twice");
	auth_tags_free(t);
	t = auth_tags_parse("a=1; 9x=2", 9);
	CHECK_STR(t->err, "a malformed tag name");
	auth_tags_free(t);
}

static const char plain_msg[] =
    "From: Ann <ann@example.com>\r\n"
    "To: bob@example.org\r\n"
    "Subject: the plan\r\n"
    "Date: Sun, 13 Sep 2020 12:26:40 +0000\r\n"
    "Message-ID: <m1@example.com>\r\n"
    "Reply-To: other@example.net\r\n"
    "\r\n"
    "Meet at noon.\r\n";

/* 2020-09-13T12:26:40Z, the messages' own time */
#define SIGN_T 1600000000

struct signed_fx {
	char *msg;
	struct dkimkeys *keys;
};

static void
sign_fx(struct signed_fx *fx, const char *type, const char *record_fmt, uint64_t ttl)
{
	char *p, *pem = dkimgen_key(type, &p), rec[4096];

	fx->msg = dkimgen_sign(plain_msg, pem, type, "sel", "example.com", SIGN_T, ttl);
	fx->keys = dkimkeys_new();
	snprintf(rec, sizeof(rec), record_fmt, type, p);
	(void)dkimkeys_add(fx->keys, "sel._domainkey.example.com.", rec, 1);
	free(pem);
	free(p);
}

static void
fx_free(struct signed_fx *fx)
{
	free(fx->msg);
	dkimkeys_free(fx->keys);
}

static struct dkimsig_result *
verify_at(const struct dkimkeys *keys, const char *msg, int64_t eval)
{
	struct dkimsig_verifier *v = dkimsig_verifier_new(keys);
	struct dkimsig_result *r = dkimsig_verify(v, msg, strlen(msg), eval);

	dkimsig_verifier_free(v);
	return r;
}

static void
replace(char *msg, const char *from, const char *to)
{
	char *p = strstr(msg, from);

	if (p != NULL && strlen(from) == strlen(to))
		memcpy(p, to, strlen(to));
}

TEST(rsa_results)
{
	struct signed_fx fx;
	struct dkimsig_result *r;
	char *copy;

	sign_fx(&fx, "rsa", "v=DKIM1; k=%s; p=%s", 86400);
	CHECK(fx.msg != NULL);
	r = verify_at(fx.keys, fx.msg, SIGN_T + 60);
	CHECK_INT(r->n, 1);
	CHECK_STR(dkimsig_code_name(r->sigs[0].code), "pass");
	CHECK_STR(r->sigs[0].domain, "example.com");
	CHECK_STR(r->sigs[0].selector, "sel");
	CHECK_STR(r->sigs[0].algorithm, "rsa-sha256");
	CHECK_STR(r->sigs[0].canon, "relaxed/simple");
	CHECK_STR(r->sigs[0].headers, "From:To:Subject:Date:Message-ID:Reply-To");
	CHECK_INT(r->sigs[0].t, SIGN_T);
	CHECK_INT(r->sigs[0].x, SIGN_T + 86400);
	CHECK_STR(dkimsig_bh_name(r->sigs[0].body), "match");
	CHECK(r->sigs[0].key == dkimkeys_get(fx.keys, 0));
	CHECK(r->sigs[0].unsigned_headers == NULL);
	dkimsig_result_free(r);

	/* the same message with LF line ends, as a mailbox file holds it */
	copy = strdup(fx.msg);
	{
		char *w = copy;
		for (const char *q = fx.msg; *q; q++)
			if (*q != '\r')
				*w++ = *q;
		*w = '\0';
	}
	r = verify_at(fx.keys, copy, SIGN_T + 60);
	CHECK_STR(dkimsig_code_name(r->sigs[0].code), "pass");
	dkimsig_result_free(r);
	free(copy);

	copy = strdup(fx.msg);
	replace(copy, "Meet at noon.", "Meet at nine.");
	r = verify_at(fx.keys, copy, SIGN_T + 60);
	CHECK_STR(dkimsig_code_name(r->sigs[0].code), "body-altered");
	CHECK_STR(dkimsig_bh_name(r->sigs[0].body), "mismatch");
	dkimsig_result_free(r);
	free(copy);

	copy = strdup(fx.msg);
	replace(copy, "Subject: the plan", "Subject: the play");
	r = verify_at(fx.keys, copy, SIGN_T + 60);
	CHECK_STR(dkimsig_code_name(r->sigs[0].code), "headers-altered");
	CHECK_STR(dkimsig_bh_name(r->sigs[0].body), "match");
	dkimsig_result_free(r);
	free(copy);

	/* no key: the body hash is still recomputed */
	copy = strdup(fx.msg);
	replace(copy, "Meet at noon.", "Meet at nine.");
	r = verify_at(NULL, copy, SIGN_T + 60);
	CHECK_STR(dkimsig_code_name(r->sigs[0].code), "no-key");
	CHECK_STR(dkimsig_bh_name(r->sigs[0].body), "mismatch");
	CHECK(r->sigs[0].key == NULL);
	dkimsig_result_free(r);
	free(copy);

	/* x= before the message's own time; one second before x= it passes */
	r = verify_at(fx.keys, fx.msg, SIGN_T + 86400 + 1);
	CHECK_STR(dkimsig_code_name(r->sigs[0].code), "expired");
	CHECK_STR(dkimsig_bh_name(r->sigs[0].body), "match");
	dkimsig_result_free(r);
	r = verify_at(fx.keys, fx.msg, SIGN_T + 86400 - 1);
	CHECK_STR(dkimsig_code_name(r->sigs[0].code), "pass");
	dkimsig_result_free(r);
	fx_free(&fx);
}

TEST(added_from_is_unsigned)
{
	struct signed_fx fx;
	struct dkimsig_result *r;
	char *two;

	sign_fx(&fx, "rsa", "v=DKIM1; k=%s; p=%s", 0);
	two = malloc(strlen(fx.msg) + 64);
	strcat(strcpy(two, "From: Mallory <m@evil.example>\r\nCc: eve@evil.example\r\n"), fx.msg);
	r = verify_at(fx.keys, two, SIGN_T);
	/* h= signs the bottom From only (RFC 6376 section 5.4.2): the signature
	 * holds, and the From a reader sees is the unsigned one */
	CHECK_STR(dkimsig_code_name(r->sigs[0].code), "pass");
	CHECK_STR(r->sigs[0].unsigned_headers, "from+1,cc");
	CHECK(!r->sigs[0].has_x);
	dkimsig_result_free(r);
	free(two);
	fx_free(&fx);
}

TEST(revoked_and_invalid_keys)
{
	struct signed_fx fx;
	struct dkimsig_result *r;

	sign_fx(&fx, "rsa", "v=DKIM1; k=%s; p=", 0);
	r = verify_at(fx.keys, fx.msg, SIGN_T);
	CHECK_STR(dkimsig_code_name(r->sigs[0].code), "key-revoked");
	CHECK(r->sigs[0].key == dkimkeys_get(fx.keys, 0));
	dkimsig_result_free(r);
	fx_free(&fx);
	sign_fx(&fx, "rsa", "v=DKIM1; k=%s; p=QUJD%.0s", 0);
	r = verify_at(fx.keys, fx.msg, SIGN_T);
	CHECK_STR(dkimsig_code_name(r->sigs[0].code), "key-invalid");
	dkimsig_result_free(r);
	fx_free(&fx);
}

TEST(ed25519_results)
{
	struct signed_fx fx;
	struct dkimsig_result *r;

	sign_fx(&fx, "ed25519", "v=DKIM1; k=%s; p=%s", 0);
	CHECK(fx.msg != NULL);
	r = verify_at(fx.keys, fx.msg, SIGN_T);
	CHECK_STR(r->sigs[0].algorithm, "ed25519-sha256");
	CHECK_STR(dkimsig_code_name(r->sigs[0].code), "pass");
	dkimsig_result_free(r);
	replace(fx.msg, "To: bob@", "To: rob@");
	r = verify_at(fx.keys, fx.msg, SIGN_T);
	CHECK_STR(dkimsig_code_name(r->sigs[0].code), "headers-altered");
	dkimsig_result_free(r);
	fx_free(&fx);
}

TEST(malformed_and_unsupported)
{
	static const char bad[] =
	    "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=AAAA; b=AAAA; b=BBBB\r\n"
	    "DKIM-Signature: v=1; a=rsa-md5; c=relaxed; d=example.com; s=sel; h=From;\r\n"
	    "  bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=; b=Q0FGRQ==\r\n"
	    "From: a@example.com\r\n\r\nbody\r\n";
	struct dkimsig_result *r = verify_at(NULL, bad, SIGN_T);

	CHECK_INT(r->n, 2);
	CHECK_STR(dkimsig_code_name(r->sigs[0].code), "malformed");
	CHECK_STR(r->sigs[0].lib_error, "a tag given twice");
	CHECK_STR(dkimsig_code_name(r->sigs[1].code), "unsupported-algorithm");
	CHECK_STR(r->sigs[1].canon, "relaxed/simple");
	CHECK_INT(r->sigs[1].field_no, 2);
	dkimsig_result_free(r);
}

/* RFC 8463 Appendix A: the published keys (A.2) and signed message (A.3),
 * typed in from the RFC; both of its signatures verify. */
static const char rfc8463_msg[] =
    "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n"
    " d=football.example.com; i=@football.example.com;\r\n"
    " q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n"
    " subject : date : message-id : from : subject : date;\r\n"
    " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
    " b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus\r\n"
    " Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==\r\n"
    "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n"
    " d=football.example.com; i=@football.example.com;\r\n"
    " q=dns/txt; s=test; t=1528637909; h=from : to : subject :\r\n"
    " date : message-id : from : subject : date;\r\n"
    " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
    " b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3\r\n"
    " DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz\r\n"
    " dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=\r\n"
    "From: Joe SixPack <joe@football.example.com>\r\n"
    "To: Suzie Q <suzie@shopping.example.net>\r\n"
    "Subject: Is dinner ready?\r\n"
    "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
    "Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n"
    "\r\n"
    "Hi.\r\n"
    "\r\n"
    "We lost the game.  Are you hungry yet?\r\n"
    "\r\n"
    "Joe.\r\n";

const char rfc8463_keys[] =
    "brisbane._domainkey.football.example.com. IN TXT (\n"
    "  \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\")\n"
    "test._domainkey.football.example.com. IN TXT (\n"
    "  \"v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR\"\n"
    "  \"iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutAC\"\n"
    "  \"DfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3\"\n"
    "  \"Ip3G+2kryOTIKT+l/K4w3QIDAQAB\")\n";

TEST(rfc8463_example)
{
	struct dkimkeys *ks = dkimkeys_new();
	struct dkimsig_result *r;

	CHECK_INT(dkimkeys_parse(ks, rfc8463_keys, strlen(rfc8463_keys), NULL, NULL), 2);
	r = verify_at(ks, rfc8463_msg, 1528637909);
	CHECK_INT(r->n, 2);
	CHECK_STR(r->sigs[0].algorithm, "ed25519-sha256");
	CHECK_STR(r->sigs[0].selector, "brisbane");
	CHECK_STR(dkimsig_code_name(r->sigs[0].code), "pass");
	CHECK_STR(r->sigs[0].bh_computed, "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
	CHECK_STR(dkimsig_code_name(r->sigs[1].code), "pass");
	CHECK(r->sigs[0].unsigned_headers == NULL);
	dkimsig_result_free(r);
	dkimkeys_free(ks);
}

/* libopendkim 2.11 leaks the EVP_PKEY of a signing key it loads
 * (dkim_privkey_load, called from dkim_eom of a signing handle); only the
 * test signer signs, the verifier never loads a private key. Under
 * --enable-sanitize, LeakSanitizer reads these hooks: the leak is
 * suppressed by that function's name, which needs full stack unwinding
 * (the fast unwinder stops inside libcrypto). */
const char *__lsan_default_suppressions(void);
const char *__asan_default_options(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:dkim_privkey_load\n";
}
const char *
__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

int
main(void)
{
	RUN(keys_dig_format);
	RUN(keys_zone_format);
	RUN(keys_nul_byte);
	RUN(tags_parse);
	RUN(rsa_results);
	RUN(added_from_is_unsigned);
	RUN(revoked_and_invalid_keys);
	RUN(ed25519_results);
	RUN(malformed_and_unsupported);
	RUN(rfc8463_example);
	return check_done();
}
