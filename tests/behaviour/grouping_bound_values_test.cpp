// A GROUP BY key or ORDER BY term that repeats a selected expression holding bound values
// (coalesce(x, "none"), price / 10) reuses that expression's placeholders, so PostgreSQL sees
// one expression, not two ($1 in the select list and $2 in GROUP BY was 42803, grouping_error),
// and the values are bound once; so does a GROUP BY key wherever it appears again, at any depth
// (in HAVING, inside a selected expression or a sort key). The text of each statement is pinned
// in tests/unit/render_sqlite_test.cpp and render_postgres_test.cpp.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace grouping {

struct Product {
    std::int64_t id{};
    std::string name;
    std::optional<std::string> category;
    std::int32_t price{};
};

CTORM_TABLE(products, Product, (id, primary_key), (name, varchar<50>), (category, varchar<50>), (price));

}  // namespace grouping

using ctorm::coalesce;
using ctorm::count;
using ctorm::length;
using ctorm::round;
using ctorm::upper;
using grouping::Product;
using grouping::products;

namespace {

using counts = std::vector<std::pair<std::string, std::int64_t>>;

template <class DB>
void seed(DB& db) {
    db.create_all(products);
    const std::vector<Product> rows{{.name = "a", .category = "books", .price = 12},
                                    {.name = "b", .category = "books", .price = 25},
                                    {.name = "c", .category = std::nullopt, .price = 7},
                                    {.name = "d", .category = std::nullopt, .price = 31},
                                    {.name = "e", .category = "toys", .price = 18}};
    REQUIRE(db.execute(insert(products).values(rows)).rows_affected == 5);
}

template <class Rows>
counts as_counts(const Rows& rows) {
    counts out;
    for (const auto& [key, n] : rows) out.emplace_back(key, n);
    return out;
}

}  // namespace

TEMPLATE_TEST_CASE("a bound value in a grouped and selected expression is one expression on every backend",
                   "[query][group_by]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);

    SECTION("GROUP BY coalesce(category, 'none') as selected") {
        auto q = select(coalesce(products.category, "none"), count())
                     .from(products)
                     .group_by(coalesce(products.category, "none"));
        auto got = as_counts(db.all(q));
        std::sort(got.begin(), got.end());
        CHECK(got == counts{{"books", 2}, {"none", 2}, {"toys", 1}});
    }
    SECTION("the same, labeled, ordered by the expression") {
        auto q = select(coalesce(products.category, "none").as<"category">(), count())
                     .from(products)
                     .group_by(coalesce(products.category, "none"))
                     .order_by(coalesce(products.category, "none").desc());
        CHECK(as_counts(db.all(q)) == counts{{"toys", 1}, {"none", 2}, {"books", 2}});
    }
    SECTION("price buckets: price / 10 selected, grouped and ordered") {
        auto q = select(products.price / 10, count()).group_by(products.price / 10).order_by(products.price / 10);
        using row = std::tuple<std::int32_t, std::int64_t>;
        CHECK(db.all(q) == std::vector<row>{{0, 1}, {1, 2}, {2, 1}, {3, 1}});
    }
    SECTION("ORDER BY a grouping key that is not selected") {
        auto q = select(count())
                     .from(products)
                     .group_by(coalesce(products.category, "none"))
                     .order_by(coalesce(products.category, "none").desc());
        CHECK(db.all(q) == std::vector<std::int64_t>{1, 2, 2});
    }
    SECTION("SELECT DISTINCT ordered by the selected expression") {
        auto q = select(coalesce(products.category, "none")).distinct().order_by(coalesce(products.category, "none"));
        CHECK(db.all(q) == std::vector<std::string>{"books", "none", "toys"});
    }
    SECTION("dynamic(): a run-time filter between the select list and GROUP BY") {
        auto q = dynamic(select(coalesce(products.category, "none"), count())
                             .from(products)
                             .group_by(coalesce(products.category, "none"))
                             .order_by(coalesce(products.category, "none")));
        q.where(products.price > 10);
        CHECK(as_counts(db.all(q)) == counts{{"books", 2}, {"none", 1}, {"toys", 1}});
    }
    SECTION("dynamic(): a run-time sort key that repeats the selected expression") {
        auto q = dynamic(select(coalesce(products.category, "none"), count())
                             .from(products)
                             .group_by(coalesce(products.category, "none")));
        q.where(products.price > 10);
        q.order_by(coalesce(products.category, "none").desc());
        CHECK(as_counts(db.all(q)) == counts{{"toys", 1}, {"none", 1}, {"books", 2}});
        CHECK_THROWS_AS(q.order_by(coalesce(products.category, "other")), ctorm::error);
    }
    SECTION("a grouped subquery after the enclosing statement's values") {
        auto crowded = select(coalesce(products.category, "none"))
                           .group_by(coalesce(products.category, "none"))
                           .having(count() > 1);
        auto q = select(products.name)
                     .where(products.price > 20 && in_select(coalesce(products.category, "none"), crowded))
                     .order_by(products.name);
        CHECK(db.all(q) == std::vector<std::string>{"b", "d"});
    }
}

TEMPLATE_TEST_CASE(
    "a grouping key holding bound values repeats at any depth: HAVING, inside selected and sort "
    "expressions",
    "[query][group_by][having]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);
    const auto key = coalesce(products.category, "none");

    SECTION("HAVING names the key") {
        // PostgreSQL raised 42803 here: HAVING's $3 was not GROUP BY's $2
        auto q = select(key, count()).from(products).group_by(key).having(key != "toys").order_by(key);
        CHECK(as_counts(db.all(q)) == counts{{"books", 2}, {"none", 2}});
    }
    SECTION("HAVING compares the key with an aggregate") {
        auto q = select(products.price / 10, count())
                     .group_by(products.price / 10)
                     .having(products.price / 10 < count() + 1)
                     .order_by(products.price / 10);
        using row = std::tuple<std::int32_t, std::int64_t>;
        CHECK(db.all(q) == std::vector<row>{{0, 1}, {1, 2}});
    }
    SECTION("the key inside a selected expression, then selected itself, then inside a sort key") {
        auto q = select(upper(key), key, count()).from(products).group_by(key).order_by(length(key).desc(), key);
        using row = std::tuple<std::string, std::string, std::int64_t>;
        CHECK(db.all(q) == std::vector<row>{{"BOOKS", "books", 2}, {"NONE", "none", 2}, {"TOYS", "toys", 1}});
    }
    SECTION("the key's type inside an aggregate is per row, with its own values") {
        auto q = select(key, count(coalesce(products.category, "other")), ctorm::sum(products.price))
                     .from(products)
                     .group_by(key)
                     .order_by(key);
        using row = std::tuple<std::string, std::int64_t, std::optional<std::int64_t>>;
        CHECK(db.all(q) == std::vector<row>{{"books", 2, 37}, {"none", 2, 38}, {"toys", 1, 18}});
    }
    SECTION("round() writes its operand twice on PostgreSQL; the key inside it") {
        const auto half = products.price + 0.5;
        auto q = select(round(half), count()).group_by(half).having(half > 10.0).order_by(round(half).desc());
        using row = std::tuple<double, std::int64_t>;
        CHECK(db.all(q) == std::vector<row>{{32.0, 1}, {26.0, 1}, {19.0, 1}, {13.0, 1}});
    }
    SECTION("round() of the key after the key: both of its copies repeat the key (review)") {
        const auto half = products.price + 0.5;
        auto q = select(half, round(half), count()).group_by(half).having(half > 10.0).order_by(round(half));
        using row = std::tuple<double, double, std::int64_t>;
        CHECK(db.all(q) == std::vector<row>{{12.5, 13.0, 1}, {18.5, 19.0, 1}, {25.5, 26.0, 1}, {31.5, 32.0, 1}});
    }
    SECTION("a subquery keeps its own values, even of the key's type (review)") {
        auto expensive = select(coalesce(products.category, "")).from(products).where(products.price > 20);
        auto q = select(key, count()).from(products).group_by(key).having(ctorm::in_select(key, expensive));
        CHECK(as_counts(db.all(q)) == counts{{"books", 2}});
    }
    SECTION("an ORDER BY term repeating a selected subquery repeats its WHERE's values (review)") {
        auto others =
            ctorm::subquery_value(select(count()).from(products).where(coalesce(products.category, "b") != "toys"));
        auto q = select(key, others).from(products).group_by(key).order_by(others, key);
        using row = std::tuple<std::string, std::optional<std::int64_t>>;
        CHECK(db.all(q) == std::vector<row>{{"books", 4}, {"none", 4}, {"toys", 4}});
    }
    SECTION("two keys of one type are each their own expression (review)") {
        auto q = select(count()).from(products).group_by(products.price / 10, products.price / 100).order_by(count());
        CHECK(db.all(q) == std::vector<std::int64_t>{1, 1, 1, 2});
    }
    SECTION("WHERE holds the key's type with other values: outside the scope") {
        auto q = select(key, count())
                     .from(products)
                     .where(coalesce(products.category, "") != "toys")
                     .group_by(key)
                     .having(key != "books");
        CHECK(as_counts(db.all(q)) == counts{{"none", 2}});
    }
    SECTION("dynamic(): a run-time filter and a run-time sort key with HAVING on the key") {
        auto q = dynamic(select(key, count()).from(products).group_by(key).having(key != "none"));
        q.where(products.price > 10);
        q.order_by(key.desc());
        CHECK(as_counts(db.all(q)) == counts{{"toys", 1}, {"books", 2}});
    }
    SECTION("dynamic(): a run-time sort key holding the key inside an expression") {
        auto q = dynamic(select(key, count()).from(products).group_by(key));
        q.where(products.price > 10);
        q.order_by(length(key).desc(), key.desc());
        CHECK(as_counts(db.all(q)) == counts{{"books", 2}, {"toys", 1}, {"none", 1}});
        CHECK_THROWS_WITH(q.order_by(length(coalesce(products.category, "other"))),
                          Catch::Contains("ctorm: order_by()") && Catch::Contains("other values"));
    }
}

TEST_CASE("a grouping key repeated with other values is refused, naming the clause", "[query][group_by][having]") {
    const auto grouped =
        select(coalesce(products.category, "none"), count()).group_by(coalesce(products.category, "none"));
    CHECK_THROWS_WITH(grouped.having(coalesce(products.category, "other") != "x"),
                      Catch::Contains("ctorm: having()") && Catch::Contains("other values"));
    CHECK_THROWS_WITH(grouped.order_by(length(coalesce(products.category, "other"))),
                      Catch::Contains("ctorm: order_by()") && Catch::Contains("other values"));
    CHECK_THROWS_WITH(select(upper(coalesce(products.category, "other"))).group_by(coalesce(products.category, "none")),
                      Catch::Contains("ctorm: group_by()") && Catch::Contains("other values"));
    CHECK_NOTHROW(grouped.having(coalesce(products.category, "none") != "x"));
    CHECK_NOTHROW(grouped.having(count(coalesce(products.category, "other")) > 1));
}

TEST_CASE("a grouping key shaped like a selected expression but with other values is refused", "[query][group_by]") {
    const auto selected = select(coalesce(products.category, "none"), count()).from(products);
    CHECK_THROWS_AS(selected.group_by(coalesce(products.category, "other")), ctorm::error);
    CHECK_THROWS_WITH(selected.group_by(coalesce(products.category, "other")),
                      Catch::Contains("ctorm: group_by()") && Catch::Contains("other values"));
    CHECK_NOTHROW(selected.group_by(coalesce(products.category, "none")));
    CHECK_THROWS_AS(
        select(coalesce(products.category, "none")).distinct().order_by(coalesce(products.category, "other")),
        ctorm::error);
}
