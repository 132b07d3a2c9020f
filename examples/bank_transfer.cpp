// The transfer of funds between two accounts from the SQLAlchemy guides: both
// rows locked inside one transaction, insufficient funds refused and rolled
// back, and two clerks transferring at the same time in opposite directions
// without losing or making a cent.
//
//   bank_transfer                      SQLite, the file bank.db in the working directory
//   bank_transfer postgresql://...     PostgreSQL (or set CTORM_PG_URL)
//
// On PostgreSQL the two rows are locked with SELECT ... FOR UPDATE, always in
// id order, so that two transfers in opposite directions wait for each other
// instead of deadlocking. SQLite has no row locks (for_update() does not
// compile for it): BEGIN IMMEDIATE takes the database's write lock instead.
// expect-output: on SQLite: [0-9]+ transfers made, [0-9]+ refused for insufficient funds; the total is unchanged
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <vector>

#include <ctorm/postgres.hpp>
#include <ctorm/sqlite.hpp>

struct Account {
    std::int64_t id{};
    std::string owner{};
    std::int64_t balance{};  // in cents: money is never a double
};

CTORM_TABLE(accounts, Account,
            (id, primary_key),
            (owner, varchar<100>, unique),
            (balance));

// What transfer() throws when the payer's balance is short. Nothing has
// changed by then: the transaction is rolled back.
class insufficient_funds : public std::runtime_error {
public:
    insufficient_funds(std::int64_t account, std::int64_t balance, std::int64_t amount)
        : std::runtime_error("insufficient funds: account " + std::to_string(account) + " holds " +
                             std::to_string(balance) + " cents, " + std::to_string(amount) + " requested"),
          account_(account),
          balance_(balance),
          amount_(amount) {}
    std::int64_t account() const noexcept { return account_; }
    std::int64_t balance() const noexcept { return balance_; }
    std::int64_t amount() const noexcept { return amount_; }

private:
    std::int64_t account_, balance_, amount_;
};

namespace {

template <class Connection>
constexpr bool is_postgres = std::is_same_v<Connection, ctorm::postgres::connection>;

// The id and balance of accounts `low` and `high`, in id order, locked until
// the transaction ends.
template <class Connection>
std::vector<std::tuple<std::int64_t, std::int64_t>> lock_accounts(Connection& db, std::int64_t low, std::int64_t high) {
    const auto both = select(accounts.id, accounts.balance).where(accounts.id.in_(low, high)).order_by(accounts.id);
    if constexpr (is_postgres<Connection>) {
        // Rows are locked in the order the select returns them: by id.
        return db.all(both.for_update());
    } else {
        // The transaction already holds SQLite's write lock (BEGIN IMMEDIATE).
        return db.all(both);
    }
}

template <class Connection>
auto begin_transfer(Connection& db) {
    if constexpr (is_postgres<Connection>) {
        return db.begin();
    } else {
        return db.begin(ctorm::sqlite::transaction_mode::immediate);
    }
}

}  // namespace

// Moves `amount` cents from account `from` to account `to`, or nothing.
template <class Connection>
void transfer(Connection& db, std::int64_t from, std::int64_t to, std::int64_t amount) {
    if (amount <= 0) throw std::invalid_argument("transfer: the amount must be positive");
    if (from == to) throw std::invalid_argument("transfer: the two accounts must differ");

    auto tx = begin_transfer(db);
    const auto rows = lock_accounts(db, std::min(from, to), std::max(from, to));
    if (rows.size() != 2) throw std::invalid_argument("transfer: no such account");
    const bool from_first = std::get<0>(rows[0]) == from;
    const std::int64_t from_balance = std::get<1>(rows[from_first ? 0 : 1]);
    const std::int64_t to_balance = std::get<1>(rows[from_first ? 1 : 0]);
    if (from_balance < amount) throw insufficient_funds(from, from_balance, amount);  // tx rolls back

    // Read, compute, write back, as an ORM's unit of work does: only the locks
    // keep a concurrent transfer from overwriting these balances with stale ones.
    db.execute(update(accounts).set(accounts.balance = from_balance - amount).where(accounts.id == from));
    db.execute(update(accounts).set(accounts.balance = to_balance + amount).where(accounts.id == to));
    tx.commit();
}

namespace {

std::string money(std::int64_t cents) {
    const std::int64_t whole = (cents < 0 ? -cents : cents) / 100;
    const std::int64_t rest = (cents < 0 ? -cents : cents) % 100;
    return (cents < 0 ? "-" : "") + std::to_string(whole) + (rest < 10 ? ".0" : ".") + std::to_string(rest);
}

template <class Connection>
void show(Connection& db) {
    for (const Account& a : db.all(select(accounts).order_by(accounts.id)))
        std::cout << "   " << a.owner << ": " << money(a.balance) << '\n';
}

template <class Connection>
std::int64_t total(Connection& db) {
    std::int64_t sum = 0;
    for (std::int64_t b : db.all(select(accounts.balance))) sum += b;
    return sum;
}

// The whole story on one backend; `connect` opens another connection to the
// same database, for the second clerk. Returns false if a cent went astray.
template <class Connection>
bool run(const std::string& backend, const std::function<Connection()>& connect) {
    Connection db = connect();
    db.drop_all(accounts);
    db.create_all(accounts);
    // The new keys, on either backend: RETURNING them.
    const std::int64_t ann =
        db.scalar(insert(accounts).values(Account{.owner = "Ann", .balance = 100'00}).returning(accounts.id));
    const std::int64_t bob =
        db.scalar(insert(accounts).values(Account{.owner = "Bob", .balance = 50'00}).returning(accounts.id));
    std::cout << "bank_transfer on " << backend << ": opening balances\n";
    show(db);
    const std::int64_t opening = total(db);

    std::cout << "-- Ann pays Bob 30.00\n";
    transfer(db, ann, bob, 30'00);
    show(db);

    std::cout << "-- Bob tries to pay Ann 500.00\n";
    try {
        transfer(db, bob, ann, 500'00);
        std::cout << "   accepted?!\n";
        return false;
    } catch (const insufficient_funds& e) {
        std::cout << "   refused, " << e.what() << "; nothing changed:\n";
    }
    show(db);

    // Two clerks, each with a connection of their own, move money both ways at
    // once. The locks make every transfer see the balance the previous one left.
    constexpr int per_clerk = 200;
    std::atomic<int> done{0}, refused{0};
    std::atomic<bool> failed{false};
    const auto clerk = [&](std::int64_t from, std::int64_t to, std::int64_t step) {
        try {
            Connection own = connect();
            for (int i = 0; i < per_clerk; ++i) {
                try {
                    transfer(own, from, to, step + i % 7 * 100);
                    ++done;
                } catch (const insufficient_funds&) {
                    ++refused;
                }
            }
        } catch (const std::exception& e) {
            std::cerr << "bank_transfer: clerk failed: " << e.what() << '\n';
            failed = true;
        }
    };
    std::cout << "-- two clerks make " << 2 * per_clerk << " transfers at once, in both directions\n";
    std::thread first(clerk, ann, bob, 5'00);
    std::thread second(clerk, bob, ann, 5'00);
    first.join();
    second.join();
    show(db);

    const std::int64_t closing = total(db);
    const bool no_debt = db.scalar(select(ctorm::count()).from(accounts).where(accounts.balance < 0)) == 0;
    const bool ok = !failed && closing == opening && no_debt && done + refused == 2 * per_clerk;
    std::cout << "bank_transfer on " << backend << ": " << done << " transfers made, " << refused
              << " refused for insufficient funds; "
              << (ok ? "the total is unchanged (" + money(closing) + ")"
                     : "INCONSISTENT: total " + money(closing) + ", was " + money(opening))
              << '\n';
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::string url = argc > 1 ? argv[1] : "";
        if (url.empty()) {
            if (const char* env = std::getenv("CTORM_PG_URL")) url = env;
        }
        bool ok = false;
        if (!url.empty()) {
            ok = run<ctorm::postgres::connection>("PostgreSQL", [&url] { return ctorm::postgres::connect(url); });
        } else {
            ok = run<ctorm::sqlite::connection>("SQLite", [] { return ctorm::sqlite::connect("sqlite:///bank.db"); });
        }
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "bank_transfer: error: " << e.what() << '\n';
        return 1;
    }
}
