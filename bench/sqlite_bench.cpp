// SQLite: the same work through ctorm's one-shot API and through careful
// hand-written C-API code (prepared once, bound, stepped, reset), in one process.
//
//   sqlite_bench --db memory|file [--dir DIR] [--case B1,...] [--side ctorm|raw] [--quick] [--json FILE]
//
// Both sides open their connection with SQLITE_OPEN_NOMUTEX, as ctorm does
// (Debian's SQLite is built serialized; without the flag every bind and
// column call takes a mutex). Each side has its own database with the same
// rows, so neither warms the other's page cache.
#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <ctorm/sqlite.hpp>

#include "bench_schema.hpp"
#include "harness.hpp"

namespace {

using bench::people;
using bench::people_insert;
using bench::Person;

// --- the raw side: what a careful C-API programmer writes ---------------------

[[noreturn]] void fail(sqlite3* db, const char* what) {
    throw std::runtime_error(std::string("raw sqlite: ") + what + ": " + sqlite3_errmsg(db));
}

// The same text ctorm renders, so both sides ask SQLite for the same work.
constexpr const char* create_sql =
    "CREATE TABLE IF NOT EXISTS \"people\" (\"id\" INTEGER PRIMARY KEY, \"name\" TEXT NOT NULL, \"email\" TEXT "
    "NOT NULL, \"age\" INTEGER NOT NULL, \"score\" REAL NOT NULL) STRICT; CREATE INDEX IF NOT EXISTS "
    "\"ix_people_age\" ON \"people\" (\"age\");"
    "CREATE TABLE IF NOT EXISTS \"people_insert\" (\"id\" INTEGER PRIMARY KEY, \"name\" TEXT NOT NULL, \"email\" "
    "TEXT NOT NULL, \"age\" INTEGER NOT NULL, \"score\" REAL NOT NULL) STRICT; CREATE INDEX IF NOT EXISTS "
    "\"ix_people_insert_age\" ON \"people_insert\" (\"age\")";
constexpr const char* insert_sql =
    "INSERT INTO \"people_insert\" (\"name\", \"email\", \"age\", \"score\") VALUES (?, ?, ?, ?)";
constexpr const char* by_id_sql =
    "SELECT \"people\".\"id\", \"people\".\"name\", \"people\".\"email\", \"people\".\"age\", \"people\".\"score\" "
    "FROM \"people\" WHERE \"people\".\"id\" = ?";
constexpr const char* scan_sql =
    "SELECT \"people\".\"id\", \"people\".\"name\", \"people\".\"email\", \"people\".\"age\", \"people\".\"score\" "
    "FROM \"people\"";
constexpr const char* by_age_sql =
    "SELECT \"people\".\"id\", \"people\".\"name\", \"people\".\"email\", \"people\".\"age\", \"people\".\"score\" "
    "FROM \"people\" WHERE \"people\".\"age\" = ?";

class raw_database {
public:
    explicit raw_database(const std::string& path, bool wal) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                            nullptr) != SQLITE_OK)
            fail(db_, "open");
        if (wal) exec("PRAGMA journal_mode = wal");
    }
    raw_database(const raw_database&) = delete;
    raw_database& operator=(const raw_database&) = delete;
    ~raw_database() {
        for (sqlite3_stmt* s : {insert_, by_id_, scan_, by_age_}) sqlite3_finalize(s);
        sqlite3_close_v2(db_);
    }

    sqlite3* handle() const { return db_; }

    void exec(const char* sql) {
        if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(db_, sql);
    }

    // Statements are prepared on first use and kept, as ctorm's cache does.
    sqlite3_stmt* statement(sqlite3_stmt*& slot, const char* sql) {
        if (!slot && sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot, nullptr) != SQLITE_OK)
            fail(db_, sql);
        return slot;
    }

    void bind_person(sqlite3_stmt* s, const Person& p) {
        if (sqlite3_bind_text(s, 1, p.name.data(), static_cast<int>(p.name.size()), SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(s, 2, p.email.data(), static_cast<int>(p.email.size()), SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(s, 3, p.age) != SQLITE_OK || sqlite3_bind_double(s, 4, p.score) != SQLITE_OK)
            fail(db_, "bind");
    }

    // The columns are NOT NULL, so no sqlite3_column_type check is needed.
    static void read_person(sqlite3_stmt* s, Person& p) {
        p.id = sqlite3_column_int64(s, 0);
        p.name.assign(reinterpret_cast<const char*>(sqlite3_column_text(s, 1)),
                      static_cast<std::size_t>(sqlite3_column_bytes(s, 1)));
        p.email.assign(reinterpret_cast<const char*>(sqlite3_column_text(s, 2)),
                       static_cast<std::size_t>(sqlite3_column_bytes(s, 2)));
        p.age = sqlite3_column_int(s, 3);
        p.score = sqlite3_column_double(s, 4);
    }

    // B1 and B5: every row in one transaction.
    std::uint64_t insert_rows(const std::vector<Person>& rows) {
        sqlite3_stmt* s = statement(insert_, insert_sql);
        exec("BEGIN");
        for (const Person& p : rows) {
            bind_person(s, p);
            if (sqlite3_step(s) != SQLITE_DONE) fail(db_, "insert");
            sqlite3_reset(s);
        }
        exec("COMMIT");
        return rows.size();
    }

    Person by_id(std::int64_t id) {
        sqlite3_stmt* s = statement(by_id_, by_id_sql);
        if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK) fail(db_, "bind");
        Person p;
        const int rc = sqlite3_step(s);
        if (rc != SQLITE_ROW) {
            sqlite3_reset(s);
            fail(db_, rc == SQLITE_DONE ? "no row" : "step");
        }
        read_person(s, p);
        sqlite3_reset(s);
        return p;
    }

    std::vector<Person> read_all(sqlite3_stmt* s) {
        std::vector<Person> rows;
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) read_person(s, rows.emplace_back());
        sqlite3_reset(s);
        if (rc != SQLITE_DONE) fail(db_, "step");
        return rows;
    }
    std::vector<Person> scan() { return read_all(statement(scan_, scan_sql)); }
    std::vector<Person> by_age(std::int32_t age) {
        sqlite3_stmt* s = statement(by_age_, by_age_sql);
        if (sqlite3_bind_int(s, 1, age) != SQLITE_OK) fail(db_, "bind");
        return read_all(s);
    }

private:
    sqlite3* db_ = nullptr;
    sqlite3_stmt* insert_ = nullptr;
    sqlite3_stmt* by_id_ = nullptr;
    sqlite3_stmt* scan_ = nullptr;
    sqlite3_stmt* by_age_ = nullptr;
};

// --- setup shared by both sides (untimed) -----------------------------------------

std::int64_t count_rows(sqlite3* db, const char* table) {
    const std::string sql = std::string("SELECT count(*) FROM \"") + table + "\"";
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) fail(db, "count");
    std::int64_t n = -1;
    if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

void empty_insert_table(sqlite3* db, bool wal) {
    if (sqlite3_exec(db, "DELETE FROM \"people_insert\"", nullptr, nullptr, nullptr) != SQLITE_OK) fail(db, "delete");
    if (wal && sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr) != SQLITE_OK)
        fail(db, "checkpoint");
}

std::uint64_t digest_all(const std::vector<Person>& rows) {
    std::uint64_t h = rows.size();
    for (const Person& p : rows) h += bench::digest(p);
    return h;
}

constexpr const char* backend_help =
    "  --db memory|file   :memory: databases, or files in --dir with journal_mode=wal (default memory)\n"
    "  --dir DIR          where --db file puts its databases (default .)\n";

int run(int argc, char** argv) {
    bench::options o = bench::parse_options(argc, argv, "--db", backend_help);
    if (o.backend.empty()) o.backend = "memory";
    if (o.backend != "memory" && o.backend != "file")
        bench::usage(argv[0], "--db must be memory or file", backend_help);
    const bool wal = o.backend == "file";
    const std::string backend = wal ? "sqlite-file-wal" : "sqlite-memory";
    const bool with_ctorm = bench::wanted(o.sides, "ctorm");
    const bool with_raw = bench::wanted(o.sides, "raw");

    std::cout << "ctorm SQLite benchmark: SQLite " << sqlite3_libversion() << " (threadsafe=" << sqlite3_threadsafe()
              << "), " << backend << ", rows " << o.rows << ", lookups " << o.lookups << ", queries " << o.queries
              << ", " << o.reps << " timed reps after " << o.warmup << " warm-up, median reported\n"
              << "both sides open their connection with SQLITE_OPEN_NOMUTEX; each side has its own database\n";

    auto path_for = [&](const char* name) {
        if (!wal) return std::string(":memory:");
        const std::string path = o.dir + "/" + name;
        for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
        return path;
    };

    // ctorm's side: the ordinary API, nothing prepared by hand.
    std::unique_ptr<ctorm::sqlite::connection> db;
    std::unique_ptr<raw_database> raw;
    const std::vector<Person> rows = bench::make_people(o.rows);
    if (with_ctorm) {
        ctorm::sqlite::open_options options;
        if (wal) options.journal_mode = "wal";
        db = std::make_unique<ctorm::sqlite::connection>(path_for("bench-ctorm.db"), options);
        db->create_all(people, people_insert);
        db->execute(ctorm::insert(people).values(rows));
    }
    if (with_raw) {
        raw = std::make_unique<raw_database>(path_for("bench-raw.db"), wal);
        raw->exec(create_sql);
        // The read table.
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(raw->handle(),
                               "INSERT INTO \"people\" (\"name\", \"email\", \"age\", \"score\") VALUES (?, ?, ?, ?)",
                               -1, &s, nullptr) != SQLITE_OK)
            fail(raw->handle(), "prepare");
        raw->exec("BEGIN");
        for (const Person& p : rows) {
            raw->bind_person(s, p);
            if (sqlite3_step(s) != SQLITE_DONE) fail(raw->handle(), "fill");
            sqlite3_reset(s);
        }
        raw->exec("COMMIT");
        sqlite3_finalize(s);
    }

    std::vector<bench::case_result> results;
    // A case that writes people_insert empties it before each run and counts
    // its rows after (both untimed).
    auto add = [&](const std::string& id, const std::string& title, auto ctorm_side, auto raw_side,
                   bool writes = false) {
        if (!bench::wanted(o.cases, id)) return;
        std::vector<bench::side> sides;
        auto make = [&](const char* name, sqlite3* h, std::function<std::uint64_t()> body) {
            bench::side s{name, {}, std::move(body), {}};
            if (writes) {
                s.before = [h, wal] { empty_insert_table(h, wal); };
                s.after = [h](std::uint64_t) { return static_cast<std::uint64_t>(count_rows(h, "people_insert")); };
            }
            sides.push_back(std::move(s));
        };
        if (with_ctorm) make("ctorm", db->native_handle(), ctorm_side);
        if (with_raw) make("raw", raw->handle(), raw_side);
        results.push_back(bench::measure(id, title, backend, std::move(sides), o));
        std::cout << "." << std::flush;
    };

    // B1: one insert statement per row, in one transaction.
    add(
        "B1", "insert " + std::to_string(rows.size()) + " rows, one transaction",
        [&] {
            auto tx = db->begin();
            for (const Person& p : rows) db->execute(ctorm::insert(people_insert).values(p));
            tx.commit();
            return std::uint64_t{0};
        },
        [&] { return raw->insert_rows(rows); }, true);

    // B2: point selects by primary key, each into a model.
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
        [&] {
            std::uint64_t h = 0;
            for (std::size_t i = 0; i < o.lookups; ++i) {
                const Person p = raw->by_id(static_cast<std::int64_t>(i % o.rows + 1));
                h += bench::digest(p);
            }
            return h;
        });

    // B3: every row into a vector of models.
    add(
        "B3", "full scan of " + std::to_string(o.rows) + " rows into a vector",
        [&] { return digest_all(db->all(ctorm::select(people))); }, [&] { return digest_all(raw->scan()); });

    // B4: an indexed column, about 100 rows per query.
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
        [&] {
            std::uint64_t h = 0;
            for (std::size_t q = 0; q < o.queries; ++q)
                h += digest_all(raw->by_age(static_cast<std::int32_t>(q % static_cast<std::size_t>(ages))));
            return h;
        });

    // B5: ctorm's fastest bulk route, insert(t).values(vector) (one prepared
    // statement, row by row, in one transaction) against raw row-by-row.
    add(
        "B5", "bulk insert of " + std::to_string(rows.size()) + " rows",
        [&] {
            return static_cast<std::uint64_t>(db->execute(ctorm::insert(people_insert).values(rows)).rows_affected);
        },
        [&] { return raw->insert_rows(rows); }, true);

    std::cout << "\n";
    return bench::report(results, o, std::cout) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "sqlite_bench: " << e.what() << "\n";
        return 1;
    }
}
