/* ntlmgen.h - NTLM messages (MS-NLMP 2.2.1) computed from a known password
 * with libcrypto, and a check of hashcat's NetNTLMv1 (5500) and NetNTLMv2
 * (5600) lines against a password, done the way hashcat computes them:
 *   NT hash      = MD4(UTF-16LE(password))
 *   NTLMv2 hash  = HMAC-MD5(NT hash, UTF-16LE(upper(user) + domain))
 *   NTProofStr   = HMAC-MD5(NTLMv2 hash, server challenge || blob)
 *   NTLMv1       = DES(K1|K2|K3 of the NT hash padded to 21 bytes, c), with
 *                  c the server challenge, or MD5(challenge || client
 *                  challenge)[0..8] when the LM field is the client challenge
 *                  and 16 zero bytes (extended session security).
 * Text is UTF-8 and converted with GLib. Each builder writes into out (at
 * least 1024 bytes) and returns the length. */
#ifndef MC_NTLMGEN_H
#define MC_NTLMGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* NEGOTIATE with OEM domain and workstation supplied. */
size_t ntlmgen_type1(uint8_t *out, const char *domain, const char *ws);
/* CHALLENGE with a Unicode target name and target info (NetBIOS domain). */
size_t ntlmgen_type2(uint8_t *out, const uint8_t chal[8], const char *target);
/* AUTHENTICATE with an NTLMv2 response; Unicode strings. */
size_t ntlmgen_type3_v2(uint8_t *out, const char *user, const char *domain, const char *ws,
    const char *password, const uint8_t chal[8], const uint8_t cchal[8], uint64_t filetime);
/* AUTHENTICATE with an NTLMv1 response (the NT response in both fields);
 * strings in the OEM code page when !unicode. */
size_t ntlmgen_type3_v1(uint8_t *out, const char *user, const char *domain, const char *ws,
    const char *password, const uint8_t chal[8], bool unicode);

/* True when the hashcat line verifies with password. */
bool ntlmgen_verify_5600(const char *line, const char *password);
bool ntlmgen_verify_5500(const char *line, const char *password);

#endif
