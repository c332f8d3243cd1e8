/* emlx.c - the byte count line of an Apple Mail .emlx file. See emlx.h. */
#include "mailstore/emlx.h"

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/rd.h"
#include "util/text.h"

/* The count line: decimal digits, optional blanks, LF (the files Apple
 * Mail writes). Twenty digits at the most. */
bool
emlx_split(const void *p, size_t len, size_t *off, size_t *mlen, size_t *declared, bool *lying)
{
	struct rd r;
	struct slice line;
	size_t v = 0, i, digits = 0;

	rd_init(&r, p, len);
	if (!rd_line(&r, 64, &line) || line.len == 0)
		return false;
	for (i = 0; i < line.len && line.p[i] == ' '; i++)
		;
	for (; i < line.len && line.p[i] >= '0' && line.p[i] <= '9'; i++) {
		if (++digits > 19)
			return false;
		v = v * 10 + (size_t)(line.p[i] - '0');
	}
	if (digits == 0)
		return false;
	for (; i < line.len; i++)
		if (line.p[i] != ' ' && line.p[i] != '\t')
			return false;
	*off = r.off;
	*declared = v;
	*lying = v > len - r.off;
	*mlen = *lying ? len - r.off : v;
	return true;
}

/* The bits of the "flags" integer, as Jamie Zawinski worked them out
 * ("emlx flags", jwz.org/blog/2005/07/emlx-flags/) and Thunderbird's Apple
 * Mail importer uses them (nsEmlxHelperUtils.h): bits 0-9 are state,
 * 10-15 the attachment count, 16-22 the priority, 23-25 signature and
 * junk marks. */
static const struct { unsigned bit; const char *name; } emlx_bits[] = {
	{ 0, "read" }, { 1, "deleted" }, { 2, "answered" }, { 3, "encrypted" },
	{ 4, "flagged" }, { 5, "recent" }, { 6, "draft" }, { 7, "initial" },
	{ 8, "forwarded" }, { 9, "redirected" }, { 23, "signed" }, { 24, "junk" },
	{ 25, "not-junk" },
};

static void
plist_flags(json_t *o, long long v)
{
	json_t *set = json_array();

	for (size_t i = 0; i < sizeof(emlx_bits) / sizeof(emlx_bits[0]); i++)
		if (v & (1LL << emlx_bits[i].bit))
			json_array_append_new(set, json_string(emlx_bits[i].name));
	json_object_set_new(o, "flags_set", set);
	json_object_set_new(o, "attachments", json_integer((v >> 10) & 0x3f));
}

static json_t *
plist_value(xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	const char *name = (const char *)n->name;
	char *t = text_clean((const char *)(c ? c : (const xmlChar *)""),
	    c ? strlen((const char *)c) : 0, 0);
	json_t *v;

	if (strcmp(name, "integer") == 0)
		v = json_integer(strtoll(t, NULL, 10));
	else if (strcmp(name, "real") == 0)
		v = json_real(strtod(t, NULL));
	else if (strcmp(name, "true") == 0 || strcmp(name, "false") == 0)
		v = json_boolean(name[0] == 't');
	else
		v = json_string(t);
	free(t);
	xmlFree(c);
	return v;
}

char *
emlx_plist(const void *p, size_t len)
{
	xmlDoc *doc;
	xmlNode *root, *dict = NULL, *n;
	json_t *o;
	char *r;

	if (len == 0 || len > INT32_MAX)
		return NULL;
	doc = xmlReadMemory(p, (int)len, "plist.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		return NULL;
	root = xmlDocGetRootElement(doc);
	for (n = root ? root->children : NULL; n && !dict; n = n->next)
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "dict") == 0)
			dict = n;
	o = json_object();
	for (n = dict ? dict->children : NULL; n; n = n->next) {
		xmlNode *v;
		xmlChar *k;
		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "key") != 0)
			continue;
		for (v = n->next; v && v->type != XML_ELEMENT_NODE; v = v->next)
			;
		if (v == NULL)
			break;
		k = xmlNodeGetContent(n);
		json_object_set_new(o, k ? (const char *)k : "", plist_value(v));
		if (k && strcmp((const char *)k, "flags") == 0)
			plist_flags(o, json_integer_value(json_object_get(o, "flags")));
		xmlFree(k);
		n = v;
	}
	xmlFreeDoc(doc);
	r = dict ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	return r;
}
