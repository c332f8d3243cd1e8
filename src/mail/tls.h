/* tls.h - what a TLS connection shows in the clear: the handshake records
 * of both directions (RFC 8446 5.1, RFC 5246 6.2) read up to the point
 * where encryption starts, the ClientHello and ServerHello facts (versions,
 * SNI, ALPN, cipher suites), the JA3/JA3S and JA4 fingerprints, and, for
 * TLS up to 1.2, the server's certificate chain (facts from x509.h).
 *
 * A pure parser: bytes of the two directions in, a struct tls_info out. It
 * never logs or stores; what went wrong is in the record (err, capped) for
 * the caller to report. The input slices are borrowed for the call; the
 * record owns every string and certificate in it, tls_info_free()
 * releases them. */
#ifndef MC_TLS_H
#define MC_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mail/x509.h"
#include "util/rd.h"

/* Handshake bytes kept per direction: a ClientHello is a few hundred bytes,
 * a server's certificate chain rarely passes 16 KiB; RFC 8446 4 allows
 * messages up to 2^24 bytes, which no capture needs in memory. */
#define TLS_HANDSHAKE_MAX ((size_t)256 * 1024)
/* Certificates kept from one chain (RFC 5246 7.4.2 sets no count). */
#define TLS_CERTS_MAX 16

/* True when s starts with a plausible TLS record header (RFC 8446 5.1,
 * RFC 5246 6.2): content type 20..23, version 0x0300..0x0304 (SSL 3.0 up;
 * TLS 1.3 records carry 0x0301 or 0x0303), a length of 1..2^14+2048. With
 * hello, the record must be a handshake whose first message is a
 * ClientHello (type 1). Fewer than 6 bytes never look like one. */
bool tls_record_looks(struct slice s, bool hello);

struct tls_info {
	bool client_hello, server_hello;       /* seen and parsed */
	uint16_t record_version;               /* of the first client record */
	uint16_t client_version;               /* ClientHello legacy_version */
	uint16_t server_version;               /* ServerHello legacy_version */
	uint16_t version;                      /* negotiated: supported_versions of the
	                                        * ServerHello, else its legacy_version; 0 unknown */
	char *offered_versions;                /* supported_versions of the ClientHello,
	                                        * "0x0304,0x0303" (GREASE left out); NULL: none */
	char *sni;                             /* first host_name (RFC 6066 3), cleaned text */
	char *alpn_offered;                    /* "imap,h2" (RFC 7301 3.1), cleaned text */
	char *alpn;                            /* chosen by the server (TLS <= 1.2: ServerHello) */
	char *ciphers;                         /* offered, "0xc02f,0x1301" in order, GREASE left out */
	uint16_t cipher;                       /* chosen; valid when server_hello */
	char *ja3, ja3_md5[33];                /* JA3 string and its MD5 ("" without ClientHello) */
	char *ja3s, ja3s_md5[33];              /* JA3S (without ServerHello: NULL, "") */
	char ja4[40];                          /* FoxIO JA4_a_b_c ("" without ClientHello) */
	bool hrr;                              /* the server sent a HelloRetryRequest */
	uint16_t hrr_group;                    /* the key-share group it asked for (0: none) */
	bool client_hello2;                    /* the client's ClientHello after it was read */
	char ja4_retry[40];                    /* that ClientHello's JA4 ("" without it) */
	struct x509_facts certs[TLS_CERTS_MAX];
	size_t ncerts;
	size_t certs_dropped;                  /* chain entries past TLS_CERTS_MAX */
	bool certs_hidden;                     /* TLS 1.3: the Certificate is encrypted */
	bool capped[2];                        /* handshake passed TLS_HANDSHAKE_MAX (per direction) */
	/* Where the clear handshake of each direction ends (the first
	 * ChangeCipherSpec or application_data record, or the end). */
	uint64_t clear_end[2];
	/* The first malformed thing in each direction and its offset there. */
	const char *err[2];
	uint64_t err_off[2];
};

/* Reads the client (dir 0) and server (dir 1) bytes from their start. Returns
 * false when neither direction begins with a TLS record (nothing filled but
 * err). */
bool tls_parse(struct slice client, struct slice server, struct tls_info *out);
void tls_info_free(struct tls_info *t);
/* "TLS 1.2" for 0x0303 and so on, "0x7f1c" for others; static or buf. */
const char *tls_version_name(uint16_t v, char buf[8]);
/* The IANA name of cipher suite id ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
 * as OpenSSL's libssl knows it (SSL_CIPHER_standard_name), "GREASE" for the
 * RFC 8701 values, the two signalling values by their RFC names; NULL for a
 * suite OpenSSL does not know (export and other retired suites). */
const char *tls_cipher_name(uint16_t id);
/* The name of key-exchange group id (RFC 8446 4.2.7), "secp256r1",
 * "x25519", as libssl knows it (SSL_group_to_name); NULL when it does not. */
const char *tls_group_name(uint16_t id);

#endif
