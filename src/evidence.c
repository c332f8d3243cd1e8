#include "evidence.h"
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
	case EV_EMLDIR: return "emldir";
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
	return kind == EV_MBOX || kind == EV_EML || kind == EV_MAILDIR || kind == EV_EMLDIR;
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

static void
evidence_sniff(const uint8_t *p, size_t n, struct evidence_info *out)
{
	struct rd r;
	uint32_t magic;

	rd_init(&r, p, n);
	magic = rd_be32(&r);
	out->kind = EV_UNKNOWN;
	snprintf(out->detail, sizeof(out->detail), "unrecognised content");
	if (!rd_ok(&r))
		return;
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
	}
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

static int
evidence_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects regular files below dir (relative paths), depth-bounded. */
static void
evidence_walk(const char *root, const char *rel, unsigned depth, char ***v, size_t *n, size_t *cap)
{
	char *path = rel[0] ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	DIR *d = opendir(path);
	struct dirent *e;

	if (d == NULL || depth > 8) {
		if (d)
			closedir(d);
		free(path);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char *sub, *full;
		struct stat st;

		if (e->d_name[0] == '.' && (e->d_name[1] == '\0' ||
		    (e->d_name[1] == '.' && e->d_name[2] == '\0')))
			continue;
		sub = rel[0] ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		full = xasprintf("%s/%s", root, sub);
		if (lstat(full, &st) != 0) {
			free(sub);
		} else if (S_ISDIR(st.st_mode)) {
			evidence_walk(root, sub, depth + 1, v, n, cap);
			free(sub);
		} else if (S_ISREG(st.st_mode)) {
			if (*n == *cap) {
				*cap = *cap ? *cap * 2 : 64;
				*v = xreallocarray(*v, *cap, sizeof(**v));
			}
			(*v)[(*n)++] = sub;
		} else {
			free(sub);
		}
		free(full);
	}
	closedir(d);
	free(path);
}

static bool
evidence_hash_dir(const char *path, struct hashes *out)
{
	char **v = NULL;
	size_t n = 0, cap = 0, i;
	struct hasher *h = hasher_new();
	uint64_t total = 0;
	bool ok = true;

	evidence_walk(path, "", 0, &v, &n, &cap);
	if (n > 1)
		qsort(v, n, sizeof(*v), evidence_cmp);
	for (i = 0; i < n; i++) {
		char *full = xasprintf("%s/%s", path, v[i]);
		struct hashes fh;
		char *line;

		if (!hash_file(full, &fh))
			ok = false;
		else {
			line = xasprintf("%s  %s\n", fh.sha256, v[i]);
			hasher_update(h, line, strlen(line));
			free(line);
			total += fh.size;
		}
		free(full);
		free(v[i]);
	}
	free(v);
	hasher_final(h, out);
	out->size = total;
	return ok;
}

bool
evidence_hash(const char *path, struct hashes *out)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return false;
	if (S_ISDIR(st.st_mode))
		return evidence_hash_dir(path, out);
	return hash_file(path, out);
}

static bool
evidence_is_dir(const char *dir, const char *sub)
{
	char *p = xasprintf("%s/%s", dir, sub);
	struct stat st;
	bool yes = stat(p, &st) == 0 && S_ISDIR(st.st_mode);

	free(p);
	return yes;
}

bool
evidence_identify(const char *path, struct evidence_info *out, char **err)
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
	if (S_ISDIR(st.st_mode)) {
		if (evidence_is_dir(path, "cur") || evidence_is_dir(path, "new")) {
			out->kind = EV_MAILDIR;
			snprintf(out->detail, sizeof(out->detail), "Maildir folder");
		} else {
			out->kind = EV_EMLDIR;
			snprintf(out->detail, sizeof(out->detail), "folder of message files");
		}
		if (!evidence_hash_dir(path, &out->h)) {
			*err = xasprintf("%s: a file in this folder cannot be read", path);
			return false;
		}
		return true;
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
	if (!hash_file(path, &out->h)) {
		*err = xasprintf("%s: cannot read: %s", path, strerror(errno));
		return false;
	}
	return true;
}
