/* sasl_ntlm.c - NTLM over SASL-like AUTH (MS-SMTPNTLM, MS-POP3, MS-OXIMAP
 * use the same three messages): NEGOTIATE (Type 1), CHALLENGE (Type 2) and
 * AUTHENTICATE (Type 3) of MS-NLMP 2.2.1. From Type 3 come the user, domain
 * and workstation; with the server challenge of Type 2, a hashcat line
 * (sasl.h). Every byte is read through src/util/rd.h. */
#include "mail/sasl_int.h"

#include <glib.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/rd.h"
#include "util/text.h"
#include "util/xalloc.h"

/* MS-NLMP 2.2.2.5: the NEGOTIATE flags this decoder looks at. */
#define NTLMSSP_NEGOTIATE_UNICODE                  0x00000001u
#define NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED      0x00001000u
#define NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED 0x00002000u
#define NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY 0x00080000u

/* MS-NLMP 2.2.1.3: the fixed part of AUTHENTICATE up to NegotiateFlags. */
#define NTLM_TYPE3_FIXED 64
/* MS-NLMP 3.3.1/3.3.2: an NTLMv1 response is 24 bytes; an NTLMv2 one is
 * NTProofStr (16) followed by the client blob (at least 28). */
#define NTLM_V1_RESPONSE 24
#define NTLM_PROOF 16

/* MS-NLMP 2.2.1: the payload fields are (Len, MaxLen, BufferOffset). */
struct ntlm_field {
	uint16_t len;
	uint32_t off;
};

static struct ntlm_field
field_read(struct rd *r)
{
	struct ntlm_field f;

	f.len = rd_le16(r);
	(void)rd_le16(r);          /* MaxLen: SHOULD equal Len, not used */
	f.off = rd_le32(r);
	return f;
}

/* The bytes of a field inside the whole message; false when they lie outside. */
static bool
field_bytes(const uint8_t *msg, size_t n, struct ntlm_field f, struct slice *out)
{
	struct rd r;

	rd_init(&r, msg, n);
	rd_skip(&r, f.off);
	*out = rd_bytes(&r, f.len);
	return rd_ok(&r);
}

/* MS-NLMP 2.2: strings are UTF-16LE when NTLMSSP_NEGOTIATE_UNICODE was
 * negotiated, otherwise in the OEM code page (kept as bytes, cleaned). */
static char *
field_text(struct slice s, bool unicode)
{
	if (unicode && s.len % 2 == 0) {
		size_t i, nu = s.len / 2;
		gunichar2 *u = xcalloc(nu + 1, sizeof(*u));
		struct rd r;
		glong wrote = 0;
		gchar *utf8;

		rd_init(&r, s.p, s.len);
		for (i = 0; i < nu; i++)
			u[i] = rd_le16(&r);
		utf8 = g_utf16_to_utf8(u, (glong)nu, NULL, &wrote, NULL);
		free(u);
		if (utf8 != NULL) {
			char *t = text_clean(utf8, (size_t)wrote, 0);
			g_free(utf8);
			return t;
		}
	}
	return text_clean(s.p, s.len, 0);
}

static void
field_set(char **dst, const uint8_t *msg, size_t n, struct ntlm_field f, bool unicode)
{
	struct slice s;

	if (f.len == 0 || !field_bytes(msg, n, f, &s))
		return;
	free(*dst);
	*dst = field_text(s, unicode);
}

/* MS-NLMP 2.2.1.1 NEGOTIATE_MESSAGE: domain and workstation only when the
 * client says it supplied them, and always in the OEM code page. */
static void
ntlm_negotiate(struct sasl_auth *a, const uint8_t *msg, size_t n, struct rd *r)
{
	uint32_t flags = rd_le32(r);
	struct ntlm_field dom = field_read(r), ws = field_read(r);

	if (!rd_ok(r))
		return;
	if ((flags & NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED) && a->domain == NULL)
		field_set(&a->domain, msg, n, dom, false);
	if ((flags & NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED) && a->workstation == NULL)
		field_set(&a->workstation, msg, n, ws, false);
}

/* MS-NLMP 2.2.1.2 CHALLENGE_MESSAGE: the 8-byte ServerChallenge. */
static void
ntlm_challenge(struct sasl_auth *a, const uint8_t *msg, size_t n, struct rd *r)
{
	struct ntlm_field target = field_read(r);
	uint32_t flags = rd_le32(r);
	struct slice chal = rd_bytes(r, 8);
	char *hex, *name = NULL;

	if (!rd_ok(r))
		return;
	memcpy(a->ntlm_chal, chal.p, 8);
	a->ntlm_have_chal = true;
	hex = sasl_hex(chal.p, 8);
	sasl_detail(a, "server_challenge", hex);
	free(hex);
	field_set(&name, msg, n, target, (flags & NTLMSSP_NEGOTIATE_UNICODE) != 0);
	if (name != NULL)
		sasl_detail(a, "target", name);
	free(name);
}

/* hashcat's NetNTLMv1 (5500) or NetNTLMv2 (5600) line (sasl.h). */
static void
ntlm_crack_line(struct sasl_auth *a, struct slice lm, struct slice nt)
{
	const char *u = a->user ? a->user : "", *d = a->domain ? a->domain : "";
	char *chal, *x, *y;

	if (!a->ntlm_have_chal) {
		sasl_detail(a, "crack_line", "none (no Type 2 challenge seen)");
		return;
	}
	if (strchr(u, ':') != NULL || strchr(d, ':') != NULL) {
		sasl_detail(a, "crack_line", "none (':' in user or domain)");
		return;
	}
	chal = sasl_hex(a->ntlm_chal, 8);
	free(a->crack_line);
	if (nt.len == NTLM_V1_RESPONSE) {
		x = sasl_hex(lm.p, lm.len);
		y = sasl_hex(nt.p, nt.len);
		a->crack_line = xasprintf("%s::%s:%s:%s:%s", u, d, x, y, chal);
	} else {
		x = sasl_hex(nt.p, NTLM_PROOF);
		y = sasl_hex(nt.p + NTLM_PROOF, nt.len - NTLM_PROOF);
		a->crack_line = xasprintf("%s::%s:%s:%s:%s", u, d, chal, x, y);
	}
	free(x);
	free(y);
	free(chal);
}

/* MS-NLMP 2.2.1.3 AUTHENTICATE_MESSAGE. */
static void
ntlm_authenticate(struct sasl_auth *a, const uint8_t *msg, size_t n, struct rd *r)
{
	struct ntlm_field lmf = field_read(r), ntf = field_read(r), dom = field_read(r);
	struct ntlm_field user = field_read(r), ws = field_read(r);
	struct slice lm = { NULL, 0 }, nt = { NULL, 0 };
	uint32_t flags = NTLMSSP_NEGOTIATE_UNICODE;
	bool unicode;

	(void)field_read(r);       /* EncryptedRandomSessionKey */
	if (!rd_ok(r))
		return;
	/* NegotiateFlags follow when the payload starts after them (very old
	 * clients end the header at the session key fields). */
	if (n >= NTLM_TYPE3_FIXED && (user.len == 0 || user.off >= NTLM_TYPE3_FIXED))
		flags = rd_le32(r);
	unicode = (flags & NTLMSSP_NEGOTIATE_UNICODE) != 0;
	a->ntlm_done = true;
	field_set(&a->domain, msg, n, dom, unicode);
	field_set(&a->user, msg, n, user, unicode);
	field_set(&a->workstation, msg, n, ws, unicode);
	if (!field_bytes(msg, n, lmf, &lm) || !field_bytes(msg, n, ntf, &nt)) {
		sasl_detail(a, "malformed", "a response field lies outside the message");
		return;
	}
	sasl_detail(a, "encoding", unicode ? "unicode" : "oem");
	if (nt.len == 0 && (user.len == 0 || lm.len <= 1)) {
		sasl_detail(a, "ntlm", "anonymous");   /* MS-NLMP 3.2.5.1.2 */
		return;
	}
	free(a->secret);
	a->secret = sasl_hex(nt.p, nt.len);
	if (nt.len == NTLM_V1_RESPONSE) {
		a->secret_kind = "netntlmv1 response";
		sasl_detail(a, "ntlm", (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) ?
		    "v1 with extended session security" : "v1");
	} else if (nt.len > NTLM_PROOF + 8) {
		a->secret_kind = "netntlmv2 response";
		sasl_detail(a, "ntlm", "v2");
	} else {
		a->secret_kind = "ntlm response";
		sasl_detail(a, "ntlm", "unknown response length");
		return;
	}
	ntlm_crack_line(a, lm, nt);
}

void
sasl_ntlm_message(struct sasl_auth *a, const uint8_t *p, size_t n)
{
	struct rd r;
	struct slice sig;
	uint32_t type;

	rd_init(&r, p, n);
	sig = rd_bytes(&r, 8);
	if (!rd_ok(&r) || memcmp(sig.p, "NTLMSSP", 8) != 0) {
		sasl_detail(a, "malformed", "not an NTLMSSP message");
		return;
	}
	type = rd_le32(&r);
	if (type == 1)
		ntlm_negotiate(a, p, n, &r);
	else if (type == 2)
		ntlm_challenge(a, p, n, &r);
	else if (type == 3)
		ntlm_authenticate(a, p, n, &r);
	if (!rd_ok(&r))
		sasl_detail(a, "malformed", "truncated NTLMSSP message");
}
