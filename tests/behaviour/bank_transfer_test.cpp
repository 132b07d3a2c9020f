// Concurrent transfers of funds on every backend where two connections share
// data: two threads, each with its own connection, move money both ways many
// times with read-compute-write transactions (rows locked FOR UPDATE on
// PostgreSQL, the write lock of BEGIN IMMEDIATE on SQLite). No cent is lost or
// made, no balance goes below zero, and an insufficient balance rolls back.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace bank {

struct Account {
    std::int64_t id{};
    std::string owner;
    std::int64_t balance{};
};

CTORM_TABLE(accounts, Account, (id, primary_key), (owner, varchar<50>, unique), (balance));

}  // namespace bank

using bank::Account;
using bank::accounts;

namespace {

struct insufficient_funds : std::runtime_error {
    using std::runtime_error::runtime_error;
};

template <class Backend>
constexpr bool on_postgres = Backend::kind == "postgresql";

// Moves `amount` from `from` to `to` reading both balances, computing the new
// ones here and writing them back; returns the payer's new balance. Throws
// insufficient_funds (after which nothing has changed) when it is short.
template <class Backend>
std::int64_t transfer(typename Backend::connection_type& db, std::int64_t from, std::int64_t to, std::int64_t amount) {
    const auto both = select(accounts.id, accounts.balance)
                          .where(accounts.id == std::min(from, to) || accounts.id == std::max(from, to))
                          .order_by(accounts.id);
    std::vector<std::tuple<std::int64_t, std::int64_t>> rows;
    auto tx = [&db] {
        if constexpr (on_postgres<Backend>) return db.begin();
        else return db.begin(ctorm::sqlite::transaction_mode::immediate);
    }();
    if constexpr (on_postgres<Backend>) {
        rows = db.all(both.for_update());  // locked in id order: opposite transfers queue, never deadlock
    } else {
        rows = db.all(both);
    }
    if (rows.size() != 2) throw std::logic_error("transfer: missing account");
    const bool from_first = std::get<0>(rows[0]) == from;
    const std::int64_t from_balance = std::get<1>(rows[from_first ? 0 : 1]);
    const std::int64_t to_balance = std::get<1>(rows[from_first ? 1 : 0]);
    if (from_balance < amount) throw insufficient_funds("insufficient funds");
    db.execute(update(accounts).set(accounts.balance = from_balance - amount).where(accounts.id == from));
    db.execute(update(accounts).set(accounts.balance = to_balance + amount).where(accounts.id == to));
    tx.commit();
    return from_balance - amount;
}

template <class DB>
std::int64_t balance_of(DB& db, std::int64_t id) {
    return db.one(select(accounts.balance).where(accounts.id == id));
}

template <class DB>
std::int64_t total(DB& db) {
    std::int64_t sum = 0;
    for (std::int64_t b : db.all(select(accounts.balance))) sum += b;
    return sum;
}

template <class Backend>
typename Backend::connection_type bank_db() {
    auto db = Backend::fresh("bank");
    db.create_all(accounts);
    return db;
}

}  // namespace

TEMPLATE_TEST_CASE("a transfer moves funds, and insufficient funds roll it back", "[bank]",
                   CTORM_TEST_SHARED_BACKENDS) {
    auto db = bank_db<TestType>();
    const std::int64_t ann =
        db.scalar(insert(accounts).values(Account{.owner = "Ann", .balance = 100}).returning(accounts.id));
    const std::int64_t bob =
        db.scalar(insert(accounts).values(Account{.owner = "Bob", .balance = 50}).returning(accounts.id));
    REQUIRE(ann != bob);

    CHECK(transfer<TestType>(db, ann, bob, 30) == 70);
    CHECK(balance_of(db, ann) == 70);
    CHECK(balance_of(db, bob) == 80);

    CHECK_THROWS_AS(transfer<TestType>(db, bob, ann, 81), insufficient_funds);
    CHECK_FALSE(db.in_transaction());
    CHECK(balance_of(db, ann) == 70);
    CHECK(balance_of(db, bob) == 80);

    CHECK(transfer<TestType>(db, bob, ann, 80) == 0);  // exactly all of it
    auto other = TestType::reconnect(db);
    CHECK(balance_of(other, bob) == 0);
    CHECK(balance_of(other, ann) == 150);
}

TEMPLATE_TEST_CASE("two threads transferring both ways at once keep the total and never overdraw", "[bank]",
                   CTORM_TEST_SHARED_BACKENDS) {
    auto db = bank_db<TestType>();
    const std::int64_t ann =
        db.scalar(insert(accounts).values(Account{.owner = "Ann", .balance = 100}).returning(accounts.id));
    const std::int64_t bob =
        db.scalar(insert(accounts).values(Account{.owner = "Bob", .balance = 100}).returning(accounts.id));

    constexpr int per_thread = 300;
    std::atomic<int> made{0}, refused{0};
    std::atomic<std::int64_t> lowest{std::numeric_limits<std::int64_t>::max()};
    std::exception_ptr errors[2];
    // Each thread has its own connection; Catch2's macros stay on this thread.
    auto clerk = [&](typename TestType::connection_type own, std::int64_t from, std::int64_t to,
                     std::exception_ptr& error) {
        try {
            for (int i = 0; i < per_thread; ++i) {
                try {
                    const std::int64_t left = transfer<TestType>(own, from, to, 1 + i % 9);
                    std::int64_t seen = lowest.load();
                    while (left < seen && !lowest.compare_exchange_weak(seen, left)) {
                    }
                    ++made;
                } catch (const insufficient_funds&) {
                    ++refused;
                }
            }
        } catch (...) {
            error = std::current_exception();
        }
    };
    std::thread one(clerk, TestType::reconnect(db), ann, bob, std::ref(errors[0]));
    std::thread two(clerk, TestType::reconnect(db), bob, ann, std::ref(errors[1]));
    one.join();
    two.join();
    for (const std::exception_ptr& error : errors) {
        if (!error) continue;
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            FAIL("a transfer thread failed: " << e.what());
        }
    }

    CHECK(made + refused == 2 * per_thread);
    CHECK(made > 0);
    CHECK(lowest >= 0);
    CHECK(total(db) == 200);
    CHECK(db.scalar(select(ctorm::count()).from(accounts).where(accounts.balance < 0)) == 0);
    CHECK_FALSE(db.in_transaction());
}
