// The query language on every backend: joins of each kind and self-joins, aggregates with
// GROUP BY / HAVING, expressions and functions, CASE and CAST, window functions, subqueries
// (scalar, IN, EXISTS, correlated), set operations, WITH and WITH RECURSIVE, into<T>(), dynamic
// searches, RETURNING and upserts, and (PostgreSQL) row locks. Each statement of
// tracker::queries, whose text tests/unit/render_queries_*_test.cpp pin, runs here and its rows
// are checked.
#include "support/project_schema.hpp"
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <boost/hana/define_struct.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

using namespace tracker;
using namespace tracker::queries;
using blog::Post;
using blog::posts;
using blog::User;
using ctorm::count;
using ctorm_test::at;

namespace {

using opt_int = std::optional<std::int64_t>;
using opt_text = std::optional<std::string>;
using names = std::vector<std::string>;

// The tracker's rows, by name. Every case below starts from them.
//   users     Ann, Bob, Cy, Dee (ids in that order)
//   posts     Ann: a1..a7, views 5 50 70 0 10 20 30   (7 posts, 185 views)
//             Cy:  c1..c6, views 1 2 3 4 5 60          (6 posts, 75 views)
//             Dee: d1, d2, views 100 40                 (2 posts, 140 views); Bob has none
//   projects  Apollo (Ann, active, 2024-01-10)   Gemini (Ann, inactive, 2024-02-01)
//             Mercury (Ann, active, 2024-03-05)  Artemis (Bob, active, 2024-01-20)
//             Voyager (Cy, active, 2023-12-01, no tasks)
//   tasks     Apollo:  Design the lander (done, 8)  Build the LANDER (doing, 20)  Test lander legs (todo, -)
//             Mercury: Write launch checklist (todo, 3)  Review checklist (done, 1)
//             Artemis: Order fuel (doing, -)     Gemini: Archive gemini notes (done, 2)
//   categories Science > Physics > Quantum > Strings, Science > Physics > Optics, Science > Biology,
//             Arts > Music
struct tracker_rows {
    std::int64_t ann{}, bob{}, cy{}, dee{};
    std::map<std::string, std::int64_t> post, project, task, category;
};

template <class DB>
std::int64_t add_user(DB& db, const std::string& name) {
    std::string email = name + "@example.com";
    for (char& c : email) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    REQUIRE(db.execute(insert(users).values(User{.email = email, .name = name})).rows_affected == 1);
    return db.one(select(users.id).where(users.email == email));
}

template <class DB>
tracker_rows seed(DB& db) {
    db.create_all(projects, tasks, categories);
    tracker_rows r;
    r.ann = add_user(db, "Ann");
    r.bob = add_user(db, "Bob");
    r.cy = add_user(db, "Cy");
    r.dee = add_user(db, "Dee");

    const auto add_posts = [&](std::int64_t author, char prefix, std::vector<std::int32_t> views) {
        int n = 0;
        for (std::int32_t v : views) {
            const std::string title = std::string(1, prefix) + std::to_string(++n);
            REQUIRE(db.execute(insert(posts).values(Post{.title = title,
                                                         .content = "...",
                                                         .author_id = author,
                                                         .views = v,
                                                         .published_at = std::nullopt}))
                        .rows_affected == 1);
            r.post[title] = db.one(select(posts.id).where(posts.title == title));
        }
    };
    add_posts(r.ann, 'a', {5, 50, 70, 0, 10, 20, 30});
    add_posts(r.cy, 'c', {1, 2, 3, 4, 5, 60});
    add_posts(r.dee, 'd', {100, 40});

    const auto add_project = [&](std::int64_t owner, const std::string& name, bool active, ctorm::timestamp created) {
        REQUIRE(db.execute(insert(projects).values(
                               Project{.owner_id = owner, .name = name, .is_active = active, .created_at = created}))
                    .rows_affected == 1);
        r.project[name] = db.one(select(projects.id).where(projects.name == name));
    };
    add_project(r.ann, "Apollo", true, at(2024, 1, 10, 9));
    add_project(r.ann, "Gemini", false, at(2024, 2, 1, 9));
    add_project(r.ann, "Mercury", true, at(2024, 3, 5, 9));
    add_project(r.bob, "Artemis", true, at(2024, 1, 20, 9));
    add_project(r.cy, "Voyager", true, at(2023, 12, 1, 9));

    const auto add_task = [&](const std::string& project, const std::string& title, task_status status,
                              std::optional<std::int32_t> estimate) {
        REQUIRE(db
                    .execute(insert(tasks).values(Task{
                        .project_id = r.project.at(project), .title = title, .status = status, .estimate = estimate}))
                    .rows_affected == 1);
        r.task[title] = db.one(select(tasks.id).where(tasks.title == title));
    };
    add_task("Apollo", "Design the lander", task_status::done, 8);
    add_task("Apollo", "Build the LANDER", task_status::doing, 20);
    add_task("Apollo", "Test lander legs", task_status::todo, std::nullopt);
    add_task("Mercury", "Write launch checklist", task_status::todo, 3);
    add_task("Mercury", "Review checklist", task_status::done, 1);
    add_task("Artemis", "Order fuel", task_status::doing, std::nullopt);
    add_task("Gemini", "Archive gemini notes", task_status::done, 2);

    const auto add_category = [&](const std::string& name, std::optional<std::int64_t> parent_id) {
        REQUIRE(db.execute(insert(categories).values(Category{.name = name, .parent_id = parent_id})).rows_affected ==
                1);
        r.category[name] = db.one(select(categories.id).where(categories.name == name));
        return r.category[name];
    };
    const auto science = add_category("Science", std::nullopt);
    const auto physics = add_category("Physics", science);
    add_category("Biology", science);
    const auto quantum = add_category("Quantum", physics);
    add_category("Optics", physics);
    const auto arts = add_category("Arts", std::nullopt);
    add_category("Music", arts);
    add_category("Strings", quantum);
    return r;
}

// A result struct for into<T>().
struct project_line {
    BOOST_HANA_DEFINE_STRUCT(project_line, (std::string, project), (std::string, owner));
};
struct project_and_task {
    BOOST_HANA_DEFINE_STRUCT(project_and_task, (std::string, project), (std::optional<std::string>, task));
};

}  // namespace

TEMPLATE_TEST_CASE("joins: inner, left, right, full, cross, three tables", "[query][join]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const auto r = seed(db);

    using pair = std::tuple<std::string, std::string>;
    CHECK(db.all(project_owners()) ==
          std::vector<pair>{
              {"Apollo", "Ann"}, {"Artemis", "Bob"}, {"Gemini", "Ann"}, {"Mercury", "Ann"}, {"Voyager", "Cy"}});

    // LEFT: Voyager has no tasks, and comes back with no title.
    using left_row = std::tuple<std::string, opt_text>;
    CHECK(db.all(projects_with_tasks()) == std::vector<left_row>{{"Apollo", "Build the LANDER"},
                                                                 {"Apollo", "Design the lander"},
                                                                 {"Apollo", "Test lander legs"},
                                                                 {"Artemis", "Order fuel"},
                                                                 {"Gemini", "Archive gemini notes"},
                                                                 {"Mercury", "Review checklist"},
                                                                 {"Mercury", "Write launch checklist"},
                                                                 {"Voyager", std::nullopt}});

    // RIGHT: every task; Gemini is inactive, so its task has no project here.
    using right_row = std::tuple<opt_text, std::string>;
    CHECK(db.all(tasks_right_of_projects()) == std::vector<right_row>{{"Apollo", "Design the lander"},
                                                                      {"Apollo", "Build the LANDER"},
                                                                      {"Apollo", "Test lander legs"},
                                                                      {"Mercury", "Write launch checklist"},
                                                                      {"Mercury", "Review checklist"},
                                                                      {"Artemis", "Order fuel"},
                                                                      {std::nullopt, "Archive gemini notes"}});

    // FULL: Dee owns nothing and still appears.
    using full_row = std::tuple<opt_text, opt_text>;
    CHECK(db.all(owners_full_projects()) == std::vector<full_row>{{"Ann", "Apollo"},
                                                                  {"Ann", "Gemini"},
                                                                  {"Ann", "Mercury"},
                                                                  {"Bob", "Artemis"},
                                                                  {"Cy", "Voyager"},
                                                                  {"Dee", std::nullopt}});

    // CROSS: every user with every root category.
    CHECK(db.all(users_times_root_categories()) == std::vector<pair>{{"Ann", "Arts"},
                                                                     {"Ann", "Science"},
                                                                     {"Bob", "Arts"},
                                                                     {"Bob", "Science"},
                                                                     {"Cy", "Arts"},
                                                                     {"Cy", "Science"},
                                                                     {"Dee", "Arts"},
                                                                     {"Dee", "Science"}});

    CHECK(db.all(task_owner_names(task_status::todo)) ==
          std::vector<pair>{{"Test lander legs", "Ann"}, {"Write launch checklist", "Ann"}});
    CHECK(db.all(task_owner_names(task_status::doing)) ==
          std::vector<pair>{{"Build the LANDER", "Ann"}, {"Order fuel", "Bob"}});
    CHECK(r.task.size() == 7);
}

TEMPLATE_TEST_CASE("a self-join through alias<>() pairs each category with its parent", "[query][join]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);
    using row = std::tuple<std::string, opt_text>;
    CHECK(db.all(categories_with_parent()) == std::vector<row>{{"Science", std::nullopt},
                                                               {"Physics", "Science"},
                                                               {"Biology", "Science"},
                                                               {"Quantum", "Physics"},
                                                               {"Optics", "Physics"},
                                                               {"Arts", std::nullopt},
                                                               {"Music", "Arts"},
                                                               {"Strings", "Quantum"}});
    // The alias in a WHERE too: the children of Physics, by the parent's name.
    CHECK(db.all(children_named("Physics")) == names{"Optics", "Quantum"});
    CHECK(db.all(children_named("Science")) == names{"Biology", "Physics"});
}

TEMPLATE_TEST_CASE("the guides' project tracker: active projects, counts per status, title search", "[query]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const auto r = seed(db);

    // A user's active projects, newest first.
    const auto mine = db.all(active_projects_of(r.ann));
    REQUIRE(mine.size() == 2);
    CHECK(std::get<1>(mine[0]) == "Mercury");
    CHECK(std::get<2>(mine[0]) == at(2024, 3, 5, 9));
    CHECK(std::get<1>(mine[1]) == "Apollo");
    CHECK(std::get<0>(mine[1]) == r.project.at("Apollo"));
    CHECK(db.all(active_projects_of(r.dee)).empty());

    // Task counts per status, grouped on an enum column.
    using status_count = std::tuple<task_status, std::int64_t>;
    CHECK(db.all(task_counts_by_status()) ==
          std::vector<status_count>{{task_status::todo, 2}, {task_status::doing, 2}, {task_status::done, 3}});

    // A case-insensitive search, at most 20 rows.
    using hit = std::tuple<std::int64_t, std::string>;
    CHECK(db.all(search_titles("%LANDER%")) == std::vector<hit>{{r.task.at("Design the lander"), "Design the lander"},
                                                                {r.task.at("Build the LANDER"), "Build the LANDER"},
                                                                {r.task.at("Test lander legs"), "Test lander legs"}});
    CHECK(db.all(search_titles("%checklist")).size() == 2);
    CHECK(db.all(search_titles("%")).size() == 7);
    for (int i = 0; i < 25; ++i) {
        REQUIRE(db.execute(insert(tasks).values(
                               Task{.project_id = r.project.at("Voyager"), .title = "Probe step " + std::to_string(i)}))
                    .rows_affected == 1);
    }
    CHECK(db.all(search_titles("%")).size() == 20);
    CHECK(db.all(search_titles("probe%")).size() == 20);
}

TEMPLATE_TEST_CASE("aggregates: count, count distinct, sum, avg, min, max, GROUP BY, HAVING", "[query][aggregate]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(projects, tasks, categories);

    // On no rows: COUNT is 0, the others NULL.
    using totals = std::tuple<std::int64_t, std::int64_t, opt_int, opt_text, std::optional<std::int32_t>>;
    CHECK(db.one(view_totals()) == totals{0, 0, std::nullopt, std::nullopt, std::nullopt});

    seed(db);
    CHECK(db.one(view_totals()) == totals{15, 3, 400, "a1", 100});

    // Users with more than five posts, through an outer join: users without posts count 0.
    using per_user = std::tuple<std::string, std::int64_t>;
    CHECK(db.all(prolific_users(5)) == std::vector<per_user>{{"Ann", 7}, {"Cy", 6}});
    CHECK(db.all(prolific_users(6)) == std::vector<per_user>{{"Ann", 7}});
    CHECK(db.all(prolific_users(-1)) == std::vector<per_user>{{"Ann", 7}, {"Cy", 6}, {"Dee", 2}, {"Bob", 0}});

    // A label in ORDER BY, an aggregate in HAVING, a WHERE before grouping.
    CHECK(db.all(busy_owners(2)) == std::vector<per_user>{{"Ann", 3}});
    CHECK(db.all(busy_owners(1)) == std::vector<per_user>{{"Ann", 3}, {"Bob", 1}});
    CHECK(db.all(busy_owners(4)).empty());

    // HAVING with no GROUP BY: the whole table is one group.
    CHECK(db.all(whole_table_having(100)).empty());
    CHECK(db.all(whole_table_having(10)) == std::vector<std::int64_t>{15});
}

TEMPLATE_TEST_CASE("avg() reads as a double and sum() of 64-bit integers as an int64", "[query][aggregate]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);
    // (PostgreSQL computes AVG of integers and SUM of BIGINTs as NUMERIC.)
    SECTION("count, sum, avg, min and max per group, NULL for groups with nothing to add up") {
        using stats = std::tuple<std::string, std::int64_t, std::int64_t, opt_int, std::optional<double>,
                                 std::optional<std::int32_t>, std::optional<std::int32_t>>;
        const auto stats_rows = db.all(estimate_stats_per_project());
        REQUIRE(stats_rows.size() == 5);
        CHECK(stats_rows[0] == stats{"Apollo", 3, 2, 28, 14.0, 8, 20});
        CHECK(stats_rows[1] == stats{"Artemis", 1, 0, std::nullopt, std::nullopt, std::nullopt, std::nullopt});
        CHECK(stats_rows[2] == stats{"Gemini", 1, 1, 2, 2.0, 2, 2});
        CHECK(stats_rows[3] == stats{"Mercury", 2, 2, 4, 2.0, 1, 3});
        CHECK(stats_rows[4] == stats{"Voyager", 0, 0, std::nullopt, std::nullopt, std::nullopt, std::nullopt});
    }
    SECTION("avg of a whole table") {
        const std::optional<double> mean = db.scalar(select(avg(posts.views)));
        REQUIRE(mean.has_value());
        CHECK(*mean == Approx(400.0 / 15.0));
    }
    SECTION("avg over a window") {
        using row = std::tuple<std::string, std::optional<double>>;
        const auto rows = db.all(average_views_per_author());
        REQUIRE(rows.size() == 15);
        CHECK(rows[0] == row{"a1", 185.0 / 7.0});
        CHECK(rows[12] == row{"c6", 12.5});
        CHECK(rows[14] == row{"d2", 70.0});
    }
    SECTION("sum of a BIGINT next to an avg") {
        const auto both = db.one(wide_sum_and_average());
        CHECK(std::get<0>(both) == opt_int(400));
        REQUIRE(std::get<1>(both).has_value());
        CHECK(*std::get<1>(both) == Approx(400.0 / 15.0));
    }
    SECTION("sum of a BIGINT") {
        CHECK(db.scalar(select(sum(cast<std::int64_t>(posts.views)))) == opt_int(400));
        CHECK(db.scalar(select(sum(posts.author_id)).where(posts.author_id == 0)) == opt_int());
    }
}

TEMPLATE_TEST_CASE("expressions: arithmetic, text and numeric functions, CASE, CAST, COALESCE, NULLIF",
                   "[query][expression]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const auto r = seed(db);

    // (views + 1) * 2, views - (views - 1), views / 2 % 3, views * 1.5, views + author_id
    const auto arithmetic = db.all(arithmetic_on_views(1));
    REQUIRE(arithmetic.size() == 15);
    const auto& a1 = arithmetic[0];  // views 5
    CHECK(std::get<0>(a1) == r.post.at("a1"));
    CHECK(std::get<1>(a1) == 12);
    CHECK(std::get<2>(a1) == 1);
    CHECK(std::get<3>(a1) == 2);
    CHECK(std::get<4>(a1) == Approx(7.5));
    CHECK(std::get<5>(a1) == 5 + r.ann);
    const auto& a3 = arithmetic[2];  // views 70
    CHECK(std::get<1>(a3) == 142);
    CHECK(std::get<2>(a3) == 1);
    CHECK(std::get<3>(a3) == 2);  // 35 % 3
    CHECK(std::get<4>(a3) == Approx(105.0));
    const auto& d1 = arithmetic[13];  // views 100
    CHECK(std::get<0>(d1) == r.post.at("d1"));
    CHECK(std::get<1>(d1) == 202);
    CHECK(std::get<3>(d1) == 2);  // 50 % 3
    CHECK(std::get<5>(d1) == 100 + r.dee);

    // abs(estimate - 10), round(estimate / 3.0), COALESCE(estimate, 0), NULLIF(estimate, 1)
    using oi = std::optional<std::int32_t>;
    using od = std::optional<double>;
    using numeric_row = std::tuple<std::string, oi, od, std::int32_t, oi>;
    CHECK(db.all(numeric_functions()) == std::vector<numeric_row>{{"Design the lander", 2, 3.0, 8, 8},
                                                                  {"Build the LANDER", 10, 7.0, 20, 20},
                                                                  {"Test lander legs", {}, {}, 0, {}},
                                                                  {"Write launch checklist", 7, 1.0, 3, 3},
                                                                  {"Review checklist", 9, 0.0, 1, {}},
                                                                  {"Order fuel", {}, {}, 0, {}},
                                                                  {"Archive gemini notes", 8, 1.0, 2, 2}});

    // CASE with ELSE never gives NULL; CASE without ELSE does.
    using case_row = std::tuple<std::string, std::string, oi>;
    CHECK(db.all(estimate_labels()) == std::vector<case_row>{{"Design the lander", "medium", 8},
                                                             {"Build the LANDER", "big", {}},
                                                             {"Test lander legs", "small", {}},
                                                             {"Write launch checklist", "medium", {}},
                                                             {"Review checklist", "small", 1},
                                                             {"Order fuel", "small", {}},
                                                             {"Archive gemini notes", "small", 2}});

    const auto cast_rows = db.all(casts());
    REQUIRE(cast_rows.size() == 15);
    CHECK(std::get<0>(cast_rows[2]) == Approx(70.0));
    CHECK(std::get<1>(cast_rows[2]) == std::to_string(r.post.at("a3")));
    CHECK(std::get<2>(cast_rows[2]) == 35);
    CHECK(std::get<2>(cast_rows[0]) == 2);

    // now() and the current date, as the server sees them (UTC for timestamps).
    const auto [now, today_on_server] = db.one(clock_now());
    const auto here = std::chrono::system_clock::now();
    CHECK(now > here - std::chrono::minutes(5));
    CHECK(now < here + std::chrono::minutes(5));
    const auto this_day = std::chrono::floor<std::chrono::days>(here);
    CHECK(today_on_server >= this_day - std::chrono::days(1));
    CHECK(today_on_server <= this_day + std::chrono::days(1));

    // Arithmetic and functions in WHERE and ORDER BY, values bound.
    CHECK(db.all(select(posts.title)
                     .where(posts.views * 2 + 1 > 100 && length(posts.title) == 2)
                     .order_by((posts.views % 7).desc(), posts.title)) == names{"c6", "d1", "a2", "a3"});
}

TEMPLATE_TEST_CASE("text functions: lower, upper, length, trim, substr, concatenation", "[query][expression]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);
    using text_row = std::tuple<std::string, std::string, std::int64_t, std::string, std::string, std::string>;
    CHECK(db.all(text_functions()) == std::vector<text_row>{{"ann", "ANN", 15, "Ann", "ann", "Ann <ann@example.com>"},
                                                            {"bob", "BOB", 15, "Bob", "bob", "Bob <bob@example.com>"},
                                                            {"cy", "CY", 14, "Cy", "cy@", "Cy <cy@example.com>"},
                                                            {"dee", "DEE", 15, "Dee", "dee", "Dee <dee@example.com>"}});
}

TEMPLATE_TEST_CASE("window functions: row_number, rank, dense_rank, lag, lead, sum and count over partitions",
                   "[query][window]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);

    // Per owner, newest project first.
    using numbered = std::tuple<std::string, std::int64_t>;
    CHECK(db.all(project_rank_per_owner()) ==
          std::vector<numbered>{{"Apollo", 3}, {"Gemini", 2}, {"Mercury", 1}, {"Artemis", 1}, {"Voyager", 1}});

    // Views 100 70 60 50 40 30 20 10 5 5 4 3 2 1 0: ties share a rank; dense_rank leaves no gap.
    using ranked = std::tuple<std::string, std::int64_t, std::int64_t>;
    CHECK(db.all(post_view_ranks()) == std::vector<ranked>{{"a1", 9, 9},
                                                           {"a2", 4, 4},
                                                           {"a3", 2, 2},
                                                           {"a4", 15, 14},
                                                           {"a5", 8, 8},
                                                           {"a6", 7, 7},
                                                           {"a7", 6, 6},
                                                           {"c1", 14, 13},
                                                           {"c2", 13, 12},
                                                           {"c3", 12, 11},
                                                           {"c4", 11, 10},
                                                           {"c5", 9, 9},
                                                           {"c6", 3, 3},
                                                           {"d1", 1, 1},
                                                           {"d2", 5, 5}});

    using oi = std::optional<std::int32_t>;
    const auto rows = db.all(neighbours_and_totals());
    REQUIRE(rows.size() == 15);
    std::vector<oi> lags, leads;
    std::vector<opt_int> sums;
    std::vector<std::int64_t> counts;
    for (const auto& row : rows) {
        lags.push_back(std::get<1>(row));
        leads.push_back(std::get<2>(row));
        sums.push_back(std::get<3>(row));
        counts.push_back(std::get<4>(row));
    }
    CHECK(lags == std::vector<oi>{{}, 5, 50, 70, 0, 10, 20, {}, 1, 2, 3, 4, 5, {}, 100});
    CHECK(leads == std::vector<oi>{50, 70, 0, 10, 20, 30, {}, 2, 3, 4, 5, 60, {}, 40, {}});
    CHECK(sums == std::vector<opt_int>{185, 185, 185, 185, 185, 185, 185, 75, 75, 75, 75, 75, 75, 140, 140});
    CHECK(counts == std::vector<std::int64_t>{7, 7, 7, 7, 7, 7, 7, 6, 6, 6, 6, 6, 6, 2, 2});
}

TEMPLATE_TEST_CASE("subqueries: scalar, IN, NOT IN, EXISTS, NOT EXISTS, correlated", "[query][subquery]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);

    using counted = std::tuple<std::string, opt_int>;
    CHECK(db.all(task_count_per_project()) ==
          std::vector<counted>{{"Apollo", 3}, {"Gemini", 1}, {"Mercury", 2}, {"Artemis", 1}, {"Voyager", 0}});
    // Above the average of 400 / 15 views.
    CHECK(db.all(posts_above_average()) == names{"a2", "a3", "a7", "c6", "d1", "d2"});
    // Correlated through an alias of the same table: each author's most viewed post.
    CHECK(db.all(top_post_per_author()) == names{"a3", "c6", "d1"});
    CHECK(db.all(owners_of_active_projects()) == names{"Ann", "Bob", "Cy"});
    CHECK(db.all(users_without_projects()) == names{"Dee"});
    CHECK(db.all(projects_with_open_tasks()) == names{"Apollo", "Artemis", "Mercury"});
    CHECK(db.all(projects_without_tasks()) == names{"Voyager"});

    // A scalar subquery with a value bound inside it, next to values outside it.
    CHECK(db.all(select(projects.name)
                     .where(projects.is_active &&
                            subquery_value(select(count()).from(tasks).correlate(projects).where(
                                tasks.project_id == projects.id && tasks.status == task_status::done)) >= 1)
                     .order_by(projects.name)) == names{"Apollo", "Mercury"});
}

TEMPLATE_TEST_CASE("set operations: UNION, UNION ALL, INTERSECT, EXCEPT with ORDER BY and LIMIT", "[query][compound]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const auto r = seed(db);

    CHECK(db.all(names_everywhere()) == names{"Voyager", "Mercury", "Gemini", "Dee"});
    // UNION ALL keeps duplicates: owners 1 1 1 2 3, then authors of posts over 50 views 1 3 4.
    CHECK(db.all(owner_ids_twice()) == std::vector<std::int64_t>{r.ann, r.bob, r.cy});
    CHECK(db.all(owners_who_post()) == std::vector<std::int64_t>{r.ann, r.cy});
    CHECK(db.all(users_who_own_nothing()) == std::vector<std::int64_t>{r.dee});
    // UNION removes them.
    auto everyone = db.all(union_(select(projects.owner_id), select(posts.author_id)));
    std::sort(everyone.begin(), everyone.end());
    CHECK(everyone == std::vector<std::int64_t>{r.ann, r.bob, r.cy, r.dee});
    // Two columns, values bound on both sides.
    using row = std::tuple<std::int64_t, std::string>;
    CHECK(db.all(two_column_union("Bob", "Voyager")) == std::vector<row>{{r.cy, "Voyager"}, {r.bob, "Bob"}});
    CHECK(db.all(two_column_union("Cy", "Artemis")) == std::vector<row>{{r.cy, "Cy"}, {r.bob, "Artemis"}});
}

TEMPLATE_TEST_CASE("WITH and WITH RECURSIVE: a named subquery, the descendants of a category", "[query][cte]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const auto r = seed(db);

    using counted = std::tuple<std::string, std::int64_t>;
    CHECK(db.all(project_task_counts()) ==
          std::vector<counted>{{"Apollo", 3}, {"Mercury", 2}, {"Artemis", 1}, {"Gemini", 1}});

    using node = std::tuple<std::int64_t, std::string>;
    const auto& c = r.category;
    CHECK(db.all(descendants_of(c.at("Science"))) == std::vector<node>{{c.at("Physics"), "Physics"},
                                                                       {c.at("Biology"), "Biology"},
                                                                       {c.at("Quantum"), "Quantum"},
                                                                       {c.at("Optics"), "Optics"},
                                                                       {c.at("Strings"), "Strings"}});
    CHECK(db.all(descendants_of(c.at("Physics"))) ==
          std::vector<node>{{c.at("Quantum"), "Quantum"}, {c.at("Optics"), "Optics"}, {c.at("Strings"), "Strings"}});
    CHECK(db.all(descendants_of(c.at("Arts"))) == std::vector<node>{{c.at("Music"), "Music"}});
    CHECK(db.all(descendants_of(c.at("Strings"))).empty());
}

TEMPLATE_TEST_CASE("into<T>() fills a user struct, optional where a join may give NULL", "[query][into]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);
    const std::vector<project_line> lines = db.all(project_owners().into<project_line>());
    REQUIRE(lines.size() == 5);
    CHECK(lines[0].project == "Apollo");
    CHECK(lines[0].owner == "Ann");
    CHECK(lines[4].project == "Voyager");
    CHECK(lines[4].owner == "Cy");

    const auto with_tasks = db.all(projects_with_tasks().into<project_and_task>());
    REQUIRE(with_tasks.size() == 8);
    CHECK(with_tasks[3].task == opt_text("Order fuel"));
    CHECK(with_tasks[7].project == "Voyager");
    CHECK_FALSE(with_tasks[7].task.has_value());

    const std::optional<project_line> one = db.first(project_owners().into<project_line>());
    REQUIRE(one.has_value());
    CHECK(one->owner == "Ann");
}

TEMPLATE_TEST_CASE("a dynamic search: filters, sort keys and pages chosen at run time, values bound",
                   "[query][dynamic]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const auto r = seed(db);

    struct search_form {
        std::optional<std::int64_t> owner{};
        std::optional<task_status> status{};
        std::optional<std::string> title{};  // a case-insensitive substring
        bool active_projects_only = false;
        bool by_title = false;
        std::int64_t page = 0;  // 0: every row
    };
    const auto run = [&](const search_form& form) {
        auto q = dynamic(select(tasks.title, projects.name).join(projects, projects.id == tasks.project_id));
        if (form.owner) q.where(projects.owner_id == *form.owner);
        if (form.status) q.where(tasks.status == *form.status);
        if (form.title) q.where(tasks.title.ilike("%" + *form.title + "%"));
        if (form.active_projects_only) q.where(projects.is_active);
        if (form.by_title) q.order_by(tasks.title);
        else q.order_by(projects.name.desc(), tasks.id);
        if (form.page > 0) q.page(form.page, 2);
        return db.all(q);
    };
    using row = std::tuple<std::string, std::string>;

    CHECK(run({}).size() == 7);
    CHECK(run({.owner = r.bob}) == std::vector<row>{{"Order fuel", "Artemis"}});
    CHECK(run({.owner = r.ann, .status = task_status::todo}) ==
          std::vector<row>{{"Write launch checklist", "Mercury"}, {"Test lander legs", "Apollo"}});
    CHECK(run({.title = "LANDER", .by_title = true}) == std::vector<row>{{"Build the LANDER", "Apollo"},
                                                                         {"Design the lander", "Apollo"},
                                                                         {"Test lander legs", "Apollo"}});
    CHECK(run({.owner = r.ann, .active_projects_only = true}).size() == 5);
    CHECK(run({.owner = r.ann}).size() == 6);
    // Pages of two, sorted by title.
    CHECK(run({.by_title = true, .page = 1}) ==
          std::vector<row>{{"Archive gemini notes", "Gemini"}, {"Build the LANDER", "Apollo"}});
    CHECK(run({.by_title = true, .page = 4}) == std::vector<row>{{"Write launch checklist", "Mercury"}});
    CHECK(run({.by_title = true, .page = 5}).empty());
    // A value is a value: quotes and SQL in it are matched literally and change nothing.
    CHECK(run({.title = "'; DROP TABLE tasks; --"}).empty());
    CHECK(run({.title = "o'brien"}).empty());
    CHECK(db.scalar(select(count()).from(tasks)) == 7);

    // Run-time pieces after a static WHERE and ORDER BY, and an OFFSET without a LIMIT.
    auto narrowed =
        dynamic(select(tasks.title).where(tasks.status == task_status::done || tasks.estimate > 3).order_by(tasks.id));
    narrowed.where(tasks.estimate.is_not_null()).order_by(tasks.title.desc()).offset(1);
    CHECK(db.all(narrowed) == names{"Build the LANDER", "Review checklist", "Archive gemini notes"});

    // The same dynamic statement, run twice with different values.
    auto by_status = dynamic(select(tasks.title));
    by_status.where(tasks.status == task_status::done).order_by(tasks.title.desc());
    CHECK(db.all(by_status) == names{"Review checklist", "Design the lander", "Archive gemini notes"});
    CHECK(db.first(by_status) == opt_text("Review checklist"));
}

TEMPLATE_TEST_CASE("RETURNING and upserts: on_conflict().do_nothing() and do_update(excluded())", "[query][returning]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const auto r = seed(db);

    // insert ... RETURNING the generated key.
    const std::int64_t id = db.one(insert(categories)
                                       .values(Category{.name = "Poetry", .parent_id = r.category.at("Arts")})
                                       .returning(categories.id));
    CHECK(db.one(select(categories.name).where(categories.id == id)) == "Poetry");
    CHECK(db.all(descendants_of(r.category.at("Arts"))).size() == 2);

    // update ... RETURNING the new values.
    using renamed = std::tuple<std::int64_t, std::string>;
    CHECK(db.all(update(categories)
                     .set(categories.name = "Verse")
                     .where(categories.id == id)
                     .returning(categories.id, categories.name)) == std::vector<renamed>{{id, "Verse"}});

    // delete ... RETURNING whole rows.
    const std::vector<Category> gone = db.all(delete_from(categories).where(categories.id == id).returning(categories));
    REQUIRE(gone.size() == 1);
    CHECK(gone[0].name == "Verse");
    CHECK(gone[0].parent_id == opt_int(r.category.at("Arts")));

    // Upsert on the unique email: DO NOTHING leaves the row, DO UPDATE takes the excluded values.
    const auto again = User{.email = "bob@example.com", .name = "Robert", .is_active = false};
    CHECK(db.execute(insert(users).values(again).on_conflict(users.email).do_nothing()).rows_affected == 0);
    CHECK(db.one(select(users.name).where(users.email == "bob@example.com")) == "Bob");
    CHECK(db.execute(insert(users).values(again).on_conflict(users.email).do_update(users.name = excluded(users.name)))
              .rows_affected == 1);
    using person = std::tuple<std::int64_t, std::string, bool>;
    CHECK(db.one(select(users.id, users.name, users.is_active).where(users.email == "bob@example.com")) ==
          person{r.bob, "Robert", true});
    // With RETURNING, and a bound value in DO UPDATE.
    CHECK(db.one(insert(users)
                     .values(User{.email = "bob@example.com", .name = "Bobby"})
                     .on_conflict(users.email)
                     .do_update(users.name = excluded(users.name), users.is_active = false)
                     .returning(users.id, users.name, users.is_active)) == person{r.bob, "Bobby", false});
    // A new email inserts.
    const auto fresh_row = db.one(insert(users)
                                      .values(User{.email = "eve@example.com", .name = "Eve"})
                                      .on_conflict(users.email)
                                      .do_update(users.name = excluded(users.name))
                                      .returning(users.name));
    CHECK(fresh_row == "Eve");
    CHECK(db.scalar(select(count()).from(users)) == 5);
}

TEMPLATE_TEST_CASE("precedence and parentheses: every operator combination gives what C++ computes",
                   "[query][expression]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const auto r = seed(db);
    // Views by title, as seeded.
    const std::map<std::string, std::int32_t> views{{"a1", 5},  {"a2", 50}, {"a3", 70}, {"a4", 0},   {"a5", 10},
                                                    {"a6", 20}, {"a7", 30}, {"c1", 1},  {"c2", 2},   {"c3", 3},
                                                    {"c4", 4},  {"c5", 5},  {"c6", 60}, {"d1", 100}, {"d2", 40}};
    std::vector<std::pair<std::int64_t, std::int32_t>> by_id;  // (id, views), in id order
    for (const auto& [title, v] : views) by_id.emplace_back(r.post.at(title), v);
    std::sort(by_id.begin(), by_id.end());
    std::map<std::int64_t, std::string> title_of;
    for (const auto& [title, id] : r.post) title_of[id] = title;

    using precedence_row =
        std::tuple<std::int64_t, std::int32_t, std::int64_t, std::int32_t, std::int32_t, std::int32_t,
                   std::optional<std::int64_t>,  // divided by an expression: NULL if it is 0
                   std::int64_t, std::int32_t, std::optional<std::int64_t>, std::int32_t, double>;
    std::vector<precedence_row> expected;
    for (const auto& [id, v] : by_id) {
        expected.emplace_back(id, (v + 1) * 2, v + id * 2, v * 2 + 1, v - (v - 1), v - 1 - 2, v / (id * 2),
                              v * (id / 2), v / 2 % 3, v % (id * 2), 1 + v, 2.5 * v);
    }
    CHECK(db.all(arithmetic_precedence()) == expected);

    names comparisons, betweens;
    for (const auto& [id, v] : by_id) {
        if (v + 1 > id * 2 && !(v - 1 == 0)) comparisons.push_back(title_of.at(id));
        if (v + 1 >= 2 && v + 1 <= id * 3) betweens.push_back(title_of.at(id));
    }
    REQUIRE_FALSE(comparisons.empty());
    REQUIRE(comparisons.size() < 15);
    CHECK(db.all(arithmetic_in_comparisons()) == comparisons);
    REQUIRE_FALSE(betweens.empty());
    REQUIRE(betweens.size() < 15);
    CHECK(db.all(arithmetic_in_between()) == betweens);
    CHECK(db.all(arithmetic_in_lists()) == names{"c2", "c3"});

    using concatenated = std::tuple<std::string, std::string>;
    const auto joined = db.all(nested_concatenation());
    REQUIRE(joined.size() == 4);
    CHECK(joined[0] == concatenated{"Ann-ann@example.com", "Annann@example.com-"});

    CHECK(db.all(text_conditions()) == names{"Ann"});
    CHECK(db.all(case_in_where()) == names{"a1", "a3", "d1"});
    using cased = std::tuple<std::string, std::int32_t>;
    const auto cases = db.all(case_of_expressions());
    REQUIRE(cases.size() == 15);
    CHECK(cases[0] == cased{"a1", 0});
    CHECK(cases[1] == cased{"a2", 100});
    CHECK(cases[2] == cased{"a3", 140});
    CHECK(cases[4] == cased{"a5", 0});
    CHECK(cases[12] == cased{"c6", 120});
    CHECK(cases[13] == cased{"d1", 100});

    using windowed = std::tuple<std::string, std::optional<std::int32_t>, std::int64_t>;
    const auto partitions = db.all(window_partitions());
    REQUIRE(partitions.size() == 15);
    CHECK(partitions[0] == windowed{"a1", 70, 15});
    CHECK(partitions[7] == windowed{"c1", 60, 15});
    CHECK(partitions[14] == windowed{"d2", 100, 15});

    // COALESCE with the clock, NULLIF, COALESCE of three; posts and tasks paired by id.
    const auto nulls = db.all(null_handling());
    REQUIRE(nulls.size() == 7);
    const auto here = std::chrono::system_clock::now();
    std::vector<opt_text> titles;
    std::vector<std::int32_t> estimates;
    for (const auto& [published_or_now, title, estimate] : nulls) {
        CHECK(published_or_now > here - std::chrono::minutes(5));  // no post is published: the clock
        CHECK(published_or_now < here + std::chrono::minutes(5));
        titles.push_back(title);
        estimates.push_back(estimate);
    }
    CHECK(titles == std::vector<opt_text>{std::nullopt, "a2", "a3", "a4", "a5", "a6", "a7"});
    CHECK(estimates == std::vector<std::int32_t>{8, 20, 0, 3, 1, 0, 2});
}

// The label's value is bound once, in the select list; ORDER BY names the label and binds nothing.
TEMPLATE_TEST_CASE("ORDER BY a label whose expression has a bound value", "[query][expression]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);
    using row = std::tuple<std::string, std::int32_t>;
    CHECK(db.all(top_views_by_label()) == std::vector<row>{{"d1", 200}, {"a3", 140}, {"c6", 120}});
    auto page = dynamic(select(posts.title, (posts.views * 2).as<"double_views">()));
    page.order_by((posts.views * 2).as<"double_views">().desc()).limit(3);
    CHECK(db.all(page) == std::vector<row>{{"d1", 200}, {"a3", 140}, {"c6", 120}});
}

TEMPLATE_TEST_CASE("rows stream through execute() with structured bindings", "[query]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);
    std::vector<std::string> seen;
    for (auto [user, posts_written] : db.execute(prolific_users(5))) {
        seen.push_back(user + ":" + std::to_string(posts_written));
    }
    CHECK(seen == names{"Ann:7", "Cy:6"});
}

#ifdef CTORM_TEST_WITH_POSTGRES
// PostgreSQL only (SQLite has no row locks); templated so that its name ends in the backend's.
TEMPLATE_TEST_CASE("row locks: FOR UPDATE, SKIP LOCKED, NOWAIT, FOR SHARE", "[query][lock]", ctorm_test::postgresql) {
    using backend = TestType;
    auto db = backend::fresh("locks");
    const auto r = seed(db);
    auto other = backend::reconnect(db);

    auto tx = db.begin();
    // FOR UPDATE locks Ann's projects for this transaction.
    CHECK(db.all(lock_projects_of(r.ann)) ==
          std::vector<std::int64_t>{r.project.at("Apollo"), r.project.at("Gemini"), r.project.at("Mercury")});

    // Another connection skips the locked rows, or fails at once with NOWAIT (SQLSTATE 55P03).
    auto other_tx = other.begin();
    CHECK(other.all(unlocked_project_names()) == names{"Artemis", "Voyager"});
    try {
        (void)other.all(project_names_of_nowait(r.ann));
        FAIL("NOWAIT waited for, or ignored, a locked row");
    } catch (const ctorm::database_error& e) {
        CHECK(e.sqlstate() == "55P03");
    }
    other_tx.rollback();
    tx.rollback();

    // FOR SHARE does not conflict with FOR SHARE, but FOR UPDATE NOWAIT does.
    auto share_tx = db.begin();
    CHECK(db.all(share_project_names_of(r.bob)) == names{"Artemis"});
    auto other_share = other.begin();
    CHECK(other.all(share_project_names_of(r.bob)) == names{"Artemis"});
    CHECK_THROWS_AS(other.all(project_names_of_nowait(r.bob)), ctorm::database_error);
    other_share.rollback();
    share_tx.rollback();

    // A locked page of a join: active projects by id, the second and third.
    auto page_tx = db.begin();
    using row = std::tuple<std::string, std::string>;
    CHECK(db.all(lock_active_page(2, 1)) == std::vector<row>{{"Mercury", "Ann"}, {"Artemis", "Bob"}});
    // A dynamic select keeps its lock at the end.
    auto locked = dynamic(select(projects.name).for_update());
    locked.where(projects.is_active).order_by(projects.id).limit(1);
    CHECK(db.all(locked) == names{"Apollo"});
    page_tx.commit();
}
#endif
