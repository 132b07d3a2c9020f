// SQLite: the session (ctorm::session) against hand-written C-API code doing
// the same work, in one process.
//
//   sqlite_session_bench --db memory|file [--dir DIR] [--case S1,...] [--side ctorm|raw] [--quick] [--json FILE]
//
// S1   add N new objects and flush them in one transaction, their generated
//      keys and server defaults read back into them; raw: a prepared
//      INSERT ... RETURNING id, created_at per row, read into the struct.
// S2   load N objects (s.all(select(t))), change one column of each, commit;
//      raw: SELECT every row into a vector, then a prepared UPDATE per row.
// S2U  the update part of S2 only: the objects (rows) are loaded untimed,
//      the timed part changes one column on each and flushes (commits).
// S3   s.get(table, id) of objects already in the session (the identity
//      map); raw: std::unordered_map<id, Member*>::find, for scale.
//
// Both sides open their connection with SQLITE_OPEN_NOMUTEX, as ctorm does,
// and each has its own database with the same rows.
#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <ctorm/orm/session.hpp>
#include <ctorm/sqlite.hpp>

#include "harness.hpp"
#include "session_schema.hpp"

namespace {

using bench::Member;
using bench::members;
using bench::members_insert;

[[noreturn]] void fail(sqlite3* db, const char* what) {
    throw std::runtime_error(std::string("raw sqlite: ") + what + ": " + sqlite3_errmsg(db));
}

// The text ctorm renders, so that both sides ask SQLite for the same work.
constexpr const char* insert_returning_sql =
    "INSERT INTO \"members_insert\" (\"name\", \"email\", \"age\", \"score\") VALUES (?, ?, ?, ?) RETURNING "
    "\"members_insert\".\"id\", \"members_insert\".\"created_at\"";
constexpr const char* scan_sql =
    "SELECT \"members\".\"id\", \"members\".\"name\", \"members\".\"email\", \"members\".\"age\", "
    "\"members\".\"score\", \"members\".\"created_at\" FROM \"members\"";
constexpr const char* update_sql = "UPDATE \"members\" SET \"score\" = ? WHERE \"id\" = ?";

// --- the raw side: what a careful C-API programmer writes ---------------------

class raw_database {
public:
    raw_database(const std::string& path, bool wal) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                            nullptr) != SQLITE_OK)
            fail(db_, "open");
        if (wal) exec("PRAGMA journal_mode = wal");
    }
    raw_database(const raw_database&) = delete;
    raw_database& operator=(const raw_database&) = delete;
    ~raw_database() {
        for (sqlite3_stmt* s : {insert_, scan_, update_}) sqlite3_finalize(s);
        sqlite3_close_v2(db_);
    }

    sqlite3* handle() const { return db_; }

    void exec(const char* sql) {
        if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(db_, sql);
    }

    // Prepared on first use and kept, as ctorm's statement cache does.
    sqlite3_stmt* statement(sqlite3_stmt*& slot, const char* sql) {
        if (!slot && sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot, nullptr) != SQLITE_OK)
            fail(db_, sql);
        return slot;
    }

    // created_at is text on SQLite (ctorm's format); parsed with the same
    // function ctorm uses, so that the sides differ in the ORM, not the parser.
    static ctorm::timestamp read_timestamp(sqlite3_stmt* s, int column) {
        const std::string_view text(reinterpret_cast<const char*>(sqlite3_column_text(s, column)),
                                    static_cast<std::size_t>(sqlite3_column_bytes(s, column)));
        ctorm::timestamp t{};
        if (!ctorm::detail::parse_timestamp(text, t)) throw std::runtime_error("raw sqlite: a bad timestamp");
        return t;
    }

    // S1: the objects made from the rows, inserted in one transaction, each
    // key and server default read back into its object.
    std::vector<Member> insert_objects(const std::vector<Member>& rows) {
        std::vector<Member> objects(rows);
        sqlite3_stmt* s = statement(insert_, insert_returning_sql);
        exec("BEGIN");
        for (Member& m : objects) {
            if (sqlite3_bind_text(s, 1, m.name.data(), static_cast<int>(m.name.size()), SQLITE_STATIC) != SQLITE_OK ||
                sqlite3_bind_text(s, 2, m.email.data(), static_cast<int>(m.email.size()), SQLITE_STATIC) != SQLITE_OK ||
                sqlite3_bind_int(s, 3, m.age) != SQLITE_OK || sqlite3_bind_double(s, 4, m.score) != SQLITE_OK)
                fail(db_, "bind");
            if (sqlite3_step(s) != SQLITE_ROW) fail(db_, "insert");
            m.id = sqlite3_column_int64(s, 0);
            m.created_at = read_timestamp(s, 1);
            if (sqlite3_step(s) != SQLITE_DONE) fail(db_, "insert");
            sqlite3_reset(s);
        }
        exec("COMMIT");
        return objects;
    }

    // S2: every row into a vector (the columns are NOT NULL: no type checks).
    std::vector<Member> load() {
        sqlite3_stmt* s = statement(scan_, scan_sql);
        std::vector<Member> rows;
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            Member& m = rows.emplace_back();
            m.id = sqlite3_column_int64(s, 0);
            m.name.assign(reinterpret_cast<const char*>(sqlite3_column_text(s, 1)),
                          static_cast<std::size_t>(sqlite3_column_bytes(s, 1)));
            m.email.assign(reinterpret_cast<const char*>(sqlite3_column_text(s, 2)),
                           static_cast<std::size_t>(sqlite3_column_bytes(s, 2)));
            m.age = sqlite3_column_int(s, 3);
            m.score = sqlite3_column_double(s, 4);
            m.created_at = read_timestamp(s, 5);
        }
        sqlite3_reset(s);
        if (rc != SQLITE_DONE) fail(db_, "step");
        return rows;
    }

    // S2 and S2U: one column changed on each row, one UPDATE per row in one
    // transaction, each checked to have matched its row (as the session does).
    void update_scores(std::vector<Member>& rows) {
        sqlite3_stmt* s = statement(update_, update_sql);
        exec("BEGIN");
        for (Member& m : rows) {
            m.score = bench::changed_score(m.id);
            if (sqlite3_bind_double(s, 1, m.score) != SQLITE_OK || sqlite3_bind_int64(s, 2, m.id) != SQLITE_OK)
                fail(db_, "bind");
            if (sqlite3_step(s) != SQLITE_DONE) fail(db_, "update");
            if (sqlite3_changes(db_) != 1) throw std::runtime_error("raw sqlite: an UPDATE matched no row");
            sqlite3_reset(s);
        }
        exec("COMMIT");
    }

private:
    sqlite3* db_ = nullptr;
    sqlite3_stmt* insert_ = nullptr;
    sqlite3_stmt* scan_ = nullptr;
    sqlite3_stmt* update_ = nullptr;
};

// --- setup and checks (untimed) --------------------------------------------------------

void exec_or_throw(sqlite3* db, const std::string& sql) {
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(db, sql.c_str());
}

// Every row's digest and the number of rows, from the database itself.
std::uint64_t table_digest(sqlite3* db, const char* table) {
    const std::string sql =
        std::string("SELECT \"id\", \"name\", \"email\", \"age\", \"score\", \"created_at\" FROM \"") + table + "\"";
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) fail(db, "digest");
    std::uint64_t h = 0, n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        Member m;
        m.id = sqlite3_column_int64(s, 0);
        m.name = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
        m.email = reinterpret_cast<const char*>(sqlite3_column_text(s, 2));
        m.age = sqlite3_column_int(s, 3);
        m.score = sqlite3_column_double(s, 4);
        m.created_at =
            sqlite3_column_bytes(s, 5) > 0 ? ctorm::timestamp(std::chrono::microseconds(1)) : ctorm::timestamp{};
        h += bench::digest(m);
        ++n;
    }
    sqlite3_finalize(s);
    return h + n;
}

void empty_table(sqlite3* db, bool wal, const char* table) {
    exec_or_throw(db, std::string("DELETE FROM \"") + table + "\"");
    if (wal) exec_or_throw(db, "PRAGMA wal_checkpoint(TRUNCATE)");
}

// The scores back to what the rows were made with (S2 and S2U change them).
void reset_scores(sqlite3* db) { exec_or_throw(db, "UPDATE \"members\" SET \"score\" = (\"id\" - 1) * 0.25 + 0.5"); }

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
    "  --db memory|file   :memory: databases, or files in --dir with journal_mode=wal (default memory)\n"
    "  --dir DIR          where --db file puts its databases (default .)\n"
    "  (--lookups N: S3's gets, over the first --rows objects)\n";

int run(int argc, char** argv) {
    bench::options o = bench::parse_options(argc, argv, "--db", backend_help);
    if (o.backend.empty()) o.backend = "memory";
    if (o.backend != "memory" && o.backend != "file")
        bench::usage(argv[0], "--db must be memory or file", backend_help);
    const bool wal = o.backend == "file";
    const std::string backend = wal ? "sqlite-file-wal" : "sqlite-memory";
    const bool with_ctorm = bench::wanted(o.sides, "ctorm");
    const bool with_raw = bench::wanted(o.sides, "raw");

    std::cout << "ctorm session benchmark, SQLite " << sqlite3_libversion() << ", " << backend << ", rows " << o.rows
              << ", lookups " << o.lookups << ", " << o.reps << " timed reps after " << o.warmup
              << " warm-up, median reported\n";

    auto path_for = [&](const char* name) {
        if (!wal) return std::string(":memory:");
        const std::string path = o.dir + "/" + name;
        for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
        return path;
    };

    const std::vector<Member> rows = bench::make_members(o.rows);
    std::unique_ptr<ctorm::sqlite::connection> db;
    std::unique_ptr<raw_database> raw;
    if (with_ctorm) {
        ctorm::sqlite::open_options options;
        if (wal) options.journal_mode = "wal";
        db = std::make_unique<ctorm::sqlite::connection>(path_for("session-ctorm.db"), options);
        db->create_all(members, members_insert);
        db->execute(ctorm::insert(members).values(rows));
    }
    if (with_raw) {
        raw = std::make_unique<raw_database>(path_for("session-raw.db"), wal);
        // The same tables, as ctorm creates them.
        for (const auto& sql :
             {std::string(
                  ctorm::to_sql<ctorm::sqlite_dialect, ctorm::create_table_statement<bench::ctorm_table_members>>()),
              std::string(ctorm::to_sql<ctorm::sqlite_dialect,
                                        ctorm::create_table_statement<bench::ctorm_table_members_insert>>())})
            raw->exec(sql.c_str());
        (void)raw->insert_objects(rows);  // into members_insert, then moved over
        raw->exec("INSERT INTO \"members\" SELECT * FROM \"members_insert\" ORDER BY \"id\"");
        empty_table(raw->handle(), wal, "members_insert");
    }

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
        auto make = [&](const char* name, sqlite3* h, side_spec spec) {
            bench::side s{name, std::move(spec.before), std::move(spec.run), {}};
            if (writes) {
                const std::string table = writes;
                auto prepare = std::move(s.before);
                s.before = [h, wal, table, prepare] {
                    if (table == "members_insert") empty_table(h, wal, "members_insert");
                    else reset_scores(h);
                    if (prepare) prepare();
                };
                s.after = [h, table](std::uint64_t d) { return d ^ (table_digest(h, table.c_str()) << 1); };
            }
            sides.push_back(std::move(s));
        };
        if (with_ctorm) make("ctorm", db->native_handle(), std::move(ctorm_side));
        if (with_raw) make("raw", raw->handle(), std::move(raw_side));
        results.push_back(bench::measure(id, title, backend, std::move(sides), o));
        std::cout << "." << std::flush;
    };

    // S1: add and flush N new objects in one transaction.
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

    // S2: load N objects, change one column on each, flush.
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

    // S2U: the same, with the load untimed: change + flush only.
    {
        std::optional<ctorm::session<ctorm::sqlite::connection>> session;
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

    // S3: identity-map hits.
    {
        std::optional<ctorm::session<ctorm::sqlite::connection>> session;
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
        std::cerr << "sqlite_session_bench: " << e.what() << "\n";
        return 1;
    }
}
