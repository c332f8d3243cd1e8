#!/usr/bin/env python3
"""genmbox.py N FILE: a deterministic mbox of N small messages for the
paging tests (tests/cli/pages.sh): a Received hop, a text body and, for one
message in five, a small attachment."""
import sys

def main():
    n, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "w", newline="\n") as f:
        for i in range(1, n + 1):
            day = 1 + i % 28
            f.write("From sender%d@example.com Mon Jan  5 10:00:00 2015\n" % (i % 97))
            f.write("Received: from relay%d.example.net (relay%d.example.net [192.0.2.%d])\n"
                    "\tby mx.example.org; Mon, %d Jan 2015 10:%02d:%02d +0000\n"
                    % (i % 7, i % 7, 1 + i % 250, day, i % 60, (i * 7) % 60))
            f.write("From: Sender %d <sender%d@example.com>\n" % (i % 97, i % 97))
            f.write("To: rcpt%d@example.org\n" % (i % 13))
            f.write("Subject: generated message %d\n" % i)
            f.write("Date: Mon, %d Jan 2015 10:%02d:%02d +0000\n" % (day, i % 60, (i * 7) % 60))
            f.write("Message-ID: <gen%d@example.com>\n" % i)
            f.write("MIME-Version: 1.0\n")
            body = "Message number %d.\nA second line of text.\n" % i
            if i % 5 == 0:
                f.write('Content-Type: multipart/mixed; boundary="b%d"\n\n' % i)
                f.write("--b%d\nContent-Type: text/plain\n\n%s\n" % (i, body))
                f.write("--b%d\nContent-Type: application/octet-stream\n"
                        'Content-Disposition: attachment; filename="file%d.bin"\n'
                        "Content-Transfer-Encoding: base64\n\n" % (i, i))
                f.write("YXR0YWNobWVudCAl%s\n" % ("ZA==" if i % 2 else "ZC4="))
                f.write("--b%d--\n\n" % i)
            else:
                f.write("Content-Type: text/plain; charset=us-ascii\n\n%s\n" % body)

main()
