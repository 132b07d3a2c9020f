// PostgreSQL: the same work through ctorm's one-shot API and through careful
// hand-written libpq code (PQprepare once, then PQexecPrepared), in one process.
//
//   postgres_bench --conninfo URL [--case B1,...] [--side ctorm|raw|raw_text|raw_pipeline] [--quick] [--json FILE]
//   scripts/pg_cluster exec STATE_DIR postgres_bench --quick      (the URL comes last)
//
// Two raw figures: "raw" uses binary parameters and results, as ctorm does;
// "raw_text" uses the text format (values converted with std::to_chars and
// std::from_chars), the usual way of hand-written libpq code. Every side has
// its own connection; all read the same table, in a schema of the process's own.
#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <exception>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <ctorm/postgres.hpp>

#include "bench_schema.hpp"
#include "harness.hpp"

namespace {

using bench::people;
using bench::people_insert;
using bench::Person;

constexpr const char* insert_sql =
    "INSERT INTO \"people_insert\" (\"name\", \"email\", \"age\", \"score\") VALUES ($1, $2, $3, $4)";
constexpr const char* by_id_sql =
    "SELECT \"people\".\"id\", \"people\".\"name\", \"people\".\"email\", \"people\".\"age\", \"people\".\"score\" "
    "FROM \"people\" WHERE \"people\".\"id\" = $1";
constexpr const char* scan_sql =
    "SELECT \"people\".\"id\", \"people\".\"name\", \"people\".\"email\", \"people\".\"age\", \"people\".\"score\" "
    "FROM \"people\"";
constexpr const char* by_age_sql =
    "SELECT \"people\".\"id\", \"people\".\"name\", \"people\".\"email\", \"people\".\"age\", \"people\".\"score\" "
    "FROM \"people\" WHERE \"people\".\"age\" = $1";

// Type OIDs of the parameters, as ctorm sends them.
constexpr Oid int4_oid = 23, int8_oid = 20, text_oid = 25, float8_oid = 701;

struct result_deleter {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using result_ptr = std::unique_ptr<PGresult, result_deleter>;

// --- the raw side: what a careful libpq programmer writes ---------------------

class raw_connection {
public:
    raw_connection(const std::string& conninfo, bool binary, const std::string& search_path = {}) : binary_(binary) {
        conn_ = PQconnectdb(conninfo.c_str());
        if (PQstatus(conn_) != CONNECTION_OK) fail("connect");
        PQsetNoticeProcessor(
            conn_, [](void*, const char*) {}, nullptr);
        if (!search_path.empty()) command(("SET search_path TO " + search_path).c_str());
    }
    raw_connection(const raw_connection&) = delete;
    raw_connection& operator=(const raw_connection&) = delete;
    ~raw_connection() { PQfinish(conn_); }

    PGconn* handle() const { return conn_; }

    [[noreturn]] void fail(const char* what) const {
        throw std::runtime_error(std::string("raw libpq: ") + what + ": " + PQerrorMessage(conn_));
    }

    void command(const char* sql) {
        result_ptr r(PQexec(conn_, sql));
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(sql);
    }

    // Prepared on first use and kept. The text side lets the server infer
    // the parameter types, as text-format code usually does.
    const char* statement(bool& done, const char* name, const char* sql, int n, const Oid* types) {
        if (!done) {
            result_ptr r(PQprepare(conn_, name, sql, n, binary_ ? types : nullptr));
            if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(sql);
            done = true;
        }
        return name;
    }

    const char* insert_statement() {
        static constexpr Oid types[] = {text_oid, text_oid, int4_oid, float8_oid};
        return statement(insert_ready_, "raw_insert", insert_sql, 4, types);
    }

    // One row's parameters in binary format, pointing into p and into itself.
    struct binary_row {
        std::uint32_t age;
        std::uint64_t score;
        const char* values[4];
        int lengths[4];
        static constexpr int formats[4] = {1, 1, 1, 1};
        explicit binary_row(const Person& p)
            : age(__builtin_bswap32(static_cast<std::uint32_t>(p.age))),
              score(__builtin_bswap64([&] {
                  std::uint64_t u;
                  std::memcpy(&u, &p.score, 8);
                  return u;
              }())),
              values{p.name.data(), p.email.data(), reinterpret_cast<const char*>(&age),
                     reinterpret_cast<const char*>(&score)},
              lengths{static_cast<int>(p.name.size()), static_cast<int>(p.email.size()), 4, 8} {}
        binary_row(const binary_row&) = delete;
        binary_row& operator=(const binary_row&) = delete;
    };

    // B1 and B5: every row in one transaction, one round trip per row.
    std::uint64_t insert_rows(const std::vector<Person>& rows) {
        const char* name = insert_statement();
        command("BEGIN");
        for (const Person& p : rows) {
            result_ptr r;
            if (binary_) {
                const binary_row b(p);
                r.reset(PQexecPrepared(conn_, name, 4, b.values, b.lengths, binary_row::formats, 1));
            } else {
                char age[16], score[32];
                *std::to_chars(age, age + sizeof age - 1, p.age).ptr = '\0';
                *std::to_chars(score, score + sizeof score - 1, p.score).ptr = '\0';
                const char* values[] = {p.name.c_str(), p.email.c_str(), age, score};
                r.reset(PQexecPrepared(conn_, name, 4, values, nullptr, nullptr, 0));
            }
            if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail("insert");
        }
        command("COMMIT");
        return rows.size();
    }

    // B5's hand-written counterpart of ctorm's bulk route: the same inserts in
    // pipeline mode (libpq 14+), 1000 per synchronisation, so one round trip
    // per 1000 rows instead of one per row. Binary parameters.
    std::uint64_t insert_rows_pipelined(const std::vector<Person>& rows) {
        constexpr std::size_t batch = 1000;  // ~30 KB of replies: fits the socket buffers, no deadlock
        const char* name = insert_statement();
        command("BEGIN");
        if (PQenterPipelineMode(conn_) != 1) fail("enter pipeline mode");
        for (std::size_t start = 0; start < rows.size(); start += batch) {
            const std::size_t end = std::min(rows.size(), start + batch);
            for (std::size_t i = start; i < end; ++i) {
                const binary_row b(rows[i]);
                if (PQsendQueryPrepared(conn_, name, 4, b.values, b.lengths, binary_row::formats, 1) != 1)
                    fail("send insert");
            }
            if (PQpipelineSync(conn_) != 1) fail("pipeline sync");
            for (std::size_t i = start; i < end; ++i) {
                result_ptr r(PQgetResult(conn_));
                if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail("insert");
                result_ptr end_of_query(PQgetResult(conn_));  // null: this query's results are done
            }
            result_ptr sync(PQgetResult(conn_));
            if (PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) fail("pipeline sync result");
        }
        if (PQexitPipelineMode(conn_) != 1) fail("exit pipeline mode");
        command("COMMIT");
        return rows.size();
    }

    Person by_id(std::int64_t id) {
        static constexpr Oid types[] = {int8_oid};
        const char* name = statement(by_id_ready_, "raw_by_id", by_id_sql, 1, types);
        result_ptr r;
        if (binary_) {
            const std::uint64_t big = __builtin_bswap64(static_cast<std::uint64_t>(id));
            const char* values[] = {reinterpret_cast<const char*>(&big)};
            static constexpr int lengths[] = {8}, formats[] = {1};
            r.reset(PQexecPrepared(conn_, name, 1, values, lengths, formats, 1));
        } else {
            char text[24];
            *std::to_chars(text, text + sizeof text - 1, id).ptr = '\0';
            const char* values[] = {text};
            r.reset(PQexecPrepared(conn_, name, 1, values, nullptr, nullptr, 0));
        }
        if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) fail("select by id");
        if (PQntuples(r.get()) != 1) throw std::runtime_error("raw libpq: no row for an id");
        Person p;
        read_person(r.get(), 0, p);
        return p;
    }

    std::vector<Person> scan() {
        const char* name = statement(scan_ready_, "raw_scan", scan_sql, 0, nullptr);
        result_ptr r(PQexecPrepared(conn_, name, 0, nullptr, nullptr, nullptr, binary_ ? 1 : 0));
        return read_all(r.get());
    }

    std::vector<Person> by_age(std::int32_t age) {
        static constexpr Oid types[] = {int4_oid};
        const char* name = statement(by_age_ready_, "raw_by_age", by_age_sql, 1, types);
        result_ptr r;
        if (binary_) {
            const std::uint32_t big = __builtin_bswap32(static_cast<std::uint32_t>(age));
            const char* values[] = {reinterpret_cast<const char*>(&big)};
            static constexpr int lengths[] = {4}, formats[] = {1};
            r.reset(PQexecPrepared(conn_, name, 1, values, lengths, formats, 1));
        } else {
            char text[16];
            *std::to_chars(text, text + sizeof text - 1, age).ptr = '\0';
            const char* values[] = {text};
            r.reset(PQexecPrepared(conn_, name, 1, values, nullptr, nullptr, 0));
        }
        return read_all(r.get());
    }

private:
    std::vector<Person> read_all(const PGresult* r) {
        if (PQresultStatus(r) != PGRES_TUPLES_OK) fail("select");
        const int n = PQntuples(r);
        std::vector<Person> rows(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) read_person(r, i, rows[static_cast<std::size_t>(i)]);
        return rows;
    }

    // The columns are NOT NULL and their types are known, so neither
    // PQgetisnull nor PQftype is asked.
    void read_person(const PGresult* r, int row, Person& p) const {
        if (binary_) {
            std::uint64_t id;
            std::memcpy(&id, PQgetvalue(r, row, 0), 8);
            p.id = static_cast<std::int64_t>(__builtin_bswap64(id));
            p.name.assign(PQgetvalue(r, row, 1), static_cast<std::size_t>(PQgetlength(r, row, 1)));
            p.email.assign(PQgetvalue(r, row, 2), static_cast<std::size_t>(PQgetlength(r, row, 2)));
            std::uint32_t age;
            std::memcpy(&age, PQgetvalue(r, row, 3), 4);
            p.age = static_cast<std::int32_t>(__builtin_bswap32(age));
            std::uint64_t score = __builtin_bswap64([&] {
                std::uint64_t u;
                std::memcpy(&u, PQgetvalue(r, row, 4), 8);
                return u;
            }());
            std::memcpy(&p.score, &score, 8);
        } else {
            parse(r, row, 0, p.id);
            p.name.assign(PQgetvalue(r, row, 1), static_cast<std::size_t>(PQgetlength(r, row, 1)));
            p.email.assign(PQgetvalue(r, row, 2), static_cast<std::size_t>(PQgetlength(r, row, 2)));
            parse(r, row, 3, p.age);
            parse(r, row, 4, p.score);
        }
    }

    template <class T>
    static void parse(const PGresult* r, int row, int column, T& out) {
        const char* p = PQgetvalue(r, row, column);
        const auto [end, ec] = std::from_chars(p, p + PQgetlength(r, row, column), out);
        if (ec != std::errc{}) throw std::runtime_error("raw libpq: cannot parse a number");
        static_cast<void>(end);
    }

    PGconn* conn_ = nullptr;
    bool binary_;
    bool insert_ready_ = false, by_id_ready_ = false, scan_ready_ = false, by_age_ready_ = false;
};

// --- setup (untimed) ---------------------------------------------------------------

void exec_or_throw(PGconn* c, const std::string& sql) {
    result_ptr r(PQexec(c, sql.c_str()));
    const ExecStatusType s = PQresultStatus(r.get());
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        throw std::runtime_error("setup: " + sql + ": " + PQerrorMessage(c));
}

std::uint64_t count_rows(PGconn* c, const char* table) {
    result_ptr r(PQexec(c, (std::string("SELECT count(*) FROM \"") + table + "\"").c_str()));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) throw std::runtime_error(PQerrorMessage(c));
    return std::stoull(PQgetvalue(r.get(), 0, 0));
}

// Both tables (in the current schema), `people` filled with the rows of bench::make_person
// (ids 1..rows), generated by the server.
void create_tables(PGconn* c, std::size_t rows) {
    exec_or_throw(c, "DROP TABLE IF EXISTS \"people\", \"people_insert\"");
    exec_or_throw(
        c, std::string(
               ctorm::to_sql<ctorm::postgres_dialect, ctorm::create_table_statement<bench::ctorm_table_people>>()));
    exec_or_throw(
        c,
        std::string(
            ctorm::to_sql<ctorm::postgres_dialect, ctorm::create_table_statement<bench::ctorm_table_people_insert>>()));
    const std::string n = std::to_string(rows), ages = std::to_string(bench::distinct_ages(rows));
    exec_or_throw(c,
                  "INSERT INTO \"people\" (\"name\", \"email\", \"age\", \"score\") "
                  "SELECT 'person ' || i, 'person' || i || '@example.com', i % " +
                      ages +
                      ", i * 0.25 + 0.5 "
                      "FROM generate_series(0, " +
                      n + " - 1) AS i ORDER BY i");
    exec_or_throw(c, "VACUUM ANALYZE \"people\"");
}

std::uint64_t digest_all(const std::vector<Person>& rows) {
    std::uint64_t h = rows.size();
    for (const Person& p : rows) h += bench::digest(p);
    return h;
}

constexpr const char* backend_help =
    "  --conninfo URL     the server (a postgresql:// URL or libpq keywords); or give it as the last argument\n";

int run(int argc, char** argv) {
    bench::options o = bench::parse_options(argc, argv, "--conninfo", backend_help);
    if (o.backend.empty()) bench::usage(argv[0], "no server: give --conninfo URL", backend_help);
    const std::string backend = "postgresql";
    const bool with_ctorm = bench::wanted(o.sides, "ctorm");
    const bool with_raw = bench::wanted(o.sides, "raw");
    const bool with_text = bench::wanted(o.sides, "raw_text");

    // A schema of this process's own: runs on one server (CTest's, or a
    // shared CTORM_TEST_PG_URL) never meet. Every connection works in it.
    const std::string schema = "\"ctorm_bench_" + std::to_string(::getpid()) + "\"";
    raw_connection setup(o.backend, true);
    exec_or_throw(setup.handle(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    exec_or_throw(setup.handle(), "CREATE SCHEMA " + schema);
    struct drop_schema {
        PGconn* c;
        std::string name;
        ~drop_schema() { PQclear(PQexec(c, ("DROP SCHEMA IF EXISTS " + name + " CASCADE").c_str())); }
    } dropper{setup.handle(), schema};
    exec_or_throw(setup.handle(), "SET search_path TO " + schema);
    create_tables(setup.handle(), o.rows);
    std::cout << "ctorm PostgreSQL benchmark: server " << PQparameterStatus(setup.handle(), "server_version")
              << ", libpq " << PQlibVersion() << ", rows " << o.rows << ", lookups " << o.lookups << ", queries "
              << o.queries << ", " << o.reps << " timed reps after " << o.warmup << " warm-up, median reported\n"
              << "raw: binary parameters and results (as ctorm); raw_text: text format\n";

    std::unique_ptr<ctorm::postgres::connection> db;
    std::unique_ptr<raw_connection> raw, text;
    if (with_ctorm) {
        db = std::make_unique<ctorm::postgres::connection>(ctorm::postgres::connect(o.backend));
        db->execute_script("SET search_path TO " + schema);
    }
    if (with_raw) raw = std::make_unique<raw_connection>(o.backend, true, schema);
    if (with_text) text = std::make_unique<raw_connection>(o.backend, false, schema);
    const std::vector<Person> rows = bench::make_people(o.rows);

    std::vector<bench::case_result> results;
    // A case that writes people_insert empties it before each run and counts
    // its rows after (both untimed).
    auto add = [&](const std::string& id, const std::string& title, auto ctorm_side,
                   std::function<std::uint64_t(raw_connection&)> raw_side, bool writes = false,
                   std::function<std::uint64_t(raw_connection&)> pipeline_side = {}) {
        if (!bench::wanted(o.cases, id)) return;
        std::vector<bench::side> sides;
        auto make = [&](const char* name, std::function<std::uint64_t()> body) {
            bench::side s{name, {}, std::move(body), {}};
            if (writes) {
                PGconn* c = setup.handle();
                s.before = [c] { exec_or_throw(c, "TRUNCATE \"people_insert\""); };
                s.after = [c](std::uint64_t) { return count_rows(c, "people_insert"); };
            }
            sides.push_back(std::move(s));
        };
        if (with_ctorm) make("ctorm", ctorm_side);
        if (with_raw) make("raw", [&raw_side, &raw] { return raw_side(*raw); });
        if (with_text) make("raw_text", [&raw_side, &text] { return raw_side(*text); });
        if (pipeline_side && with_raw && bench::wanted(o.sides, "raw_pipeline"))
            make("raw_pipeline", [&pipeline_side, &raw] { return pipeline_side(*raw); });
        results.push_back(bench::measure(id, title, backend, std::move(sides), o));
        std::cout << "." << std::flush;
    };

    add(
        "B1", "insert " + std::to_string(rows.size()) + " rows, one transaction",
        [&] {
            auto tx = db->begin();
            for (const Person& p : rows) db->execute(ctorm::insert(people_insert).values(p));
            tx.commit();
            return std::uint64_t{0};
        },
        [&](raw_connection& c) { return c.insert_rows(rows); }, true);

    add(
        "B2", std::to_string(o.lookups) + " point selects by primary key",
        [&] {
            std::uint64_t h = 0;
            for (std::size_t i = 0; i < o.lookups; ++i) {
                const auto id = static_cast<std::int64_t>(i % o.rows + 1);
                const Person p = db->one(ctorm::select(people).where(people.id == id));
                h += bench::digest(p);
            }
            return h;
        },
        [&](raw_connection& c) {
            std::uint64_t h = 0;
            for (std::size_t i = 0; i < o.lookups; ++i)
                h += bench::digest(c.by_id(static_cast<std::int64_t>(i % o.rows + 1)));
            return h;
        });

    add(
        "B3", "full scan of " + std::to_string(o.rows) + " rows into a vector",
        [&] { return digest_all(db->all(ctorm::select(people))); },
        [&](raw_connection& c) { return digest_all(c.scan()); });

    const std::int32_t ages = bench::distinct_ages(o.rows);
    add(
        "B4",
        std::to_string(o.queries) + " selects by an indexed column (~" +
            std::to_string(o.rows / static_cast<std::size_t>(ages)) + " rows each)",
        [&] {
            std::uint64_t h = 0;
            for (std::size_t q = 0; q < o.queries; ++q) {
                const auto age = static_cast<std::int32_t>(q % static_cast<std::size_t>(ages));
                h += digest_all(db->all(ctorm::select(people).where(people.age == age)));
            }
            return h;
        },
        [&](raw_connection& c) {
            std::uint64_t h = 0;
            for (std::size_t q = 0; q < o.queries; ++q)
                h += digest_all(c.by_age(static_cast<std::int32_t>(q % static_cast<std::size_t>(ages))));
            return h;
        });

    // B5: ctorm's bulk route, insert(t).values(vector): one prepared statement
    // sent row after row in pipeline mode, 1000 rows per round trip, in one
    // transaction; against raw row-by-row inserts (what code without a bulk
    // API does), and against hand-written pipeline code, raw_pipeline.
    add(
        "B5", "bulk insert of " + std::to_string(rows.size()) + " rows",
        [&] {
            return static_cast<std::uint64_t>(db->execute(ctorm::insert(people_insert).values(rows)).rows_affected);
        },
        [&](raw_connection& c) { return c.insert_rows(rows); }, true,
        [&](raw_connection& c) { return c.insert_rows_pipelined(rows); });

    std::cout << "\n";
    return bench::report(results, o, std::cout) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "postgres_bench: " << e.what() << "\n";
        return 1;
    }
}
