/* fuzz_pcapng_blocks - libFuzzer target for the pcapng block reader
 * (capture/pcapng.c), which reads the files libpcap stops on: the input is
 * the whole file, read through fmemopen(3) as the capture is read through
 * stdio. Every packet's bytes are touched so that a slice past its block
 * shows up under ASan. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/pcapng.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *fp;
	struct pcapng *r;
	struct pcapng_pkt pkt;
	volatile uint8_t sink = 0;
	size_t n;

	if (size == 0 || size > (1u << 20))
		return 0;
	fp = fmemopen((void *)data, size, "rb");
	if (fp == NULL)
		return 0;
	r = pcapng_open(fp);
	while (pcapng_next(r, &pkt) == 1)
		for (uint32_t i = 0; i < pkt.caplen; i++)
			sink ^= pkt.data[i];
	(void)pcapng_dlts(r, &n);
	pcapng_free(r);
	fclose(fp);
	return sink & 0;
}
