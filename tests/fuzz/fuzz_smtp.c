/* libFuzzer target: the SMTP session parser (src/mail/smtp.c) on arbitrary
 * two-direction flows (see mail_fuzz.h). Dictionary: fuzz_smtp.dict. */
#include "mail_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run("smtp", data, size);
}
