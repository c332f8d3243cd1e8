/* dkim.c - DKIM-Signature fields verified with libopendkim, keys from the
 * examiner's set, time judged against the message's own (RFC 6376). */
#include "auth/dkim.h"
#include "auth/dkimkeys.h"
#include "auth/fields.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <dkim.h>
#include <openssl/evp.h>

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct dkimsig_verifier {
	DKIM_LIB *lib;
	const struct dkimkeys *keys;
};

/* RFC 6376 section 5.4.1 lists the fields a signer should sign; Message-ID,
 * Sender and the MIME fields are added because changing them changes what
 * a reader sees. A field of this list present but unsigned is a finding. */
static const char *const dkimsig_should_sign[] = {
	"from", "sender", "reply-to", "subject", "date", "message-id", "to", "cc",
	"mime-version", "content-type", "content-transfer-encoding", "resent-date",
	"resent-from", "resent-to", "resent-cc", "in-reply-to", "references", "list-id",
	"list-help", "list-unsubscribe", "list-subscribe", "list-post", "list-owner",
	"list-archive",
};

const char *
dkimsig_code_name(enum dkimsig_code c)
{
	static const char *const names[] = {
		"pass", "body-altered", "headers-altered", "no-key", "key-revoked", "key-invalid",
		"expired", "unsupported-algorithm", "malformed",
	};

	return (size_t)c < sizeof(names) / sizeof(names[0]) ? names[c] : "malformed";
}

const char *
dkimsig_bh_name(enum dkimsig_bh b)
{
	return b == DKIMSIG_BH_MATCH ? "match" : b == DKIMSIG_BH_MISMATCH ? "mismatch" : "untested";
}

/* The key record for the signature's s=._domainkey.d= (RFC 6376 section
 * 3.6.2.1), from the set; libopendkim parses it as it would a DNS answer. */
static const struct dkimkey *
dkimsig_key_for(const struct dkimkeys *keys, const char *selector, const char *domain)
{
	char *name;
	const struct dkimkey *k;

	if (keys == NULL || selector == NULL || domain == NULL)
		return NULL;
	name = xasprintf("%s._domainkey.%s", selector, domain);
	k = dkimkeys_find(keys, name);
	free(name);
	return k;
}

static DKIM_CBSTAT
dkimsig_lookup(DKIM *d, DKIM_SIGINFO *sig, unsigned char *buf, size_t buflen)
{
	const struct dkimsig_verifier *v = dkim_get_user_context(d);
	const struct dkimkey *k = dkimsig_key_for(v->keys, (const char *)dkim_sig_getselector(sig),
	    (const char *)dkim_sig_getdomain(sig));
	size_t n;

	if (k == NULL)
		return DKIM_CBSTAT_NOTFOUND;
	n = strlen(k->record);
	if (n >= buflen)
		return DKIM_CBSTAT_ERROR;
	memcpy(buf, k->record, n + 1);
	return DKIM_CBSTAT_CONTINUE;
}

struct dkimsig_verifier *
dkimsig_verifier_new(const struct dkimkeys *keys)
{
	struct dkimsig_verifier *v;
	DKIM_LIB *lib = dkim_init(NULL, NULL);
	
	if (lib == NULL)
		return NULL;
	(void)dkim_set_key_lookup(lib, dkimsig_lookup);
	v = xcalloc(1, sizeof(*v));
	v->lib = lib;
	v->keys = keys;
	return v;
}

void
dkimsig_verifier_free(struct dkimsig_verifier *v)
{
	if (v == NULL)
		return;
	dkim_close(v->lib);
	free(v);
}

void
dkimsig_result_free(struct dkimsig_result *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		struct dkimsig *s = &r->sigs[i];

		free(s->domain); free(s->selector); free(s->algorithm); free(s->canon);
		free(s->headers); free(s->identity); free(s->bh_computed); free(s->unsigned_headers);
	}
	free(r->sigs);
	free(r);
}

static bool
dkimsig_num(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || !isdigit((unsigned char)*s))
		return false;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v < 0)
		return false;
	*out = v;
	return true;
}

static char *
dkimsig_dup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* How many times h= names field (RFC 6376 section 5.4.2: each name signs
 * one instance, from the bottom). */
static size_t
dkimsig_h_count(const char *h, const char *field)
{
	size_t n = 0, flen = strlen(field);

	while (h != NULL && *h) {
		const char *c = strchr(h, ':');
		size_t len = c ? (size_t)(c - h) : strlen(h);
		const char *a = h, *b = h + len;

		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		n += (size_t)(b - a) == flen && strncasecmp(a, field, flen) == 0;
		h = c ? c + 1 : NULL;
	}
	return n;
}

/* Fields of the should-sign list present in the message but not signed
 * ("subject"), or present more often than signed ("from+1"); NULL: none. */
static char *
dkimsig_unsigned(const struct auth_fields *f, const char *h)
{
	struct buf b;
	bool ok = true;

	buf_init(&b, BUF_UNLIMITED);
	for (size_t i = 0; i < sizeof(dkimsig_should_sign) / sizeof(dkimsig_should_sign[0]); i++) {
		size_t have = auth_fields_count(f, dkimsig_should_sign[i]);
		size_t sig = dkimsig_h_count(h, dkimsig_should_sign[i]);

		if (have == 0 || sig >= have)
			continue;
		if (b.len)
			ok &= buf_addc(&b, ',');
		ok &= sig == 0 ? buf_adds(&b, dkimsig_should_sign[i]) :
		    buf_printf(&b, "%s+%zu", dkimsig_should_sign[i], have - sig);
	}
	if (!ok || b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* The record of one signature field as written; code MALFORMED until the
 * library's verdict is read. */
static void
dkimsig_sig_fill(struct dkimsig *s, size_t no, const struct auth_tags *t,
    const struct auth_fields *f)
{
	const char *c = auth_tags_get(t, "c");

	memset(s, 0, sizeof(*s));
	s->field_no = no;
	s->domain = dkimsig_dup(auth_tags_get(t, "d"));
	s->selector = dkimsig_dup(auth_tags_get(t, "s"));
	s->algorithm = dkimsig_dup(auth_tags_get(t, "a"));
	/* RFC 6376 section 3.5: c= defaults to simple/simple, a lone
	 * header algorithm to that with simple for the body. */
	s->canon = c == NULL ? xstrdup("simple/simple") :
	    strchr(c, '/') ? xstrdup(c) : xasprintf("%s/simple", c);
	s->headers = dkimsig_dup(auth_tags_get(t, "h"));
	s->identity = dkimsig_dup(auth_tags_get(t, "i"));
	s->has_t = dkimsig_num(auth_tags_get(t, "t"), &s->t);
	s->has_x = dkimsig_num(auth_tags_get(t, "x"), &s->x);
	s->has_l = dkimsig_num(auth_tags_get(t, "l"), &s->l);
	s->code = DKIMSIG_MALFORMED;
	s->lib_error = t->err;
	if (s->headers != NULL)
		s->unsigned_headers = dkimsig_unsigned(f, s->headers);
}

/* libopendkim's error for a signature, as one of our codes. */
static enum dkimsig_code
dkimsig_code_of(int err)
{
	switch (err) {
	case DKIM_SIGERROR_BADSIG:
		return DKIMSIG_HEADERS_ALTERED;
	case DKIM_SIGERROR_NOKEY:
	case DKIM_SIGERROR_KEYFAIL:
		return DKIMSIG_NO_KEY;
	case DKIM_SIGERROR_KEYREVOKED:
		return DKIMSIG_KEY_REVOKED;
	case DKIM_SIGERROR_INVALID_A:
	case DKIM_SIGERROR_KEYTYPEUNKNOWN:
	case DKIM_SIGERROR_KEYUNKNOWNHASH:
		return DKIMSIG_UNSUPPORTED_ALG;
	case DKIM_SIGERROR_KEYDECODE:
	case DKIM_SIGERROR_KEYVERSION:
	case DKIM_SIGERROR_NOTEMAILKEY:
	case DKIM_SIGERROR_KEYTYPEMISSING:
	case DKIM_SIGERROR_KEYTOOSMALL:
	case DKIM_SIGERROR_KEYHASHMISMATCH:
	case DKIM_SIGERROR_DNSSYNTAX:
	case DKIM_SIGERROR_MULTIREPLY:
		return DKIMSIG_KEY_INVALID;
	case DKIM_SIGERROR_TOOLARGE_L:
		return DKIMSIG_BODY_ALTERED;   /* l= is longer than the body: it was cut */
	case DKIM_SIGERROR_EXPIRED:
		return DKIMSIG_EXPIRED;
	default:
		return DKIMSIG_MALFORMED;
	}
}

/* The body hash libopendkim computed, compared with bh=. Only a signature
 * libopendkim processed has one (asking for another's aborts in
 * dkim_canon_getfinal). */
static void
dkimsig_sig_body(struct dkimsig *s, DKIM_SIGINFO *si)
{
	void *hh, *bh;
	size_t hhlen, bhlen;
	const unsigned char *tag = dkim_sig_gettagvalue(si, 0, (unsigned char *)"bh");
	unsigned char b64[256];
	char *want;

	if ((dkim_sig_getflags(si) & DKIM_SIGFLAG_PROCESSED) == 0 ||
	    dkim_sig_gethashes(si, &hh, &hhlen, &bh, &bhlen) != DKIM_STAT_OK ||
	    bhlen == 0 || bhlen > 64 || tag == NULL)
		return;
	EVP_EncodeBlock(b64, bh, (int)bhlen);
	s->bh_computed = xstrdup((const char *)b64);
	want = auth_tags_squeeze((const char *)tag);
	s->body = strcmp(want, s->bh_computed) == 0 ? DKIMSIG_BH_MATCH : DKIMSIG_BH_MISMATCH;
	free(want);
}

/* The verdict on one signature libopendkim read (si), then x= against the
 * time of evaluation (RFC 6376 section 3.5). */
static void
dkimsig_sig_judge(struct dkimsig *s, DKIM_SIGINFO *si, const struct dkimkeys *keys,
    int64_t eval_s)
{
	unsigned int flags = dkim_sig_getflags(si);
	int err = dkim_sig_geterror(si);

	dkimsig_sig_body(s, si);
	s->key = dkimsig_key_for(keys, s->selector, s->domain);
	if ((flags & DKIM_SIGFLAG_PASSED) != 0 && s->body != DKIMSIG_BH_UNTESTED)
		s->code = s->body == DKIMSIG_BH_MATCH ? DKIMSIG_PASS : DKIMSIG_BODY_ALTERED;
	else
		s->code = dkimsig_code_of(err);
	/* libopendkim's sentence where it adds to the code: not for a missing
	 * key ("not found in DNS": no DNS is asked) or a header signature that
	 * verified over a changed body */
	if (s->code != DKIMSIG_PASS && s->code != DKIMSIG_NO_KEY &&
	    (flags & DKIM_SIGFLAG_PASSED) == 0)
		s->lib_error = dkim_sig_geterrorstr(err);
	if (s->code == DKIMSIG_NO_KEY)
		s->key = NULL;
	if (s->code != DKIMSIG_MALFORMED && s->code != DKIMSIG_UNSUPPORTED_ALG && s->has_x &&
	    eval_s > 0 && s->x < eval_s)
		s->code = DKIMSIG_EXPIRED;
}

/* libopendkim judges t= and x= by time(): with a clock drift of one second
 * less than the earliest t= nothing is expired or in the future by its clock,
 * and x= is judged here against the message's own time instead. */
static void
dkimsig_lib_clock(DKIM_LIB *lib, const struct dkimsig_result *r)
{
	uint64_t drift = (uint64_t)time(NULL);

	for (size_t i = 0; i < r->n; i++)
		if (r->sigs[i].has_t && (uint64_t)r->sigs[i].t <= drift)
			drift = r->sigs[i].t > 0 ? (uint64_t)r->sigs[i].t - 1 : 0;
	(void)dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_CLOCKDRIFT, &drift, sizeof(drift));
}

/* Our record of the signature the library read: the first unused one, in
 * field order, whose d= and s= are the library's and whose b= begins with
 * the library's b= (libopendkim 2.11 keeps a cut copy of long values). The
 * library leaves out fields it cannot read, so order alone is not enough. */
static bool
dkimsig_same(const char *ours, const unsigned char *lib)
{
	return ours != NULL && lib != NULL && strcasecmp(ours, (const char *)lib) == 0;
}

static struct dkimsig *
dkimsig_match(struct dkimsig_result *r, char **bvals, DKIM_SIGINFO *si, bool *used)
{
	const unsigned char *b = dkim_sig_gettagvalue(si, 0, (unsigned char *)"b");
	char *sq;
	struct dkimsig *found = NULL;

	if (b == NULL)
		return NULL;
	sq = auth_tags_squeeze((const char *)b);
	for (size_t i = 0; i < r->n && found == NULL; i++)
		if (!used[i] && bvals[i] != NULL && *sq != '\0' &&
		    strncmp(bvals[i], sq, strlen(sq)) == 0 &&
		    dkimsig_same(r->sigs[i].domain, dkim_sig_getdomain(si)) &&
		    dkimsig_same(r->sigs[i].selector, dkim_sig_getselector(si))) {
			used[i] = true;
			found = &r->sigs[i];
		}
	free(sq);
	return found;
}

/* The message in its canonical CRLF form (RFC 5322 section 2.1; mailbox
 * files end lines in LF). libopendkim's own DKIM_LIBFLAGS_FIXCRLF breaks
 * signatures over CRLF input in 2.11, so bare LFs are completed here. */
static void
dkimsig_feed(DKIM *d, const void *raw, size_t len)
{
	const unsigned char *p = raw;
	size_t start = 0;

	for (size_t i = 0; i < len; i++) {
		if (p[i] != '\n' || (i > 0 && p[i - 1] == '\r'))
			continue;
		if (i > start)    /* a chunk of length 0 would end the message */
			(void)dkim_chunk(d, (unsigned char *)p + start, i - start);
		(void)dkim_chunk(d, (unsigned char *)"\r\n", 2);
		start = i + 1;
	}
	if (len > start)
		(void)dkim_chunk(d, (unsigned char *)p + start, len - start);
	(void)dkim_chunk(d, NULL, 0);
}

static void
dkimsig_run_lib(struct dkimsig_verifier *v, struct dkimsig_result *r, char **bvals, const void *raw,
    size_t len, int64_t eval_s)
{
	DKIM_STAT st;
	DKIM *d;
	DKIM_SIGINFO **sigs = NULL;
	int nsigs = 0;
	bool *used;

	dkimsig_lib_clock(v->lib, r);
	d = dkim_verify(v->lib, (const unsigned char *)"mailcase", NULL, &st);
	if (d == NULL)
		return;
	(void)dkim_set_user_context(d, v);
	dkimsig_feed(d, raw, len);
	(void)dkim_eom(d, NULL);
	used = xcalloc(r->n ? r->n : 1, sizeof(*used));
	if (dkim_getsiglist(d, &sigs, &nsigs) == DKIM_STAT_OK)
		for (int i = 0; i < nsigs; i++) {
			struct dkimsig *s = dkimsig_match(r, bvals, sigs[i], used);

			if (s != NULL)
				dkimsig_sig_judge(s, sigs[i], v->keys, eval_s);
		}
	for (size_t i = 0; i < r->n; i++)
		if (!used[i] && r->sigs[i].lib_error == NULL)
			r->sigs[i].lib_error = "libopendkim did not accept the signature field";
	free(used);
	(void)dkim_free(d);
}

struct dkimsig_result *
dkimsig_verify(struct dkimsig_verifier *v, const void *raw, size_t len, int64_t eval_s)
{
	struct dkimsig_result *r = xcalloc(1, sizeof(*r));
	struct auth_fields *f = auth_fields_read(raw, len);
	size_t nsig = auth_fields_count(f, "DKIM-Signature"), k = 0;
	char **bvals;

	r->fields_capped = f->capped;
	if (nsig == 0) {
		auth_fields_free(f);
		return r;
	}
	r->sigs = xcalloc(nsig, sizeof(*r->sigs));
	bvals = xcalloc(nsig, sizeof(*bvals));
	for (size_t i = 0; i < f->n; i++) {
		struct auth_tags *t;
		const char *b;

		if (strcasecmp(f->v[i].name, "DKIM-Signature") != 0)
			continue;
		t = auth_tags_parse(f->v[i].value, strlen(f->v[i].value));
		dkimsig_sig_fill(&r->sigs[k], k + 1, t, f);
		b = auth_tags_get(t, "b");
		bvals[k++] = b ? auth_tags_squeeze(b) : NULL;
		auth_tags_free(t);
	}
	r->n = k;
	if (v != NULL)
		dkimsig_run_lib(v, r, bvals, raw, len, eval_s);
	for (size_t i = 0; i < k; i++)
		free(bvals[i]);
	free(bvals);
	auth_fields_free(f);
	return r;
}
