// Placeholder that exercises the SQLite test build rules; delete once real SQLite tests exist.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <filesystem>

TEST_CASE("placeholder: a real SQLite file in the scratch directory", "[placeholder]") {
    REQUIRE_FALSE(std::filesystem::exists("placeholder.db"));
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open("placeholder.db", &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "CREATE TABLE t (x INTEGER)", nullptr, nullptr, nullptr) == SQLITE_OK);
    CHECK(sqlite3_close(db) == SQLITE_OK);
    CHECK(std::filesystem::exists("placeholder.db"));
}
