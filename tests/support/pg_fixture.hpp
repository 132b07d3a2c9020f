// The PostgreSQL server of a test run, a database of each test executable's
// own, a clean schema for each fresh connection, and the backend type through
// which the behavioural suite runs on PostgreSQL.
#pragma once

#include <catch2/catch.hpp>

#include <libpq-fe.h>

#include <ctorm/postgres.hpp>

#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "support/blog_schema.hpp"

namespace ctorm_test {

// The server every postgres test uses: $CTORM_TEST_PG_URL when set, otherwise
// the URL that the CTest fixture (scripts/pg_cluster start) wrote to the file
// named by CTORM_TEST_PG_URL_FILE. Throws when there is none, so that a test
// without a server fails, loudly, instead of being skipped.
inline std::string postgres_server_url() {
    if (const char* url = std::getenv("CTORM_TEST_PG_URL"); url && *url) return url;
#ifdef CTORM_TEST_PG_URL_FILE
    const std::string file = CTORM_TEST_PG_URL_FILE;
#else
    const std::string file;
#endif
    std::string url;
    if (!file.empty()) {
        std::ifstream in(file);
        std::getline(in, url);
    }
    while (!url.empty() && (url.back() == '\n' || url.back() == '\r' || url.back() == ' ')) url.pop_back();
    if (url.empty()) {
        throw std::runtime_error(
            "ctorm tests: no PostgreSQL server to test against: CTORM_TEST_PG_URL is not set and " +
            (file.empty() ? std::string("no URL file was compiled in")
                          : "the URL file " + file + " does not exist or is empty") +
            ". Run the tests through ctest, whose fixture test postgres.server.start starts a throwaway server "
            "(see its output if it failed), or start one with scripts/pg_cluster start <dir>, or set "
            "CTORM_TEST_PG_URL=postgresql://user@host:port/db.");
    }
    return url;
}

// `url` with its database replaced by `database`: a postgresql:// URL gets a
// new path, a libpq keyword string a trailing dbname= (the last one wins).
inline std::string with_database(const std::string& url, const std::string& database) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) return url + " dbname=" + database;
    const auto authority = scheme + 3;
    const auto query = url.find('?', authority);
    const auto path = url.find('/', authority);
    std::string out;
    if (path == std::string::npos || (query != std::string::npos && path > query)) {
        out = url.substr(0, query == std::string::npos ? url.size() : query) + "/" + database;
    } else {
        out = url.substr(0, path + 1) + database;
    }
    if (query != std::string::npos) out += url.substr(query);
    return out;
}

// The name of this executable's database. CMake compiles in a name made of the
// test file's name and a hash of the build directory, so that test files (and
// builds sharing one server) never share a database.
inline std::string postgres_test_database() {
#ifdef CTORM_TEST_PG_DATABASE
    return CTORM_TEST_PG_DATABASE;
#else
    return "ctorm_test_default";
#endif
}

// A connection to the server's own database, which the fixture created.
inline ctorm::postgres::connection postgres_server_connection() {
    return ctorm::postgres::connect(postgres_server_url());
}

// The URL of this executable's database, created on first use.
inline const std::string& postgres_database_url() {
    static const std::string url = [] {
        const std::string name = postgres_test_database();
        auto admin = postgres_server_connection();
        try {
            admin.execute_script("CREATE DATABASE \"" + name + "\"");
        } catch (const ctorm::database_error& e) {
            if (e.sqlstate() != "42P04") throw;  // duplicate_database: left by an earlier run, reused
        }
        return with_database(postgres_server_url(), name);
    }();
    return url;
}

// The URL of a second database of this executable's whose default collation
// is ICU's `icu_locale` ("en-US"), created on first use: text ordering under a
// locale that is not C. PostgreSQL 15's ICU provider needs no locale of the
// operating system's (LC_CTYPE stays C.UTF-8).
inline std::string postgres_icu_database_url(std::string_view icu_locale) {
    std::string name = postgres_test_database() + "_icu_";
    for (char c : icu_locale) name += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ? c : '_';
    auto admin = postgres_server_connection();
    try {
        admin.execute_script("CREATE DATABASE \"" + name + "\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '" +
                             std::string(icu_locale) + "' LOCALE 'C.UTF-8'");
    } catch (const ctorm::database_error& e) {
        if (e.sqlstate() != "42P04") throw;  // left by an earlier run, reused
    }
    return with_database(postgres_server_url(), name);
}

// The schema a tag's connections work in: each tag is a separate "database",
// as each tag is a separate file for SQLite.
inline std::string postgres_schema_name(std::string_view tag) {
    std::string name = "ctorm_test";
    if (!tag.empty()) name += '_';
    for (char c : tag) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        name += alnum ? c : (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : '_';
        if (name.size() >= 60) break;
    }
    return name;
}

// A connection to this executable's database working in `schema`.
inline ctorm::postgres::connection postgres_connect_in(const std::string& schema) {
    auto db = ctorm::postgres::connect(postgres_database_url());
    db.execute_script("SET search_path TO \"" + schema + "\"");
    return db;
}

// An empty schema of the tag's own (dropped with everything in it, then made
// again), and a connection working in it.
inline ctorm::postgres::connection postgres_empty_db(std::string_view tag = {}) {
    const std::string schema = postgres_schema_name(tag);
    auto db = ctorm::postgres::connect(postgres_database_url());
    db.execute_script("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE; CREATE SCHEMA \"" + schema +
                      "\"; SET search_path TO \"" + schema + "\"");
    return db;
}

// The same, holding the blog schema (users, posts, post_tags, everything), empty.
inline ctorm::postgres::connection postgres_fresh_db(std::string_view tag = {}) {
    auto db = postgres_empty_db(tag);
    db.create_all(blog::users, blog::posts, blog::post_tags, blog::everything);
    return db;
}

// The text of the single value `sql` returns (the first column of the first
// row; std::nullopt for NULL or no row), read with libpq itself: for checks of
// server state that ctorm has no statement for (SHOW, catalogs, casts to text).
inline std::optional<std::string> postgres_query_value(const ctorm::postgres::connection& db, const std::string& sql) {
    struct result_deleter {
        void operator()(PGresult* r) const noexcept { PQclear(r); }
    };
    const std::unique_ptr<PGresult, result_deleter> r(PQexec(db.native_handle(), sql.c_str()));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK)
        throw std::runtime_error("ctorm tests: " + sql + ": " + PQerrorMessage(db.native_handle()));
    if (PQntuples(r.get()) < 1 || PQnfields(r.get()) < 1 || PQgetisnull(r.get(), 0, 0)) return std::nullopt;
    return std::string(PQgetvalue(r.get(), 0, 0), static_cast<std::size_t>(PQgetlength(r.get(), 0, 0)));
}

// The same, for a value that must be there.
inline std::string postgres_query_text(const ctorm::postgres::connection& db, const std::string& sql) {
    auto value = postgres_query_value(db, sql);
    if (!value) throw std::runtime_error("ctorm tests: " + sql + " returned no value");
    return *value;
}

// The schema a connection works in (its search_path's first entry).
inline std::string postgres_current_schema(const ctorm::postgres::connection& db) {
    return postgres_query_text(db, "SELECT current_schema()");
}

// One connection parameter of the test server's URL as libpq reads it
// ("host", "port", "user", "dbname", ...), or "" when the URL does not set it.
inline std::string postgres_server_parameter(std::string_view keyword) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(postgres_server_url().c_str(), &error);
    if (!options) {
        const std::string problem = error ? error : "cannot parse";
        PQfreemem(error);
        throw std::runtime_error("ctorm tests: the server URL does not parse: " + problem);
    }
    std::string value;
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (o->val && keyword == o->keyword) value = o->val;
    }
    PQconninfoFree(options);
    return value;
}

// The backend type of the behavioural suite (see sqlite_fixture.hpp).
struct postgresql {
    using connection_type = ctorm::postgres::connection;
    using dialect = ctorm::postgres_dialect;
    static constexpr std::string_view kind = ctorm::postgres_dialect::name;
    static constexpr bool shares_data = true;
    static connection_type fresh(std::string_view tag = {}) { return postgres_fresh_db(tag); }
    static connection_type reconnect(const connection_type& db) {
        return postgres_connect_in(postgres_current_schema(db));
    }
};

}  // namespace ctorm_test
