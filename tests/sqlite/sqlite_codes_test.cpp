// Checks the SQLite result codes spelled out in errors.hpp against sqlite3.h.
#include <ctorm/errors.hpp>
#include <ctorm/sqlite/errors.hpp>

#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <cstddef>
#include <exception>
#include <iterator>
#include <string_view>
#include <typeinfo>

namespace {

struct macro_code {
    std::string_view name;
    int code;
};

#define CTORM_SQLITE_CODE(name) \
    macro_code { #name, name }

// Every result code sqlite3.h (3.40) defines, so that a wrong value or a wrong
// name in errors.hpp's table is caught, not only a wrong constant.
constexpr macro_code sqlite_macros[] = {
    CTORM_SQLITE_CODE(SQLITE_OK),
    CTORM_SQLITE_CODE(SQLITE_ERROR),
    CTORM_SQLITE_CODE(SQLITE_INTERNAL),
    CTORM_SQLITE_CODE(SQLITE_PERM),
    CTORM_SQLITE_CODE(SQLITE_ABORT),
    CTORM_SQLITE_CODE(SQLITE_BUSY),
    CTORM_SQLITE_CODE(SQLITE_LOCKED),
    CTORM_SQLITE_CODE(SQLITE_NOMEM),
    CTORM_SQLITE_CODE(SQLITE_READONLY),
    CTORM_SQLITE_CODE(SQLITE_INTERRUPT),
    CTORM_SQLITE_CODE(SQLITE_IOERR),
    CTORM_SQLITE_CODE(SQLITE_CORRUPT),
    CTORM_SQLITE_CODE(SQLITE_NOTFOUND),
    CTORM_SQLITE_CODE(SQLITE_FULL),
    CTORM_SQLITE_CODE(SQLITE_CANTOPEN),
    CTORM_SQLITE_CODE(SQLITE_PROTOCOL),
    CTORM_SQLITE_CODE(SQLITE_EMPTY),
    CTORM_SQLITE_CODE(SQLITE_SCHEMA),
    CTORM_SQLITE_CODE(SQLITE_TOOBIG),
    CTORM_SQLITE_CODE(SQLITE_CONSTRAINT),
    CTORM_SQLITE_CODE(SQLITE_MISMATCH),
    CTORM_SQLITE_CODE(SQLITE_MISUSE),
    CTORM_SQLITE_CODE(SQLITE_NOLFS),
    CTORM_SQLITE_CODE(SQLITE_AUTH),
    CTORM_SQLITE_CODE(SQLITE_FORMAT),
    CTORM_SQLITE_CODE(SQLITE_RANGE),
    CTORM_SQLITE_CODE(SQLITE_NOTADB),
    CTORM_SQLITE_CODE(SQLITE_NOTICE),
    CTORM_SQLITE_CODE(SQLITE_WARNING),
    CTORM_SQLITE_CODE(SQLITE_ROW),
    CTORM_SQLITE_CODE(SQLITE_DONE),
    CTORM_SQLITE_CODE(SQLITE_ERROR_MISSING_COLLSEQ),
    CTORM_SQLITE_CODE(SQLITE_ERROR_RETRY),
    CTORM_SQLITE_CODE(SQLITE_ERROR_SNAPSHOT),
    CTORM_SQLITE_CODE(SQLITE_IOERR_READ),
    CTORM_SQLITE_CODE(SQLITE_IOERR_SHORT_READ),
    CTORM_SQLITE_CODE(SQLITE_IOERR_WRITE),
    CTORM_SQLITE_CODE(SQLITE_IOERR_FSYNC),
    CTORM_SQLITE_CODE(SQLITE_IOERR_DIR_FSYNC),
    CTORM_SQLITE_CODE(SQLITE_IOERR_TRUNCATE),
    CTORM_SQLITE_CODE(SQLITE_IOERR_FSTAT),
    CTORM_SQLITE_CODE(SQLITE_IOERR_UNLOCK),
    CTORM_SQLITE_CODE(SQLITE_IOERR_RDLOCK),
    CTORM_SQLITE_CODE(SQLITE_IOERR_DELETE),
    CTORM_SQLITE_CODE(SQLITE_IOERR_BLOCKED),
    CTORM_SQLITE_CODE(SQLITE_IOERR_NOMEM),
    CTORM_SQLITE_CODE(SQLITE_IOERR_ACCESS),
    CTORM_SQLITE_CODE(SQLITE_IOERR_CHECKRESERVEDLOCK),
    CTORM_SQLITE_CODE(SQLITE_IOERR_LOCK),
    CTORM_SQLITE_CODE(SQLITE_IOERR_CLOSE),
    CTORM_SQLITE_CODE(SQLITE_IOERR_DIR_CLOSE),
    CTORM_SQLITE_CODE(SQLITE_IOERR_SHMOPEN),
    CTORM_SQLITE_CODE(SQLITE_IOERR_SHMSIZE),
    CTORM_SQLITE_CODE(SQLITE_IOERR_SHMLOCK),
    CTORM_SQLITE_CODE(SQLITE_IOERR_SHMMAP),
    CTORM_SQLITE_CODE(SQLITE_IOERR_SEEK),
    CTORM_SQLITE_CODE(SQLITE_IOERR_DELETE_NOENT),
    CTORM_SQLITE_CODE(SQLITE_IOERR_MMAP),
    CTORM_SQLITE_CODE(SQLITE_IOERR_GETTEMPPATH),
    CTORM_SQLITE_CODE(SQLITE_IOERR_CONVPATH),
    CTORM_SQLITE_CODE(SQLITE_IOERR_VNODE),
    CTORM_SQLITE_CODE(SQLITE_IOERR_AUTH),
    CTORM_SQLITE_CODE(SQLITE_IOERR_BEGIN_ATOMIC),
    CTORM_SQLITE_CODE(SQLITE_IOERR_COMMIT_ATOMIC),
    CTORM_SQLITE_CODE(SQLITE_IOERR_ROLLBACK_ATOMIC),
    CTORM_SQLITE_CODE(SQLITE_IOERR_DATA),
    CTORM_SQLITE_CODE(SQLITE_IOERR_CORRUPTFS),
    CTORM_SQLITE_CODE(SQLITE_LOCKED_SHAREDCACHE),
    CTORM_SQLITE_CODE(SQLITE_LOCKED_VTAB),
    CTORM_SQLITE_CODE(SQLITE_BUSY_RECOVERY),
    CTORM_SQLITE_CODE(SQLITE_BUSY_SNAPSHOT),
    CTORM_SQLITE_CODE(SQLITE_BUSY_TIMEOUT),
    CTORM_SQLITE_CODE(SQLITE_CANTOPEN_NOTEMPDIR),
    CTORM_SQLITE_CODE(SQLITE_CANTOPEN_ISDIR),
    CTORM_SQLITE_CODE(SQLITE_CANTOPEN_FULLPATH),
    CTORM_SQLITE_CODE(SQLITE_CANTOPEN_CONVPATH),
    CTORM_SQLITE_CODE(SQLITE_CANTOPEN_SYMLINK),
    CTORM_SQLITE_CODE(SQLITE_CORRUPT_VTAB),
    CTORM_SQLITE_CODE(SQLITE_CORRUPT_SEQUENCE),
    CTORM_SQLITE_CODE(SQLITE_CORRUPT_INDEX),
    CTORM_SQLITE_CODE(SQLITE_READONLY_RECOVERY),
    CTORM_SQLITE_CODE(SQLITE_READONLY_CANTLOCK),
    CTORM_SQLITE_CODE(SQLITE_READONLY_ROLLBACK),
    CTORM_SQLITE_CODE(SQLITE_READONLY_DBMOVED),
    CTORM_SQLITE_CODE(SQLITE_READONLY_CANTINIT),
    CTORM_SQLITE_CODE(SQLITE_READONLY_DIRECTORY),
    CTORM_SQLITE_CODE(SQLITE_ABORT_ROLLBACK),
    CTORM_SQLITE_CODE(SQLITE_CONSTRAINT_CHECK),
    CTORM_SQLITE_CODE(SQLITE_CONSTRAINT_COMMITHOOK),
    CTORM_SQLITE_CODE(SQLITE_CONSTRAINT_FOREIGNKEY),
    CTORM_SQLITE_CODE(SQLITE_CONSTRAINT_FUNCTION),
    CTORM_SQLITE_CODE(SQLITE_CONSTRAINT_NOTNULL),
    CTORM_SQLITE_CODE(SQLITE_CONSTRAINT_PRIMARYKEY),
    CTORM_SQLITE_CODE(SQLITE_CONSTRAINT_TRIGGER),
    CTORM_SQLITE_CODE(SQLITE_CONSTRAINT_UNIQUE),
    CTORM_SQLITE_CODE(SQLITE_CONSTRAINT_VTAB),
    CTORM_SQLITE_CODE(SQLITE_CONSTRAINT_ROWID),
    CTORM_SQLITE_CODE(SQLITE_CONSTRAINT_PINNED),
    CTORM_SQLITE_CODE(SQLITE_CONSTRAINT_DATATYPE),
    CTORM_SQLITE_CODE(SQLITE_NOTICE_RECOVER_WAL),
    CTORM_SQLITE_CODE(SQLITE_NOTICE_RECOVER_ROLLBACK),
    CTORM_SQLITE_CODE(SQLITE_WARNING_AUTOINDEX),
    CTORM_SQLITE_CODE(SQLITE_AUTH_USER),
};

#undef CTORM_SQLITE_CODE

}  // namespace

TEST_CASE("each named SQLite constant in errors.hpp equals sqlite3.h's macro", "[sqlite][errors]") {
    namespace c = ctorm::detail::sqlite_codes;
    STATIC_REQUIRE(c::ok == SQLITE_OK);
    STATIC_REQUIRE(c::error == SQLITE_ERROR);
    STATIC_REQUIRE(c::internal == SQLITE_INTERNAL);
    STATIC_REQUIRE(c::perm == SQLITE_PERM);
    STATIC_REQUIRE(c::abort == SQLITE_ABORT);
    STATIC_REQUIRE(c::busy == SQLITE_BUSY);
    STATIC_REQUIRE(c::locked == SQLITE_LOCKED);
    STATIC_REQUIRE(c::nomem == SQLITE_NOMEM);
    STATIC_REQUIRE(c::readonly == SQLITE_READONLY);
    STATIC_REQUIRE(c::interrupt == SQLITE_INTERRUPT);
    STATIC_REQUIRE(c::ioerr == SQLITE_IOERR);
    STATIC_REQUIRE(c::corrupt == SQLITE_CORRUPT);
    STATIC_REQUIRE(c::notfound == SQLITE_NOTFOUND);
    STATIC_REQUIRE(c::full == SQLITE_FULL);
    STATIC_REQUIRE(c::cantopen == SQLITE_CANTOPEN);
    STATIC_REQUIRE(c::protocol == SQLITE_PROTOCOL);
    STATIC_REQUIRE(c::empty == SQLITE_EMPTY);
    STATIC_REQUIRE(c::schema == SQLITE_SCHEMA);
    STATIC_REQUIRE(c::toobig == SQLITE_TOOBIG);
    STATIC_REQUIRE(c::constraint == SQLITE_CONSTRAINT);
    STATIC_REQUIRE(c::mismatch == SQLITE_MISMATCH);
    STATIC_REQUIRE(c::misuse == SQLITE_MISUSE);
    STATIC_REQUIRE(c::nolfs == SQLITE_NOLFS);
    STATIC_REQUIRE(c::auth == SQLITE_AUTH);
    STATIC_REQUIRE(c::format == SQLITE_FORMAT);
    STATIC_REQUIRE(c::range == SQLITE_RANGE);
    STATIC_REQUIRE(c::notadb == SQLITE_NOTADB);
    STATIC_REQUIRE(c::notice == SQLITE_NOTICE);
    STATIC_REQUIRE(c::warning == SQLITE_WARNING);
    STATIC_REQUIRE(c::row == SQLITE_ROW);
    STATIC_REQUIRE(c::done == SQLITE_DONE);
    STATIC_REQUIRE(c::error_missing_collseq == SQLITE_ERROR_MISSING_COLLSEQ);
    STATIC_REQUIRE(c::error_retry == SQLITE_ERROR_RETRY);
    STATIC_REQUIRE(c::error_snapshot == SQLITE_ERROR_SNAPSHOT);
    STATIC_REQUIRE(c::ioerr_read == SQLITE_IOERR_READ);
    STATIC_REQUIRE(c::ioerr_short_read == SQLITE_IOERR_SHORT_READ);
    STATIC_REQUIRE(c::ioerr_write == SQLITE_IOERR_WRITE);
    STATIC_REQUIRE(c::ioerr_fsync == SQLITE_IOERR_FSYNC);
    STATIC_REQUIRE(c::ioerr_dir_fsync == SQLITE_IOERR_DIR_FSYNC);
    STATIC_REQUIRE(c::ioerr_truncate == SQLITE_IOERR_TRUNCATE);
    STATIC_REQUIRE(c::ioerr_fstat == SQLITE_IOERR_FSTAT);
    STATIC_REQUIRE(c::ioerr_unlock == SQLITE_IOERR_UNLOCK);
    STATIC_REQUIRE(c::ioerr_rdlock == SQLITE_IOERR_RDLOCK);
    STATIC_REQUIRE(c::ioerr_delete == SQLITE_IOERR_DELETE);
    STATIC_REQUIRE(c::ioerr_blocked == SQLITE_IOERR_BLOCKED);
    STATIC_REQUIRE(c::ioerr_nomem == SQLITE_IOERR_NOMEM);
    STATIC_REQUIRE(c::ioerr_access == SQLITE_IOERR_ACCESS);
    STATIC_REQUIRE(c::ioerr_checkreservedlock == SQLITE_IOERR_CHECKRESERVEDLOCK);
    STATIC_REQUIRE(c::ioerr_lock == SQLITE_IOERR_LOCK);
    STATIC_REQUIRE(c::ioerr_close == SQLITE_IOERR_CLOSE);
    STATIC_REQUIRE(c::ioerr_dir_close == SQLITE_IOERR_DIR_CLOSE);
    STATIC_REQUIRE(c::ioerr_shmopen == SQLITE_IOERR_SHMOPEN);
    STATIC_REQUIRE(c::ioerr_shmsize == SQLITE_IOERR_SHMSIZE);
    STATIC_REQUIRE(c::ioerr_shmlock == SQLITE_IOERR_SHMLOCK);
    STATIC_REQUIRE(c::ioerr_shmmap == SQLITE_IOERR_SHMMAP);
    STATIC_REQUIRE(c::ioerr_seek == SQLITE_IOERR_SEEK);
    STATIC_REQUIRE(c::ioerr_delete_noent == SQLITE_IOERR_DELETE_NOENT);
    STATIC_REQUIRE(c::ioerr_mmap == SQLITE_IOERR_MMAP);
    STATIC_REQUIRE(c::ioerr_gettemppath == SQLITE_IOERR_GETTEMPPATH);
    STATIC_REQUIRE(c::ioerr_convpath == SQLITE_IOERR_CONVPATH);
    STATIC_REQUIRE(c::ioerr_vnode == SQLITE_IOERR_VNODE);
    STATIC_REQUIRE(c::ioerr_auth == SQLITE_IOERR_AUTH);
    STATIC_REQUIRE(c::ioerr_begin_atomic == SQLITE_IOERR_BEGIN_ATOMIC);
    STATIC_REQUIRE(c::ioerr_commit_atomic == SQLITE_IOERR_COMMIT_ATOMIC);
    STATIC_REQUIRE(c::ioerr_rollback_atomic == SQLITE_IOERR_ROLLBACK_ATOMIC);
    STATIC_REQUIRE(c::ioerr_data == SQLITE_IOERR_DATA);
    STATIC_REQUIRE(c::ioerr_corruptfs == SQLITE_IOERR_CORRUPTFS);
    STATIC_REQUIRE(c::locked_sharedcache == SQLITE_LOCKED_SHAREDCACHE);
    STATIC_REQUIRE(c::locked_vtab == SQLITE_LOCKED_VTAB);
    STATIC_REQUIRE(c::busy_recovery == SQLITE_BUSY_RECOVERY);
    STATIC_REQUIRE(c::busy_snapshot == SQLITE_BUSY_SNAPSHOT);
    STATIC_REQUIRE(c::busy_timeout == SQLITE_BUSY_TIMEOUT);
    STATIC_REQUIRE(c::cantopen_notempdir == SQLITE_CANTOPEN_NOTEMPDIR);
    STATIC_REQUIRE(c::cantopen_isdir == SQLITE_CANTOPEN_ISDIR);
    STATIC_REQUIRE(c::cantopen_fullpath == SQLITE_CANTOPEN_FULLPATH);
    STATIC_REQUIRE(c::cantopen_convpath == SQLITE_CANTOPEN_CONVPATH);
    STATIC_REQUIRE(c::cantopen_symlink == SQLITE_CANTOPEN_SYMLINK);
    STATIC_REQUIRE(c::corrupt_vtab == SQLITE_CORRUPT_VTAB);
    STATIC_REQUIRE(c::corrupt_sequence == SQLITE_CORRUPT_SEQUENCE);
    STATIC_REQUIRE(c::corrupt_index == SQLITE_CORRUPT_INDEX);
    STATIC_REQUIRE(c::readonly_recovery == SQLITE_READONLY_RECOVERY);
    STATIC_REQUIRE(c::readonly_cantlock == SQLITE_READONLY_CANTLOCK);
    STATIC_REQUIRE(c::readonly_rollback == SQLITE_READONLY_ROLLBACK);
    STATIC_REQUIRE(c::readonly_dbmoved == SQLITE_READONLY_DBMOVED);
    STATIC_REQUIRE(c::readonly_cantinit == SQLITE_READONLY_CANTINIT);
    STATIC_REQUIRE(c::readonly_directory == SQLITE_READONLY_DIRECTORY);
    STATIC_REQUIRE(c::abort_rollback == SQLITE_ABORT_ROLLBACK);
    STATIC_REQUIRE(c::constraint_check == SQLITE_CONSTRAINT_CHECK);
    STATIC_REQUIRE(c::constraint_commithook == SQLITE_CONSTRAINT_COMMITHOOK);
    STATIC_REQUIRE(c::constraint_foreignkey == SQLITE_CONSTRAINT_FOREIGNKEY);
    STATIC_REQUIRE(c::constraint_function == SQLITE_CONSTRAINT_FUNCTION);
    STATIC_REQUIRE(c::constraint_notnull == SQLITE_CONSTRAINT_NOTNULL);
    STATIC_REQUIRE(c::constraint_primarykey == SQLITE_CONSTRAINT_PRIMARYKEY);
    STATIC_REQUIRE(c::constraint_trigger == SQLITE_CONSTRAINT_TRIGGER);
    STATIC_REQUIRE(c::constraint_unique == SQLITE_CONSTRAINT_UNIQUE);
    STATIC_REQUIRE(c::constraint_vtab == SQLITE_CONSTRAINT_VTAB);
    STATIC_REQUIRE(c::constraint_rowid == SQLITE_CONSTRAINT_ROWID);
    STATIC_REQUIRE(c::constraint_pinned == SQLITE_CONSTRAINT_PINNED);
    STATIC_REQUIRE(c::constraint_datatype == SQLITE_CONSTRAINT_DATATYPE);
    STATIC_REQUIRE(c::notice_recover_wal == SQLITE_NOTICE_RECOVER_WAL);
    STATIC_REQUIRE(c::notice_recover_rollback == SQLITE_NOTICE_RECOVER_ROLLBACK);
    STATIC_REQUIRE(c::warning_autoindex == SQLITE_WARNING_AUTOINDEX);
    STATIC_REQUIRE(c::auth_user == SQLITE_AUTH_USER);
}

TEST_CASE("errors.hpp's code-to-name table agrees with sqlite3.h", "[sqlite][errors]") {
    const auto& table = ctorm::detail::sqlite_codes::names;
    // The table and the macro list above cover the same codes, one for one.
    CHECK(std::size(table) == std::size(sqlite_macros));
    for (const auto& entry : table) {
        CAPTURE(entry.name, entry.code);
        bool found = false;
        for (const auto& macro : sqlite_macros) {
            if (macro.name == entry.name) {
                found = true;
                CHECK(macro.code == entry.code);
            }
        }
        CHECK(found);
    }
}

namespace {

// Runs sql, which must fail, and checks that throw_sqlite_error turns SQLite's
// own code and message into exactly Expected.
template <class Expected>
void check_failure(sqlite3* db, const char* sql, int expected_code, std::string_view expected_constraint) {
    CAPTURE(sql);
    REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK);
    try {
        ctorm::throw_sqlite_error(sqlite3_extended_errcode(db), sqlite3_errmsg(db), sql);
    } catch (const Expected& e) {
        CHECK(typeid(e) == typeid(Expected));
        CHECK(e.code() == expected_code);
        CHECK(e.message() == sqlite3_errmsg(db));
        CHECK(e.sql() == sql);
        CHECK(e.constraint() == expected_constraint);
        return;
    } catch (const std::exception& e) {
        FAIL("threw " << typeid(e).name() << ": " << e.what());
    }
}

}  // namespace

TEST_CASE("classification agrees with what a real SQLite database reports", "[sqlite][errors]") {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
    sqlite3_extended_result_codes(db, 1);
    REQUIRE(sqlite3_exec(db,
                         "PRAGMA foreign_keys = ON;"
                         "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE,"
                         " age INTEGER CONSTRAINT age_positive CHECK (age > 0));"
                         "CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES users(id));"
                         "INSERT INTO users (id, email, age) VALUES (1, 'ann@x.io', 30);",
                         nullptr, nullptr, nullptr) == SQLITE_OK);

    check_failure<ctorm::unique_violation>(db, "INSERT INTO users (email, age) VALUES ('ann@x.io', 1)",
                                           SQLITE_CONSTRAINT_UNIQUE, "users.email");
    check_failure<ctorm::unique_violation>(db, "INSERT INTO users (id, email, age) VALUES (1, 'bob@x.io', 1)",
                                           SQLITE_CONSTRAINT_PRIMARYKEY, "users.id");
    check_failure<ctorm::not_null_violation>(db, "INSERT INTO users (email, age) VALUES (NULL, 1)",
                                             SQLITE_CONSTRAINT_NOTNULL, "users.email");
    check_failure<ctorm::check_violation>(db, "INSERT INTO users (email, age) VALUES ('c@x.io', -1)",
                                          SQLITE_CONSTRAINT_CHECK, "age_positive");
    check_failure<ctorm::foreign_key_violation>(db, "INSERT INTO posts (author_id) VALUES (99)",
                                                SQLITE_CONSTRAINT_FOREIGNKEY, "");
    check_failure<ctorm::integrity_error>(db, "INSERT INTO users (id, email) VALUES ('abc', 'd@x.io')", SQLITE_MISMATCH,
                                          "");
    check_failure<ctorm::programming_error>(db, "SELECT * FROM nowhere", SQLITE_ERROR, "");
    check_failure<ctorm::programming_error>(db, "SELEC 1", SQLITE_ERROR, "");

    try {
        ctorm::throw_sqlite_error(SQLITE_ERROR, "no such table: nowhere", "SELECT * FROM nowhere");
    } catch (const ctorm::programming_error& e) {
        CHECK(std::string_view(e.what()) ==
              "ctorm: no such table: nowhere [sqlite code 1 SQLITE_ERROR] in: SELECT * FROM nowhere");
    }
    sqlite3_close(db);
}
