// ctorm::numeric computing in SQL, the same exact values on every backend: a
// transfer written as UPDATE ... SET balance = balance - amount, sums that a
// double would get wrong, MIN / MAX in numeric order (SQLite stores the text,
// whose own order puts "10" before "9"), NULLs, SUM as a running total, and
// + - * of generated values checked against ctorm::numeric's C++ arithmetic.
// SQLite computes them with ctorm's functions (sqlite/numeric_functions.hpp),
// PostgreSQL with its numeric. The SQL text is pinned in tests/unit/numeric_sql_test.cpp.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

using ctorm::numeric;

namespace ledger {

struct Account {
    std::int64_t id{};
    std::string owner;
    numeric balance;
    std::optional<numeric> overdraft{};
};
CTORM_TABLE(accounts, Account, (id, primary_key), (owner, varchar<20>), (balance, numeric_precision<30, 12>),
            (overdraft));

}  // namespace ledger

using ledger::Account;
using ledger::accounts;

namespace {

template <class DB>
void transfer(DB& db, std::int64_t from, std::int64_t to, const numeric& amount) {
    auto tx = db.begin();
    REQUIRE(db.execute(update(accounts).set(accounts.balance = accounts.balance - amount).where(accounts.id == from))
                .rows_affected == 1);
    REQUIRE(db.execute(update(accounts).set(accounts.balance = accounts.balance + amount).where(accounts.id == to))
                .rows_affected == 1);
    tx.commit();
}

template <class DB>
numeric balance_of(DB& db, std::int64_t id) {
    return db.one(select(accounts.balance).where(accounts.id == id));
}

std::string random_decimal(std::mt19937_64& rng) {
    std::uniform_int_distribution<int> digit(0, 9), whole(0, 9), fraction(0, 6), coin(0, 1);
    std::string text = coin(rng) ? "-" : "";
    const int w = whole(rng), f = fraction(rng);
    for (int i = 0; i < w; ++i) text += static_cast<char>('0' + digit(rng));
    if (w == 0) text += '0';
    if (f > 0) text += '.';
    for (int i = 0; i < f; ++i) text += static_cast<char>('0' + digit(rng));
    return text;
}

}  // namespace

TEMPLATE_TEST_CASE("a transfer written as balance - amount in SQL is exact", "[numeric]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(accounts);
    db.execute(insert(accounts).values(std::vector<Account>{{.id = 1, .owner = "ann", .balance = numeric("1000.10")},
                                                            {.id = 2, .owner = "bob", .balance = numeric("0.20")}}));
    for (int i = 0; i < 3; ++i) transfer(db, 1, 2, numeric("333.37"));
    CHECK(balance_of(db, 1) == numeric("-0.01"));
    CHECK(balance_of(db, 2) == numeric("1000.31"));
    // 0.1 + 0.2 is 0.3 here, as it is not in floating point.
    transfer(db, 2, 1, numeric("0.1"));
    transfer(db, 2, 1, numeric("0.2"));
    CHECK(balance_of(db, 1) == numeric("0.29"));
    CHECK(db.one(select(ctorm::sum(accounts.balance)).from(accounts)) == numeric("1000.3"));
    // With integers, and the nullable column: NULL stays NULL.
    db.execute(update(accounts).set(accounts.balance = accounts.balance * 3 - 1).where(accounts.id == 1));
    CHECK(balance_of(db, 1) == numeric("-0.13"));
    CHECK(db.one(select(accounts.overdraft + accounts.balance).where(accounts.id == 1)) == std::nullopt);
}

TEMPLATE_TEST_CASE("SUM, MIN and MAX of numerics are exact and in numeric order", "[numeric]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(accounts);
    CHECK(db.one(select(ctorm::sum(accounts.balance)).from(accounts)) == std::nullopt);  // no rows
    std::vector<Account> rows;
    for (std::int64_t i = 1; i <= 1000; ++i)
        rows.push_back({.id = i, .owner = "a" + std::to_string(i), .balance = numeric("0.1")});
    rows.push_back({.id = 1001, .owner = "nine", .balance = numeric(9), .overdraft = numeric("10")});
    rows.push_back({.id = 1002, .owner = "ten", .balance = numeric(10), .overdraft = numeric("9.5")});
    rows.push_back({.id = 1003, .owner = "minus", .balance = numeric("-100.5"), .overdraft = numeric("-2")});
    db.execute(insert(accounts).values(rows));

    const auto [total, lowest, highest, most_overdraft, fewest_overdraft] =
        db.one(select(ctorm::sum(accounts.balance), ctorm::min(accounts.balance), ctorm::max(accounts.balance),
                      ctorm::max(accounts.overdraft), ctorm::min(accounts.overdraft))
                   .from(accounts));
    CHECK(total == numeric("18.5"));  // 100 + 9 + 10 - 100.5
    CHECK(lowest == numeric("-100.5"));
    CHECK(highest == numeric(10));  // not "9", which is the larger text
    CHECK(most_overdraft == numeric(10));
    CHECK(fewest_overdraft == numeric(-2));

    // A running total, as a window function.
    const auto running =
        db.all(select(accounts.id, ctorm::over(ctorm::sum(accounts.balance), ctorm::window().order_by(accounts.id)))
                   .where(accounts.id >= 1000)
                   .order_by(accounts.id));
    REQUIRE(running.size() == 4);
    CHECK(std::get<1>(running[0]) == numeric("0.1"));
    CHECK(std::get<1>(running[1]) == numeric("9.1"));
    CHECK(std::get<1>(running[2]) == numeric("19.1"));
    CHECK(std::get<1>(running[3]) == numeric("-81.4"));
}

TEMPLATE_TEST_CASE("+ - * of numerics in SQL give what ctorm::numeric computes", "[numeric]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(accounts);
    std::mt19937_64 rng(7);
    std::vector<Account> rows;
    for (std::int64_t i = 1; i <= 300; ++i)
        rows.push_back({.id = i,
                        .owner = "o",
                        .balance = numeric(random_decimal(rng)),
                        .overdraft = i % 10 == 0 ? std::nullopt : std::optional<numeric>(random_decimal(rng))});
    db.execute(insert(accounts).values(rows));
    const auto computed =
        db.all(select(accounts.id, accounts.balance + accounts.overdraft, accounts.balance - accounts.overdraft,
                      accounts.balance * accounts.overdraft, accounts.balance * 7 - 3)
                   .order_by(accounts.id));
    REQUIRE(computed.size() == rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Account& r = rows[i];
        const auto& [id, sum, difference, product, affine] = computed[i];
        INFO("balance " << r.balance.to_string() << ", overdraft "
                        << (r.overdraft ? r.overdraft->to_string() : std::string("NULL")));
        CHECK(id == r.id);
        if (r.overdraft) {
            CHECK(sum == r.balance + *r.overdraft);
            CHECK(difference == r.balance - *r.overdraft);
            CHECK(product == r.balance * *r.overdraft);
        } else {
            CHECK_FALSE(sum.has_value());
            CHECK_FALSE(product.has_value());
        }
        CHECK(affine == r.balance * 7 - 3);
    }
}

TEST_CASE("on SQLite, a stored text that is not a decimal fails the numeric function, which names it", "[numeric]") {
    ctorm::sqlite::connection db(":memory:");
    db.create_all(accounts);
    db.execute_script("INSERT INTO \"accounts\" (\"id\", \"owner\", \"balance\") VALUES (1, 'x', 'lots')");
    CHECK_THROWS_WITH(db.one(select(accounts.balance + 1).where(accounts.id == 1)),
                      Catch::Contains("ctorm_numeric_add: 'lots' is not a decimal number (ctorm::numeric)"));
    CHECK_THROWS_WITH(db.one(select(ctorm::sum(accounts.balance)).from(accounts)),
                      Catch::Contains("ctorm_numeric_sum: 'lots' is not a decimal number"));
    // The connection goes on.
    db.execute_script("UPDATE \"accounts\" SET \"balance\" = '2.5'");
    CHECK(db.one(select(accounts.balance * 2).where(accounts.id == 1)) == numeric(5));
}

TEMPLATE_TEST_CASE("comparisons of numerics follow numeric order, and computed numerics equal integers", "[numeric]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(accounts);
    db.execute(insert(accounts).values(std::vector<Account>{{.id = 1, .owner = "ten", .balance = numeric(10)},
                                                            {.id = 2, .owner = "nine", .balance = numeric(9)},
                                                            {.id = 3, .owner = "minus", .balance = numeric("-3.5")},
                                                            {.id = 4, .owner = "half", .balance = numeric("9.5")}}));
    using ids = std::vector<std::int64_t>;
    auto where = [&](auto condition) { return db.all(select(accounts.id).where(condition).order_by(accounts.id)); };
    CHECK(where(accounts.balance > 9) == ids{1, 4});  // "10" is not below "9" here
    CHECK(where(accounts.balance < numeric("9.5")) == ids{2, 3});
    CHECK(where(accounts.balance >= numeric("9.5")) == ids{1, 4});
    CHECK(where(accounts.balance - 5 > 0) == ids{1, 2, 4});
    CHECK(where(accounts.balance * 2 == 20) == ids{1});
    CHECK(where(accounts.balance * 2 != 19) == ids{1, 2, 3});
    CHECK(where(accounts.balance == 10) == ids{1});
    CHECK(db.one(select(ctorm::count()).from(accounts).where(accounts.overdraft > 0)) == 0);  // NULL: no row
}
