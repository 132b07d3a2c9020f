// The SQL text of the query language for PostgreSQL, pinned at compile time: one statement, one
// expected string. The statements are those of tracker::queries (support/project_schema.hpp), which
// tests/behaviour/query_test.cpp runs on a real server, so each string here is also known to be SQL
// that PostgreSQL accepts. Placeholders are numbered $1, $2, ... across subqueries, CTEs and both
// sides of set operations, in text order.
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

using pg = ctorm::postgres_dialect;

namespace {

struct value_counter {
    std::size_t n = 0;
    template <class V>
    void operator()(const V&) {
        ++n;
    }
};

template <class Statement>
std::size_t value_count(const Statement& statement) {
    value_counter counter;
    statement.visit_params(counter);
    return counter.n;
}

// The placeholders $1 ... $n of a text, checked to be numbered 1, 2, 3, ... in order of first
// appearance (an expression written twice, as round() is, repeats its own): n, or 0 if not.
std::size_t numbered_placeholders(std::string_view text) {
    std::size_t expected = 1;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '$') continue;
        std::size_t number = 0;
        while (i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9') {
            number = number * 10 + static_cast<std::size_t>(text[++i] - '0');
        }
        if (number == expected) ++expected;
        else if (number == 0 || number > expected) return 0;
    }
    return expected - 1;
}

// Each statement binds exactly one value per placeholder, and numbers them in order.
template <class... Statements>
void check_one_value_per_placeholder(const Statements&... statements) {
    const auto check = [](const auto& statement) {
        const std::string_view text = to_sql<pg>(statement);
        INFO(text);
        CHECK(value_count(statement) == numbered_placeholders(text));
    };
    (check(statements), ...);
}

}  // namespace

TEST_CASE("postgres: joins: inner, LEFT/RIGHT/FULL OUTER, CROSS, three tables, a self-join through an alias",
          "[unit][query]") {
    // Columns reached through an outer join come back optional (see query_rows_and_rules_test); the text is the same.
    static_assert(
        to_sql<pg>(project_owners()) ==
        R"(SELECT "projects"."name", "users"."name" FROM "projects" JOIN "users" ON "users"."id" = "projects"."owner_id" ORDER BY "projects"."name")");
    static_assert(
        to_sql<pg>(projects_with_tasks()) ==
        R"(SELECT "projects"."name", "tasks"."title" FROM "projects" LEFT OUTER JOIN "tasks" ON "tasks"."project_id" = "projects"."id" ORDER BY "projects"."name", "tasks"."title")");
    static_assert(
        to_sql<pg>(tasks_right_of_projects()) ==
        R"(SELECT "projects"."name", "tasks"."title" FROM "projects" RIGHT OUTER JOIN "tasks" ON "tasks"."project_id" = "projects"."id" AND "projects"."is_active" ORDER BY "tasks"."id")");
    static_assert(
        to_sql<pg>(owners_full_projects()) ==
        R"(SELECT "users"."name", "projects"."name" FROM "users" FULL OUTER JOIN "projects" ON "projects"."owner_id" = "users"."id" ORDER BY "users"."name", "projects"."name")");
    static_assert(
        to_sql<pg>(users_times_root_categories()) ==
        R"(SELECT "users"."name", "categories"."name" FROM "users" CROSS JOIN "categories" WHERE "categories"."parent_id" IS NULL ORDER BY "users"."name", "categories"."name")");
    static_assert(
        to_sql<pg>(categories_with_parent()) ==
        R"(SELECT "categories"."name", "parent"."name" FROM "categories" LEFT OUTER JOIN "categories" AS "parent" ON "categories"."parent_id" = "parent"."id" ORDER BY "categories"."id")");
    static_assert(
        to_sql<pg>(children_named("Physics")) ==
        R"(SELECT "categories"."name" FROM "categories" JOIN "categories" AS "parent" ON "categories"."parent_id" = "parent"."id" WHERE "parent"."name" = $1 ORDER BY "categories"."name")");
    static_assert(
        to_sql<pg>(task_owner_names(task_status::todo)) ==
        R"(SELECT "tasks"."title", "users"."name" FROM "tasks" JOIN "projects" ON "projects"."id" = "tasks"."project_id" JOIN "users" ON "users"."id" = "projects"."owner_id" WHERE "tasks"."status" = $1 ORDER BY "tasks"."title")");
}

TEST_CASE("postgres: the guides' project tracker: active projects, counts per status, title search, prolific users",
          "[unit][query]") {
    static_assert(
        to_sql<pg>(active_projects_of(1)) ==
        R"(SELECT "projects"."id", "projects"."name", "projects"."created_at" FROM "projects" WHERE "projects"."owner_id" = $1 AND "projects"."is_active" ORDER BY "projects"."created_at" DESC)");
    static_assert(
        to_sql<pg>(task_counts_by_status()) ==
        R"(SELECT "tasks"."status", COUNT(*) AS "n" FROM "tasks" GROUP BY "tasks"."status" ORDER BY "tasks"."status")");
    static_assert(
        to_sql<pg>(search_titles("%lander%")) ==
        R"(SELECT "tasks"."id", "tasks"."title" FROM "tasks" WHERE "tasks"."title" COLLATE "C" ILIKE $1 ORDER BY "tasks"."id" LIMIT $2)");
    static_assert(
        to_sql<pg>(prolific_users(5)) ==
        R"(SELECT "users"."name", COUNT("posts"."id") AS "post_count" FROM "users" LEFT OUTER JOIN "posts" ON "posts"."author_id" = "users"."id" GROUP BY "users"."id", "users"."name" HAVING COUNT("posts"."id") > $1 ORDER BY "post_count" DESC, "users"."name")");
}

TEST_CASE("postgres: aggregates: COUNT, COUNT DISTINCT, SUM, AVG, MIN, MAX, GROUP BY, HAVING, labels in ORDER BY",
          "[unit][query]") {
    static_assert(
        to_sql<pg>(estimate_stats_per_project()) ==
        R"(SELECT "projects"."name", COUNT("tasks"."id"), COUNT("tasks"."estimate"), CAST(SUM("tasks"."estimate") AS BIGINT), AVG(CAST("tasks"."estimate" AS DOUBLE PRECISION)), MIN("tasks"."estimate"), MAX("tasks"."estimate") FROM "projects" LEFT OUTER JOIN "tasks" ON "tasks"."project_id" = "projects"."id" GROUP BY "projects"."name" ORDER BY "projects"."name")");
    static_assert(
        to_sql<pg>(view_totals()) ==
        R"(SELECT COUNT(*), COUNT(DISTINCT "posts"."author_id"), CAST(SUM("posts"."views") AS BIGINT), MIN("posts"."title"), MAX("posts"."views") FROM "posts")");
    static_assert(
        to_sql<pg>(busy_owners(2)) ==
        R"(SELECT "users"."name", COUNT("tasks"."id") AS "open_tasks" FROM "users" JOIN "projects" ON "projects"."owner_id" = "users"."id" JOIN "tasks" ON "tasks"."project_id" = "projects"."id" WHERE "tasks"."status" <> $1 GROUP BY "users"."name" HAVING COUNT("tasks"."id") >= $2 ORDER BY "open_tasks" DESC)");
    static_assert(to_sql<pg>(whole_table_having(10)) == R"(SELECT COUNT(*) FROM "posts" HAVING COUNT(*) > $1)");
    static_assert(
        to_sql<pg>(wide_sum_and_average()) ==
        R"(SELECT CAST(SUM(CAST("posts"."views" AS BIGINT)) AS BIGINT), AVG(CAST("posts"."views" AS DOUBLE PRECISION)) FROM "posts")");
}

TEST_CASE("postgres: arithmetic: + - * / %, parentheses by precedence, in comparisons, BETWEEN, IN, labels",
          "[unit][query]") {
    // Parentheses only where SQL needs them: around a lower-precedence left operand, and around a
    // right operand of the same precedence (a - (b - c), a / (b * c)); a label in ORDER BY is its name.
    static_assert(
        to_sql<pg>(arithmetic_on_views(1)) ==
        R"(SELECT "posts"."id", ("posts"."views" + $1) * $2, "posts"."views" - ("posts"."views" - $3), "posts"."views" / $4 % $5, "posts"."views" * $6, "posts"."views" + "posts"."author_id" FROM "posts" ORDER BY "posts"."id")");
    static_assert(
        to_sql<pg>(arithmetic_precedence()) ==
        R"(SELECT "posts"."id", ("posts"."views" + $1) * $2, "posts"."views" + "posts"."id" * $3, "posts"."views" * $4 + $5, "posts"."views" - ("posts"."views" - $6), "posts"."views" - $7 - $8, "posts"."views" / NULLIF("posts"."id" * $9, 0), "posts"."views" * ("posts"."id" / $10), "posts"."views" / $11 % $12, "posts"."views" % NULLIF("posts"."id" * $13, 0), $14 + "posts"."views", $15 * "posts"."views" FROM "posts" ORDER BY "posts"."id")");
    static_assert(
        to_sql<pg>(arithmetic_in_comparisons()) ==
        R"(SELECT "posts"."title" FROM "posts" WHERE "posts"."views" + $1 > "posts"."id" * $2 AND NOT ("posts"."views" - $3 = $4) ORDER BY "posts"."id")");
    static_assert(
        to_sql<pg>(arithmetic_in_between()) ==
        R"(SELECT "posts"."title" FROM "posts" WHERE "posts"."views" + $1 BETWEEN $2 AND "posts"."id" * $3 ORDER BY "posts"."id")");
    static_assert(
        to_sql<pg>(arithmetic_in_lists()) ==
        R"(SELECT "posts"."title" FROM "posts" WHERE "posts"."views" * $1 IN ($2, $3) OR "posts"."views" - $4 IS NULL ORDER BY "posts"."id")");
    static_assert(
        to_sql<pg>(nested_concatenation()) ==
        R"(SELECT "users"."name" || $1 || "users"."email", "users"."name" || ("users"."email" || $2) FROM "users" ORDER BY "users"."id")");
    static_assert(
        to_sql<pg>(top_views_by_label()) ==
        R"(SELECT "posts"."title", "posts"."views" * $1 AS "double_views" FROM "posts" ORDER BY "double_views" DESC LIMIT $2)");
}

TEST_CASE("postgres: functions: text, numeric, CAST, COALESCE, NULLIF, the clock", "[unit][query]") {
    static_assert(
        to_sql<pg>(text_functions()) ==
        R"(SELECT lower("users"."name" COLLATE "C"), upper("users"."name" COLLATE "C"), length("users"."email"), trim("users"."name" || $1), substr("users"."email", $2, $3), "users"."name" || $4 || "users"."email" || $5 FROM "users" ORDER BY "users"."id")");
    static_assert(
        to_sql<pg>(numeric_functions()) ==
        R"(SELECT "tasks"."title", abs("tasks"."estimate" - $1), (sign("tasks"."estimate" / $2) * floor(abs("tasks"."estimate" / $2) + 0.5)), COALESCE("tasks"."estimate", $3), NULLIF("tasks"."estimate", $4) FROM "tasks" ORDER BY "tasks"."id")");
    static_assert(
        to_sql<pg>(casts()) ==
        R"(SELECT CAST("posts"."views" AS DOUBLE PRECISION), CAST("posts"."id" AS TEXT) COLLATE "C", CAST("posts"."views" / $1 AS BIGINT) FROM "posts" ORDER BY "posts"."id")");
    static_assert(to_sql<pg>(clock_now()) == R"(SELECT now(), CURRENT_DATE FROM "users" LIMIT $1)");
    static_assert(
        to_sql<pg>(null_handling()) ==
        R"(SELECT COALESCE("posts"."published_at", now()), NULLIF("posts"."title", $1), COALESCE("tasks"."estimate", "tasks"."estimate", $2) FROM "posts" JOIN "tasks" ON "tasks"."id" = "posts"."id" ORDER BY "posts"."id")");
    static_assert(
        to_sql<pg>(text_conditions()) ==
        R"(SELECT "users"."name" FROM "users" WHERE lower("users"."name" COLLATE "C") = lower("users"."email" COLLATE "C") OR upper(trim("users"."name") COLLATE "C") LIKE $1 ORDER BY "users"."name")");
}

TEST_CASE("postgres: CASE WHEN ... THEN ... ELSE ... END, in the select list and in WHERE", "[unit][query]") {
    static_assert(
        to_sql<pg>(estimate_labels()) ==
        R"(SELECT "tasks"."title", CASE WHEN "tasks"."estimate" >= $1 THEN $2 WHEN "tasks"."estimate" >= $3 THEN $4 ELSE $5 END, CASE WHEN "tasks"."status" = $6 THEN "tasks"."estimate" END FROM "tasks" ORDER BY "tasks"."id")");
    static_assert(
        to_sql<pg>(case_in_where()) ==
        R"(SELECT "posts"."title" FROM "posts" WHERE CASE WHEN "posts"."views" > $1 THEN $2 ELSE "posts"."title" = $3 END ORDER BY "posts"."id")");
    static_assert(
        to_sql<pg>(case_of_expressions()) ==
        R"(SELECT "posts"."title", CASE WHEN "posts"."views" > $1 AND "posts"."views" < $2 THEN "posts"."views" * $3 WHEN "posts"."views" >= $4 THEN "posts"."views" ELSE $5 END FROM "posts" ORDER BY "posts"."id")");
}

TEST_CASE("postgres: window functions: ROW_NUMBER, RANK, DENSE_RANK, LAG, LEAD, SUM/AVG/MAX/COUNT OVER",
          "[unit][query]") {
    static_assert(
        to_sql<pg>(project_rank_per_owner()) ==
        R"(SELECT "projects"."name", ROW_NUMBER() OVER (PARTITION BY "projects"."owner_id" ORDER BY "projects"."created_at" DESC) FROM "projects" ORDER BY "projects"."id")");
    static_assert(
        to_sql<pg>(post_view_ranks()) ==
        R"(SELECT "posts"."title", RANK() OVER (ORDER BY "posts"."views" DESC), DENSE_RANK() OVER (ORDER BY "posts"."views" DESC) FROM "posts" ORDER BY "posts"."id")");
    static_assert(
        to_sql<pg>(neighbours_and_totals()) ==
        R"(SELECT "posts"."id", LAG("posts"."views") OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."id"), LEAD("posts"."views") OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."id"), CAST(SUM("posts"."views") OVER (PARTITION BY "posts"."author_id") AS BIGINT), COUNT(*) OVER (PARTITION BY "posts"."author_id") FROM "posts" ORDER BY "posts"."id")");
    static_assert(
        to_sql<pg>(average_views_per_author()) ==
        R"(SELECT "posts"."title", AVG(CAST("posts"."views" AS DOUBLE PRECISION)) OVER (PARTITION BY "posts"."author_id") FROM "posts" ORDER BY "posts"."id")");
    static_assert(
        to_sql<pg>(window_partitions()) ==
        R"(SELECT "posts"."title", MAX("posts"."views") OVER (PARTITION BY "posts"."author_id", "posts"."published_at" IS NULL), COUNT("posts"."id") OVER () FROM "posts" ORDER BY "posts"."id")");
}

TEST_CASE("postgres: subqueries: scalar, IN, NOT IN, EXISTS, NOT EXISTS, correlated, through an alias",
          "[unit][query]") {
    // A correlated subquery names the enclosing table without listing it in its own FROM.
    static_assert(
        to_sql<pg>(task_count_per_project()) ==
        R"(SELECT "projects"."name", (SELECT COUNT(*) FROM "tasks" WHERE "tasks"."project_id" = "projects"."id") FROM "projects" ORDER BY "projects"."id")");
    static_assert(
        to_sql<pg>(posts_above_average()) ==
        R"(SELECT "posts"."title" FROM "posts" WHERE "posts"."views" > (SELECT AVG(CAST("posts"."views" AS DOUBLE PRECISION)) FROM "posts") ORDER BY "posts"."id")");
    static_assert(
        to_sql<pg>(top_post_per_author()) ==
        R"(SELECT "posts"."title" FROM "posts" WHERE "posts"."views" = (SELECT MAX("other"."views") FROM "posts" AS "other" WHERE "other"."author_id" = "posts"."author_id") ORDER BY "posts"."id")");
    static_assert(
        to_sql<pg>(owners_of_active_projects()) ==
        R"(SELECT "users"."name" FROM "users" WHERE "users"."id" IN (SELECT "projects"."owner_id" FROM "projects" WHERE "projects"."is_active") ORDER BY "users"."name")");
    static_assert(
        to_sql<pg>(users_without_projects()) ==
        R"(SELECT "users"."name" FROM "users" WHERE "users"."id" NOT IN (SELECT "projects"."owner_id" FROM "projects") ORDER BY "users"."name")");
    static_assert(
        to_sql<pg>(projects_with_open_tasks()) ==
        R"(SELECT "projects"."name" FROM "projects" WHERE EXISTS (SELECT "tasks"."id" FROM "tasks" WHERE "tasks"."project_id" = "projects"."id" AND "tasks"."status" <> $1) ORDER BY "projects"."name")");
    static_assert(
        to_sql<pg>(projects_without_tasks()) ==
        R"(SELECT "projects"."name" FROM "projects" WHERE NOT EXISTS (SELECT "tasks"."id" FROM "tasks" WHERE "tasks"."project_id" = "projects"."id") ORDER BY "projects"."name")");
}

TEST_CASE("postgres: set operations: UNION, UNION ALL, INTERSECT, EXCEPT, with ORDER BY, LIMIT and OFFSET",
          "[unit][query]") {
    // ORDER BY of a set operation names output columns, unqualified, and applies to the whole.
    static_assert(
        to_sql<pg>(names_everywhere()) ==
        R"(SELECT "users"."name" AS "label" FROM "users" UNION SELECT "projects"."name" AS "label" FROM "projects" ORDER BY "label" DESC LIMIT $1)");
    static_assert(
        to_sql<pg>(owner_ids_twice()) ==
        R"(SELECT "projects"."owner_id" FROM "projects" UNION ALL SELECT "posts"."author_id" FROM "posts" WHERE "posts"."views" > $1 ORDER BY "owner_id" LIMIT $2 OFFSET $3)");
    static_assert(
        to_sql<pg>(owners_who_post()) ==
        R"(SELECT "projects"."owner_id" FROM "projects" INTERSECT SELECT "posts"."author_id" FROM "posts" ORDER BY "owner_id")");
    static_assert(
        to_sql<pg>(users_who_own_nothing()) ==
        R"(SELECT "users"."id" FROM "users" EXCEPT SELECT "projects"."owner_id" FROM "projects" ORDER BY "id")");
    static_assert(
        to_sql<pg>(two_column_union("Bob", "Voyager")) ==
        R"(SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."name" = $1 UNION ALL SELECT "projects"."owner_id", "projects"."name" FROM "projects" WHERE "projects"."name" = $2 ORDER BY "id" DESC)");
}

TEST_CASE("postgres: WITH and WITH RECURSIVE", "[unit][query]") {
    // A CTE's columns are named after the selected columns or their labels.
    static_assert(
        to_sql<pg>(project_task_counts()) ==
        R"(WITH "per_project" ("project_id", "task_count") AS (SELECT "tasks"."project_id", COUNT(*) AS "task_count" FROM "tasks" GROUP BY "tasks"."project_id") SELECT "projects"."name", "per_project"."task_count" FROM "projects" JOIN "per_project" ON "per_project"."project_id" = "projects"."id" ORDER BY "per_project"."task_count" DESC, "projects"."name")");
    static_assert(
        to_sql<pg>(descendants_of(1)) ==
        R"(WITH RECURSIVE "tree" ("id", "name", "parent_id") AS (SELECT "categories"."id", "categories"."name", "categories"."parent_id" FROM "categories" WHERE "categories"."parent_id" = $1 UNION ALL SELECT "categories"."id", "categories"."name", "categories"."parent_id" FROM "categories" JOIN "tree" ON "categories"."parent_id" = "tree"."id") SELECT "tree"."id", "tree"."name" FROM "tree" ORDER BY "tree"."id")");
}

TEST_CASE("postgres: RETURNING on insert, update and delete; ON CONFLICT DO NOTHING / DO UPDATE SET ... excluded",
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
    static_assert(to_sql<pg>(insert_returning) ==
                  R"(INSERT INTO "categories" ("name", "parent_id") VALUES ($1, $2) RETURNING "categories"."id")");
    static_assert(
        to_sql<pg>(update_returning) ==
        R"(UPDATE "categories" SET "name" = $1 WHERE "categories"."id" = $2 RETURNING "categories"."id", "categories"."name")");
    static_assert(
        to_sql<pg>(delete_returning) ==
        R"(DELETE FROM "categories" WHERE "categories"."id" = $1 RETURNING "categories"."id", "categories"."name", "categories"."parent_id")");
    static_assert(
        to_sql<pg>(upsert_nothing) ==
        R"(INSERT INTO "users" ("email", "name", "is_active") VALUES ($1, $2, $3) ON CONFLICT ("email") DO NOTHING)");
    static_assert(
        to_sql<pg>(upsert_update) ==
        R"(INSERT INTO "users" ("email", "name", "is_active") VALUES ($1, $2, $3) ON CONFLICT ("email") DO UPDATE SET "name" = excluded."name")");
    static_assert(
        to_sql<pg>(upsert_returning) ==
        R"(INSERT INTO "users" ("email", "name", "is_active") VALUES ($1, $2, $3) ON CONFLICT ("email") DO UPDATE SET "name" = excluded."name", "is_active" = $4 RETURNING "users"."id", "users"."name", "users"."is_active")");
}

TEST_CASE("postgres: row locks: FOR UPDATE, SKIP LOCKED, NOWAIT, FOR SHARE, after LIMIT/OFFSET", "[unit][query]") {
    static_assert(
        to_sql<pg>(lock_projects_of(1)) ==
        R"(SELECT "projects"."id" FROM "projects" WHERE "projects"."owner_id" = $1 ORDER BY "projects"."id" FOR UPDATE)");
    static_assert(to_sql<pg>(unlocked_project_names()) ==
                  R"(SELECT "projects"."name" FROM "projects" ORDER BY "projects"."name" FOR UPDATE SKIP LOCKED)");
    static_assert(to_sql<pg>(project_names_of_nowait(1)) ==
                  R"(SELECT "projects"."name" FROM "projects" WHERE "projects"."owner_id" = $1 FOR UPDATE NOWAIT)");
    static_assert(to_sql<pg>(share_project_names_of(2)) ==
                  R"(SELECT "projects"."name" FROM "projects" WHERE "projects"."owner_id" = $1 FOR SHARE)");
    static_assert(
        to_sql<pg>(lock_active_page(2, 1)) ==
        R"(SELECT "projects"."name", "users"."name" FROM "projects" JOIN "users" ON "users"."id" = "projects"."owner_id" WHERE "projects"."is_active" ORDER BY "projects"."id" LIMIT $1 OFFSET $2 FOR UPDATE)");
}

TEST_CASE("postgres: every statement binds one value per placeholder, numbered in text order", "[unit][query]") {
    CHECK(numbered_placeholders("a = $1 AND b = $2") == 2);
    CHECK(numbered_placeholders("a = $2 AND b = $1") == 0);
    CHECK(numbered_placeholders("f($1) + g($1) = $2") == 2);
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
        two_column_union("Bob", "Voyager"), project_task_counts(), descendants_of(1), lock_projects_of(1),
        unlocked_project_names(), project_names_of_nowait(1), share_project_names_of(2), lock_active_page(2, 1));
}

TEST_CASE("postgres: ORDER BY a label binds nothing: its value is bound once, in the select list", "[unit][query]") {
    check_one_value_per_placeholder(top_views_by_label());
}

TEST_CASE("postgres: dynamic(select): the text of filters, sort keys and pages chosen at run time", "[unit][query]") {
    CHECK(dynamic(prolific_users(5)).sql<pg>() == to_sql<pg>(prolific_users(5)));

    auto search = dynamic(select(tasks.title, projects.name).join(projects, projects.id == tasks.project_id));
    search.where(projects.owner_id == 3).where(tasks.title.ilike("%x%"));
    search.order_by(projects.name.desc(), tasks.id).page(2, 10);
    CHECK(
        search.sql<pg>() ==
        R"(SELECT "tasks"."title", "projects"."name" FROM "tasks" JOIN "projects" ON "projects"."id" = "tasks"."project_id" WHERE ("projects"."owner_id" = $1) AND ("tasks"."title" COLLATE "C" ILIKE $2) ORDER BY "projects"."name" DESC, "tasks"."id" LIMIT $3 OFFSET $4)");
    CHECK(search.values().size() == 4);

    // A run-time in_ list: one text whatever its length, the list one array value.
    auto listed = dynamic(select(tasks.title));
    listed.where(tasks.id.in_(std::vector<int>{4, 5, 6})).where(tasks.title.not_in(std::vector<std::string>{"x"}));
    CHECK(listed.sql<pg>() ==
          R"(SELECT "tasks"."title" FROM "tasks" WHERE ("tasks"."id" = ANY($1)) AND ("tasks"."title" <> ALL($2)))");
    const std::vector<bound_value> list_values = listed.values();
    REQUIRE(list_values.size() == 2);
    CHECK(std::get<std::vector<std::int32_t>>(list_values[0]) == std::vector<std::int32_t>{4, 5, 6});
    CHECK(std::get<std::vector<std::string>>(list_values[1]) == std::vector<std::string>{"x"});

    // Run-time pieces after the static WHERE and ORDER BY, numbered after the static values; OFFSET alone.
    auto narrowed =
        dynamic(select(tasks.title).where(tasks.status == task_status::done || tasks.estimate > 3).order_by(tasks.id));
    narrowed.where(tasks.estimate.is_not_null()).where(tasks.title != "x").order_by(tasks.title.desc()).offset(5);
    CHECK(
        narrowed.sql<pg>() ==
        R"(SELECT "tasks"."title" FROM "tasks" WHERE ("tasks"."status" = $1 OR "tasks"."estimate" > $2) AND ("tasks"."estimate" IS NOT NULL) AND ("tasks"."title" <> $3) ORDER BY "tasks"."id", "tasks"."title" DESC OFFSET $4)");
    const std::vector<bound_value> values = narrowed.values();
    REQUIRE(values.size() == 4);
    CHECK(std::get<std::int64_t>(values[0]) == 2);
    CHECK(std::get<std::int64_t>(values[1]) == 3);
    CHECK(std::get<std::string>(values[2]) == "x");
    CHECK(std::get<std::int64_t>(values[3]) == 5);

    // A lock stays at the end.
    auto locked = dynamic(select(projects.name).for_update());
    locked.where(projects.is_active).order_by(projects.id).limit(1);
    CHECK(
        locked.sql<pg>() ==
        R"(SELECT "projects"."name" FROM "projects" WHERE ("projects"."is_active") ORDER BY "projects"."id" LIMIT $1 FOR UPDATE)");
}
