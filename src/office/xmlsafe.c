/* xmlsafe.c - XML parts parsed with libxml2, safely.
 *
 * Office XML never needs a DTD (ECMA-376 Part 1 uses XML Schema; ODF, RELAX
 * NG), so a document type declaration in a part is a sign of crafting: the
 * billion-laughs expansion and external entities (XXE) both live there. The
 * parser runs without XML_PARSE_NOENT (no substitution), without
 * XML_PARSE_DTDLOAD / DTDATTR / DTDVALID (nothing loaded) and with
 * XML_PARSE_NONET; libxml2's own size and depth limits stay on (no
 * XML_PARSE_HUGE). The readers below take only literal text nodes, so an
 * entity reference that survives the parse is never followed. */
#include "office/office_int.h"
#include "util/plog.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define OXML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
	XML_PARSE_NOCDATA | XML_PARSE_COMPACT)

xmlDocPtr
oxml_parse(const char *p, size_t len, struct plog *log, const char *source,
    const char *part, bool *saw_dtd)
{
	xmlParserCtxtPtr cx;
	xmlDocPtr doc;
	const xmlError *e;

	if (len > (size_t)INT32_MAX) {
		plog_add(log, PLOG_WARN, "office.xml.size", source, part, "XML part too large to parse");
		return NULL;
	}
	cx = xmlNewParserCtxt();
	if (cx == NULL) {
		plog_add(log, PLOG_ERROR, "office.xml", source, part, "libxml2 parser could not be created");
		return NULL;
	}
	doc = xmlCtxtReadMemory(cx, p, (int)len, NULL, NULL, OXML_OPTIONS);
	e = xmlCtxtGetLastError(cx);
	if (doc == NULL || (e != NULL && e->code != XML_ERR_OK)) {
		/* libxml2's messages end in a newline */
		const char *m = e && e->message ? e->message : "not well-formed";
		int n = (int)strcspn(m, "\n");

		plog_add(log, PLOG_WARN, "office.xml", source, part, "XML part %s: %.*s (line %d)",
		    doc == NULL ? "not read" : "read with an error", n, m, e ? e->line : 0);
	}
	if (doc != NULL && (doc->intSubset != NULL || doc->extSubset != NULL)) {
		if (saw_dtd != NULL)
			*saw_dtd = true;
		plog_add(log, PLOG_WARN, "office.xml.dtd", source, part,
		    "document type declaration in an office XML part (crafted?): entities were not expanded and nothing was loaded");
	}
	xmlFreeParserCtxt(cx);
	return doc;
}

bool
oxml_is(const xmlNode *n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

const char *
oxml_attr(const xmlNode *n, const char *local, const char *nsfrag)
{
	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return NULL;
	for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
		if (strcmp((const char *)a->name, local) != 0)
			continue;
		if (nsfrag != NULL && (a->ns == NULL ||
		    strstr((const char *)a->ns->href, nsfrag) == NULL))
			continue;
		for (const xmlNode *c = a->children; c != NULL; c = c->next)
			if (c->type == XML_TEXT_NODE && c->content != NULL)
				return (const char *)c->content;
		return "";
	}
	return NULL;
}

void
oxml_text_add(struct buf *b, const xmlNode *n)
{
	for (const xmlNode *c = n->children; c != NULL; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
		    c->content != NULL)
			ob_s(b, (const char *)c->content);
}

xmlNode *
oxml_child(const xmlNode *n, const char *name)
{
	if (n == NULL)
		return NULL;
	for (xmlNode *c = n->children; c != NULL; c = c->next)
		if (oxml_is(c, name))
			return c;
	return NULL;
}

void
oxml_text_deep(struct buf *b, const xmlNode *n)
{
	/* Recursion is bounded by libxml2's depth limit (256 without
	 * XML_PARSE_HUGE). Entity reference nodes are skipped. */
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
		    c->content != NULL)
			ob_s(b, (const char *)c->content);
		else if (c->type == XML_ELEMENT_NODE)
			oxml_text_deep(b, c);
	}
}

void
ob_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	ob_s(b, s);
	free(s);
}
