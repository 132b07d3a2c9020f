// ctorm::numeric computing in SQL, the same exact values on every backend: a
// transfer written as UPDATE ... SET balance = balance - amount, sums that a
// double would get wrong, MIN / MAX in numeric order (SQLite stores the text,
// whose own order puts "10" before "9"), NULLs, SUM as a running total, and
// + - * of generated values checked against ctorm::numeric's C++ arithmetic,
// divide<S> / avg<S> against ctorm::numeric::divide, and ORDER BY a numeric
// in numeric order (SQLite: by ctorm_numeric_order's key, not by the text).
// SQLite computes them with ctorm's functions (sqlite/numeric_functions.hpp),
// PostgreSQL with its numeric. The SQL text is pinned in tests/unit/numeric_sql_test.cpp.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
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

TEMPLATE_TEST_CASE("divide<S> of numerics in SQL gives what ctorm::numeric::divide computes", "[numeric]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(accounts);
    std::mt19937_64 rng(11);
    std::vector<Account> rows;
    for (std::int64_t i = 1; i <= 300; ++i) {
        std::optional<numeric> divisor(random_decimal(rng));
        if (i % 10 == 0) divisor = std::nullopt;
        else if (i % 10 == 5) divisor = numeric(0);
        rows.push_back({.id = i, .owner = "o", .balance = numeric(random_decimal(rng)), .overdraft = divisor});
    }
    // Halves at each scale, both signs: 0.5 -> 1, -0.5 -> -1, 0.125 -> 0.13, -0.125 -> -0.13.
    rows.push_back({.id = 301, .owner = "o", .balance = numeric(1), .overdraft = numeric(2)});
    rows.push_back({.id = 302, .owner = "o", .balance = numeric(-1), .overdraft = numeric(2)});
    rows.push_back({.id = 303, .owner = "o", .balance = numeric("0.125"), .overdraft = numeric(1)});
    rows.push_back({.id = 304, .owner = "o", .balance = numeric("-0.125"), .overdraft = numeric(1)});
    db.execute(insert(accounts).values(rows));
    const auto computed =
        db.all(select(accounts.id, ctorm::divide<0>(accounts.balance, accounts.overdraft),
                      ctorm::divide<2>(accounts.balance, accounts.overdraft),
                      ctorm::divide<7>(accounts.balance, accounts.overdraft), ctorm::divide<3>(accounts.balance, 7))
                   .order_by(accounts.id));
    REQUIRE(computed.size() == rows.size());
    std::size_t nulls = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Account& r = rows[i];
        const auto& [id, whole, cents, fine, sevenths] = computed[i];
        INFO("balance " << r.balance.to_string() << ", overdraft "
                        << (r.overdraft ? r.overdraft->to_string() : std::string("NULL")));
        CHECK(id == r.id);
        if (r.overdraft && r.overdraft->sign() != 0) {
            CHECK(whole == numeric::divide(r.balance, *r.overdraft, 0));
            CHECK(cents == numeric::divide(r.balance, *r.overdraft, 2));
            CHECK(fine == numeric::divide(r.balance, *r.overdraft, 7));
        } else {
            ++nulls;
            CHECK_FALSE(whole.has_value());
            CHECK_FALSE(cents.has_value());
            CHECK_FALSE(fine.has_value());
        }
        CHECK(sevenths == numeric::divide(r.balance, numeric(7), 3));
    }
    CHECK(nulls >= 60);  // 30 NULL divisors, 30 zeros, and the random zeros
    CHECK(std::get<1>(computed[300]) == numeric(1));
    CHECK(std::get<1>(computed[301]) == numeric(-1));
    CHECK(std::get<2>(computed[302]) == numeric("0.13"));
    CHECK(std::get<2>(computed[303]) == numeric("-0.13"));
}

TEMPLATE_TEST_CASE("avg<S> of numerics and integers is the exact mean rounded to S places", "[numeric]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(accounts);
    CHECK(db.one(select(ctorm::avg<2>(accounts.balance)).from(accounts)) == std::nullopt);  // no rows
    std::mt19937_64 rng(5);
    std::vector<Account> rows;
    std::map<std::string, std::pair<numeric, std::int64_t>> balances, overdrafts;  // sum, count per owner
    for (std::int64_t i = 1; i <= 200; ++i) {
        const std::string owner = "g" + std::to_string(i % 7);
        std::optional<numeric> overdraft;
        if (i % 3 != 0) overdraft = numeric(random_decimal(rng));
        rows.push_back({.id = i, .owner = owner, .balance = numeric(random_decimal(rng)), .overdraft = overdraft});
        auto& [b_sum, b_count] = balances[owner];
        b_sum += rows.back().balance;
        ++b_count;
        if (overdraft) {
            auto& [o_sum, o_count] = overdrafts[owner];
            o_sum += *overdraft;
            ++o_count;
        }
    }
    db.execute(insert(accounts).values(rows));
    const auto means = db.all(select(accounts.owner, ctorm::avg<2>(accounts.balance), ctorm::avg<5>(accounts.overdraft),
                                     ctorm::avg<1>(accounts.id))
                                  .group_by(accounts.owner)
                                  .order_by(accounts.owner));
    REQUIRE(means.size() == 7);
    for (const auto& [owner, balance, overdraft, id] : means) {
        INFO(owner);
        const auto& [b_sum, b_count] = balances.at(owner);
        const auto& [o_sum, o_count] = overdrafts.at(owner);
        CHECK(balance == numeric::divide(b_sum, numeric(b_count), 2));
        CHECK(overdraft == numeric::divide(o_sum, numeric(o_count), 5));
        CHECK(id.has_value());
    }
    // The ids 1..200: their mean is 100.5, exactly, at any scale.
    CHECK(db.one(select(ctorm::avg<1>(accounts.id)).from(accounts)) == numeric("100.5"));
    CHECK(db.one(select(ctorm::avg<0>(accounts.id)).from(accounts)) == numeric(101));
}

TEMPLATE_TEST_CASE("ORDER BY a numeric is numeric order on every backend, NULLs and special values included",
                   "[numeric]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(accounts);
    const std::vector<std::optional<numeric>> values{numeric(10),
                                                     numeric(9),
                                                     numeric("-100.5"),
                                                     numeric("0.1"),
                                                     numeric("2.50"),
                                                     numeric("-0.123"),
                                                     numeric("-0.12"),
                                                     numeric(0),
                                                     std::nullopt,
                                                     numeric("99.999"),
                                                     numeric::infinity(),
                                                     numeric::nan(),
                                                     numeric::negative_infinity(),
                                                     numeric("1000000000000.5"),
                                                     numeric("0.0000001"),
                                                     numeric("-9.9999"),
                                                     numeric("100")};
    std::vector<Account> rows;
    for (std::size_t i = 0; i < values.size(); ++i)
        rows.push_back(
            {.id = static_cast<std::int64_t>(i + 1), .owner = "o", .balance = numeric(0), .overdraft = values[i]});
    db.execute(insert(accounts).values(rows));

    // What C++ orders them as, NULL last (as ctorm orders a nullable term everywhere).
    std::vector<std::pair<std::optional<numeric>, std::int64_t>> expected;
    for (const Account& r : rows) expected.emplace_back(r.overdraft, r.id);
    std::stable_sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) {
        if (!a.first || !b.first) return a.first.has_value() && !b.first.has_value();
        return *a.first < *b.first;
    });
    std::vector<std::int64_t> ascending;
    for (const auto& e : expected) ascending.push_back(e.second);

    CHECK(db.all(select(accounts.id).order_by(accounts.overdraft, accounts.id)) == ascending);
    const std::vector<std::int64_t> by_rank =
        db.all(select(accounts.id).order_by(accounts.overdraft.desc().nulls_last(), accounts.id.desc()));
    std::vector<std::int64_t> descending(ascending.rbegin() + 1, ascending.rend());  // NULL's row last again
    descending.push_back(ascending.back());
    CHECK(by_rank == descending);
    // By a label that is also a column's name: the sums' order, not the column's.
    db.execute(update(accounts).set(accounts.balance = numeric(1000)).where(accounts.id == 1));
    db.execute(update(accounts).set(accounts.owner = "big").where(accounts.id <= 2));
    const auto by_label = db.all(select(accounts.owner, ctorm::sum(accounts.overdraft).as<"balance">())
                                     .group_by(accounts.owner)
                                     .order_by(ctorm::sum(accounts.overdraft).as<"balance">().desc()));
    REQUIRE(by_label.size() == 2);
    CHECK(std::get<0>(by_label[0]) == "o");          // a NaN is in o's sum: the greatest
    CHECK(std::get<1>(by_label[1]) == numeric(19));  // 10 + 9

    // A set operation ordered by the numeric: on SQLite the union is the FROM
    // of a select ordered by the numeric key (it followed the text before).
    const auto low = select(accounts.id, accounts.overdraft).where(accounts.id <= 8);
    const auto high = select(accounts.id, accounts.overdraft).where(accounts.id > 8);
    std::vector<std::int64_t> united;
    for (const auto& [id, overdraft] : db.all(union_all(low, high).order_by(accounts.overdraft, accounts.id))) {
        (void)overdraft;
        united.push_back(id);
    }
    CHECK(united == ascending);
    std::vector<std::int64_t> top_three;
    for (const auto& [id, overdraft] :
         db.all(union_all(low, high).order_by(accounts.overdraft.desc().nulls_last(), accounts.id.desc()).limit(3))) {
        (void)overdraft;
        top_three.push_back(id);
    }
    CHECK(top_three == std::vector<std::int64_t>(descending.begin(), descending.begin() + 3));

    // In a window: RANK() by the numeric gives the C++ order's positions.
    const auto ranked =
        db.all(select(accounts.id, ctorm::over(ctorm::rank(), ctorm::window().order_by(accounts.overdraft)))
                   .where(accounts.overdraft.is_not_null())
                   .order_by(accounts.id));
    REQUIRE(ranked.size() == values.size() - 1);
    for (const auto& [id, rank] : ranked) {
        const auto at = std::find(ascending.begin(), ascending.end(), id) - ascending.begin();
        CHECK(rank == at + 1);
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
    // BETWEEN too: on SQLite by the numeric order key (as text, "10" and "9.5" were not between "9" and "20")
    CHECK(where(accounts.balance.between(numeric(9), numeric(20))) == ids{1, 2, 4});
    CHECK(where(accounts.balance.between(-4, 9)) == ids{2, 3});
    CHECK(where(accounts.balance.between(accounts.balance - 1, accounts.balance)) == ids{1, 2, 3, 4});
}
