/* sasl_gssapi.c - what a GSSAPI (RFC 4752) exchange shows in the clear.
 *
 * The client's first token is an InitialContextToken (RFC 2743 3.1): the
 * mechanism OID, then for Kerberos V5 (RFC 1964 1.1, RFC 4121 4.1) the token
 * id 01 00 and a KRB_AP_REQ (RFC 4120 5.5.1). Of the AP-REQ only the ticket's
 * realm and service name (5.3) are in clear; the client's own name is in the
 * authenticator, encrypted with the session key, so a capture never shows
 * who logged in, only to what. SPNEGO (RFC 4178) tokens that wrap NTLMSSP
 * are handed to the NTLM decoder. DER is read through src/util/rd.h. */
#include "mail/sasl_int.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/rd.h"
#include "util/text.h"
#include "util/xalloc.h"

/* 1.2.840.113554.1.2.2 (RFC 1964 1) and 1.3.6.1.5.5.2 (RFC 4178 3) */
static const uint8_t oid_krb5[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02 };
static const uint8_t oid_spnego[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02 };

/* The principal names kept: a service name has a few components. */
#define KRB_NAME_PARTS 8

/* One DER TLV (X.690 8.1): single-byte tags only, which is all Kerberos
 * uses. The value becomes a sub-reader; false when the tag differs. */
static bool
der_tlv(struct rd *r, uint8_t want, struct rd *val)
{
	uint8_t tag = rd_u8(r), l0 = rd_u8(r);
	size_t len = l0, i;

	if (l0 & 0x80) {
		if ((l0 & 0x7f) == 0 || (l0 & 0x7f) > 4) {
			rd_fail(r, "bad DER length");
			return false;
		}
		for (len = 0, i = 0; i < (size_t)(l0 & 0x7f); i++)
			len = len << 8 | rd_u8(r);
	}
	*val = rd_sub(r, len);
	return rd_ok(r) && tag == want;
}

/* Skips TLVs until context tag [n] (0xa0 + n) of a SEQUENCE. */
static bool
der_field(struct rd *seq, unsigned n, struct rd *val)
{
	while (rd_left(seq) > 0) {
		struct slice t;
		if (!rd_peek(seq, 1, &t))
			return false;
		if (t.p[0] == 0xa0 + n)
			return der_tlv(seq, (uint8_t)(0xa0 + n), val);
		(void)der_tlv(seq, t.p[0], val);
	}
	return false;
}

/* PrincipalName (RFC 4120 5.2.2) as "a/b". */
static char *
krb_name(struct rd *pn)
{
	struct rd seq, f, list, s;
	struct buf b;
	unsigned k = 0;

	buf_init(&b, 4096);
	if (der_tlv(pn, 0x30, &seq) && der_field(&seq, 1, &f) && der_tlv(&f, 0x30, &list))
		while (rd_left(&list) > 0 && k++ < KRB_NAME_PARTS && der_tlv(&list, 0x1b, &s)) {
			struct slice v = rd_rest(&s);
			if (!buf_adds(&b, k > 1 ? "/" : "") || !buf_add(&b, v.p, v.len))
				break;
		}
	return buf_take(&b);
}

/* KRB_AP_REQ: [APPLICATION 14] SEQUENCE { ..., ticket [3], authenticator [4] }. */
static void
krb_ap_req(struct sasl_auth *a, struct rd *r)
{
	struct rd app, seq, f, tkt, tseq, rf, realm, sname, enc, eseq, ef, et;
	struct slice rv;
	char *name, *spn, num[16];

	if (!der_tlv(r, 0x6e, &app) || !der_tlv(&app, 0x30, &seq) || !der_field(&seq, 3, &f) ||
	    !der_tlv(&f, 0x61, &tkt) || !der_tlv(&tkt, 0x30, &tseq) ||
	    !der_field(&tseq, 1, &rf) || !der_tlv(&rf, 0x1b, &realm)) {
		sasl_detail(a, "malformed", "not a Kerberos AP-REQ");
		return;
	}
	rv = rd_rest(&realm);
	sasl_str_set(&a->domain, rv.p, rv.len);
	if (der_field(&tseq, 2, &sname)) {
		name = krb_name(&sname);
		spn = xasprintf("%s@%s", name, a->domain);
		sasl_detail(a, "service", spn);
		free(spn);
		free(name);
	}
	/* EncryptedData (5.2.9): etype [0] names the cipher of the authenticator */
	if (der_field(&seq, 4, &enc) && der_tlv(&enc, 0x30, &eseq) && der_field(&eseq, 0, &ef) &&
	    der_tlv(&ef, 0x02, &et) && rd_left(&et) >= 1 && rd_left(&et) <= 4) {
		long v = 0;
		while (rd_left(&et) > 0)
			v = v << 8 | rd_u8(&et);
		snprintf(num, sizeof(num), "%ld", v);
		sasl_detail(a, "authenticator_etype", num);
	}
	sasl_detail(a, "client_principal", "encrypted");
}

void
sasl_gssapi_token(struct sasl_auth *a, const uint8_t *p, size_t n)
{
	struct rd r, tok, oid;
	struct slice o, id;
	const uint8_t *ntlm;

	rd_init(&r, p, n);
	if (n > 0 && p[0] != 0x60) {
		/* a later SPNEGO token (negTokenResp, RFC 4178 4.2.2) */
		ntlm = memmem(p, n, "NTLMSSP", 8);
		if (ntlm != NULL)
			sasl_ntlm_message(a, ntlm, n - (size_t)(ntlm - p));
		return;
	}
	if (!der_tlv(&r, 0x60, &tok) || !der_tlv(&tok, 0x06, &oid)) {
		sasl_detail(a, "malformed", "not a GSS-API initial context token");
		return;
	}
	o = rd_rest(&oid);
	if (o.len == sizeof(oid_krb5) && memcmp(o.p, oid_krb5, o.len) == 0) {
		sasl_detail(a, "gss_mech", "kerberos");
		id = rd_bytes(&tok, 2);
		if (rd_ok(&tok) && id.p[0] == 0x01 && id.p[1] == 0x00)
			krb_ap_req(a, &tok);
	} else if (o.len == sizeof(oid_spnego) && memcmp(o.p, oid_spnego, o.len) == 0) {
		sasl_detail(a, "gss_mech", "spnego");
		ntlm = memmem(p, n, "NTLMSSP", 8);
		if (ntlm != NULL)
			sasl_ntlm_message(a, ntlm, n - (size_t)(ntlm - p));
	} else {
		sasl_detail(a, "gss_mech", "other");
	}
}
