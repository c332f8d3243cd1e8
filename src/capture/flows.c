/* flows.c - the flow table.
 *
 * A flow is keyed by its two endpoints in canonical order. Open flows sit in
 * a list ordered by last activity and end after CAPTURE_IDLE_TIMEOUT_US
 * (capture.h) without packets, with a note in the processing log;
 * closed flows (FIN both ways, or RST) stay LINGER_US more (at most
 * LINGER_MAX of them, the oldest go first) so the last ACKs still count to
 * them, as Wireshark counts them, then end. A SYN (without
 * ACK) that starts a new connection on the same endpoints ends the old flow
 * first (port reuse). The table holds at most CAPTURE_OPEN_FLOWS_MAX flows
 * (capture.h): past it the least recently active one makes room. */
#include "capture/flows.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "capture/tcp.h"
#include "util/limits.h"
#include "util/plog.h"
#include "util/rd.h"
#include "util/xalloc.h"

#define LINGER_US (5 * 1000000LL)
#define LINGER_MAX 256              /* closed flows waiting for their last ACKs */
#define DETECT_BYTES 4096           /* kept per direction until the protocol is known */
/* A TLS flow on a port that is not a mail port keeps this much of each
 * direction: the handshake (a ClientHello and a server's certificate chain
 * fit many times over), not the encrypted bulk, so HTTPS downloads do not
 * crowd mail flows out of the capture-wide buffer. */
#define TLS_KEEP_BYTES (256 * 1024)

enum app_state { APP_UNDECIDED, APP_MAIL, APP_OTHER };

struct fkey {
	uint8_t a[16], b[16];
	uint16_t pa, pb;
	uint8_t af;
};

struct tflow {
	struct flow f;
	struct fkey key;
	uint32_t hash;
	struct tflow *hnext;
	struct tflow *prev, *next;      /* activity list (open or closed) */
	int64_t seen;                   /* capture clock at the last packet */
	uint8_t cli[16];
	uint16_t cport;
	uint32_t cli_isn;
	bool cli_syn;
	enum app_state app;
	bool tls_checked;               /* the first client bytes were looked at for TLS */
	bool fin[2], rst, closed;
	struct tcp_dir td[2];
};

struct flist {
	struct tflow *head, *tail;
};

struct flows {
	struct tcp_ctx ctx;
	const struct flow_sink *sink;
	bool keep_all;
	struct tflow **buckets;
	size_t nbuckets, count, count_max, nclosed;
	struct flist open, closed;
	uint64_t next_id;
	int64_t now;
	uint64_t evicted;               /* flows ended by "flow table full" */
	struct frame_ref evicted_first; /* the last frame of the first of them */
};

static const uint16_t mail_ports[][2] = {
	{ 25, 's' }, { 465, 's' }, { 587, 's' }, { 2525, 's' },
	{ 110, 'p' }, { 995, 'p' }, { 143, 'i' }, { 993, 'i' },
};

static const char *
flows_port_app(uint16_t port)
{
	for (size_t i = 0; i < sizeof(mail_ports) / sizeof(mail_ports[0]); i++)
		if (mail_ports[i][0] == port)
			return mail_ports[i][1] == 's' ? "smtp" : mail_ports[i][1] == 'p' ? "pop3" : "imap";
	return NULL;
}

struct flows *
flows_new(struct plog *log, const struct limits *lim, bool keep_all,
    const struct flow_sink *sink, const char *const *paths)
{
	struct flows *t = xcalloc(1, sizeof(*t));

	t->ctx.log = log;
	t->ctx.paths = paths;
	t->ctx.flow_max = lim->flow_bytes;
	t->ctx.global_max = lim->capture_bytes;
	/* Bytes waiting out of order will be the direction's data once the
	 * hole fills: they share its ceiling (and the capture-wide one). */
	t->ctx.pending_max = lim->flow_bytes;
	t->ctx.gaps_max = lim->stream_gaps;
	t->sink = sink;
	t->keep_all = keep_all;
	t->nbuckets = 1024;
	t->buckets = xcalloc(t->nbuckets, sizeof(*t->buckets));
	t->next_id = 1;
	t->now = INT64_MIN;
	return t;
}

static uint32_t
flows_hash(const struct fkey *k)
{
	/* FNV-1a over the key. */
	const uint8_t *p = (const uint8_t *)k;
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < sizeof(*k); i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

static void
flist_remove(struct flist *l, struct tflow *f)
{
	if (f->prev)
		f->prev->next = f->next;
	else
		l->head = f->next;
	if (f->next)
		f->next->prev = f->prev;
	else
		l->tail = f->prev;
	f->prev = f->next = NULL;
}

static void
flist_append(struct flist *l, struct tflow *f)
{
	f->prev = l->tail;
	f->next = NULL;
	if (l->tail)
		l->tail->next = f;
	else
		l->head = f;
	l->tail = f;
}

static void
flows_grow(struct flows *t)
{
	size_t n = t->nbuckets * 2;
	struct tflow **b = xcalloc(n, sizeof(*b));

	for (size_t i = 0; i < t->nbuckets; i++) {
		struct tflow *f = t->buckets[i], *next;

		for (; f; f = next) {
			next = f->hnext;
			f->hnext = b[f->hash & (n - 1)];
			b[f->hash & (n - 1)] = f;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
}

static void
flows_addr_str(int af, const uint8_t *a, char out[46])
{
	if (inet_ntop(af, a, out, 46) == NULL)
		snprintf(out, 46, "?");
}

static void
flows_set_buffered(struct flows *t, struct tflow *tf, bool on)
{
	tf->f.buffered = on;
	if (!on)
		for (int d = 0; d < 2; d++)
			tcp_dir_free(&t->ctx, &tf->td[d], &tf->f.dir[d]);
}

/* Hands the flow on and frees it. */
static void
flows_end(struct flows *t, struct tflow *tf, const char *why)
{
	struct tflow **pp = &t->buckets[tf->hash & (t->nbuckets - 1)];

	while (*pp != tf)
		pp = &(*pp)->hnext;
	*pp = tf->hnext;
	flist_remove(tf->closed ? &t->closed : &t->open, tf);
	t->count--;
	if (tf->closed)
		t->nclosed--;
	if (tf->f.end == NULL)
		tf->f.end = why;
	if (tf->f.buffered)
		for (int d = 0; d < 2; d++)
			tcp_dir_flush(&t->ctx, &tf->f, d, &tf->td[d], &tf->f.dir[d]);
	tf->f.retransmissions = tf->td[0].retrans + tf->td[1].retrans;
	if (tf->app == APP_UNDECIDED && !t->keep_all)
		flows_set_buffered(t, tf, false);
	if (t->sink && t->sink->flow_end)
		t->sink->flow_end(t->sink->arg, &tf->f);
	for (int d = 0; d < 2; d++)
		tcp_dir_free(&t->ctx, &tf->td[d], &tf->f.dir[d]);
	free(tf);
}

/* Idle timeout: ended by the capture clock, not by the connection; the
 * examiner is told, since a session may look cut short. */
static void
flows_timeout(struct flows *t, struct tflow *tf)
{
	const struct flow *f = &tf->f;
	char w[32];

	snprintf(w, sizeof(w), "frame %" PRIu32, f->last_frame.frame);
	plog_add(t->ctx.log, PLOG_INFO, "tcp.timeout",
	    t->ctx.paths ? t->ctx.paths[f->last_frame.file] : "capture", w,
	    "flow %" PRIu64 " %s:%u -> %s:%u ended by idle timeout: no packet for more than %lld"
	    " seconds after its last frame; a later packet on the same endpoints starts a new flow",
	    f->id, f->cli_ip, f->cli_port, f->srv_ip, f->srv_port,
	    (long long)(CAPTURE_IDLE_TIMEOUT_US / 1000000));
	flows_end(t, tf, "timeout");
}

/* The table is full: the longest idle flow makes room. Closed flows go
 * first, since they have ended already and only wait for their last ACKs. */
static void
flows_make_room(struct flows *t)
{
	struct tflow *tf = t->open.head;
	const struct flow *f;
	char w[32];

	if (t->closed.head) {
		flows_end(t, t->closed.head, "fin");
		return;
	}
	f = &tf->f;
	if (t->evicted++ == 0) {
		t->evicted_first = f->last_frame;
		snprintf(w, sizeof(w), "frame %" PRIu32, f->last_frame.frame);
		plog_add(t->ctx.log, PLOG_WARN, "tcp.flow_table_full",
		    t->ctx.paths ? t->ctx.paths[f->last_frame.file] : "capture", w,
		    "%d TCP flows were open at once, the most kept: flow %" PRIu64 " %s:%u -> %s:%u,"
		    " the least recently active, ended after its last frame to make room; a later"
		    " packet on its endpoints starts a new flow", CAPTURE_OPEN_FLOWS_MAX, f->id,
		    f->cli_ip, f->cli_port, f->srv_ip, f->srv_port);
	}
	flows_end(t, tf, "flow table full");
}

static void
flows_expire(struct flows *t)
{
	while (t->closed.head && (t->now - t->closed.head->seen > LINGER_US || t->nclosed > LINGER_MAX))
		flows_end(t, t->closed.head, "fin");
	while (t->open.head && t->now - t->open.head->seen > CAPTURE_IDLE_TIMEOUT_US)
		flows_timeout(t, t->open.head);
}

static bool
flows_is_srv_port(uint16_t p)
{
	return flows_port_app(p) != NULL || p < 1024;
}

static struct tflow *
flows_create(struct flows *t, const struct fkey *k, uint32_t h, const struct tcp_seg *s,
    const struct frame_ref *at)
{
	struct tflow *tf = xcalloc(1, sizeof(*tf));
	size_t alen = s->af == AF_INET ? 4 : 16;
	bool src_is_client;
	const char *app;

	tf->key = *k;
	tf->hash = h;
	if ((s->flags & (TCPF_SYN | TCPF_ACK)) == TCPF_SYN)
		src_is_client = true;
	else if ((s->flags & (TCPF_SYN | TCPF_ACK)) == (TCPF_SYN | TCPF_ACK))
		src_is_client = false;
	else if (flows_is_srv_port(s->dport) != flows_is_srv_port(s->sport))
		src_is_client = flows_is_srv_port(s->dport);     /* no SYN: the well-known port serves */
	else
		src_is_client = s->sport > s->dport || (s->sport == s->dport);
	tf->f.syn_seen = (s->flags & TCPF_SYN) != 0;
	memcpy(tf->cli, src_is_client ? s->src : s->dst, alen);
	tf->cport = src_is_client ? s->sport : s->dport;
	tf->f.id = t->next_id++;
	tf->f.evidence_id = at->evidence_id;
	tf->f.af = s->af;
	flows_addr_str(s->af, src_is_client ? s->src : s->dst, tf->f.cli_ip);
	flows_addr_str(s->af, src_is_client ? s->dst : s->src, tf->f.srv_ip);
	tf->f.cli_port = tf->cport;
	tf->f.srv_port = src_is_client ? s->dport : s->sport;
	tf->f.first_us = tf->f.last_us = at->ts_us;
	tf->f.first_frame = *at;
	for (int d = 0; d < 2; d++)
		tcp_dir_init(&tf->td[d], &tf->f.dir[d], t->ctx.flow_max);
	app = flows_port_app(tf->f.srv_port);
	if (app) {
		tf->app = APP_MAIL;
		snprintf(tf->f.app, sizeof(tf->f.app), "%s", app);
	}
	tf->f.buffered = true;
	tf->hnext = t->buckets[h & (t->nbuckets - 1)];
	t->buckets[h & (t->nbuckets - 1)] = tf;
	flist_append(&t->open, tf);
	if (++t->count > t->count_max)
		t->count_max = t->count;
	if (t->count > t->nbuckets)
		flows_grow(t);
	return tf;
}

/* RFC 8446 section 5.1, RFC 5246 section 6.2: a handshake record (type 22,
 * version 3.0 to 3.4, length 1 to 2^14 + 2048) whose first message is a
 * ClientHello (type 1). */
static bool
flows_tls_hello(const struct buf *b)
{
	struct rd r;
	uint8_t type, major, minor;
	uint16_t len;

	rd_init(&r, b->p, b->len);
	type = rd_u8(&r);
	major = rd_u8(&r);
	minor = rd_u8(&r);
	len = rd_be16(&r);
	return rd_u8(&r) == 1 && rd_ok(&r) && type == 22 && major == 3 && minor <= 4 &&
	    len > 0 && len <= 16384 + 2048;
}

/* A client that opens with a ClientHello speaks TLS, on a mail port or
 * not: "smtps", "imaps", "pop3s" on the ports of RFC 8314 sections 3.3
 * and 7, "tls" elsewhere (any other mail port: TLS without STARTTLS). */
static void
flows_detect_tls(struct flows *t, struct tflow *tf)
{
	const struct buf *cli = &tf->f.dir[DIR_C2S].data;
	uint16_t p = tf->f.srv_port;

	if (cli->len < 6)
		return;
	tf->tls_checked = true;
	if (!flows_tls_hello(cli))
		return;
	snprintf(tf->f.app, sizeof(tf->f.app), "%s", p == 465 ? "smtps" : p == 993 ? "imaps" :
	    p == 995 ? "pop3s" : "tls");
	tf->app = APP_MAIL;
}

/* RFC 5321 section 4.2 (220 greeting), RFC 1939 section 4 (+OK),
 * RFC 9051 section 7.1 (* OK / * PREAUTH): the first server line names the
 * protocol, whatever the port. */
static void
flows_detect(struct flows *t, struct tflow *tf)
{
	const struct buf *srv = &tf->f.dir[DIR_S2C].data, *cli = &tf->f.dir[DIR_C2S].data;
	const char *nl, *p;
	size_t n, skip = 0;

	if (!tf->tls_checked)
		flows_detect_tls(t, tf);
	if (tf->app == APP_MAIL)
		return;
	if (srv->len == 0) {
		if (cli->len > DETECT_BYTES || tf->f.dir[DIR_C2S].capped)
			goto other;
		return;
	}
	/* RFC 9110 section 9.3.6: through an HTTP CONNECT tunnel the greeting
	 * follows the proxy's answer and its blank line. */
	if (cli->len >= 8 && memcmp(cli->p, "CONNECT ", 8) == 0 &&
	    srv->len >= 7 && memcmp(srv->p, "HTTP/1.", 7) == 0) {
		const char *end = memmem(srv->p, srv->len, "\r\n\r\n", 4);

		if (end == NULL) {
			if (srv->len < DETECT_BYTES && !tf->f.dir[DIR_S2C].capped)
				return;
			goto other;
		}
		skip = (size_t)(end - srv->p) + 4;
		if (skip == srv->len) {
			if (!tf->f.dir[DIR_S2C].capped)
				return;
			goto other;
		}
	}
	p = srv->p + skip;
	nl = memchr(p, '\n', srv->len - skip);
	if (nl == NULL && srv->len < DETECT_BYTES && !tf->f.dir[DIR_S2C].capped)
		return;
	n = nl ? (size_t)(nl - p) : srv->len - skip;
	if (n >= 4 && (memcmp(p, "220 ", 4) == 0 || memcmp(p, "220-", 4) == 0) &&
	    memmem(p, n, "SMTP", 4) != NULL) {
		snprintf(tf->f.app, sizeof(tf->f.app), "smtp");
	} else if (n >= 3 && memcmp(p, "+OK", 3) == 0 && (skip > 0 ||
	    !stream_client_spoke_first(&tf->f))) {
		snprintf(tf->f.app, sizeof(tf->f.app), "pop3");
	} else if ((n >= 4 && memcmp(p, "* OK", 4) == 0) ||
	    (n >= 9 && memcmp(p, "* PREAUTH", 9) == 0)) {
		snprintf(tf->f.app, sizeof(tf->f.app), "imap");
	} else {
		goto other;
	}
	tf->app = APP_MAIL;
	return;
other:
	tf->app = APP_OTHER;
	if (!t->keep_all)
		flows_set_buffered(t, tf, false);
}

void
flows_segment(struct flows *t, const struct tcp_seg *s, const struct frame_ref *at,
    uint32_t frame_len)
{
	struct fkey k;
	size_t alen = s->af == AF_INET ? 4 : 16;
	int cmp;
	uint32_t h;
	struct tflow *tf;
	int dir;
	bool syn_only = (s->flags & (TCPF_SYN | TCPF_ACK)) == TCPF_SYN;

	memset(&k, 0, sizeof(k));
	k.af = (uint8_t)s->af;
	cmp = memcmp(s->src, s->dst, alen);
	if (cmp < 0 || (cmp == 0 && s->sport <= s->dport)) {
		memcpy(k.a, s->src, alen);
		memcpy(k.b, s->dst, alen);
		k.pa = s->sport;
		k.pb = s->dport;
	} else {
		memcpy(k.a, s->dst, alen);
		memcpy(k.b, s->src, alen);
		k.pa = s->dport;
		k.pb = s->sport;
	}
	h = flows_hash(&k);
	if (at->ts_us > t->now)
		t->now = at->ts_us;
	for (tf = t->buckets[h & (t->nbuckets - 1)]; tf; tf = tf->hnext)
		if (tf->hash == h && memcmp(&tf->key, &k, sizeof(k)) == 0)
			break;
	/* Port reuse: a new SYN after the old connection closed, or a client
	 * SYN with another initial sequence number, data or not: a retransmitted
	 * SYN carries the same one, a new connection picks a new one (RFC 9293
	 * section 3.4.1), and Wireshark starts a new stream there too. */
	if (tf && syn_only && (tf->closed || tf->fin[0] || tf->fin[1] || tf->rst ||
	    (tf->cli_syn && s->seq != tf->cli_isn && s->sport == tf->cport &&
	    memcmp(s->src, tf->cli, alen) == 0))) {
		flows_end(t, tf, tf->closed ? NULL : "port reuse");
		tf = NULL;
	}
	if (tf == NULL) {
		if (t->count >= CAPTURE_OPEN_FLOWS_MAX)
			flows_make_room(t);
		tf = flows_create(t, &k, h, s, at);
	}
	dir = (memcmp(s->src, tf->cli, alen) == 0 && s->sport == tf->cport) ? DIR_C2S : DIR_S2C;
	if (memcmp(s->src, s->dst, alen) == 0 && s->sport == s->dport)
		dir = DIR_C2S;
	tf->f.pkts[dir]++;
	tf->f.frame_bytes[dir] += frame_len;
	tf->f.payload_bytes[dir] += s->wire_len;
	if (at->ts_us < tf->f.first_us)
		tf->f.first_us = at->ts_us;
	if (at->ts_us > tf->f.last_us)
		tf->f.last_us = at->ts_us;
	tf->f.last_frame = *at;
	if (s->flags & TCPF_SYN) {
		if (dir == DIR_C2S && syn_only && !tf->cli_syn) {
			tf->cli_syn = true;
			tf->cli_isn = s->seq;
		}
		tf->f.syn_seen = true;
		tcp_dir_syn(&tf->td[dir], s->seq);
	}
	if (s->len > 0 && tf->f.buffered) {
		uint32_t seq = s->seq + ((s->flags & TCPF_SYN) ? 1 : 0);

		tcp_dir_data(&t->ctx, &tf->f, dir, &tf->td[dir], &tf->f.dir[dir], seq, s->payload, s->len, at);
		if (tf->app == APP_UNDECIDED)
			flows_detect(t, tf);
		else if (!tf->tls_checked && dir == DIR_C2S)
			flows_detect_tls(t, tf);
		if (strcmp(tf->f.app, "tls") == 0 && tf->f.dir[dir].data.len >= TLS_KEEP_BYTES)
			tf->f.dir[dir].capped = true;    /* the handshake is kept; see TLS_KEEP_BYTES */
	}
	if (s->flags & TCPF_FIN)
		tf->fin[dir] = true;
	if (s->flags & TCPF_RST)
		tf->rst = true;
	if (!tf->closed && (tf->rst || (tf->fin[0] && tf->fin[1]))) {
		flist_remove(&t->open, tf);
		tf->closed = true;
		t->nclosed++;
		tf->f.end = tf->rst ? "rst" : "fin";
		flist_append(&t->closed, tf);
	} else {
		struct flist *l = tf->closed ? &t->closed : &t->open;

		flist_remove(l, tf);
		flist_append(l, tf);
	}
	tf->seen = t->now;
	flows_expire(t);
}

static int
flows_id_cmp(const void *a, const void *b)
{
	const struct tflow *x = *(const struct tflow *const *)a, *y = *(const struct tflow *const *)b;

	return x->f.id < y->f.id ? -1 : x->f.id > y->f.id;
}

void
flows_finish(struct flows *t)
{
	/* In order of flow id, so sinks see a stable order. */
	struct tflow **all;
	size_t n = 0;

	if (t->count == 0)
		return;
	all = xreallocarray(NULL, t->count, sizeof(*all));
	for (struct tflow *f = t->open.head; f; f = f->next)
		all[n++] = f;
	for (struct tflow *f = t->closed.head; f; f = f->next)
		all[n++] = f;
	qsort(all, n, sizeof(*all), flows_id_cmp);
	for (size_t i = 0; i < n; i++)
		flows_end(t, all[i], "end of capture");
	free(all);
}

void
flows_free(struct flows *t)
{
	if (t == NULL)
		return;
	flows_finish(t);
	if (t->evicted > 1) {
		char w[32];

		snprintf(w, sizeof(w), "frame %" PRIu32, t->evicted_first.frame);
		plog_add(t->ctx.log, PLOG_WARN, "tcp.flow_table_full",
		    t->ctx.paths ? t->ctx.paths[t->evicted_first.file] : "capture", w,
		    "%" PRIu64 " TCP flows in all were ended early, the first after this frame,"
		    " because %d flows were open at once (end reason \"flow table full\")",
		    t->evicted, CAPTURE_OPEN_FLOWS_MAX);
	}
	free(t->buckets);
	free(t);
}

size_t
flows_open(const struct flows *t)
{
	return t->count;
}

size_t
flows_open_max(const struct flows *t)
{
	return t->count_max;
}
