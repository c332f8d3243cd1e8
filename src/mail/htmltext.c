/* htmltext.c - HTML to plain text through libxml2 (see htmltext.h).
 *
 * The tree libxml2's HTML parser builds (HTML_PARSE_RECOVER: broken markup is
 * read as browsers would) is walked in document order: text nodes give their
 * text with runs of white space as one space (HTML 4.01 section 9.1),
 * script, style and head give nothing, and block elements start a line of
 * their own (p leaves an empty line, br breaks one). Entities were already
 * replaced by the parser; a no-break space (U+00A0) is written as a space. */
#include "mail/htmltext.h"
#include "util/buf.h"
#include "util/text.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct ht {
	struct buf b;
	int nl;            /* line breaks just written (2 at the start) */
	bool space;        /* white space seen and not yet written */
};

static void
ht_add(struct ht *h, const char *s, size_t n)
{
	if (!buf_add(&h->b, s, n))
		h->b.capped = true;
}

/* Line breaks an element asks for, before and after it. */
static int
ht_breaks(const char *name)
{
	static const char *const blocks[] = { "div", "tr", "li", "h1", "h2", "h3", "h4",
	    "h5", "h6", "table", "blockquote", "ul", "ol", "pre", "hr", NULL };
	size_t i;

	if (strcasecmp(name, "br") == 0)
		return -1;    /* one more than already written */
	if (strcasecmp(name, "p") == 0)
		return 2;
	for (i = 0; blocks[i]; i++)
		if (strcasecmp(name, blocks[i]) == 0)
			return 1;
	return 0;
}

static void
ht_break(struct ht *h, int want)
{
	if (want < 0)
		want = h->nl + 1;
	if (want > 2)
		want = 2;
	while (h->nl < want) {
		ht_add(h, "\n", 1);
		h->nl++;
	}
	if (want)
		h->space = false;
}

static void
ht_text(struct ht *h, const unsigned char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == '\f') {
			h->space = true;
			continue;
		}
		if (h->space && h->nl == 0)
			ht_add(h, " ", 1);
		h->space = false;
		h->nl = 0;
		if (s[0] == 0xc2 && s[1] == 0xa0) {
			ht_add(h, " ", 1);
			s++;
			continue;
		}
		ht_add(h, (const char *)s, 1);
	}
}

/* Iterative walk: the depth of hostile markup never reaches the C stack. */
static void
ht_walk(struct ht *h, xmlNode *root)
{
	xmlNode *n = root;

	while (n != NULL && !h->b.capped) {
		bool descend = false;

		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
			ht_text(h, n->content ? n->content : (const xmlChar *)"");
		else if (n->type == XML_ELEMENT_NODE) {
			const char *name = (const char *)n->name;
			if (strcasecmp(name, "script") != 0 && strcasecmp(name, "style") != 0 &&
			    strcasecmp(name, "head") != 0) {
				ht_break(h, ht_breaks(name));
				descend = n->children != NULL;
			}
		}
		if (descend) {
			n = n->children;
			continue;
		}
		while (n != NULL && n != root && n->next == NULL) {
			n = n->parent;
			if (n && n->type == XML_ELEMENT_NODE)
				ht_break(h, ht_breaks((const char *)n->name) > 0 ?
				    ht_breaks((const char *)n->name) : 0);
		}
		if (n == NULL || n == root)
			break;
		n = n->next;
	}
}

char *
html_text(const char *html, size_t len, size_t max, bool *capped)
{
	struct ht h = { .nl = 2 };
	htmlDocPtr doc;
	char *s, *r;

	buf_init(&h.b, max);
	if (len > (size_t)0x7fffffff)
		len = 0x7fffffff;
	doc = htmlReadMemory(html ? html : "", (int)len, NULL, "UTF-8",
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_RECOVER);
	if (doc != NULL && xmlDocGetRootElement(doc) != NULL)
		ht_walk(&h, xmlDocGetRootElement(doc));
	if (doc != NULL)
		xmlFreeDoc(doc);
	if (capped)
		*capped = h.b.capped;
	while (h.b.len > 0 && (h.b.p[h.b.len - 1] == '\n' || h.b.p[h.b.len - 1] == ' '))
		h.b.p[--h.b.len] = 0;
	s = buf_take(&h.b);
	r = text_clean(s, strlen(s), TEXT_LINES);
	free(s);
	return r;
}
