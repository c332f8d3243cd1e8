#!/usr/bin/env python3
"""mktnef.py OUT DOCX [VARIANT]: a TNEF stream ([MS-OXTNEF]) written byte by
byte for tests/cli/formats_stores.sh, the same bytes on every run.

The message: class IPM.Note, subject "Quarterly 보고서 / Q3", sender
Kim Minsu <minsu@example.kr> (SMTP), client submit 2021-03-04T05:06:07Z,
delivery 2021-03-04T05:06:09Z, a plain body, an RTF body (LZFu-compressed,
literals only), and three attachments: notes.txt (long name "회의 notes.txt"),
the docx file DOCX as plan.docx, and an attached message (method 5) whose
own TNEF stream has subject "inner message" and one attachment inner.txt.

VARIANT (default "good") makes it hostile in one way:
  truncated  the stream cut in the middle of the docx's data
  lying      the docx data attribute declares 1,000,000 bytes
  checksum   the notes.txt data attribute's checksum is wrong
  props      the message property list says it has 2 more properties than it does
  rtf        the compressed RTF's header gives a raw size larger than its data
  twice      the docx's data attribute comes twice (other bytes the second time)
"""
import struct
import sys

PT_LONG, PT_SYSTIME, PT_STRING8, PT_UNICODE, PT_BINARY, PT_OBJECT = 3, 0x40, 0x1E, 0x1F, 0x102, 0x0D


def attr(level, aid, data, bad_sum=False, declare=None):
    s = sum(data) & 0xFFFF
    if bad_sum:
        s ^= 0x5555
    n = len(data) if declare is None else declare
    return struct.pack("<BII", level, aid, n) + data + struct.pack("<H", s)


def pad4(b):
    return b + b"\0" * ((4 - len(b) % 4) % 4)


def prop(pid, ptype, value):
    tag = struct.pack("<I", (pid << 16) | ptype)
    if ptype in (PT_STRING8, PT_UNICODE, PT_BINARY, PT_OBJECT):
        return tag + struct.pack("<II", 1, len(value)) + pad4(value)
    if ptype == PT_LONG:
        return tag + struct.pack("<I", value)
    if ptype == PT_SYSTIME:
        return tag + struct.pack("<Q", value)
    raise ValueError(ptype)


def props(plist, extra=0):
    return struct.pack("<I", len(plist) + extra) + b"".join(plist)


def u16(s):
    return s.encode("utf-16-le") + b"\0\0"


def filetime(unix):
    return (unix + 11644473600) * 10000000


def lzfu_literals(raw):
    """[MS-OXRTFCP] 2.2.1: a compressed RTF made of literal runs only."""
    body = b""
    for i in range(0, len(raw), 8):
        body += b"\0" + raw[i:i + 8]
    return body


def rtf_compressed(raw, lie=False):
    body = lzfu_literals(raw)
    rawsize = len(raw) + (5000 if lie else 0)
    return struct.pack("<IIII", len(body) + 12, rawsize, 0x75465A4C, 0) + body


def stream(attrs):
    return struct.pack("<IH", 0x223E9F78, 0x1234) + b"".join(attrs)


def inner():
    msg = props([prop(0x0037, PT_UNICODE, u16("inner message")),
                 prop(0x1000, PT_UNICODE, u16("the inner body"))])
    att = props([prop(0x3707, PT_UNICODE, u16("inner.txt")), prop(0x3705, PT_LONG, 1)])
    return stream([
        attr(1, 0x00078008, b"IPM.Note\0"),
        attr(1, 0x00069003, msg),
        attr(2, 0x00069002, struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0, 0, 0)),
        attr(2, 0x0006800F, b"inner attachment text\n"),
        attr(2, 0x00069005, att),
    ])


def main():
    out, docx_path = sys.argv[1], sys.argv[2]
    variant = sys.argv[3] if len(sys.argv) > 3 else "good"
    docx = open(docx_path, "rb").read()
    rtf = b"{\\rtf1\\ansi\\deff0 {\\fonttbl{\\f0 Arial;}}\\f0 Quarterly figures attached.\\par}"
    msg = [
        prop(0x0037, PT_UNICODE, u16("Quarterly 보고서 / Q3")),
        prop(0x0C1A, PT_UNICODE, u16("Kim Minsu")),
        prop(0x0C1E, PT_STRING8, b"SMTP\0"),
        prop(0x0C1F, PT_STRING8, b"minsu@example.kr\0"),
        prop(0x0039, PT_SYSTIME, filetime(1614834367)),
        prop(0x0E06, PT_SYSTIME, filetime(1614834369)),
        prop(0x1000, PT_UNICODE, u16("Please see the plan.\r\n")),
        prop(0x1009, PT_BINARY, rtf_compressed(rtf, lie=(variant == "rtf"))),
    ]
    a1 = props([prop(0x3707, PT_UNICODE, u16("회의 notes.txt")),
                prop(0x370E, PT_STRING8, b"text/plain\0"), prop(0x3705, PT_LONG, 1)])
    a2 = props([prop(0x3707, PT_UNICODE, u16("plan.docx")), prop(0x3705, PT_LONG, 1)])
    emb = b"\x07\x03\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46" + inner()
    a3 = props([prop(0x3001, PT_UNICODE, u16("inner message")), prop(0x3705, PT_LONG, 5),
                prop(0x3701, PT_OBJECT, emb)])
    rend = struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0, 0, 0)
    attrs = [
        attr(1, 0x00089006, struct.pack("<I", 0x00010000)),
        attr(1, 0x00078008, b"IPM.Note\0"),
        attr(1, 0x00069003, props(msg, extra=2 if variant == "props" else 0)),
        attr(2, 0x00069002, rend),
        attr(2, 0x00018010, b"NOTES.TXT\0"),
        attr(2, 0x0006800F, b"agenda: budget, hiring\n", bad_sum=(variant == "checksum")),
        attr(2, 0x00069005, a1),
        attr(2, 0x00069002, rend),
        attr(2, 0x00018010, b"PLAN.DOC\0"),
    ]
    if variant == "lying":
        attrs.append(attr(2, 0x0006800F, docx, declare=1000000))
    else:
        attrs.append(attr(2, 0x0006800F, docx))
    if variant == "twice":
        attrs.append(attr(2, 0x0006800F, b"other bytes"))
    attrs += [attr(2, 0x00069005, a2), attr(2, 0x00069002, rend), attr(2, 0x00069005, a3)]
    data = stream(attrs)
    if variant == "truncated":
        cut = data.index(docx[:64]) + len(docx) // 2
        data = data[:cut]
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
