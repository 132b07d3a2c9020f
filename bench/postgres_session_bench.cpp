// PostgreSQL: the session (ctorm::session) against hand-written libpq code
// doing the same work (PQprepare once, then PQexecPrepared, binary
// parameters and results, as ctorm uses), in one process.
//
//   postgres_session_bench --conninfo URL [--case S1,...] [--side ctorm|raw] [--quick] [--json FILE]
//   scripts/pg_cluster exec STATE_DIR postgres_session_bench --quick      (the URL comes last)
//
// The cases are sqlite_session_bench's (S1 add + flush, S2 load + change +
// flush, S2U its change + flush only, S3 identity-map gets). Each side has its
// own connection; all work in a schema of the process's own.
#include <libpq-fe.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <ctorm/orm/session.hpp>
#include <ctorm/postgres.hpp>

#include "harness.hpp"
#include "session_schema.hpp"

namespace {

using bench::Member;
using bench::members;
using bench::members_insert;

constexpr const char* insert_returning_sql =
    "INSERT INTO \"members_insert\" (\"name\", \"email\", \"age\", \"score\") VALUES ($1, $2, $3, $4) RETURNING "
    "\"members_insert\".\"id\", \"members_insert\".\"created_at\"";
constexpr const char* scan_sql =
    "SELECT \"members\".\"id\", \"members\".\"name\", \"members\".\"email\", \"members\".\"age\", "
    "\"members\".\"score\", \"members\".\"created_at\" FROM \"members\"";
constexpr const char* update_sql = "UPDATE \"members\" SET \"score\" = $1 WHERE \"id\" = $2";

constexpr Oid int4_oid = 23, int8_oid = 20, text_oid = 25, float8_oid = 701;

struct result_deleter {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using result_ptr = std::unique_ptr<PGresult, result_deleter>;

std::uint64_t big_endian_double(double v) {
    std::uint64_t u;
    std::memcpy(&u, &v, 8);
    return __builtin_bswap64(u);
}
std::int64_t read_int8(const char* p) {
    std::uint64_t u;
    std::memcpy(&u, p, 8);
    return static_cast<std::int64_t>(__builtin_bswap64(u));
}

// --- the raw side: what a careful libpq programmer writes ---------------------

class raw_connection {
public:
    raw_connection(const std::string& conninfo, const std::string& search_path) {
        conn_ = PQconnectdb(conninfo.c_str());
        if (PQstatus(conn_) != CONNECTION_OK) fail("connect");
        PQsetNoticeProcessor(
            conn_, [](void*, const char*) {}, nullptr);
        command(("SET search_path TO " + search_path).c_str());
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
    // Prepared on first use and kept.
    const char* statement(bool& done, const char* name, const char* sql, int n, const Oid* types) {
        if (!done) {
            result_ptr r(PQprepare(conn_, name, sql, n, types));
            if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(sql);
            done = true;
        }
        return name;
    }

    // S1: the objects made from the rows, inserted in one transaction (one
    // round trip per row), each key and server default read back into its object.
    std::vector<Member> insert_objects(const std::vector<Member>& rows) {
        static constexpr Oid types[] = {text_oid, text_oid, int4_oid, float8_oid};
        static constexpr int formats[] = {1, 1, 1, 1};
        const char* name = statement(insert_ready_, "raw_insert", insert_returning_sql, 4, types);
        std::vector<Member> objects(rows);
        command("BEGIN");
        for (Member& m : objects) {
            const std::uint32_t age = __builtin_bswap32(static_cast<std::uint32_t>(m.age));
            const std::uint64_t score = big_endian_double(m.score);
            const char* values[] = {m.name.data(), m.email.data(), reinterpret_cast<const char*>(&age),
                                    reinterpret_cast<const char*>(&score)};
            const int lengths[] = {static_cast<int>(m.name.size()), static_cast<int>(m.email.size()), 4, 8};
            result_ptr r(PQexecPrepared(conn_, name, 4, values, lengths, formats, 1));
            if (PQresultStatus(r.get()) != PGRES_TUPLES_OK || PQntuples(r.get()) != 1) fail("insert");
            m.id = read_int8(PQgetvalue(r.get(), 0, 0));
            m.created_at = bench::from_postgres_micros(read_int8(PQgetvalue(r.get(), 0, 1)));
        }
        command("COMMIT");
        return objects;
    }

    // S2: every row into a vector (NOT NULL columns of known types: no checks).
    std::vector<Member> load() {
        const char* name = statement(scan_ready_, "raw_scan", scan_sql, 0, nullptr);
        result_ptr r(PQexecPrepared(conn_, name, 0, nullptr, nullptr, nullptr, 1));
        if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) fail("select");
        const int n = PQntuples(r.get());
        std::vector<Member> rows(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            Member& m = rows[static_cast<std::size_t>(i)];
            const PGresult* res = r.get();
            m.id = read_int8(PQgetvalue(res, i, 0));
            m.name.assign(PQgetvalue(res, i, 1), static_cast<std::size_t>(PQgetlength(res, i, 1)));
            m.email.assign(PQgetvalue(res, i, 2), static_cast<std::size_t>(PQgetlength(res, i, 2)));
            std::uint32_t age;
            std::memcpy(&age, PQgetvalue(res, i, 3), 4);
            m.age = static_cast<std::int32_t>(__builtin_bswap32(age));
            const std::uint64_t score = static_cast<std::uint64_t>(read_int8(PQgetvalue(res, i, 4)));
            std::memcpy(&m.score, &score, 8);
            m.created_at = bench::from_postgres_micros(read_int8(PQgetvalue(res, i, 5)));
        }
        return rows;
    }

    // S2 and S2U: one column changed on each row, one UPDATE per row in one
    // transaction, each checked to have matched its row (as the session does).
    void update_scores(std::vector<Member>& rows) {
        static constexpr Oid types[] = {float8_oid, int8_oid};
        static constexpr int formats[] = {1, 1};
        static constexpr int lengths[] = {8, 8};
        const char* name = statement(update_ready_, "raw_update", update_sql, 2, types);
        command("BEGIN");
        for (Member& m : rows) {
            m.score = bench::changed_score(m.id);
            const std::uint64_t score = big_endian_double(m.score);
            const std::uint64_t id = __builtin_bswap64(static_cast<std::uint64_t>(m.id));
            const char* values[] = {reinterpret_cast<const char*>(&score), reinterpret_cast<const char*>(&id)};
            result_ptr r(PQexecPrepared(conn_, name, 2, values, lengths, formats, 1));
            if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail("update");
            if (std::strcmp(PQcmdTuples(r.get()), "1") != 0)
                throw std::runtime_error("raw libpq: an UPDATE matched no row");
        }
        command("COMMIT");
    }

private:
    PGconn* conn_ = nullptr;
    bool insert_ready_ = false, scan_ready_ = false, update_ready_ = false;
};

// --- setup and checks (untimed) --------------------------------------------------------

void exec_or_throw(PGconn* c, const std::string& sql) {
    result_ptr r(PQexec(c, sql.c_str()));
    const ExecStatusType s = PQresultStatus(r.get());
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        throw std::runtime_error("setup: " + sql + ": " + PQerrorMessage(c));
}

// Every row's digest and the number of rows, from the database itself (text format).
std::uint64_t table_digest(PGconn* c, const char* table) {
    result_ptr r(PQexec(c, (std::string("SELECT \"id\", \"name\", \"email\", \"age\", \"score\", \"created_at\" IS "
                                        "NOT NULL FROM \"") +
                            table + "\"")
                               .c_str()));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) throw std::runtime_error(PQerrorMessage(c));
    std::uint64_t h = 0;
    const int n = PQntuples(r.get());
    for (int i = 0; i < n; ++i) {
        Member m;
        m.id = std::stoll(PQgetvalue(r.get(), i, 0));
        m.name = PQgetvalue(r.get(), i, 1);
        m.email = PQgetvalue(r.get(), i, 2);
        m.age = std::stoi(PQgetvalue(r.get(), i, 3));
        m.score = std::stod(PQgetvalue(r.get(), i, 4));
        if (PQgetvalue(r.get(), i, 5)[0] == 't') m.created_at = ctorm::timestamp(std::chrono::microseconds(1));
        h += bench::digest(m);
    }
    return h + static_cast<std::uint64_t>(n);
}

template <class Range>
std::uint64_t digest_objects(const Range& objects) {
    std::uint64_t h = 0;
    for (const auto& o : objects) {
        if constexpr (requires { o.get(); }) h += bench::digest(o.get());
        else h += bench::digest(o);
    }
    return h + objects.size();
}

constexpr const char* backend_help =
    "  --conninfo URL     the server (a postgresql:// URL or libpq keywords); or give it as the last argument\n"
    "  (--lookups N: S3's gets, over the first --rows objects)\n";

int run(int argc, char** argv) {
    bench::options o = bench::parse_options(argc, argv, "--conninfo", backend_help);
    if (o.backend.empty()) bench::usage(argv[0], "no server: give --conninfo URL", backend_help);
    const std::string backend = "postgresql";
    const bool with_ctorm = bench::wanted(o.sides, "ctorm");
    const bool with_raw = bench::wanted(o.sides, "raw");

    const std::string schema = "\"ctorm_session_bench_" + std::to_string(::getpid()) + "\"";
    raw_connection setup(o.backend, "public");
    exec_or_throw(setup.handle(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    exec_or_throw(setup.handle(), "CREATE SCHEMA " + schema);
    struct drop_schema {
        PGconn* c;
        std::string name;
        ~drop_schema() { PQclear(PQexec(c, ("DROP SCHEMA IF EXISTS " + name + " CASCADE").c_str())); }
    } dropper{setup.handle(), schema};
    exec_or_throw(setup.handle(), "SET search_path TO " + schema);
    exec_or_throw(
        setup.handle(),
        std::string(
            ctorm::to_sql<ctorm::postgres_dialect, ctorm::create_table_statement<bench::ctorm_table_members>>()));
    exec_or_throw(setup.handle(),
                  std::string(ctorm::to_sql<ctorm::postgres_dialect,
                                            ctorm::create_table_statement<bench::ctorm_table_members_insert>>()));
    const std::string n_text = std::to_string(o.rows);
    // The rows of bench::make_member, ids 1..rows.
    exec_or_throw(setup.handle(),
                  "INSERT INTO \"members\" (\"name\", \"email\", \"age\", \"score\") "
                  "SELECT 'member ' || i, 'member' || i || '@example.com', i % 90, i * 0.25 + 0.5 "
                  "FROM generate_series(0, " +
                      n_text + " - 1) AS i ORDER BY i");
    exec_or_throw(setup.handle(), "VACUUM ANALYZE \"members\"");
    std::cout << "ctorm session benchmark, PostgreSQL " << PQparameterStatus(setup.handle(), "server_version")
              << ", libpq " << PQlibVersion() << ", rows " << o.rows << ", lookups " << o.lookups << ", " << o.reps
              << " timed reps after " << o.warmup << " warm-up, median reported\n";

    std::unique_ptr<ctorm::postgres::connection> db;
    std::unique_ptr<raw_connection> raw;
    if (with_ctorm) {
        db = std::make_unique<ctorm::postgres::connection>(ctorm::postgres::connect(o.backend));
        db->execute_script("SET search_path TO " + schema);
    }
    if (with_raw) raw = std::make_unique<raw_connection>(o.backend, schema);
    const std::vector<Member> rows = bench::make_members(o.rows);
    PGconn* c = setup.handle();

    std::vector<bench::case_result> results;
    struct side_spec {
        std::function<void()> before;
        std::function<std::uint64_t()> run;
    };
    // `writes`: the table the case writes; emptied (S1) or its scores reset
    // (S2, S2U) before each run, and digested from the database after (untimed).
    auto add = [&](const std::string& id, const std::string& title, side_spec ctorm_side, side_spec raw_side,
                   const char* writes) {
        if (!bench::wanted(o.cases, id)) return;
        std::vector<bench::side> sides;
        auto make = [&](const char* name, side_spec spec) {
            bench::side s{name, std::move(spec.before), std::move(spec.run), {}};
            if (writes) {
                const std::string table = writes;
                auto prepare = std::move(s.before);
                s.before = [c, table, prepare] {
                    if (table == "members_insert") {
                        exec_or_throw(c, "TRUNCATE \"members_insert\" RESTART IDENTITY");
                    } else {
                        exec_or_throw(c, "UPDATE \"members\" SET \"score\" = (\"id\" - 1) * 0.25 + 0.5");
                        exec_or_throw(c, "VACUUM \"members\"");
                    }
                    if (prepare) prepare();
                };
                s.after = [c, table](std::uint64_t d) { return d ^ (table_digest(c, table.c_str()) << 1); };
            }
            sides.push_back(std::move(s));
        };
        if (with_ctorm) make("ctorm", std::move(ctorm_side));
        if (with_raw) make("raw", std::move(raw_side));
        results.push_back(bench::measure(id, title, backend, std::move(sides), o));
        std::cout << "." << std::flush;
    };

    add("S1", "add + flush " + std::to_string(rows.size()) + " new objects (keys, server default read back)",
        {{},
         [&] {
             ctorm::session s(*db);
             std::vector<ctorm::handle<Member>> objects;
             objects.reserve(rows.size());
             for (const Member& m : rows) objects.push_back(s.add(members_insert, m));
             s.commit();
             return digest_objects(objects);
         }},
        {{}, [&] { return digest_objects(raw->insert_objects(rows)); }}, "members_insert");

    add("S2", "load " + std::to_string(rows.size()) + " objects, change one column on each, flush",
        {{},
         [&] {
             ctorm::session s(*db);
             auto objects = s.all(ctorm::select(members));
             for (auto& h : objects) h->score = bench::changed_score(h.get().id);
             s.commit();
             return digest_objects(objects);
         }},
        {{},
         [&] {
             std::vector<Member> objects = raw->load();
             raw->update_scores(objects);
             return digest_objects(objects);
         }},
        "members");

    {
        std::optional<ctorm::session<ctorm::postgres::connection>> session;
        std::vector<ctorm::handle<Member>> loaded;
        std::vector<Member> raw_loaded;
        add("S2U", "change one column on " + std::to_string(rows.size()) + " loaded objects, flush (load untimed)",
            {[&] {
                 loaded.clear();
                 session.reset();
                 session.emplace(*db);
                 loaded = session->all(ctorm::select(members));
             },
             [&] {
                 for (auto& h : loaded) h->score = bench::changed_score(h.get().id);
                 session->commit();
                 return digest_objects(loaded);
             }},
            {[&] { raw_loaded = raw->load(); },
             [&] {
                 raw->update_scores(raw_loaded);
                 return digest_objects(raw_loaded);
             }},
            "members");
        loaded.clear();
        session.reset();
    }

    {
        std::optional<ctorm::session<ctorm::postgres::connection>> session;
        std::vector<ctorm::handle<Member>> loaded;
        std::vector<Member> raw_loaded;
        std::unordered_map<std::int64_t, Member*> raw_map;
        if (with_ctorm) {
            session.emplace(*db);
            loaded = session->all(ctorm::select(members));
        }
        if (with_raw) {
            raw_loaded = raw->load();
            for (Member& m : raw_loaded) raw_map.emplace(m.id, &m);
        }
        const std::size_t n = rows.size();
        add("S3", std::to_string(o.lookups) + " s.get(table, id) of objects in the session",
            {{},
             [&] {
                 std::uint64_t h = 0;
                 for (std::size_t i = 0; i < o.lookups; ++i) {
                     const auto id = static_cast<std::int64_t>(i % n + 1);
                     const auto obj = session->get(members, id);
                     h += static_cast<std::uint64_t>(obj->age) + static_cast<std::uint64_t>(obj->id);
                 }
                 return h;
             }},
            {{},
             [&] {
                 std::uint64_t h = 0;
                 for (std::size_t i = 0; i < o.lookups; ++i) {
                     const auto id = static_cast<std::int64_t>(i % n + 1);
                     const Member* m = raw_map.find(id)->second;
                     h += static_cast<std::uint64_t>(m->age) + static_cast<std::uint64_t>(m->id);
                 }
                 return h;
             }},
            nullptr);
        loaded.clear();
        session.reset();
    }

    std::cout << "\n";
    return bench::report(results, o, std::cout) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "postgres_session_bench: " << e.what() << "\n";
        return 1;
    }
}
