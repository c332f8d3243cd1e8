/* rfc2047.h - encoded-words (RFC 2047) as mail really writes them, made
 * ready for GMime's decoder.
 *
 * GMime decodes encoded-words, but two things real mail does defeat it:
 * labels whose registry meaning is not what clients decode (charset.h:
 * "iso-8859-1" is windows-1252, "ks_c_5601-1987" is CP949), and a
 * character split across adjacent base64 words, each padded ("=?UTF-8?B?
 * 7JU=?= =?UTF-8?B?iA==?=", written by mailers that fold by bytes).
 * rfc2047_prepare() rewrites a header value so that GMime reads it as
 * clients do: labels replaced by their decoder's name, and each run of
 * adjacent B-words of one charset joined into a single word (its bytes
 * decoded and encoded again with GLib's base64). Everything else is left
 * as written. Pure: string in, string out. */
#ifndef MC_RFC2047_H
#define MC_RFC2047_H

#include <stdbool.h>

/* A new string (free() it) with the rewrites above, or NULL when value
 * needs none. */
char *rfc2047_prepare(const char *value);

#endif
