// SQLite under faults, on real files (issue 13's fault list): a disk that is
// full inside and outside a transaction, a read-only file, a missing file
// opened without create, a second writer holding the lock, a process killed
// with SIGKILL in the middle of a transaction (rollback journal and WAL), and a
// corrupted file. Each fault ends in the library's error class naming what went
// wrong, nothing half-written (rows are counted), and a connection that works.
#include "support/sqlite_fixture.hpp"

#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace blog;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

using connection = ctorm::sqlite::connection;

std::int64_t post_count(connection& db) { return db.scalar(select(ctorm::count()).from(posts)); }

User user(const std::string& email) { return User{.email = email, .name = "someone"}; }

Post post(std::string title, std::int64_t author, std::size_t size = 5) {
    return Post{.title = std::move(title),
                .content = std::string(size, 'x'),
                .author_id = author,
                .views = 0,
                .published_at = std::nullopt};
}

// The text of a PRAGMA's first value, through the raw handle: ctorm has no
// statement for integrity_check.
std::string pragma(const connection& db, const std::string& name) {
    sqlite3_stmt* s = nullptr;
    const std::string sql = "PRAGMA " + name;
    REQUIRE(sqlite3_prepare_v2(db.native_handle(), sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(s, 0);
        out = text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(s);
    return out;
}

// The operational_error (exactly that class) that f throws; a failure otherwise.
template <class Expected, class F>
Expected error_of(F f) {
    try {
        f();
    } catch (const Expected& e) {
        CHECK(typeid(e) == typeid(Expected));
        return e;
    } catch (const std::exception& e) {
        FAIL("threw another error: " << e.what());
    }
    FAIL("nothing was thrown");
    throw std::logic_error("unreachable");
}

// A new file with the blog schema and one user; returns that user's id.
std::int64_t make_file(const std::string& name, const std::string& options = {}) {
    ctorm_test::remove_database_files(name);
    auto db = ctorm::sqlite::connect("sqlite:///" + name + options);
    db.create_all(users, posts, post_tags, everything);
    return db.scalar(insert(users).values(user("ann@example.com")).returning(users.id));
}

}  // namespace

TEST_CASE("disk full inside a transaction: operational_error SQLITE_FULL, nothing of it committed, the file intact") {
    const std::string name = ctorm_test::database_file_name();
    const std::int64_t author = make_file(name);
    {
        connection db(name);
        db.execute_script("PRAGMA max_page_count = 1");  // the file cannot grow past its size now
        {
            auto tx = db.begin();
            db.execute(insert(posts).values(post("small", author)));
            const auto e = error_of<ctorm::operational_error>(
                [&] { db.execute(insert(posts).values(post("huge", author, 200'000))); });
            CHECK((e.code() & 0xFF) == SQLITE_FULL);
            CHECK_THAT(e.what(), Catch::Contains("database or disk is full"));
            CHECK_THROWS_AS(tx.commit(), ctorm::transaction_error);
        }
        CHECK(post_count(db) == 0);
        db.execute(insert(posts).values(post("after", author)));  // a small one still fits
        CHECK(post_count(db) == 1);
    }
    connection reopened(name);
    CHECK(pragma(reopened, "integrity_check") == "ok");
    CHECK(post_count(reopened) == 1);
}

TEST_CASE("disk full outside a transaction: a single insert and a bulk insert leave nothing") {
    const std::string name = ctorm_test::database_file_name();
    const std::int64_t author = make_file(name);
    connection db(name);
    db.execute_script("PRAGMA max_page_count = 1");
    const auto single =
        error_of<ctorm::operational_error>([&] { db.execute(insert(posts).values(post("huge", author, 200'000))); });
    CHECK((single.code() & 0xFF) == SQLITE_FULL);
    std::vector<Post> rows{post("a", author), post("huge", author, 200'000), post("b", author)};
    const auto bulk = error_of<ctorm::operational_error>([&] { db.execute(insert(posts).values(rows)); });
    CHECK((bulk.code() & 0xFF) == SQLITE_FULL);
    CHECK_THAT(bulk.what(), Catch::Contains("row 1 of the bulk insert"));
    CHECK_FALSE(db.in_transaction());
    CHECK(post_count(db) == 0);
    db.execute(insert(posts).values(post("after", author)));
    CHECK(post_count(db) == 1);
    CHECK(pragma(db, "integrity_check") == "ok");
}

TEST_CASE("a read-only file: writes fail with SQLITE_READONLY, reads work, nothing changes") {
    const std::string name = ctorm_test::database_file_name();
    make_file(name);
    // Tests may run as root, whom chmod does not stop: the read-only open
    // mode (mode=ro) is what makes the file read-only for this connection.
    auto ro = ctorm::sqlite::connect("sqlite:///" + name + "?mode=ro");
    CHECK(user_count(ro) == 1);
    const auto e = error_of<ctorm::operational_error>([&] { ro.execute(insert(users).values(user("bob@x.io"))); });
    CHECK((e.code() & 0xFF) == SQLITE_READONLY);
    CHECK_THAT(e.what(), Catch::Contains("readonly database"));
    {
        auto tx = ro.begin();
        CHECK(user_count(ro) == 1);
        CHECK_THROWS_AS(ro.execute(insert(users).values(user("cy@x.io"))), ctorm::operational_error);
        CHECK(user_count(ro) == 1);
    }
    CHECK(user_count(ro) == 1);
    connection writer(name);
    CHECK(user_count(writer) == 1);
    writer.execute(insert(users).values(user("dee@x.io")));
    CHECK(user_count(ro) == 2);  // the read-only connection sees what others commit
}

TEST_CASE("a missing file opened without create: SQLITE_CANTOPEN naming the path, and no file made") {
    const std::string name = ctorm_test::database_file_name();
    ctorm_test::remove_database_files(name);
    const auto e =
        error_of<ctorm::operational_error>([&] { (void)ctorm::sqlite::connect("sqlite:///" + name + "?mode=rw"); });
    CHECK((e.code() & 0xFF) == SQLITE_CANTOPEN);
    CHECK_THAT(e.what(), Catch::Contains(name) && Catch::Contains("cannot open"));
    CHECK_FALSE(fs::exists(name));
    ctorm::sqlite::open_options existing_only;
    existing_only.create = false;
    CHECK_THROWS_AS(connection(name, existing_only), ctorm::operational_error);
    CHECK_THROWS_AS(ctorm::sqlite::connect("sqlite:///" + name + "?mode=ro"), ctorm::operational_error);
    CHECK_FALSE(fs::exists(name));
    make_file(name);
    auto now = ctorm::sqlite::connect("sqlite:///" + name + "?mode=rw");
    CHECK(user_count(now) == 1);
}

TEST_CASE("a second writer holding the lock: busy_error after the busy timeout, nothing half-written") {
    const std::string name = ctorm_test::database_file_name();
    const std::int64_t author = make_file(name);
    auto holder = ctorm::sqlite::connect("sqlite:///" + name);
    auto waiter = ctorm::sqlite::connect("sqlite:///" + name + "?busy_timeout=100");
    SECTION("BEGIN IMMEDIATE: readers go on, writers wait and give up") {
        auto tx = holder.begin(ctorm::sqlite::transaction_mode::immediate);
        holder.execute(insert(posts).values(post("held", author)));
        const auto started = std::chrono::steady_clock::now();
        const auto e =
            error_of<ctorm::busy_error>([&] { waiter.execute(insert(posts).values(post("waiting", author))); });
        const auto waited = std::chrono::steady_clock::now() - started;
        CHECK((e.code() & 0xFF) == SQLITE_BUSY);
        CHECK_THAT(e.what(), Catch::Contains("database is locked"));
        CHECK(waited >= 90ms);  // it did wait for its busy timeout
        CHECK(waited < 3s);
        std::vector<Post> rows{post("a", author), post("b", author)};
        CHECK_THROWS_AS(waiter.execute(insert(posts).values(rows)), ctorm::busy_error);
        CHECK_THROWS_AS(waiter.begin(ctorm::sqlite::transaction_mode::immediate), ctorm::busy_error);
        CHECK_FALSE(waiter.in_transaction());
        CHECK(post_count(waiter) == 0);  // the holder's row is not committed
        tx.commit();
    }
    SECTION("BEGIN EXCLUSIVE: readers are refused too") {
        auto tx = holder.begin(ctorm::sqlite::transaction_mode::exclusive);
        holder.execute(insert(posts).values(post("held", author)));
        const auto e = error_of<ctorm::busy_error>([&] { (void)post_count(waiter); });
        CHECK((e.code() & 0xFF) == SQLITE_BUSY);
        tx.commit();
    }
    // The lock released, the waiter writes, and each row is there once.
    waiter.execute(insert(posts).values(post("waited", author)));
    CHECK(post_count(waiter) == 2);
    CHECK(post_count(holder) == 2);
}

namespace {

// Forks a child that opens `name`, begins, inserts `rows` posts (spilling them
// to the file: a tiny page cache), tells the parent through a pipe and waits;
// the parent kills it with SIGKILL. The child never returns into Catch2.
void kill_writer_mid_transaction(const std::string& url, std::int64_t author, int rows) {
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(ready[0]);
        try {
            auto db = ctorm::sqlite::connect(url);
            db.execute_script("PRAGMA cache_size = 2");  // dirty pages reach the file before the commit
            auto tx = db.begin();
            std::vector<Post> batch;
            for (int i = 0; i < rows; ++i) batch.push_back(post("killed " + std::to_string(i), author, 200));
            db.execute(insert(posts).values(batch));
            const char byte = 'r';
            if (::write(ready[1], &byte, 1) != 1) ::_exit(2);
            for (;;) ::pause();
        } catch (...) {
            ::_exit(1);  // the parent sees the pipe close without a byte
        }
    }
    ::close(ready[1]);
    pollfd p{ready[0], POLLIN, 0};
    const bool signalled = ::poll(&p, 1, 20'000) == 1;
    char byte = 0;
    const bool got = signalled && ::read(ready[0], &byte, 1) == 1;
    ::close(ready[0]);
    ::kill(child, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(got);  // the child reached the middle of its transaction
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
}

}  // namespace

TEST_CASE("SIGKILL of a process mid-transaction: the file passes integrity_check and holds none of it") {
    for (const std::string mode : {"delete", "wal"}) {
        CAPTURE(mode);
        const std::string name = ctorm_test::database_file_name(mode);
        const std::string url = "sqlite:///" + name + "?journal_mode=" + mode;
        const std::int64_t author = make_file(name, "?journal_mode=" + mode);
        {
            auto db = ctorm::sqlite::connect(url);
            db.execute(insert(posts).values(post("committed", author)));
        }
        kill_writer_mid_transaction(url, author, 3000);
        // What the killed process left: a hot journal, or WAL frames never committed.
        CHECK(fs::exists(name + (mode == "wal" ? "-wal" : "-journal")));
        auto reopened = ctorm::sqlite::connect(url);
        CHECK(pragma(reopened, "integrity_check") == "ok");
        CHECK(post_count(reopened) == 1);
        CHECK(user_count(reopened) == 1);
        reopened.execute(insert(posts).values(post("after", author)));
        CHECK(post_count(reopened) == 2);
    }
}

namespace {

// Writes `size` bytes of 0xA5 over `name` from `offset`.
void overwrite(const std::string& name, std::streamoff offset, std::size_t size) {
    std::fstream f(name, std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(f);
    f.seekp(offset);
    const std::string garbage(size, static_cast<char>(0xA5));
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    REQUIRE(f);
}

}  // namespace

TEST_CASE("a corrupted file: a clear operational_error, no crash") {
    const std::string name = ctorm_test::database_file_name();
    const std::int64_t author = make_file(name);
    std::int64_t page_size = 0;
    {
        connection db(name);
        std::vector<Post> rows;
        for (int i = 0; i < 200; ++i) rows.push_back(post("p" + std::to_string(i), author, 100));
        db.execute(insert(posts).values(rows));
        page_size = std::stoll(pragma(db, "page_size"));
    }
    REQUIRE_FALSE(fs::exists(name + "-journal"));
    SECTION("garbage over the header: SQLITE_NOTADB") {
        overwrite(name, 0, 100);
        const auto e = error_of<ctorm::operational_error>([&] {
            connection db(name);  // SQLite reads the header lazily: the open or the first query fails
            (void)user_count(db);
        });
        CHECK((e.code() & 0xFF) == SQLITE_NOTADB);
        CHECK_THAT(e.what(), Catch::Contains("file is not a database"));
    }
    SECTION("garbage over the pages after the schema: SQLITE_CORRUPT") {
        const auto size = fs::file_size(name);
        overwrite(name, page_size, static_cast<std::size_t>(size) - static_cast<std::size_t>(page_size));
        connection db(name);  // the schema page is intact: it opens
        const auto e = error_of<ctorm::operational_error>([&] { (void)post_count(db); });
        CHECK((e.code() & 0xFF) == SQLITE_CORRUPT);
        CHECK_THAT(e.what(), Catch::Contains("malformed"));
        CHECK(pragma(db, "quick_check") != "ok");
    }
}
