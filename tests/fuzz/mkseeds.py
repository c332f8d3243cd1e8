#!/usr/bin/env python3
"""mkseeds.py - writes the seed inputs of the fuzz targets into
tests/fuzz/corpus/NAME/seed-*: small inputs made here, in each target's own
input format (see the comment at the top of tests/fuzz/fuzz_NAME.c).

    python3 tests/fuzz/mkseeds.py [NAME...]

Seeds are rewritten, other corpus entries (the ones `make fuzz-run` merged)
are left alone. The DKIM seeds need tests/tools/dkimsign (make
tests/tools/dkimsign); without it they are left out. Everything is
deterministic but the DKIM keys, which dkimsign makes anew each time.
"""
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
import io

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
SEEDS = {}


def seed(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    SEEDS.setdefault(target, []).append((name, data))


def crlf(s):
    return s.replace("\r\n", "\n").replace("\n", "\r\n")


# ---- messages -------------------------------------------------------------

MSG_SIMPLE = crlf("""Received: from mx.example.net (mx.example.net [192.0.2.7]) by mail.example.org
 (Postfix) with ESMTPS id 4A1B2C for <bob@example.org>; Tue, 1 Oct 2024 09:30:00 +0900
From: =?UTF-8?B?7ZWc6rWt7Ja0?= <ann@example.com>
To: Bob <bob@example.org>, carol@example.org
Subject: =?ISO-8859-1?Q?caf=E9?= report
Date: Tue, 1 Oct 2024 09:29:58 +0900
Message-ID: <1@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Hello =E2=80=94 see you.
""")

MSG_MULTI = crlf("""From: ann@example.com
To: bob@example.org
Subject: parts
Date: Wed, 2 Oct 2024 10:00:00 +0000
Message-ID: <2@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: multipart/alternative; boundary="b2"

--b2
Content-Type: text/plain; charset=us-ascii

plain text
--b2
Content-Type: text/html; charset=utf-8

<html><body><p>html <a href="http://x.example/">link</a><script>x</script></p></body></html>
--b2--
--b1
Content-Type: application/octet-stream; name="a.bin"
Content-Disposition: attachment; filename*=UTF-8''%ED%95%9C.bin
Content-Transfer-Encoding: base64

AAECAwQFBgcICQ==
--b1
Content-Type: message/rfc822

From: inner@example.net
Subject: inner
Content-Type: text/plain

inner body
--b1
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Transfer-Encoding: base64

eJ8+IgAAAQaQCAAEAAAAAAABAAEAAQeQBgAIAAAA5AQAAAAAAADoAAENgAQAAgAAAAIAAgAB
--b1--
""")

MSG_SIGNED = crlf("""From: ann@example.com
To: bob@example.org
Subject: signed
MIME-Version: 1.0
Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="s"

--s
Content-Type: text/plain

signed text
--s
Content-Type: application/pkcs7-signature; name=smime.p7s
Content-Transfer-Encoding: base64

MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwEAAKCAMIIB
--s--
""")


def messages():
    seed("message", "simple", MSG_SIMPLE)
    seed("message", "multipart", MSG_MULTI)
    seed("message", "signed", MSG_SIGNED)
    seed("message", "lf-only", MSG_SIMPLE.replace("\r\n", "\n"))
    seed("message", "mbox", "From ann@example.com Tue Oct  1 09:30:00 2024\n" +
         MSG_SIMPLE.replace("\r\n", "\n") + "\nFrom bob Wed Oct  2 10:00:00 2024\n" +
         MSG_MULTI.replace("\r\n", "\n"))
    box = ("From ann@example.com Tue Oct  1 09:30:00 2024\n" + MSG_SIMPLE.replace("\r\n", "\n") +
           ">From quoted line\n\n"
           "From bob@example.org Wed Oct  2 10:00:00 2024 +0900\nSubject: two\nContent-Length: 12\n\n"
           "From inside\n\n"
           "From - Thu Oct  3 11:00:00 2024\nSubject: three\n\nlast line without end")
    seed("mbox", "three", box)
    seed("mbox", "crlf", box.replace("\n", "\r\n"))
    seed("mbox", "one", "From x Tue Oct  1 09:30:00 2024\nSubject: a\n\nb\n")
    emlx = MSG_SIMPLE.encode()
    plist = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
\t<key>date-received</key><integer>1727742600</integer>
\t<key>flags</key><integer>8590195713</integer>
\t<key>remote-id</key><string>42</string>
\t<key>subject</key><string>caf\xc3\xa9 report</string>
\t<key>junk</key><true/>
\t<key>score</key><real>1.5</real>
\t<key>when</key><date>2024-10-01T00:30:00Z</date>
\t<key>list</key><array><string>a</string></array>
</dict>
</plist>
"""
    seed("emlx", "simple", b"%d\n" % len(emlx) + emlx + plist)
    seed("emlx", "lying", b"99999\n" + emlx)
    seed("emlx", "padded", b"  %d \n" % len(emlx) + emlx + plist.replace(b"\n", b""))
    seed("received", "postfix", "from mx.example.net (mx.example.net [192.0.2.7]) by mail.example.org"
         " (Postfix) with ESMTPS id 4A1B2C for <bob@example.org>; Tue, 1 Oct 2024 09:30:00 +0900")
    seed("received", "exchange", "from EX1.corp.example (2001:db8::1) by EX2.corp.example (2001:db8::2)"
         " with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id"
         " 15.1.2507.27; Mon, 30 Sep 2024 23:59:59 -0700")
    seed("received", "gmail", "by 2002:a05:6a10:1234:b0:4a1:aaaa:bbbb with SMTP id x12csp123456pxa;"
         "        Sun, 29 Sep 2024 01:02:03 -0700 (PDT)")
    seed("received", "qmail", "(qmail 12345 invoked from network); 1 Oct 2024 00:00:00 -0000")
    seed("received", "helo", "from unknown (HELO [10.0.0.1]) ([203.0.113.9])  by x.example with SMTP;"
         " 01 Oct 24 12:00 GMT")
    seed("received", "internaldate", "17-Jul-1996 02:44:25 -0700")
    seed("received", "fromline", "ann@example.com Tue Oct  1 09:30:00 2024")


# ---- sessions (mail_fuzz.h: chunks split by ff fe, server first) -----------

def session(*chunks):
    return b"\xff\xfe".join(c.encode() if isinstance(c, str) else c for c in chunks)


def sessions():
    body = MSG_SIMPLE + ".. dot-stuffed\r\n"
    seed("smtp", "esmtp", session(
        "220 mx.example.org ESMTP Postfix (Debian)\r\n", "EHLO client.example\r\n",
        "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-AUTH PLAIN LOGIN CRAM-MD5\r\n"
        "250 8BITMIME\r\n", "AUTH PLAIN AGFubgBzZWNyZXQ=\r\n", "235 2.7.0 Authentication successful\r\n",
        "MAIL FROM:<ann@example.com> SIZE=500\r\n", "250 2.1.0 Ok\r\n", "RCPT TO:<bob@example.org>\r\n",
        "250 2.1.5 Ok\r\n", "RCPT TO:<nobody@example.org>\r\n", "550 5.1.1 unknown\r\n", "DATA\r\n",
        "354 End data with <CR><LF>.<CR><LF>\r\n", body + ".\r\n", "250 2.0.0 Ok: queued as 4A1B2C\r\n",
        "QUIT\r\n", "221 2.0.0 Bye\r\n"))
    seed("smtp", "login-pipelined", session(
        "220 mx ESMTP\r\n", "EHLO c\r\n", "250-mx\r\n250-CHUNKING\r\n250 AUTH LOGIN\r\n",
        "AUTH LOGIN\r\n", "334 VXNlcm5hbWU6\r\n", "YW5u\r\n", "334 UGFzc3dvcmQ6\r\n", "c2VjcmV0\r\n",
        "535 5.7.8 bad\r\n", "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 12 LAST\r\nSubject: x\r\n\r\n",
        "250 ok\r\n250 ok\r\n250 ok\r\n", "RSET\r\n", "250 ok\r\n"))
    seed("smtp", "starttls", session(
        "220 mx ESMTP\r\n", "HELO c\r\n", "250 mx\r\n", "STARTTLS\r\n", "220 2.0.0 Ready\r\n",
        b"\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00"))
    seed("pop3", "retr", session(
        "+OK POP3 ready <1896.697170952@dbc.example>\r\n", "CAPA\r\n",
        "+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n", "USER ann\r\n", "+OK\r\n", "PASS secret\r\n",
        "+OK 2 messages\r\n", "STAT\r\n", "+OK 2 320\r\n", "LIST\r\n", "+OK\r\n1 120\r\n2 200\r\n.\r\n",
        "UIDL\r\n", "+OK\r\n1 a\r\n2 b\r\n.\r\n", "RETR 1\r\n", "+OK 120 octets\r\n" + body + ".\r\n",
        "TOP 2 0\r\n", "+OK\r\nSubject: x\r\n\r\n.\r\n", "DELE 1\r\n", "+OK\r\n", "QUIT\r\n", "+OK bye\r\n"))
    seed("pop3", "apop-sasl", session(
        "+OK ready <1.2@x>\r\n", "APOP ann c4c9334bac560ecc979e58001b3e22fb\r\n", "-ERR no\r\n",
        "AUTH PLAIN\r\n", "+ \r\n", "AGFubgBzZWNyZXQ=\r\n", "+OK\r\n", "RETR 9\r\n", "+OK\r\nSubject: cut"))
    seed("imap", "fetch", session(
        "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n", "a1 LOGIN ann \"sec ret\"\r\n",
        "a1 OK LOGIN completed\r\n", "a2 SELECT \"&ZeVnLIqe-\"\r\n",
        "* 2 EXISTS\r\n* FLAGS (\\Seen)\r\na2 OK [READ-WRITE] done\r\n",
        "a3 UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])\r\n",
        "* 1 FETCH (UID 5 FLAGS (\\Seen) INTERNALDATE \"01-Oct-2024 09:30:00 +0900\" RFC822.SIZE %d "
        "BODY[] {%d}\r\n%s)\r\na3 OK done\r\n" % (len(MSG_SIMPLE), len(MSG_SIMPLE), MSG_SIMPLE),
        "a4 FETCH 2 (BODY[HEADER] BODY[1.MIME] BINARY[1]<0>)\r\n",
        "* 2 FETCH (BODY[HEADER] {12}\r\nSubject: x\r\n BODY[1.MIME] \"\" BINARY[1]<0> NIL)\r\na4 OK\r\n",
        "a5 APPEND Sent (\\Seen) \"02-Oct-2024 10:00:00 +0000\" {12}\r\n", "+ go\r\n",
        "Subject: y\r\n\r\n", "a5 OK APPEND\r\n", "a6 LOGOUT\r\n", "* BYE\r\na6 OK\r\n"))
    seed("imap", "authenticate", session(
        "* OK ready\r\n", "a1 AUTHENTICATE PLAIN\r\n", "+ \r\n", "AGFubgBzZWNyZXQ=\r\n",
        "a1 NO [AUTHENTICATIONFAILED] bad\r\n", "a2 STARTTLS\r\n", "a2 OK begin\r\n"))
    seed("imap_fetch", "full", "UID 5 FLAGS (\\Seen \\Answered) INTERNALDATE \"01-Oct-2024 09:30:00 +0900\" "
         "RFC822.SIZE 44 BODY[] {44}\0)")
    seed("imap_fetch", "sections", "UID 7 BODY[HEADER.FIELDS (FROM SUBJECT)] {20}\0 BODY[1.2] {3}\0 "
         "BODY[TEXT]<0> \"quoted \\\"x\\\"\" BINARY[2] NIL ENVELOPE (\"d\" \"s\" NIL NIL NIL NIL NIL NIL"
         " NIL \"<m@x>\") RFC822.HEADER {4}\0)")
    seed("imap_fetch", "mutf7", "&ZeVnLIqe-/&AMk-t&AOk-")


# ---- SASL (fuzz_sasl.c: mechanism byte, steps split by ff) -----------------

MECHS = ["NTLM", "GSSAPI", "GSS-SPNEGO", "DIGEST-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256",
         "OAUTHBEARER", "XOAUTH2", "PLAIN", "LOGIN", "CRAM-MD5", "X-OTHER"]


def sasl(mech, *steps):
    return bytes([MECHS.index(mech)]) + b"\xff".join(
        s.encode() if isinstance(s, str) else s for s in steps)


def ntlm_sb(data, off):
    return struct.pack("<HHI", len(data), len(data), off)


def sasls():
    seed("sasl", "plain", sasl("PLAIN", "authz\0ann\0secret"))
    seed("sasl", "login", sasl("LOGIN", "", "Username:", "ann", "Password:", "secret"))
    seed("sasl", "cram", sasl("CRAM-MD5", "", "<1896.697170952@postoffice.example.net>",
                              "tim b913a602c7eda7a495b4e6e7334d3890"))
    seed("sasl", "digest", sasl("DIGEST-MD5", "", 'realm="x",nonce="OA6MG9tEQGm2hh",qop="auth",'
                                'algorithm=md5-sess,charset=utf-8',
                                'charset=utf-8,username="chris",realm="x",nonce="OA6MG9tEQGm2hh",'
                                'nc=00000001,cnonce="OA6MHXh6VqTrRk",digest-uri="imap/x",'
                                'response=d388dad90d4bbd760a152321f2143af7,qop=auth'))
    seed("sasl", "scram", sasl("SCRAM-SHA-256", "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
                               "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                               "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                               "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                               "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "v=6rriTRBi23WpRR/wtup+"))
    seed("sasl", "oauth", sasl("OAUTHBEARER", "n,a=user@example.com,\x01host=server.example.com\x01"
                               "port=143\x01auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01"))
    seed("sasl", "xoauth2", sasl("XOAUTH2", "user=someuser@example.com\x01auth=Bearer ya29.vF9dft4\x01\x01"))
    t1 = b"NTLMSSP\0" + struct.pack("<I", 1) + struct.pack("<I", 0xe2088297) + b"\0" * 16
    chal = b"NTLMSSP\0" + struct.pack("<I", 2) + ntlm_sb(b"D\0O\0M\0", 56) + struct.pack("<I", 0xe2898215) + \
        b"\x01\x23\x45\x67\x89\xab\xcd\xef" + b"\0" * 8 + ntlm_sb(b"\x02\x00\x06\x00D\0O\0M\0\0\0\0\0", 62) + \
        b"\x0a\x00\x63\x45\x00\x00\x00\x0f" + b"D\0O\0M\0" + b"\x02\x00\x06\x00D\0O\0M\0\0\0\0\0"
    dom, user, ws = "DOM".encode("utf-16le"), "ann".encode("utf-16le"), "WS".encode("utf-16le")
    lm = b"\x11" * 24
    nt = b"\x22" * 16 + b"\x01\x01\0\0\0\0\0\0" + b"\0" * 8 + b"\x33" * 8 + b"\0" * 4 + b"\0" * 4
    off = 88
    t3 = b"NTLMSSP\0" + struct.pack("<I", 3)
    parts = [lm, nt, dom, user, ws, b""]
    offs = []
    for p in parts:
        offs.append(off)
        off += len(p)
    t3 += b"".join(ntlm_sb(p, o) for p, o in zip(parts, offs)) + struct.pack("<I", 0xe2888215) + \
        b"\x0a\x00\x63\x45\x00\x00\x00\x0f" + b"\0" * 16 + b"".join(parts)
    seed("sasl", "ntlm", sasl("NTLM", t1, chal, t3))
    krb = b"\x60\x1e\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x01\x00\x6e\x0f\x30\x0d\xa0\x03\x02\x01\x05" \
          b"\xa1\x03\x02\x01\x0e\xa2\x01\x00"
    seed("sasl", "gssapi", sasl("GSSAPI", krb, b"\x05\x04\x01\xff\x00\x0c", b"\x01\x00\x10\x00ann"))


# ---- TLS (fuzz_tls.c: cut byte, then client bytes, then server bytes) -------

def ext(t, body):
    return struct.pack(">HH", t, len(body)) + body


def hs(t, body):
    return bytes([t]) + struct.pack(">I", len(body))[1:] + body


def rec(t, body, ver=0x0303):
    return struct.pack(">BHH", t, ver, len(body)) + body


def tls():
    sni = ext(0, struct.pack(">HBH", 14, 0, 11) + b"example.org")
    alpn = ext(16, struct.pack(">H", 12) + b"\x02h2\x08http/1.1")
    sv = ext(43, b"\x04\x03\x04\x03\x03")
    groups = ext(10, b"\x00\x06\x0a\x0a\x00\x1d\x00\x17")
    sig = ext(13, b"\x00\x04\x04\x03\x08\x04")
    exts = ext(0x0a0a, b"") + sni + groups + ext(11, b"\x01\x00") + sig + alpn + sv
    ch = hs(1, b"\x03\x03" + b"\x01" * 32 + b"\x20" + b"\x02" * 32 + b"\x00\x08\x0a\x0a\x13\x01\xc0\x2f\x00\x9c"
            + b"\x01\x00" + struct.pack(">H", len(exts)) + exts)
    sh12 = hs(2, b"\x03\x03" + b"\x03" * 32 + b"\x00" + b"\xc0\x2f\x00" +
              struct.pack(">H", len(ext(16, b"\x00\x03\x02h2"))) + ext(16, b"\x00\x03\x02h2"))
    cert = b"\x30\x82\x01\x00" + b"\x30" * 40
    certmsg = hs(11, struct.pack(">I", len(cert) + 3)[1:] + struct.pack(">I", len(cert))[1:] + cert)
    sh13 = hs(2, b"\x03\x03" + b"\x04" * 32 + b"\x20" + b"\x02" * 32 + b"\x13\x01\x00" +
              struct.pack(">H", 6) + ext(43, b"\x03\x04"))
    for name, c, s in (("tls12", rec(22, ch, 0x0301), rec(22, sh12 + certmsg) + rec(20, b"\x01")),
                       ("tls13", rec(22, ch, 0x0301), rec(22, sh13) + rec(20, b"\x01") + rec(23, b"\x00" * 20)),
                       ("split", rec(22, ch[:40], 0x0301) + rec(22, ch[40:], 0x0301), rec(21, b"\x02\x28"))):
        # the target cuts the rest at (size - 1) * first / 255: pad the server's
        # side until that is where the client's bytes end
        for cut in range(255, 0, -1):
            total = -(-len(c) * 255 // cut)
            if total >= len(c) + len(s) and total * cut // 255 == len(c):
                break
        data = c + s + b"\0" * (total - len(c) - len(s))
        seed("tls", name, bytes([cut]) + data)


# ---- packets and captures ---------------------------------------------------

def ip4(proto, payload, src="10.0.0.1", dst="10.0.0.2"):
    a = bytes(int(x) for x in src.split(".")) + bytes(int(x) for x in dst.split("."))
    h = struct.pack(">BBHHHBBH", 0x45, 0, 20 + len(payload), 1, 0x4000, 64, proto, 0) + a
    s = sum(struct.unpack(">10H", h))
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    return h[:10] + struct.pack(">H", ~s & 0xffff) + h[12:] + payload


def tcp(sport, dport, seq, ack, flags, data=b""):
    return struct.pack(">HHIIBBHHH", sport, dport, seq, ack, 0x50, flags, 65535, 0, 0) + data


def eth(payload, etype=0x0800):
    return b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb" + struct.pack(">H", etype) + payload


def smtp_frames():
    c, s = 1000, 5000
    out = [eth(ip4(6, tcp(40000, 25, c, 0, 0x02))),
           eth(ip4(6, tcp(25, 40000, s, c + 1, 0x12), "10.0.0.2", "10.0.0.1")),
           eth(ip4(6, tcp(40000, 25, c + 1, s + 1, 0x10)))]
    c += 1
    s += 1
    lines = [("S", "220 mx ESMTP\r\n"), ("C", "EHLO c\r\n"), ("S", "250 mx\r\n"),
             ("C", "MAIL FROM:<a@b>\r\n"), ("S", "250 ok\r\n"), ("C", "QUIT\r\n"), ("S", "221 bye\r\n")]
    for d, t in lines:
        t = t.encode()
        if d == "C":
            out.append(eth(ip4(6, tcp(40000, 25, c, s, 0x18, t))))
            c += len(t)
        else:
            out.append(eth(ip4(6, tcp(25, 40000, s, c, 0x18, t), "10.0.0.2", "10.0.0.1")))
            s += len(t)
    out.append(eth(ip4(6, tcp(40000, 25, c, s, 0x11))))
    out.append(eth(ip4(6, tcp(25, 40000, s, c + 1, 0x11), "10.0.0.2", "10.0.0.1")))
    return out


def packets():
    fr = smtp_frames()
    lp = lambda frames: b"".join(struct.pack(">H", len(f)) + f for f in frames)
    seed("packet", "ether-smtp", b"\x00" + lp(fr))
    seed("packet", "ether-smtp-buffered", b"\x80" + lp(fr))
    # out of order, a gap and a retransmission
    seed("packet", "reorder", b"\x80" + lp([fr[0], fr[1], fr[2], fr[5], fr[3], fr[3], fr[7], fr[4]]))
    vlan = eth(b"\x00\x05\x08\x00" + fr[3][14:], 0x8100)
    ip6 = eth(struct.pack(">IHBB", 0x60000000, 20 + 4, 6, 64) + b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\x01" +
              b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\x02" + tcp(40000, 110, 1, 0, 0x18, b"USER"), 0x86dd)
    gre = eth(ip4(47, b"\x00\x00\x08\x00" + fr[3][14:]))
    vx = eth(ip4(17, struct.pack(">HHHH", 4789, 4789, 8 + 8 + len(fr[3]), 0) + b"\x08\0\0\0\0\0\x01\0" + fr[3]))
    frag = eth(ip4(6, tcp(1, 2, 3, 4, 0x18, b"x" * 16))[:6] + b"\x20\x00" + ip4(6, tcp(1, 2, 3, 4, 0x18, b"x" * 16))[8:])
    seed("packet", "tunnels", b"\x00" + lp([vlan, ip6, gre, vx, frag]))
    seed("packet", "raw-ip", b"\x03" + lp([f[14:] for f in fr[:4]]))       # DLT_RAW
    seed("packet", "sll", b"\x01" + lp([b"\x00\x00\x00\x01\x00\x06" + b"\x00" * 8 + b"\x08\x00" + f[14:] for f in fr[:4]]))
    # pcap and pcapng files of the same frames
    pcap = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
    for i, f in enumerate(fr):
        pcap += struct.pack("<IIII", 1700000000 + i, 0, len(f), len(f)) + f
    seed("pcapng", "pcap", pcap)
    seed("pcapng", "pcap-ns-be", struct.pack(">IHHiIII", 0xa1b23c4d, 2, 4, 0, 0, 65535, 1) + b"".join(
        struct.pack(">IIII", 1700000000, 5, len(f), len(f)) + f for f in fr[:4]))

    def block(t, body):
        body += b"\0" * (-len(body) % 4)
        return struct.pack("<II", t, len(body) + 12) + body + struct.pack("<I", len(body) + 12)

    def opt(code, v):
        return struct.pack("<HH", code, len(v)) + v + b"\0" * (-len(v) % 4)

    shb = block(0x0a0d0d0a, struct.pack("<IHHq", 0x1a2b3c4d, 1, 0, -1) + opt(4, b"mailcase seeds") + opt(0, b""))
    idb = block(1, struct.pack("<HHI", 1, 0, 65535) + opt(2, b"eth0") + opt(9, b"\x09") + opt(0, b""))
    idb2 = block(1, struct.pack("<HHI", 101, 0, 65535))
    ng = shb + idb + idb2
    for i, f in enumerate(fr):
        ts = (1700000000 + i) * 10 ** 9
        ng += block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xffffffff, len(f), len(f)) + f)
    ng += block(3, struct.pack("<I", len(fr[3])) + fr[3])                     # simple packet block
    ng += block(6, struct.pack("<IIIII", 1, 0, 0, len(fr[3]) - 14, len(fr[3]) - 14) + fr[3][14:])
    ng += block(5, struct.pack("<III", 0, 0, 0) + opt(0, b""))                # interface statistics
    seed("pcapng", "pcapng", ng)
    seed("pcapng", "pcapng-two-sections", ng + shb + idb + block(6, struct.pack("<IIIII", 0, 0, 0, 10, 10) + fr[0][:10]))


# ---- report text -------------------------------------------------------------

def report():
    seed("mdescape", "markup", "*x* _y_ `code` <b>t</b> [l](http://u) ![i](x) &amp; \\ # 1. | a | ~~s~~")
    seed("mdescape", "lines", "# h\n- item\n> q\n1) n\n---\n    indented\n```\nfence\n```")
    seed("mdescape", "unicode", "한국어 \u202etxt.exe \u00a0 \U0001f600 https://example.com/a_b_c")
    seed("mdescape", "ticks", "``a`b``` ````")
    seed("mustache", "all", "{{s}} {{{s}}} {{&s}} {{n}} {{#t}}yes{{/t}}{{^f}}no{{/f}}{{#l}}{{a}}{{#more}}+{{/more}}"
         "{{/l}} {{o.p.q}} {{#o}}{{#p}}{{q}}{{/p}}{{/o}} {{#ls}}{{.}}{{/ls}} {{! comment }} {{u}}{{^e}}empty{{/e}}")
    seed("mustache", "delims", "{{=<% %>=}}<% s %> <%#l%><%a%><%/l%><%={{ }}=%>{{s}}")
    seed("mustache", "partial", "{{> part}} {{#l}}\n  {{a}}\n{{/l}}\n")
    seed("mustache", "errors", "{{#a}}{{/b}} {{#l}}{{#l}}{{#l}}{{/l}}")


# ---- DKIM keys -----------------------------------------------------------------

def dkimkeys():
    seed("dkimkeys", "dig", 'sel._domainkey.example.com. 300 IN TXT "v=DKIM1; k=rsa; " "p=MIGfMA0GCSqGSIb3DQEB"\n'
         'ed._domainkey.example.com.\t3600\tIN\tTXT\t"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="\n'
         "; comment\nexample.com. 300 IN A 192.0.2.1\n")
    seed("dkimkeys", "zone", "$ORIGIN example.org.\n$TTL 300\nsel._domainkey IN TXT ( \"v=DKIM1; \"\n"
         "  \"p=MIGf\\\"MA0\\065\" ) ; c\n  IN TXT \"second\"\ngone._domainkey 60 TXT \"v=DKIM1; p=\"\n")
    seed("dkimkeys", "fields", "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel;\r\n c=relaxed/simple;"
         " h=from:to:subject; bh=abc=; b=de\r\n f=\r\nFrom: a@b\r\n\r\nbody")
    tool = os.path.join(ROOT, "tests", "tools", "dkimsign")
    if not os.access(tool, os.X_OK):
        print("mkseeds: tests/tools/dkimsign is not built; no DKIM verifier seeds", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([tool, d], check=True)
        keys = open(os.path.join(d, "keys.txt"), "rb").read()
        for f in sorted(os.listdir(d)):
            if f.endswith(".eml"):
                seed("dkim", f[:-4], keys + b"\0" + open(os.path.join(d, f), "rb").read())
        seed("dkim", "nokeys", open(os.path.join(d, "pass-rsa.eml"), "rb").read())


# ---- compound files (MS-CFB v3) --------------------------------------------------

FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def cfb(tree):
    """An OLE compound file of tree: {name: bytes (a stream) | dict (a storage)}."""
    entries = [{"name": "Root Entry", "type": 5, "kids": [], "data": None}]

    def walk(t, parent):
        for name, v in t.items():
            e = {"name": name, "type": 1 if isinstance(v, dict) else 2, "kids": [],
                 "data": None if isinstance(v, dict) else v}
            entries.append(e)
            entries[parent]["kids"].append(len(entries) - 1)
            if isinstance(v, dict):
                walk(v, len(entries) - 1)
    walk(tree, 0)
    for e in entries:
        e.update(left=NOSTREAM, right=NOSTREAM, child=NOSTREAM, start=END, size=0)

    def key(i):
        n = entries[i]["name"]
        return (len(n), n.upper())

    def bst(ids):
        if not ids:
            return NOSTREAM
        m = len(ids) // 2
        entries[ids[m]]["left"] = bst(ids[:m])
        entries[ids[m]]["right"] = bst(ids[m + 1:])
        return ids[m]
    for e in entries:
        if e["kids"]:
            e["child"] = bst(sorted(e["kids"], key=key))
    # small streams in the mini stream, others in sectors of their own
    mini, minifat, big = b"", [], []
    for e in entries:
        d = e["data"]
        if d is None or len(d) == 0:
            continue
        e["size"] = len(d)
        if len(d) < 4096:
            n = (len(d) + 63) // 64
            e["start"] = len(mini) // 64
            minifat += [len(minifat) + i + 1 for i in range(n - 1)] + [END]
            mini += d + b"\0" * (-len(d) % 64)
        else:
            big.append(e)
    ndir = (len(entries) + 3) // 4
    nminifat = (len(minifat) + 127) // 128
    nmini = (len(mini) + 511) // 512
    nbig = sum((len(e["data"]) + 511) // 512 for e in big)
    nfat = 1
    while (nfat + ndir + nminifat + nmini + nbig) > nfat * 128:
        nfat += 1
    fat = [FATSECT] * nfat
    sect = nfat

    def chain(n):
        nonlocal sect
        first = sect
        for i in range(n):
            fat.append(sect + 1 if i < n - 1 else END)
            sect += 1
        return first if n else END
    dir_start = chain(ndir)
    minifat_start = chain(nminifat)
    mini_start = chain(nmini)
    for e in big:
        e["start"] = chain((len(e["data"]) + 511) // 512)
    entries[0]["start"] = mini_start if mini else END
    entries[0]["size"] = len(mini)
    fat += [FREE] * (nfat * 128 - len(fat))
    hdr = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3e, 3, 0xfffe, 9, 6)
    hdr += b"\0" * 6 + struct.pack("<IIIIIIIII", 0, nfat, dir_start, 0, 4096,
                                   minifat_start if nminifat else END, nminifat, END, 0)
    difat = list(range(nfat)) + [FREE] * (109 - nfat)
    hdr += struct.pack("<109I", *difat)
    out = hdr + struct.pack("<%dI" % len(fat), *fat)
    d = b""
    for e in entries:
        n = e["name"].encode("utf-16le") + b"\0\0"
        d += n + b"\0" * (64 - len(n)) + struct.pack("<HBBIII", len(n), e["type"], 1, e["left"], e["right"],
                                                     e["child"]) + b"\0" * 36 + struct.pack("<IQ", e["start"], e["size"])
    d += (b"\0" * 64 + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) + b"\0" * 36 +
          struct.pack("<IQ", 0, 0)) * (ndir * 4 - len(entries))
    out += d
    mf = minifat + [FREE] * (nminifat * 128 - len(minifat))
    out += struct.pack("<%dI" % len(mf), *mf) if mf else b""
    out += mini + b"\0" * (nmini * 512 - len(mini))
    for e in big:
        out += e["data"] + b"\0" * (-len(e["data"]) % 512)
    return out


def u16(s):
    return s.encode("utf-16le") + b"\0\0"


def props(hdr, fixed):
    """A __properties_version1.0 stream: hdr bytes, then 16-byte entries."""
    out = hdr
    for tag, val in fixed:
        out += struct.pack("<IIQ", tag, 6, val)
    return out


FILETIME = (1727742600 + 11644473600) * 10 ** 7


def rtf_uncompressed(rtf):
    # [MS-OXRTFCP] 2.1.3.1.1: COMPSIZE, RAWSIZE, COMPTYPE "MELA", CRC 0
    return struct.pack("<IIII", len(rtf) + 12, len(rtf), 0x414c454d, 0) + rtf


def rtf_compressed(rtf):
    # COMPTYPE "LZFu": every run a literal (control byte 0), CRC left at 0
    body = b""
    for i in range(0, len(rtf), 8):
        body += b"\0" + rtf[i:i + 8]
    return struct.pack("<IIII", len(body) + 12, len(rtf), 0x75465a4c, 0) + body


def msg_message(hdr_len, subject, embedded=None):
    fixed = [(0x00390040, FILETIME), (0x0E060040, FILETIME + 10 ** 7), (0x30070040, FILETIME),
             (0x0E070003, 1), (0x0E170003, 0)]
    hdr = b"\0" * 8 + struct.pack("<IIII", 1, 2 if embedded else 1, 1, 2 if embedded else 1)
    hdr += b"\0" * (hdr_len - len(hdr))
    html = b"<html><body><p>html <b>body</b></p></body></html>"
    rtf = (b"{\\rtf1\\ansi\\fbidis\\ansicpg1252\\deff0\\fromhtml1 {\\*\\htmltag1 <html>}{\\*\\htmltag <body>}"
           b"\\htmlrtf hidden\\htmlrtf0 text \\'e9 {\\*\\htmltag </body></html>}}")
    t = {
        "__properties_version1.0": props(hdr[:hdr_len], fixed),
        "__substg1.0_001A001F": u16("IPM.Note"),
        "__substg1.0_0037001F": u16(subject),
        "__substg1.0_1000001F": u16("plain body\r\nline two"),
        "__substg1.0_10130102": html,
        "__substg1.0_10090102": rtf_compressed(rtf) if embedded is None else rtf_uncompressed(rtf),
        "__substg1.0_1035001F": u16("<3@example.com>"),
        "__substg1.0_0C1A001F": u16("Ann"),
        "__substg1.0_0C1E001F": u16("SMTP"),
        "__substg1.0_0C1F001F": u16("ann@example.com"),
        "__substg1.0_0042001E": b"Ann Rep\0",
        "__substg1.0_0E04001F": u16("Bob"),
        "__recip_version1.0_#00000000": {
            "__properties_version1.0": props(b"\0" * 8, [(0x0C150003, 1), (0x30000003, 0)]),
            "__substg1.0_3001001F": u16("Bob"),
            "__substg1.0_3002001F": u16("EX"),
            "__substg1.0_3003001F": u16("/o=Org/ou=Exchange/cn=Recipients/cn=bob"),
            "__substg1.0_39FE001F": u16("bob@example.org"),
        },
        "__attach_version1.0_#00000000": {
            "__properties_version1.0": props(b"\0" * 8, [(0x37050003, 1), (0x0E200003, 10)]),
            "__substg1.0_3707001F": u16("notes.txt"),
            "__substg1.0_3704001F": u16("NOTES.TXT"),
            "__substg1.0_370E001F": u16("text/plain"),
            "__substg1.0_3712001F": u16("cid1"),
            "__substg1.0_37010102": b"attachment",
        },
    }
    if hdr_len == 32:
        t["__substg1.0_007D001F"] = u16("Received: from a by b; Tue, 1 Oct 2024 09:30:00 +0900\r\n"
                                        "Subject: from headers\r\nContent-Type: text/plain\r\n\r\n")
        t["__nameid_version1.0"] = {"__substg1.0_00020102": b"", "__substg1.0_00030102": b"",
                                    "__substg1.0_00040102": b""}
    if embedded is not None:
        t["__attach_version1.0_#00000001"] = {
            "__properties_version1.0": props(b"\0" * 8, [(0x37050003, 5)]),
            "__substg1.0_3707001F": u16("inner.msg"),
            "__substg1.0_3701000D": embedded,
        }
    return t


def hwp5(compressed):
    para = [0xd14c, 0xc2a4, 0xd2b8, 9, 1, 2, 3, 4, 5, 6, 9, ord("t"), ord("e"), 11, 0x6f73, 0x6274, 0, 0, 0, 0,
            11, ord("x"), 10, 0xd83d, 0xde00, 13]

    def head(tag, level, size):
        return struct.pack("<I", tag | level << 10 | size << 20)
    recs = head(0x10, 0, 3) + b"\1\2\3" + head(66, 0, 4) + struct.pack("<I", len(para)) + \
        head(67, 1, 2 * len(para)) + struct.pack("<%dH" % len(para), *para)
    flags = 1 if compressed else 0
    fh = b"HWP Document File".ljust(32, b"\0") + struct.pack("<II", 0x05000300, flags)
    fh = fh.ljust(256, b"\0")

    def z(b):
        if not compressed:
            return b
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(b) + c.flush()
    # an OLE property set with one string (MS-OLEPS): title
    title = b"\x1e\0\0\0" + struct.pack("<I", 6) + b"title\0\0\0"
    section = struct.pack("<II", 8 + 16, 2) + struct.pack("<II", 2, 24) + struct.pack("<II", 1, 36) + \
        title + b"\x02\0\0\0\xb5\x04\0\0"
    ps = struct.pack("<HHI", 0xfffe, 0, 0x00020006) + b"\0" * 16 + struct.pack("<I", 1) + \
        b"\xe0\x85\x9f\xf2\xf9\x4f\x68\x10\xab\x91\x08\x00\x2b\x27\xb3\xd9" + struct.pack("<I", 48) + section
    return cfb({
        "FileHeader": fh,
        "DocInfo": z(head(0x10, 0, 4) + b"\0\0\0\0"),
        "BodyText": {"Section0": z(recs), "Section1": z(recs[:20])},
        "\x05HwpSummaryInformation": ps,
        "BinData": {"BIN0001.png": z(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)},
        "PrvText": "미리보기".encode("utf-16le"),
    })


def stores():
    inner = msg_message(24, "inner message")
    seed("msg", "message", cfb(msg_message(32, "Subject with é and 한글", inner)))
    seed("msg", "plain", cfb({"__properties_version1.0": b"\0" * 32,
                              "__substg1.0_0037001E": b"ansi subject \xe9\0",
                              "__substg1.0_1000001E": b"body\0"}))
    seed("msg", "not-msg", cfb({"Other": b"x" * 100}))
    # a compressed RTF body that stops after a control byte, RAWSIZE 2 GB
    # (libytnef's DecompressRTF ended the process on it; tests/unit/test_mailstore.c)
    seed("msg", "rtf-cut", cfb({"__properties_version1.0": b"\0" * 32,
                                "__substg1.0_0037001F": u16("cut RTF"),
                                "__substg1.0_10090102": struct.pack("<IIII", 15, 0x7fffffff, 0x75465a4c, 0) +
                                b"\0\x7b\x5c"}))
    seed("docx", "hwp5", b"\0" + hwp5(True))
    seed("docx", "hwp5-plain", b"\0" + hwp5(False))
    # PST/OST: headers only ([MS-PST] 2.2.2.6); libpff refuses them early
    for name, ver in (("unicode", 23), ("ansi", 14), ("ost", 36)):
        h = b"!BDN" + struct.pack("<I", 0) + b"SM" + struct.pack("<HHBBII", ver, 19, 1, 1, 0, 0)
        seed("pst", "header-" + name, h.ljust(564 if ver >= 23 else 512, b"\0"))


# ---- office (fuzz_docx.c: mode byte; odd: parts, even: raw package) -----------

NAMES = ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
         "docProps/core.xml", "docProps/app.xml", "word/comments.xml", "word/header1.xml",
         "word/footnotes.xml", "word/media/image1.png", "word/embeddings/x.docx",
         "word/vbaProject.bin", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
         "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "ppt/presentation.xml",
         "ppt/_rels/presentation.xml.rels", "ppt/slides/slide1.xml",
         "ppt/slides/_rels/slide1.xml.rels", "ppt/notesSlides/notesSlide1.xml", "mimetype",
         "content.xml", "meta.xml", "styles.xml", "Pictures/a.png", "../../evil", "word/endnotes.xml",
         "META-INF/container.xml", "Contents/content.hpf", "Contents/header.xml",
         "Contents/section0.xml", "Contents/section1.xml", "BinData/image1.png", "version.xml",
         "META-INF/manifest.xml", "Preview/PrvText.txt", "BinData/ole1.ole"]

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
CORE = ('<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/'
        'dc/terms/"><dc:title>T</dc:title><dc:creator>Ann</dc:creator><cp:lastModifiedBy>Bob</cp:lastModifiedBy>'
        '<cp:revision>3</cp:revision><dcterms:created>2024-10-01T00:00:00Z</dcterms:created></cp:coreProperties>')
APP = ('<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
       'properties"><Application>Microsoft Office Word</Application><Company>C</Company><TotalTime>5'
       '</TotalTime></Properties>')
REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/'

DOCX = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                           'content-types"><Override PartName="/word/document.xml" ContentType="application/'
                           'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships"><Relationship Id="rId1" Type="' + REL + 'officeDocument" Target="word/'
                   'document.xml"/></Relationships>',
    "word/document.xml": '<?xml version="1.0"?><w:document ' + W + '><w:body><w:p><w:r><w:t>Hello</w:t></w:r>'
                         '<w:ins w:author="Ann" w:date="2024-10-01T00:00:00Z"><w:r><w:t> new</w:t></w:r></w:ins>'
                         '<w:del w:author="Bob"><w:r><w:delText>old</w:delText></w:r></w:del>'
                         '<w:hyperlink r:id="rId2"><w:r><w:t>link</w:t></w:r></w:hyperlink>'
                         '<w:commentReference w:id="0"/><w:r><w:drawing><a:blip xmlns:a="x" r:embed="rId3"/>'
                         '</w:drawing></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p>'
                         '</w:tc></w:tr></w:tbl></w:body></w:document>',
    "word/_rels/document.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.'
                                    'org/package/2006/relationships"><Relationship Id="rId2" Type="' + REL +
                                    'hyperlink" Target="http://example.com/" TargetMode="External"/>'
                                    '<Relationship Id="rId3" Type="' + REL + 'image" Target="media/image1.png"/>'
                                    '<Relationship Id="rId4" Type="' + REL + 'package" Target="embeddings/x.docx"/>'
                                    '</Relationships>',
    "word/comments.xml": '<?xml version="1.0"?><w:comments ' + W + '><w:comment w:id="0" w:author="Ann" '
                         'w:date="2024-10-01T00:00:00Z"><w:p><w:r><w:t>a comment</w:t></w:r></w:p></w:comment>'
                         '</w:comments>',
    "word/footnotes.xml": '<?xml version="1.0"?><w:footnotes ' + W + '><w:footnote w:id="1"><w:p><w:r><w:t>fn'
                          '</w:t></w:r></w:p></w:footnote></w:footnotes>',
    "word/header1.xml": '<?xml version="1.0"?><w:hdr ' + W + '><w:p><w:r><w:t>head</w:t></w:r></w:p></w:hdr>',
    "docProps/core.xml": CORE,
    "docProps/app.xml": APP,
    "word/media/image1.png": b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0\x1f\x15\xc4\x89",
    "word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 24,
}
XLSX = {
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                       '2006/main" xmlns:r="' + REL[:-1] + '"><sheets><sheet name="S1" sheetId="1" r:id="rId1"/>'
                       '</sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                                  'package/2006/relationships"><Relationship Id="rId1" Type="' + REL +
                                  'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    "xl/sharedStrings.xml": '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                            '2006/main"><si><t>shared</t></si><si><r><t>rich</t></r></si></sst>',
    "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                                'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
                                '<c r="B1"><v>3.5</v></c><c r="C1" t="inlineStr"><is><t>inline</t></is></c>'
                                '<c r="D1"><f>SUM(B1)</f><v>3.5</v></c></row></sheetData></worksheet>',
    "docProps/core.xml": CORE,
}
PPTX = {
    "ppt/presentation.xml": '<?xml version="1.0"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/'
                            'presentationml/2006/main" xmlns:r="' + REL[:-1] + '"><p:sldIdLst><p:sldId id="256" '
                            'r:id="rId1"/></p:sldIdLst></p:presentation>',
    "ppt/_rels/presentation.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats'
                                       '.org/package/2006/relationships"><Relationship Id="rId1" Type="' + REL +
                                       'slide" Target="slides/slide1.xml"/></Relationships>',
    "ppt/slides/slide1.xml": '<?xml version="1.0"?><p:sld xmlns:p="http://schemas.openxmlformats.org/'
                             'presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/'
                             'main"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>slide text</a:t></a:r></a:p>'
                             '</p:txBody></p:sp></p:spTree></p:cSld></p:sld>',
    "ppt/slides/_rels/slide1.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                                        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" '
                                        'Type="' + REL + 'notesSlide" Target="../notesSlides/notesSlide1.xml"/>'
                                        '</Relationships>',
    "ppt/notesSlides/notesSlide1.xml": '<?xml version="1.0"?><p:notes xmlns:p="http://schemas.openxmlformats.org/'
                                       'presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/'
                                       'drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>'
                                       'notes</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:notes>',
}
ODT = {
    "mimetype": "application/vnd.oasis.opendocument.text",
    "content.xml": '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:'
                   'xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
                   'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:xlink="http://www.w3.org/'
                   '1999/xlink" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:body><office:text><text:p>odt'
                   '<text:s text:c="3"/>text<text:tab/><text:a xlink:href="http://example.com/">l</text:a>'
                   '<text:note><text:note-body><text:p>note</text:p></text:note-body></text:note>'
                   '<office:annotation><dc:creator>Ann</dc:creator><text:p>ann</text:p></office:annotation>'
                   '</text:p><text:tracked-changes><text:changed-region><text:deletion><office:change-info>'
                   '<dc:creator>Bob</dc:creator></office:change-info><text:p>gone</text:p></text:deletion>'
                   '</text:changed-region></text:tracked-changes><draw:frame><draw:image xlink:href="Pictures/'
                   'a.png"/></draw:frame></office:text></office:body></office:document-content>',
    "meta.xml": '<?xml version="1.0"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
                'office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/'
                'dc/elements/1.1/"><office:meta><dc:title>odt title</dc:title><meta:initial-creator>Ann'
                '</meta:initial-creator><meta:generator>LibreOffice</meta:generator></office:meta>'
                '</office:document-meta>',
    "Pictures/a.png": b"\x89PNG\r\n\x1a\n",
}
HP = 'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph" xmlns:hh="http://www.hancom.co.kr/hwpml/2011/head"' \
     ' xmlns:hc="http://www.hancom.co.kr/hwpml/2011/core"'
HWPX = {
    "mimetype": "application/hwp+zip",
    "version.xml": '<?xml version="1.0"?><hv:HCFVersion xmlns:hv="http://www.hancom.co.kr/hwpml/2011/version" '
                   'major="5" minor="1"/>',
    "META-INF/container.xml": '<?xml version="1.0"?><ocf:container xmlns:ocf="urn:oasis:names:tc:opendocument:'
                              'xmlns:container"><ocf:rootfiles><ocf:rootfile full-path="Contents/content.hpf" '
                              'media-type="application/hwpml-package+xml"/></ocf:rootfiles></ocf:container>',
    "Contents/content.hpf": '<?xml version="1.0"?><opf:package xmlns:opf="http://www.idpf.org/2007/opf/" '
                            'xmlns:dc="http://purl.org/dc/elements/1.1/"><opf:metadata><opf:title>hwpx title'
                            '</opf:title><opf:meta name="creator" content="text">Ann</opf:meta><opf:meta '
                            'name="CreatedDate" content="text">2024-10-01T00:00:00Z</opf:meta></opf:metadata>'
                            '<opf:manifest><opf:item id="header" href="Contents/header.xml"/><opf:item '
                            'id="section0" href="Contents/section0.xml"/><opf:item id="image1" href="BinData/'
                            'image1.png"/></opf:manifest><opf:spine><opf:itemref idref="header"/><opf:itemref '
                            'idref="section0"/></opf:spine></opf:package>',
    "Contents/header.xml": '<?xml version="1.0"?><hh:head ' + HP + '><hh:refList><hh:trackChanges>'
                           '<hh:trackChange id="1" type="Insert" date="2024-10-01T00:00:00Z" authorID="1"/>'
                           '<hh:trackChange id="2" type="Delete" date="2024-10-02T00:00:00Z" authorID="1"/>'
                           '</hh:trackChanges><hh:trackChangeAuthors><hh:trackChangeAuthor id="1" name="Ann"/>'
                           '</hh:trackChangeAuthors></hh:refList></hh:head>',
    "Contents/section0.xml": '<?xml version="1.0"?><hs:sec xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" '
                             + HP + '><hp:p><hp:run><hp:t>한글 <hp:insertBegin TcId="1"/>new<hp:insertEnd TcId="1"/>'
                             '<hp:deleteBegin TcId="2"/>old<hp:deleteEnd TcId="2"/><hp:tab/>x<hp:lineBreak/>y'
                             '</hp:t></hp:run><hp:run><hp:footNote><hp:subList><hp:p><hp:run><hp:t>fn</hp:t>'
                             '</hp:run></hp:p></hp:subList></hp:footNote><hc:img binaryItemIDRef="image1"/></hp:run>'
                             '</hp:p></hs:sec>',
    "BinData/image1.png": b"\x89PNG\r\n\x1a\n",
}


def parts(d):
    out = b"\x01"
    for name, v in d.items():
        v = v.encode() if isinstance(v, str) else v
        out += bytes([NAMES.index(name)]) + struct.pack(">H", len(v)) + v
    return out


def zipped(d, nested=None):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, v in d.items():
            z.writestr(zipfile.ZipInfo(name, (2024, 10, 1, 0, 0, 0)),
                       v, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
        if nested is not None:
            z.writestr(zipfile.ZipInfo("word/embeddings/x.docx", (2024, 10, 1, 0, 0, 0)), nested)
    return b.getvalue()


def office():
    for name, d in (("docx", DOCX), ("xlsx", XLSX), ("pptx", PPTX), ("odt", ODT), ("hwpx", HWPX)):
        seed("docx", name + "-parts", parts(d))
    seed("docx", "docx-zip", b"\0" + zipped(DOCX, zipped(DOCX)))
    seed("docx", "odt-zip", b"\0" + zipped(ODT))
    seed("docx", "hwpx-zip", b"\0" + zipped(HWPX))
    seed("docx", "xlsx-zip", b"\0" + zipped(XLSX))
    # HWP record layer (fuzz_hwp.c: even = records, odd = raw deflate)
    para = [0xd14c, 0xc2a4, 9, 1, 2, 3, 4, 5, 6, 9, ord("t"), 11, 0x6f73, 0x6274, 0, 0, 0, 0, 11,
            ord("x"), 10, 0xd83d, 0xde00, 0xd800, 30, 13]
    recs = struct.pack("<I", 0x10 | 3 << 20) + b"\1\2\3" + struct.pack("<I", 66 | 4 << 20) + \
        struct.pack("<I", len(para)) + struct.pack("<I", 67 | 1 << 10 | (2 * len(para)) << 20) + \
        struct.pack("<%dH" % len(para), *para)
    long_rec = struct.pack("<II", 67 | 0xfff << 20, 8) + "한글ab".encode("utf-16le")
    seed("hwp", "records", b"\0" + recs)
    seed("hwp", "long-record", b"\0" + recs + long_rec)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    seed("hwp", "deflate", b"\1" + c.compress(recs + long_rec) + c.flush())


def main():
    messages()
    sessions()
    sasls()
    tls()
    packets()
    report()
    dkimkeys()
    stores()
    office()
    want = set(sys.argv[1:])
    for target, items in sorted(SEEDS.items()):
        if want and target not in want:
            continue
        d = os.path.join(CORPUS, target)
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            if f.startswith("seed-"):
                os.remove(os.path.join(d, f))
        for name, data in items:
            with open(os.path.join(d, "seed-" + name), "wb") as fp:
                fp.write(data)
        print("%-10s %3d seeds %7d bytes" % (target, len(items), sum(len(x) for _, x in items)))


main()
