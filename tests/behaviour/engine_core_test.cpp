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
static_assert(ctorm::statement<decltype(select(users))>);
static_assert(ctorm::statement_for<decltype(select(users)), ctorm::sqlite_dialect>);
static_assert(ctorm::statement_for<decltype(select(users)), ctorm::postgres_dialect>);
static_assert(ctorm::dialect<ctorm::sqlite_dialect> && ctorm::dialect<ctorm::postgres_dialect>);
static_assert(!ctorm::dialect<int>);
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
