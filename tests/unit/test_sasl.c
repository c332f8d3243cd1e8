/* Tests of SASL decoding (src/mail/sasl.c) with the RFCs' own examples. */
#include "check.h"
#include "mail/sasl.h"
#include "util/text.h"

#include <stdlib.h>
#include <string.h>

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
	CHECK(a.secret_kind == NULL);
	sasl_auth_response(&a, "%%%", 3);
	CHECK(a.bad_base64);
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
	return check_done();
}
