// The generic repository on every backend: get_by_id through the identity
// map, pages in primary-key order, create/update/remove flushing one
// statement each, count and exists, a composite key, a user_repository that
// adds get_by_email, and the transaction left to the caller. Every case
// counts the statements each call sends.
#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

using namespace blog;

namespace {

using statement_log = ctorm_test::statement_log;

template <class D>
std::string placeholder(int n) {
    return D::name == std::string_view("postgresql") ? "$" + std::to_string(n) : "?";
}

User person(const std::string& name) { return User{.email = name + "@example.com", .name = name}; }

template <class C>
std::int64_t rows_of_users(C& db) {
    return db.scalar(select(ctorm::count()).from(users));
}

// What a user writes to add queries: derive, keep Session a parameter (one
// class for every backend), query through session() so the results are the
// session's objects.
template <class Session>
class user_repository : public ctorm::repository<decltype(users), Session> {
public:
    explicit user_repository(Session& s) : ctorm::repository<decltype(users), Session>(s) {}

    // The user with this email (unique), or an empty handle.
    ctorm::handle<User> get_by_email(const std::string& email) {
        return this->session().first(select(users).where(users.email == email));
    }
};
template <class Session>
user_repository(Session&) -> user_repository<Session>;

}  // namespace

// The deduced type, and the type a derived repository names, are one.
static_assert(
    std::is_same_v<decltype(ctorm::repository(std::declval<ctorm::session<ctorm::sqlite::connection>&>(), users)),
                   ctorm::repository<ctorm_table_users, ctorm::session<ctorm::sqlite::connection>>>);
static_assert(std::is_base_of_v<ctorm::repository<ctorm_table_users, ctorm::session<ctorm::sqlite::connection>>,
                                user_repository<ctorm::session<ctorm::sqlite::connection>>>);

TEMPLATE_TEST_CASE("create adds and flushes: one INSERT, the key and server defaults read back, not committed",
                   "[orm][repository]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    ctorm::repository repo(s, users);

    auto ann = repo.create(person("ann"));
    REQUIRE(log.count() == 2);  // BEGIN (the session's first statement), INSERT ... RETURNING
    CHECK(log.texts[0] == "BEGIN");
    CHECK(log.starts_with(1, "INSERT INTO \"users\""));
    CHECK(log.texts[1].find("RETURNING") != std::string::npos);
    CHECK(ann.state() == ctorm::object_state::persistent);
    CHECK(ann->id > 0);
    CHECK(ann->created_at != ctorm::timestamp{});

    log.clear();
    auto bob = repo.create(person("bob"));
    REQUIRE(log.count() == 1);  // the INSERT only
    CHECK(log.starts_with(0, "INSERT INTO \"users\""));
    CHECK(bob->id > ann->id);

    // Not committed: the caller owns the transaction.
    CHECK(s.in_transaction());
    s.rollback();
    CHECK(ann.state() == ctorm::object_state::detached);
    CHECK(rows_of_users(db) == 0);

    repo.create(person("cid"));
    s.commit();
    CHECK(rows_of_users(db) == 1);

    // A duplicate email: the database's error, and the session goes on.
    log.clear();
    CHECK_THROWS_AS(repo.create(person("cid")), ctorm::unique_violation);
    CHECK(repo.count() == 1);
}

TEMPLATE_TEST_CASE("get_by_id: the identity map's object without SQL, one SELECT otherwise, empty when absent",
                   "[orm][repository]", CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    db.execute(insert(users).values(person("ann")));
    db.execute(insert(users).values(person("bob")));
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    ctorm::repository repo(s, users);

    auto ann = repo.get_by_id(std::int64_t{1});
    REQUIRE(ann);
    CHECK(ann->name == "ann");
    REQUIRE(log.count() == 2);  // BEGIN, SELECT
    CHECK(log.texts[1] ==
          "SELECT \"users\".\"id\", \"users\".\"email\", \"users\".\"name\", \"users\".\"is_active\", "
          "\"users\".\"created_at\" FROM \"users\" WHERE \"users\".\"id\" = " +
              placeholder<D>(1));

    log.clear();
    CHECK(repo.get_by_id(std::int64_t{1}) == ann);  // the same object
    CHECK(repo.get_by_id(1) == ann);                // any argument the key converts from
    CHECK(log.count() == 0);

    // A created object is in the identity map too.
    auto cid = repo.create(person("cid"));
    log.clear();
    CHECK(repo.get_by_id(cid->id) == cid);
    CHECK(log.count() == 0);

    // No such row: an empty handle, after one SELECT.
    auto nobody = repo.get_by_id(std::int64_t{99});
    CHECK_FALSE(nobody);
    CHECK(log.count() == 1);
    CHECK_THROWS_AS(nobody->name, ctorm::session_error);
}

TEMPLATE_TEST_CASE("get_all pages in primary-key order, one SELECT a page, the session's objects", "[orm][repository]",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    // Keys inserted out of order, so that only ORDER BY makes the pages.
    for (std::int64_t id : {4, 2, 5, 1, 3})
        db.execute(insert(users).values(
            User{.id = id, .email = "u" + std::to_string(id) + "@example.com", .name = "u" + std::to_string(id)}));
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    ctorm::repository repo(s, users);

    const auto ids = [](const std::vector<ctorm::handle<User>>& page) {
        std::vector<std::int64_t> out;
        for (const auto& h : page) out.push_back(h.get().id);
        return out;
    };
    auto first = repo.get_all(0, 2);
    REQUIRE(log.count() == 2);  // BEGIN, SELECT
    CHECK(log.texts[1].find(" FROM \"users\" ORDER BY \"users\".\"id\" LIMIT " + placeholder<D>(1) + " OFFSET " +
                            placeholder<D>(2)) != std::string::npos);
    CHECK(ids(first) == std::vector<std::int64_t>{1, 2});
    log.clear();
    CHECK(ids(repo.get_all(2, 2)) == std::vector<std::int64_t>{3, 4});
    CHECK(ids(repo.get_all(4, 2)) == std::vector<std::int64_t>{5});
    CHECK(repo.get_all(5, 2).empty());
    CHECK(repo.get_all(0, 0).empty());
    CHECK(log.count() == 4);

    // The defaults (skip 0, limit 100): everything; the objects are the identity map's.
    log.clear();
    auto everyone = repo.get_all();
    CHECK(log.count() == 1);
    REQUIRE(ids(everyone) == std::vector<std::int64_t>{1, 2, 3, 4, 5});
    CHECK(everyone[0] == first[0]);
    CHECK(repo.get_by_id(std::int64_t{5}) == everyone[4]);
    CHECK(log.count() == 1);

    // What the session holds in memory wins over the row (keep_existing),
    // and what it has pending is flushed first (autoflush).
    first[0]->name = "changed in memory";
    s.add(users, User{.id = 6, .email = "u6@example.com", .name = "u6"});
    log.clear();
    auto all = repo.get_all(0, 10);
    CHECK(log.count() == 3);  // the INSERT of u6, the UPDATE of u1 (autoflush), the SELECT
    REQUIRE(all.size() == 6);
    CHECK(all[0]->name == "changed in memory");

    // Negative values mean "no limit" to SQLite and are an error to PostgreSQL: refused, no SQL.
    log.clear();
    CHECK_THROWS_AS(repo.get_all(-1, 10), std::invalid_argument);
    CHECK_THROWS_AS(repo.get_all(0, -1), std::invalid_argument);
    CHECK(log.count() == 0);
}

TEMPLATE_TEST_CASE("update edits through a callable and flushes one UPDATE of the changed columns", "[orm][repository]",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    db.execute(insert(users).values(person("ann")));
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    ctorm::repository repo(s, users);
    auto ann = repo.get_by_id(std::int64_t{1});
    log.clear();

    auto same = repo.update(ann, [](User& u) { u.name = "Ann B."; });
    CHECK(same == ann);
    REQUIRE(log.count() == 1);
    CHECK(log.texts[0] ==
          "UPDATE \"users\" SET \"name\" = " + placeholder<D>(1) + " WHERE \"id\" = " + placeholder<D>(2));

    log.clear();
    repo.update(ann, [](User& u) {
        u.email = "ann.b@example.com";
        u.is_active = false;
    });
    REQUIRE(log.count() == 1);
    CHECK(log.texts[0] == "UPDATE \"users\" SET \"email\" = " + placeholder<D>(1) +
                              ", \"is_active\" = " + placeholder<D>(2) + " WHERE \"id\" = " + placeholder<D>(3));

    // An edit that changes nothing sends nothing.
    log.clear();
    repo.update(ann, [](User& u) { u.name = "Ann B."; });
    CHECK(log.count() == 0);

    s.commit();
    const User stored = db.one(select(users).where(users.id == 1));
    CHECK(stored.name == "Ann B.");
    CHECK(stored.email == "ann.b@example.com");
    CHECK_FALSE(stored.is_active);

    // An edit that throws: nothing is flushed; refresh throws the change away.
    log.clear();
    CHECK_THROWS_AS(repo.update(ann,
                                [](User& u) {
                                    u.name = "half done";
                                    throw std::runtime_error("edit failed");
                                }),
                    std::runtime_error);
    CHECK(log.count() == 0);
    s.refresh(ann);
    CHECK(ann->name == "Ann B.");

    // A pending object: its INSERT carries the edit.
    auto bob = s.add(users, person("bob"));
    log.clear();
    repo.update(bob, [](User& u) { u.name = "Bob"; });
    REQUIRE(log.count() == 1);
    CHECK(log.starts_with(0, "INSERT INTO \"users\""));
    s.commit();
    CHECK(db.scalar(select(users.name).where(users.email == "bob@example.com")) == "Bob");

    // Objects out of the session are refused by name, before the edit runs.
    bool edited = false;
    const ctorm::handle<User> empty;
    CHECK_THROWS_AS(repo.update(empty, [&](User&) { edited = true; }), ctorm::session_error);
    s.expunge(ann);
    CHECK_THROWS_WITH(repo.update(ann, [&](User&) { edited = true; }),
                      Catch::Contains("update(): the object is not in the session (detached)"));
    CHECK_FALSE(edited);
}

TEMPLATE_TEST_CASE("remove flushes one DELETE: the object is deleted, then detached at commit", "[orm][repository]",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    db.execute(insert(users).values(person("ann")));
    db.execute(insert(users).values(person("bob")));
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    ctorm::repository repo(s, users);
    auto ann = repo.get_by_id(std::int64_t{1});
    log.clear();

    repo.remove(ann);
    REQUIRE(log.count() == 1);
    CHECK(log.texts[0] == "DELETE FROM \"users\" WHERE \"users\".\"id\" = " + placeholder<D>(1));
    CHECK(ann.state() == ctorm::object_state::deleted);
    CHECK_FALSE(repo.get_by_id(std::int64_t{1}));  // gone from the identity map: one SELECT finds no row
    CHECK(repo.count() == 1);
    CHECK(log.count() == 3);

    s.commit();
    CHECK(ann.state() == ctorm::object_state::detached);
    CHECK(ann->name == "ann");  // still plain data
    CHECK(rows_of_users(db) == 1);

    // A pending object is only taken out of the session: no SQL.
    auto cid = s.add(users, person("cid"));
    log.clear();
    repo.remove(cid);
    CHECK(log.count() == 0);
    CHECK(cid.state() == ctorm::object_state::detached);

    // Removing an object the session no longer holds is refused.
    CHECK_THROWS_AS(repo.remove(ann), ctorm::session_error);

    // A removal rolled back: the row and the object are back.
    auto bob = repo.get_by_id(std::int64_t{2});
    repo.remove(bob);
    s.rollback();
    CHECK(rows_of_users(db) == 1);
    CHECK(repo.exists(std::int64_t{2}));
}

TEMPLATE_TEST_CASE("count and exists: one statement each, after an autoflush, loading no object", "[orm][repository]",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    ctorm::repository repo(s, users);

    CHECK(repo.count() == 0);
    REQUIRE(log.count() == 2);  // BEGIN, the count: inside the session's transaction
    CHECK(log.texts[0] == "BEGIN");
    CHECK(log.texts[1] == "SELECT COUNT(*) FROM \"users\"");
    CHECK(s.in_transaction());

    auto ann = repo.create(person("ann"));
    const std::int64_t ann_id = ann.get().id;
    repo.create(person("bob"));
    log.clear();
    CHECK(repo.count() == 2);
    CHECK(log.count() == 1);

    log.clear();
    CHECK(repo.exists(ann_id));
    REQUIRE(log.count() == 1);
    CHECK(log.texts[0] == "SELECT COUNT(*) FROM \"users\" WHERE \"users\".\"id\" = " + placeholder<D>(1));
    CHECK_FALSE(repo.exists(std::int64_t{99}));
    CHECK(log.count() == 2);

    // Pending and removed objects are flushed first, so both see them.
    s.add(users, person("cid"));
    log.clear();
    CHECK(repo.count() == 3);
    CHECK(log.count() == 2);  // INSERT, count
    s.remove(ann);
    log.clear();
    CHECK_FALSE(repo.exists(ann_id));
    CHECK(log.count() == 2);  // DELETE, count

    // exists loads nothing: the session holds the same objects as before.
    const std::size_t held = s.size();
    CHECK(repo.exists(std::int64_t{2}));
    CHECK(s.size() == held);

    // With autoflush off, they count what the database has.
    s.set_autoflush(false);
    s.add(users, person("dan"));
    CHECK(repo.count() == 2);
    s.flush();
    CHECK(repo.count() == 3);
}

TEMPLATE_TEST_CASE("a composite primary key: get_by_id and exists take its parts in key order, pages follow it",
                   "[orm][repository]", CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    const auto author = db.scalar(insert(users).values(person("ann")).returning(users.id));
    const auto post =
        db.scalar(insert(posts)
                      .values(Post{.title = "t", .content = "c", .author_id = author, .published_at = std::nullopt})
                      .returning(posts.id));
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    ctorm::repository tags(s, post_tags);

    tags.create(PostTag{.post_id = post, .tag = "sql"});
    tags.create(PostTag{.post_id = post, .tag = "c++", .weight = 3});
    tags.create(PostTag{.post_id = post, .tag = "orm"});
    log.clear();

    auto cpp = tags.get_by_id(post, std::string("c++"));
    REQUIRE(cpp);
    CHECK(cpp->weight == 3);
    CHECK(log.count() == 0);  // created in this session: in the identity map

    CHECK(tags.exists(post, std::string("orm")));
    CHECK_FALSE(tags.exists(post, std::string("rust")));
    REQUIRE(log.count() == 2);
    CHECK(log.texts[0] == "SELECT COUNT(*) FROM \"post_tags\" WHERE \"post_tags\".\"post_id\" = " + placeholder<D>(1) +
                              " AND \"post_tags\".\"tag\" = " + placeholder<D>(2));

    log.clear();
    std::vector<std::string> names;
    for (const auto& h : tags.get_all(1, 2)) names.push_back(h.get().tag);
    CHECK(names == std::vector<std::string>{"orm", "sql"});  // ORDER BY post_id, tag: c++, orm, sql
    REQUIRE(log.count() == 1);
    CHECK(log.texts[0].find("ORDER BY \"post_tags\".\"post_id\", \"post_tags\".\"tag\"") != std::string::npos);

    tags.update(cpp, [](PostTag& t) { t.weight = 5; });
    tags.remove(tags.get_by_id(post, std::string("sql")));
    s.commit();
    CHECK(db.scalar(select(post_tags.weight).where(post_tags.tag == "c++")) == 5);
    CHECK(tags.count() == 2);
}

TEMPLATE_TEST_CASE("a user_repository derived from repository<users> adds get_by_email through the session",
                   "[orm][repository]", CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    db.execute(insert(users).values(person("ann")));
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    user_repository repo(s);

    auto ann = repo.get_by_email("ann@example.com");
    REQUIRE(ann);
    REQUIRE(log.count() == 2);  // BEGIN, SELECT
    CHECK(log.texts[1] ==
          "SELECT \"users\".\"id\", \"users\".\"email\", \"users\".\"name\", \"users\".\"is_active\", "
          "\"users\".\"created_at\" FROM \"users\" WHERE \"users\".\"email\" = " +
              placeholder<D>(1));
    // The session's object: the one get_by_id gives, without SQL.
    log.clear();
    CHECK(repo.get_by_id(ann->id) == ann);
    CHECK(log.count() == 0);

    CHECK_FALSE(repo.get_by_email("nobody@example.com"));
    CHECK(log.count() == 1);

    // The base's operations, on the derived repository; a pending change is
    // flushed before the query, so it finds the new email.
    auto bob = repo.create(person("bob"));
    bob->email = "robert@example.com";
    log.clear();
    CHECK(repo.get_by_email("robert@example.com") == bob);
    CHECK(log.count() == 2);  // the UPDATE (autoflush), the SELECT
    CHECK(repo.count() == 2);
    repo.remove(ann);
    s.commit();
    CHECK(rows_of_users(db) == 1);
    CHECK_FALSE(repo.get_by_email("ann@example.com"));
}

TEMPLATE_TEST_CASE("repositories of two tables share the session's unit of work and its flush order",
                   "[orm][repository]", CTORM_TEST_SHARED_BACKENDS) {
    auto db = TestType::fresh();
    auto other = TestType::reconnect(db);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    user_repository people(s);
    ctorm::repository articles(s, posts);

    auto ann = people.create(person("ann"));
    auto post =
        articles.create(Post{.title = "Hello", .content = "first", .author_id = ann->id, .published_at = std::nullopt});
    CHECK(log.count() == 3);  // BEGIN, INSERT users, INSERT posts
    // Nothing is visible to another connection until the caller commits.
    CHECK(other.scalar(select(ctorm::count()).from(posts)) == 0);
    s.commit();
    CHECK(other.scalar(select(ctorm::count()).from(posts)) == 1);
    CHECK(articles.get_all().front() == post);

    // A failed create rolls back the whole unit of work, as a failed flush does.
    auto bob = people.create(person("bob"));
    CHECK_THROWS_AS(
        articles.create(Post{.title = "orphan", .content = "x", .author_id = 999, .published_at = std::nullopt}),
        ctorm::foreign_key_violation);
    CHECK(bob.state() == ctorm::object_state::detached);
    CHECK(other.scalar(select(ctorm::count()).from(users)) == 1);
    CHECK(people.count() == 1);
}
