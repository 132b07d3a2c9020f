// The one execution core: both connection types are basic_connection over a
// backend that models ctorm::database_backend, and code written once against
// ctorm::database_connection runs on each with the same results and the same
// number of statements prepared.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using namespace blog;

namespace engine_schema {

// Declared narrower than the table created by hand below: decoding checks it.
struct Loose {
    std::int64_t id{};
    std::int16_t small{};
    std::int64_t amount{};
};
CTORM_TABLE(loose_values, Loose, (id, primary_key), (small), (amount));

// Unique keys of every kind ctorm declares, none named by the user.
struct Coded {
    std::int64_t id{};
    std::string code;
    std::string region;
    std::string shelf;
};
CTORM_TABLE(coded, Coded, (id, primary_key), (code, unique), (region), (shelf));
CTORM_TABLE_CONSTRAINTS(coded, unique(coded.region, coded.shelf));

}  // namespace engine_schema

namespace {

// Written once, for any connection: the layers above the adapters look like this.
template <ctorm::database_connection C>
std::int64_t add_user(C& db, std::string name) {
    return db.scalar(insert(users).values(User{.email = name + "@example.com", .name = name}).returning(users.id));
}

template <ctorm::database_connection C>
std::vector<std::string> names_in_order(C& db) {
    return db.all(select(users.name).order_by(users.id));
}

// A backend with no cursor: everything else is there.
struct backend_without_cursor {
    using dialect = ctorm::sqlite_dialect;
    enum class transaction_options { plain };
    static constexpr bool binds_by_reference = false;
    static std::string_view begin_text(transaction_options) noexcept { return "BEGIN"; }
    void run_script(const std::string&) {}
    void run_script_noexcept(const std::string&) noexcept {}
    ctorm::execute_result script_result() const noexcept { return {}; }
    bool in_transaction() const noexcept { return false; }
    ctorm::detail::statement_cache<int, int>& cache() noexcept { return cache_; }
    const ctorm::detail::statement_cache<int, int>& cache() const noexcept { return cache_; }
    void* native_handle() const noexcept { return nullptr; }
    ctorm::detail::statement_cache<int, int> cache_;
};

}  // namespace

static_assert(ctorm::database_backend<ctorm::sqlite::backend>);
static_assert(ctorm::database_connection<ctorm::sqlite::connection>);
static_assert(std::is_same_v<ctorm::sqlite::connection, ctorm::basic_connection<ctorm::sqlite::backend>>);
static_assert(ctorm::database_connection_for<ctorm::sqlite::connection, decltype(select(users))>);
static_assert(!ctorm::database_backend<backend_without_cursor>);
static_assert(!ctorm::database_backend<int>);
static_assert(!ctorm::database_connection<ctorm::sqlite::backend>);  // a backend is not a connection
#ifdef CTORM_TEST_WITH_POSTGRES
static_assert(ctorm::database_backend<ctorm::postgres::backend>);
static_assert(ctorm::database_connection<ctorm::postgres::connection>);
static_assert(std::is_same_v<ctorm::postgres::connection, ctorm::basic_connection<ctorm::postgres::backend>>);
#endif
static_assert(ctorm::sql_statement<decltype(select(users))>);
static_assert(ctorm::sql_statement_for<decltype(select(users)), ctorm::sqlite_dialect>);
static_assert(ctorm::sql_statement_for<decltype(select(users)), ctorm::postgres_dialect>);
static_assert(ctorm::sql_dialect<ctorm::sqlite_dialect> && ctorm::sql_dialect<ctorm::postgres_dialect>);
static_assert(!ctorm::sql_dialect<int>);
static_assert(ctorm::expression_node<decltype(users.email == "x")>);
static_assert(!ctorm::expression_node<int>);

TEMPLATE_TEST_CASE("code written once over database_connection runs on each backend", "[engine]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const std::size_t before = db.statements_prepared();
    const std::int64_t ann = add_user(db, "ann");
    const std::int64_t bob = add_user(db, "bob");
    CHECK(bob > ann);
    CHECK(names_in_order(db) == std::vector<std::string>{"ann", "bob"});
    CHECK(names_in_order(db) == std::vector<std::string>{"ann", "bob"});
    // One insert and one select, each prepared once however often it runs.
    CHECK(db.statements_prepared() - before == 2);
}

TEMPLATE_TEST_CASE("the fetch API reads the same rows on each backend", "[engine]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    for (const char* name : {"ann", "bob", "cy"}) add_user(db, name);
    const auto by_name = [](std::string_view n) { return select(users.name).where(users.name == std::string(n)); };
    CHECK(db.first(select(users.name).order_by(users.id.desc())) == std::optional<std::string>("cy"));
    CHECK(db.one(by_name("bob")) == "bob");
    CHECK(db.one_or_none(by_name("nobody")) == std::nullopt);
    CHECK_THROWS_AS(db.one(by_name("nobody")), ctorm::no_result_found);
    CHECK_THROWS_AS(db.one(select(users.name)), ctorm::multiple_results_found);
    CHECK_THROWS_AS(db.one_or_none(select(users.name)), ctorm::multiple_results_found);
    CHECK(db.scalar(select(ctorm::count()).from(users)) == 3);
    CHECK_THROWS_AS(db.scalar(by_name("nobody")), ctorm::no_result_found);
    // Streaming: the result is iterated while the same statement type runs again.
    std::vector<std::string> streamed;
    for (auto [id, name] : db.execute(select(users.id, users.name).order_by(users.id))) {
        streamed.push_back(name + "/" + db.one(by_name(name)));
        CHECK(id > 0);
    }
    CHECK(streamed == std::vector<std::string>{"ann/ann", "bob/bob", "cy/cy"});
    // The messages name the statement, on each backend.
    try {
        db.one(by_name("nobody"));
        FAIL("no exception");
    } catch (const ctorm::no_result_found& e) {
        CHECK(std::string_view(e.what()).find("SELECT \"users\".\"name\" FROM \"users\"") != std::string_view::npos);
    }
}

TEMPLATE_TEST_CASE("a bulk insert inside a transaction is all or nothing and the transaction goes on", "[engine]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    auto tx = db.begin();
    add_user(db, "ann");
    std::vector<User> rows{User{.email = "b@x", .name = "b"}, User{.email = "ann@example.com", .name = "dup"}};
    CHECK_THROWS_AS(db.execute(insert(users).values(rows)), ctorm::integrity_error);
    CHECK(db.in_transaction());
    CHECK(names_in_order(db) == std::vector<std::string>{"ann"});
    tx.commit();
    CHECK(names_in_order(db) == std::vector<std::string>{"ann"});
    CHECK(db.execute(insert(users).values(std::vector<User>{})).rows_affected == 0);
}

TEMPLATE_TEST_CASE("the same decode error reads the same on each backend", "[engine]", CTORM_TEST_BACKENDS) {
    using engine_schema::loose_values;
    auto db = TestType::fresh();
    db.execute_script("CREATE TABLE loose_values (id BIGINT PRIMARY KEY, small BIGINT, amount BIGINT)");
    db.execute_script("INSERT INTO loose_values VALUES (1, 70000, 5), (2, 1, NULL)");
    const auto failure = [&](auto&& read) -> std::string {
        try {
            read();
        } catch (const ctorm::decode_error& e) {
            return e.what();
        }
        return "(no error)";
    };
    CHECK(failure([&] { (void)db.one(select(loose_values.small).where(loose_values.id == std::int64_t{1})); }) ==
          "ctorm: loose_values.small: value 70000 is out of range for std::int16_t");
    CHECK(failure([&] { (void)db.all(select(loose_values).where(loose_values.id == std::int64_t{2})); }) ==
          "ctorm: loose_values.amount: NULL read into non-optional std::int64_t; declare the field std::optional to "
          "accept NULL");
    CHECK(db.scalar(select(loose_values.amount).where(loose_values.id == std::int64_t{1})) == 5);
}

TEMPLATE_TEST_CASE("a unique violation names the same constraint on each backend", "[engine][errors]",
                   CTORM_TEST_BACKENDS) {
    using engine_schema::coded;
    using engine_schema::Coded;
    auto db = TestType::fresh();
    db.create_all(coded);
    db.execute(insert(coded).values(Coded{.code = "a", .region = "north", .shelf = "1"}));
    const auto constraint_of = [&](auto&& write) -> std::string {
        try {
            write();
        } catch (const ctorm::unique_violation& e) {
            return e.constraint();
        }
        return "(no unique_violation)";
    };
    // PostgreSQL's names for the keys ctorm leaves unnamed, and the index's own name for a unique index.
    CHECK(constraint_of([&] {
              db.execute(insert(coded).values(Coded{.code = "a", .region = "south", .shelf = "1"}));
          }) == "coded_code_key");
    CHECK(constraint_of([&] {
              db.execute(insert(coded).values(Coded{.code = "b", .region = "north", .shelf = "1"}));
          }) == "coded_region_shelf_key");
    const std::int64_t id = db.scalar(select(coded.id));
    CHECK(constraint_of([&] {
              db.execute(
                  insert(coded).values(coded.id = id, coded.code = "c", coded.region = "east", coded.shelf = "2"));
          }) == "coded_pkey");
    CHECK(constraint_of([&] {
              add_user(db, "ann");
              add_user(db, "ann");
          }) == "ix_users_email");
    // A composite primary key; a bulk insert's failing row; raw SQL through the explicit door.
    CHECK(constraint_of([&] {
              const std::int64_t author = add_user(db, "bob");
              db.execute(insert(posts).values(
                  Post{.title = "t", .content = "c", .author_id = author, .views = 0, .published_at = std::nullopt}));
              const std::int64_t post = db.scalar(select(posts.id));
              db.execute(insert(post_tags).values(
                  std::vector<PostTag>{{.post_id = post, .tag = "x"}, {.post_id = post, .tag = "x"}}));
          }) == "post_tags_pkey");
    CHECK(constraint_of([&] {
              db.execute(insert(coded).values(std::vector<Coded>{{.code = "d", .region = "w", .shelf = "1"},
                                                                 {.code = "a", .region = "w", .shelf = "2"}}));
          }) == "coded_code_key");
    CHECK(constraint_of([&] { db.execute_script("INSERT INTO coded (code, region, shelf) VALUES ('a', 'x', 'y')"); }) ==
          "coded_code_key");
    CHECK(db.scalar(select(ctorm::count()).from(coded)) == 1);
}
