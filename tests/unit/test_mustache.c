/* test_mustache.c - the Mustache renderer against the specification's
 * cases (interpolation, sections, inverted, comments, partials, delimiters)
 * and mailcase's own rules: template errors name file and line, nesting is
 * bounded, a missing partial is an error, "" and 0 are falsey, values in
 * `code spans` keep their text. */
#include "check.h"
#include "report/mustache.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct spec_case {
	const char *group, *name, *data, *tpl, *expected, *pname, *ptext;
};

/* Generated from the Mustache specification v1.3 (github.com/mustache/spec,
 * specs, MIT licence): group, name, data, template, expected, partial
 * name and text (at most one partial per case). */
static const struct spec_case spec_cases[] = {
	{ "interpolation", "No Interpolation",
	  "{}",
	  "Hello from {Mustache}!\n",
	  "Hello from {Mustache}!\n",
	  NULL, NULL },
	{ "interpolation", "Basic Interpolation",
	  "{\"subject\":\"world\"}",
	  "Hello, {{subject}}!\n",
	  "Hello, world!\n",
	  NULL, NULL },
	{ "interpolation", "HTML Escaping",
	  "{\"forbidden\":\"& \\\" < >\"}",
	  "These characters should be HTML escaped: {{forbidden}}\n",
	  "These characters should be HTML escaped: &amp; &quot; &lt; &gt;\n",
	  NULL, NULL },
	{ "interpolation", "Triple Mustache",
	  "{\"forbidden\":\"& \\\" < >\"}",
	  "These characters should not be HTML escaped: {{{forbidden}}}\n",
	  "These characters should not be HTML escaped: & \" < >\n",
	  NULL, NULL },
	{ "interpolation", "Ampersand",
	  "{\"forbidden\":\"& \\\" < >\"}",
	  "These characters should not be HTML escaped: {{&forbidden}}\n",
	  "These characters should not be HTML escaped: & \" < >\n",
	  NULL, NULL },
	{ "interpolation", "Basic Integer Interpolation",
	  "{\"mph\":85}",
	  "\"{{mph}} miles an hour!\"",
	  "\"85 miles an hour!\"",
	  NULL, NULL },
	{ "interpolation", "Basic Decimal Interpolation",
	  "{\"power\":1.21}",
	  "\"{{power}} jiggawatts!\"",
	  "\"1.21 jiggawatts!\"",
	  NULL, NULL },
	{ "interpolation", "Basic Context Miss Interpolation",
	  "{}",
	  "I ({{cannot}}) be seen!",
	  "I () be seen!",
	  NULL, NULL },
	{ "interpolation", "Dotted Names - Basic Interpolation",
	  "{\"person\":{\"name\":\"Joe\"}}",
	  "\"{{person.name}}\" == \"{{#person}}{{name}}{{/person}}\"",
	  "\"Joe\" == \"Joe\"",
	  NULL, NULL },
	{ "interpolation", "Basic - Surrounding Whitespace",
	  "{\"string\":\"---\"}",
	  "| {{string}} |",
	  "| --- |",
	  NULL, NULL },
	{ "interpolation", "Basic - Standalone",
	  "{\"string\":\"---\"}",
	  "  {{string}}\n",
	  "  ---\n",
	  NULL, NULL },
	{ "interpolation", "Basic With Padding",
	  "{\"string\":\"---\"}",
	  "|{{ string }}|",
	  "|---|",
	  NULL, NULL },
	{ "interpolation", "Triple Mustache Integer Interpolation",
	  "{\"mph\":85}",
	  "\"{{{mph}}} miles an hour!\"",
	  "\"85 miles an hour!\"",
	  NULL, NULL },
	{ "interpolation", "Triple Mustache Decimal Interpolation",
	  "{\"power\":1.21}",
	  "\"{{{power}}} jiggawatts!\"",
	  "\"1.21 jiggawatts!\"",
	  NULL, NULL },
	{ "interpolation", "Triple Mustache Context Miss Interpolation",
	  "{}",
	  "I ({{{cannot}}}) be seen!",
	  "I () be seen!",
	  NULL, NULL },
	{ "interpolation", "Dotted Names - Triple Mustache Interpolation",
	  "{\"person\":{\"name\":\"Joe\"}}",
	  "\"{{{person.name}}}\" == \"{{#person}}{{{name}}}{{/person}}\"",
	  "\"Joe\" == \"Joe\"",
	  NULL, NULL },
	{ "interpolation", "Triple Mustache - Surrounding Whitespace",
	  "{\"string\":\"---\"}",
	  "| {{{string}}} |",
	  "| --- |",
	  NULL, NULL },
	{ "interpolation", "Triple Mustache - Standalone",
	  "{\"string\":\"---\"}",
	  "  {{{string}}}\n",
	  "  ---\n",
	  NULL, NULL },
	{ "interpolation", "Triple Mustache With Padding",
	  "{\"string\":\"---\"}",
	  "|{{{ string }}}|",
	  "|---|",
	  NULL, NULL },
	{ "interpolation", "Ampersand Integer Interpolation",
	  "{\"mph\":85}",
	  "\"{{&mph}} miles an hour!\"",
	  "\"85 miles an hour!\"",
	  NULL, NULL },
	{ "interpolation", "Ampersand Decimal Interpolation",
	  "{\"power\":1.21}",
	  "\"{{&power}} jiggawatts!\"",
	  "\"1.21 jiggawatts!\"",
	  NULL, NULL },
	{ "interpolation", "Ampersand Context Miss Interpolation",
	  "{}",
	  "I ({{&cannot}}) be seen!",
	  "I () be seen!",
	  NULL, NULL },
	{ "interpolation", "Dotted Names - Ampersand Interpolation",
	  "{\"person\":{\"name\":\"Joe\"}}",
	  "\"{{&person.name}}\" == \"{{#person}}{{&name}}{{/person}}\"",
	  "\"Joe\" == \"Joe\"",
	  NULL, NULL },
	{ "interpolation", "Ampersand - Surrounding Whitespace",
	  "{\"string\":\"---\"}",
	  "| {{&string}} |",
	  "| --- |",
	  NULL, NULL },
	{ "interpolation", "Ampersand - Standalone",
	  "{\"string\":\"---\"}",
	  "  {{&string}}\n",
	  "  ---\n",
	  NULL, NULL },
	{ "interpolation", "Ampersand With Padding",
	  "{\"string\":\"---\"}",
	  "|{{& string }}|",
	  "|---|",
	  NULL, NULL },
	{ "interpolation", "Dotted Names - Arbitrary Depth",
	  "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"name\":\"Phil\"}}}}}}",
	  "\"{{a.b.c.d.e.name}}\" == \"Phil\"",
	  "\"Phil\" == \"Phil\"",
	  NULL, NULL },
	{ "interpolation", "Dotted Names - Broken Chains",
	  "{\"a\":{}}",
	  "\"{{a.b.c}}\" == \"\"",
	  "\"\" == \"\"",
	  NULL, NULL },
	{ "interpolation", "Dotted Names - Broken Chain Resolution",
	  "{\"a\":{\"b\":{}},\"c\":{\"name\":\"Jim\"}}",
	  "\"{{a.b.c.name}}\" == \"\"",
	  "\"\" == \"\"",
	  NULL, NULL },
	{ "interpolation", "Dotted Names - Initial Resolution",
	  "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"name\":\"Phil\"}}}}},\"b\":{\"c\":{\"d\":{\"e\":{\"name\":\"Wrong\"}}}}}",
	  "\"{{#a}}{{b.c.d.e.name}}{{/a}}\" == \"Phil\"",
	  "\"Phil\" == \"Phil\"",
	  NULL, NULL },
	{ "interpolation", "Dotted Names - Context Precedence",
	  "{\"a\":{\"b\":{}},\"b\":{\"c\":\"ERROR\"}}",
	  "{{#a}}{{b.c}}{{/a}}",
	  "",
	  NULL, NULL },
	{ "sections", "Truthy",
	  "{\"boolean\":true}",
	  "\"{{#boolean}}This should be rendered.{{/boolean}}\"",
	  "\"This should be rendered.\"",
	  NULL, NULL },
	{ "sections", "Falsey",
	  "{\"boolean\":false}",
	  "\"{{#boolean}}This should not be rendered.{{/boolean}}\"",
	  "\"\"",
	  NULL, NULL },
	{ "sections", "Context",
	  "{\"context\":{\"name\":\"Joe\"}}",
	  "\"{{#context}}Hi {{name}}.{{/context}}\"",
	  "\"Hi Joe.\"",
	  NULL, NULL },
	{ "sections", "Deeply Nested Contexts",
	  "{\"a\":{\"one\":1},\"b\":{\"two\":2},\"c\":{\"three\":3},\"d\":{\"four\":4},\"e\":{\"five\":5}}",
	  "{{#a}}\n{{one}}\n{{#b}}\n{{one}}{{two}}{{one}}\n{{#c}}\n{{one}}{{two}}{{three}}{{two}}{{one}}\n{{#d}}\n{{one}}{{two}}{{three}}{{four}}{{three}}{{two}}{{one}}\n{{#e}}\n{{one}}{{two}}{{three}}{{four}}{{five}}{{four}}{{three}}{{two}}{{one}}\n{{/e}}\n{{one}}{{two}}{{three}}{{four}}{{three}}{{two}}{{one}}\n{{/d}}\n{{one}}{{two}}{{three}}{{two}}{{one}}\n{{/c}}\n{{one}}{{two}}{{one}}\n{{/b}}\n{{one}}\n{{/a}}\n",
	  "1\n121\n12321\n1234321\n123454321\n1234321\n12321\n121\n1\n",
	  NULL, NULL },
	{ "sections", "List",
	  "{\"list\":[{\"item\":1},{\"item\":2},{\"item\":3}]}",
	  "\"{{#list}}{{item}}{{/list}}\"",
	  "\"123\"",
	  NULL, NULL },
	{ "sections", "Empty List",
	  "{\"list\":[]}",
	  "\"{{#list}}Yay lists!{{/list}}\"",
	  "\"\"",
	  NULL, NULL },
	{ "sections", "Doubled",
	  "{\"bool\":true,\"two\":\"second\"}",
	  "{{#bool}}\n* first\n{{/bool}}\n* {{two}}\n{{#bool}}\n* third\n{{/bool}}\n",
	  "* first\n* second\n* third\n",
	  NULL, NULL },
	{ "sections", "Nested (Truthy)",
	  "{\"bool\":true}",
	  "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |",
	  "| A B C D E |",
	  NULL, NULL },
	{ "sections", "Nested (Falsey)",
	  "{\"bool\":false}",
	  "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |",
	  "| A  E |",
	  NULL, NULL },
	{ "sections", "Context Misses",
	  "{}",
	  "[{{#missing}}Found key 'missing'!{{/missing}}]",
	  "[]",
	  NULL, NULL },
	{ "sections", "Implicit Iterator - String",
	  "{\"list\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}",
	  "\"{{#list}}({{.}}){{/list}}\"",
	  "\"(a)(b)(c)(d)(e)\"",
	  NULL, NULL },
	{ "sections", "Implicit Iterator - Integer",
	  "{\"list\":[1,2,3,4,5]}",
	  "\"{{#list}}({{.}}){{/list}}\"",
	  "\"(1)(2)(3)(4)(5)\"",
	  NULL, NULL },
	{ "sections", "Implicit Iterator - Decimal",
	  "{\"list\":[1.1,2.2,3.3,4.4,5.5]}",
	  "\"{{#list}}({{.}}){{/list}}\"",
	  "\"(1.1)(2.2)(3.3)(4.4)(5.5)\"",
	  NULL, NULL },
	{ "sections", "Implicit Iterator - Array",
	  "{\"list\":[[1,2,3],[\"a\",\"b\",\"c\"]]}",
	  "\"{{#list}}({{#.}}{{.}}{{/.}}){{/list}}\"",
	  "\"(123)(abc)\"",
	  NULL, NULL },
	{ "sections", "Dotted Names - Truthy",
	  "{\"a\":{\"b\":{\"c\":true}}}",
	  "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"Here\"",
	  "\"Here\" == \"Here\"",
	  NULL, NULL },
	{ "sections", "Dotted Names - Falsey",
	  "{\"a\":{\"b\":{\"c\":false}}}",
	  "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"\"",
	  "\"\" == \"\"",
	  NULL, NULL },
	{ "sections", "Dotted Names - Broken Chains",
	  "{\"a\":{}}",
	  "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"\"",
	  "\"\" == \"\"",
	  NULL, NULL },
	{ "sections", "Surrounding Whitespace",
	  "{\"boolean\":true}",
	  " | {{#boolean}}\t|\t{{/boolean}} | \n",
	  " | \t|\t | \n",
	  NULL, NULL },
	{ "sections", "Internal Whitespace",
	  "{\"boolean\":true}",
	  " | {{#boolean}} {{! Important Whitespace }}\n {{/boolean}} | \n",
	  " |  \n  | \n",
	  NULL, NULL },
	{ "sections", "Indented Inline Sections",
	  "{\"boolean\":true}",
	  " {{#boolean}}YES{{/boolean}}\n {{#boolean}}GOOD{{/boolean}}\n",
	  " YES\n GOOD\n",
	  NULL, NULL },
	{ "sections", "Standalone Lines",
	  "{\"boolean\":true}",
	  "| This Is\n{{#boolean}}\n|\n{{/boolean}}\n| A Line\n",
	  "| This Is\n|\n| A Line\n",
	  NULL, NULL },
	{ "sections", "Indented Standalone Lines",
	  "{\"boolean\":true}",
	  "| This Is\n  {{#boolean}}\n|\n  {{/boolean}}\n| A Line\n",
	  "| This Is\n|\n| A Line\n",
	  NULL, NULL },
	{ "sections", "Standalone Line Endings",
	  "{\"boolean\":true}",
	  "|\r\n{{#boolean}}\r\n{{/boolean}}\r\n|",
	  "|\r\n|",
	  NULL, NULL },
	{ "sections", "Standalone Without Previous Line",
	  "{\"boolean\":true}",
	  "  {{#boolean}}\n#{{/boolean}}\n/",
	  "#\n/",
	  NULL, NULL },
	{ "sections", "Standalone Without Newline",
	  "{\"boolean\":true}",
	  "#{{#boolean}}\n/\n  {{/boolean}}",
	  "#\n/\n",
	  NULL, NULL },
	{ "sections", "Padding",
	  "{\"boolean\":true}",
	  "|{{# boolean }}={{/ boolean }}|",
	  "|=|",
	  NULL, NULL },
	{ "inverted", "Falsey",
	  "{\"boolean\":false}",
	  "\"{{^boolean}}This should be rendered.{{/boolean}}\"",
	  "\"This should be rendered.\"",
	  NULL, NULL },
	{ "inverted", "Truthy",
	  "{\"boolean\":true}",
	  "\"{{^boolean}}This should not be rendered.{{/boolean}}\"",
	  "\"\"",
	  NULL, NULL },
	{ "inverted", "Context",
	  "{\"context\":{\"name\":\"Joe\"}}",
	  "\"{{^context}}Hi {{name}}.{{/context}}\"",
	  "\"\"",
	  NULL, NULL },
	{ "inverted", "List",
	  "{\"list\":[{\"n\":1},{\"n\":2},{\"n\":3}]}",
	  "\"{{^list}}{{n}}{{/list}}\"",
	  "\"\"",
	  NULL, NULL },
	{ "inverted", "Empty List",
	  "{\"list\":[]}",
	  "\"{{^list}}Yay lists!{{/list}}\"",
	  "\"Yay lists!\"",
	  NULL, NULL },
	{ "inverted", "Doubled",
	  "{\"bool\":false,\"two\":\"second\"}",
	  "{{^bool}}\n* first\n{{/bool}}\n* {{two}}\n{{^bool}}\n* third\n{{/bool}}\n",
	  "* first\n* second\n* third\n",
	  NULL, NULL },
	{ "inverted", "Nested (Falsey)",
	  "{\"bool\":false}",
	  "| A {{^bool}}B {{^bool}}C{{/bool}} D{{/bool}} E |",
	  "| A B C D E |",
	  NULL, NULL },
	{ "inverted", "Nested (Truthy)",
	  "{\"bool\":true}",
	  "| A {{^bool}}B {{^bool}}C{{/bool}} D{{/bool}} E |",
	  "| A  E |",
	  NULL, NULL },
	{ "inverted", "Context Misses",
	  "{}",
	  "[{{^missing}}Found key 'missing'!{{/missing}}]",
	  "[Found key 'missing'!]",
	  NULL, NULL },
	{ "inverted", "Dotted Names - Truthy",
	  "{\"a\":{\"b\":{\"c\":true}}}",
	  "\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"\"",
	  "\"\" == \"\"",
	  NULL, NULL },
	{ "inverted", "Dotted Names - Falsey",
	  "{\"a\":{\"b\":{\"c\":false}}}",
	  "\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"Not Here\"",
	  "\"Not Here\" == \"Not Here\"",
	  NULL, NULL },
	{ "inverted", "Dotted Names - Broken Chains",
	  "{\"a\":{}}",
	  "\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"Not Here\"",
	  "\"Not Here\" == \"Not Here\"",
	  NULL, NULL },
	{ "inverted", "Standalone Lines",
	  "{\"boolean\":false}",
	  "| This Is\n{{^boolean}}\n|\n{{/boolean}}\n| A Line\n",
	  "| This Is\n|\n| A Line\n",
	  NULL, NULL },
	{ "inverted", "Standalone Indented Lines",
	  "{\"boolean\":false}",
	  "| This Is\n  {{^boolean}}\n|\n  {{/boolean}}\n| A Line\n",
	  "| This Is\n|\n| A Line\n",
	  NULL, NULL },
	{ "inverted", "Standalone Line Endings",
	  "{\"boolean\":false}",
	  "|\r\n{{^boolean}}\r\n{{/boolean}}\r\n|",
	  "|\r\n|",
	  NULL, NULL },
	{ "inverted", "Standalone Without Previous Line",
	  "{\"boolean\":false}",
	  "  {{^boolean}}\n^{{/boolean}}\n/",
	  "^\n/",
	  NULL, NULL },
	{ "inverted", "Standalone Without Newline",
	  "{\"boolean\":false}",
	  "^{{^boolean}}\n/\n  {{/boolean}}",
	  "^\n/\n",
	  NULL, NULL },
	{ "inverted", "Padding",
	  "{\"boolean\":false}",
	  "|{{^ boolean }}={{/ boolean }}|",
	  "|=|",
	  NULL, NULL },
	{ "comments", "Inline",
	  "{}",
	  "12345{{! Comment Block! }}67890",
	  "1234567890",
	  NULL, NULL },
	{ "comments", "Multiline",
	  "{}",
	  "12345{{!\n  This is a\n  multi-line comment...\n}}67890\n",
	  "1234567890\n",
	  NULL, NULL },
	{ "comments", "Standalone",
	  "{}",
	  "Begin.\n{{! Comment Block! }}\nEnd.\n",
	  "Begin.\nEnd.\n",
	  NULL, NULL },
	{ "comments", "Indented Standalone",
	  "{}",
	  "Begin.\n  {{! Indented Comment Block! }}\nEnd.\n",
	  "Begin.\nEnd.\n",
	  NULL, NULL },
	{ "comments", "Standalone Line Endings",
	  "{}",
	  "|\r\n{{! Standalone Comment }}\r\n|",
	  "|\r\n|",
	  NULL, NULL },
	{ "comments", "Standalone Without Previous Line",
	  "{}",
	  "  {{! I'm Still Standalone }}\n!",
	  "!",
	  NULL, NULL },
	{ "comments", "Standalone Without Newline",
	  "{}",
	  "!\n  {{! I'm Still Standalone }}",
	  "!\n",
	  NULL, NULL },
	{ "comments", "Multiline Standalone",
	  "{}",
	  "Begin.\n{{!\nSomething's going on here...\n}}\nEnd.\n",
	  "Begin.\nEnd.\n",
	  NULL, NULL },
	{ "comments", "Indented Multiline Standalone",
	  "{}",
	  "Begin.\n  {{!\n    Something's going on here...\n  }}\nEnd.\n",
	  "Begin.\nEnd.\n",
	  NULL, NULL },
	{ "comments", "Indented Inline",
	  "{}",
	  "  12 {{! 34 }}\n",
	  "  12 \n",
	  NULL, NULL },
	{ "comments", "Surrounding Whitespace",
	  "{}",
	  "12345 {{! Comment Block! }} 67890",
	  "12345  67890",
	  NULL, NULL },
	{ "partials", "Basic Behavior",
	  "{}",
	  "\"{{>text}}\"",
	  "\"from partial\"",
	  "text", "from partial" },
	{ "partials", "Context",
	  "{\"text\":\"content\"}",
	  "\"{{>partial}}\"",
	  "\"*content*\"",
	  "partial", "*{{text}}*" },
	{ "partials", "Recursion",
	  "{\"content\":\"X\",\"nodes\":[{\"content\":\"Y\",\"nodes\":[]}]}",
	  "{{>node}}",
	  "X<Y<>>",
	  "node", "{{content}}<{{#nodes}}{{>node}}{{/nodes}}>" },
	{ "partials", "Surrounding Whitespace",
	  "{}",
	  "| {{>partial}} |",
	  "| \t|\t |",
	  "partial", "\t|\t" },
	{ "partials", "Inline Indentation",
	  "{\"data\":\"|\"}",
	  "  {{data}}  {{> partial}}\n",
	  "  |  >\n>\n",
	  "partial", ">\n>" },
	{ "partials", "Standalone Line Endings",
	  "{}",
	  "|\r\n{{>partial}}\r\n|",
	  "|\r\n>|",
	  "partial", ">" },
	{ "partials", "Standalone Without Previous Line",
	  "{}",
	  "  {{>partial}}\n>",
	  "  >\n  >>",
	  "partial", ">\n>" },
	{ "partials", "Standalone Without Newline",
	  "{}",
	  ">\n  {{>partial}}",
	  ">\n  >\n  >",
	  "partial", ">\n>" },
	{ "partials", "Standalone Indentation",
	  "{\"content\":\"<\\n->\"}",
	  "\\\n {{>partial}}\n/\n",
	  "\\\n |\n <\n->\n |\n/\n",
	  "partial", "|\n{{{content}}}\n|\n" },
	{ "partials", "Padding Whitespace",
	  "{\"boolean\":true}",
	  "|{{> partial }}|",
	  "|[]|",
	  "partial", "[]" },
	{ "delimiters", "Pair Behavior",
	  "{\"text\":\"Hey!\"}",
	  "{{=<% %>=}}(<%text%>)",
	  "(Hey!)",
	  NULL, NULL },
	{ "delimiters", "Special Characters",
	  "{\"text\":\"It worked!\"}",
	  "({{=[ ]=}}[text])",
	  "(It worked!)",
	  NULL, NULL },
	{ "delimiters", "Sections",
	  "{\"section\":true,\"data\":\"I got interpolated.\"}",
	  "[\n{{#section}}\n  {{data}}\n  |data|\n{{/section}}\n\n{{= | | =}}\n|#section|\n  {{data}}\n  |data|\n|/section|\n]\n",
	  "[\n  I got interpolated.\n  |data|\n\n  {{data}}\n  I got interpolated.\n]\n",
	  NULL, NULL },
	{ "delimiters", "Inverted Sections",
	  "{\"section\":false,\"data\":\"I got interpolated.\"}",
	  "[\n{{^section}}\n  {{data}}\n  |data|\n{{/section}}\n\n{{= | | =}}\n|^section|\n  {{data}}\n  |data|\n|/section|\n]\n",
	  "[\n  I got interpolated.\n  |data|\n\n  {{data}}\n  I got interpolated.\n]\n",
	  NULL, NULL },
	{ "delimiters", "Partial Inheritence",
	  "{\"value\":\"yes\"}",
	  "[ {{>include}} ]\n{{= | | =}}\n[ |>include| ]\n",
	  "[ .yes. ]\n[ .yes. ]\n",
	  "include", ".{{value}}." },
	{ "delimiters", "Post-Partial Behavior",
	  "{\"value\":\"yes\"}",
	  "[ {{>include}} ]\n[ .{{value}}.  .|value|. ]\n",
	  "[ .yes.  .yes. ]\n[ .yes.  .|value|. ]\n",
	  "include", ".{{value}}. {{= | | =}} .|value|." },
	{ "delimiters", "Surrounding Whitespace",
	  "{}",
	  "| {{=@ @=}} |",
	  "|  |",
	  NULL, NULL },
	{ "delimiters", "Outlying Whitespace (Inline)",
	  "{}",
	  " | {{=@ @=}}\n",
	  " | \n",
	  NULL, NULL },
	{ "delimiters", "Standalone Tag",
	  "{}",
	  "Begin.\n{{=@ @=}}\nEnd.\n",
	  "Begin.\nEnd.\n",
	  NULL, NULL },
	{ "delimiters", "Indented Standalone Tag",
	  "{}",
	  "Begin.\n  {{=@ @=}}\nEnd.\n",
	  "Begin.\nEnd.\n",
	  NULL, NULL },
	{ "delimiters", "Standalone Line Endings",
	  "{}",
	  "|\r\n{{= @ @ =}}\r\n|",
	  "|\r\n|",
	  NULL, NULL },
	{ "delimiters", "Standalone Without Previous Line",
	  "{}",
	  "  {{=@ @=}}\n=",
	  "=",
	  NULL, NULL },
	{ "delimiters", "Standalone Without Newline",
	  "{}",
	  "=\n  {{=@ @=}}",
	  "=\n",
	  NULL, NULL },
	{ "delimiters", "Pair with Padding",
	  "{}",
	  "|{{= @   @ =}}|",
	  "||",
	  NULL, NULL },
};

static void
write_file(const char *dir, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(p, "wb");

	if (fp != NULL) {
		fputs(text, fp);
		fclose(fp);
	}
	free(p);
}

/* Runs every spec case with HTML escaping (the spec's default); partials
 * are files "NAME.html.mustache" next to a template named "t.html.mustache". */
TEST(spec)
{
	const char *dir = check_tmpdir("spec");
	size_t i, failed = 0;

	for (i = 0; i < sizeof(spec_cases) / sizeof(spec_cases[0]); i++) {
		const struct spec_case *c = &spec_cases[i];
		json_error_t jerr;
		json_t *data = json_loads(c->data, 0, &jerr);
		char *err = NULL, *out;

		CHECK(data != NULL);
		if (c->pname != NULL) {
			char *f = xasprintf("%s.html.mustache", c->pname);

			write_file(dir, f, c->ptext);
			free(f);
		}
		out = mustache_render(c->tpl, strlen(c->tpl), "t.html.mustache", dir, data,
		    mustache_escape_html, &err);
		if (out == NULL || strcmp(out, c->expected) != 0) {
			fprintf(stderr, "spec %s / %s: got [%s] err [%s], expected [%s]\n", c->group,
			    c->name, out ? out : "(null)", err ? err : "", c->expected);
			failed++;
		}
		free(out);
		free(err);
		json_decref(data);
	}
	CHECK_INT(failed, 0);
	CHECK_INT(i, 110);
}

static char *
render(const char *tpl, const char *data, char **err)
{
	json_t *j = json_loads(data, 0, NULL);
	char *out;

	*err = NULL;
	out = mustache_render(tpl, strlen(tpl), "dir/x.md.mustache", check_tmpdir("render"), j,
	    mustache_escape_markdown, err);
	json_decref(j);
	return out;
}

TEST(errors_name_file_and_line)
{
	char *err, *out;

	out = render("a\nb\n{{#list}}\nx\n", "{}", &err);
	CHECK(out == NULL);
	CHECK_STR(err, "dir/x.md.mustache:3: section not closed: 'list'");
	free(err);
	out = render("{{#a}}\n{{/b}}\n", "{}", &err);
	CHECK(out == NULL);
	CHECK_STR(err, "dir/x.md.mustache:2: close tag does not match the open section 'a'");
	free(err);
	out = render("one\n{{/b}}\n", "{}", &err);
	CHECK(out == NULL);
	CHECK_STR(err, "dir/x.md.mustache:2: close tag without an open section: 'b'");
	free(err);
	out = render("x {{name\n", "{}", &err);
	CHECK(out == NULL);
	CHECK_STR(err, "dir/x.md.mustache:1: tag not closed");
	free(err);
	out = render("x\n\n{{=<% %>}}\n", "{}", &err);
	CHECK(out == NULL);
	CHECK_STR(err, "dir/x.md.mustache:3: tag not closed");
	free(err);
}

/* The spec renders a missing partial as empty; a report must not lose a
 * section silently, so here it is an error naming the including line. */
TEST(missing_partial_is_an_error)
{
	const char *dir = check_tmpdir("missing");
	char *err = NULL, *out, *want;
	json_t *j = json_object();

	write_file(dir, "main.md.mustache", "# T\n\n{{> nothere}}\n");
	out = mustache_render_file(dir, "main.md.mustache", j, mustache_escape_markdown, &err);
	CHECK(out == NULL);
	want = xasprintf("%s/main.md.mustache:3: partial 'nothere': %s/nothere.md.mustache: "
	    "cannot read: No such file or directory", dir, dir);
	CHECK_STR(err, want);
	free(want);
	free(err);
	/* Not a path: a partial name with a slash is refused. */
	write_file(dir, "main2.md.mustache", "{{> ../etc/passwd}}");
	out = mustache_render_file(dir, "main2.md.mustache", j, mustache_escape_markdown, &err);
	CHECK(out == NULL);
	CHECK(strstr(err, "partial '../etc/passwd' cannot be loaded") != NULL);
	free(err);
	/* An error inside a partial names the partial's file and line. */
	write_file(dir, "bad.md.mustache", "ok\n{{#x}}\n");
	write_file(dir, "main3.md.mustache", "{{> bad}}\n");
	out = mustache_render_file(dir, "main3.md.mustache", j, mustache_escape_markdown, &err);
	CHECK(out == NULL);
	want = xasprintf("%s/bad.md.mustache:2: section not closed: 'x'", dir);
	CHECK_STR(err, want);
	free(want);
	free(err);
	json_decref(j);
}

TEST(recursion_is_bounded)
{
	const char *dir = check_tmpdir("recursion");
	char *err = NULL, *out;
	json_t *j = json_pack("{s:b}", "x", 1);
	char *deep;
	size_t i;

	write_file(dir, "loop.md.mustache", "{{> loop}}");
	out = mustache_render_file(dir, "loop.md.mustache", j, NULL, &err);
	CHECK(out == NULL);
	CHECK(strstr(err, "partials nested deeper than 64 at 'loop'") != NULL);
	free(err);
	/* 200 nested sections in one template. */
	deep = xmalloc(200 * 12 + 1);
	deep[0] = '\0';
	for (i = 0; i < 200; i++)
		strcat(deep, "{{#x}}");
	for (i = 0; i < 200; i++)
		strcat(deep, "{{/x}}");
	out = mustache_render(deep, strlen(deep), "deep.md.mustache", NULL, j, NULL, &err);
	CHECK(out == NULL);
	CHECK(strstr(err, "deep.md.mustache:1: sections nested too deeply") != NULL);
	free(err);
	free(deep);
	json_decref(j);
}

TEST(falsey_values)
{
	char *err, *out;

	out = render("[{{#s}}S{{/s}}{{#z}}Z{{/z}}{{#n}}N{{/n}}{{^s}}s{{/s}}{{^z}}z{{/z}}{{#t}}{{.}}{{/t}}]",
	    "{\"s\":\"\",\"z\":0,\"n\":null,\"t\":\"yes\"}", &err);
	CHECK_STR(out, "[szyes]");
	free(out);
}

TEST(markdown_escaping_and_code_spans)
{
	char *err, *out;

	out = render("| {{a}} |\n", "{\"a\":\"x|y\\nz [l](javascript:alert(1)) <b>\"}", &err);
	CHECK_STR(out, "| x\\|y\xe2\x8f\x8ez \\[l\\](javascript:alert(1)) \\<b> |\n");
	free(out);
	out = render("- {{a}}\n", "{\"a\":\"# h\"}", &err);
	CHECK_STR(out, "- \\# h\n");
	free(out);
	/* A code span keeps the value exactly, with a fence longer than its runs. */
	out = render("line: `{{a}}`.\n", "{\"a\":\"$sasl$a*b_c\"}", &err);
	CHECK_STR(out, "line: `$sasl$a*b_c`.\n");
	free(out);
	out = render("line: `{{a}}`.\n", "{\"a\":\"a`b``c\"}", &err);
	CHECK_STR(out, "line: ```a`b``c```.\n");
	free(out);
	out = render("line: `{{a}}`.\n", "{\"a\":\"`x\"}", &err);
	CHECK_STR(out, "line: `` `x ``.\n");
	free(out);
	/* What cannot be a code span is escaped text without the backticks. */
	out = render("line: `{{a}}`.\n", "{\"a\":\"a|b\"}", &err);
	CHECK_STR(out, "line: a\\|b.\n");
	free(out);
	/* Unescaped forms are left alone. */
	out = render("{{{a}}} {{&a}}", "{\"a\":\"*x*\"}", &err);
	CHECK_STR(out, "*x* *x*");
	free(out);
}

int
main(void)
{
	RUN(spec);
	RUN(errors_name_file_and_line);
	RUN(missing_partial_is_an_error);
	RUN(recursion_is_bounded);
	RUN(falsey_values);
	RUN(markdown_escaping_and_code_spans);
	return check_done();
}
