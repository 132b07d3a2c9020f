// The blog's create / read / update / delete on every backend: inserts of a
// model, of assignments and of a vector; selects of models, columns and counts
// with every WHERE operator, ordering, paging and DISTINCT; bulk update and delete.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

using namespace blog;
using ctorm::count;
using ctorm::count_distinct;
using ids = std::vector<std::int64_t>;

namespace {

// The rows every query case below is checked against.
//   users: Ann, Bob (active, .com), Cy (inactive, .org), Dee Dee (active, .org), EVE (inactive, .net)
//   posts: hello  (Ann, 10 views, published)   second (Ann, 0 views, draft)
//          bobs   (Bob, 25 views, published)   draft  (Cy,  5 views, draft)
struct seeded {
    std::int64_t ann, bob, cy, dee, eve;
    std::int64_t hello, second, bobs, draft;
};

template <class DB>
std::int64_t add_user(DB& db, std::string email, std::string name, bool active) {
    REQUIRE(db.execute(insert(users).values(User{.email = email, .name = name, .is_active = active})).rows_affected ==
            1);
    // Looked up rather than taken from last_insert_id, which not every backend reports.
    return db.one(select(users.id).where(users.email == email));
}

template <class DB>
std::int64_t add_post(DB& db, std::string title, std::int64_t author, std::int32_t views,
                      std::optional<ctorm::timestamp> published) {
    REQUIRE(db.execute(insert(posts).values(Post{.title = title,
                                                 .content = "about " + title,
                                                 .author_id = author,
                                                 .views = views,
                                                 .published_at = published}))
                .rows_affected == 1);
    return db.one(select(posts.id).where(posts.title == title));
}

template <class DB>
seeded seed(DB& db) {
    seeded s{};
    s.ann = add_user(db, "ann@example.com", "Ann", true);
    s.bob = add_user(db, "bob@example.com", "Bob", true);
    s.cy = add_user(db, "cy@example.org", "Cy", false);
    s.dee = add_user(db, "dee@example.org", "Dee Dee", true);
    s.eve = add_user(db, "eve@example.net", "EVE", false);
    s.hello = add_post(db, "Hello", s.ann, 10, ctorm_test::at(2024, 1, 2, 3, 4, 5));
    s.second = add_post(db, "Second", s.ann, 0, std::nullopt);
    s.bobs = add_post(db, "Bob's", s.bob, 25, ctorm_test::at(2023, 6, 7));
    s.draft = add_post(db, "Draft", s.cy, 5, std::nullopt);
    return s;
}

// The ids of the users matching a condition, ascending.
template <class DB, class Condition>
ids user_ids(DB& db, const Condition& condition) {
    return db.all(select(users.id).where(condition).order_by(users.id.asc()));
}

// The ids of the posts matching a condition, ascending.
template <class DB, class Condition>
ids post_ids(DB& db, const Condition& condition) {
    return db.all(select(posts.id).where(condition).order_by(posts.id.asc()));
}

}  // namespace

TEMPLATE_TEST_CASE("insert of a model: the database fills the id and created_at, defaults apply", "[crud]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const auto before = std::chrono::system_clock::now();
    const User ann{.email = "ann@example.com", .name = "Ann"};
    // The new key, on either backend: RETURNING it.
    const std::int64_t ann_id = db.scalar(insert(users).values(ann).returning(users.id));
    CHECK(ann_id > 0);
    const auto second = db.execute(insert(users).values(User{.email = "bob@example.com", .name = "Bob"}));
    CHECK(second.rows_affected == 1);
    // execute() reports the key only on SQLite (its rowid); PostgreSQL runs the
    // statement's text as it is, so last_insert_id stays 0 there.
    const std::int64_t bob_id = db.one(select(users.id).where(users.email == "bob@example.com"));
    CHECK(bob_id > ann_id);
    if constexpr (TestType::kind == "sqlite") CHECK(second.last_insert_id == bob_id);
    else CHECK(second.last_insert_id == 0);

    const User back = db.one(select(users).where(users.id == ann_id));
    CHECK(back.id == ann_id);
    CHECK(back.email == "ann@example.com");
    CHECK(back.name == "Ann");
    CHECK(back.is_active);
    // server_default(now()): filled in by the database, in UTC, close to our clock.
    CHECK(back.created_at != ctorm::timestamp{});
    CHECK(back.created_at > before - std::chrono::minutes{2});
    CHECK(back.created_at < std::chrono::system_clock::now() + std::chrono::minutes{2});

    CHECK(db.one(select(users.email).where(users.id == bob_id)) == "bob@example.com");
}

TEMPLATE_TEST_CASE("insert by assignments leaves defaulted columns to the database", "[crud]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const auto r = db.execute(insert(users).values(users.email = "cy@example.org", users.name = "Cy"));
    CHECK(r.rows_affected == 1);
    const std::int64_t cy = db.one(select(users.id).where(users.email == "cy@example.org"));
    // is_active has default_value(true), created_at server_default(now()).
    const auto [active, created] = db.one(select(users.is_active, users.created_at).where(users.id == cy));
    CHECK(active);
    CHECK(created != ctorm::timestamp{});

    const std::int64_t dee =
        db.scalar(insert(users)
                      .values(users.name = "Dee", users.email = "dee@example.org", users.is_active = false)
                      .returning(users.id));
    CHECK_FALSE(db.one(select(users.is_active).where(users.id == dee)));
    CHECK(db.one(select(users.name).where(users.email == "dee@example.org")) == "Dee");

    const std::int64_t post_id = db.scalar(
        insert(posts).values(posts.title = "T", posts.content = "C", posts.author_id = cy).returning(posts.id));
    const Post post = db.one(select(posts).where(posts.id == post_id));
    CHECK(post.views == 0);  // default_value(0)
    CHECK_FALSE(post.published_at.has_value());
    CHECK(post.author_id == cy);
}

TEMPLATE_TEST_CASE("bulk insert of a vector writes every row", "[crud]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    std::vector<User> people;
    for (int i = 0; i < 250; ++i) {
        people.push_back(User{.email = "user" + std::to_string(i) + "@example.com",
                              .name = "User " + std::to_string(i),
                              .is_active = i % 3 != 0});
    }
    const auto r = db.execute(insert(users).values(people));
    CHECK(r.rows_affected == 250);
    CHECK(db.scalar(select(count()).from(users)) == 250);
    CHECK(db.scalar(select(count()).from(users).where(users.is_active)) == 166);
    // SQLite reports the last row's rowid; PostgreSQL no key (as for one row).
    if constexpr (TestType::kind == "sqlite")
        CHECK(db.one(select(users.email).where(users.id == r.last_insert_id)) == "user249@example.com");
    else CHECK(r.last_insert_id == 0);

    const std::vector<User> back = db.all(select(users).order_by(users.id));
    REQUIRE(back.size() == people.size());
    for (std::size_t i = 0; i < back.size(); ++i) {
        CAPTURE(i);
        CHECK(back[i].email == people[i].email);
        CHECK(back[i].name == people[i].name);
        CHECK(back[i].is_active == people[i].is_active);
    }

    // An empty vector is a valid bulk insert that writes nothing.
    const std::vector<User> none;
    CHECK(db.execute(insert(users).values(none)).rows_affected == 0);
    CHECK(db.scalar(select(count()).from(users)) == 250);
}

TEMPLATE_TEST_CASE("select whole models, columns as tuples, single values and counts", "[crud]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const seeded s = seed(db);

    const std::vector<User> everyone = db.all(select(users).order_by(users.id));
    REQUIRE(everyone.size() == 5);
    CHECK(everyone[0].id == s.ann);
    CHECK(everyone[0].email == "ann@example.com");
    CHECK(everyone[2].name == "Cy");
    CHECK_FALSE(everyone[2].is_active);

    const std::vector<std::tuple<std::int64_t, std::string>> pairs =
        db.all(select(users.id, users.email).where(users.email.like("%.org")).order_by(users.id));
    REQUIRE(pairs.size() == 2);
    const auto [first_id, first_email] = pairs[0];
    CHECK(first_id == s.cy);
    CHECK(first_email == "cy@example.org");
    CHECK(std::get<1>(pairs[1]) == "dee@example.org");

    const std::vector<std::string> names = db.all(select(users.name).order_by(users.id.desc()));
    CHECK(names == std::vector<std::string>{"EVE", "Dee Dee", "Cy", "Bob", "Ann"});

    CHECK(db.scalar(select(count()).from(users)) == 5);
    CHECK(db.scalar(select(count()).from(posts).where(posts.author_id == s.ann)) == 2);
    CHECK(db.scalar(select(count(posts.published_at))) == 2);  // counts non-NULL values
    CHECK(db.scalar(select(count_distinct(posts.author_id))) == 3);

    const Post bobs = db.one(select(posts).where(posts.title == "Bob's"));
    CHECK(bobs.id == s.bobs);
    CHECK(bobs.content == "about Bob's");
    CHECK(bobs.author_id == s.bob);
    CHECK(bobs.views == 25);
    REQUIRE(bobs.published_at.has_value());
    CHECK(bobs.published_at->time_since_epoch().count() == ctorm_test::at(2023, 6, 7).time_since_epoch().count());
}

TEMPLATE_TEST_CASE("where: comparison operators", "[crud][where]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const seeded s = seed(db);

    CHECK(post_ids(db, posts.views == 10) == ids{s.hello});
    CHECK(post_ids(db, posts.views != 10) == ids{s.second, s.bobs, s.draft});
    CHECK(post_ids(db, posts.views < 10) == ids{s.second, s.draft});
    CHECK(post_ids(db, posts.views <= 10) == ids{s.hello, s.second, s.draft});
    CHECK(post_ids(db, posts.views > 10) == ids{s.bobs});
    CHECK(post_ids(db, posts.views >= 10) == ids{s.hello, s.bobs});
    // The value on the left.
    CHECK(post_ids(db, 10 < posts.views) == ids{s.bobs});
    CHECK(post_ids(db, 5 >= posts.views) == ids{s.second, s.draft});
    // Column against column.
    CHECK(post_ids(db, posts.views > posts.author_id) == ids{s.hello, s.bobs, s.draft});
    // Text and keys.
    CHECK(user_ids(db, users.email == "bob@example.com") == ids{s.bob});
    CHECK(user_ids(db, users.name != "Bob") == ids{s.ann, s.cy, s.dee, s.eve});
    CHECK(user_ids(db, users.name < "Bob") == ids{s.ann});
    CHECK(post_ids(db, posts.author_id == s.ann) == ids{s.hello, s.second});
    const std::string wanted = "Dee Dee";
    CHECK(user_ids(db, users.name == wanted) == ids{s.dee});
    CHECK(user_ids(db, users.name == std::string("EVE")) == ids{s.eve});
    // Nothing matches.
    CHECK(post_ids(db, posts.views > 1000).empty());
    // Timestamps compare in time order.
    CHECK(post_ids(db, posts.published_at > ctorm_test::at(2023, 12, 31)) == ids{s.hello});
}

TEMPLATE_TEST_CASE("where: logical operators and their grouping", "[crud][where]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const seeded s = seed(db);

    CHECK(user_ids(db, users.is_active) == ids{s.ann, s.bob, s.dee});
    CHECK(user_ids(db, !users.is_active) == ids{s.cy, s.eve});
    CHECK(user_ids(db, users.is_active == false) == ids{s.cy, s.eve});
    CHECK(post_ids(db, posts.author_id == s.ann && posts.views > 0) == ids{s.hello});
    CHECK(post_ids(db, posts.views == 0 || posts.views == 25) == ids{s.second, s.bobs});
    CHECK(post_ids(db, !(posts.views > 5 && posts.author_id == s.ann)) == ids{s.second, s.bobs, s.draft});
    // Parentheses written in C++ survive into SQL: the two groupings differ.
    CHECK(post_ids(db, (posts.views == 0 || posts.views == 25) && posts.author_id == s.bob) == ids{s.bobs});
    CHECK(post_ids(db, posts.views == 0 || (posts.views == 25 && posts.author_id == s.bob)) == ids{s.second, s.bobs});
    CHECK(post_ids(db, !(posts.views == 0 || posts.views == 25)) == ids{s.hello, s.draft});
    // A second where() is ANDed with the first.
    CHECK(db.all(select(posts.id).where(posts.author_id == s.ann).where(posts.views == 0)) == ids{s.second});
    CHECK(user_ids(db, users.is_active && !(users.name == "Bob") && users.email.like("%.com")) == ids{s.ann});
}

TEMPLATE_TEST_CASE("where: in_, not_in, between, is_null, is_not_null", "[crud][where]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const seeded s = seed(db);

    CHECK(post_ids(db, posts.views.in_(0, 25, 999)) == ids{s.second, s.bobs});
    CHECK(post_ids(db, posts.views.in_(10)) == ids{s.hello});
    CHECK(post_ids(db, posts.views.not_in(0, 25)) == ids{s.hello, s.draft});
    CHECK(user_ids(db, users.name.in_("Ann", std::string("EVE"), "nobody")) == ids{s.ann, s.eve});
    CHECK(user_ids(db, users.name.not_in("Ann", "Bob", "Cy")) == ids{s.dee, s.eve});
    CHECK(post_ids(db, posts.views.between(5, 10)) == ids{s.hello, s.draft});  // inclusive
    CHECK(post_ids(db, posts.views.between(11, 24)).empty());
    CHECK(post_ids(db, posts.published_at.between(ctorm_test::at(2023, 1, 1), ctorm_test::at(2023, 12, 31))) ==
          ids{s.bobs});
    CHECK(post_ids(db, posts.published_at.is_null()) == ids{s.second, s.draft});
    CHECK(post_ids(db, posts.published_at.is_not_null()) == ids{s.hello, s.bobs});
    CHECK(post_ids(db, posts.published_at.is_null() && posts.views > 0) == ids{s.draft});
}

TEMPLATE_TEST_CASE("where: like, not_like and case-insensitive ilike", "[crud][where]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const seeded s = seed(db);

    // Patterns written in the stored case, so the results hold on every backend
    // (SQLite's LIKE ignores ASCII case, PostgreSQL's does not).
    CHECK(user_ids(db, users.email.like("%@example.org")) == ids{s.cy, s.dee});
    CHECK(user_ids(db, users.email.like("_ob@%")) == ids{s.bob});
    CHECK(user_ids(db, users.email.not_like("%@example.org")) == ids{s.ann, s.bob, s.eve});
    CHECK(user_ids(db, users.name.like("Dee %")) == ids{s.dee});
    CHECK(user_ids(db, users.name.like("zzz%")).empty());
    CHECK(post_ids(db, posts.title.like("%'%")) == ids{s.bobs});  // a quote in a bound pattern

    // ilike ignores case on both sides, whatever the mix.
    CHECK(user_ids(db, users.name.ilike("eve")) == ids{s.eve});
    CHECK(user_ids(db, users.name.ilike("EvE")) == ids{s.eve});
    CHECK(user_ids(db, users.name.ilike("%DEE%")) == ids{s.dee});
    CHECK(user_ids(db, users.name.ilike("a%")) == ids{s.ann});
    CHECK(user_ids(db, users.email.ilike("%@EXAMPLE.COM")) == ids{s.ann, s.bob});
    CHECK(user_ids(db, users.name.ilike("%xyz%")).empty());
}

TEMPLATE_TEST_CASE("where(a, b, c): every condition must hold", "[crud][where]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const seeded s = seed(db);
    CHECK(user_ids(db, users.email.like("%@example.org")) == ids{s.cy, s.dee});
    CHECK(db.all(
              select(users.id).where(users.email.like("%@example.org"), users.name.like("Dee %")).order_by(users.id)) ==
          ids{s.dee});
    CHECK(db.all(select(users.id).where(users.id > 0, users.id == s.ann, users.name == "nobody")).empty());
    db.execute(update(users).set(users.name = "Cy 2").where(users.email.like("%@example.org"), users.id == s.cy));
    CHECK(db.one(select(users.name).where(users.id == s.cy)) == "Cy 2");
    CHECK(db.one(select(users.name).where(users.id == s.dee)) != "Cy 2");
}

TEMPLATE_TEST_CASE("order_by asc/desc with limit and offset, and distinct", "[crud]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const seeded s = seed(db);

    CHECK(db.all(select(posts.id).order_by(posts.views.asc())) == ids{s.second, s.draft, s.hello, s.bobs});
    CHECK(db.all(select(posts.id).order_by(posts.views.desc())) == ids{s.bobs, s.hello, s.draft, s.second});
    CHECK(db.all(select(posts.id).order_by(posts.views)) == ids{s.second, s.draft, s.hello, s.bobs});
    // Several terms, each with its own direction.
    CHECK(db.all(select(posts.id).order_by(posts.author_id.desc(), posts.views.asc())) ==
          ids{s.draft, s.bobs, s.second, s.hello});
    CHECK(db.all(select(posts.id).order_by(posts.author_id.asc()).order_by(posts.views.desc())) ==
          ids{s.hello, s.second, s.bobs, s.draft});

    CHECK(db.all(select(posts.id).order_by(posts.views.desc()).limit(2)) == ids{s.bobs, s.hello});
    CHECK(db.all(select(posts.id).order_by(posts.views.desc()).limit(2).offset(1)) == ids{s.hello, s.draft});
    CHECK(db.all(select(posts.id).order_by(posts.views.desc()).offset(2)) == ids{s.draft, s.second});
    CHECK(db.all(select(posts.id).order_by(posts.views.desc()).offset(4)).empty());
    CHECK(db.all(select(posts.id).order_by(posts.views.desc()).limit(0)).empty());
    CHECK(db.all(select(posts.id).where(posts.views > 0).order_by(posts.views.desc()).limit(10).offset(1)) ==
          ids{s.hello, s.draft});

    // Paging through all users two at a time meets each once.
    ids seen;
    for (std::int64_t page = 0; page < 3; ++page) {
        const ids chunk = db.all(select(users.id).order_by(users.id).limit(2).offset(page * 2));
        seen.insert(seen.end(), chunk.begin(), chunk.end());
    }
    CHECK(seen == ids{s.ann, s.bob, s.cy, s.dee, s.eve});

    CHECK(db.all(select(posts.author_id).distinct().order_by(posts.author_id)) == ids{s.ann, s.bob, s.cy});
    CHECK(db.all(select(posts.author_id).order_by(posts.author_id)).size() == 4);
#if 1
    // Regression (fixed): connection::all() of a single bool column does not
    // compile: row_type bool makes std::vector<bool>, whose emplace_back()
    // returns a proxy that row_reader::read(sqlite3_stmt*, Row&) cannot bind.
    const std::vector<bool> activity = db.all(select(users.is_active).distinct().order_by(users.is_active));
    CHECK(activity == std::vector<bool>{false, true});
#endif
    std::vector<bool> streamed;
    for (bool active : db.execute(select(users.is_active).distinct().order_by(users.is_active))) {
        streamed.push_back(active);
    }
    CHECK(streamed == std::vector<bool>{false, true});
}

TEMPLATE_TEST_CASE("update in bulk reports the rows it changed", "[crud]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const seeded s = seed(db);

    auto r = db.execute(update(users).set(users.is_active = false).where(users.email.like("%.com")));
    CHECK(r.rows_affected == 2);
    CHECK(user_ids(db, users.is_active) == ids{s.dee});

    r = db.execute(update(posts).set(posts.views = 100, posts.title = "Popular").where(posts.views >= 10));
    CHECK(r.rows_affected == 2);
    CHECK(post_ids(db, posts.title == "Popular" && posts.views == 100) == ids{s.hello, s.bobs});
    CHECK(db.one(select(posts.title).where(posts.id == s.draft)) == "Draft");  // untouched

    // Setting a nullable column to NULL and back.
    r = db.execute(update(posts).set(posts.published_at = std::nullopt).where(posts.id == s.hello));
    CHECK(r.rows_affected == 1);
    CHECK(post_ids(db, posts.published_at.is_not_null()) == ids{s.bobs});
    const auto when = ctorm_test::at(2025, 5, 6, 7, 8, 9, 123456);
    db.execute(update(posts).set(posts.published_at = when).where(posts.id == s.second));
    const auto stored = db.one(select(posts.published_at).where(posts.id == s.second));
    REQUIRE(stored.has_value());
    CHECK(stored->time_since_epoch().count() == when.time_since_epoch().count());

    // Matching nothing is not an error.
    CHECK(db.execute(update(users).set(users.name = "Nobody").where(users.id == 424242)).rows_affected == 0);
    // No where(): every row.
    CHECK(db.execute(update(posts).set(posts.views = 1)).rows_affected == 4);
    CHECK(db.scalar(select(count()).from(posts).where(posts.views == 1)) == 4);
}

TEMPLATE_TEST_CASE("delete reports the rows it removed, and foreign keys cascade", "[crud]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const seeded s = seed(db);
    db.execute(insert(post_tags).values(PostTag{.post_id = s.hello, .tag = "intro", .weight = 3}));
    db.execute(insert(post_tags).values(PostTag{.post_id = s.hello, .tag = "news"}));
    db.execute(insert(post_tags).values(PostTag{.post_id = s.bobs, .tag = "news"}));

    CHECK(db.execute(delete_from(posts).where(posts.views < 1)).rows_affected == 1);
    CHECK(post_ids(db, posts.id > 0) == ids{s.hello, s.bobs, s.draft});

    // Deleting Ann cascades to her posts, and from them to their tags.
    CHECK(db.execute(delete_from(users).where(users.email == "ann@example.com")).rows_affected == 1);
    CHECK(post_ids(db, posts.id > 0) == ids{s.bobs, s.draft});
    CHECK(db.all(select(post_tags.post_id, post_tags.tag)) ==
          std::vector<std::tuple<std::int64_t, std::string>>{{s.bobs, "news"}});

    CHECK(db.execute(delete_from(users).where(users.id == 424242)).rows_affected == 0);
    CHECK(db.execute(delete_from(post_tags)).rows_affected == 1);
    CHECK(db.execute(delete_from(posts)).rows_affected == 2);
    CHECK(db.scalar(select(count()).from(posts)) == 0);
    CHECK(db.scalar(select(count()).from(users)) == 4);
}

TEMPLATE_TEST_CASE("a table with a composite primary key", "[crud]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const seeded s = seed(db);
    const std::vector<PostTag> tags = {
        {.post_id = s.hello, .tag = "c++", .weight = 5},
        {.post_id = s.hello, .tag = "orm"},
        {.post_id = s.bobs, .tag = "c++", .weight = 2},
    };
    CHECK(db.execute(insert(post_tags).values(tags)).rows_affected == 3);
    const PostTag t = db.one(select(post_tags).where(post_tags.post_id == s.hello && post_tags.tag == "orm"));
    CHECK(t.weight == 1);  // the model's default
    CHECK(db.all(select(post_tags.post_id).where(post_tags.tag == "c++").order_by(post_tags.weight.desc())) ==
          ids{s.hello, s.bobs});
    // The same tag on the same post again breaks the composite key.
    CHECK_THROWS_AS(db.execute(insert(post_tags).values(PostTag{.post_id = s.bobs, .tag = "c++"})),
                    ctorm::unique_violation);
    CHECK(db.scalar(select(count()).from(post_tags)) == 3);
}

TEMPLATE_TEST_CASE("create_all is idempotent and drop_all removes the tables", "[crud]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.execute(insert(users).values(User{.email = "ann@example.com", .name = "Ann"}));
    // Again, in another order: existing tables and their rows stay.
    db.create_all(everything, post_tags, posts, users);
    CHECK(db.scalar(select(count()).from(users)) == 1);

    db.drop_all(users, posts, post_tags, everything);
    CHECK_THROWS_AS(db.scalar(select(count()).from(users)), ctorm::programming_error);
    db.drop_all(users, posts, post_tags, everything);  // nothing left to drop: no error

    db.create_all(users, posts, post_tags, everything);
    CHECK(db.scalar(select(count()).from(users)) == 0);
    CHECK(db.execute(insert(users).values(User{.email = "ann@example.com", .name = "Ann"})).rows_affected == 1);
}

#if 1
// Regression (fixed): SQLite's server_default(now()) stores
// strftime('%Y-%m-%d %H:%M:%f', 'now'), three fraction digits, while bound
// timestamps are written with six. Text comparison then puts
// "... 10:00:00.123" before "... 10:00:00.123000", so a created_at read back
// and used in a WHERE does not find its own row, not even with >=.
TEMPLATE_TEST_CASE("a server-filled created_at finds its own row again", "[crud]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.execute(insert(users).values(User{.email = "ann@example.com", .name = "Ann"}));
    const User ann = db.one(select(users));
    CHECK(db.scalar(select(count()).from(users).where(users.created_at == ann.created_at)) == 1);
    CHECK(db.scalar(select(count()).from(users).where(users.created_at >= ann.created_at)) == 1);
    CHECK(db.scalar(select(count()).from(users).where(users.created_at <= ann.created_at)) == 1);
}
#endif
