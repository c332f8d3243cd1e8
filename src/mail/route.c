/* route.c - the codes of a route record (mail/route.h) and its free. */
#include "mail/route.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

static const char *const route_hop_flag_names[ROUTE_HOP_FLAGS] = {
	"unparseable", "future", "helo-mismatch", "time-backwards", "implausible-delay",
	"broken-chain", "private-ip", "date-far", "zone-unknown",
};
static const char *const route_flag_names[ROUTE_FLAGS] = {
	"no-trusted-hop", "date-far", "obs-date-consistent", "obs-date-far", "obs-sender-mismatch",
	"domains-differ", "date-zone-unknown",
};
static const char *const route_trust_names[] = { "unverifiable", "origin", "trusted" };
static const char *const route_verdict_names[] = { "no-hops", "unreadable", "observed", "chain-holds", "forged" };
static const char *const route_obs_names[] = { NULL, "smtp", "fetched" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

void
hops_route_free(struct route *r)
{
	if (r == NULL)
		return;
	for (size_t k = 0; k < r->nhops; k++) {
		received_clear(&r->hops[k].r);
		free(r->hops[k].raw);
	}
	free(r->hops);
	free(r->origin_host);
	free(r->origin_ip);
	free(r->x_originating_ip);
	free(r->auth);
	free(r->mid_domain);
	free(r->from_domain);
	free(r->rp_domain);
	free(r);
}

static const char *
route_bit_name(const char *const *names, size_t n, unsigned bit)
{
	for (size_t i = 0; i < n; i++)
		if (bit == 1u << i)
			return names[i];
	return NULL;
}

const char *
route_hop_flag_name(unsigned bit)
{
	return route_bit_name(route_hop_flag_names, NELEM(route_hop_flag_names), bit);
}

const char *
route_flag_name(unsigned bit)
{
	return route_bit_name(route_flag_names, NELEM(route_flag_names), bit);
}

const char *
route_trust_name(enum route_trust t)
{
	return (size_t)t < NELEM(route_trust_names) ? route_trust_names[t] : route_trust_names[0];
}

const char *
route_verdict_name(enum route_verdict v)
{
	return (size_t)v < NELEM(route_verdict_names) ? route_verdict_names[v] : route_verdict_names[0];
}

const char *
route_obs_name(enum route_obs o)
{
	return (size_t)o < NELEM(route_obs_names) ? route_obs_names[o] : NULL;
}

/* The flag lists are a few short codes, far below the buffer's ceiling. */
static char *
route_list(const char *const *names, size_t n, unsigned bits)
{
	struct buf b;

	if (bits == 0)
		return NULL;
	buf_init(&b, 4096);
	for (size_t i = 0; i < n; i++)
		if ((bits & (1u << i)) != 0 && ((b.len > 0 && !buf_addc(&b, ',')) || !buf_adds(&b, names[i])))
			break;
	return buf_take(&b);
}

char *
route_hop_flags_list(unsigned bits)
{
	return route_list(route_hop_flag_names, NELEM(route_hop_flag_names), bits);
}

char *
route_flags_list(unsigned bits)
{
	return route_list(route_flag_names, NELEM(route_flag_names), bits);
}

static unsigned
route_parse_list(const char *const *names, size_t n, const char *list)
{
	unsigned bits = 0;

	for (const char *p = list; p != NULL && *p != '\0';) {
		size_t len = strcspn(p, ",");

		for (size_t i = 0; i < n; i++)
			if (strlen(names[i]) == len && strncmp(p, names[i], len) == 0)
				bits |= 1u << i;
		p += len;
		p += *p == ',';
	}
	return bits;
}

unsigned
route_hop_flags_parse(const char *list)
{
	return route_parse_list(route_hop_flag_names, NELEM(route_hop_flag_names), list);
}

unsigned
route_flags_parse(const char *list)
{
	return route_parse_list(route_flag_names, NELEM(route_flag_names), list);
}

static size_t
route_parse_one(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; s != NULL && i < n; i++)
		if (names[i] != NULL && strcmp(names[i], s) == 0)
			return i;
	return 0;
}

enum route_trust
route_trust_parse(const char *s)
{
	return (enum route_trust)route_parse_one(route_trust_names, NELEM(route_trust_names), s);
}

enum route_verdict
route_verdict_parse(const char *s)
{
	return (enum route_verdict)route_parse_one(route_verdict_names, NELEM(route_verdict_names), s);
}

enum route_obs
route_obs_parse(const char *s)
{
	return (enum route_obs)route_parse_one(route_obs_names, NELEM(route_obs_names), s);
}
