// Unit tests for errors.hpp, engine/url.hpp and detail/chrono_text.hpp.
#include <ctorm/detail/chrono_text.hpp>
#include <ctorm/engine/url.hpp>
#include <ctorm/errors.hpp>
#include <ctorm/postgres/errors.hpp>
#include <ctorm/sqlite/errors.hpp>

#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace {

using namespace std::chrono;
using namespace std::string_view_literals;

// Catch's REQUIRE_THROWS_AS also passes for a subclass; classification tests
// need the exact class.
template <class Expected, class F>
Expected catch_exactly(F&& throwing) {
    try {
        throwing();
    } catch (const Expected& e) {
        CHECK(typeid(e) == typeid(Expected));
        return e;
    } catch (const std::exception& e) {
        FAIL("threw " << typeid(e).name() << ": " << e.what());
    }
    FAIL("did not throw");
    throw;  // unreachable: FAIL aborts the test case
}

ctorm::url_error url_error_for(std::string_view text) {
    try {
        (void)ctorm::parse_url(text);
    } catch (const ctorm::url_error& e) {
        return e;
    }
    FAIL("parse_url accepted " << text);
    throw;
}

using ctorm_test::contains;

ctorm::timestamp at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0, int us = 0) {
    return ctorm::timestamp{sys_days{year{y} / month{mo} / day{d}}} + hours{h} + minutes{mi} + seconds{s} +
           microseconds{us};
}

std::string format(ctorm::timestamp t) {
    char buffer[ctorm::detail::timestamp_text_size];
    return std::string(buffer, ctorm::detail::format_timestamp(t, buffer));
}

std::string format(ctorm::date d) {
    char buffer[ctorm::detail::date_text_size];
    return std::string(buffer, ctorm::detail::format_date(d, buffer));
}

std::optional<ctorm::timestamp> parse(std::string_view text) {
    ctorm::timestamp t{};
    if (!ctorm::detail::parse_timestamp(text, t)) return std::nullopt;
    return t;
}

std::optional<ctorm::date> parse_day(std::string_view text) {
    ctorm::date d{};
    if (!ctorm::detail::parse_date(text, d)) return std::nullopt;
    return d;
}

}  // namespace

// ---------------------------------------------------------------- errors

TEST_CASE("sqlite extended codes pick the exception class", "[unit][errors]") {
    namespace codes = ctorm::detail::sqlite_codes;
    const auto sql = "INSERT INTO \"users\" (\"email\") VALUES (?)"sv;

    auto unique = catch_exactly<ctorm::unique_violation>(
        [&] { ctorm::throw_sqlite_error(codes::constraint_unique, "UNIQUE constraint failed: users.email", sql); });
    CHECK(unique.backend() == "sqlite");
    CHECK(unique.code() == 2067);
    CHECK(unique.sqlstate().empty());
    CHECK(unique.message() == "UNIQUE constraint failed: users.email");
    CHECK(unique.sql() == sql);
    CHECK(unique.constraint() == "users.email");
    CHECK(std::string(unique.what()) ==
          "ctorm: UNIQUE constraint failed: users.email [sqlite code 2067 SQLITE_CONSTRAINT_UNIQUE] in: "
          "INSERT INTO \"users\" (\"email\") VALUES (?)");

    auto primary = catch_exactly<ctorm::unique_violation>(
        [&] { ctorm::throw_sqlite_error(codes::constraint_primarykey, "UNIQUE constraint failed: users.id", sql); });
    CHECK(primary.constraint() == "users.id");
    CHECK(contains(primary.what(), "SQLITE_CONSTRAINT_PRIMARYKEY"));

    auto two_columns = catch_exactly<ctorm::unique_violation>(
        [&] { ctorm::throw_sqlite_error(codes::constraint_unique, "UNIQUE constraint failed: t.a, t.b", sql); });
    CHECK(two_columns.constraint() == "t.a, t.b");

    catch_exactly<ctorm::unique_violation>(
        [&] { ctorm::throw_sqlite_error(codes::constraint_rowid, "rowid not unique", sql); });
    auto foreign = catch_exactly<ctorm::foreign_key_violation>(
        [&] { ctorm::throw_sqlite_error(codes::constraint_foreignkey, "FOREIGN KEY constraint failed", sql); });
    CHECK(foreign.constraint().empty());
    auto not_null = catch_exactly<ctorm::not_null_violation>(
        [&] { ctorm::throw_sqlite_error(codes::constraint_notnull, "NOT NULL constraint failed: users.name", sql); });
    CHECK(not_null.constraint() == "users.name");
    auto check = catch_exactly<ctorm::check_violation>(
        [&] { ctorm::throw_sqlite_error(codes::constraint_check, "CHECK constraint failed: price_positive", sql); });
    CHECK(check.constraint() == "price_positive");

    catch_exactly<ctorm::integrity_error>(
        [&] { ctorm::throw_sqlite_error(codes::constraint_trigger, "constraint failed", sql); });
    catch_exactly<ctorm::integrity_error>(
        [&] { ctorm::throw_sqlite_error(codes::constraint, "constraint failed", sql); });
    catch_exactly<ctorm::integrity_error>([&] {
        ctorm::throw_sqlite_error(codes::constraint_datatype, "cannot store TEXT value in INTEGER column t.x", sql);
    });
    catch_exactly<ctorm::integrity_error>(
        [&] { ctorm::throw_sqlite_error(codes::mismatch, "datatype mismatch", sql); });

    for (int code : {codes::busy, codes::busy_snapshot, codes::busy_timeout, codes::busy_recovery, codes::locked,
                     codes::locked_sharedcache}) {
        CAPTURE(code);
        catch_exactly<ctorm::busy_error>([&] { ctorm::throw_sqlite_error(code, "database is locked", sql); });
    }
    for (int code : {codes::cantopen, codes::cantopen_isdir, codes::ioerr, codes::ioerr_write, codes::ioerr_fsync,
                     codes::full, codes::notadb, codes::corrupt, codes::corrupt_index, codes::readonly,
                     codes::readonly_dbmoved, codes::interrupt, codes::perm}) {
        CAPTURE(code);
        catch_exactly<ctorm::operational_error>([&] { ctorm::throw_sqlite_error(code, "disk I/O error", sql); });
    }
    for (int code : {codes::error, codes::error_missing_collseq, codes::misuse, codes::range}) {
        CAPTURE(code);
        catch_exactly<ctorm::programming_error>([&] { ctorm::throw_sqlite_error(code, "no such table: users", sql); });
    }
    for (int code : {codes::internal, codes::nomem, codes::toobig, codes::schema, codes::auth}) {
        CAPTURE(code);
        auto e = catch_exactly<ctorm::database_error>([&] { ctorm::throw_sqlite_error(code, "something", sql); });
        CHECK(e.code() == code);
    }
}

TEST_CASE("sqlite error text names the code and stays on one line", "[unit][errors]") {
    namespace codes = ctorm::detail::sqlite_codes;
    auto e = catch_exactly<ctorm::programming_error>(
        [] { ctorm::throw_sqlite_error(codes::error, "no such table: users", "SELECT *\nFROM users\n"); });
    CHECK(std::string(e.what()) == "ctorm: no such table: users [sqlite code 1 SQLITE_ERROR] in: SELECT * FROM users");
    CHECK(e.sql() == "SELECT *\nFROM users\n");  // sql() keeps the text exactly
    CHECK(e.constraint().empty());

    auto without_sql = catch_exactly<ctorm::operational_error>(
        [] { ctorm::throw_sqlite_error(codes::cantopen, "unable to open database file", ""); });
    CHECK(std::string(without_sql.what()) == "ctorm: unable to open database file [sqlite code 14 SQLITE_CANTOPEN]");

    // An extended code newer than the table still names its family.
    auto newer = catch_exactly<ctorm::operational_error>(
        [] { ctorm::throw_sqlite_error(codes::ioerr | (60 << 8), "disk I/O error", ""); });
    CHECK(contains(newer.what(), "[sqlite code 15370 SQLITE_IOERR (extended)]"));

    auto unknown = catch_exactly<ctorm::database_error>([] { ctorm::throw_sqlite_error(250, "odd", ""); });
    CHECK(std::string(unknown.what()) == "ctorm: odd [sqlite code 250]");

    const std::string huge_sql = "INSERT INTO t VALUES " + std::string(5000, '?');
    auto big = catch_exactly<ctorm::integrity_error>(
        [&] { ctorm::throw_sqlite_error(codes::constraint, "constraint failed", huge_sql); });
    CHECK(big.sql() == huge_sql);
    CHECK(std::string_view(big.what()).size() < 1100);
    CHECK(std::string_view(big.what()).substr(std::string_view(big.what()).size() - 4) == " ...");
}

TEST_CASE("every sqlite code in the name table is distinct", "[unit][errors]") {
    const auto& names = ctorm::detail::sqlite_codes::names;
    int duplicates = 0;
    for (std::size_t i = 0; i < std::size(names); ++i) {
        for (std::size_t j = i + 1; j < std::size(names); ++j) {
            if (names[i].code == names[j].code || names[i].name == names[j].name) {
                UNSCOPED_INFO(names[i].name << " and " << names[j].name);
                ++duplicates;
            }
        }
    }
    CHECK(duplicates == 0);
    CHECK(ctorm::detail::sqlite_code_name(2067) == "SQLITE_CONSTRAINT_UNIQUE");
    CHECK(ctorm::detail::sqlite_code_name(5) == "SQLITE_BUSY");
}

TEST_CASE("postgres SQLSTATEs pick the exception class", "[unit][errors]") {
    const auto sql = "INSERT INTO \"users\" (\"email\") VALUES ($1)"sv;
    auto unique = catch_exactly<ctorm::unique_violation>([&] {
        ctorm::throw_postgres_error("23505", "duplicate key value violates unique constraint \"users_email_key\"", sql,
                                    "users_email_key");
    });
    CHECK(unique.backend() == "postgresql");
    CHECK(unique.code() == 0);
    CHECK(unique.sqlstate() == "23505");
    CHECK(unique.constraint() == "users_email_key");
    CHECK(unique.sql() == sql);
    CHECK(std::string(unique.what()) ==
          "ctorm: duplicate key value violates unique constraint \"users_email_key\" [postgres SQLSTATE 23505 "
          "unique_violation] in: INSERT INTO \"users\" (\"email\") VALUES ($1)");

    auto throws = [&](std::string_view state) {
        return [state, sql] { ctorm::throw_postgres_error(state, "message", sql, ""); };
    };
    catch_exactly<ctorm::foreign_key_violation>(throws("23503"));
    catch_exactly<ctorm::not_null_violation>(throws("23502"));
    catch_exactly<ctorm::check_violation>(throws("23514"));
    catch_exactly<ctorm::integrity_error>(throws("23P01"));
    catch_exactly<ctorm::integrity_error>(throws("23000"));
    catch_exactly<ctorm::integrity_error>(throws("23001"));
    catch_exactly<ctorm::serialization_failure>(throws("40001"));
    catch_exactly<ctorm::deadlock_detected>(throws("40P01"));
    catch_exactly<ctorm::operational_error>(throws("40000"));
    catch_exactly<ctorm::connection_error>(throws("08006"));
    catch_exactly<ctorm::connection_error>(throws("08001"));
    catch_exactly<ctorm::connection_error>(throws("08P01"));
    catch_exactly<ctorm::connection_error>(throws("57P01"));
    catch_exactly<ctorm::connection_error>(throws("25P03"));
    catch_exactly<ctorm::programming_error>(throws("42P01"));
    catch_exactly<ctorm::programming_error>(throws("42601"));
    catch_exactly<ctorm::programming_error>(throws("42703"));
    catch_exactly<ctorm::programming_error>(throws("3D000"));
    catch_exactly<ctorm::programming_error>(throws("0A000"));
    catch_exactly<ctorm::operational_error>(throws("57014"));
    catch_exactly<ctorm::operational_error>(throws("53100"));
    catch_exactly<ctorm::operational_error>(throws("58030"));
    catch_exactly<ctorm::busy_error>(throws("55P03"));
    catch_exactly<ctorm::data_error>(throws("22P02"));
    catch_exactly<ctorm::data_error>(throws("22012"));
    catch_exactly<ctorm::database_error>(throws("XX000"));
    catch_exactly<ctorm::database_error>(throws(""));
    catch_exactly<ctorm::database_error>(throws("2350"));

    auto canceled = catch_exactly<ctorm::operational_error>(
        [] { ctorm::throw_postgres_error("57014", "canceling statement due to statement timeout", "", ""); });
    CHECK(std::string(canceled.what()) ==
          "ctorm: canceling statement due to statement timeout [postgres SQLSTATE 57014 query_canceled]");
    auto unnamed = catch_exactly<ctorm::data_error>(
        [] { ctorm::throw_postgres_error("22P05", "untranslatable character", "", ""); });
    CHECK(std::string(unnamed.what()) == "ctorm: untranslatable character [postgres SQLSTATE 22P05]");
}

TEST_CASE("the hierarchy lets one catch clause cover a family", "[unit][errors]") {
    STATIC_REQUIRE(std::is_base_of_v<std::runtime_error, ctorm::error>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::error, ctorm::database_error>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::integrity_error, ctorm::unique_violation>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::integrity_error, ctorm::foreign_key_violation>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::integrity_error, ctorm::not_null_violation>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::integrity_error, ctorm::check_violation>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::database_error, ctorm::integrity_error>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::operational_error, ctorm::busy_error>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::operational_error, ctorm::connection_error>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::operational_error, ctorm::serialization_failure>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::operational_error, ctorm::deadlock_detected>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::database_error, ctorm::operational_error>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::database_error, ctorm::programming_error>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::error, ctorm::url_error>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::error, ctorm::decode_error>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::error, ctorm::no_result_found>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::error, ctorm::multiple_results_found>);
    STATIC_REQUIRE(std::is_base_of_v<ctorm::error, ctorm::transaction_error>);
    STATIC_REQUIRE_FALSE(std::is_base_of_v<ctorm::database_error, ctorm::decode_error>);
    // Copying an exception while unwinding must not throw.
    STATIC_REQUIRE(std::is_nothrow_copy_constructible_v<ctorm::unique_violation>);
    STATIC_REQUIRE(std::is_nothrow_copy_constructible_v<ctorm::decode_error>);
    STATIC_REQUIRE(std::is_nothrow_copy_constructible_v<ctorm::url_error>);

    try {
        ctorm::throw_sqlite_error(ctorm::detail::sqlite_codes::constraint_unique, "UNIQUE constraint failed: t.a", "");
    } catch (const ctorm::integrity_error& e) {
        CHECK(e.constraint() == "t.a");
    }
}

TEST_CASE("database_error can be built directly by an adapter", "[unit][errors]") {
    // Every field named: g++ 12's -Wmissing-field-initializers flags omitted trailing ones.
    const ctorm::connection_error e({.backend = "postgresql",
                                     .code = 0,
                                     .sqlstate = "08006",
                                     .message = "server closed the connection unexpectedly\n\tThis probably means",
                                     .sql = "",
                                     .constraint = "",
                                     .code_text = ctorm::detail::postgres_code_text("08006")});
    CHECK(std::string(e.what()) ==
          "ctorm: server closed the connection unexpectedly  This probably means "
          "[postgres SQLSTATE 08006 connection_failure]");
    CHECK(e.message() == "server closed the connection unexpectedly\n\tThis probably means");
    const ctorm::database_error copy = e;
    CHECK(copy.sqlstate() == "08006");
}

TEST_CASE("non-database errors say what went wrong", "[unit][errors]") {
    const ctorm::decode_error decode("users", "email", "NULL read into non-optional std::string");
    CHECK(std::string(decode.what()) == "ctorm: users.email: NULL read into non-optional std::string");
    CHECK(decode.table() == "users");
    CHECK(decode.column() == "email");
    CHECK(decode.description() == "NULL read into non-optional std::string");
    CHECK(std::string(ctorm::decode_error("", "post_count", "expected INTEGER, got TEXT").what()) ==
          "ctorm: post_count: expected INTEGER, got TEXT");
    CHECK(std::string(ctorm::decode_error("users", "", "row has 3 columns, User needs 4").what()) ==
          "ctorm: users: row has 3 columns, User needs 4");

    CHECK(std::string(ctorm::no_result_found().what()) == "ctorm: no row was found when one was required");
    CHECK(std::string(ctorm::no_result_found("SELECT 1").what()) ==
          "ctorm: no row was found when one was required in: SELECT 1");
    CHECK(std::string(ctorm::multiple_results_found("SELECT 1").what()) ==
          "ctorm: multiple rows were found when at most one was required in: SELECT 1");
    CHECK(std::string(ctorm::transaction_error("commit() called on a transaction that already ended").what()) ==
          "ctorm: commit() called on a transaction that already ended");
}

// ---------------------------------------------------------------- URLs

TEST_CASE("sqlite URLs in SQLAlchemy's forms", "[unit][url]") {
    auto relative = ctorm::parse_url("sqlite:///relative.db");
    CHECK(relative.scheme == "sqlite");
    CHECK(relative.database == "relative.db");
    CHECK(relative.host.empty());
    CHECK(relative.hosts.empty());
    CHECK(relative.query.empty());
    CHECK(relative.redacted() == "sqlite:///relative.db");

    CHECK(ctorm::parse_url("sqlite:///dir/sub/relative.db").database == "dir/sub/relative.db");
    auto absolute = ctorm::parse_url("sqlite:////abs/path.db");
    CHECK(absolute.database == "/abs/path.db");
    CHECK(absolute.redacted() == "sqlite:////abs/path.db");

    CHECK(ctorm::parse_url("sqlite:///:memory:").database == ":memory:");
    auto bare = ctorm::parse_url("sqlite://");
    CHECK(bare.database == ":memory:");
    CHECK(bare.redacted() == "sqlite:///:memory:");
    CHECK(ctorm::parse_url("SQLite:///x.db").scheme == "sqlite");

    auto with_options =
        ctorm::parse_url("sqlite:///file.db?mode=ro&journal_mode=wal&busy_timeout=5000&foreign_keys=on");
    CHECK(with_options.database == "file.db");
    REQUIRE(with_options.query.size() == 4);
    CHECK(with_options.query[0] == std::pair<std::string, std::string>{"mode", "ro"});
    CHECK(with_options.query[3] == std::pair<std::string, std::string>{"foreign_keys", "on"});
    CHECK(with_options.option("journal_mode") == "wal");
    CHECK(with_options.option("busy_timeout") == "5000");
    CHECK_FALSE(with_options.option("cache").has_value());
    CHECK(with_options.redacted() == "sqlite:///file.db?mode=ro&journal_mode=wal&busy_timeout=5000&foreign_keys=on");

    auto memory_options = ctorm::parse_url("sqlite://?foreign_keys=on");
    CHECK(memory_options.database == ":memory:");
    CHECK(memory_options.option("foreign_keys") == "on");

    auto encoded = ctorm::parse_url("sqlite:///my%20data/100%25.db?vfs=unix%2Ddotfile&flag");
    CHECK(encoded.database == "my data/100%.db");
    CHECK(encoded.option("vfs") == "unix-dotfile");
    CHECK(encoded.option("flag") == "");
    CHECK(ctorm::parse_url(encoded.redacted()) == encoded);

    auto repeated = ctorm::parse_url("sqlite:///x.db?mode=ro&&mode=rw&");
    CHECK(repeated.query.size() == 2);
    CHECK(repeated.option("mode") == "rw");
}

TEST_CASE("postgresql URLs", "[unit][url]") {
    auto full = ctorm::parse_url("postgresql://user:pass@host:5432/db?sslmode=require&application_name=x");
    CHECK(full.scheme == "postgresql");
    CHECK(full.user == "user");
    CHECK(full.password == "pass");
    CHECK(full.host == "host");
    CHECK(full.port == 5432);
    REQUIRE(full.hosts.size() == 1);
    CHECK(full.hosts[0] == std::pair<std::string, std::uint16_t>{"host", 5432});
    CHECK(full.database == "db");
    CHECK(full.option("sslmode") == "require");
    CHECK(full.option("application_name") == "x");
    CHECK(full.redacted() == "postgresql://user:***@host:5432/db?sslmode=require&application_name=x");

    auto alias = ctorm::parse_url("postgres://ann@localhost/blog");
    CHECK(alias.scheme == "postgresql");
    CHECK(alias.user == "ann");
    CHECK(alias.password.empty());
    CHECK(alias.host == "localhost");
    CHECK(alias.port == 0);
    CHECK(alias.database == "blog");
    CHECK(alias.redacted() == "postgresql://ann@localhost/blog");

    auto multi = ctorm::parse_url("postgresql://h1:5432,h2:5433/db");
    REQUIRE(multi.hosts.size() == 2);
    CHECK(multi.hosts[0] == std::pair<std::string, std::uint16_t>{"h1", 5432});
    CHECK(multi.hosts[1] == std::pair<std::string, std::uint16_t>{"h2", 5433});
    CHECK(multi.host == "h1");
    CHECK(multi.port == 5432);
    CHECK(multi.redacted() == "postgresql://h1:5432,h2:5433/db");

    auto mixed = ctorm::parse_url("postgresql://u@h1,[::1]:5433,h3/db");
    REQUIRE(mixed.hosts.size() == 3);
    CHECK(mixed.hosts[0] == std::pair<std::string, std::uint16_t>{"h1", 0});
    CHECK(mixed.hosts[1] == std::pair<std::string, std::uint16_t>{"::1", 5433});
    CHECK(mixed.hosts[2] == std::pair<std::string, std::uint16_t>{"h3", 0});
    CHECK(mixed.redacted() == "postgresql://u@h1,[::1]:5433,h3/db");

    auto ipv6 = ctorm::parse_url("postgresql://[::1]:5432/db");
    CHECK(ipv6.host == "::1");
    CHECK(ipv6.port == 5432);
    CHECK(ctorm::parse_url("postgresql://[2001:db8::1]/db").host == "2001:db8::1");

    auto encoded = ctorm::parse_url("postgresql://us%40er:p%40ss%3Aw%2Frd@host/my%20db?application_name=a%26b");
    CHECK(encoded.user == "us@er");
    CHECK(encoded.password == "p@ss:w/rd");
    CHECK(encoded.database == "my db");
    CHECK(encoded.option("application_name") == "a&b");
    CHECK(encoded.redacted() == "postgresql://us%40er:***@host/my%20db?application_name=a%26b");

    // A raw '@' in the password is taken up to the last '@' before the host, as RFC 3986 reads it.
    auto raw_at = ctorm::parse_url("postgresql://u:p@ss@host/db");
    CHECK(raw_at.password == "p@ss");
    CHECK(raw_at.host == "host");
    auto raw_colon = ctorm::parse_url("postgresql://u:a:b@host/db");
    CHECK(raw_colon.password == "a:b");

    auto socket = ctorm::parse_url("postgresql://%2Fvar%2Frun%2Fpostgresql/db");
    CHECK(socket.host == "/var/run/postgresql");
    CHECK(socket.redacted() == "postgresql://%2Fvar%2Frun%2Fpostgresql/db");

    auto defaults = ctorm::parse_url("postgresql://");
    CHECK(defaults.hosts.empty());
    CHECK(defaults.database.empty());
    auto only_db = ctorm::parse_url("postgresql:///db?host=/tmp");
    CHECK(only_db.hosts.empty());
    CHECK(only_db.database == "db");
    CHECK(only_db.option("host") == "/tmp");
    auto port_only = ctorm::parse_url("postgresql://:5433/db");
    CHECK(port_only.host.empty());
    CHECK(port_only.port == 5433);
    CHECK(ctorm::parse_url("postgresql://host?sslmode=disable").option("sslmode") == "disable");
    CHECK(ctorm::parse_url("postgresql://h:65535/db").port == 65535);
    CHECK(ctorm::parse_url("postgresql://h:1/db").port == 1);

    auto secret_option = ctorm::parse_url("postgresql://h/db?user=u&password=hunter2");
    CHECK(secret_option.option("password") == "hunter2");
    CHECK(secret_option.redacted() == "postgresql://h/db?user=u&password=***");

    for (auto text : {"postgresql://user:pass@host:5432/db?sslmode=require", "postgresql://h1:5432,h2:5433/db",
                      "postgresql://u@[::1]:5432/db", "postgresql://%2Ftmp/db?application_name=a%26b%3D"}) {
        CAPTURE(text);
        auto parsed = ctorm::parse_url(text);
        auto again = ctorm::parse_url(parsed.redacted());
        if (!parsed.password.empty()) {
            CHECK(again.password == "***");
            again.password = parsed.password;
        }
        CHECK(again == parsed);
    }
}

TEST_CASE("bad URLs are rejected with a message that says why", "[unit][url]") {
    auto scheme = url_error_for("mysql://u:secret@h/db");
    CHECK(contains(scheme.what(), "unknown scheme 'mysql'"));
    CHECK(contains(scheme.what(), "sqlite, postgresql and postgres"));
    CHECK(contains(scheme.what(), "mysql://u:***@h/db"));
    CHECK(scheme.redacted_url() == "mysql://u:***@h/db");

    CHECK(contains(url_error_for("file.db").what(), "does not start with a scheme"));
    CHECK(contains(url_error_for("").what(), "does not start with a scheme"));
    CHECK(contains(url_error_for("://x").what(), "does not start with a scheme"));

    auto slashes = url_error_for("sqlite:file.db");
    CHECK(contains(slashes.what(), "missing '//' after 'sqlite:'"));
    CHECK(contains(url_error_for("postgresql:u:secret@h/db").what(), "missing '//' after 'postgresql:'"));

    CHECK(contains(url_error_for("sqlite:///").what(), "sqlite file path is empty"));
    CHECK(contains(url_error_for("sqlite:///?mode=ro").what(), "sqlite file path is empty"));
    CHECK(contains(url_error_for("sqlite://relative.db").what(), "a sqlite URL has no host"));

    auto port = url_error_for("postgresql://u:secret@h:54x2/db");
    CHECK(contains(port.what(), "port '54x2' is not a number"));
    CHECK(port.problem() == "port '54x2' is not a number from 1 to 65535");
    CHECK(port.redacted_url() == "postgresql://u:***@h:54x2/db");
    CHECK(contains(url_error_for("postgresql://h:65536/db").what(), "port 65536 is out of range"));
    CHECK(contains(url_error_for("postgresql://h:0/db").what(), "port 0 is out of range"));
    CHECK(contains(url_error_for("postgresql://h:123456/db").what(), "is not a number from 1 to 65535"));
    CHECK(contains(url_error_for("postgresql://h:/db").what(), "not followed by a port number"));
    CHECK(contains(url_error_for("postgresql://::1:5432/db").what(), "IPv6 address in brackets"));
    CHECK(contains(url_error_for("postgresql://[::1/db").what(), "no closing ']'"));
    CHECK(contains(url_error_for("postgresql://[nothex]/db").what(), "is not an IPv6 address"));
    CHECK(contains(url_error_for("postgresql://[::1]x/db").what(), "unexpected text after the IPv6 address"));
    CHECK(contains(url_error_for("postgresql://h1,,h2/db").what(), "empty entry"));

    CHECK(contains(url_error_for("postgresql://u:sec%zzret@h/db").what(), "bad percent escape in the password"));
    CHECK(contains(url_error_for("postgresql://u:secret%4@h/db").what(), "bad percent escape in the password"));
    CHECK(contains(url_error_for("postgresql://u%@h/db").what(), "bad percent escape in the user name"));
    CHECK(contains(url_error_for("postgresql://h/db%g0").what(), "bad percent escape in the database name"));
    CHECK(contains(url_error_for("sqlite:///a%2.db").what(), "bad percent escape in the file path"));
    CHECK(contains(url_error_for("sqlite:///a.db?x=%").what(), "bad percent escape in the query option values"));
    CHECK(contains(url_error_for("sqlite:///a%00.db").what(), "%00"));
    CHECK(contains(url_error_for("sqlite:///a.db?=x").what(), "no name before '='"));
    CHECK(contains(url_error_for("postgresql://u:pa/ss@h/db").what(), "percent-encode"));
    CHECK(contains(url_error_for("postgresql://u:12?x@h/db").what(), "percent-encode"));
}

TEST_CASE("a password never appears in a url_error", "[unit][url]") {
    const char* bad_urls[] = {
        "mysql://u:hunter2@h/db",
        "postgresql:u:hunter2@h/db",
        "u:hunter2@h/db",
        "postgresql://u:hunter2@h:99999/db",
        "postgresql://u:hunter2@h:5x/db",
        "postgresql://u:hunter2@[::1/db",
        "postgresql://u:hunter2%zz@h/db",
        "postgresql://u:hunter2@h/db%",
        "postgresql://u:hunter2@h1,,h2/db",
        "postgresql://u:hun/ter2@h/db",
        "postgresql://u:hun?ter2@h/db",
        "postgresql://u:12?hunter2@h/db",
        "postgresql://u:hun@ter2/x@h/db",
        "postgresql://u:hunter2@h/db?application_name=a@b&x=%",
        "postgresql://h:5x/db?password=hunter2",
        "postgresql://h:5x/db?user=u&sslpassword=hunter2&x=1",
        "sqlite://u:hunter2@h/x.db",
    };
    for (auto text : bad_urls) {
        CAPTURE(text);
        auto e = url_error_for(text);
        CHECK_FALSE(contains(e.what(), "hunter2"));
        CHECK_FALSE(contains(e.what(), "hunter"));
        CHECK_FALSE(contains(e.what(), "ter2"));
        CHECK(contains(e.what(), "***"));
    }
}

// ---------------------------------------------------------------- timestamps

TEST_CASE("timestamps format as YYYY-MM-DD HH:MM:SS.ffffff", "[unit][chrono]") {
    CHECK(format(ctorm::timestamp{}) == "1970-01-01 00:00:00.000000");
    CHECK(format(at(2024, 2, 29, 13, 45, 7, 123456)) == "2024-02-29 13:45:07.123456");
    CHECK(format(at(9999, 12, 31, 23, 59, 59, 999999)) == "9999-12-31 23:59:59.999999");
    CHECK(format(at(0, 1, 1)) == "0000-01-01 00:00:00.000000");
    CHECK(format(ctorm::timestamp{microseconds{-1}}) == "1969-12-31 23:59:59.999999");
    CHECK(format(ctorm::timestamp{microseconds{1}}) == "1970-01-01 00:00:00.000001");
    CHECK(format(at(1900, 3, 1, 0, 0, 0, 1)) == "1900-03-01 00:00:00.000001");
    CHECK(format(at(1600, 2, 29, 12)) == "1600-02-29 12:00:00.000000");

    char buffer[ctorm::detail::timestamp_text_size] = {};
    CHECK(ctorm::detail::format_timestamp(at(9999, 12, 31, 23, 59, 59, 999999) + microseconds{1}, buffer) == 0);
    CHECK(ctorm::detail::format_timestamp(at(0, 1, 1) - microseconds{1}, buffer) == 0);
    CHECK(ctorm::detail::format_timestamp(ctorm::timestamp{microseconds{INT64_MIN}}, buffer) == 0);
    CHECK(ctorm::detail::format_timestamp(ctorm::timestamp{microseconds{INT64_MAX}}, buffer) == 0);

    CHECK(format(ctorm::date{}) == "1970-01-01");
    CHECK(format(ctorm::date{year{2024} / 2 / 29}) == "2024-02-29");
    CHECK(format(ctorm::date{year{1969} / 12 / 31}) == "1969-12-31");
    CHECK(format(ctorm::date{year{0} / 1 / 1}) == "0000-01-01");
    CHECK(format(ctorm::date{year{9999} / 12 / 31}) == "9999-12-31");
    char day_buffer[ctorm::detail::date_text_size] = {};
    CHECK(ctorm::detail::format_date(ctorm::date{year{10000} / 1 / 1}, day_buffer) == 0);
    CHECK(ctorm::detail::format_date(ctorm::date{year{-1} / 12 / 31}, day_buffer) == 0);
}

TEST_CASE("timestamps round-trip through text", "[unit][chrono]") {
    const ctorm::timestamp samples[] = {
        ctorm::timestamp{},
        ctorm::timestamp{microseconds{-1}},
        ctorm::timestamp{microseconds{1}},
        at(1969, 7, 20, 20, 17, 40),
        at(1901, 12, 13, 20, 45, 52, 654321),
        at(2024, 2, 29, 0, 0, 0, 1),
        at(2024, 2, 29, 23, 59, 59, 999999),
        at(2038, 1, 19, 3, 14, 8),
        at(9999, 12, 31, 23, 59, 59, 999999),
        at(0, 1, 1),
        at(0, 2, 29, 12, 0, 0, 500000),
    };
    for (auto t : samples) {
        const auto text = format(t);
        CAPTURE(text);
        REQUIRE(text.size() == 26);
        CHECK(parse(text) == t);
    }
    // Every microsecond digit position survives.
    for (std::int64_t us = 1; us < 1'000'000; us *= 10) {
        const auto t = at(2001, 9, 9, 1, 46, 40) + microseconds{us * 7 % 1'000'000};
        CHECK(parse(format(t)) == t);
    }
    for (auto d : {ctorm::date{}, ctorm::date{year{2024} / 2 / 29}, ctorm::date{year{1} / 1 / 1},
                   ctorm::date{year{9999} / 12 / 31}, ctorm::date{year{1969} / 12 / 31}}) {
        CHECK(parse_day(format(d)) == d);
    }
}

TEST_CASE("timestamp text in the forms SQLite and PostgreSQL produce", "[unit][chrono]") {
    const auto noon = at(2024, 3, 10, 12, 30, 15);
    CHECK(parse("2024-03-10 12:30:15") == noon);
    CHECK(parse("2024-03-10T12:30:15") == noon);
    CHECK(parse("2024-03-10 12:30") == noon - seconds{15});
    CHECK(parse("2024-03-10") == at(2024, 3, 10));
    CHECK(parse("2024-03-10 12:30:15.5") == noon + microseconds{500000});
    CHECK(parse("2024-03-10 12:30:15.123") == noon + microseconds{123000});
    CHECK(parse("2024-03-10 12:30:15.123456") == noon + microseconds{123456});
    CHECK(parse("2024-03-10 12:30:15.123456789") == noon + microseconds{123456});
    CHECK(parse("2024-03-10 12:30:15.999999999") == noon + microseconds{999999});
    CHECK(parse("2024-03-10 12:30:15Z") == noon);
    CHECK(parse("2024-03-10T12:30:15.25Z") == noon + microseconds{250000});
    CHECK(parse("2024-03-10 12:30:15+00") == noon);
    CHECK(parse("2024-03-10 12:30:15+02") == noon - hours{2});
    CHECK(parse("2024-03-10 12:30:15+05:30") == noon - hours{5} - minutes{30});
    CHECK(parse("2024-03-10 12:30:15+0530") == noon - hours{5} - minutes{30});
    CHECK(parse("2024-03-10 12:30:15-08:00") == noon + hours{8});
    CHECK(parse("2024-03-10 12:30:15.5-03:30") == noon + hours{3} + minutes{30} + microseconds{500000});
    CHECK(parse("1900-01-01 00:00:00+00:19:32") == at(1899, 12, 31, 23, 40, 28));
    // The offset may carry the instant across midnight and years.
    CHECK(parse("2024-01-01 01:00:00+02:00") == at(2023, 12, 31, 23));
    CHECK(parse("1970-01-01 00:00:00.000001-00:00") == ctorm::timestamp{microseconds{1}});
    CHECK(parse("1969-12-31 23:59:59.999999") == ctorm::timestamp{microseconds{-1}});

    CHECK(parse_day("2024-02-29") == ctorm::date{year{2024} / 2 / 29});
    CHECK(parse_day("0000-02-29") == ctorm::date{year{0} / 2 / 29});
}

TEST_CASE("malformed date and time text is rejected", "[unit][chrono]") {
    const char* bad_timestamps[] = {
        "",
        "2024",
        "2024-03",
        "2024-3-10",
        "24-03-10",
        "2024/03/10",
        "2024-03-10 ",
        "2024-03-10x12:30:15",
        "2024-03-10 12",
        "2024-03-10 12:3",
        "2024-03-10 12:30:1",
        "2024-03-10 12-30-15",
        "2024-03-10 12:30:15.",
        "2024-03-10 12:30:15.1234567890",
        "2024-03-10 12:30:15.12a",
        "2024-03-10 12:30.5",
        "2024-13-10 12:30:15",
        "2024-00-10 12:30:15",
        "2024-03-00 12:30:15",
        "2024-03-32 12:30:15",
        "2023-02-29 12:30:15",
        "1900-02-29 00:00:00",
        "2024-04-31 00:00:00",
        "2024-03-10 24:00:00",
        "2024-03-10 23:60:00",
        "2024-03-10 23:59:60",
        "2024-03-10 12:30:15Z ",
        "2024-03-10 12:30:15ZZ",
        "2024-03-10 12:30:15+",
        "2024-03-10 12:30:15+5",
        "2024-03-10 12:30:15+24:00",
        "2024-03-10 12:30:15+05:60",
        "2024-03-10 12:30:15+05:30:00:00",
        "2024-03-10 12:30:15+05:3",
        "2024-03-10 12:30:15 +05:00",
        "2024-03-10 12:30:15 UTC",
        "2024-03-10 12:30:15 BC",
        "12024-03-10 12:30:15",
        "-2024-03-10",
        "infinity",
        " 2024-03-10",
        "２０２４-03-10",
    };
    for (std::string_view text : bad_timestamps) {
        CAPTURE(text);
        ctorm::timestamp untouched{microseconds{42}};
        CHECK_FALSE(ctorm::detail::parse_timestamp(text, untouched));
        CHECK(untouched == ctorm::timestamp{microseconds{42}});
    }
    CHECK_FALSE(parse(std::string_view("2024-03-10\0", 11)).has_value());

    for (std::string_view text : {"", "2024-03-1", "2024-03-10 00:00:00", "2024-03-10T", "2024-02-30", "2024-1-01",
                                  "abcd-ef-gh", "2024-03-10Z"}) {
        CAPTURE(text);
        CHECK_FALSE(parse_day(text).has_value());
    }
}

TEST_CASE("text conversion works at compile time", "[unit][chrono]") {
    constexpr auto parsed = [] {
        ctorm::timestamp t{};
        ctorm::detail::parse_timestamp("2024-02-29 23:59:59.999999+01:00", t);
        return t;
    }();
    STATIC_REQUIRE(parsed == ctorm::timestamp{sys_days{year{2024} / 2 / 29}} + hours{22} + minutes{59} + seconds{59} +
                                 microseconds{999999});
    constexpr auto formatted = [] {
        struct text {
            char data[ctorm::detail::timestamp_text_size];
        } out{};
        ctorm::detail::format_timestamp(ctorm::timestamp{microseconds{-1}}, out.data);
        return out;
    }();
    STATIC_REQUIRE(std::string_view(formatted.data, sizeof formatted.data) == "1969-12-31 23:59:59.999999");
}
