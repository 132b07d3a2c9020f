// ctorm::create_engine(address): the backend chosen at run time by the
// address, on every backend (sqlite:///:memory:, a sqlite:/// file, and a
// libpq keyword string for PostgreSQL), through one function compiled once
// for all of them; and the addresses it refuses.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <ctorm/engine/create_engine.hpp>
#include <ctorm/orm.hpp>

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

using namespace blog;

namespace {

// The address of a fresh blog database of the backend's, for create_engine.
template <class Backend>
std::string fresh_address(const char* tag) {
    if constexpr (std::is_same_v<Backend, ctorm_test::sqlite_memory>) {
        return "sqlite:///:memory:";  // the engine's one connection: its tables are made through it
    } else if constexpr (std::is_same_v<Backend, ctorm_test::sqlite_file>) {
        const auto db = Backend::fresh(tag);
        return "sqlite:///" + db.path();
    } else {
#ifdef CTORM_TEST_WITH_POSTGRES
        (void)Backend::fresh(tag);  // a fresh schema holding the blog tables
        return "host=" + ctorm_test::postgres_server_parameter("host") +
               " port=" + ctorm_test::postgres_server_parameter("port") +
               " dbname=" + ctorm_test::postgres_test_database() +
               " user=postgres options='-c search_path=" + ctorm_test::postgres_schema_name(tag) + "'";
#else
        static_assert(!sizeof(Backend), "no such backend in this build");
#endif
    }
}

// One function, compiled once, whatever the engine's backend turns out to be.
std::vector<User> active_users(ctorm::runtime_engine& engine) {
    auto db = engine.connect();
    return db.all(select(users).where(users.is_active).order_by(users.id));
}

std::int64_t user_count(ctorm::runtime_engine& engine) {
    return engine.run([](auto& db) -> std::int64_t { return db.scalar(select(ctorm::count()).from(users)); });
}

template <class Backend>
ctorm::runtime_engine fresh_engine(const char* tag) {
    auto engine = ctorm::create_engine(fresh_address<Backend>(tag), {.pool_size = 2, .max_overflow = 0});
    if constexpr (std::is_same_v<Backend, ctorm_test::sqlite_memory>)
        engine.connect().create_all(users, posts, post_tags, everything);
    return engine;
}

}  // namespace

TEMPLATE_TEST_CASE("create_engine chooses the backend from the address, and statements run through a checkout",
                   "[engine]", CTORM_TEST_BACKENDS) {
    auto engine = fresh_engine<TestType>("runtime_choose");
    CHECK(engine.dialect_name() == TestType::kind);
    CHECK((engine.backend() == ctorm::backend_kind::sqlite) == (TestType::kind == ctorm::sqlite_dialect::name));
    {
        auto db = engine.connect();
        CHECK(db.backend() == engine.backend());
        db.execute(insert(users).values(User{.email = "ann@x.io", .name = "Ann"}));
        db.execute(insert(users).values(User{.email = "bob@x.io", .name = "Bob", .is_active = false}));
        CHECK(db.scalar(select(ctorm::count()).from(users)) == 2);
        CHECK(db.one(select(users.name).where(users.email == "bob@x.io")) == "Bob");
        CHECK_FALSE(db.one_or_none(select(users.name).where(users.email == "cy@x.io")).has_value());
        CHECK(db.first(select(users.name).order_by(users.name.desc())) == "Bob");
        CHECK(db.execute(update(users).set(users.name = "Ann B.").where(users.email == "ann@x.io")).rows_affected == 1);
    }
    const std::vector<User> active = active_users(engine);
    REQUIRE(active.size() == 1);
    CHECK(active[0].name == "Ann B.");
    const auto s = engine.statistics();
    CHECK(s.connects == 1);  // the second checkout reused the first's connection
    CHECK(s.checked_out == 0);
}

TEMPLATE_TEST_CASE("run(): a session on the chosen backend; what it committed is there for the next checkout",
                   "[engine]", CTORM_TEST_BACKENDS) {
    auto engine = fresh_engine<TestType>("runtime_session");
    engine.run([](auto& db) {
        ctorm::session s(db);
        auto ann = s.add(users, User{.email = "ann@x.io", .name = "Ann"});
        s.flush();
        CHECK(ann->id > 0);
        s.commit();
    });
    CHECK(user_count(engine) == 1);
    engine.run([](auto& db) {
        ctorm::session s(db);
        s.add(users, User{.email = "gone@x.io", .name = "Gone"});
        s.flush();
    });  // not committed: rolled back with the session, and on return
    CHECK(user_count(engine) == 1);
    CHECK(engine.statistics().checked_out == 0);
}

TEST_CASE("create_engine refuses an address of no backend with url_error, the password hidden") {
    CHECK(ctorm::backend_of("sqlite:///app.db") == ctorm::backend_kind::sqlite);
    CHECK(ctorm::backend_of("sqlite:///:memory:") == ctorm::backend_kind::sqlite);
    CHECK(ctorm::backend_of("postgresql://u@h/db") == ctorm::backend_kind::postgresql);
    CHECK(ctorm::backend_of("postgres://u@h/db") == ctorm::backend_kind::postgresql);
    CHECK(ctorm::backend_of("host=localhost dbname=app") == ctorm::backend_kind::postgresql);
    try {
        (void)ctorm::create_engine("mysql://app:hunter2@db.example/app");
        FAIL("mysql:// was accepted");
    } catch (const ctorm::url_error& e) {
        const std::string what = e.what();
        CHECK_THAT(what, Catch::Contains("unknown database URL scheme 'mysql'"));
        CHECK_THAT(what, !Catch::Contains("hunter2"));
    }
    CHECK_THROWS_AS(ctorm::create_engine("app.db"), ctorm::url_error);
}
