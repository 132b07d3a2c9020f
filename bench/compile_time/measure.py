#!/usr/bin/env python3
"""Compiles the generated translation units and reports time and peak memory.

Usage: bench/compile_time/measure.py --include DIR [--compilers g++,clang++]
                                     [--runs 3] [--json FILE] [--work DIR]

For each compiler: the full file (20 tables x 8 columns, 50 statements), the
same with the statements rendered but never run (--render-only), and the
baseline (headers and tables, no statement), each compiled `runs` times with
`-std=c++20 -O2 -c` under /usr/bin/time -v. Reported per file: the median of
wall seconds, of CPU seconds (user + system: steadier on a shared machine),
and of peak resident memory (MiB).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def compile_once(compiler, source, include, flags):
    cmd = ["/usr/bin/time", "-v", compiler, "-std=c++20", *flags, "-I", include, "-c", source, "-o", os.devnull]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-4000:])
        raise SystemExit(f"measure: {compiler} failed on {source}")
    fields = {}
    for line in p.stderr.splitlines():
        if ":" in line:
            key, _, value = line.strip().rpartition(": ")
            fields[key] = value
    wall = fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"]
    parts = [float(x) for x in wall.split(":")]
    seconds = 0.0
    for x in parts:
        seconds = seconds * 60 + x
    cpu = float(fields["User time (seconds)"]) + float(fields["System time (seconds)"])
    peak_mib = int(fields["Maximum resident set size (kbytes)"]) / 1024.0
    return seconds, cpu, peak_mib


def version(compiler):
    out = subprocess.run([compiler, "--version"], capture_output=True, text=True).stdout
    return out.splitlines()[0] if out else compiler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--include", required=True, help="ctorm's include directory")
    ap.add_argument("--compilers", default="g++,clang++")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tables", type=int, default=20)
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--flags", default="-O2")
    ap.add_argument("--json")
    ap.add_argument("--work")
    a = ap.parse_args()

    work = a.work or tempfile.mkdtemp(prefix="ctorm-compile-")
    os.makedirs(work, exist_ok=True)
    variants = [
        ("full", []),
        ("render-only", ["--render-only"]),
        ("baseline", ["--baseline"]),
    ]
    sources = {}
    for name, extra in variants:
        path = os.path.join(work, f"compile_{name}.cpp")
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--tables", str(a.tables),
                        "--queries", str(a.queries), *extra, path], check=True)
        sources[name] = path

    results = []
    flags = a.flags.split()
    for compiler in [c for c in a.compilers.split(",") if c]:
        for name, _ in variants:
            runs = [compile_once(compiler, sources[name], a.include, flags) for _ in range(a.runs)]
            entry = {
                "compiler": compiler,
                "compiler_version": version(compiler),
                "file": name,
                "tables": a.tables,
                "statements": 0 if name == "baseline" else a.queries,
                "flags": a.flags,
                "seconds": round(statistics.median(r[0] for r in runs), 2),
                "cpu_seconds": round(statistics.median(r[1] for r in runs), 2),
                "peak_mib": round(statistics.median(r[2] for r in runs), 1),
                "runs": a.runs,
            }
            results.append(entry)
            print(f"{compiler:8} {name:12} {entry['seconds']:6.2f} s wall  {entry['cpu_seconds']:6.2f} s cpu  "
                  f"{entry['peak_mib']:7.1f} MiB", flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
