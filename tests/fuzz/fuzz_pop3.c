/* libFuzzer target: the POP3 session parser (src/mail/pop3.c) on arbitrary
 * two-direction flows (see mail_fuzz.h). Dictionary: fuzz_pop3.dict. */
#include "mail_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run("pop3", data, size);
}
