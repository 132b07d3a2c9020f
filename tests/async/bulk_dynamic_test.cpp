// Bulk inserts and dynamic statements through the async connections on every
// backend: a bulk insert of 1,200 rows, one that fails on a row in the
// middle and leaves nothing (its own transaction), one inside a transaction
// undone with it, and dynamic selects built at run time. On PostgreSQL these
// run as jobs of run() (the blocking connection on the worker thread).
// Statements are named before they are awaited (g++ 12, docs/async.md).
#include "support/async_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

using namespace blog;
using ctorm::asio::awaitable;
using ctorm_test::someone;
using ctorm_test::user_count;

namespace {

std::vector<User> people(int n, int first = 0) {
    std::vector<User> out;
    for (int i = first; i < first + n; ++i) out.push_back(someone("u" + std::to_string(i) + "@x.io"));
    return out;
}

}  // namespace

TEMPLATE_TEST_CASE("async bulk inserts: every row, all or nothing, and undone with a transaction", "[async][bulk]",
                   CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("async_bulk");
        const std::vector<User> many = people(1200);
        const auto bulk = insert(users).values(many);
        const auto r = co_await db.execute(bulk);
        CHECK(r.rows_affected == 1200);
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 1200);
        }

        std::vector<User> clashing = people(10, 2000);
        clashing[6] = someone("u5@x.io");  // already there: the 7th row fails
        const auto failing = insert(users).values(clashing);
        bool unique = false;
        try {
            (void)co_await db.execute(failing);
        } catch (const ctorm::unique_violation&) {
            unique = true;
        }
        CHECK(unique);
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 1200);  // none of the 10
        }

        {
            auto tx = co_await db.begin();
            const std::vector<User> more = people(30, 3000);
            const auto inside = insert(users).values(more);
            const auto inserted = co_await db.execute(inside);
            CHECK(inserted.rows_affected == 30);
            {
                const auto awaited = co_await user_count(db);
                CHECK(awaited == 1230);
            }
            co_await tx.rollback();
        }
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 1200);
        }
    });
}

TEMPLATE_TEST_CASE("async dynamic statements: a select built at run time, all / first / one / scalar",
                   "[async][dynamic]", CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("async_dynamic");
        const std::vector<User> some = people(20);
        const auto bulk = insert(users).values(some);
        (void)co_await db.execute(bulk);
        for (int pass = 0; pass < 2; ++pass) {
            const bool only_a_few = pass == 0;
            auto q = dynamic(select(users.email));
            if (only_a_few) q.where(users.email < std::string("u12@x.io"));
            const std::vector<std::string> rows = co_await db.all(q);
            CHECK(rows.size() == (only_a_few ? 3u : 20u));  // u0, u10, u11 ("u1@" sorts after "u12": @ > 2)
        }
        auto by_email = dynamic(select(users.name));
        by_email.where(users.email == std::string("u3@x.io"));
        {
            const auto awaited = co_await db.one(by_email);
            CHECK(awaited == "someone");
        }
        const auto found = co_await db.first(by_email);
        CHECK(found.has_value());
        auto counted = dynamic(select(ctorm::count()).from(users));
        counted.where(users.is_active);
        {
            const auto awaited = co_await db.scalar(counted);
            CHECK(awaited == 20);
        }
    });
}
