// How the adapter runs statements: an insert sends exactly its own text (the
// key comes back only through RETURNING), bulk inserts run in pipeline mode
// and stay all-or-nothing, result types are checked once per prepared
// statement, and fixed-width values of another width than the field's are
// still converted and range-checked.
#include "support/pg_fixture.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace blog;

namespace execution_schema {

struct Loose {
    std::int64_t id{};
    std::int64_t amount{};
};
CTORM_TABLE(loose, Loose, (id, primary_key), (amount));

struct Widths {
    std::int64_t id{};
    std::int16_t small{};
    double ratio{};
    std::uint8_t tiny{};
};
CTORM_TABLE(widths, Widths, (id, primary_key), (small), (ratio), (tiny));

struct Sparse {
    std::int64_t id{};
    std::optional<std::int32_t> count{};
    std::optional<double> ratio{};
    std::optional<std::string> note{};
};
CTORM_TABLE(sparse, Sparse, (id, primary_key), (count), (ratio), (note));

}  // namespace execution_schema

namespace {

using connection = ctorm::postgres::connection;

using ctorm_test::contains;

std::vector<User> people(std::size_t n, std::string_view tag = "u") {
    std::vector<User> out;
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(User{.email = std::string(tag) + std::to_string(i) + "@example.com",
                           .name = "user " + std::to_string(i),
                           .is_active = i % 3 != 0});
    }
    return out;
}

// The connection is back to normal: no transaction, no pipeline, and it runs statements.
void check_usable(connection& db) {
    CHECK_FALSE(db.in_transaction());
    CHECK(PQpipelineStatus(db.native_handle()) == PQ_PIPELINE_OFF);
    CHECK(db.scalar(select(ctorm::count()).from(posts)) == 0);
}

}  // namespace

TEST_CASE("an insert sends exactly its own text, and RETURNING hands back the key", "[execution]") {
    auto db = ctorm_test::postgres_fresh_db();
    std::vector<std::string> sent;
    db.set_echo([&](std::string_view sql) { sent.emplace_back(sql); });

    const auto statement = insert(users).values(User{.email = "ann@example.com", .name = "Ann"});
    const auto r = db.execute(statement);
    CHECK(r.rows_affected == 1);
    CHECK(r.last_insert_id == 0);  // documented: PostgreSQL reports no key through execute()
    REQUIRE(sent.size() == 1);
    CHECK(sent[0] == ctorm::to_sql<ctorm::postgres_dialect>(statement));
    CHECK_FALSE(contains(sent[0], "RETURNING"));

    const std::int64_t bob =
        db.scalar(insert(users).values(User{.email = "bob@example.com", .name = "Bob"}).returning(users.id));
    const std::int64_t ann = db.one(select(users.id).where(users.email == "ann@example.com"));
    CHECK(bob > ann);
    CHECK(db.one(select(users.name).where(users.id == bob)) == "Bob");

    // The server holds the insert as it was written, with no RETURNING of ours.
    const std::string text(ctorm::to_sql<ctorm::postgres_dialect>(statement));
    CHECK(ctorm_test::postgres_query_text(
              db, "SELECT count(*) FROM pg_prepared_statements WHERE statement = '" + text + "'") == "1");
}

TEST_CASE("a bulk insert of thousands of rows round-trips, in batches, in one transaction", "[execution][bulk]") {
    auto db = ctorm_test::postgres_fresh_db();
    const std::vector<User> rows = people(2500);  // three pipeline batches, the last one partial
    std::vector<std::string> sent;
    db.set_echo([&](std::string_view sql) { sent.emplace_back(sql); });
    const auto r = db.execute(insert(users).values(rows));
    db.set_echo({});
    CHECK(r.rows_affected == 2500);
    CHECK(r.last_insert_id == 0);
    // BEGIN, the statement once, COMMIT: no per-row round trips of their own.
    CHECK(sent ==
          std::vector<std::string>{
              "BEGIN", std::string(ctorm::to_sql<ctorm::postgres_dialect>(insert(users).values(rows))), "COMMIT"});
    check_usable(db);

    const std::vector<User> back = db.all(select(users).order_by(users.id));
    REQUIRE(back.size() == rows.size());
    for (std::size_t i = 0; i < back.size(); ++i) {
        if (back[i].email != rows[i].email || back[i].name != rows[i].name || back[i].is_active != rows[i].is_active) {
            FAIL("row " << i << " came back as " << back[i].email << ", " << back[i].name);
        }
    }
    CHECK(back.back().id - back.front().id == 2499);

    // Another bulk insert on the same connection reuses the prepared statement.
    const std::size_t prepared = db.statements_prepared();
    CHECK(db.execute(insert(users).values(people(1000, "v"))).rows_affected == 1000);
    CHECK(db.statements_prepared() == prepared);
    CHECK(user_count(db) == 3500);
}

TEST_CASE("a bulk insert whose row fails leaves nothing written and names the row", "[execution][bulk]") {
    auto db = ctorm_test::postgres_fresh_db();
    db.execute(insert(users).values(User{.email = "taken@example.com", .name = "first"}));

    // The failing row in the first batch, in the middle of a later one, and last.
    for (const std::size_t bad : {std::size_t{3}, std::size_t{1700}, std::size_t{2499}}) {
        CAPTURE(bad);
        std::vector<User> rows = people(2500);
        rows[bad].email = "taken@example.com";
        try {
            db.execute(insert(users).values(rows));
            FAIL("the bulk insert did not throw");
        } catch (const ctorm::unique_violation& e) {
            CHECK(e.sqlstate() == "23505");
            CHECK(e.constraint() == "ix_users_email");
            CHECK(contains(e.message(), "duplicate key value violates unique constraint"));
            CHECK(contains(e.message(), "row " + std::to_string(bad) + " of the bulk insert"));
            CHECK(contains(e.what(), "row " + std::to_string(bad) + " of the bulk insert"));
            CHECK(e.sql() == ctorm::to_sql<ctorm::postgres_dialect>(insert(users).values(rows)));
        }
        CHECK(user_count(db) == 1);
        check_usable(db);
    }

    // Another error class, reported the same way.
    std::vector<Post> orphans(
        1200, Post{.title = "t", .content = "c", .author_id = 999, .views = 0, .published_at = std::nullopt});
    CHECK_THROWS_AS(db.execute(insert(posts).values(orphans)), ctorm::foreign_key_violation);
    check_usable(db);

    // And the statement still works once the rows are good.
    CHECK(db.execute(insert(users).values(people(2500))).rows_affected == 2500);
    CHECK(user_count(db) == 2501);
}

TEST_CASE("a failed bulk insert inside a transaction keeps the transaction's earlier work", "[execution][bulk]") {
    auto db = ctorm_test::postgres_fresh_db();
    auto tx = db.begin();
    db.execute(insert(users).values(User{.email = "early@example.com", .name = "early"}));
    CHECK(db.execute(insert(users).values(people(1500, "ok"))).rows_affected == 1500);

    std::vector<User> rows = people(1500, "bad");
    rows[1234].email = "early@example.com";
    try {
        db.execute(insert(users).values(rows));
        FAIL("the bulk insert did not throw");
    } catch (const ctorm::unique_violation& e) {
        CHECK(contains(e.message(), "row 1234 of the bulk insert"));
    }
    // Only the failed bulk insert was undone (its savepoint); the transaction goes on.
    CHECK(db.in_transaction());
    CHECK(PQpipelineStatus(db.native_handle()) == PQ_PIPELINE_OFF);
    db.execute(insert(users).values(User{.email = "later@example.com", .name = "later"}));
    tx.commit();

    CHECK(user_count(db) == 1502);
    CHECK(db.one_or_none(select(users.id).where(users.email == "early@example.com")).has_value());
    CHECK(db.one_or_none(select(users.id).where(users.email == "later@example.com")).has_value());
    CHECK_FALSE(db.one_or_none(select(users.id).where(users.email == "bad0@example.com")).has_value());
    CHECK(db.scalar(select(ctorm::count()).from(users).where(users.email.like("ok%"))) == 1500);
}

TEST_CASE("result types are checked once per prepared statement, and again after it is prepared again",
          "[execution][decode]") {
    using execution_schema::loose;
    auto db = ctorm_test::postgres_empty_db();
    db.execute_script("CREATE TABLE loose (id BIGINT PRIMARY KEY, amount TEXT)");
    const auto by_id = [](std::int64_t id) { return select(loose.amount).where(loose.id == id); };

    // An empty result has nothing to read: no error yet.
    CHECK_FALSE(db.one_or_none(by_id(1)).has_value());
    db.execute_script("INSERT INTO loose VALUES (1, '5')");
    // The same statement with a row: the text column is refused, the same way every time.
    for (int attempt = 0; attempt < 2; ++attempt) {
        CAPTURE(attempt);
        try {
            (void)db.one(by_id(1));
            FAIL("no decode_error");
        } catch (const ctorm::decode_error& e) {
            CHECK(e.table() == "loose");
            CHECK(e.column() == "amount");
            CHECK(e.description() == "a text column (type oid 25) cannot be read into std::int64_t");
        }
    }

    // Fixed: the statement is prepared again after the change and reads the bigint.
    db.execute_script("ALTER TABLE loose ALTER COLUMN amount TYPE bigint USING amount::bigint");
    CHECK(db.one(by_id(1)) == 5);
    CHECK(db.one(by_id(1)) == 5);
    // Changed again after its types were checked: checked again, and refused.
    db.execute_script("ALTER TABLE loose ALTER COLUMN amount TYPE text");
    CHECK_THROWS_AS(db.one(by_id(1)), ctorm::decode_error);
    CHECK_THROWS_WITH(db.all(select(loose)),
                      Catch::Contains("a text column (type oid 25) cannot be read into std::int64_t"));
}

TEST_CASE("fixed-width columns of another width than the field's are converted and range-checked",
          "[execution][decode]") {
    using execution_schema::widths;
    auto db = ctorm_test::postgres_empty_db();
    // Wider columns than the fields (int8 for int16, real for double, int2 for uint8), and nullable ones.
    db.execute_script(
        "CREATE TABLE widths (id BIGINT, small BIGINT, ratio REAL, tiny SMALLINT);"
        "INSERT INTO widths VALUES (1, -300, 0.5, 255)");
    const auto row = db.one(select(widths).where(widths.id == std::int64_t{1}));
    CHECK(row.small == -300);
    CHECK(row.ratio == 0.5);
    CHECK(row.tiny == 255);
    CHECK(db.scalar(select(widths.small)) == -300);

    const auto failure = [&](auto&& read) -> std::string {
        try {
            read();
        } catch (const ctorm::decode_error& e) {
            return e.column() + ": " + e.description();
        }
        return "(no error)";
    };
    db.execute_script("UPDATE widths SET small = 70000");
    CHECK(failure([&] { (void)db.one(select(widths)); }) == "small: value 70000 is out of range for std::int16_t");
    db.execute_script("UPDATE widths SET small = 1, tiny = 256");
    CHECK(failure([&] { (void)db.all(select(widths.id, widths.tiny)); }) ==
          "tiny: value 256 is out of range for std::uint8_t");
    db.execute_script("UPDATE widths SET tiny = -1");
    CHECK(failure([&] { (void)db.scalar(select(widths.tiny)); }) == "tiny: value -1 is out of range for std::uint8_t");

    // NULL where the declaration says NOT NULL: an error, for a column read
    // directly (id is bigint as declared) and for one converted.
    db.execute_script("UPDATE widths SET tiny = 1, ratio = NULL");
    CHECK(failure([&] { (void)db.one(select(widths)); }) ==
          "ratio: NULL read into non-optional double; declare the field std::optional to accept NULL");
    db.execute_script("UPDATE widths SET ratio = 1; INSERT INTO widths VALUES (NULL, 1, 1, 1)");
    CHECK(failure([&] { (void)db.all(select(widths.id).order_by(widths.id)); }) ==
          "id: NULL read into non-optional std::int64_t; declare the field std::optional to accept NULL");
}

TEST_CASE("NULL is told by the address libpq gives every NULL value, learned once from libpq's own API",
          "[execution][decode]") {
    using execution_schema::sparse;
    // Learned on this libpq: the usual read path compares pointers instead of calling PQgetisnull.
    CHECK(ctorm::postgres::detail::null_field_offset() >= 0);
    auto db = ctorm_test::postgres_empty_db();
    db.create_all(sparse);
    db.execute_script(
        "INSERT INTO sparse VALUES (1, NULL, 0.5, ''), (2, 7, NULL, NULL), (3, 0, 0, 'x'), (4, NULL, NULL, NULL)");
    const auto rows = db.all(select(sparse).order_by(sparse.id));
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].count == std::nullopt);
    CHECK(rows[0].ratio == 0.5);
    CHECK(rows[0].note == std::string());  // empty, not NULL
    CHECK(rows[1].count == 7);
    CHECK(rows[1].ratio == std::nullopt);
    CHECK(rows[1].note == std::nullopt);
    CHECK(rows[2].count == 0);  // zero bytes, not NULL
    CHECK(rows[2].ratio == 0.0);
    CHECK(rows[2].note == std::string("x"));
    CHECK_FALSE(rows[3].count.has_value());
    CHECK_FALSE(rows[3].ratio.has_value());
    CHECK_FALSE(rows[3].note.has_value());
    // The general path (a column of another width than its field) tells NULL the same way.
    db.execute_script("ALTER TABLE sparse ALTER COLUMN count TYPE bigint");
    const auto wider = db.all(select(sparse.count).order_by(sparse.id));
    CHECK(wider == std::vector<std::optional<std::int32_t>>{std::nullopt, 7, 0, std::nullopt});
}
