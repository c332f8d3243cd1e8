/* props.c - document metadata: OPC core properties (ECMA-376 Part 2,
 * section 11: docProps/core.xml), extended properties (ECMA-376 Part 1,
 * 22.2: docProps/app.xml) and ODF meta.xml (ISO/IEC 26300, 4.3).
 *
 * An element present but empty is kept as "" (the author field was blanked),
 * an absent one as NULL. */
#include "office/office_int.h"
#include "util/xalloc.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define PROP_MAX 65536

static void
prop_set(char **slot, const xmlNode *n)
{
	struct buf b;

	if (*slot != NULL)
		return;
	buf_init(&b, PROP_MAX);
	oxml_text_deep(&b, n);
	*slot = buf_take(&b);
}

static void
prop_set_str(char **slot, const char *s)
{
	if (*slot == NULL && s != NULL)
		*slot = xstrdup(s);
}

static void
prop_append(char **slot, const xmlNode *n)
{
	struct buf b;

	buf_init(&b, PROP_MAX);
	if (*slot != NULL) {
		ob_s(&b, *slot);
		ob_s(&b, "; ");
		free(*slot);
	}
	oxml_text_deep(&b, n);
	*slot = buf_take(&b);
}

void
props_read_core(struct odoc *d)
{
	struct office_props *p = &d->pub.props;
	struct orels *rels = orels_load(d, "");
	const char *core = orels_by_type(rels, "/core-properties", 0);
	const char *app = orels_by_type(rels, "/extended-properties", 0);
	xmlDocPtr doc;
	xmlNode *root;

	doc = odoc_xml(d, core ? core : "docProps/core.xml");
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	for (xmlNode *c = root ? root->children : NULL; c != NULL; c = c->next) {
		static const struct { const char *name; size_t off; } map[] = {
			{ "title", offsetof(struct office_props, title) },
			{ "subject", offsetof(struct office_props, subject) },
			{ "creator", offsetof(struct office_props, creator) },
			{ "keywords", offsetof(struct office_props, keywords) },
			{ "description", offsetof(struct office_props, description) },
			{ "lastModifiedBy", offsetof(struct office_props, last_modified_by) },
			{ "revision", offsetof(struct office_props, revision) },
			{ "created", offsetof(struct office_props, created) },
			{ "modified", offsetof(struct office_props, modified) },
			{ "lastPrinted", offsetof(struct office_props, last_printed) },
		};

		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (oxml_is(c, map[i].name))
				prop_set((char **)((char *)p + map[i].off), c);
	}
	if (doc != NULL)
		xmlFreeDoc(doc);

	doc = odoc_xml(d, app ? app : "docProps/app.xml");
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	for (xmlNode *c = root ? root->children : NULL; c != NULL; c = c->next) {
		static const struct { const char *name; size_t off; } map[] = {
			{ "Application", offsetof(struct office_props, application) },
			{ "AppVersion", offsetof(struct office_props, app_version) },
			{ "Company", offsetof(struct office_props, company) },
			{ "Template", offsetof(struct office_props, template_) },
			{ "TotalTime", offsetof(struct office_props, total_time) },
			{ "Pages", offsetof(struct office_props, pages) },
			{ "Words", offsetof(struct office_props, words) },
		};

		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (oxml_is(c, map[i].name))
				prop_set((char **)((char *)p + map[i].off), c);
	}
	if (doc != NULL)
		xmlFreeDoc(doc);
	orels_free(rels);
}

void
props_read_odf(struct odoc *d)
{
	struct office_props *p = &d->pub.props;
	xmlDocPtr doc = odoc_xml(d, "meta.xml");
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	xmlNode *meta = oxml_child(root, "meta");

	for (xmlNode *c = meta ? meta->children : NULL; c != NULL; c = c->next) {
		if (oxml_is(c, "generator"))
			prop_set(&p->application, c);
		else if (oxml_is(c, "title"))
			prop_set(&p->title, c);
		else if (oxml_is(c, "subject"))
			prop_set(&p->subject, c);
		else if (oxml_is(c, "description"))
			prop_set(&p->description, c);
		else if (oxml_is(c, "keyword"))
			prop_append(&p->keywords, c);
		else if (oxml_is(c, "initial-creator"))
			prop_set(&p->creator, c);
		else if (oxml_is(c, "creator"))       /* dc:creator: who saved it last */
			prop_set(&p->last_modified_by, c);
		else if (oxml_is(c, "creation-date"))
			prop_set(&p->created, c);
		else if (oxml_is(c, "date"))
			prop_set(&p->modified, c);
		else if (oxml_is(c, "print-date"))
			prop_set(&p->last_printed, c);
		else if (oxml_is(c, "editing-cycles"))
			prop_set(&p->revision, c);
		else if (oxml_is(c, "editing-duration"))
			prop_set(&p->total_time, c);
		else if (oxml_is(c, "template"))
			prop_set_str(&p->template_, oxml_attr(c, "href", NULL));
		else if (oxml_is(c, "document-statistic")) {
			prop_set_str(&p->pages, oxml_attr(c, "page-count", NULL));
			prop_set_str(&p->words, oxml_attr(c, "word-count", NULL));
		}
	}
	if (doc != NULL)
		xmlFreeDoc(doc);
}

void
props_free(struct office_props *p)
{
	char **v[] = { &p->title, &p->subject, &p->creator, &p->keywords, &p->description,
	    &p->last_modified_by, &p->revision, &p->created, &p->modified, &p->last_printed,
	    &p->application, &p->app_version, &p->company, &p->template_, &p->total_time,
	    &p->pages, &p->words };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		free(*v[i]);
		*v[i] = NULL;
	}
}
