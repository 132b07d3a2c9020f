// Where NULLs sort: the same order on every backend. ctorm's rule is PostgreSQL's: NULL sorts
// as larger than every value (last with asc() or as written, first with desc()); on SQLite,
// which sorts NULL as the smallest value, a term that may be NULL gets NULLS LAST / NULLS
// FIRST. .nulls_first() / .nulls_last() say it explicitly on both. "May be NULL" is the
// term's type (std::optional) or a column of an outer-joined table. The texts are pinned in
// tests/unit/render_sqlite_test.cpp and render_postgres_test.cpp.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace nulls {

struct Score {
    std::int64_t id{};
    std::string name;
    std::optional<std::int32_t> points;
};
struct Team {
    std::int64_t id{};
    std::string name;
};
struct Player {
    std::int64_t id{};
    std::int64_t team_id{};
    std::int32_t points{};
};

CTORM_TABLE(scores, Score, (id, primary_key), (name, varchar<20>), (points));
CTORM_TABLE(teams, Team, (id, primary_key), (name, varchar<20>));
CTORM_TABLE(players, Player, (id, primary_key), (team_id, references(teams.id)), (points));

}  // namespace nulls

using namespace nulls;
using ctorm::over;
using ctorm::rank;
using ctorm::window;

namespace {

using names = std::vector<std::string>;
using opt_int = std::optional<std::int32_t>;

template <class DB>
void seed(DB& db) {
    db.create_all(scores, teams, players);
    const std::vector<Score> rows{{.name = "a", .points = 10},
                                  {.name = "b", .points = std::nullopt},
                                  {.name = "c", .points = 30},
                                  {.name = "d", .points = std::nullopt},
                                  {.name = "e", .points = 20}};
    REQUIRE(db.execute(insert(scores).values(rows)).rows_affected == 5);
    for (const char* name : {"red", "blue", "green"}) db.execute(insert(teams).values(Team{.name = name}));
    const auto team = [&](const char* name) { return db.one(select(teams.id).where(teams.name == name)); };
    db.execute(insert(players).values(Player{.team_id = team("red"), .points = 15}));
    db.execute(insert(players).values(Player{.team_id = team("red"), .points = 5}));
    db.execute(insert(players).values(Player{.team_id = team("green"), .points = 1}));
}

}  // namespace

TEMPLATE_TEST_CASE("NULLs sort last ascending and first descending on every backend", "[query][order_by][nulls]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);

    SECTION("as written, asc(), desc()") {
        CHECK(db.all(select(scores.name).order_by(scores.points, scores.name)) == names{"a", "e", "c", "b", "d"});
        CHECK(db.all(select(scores.name).order_by(scores.points.asc(), scores.name)) == names{"a", "e", "c", "b", "d"});
        CHECK(db.all(select(scores.name).order_by(scores.points.desc(), scores.name)) ==
              names{"b", "d", "c", "e", "a"});
    }
    SECTION("nulls_first() and nulls_last()") {
        CHECK(db.all(select(scores.name).order_by(scores.points.asc().nulls_first(), scores.name)) ==
              names{"b", "d", "a", "e", "c"});
        CHECK(db.all(select(scores.name).order_by(scores.points.desc().nulls_last(), scores.name)) ==
              names{"c", "e", "a", "b", "d"});
        CHECK(db.all(select(scores.name).order_by(scores.points.asc().nulls_last(), scores.name)) ==
              names{"a", "e", "c", "b", "d"});
        CHECK(db.all(select(scores.name).order_by(scores.points.desc().nulls_first(), scores.name)) ==
              names{"b", "d", "c", "e", "a"});
    }
    SECTION("a label of a nullable expression") {
        const auto p = scores.points.as<"p">();
        CHECK(db.all(select(scores.name, p).order_by(p.desc(), scores.name)) ==
              std::vector<std::tuple<std::string, opt_int>>{
                  {"b", std::nullopt}, {"d", std::nullopt}, {"c", 30}, {"e", 20}, {"a", 10}});
    }
    SECTION("RANK() OVER (ORDER BY points DESC)") {
        using row = std::tuple<std::string, std::int64_t>;
        CHECK(
            db.all(select(scores.name, over(rank(), window().order_by(scores.points.desc()))).order_by(scores.name)) ==
            std::vector<row>{{"a", 5}, {"b", 1}, {"c", 3}, {"d", 1}, {"e", 4}});
        CHECK(db.all(select(scores.name, over(rank(), window().order_by(scores.points.desc().nulls_last())))
                         .order_by(scores.name)) == std::vector<row>{{"a", 3}, {"b", 4}, {"c", 1}, {"d", 4}, {"e", 2}});
    }
    SECTION("a NOT NULL column of an outer-joined table may be NULL") {
        using row = std::tuple<std::string, opt_int>;
        auto q = select(teams.name, players.points)
                     .outer_join(players, players.team_id == teams.id)
                     .order_by(players.points, teams.name);
        CHECK(db.all(q) == std::vector<row>{{"green", 1}, {"red", 5}, {"red", 15}, {"blue", std::nullopt}});
    }
    SECTION("a set operation") {
        auto q = union_all(select(scores.name, scores.points).where(scores.points < 15),
                           select(scores.name, scores.points).where(scores.points.is_null()))
                     .order_by(scores.points.desc(), scores.name);
        CHECK(db.all(q) ==
              std::vector<std::tuple<std::string, opt_int>>{{"b", std::nullopt}, {"d", std::nullopt}, {"a", 10}});
    }
    SECTION("dynamic(): sort keys added at run time") {
        auto q = dynamic(select(scores.name));
        q.order_by(scores.points.desc(), scores.name);
        CHECK(db.all(q) == names{"b", "d", "c", "e", "a"});
        auto r = dynamic(select(scores.name));
        r.order_by(scores.points.desc().nulls_last(), scores.name);
        CHECK(db.all(r) == names{"c", "e", "a", "b", "d"});
    }
}
