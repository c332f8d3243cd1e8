/* fuzz_msg - libFuzzer target for Outlook .msg files (mailstore/msg.c on
 * libolecf, the MAPI item and its reconstructed MIME message in
 * mailstore/mapi.c, the compressed RTF body through libytnef and the HTML it
 * may encapsulate).
 *
 * The input is the whole file, in a memfd read by its /proc path as
 * evidence is. What the reader returns is turned into the RFC 5322 message
 * the driver would analyse, and every string of the item is read (so a bad
 * one shows under ASan). libolecf and libytnef are not instrumented: the
 * fuzzer is guided by mailcase's own code, so seeds matter
 * (tests/fuzz/mkseeds.py writes small compound files). Ceilings are small
 * so the cap paths are reached; inputs are capped at 256 KB. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_fuzz.h"

#include "mailstore/mapi.h"
#include "mailstore/msg.h"
#include "util/limits.h"
#include "util/plog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t fz_sink;

static void
fz_str(const char *s)
{
	if (s != NULL)
		fz_sink += strlen(s);
}

static void
fz_item(const struct mapi_item *it, unsigned depth)
{
	size_t i;
	char *html;
	size_t n;

	fz_str(it->msg_class), fz_str(it->subject), fz_str(it->message_id);
	fz_str(it->in_reply_to), fz_str(it->headers), fz_str(it->body), fz_str(it->notes);
	for (i = 0; i < it->naddrs; i++) {
		fz_str(it->addrs[i].name), fz_str(it->addrs[i].addr);
		fz_str(it->addrs[i].addrtype), fz_str(it->addrs[i].smtp);
	}
	for (i = 0; i < it->natts; i++) {
		const struct mapi_attach *a = &it->atts[i];

		fz_str(a->name), fz_str(a->mime), fz_str(a->content_id);
		if (a->len > 0)
			fz_sink += ((const volatile unsigned char *)a->data)[a->len - 1];
		if (a->embedded != NULL)
			fz_item(a->embedded, depth + 1);
	}
	if (it->rtf != NULL) {
		html = mapi_rtf_html(it->rtf, it->rtf_len, &n);
		if (html != NULL && n > 0)
			fz_sink += (unsigned char)html[n - 1];
		free(html);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct limits lim;
	static struct plog *log;
	struct mapi_item *it;
	char path[64], *mime;
	size_t len = 0;
	bool damaged;
	int fd;

	if (size > (256u << 10))
		return 0;
	if (log == NULL) {
		log = plog_new();
		limits_default(&lim);
		lim.message_bytes = 64u << 10;
		lim.mime_depth = 4;
	}
	if ((fd = fuzz_file(data, size, path)) < 0)
		return 0;
	(void)msg_path_is_message(path);
	it = msg_read(path, &lim, log, &damaged);
	if (it != NULL) {
		fz_item(it, 0);
		mime = mapi_item_to_mime(it, lim.mime_depth, &len);
		if (len > 0)
			fz_sink += (unsigned char)mime[len - 1];
		free(mime);
		mapi_item_free(it);
	}
	plog_clear(log);
	close(fd);
	return 0;
}
