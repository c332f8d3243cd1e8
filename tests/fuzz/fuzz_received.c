/* fuzz_received - libFuzzer target for the Received header parser and the
 * date parser (mail/received.c, mail/maildate.c: mail dates, INTERNALDATE and
 * mbox From_ lines).
 *
 * The input is one header value; it is parsed without a NUL terminator so
 * a read past len shows up under ASan. Inputs are capped just above
 * RECEIVED_MAX so the ceiling path is reached too. Dictionary:
 * tests/fuzz/received.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/maildate.h"
#include "mail/received.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct received r;
	struct maildate md;
	char ip[64];
	int64_t us;
	bool known;
	char *copy;

	if (size > RECEIVED_MAX + 64)
		return 0;
	copy = malloc(size > 0 ? size : 1);   /* exact size: no terminator to lean on */
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	received_parse(copy, size, &r);
	if (r.from_ip != NULL)
		(void)received_ip_classify(r.from_ip);
	received_clear(&r);
	(void)maildate_parse(copy, size, &us, &known);
	/* the zone's position must lie within the input */
	if (maildate_read(copy, size, &md) && md.zone_off + md.zone_len > size)
		abort();
	if (maildate_read_from_line(copy, size, &md) && md.zone_off + md.zone_len > size)
		abort();
	(void)received_ip_norm(copy, size, ip);
	free(copy);
	return 0;
}
