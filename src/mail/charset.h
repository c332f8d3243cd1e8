/* charset.h - which decoder a charset label in mail really needs, and a
 * guess for bytes that declare none.
 *
 * Mail clients decode by the WHATWG Encoding Standard's table of labels
 * (section 4.2, "Names and labels"), not by the registry's letter:
 * "iso-8859-1" text is read as windows-1252 (its 0x80-0x9F are curly
 * quotes and the euro sign, not C1 controls), "ks_c_5601-1987" and
 * "euc-kr" as windows-949 (CP949), "gb2312" as GB18030, "shift_jis" as
 * windows-31j (CP932), "big5" as Big5-HKSCS. Pure: no I/O. */
#ifndef MC_CHARSET_H
#define MC_CHARSET_H

#include <stddef.h>

/* The iconv name to decode text labelled label with: a static string, or
 * label itself when no rule applies (iconv then decides). NULL for NULL. */
const char *charset_decoder(const char *label);

/* libuchardet's guess for bytes that declare no charset (its name, e.g.
 * "SHIFT_JIS", "EUC-KR", "WINDOWS-1252"), mapped through
 * charset_decoder(); a new string, or NULL when it has none. */
char *charset_guess(const void *p, size_t n);

#endif
