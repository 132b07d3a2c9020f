// Self-referential relationships through the session on every backend: a
// category tree whose rows name their parent in the same table, declared as
// categories.children (one-to-many) and categories.parent (many-to-one) from
// the one foreign key; loading a fixed number of levels with nested
// selectinload paths that repeat a relationship, with the exact number of
// statements, every object once in the identity map, and s.load both ways.
#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tree {

struct Category {
    std::int64_t id{};
    std::optional<std::int64_t> parent_id{};  // NULL at the roots
    std::string name;
};
CTORM_TABLE(categories, Category,
            (id, primary_key),
            (parent_id, references(categories.id).on_delete(cascade), index),
            (name, varchar<100>));

inline constexpr auto children = ctorm::one_to_many<"children">(categories, categories.parent_id);
inline constexpr auto parent = ctorm::many_to_one<"parent">(categories.parent_id);

}  // namespace tree

using namespace tree;

namespace {

using statement_log = ctorm_test::data_statement_log;

// roots roots, each with fanout children, each of those with fanout
// children (three levels); ids in insertion order, names "r.c.g".
template <class C>
void add_tree(C& db, int roots, int fanout) {
    auto tx = db.begin();
    for (int r = 0; r < roots; ++r) {
        const std::int64_t rid =
            db.one(insert(categories).values(Category{.name = std::to_string(r)}).returning(categories.id));
        for (int c = 0; c < fanout; ++c) {
            const std::string cname = std::to_string(r) + "." + std::to_string(c);
            const std::int64_t cid =
                db.one(insert(categories).values(Category{.parent_id = rid, .name = cname}).returning(categories.id));
            for (int g = 0; g < fanout; ++g)
                db.execute(
                    insert(categories).values(Category{.parent_id = cid, .name = cname + "." + std::to_string(g)}));
        }
    }
    tx.commit();
}

}  // namespace

TEMPLATE_TEST_CASE("self-referential: categories.children and categories.parent over one foreign key",
                   "[orm][relationship]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(categories);
    add_tree(db, 300, 3);  // 300 roots, 900 children, 2,700 grandchildren
    REQUIRE(db.scalar(select(ctorm::count()).from(categories)) == 3900);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    auto roots = select(categories).where(categories.parent_id.is_null()).order_by(categories.id);

    SECTION("two levels down from the roots: 1 + 1 (300 keys) + 2 (900 keys) statements") {
        auto r = s.all(roots, ctorm::selectinload(children).selectinload(children));
        REQUIRE(r.size() == 300);
        CHECK(log.count() == 1 + 1 + 2);
        std::size_t seen = 0;
        for (const auto& root : r) {
            const auto& kids = r.get(children, root);
            REQUIRE(kids.size() == 3);
            for (std::size_t c = 0; c < kids.size(); ++c) {
                CHECK(kids[c]->parent_id == root->id);
                CHECK(kids[c]->name == root->name + "." + std::to_string(c));
                const auto& grandkids = r.get(children, kids[c]);
                REQUIRE(grandkids.size() == 3);
                for (const auto& g : grandkids) CHECK(g->parent_id == kids[c]->id);
                seen += 1 + grandkids.size();
            }
        }
        CHECK(seen == 3600);
        CHECK(s.size() == 3900);          // every row once in the identity map
        CHECK(log.count() == 1 + 1 + 2);  // reading sent nothing
        // A grandchild's children were not loaded: run time can tell, no statement.
        const auto& g = r.get(children, r.get(children, r[0])[0])[0];
        CHECK_THROWS_AS(r.get(children, g), ctorm::not_loaded_error);
        CHECK(log.count() == 1 + 1 + 2);
    }
    SECTION("up the tree: a grandchild's parent and its parent, the same objects as the roots'") {
        auto leaves = s.all(select(categories).where(categories.name.like("0.%.%")).order_by(categories.id),
                            ctorm::selectinload(parent).selectinload(parent));
        REQUIRE(leaves.size() == 9);
        CHECK(log.count() == 1 + 1 + 1);
        const auto root = s.get(categories, leaves[0]->parent_id.value() - 1);  // 0.0's id is 0's id + 1
        REQUIRE(root);
        CHECK(log.count() == 3);  // in the identity map already
        for (const auto& leaf : leaves) {
            const auto& up = leaves.get(parent, leaf);
            REQUIRE(up);
            CHECK(up->id == leaf->parent_id);
            CHECK(leaves.get(parent, up) == root);
        }
        // The roots were loaded as parents, not from: their own parent is not in the result.
        CHECK_THROWS_AS(leaves.get(parent, root), ctorm::not_loaded_error);
        CHECK(log.count() == 3);
    }
    SECTION("a path that repeats a relationship and one that does not share their first level") {
        auto r =
            s.all(roots.limit(10), ctorm::selectinload(children), ctorm::selectinload(children).selectinload(parent));
        CHECK(log.count() == 1 + 1 + 1);
        for (const auto& root : r)
            for (const auto& kid : r.get(children, root)) CHECK(r.get(parent, kid) == root);
    }
    SECTION("s.load both ways: one statement each, none for a root's parent") {
        auto r = s.all(roots.limit(1));
        REQUIRE(r.size() == 1);
        const auto kids = s.load(r[0], children);
        CHECK(kids.size() == 3);
        CHECK(log.count() == 2);
        CHECK(s.load(kids[1], parent) == r[0]);
        CHECK(log.count() == 3);
        CHECK_FALSE(s.load(r[0], parent));
        CHECK(log.count() == 3);
    }
}
