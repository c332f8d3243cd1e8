/* pcapng.h - the pcapng reader for what libpcap 1.10 will not read.
 *
 * libpcap reads a pcapng file only while every interface has the link type
 * of the first (see capture.c). This reader walks the blocks of
 * draft-ietf-opsawg-pcapng (Section Header, Interface Description,
 * Enhanced, Simple and the obsolete Packet Block) and gives each packet
 * with its own interface's link type and time resolution; other blocks are
 * skipped. It is used only where libpcap stopped, and numbers packets as
 * libpcap and Wireshark do (1-based, every packet block of the file).
 *
 * Every length is checked against its block; the first bad block ends the
 * walk with a reason and its byte offset (pcapng_error). */
#ifndef MC_PCAPNG_H
#define MC_PCAPNG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* A block longer than this is refused as damage (libpcap's own ceiling is
 * 16 MiB for a block). */
#define PCAPNG_BLOCK_MAX (16u * 1024 * 1024)
/* Interfaces per section past which the file is refused. */
#define PCAPNG_IFACES_MAX 65536

struct pcapng_pkt {
	int dlt;                 /* the interface's link type, as a DLT_ value */
	int64_t ts_us;           /* microseconds since 1970 (0 for a Simple Packet Block) */
	uint32_t caplen, len;    /* bytes captured, bytes on the wire */
	const uint8_t *data;     /* caplen bytes, valid until the next call */
	uint64_t off;            /* byte offset of the packet's block */
};

struct pcapng;

/* Reads fp from where it is (the start of the file); the caller keeps fp
 * and closes it after pcapng_free. */
struct pcapng *pcapng_open(FILE *fp);
/* 1: a packet; 0: the end of the file; -1: damage (pcapng_error). */
int pcapng_next(struct pcapng *r, struct pcapng_pkt *pkt);
const char *pcapng_error(const struct pcapng *r);
uint64_t pcapng_error_off(const struct pcapng *r);
/* The link types of every interface seen so far, in order of first
 * appearance, as DLT_ values; *n set to their count. */
const int *pcapng_dlts(const struct pcapng *r, size_t *n);
void pcapng_free(struct pcapng *r);

#endif
