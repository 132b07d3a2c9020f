// The session on every backend: identity map, pending -> persistent with keys
// and server defaults read back, changed-column UPDATEs, flush order by
// foreign keys and within a self-referencing table, autoflush, commit,
// rollback, savepoints, flush failures, refresh, merge, expire, bulk
// statements, stale rows. Every case counts the statements it sends.
#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace blog;

namespace session_schema {

// Keys the application chooses, so that children can be added before their parents.
struct Author {
    std::int64_t id{};
    std::string name;
};
struct Book {
    std::int64_t id{};
    std::string title;
    std::int64_t author_id{};
};
struct Node {
    std::int64_t id{};
    std::string label;
    std::optional<std::int64_t> parent_id;
};

struct Account {
    std::int64_t id{};
    std::string owner;
    std::int64_t balance = 0;
    std::int32_t version = 0;
};
CTORM_TABLE(accounts, Account, (id, primary_key), (owner), (balance), (version, version_id));

CTORM_TABLE(authors, Author, (id, primary_key_no_autoincrement), (name));
CTORM_TABLE(books, Book, (id, primary_key_no_autoincrement), (title), (author_id, references(authors.id)));
CTORM_TABLE(nodes, Node, (id, primary_key_no_autoincrement), (label),
            (parent_id, references(nodes.id).on_delete(cascade)));

}  // namespace session_schema

using namespace session_schema;

namespace {

using statement_log = ctorm_test::statement_log;

template <class D>
std::string placeholder(int n) {
    return D::name == std::string_view("postgresql") ? "$" + std::to_string(n) : "?";
}

User person(std::string name) { return User{.email = name + "@example.com", .name = name}; }

template <class C>
std::int64_t rows_of_users(C& db) {
    return db.scalar(select(ctorm::count()).from(users));
}

}  // namespace

TEMPLATE_TEST_CASE("add is pending until flush; flush inserts and reads back the key and server defaults",
                   "[orm][session]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    auto ann = s.add(users, person("ann"));
    CHECK(ann.state() == ctorm::object_state::pending);
    CHECK(ann->id == 0);
    CHECK(log.count() == 0);  // no SQL for add

    s.flush();
    REQUIRE(log.count() == 2);  // BEGIN, INSERT ... RETURNING
    CHECK(log.texts[0] == "BEGIN");
    CHECK(log.texts[1].rfind("INSERT INTO \"users\" (\"email\", \"name\", \"is_active\") VALUES", 0) == 0);
    CHECK(log.texts[1].find("RETURNING \"users\".\"id\", \"users\".\"created_at\"") != std::string::npos);
    CHECK(ann.state() == ctorm::object_state::persistent);
    CHECK(ann->id > 0);
    CHECK(ann->created_at != ctorm::timestamp{});  // the server's default, read back

    // Nothing changed: a flush sends nothing.
    log.clear();
    s.flush();
    CHECK(log.count() == 0);
    s.commit();
    CHECK(log.texts == std::vector<std::string>{"COMMIT"});
    CHECK(rows_of_users(db) == 1);
}

TEMPLATE_TEST_CASE("the identity map: one object per row, get without SQL, queries return the same objects",
                   "[orm][session]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.execute(insert(users).values(person("ann")));
    db.execute(insert(users).values(person("bob")));
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    auto ann = s.get(users, std::int64_t{1});
    REQUIRE(ann);
    CHECK(ann->name == "ann");
    CHECK(log.count() == 2);  // BEGIN, SELECT
    log.clear();
    auto again = s.get(users, std::int64_t{1});
    CHECK(again == ann);  // the same object
    CHECK(log.count() == 0);

    auto everyone = s.all(select(users).order_by(users.id));
    REQUIRE(everyone.size() == 2);
    CHECK(everyone[0] == ann);
    CHECK(everyone[1]->name == "bob");
    CHECK(s.get(users, std::int64_t{2}) == everyone[1]);
    CHECK(log.count() == 1);  // the query only

    // A row that does not exist: an empty handle.
    CHECK_FALSE(s.get(users, std::int64_t{99}));
    const ctorm::handle<User> empty;
    CHECK_THROWS_AS(empty->name, ctorm::session_error);
    CHECK(s.size() == 2);
}

TEMPLATE_TEST_CASE("dirty tracking updates only the changed columns, once per change", "[orm][session]",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    db.execute(insert(users).values(person("ann")));
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    auto ann = s.get(users, std::int64_t{1});
    log.clear();

    // Reading through a const view marks nothing.
    CHECK(std::as_const(ann)->name == "ann");
    s.flush();
    CHECK(log.count() == 0);

    ann->name = "Ann B.";
    s.flush();
    REQUIRE(log.count() == 1);
    CHECK(log.texts[0] ==
          "UPDATE \"users\" SET \"name\" = " + placeholder<D>(1) + " WHERE \"id\" = " + placeholder<D>(2));
    log.clear();
    s.flush();  // flushed already: nothing to send
    CHECK(log.count() == 0);

    ann->email = "ann.b@example.com";
    ann->is_active = false;
    s.commit();
    REQUIRE(log.count() == 2);
    CHECK(log.texts[0] == "UPDATE \"users\" SET \"email\" = " + placeholder<D>(1) +
                              ", \"is_active\" = " + placeholder<D>(2) + " WHERE \"id\" = " + placeholder<D>(3));
    CHECK(log.texts[1] == "COMMIT");
    const User stored = db.one(select(users).where(users.id == 1));
    CHECK(stored.name == "Ann B.");
    CHECK(stored.email == "ann.b@example.com");
    CHECK_FALSE(stored.is_active);

    // The same set of columns again: the same text, prepared once.
    const std::size_t prepared = db.statements_prepared();
    auto bob = s.add(users, person("bob"));
    s.flush();
    const std::size_t prepared_insert = db.statements_prepared();
    bob->email = "b@example.com";
    bob->is_active = false;
    ann->email = "a@example.com";
    ann->is_active = true;
    s.commit();
    CHECK(db.statements_prepared() == prepared_insert);
    CHECK(prepared_insert >= prepared);
}

TEMPLATE_TEST_CASE("flush inserts parents before children whatever the order they were added in", "[orm][session]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(authors, books, nodes);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    s.add(books, Book{.id = 10, .title = "Emma", .author_id = 1});
    s.add(books, Book{.id = 11, .title = "Persuasion", .author_id = 1});
    s.add(authors, Author{.id = 1, .name = "Austen"});
    // A tree added leaves first: each row goes after its parent.
    s.add(nodes, Node{.id = 4, .label = "leaf", .parent_id = 3});
    s.add(nodes, Node{.id = 3, .label = "branch", .parent_id = 1});
    s.add(nodes, Node{.id = 2, .label = "other", .parent_id = 1});
    s.add(nodes, Node{.id = 1, .label = "root", .parent_id = std::nullopt});
    s.commit();
    REQUIRE(log.count() == 1 + 7 + 1);
    CHECK(log.texts[1].rfind("INSERT INTO \"authors\"", 0) == 0);  // rank 0 tables first
    CHECK(db.scalar(select(ctorm::count()).from(books)) == 2);
    CHECK(db.all(select(nodes.id).order_by(nodes.id)) == std::vector<std::int64_t>{1, 2, 3, 4});

    // Deletes go children first.
    ctorm::session t(db);
    auto austen = t.get(authors, std::int64_t{1});
    auto emma = t.get(books, std::int64_t{10});
    auto persuasion = t.get(books, std::int64_t{11});
    t.remove(austen);
    t.remove(emma);
    t.remove(persuasion);
    log.clear();
    t.commit();
    REQUIRE(log.count() == 4);
    CHECK(log.texts[0].rfind("DELETE FROM \"books\"", 0) == 0);
    CHECK(log.texts[2].rfind("DELETE FROM \"authors\"", 0) == 0);
    CHECK(austen.state() == ctorm::object_state::detached);
    CHECK(austen->name == "Austen");  // a detached object is still plain data
}

TEMPLATE_TEST_CASE("autoflush: a query through the session sees what was added; switched off, it does not",
                   "[orm][session]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    auto ann = s.add(users, person("ann"));
    auto found = s.all(select(users).where(users.email == "ann@example.com"));
    REQUIRE(found.size() == 1);
    CHECK(found[0] == ann);   // the pending object, now persistent
    CHECK(log.count() == 3);  // BEGIN, INSERT, SELECT

    ctorm::session quiet(db, {.autoflush = false, .expire_on_commit = false});
    s.rollback();
    auto bob = quiet.add(users, person("bob"));
    CHECK(quiet.all(select(users)).empty());
    quiet.flush();
    CHECK(quiet.all(select(users)).size() == 1);
}

TEMPLATE_TEST_CASE("rollback leaves nothing in the identity map that the database does not hold", "[orm][session]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.execute(insert(users).values(person("ann")));
    ctorm::session s(db);
    auto ann = s.get(users, std::int64_t{1});
    ann->name = "changed and flushed";
    auto bob = s.add(users, person("bob"));
    s.flush();
    auto carl = s.add(users, person("carl"));  // never flushed
    s.rollback();

    CHECK(rows_of_users(db) == 1);
    CHECK(bob.state() == ctorm::object_state::detached);   // its row is gone
    CHECK(carl.state() == ctorm::object_state::detached);  // never inserted
    CHECK(ann.state() == ctorm::object_state::persistent);
    CHECK(ann.expired());
    CHECK_THROWS_AS(ann->name, ctorm::expired_object_error);
    CHECK_THROWS_WITH(std::as_const(ann)->name, Catch::Contains("users(id=1) is expired"));
    // Loading it again overwrites it with what the database holds.
    auto again = s.get(users, std::int64_t{1});
    CHECK(again == ann);
    CHECK(ann->name == "ann");
    CHECK(s.size() == 1);
}

TEMPLATE_TEST_CASE("a session left without commit rolls back; its objects stay readable, detached", "[orm][session]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    ctorm::handle<User> kept;
    {
        ctorm::session s(db);
        kept = s.add(users, person("ann"));
        s.flush();
        CHECK(rows_of_users(db) == 1);
    }
    CHECK_FALSE(db.in_transaction());
    CHECK(rows_of_users(db) == 0);
    CHECK(kept.state() == ctorm::object_state::detached);
    CHECK(kept->name == "ann");
    kept->name = "still plain data";
    CHECK(kept->name == "still plain data");
}

TEMPLATE_TEST_CASE("a failed flush rolls back, names the object and the constraint, and the session goes on",
                   "[orm][session]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    ctorm::session s(db);
    auto first = s.add(users, person("ann"));
    auto twin = s.add(users, person("ann"));  // the same email: unique
    try {
        s.flush();
        FAIL("the flush of two equal emails succeeded");
    } catch (const ctorm::unique_violation& e) {
        CHECK(e.constraint() == "ix_users_email");
        CHECK_THAT(e.what(), Catch::Contains("(flushing a new users object)"));
    }
    CHECK_FALSE(db.in_transaction());
    CHECK(rows_of_users(db) == 0);
    CHECK(first.state() == ctorm::object_state::detached);
    CHECK(twin.state() == ctorm::object_state::detached);
    // The session is usable at once.
    auto bob = s.add(users, person("bob"));
    s.commit();
    CHECK(rows_of_users(db) == 1);

    // An UPDATE that fails names the object by its key.
    auto carl = s.add(users, person("carl"));
    s.flush();
    carl->email = "bob@example.com";
    CHECK_THROWS_WITH(s.flush(), Catch::Contains("(flushing users(id=" + std::to_string(carl.get().id) + "))"));
}

TEMPLATE_TEST_CASE("refresh, expire and merge", "[orm][session]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.execute(insert(users).values(person("ann")));
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    auto ann = s.get(users, std::int64_t{1});
    ann->name = "in memory";
    db.execute(update(users).set(users.email = "new@example.com").where(users.id == 1));
    log.clear();
    s.refresh(ann);  // no autoflush of the change: refresh overwrites it
    CHECK(ann->email == "new@example.com");
    CHECK(ann->name == "ann");
    s.flush();
    CHECK(log.count() == 1);  // the SELECT of refresh; nothing changed since

    s.expire(ann);
    CHECK_THROWS_AS(ann->name, ctorm::expired_object_error);
    s.refresh(ann);
    CHECK(ann->name == "ann");

    // merge: a detached copy's values go onto the session's object.
    User copy = ann.get();
    copy.name = "merged";
    auto merged = s.merge(users, copy);
    CHECK(merged == ann);
    CHECK(ann->name == "merged");
    // merge of a key the session has not loaded: one SELECT, then the copy's values.
    db.execute(insert(users).values(person("bob")));
    User bob_copy = db.one(select(users).where(users.id == 2));
    bob_copy.name = "bob merged";
    ctorm::session t(db);
    auto bob = t.merge(users, bob_copy);
    t.commit();
    CHECK(db.scalar(select(users.name).where(users.id == 2)) == "bob merged");
    CHECK(bob->name == "bob merged");
    s.commit();
    CHECK(db.scalar(select(users.name).where(users.id == 1)) == "merged");
}

TEMPLATE_TEST_CASE("bulk statements through the session expire the objects of their table", "[orm][session]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.execute(insert(users).values(person("ann")));
    db.execute(insert(users).values(person("bob")));
    ctorm::session s(db);
    auto people = s.all(select(users).order_by(users.id));
    REQUIRE(people.size() == 2);
    people[1]->name = "bob, flushed first";  // autoflushed before the bulk update
    const auto r = s.execute(update(users).set(users.is_active = false).where(users.id == 2));
    CHECK(r.rows_affected == 1);
    CHECK(people[1].expired());
    CHECK(people[0].expired());
    auto bob = s.get(users, std::int64_t{2});  // reloads the expired object
    CHECK(bob == people[1]);
    CHECK_FALSE(bob->is_active);
    CHECK(bob->name == "bob, flushed first");

    s.execute(delete_from(users).where(users.id == 1));
    CHECK_FALSE(s.get(users, std::int64_t{1}));
    s.commit();
    CHECK(rows_of_users(db) == 1);
}

TEMPLATE_TEST_CASE("composite keys: get by every part, update and delete by them", "[orm][session]",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    const auto author = db.scalar(insert(users).values(person("ann")).returning(users.id));
    const auto post = db.scalar(
        insert(posts)
            .values(Post{.title = "t", .content = "c", .author_id = author, .views = 0, .published_at = std::nullopt})
            .returning(posts.id));
    db.execute(insert(post_tags).values(PostTag{.post_id = post, .tag = "orm", .weight = 1}));
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    auto tag = s.get(post_tags, post, std::string("orm"));
    REQUIRE(tag);
    CHECK(tag->weight == 1);
    CHECK(s.get(post_tags, post, std::string("orm")) == tag);
    tag->weight = 5;
    log.clear();
    s.flush();
    REQUIRE(log.count() == 1);
    CHECK(log.texts[0] == "UPDATE \"post_tags\" SET \"weight\" = " + placeholder<D>(1) +
                              " WHERE \"post_id\" = " + placeholder<D>(2) + " AND \"tag\" = " + placeholder<D>(3));
    s.remove(tag);
    s.commit();
    CHECK(db.scalar(select(ctorm::count()).from(post_tags)) == 0);
}

TEMPLATE_TEST_CASE("begin_nested: a savepoint's rollback undoes only what was flushed inside it", "[orm][session]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    ctorm::session s(db);
    auto ann = s.add(users, person("ann"));
    {
        auto nested = s.begin_nested();  // flushes ann first
        auto bob = s.add(users, person("bob"));
        ann->name = "renamed inside";
        s.flush();
        CHECK(rows_of_users(db) == 2);
        nested.rollback();
        CHECK(bob.state() == ctorm::object_state::detached);
        CHECK(ann.expired());
    }
    CHECK(rows_of_users(db) == 1);
    s.refresh(ann);
    CHECK(ann->name == "ann");
    {
        auto kept = s.begin_nested();
        s.add(users, person("carl"));
        kept.release();
    }
    s.commit();
    CHECK(rows_of_users(db) == 2);
}

TEMPLATE_TEST_CASE("an UPDATE or DELETE of a row another connection deleted raises stale_data_error", "[orm][session]",
                   CTORM_TEST_SHARED_BACKENDS) {
    auto db = TestType::fresh();
    db.execute(insert(users).values(person("ann")));
    db.execute(insert(users).values(person("bob")));
    auto other = TestType::reconnect(db);
    ctorm::session s(db, {.autoflush = true, .expire_on_commit = false});
    auto ann = s.get(users, std::int64_t{1});
    auto bob = s.get(users, std::int64_t{2});
    s.commit();  // releases the read lock (SQLite) so that the other connection can write
    other.execute(delete_from(users));
    ann->name = "too late";
    CHECK_THROWS_WITH(s.flush(), Catch::Contains("users(id=1): the UPDATE matched no row"));
    s.remove(bob);
    CHECK_THROWS_AS(s.flush(), ctorm::stale_data_error);
}

TEMPLATE_TEST_CASE("objects of another session or none are refused by name", "[orm][session]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    ctorm::session s(db);
    ctorm::session t(db);
    auto ann = s.add(users, person("ann"));
    CHECK_THROWS_WITH(t.remove(ann), Catch::Contains("remove(): the object is not in this session (pending)"));
    s.expunge(ann);
    CHECK(ann.state() == ctorm::object_state::detached);
    CHECK_THROWS_AS(s.refresh(ann), ctorm::session_error);
    s.flush();
    CHECK(rows_of_users(db) == 0);
}

TEMPLATE_TEST_CASE("version_id: every UPDATE checks and increments the version; a conflict is stale_data_error",
                   "[orm][session]", CTORM_TEST_SHARED_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    db.create_all(accounts);
    auto other_db = TestType::reconnect(db);
    statement_log log;
    log.attach(db);
    {
        ctorm::session s(db);
        auto acct = s.add(accounts, Account{.id = 0, .owner = "ann", .balance = 100, .version = 0});
        s.commit();
        CHECK(acct->version == 1);  // inserted as 1
    }
    ctorm::session mine(db);
    ctorm::session theirs(other_db);
    auto a = mine.get(accounts, std::int64_t{1});
    auto b = theirs.get(accounts, std::int64_t{1});
    mine.commit();  // both have read version 1; neither holds a lock now
    theirs.commit();

    b->balance = 50;
    theirs.commit();
    CHECK(b->version == 2);

    a->balance = 150;
    log.clear();
    CHECK_THROWS_WITH(mine.flush(), Catch::Contains("accounts(id=1): the UPDATE matched no row"));
    REQUIRE(log.count() >= 2);
    CHECK(log.texts[1] == "UPDATE \"accounts\" SET \"balance\" = " + placeholder<D>(1) +
                              ", \"version\" = " + placeholder<D>(2) + " WHERE \"id\" = " + placeholder<D>(3) +
                              " AND \"version\" = " + placeholder<D>(4));
    // The failed flush rolled back and expired the object: load it again and retry.
    CHECK(a.expired());
    auto fresh = mine.get(accounts, std::int64_t{1});
    CHECK(fresh->balance == 50);
    CHECK(fresh->version == 2);
    fresh->balance += 100;
    mine.commit();
    CHECK(db.one(select(accounts).where(accounts.id == 1)).balance == 150);
    CHECK(db.one(select(accounts).where(accounts.id == 1)).version == 3);

    // A DELETE checks the version too.
    b->owner = "stale";
    auto doomed = theirs.get(accounts, std::int64_t{1});  // theirs still has version 2 in memory
    theirs.remove(doomed);
    CHECK_THROWS_AS(theirs.commit(), ctorm::stale_data_error);
    CHECK(db.scalar(select(ctorm::count()).from(accounts)) == 1);
}

#ifdef CTORM_TEST_WITH_POSTGRES
// Named like the templated cases, so that CTest runs it with the PostgreSQL ones.
TEST_CASE("get(table, key, for_update) locks the row until the session commits - ctorm_test::postgresql",
          "[orm][session]") {
    auto db = ctorm_test::postgresql::fresh();
    db.create_all(accounts);
    db.execute(insert(accounts).values(Account{.id = 0, .owner = "ann", .balance = 100, .version = 1}));
    auto other = ctorm_test::postgresql::reconnect(db);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    auto acct = s.get(accounts, std::int64_t{1}, ctorm::for_update);
    REQUIRE(acct);
    CHECK(log.texts.back().find("FOR UPDATE") != std::string::npos);
    // Another connection cannot take the lock while the session holds it.
    other.execute_script("SET lock_timeout = '100ms'");
    CHECK_THROWS_AS(other.execute_script("SELECT 1 FROM accounts WHERE id = 1 FOR UPDATE"), ctorm::database_error);
    acct->balance -= 30;
    s.commit();
    other.execute_script("SELECT 1 FROM accounts WHERE id = 1 FOR UPDATE");
    CHECK(other.scalar(select(accounts.balance).where(accounts.id == 1)) == 70);
}
#endif

TEMPLATE_TEST_CASE("a flush of 2,500 new objects gives each its own key and default, and names the one that fails",
                   "[orm][session]", CTORM_TEST_BACKENDS) {
    // On PostgreSQL the INSERTs go in pipeline mode, 1,000 to a round trip:
    // each object must still read its own RETURNING row.
    constexpr std::size_t n = 2'500;
    auto db = TestType::fresh();
    statement_log log;
    log.attach(db);
    std::vector<ctorm::handle<User>> added;
    {
        ctorm::session s(db);
        for (std::size_t i = 0; i < n; ++i) added.push_back(s.add(users, person("p" + std::to_string(i))));
        s.commit();
        CHECK(log.count() == n + 2);  // BEGIN, an INSERT per object, COMMIT
    }
    std::map<std::int64_t, std::string> email_of;
    for (auto [id, email] : db.all(select(users.id, users.email))) email_of.emplace(id, email);
    REQUIRE(email_of.size() == n);
    std::size_t own = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const User& u = added[i].get();
        if (u.id > 0 && email_of[u.id] == u.email && u.email == "p" + std::to_string(i) + "@example.com" &&
            u.created_at != ctorm::timestamp{})
            ++own;
    }
    CHECK(own == n);

    // The 1,800th of the next 2,500 repeats an email: the flush fails naming
    // a new users object, nothing of it stays, and the connection goes on.
    ctorm::session s(db);
    std::vector<ctorm::handle<User>> more;
    for (std::size_t i = 0; i < n; ++i)
        more.push_back(s.add(users, person(i == 1'799 ? "p7" : "q" + std::to_string(i))));
    try {
        s.flush();
        FAIL("a flush with a repeated email succeeded");
    } catch (const ctorm::unique_violation& e) {
        CHECK(e.constraint() == "ix_users_email");
        CHECK_THAT(e.what(), Catch::Contains("(flushing a new users object)"));
    }
    CHECK_FALSE(db.in_transaction());
    CHECK(rows_of_users(db) == static_cast<std::int64_t>(n));
    std::size_t detached = 0;
    for (auto& h : more) detached += h.state() == ctorm::object_state::detached ? 1 : 0;
    CHECK(detached == n);
    auto last = s.add(users, person("last"));
    s.commit();
    CHECK(last->id > 0);
    CHECK(rows_of_users(db) == static_cast<std::int64_t>(n) + 1);
}

TEMPLATE_TEST_CASE("a flush that deletes 2,500 objects checks each DELETE, and names the one whose row is gone",
                   "[orm][session]", CTORM_TEST_BACKENDS) {
    // On PostgreSQL the DELETEs go in pipeline mode too, each checked to match one row.
    constexpr std::size_t n = 2'500;
    auto db = TestType::fresh();
    {
        ctorm::session s(db);
        for (std::size_t i = 0; i < n; ++i) s.add(users, person("d" + std::to_string(i)));
        s.commit();
    }
    ctorm::session s(db, {.autoflush = true, .expire_on_commit = false});
    auto all = s.all(select(users).order_by(users.id));
    REQUIRE(all.size() == n);
    s.commit();  // no transaction open: the next statement commits on its own
    // The 1,800th row goes behind the session's back.
    const std::int64_t gone = all[1'799]->id;
    db.execute(delete_from(users).where(users.id == gone));
    for (auto& h : all) s.remove(h);
    statement_log log;
    log.attach(db);
    try {
        s.flush();
        FAIL("a DELETE of a row that is gone passed");
    } catch (const ctorm::stale_data_error& e) {
        CHECK_THAT(e.what(), Catch::Contains("users(id=" + std::to_string(gone) + ")"));
    }
    CHECK_FALSE(db.in_transaction());
    CHECK(rows_of_users(db) == static_cast<std::int64_t>(n) - 1);  // the rollback undid the others
    CHECK(log.count() >= 1'801);  // BEGIN and the DELETEs up to the stale one (PostgreSQL: the batch)

    ctorm::session again(db);
    auto left = again.all(select(users));
    REQUIRE(left.size() == n - 1);
    for (auto& h : left) again.remove(h);
    log.clear();
    again.commit();
    REQUIRE(log.count() == n);  // a DELETE per object (the query began the transaction), COMMIT
    CHECK(log.texts.front().rfind("DELETE FROM \"users\" WHERE", 0) == 0);
    CHECK(log.texts.back() == "COMMIT");
    CHECK(rows_of_users(db) == 0);
}

TEMPLATE_TEST_CASE(
    "a flush that updates 2,500 versioned objects checks each UPDATE, and names the one whose row is gone",
    "[orm][session]", CTORM_TEST_BACKENDS) {
    // One changed column on every object: on PostgreSQL the UPDATEs go in
    // pipeline mode, each checked to match one row and its version.
    constexpr std::size_t n = 2'500;
    auto db = TestType::fresh();
    db.create_all(accounts);
    {
        ctorm::session s(db);
        for (std::size_t i = 0; i < n; ++i) s.add(accounts, Account{.owner = "o" + std::to_string(i)});
        s.commit();
    }
    auto rows_with_balance = [&](std::int64_t b) {
        return db.scalar(select(ctorm::count()).from(accounts).where(accounts.balance == b));
    };
    ctorm::session s(db, {.autoflush = true, .expire_on_commit = false});
    auto all = s.all(select(accounts).order_by(accounts.id));
    REQUIRE(all.size() == n);
    s.commit();
    for (auto& h : all) h->balance = 10;
    statement_log log;
    log.attach(db);
    s.commit();
    CHECK(log.count() == n + 2);  // BEGIN, an UPDATE per object, COMMIT
    CHECK(rows_with_balance(10) == static_cast<std::int64_t>(n));
    std::size_t at_two = 0;
    for (auto& h : all) at_two += h->version == 2 ? 1 : 0;
    CHECK(at_two == n);

    // The 1,800th row goes behind the session's back.
    const std::int64_t gone = all[1'799]->id;
    db.execute(delete_from(accounts).where(accounts.id == gone));
    for (auto& h : all) h->balance = 20;
    try {
        s.flush();
        FAIL("an UPDATE of a row that is gone passed");
    } catch (const ctorm::stale_data_error& e) {
        CHECK_THAT(e.what(), Catch::Contains("accounts(id=" + std::to_string(gone) + "): the UPDATE matched no row"));
    }
    CHECK_FALSE(db.in_transaction());
    CHECK(rows_with_balance(20) == 0);  // the rollback undid the UPDATEs before it
    CHECK(rows_with_balance(10) == static_cast<std::int64_t>(n) - 1);
}
