/* dkimsign - DKIM fixtures for tests/cli/auth.sh: `dkimsign DIR`.
 *
 * Makes an RSA 2048 and an Ed25519 key (libcrypto), signs messages with
 * libopendkim's signer (tests/lib/dkimgen.h) and writes into DIR:
 *   keys.txt        the public keys as `dig +noall +answer TXT` prints them
 *                   (selectors rsa and ed, and "gone" with an empty p=)
 *   rsa.record, ed.record, gone.record   each key record's joined text
 *   pass-rsa.eml pass-ed.eml body.eml headers.eml nokey.eml revoked.eml
 *   expired.eml     one message per result, its Subject naming it
 * Keys are new on every run, so tests compare codes and the records'
 * SHA-256, not signature bytes. */
#include "dkimgen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIGN_T 1600000000ULL    /* 2020-09-13T12:26:40Z */

static void
put(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "wb")) == NULL || fputs(text, fp) < 0 || fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
}

static char *
msg(const char *subject)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf),
	    "From: Ann <ann@example.com>\r\nTo: bob@example.org\r\nSubject: %s\r\n"
	    "Date: Sun, 13 Sep 2020 12:26:40 +0000\r\nMessage-ID: <%s@example.com>\r\n\r\n"
	    "Meet at noon.\r\n", subject, subject);
	return buf;
}

static char *
sign(const char *subject, const char *pem, const char *type, const char *sel, uint64_t ttl)
{
	char *s = dkimgen_sign(msg(subject), pem, type, sel, "example.com", SIGN_T, ttl);

	if (s == NULL) {
		fprintf(stderr, "dkimsign: libopendkim refused to sign\n");
		exit(1);
	}
	return s;
}

static void
edit(char *s, const char *from, const char *to)
{
	char *p = strstr(s, from);

	if (p == NULL || strlen(from) != strlen(to))
		exit(1);
	memcpy(p, to, strlen(to));
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
main(int argc, char **argv)
{
	char *prsa, *ped, *rsa, *ed, *s, rec[4096], keys[16384], *e;

	if (argc != 2) {
		fprintf(stderr, "usage: dkimsign DIR\n");
		return 2;
	}
	rsa = dkimgen_key("rsa", &prsa);
	ed = dkimgen_key("ed25519", &ped);
	/* dig splits a long TXT record into strings of at most 255 bytes */
	snprintf(keys, sizeof(keys),
	    "rsa._domainkey.example.com. 300 IN TXT \"v=DKIM1; k=rsa; \" \"p=%.200s\" \"%s\"\n"
	    "ed._domainkey.example.com. 300 IN TXT \"v=DKIM1; k=ed25519; p=%s\"\n"
	    "gone._domainkey.example.com. 300 IN TXT \"v=DKIM1; k=rsa; p=\"\n",
	    prsa, strlen(prsa) > 200 ? prsa + 200 : "", ped);
	put(argv[1], "keys.txt", keys);
	snprintf(rec, sizeof(rec), "v=DKIM1; k=rsa; p=%s", prsa);
	put(argv[1], "rsa.record", rec);
	snprintf(rec, sizeof(rec), "v=DKIM1; k=ed25519; p=%s", ped);
	put(argv[1], "ed.record", rec);
	put(argv[1], "gone.record", "v=DKIM1; k=rsa; p=");

	put(argv[1], "pass-rsa.eml", s = sign("pass-rsa", rsa, "rsa", "rsa", 86400)); free(s);
	put(argv[1], "pass-ed.eml", s = sign("pass-ed", ed, "ed25519", "ed", 0)); free(s);
	s = sign("body", rsa, "rsa", "rsa", 0);
	edit(s, "Meet at noon.", "Meet at nine.");
	put(argv[1], "body.eml", s); free(s);
	s = sign("headers", rsa, "rsa", "rsa", 0);
	edit(s, "To: bob@", "To: rob@");
	put(argv[1], "headers.eml", s); free(s);
	put(argv[1], "nokey.eml", s = sign("nokey", rsa, "rsa", "absent", 0)); free(s);
	put(argv[1], "revoked.eml", s = sign("revoked", rsa, "rsa", "gone", 0)); free(s);
	/* delivered two hours after signing, one hour after x= */
	s = sign("expired", rsa, "rsa", "rsa", 3600);
	e = malloc(strlen(s) + 256);
	strcat(strcpy(e, "Received: from mail.example.com (mail.example.com [192.0.2.1]) by"
	    " mx.example.org with ESMTP id 1; Sun, 13 Sep 2020 14:26:40 +0000\r\n"), s);
	put(argv[1], "expired.eml", e);
	free(e); free(s);
	free(rsa); free(ed); free(prsa); free(ped);
	return 0;
}
