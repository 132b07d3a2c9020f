// The benchmark harness: command-line options, one case run by each side in
// turn (alternating who goes first), medians, the ctorm/raw ratio, and the
// callgrind region (only the timed work is counted).
#pragma once

#ifdef CTORM_BENCH_NO_VALGRIND
#define CALLGRIND_TOGGLE_COLLECT
#else
#include <valgrind/callgrind.h>  // no-ops unless the program runs under callgrind
#endif

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

struct options {
    std::vector<std::string> cases;  // empty: every case
    std::vector<std::string> sides;  // empty: every side
    std::size_t rows = 100000;       // rows in the table B2-B4 read; rows B1 and B5 write
    std::size_t lookups = 100000;    // B2: point selects
    std::size_t queries = 10000;     // B4: indexed selects
    int reps = 7;                    // timed repetitions per side (the median is reported)
    int warmup = 1;                  // untimed repetitions per side first
    bool quick = false;
    std::string json;       // file to write the results to, as a JSON array
    std::string backend;    // program-specific: sqlite "memory" / "file"; postgres conninfo
    std::string dir = ".";  // sqlite: where the database files go
};

[[noreturn]] inline void usage(const char* program, const std::string& problem, const char* backend_help) {
    std::cerr << program << ": " << problem << "\n"
              << "usage: " << program << " [options]\n"
              << "  --case B1,B2,...   cases to run (default: all)\n"
              << "  --side ctorm,raw   sides to run (default: all; one side + --reps 1 for callgrind)\n"
              << "  --rows N           rows in the table (default 100000)\n"
              << "  --lookups N        B2 point selects (default 100000)\n"
              << "  --queries N        B4 indexed selects (default 10000)\n"
              << "  --reps N           timed repetitions per side (default 7)\n"
              << "  --warmup N         untimed repetitions per side first (default 1)\n"
              << "  --quick            small N for a smoke test: rows 2000, lookups 2000, queries 200, reps 2\n"
              << "  --json FILE        also write the results as JSON\n"
              << backend_help;
    std::exit(2);
}

inline std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        if (comma > start) out.emplace_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

inline std::size_t parse_count(const char* program, std::string_view flag, const std::string& text,
                               const char* backend_help) {
    std::size_t v = 0;
    if (text.empty()) usage(program, std::string(flag) + " needs a number", backend_help);
    for (char c : text) {
        if (c < '0' || c > '9') usage(program, std::string(flag) + " needs a number, not '" + text + "'", backend_help);
        v = v * 10 + static_cast<std::size_t>(c - '0');
    }
    return v;
}

// Parses argv; `backend_flag` (e.g. "--db" or "--conninfo"), or one positional
// argument, fills options::backend.
inline options parse_options(int argc, char** argv, std::string_view backend_flag, const char* backend_help) {
    options o;
    bool rows_set = false, lookups_set = false, queries_set = false, reps_set = false, warmup_set = false;
    const char* program = argv[0];
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(program, std::string(flag) + " needs a value", backend_help);
            return argv[++i];
        };
        if (flag == "--case") o.cases = split_list(value());
        else if (flag == "--side") o.sides = split_list(value());
        else if (flag == "--rows") o.rows = parse_count(program, flag, value(), backend_help), rows_set = true;
        else if (flag == "--lookups") o.lookups = parse_count(program, flag, value(), backend_help), lookups_set = true;
        else if (flag == "--queries") o.queries = parse_count(program, flag, value(), backend_help), queries_set = true;
        else if (flag == "--reps")
            o.reps = static_cast<int>(parse_count(program, flag, value(), backend_help)), reps_set = true;
        else if (flag == "--warmup")
            o.warmup = static_cast<int>(parse_count(program, flag, value(), backend_help)), warmup_set = true;
        else if (flag == "--quick") o.quick = true;
        else if (flag == "--json") o.json = value();
        else if (flag == "--dir") o.dir = value();
        else if (flag == backend_flag) o.backend = value();
        else if (flag == "--help" || flag == "-h") usage(program, "help", backend_help);
        // One positional argument stands for the backend flag (scripts/pg_cluster exec appends a URL).
        else if (!flag.starts_with("-") && o.backend.empty()) o.backend = flag;
        else usage(program, "unknown option " + std::string(flag), backend_help);
    }
    if (o.quick) {
        if (!rows_set) o.rows = 2000;
        if (!lookups_set) o.lookups = 2000;
        if (!queries_set) o.queries = 200;
        if (!reps_set) o.reps = 2;
        if (!warmup_set) o.warmup = 0;
    }
    if (o.rows == 0 || o.reps < 1) usage(program, "--rows and --reps must be at least 1", backend_help);
    return o;
}

inline bool wanted(const std::vector<std::string>& list, std::string_view name) {
    return list.empty() || std::find(list.begin(), list.end(), name) != list.end();
}

// One side of a case: `before` (untimed: empty a table, say), `run` (timed),
// which returns a digest of what it did so the sides can be compared, and
// `after` (untimed), which may replace that digest (by reading back what was written).
struct side {
    std::string name;  // "ctorm", "raw", "raw_text"
    std::function<void()> before;
    std::function<std::uint64_t()> run;
    std::function<std::uint64_t(std::uint64_t)> after;
};

struct case_result {
    std::string id, title, backend;
    std::vector<std::string> side_names;
    std::vector<std::vector<double>> samples_ns;  // per side, per repetition
    std::vector<double> median_ns;
    std::vector<std::uint64_t> digests;
};

inline double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Runs every side `warmup` times untimed, then `reps` times timed, rotating
// which side goes first in each repetition. Only the timed calls of run() are
// inside the callgrind collection region (valgrind --collect-atstart=no).
inline case_result measure(const std::string& id, const std::string& title, const std::string& backend,
                           std::vector<side> sides, const options& o) {
    case_result r{id, title, backend, {}, {}, {}, {}};
    const std::size_t n = sides.size();
    r.samples_ns.resize(n);
    r.digests.assign(n, 0);
    for (const side& s : sides) r.side_names.push_back(s.name);
    for (int w = 0; w < o.warmup; ++w)
        for (side& s : sides) {
            if (s.before) s.before();
            const std::uint64_t d = s.run();
            if (s.after) (void)s.after(d);
        }
    for (int rep = 0; rep < o.reps; ++rep) {
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t which = (k + static_cast<std::size_t>(rep)) % n;
            side& s = sides[which];
            if (s.before) s.before();
            CALLGRIND_TOGGLE_COLLECT;
            const auto start = std::chrono::steady_clock::now();
            std::uint64_t d = s.run();
            const auto stop = std::chrono::steady_clock::now();
            CALLGRIND_TOGGLE_COLLECT;
            if (s.after) d = s.after(d);
            r.samples_ns[which].push_back(std::chrono::duration<double, std::nano>(stop - start).count());
            if (rep == 0) r.digests[which] = d;
            else if (r.digests[which] != d)
                throw std::runtime_error(id + " " + s.name + ": repetition " + std::to_string(rep) +
                                         " read different data from repetition 0");
        }
    }
    for (std::size_t k = 0; k < n; ++k) r.median_ns.push_back(median(r.samples_ns[k]));
    return r;
}

inline std::string json_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
            continue;
        }
        out += c;
    }
    return out;
}

inline std::string format_number(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// Prints the results as a table and checks that every side read the same data;
// returns false if not (the program then exits non-zero).
inline bool report(const std::vector<case_result>& results, const options& o, std::ostream& out) {
    bool ok = true;
    out << "\n";
    for (const case_result& r : results) {
        out << r.id << "  " << r.title << "  [" << r.backend << "]\n";
        double ctorm = 0, raw = 0;
        for (std::size_t k = 0; k < r.side_names.size(); ++k) {
            const double ms = r.median_ns[k] / 1e6;
            const auto [lo, hi] = std::minmax_element(r.samples_ns[k].begin(), r.samples_ns[k].end());
            out << "    " << r.side_names[k] << std::string(10 - std::min<std::size_t>(9, r.side_names[k].size()), ' ')
                << format_number(ms, 3) << " ms median  (min " << format_number(*lo / 1e6, 3) << ", max "
                << format_number(*hi / 1e6, 3) << ", " << r.samples_ns[k].size() << " reps)\n";
            if (r.side_names[k] == "ctorm") ctorm = r.median_ns[k];
            if (r.side_names[k] == "raw") raw = r.median_ns[k];
        }
        if (ctorm > 0 && raw > 0) out << "    ratio ctorm/raw " << format_number(ctorm / raw, 3) << "\n";
        for (std::size_t k = 1; k < r.digests.size(); ++k)
            if (r.digests[k] != r.digests[0]) {
                out << "    MISMATCH: " << r.side_names[k] << " read other data than " << r.side_names[0] << "\n";
                ok = false;
            }
    }
    if (!o.json.empty()) {
        std::ostringstream j;
        j << "[\n";
        bool first = true;
        for (const case_result& r : results) {
            if (!first) j << ",\n";
            first = false;
            j << "  {\"case\": \"" << json_escape(r.id) << "\", \"title\": \"" << json_escape(r.title)
              << "\", \"backend\": \"" << json_escape(r.backend) << "\"";
            double ctorm = 0, raw = 0;
            for (std::size_t k = 0; k < r.side_names.size(); ++k) {
                j << ", \"" << r.side_names[k] << "_ns\": " << format_number(r.median_ns[k], 0);
                if (r.side_names[k] == "ctorm") ctorm = r.median_ns[k];
                if (r.side_names[k] == "raw") raw = r.median_ns[k];
            }
            if (ctorm > 0 && raw > 0) j << ", \"ratio\": " << format_number(ctorm / raw, 4);
            j << ", \"reps\": " << o.reps << ", \"samples_ns\": {";
            for (std::size_t k = 0; k < r.side_names.size(); ++k) {
                j << (k ? ", " : "") << "\"" << r.side_names[k] << "\": [";
                for (std::size_t s = 0; s < r.samples_ns[k].size(); ++s)
                    j << (s ? ", " : "") << format_number(r.samples_ns[k][s], 0);
                j << "]";
            }
            j << "}}";
        }
        j << "\n]\n";
        std::FILE* f = std::fopen(o.json.c_str(), "w");
        if (!f) throw std::runtime_error("cannot write " + o.json);
        const std::string text = j.str();
        std::fwrite(text.data(), 1, text.size(), f);
        std::fclose(f);
    }
    return ok;
}

}  // namespace bench
