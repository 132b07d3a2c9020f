#!/usr/bin/env python3
"""Combines a benchmark run's pieces into bench/results/latest.{json,md,png}.

Usage (scripts/bench calls it): bench/report.py --fragments DIR --out DIR [...]

DIR holds wall-<backend>.json (from the benchmark programs' --json),
callgrind.tsv (case, backend, side, instructions), diff-*.txt
(bench/callgrind_diff.py output) and compile.json (bench/compile_time/measure.py).
"""
import argparse
import datetime
import glob
import json
import os
import platform
import re
import subprocess

BACKENDS = ["sqlite-memory", "sqlite-file-wal", "postgresql"]
BACKEND_SHORT = {"sqlite-memory": "mem", "sqlite-file-wal": "wal", "postgresql": "pg"}
CASES = ["B1", "B2", "B3", "B4", "B5"]
# The targets.
IR_TARGET = 1.02
WALL_TARGET = 1.05
GXX_SECONDS_TARGET = 4.9
GXX_MIB_TARGET = 383 * 1000 * 1000 / (1024 * 1024)  # "383 MB", as /usr/bin/time's kbytes → MiB


def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cores = os.cpu_count()
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu or platform.processor(),
        "cores": cores,
        "memory": mem,
        "kernel": platform.release(),
        "os": sh("sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"),
        "gxx": sh("g++", "-dumpfullversion"),
        "clangxx": (sh("clang++", "--version").splitlines() or [""])[0],
        "sqlite": sh("sh", "-c", "echo 'select sqlite_version();' | sqlite3 2>/dev/null")
        or sh("pkg-config", "--modversion", "sqlite3"),
    }


def ops(case, sizes):
    """The number of operations a case performs at these sizes."""
    s = dict(zip(sizes[0::2], (int(x) for x in sizes[1::2])))
    return {"B1": s["--rows"], "B2": s["--lookups"], "B3": s["--rows"], "B4": s["--queries"], "B5": s["--rows"]}[case]


def fmt_ms(ns):
    return "–" if ns is None else f"{ns / 1e6:,.1f}"


def fmt_ir(v):
    return "–" if v is None else f"{v:,.0f}"


def fmt_ratio(r, target=None, digits=3):
    if r is None:
        return "–"
    mark = ""
    if target is not None:
        mark = " ✓" if r <= target else " ✗"
    return f"{r:.{digits}f}{mark}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fragments", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--wall-sizes", default="--rows 100000 --lookups 100000 --queries 10000")
    ap.add_argument("--callgrind-sizes", default="--rows 20000 --lookups 20000 --queries 1000")
    ap.add_argument("--reps", default="7")
    ap.add_argument("--pg-reps", default="5")
    ap.add_argument("--pg-server", default="")
    a = ap.parse_args()
    wall_sizes = a.wall_sizes.split()
    cg_sizes = a.callgrind_sizes.split()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    m = machine()
    commit = sh("git", "rev-parse", "--short", "HEAD")
    dirty = [l for l in sh("git", "status", "--porcelain", "--", "include").splitlines() if l.strip()]

    # Wall time.
    entries = {}
    titles = {}
    for path in sorted(glob.glob(os.path.join(a.fragments, "wall-*.json"))):
        with open(path) as f:
            for r in json.load(f):
                key = (r["case"], r["backend"])
                titles[r["case"]] = r["title"]
                e = {"kind": "runtime", "case": r["case"], "backend": r["backend"], "title": r["title"],
                     "ctorm_ns": r.get("ctorm_ns"), "raw_ns": r.get("raw_ns"), "ratio": r.get("ratio")}
                if "raw_pipeline_ns" in r:
                    e["raw_pipeline_ns"] = r["raw_pipeline_ns"]
                if "raw_text_ns" in r:
                    e["raw_text_ns"] = r["raw_text_ns"]
                    if r.get("ctorm_ns"):
                        e["ratio_vs_text"] = round(r["ctorm_ns"] / r["raw_text_ns"], 4)
                e["samples_ns"] = r.get("samples_ns")
                entries[key] = e

    # Instruction counts.
    cg_path = os.path.join(a.fragments, "callgrind.tsv")
    if os.path.exists(cg_path):
        with open(cg_path) as f:
            for line in f:
                case, backend, side, n = line.rstrip("\n").split("\t")
                e = entries.setdefault((case, backend), {"kind": "runtime", "case": case, "backend": backend,
                                                         "ctorm_ns": None, "raw_ns": None, "ratio": None})
                e[f"{side}_ir"] = int(n)
        for e in entries.values():
            if e.get("ctorm_ir") and e.get("raw_ir"):
                e["ir_ratio"] = round(e["ctorm_ir"] / e["raw_ir"], 4)
                per = ops(e["case"], cg_sizes)
                e["ctorm_ir_per_op"] = round(e["ctorm_ir"] / per, 1)
                e["raw_ir_per_op"] = round(e["raw_ir"] / per, 1)
                if e.get("raw_text_ir"):
                    e["ir_ratio_vs_text"] = round(e["ctorm_ir"] / e["raw_text_ir"], 4)
                    e["raw_text_ir_per_op"] = round(e["raw_text_ir"] / per, 1)

    runtime = [entries[k] for k in sorted(entries, key=lambda k: (BACKENDS.index(k[1]) if k[1] in BACKENDS else 9,
                                                                     k[0]))]
    compile_entries = []
    cpath = os.path.join(a.fragments, "compile.json")
    if os.path.exists(cpath):
        with open(cpath) as f:
            for c in json.load(f):
                c = dict(c)
                c["kind"] = "compile"
                compile_entries.append(c)

    meta = {"date": now, "commit": commit, **{f"machine_{k}": v for k, v in m.items()}}
    all_entries = []
    for e in runtime:
        e = {k: v for k, v in e.items() if v is not None or k in ("ctorm_ns", "raw_ns", "ratio")}
        all_entries.append({**e, "date": now, "commit": commit})
    for c in compile_entries:
        all_entries.append({**c, "date": now, "commit": commit})
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "latest.json"), "w") as f:
        json.dump(all_entries, f, indent=1, ensure_ascii=False)
        f.write("\n")

    # ---------------------------------------------------------------- markdown
    md = []
    md.append("# ctorm benchmarks: latest full run")
    md.append("")
    md.append(f"Run {now} at commit `{commit}` by `scripts/bench`, on {m['cpu']} ({m['cores']} cores, "
              f"{m['memory']}), {m['os']}, Linux {m['kernel']}; g++ {m['gxx']}, {m['clangxx']}; "
              f"SQLite {m['sqlite']}" + (f"; PostgreSQL server {a.pg_server}" if a.pg_server else "") + ".")
    if dirty:
        md.append(f"The headers measured had uncommitted changes in {len(dirty)} file(s) of include/ "
                  "(the tree is shared by several engineers).")
    md.append("The machine is shared (2 cores, other builds running): wall times vary by tens of percent "
              "between runs; the instruction counts (callgrind) repeat to a few parts per million.")
    md.append("")
    md.append("![ratios](latest.png)")
    md.append("")
    if os.path.exists(os.path.join(a.out, "analysis.md")):
        md.append("Where ctorm stands against the targets and where the remaining cost is: "
                  "[analysis.md](analysis.md).")
        md.append("")
    md.append("## Run time: ctorm's one-shot API against hand-written C-API code")
    md.append("")
    md.append("Cases (table `people`: id integer primary key, name text, email text, age integer with an index, "
              "score double):")
    md.append("")
    for c in CASES:
        if c in titles:
            md.append(f"- **{c}** {titles[c]}")
    md.append("")
    md.append(f"Wall: median of {a.reps} repetitions per side (PostgreSQL {a.pg_reps}), the sides alternating, "
              f"after one untimed warm-up; sizes `{a.wall_sizes}`. Instructions: each case and side alone in its "
              f"own process under `valgrind --tool=callgrind`, only the timed call counted, sizes "
              f"`{a.callgrind_sizes}`; per operation = per row inserted (B1, B5), per lookup (B2), per row read (B3), per query of ~100 rows (B4). "
              f"Targets: instructions ≤ {IR_TARGET}× raw on SQLite, wall ≤ {WALL_TARGET}× raw.")
    md.append("")
    md.append("| case | backend | ctorm ms | raw ms | wall ratio | ctorm instr/op | raw instr/op | instr ratio |")
    md.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for e in runtime:
        ir_target = IR_TARGET if e["backend"].startswith("sqlite") else None
        md.append(f"| {e['case']} | {e['backend']} | {fmt_ms(e.get('ctorm_ns'))} | {fmt_ms(e.get('raw_ns'))} | "
                  f"{fmt_ratio(e.get('ratio'), WALL_TARGET)} | "
                  f"{fmt_ir(e.get('ctorm_ir_per_op'))} | {fmt_ir(e.get('raw_ir_per_op'))} | "
                  f"{fmt_ratio(e.get('ir_ratio'), ir_target, 4)} |")
    pg = [e for e in runtime if e["backend"] == "postgresql"]
    if pg:
        md.append("")
        md.append("PostgreSQL: `raw` uses binary parameters and results, as ctorm does; `raw_text` is the same "
                  "hand-written code with the text format (std::to_chars / std::from_chars). Instructions are "
                  "the client's only (the server is another process).")
        md.append("")
        md.append("| case | ctorm ms | raw_text ms | ctorm / raw_text wall | ctorm instr/op | raw_text instr/op | "
                  "ctorm / raw_text instr |")
        md.append("|---|---:|---:|---:|---:|---:|---:|")
        for e in pg:
            md.append(f"| {e['case']} | {fmt_ms(e.get('ctorm_ns'))} | {fmt_ms(e.get('raw_text_ns'))} | "
                      f"{fmt_ratio(e.get('ratio_vs_text'))} | {fmt_ir(e.get('ctorm_ir_per_op'))} | "
                      f"{fmt_ir(e.get('raw_text_ir_per_op'))} | {fmt_ratio(e.get('ir_ratio_vs_text'))} |")
    pipelined = [e for e in pg if e.get("raw_pipeline_ns")]
    if pipelined:
        md.append("")
        md.append("B5 on PostgreSQL: ctorm's bulk insert (`execute(insert(t).values(rows))`) runs in libpq's pipeline "
                  "mode (1000 inserts per synchronisation, one transaction). The issue compares it with raw row-by-row "
                  "inserts (the table above); here it is also set against hand-written pipeline-mode code doing "
                  "the same (binary parameters):")
        md.append("")
        md.append("| case | ctorm ms | raw row by row ms | raw pipelined ms | ctorm / raw pipelined |")
        md.append("|---|---:|---:|---:|---:|")
        for e in pipelined:
            md.append(f"| {e['case']} | {fmt_ms(e.get('ctorm_ns'))} | {fmt_ms(e.get('raw_ns'))} | "
                      f"{fmt_ms(e['raw_pipeline_ns'])} | {fmt_ratio(e['ctorm_ns'] / e['raw_pipeline_ns'])} |")
    md.append("")
    md.append("Both SQLite sides open their connection with `SQLITE_OPEN_NOMUTEX` (ctorm always does; Debian's "
              "SQLite is built serialized) and bind text with `SQLITE_STATIC`; each side has its own database "
              "with the same rows. The raw side prepares each statement once (on first use, as ctorm's cache "
              "does) and reads NOT NULL columns without NULL checks.")

    if compile_entries:
        md.append("")
        md.append("## Compile time")
        md.append("")
        md.append("`bench/compile_time/generate.py`: 20 tables of 8 columns and 50 statements (selects with one "
                  "or two joins, where clauses, order, group/having, limit; inserts of a model and of column "
                  "assignments; updates), each rendered for SQLite and PostgreSQL with `to_sql` and run through "
                  "the SQLite adapter in a function nothing calls. `render-only`: the same statements rendered, "
                  "never run; `baseline`: headers and tables only. `-std=c++20 -O2 -c`, median of "
                  f"{compile_entries[0].get('runs', '?')} runs; CPU = user + system seconds. Target (g++, full "
                  f"file): below {GXX_SECONDS_TARGET} s and 383 MB.")
        md.append("")
        md.append("| compiler | file | wall s | CPU s | peak MiB |")
        md.append("|---|---|---:|---:|---:|")
        for c in compile_entries:
            md.append(f"| {c['compiler']} | {c['file']} | {c['seconds']:.2f} | {c.get('cpu_seconds', 0):.2f} | "
                      f"{c['peak_mib']:.0f} |")

    diffs = sorted(glob.glob(os.path.join(a.fragments, "diff-*.txt")))
    if diffs:
        md.append("")
        md.append("## Where the instructions differ (callgrind, exclusive counts per function)")
        md.append("")
        for path in diffs:
            name = os.path.basename(path)[5:-4]
            with open(path) as f:
                text = f.read().rstrip()
            md.append(f"<details><summary>{name}</summary>")
            md.append("")
            md.append("```")
            md.append(text)
            md.append("```")
            md.append("")
            md.append("</details>")
    md.append("")
    md.append("Reproduce: `scripts/bench` (everything, about half an hour), or one program: "
              "`build/bench/bench/sqlite_bench --db file --case B2`, "
              "`valgrind --tool=callgrind --collect-atstart=no build/bench/bench/sqlite_bench --case B2 --side ctorm "
              "--reps 1 --warmup 0 --rows 20000 --lookups 20000`.")
    with open(os.path.join(a.out, "latest.md"), "w") as f:
        f.write("\n".join(md) + "\n")

    chart(runtime, compile_entries, a.out, f"{m['cpu']}, {m['cores']} cores · {now} · {commit}")


def chart(runtime, compile_entries, out, subtitle):
    data = os.path.join(out, ".chart-runtime.dat")
    with open(data, "w") as f:
        for e in runtime:
            label = f"{e['case']}-{BACKEND_SHORT.get(e['backend'], e['backend'])}"
            wall = e.get("ratio") or 0
            instr = e.get("ir_ratio") or 0
            f.write(f"{label} {wall:.4f} {instr:.4f}\n")
    cdata = os.path.join(out, ".chart-compile.dat")
    with open(cdata, "w") as f:
        for c in compile_entries:
            f.write(f"{c['compiler']}:{c['file']} {c['seconds']:.2f} {c.get('cpu_seconds', 0):.2f} "
                    f"{c['peak_mib']:.0f}\n")
    script = f"""
set terminal pngcairo size 1400,{900 if compile_entries else 560} font "DejaVu Sans,11"
set output "{os.path.join(out, 'latest.png')}"
set multiplot layout {2 if compile_entries else 1},1 title "ctorm vs hand-written C API\\n{subtitle}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key top left
set grid ytics
set xtics rotate by -40 font ",9"
set ylabel "ctorm / raw"
set yrange [0:*]
set arrow 1 from graph 0, first 1.0 to graph 1, first 1.0 nohead lw 2 lc rgb "#333333"
set arrow 2 from graph 0, first {WALL_TARGET} to graph 1, first {WALL_TARGET} nohead dt 2 lc rgb "#cc0000"
set title "run time: ratio ctorm / raw per case and backend (mem = SQLite :memory:, wal = SQLite file, pg = PostgreSQL); dashed: 1.05"
plot "{data}" using 2:xtic(1) title "wall-clock median" lc rgb "#4477aa", \
     "" using 3 title "instructions (callgrind)" lc rgb "#ee7733"
"""
    if compile_entries:
        script += f"""
unset arrow 1
unset arrow 2
set title "compile time of the 20-table, 50-statement file (-O2); dashed: g++ target {GXX_SECONDS_TARGET} s (and 383 MB)"
set ylabel "seconds"
set y2label "peak MiB"
set y2tics
set yrange [0:*]
set y2range [0:*]
set xtics rotate by 0 font ",10"
set key below horizontal
set arrow 3 from graph 0, first {GXX_SECONDS_TARGET} to graph 1, first {GXX_SECONDS_TARGET} nohead dt 2 lc rgb "#cc0000"
plot "{cdata}" using 2:xtic(1) title "wall seconds" lc rgb "#4477aa", \
     "" using 3 title "CPU seconds (user + system)" lc rgb "#66ccee", \
     "" using 4 axes x1y2 title "peak memory (MiB, right axis)" lc rgb "#aaaaaa"
"""
    script += "unset multiplot\n"
    p = subprocess.run(["gnuplot"], input=script, capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stderr)
        raise SystemExit("report: gnuplot failed")
    for path in (data, cdata):
        os.remove(path)


if __name__ == "__main__":
    main()
