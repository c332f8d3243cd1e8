/* libFuzzer target: the IMAP session parser (src/mail/imap.c) on arbitrary
 * two-direction flows (see mail_fuzz.h). Dictionary: fuzz_imap.dict. */
#include "mail_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run("imap", data, size);
}
