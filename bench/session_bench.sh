#!/usr/bin/env bash
# Runs the session benchmarks (issue 14) in full: wall time on SQLite (:memory:
# and a WAL file) and PostgreSQL, callgrind instruction counts of each case and
# side, and SQLAlchemy's ORM doing S1 and S2 on the same machine. The figures
# go to OUT (printed; results/issue-14.md was written from such a run).
#
# Usage: bench/session_bench.sh [OUT]        OUT defaults to a fresh directory under /tmp
# Env:
#   CTORM_BENCH_BUILD=build/bench   the Release (g++) build directory, configured as scripts/bench does
#   CTORM_TEST_PG_URL               use this server instead of a throwaway one (scripts/pg_cluster)
#   ROWS=100000 REPS=7 PG_REPS=3    wall-time sizes; CG_ROWS=20000: rows and gets under callgrind
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${CTORM_BENCH_BUILD:-build/bench}
out=${1:-$(mktemp -d "${TMPDIR:-/tmp}/ctorm-session-bench.XXXXXX")}
rows=${ROWS:-100000}
reps=${REPS:-7}
pg_reps=${PG_REPS:-3}
cg_rows=${CG_ROWS:-20000}
mkdir -p "$out"

if [[ ! -f $build/CMakeCache.txt ]]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=g++ \
        -DCTORM_BUILD_TESTS=OFF -DCTORM_BUILD_EXAMPLES=OFF -DCTORM_BUILD_BENCHMARKS=ON -DCTORM_INSTALL=OFF >/dev/null
fi
cmake --build "$build" --target sqlite_session_bench postgres_session_bench
sqlite_bench="$build/bench/sqlite_session_bench"
postgres_bench="$build/bench/postgres_session_bench"

pg_state=""
cleanup() { [[ -n $pg_state ]] && scripts/pg_cluster stop "$pg_state" >/dev/null 2>&1 || true; }
trap cleanup EXIT
if [[ -n ${CTORM_TEST_PG_URL:-} ]]; then
    pg_url=$CTORM_TEST_PG_URL
else
    pg_state="$out/pg"
    scripts/pg_cluster start "$pg_state" >/dev/null
    pg_url=$(scripts/pg_cluster url "$pg_state")
fi

echo "=== wall time ($rows rows; SQLite $reps reps, PostgreSQL $pg_reps reps; median)"
mkdir -p "$out/file"
"$sqlite_bench" --db memory --rows "$rows" --lookups "$rows" --reps "$reps" --json "$out/wall-sqlite-memory.json" |
    tee "$out/wall-sqlite-memory.txt"
"$sqlite_bench" --db file --dir "$out/file" --rows "$rows" --lookups "$rows" --reps "$reps" \
    --json "$out/wall-sqlite-file.json" | tee "$out/wall-sqlite-file.txt"
"$postgres_bench" --conninfo "$pg_url" --rows "$rows" --lookups "$rows" --reps "$pg_reps" \
    --json "$out/wall-postgresql.json" | tee "$out/wall-postgresql.txt"

echo "=== SQLAlchemy ($rows rows, $pg_reps reps)"
/usr/bin/python3 bench/sqlalchemy_session_peer.py --db memory --rows "$rows" --reps "$pg_reps" \
    --json "$out/sqlalchemy-sqlite-memory.json" | tee "$out/sqlalchemy-sqlite-memory.txt"
/usr/bin/python3 bench/sqlalchemy_session_peer.py --db "$pg_url" --rows "$rows" --reps "$pg_reps" \
    --json "$out/sqlalchemy-postgresql.json" | tee "$out/sqlalchemy-postgresql.txt"

echo "=== callgrind ($cg_rows rows and gets; only the timed call counted)"
counts="$out/callgrind.tsv"
: >"$counts"
for case in S1 S2 S2U S3; do
    for backend in sqlite-memory postgresql; do
        for side in ctorm raw; do
            file="$out/$backend.$case.$side.out"
            if [[ $backend == postgresql ]]; then
                program=("$postgres_bench" --conninfo "$pg_url")
            else
                program=("$sqlite_bench" --db memory)
            fi
            valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$file" "${program[@]}" \
                --case "$case" --side "$side" --reps 1 --warmup 0 --rows "$cg_rows" --lookups "$cg_rows" \
                >/dev/null 2>"$file.log" || { cat "$file.log" >&2; exit 1; }
            n=$(awk '/^(totals|summary):/ { print $2; exit }' "$file")
            printf '%s\t%s\t%s\t%s\n' "$case" "$backend" "$side" "$n" | tee -a "$counts"
        done
        python3 bench/callgrind_diff.py "$out/$backend.$case.ctorm.out" "$out/$backend.$case.raw.out" \
            --per "$cg_rows" --top 15 >"$out/diff-$backend.$case.txt" || true
    done
done
echo
echo "wrote $out"
