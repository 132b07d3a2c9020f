// Fresh SQLite databases for behavioural tests, and the backend types through
// which one TEMPLATE_TEST_CASE body runs on :memory:, on a file and, in builds
// that define CTORM_TEST_WITH_POSTGRES, on PostgreSQL (support/pg_fixture.hpp).
#pragma once

#include <catch2/catch.hpp>

#include <ctorm/sqlite.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <system_error>

#include "support/blog_schema.hpp"

namespace ctorm_test {

enum class storage { memory, file };

// Deletes a SQLite database file and the journal / WAL files that go with it.
inline void remove_database_files(const std::string& path) {
    std::error_code ignored;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
        std::filesystem::remove(path + suffix, ignored);
    }
}

// A file name in the working directory that belongs to the running test case
// (and to `tag`, when one test needs several files): test cases of one
// executable share the scratch directory, so names must not collide.
inline std::string database_file_name(std::string_view tag = {}) {
    const std::string test = Catch::getResultCapture().getCurrentTestName();
    std::string name;
    for (char c : test) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (alnum) {
            name += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        } else if (!name.empty() && name.back() != '_') {
            name += '_';
        }
        if (name.size() >= 60) break;
    }
    // Names that differ only in punctuation, or after 60 characters, still differ here.
    constexpr char hex[] = "0123456789abcdef";
    auto hash = static_cast<std::uint32_t>(std::hash<std::string>{}(test));
    name += '_';
    for (int i = 0; i < 8; ++i, hash >>= 4) name += hex[hash & 0xFu];
    if (!tag.empty()) {
        name += '_';
        name += tag;
    }
    return name + ".db";
}

// An empty database: in memory, or a new file (any old one deleted first).
inline ctorm::sqlite::connection empty_db(storage kind, std::string_view tag = {}) {
    if (kind == storage::memory) return ctorm::sqlite::connection(":memory:");
    const std::string path = database_file_name(tag);
    remove_database_files(path);
    return ctorm::sqlite::connection(path);
}

// A database holding the blog schema (users, posts, post_tags, everything), empty.
inline ctorm::sqlite::connection fresh_db(storage kind, std::string_view tag = {}) {
    auto db = empty_db(kind, tag);
    db.create_all(blog::users, blog::posts, blog::post_tags, blog::everything);
    return db;
}

// --- backends -------------------------------------------------------------------
//
// A backend type is what a TEMPLATE_TEST_CASE body is written against:
//   connection_type       the adapter's connection (execute, all, first, one,
//                         one_or_none, scalar, create_all, drop_all, begin, ...)
//   dialect               the dialect its SQL text is rendered for
//   kind                  the backend's name ("sqlite", "postgresql"), for the few checks that differ
//   shares_data           whether another connection sees this one's committed data
//   fresh(tag)            a connection to an empty blog database of its own
//   reconnect(db)         (shares_data only) a second connection to db's database
// ctorm_test::postgresql (support/pg_fixture.hpp) has the same members; it
// joins CTORM_TEST_BACKENDS / CTORM_TEST_SHARED_BACKENDS below when the build
// defines CTORM_TEST_WITH_POSTGRES (CMake does for tests/behaviour; meson's
// SQLite-only build does not).

struct sqlite_memory {
    using connection_type = ctorm::sqlite::connection;
    using dialect = ctorm::sqlite_dialect;
    static constexpr std::string_view kind = ctorm::sqlite_dialect::name;
    static constexpr bool shares_data = false;
    static connection_type fresh(std::string_view tag = {}) { return fresh_db(storage::memory, tag); }
};

struct sqlite_file {
    using connection_type = ctorm::sqlite::connection;
    using dialect = ctorm::sqlite_dialect;
    static constexpr std::string_view kind = ctorm::sqlite_dialect::name;
    static constexpr bool shares_data = true;
    static connection_type fresh(std::string_view tag = {}) { return fresh_db(storage::file, tag); }
    static connection_type reconnect(const connection_type& db) { return connection_type(db.path()); }
};

// --- values -----------------------------------------------------------------------

inline ctorm::timestamp at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0, int us = 0) {
    using namespace std::chrono;
    return ctorm::timestamp{sys_days{year{y} / month{mo} / day{d}}} + hours{h} + minutes{mi} + seconds{s} +
           microseconds{us};
}

inline ctorm::date on(int y, unsigned mo, unsigned d) {
    using namespace std::chrono;
    return sys_days{year{y} / month{mo} / day{d}};
}

inline ctorm::blob bytes(std::initializer_list<int> values) {
    ctorm::blob out;
    for (int v : values) out.push_back(static_cast<std::byte>(v));
    return out;
}

}  // namespace ctorm_test

#ifdef CTORM_TEST_WITH_POSTGRES
#include "support/pg_fixture.hpp"
// Every backend the behavioural suite runs on. Catch2 names each case
// "<name> - <backend type>"; CTest registers the ctorm_test::postgresql ones
// under the label postgres, the others under sqlite.
#define CTORM_TEST_BACKENDS ctorm_test::sqlite_memory, ctorm_test::sqlite_file, ctorm_test::postgresql
// The backends on which a second connection sees committed data (transactions).
#define CTORM_TEST_SHARED_BACKENDS ctorm_test::sqlite_file, ctorm_test::postgresql
#else
#define CTORM_TEST_BACKENDS ctorm_test::sqlite_memory, ctorm_test::sqlite_file
#define CTORM_TEST_SHARED_BACKENDS ctorm_test::sqlite_file
#endif
