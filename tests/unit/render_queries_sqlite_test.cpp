// The SQL text of the query language for SQLite, pinned at compile time: one statement, one expected
// string. The statements are those of tracker::queries (support/project_schema.hpp), which
// tests/behaviour/query_test.cpp runs on real databases, so each string here is also known to be SQL
// that SQLite accepts and that gives the rows the tests expect.
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "support/project_schema.hpp"

using namespace ctorm;
using namespace tracker;
using namespace tracker::queries;
using blog::posts;
using blog::User;
using ctorm::count;

using sqlite = ctorm::sqlite_dialect;

namespace {

// The values a statement binds, in bind order, as text.
struct bound_values {
    std::vector<std::string> values;

    template <class V>
    void operator()(const V& value) {
        if constexpr (std::is_same_v<V, bool>) {
            values.push_back(value ? "true" : "false");
        } else if constexpr (std::is_enum_v<V>) {
            values.push_back(std::to_string(static_cast<long long>(value)));
        } else if constexpr (std::is_arithmetic_v<V>) {
            values.push_back(std::to_string(value));
        } else if constexpr (std::is_convertible_v<const V&, std::string_view>) {
            values.push_back("'" + std::string(std::string_view(value)) + "'");
        } else {
            values.push_back("<value>");
        }
    }
};

template <class Statement>
std::vector<std::string> values_of(const Statement& statement) {
    bound_values visitor;
    statement.visit_params(visitor);
    return visitor.values;
}

std::size_t placeholders_in(std::string_view text) {
    std::size_t n = 0;
    for (char c : text) n += (c == '?') ? 1 : 0;
    return n;
}

// Each statement binds exactly one value per placeholder of its text.
template <class... Statements>
void check_one_value_per_placeholder(const Statements&... statements) {
    const auto check = [](const auto& statement) {
        const std::string_view text = to_sql<sqlite>(statement);
        INFO(text);
        CHECK(values_of(statement).size() == placeholders_in(text));
    };
    (check(statements), ...);
}

}  // namespace

TEST_CASE("sqlite: joins: inner, LEFT/RIGHT/FULL OUTER, CROSS, three tables, a self-join through an alias",
          "[unit][query]") {
    // Columns reached through an outer join come back optional (see query_rows_and_rules_test); the text is the
    // same, but for the NULLS LAST that makes such a sort key order NULLs as PostgreSQL does.
    static_assert(
        to_sql<sqlite>(project_owners()) ==
        R"(SELECT "projects"."name", "users"."name" FROM "projects" JOIN "users" ON "users"."id" = "projects"."owner_id" ORDER BY "projects"."name")");
    static_assert(
        to_sql<sqlite>(projects_with_tasks()) ==
        R"(SELECT "projects"."name", "tasks"."title" FROM "projects" LEFT OUTER JOIN "tasks" ON "tasks"."project_id" = "projects"."id" ORDER BY "projects"."name", "tasks"."title" NULLS LAST)");
    static_assert(
        to_sql<sqlite>(tasks_right_of_projects()) ==
        R"(SELECT "projects"."name", "tasks"."title" FROM "projects" RIGHT OUTER JOIN "tasks" ON "tasks"."project_id" = "projects"."id" AND "projects"."is_active" ORDER BY "tasks"."id")");
    static_assert(
        to_sql<sqlite>(owners_full_projects()) ==
        R"(SELECT "users"."name", "projects"."name" FROM "users" FULL OUTER JOIN "projects" ON "projects"."owner_id" = "users"."id" ORDER BY "users"."name" NULLS LAST, "projects"."name" NULLS LAST)");
    static_assert(
        to_sql<sqlite>(users_times_root_categories()) ==
        R"(SELECT "users"."name", "categories"."name" FROM "users" CROSS JOIN "categories" WHERE "categories"."parent_id" IS NULL ORDER BY "users"."name", "categories"."name")");
    static_assert(
        to_sql<sqlite>(categories_with_parent()) ==
        R"(SELECT "categories"."name", "parent"."name" FROM "categories" LEFT OUTER JOIN "categories" AS "parent" ON "categories"."parent_id" = "parent"."id" ORDER BY "categories"."id")");
    static_assert(
        to_sql<sqlite>(children_named("Physics")) ==
        R"(SELECT "categories"."name" FROM "categories" JOIN "categories" AS "parent" ON "categories"."parent_id" = "parent"."id" WHERE "parent"."name" = ? ORDER BY "categories"."name")");
    static_assert(
        to_sql<sqlite>(task_owner_names(task_status::todo)) ==
        R"(SELECT "tasks"."title", "users"."name" FROM "tasks" JOIN "projects" ON "projects"."id" = "tasks"."project_id" JOIN "users" ON "users"."id" = "projects"."owner_id" WHERE "tasks"."status" = ? ORDER BY "tasks"."title")");
}

TEST_CASE("sqlite: the guides' project tracker: active projects, counts per status, title search, prolific users",
          "[unit][query]") {
    static_assert(
        to_sql<sqlite>(active_projects_of(1)) ==
        R"(SELECT "projects"."id", "projects"."name", "projects"."created_at" FROM "projects" WHERE "projects"."owner_id" = ? AND "projects"."is_active" ORDER BY "projects"."created_at" DESC)");
    static_assert(
        to_sql<sqlite>(task_counts_by_status()) ==
        R"(SELECT "tasks"."status", COUNT(*) AS "n" FROM "tasks" GROUP BY "tasks"."status" ORDER BY "tasks"."status")");
    static_assert(
        to_sql<sqlite>(search_titles("%lander%")) ==
        R"(SELECT "tasks"."id", "tasks"."title" FROM "tasks" WHERE lower("tasks"."title") LIKE lower(?) ESCAPE '\' ORDER BY "tasks"."id" LIMIT ?)");
    static_assert(
        to_sql<sqlite>(prolific_users(5)) ==
        R"(SELECT "users"."name", COUNT("posts"."id") AS "post_count" FROM "users" LEFT OUTER JOIN "posts" ON "posts"."author_id" = "users"."id" GROUP BY "users"."id", "users"."name" HAVING COUNT("posts"."id") > ? ORDER BY "post_count" DESC, "users"."name")");
}

TEST_CASE("sqlite: aggregates: COUNT, COUNT DISTINCT, SUM, AVG, MIN, MAX, GROUP BY, HAVING, labels in ORDER BY",
          "[unit][query]") {
    static_assert(
        to_sql<sqlite>(estimate_stats_per_project()) ==
        R"(SELECT "projects"."name", COUNT("tasks"."id"), COUNT("tasks"."estimate"), SUM("tasks"."estimate"), AVG("tasks"."estimate"), MIN("tasks"."estimate"), MAX("tasks"."estimate") FROM "projects" LEFT OUTER JOIN "tasks" ON "tasks"."project_id" = "projects"."id" GROUP BY "projects"."name" ORDER BY "projects"."name")");
    static_assert(
        to_sql<sqlite>(view_totals()) ==
        R"(SELECT COUNT(*), COUNT(DISTINCT "posts"."author_id"), SUM("posts"."views"), MIN("posts"."title"), MAX("posts"."views") FROM "posts")");
    static_assert(
        to_sql<sqlite>(busy_owners(2)) ==
        R"(SELECT "users"."name", COUNT("tasks"."id") AS "open_tasks" FROM "users" JOIN "projects" ON "projects"."owner_id" = "users"."id" JOIN "tasks" ON "tasks"."project_id" = "projects"."id" WHERE "tasks"."status" <> ? GROUP BY "users"."name" HAVING COUNT("tasks"."id") >= ? ORDER BY "open_tasks" DESC)");
    static_assert(to_sql<sqlite>(whole_table_having(10)) == R"(SELECT COUNT(*) FROM "posts" HAVING COUNT(*) > ?)");
    static_assert(to_sql<sqlite>(wide_sum_and_average()) ==
                  R"(SELECT SUM(CAST("posts"."views" AS INTEGER)), AVG("posts"."views") FROM "posts")");
}

TEST_CASE("sqlite: arithmetic: + - * / %, parentheses by precedence, in comparisons, BETWEEN, IN, labels",
          "[unit][query]") {
    // Parentheses only where SQL needs them: around a lower-precedence left operand, and around a
    // right operand of the same precedence (a - (b - c), a / (b * c)); a label in ORDER BY is its name.
    static_assert(
        to_sql<sqlite>(arithmetic_on_views(1)) ==
        R"(SELECT "posts"."id", ("posts"."views" + ?) * ?, "posts"."views" - ("posts"."views" - ?), "posts"."views" / ? % ?, "posts"."views" * ?, "posts"."views" + "posts"."author_id" FROM "posts" ORDER BY "posts"."id")");
    static_assert(
        to_sql<sqlite>(arithmetic_precedence()) ==
        R"(SELECT "posts"."id", ("posts"."views" + ?) * ?, "posts"."views" + "posts"."id" * ?, "posts"."views" * ? + ?, "posts"."views" - ("posts"."views" - ?), "posts"."views" - ? - ?, "posts"."views" / ("posts"."id" * ?), "posts"."views" * ("posts"."id" / ?), "posts"."views" / ? % ?, "posts"."views" % ("posts"."id" * ?), ? + "posts"."views", ? * "posts"."views" FROM "posts" ORDER BY "posts"."id")");
    static_assert(
        to_sql<sqlite>(arithmetic_in_comparisons()) ==
        R"(SELECT "posts"."title" FROM "posts" WHERE "posts"."views" + ? > "posts"."id" * ? AND NOT ("posts"."views" - ? = ?) ORDER BY "posts"."id")");
    static_assert(
        to_sql<sqlite>(arithmetic_in_between()) ==
        R"(SELECT "posts"."title" FROM "posts" WHERE "posts"."views" + ? BETWEEN ? AND "posts"."id" * ? ORDER BY "posts"."id")");
    static_assert(
        to_sql<sqlite>(arithmetic_in_lists()) ==
        R"(SELECT "posts"."title" FROM "posts" WHERE "posts"."views" * ? IN (?, ?) OR "posts"."views" - ? IS NULL ORDER BY "posts"."id")");
    static_assert(
        to_sql<sqlite>(nested_concatenation()) ==
        R"(SELECT "users"."name" || ? || "users"."email", "users"."name" || ("users"."email" || ?) FROM "users" ORDER BY "users"."id")");
    static_assert(
        to_sql<sqlite>(top_views_by_label()) ==
        R"(SELECT "posts"."title", "posts"."views" * ? AS "double_views" FROM "posts" ORDER BY "double_views" DESC LIMIT ?)");
}

TEST_CASE("sqlite: functions: text, numeric, CAST, COALESCE, NULLIF, the clock", "[unit][query]") {
    static_assert(
        to_sql<sqlite>(text_functions()) ==
        R"(SELECT lower("users"."name"), upper("users"."name"), length("users"."email"), trim("users"."name" || ?), substr("users"."email", ?, ?), "users"."name" || ? || "users"."email" || ? FROM "users" ORDER BY "users"."id")");
    static_assert(
        to_sql<sqlite>(numeric_functions()) ==
        R"(SELECT "tasks"."title", abs("tasks"."estimate" - ?), round("tasks"."estimate" / ?), COALESCE("tasks"."estimate", ?), NULLIF("tasks"."estimate", ?) FROM "tasks" ORDER BY "tasks"."id")");
    static_assert(
        to_sql<sqlite>(casts()) ==
        R"(SELECT CAST("posts"."views" AS REAL), CAST("posts"."id" AS TEXT), CAST("posts"."views" / ? AS INTEGER) FROM "posts" ORDER BY "posts"."id")");
    static_assert(to_sql<sqlite>(clock_now()) ==
                  R"(SELECT (strftime('%Y-%m-%d %H:%M:%f', 'now') || '000'), (date('now')) FROM "users" LIMIT ?)");
    static_assert(
        to_sql<sqlite>(null_handling()) ==
        R"(SELECT COALESCE("posts"."published_at", (strftime('%Y-%m-%d %H:%M:%f', 'now') || '000')), NULLIF("posts"."title", ?), COALESCE("tasks"."estimate", "tasks"."estimate", ?) FROM "posts" JOIN "tasks" ON "tasks"."id" = "posts"."id" ORDER BY "posts"."id")");
    static_assert(
        to_sql<sqlite>(text_conditions()) ==
        R"(SELECT "users"."name" FROM "users" WHERE lower("users"."name") = lower("users"."email") OR upper(trim("users"."name")) LIKE ? ESCAPE '\' ORDER BY "users"."name")");
}

TEST_CASE("sqlite: CASE WHEN ... THEN ... ELSE ... END, in the select list and in WHERE", "[unit][query]") {
    static_assert(
        to_sql<sqlite>(estimate_labels()) ==
        R"(SELECT "tasks"."title", CASE WHEN "tasks"."estimate" >= ? THEN ? WHEN "tasks"."estimate" >= ? THEN ? ELSE ? END, CASE WHEN "tasks"."status" = ? THEN "tasks"."estimate" END FROM "tasks" ORDER BY "tasks"."id")");
    static_assert(
        to_sql<sqlite>(case_in_where()) ==
        R"(SELECT "posts"."title" FROM "posts" WHERE CASE WHEN "posts"."views" > ? THEN ? ELSE "posts"."title" = ? END ORDER BY "posts"."id")");
    static_assert(
        to_sql<sqlite>(case_of_expressions()) ==
        R"(SELECT "posts"."title", CASE WHEN "posts"."views" > ? AND "posts"."views" < ? THEN "posts"."views" * ? WHEN "posts"."views" >= ? THEN "posts"."views" ELSE ? END FROM "posts" ORDER BY "posts"."id")");
}

TEST_CASE("sqlite: window functions: ROW_NUMBER, RANK, DENSE_RANK, LAG, LEAD, SUM/AVG/MAX/COUNT OVER",
          "[unit][query]") {
    static_assert(
        to_sql<sqlite>(project_rank_per_owner()) ==
        R"(SELECT "projects"."name", ROW_NUMBER() OVER (PARTITION BY "projects"."owner_id" ORDER BY "projects"."created_at" DESC) FROM "projects" ORDER BY "projects"."id")");
    static_assert(
        to_sql<sqlite>(post_view_ranks()) ==
        R"(SELECT "posts"."title", RANK() OVER (ORDER BY "posts"."views" DESC), DENSE_RANK() OVER (ORDER BY "posts"."views" DESC) FROM "posts" ORDER BY "posts"."id")");
    static_assert(
        to_sql<sqlite>(neighbours_and_totals()) ==
        R"(SELECT "posts"."id", LAG("posts"."views") OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."id"), LEAD("posts"."views") OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."id"), SUM("posts"."views") OVER (PARTITION BY "posts"."author_id"), COUNT(*) OVER (PARTITION BY "posts"."author_id") FROM "posts" ORDER BY "posts"."id")");
    static_assert(
        to_sql<sqlite>(average_views_per_author()) ==
        R"(SELECT "posts"."title", AVG("posts"."views") OVER (PARTITION BY "posts"."author_id") FROM "posts" ORDER BY "posts"."id")");
    static_assert(
        to_sql<sqlite>(window_partitions()) ==
        R"(SELECT "posts"."title", MAX("posts"."views") OVER (PARTITION BY "posts"."author_id", "posts"."published_at" IS NULL), COUNT("posts"."id") OVER () FROM "posts" ORDER BY "posts"."id")");
}

TEST_CASE("sqlite: subqueries: scalar, IN, NOT IN, EXISTS, NOT EXISTS, correlated, through an alias", "[unit][query]") {
    // A correlated subquery names the enclosing table without listing it in its own FROM.
    static_assert(
        to_sql<sqlite>(task_count_per_project()) ==
        R"(SELECT "projects"."name", (SELECT COUNT(*) FROM "tasks" WHERE "tasks"."project_id" = "projects"."id") FROM "projects" ORDER BY "projects"."id")");
    static_assert(
        to_sql<sqlite>(posts_above_average()) ==
        R"(SELECT "posts"."title" FROM "posts" WHERE "posts"."views" > (SELECT AVG("posts"."views") FROM "posts") ORDER BY "posts"."id")");
    static_assert(
        to_sql<sqlite>(top_post_per_author()) ==
        R"(SELECT "posts"."title" FROM "posts" WHERE "posts"."views" = (SELECT MAX("other"."views") FROM "posts" AS "other" WHERE "other"."author_id" = "posts"."author_id") ORDER BY "posts"."id")");
    static_assert(
        to_sql<sqlite>(owners_of_active_projects()) ==
        R"(SELECT "users"."name" FROM "users" WHERE "users"."id" IN (SELECT "projects"."owner_id" FROM "projects" WHERE "projects"."is_active") ORDER BY "users"."name")");
    static_assert(
        to_sql<sqlite>(users_without_projects()) ==
        R"(SELECT "users"."name" FROM "users" WHERE "users"."id" NOT IN (SELECT "projects"."owner_id" FROM "projects") ORDER BY "users"."name")");
    static_assert(
        to_sql<sqlite>(projects_with_open_tasks()) ==
        R"(SELECT "projects"."name" FROM "projects" WHERE EXISTS (SELECT "tasks"."id" FROM "tasks" WHERE "tasks"."project_id" = "projects"."id" AND "tasks"."status" <> ?) ORDER BY "projects"."name")");
    static_assert(
        to_sql<sqlite>(projects_without_tasks()) ==
        R"(SELECT "projects"."name" FROM "projects" WHERE NOT EXISTS (SELECT "tasks"."id" FROM "tasks" WHERE "tasks"."project_id" = "projects"."id") ORDER BY "projects"."name")");
}

TEST_CASE("sqlite: set operations: UNION, UNION ALL, INTERSECT, EXCEPT, with ORDER BY, LIMIT and OFFSET",
          "[unit][query]") {
    // ORDER BY of a set operation names output columns, unqualified, and applies to the whole.
    static_assert(
        to_sql<sqlite>(names_everywhere()) ==
        R"(SELECT "users"."name" AS "label" FROM "users" UNION SELECT "projects"."name" AS "label" FROM "projects" ORDER BY "label" DESC LIMIT ?)");
    static_assert(
        to_sql<sqlite>(owner_ids_twice()) ==
        R"(SELECT "projects"."owner_id" FROM "projects" UNION ALL SELECT "posts"."author_id" FROM "posts" WHERE "posts"."views" > ? ORDER BY "owner_id" LIMIT ? OFFSET ?)");
    static_assert(
        to_sql<sqlite>(owners_who_post()) ==
        R"(SELECT "projects"."owner_id" FROM "projects" INTERSECT SELECT "posts"."author_id" FROM "posts" ORDER BY "owner_id")");
    static_assert(
        to_sql<sqlite>(users_who_own_nothing()) ==
        R"(SELECT "users"."id" FROM "users" EXCEPT SELECT "projects"."owner_id" FROM "projects" ORDER BY "id")");
    static_assert(
        to_sql<sqlite>(two_column_union("Bob", "Voyager")) ==
        R"(SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."name" = ? UNION ALL SELECT "projects"."owner_id", "projects"."name" FROM "projects" WHERE "projects"."name" = ? ORDER BY "id" DESC)");
}

TEST_CASE("sqlite: WITH and WITH RECURSIVE", "[unit][query]") {
    // A CTE's columns are named after the selected columns or their labels.
    static_assert(
        to_sql<sqlite>(project_task_counts()) ==
        R"(WITH "per_project" ("project_id", "task_count") AS (SELECT "tasks"."project_id", COUNT(*) AS "task_count" FROM "tasks" GROUP BY "tasks"."project_id") SELECT "projects"."name", "per_project"."task_count" FROM "projects" JOIN "per_project" ON "per_project"."project_id" = "projects"."id" ORDER BY "per_project"."task_count" DESC, "projects"."name")");
    static_assert(
        to_sql<sqlite>(descendants_of(1)) ==
        R"(WITH RECURSIVE "tree" ("id", "name", "parent_id") AS (SELECT "categories"."id", "categories"."name", "categories"."parent_id" FROM "categories" WHERE "categories"."parent_id" = ? UNION ALL SELECT "categories"."id", "categories"."name", "categories"."parent_id" FROM "categories" JOIN "tree" ON "categories"."parent_id" = "tree"."id") SELECT "tree"."id", "tree"."name" FROM "tree" ORDER BY "tree"."id")");
}

TEST_CASE("sqlite: RETURNING on insert, update and delete; ON CONFLICT DO NOTHING / DO UPDATE SET ... excluded",
          "[unit][query]") {
    const User bob{.email = "bob@example.com", .name = "Robert"};
    const Category poetry{.name = "Poetry", .parent_id = 6};
    const auto insert_returning = insert(categories).values(poetry).returning(categories.id);
    const auto update_returning = update(categories)
                                      .set(categories.name = "Verse")
                                      .where(categories.id == 9)
                                      .returning(categories.id, categories.name);
    const auto delete_returning = delete_from(categories).where(categories.id == 9).returning(categories);
    const auto upsert_nothing = insert(users).values(bob).on_conflict(users.email).do_nothing();
    const auto upsert_update =
        insert(users).values(bob).on_conflict(users.email).do_update(users.name = excluded(users.name));
    const auto upsert_returning = insert(users)
                                      .values(bob)
                                      .on_conflict(users.email)
                                      .do_update(users.name = excluded(users.name), users.is_active = false)
                                      .returning(users.id, users.name, users.is_active);
    static_assert(to_sql<sqlite>(insert_returning) ==
                  R"(INSERT INTO "categories" ("name", "parent_id") VALUES (?, ?) RETURNING "categories"."id")");
    static_assert(
        to_sql<sqlite>(update_returning) ==
        R"(UPDATE "categories" SET "name" = ? WHERE "categories"."id" = ? RETURNING "categories"."id", "categories"."name")");
    static_assert(
        to_sql<sqlite>(delete_returning) ==
        R"(DELETE FROM "categories" WHERE "categories"."id" = ? RETURNING "categories"."id", "categories"."name", "categories"."parent_id")");
    static_assert(
        to_sql<sqlite>(upsert_nothing) ==
        R"(INSERT INTO "users" ("email", "name", "is_active") VALUES (?, ?, ?) ON CONFLICT ("email") DO NOTHING)");
    static_assert(
        to_sql<sqlite>(upsert_update) ==
        R"(INSERT INTO "users" ("email", "name", "is_active") VALUES (?, ?, ?) ON CONFLICT ("email") DO UPDATE SET "name" = excluded."name")");
    static_assert(
        to_sql<sqlite>(upsert_returning) ==
        R"(INSERT INTO "users" ("email", "name", "is_active") VALUES (?, ?, ?) ON CONFLICT ("email") DO UPDATE SET "name" = excluded."name", "is_active" = ? RETURNING "users"."id", "users"."name", "users"."is_active")");
}

TEST_CASE("sqlite: values are bound in the order of their placeholders", "[unit][query]") {
    using list = std::vector<std::string>;
    CHECK(values_of(search_titles("%lander%")) == list{"'%lander%'", "20"});
    CHECK(values_of(prolific_users(5)) == list{"5"});
    // WHERE before HAVING.
    CHECK(values_of(busy_owners(4)) == list{"2", "4"});
    CHECK(values_of(arithmetic_on_views(7)) == list{"7", "2", "1", "2", "3", "1.500000"});
    CHECK(values_of(text_functions()) == list{"'  '", "1", "3", "' <'", "'>'"});
    CHECK(values_of(estimate_labels()) == list{"10", "'big'", "3", "'medium'", "'small'", "2"});
    CHECK(values_of(case_in_where()) == list{"60", "true", "'a1'"});
    // Inside a subquery, in text order with the values around it.
    CHECK(values_of(projects_with_open_tasks()) == list{"2"});
    // Both sides of a set operation, then its LIMIT and OFFSET.
    CHECK(values_of(owner_ids_twice()) == list{"50", "3", "3"});
    CHECK(values_of(two_column_union("Bob", "Voyager")) == list{"'Bob'", "'Voyager'"});
    // The CTE's values come before the main statement's.
    CHECK(values_of(descendants_of(7)) == list{"7"});
}

TEST_CASE("sqlite: ORDER BY a label binds nothing: its value is bound once, in the select list", "[unit][query]") {
    CHECK(values_of(top_views_by_label()) == std::vector<std::string>{"2", "3"});
    check_one_value_per_placeholder(top_views_by_label());
    // The same through dynamic(select).order_by().
    auto page = dynamic(select(posts.title, (posts.views * 2).as<"double_views">()));
    page.order_by((posts.views * 2).as<"double_views">().desc()).limit(3);
    CHECK(page.values().size() == placeholders_in(page.sql<sqlite>()));
}

TEST_CASE("sqlite: every statement binds one value per placeholder", "[unit][query]") {
    check_one_value_per_placeholder(
        project_owners(), projects_with_tasks(), tasks_right_of_projects(), owners_full_projects(),
        users_times_root_categories(), categories_with_parent(), children_named("Physics"),
        task_owner_names(task_status::todo), active_projects_of(1), task_counts_by_status(), search_titles("%lander%"),
        prolific_users(5), estimate_stats_per_project(), view_totals(), busy_owners(2), whole_table_having(10),
        wide_sum_and_average(), arithmetic_on_views(1), arithmetic_precedence(), arithmetic_in_comparisons(),
        arithmetic_in_between(), arithmetic_in_lists(), nested_concatenation(), text_functions(), numeric_functions(),
        casts(), clock_now(), null_handling(), text_conditions(), estimate_labels(), case_in_where(),
        case_of_expressions(), project_rank_per_owner(), post_view_ranks(), neighbours_and_totals(),
        average_views_per_author(), window_partitions(), task_count_per_project(), posts_above_average(),
        top_post_per_author(), owners_of_active_projects(), users_without_projects(), projects_with_open_tasks(),
        projects_without_tasks(), names_everywhere(), owner_ids_twice(), owners_who_post(), users_who_own_nothing(),
        two_column_union("Bob", "Voyager"), project_task_counts(), descendants_of(1));
}

TEST_CASE("sqlite: dynamic(select): the text of filters, sort keys and pages chosen at run time", "[unit][query]") {
    // No run-time piece: the static statement's text.
    CHECK(dynamic(prolific_users(5)).sql<sqlite>() == to_sql<sqlite>(prolific_users(5)));

    auto search = dynamic(select(tasks.title, projects.name).join(projects, projects.id == tasks.project_id));
    search.where(projects.owner_id == 3).where(tasks.title.ilike("%x%"));
    search.order_by(projects.name.desc(), tasks.id).page(2, 10);
    CHECK(
        search.sql<sqlite>() ==
        R"(SELECT "tasks"."title", "projects"."name" FROM "tasks" JOIN "projects" ON "projects"."id" = "tasks"."project_id" WHERE ("projects"."owner_id" = ?) AND (lower("tasks"."title") LIKE lower(?) ESCAPE '\') ORDER BY "projects"."name" DESC, "tasks"."id" LIMIT ? OFFSET ?)");
    const std::vector<bound_value> values = search.values();
    REQUIRE(values.size() == 4);
    CHECK(std::get<std::int64_t>(values[0]) == 3);
    CHECK(std::get<std::string>(values[1]) == "%x%");
    CHECK(std::get<std::int64_t>(values[2]) == 10);
    CHECK(std::get<std::int64_t>(values[3]) == 10);

    // A run-time in_ list: one text whatever its length, the list one array value.
    auto listed = dynamic(select(tasks.title));
    listed.where(tasks.id.in_(std::vector<int>{4, 5, 6})).where(tasks.title.not_in(std::vector<std::string>{"x"}));
    CHECK(
        listed.sql<sqlite>() ==
        R"(SELECT "tasks"."title" FROM "tasks" WHERE ("tasks"."id" IN (SELECT value FROM json_each(?))) AND ("tasks"."title" NOT IN (SELECT value FROM json_each(?))))");
    const std::vector<bound_value> list_values = listed.values();
    REQUIRE(list_values.size() == 2);
    CHECK(std::get<std::vector<std::int32_t>>(list_values[0]) == std::vector<std::int32_t>{4, 5, 6});
    CHECK(std::get<std::vector<std::string>>(list_values[1]) == std::vector<std::string>{"x"});

    // Run-time pieces after the static WHERE and ORDER BY; OFFSET alone needs LIMIT -1 on SQLite.
    auto narrowed =
        dynamic(select(tasks.title).where(tasks.status == task_status::done || tasks.estimate > 3).order_by(tasks.id));
    narrowed.where(tasks.estimate.is_not_null()).order_by(tasks.title.desc()).offset(5);
    CHECK(
        narrowed.sql<sqlite>() ==
        R"(SELECT "tasks"."title" FROM "tasks" WHERE ("tasks"."status" = ? OR "tasks"."estimate" > ?) AND ("tasks"."estimate" IS NOT NULL) ORDER BY "tasks"."id", "tasks"."title" DESC LIMIT -1 OFFSET ?)");
    CHECK(narrowed.values().size() == 3);
}
