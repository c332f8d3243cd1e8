/* Unit tests of mail/message.c: messages written by the tests (every
 * transfer encoding, nested messages, broken MIME, lying charsets, hostile
 * file names, ceilings) analysed into a fresh case; rows compared exactly.
 * With the corpus: spam-2007.eml's Korean names, evidence02's messages and
 * docx through the capture and SMTP stages, and Zeek's extracted files. */
#include "check.h"
#include "mail_fixture.h"
#include "mail/htmltext.h"
#include "mail/message.h"
#include "store/artifacts.h"
#include "util/buf.h"
#include "util/hash.h"
#include "report/model.h"
#include "report/mustache.h"

#include <dirent.h>
#include <sys/stat.h>

struct fx {
	struct casedb *db;
	struct artstore *art;
	struct plog *log;
	struct limits lim;
	struct ingest_ctx ctx;
	char dir[512];
};

static bool
fx_open(struct fx *f, const char *name)
{
	char *err = NULL;

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s/case", check_tmpdir(name));
	f->db = casedb_open(f->dir, true, &err);
	if (f->db == NULL) {
		fprintf(stderr, "casedb_open: %s\n", err ? err : "?");
		free(err);
		return false;
	}
	f->art = artstore_open(f->db);
	f->log = plog_new();
	limits_default(&f->lim);
	f->ctx.db = f->db;
	f->ctx.art = f->art;
	f->ctx.log = f->log;
	f->ctx.lim = &f->lim;
	f->ctx.evidence_id = 1;
	f->ctx.evidence_path = "fixture.mbox";
	casedb_begin(f->db);
	return true;
}

static void
fx_close(struct fx *f)
{
	casedb_commit(f->db);
	artstore_free(f->art);
	casedb_close(f->db);
	plog_free(f->log);
}

static char *
fx_q(struct fx *f, const char *sql)
{
	struct mfix m = { .db = f->db };

	return mfix_q(&m, sql);
}

static int64_t
fx_msg(struct fx *f, const char *text, int64_t index)
{
	struct msg_origin o = { .source = "mbox", .mbox_index = index, .file_offset = 100 };

	return ingest_message(&f->ctx, text, strlen(text), &o);
}

/* Does the log hold an entry with this code whose position contains where? */
static bool
fx_logged(struct fx *f, const char *code, const char *where)
{
	size_t i;

	for (i = 0; i < plog_count(f->log); i++) {
		const struct plog_entry *e = plog_get(f->log, i);
		if (strcmp(e->code, code) == 0 && strstr(e->where, where))
			return true;
	}
	return false;
}

static void
sha_of(const char *s, size_t n, char out[65])
{
	hash_sha256_hex(s, n, out);
}

/* ---- plain fields ------------------------------------------------------- */

static const char lunch[] =
    "Message-ID: <000901ca49ae$89d698c0$9f01a8c0@annlaptop>\r\n"
    "From: \"Ann Dercover\" <sneakyg33k@aol.com>\r\n"
    "To: <sec558@gmail.com>\r\n"
    "Cc: a@example.org, Group: b@example.org, \"B, C\" <c@example.org>;\r\n"
    "Reply-To: back@example.org\r\n"
    "Return-Path: <bounce@example.org>\r\n"
    "Subject: lunch next week\r\n"
    "Date: Sat, 10 Oct 2009 07:35:30 -0600\r\n"
    "In-Reply-To: <x@y>\r\n"
    "References: <w@y>\r\n"
    "\t<x@y>\r\n"
    "X-Mailer: Microsoft Outlook Express 6.00.2900.2180\r\n"
    "X-Originating-IP: [10.1.2.3]\r\n"
    "Authentication-Results: mx.example.org; dkim=pass\r\n"
    "DKIM-Signature: v=1; a=rsa-sha256; d=aol.com\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/alternative;\r\n"
    "\tboundary=\"----=_NextPart_000_0005_01CA497C.3E9E9E90\"\r\n"
    "\r\n"
    "This is a multi-part message in MIME format.\r\n"
    "\r\n"
    "------=_NextPart_000_0005_01CA497C.3E9E9E90\r\n"
    "Content-Type: text/plain;\r\n"
    "\tcharset=\"iso-8859-1\"\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Sorry-- I can't do lunch next week after all. Heading out of town. =\r\n"
    "Another time! -Ann caf=E9\r\n"
    "\r\n"
    "------=_NextPart_000_0005_01CA497C.3E9E9E90\r\n"
    "Content-Type: text/html;\r\n"
    "\tcharset=\"iso-8859-1\"\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "<HTML><HEAD><style>p{}</style></HEAD><BODY>\r\n"
    "<DIV><FONT face=3DArial size=3D2>Sorry-- I can&#39;t &amp; won&apos;t</FONT></DIV>\r\n"
    "<DIV>-Ann&nbsp;caf=E9 &bogus; <!-- hidden --></DIV></BODY></HTML>\r\n"
    "\r\n"
    "------=_NextPart_000_0005_01CA497C.3E9E9E90--\r\n";

TEST(fields_and_addresses)
{
	struct fx f;
	char *s;
	int64_t id;

	CHECK(fx_open(&f, "fields"));
	id = fx_msg(&f, lunch, 3);
	CHECK_INT(id, 1);
	s = fx_q(&f, "SELECT source, mbox_index, file_offset, message_id, subject, from_addr, from_name,"
	    " date_raw, date_us, in_reply_to, refs, x_mailer, x_originating_ip, auth_results, has_dkim,"
	    " size, flags FROM messages");
	CHECK_STR(s, "mbox|3|100|<000901ca49ae$89d698c0$9f01a8c0@annlaptop>|lunch next week|"
	    "sneakyg33k@aol.com|Ann Dercover|Sat, 10 Oct 2009 07:35:30 -0600|1255181730000000|<x@y>|"
	    "<w@y>\t<x@y>|Microsoft Outlook Express 6.00.2900.2180|[10.1.2.3]|mx.example.org; dkim=pass|1|"
	    "1332|\n");
	CHECK_INT(strlen(lunch), 1332);
	free(s);
	s = fx_q(&f, "SELECT body_text, body_html_text FROM messages");
	CHECK_STR(s, "Sorry-- I can't do lunch next week after all. Heading out of town. "
	    "Another time! -Ann caf\xc3\xa9\r\n|Sorry-- I can't & won't\n-Ann caf\xc3\xa9 &bogus;\n");
	free(s);
	s = fx_q(&f, "SELECT role, name, addr FROM addresses ORDER BY id");
	CHECK_STR(s, "from|Ann Dercover|sneakyg33k@aol.com\n"
	    "reply-to||back@example.org\n"
	    "to||sec558@gmail.com\n"
	    "cc||a@example.org\n"
	    "cc||b@example.org\n"
	    "cc|B, C|c@example.org\n"
	    "return-path||bounce@example.org\n");
	free(s);
	/* headers: [name, raw, decoded] in order */
	s = fx_q(&f, "SELECT json_extract(headers, '$[0]'), json_extract(headers, '$[9]'),"
	    " json_array_length(headers) FROM messages");
	CHECK_STR(s, "[\"Message-ID\",\"<000901ca49ae$89d698c0$9f01a8c0@annlaptop>\","
	    "\"<000901ca49ae$89d698c0$9f01a8c0@annlaptop>\"]|"
	    "[\"References\",\"<w@y>\\r\\n\\t<x@y>\",\"<w@y>\\t<x@y>\"]|16\n");
	free(s);
	s = fx_q(&f, "SELECT json_extract(headers, '$[15]') FROM messages");
	CHECK_STR(s, "[\"Content-Type\",\"multipart/alternative;\\r\\n\\tboundary=\\\"----=_NextPart_000_0005_01CA497C.3E9E9E90\\\"\","
	    "\"multipart/alternative;\\tboundary=\\\"----=_NextPart_000_0005_01CA497C.3E9E9E90\\\"\"]\n");
	free(s);
	/* raw message and two bodies stored, each referenced from the message */
	s = fx_q(&f, "SELECT r.role, r.part_path, r.declared_type, r.parent_kind, r.parent_id, r.provenance"
	    " FROM artifact_refs r ORDER BY r.id");
	CHECK_STR(s, "raw-message||message/rfc822|message|1|message 3, offset 100\n"
	    "body|1|text/plain|message|1|message 3, offset 100\n"
	    "body|2|text/html|message|1|message 3, offset 100\n");
	free(s);
	{
		char sha[65], *q;
		sha_of(lunch, strlen(lunch), sha);
		q = xasprintf("SELECT count(*) FROM messages m JOIN artifacts a ON a.sha256 = m.raw_sha256"
		    " WHERE a.sha256 = '%s' AND a.size = %zu", sha, strlen(lunch));
		s = fx_q(&f, q);
		free(q);
		CHECK_STR(s, "1\n");
		free(s);
	}
	CHECK_INT(plog_count(f.log), 0);
	fx_close(&f);
}

TEST(envelope_and_observed_hop)
{
	struct fx f;
	const char *rcpt[] = { "mistersecretx@aol.com", "b@example.org" };
	struct msg_origin o = {
		.source = "smtp", .session_id = 7, .flow_id = 2, .frames = "138-141", .stream_off = 512,
		.ts_us = 1255181745000000, .env_from = "<sneakyg33k@aol.com>", .env_rcpt = rcpt,
		.nrcpt = 2, .obs_helo = "annlaptop", .obs_client_ip = "192.168.1.159",
		.obs_server = "cia-mc06.mx.aol.com", .obs_server_ip = "64.12.102.142",
	};
	const char *text = "From: a@b\r\nSubject: x\r\n\r\nbody\r\n";
	char *s;

	CHECK(fx_open(&f, "envelope"));
	CHECK_INT(ingest_message(&f.ctx, text, strlen(text), &o), 1);
	s = fx_q(&f, "SELECT source, session_id, flow_id, frames, stream_off, ts_us, env_from, env_rcpt,"
	    " file_offset, mbox_index, obs_helo, obs_client_ip, obs_server, obs_server_ip FROM messages");
	CHECK_STR(s, "smtp|7|2|138-141|512|1255181745000000|<sneakyg33k@aol.com>|"
	    "[\"mistersecretx@aol.com\",\"b@example.org\"]|||annlaptop|192.168.1.159|"
	    "cia-mc06.mx.aol.com|64.12.102.142\n");
	free(s);
	s = fx_q(&f, "SELECT role, addr FROM addresses WHERE role LIKE 'env%' ORDER BY id");
	CHECK_STR(s, "env-from|sneakyg33k@aol.com\nenv-rcpt|mistersecretx@aol.com\nenv-rcpt|b@example.org\n");
	free(s);
	s = fx_q(&f, "SELECT provenance FROM artifact_refs WHERE role = 'raw-message'");
	CHECK_STR(s, "frames 138-141\n");
	free(s);
	fx_close(&f);
}

/* ---- encodings ------------------------------------------------------------ */

TEST(every_transfer_encoding)
{
	struct fx f;
	/* "hello, world\n" in each encoding; the binary part holds a NUL. */
	const char *text =
	    "From: a@b\nSubject: enc\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=XX\n\n"
	    "--XX\nContent-Type: text/plain\n\nSee attached.\n"
	    "begin 644 inline.txt\n"
	    "-:&5L;&\\L('=O<FQD\"@``\n"
	    "`\nend\n"
	    "--XX\nContent-Type: application/octet-stream; name=b64.bin\n"
	    "Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=b64.bin\n\n"
	    "aGVsbG8s\nIHdvcmxkCg==\n"
	    "--XX\nContent-Type: text/plain; name=qp.txt\nContent-Transfer-Encoding: quoted-printable\n"
	    "Content-Disposition: attachment; filename=\"qp.txt\"\n\nhello,=20world=0A=\n\n"
	    "--XX\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: x-uuencode\n"
	    "Content-Disposition: attachment; filename=uu.bin\n\n"
	    "begin 644 uu.bin\n-:&5L;&\\L('=O<FQD\"@``\n`\nend\n"
	    "--XX\nContent-Type: text/plain; charset=utf-8; name=8bit.txt\n"
	    "Content-Transfer-Encoding: 8bit\nContent-Disposition: inline; filename=8bit.txt\n\n"
	    "hello, world\n\n"
	    "--XX\nContent-Type: image/png\nContent-Transfer-Encoding: binary\n"
	    "Content-Disposition: inline\nContent-ID: <img1>\n\n"
	    "hello, world\n\n"
	    "--XX--\n";
	char sha[65], *s, *want;

	CHECK(fx_open(&f, "encodings"));
	CHECK_INT(fx_msg(&f, text, 1), 1);
	sha_of("hello, world\n", 13, sha);
	s = fx_q(&f, "SELECT r.role, r.part_path, r.declared_name, r.declared_type, a.sha256 = "
	    "(SELECT sha256 FROM artifact_refs WHERE part_path = '2'), a.size FROM artifact_refs r"
	    " JOIN artifacts a ON a.sha256 = r.sha256 WHERE r.role IN ('attachment', 'inline')"
	    " ORDER BY r.id");
	CHECK_STR(s, "attachment|1.uu1|inline.txt|application/octet-stream|1|13\n"
	    "attachment|2|b64.bin|application/octet-stream|1|13\n"
	    "attachment|3|qp.txt|text/plain|1|13\n"
	    "attachment|4|uu.bin|application/octet-stream|1|13\n"
	    "inline|5|8bit.txt|text/plain|1|13\n"
	    "inline|6||image/png|1|13\n");
	free(s);
	/* one content, stored once, six references */
	want = xasprintf("%s|13|%s|1\n", sha, artstore_relpath(sha));
	s = fx_q(&f, "SELECT a.sha256, a.size, a.path, count(*) FROM artifacts a JOIN artifact_refs r"
	    " ON r.sha256 = a.sha256 WHERE r.role IN ('attachment', 'inline') GROUP BY a.sha256");
	free(want);
	want = xasprintf("%s|13|%s|6\n", sha, artstore_relpath(sha));
	CHECK_STR(s, want);
	free(s);
	free(want);
	{
		char path[1024];
		size_t n = 0;
		char *bytes;
		snprintf(path, sizeof(path), "%s/%s", f.dir, artstore_relpath(sha));
		bytes = check_slurp(path, &n);
		CHECK(bytes != NULL);
		CHECK_INT(n, 13);
		CHECK(memcmp(bytes, "hello, world\n", 13) == 0);
		free(bytes);
	}
	s = fx_q(&f, "SELECT flags, body_text FROM messages");
	CHECK_STR(s, "uuencode|See attached.\nbegin 644 inline.txt\n-:&5L;&\\L('=O<FQD\"@``\n`\nend\n");
	free(s);
	fx_close(&f);
}

/* ---- nested messages ------------------------------------------------------ */

TEST(nested_rfc822)
{
	struct fx f;
	const char *text =
	    "From: outer@example.org\nSubject: Fwd: inner\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=OUT\n\n"
	    "--OUT\nContent-Type: text/plain\n\nforwarding\n"
	    "--OUT\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename=fwd.eml\n\n"
	    "From: =?ISO-8859-1?Q?Andr=E9?= <inner@example.org>\nSubject: inner\n"
	    "Received: from a by b; Mon, 1 Jan 2001 00:00:00 +0000\n"
	    "Date: Mon, 1 Jan 2001 00:00:00 +0000\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=IN\n\n"
	    "--IN\nContent-Type: text/plain\n\ninner text\n"
	    "--IN\nContent-Type: application/pdf; name=x.pdf\nContent-Transfer-Encoding: base64\n\n"
	    "JVBERi0xLjQK\n"
	    "--IN--\n"
	    "--OUT--\n";
	char *s;

	CHECK(fx_open(&f, "nested"));
	CHECK_INT(fx_msg(&f, text, 2), 1);
	s = fx_q(&f, "SELECT id, parent_id, source, mbox_index, subject, from_name, date_us, body_text"
	    " FROM messages ORDER BY id");
	CHECK_STR(s, "1||mbox|2|Fwd: inner|||forwarding\n"
	    "2|1|rfc822|2|inner|Andr\xc3\xa9|978307200000000|inner text\n");
	free(s);
	s = fx_q(&f, "SELECT parent_id, role, part_path, declared_name, declared_type FROM artifact_refs"
	    " WHERE role != 'body' ORDER BY id");
	CHECK_STR(s, "1|raw-message|||message/rfc822\n"
	    "1|attachment|2|fwd.eml|message/rfc822\n"
	    "2|raw-message|||message/rfc822\n"
	    "2|attachment|2.2|x.pdf|application/pdf\n");
	free(s);
	s = fx_q(&f, "SELECT a.detected_type FROM artifacts a JOIN artifact_refs r ON r.sha256 = a.sha256"
	    " WHERE r.declared_name = 'x.pdf'");
	CHECK_STR(s, "application/pdf\n");
	free(s);
	fx_close(&f);
}

/* ---- damage --------------------------------------------------------------- */

TEST(broken_mime)
{
	struct fx f;
	const char *no_param =
	    "From: a@b\nSubject: nb\nContent-Type: multipart/mixed\n\nthe text\n";
	const char *never =
	    "From: a@b\nSubject: nv\nContent-Type: multipart/mixed; boundary=ZZ\n\nonly text\n";
	const char *b64 =
	    "From: a@b\nSubject: b64\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=Q\n\n"
	    "--Q\nContent-Type: application/octet-stream; name=a.bin\nContent-Transfer-Encoding: base64\n\n"
	    "aGVs*bG8=\n--Q--\n";
	char *s;

	CHECK(fx_open(&f, "broken"));
	fx_msg(&f, no_param, 1);
	fx_msg(&f, never, 2);
	fx_msg(&f, b64, 3);
	s = fx_q(&f, "SELECT subject, flags, body_text FROM messages ORDER BY id");
	CHECK_STR(s, "nb|missing-boundary|the text\n\nnv|truncated,missing-boundary|only text\n\n"
	    "b64|base64-broken|\n");
	free(s);
	CHECK(fx_logged(&f, "mime.boundary", "message 1 (offset 100)"));
	CHECK(fx_logged(&f, "mime.boundary", "message 2 (offset 100)"));
	CHECK(fx_logged(&f, "mime.base64", "message 3 (offset 100), part 1"));
	/* best effort: "hel" + "lo" decoded around the bad byte */
	s = fx_q(&f, "SELECT a.size FROM artifacts a JOIN artifact_refs r ON r.sha256 = a.sha256"
	    " WHERE r.declared_name = 'a.bin'");
	CHECK_STR(s, "5\n");
	free(s);
	fx_close(&f);
}

/* A header repeated many times: the first few conflicts are logged, then
 * one line counts the rest, so the processing log stays readable. */
TEST(repeated_warnings_counted)
{
	struct fx f;
	struct buf b;
	size_t i, n, conflicts = 0;
	const struct plog_entry *last = NULL;
	bool ok = true;

	buf_init(&b, 1 << 20);
	ok &= buf_adds(&b, "From: a@b\nSubject: many\n");
	for (i = 0; i < 50; i++)
		ok &= buf_printf(&b, "To: r%zu@example.org\n", i);
	ok &= buf_adds(&b, "\nbody\n");
	CHECK(ok);
	CHECK(fx_open(&f, "repeated"));
	fx_msg(&f, buf_str(&b), 1);
	n = plog_count(f.log);
	for (i = 0; i < n; i++) {
		const struct plog_entry *e = plog_get(f.log, i);

		if (strcmp(e->code, "mime.parse") == 0) {
			conflicts++;
			last = e;
		}
	}
	CHECK_INT(conflicts, 4);
	CHECK_STR(last->message, "conflicting header fields or parameters: 46 more times in this"
	    " message (the first 3 are listed)");
	CHECK_STR(last->where, "message 1 (offset 100)");
	buf_free(&b);
	fx_close(&f);
}

TEST(charsets_unknown_and_lying)
{
	struct fx f;
	const char *unknown = "From: a@b\nSubject: u\nContent-Type: text/plain; charset=x-klingon\n\nqa\xe9pla\n";
	const char *lying = "From: a@b\nSubject: l\nContent-Type: text/plain; charset=utf-8\n\ncaf\xe9\n";
	const char *ascii = "From: a@b\nSubject: a\nContent-Type: text/plain; charset=us-ascii\n\ncaf\xc3\xa9\n";
	const char *euckr = "From: a@b\nSubject: k\nContent-Type: text/plain; charset=euc-kr\n\n\xc7\xd1\xb1\xdb\n";
	char *s;

	CHECK(fx_open(&f, "charsets"));
	fx_msg(&f, unknown, 1);
	fx_msg(&f, lying, 2);
	fx_msg(&f, ascii, 3);
	fx_msg(&f, euckr, 4);
	s = fx_q(&f, "SELECT subject, flags, body_text FROM messages ORDER BY id");
	CHECK_STR(s, "u|charset-unknown|qa\xc3\xa9pla\n\n"
	    "l|charset-lying|caf\xc3\xa9\n\n"
	    "a|charset-lying|caf\xc3\xa9\n\n"
	    "k||\xed\x95\x9c\xea\xb8\x80\n\n");
	free(s);
	CHECK(fx_logged(&f, "mime.charset", "message 2 (offset 100), part 1"));
	fx_close(&f);
}

TEST(rfc2047_korean)
{
	struct fx f;
	const char *text =
	    "From: =?EUC-KR?B?vL29w7i2vbrFzQ==?= <hahaha@tt.co.kr>\n"
	    "To: =?UTF-8?B?7ZWc6riA?= <k@example.kr>\n"
	    "Subject: =?euc-kr?Q?=C1=F6=B1=DD?= =?UTF-8?B?IOuwlOuhnA==?=\n\nx\n";
	char *s;

	CHECK(fx_open(&f, "rfc2047"));
	fx_msg(&f, text, 1);
	s = fx_q(&f, "SELECT from_name, subject FROM messages");
	CHECK_STR(s, "\xec\x84\xb9\xec\x8b\x9c\xeb\xa7\x88\xec\x8a\xa4\xed\x84\xb0|"
	    "\xec\xa7\x80\xea\xb8\x88 \xeb\xb0\x94\xeb\xa1\x9c\n");
	free(s);
	s = fx_q(&f, "SELECT name FROM addresses WHERE role = 'to'");
	CHECK_STR(s, "\xed\x95\x9c\xea\xb8\x80\n");
	free(s);
	fx_close(&f);
}

TEST(corpus_spam_2007)
{
	const char *c = check_corpus();
	struct fx f;
	char path[600], *text, *s;
	size_t n;

	if (c == NULL) {
		SKIP(corpus_spam_2007, "no corpus");
		return;
	}
	snprintf(path, sizeof(path), "%s/spam-2007.eml", c);
	text = check_slurp(path, &n);
	CHECK(text != NULL);
	CHECK(fx_open(&f, "spam2007"));
	ingest_message(&f.ctx, text, n, &(struct msg_origin){ .source = "eml", .mbox_index = 1 });
	free(text);
	s = fx_q(&f, "SELECT from_name, from_addr, subject, message_id, date_us FROM messages");
	CHECK_STR(s, "섹시마스터|hahaha@tt.co.kr|지금 바로 확인해 보세요.|"
	    "<MEDSVR01kNsjUHQHh2w00000278@medsvr01.medentech.com>|1173136255000000\n");
	free(s);
	s = fx_q(&f, "SELECT role, name, addr FROM addresses ORDER BY id");
	CHECK_STR(s, "from|섹시마스터|hahaha@tt.co.kr\nto|mkeh@avnetcom.co.kr|mkeh@avnetcom.co.kr\n"
	    "return-path||hahaha@tt.co.kr\n");
	free(s);
	fx_close(&f);
}

/* ---- hostile names -------------------------------------------------------- */

/* Every path under dir, relative, one per line, sorted by the walk. */
static void
list_tree(const char *dir, const char *rel, struct buf *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool ok = true;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char full[2048], r[1024];
		struct stat sb;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(full, sizeof(full), "%s/%s", dir, e->d_name);
		snprintf(r, sizeof(r), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		ok &= buf_adds(out, r);
		ok &= buf_addc(out, '\n');
		if (lstat(full, &sb) == 0 && S_ISDIR(sb.st_mode))
			list_tree(full, r, out);
	}
	closedir(d);
	(void)ok;
}

TEST(hostile_names_stay_text)
{
	struct fx f;
	const char *text =
	    "From: a@b\nSubject: names\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=H\n\n"
	    "--H\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"../../etc/passwd\"\n\n"
	    "root:x:0:0\n"
	    "--H\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"/etc/shadow\"\n\n"
	    "shadow\n"
	    "--H\nContent-Type: text/plain\nContent-Disposition: attachment; filename*=utf-8''a%01b%0Ac%1B[31m.txt\n\n"
	    "ctl\n"
	    "--H\nContent-Type: text/plain\nContent-Disposition: attachment; filename*=utf-8''x%00..%2F..%2Fy\n\n"
	    "nul\n"
	    "--H\nContent-Type: text/plain; name=\"<script>alert(1)</script>.txt\"\n\n"
	    "markup\n"
	    "--H--\n";
	struct buf b;
	char *s, outside[600];
	struct stat sb;
	const char *root = check_tmpdir("hostile");

	snprintf(outside, sizeof(outside), "%s/etc", root);
	CHECK(fx_open(&f, "hostile"));
	fx_msg(&f, text, 1);
	s = fx_q(&f, "SELECT declared_name FROM artifact_refs WHERE role = 'attachment' ORDER BY id");
	CHECK_STR(s, "../../etc/passwd\n/etc/shadow\na\\x01b\\x0Ac\\x1B[31m.txt\nx\n"
	    "<script>alert(1)</script>.txt\n");
	free(s);
	fx_close(&f);
	/* Nothing but the case layout and hash-named files exists. */
	CHECK(stat(outside, &sb) != 0);
	buf_init(&b, 1 << 20);
	list_tree(f.dir, "", &b);
	{
		char *list = buf_take(&b), *line, *save = NULL;
		for (line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			bool fine = strcmp(line, "case.db") == 0 || strncmp(line, "case.db-", 8) == 0 ||
			    strcmp(line, "artifacts") == 0 || strcmp(line, "report") == 0 ||
			    (strncmp(line, "artifacts/", 10) == 0 && strlen(line) == 12) ||
			    (strncmp(line, "artifacts/", 10) == 0 && strlen(line) == 10 + 3 + 64 &&
			    strspn(line + 13, "0123456789abcdef") == 64);
			if (!fine) {
				check_fail(__FILE__, __LINE__, "unexpected file in the case: %s", line);
				free(list);
				return;
			}
		}
		free(list);
	}
}

/* ---- ceilings -------------------------------------------------------------- */

TEST(caps_parts_depth_size)
{
	struct fx f;
	struct buf b;
	char *s;
	int i;
	bool ok = true;

	CHECK(fx_open(&f, "caps"));
	f.lim.mime_parts = 4;
	buf_init(&b, 1 << 20);
	ok &= buf_adds(&b, "From: a@b\nSubject: parts\nContent-Type: multipart/mixed; boundary=P\n\n");
	for (i = 0; i < 6; i++)
		ok &= buf_printf(&b, "--P\nContent-Type: application/octet-stream; name=p%d\n\npart %d\n", i, i);
	ok &= buf_adds(&b, "--P--\n");
	CHECK(ok);
	fx_msg(&f, buf_str(&b), 1);
	buf_free(&b);
	s = fx_q(&f, "SELECT flags, (SELECT count(*) FROM artifact_refs WHERE role = 'attachment')"
	    " FROM messages");
	CHECK_STR(s, "cap-hit:parts|3\n");     /* the multipart counts as a part */
	free(s);
	CHECK(fx_logged(&f, "cap.mime_parts", "message 1 (offset 100), part 4"));

	f.lim.mime_parts = 1000;
	f.lim.mime_depth = 2;
	buf_init(&b, 1 << 20);
	ok &= buf_adds(&b, "From: a@b\nSubject: deep\nContent-Type: multipart/mixed; boundary=D0\n\n"
	    "--D0\nContent-Type: multipart/mixed; boundary=D1\n\n"
	    "--D1\nContent-Type: multipart/mixed; boundary=D2\n\n"
	    "--D2\nContent-Type: multipart/mixed; boundary=D3\n\n"
	    "--D3\nContent-Type: application/octet-stream; name=deep\n\nx\n--D3--\n--D2--\n--D1--\n--D0--\n");
	CHECK(ok);
	fx_msg(&f, buf_str(&b), 2);
	buf_free(&b);
	s = fx_q(&f, "SELECT flags FROM messages WHERE subject = 'deep'");
	CHECK_STR(s, "cap-hit:depth\n");
	free(s);
	CHECK(fx_logged(&f, "cap.mime_depth", "message 2 (offset 100), part 1.1.1"));

	f.lim.message_bytes = 64;
	fx_msg(&f, "From: a@b\nSubject: big\n\n0123456789012345678901234567890123456789"
	    "01234567890123456789", 3);
	s = fx_q(&f, "SELECT subject, size, flags, body_text FROM messages WHERE mbox_index = 3");
	CHECK_STR(s, "big|84|cap-hit:size|0123456789012345678901234567890123456789\n");
	free(s);
	CHECK(fx_logged(&f, "cap.message_bytes", "message 3"));
	fx_close(&f);
}

TEST(signed_encrypted_tnef)
{
	struct fx f;
	const char *text =
	    "From: a@b\nSubject: sig\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=S\n\n"
	    "--S\nContent-Type: multipart/mixed; boundary=M\n\n"
	    "--M\nContent-Type: text/plain\n\nsigned text\n"
	    "--M\nContent-Type: application/ms-tnef; name=winmail.dat\nContent-Transfer-Encoding: base64\n\n"
	    "eJ8+IgAA\n--M--\n"
	    "--S\nContent-Type: application/pkcs7-signature; name=smime.p7s\nContent-Transfer-Encoding: base64\n\n"
	    "MIAGCSqGSIb3DQEHAqCAMIACAQEx\n--S--\n";
	const char *enc =
	    "From: a@b\nSubject: enc\nMIME-Version: 1.0\n"
	    "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\n"
	    "Content-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHA6CAMIACAQAx\n";
	char *s;

	CHECK(fx_open(&f, "signed"));
	fx_msg(&f, text, 1);
	fx_msg(&f, enc, 2);
	s = fx_q(&f, "SELECT subject, flags, body_text FROM messages ORDER BY id");
	CHECK_STR(s, "sig|signed,tnef|signed text\nenc|encrypted|\n");
	free(s);
	s = fx_q(&f, "SELECT declared_name, part_path FROM artifact_refs WHERE role = 'attachment' ORDER BY id");
	CHECK_STR(s, "winmail.dat|1.2\nsmime.p7s|2\nsmime.p7m|1\n");
	free(s);
	fx_close(&f);
}

TEST(garbage_never_crashes)
{
	struct fx f;
	static const char *const inputs[] = {
		"", "\n", "\r\n\r\n", "Subject", ":::\n\n", "From: <<<@@@>>>\nTo: ,,,\n\n",
		"Content-Type: multipart/mixed; boundary=\"\"\n\n--\n--\n",
		"Content-Type: message/rfc822\n\n", "Date: 99 Foo 99999 99:99:99 +9999\n\n",
		"Content-Transfer-Encoding: base64\n\n====\n",
	};
	size_t i;
	char *s;

	CHECK(fx_open(&f, "garbage"));
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		fx_msg(&f, inputs[i], (int64_t)i + 1);
	ingest_message(&f.ctx, "\0\0\0\xff\xfe", 5, NULL);
	s = fx_q(&f, "SELECT count(*), count(raw_sha256) FROM messages WHERE parent_id IS NULL");
	CHECK_STR(s, "11|11\n");
	free(s);
	s = fx_q(&f, "SELECT flags FROM messages WHERE mbox_index = 9");
	CHECK_STR(s, "date-unparseable\n");
	free(s);
	fx_close(&f);
}

/* ---- through the capture and SMTP stages ---------------------------------- */

TEST(corpus_evidence02)
{
	const char *c = check_corpus();
	struct mfix m;
	char pcap[600], *s;

	if (c == NULL) {
		SKIP(corpus_evidence02, "no corpus");
		return;
	}
	snprintf(pcap, sizeof(pcap), "%s/evidence02.pcap", c);
	CHECK(mfix_open(&m, "evidence02"));
	mfix_run(&m, pcap);
	s = mfix_q(&m, "SELECT source, message_id, subject, from_addr, from_name, x_mailer,"
	    " replace(replace(body_text, char(13), ''), char(10), ' ') FROM messages ORDER BY id");
	CHECK_STR(s,
	    "smtp|<000901ca49ae$89d698c0$9f01a8c0@annlaptop>|lunch next week|sneakyg33k@aol.com|"
	    "Ann Dercover|Microsoft Outlook Express 6.00.2900.2180|Sorry-- I can't do lunch next week"
	    " after all. Heading out of town. Another time! -Ann\n"
	    "smtp|<001101ca49ae$e93e45b0$9f01a8c0@annlaptop>|rendezvous|sneakyg33k@aol.com|"
	    "Ann Dercover|Microsoft Outlook Express 6.00.2900.2180|Hi sweetheart! Bring your fake"
	    " passport and a bathing suit. Address attached. love, Ann\n");
	free(s);
	s = mfix_q(&m, "SELECT r.declared_name, a.md5, a.sha256, a.size, r.ext_mismatch, r.part_path"
	    " FROM artifact_refs r JOIN artifacts a ON a.sha256 = r.sha256 WHERE r.role = 'attachment'");
	CHECK_STR(s, "secretrendezvous.docx|9e423e11db88f01bbff81172839e1923|"
	    "0eeacf280329a375498dc71c837ad4d773d3b9bdaee1593e60ad434c2a1c723b|207438|0|2\n");
	free(s);
	s = mfix_q(&m, "SELECT role, addr FROM addresses WHERE message_id = 2 AND role IN ('to', 'env-rcpt')"
	    " ORDER BY id");
	CHECK_STR(s, "to|mistersecretx@aol.com\nenv-rcpt|mistersecretx@aol.com\n");
	free(s);
	mfix_close(&m);
}


/* ---- report model and templates ------------------------------------------- */

TEST(report_model_and_templates)
{
	struct fx f;
	json_t *root;
	char *md, *err = NULL, *s;
	const char *text =
	    "From: =?UTF-8?B?7ZWc6riA?= <k@example.kr>\nTo: b@example.org\nSubject: *bold* <b>x</b>\n"
	    "Date: Mon, 1 Jan 2001 09:00:00 +0900\nMessage-ID: <r@x>\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=R\n\n"
	    "--R\nContent-Type: text/plain\n\nline one\n| pipe\n"
	    "--R\nContent-Type: application/octet-stream\n"
	    "Content-Disposition: attachment; filename=\"../../etc/passwd\"\n\nMZ\x90\x01\x03\n"
	    "--R--\n";
	struct model_opts mo = { .lang = "en" };

	CHECK(fx_open(&f, "model"));
	fx_msg(&f, text, 1);
	root = json_object();
	model_messages(f.db, root, &mo);
	model_artifacts(f.db, root, &mo);
	s = json_dumps(json_object_get(root, "files"), JSON_COMPACT | JSON_SORT_KEYS);
	CHECK(strstr(s, "\"name\":\"../../etc/passwd\"") != NULL);
	CHECK(strstr(s, "\"source\":\"message 1, part 2\"") != NULL);
	free(s);
	CHECK_INT(json_integer_value(json_object_get(root, "messages_count")), 1);
	s = json_dumps(json_object_get(root, "timeline"), JSON_COMPACT | JSON_SORT_KEYS);
	CHECK(s != NULL && strstr(s, "Message 1 dated (Date: Mon, 1 Jan 2001 09:00:00 +0900): *bold* <b>x</b>"));
	free(s);
	md = mustache_render_file("templates/en", "messages.md.mustache", root, mustache_escape_markdown, &err);
	if (md == NULL) {
		check_fail(__FILE__, __LINE__, "%s", err ? err : "?");
		free(err);
		return;
	}
	CHECK(strstr(md, "## Messages\n") != NULL);
	CHECK(strstr(md, "- Date: Mon, 1 Jan 2001 09:00:00 +0900 (2001-01-01T00:00:00") != NULL);
	CHECK(strstr(md, "> line one\n") != NULL);
	/* evidence text never becomes markup */
	CHECK(strstr(md, "| \\*bold\\* \\<b>x\\</b> |") != NULL);
	CHECK(strstr(md, " *bold* ") == NULL);
	CHECK(strstr(md, "| 2 | ../../etc/passwd | application/octet-stream | ") != NULL);
	CHECK(strstr(md, "- From: \xed\x95\x9c\xea\xb8\x80 \\<k@example.kr>\n") != NULL);
	free(md);
	md = mustache_render_file("templates/en", "files.md.mustache", root, mustache_escape_markdown, &err);
	CHECK(md != NULL);
	CHECK(strstr(md, "## Extracted files\n") != NULL);
	CHECK(strstr(md, "(does not match the name)") == NULL);   /* no extension: not judged */
	free(md);
	mo.lang = "ko";
	md = mustache_render_file("templates/ko", "messages.md.mustache", root, mustache_escape_markdown, &err);
	CHECK(md != NULL && strstr(md, "## 메시지\n") != NULL);
	free(md);
	md = mustache_render_file("templates/ko", "files.md.mustache", root, mustache_escape_markdown, &err);
	CHECK(md != NULL && strstr(md, "## 추출된 파일\n") != NULL);
	free(md);
	json_decref(root);
	fx_close(&f);
}

/* ---- Zeek's extracted files ------------------------------------------------ */

/* Expected hashes of one baseline folder: "MD5: x" lines (file-analysis
 * output), md5/sha1/sha256 columns of files logs and cuts, and the hashes of
 * extracted files kept as baselines (thefile*, extract_files.*) without the
 * btest header line. One "algo hex" per line in out. */
static void
zeek_expected(const char *dir, struct buf *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool ok = true;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[1200], *text, *line, *save = NULL, *body;
		size_t n;
		int cols[3] = { -1, -1, -1 }, group = 0;
		bool mail = true;
		static const char *names[3] = { "md5", "sha1", "sha256" };
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		text = check_slurp(path, &n);
		if (text == NULL)
			continue;
		if (strncmp(e->d_name, "thefile", 7) == 0 || strncmp(e->d_name, "extract_files", 13) == 0) {
			char hex[65];
			body = strncmp(text, "### ", 4) == 0 && strchr(text, '\n') ? strchr(text, '\n') + 1 : text;
			size_t blen = n - (size_t)(body - text);
			hash_sha256_hex(body, blen, hex);
			ok &= buf_printf(out, "sha256 %s %s\n", hex, e->d_name);
			if (blen >= 2 && body[blen - 2] == '\r' && body[blen - 1] == '\n') {
				char alt[65];
				hash_sha256_hex(body, blen - 2, alt);
				ok &= buf_printf(out, "alt %s %s\n", alt, hex);
			}
			free(text);
			continue;
		}
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char *t, *s2 = NULL, *c = xstrdup(line);
			int i = 0, k;
			if (strncmp(line, "FILE_NEW", 8) == 0) {
				group++;
				mail = true;
			}
			if (strncmp(line, "source: ", 8) == 0)
				mail = strcmp(line + 8, "SMTP") == 0 || strcmp(line + 8, "POP3") == 0 ||
				    strcmp(line + 8, "IMAP") == 0;
			if (!mail)
				;    /* files Zeek saw in other protocols (SSL certificates) */
			else if (strncmp(line, "MD5: ", 5) == 0)
				ok &= buf_printf(out, "md5 %s %s#%d\n", line + 5, e->d_name, group);
			else if (strncmp(line, "SHA1: ", 6) == 0)
				ok &= buf_printf(out, "sha1 %s %s#%d\n", line + 6, e->d_name, group);
			else if (strncmp(line, "SHA256: ", 8) == 0)
				ok &= buf_printf(out, "sha256 %s %s#%d\n", line + 8, e->d_name, group);
			else if (strstr(line, "\tsha1") || strstr(line, "\tmd5") || strstr(line, "\tsha256")) {
				for (t = strtok_r(c, "\t", &s2); t; t = strtok_r(NULL, "\t", &s2), i++)
					for (k = 0; k < 3; k++)
						if (strcmp(t, names[k]) == 0)
							cols[k] = i - (strncmp(line, "#fields", 7) == 0);
			} else if (line[0] != '#')
				for (t = strtok_r(c, "\t", &s2); t; t = strtok_r(NULL, "\t", &s2), i++)
					for (k = 0; k < 3; k++)
						if (i == cols[k] && strlen(t) >= 32 && strspn(t, "0123456789abcdef") == strlen(t))
							ok &= buf_printf(out, "%s %s %s\n", names[k], t, e->d_name);
			free(c);
		}
		free(text);
	}
	closedir(d);
	(void)ok;
}

TEST(corpus_zeek_files)
{
	const char *c = check_corpus();
	char path[700], *map, *line, *save = NULL, trace[512] = "";
	int traces = 0, hashes = 0, skipped = 0, crlf = 0;

	if (c == NULL) {
		SKIP(corpus_zeek_files, "no corpus");
		return;
	}
	snprintf(path, sizeof(path), "%s/zeek/MAPPING.md", c);
	map = check_slurp(path, NULL);
	CHECK(map != NULL);
	for (line = strtok_r(map, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p, *end;
		if (strncmp(line, "## ", 3) == 0) {
			trace[0] = 0;
			continue;
		}
		if (strncmp(line, "- traces: `", 11) == 0) {
			end = strchr(line + 11, '`');
			if (end)
				snprintf(trace, sizeof(trace), "%.*s", (int)(end - line - 11), line + 11);
			continue;
		}
		if (strncmp(line, "- baselines: ", 13) != 0 || trace[0] == 0)
			continue;
		p = strchr(line, '`');
		if (p == NULL)
			continue;
		end = strchr(p + 1, '`');
		end = end ? memrchr(p + 1, '/', (size_t)(end - p - 1)) : NULL;
		if (end == NULL)
			continue;
		{
			char dir[900], pcap[900], *want, *w, *s2 = NULL, name[64];
			struct buf b;
			struct mfix m;
			snprintf(dir, sizeof(dir), "%s/%.*s", c, (int)(end - p - 1), p + 1);
			if (strstr(dir, "smtp") == NULL && strstr(dir, "pop3") == NULL && strstr(dir, "imap") == NULL)
				continue;
			buf_init(&b, 1 << 20);
			zeek_expected(dir, &b);
			want = buf_take(&b);
			if (*want == 0) {
				free(want);
				continue;
			}
			snprintf(pcap, sizeof(pcap), "%s/%s", c, trace);
			if (strlen(pcap) > 3 && strcmp(pcap + strlen(pcap) - 3, ".gz") == 0) {
				skipped++;
				free(want);
				continue;
			}
			snprintf(name, sizeof(name), "zeek%d", traces++);
			CHECK(mfix_open(&m, name));
			mfix_run(&m, pcap);
			/* Zeek keeps the line break before a closing boundary in the
			 * last part; RFC 2046 section 5.1.1 gives it to the delimiter,
			 * and so does GMime. A Zeek file whose content without that
			 * CRLF was extracted counts as found, with every hash of its
			 * group in the "out" listing. */
			{
				struct buf same;
				char *eq, *copy = xstrdup(want), *s3 = NULL;
				buf_init(&same, 1 << 20);
				for (w = strtok_r(copy, "\n", &s3); w; w = strtok_r(NULL, "\n", &s3)) {
					char a[80], z[80], *q, *r;
					if (sscanf(w, "alt %79s %79s", a, z) != 2)
						continue;
					q = xasprintf("SELECT count(*) FROM artifacts WHERE sha256 = '%s'", a);
					r = mfix_q(&m, q);
					if (strcmp(r, "0\n") != 0) {
						bool okb = buf_printf(&same, "%s\n", z);
						(void)okb;
						crlf++;
					}
					free(q);
					free(r);
				}
				free(copy);
				eq = buf_take(&same);
				/* groups whose SHA-256 is one of those */
				copy = xstrdup(want);
				buf_init(&same, 1 << 20);
				for (w = strtok_r(copy, "\n", &s3); w; w = strtok_r(NULL, "\n", &s3)) {
					char al[8], h[80], f[200];
					if (sscanf(w, "%7s %79s %199s", al, h, f) == 3 && strcmp(al, "sha256") == 0 &&
					    strchr(f, '#') && strstr(eq, h)) {
						bool okb = buf_printf(&same, "%s\n", f);
						(void)okb;
					}
				}
				free(copy);
				{
					char *groups = buf_take(&same), *all = xasprintf("%s%s", eq, groups);
					free(eq);
					free(groups);
					eq = all;
				}
				for (w = strtok_r(want, "\n", &s2); w; w = strtok_r(NULL, "\n", &s2)) {
					char algo[8], hex[80], file[200], *q, *r, key[220];
					if (sscanf(w, "%7s %79s %199s", algo, hex, file) != 3 || strcmp(algo, "alt") == 0)
						continue;
					snprintf(key, sizeof(key), "%s\n", file);
					q = xasprintf("SELECT count(*) FROM artifacts WHERE %s = '%s'", algo, hex);
					r = mfix_q(&m, q);
					free(q);
					if (strcmp(r, "0\n") == 0 && !strstr(eq, hex) &&
					    !(strchr(file, '#') && strstr(eq, key))) {
						check_fail(__FILE__, __LINE__, "%s: %s %s (%s) not extracted from %s",
						    dir, algo, hex, file, trace);
						free(r);
						free(eq);
						free(want);
						mfix_close(&m);
						free(map);
						return;
					}
					free(r);
					hashes++;
				}
				free(eq);
			}
			mfix_close(&m);
			free(want);
		}
	}
	free(map);
	fprintf(stderr, "zeek files: %d hashes from %d traces found (%d by content without Zeek's"
	    " CRLF before the closing boundary; %d gzip traces skipped)\n", hashes, traces, crlf, skipped);
	CHECK(hashes > 0);
}

/* ---- the record, without a case ---------------------------------------- */

static const char parcel[] =
    "Received: from a.example.org (a.example.org [192.0.2.1])\r\n"
    "\tby mx.example.net with ESMTP id 1; Tue, 1 Jul 2003 10:52:40 +0900\r\n"
    "Received: from b.example.org by a.example.org; Tue, 1 Jul 2003 10:52:38 +0900\r\n"
    "Return-Path: <bounce@example.org>\r\n"
    "From: =?UTF-8?B?7ZmN6ri464+Z?= <hong@example.kr>\r\n"
    "To: a@example.org, b@example.org\r\n"
    "Subject: parcel\r\n"
    "Message-ID: <p1@example.kr>\r\n"
    "Date: Tue, 1 Jul 2003 10:52:37 KST\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: text/plain; charset=us-ascii\r\n"
    "\r\n"
    "see attached\r\n"
    "--b1\r\n"
    "Content-Type: application/octet-stream; name=\"a.bin\"\r\n"
    "Content-Disposition: attachment; filename=\"a.bin\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "aGVsbG8=\r\n"
    "--b1\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: inner\r\n"
    "From: c@example.org\r\n"
    "\r\n"
    "inner body\r\n"
    "--b1--\r\n";

/* message_parse() alone: every field of the record, the parts in order with
 * their bytes, the nested message listed for the driver; no database. */
TEST(parse_record_exact)
{
	struct limits lim;
	struct plog *log = plog_new();
	struct msg_origin o = { .source = "smtp", .env_from = "<bounce@example.org>" };
	struct msg_env env = { .lim = &lim, .log = log, .source = "x.pcap", .where = "frames 1-2" };
	struct msg_record *r;

	limits_default(&lim);
	r = message_parse(parcel, strlen(parcel), &o, &env);
	CHECK(r->parsed);
	CHECK_STR(r->subject, "parcel");
	CHECK_STR(r->from_addr, "hong@example.kr");
	CHECK_STR(r->from_name, "\xed\x99\x8d\xea\xb8\xb8\xeb\x8f\x99");
	CHECK_STR(r->message_id, "<p1@example.kr>");
	CHECK_STR(r->date_raw, "Tue, 1 Jul 2003 10:52:37 KST");
	CHECK(r->date_ok);
	CHECK_INT(r->date_us, 1057024357000000);      /* 2003-07-01T01:52:37Z */
	CHECK_STR(r->return_path, "<bounce@example.org>");
	CHECK_STR(r->return_path_addr, "bounce@example.org");
	CHECK_INT(r->nreceived, 2);
	CHECK_STR(r->received[0], "from a.example.org (a.example.org [192.0.2.1])\tby mx.example.net"
	    " with ESMTP id 1; Tue, 1 Jul 2003 10:52:40 +0900");
	CHECK_STR(r->received[1], "from b.example.org by a.example.org; Tue, 1 Jul 2003 10:52:38 +0900");
	CHECK(r->in_reply_to == NULL && r->references == NULL && r->x_mailer == NULL);
	CHECK(r->auth_results == NULL && !r->has_dkim);
	CHECK_STR(r->env_from, "<bounce@example.org>");
	CHECK(r->env_rcpt == NULL);
	CHECK_STR(r->body_text, "see attached");     /* the CRLF before a boundary is the boundary's */
	CHECK(r->html_text == NULL);
	CHECK(r->flags == NULL);
	CHECK_INT(r->naddrs, 5);
	CHECK_STR(r->addrs[0].role, "from");
	CHECK_STR(r->addrs[0].name, "\xed\x99\x8d\xea\xb8\xb8\xeb\x8f\x99");
	CHECK_STR(r->addrs[2].addr, "b@example.org");
	CHECK_STR(r->addrs[3].role, "return-path");
	CHECK_STR(r->addrs[4].role, "env-from");
	CHECK_STR(r->addrs[4].addr, "bounce@example.org");
	CHECK_INT(r->nparts, 3);
	CHECK_STR(r->parts[0].path, "1");
	CHECK_STR(r->parts[0].role, "body");
	CHECK_STR(r->parts[0].type, "text/plain");
	CHECK(r->parts[0].name == NULL && !r->parts[0].file && !r->parts[0].nested);
	CHECK_INT(r->parts[0].len, 12);
	CHECK(memcmp(r->parts[0].p, "see attached", 12) == 0);
	CHECK_STR(r->parts[1].path, "2");
	CHECK_STR(r->parts[1].role, "attachment");
	CHECK_STR(r->parts[1].name, "a.bin");
	CHECK_STR(r->parts[1].type, "application/octet-stream");
	CHECK(r->parts[1].file && !r->parts[1].nested);
	CHECK_INT(r->parts[1].len, 5);
	CHECK(memcmp(r->parts[1].p, "hello", 5) == 0);
	CHECK_STR(r->parts[2].path, "3");
	CHECK_STR(r->parts[2].role, "attachment");
	CHECK_STR(r->parts[2].type, "message/rfc822");
	CHECK(r->parts[2].name == NULL && !r->parts[2].file && r->parts[2].nested);
	/* as GMime writes the message back: its header lines end in LF */
	CHECK_INT(r->parts[2].len, 46);
	CHECK(memcmp(r->parts[2].p, "Subject: inner\nFrom: c@example.org\n\ninner body", 46) == 0);
	/* the boundary, for auth/hidden.c; the nested message's are its own */
	CHECK_INT(r->nboundaries, 1);
	CHECK_STR(r->boundaries[0], "b1");
	CHECK_STR(r->headers, "[[\"Received\",\"from a.example.org (a.example.org [192.0.2.1])\\r\\n"
	    "\\tby mx.example.net with ESMTP id 1; Tue, 1 Jul 2003 10:52:40 +0900\",\"from a.example.org"
	    " (a.example.org [192.0.2.1])\\tby mx.example.net with ESMTP id 1; Tue, 1 Jul 2003 10:52:40"
	    " +0900\"],[\"Received\",\"from b.example.org by a.example.org; Tue, 1 Jul 2003 10:52:38"
	    " +0900\",\"from b.example.org by a.example.org; Tue, 1 Jul 2003 10:52:38 +0900\"],"
	    "[\"Return-Path\",\"<bounce@example.org>\",\"<bounce@example.org>\"],"
	    "[\"From\",\"=?UTF-8?B?7ZmN6ri464+Z?= <hong@example.kr>\",\"\xed\x99\x8d\xea\xb8\xb8\xeb\x8f\x99"
	    " <hong@example.kr>\"],[\"To\",\"a@example.org, b@example.org\",\"a@example.org,"
	    " b@example.org\"],[\"Subject\",\"parcel\",\"parcel\"],[\"Message-ID\",\"<p1@example.kr>\","
	    "\"<p1@example.kr>\"],[\"Date\",\"Tue, 1 Jul 2003 10:52:37 KST\",\"Tue, 1 Jul 2003 10:52:37"
	    " KST\"],[\"MIME-Version\",\"1.0\",\"1.0\"],[\"Content-Type\",\"multipart/mixed;"
	    " boundary=\\\"b1\\\"\",\"multipart/mixed; boundary=\\\"b1\\\"\"]]");
	CHECK_INT(plog_count(log), 0);
	message_record_free(r);
	plog_free(log);
}

/* A part whose header runs into the next boundary has no content at all
 * (GMime gives it no data wrapper): it is still a part of the message, kept
 * with its declared name and no bytes. Found by fuzz_message: the name read
 * from a Content-Type without a subtype leaked on that path. */
static const char headers_only[] =
    "From: a@example.org\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "body\r\n"
    "--b1\r\n"
    "Content-Type: BINARY; name=\"a.bin\"\r\n"
    "--b1--\r\n";

TEST(headers_only_part_kept)
{
	struct limits lim;
	struct plog *log = plog_new();
	struct msg_origin o = { .source = "mbox" };
	struct msg_env env = { .lim = &lim, .log = log, .source = "x.mbox", .where = "message 1" };
	struct msg_record *r;

	limits_default(&lim);
	r = message_parse(headers_only, strlen(headers_only), &o, &env);
	CHECK(r->parsed);
	CHECK_INT(r->nparts, 2);
	CHECK_STR(r->body_text, "body");
	CHECK_STR(r->parts[1].path, "2");
	CHECK_STR(r->parts[1].role, "attachment");
	CHECK_STR(r->parts[1].name, "a.bin");
	CHECK_STR(r->parts[1].type, "application/octet-stream"); /* GMime's reading of "BINARY" */
	CHECK(r->parts[1].file && r->parts[1].p != NULL);
	CHECK_INT(r->parts[1].len, 0);
	message_record_free(r);
	plog_free(log);
}

/* Issue 12: the Date of a message is read by maildate_parse(), the parser of
 * every other date: KST is UTC+9. */
TEST(date_kst_one_instant)
{
	struct fx f;
	char *s;

	CHECK(fx_open(&f, "kst"));
	CHECK_INT(fx_msg(&f, parcel, 1), 1);
	s = fx_q(&f, "SELECT date_raw, date_us, strftime('%Y-%m-%dT%H:%M:%SZ', date_us / 1000000,"
	    " 'unixepoch') FROM messages WHERE id = 1");
	CHECK_STR(s, "Tue, 1 Jul 2003 10:52:37 KST|1057024357000000|2003-07-01T01:52:37Z\n");
	free(s);
	/* the nested message is a message of its own, one level down */
	s = fx_q(&f, "SELECT id, parent_id, source, subject FROM messages WHERE id = 2");
	CHECK_STR(s, "2|1|rfc822|inner\n");
	free(s);
	fx_close(&f);
}

/* HTML to text through libxml2: named and numeric references, no-break
 * space, script and style dropped, blocks on lines of their own. */
TEST(html_entities)
{
	static const char html[] = "<html><head><title>t</title><style>p{}</style></head><body>"
	    "<p>caf&eacute; &nbsp; &#x263A; &lt;b&gt; &copy;2024</p><script>alert(1)</script>"
	    "<div>a<br>b</div><ul><li>one</li><li>two</li></ul>\x01</body></html>";
	bool capped = true;
	char *s = html_text(html, strlen(html), 1 << 20, &capped);

	/* "&nbsp;" is a space of its own between the two collapsed runs; the
	 * parser drops the control byte, which is not a character of HTML. */
	CHECK_STR(s, "caf\xc3\xa9   \xe2\x98\xba <b> \xc2\xa9" "2024\n\na\nb\none\ntwo");
	CHECK(!capped);
	free(s);
	s = html_text(html, strlen(html), 8, &capped);
	CHECK(capped);
	CHECK_STR(s, "caf\xc3\xa9");
	free(s);
	s = html_text("", 0, 16, NULL);
	CHECK_STR(s, "");
	free(s);
}

/* Issue 12: a part path is kept whole (it was cut at 63 bytes). 40 levels
 * of multipart under a raised depth ceiling: the leaf is part
 * "1.1. ... .1" (40 numbers, 79 bytes) in the artifact reference. */
TEST(deep_part_path_whole)
{
	struct fx f;
	struct buf b;
	char *s, *q;
	int i;
	bool ok = true;

	CHECK(fx_open(&f, "deeppath"));
	f.lim.mime_depth = 64;
	buf_init(&b, BUF_UNLIMITED);
	ok &= buf_adds(&b, "Subject: deep\r\nMIME-Version: 1.0\r\n");
	for (i = 0; i < 40; i++)
		ok &= buf_printf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i);
	ok &= buf_adds(&b, "Content-Type: application/octet-stream\r\n\r\nleaf\r\n");
	for (i = 39; i >= 0; i--)
		ok &= buf_printf(&b, "--b%d--\r\n", i);
	CHECK(ok);
	CHECK_INT(ingest_message(&f.ctx, b.p, b.len, &(struct msg_origin){ .source = "eml" }), 1);
	q = xasprintf("SELECT length(part_path), substr(part_path, 1, 8) FROM artifact_refs"
	    " WHERE role = 'attachment'");
	s = fx_q(&f, q);
	CHECK_STR(s, "79|1.1.1.1.\n");
	free(s);
	free(q);
	buf_free(&b);
	fx_close(&f);
}

int
main(void)
{
	RUN(deep_part_path_whole);
	RUN(parse_record_exact);
	RUN(headers_only_part_kept);
	RUN(date_kst_one_instant);
	RUN(html_entities);
	RUN(fields_and_addresses);
	RUN(envelope_and_observed_hop);
	RUN(every_transfer_encoding);
	RUN(nested_rfc822);
	RUN(broken_mime);
	RUN(repeated_warnings_counted);
	RUN(charsets_unknown_and_lying);
	RUN(rfc2047_korean);
	RUN(corpus_spam_2007);
	RUN(hostile_names_stay_text);
	RUN(caps_parts_depth_size);
	RUN(signed_encrypted_tnef);
	RUN(garbage_never_crashes);
	RUN(corpus_evidence02);
	RUN(report_model_and_templates);
	RUN(corpus_zeek_files);
	return check_done();
}
