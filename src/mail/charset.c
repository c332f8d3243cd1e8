/* charset.c - decoder names for charset labels (WHATWG Encoding Standard
 * section 4.2) and libuchardet's guess. See charset.h. */
#include "mail/charset.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <uchardet.h>

#include "util/xalloc.h"

/* The labels mail carries, from the Encoding Standard's table; each maps
 * to the glibc iconv name of the encoding the standard decodes it as. */
static const struct { const char *label, *decoder; } labels[] = {
	{ "ansi_x3.4-1968", "WINDOWS-1252" }, { "cp1252", "WINDOWS-1252" },
	{ "cp819", "WINDOWS-1252" }, { "csisolatin1", "WINDOWS-1252" },
	{ "ibm819", "WINDOWS-1252" }, { "iso-8859-1", "WINDOWS-1252" },
	{ "iso-ir-100", "WINDOWS-1252" }, { "iso8859-1", "WINDOWS-1252" },
	{ "iso88591", "WINDOWS-1252" }, { "iso_8859-1", "WINDOWS-1252" },
	{ "iso_8859-1:1987", "WINDOWS-1252" }, { "l1", "WINDOWS-1252" },
	{ "latin1", "WINDOWS-1252" }, { "windows-1252", "WINDOWS-1252" },
	{ "x-cp1252", "WINDOWS-1252" },
	{ "iso-8859-9", "WINDOWS-1254" }, { "latin5", "WINDOWS-1254" },
	{ "iso-8859-11", "WINDOWS-874" }, { "tis-620", "WINDOWS-874" },
	{ "cseuckr", "CP949" }, { "csksc56011987", "CP949" }, { "euc-kr", "CP949" },
	{ "iso-ir-149", "CP949" }, { "korean", "CP949" }, { "ks_c_5601-1987", "CP949" },
	{ "ks_c_5601-1989", "CP949" }, { "ksc5601", "CP949" }, { "ksc_5601", "CP949" },
	{ "windows-949", "CP949" }, { "uhc", "CP949" },
	{ "chinese", "GB18030" }, { "csgb2312", "GB18030" }, { "csiso58gb231280", "GB18030" },
	{ "gb2312", "GB18030" }, { "gb_2312", "GB18030" }, { "gb_2312-80", "GB18030" },
	{ "gbk", "GB18030" }, { "iso-ir-58", "GB18030" }, { "x-gbk", "GB18030" },
	{ "gb18030", "GB18030" },
	{ "big5", "BIG5-HKSCS" }, { "big5-hkscs", "BIG5-HKSCS" }, { "cn-big5", "BIG5-HKSCS" },
	{ "csbig5", "BIG5-HKSCS" }, { "x-x-big5", "BIG5-HKSCS" },
	{ "csshiftjis", "CP932" }, { "ms932", "CP932" }, { "ms_kanji", "CP932" },
	{ "shift-jis", "CP932" }, { "shift_jis", "CP932" }, { "sjis", "CP932" },
	{ "windows-31j", "CP932" }, { "x-sjis", "CP932" },
};

const char *
charset_decoder(const char *label)
{
	if (label == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcasecmp(labels[i].label, label) == 0)
			return labels[i].decoder;
	return label;
}

char *
charset_guess(const void *p, size_t n)
{
	uchardet_t u = uchardet_new();
	const char *cs;
	char *r = NULL;

	if (u == NULL)
		return NULL;
	if (uchardet_handle_data(u, p, n) == 0) {
		uchardet_data_end(u);
		cs = uchardet_get_charset(u);
		if (cs != NULL && *cs != 0 && strcasecmp(cs, "ASCII") != 0)
			r = xstrdup(charset_decoder(cs));
	}
	uchardet_delete(u);
	return r;
}
