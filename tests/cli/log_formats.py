#!/usr/bin/env python3
"""Lists the format strings the stages give the processing log.

Reads the C files under src/ and prints, for every call of plog_add() and of
the stages' logging helpers that hand their format to plog_addv(), the
format argument exactly as written in the source (string literals and
<inttypes.h> macros), one per line as "file:line<TAB>tokens". The tokens are
pasted into a C file by log_formats.sh, so the compiler, not this script,
decides what each format is."""
import os
import re
import sys

# function name -> index of its format argument (0-based)
CALLS = {"plog_add": 5, "mail_log": 4, "msg_warn": 3, "odoc_warn": 3, "pst_warn": 3}
TOKEN = re.compile(r'''
    (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<string>"(?:\\.|[^"\\\n])*")
  | (?P<char>'(?:\\.|[^'\\\n])*')
  | (?P<ident>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<punct>[(),])
  | (?P<other>\S)
''', re.S | re.X)


def tokens(text):
    for m in TOKEN.finditer(text):
        kind = m.lastgroup
        if kind != "comment":
            yield kind, m.group(kind), m.start()


def calls(path):
    text = open(path, encoding="utf-8").read()
    toks = list(tokens(text))
    for i, (kind, val, pos) in enumerate(toks):
        if kind != "ident" or val not in CALLS:
            continue
        if i + 1 >= len(toks) or toks[i + 1][1] != "(":
            continue
        if i > 0 and toks[i - 1][0] == "ident" and toks[i - 1][1] not in ("else", "return"):
            continue                      # a declaration or definition
        args, cur, depth, j = [], [], 0, i + 2
        while j < len(toks):
            k, v, _ = toks[j]
            if v == "(":
                depth += 1
            elif v == ")":
                if depth == 0:
                    break
                depth -= 1
            if v == "," and depth == 0:
                args.append(cur)
                cur = []
            else:
                cur.append((k, v))
            j += 1
        args.append(cur)
        n = CALLS[val]
        if len(args) <= n:
            continue
        fmt = args[n]
        line = text.count("\n", 0, pos) + 1
        if len(fmt) == 1 and fmt[0] == ("ident", "fmt"):
            continue                      # a helper passing its own format on
        if ("ident", "const") in fmt or ("ident", "char") in fmt:
            continue                      # a declaration
        literal = all(k == "string" or (k == "ident" and v.startswith("PRI"))
                      for k, v in fmt)
        yield path, line, literal, " ".join(v for _, v in fmt)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "src"
    bad = 0
    for d, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            if not f.endswith(".c"):
                continue
            for path, line, literal, fmt in calls(os.path.join(d, f)):
                if not literal:
                    print("%s:%d\t!%s" % (path, line, fmt))
                    bad += 1
                else:
                    print("%s:%d\t%s" % (path, line, fmt))
    return 0


if __name__ == "__main__":
    sys.exit(main())
