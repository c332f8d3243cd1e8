/* fuzz_mustache - libFuzzer target for the Mustache renderer (report/mustache.h).
 *
 * The input is a template rendered against a fixed context that has every
 * kind of value (strings with markup, numbers, booleans, null, lists,
 * nested objects), once with the HTML escaper and once with the Markdown
 * one; partials are refused (no folder). A template error must come back as
 * an error string, never a crash or a half result. Inputs are capped at
 * 8 KB, which with nesting already reaches the depth ceiling. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "report/mustache.h"

static json_t *
fuzz_context(void)
{
	static const char ctx[] =
	    "{\"s\":\"<b>&'\\\"x\",\"n\":3,\"z\":0,\"t\":true,\"f\":false,\"u\":null,\"e\":\"\","
	    "\"l\":[{\"a\":\"1\",\"more\":true},{\"a\":\"2\"}],\"o\":{\"p\":{\"q\":\"deep\"}},"
	    "\"ls\":[\"x\",\"y\",[\"z\"]]}";

	return json_loads(ctx, 0, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *ctx;
	mustache_escape_fn esc[] = { mustache_escape_html, mustache_escape_markdown, NULL };
	size_t i;

	if (size > 8192)
		return 0;
	if (ctx == NULL)
		ctx = fuzz_context();
	for (i = 0; i < sizeof(esc) / sizeof(esc[0]); i++) {
		char *err = NULL;
		char *out = mustache_render((const char *)data, size, "fuzz.html.mustache", NULL, ctx,
		    esc[i], &err);

		if (out == NULL && err == NULL)
			abort();        /* a failure always says why */
		free(out);
		free(err);
	}
	return 0;
}
