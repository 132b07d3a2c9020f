#!/usr/bin/env python3
"""Function-level difference of two callgrind profiles (ctorm side vs raw side).

Usage: bench/callgrind_diff.py CTORM.out RAW.out [--per N] [--top K]

Prints each function's exclusive instruction count on both sides and the
difference, largest first; --per N also divides by N (instructions per
operation). The benchmark's own timed bodies (lambdas with different
numbers) are merged under one name.
"""
import argparse
import re
import subprocess
import sys


def profile(path):
    """Exclusive Ir per function name, from callgrind_annotate."""
    out = subprocess.run(
        ["callgrind_annotate", "--threshold=100", "--inclusive=no", path],
        check=True, capture_output=True, text=True).stdout
    counts = {}
    total = None
    for line in out.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$", line)
        if not m:
            continue
        n = int(m.group(1).replace(",", ""))
        name = m.group(2)
        if name.startswith("PROGRAM TOTALS"):
            total = n
            continue
        name = re.sub(r"^\S*?:", "", name, count=1) if not name.startswith("???:") else name[4:]
        name = re.sub(r" \[[^\]]*\]$", "", name)
        name = re.sub(r"\{lambda\(\)#\d+\}", "{lambda}", name)
        # Shorten ctorm's long template argument lists.
        name = shorten(name)
        counts[name] = counts.get(name, 0) + n
    return total, counts


def shorten(name, limit=110):
    depth = 0
    out = []
    for c in name:
        if c == "<":
            if depth == 0:
                out.append("<")
            depth += 1
        elif c == ">":
            depth -= 1
            if depth == 0:
                out.append("…>")
        elif depth == 0:
            out.append(c)
    text = "".join(out)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ctorm")
    ap.add_argument("raw")
    ap.add_argument("--per", type=float, default=1.0)
    ap.add_argument("--top", type=int, default=20)
    a = ap.parse_args()
    ct, cc = profile(a.ctorm)
    rt, rc = profile(a.raw)
    if not ct or not rt:
        sys.exit("callgrind_diff: no totals in the profiles")
    print(f"total: ctorm {ct:,}  raw {rt:,}  ratio {ct / rt:.4f}  "
          f"difference {ct - rt:+,} ({(ct - rt) / a.per:+.1f} per operation)")
    names = set(cc) | set(rc)
    rows = sorted(names, key=lambda n: -abs(cc.get(n, 0) - rc.get(n, 0)))
    print(f"{'ctorm':>14} {'raw':>14} {'diff/op':>10}  function")
    for n in rows[: a.top]:
        d = cc.get(n, 0) - rc.get(n, 0)
        if d == 0:
            break
        print(f"{cc.get(n, 0):>14,} {rc.get(n, 0):>14,} {d / a.per:>+10.1f}  {n}")


if __name__ == "__main__":
    main()
