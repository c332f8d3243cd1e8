/* Unit tests of auth/authres.c: Authentication-Results as RFC 8601's
 * appendix and the large receivers write it, ARC-Authentication-Results,
 * Received-SPF as RFC 7208 section 9.1 shows it, and malformed fields. */
#include "check.h"
#include "auth/authres.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool
parse(enum authres_field f, const char *s, struct authres *a)
{
	/* an exact-size copy: a read past the end shows under ASan */
	size_t len = strlen(s);
	char *copy = malloc(len ? len : 1);
	bool ok;

	memcpy(copy, s, len);
	ok = authres_parse(f, copy, len, a);
	free(copy);
	return ok;
}

/* A receiver's field as one line after unfolding. */
TEST(large_receiver)
{
	struct authres a;

	CHECK(parse(AUTHRES_AR, " mx.google.com;       dkim=pass header.i=@example.com header.s=s1"
	    " header.b=AbCd;       spf=pass (google.com: domain of a@example.com designates 192.0.2.1"
	    " as permitted sender) smtp.mailfrom=a@example.com;       dmarc=pass (p=NONE sp=NONE"
	    " dis=NONE) header.from=example.com", &a));
	CHECK(a.err == NULL);
	CHECK_STR(a.authserv_id, "mx.google.com");
	CHECK_INT(a.n, 3);
	CHECK_STR(a.m[0].method, "dkim");
	CHECK_STR(a.m[0].result, "pass");
	CHECK_STR(a.m[0].props, "header.i=@example.com header.s=s1 header.b=AbCd");
	CHECK(a.m[0].reason == NULL);
	CHECK_STR(a.m[1].method, "spf");
	CHECK_STR(a.m[1].reason, "google.com: domain of a@example.com designates 192.0.2.1 as permitted sender");
	CHECK_STR(a.m[1].props, "smtp.mailfrom=a@example.com");
	CHECK_STR(a.m[2].method, "dmarc");
	CHECK_STR(a.m[2].reason, "p=NONE sp=NONE dis=NONE");
	CHECK_STR(a.m[2].props, "header.from=example.com");
	CHECK(!a.none && !a.capped && a.instance == 0);
	authres_clear(&a);
}

/* RFC 8601 appendix B. */
TEST(rfc8601_examples)
{
	struct authres a;

	CHECK(parse(AUTHRES_AR, " example.org 1; none", &a));
	CHECK_STR(a.authserv_id, "example.org");
	CHECK(a.none);
	CHECK_INT(a.n, 0);
	authres_clear(&a);
	CHECK(parse(AUTHRES_AR, " example.com; auth=pass (cram-md5) smtp.auth=sender@example.net;"
	    " spf=pass smtp.mailfrom=example.net", &a));
	CHECK_INT(a.n, 2);
	CHECK_STR(a.m[0].method, "auth");
	CHECK_STR(a.m[0].reason, "cram-md5");
	CHECK_STR(a.m[0].props, "smtp.auth=sender@example.net");
	CHECK_STR(a.m[1].props, "smtp.mailfrom=example.net");
	authres_clear(&a);
	CHECK(parse(AUTHRES_AR, " example.com; sender-id=fail header.from=example.com;"
	    " dkim=pass (good signature) header.d=example.com", &a));
	CHECK_INT(a.n, 2);
	CHECK_STR(a.m[0].method, "sender-id");
	CHECK_STR(a.m[0].result, "fail");
	CHECK_STR(a.m[1].reason, "good signature");
	CHECK_STR(a.m[1].props, "header.d=example.com");
	authres_clear(&a);
	/* reason= as a quoted-string, a method version, upper case */
	CHECK(parse(AUTHRES_AR, "\"mail.example.org\"; DKIM/1=FAIL reason=\"signature has \\\"expired\\\"\""
	    " header.d=example.com", &a));
	CHECK_STR(a.authserv_id, "mail.example.org");
	CHECK_STR(a.m[0].method, "dkim");
	CHECK_STR(a.m[0].result, "fail");
	CHECK_STR(a.m[0].reason, "signature has \"expired\"");
	authres_clear(&a);
	CHECK_STR(authres_field_name(AUTHRES_AR), "authentication-results");
}

TEST(arc_authentication_results)
{
	struct authres a;

	CHECK(parse(AUTHRES_ARC_AR, " i=1; mx.microsoft.com 1; spf=pass smtp.mailfrom=example.org;"
	    " dmarc=pass action=none header.from=example.org; dkim=pass header.d=example.org; arc=none",
	    &a));
	CHECK(a.err == NULL);
	CHECK_INT(a.instance, 1);
	CHECK_STR(a.authserv_id, "mx.microsoft.com");
	CHECK_INT(a.n, 4);
	CHECK_STR(a.m[1].props, "action=none header.from=example.org");
	CHECK_STR(a.m[3].method, "arc");
	CHECK_STR(a.m[3].result, "none");
	authres_clear(&a);
	CHECK(!parse(AUTHRES_ARC_AR, " mx.microsoft.com; spf=pass", &a));
	CHECK_STR(a.err, "no instance tag i=");
	authres_clear(&a);
	CHECK_STR(authres_field_name(AUTHRES_ARC_AR), "arc-authentication-results");
}

/* RFC 7208 section 9.1's examples, and the common form without receiver=. */
TEST(received_spf)
{
	struct authres a;

	CHECK(parse(AUTHRES_SPF, " pass (mybox.example.org: domain of myname@example.com designates"
	    " 192.0.2.1 as permitted sender) receiver=mybox.example.org; client-ip=192.0.2.1;"
	    " envelope-from=\"myname@example.com\"; helo=foo.example.com;", &a));
	CHECK(a.err == NULL);
	CHECK_STR(a.authserv_id, "mybox.example.org");
	CHECK_INT(a.n, 1);
	CHECK_STR(a.m[0].method, "spf");
	CHECK_STR(a.m[0].result, "pass");
	CHECK_STR(a.m[0].props, "client-ip=192.0.2.1 envelope-from=myname@example.com helo=foo.example.com");
	authres_clear(&a);
	CHECK(parse(AUTHRES_SPF, " SoftFail (Google.com: domain of transitioning a@example.com does not"
	    " designate 198.51.100.7 as permitted sender) client-ip=198.51.100.7;", &a));
	CHECK_STR(a.authserv_id, "google.com");
	CHECK_STR(a.m[0].result, "softfail");
	CHECK_STR(a.m[0].props, "client-ip=198.51.100.7");
	authres_clear(&a);
	/* a comment that names no host: no authserv-id */
	CHECK(parse(AUTHRES_SPF, " none (no SPF record) client-ip=192.0.2.9", &a));
	CHECK(a.authserv_id == NULL);
	CHECK_STR(a.m[0].reason, "no SPF record");
	authres_clear(&a);
	CHECK_STR(authres_field_name(AUTHRES_SPF), "received-spf");
}

TEST(malformed_and_cut)
{
	static const char full[] = "mx.example.net; dkim=pass (a (nested) comment) header.d=example.com;"
	    " spf=fail smtp.mailfrom=\"x@example.com\"";
	struct authres a;
	char big[AUTHRES_METHODS_MAX * 12 + 64];
	size_t k = 0;

	CHECK(!parse(AUTHRES_AR, " ;;;", &a));
	CHECK_STR(a.err, "no authserv-id");
	authres_clear(&a);
	CHECK(parse(AUTHRES_AR, "example.com; dkim", &a));
	CHECK_STR(a.err, "a result without method=result");
	CHECK_INT(a.n, 0);
	authres_clear(&a);
	CHECK(parse(AUTHRES_AR, "example.com; spf=pass (unterminated", &a));
	CHECK(a.err != NULL);
	CHECK_INT(a.n, 1);
	CHECK_STR(a.m[0].result, "pass");
	authres_clear(&a);
	CHECK(parse(AUTHRES_AR, full, &a));
	CHECK(a.err == NULL);
	CHECK_INT(a.n, 2);
	CHECK_STR(a.m[0].reason, "a (nested) comment");
	CHECK_STR(a.m[1].props, "smtp.mailfrom=x@example.com");
	authres_clear(&a);
	/* every prefix: no crash, no read past the end */
	for (size_t n = 0; n <= strlen(full); n++) {
		(void)authres_parse(AUTHRES_AR, full, n, &a);
		authres_clear(&a);
		(void)authres_parse(AUTHRES_SPF, full, n, &a);
		authres_clear(&a);
	}
	/* more results than the ceiling: the first are kept, the cap said */
	k += (size_t)snprintf(big + k, sizeof(big) - k, "x.example");
	for (int i = 0; i < AUTHRES_METHODS_MAX + 4; i++)
		k += (size_t)snprintf(big + k, sizeof(big) - k, "; m%d=pass", i % 10);
	CHECK(parse(AUTHRES_AR, big, &a));
	CHECK_INT(a.n, AUTHRES_METHODS_MAX);
	CHECK(a.capped);
	authres_clear(&a);
	CHECK(!authres_parse(AUTHRES_AR, NULL, 0, &a));
	authres_clear(&a);
}

int
main(void)
{
	RUN(large_receiver);
	RUN(rfc8601_examples);
	RUN(arc_authentication_results);
	RUN(received_spf);
	RUN(malformed_and_cut);
	return check_done();
}
