#include "evidence.h"
#include "evidence_walk.h"
#include "util/fileio.h"
#include "util/buf.h"
#include "util/rd.h"
#include "util/xalloc.h"
#include "mailstore/msg.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *
evidence_kind_name(enum evidence_kind kind)
{
	switch (kind) {
	case EV_PCAP: return "pcap";
	case EV_PCAPNG: return "pcapng";
	case EV_MBOX: return "mbox";
	case EV_EML: return "eml";
	case EV_MAILDIR: return "maildir";
	case EV_FOLDER: return "folder";
	case EV_ZIP: return "zip";
	case EV_GZIP: return "gzip";
	case EV_PST: return "pst";
	case EV_OST: return "ost";
	case EV_MSG: return "msg";
	case EV_TNEF: return "tnef";
	case EV_EMLX: return "emlx";
	case EV_OLE: return "ole";
	case EV_UNKNOWN: break;
	}
	return "unknown";
}

bool
evidence_kind_is_capture(enum evidence_kind kind)
{
	return kind == EV_PCAP || kind == EV_PCAPNG;
}

bool
evidence_kind_is_mailbox(enum evidence_kind kind)
{
	return kind == EV_MBOX || kind == EV_EML;
}

bool
evidence_kind_is_folder(enum evidence_kind kind)
{
	return kind == EV_MAILDIR || kind == EV_FOLDER;
}

static bool evidence_looks_like_header(const uint8_t *p, size_t n);

bool
evidence_kind_is_store(enum evidence_kind kind)
{
	return kind == EV_PST || kind == EV_OST || kind == EV_MSG || kind == EV_TNEF ||
	    kind == EV_EMLX;
}

/* Apple Mail's .emlx: a line with the decimal byte count of the message
 * that follows it (and nothing else), then an RFC 5322 header. */
static bool
evidence_looks_like_emlx(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n && i < 12 && p[i] == ' ')
		i++;
	if (i >= n || p[i] < '0' || p[i] > '9')
		return false;
	while (i < n && i < 24 && p[i] >= '0' && p[i] <= '9')
		i++;
	while (i < n && i < 32 && p[i] == ' ')
		i++;
	if (i < n && p[i] == '\r')
		i++;
	if (i >= n || p[i] != '\n')
		return false;
	i++;
	return evidence_looks_like_header(p + i, n - i);
}

/* [MS-CFB] 2.2: an OLE compound file whose root storage holds the MS-OXMSG
 * streams: directory entry names are UTF-16LE, and a .msg names
 * __properties_version1.0 and __substg1.0_ streams ([MS-OXMSG] 2.1). The
 * first directory sector is usually within the bytes read; when it is not,
 * the file is not taken for a message (an HWP or other OLE file stays what
 * it was). */
static bool
evidence_looks_like_msg(const uint8_t *p, size_t n)
{
	static const uint8_t sig[8] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1 };
	static const char want[] = "__properties_version1.0";
	size_t i, k, wl = sizeof(want) - 1;

	if (n < 512 || memcmp(p, sig, 8) != 0)
		return false;
	for (i = 512; i + wl * 2 <= n; i += 128) {    /* 128-byte directory entries */
		for (k = 0; k < wl; k++)
			if (p[i + 2 * k] != (uint8_t)want[k] || p[i + 2 * k + 1] != 0)
				break;
		if (k == wl)
			return true;
	}
	return false;
}

/* RFC 5322 section 2.2: a field name is printable ASCII except ':'. */
static bool
evidence_looks_like_header(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == ':')
			return i > 0;
		if (p[i] <= 32 || p[i] > 126)
			return false;
	}
	return false;
}

/* What a file no reader takes is, for the evidence table: the formats an
 * examiner most often finds beside mail (their signatures: PNG, ISO/IEC
 * 15948 5.2; JPEG, ITU T.81 B.1.1.2 SOI; GIF89a; PDF, ISO 32000-1 7.5.2),
 * text, or data. */
static void
evidence_describe(const uint8_t *p, size_t n, char *detail, size_t size)
{
	size_t i, bad = 0;

	if (n == 0) {
		snprintf(detail, size, "empty file");
		return;
	}
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) {
		snprintf(detail, size, "PNG image");
		return;
	}
	if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff) {
		snprintf(detail, size, "JPEG image");
		return;
	}
	if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0)) {
		snprintf(detail, size, "GIF image");
		return;
	}
	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0) {
		snprintf(detail, size, "PDF document");
		return;
	}
	for (i = 0; i < n; i++)
		if ((p[i] < 32 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t' && p[i] != '\f') ||
		    p[i] == 127)
			bad++;
	snprintf(detail, size, "%s", bad == 0 ? "text" : "unrecognised content");
}

static void
evidence_sniff(const uint8_t *p, size_t n, struct evidence_info *out)
{
	struct rd r;
	uint32_t magic;

	rd_init(&r, p, n);
	magic = rd_be32(&r);
	out->kind = EV_UNKNOWN;
	snprintf(out->detail, sizeof(out->detail), "unrecognised content");
	if (!rd_ok(&r)) {
		evidence_describe(p, n, out->detail, sizeof(out->detail));
		return;
	}
	/* pcap: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap (magic
	 * 0xA1B2C3D4 microsecond, 0xA1B23C4D nanosecond, either byte order). */
	switch (magic) {
	case 0xa1b2c3d4:
		out->kind = EV_PCAP;
		snprintf(out->detail, sizeof(out->detail), "pcap, microsecond, big-endian");
		return;
	case 0xd4c3b2a1:
		out->kind = EV_PCAP;
		snprintf(out->detail, sizeof(out->detail), "pcap, microsecond, little-endian");
		return;
	case 0xa1b23c4d:
		out->kind = EV_PCAP;
		snprintf(out->detail, sizeof(out->detail), "pcap, nanosecond, big-endian");
		return;
	case 0x4d3cb2a1:
		out->kind = EV_PCAP;
		snprintf(out->detail, sizeof(out->detail), "pcap, nanosecond, little-endian");
		return;
	case 0x0a0d0d0a:
		out->kind = EV_PCAPNG;
		snprintf(out->detail, sizeof(out->detail), "pcapng");
		return;
	case 0x504b0304:
		out->kind = EV_ZIP;
		snprintf(out->detail, sizeof(out->detail), "zip archive");
		return;
	case 0xd0cf11e0:
		/* MS-CFB 2.2: the 8-byte compound file signature */
		if (n >= 8 && memcmp(p, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0 &&
		    !evidence_looks_like_msg(p, n)) {
			out->kind = EV_OLE;
			snprintf(out->detail, sizeof(out->detail), "OLE compound file");
			return;
		}
		break;
	}
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
		out->kind = EV_GZIP;
		snprintf(out->detail, sizeof(out->detail), "gzip-compressed (decompress it first)");
		return;
	}
	if (n >= 5 && memcmp(p, "From ", 5) == 0) {
		out->kind = EV_MBOX;
		snprintf(out->detail, sizeof(out->detail), "mbox");
		return;
	}
	/* [MS-PST] 2.2.2.6: dwMagic "!BDN", then wMagicClient "SM" for a PST
	 * and "SO" for an OST, at offset 8. */
	if (n >= 10 && memcmp(p, "!BDN", 4) == 0) {
		bool ost = p[8] == 'S' && p[9] == 'O';
		out->kind = ost ? EV_OST : EV_PST;
		snprintf(out->detail, sizeof(out->detail), "Outlook %s file", ost ? "OST" : "PST");
		return;
	}
	/* [MS-OXTNEF] 2.1.3.1: TNEFSignature 0x223E9F78, little-endian. */
	if (n >= 6 && p[0] == 0x78 && p[1] == 0x9f && p[2] == 0x3e && p[3] == 0x22) {
		out->kind = EV_TNEF;
		snprintf(out->detail, sizeof(out->detail), "TNEF stream (winmail.dat)");
		return;
	}
	if (evidence_looks_like_msg(p, n)) {
		out->kind = EV_MSG;
		snprintf(out->detail, sizeof(out->detail), "Outlook message (.msg, OLE compound file)");
		return;
	}
	if (evidence_looks_like_emlx(p, n)) {
		out->kind = EV_EMLX;
		snprintf(out->detail, sizeof(out->detail), "Apple Mail message (.emlx)");
		return;
	}
	if (evidence_looks_like_header(p, n)) {
		out->kind = EV_EML;
		snprintf(out->detail, sizeof(out->detail), "single RFC 5322 message");
		return;
	}
	evidence_describe(p, n, out->detail, sizeof(out->detail));
}

enum evidence_kind
evidence_sniff_kind(const void *p, size_t n, char *detail, size_t size)
{
	struct evidence_info info;

	evidence_sniff(p, n, &info);
	if (detail && size)
		snprintf(detail, size, "%s", info.detail);
	return info.kind;
}

bool
evidence_hash(const char *path, struct hashes *out)
{
	struct stat st;
	struct evidence_walk *w;
	const struct evidence_entry *e;

	if (stat(path, &st) != 0)
		return false;
	if (!S_ISDIR(st.st_mode))
		return hash_file(path, out);
	w = evidence_walk_new(path);
	e = evidence_walk_get(w, 0);
	if (e != NULL && e->rel[0] == '\0' && e->type == EVW_UNREADABLE) {
		evidence_walk_free(w);
		return false;    /* the folder itself cannot be read */
	}
	evidence_walk_digest(w, "", out);
	evidence_walk_free(w);
	return true;
}

bool
evidence_hash_nofollow(const char *path, struct hashes *out)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return false;
	if (S_ISLNK(st.st_mode))
		return evidence_walk_hash_link(path, out);
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		hash_mem("", 0, out);    /* listed, never opened */
		return true;
	}
	return evidence_hash(path, out);
}

void
evidence_info_clear(struct evidence_info *info)
{
	evidence_walk_free(info->walk);
	info->walk = NULL;
}

static bool
evidence_identify_dir(const char *path, struct evidence_info *out, char **err)
{
	struct evidence_walk *w = evidence_walk_new(path);
	const struct evidence_entry *e = evidence_walk_get(w, 0);
	size_t i, n = 0;

	if (e != NULL && e->rel[0] == '\0' && e->type == EVW_UNREADABLE) {
		*err = xasprintf("%s: %s", path, e->why);
		evidence_walk_free(w);
		return false;
	}
	for (i = 0; i < evidence_walk_count(w); i++)
		n += evidence_walk_get(w, i)->type != EVW_DIR;
	if (evidence_walk_is_maildir(w, "")) {
		out->kind = EV_MAILDIR;
		snprintf(out->detail, sizeof(out->detail), "Maildir folder");
	} else {
		out->kind = EV_FOLDER;
		snprintf(out->detail, sizeof(out->detail), "folder of %zu entr%s", n,
		    n == 1 ? "y" : "ies");
	}
	evidence_walk_digest(w, "", &out->h);
	out->walk = w;
	return true;
}

bool
evidence_identify(const char *path, struct evidence_info *out, char **err)
{
	struct stat st;

	memset(out, 0, sizeof(*out));
	*err = NULL;
	if (stat(path, &st) != 0) {
		*err = xasprintf("%s: cannot read: %s", path, strerror(errno));
		return false;
	}
	if (S_ISDIR(st.st_mode))
		return evidence_identify_dir(path, out, err);
	if (!evidence_type_file(path, out, err))
		return false;
	if (!hash_file(path, &out->h)) {
		*err = xasprintf("%s: cannot read: %s", path, strerror(errno));
		return false;
	}
	return true;
}

bool
evidence_type_file(const char *path, struct evidence_info *out, char **err)
{
	struct stat st;
	uint8_t head[4096];
	ssize_t got;
	int fd;

	memset(out, 0, sizeof(*out));
	*err = NULL;
	if (stat(path, &st) != 0) {
		*err = xasprintf("%s: cannot read: %s", path, strerror(errno));
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		*err = xasprintf("%s: not a regular file or folder", path);
		return false;
	}
	fd = fileio_open_ro(path);
	if (fd < 0) {
		*err = xasprintf("%s: cannot read: %s", path, strerror(errno));
		return false;
	}
	got = read(fd, head, sizeof(head));
	close(fd);
	if (got < 0) {
		*err = xasprintf("%s: cannot read: %s", path, strerror(errno));
		return false;
	}
	evidence_sniff(head, (size_t)got, out);
	/* an OLE file whose directory is past the bytes read: libolecf says */
	if ((out->kind == EV_UNKNOWN || out->kind == EV_OLE) && got >= 8 && memcmp(head, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0 &&
	    msg_path_is_message(path)) {
		out->kind = EV_MSG;
		snprintf(out->detail, sizeof(out->detail), "Outlook message (.msg, OLE compound file)");
	}
	return true;
}
