/* svg.c - see svg.h. */
#include "report/svg.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One picture is far below this (SVG_HOPS_MAX boxes of cut text); the
 * ceiling is there so that no model can make a page grow without bound. */
#define SVG_BYTES_MAX (256 * 1024)
/* Characters of one text shown in a box; the table has the whole value. */
#define SVG_TEXT_MAX 24

struct svg {
	struct buf b;
	bool full;                 /* the ceiling was hit: the picture is dropped */
};

static void
svg_put(struct svg *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
svg_put(struct svg *s, const char *fmt, ...)
{
	va_list ap;
	char tmp[512];
	int n;

	if (s->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp) || !buf_add(&s->b, tmp, (size_t)n))
		s->full = true;
}

static void
svg_raw(struct svg *s, const char *p, size_t n)
{
	if (!s->full && !buf_add(&s->b, p, n))
		s->full = true;
}

/* The code point at p[0..n) (UTF-8, RFC 3629), its length in *len; a byte
 * that starts no valid sequence is U+FFFD of length 1. */
static uint32_t
svg_utf8(const unsigned char *p, size_t n, size_t *len)
{
	uint32_t c;
	size_t k, i;

	*len = 1;
	if (p[0] < 0x80)
		return p[0];
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		k = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		k = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		k = 4, c = p[0] & 0x07;
	else
		return 0xfffd;
	if (k > n)
		return 0xfffd;
	for (i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0xfffd;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((k == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) || (k == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0xfffd;
	*len = k;
	return c;
}

/* Characters that would reorder or hide what a reader sees (Unicode
 * UAX #9 explicit formatting; the Trojan Source characters, CVE-2021-42574). */
static bool
svg_bidi(uint32_t c)
{
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e ||
	    c == 0x200f || c == 0x061c;
}

/* text as SVG character data (or an attribute value), at most max
 * characters, "…" when cut. */
static void
svg_text(struct svg *s, const char *text, size_t max)
{
	const unsigned char *p = (const unsigned char *)(text != NULL ? text : "");
	size_t n = strlen((const char *)p), i = 0, shown = 0, len;

	while (i < n) {
		uint32_t c = svg_utf8(p + i, n - i, &len);

		if (shown == max) {
			svg_put(s, "\xe2\x80\xa6");
			return;
		}
		shown++;
		if (c == '&')
			svg_put(s, "&amp;");
		else if (c == '<')
			svg_put(s, "&lt;");
		else if (c == '>')
			svg_put(s, "&gt;");
		else if (c == '"')
			svg_put(s, "&quot;");
		else if (c == '\'')
			svg_put(s, "&#39;");
		else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || svg_bidi(c))
			svg_put(s, "[U+%04" PRIX32 "]", c);
		else if (c == 0xfffd && len == 1)
			svg_put(s, "\xef\xbf\xbd");
		else
			svg_raw(s, (const char *)p + i, len);
		i += len;
	}
}

static const char *
svg_str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v != NULL ? v : "";
}

static char *
svg_done(struct svg *s)
{
	if (s->full) {
		buf_free(&s->b);
		return NULL;
	}
	return buf_take(&s->b);
}

/* ---- route ---- */

#define R_BOX_W 170
#define R_BOX_H 58
#define R_GAP 130
#define R_PER_ROW 4
#define R_ROW_H 150
#define R_LEFT 20
#define R_TOP 30

static const char *
svg_trust_colour(const char *trust, bool flagged)
{
	if (flagged)
		return "#c62828";
	if (strcmp(trust, "trusted") == 0)
		return "#2e7d32";
	if (strcmp(trust, "origin") == 0)
		return "#1565c0";
	return "#757575";
}

static void
svg_box(struct svg *s, int x, int y, const char *l1, const char *l2, const char *l3, const char *stroke)
{
	svg_put(s, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\" fill=\"#ffffff\" "
	    "stroke=\"%s\" stroke-width=\"2\"/>", x, y, R_BOX_W, R_BOX_H, stroke);
	svg_put(s, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">", x + R_BOX_W / 2, y + 18);
	svg_text(s, l1, SVG_TEXT_MAX);
	svg_put(s, "</text>");
	if (l2 != NULL && *l2) {
		svg_put(s, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\" "
		    "font-family=\"monospace\">", x + R_BOX_W / 2, y + 34);
		svg_text(s, l2, SVG_TEXT_MAX);
		svg_put(s, "</text>");
	}
	if (l3 != NULL && *l3) {
		svg_put(s, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\" fill=\"%s\">",
		    x + R_BOX_W / 2, y + 50, stroke);
		svg_text(s, l3, SVG_TEXT_MAX);
		svg_put(s, "</text>");
	}
}

static void
svg_label(struct svg *s, int x, int y, const char *text, const char *fill)
{
	svg_put(s, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\" fill=\"%s\">", x, y, fill);
	svg_text(s, text, SVG_TEXT_MAX);
	svg_put(s, "</text>");
}

/* Box k's top left corner. */
static void
svg_route_at(size_t k, int *x, int *y)
{
	*x = R_LEFT + (int)(k % R_PER_ROW) * (R_BOX_W + R_GAP);
	*y = R_TOP + (int)(k / R_PER_ROW) * R_ROW_H;
}

/* Whether hop h was sent by the host that received hop prev (RFC 5321
 * section 4.4: each relay names itself in "by" and its client in "from"):
 * its HELO or reverse DNS name is prev's "by", without regard to case. */
static bool
svg_chained(const json_t *prev, const json_t *h)
{
	const char *by = svg_str(prev, "by"), *helo = svg_str(h, "helo"), *rdns = svg_str(h, "rdns");

	return *by && ((*helo && strcasecmp(by, helo) == 0) || (*rdns && strcasecmp(by, rdns) == 0));
}

/* A box of the route: a host as the sender of hop (sender) or as its
 * receiver. */
struct svg_node {
	const json_t *hop;
	bool sender;
};

char *
svg_route(const json_t *route, bool ko)
{
	const json_t *hops = json_object_get(route, "hops");
	size_t n = json_array_size(hops), drawn = n > SVG_HOPS_MAX ? SVG_HOPS_MAX : n, k, nn = 0, rows;
	struct svg_node node[2 * SVG_HOPS_MAX];
	int w, ht, x, y;
	struct svg s;

	if (n == 0)
		return NULL;
	/* the sender of the first hop, then each hop's receiver; a hop whose
	 * sender is not the host before it gets its own sender box, and the
	 * gap between the two is drawn as a break of the chain */
	for (k = 0; k < drawn; k++) {
		const json_t *h = json_array_get(hops, k);

		if (k == 0 || !svg_chained(json_array_get(hops, k - 1), h))
			node[nn++] = (struct svg_node){ h, true };
		node[nn++] = (struct svg_node){ h, false };
	}
	buf_init(&s.b, SVG_BYTES_MAX);
	s.full = false;
	rows = (nn + R_PER_ROW - 1) / R_PER_ROW;
	w = R_LEFT * 2 + R_PER_ROW * R_BOX_W + (R_PER_ROW - 1) * R_GAP;
	ht = R_TOP + (int)(rows - 1) * R_ROW_H + R_BOX_H + 44;
	svg_put(&s, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"mc-figure\" role=\"img\" "
	    "viewBox=\"0 0 %d %d\" width=\"100%%\" font-family=\"sans-serif\">", w, ht);
	svg_put(&s, "<title>%s</title>", ko ? "전달 경로: 발신지에서 오른쪽으로, 홉마다 화살표" :
	    "Route: origin first, left to right, one arrow per hop");
	for (k = 0; k < nn; k++) {
		const json_t *h = node[k].hop;
		const char *trust = svg_str(h, "trust");
		bool flagged = json_array_size(json_object_get(h, "flag_list")) > 0;
		bool origin = strcmp(trust, "origin") == 0;
		const char *name, *note;

		svg_route_at(k, &x, &y);
		if (node[k].sender) {
			name = svg_str(h, "from");
			note = origin ? (ko ? "추정 발신지" : "likely origin") : k == 0 ? (ko ? "발신 측" : "sender") :
			    (ko ? "앞 홉의 수신 서버가 아님" : "not the host before it");
			svg_box(&s, x, y, *name ? name : "?", svg_str(h, "ip"), note,
			    origin ? "#1565c0" : k == 0 ? "#424242" : "#c62828");
		} else {
			name = svg_str(h, "by");
			note = flagged ? (ko ? "! 표시된 홉" : "! flagged hop") : origin ?
			    (ko ? "첫 신뢰 수신 서버" : "first trusted receiver") : svg_str(h, "trust_text");
			svg_box(&s, x, y, *name ? name : "?", svg_str(h, "by_ip"), note,
			    svg_trust_colour(origin ? "trusted" : trust, flagged));
		}
	}
	/* what joins box k - 1 to box k: the hop (sender to receiver), or a
	 * break of the chain (a receiver, then another hop's sender) */
	for (k = 1; k < nn; k++) {
		const json_t *h = node[k].hop;
		bool hop = !node[k].sender;
		bool flagged = json_array_size(json_object_get(h, "flag_list")) > 0;
		const char *c = hop ? svg_trust_colour(svg_str(h, "trust"), flagged) : "#c62828";
		const char *dash = !hop ? " stroke-dasharray=\"2 4\"" : flagged ||
		    strcmp(svg_str(h, "trust"), "unverifiable") == 0 ? " stroke-dasharray=\"6 4\"" : "";
		char t1[64];
		int x0, y0, x1, y1, lx, ly;

		svg_route_at(k - 1, &x0, &y0);
		svg_route_at(k, &x1, &y1);
		if (hop)
			snprintf(t1, sizeof(t1), ko ? "홉 %lld" : "hop %lld",
			    (long long)json_integer_value(json_object_get(h, "no")));
		else
			snprintf(t1, sizeof(t1), "%s", ko ? "연결 끊김" : "chain broken");
		if (y0 == y1) {
			int ax = x0 + R_BOX_W, bx = x1, my = y0 + R_BOX_H / 2;

			svg_put(&s, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>",
			    ax, my, hop ? bx - 8 : bx, my, c, dash);
			if (hop)
				svg_put(&s, "<polygon points=\"%d,%d %d,%d %d,%d\" fill=\"%s\"/>", bx, my, bx - 9, my - 5,
				    bx - 9, my + 5, c);
			lx = (ax + bx) / 2;
			ly = my - 22;
		} else {
			/* to the next row: right, down to between the rows, back left, down */
			int ax = x0 + R_BOX_W, my = y0 + R_BOX_H / 2, gy = y0 + R_BOX_H + 56, bx = x1 + R_BOX_W / 2;

			svg_put(&s, "<polyline points=\"%d,%d %d,%d %d,%d %d,%d %d,%d\" fill=\"none\" stroke=\"%s\" "
			    "stroke-width=\"2\"%s/>", ax, my, ax + 16, my, ax + 16, gy, bx, gy, bx, hop ? y1 - 8 : y1,
			    c, dash);
			if (hop)
				svg_put(&s, "<polygon points=\"%d,%d %d,%d %d,%d\" fill=\"%s\"/>", bx, y1, bx - 5, y1 - 9,
				    bx + 5, y1 - 9, c);
			lx = x0 + R_BOX_W / 2;   /* under the box it leaves */
			ly = y0 + R_BOX_H + 12;
		}
		/* the trust boundary: what is left of it rests on the origin's word */
		if (hop && strcmp(svg_str(h, "trust"), "origin") == 0) {
			/* left of the origin's own box, or where its hop leaves the
			 * host before it */
			bool left = node[k - 1].sender, first = (k - 1) % R_PER_ROW == 0;
			int bx = left ? x0 - 6 : x0 + R_BOX_W + 6;

			svg_put(&s, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#6a1b9a\" "
			    "stroke-width=\"1.5\" stroke-dasharray=\"3 3\"/>", bx, y0 - 16, bx, y0 + R_BOX_H + 4);
			svg_put(&s, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" font-size=\"9\" fill=\"#6a1b9a\">%s</text>",
			    left && !first ? bx - 3 : bx + 3, y0 - 8, left && !first ? "end" : "start",
			    ko ? "신뢰 경계" : "trust boundary");
		}
		svg_label(&s, lx, ly, t1, c);
		if (hop) {
			/* above a straight arrow its number and time; below it the
			 * time in the examiner's zone (--timezone) and the delay;
			 * all of them under the box a wrapping arrow leaves */
			const char *local = svg_str(h, "time_local");
			int below = y0 == y1 ? ly + 36 : ly + 24;

			svg_label(&s, lx, ly + 12, svg_str(h, "time_utc"), "#424242");
			if (*local) {
				svg_put(&s, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"9\" "
				    "fill=\"#424242\">", lx, below);
				svg_text(&s, local, 32);
				svg_put(&s, "</text>");
				below += 12;
			}
			if (*svg_str(h, "delay"))
				svg_label(&s, lx, below, svg_str(h, "delay"), "#424242");
		}
	}
	y = ht - 8;
	if (drawn < n)
		svg_put(&s, ko ? "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#c62828\">홉 %zu개 중 %zu개만 "
		    "그림 (나머지는 아래 표에)</text>" : "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#c62828\">"
		    "%zu hops, the first %zu drawn (the table has them all)</text>", R_LEFT, y, n, drawn);
	else
		svg_put(&s, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#424242\">%s</text>", R_LEFT, y,
		    ko ? "초록: 신뢰 · 파랑: 발신지 · 회색 점선: 검증 불가 · 빨강 점선: 표시된 홉 · 빨강 점: 연결 끊김 · "
		    "보라 선: 신뢰 경계" : "green: trusted · blue: origin · grey, dashed: unverifiable · red, dashed: "
		    "flagged · red, dotted: chain broken · purple line: trust boundary");
	svg_put(&s, "</svg>");
	return svg_done(&s);
}

/* ---- a message's timeline ---- */

#define T_W 1000
#define T_LEFT 40
#define T_RIGHT 960
#define T_AXIS 70

static const struct {
	const char *kind, *colour, *en, *ko;
} svg_kinds[] = {
	{ "hidden", "#6a1b9a", "hidden time", "숨은 시각" },
	{ "date", "#1565c0", "Date", "Date" },
	{ "hop", "#2e7d32", "hop", "홉" },
	{ "internaldate", "#ef6c00", "INTERNALDATE", "INTERNALDATE" },
	{ "from-line", "#795548", "From_ line", "From_ 줄" },
	{ "capture-sent", "#000000", "capture", "캡처" },
	{ "capture-fetched", "#000000", "capture", "캡처" },
};

static size_t
svg_kind(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(svg_kinds) / sizeof(svg_kinds[0]); i++)
		if (strcmp(svg_kinds[i].kind, kind) == 0)
			return i;
	return 0;
}

/* The time of the first placed event at us under the axis at x, in UTC
 * and, with --timezone, in the examiner's zone below it. */
static void
svg_times_end(struct svg *s, const json_t *ev, int64_t us, int x, const char *anchor)
{
	const json_t *e;
	size_t i;

	json_array_foreach(ev, i, e)
		if (json_is_true(json_object_get(e, "judged")) && json_is_integer(json_object_get(e, "time_us")) &&
		    json_integer_value(json_object_get(e, "time_us")) == us) {
			svg_put(s, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" font-size=\"10\" "
			    "font-family=\"monospace\">", x, T_AXIS + 22, anchor);
			svg_text(s, svg_str(e, "time"), 40);
			svg_put(s, "</text>");
			if (*svg_str(e, "time_local")) {
				svg_put(s, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" font-size=\"10\" "
				    "font-family=\"monospace\" fill=\"#424242\">", x, T_AXIS + 34, anchor);
				svg_text(s, svg_str(e, "time_local"), 40);
				svg_put(s, "</text>");
			}
			return;
		}
}

char *
svg_times(const json_t *times, bool ko)
{
	const json_t *ev = json_object_get(times, "events"), *e;
	int64_t lo = 0, hi = 0, span, scale = 1;
	size_t i, placed = 0, drawn = 0, k;
	int lx[SVG_POINTS_MAX], ll[SVG_POINTS_MAX], level, x;
	bool seen[sizeof(svg_kinds) / sizeof(svg_kinds[0])] = { false };
	struct svg s;

	json_array_foreach(ev, i, e) {
		int64_t us;

		if (!json_is_true(json_object_get(e, "judged")) || !json_is_integer(json_object_get(e, "time_us")))
			continue;
		us = json_integer_value(json_object_get(e, "time_us"));
		if (placed == 0 || us < lo)
			lo = us;
		if (placed == 0 || us > hi)
			hi = us;
		placed++;
	}
	if (placed < 2)
		return NULL;
	span = hi - lo;
	while (span / scale > INT64_MAX / (T_RIGHT - T_LEFT))  /* no overflow in the product below */
		scale *= 1000;
	buf_init(&s.b, SVG_BYTES_MAX);
	s.full = false;
	svg_put(&s, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"mc-figure\" role=\"img\" "
	    "viewBox=\"0 0 %d 150\" width=\"100%%\" font-family=\"sans-serif\">", T_W);
	svg_put(&s, "<title>%s</title>", ko ? "이 메시지의 타임라인: 번호는 아래 표의 번호" :
	    "This message's timeline: the numbers are the table's");
	svg_put(&s, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#424242\" stroke-width=\"1\"/>",
	    T_LEFT, T_AXIS, T_RIGHT, T_AXIS);
	json_array_foreach(ev, i, e) {
		int64_t us;
		const char *finding = svg_str(e, "finding");
		size_t kd = svg_kind(svg_str(e, "kind"));

		if (!json_is_true(json_object_get(e, "judged")) || !json_is_integer(json_object_get(e, "time_us")))
			continue;
		if (drawn == SVG_POINTS_MAX)
			break;
		drawn++;
		us = json_integer_value(json_object_get(e, "time_us"));
		x = span == 0 ? (T_LEFT + T_RIGHT) / 2 :
		    T_LEFT + (int)((us - lo) / scale * (T_RIGHT - T_LEFT) / (span / scale > 0 ? span / scale : 1));
		/* a number goes on the lowest line that no number drawn before
		 * within 16 units of it is on */
		for (level = 0; level < 4; level++) {
			for (k = 0; k + 1 < drawn; k++)
				if (lx[k] > x - 16 && lx[k] < x + 16 && ll[k] == level)
					break;
			if (k + 1 >= drawn)
				break;
		}
		level %= 4;
		lx[drawn - 1] = x;
		ll[drawn - 1] = level;
		seen[kd] = true;
		svg_put(&s, "<circle cx=\"%d\" cy=\"%d\" r=\"5\" fill=\"%s\"/>", x, T_AXIS, svg_kinds[kd].colour);
		if (*finding && strcmp(finding, "ok") != 0)
			svg_put(&s, "<circle cx=\"%d\" cy=\"%d\" r=\"9\" fill=\"none\" stroke=\"#c62828\" "
			    "stroke-width=\"2\"/>", x, T_AXIS);
		svg_put(&s, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%lld</text>", x,
		    T_AXIS - 14 - level * 13, (long long)json_integer_value(json_object_get(e, "no")));
	}
	svg_times_end(&s, ev, lo, T_LEFT, "start");
	svg_times_end(&s, ev, hi, T_RIGHT, "end");
	{
		int64_t sec = span / 1000000;
		char hm[48] = "";

		if (sec >= 3600)
			snprintf(hm, sizeof(hm), ko ? " (%" PRId64 "시간 %" PRId64 "분)" : " (%" PRId64 " h %" PRId64 " min)",
			    sec / 3600, sec / 60 % 60);
		else if (sec >= 60)
			snprintf(hm, sizeof(hm), ko ? " (%" PRId64 "분 %" PRId64 "초)" : " (%" PRId64 " min %" PRId64 " s)",
			    sec / 60, sec % 60);
		svg_put(&s, ko ? "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">전체 %" PRId64
		    ".%03" PRId64 "초%s</text>" : "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">"
		    "span %" PRId64 ".%03" PRId64 " s%s</text>", (T_LEFT + T_RIGHT) / 2, T_AXIS + 22, sec,
		    span % 1000000 / 1000, hm);
	}
	/* the legend: the kinds drawn, in a fixed order */
	x = T_LEFT;
	for (k = 0; k < sizeof(svg_kinds) / sizeof(svg_kinds[0]); k++) {
		if (!seen[k] || (k > 0 && strcmp(svg_kinds[k].en, svg_kinds[k - 1].en) == 0 && seen[k - 1]))
			continue;
		svg_put(&s, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" "
		    "font-size=\"10\">%s</text>", x, 118, svg_kinds[k].colour, x + 8, 122,
		    ko ? svg_kinds[k].ko : svg_kinds[k].en);
		x += 110;
	}
	svg_put(&s, "<circle cx=\"%d\" cy=\"118\" r=\"6\" fill=\"none\" stroke=\"#c62828\" stroke-width=\"2\"/>"
	    "<text x=\"%d\" y=\"122\" font-size=\"10\">%s</text>", x, x + 10, ko ? "발견 사항" : "finding");
	if (drawn < placed)
		svg_put(&s, ko ? "<text x=\"%d\" y=\"142\" font-size=\"11\" fill=\"#c62828\">시각 %zu개 중 %zu개만 그림 "
		    "(나머지는 아래 표에)</text>" : "<text x=\"%d\" y=\"142\" font-size=\"11\" fill=\"#c62828\">%zu times, "
		    "the first %zu drawn (the table has them all)</text>", T_LEFT, placed, drawn);
	svg_put(&s, "</svg>");
	return svg_done(&s);
}

/* ---- into the HTML ---- */

static const json_t *
svg_message(const json_t *model, long long no)
{
	const json_t *m;
	size_t i;

	json_array_foreach(json_object_get(model, "messages"), i, m)
		if (json_integer_value(json_object_get(m, "no")) == no)
			return m;
	return NULL;
}

char *
svg_inline(const char *html, const json_t *model)
{
	static const char tag[] = "<img src=\"#mailcase-figure-";
	const char *lang = json_string_value(json_object_get(model, "lang"));
	bool ko = lang != NULL && strcmp(lang, "ko") == 0;
	const char *p = html, *q;
	struct buf out;

	if (strstr(html, tag) == NULL)
		return NULL;
	buf_init(&out, BUF_UNLIMITED);
	while ((q = strstr(p, tag)) != NULL) {
		const char *k = q + sizeof(tag) - 1, *end = strstr(k, "/>");
		bool route = strncmp(k, "route-", 6) == 0, times = strncmp(k, "times-", 6) == 0;
		char *pic = NULL;

		if (end == NULL)
			break;
		if (!buf_add(&out, p, (size_t)(q - p)))
			fatal("svg: out of memory");
		if (route || times) {
			const json_t *m = svg_message(model, strtoll(k + 6, NULL, 10));

			if (m != NULL)
				pic = route ? svg_route(json_object_get(m, "route"), ko) :
				    svg_times(json_object_get(m, "times"), ko);
		}
		if (pic != NULL && !buf_adds(&out, pic))
			fatal("svg: out of memory");
		free(pic);
		p = end + 2;
	}
	if (!buf_adds(&out, p))
		fatal("svg: out of memory");
	return buf_take(&out);
}
