// The query language's types and rules, from the side that compiles: the C++ row type of every kind
// of statement (nullability through outer joins, aggregates, COALESCE, CASE and arithmetic), the
// overloads that do not exist (concepts that are false), the check types computed before a rule
// fires, and the positive twins of these tests/compile_fail cases:
//   a column of a table not in FROM, in a join query ........ select_join_column_not_in_from
//   a join condition comparing TEXT with an integer .......... select_join_on_incompatible_types
//   a selected column neither grouped nor aggregated ......... select_column_missing_from_group_by
//   having() with no GROUP BY and no aggregate ............... select_having_without_aggregation
//   set operations with other widths / column types .......... set_operation_column_count,
//                                                               set_operation_column_types
//   into<T>() with a field of another type / another count ... select_into_field_type, select_into_field_count
//   order_by() of a label the select list does not define .... select_order_by_undefined_label
//   for_update() rendered for SQLite ......................... select_for_update_on_sqlite
//   an aggregate in where() .................................. select_aggregate_in_where
//   a CTE column name the CTE does not have .................. cte_unknown_column
//   a subquery naming an outer table without correlate() ..... subquery_correlated_without_correlate
#include <catch2/catch.hpp>

#include <boost/hana/define_struct.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "support/project_schema.hpp"

using namespace ctorm;
using namespace tracker;
using namespace tracker::queries;
using blog::everything;
using blog::posts;
using ctorm::count;
using ctorm::max;
using ctorm::min;

namespace {

template <class Statement>
using row_of = typename statement_traits<std::remove_cvref_t<Statement>>::row_type;
template <class Expression>
using value_of = typename std::remove_cvref_t<Expression>::value_type;

using text = std::string;
using opt_text = std::optional<std::string>;
using i32 = std::int32_t;
using i64 = std::int64_t;

struct project_line {
    BOOST_HANA_DEFINE_STRUCT(project_line, (std::string, project), (std::string, owner));
};
struct project_and_task {
    BOOST_HANA_DEFINE_STRUCT(project_and_task, (std::string, project), (std::optional<std::string>, task));
};

template <class Statement, class Table, class On>
concept can_join = requires(const Statement& s, const Table& t, const On& on) {
    s.join(t, on);
};
template <class Statement, class Table, class On>
concept can_cross_join_on = requires(const Statement& s, const Table& t, const On& on) {
    s.cross_join(t, on);
};
template <class Statement>
concept can_lock = requires(const Statement& s) {
    s.for_update();
};
template <class Statement>
concept can_group_by_nothing = requires(const Statement& s) {
    s.group_by();
};
template <class L, class R>
concept can_union = requires(const L& l, const R& r) {
    union_(l, r);
};
template <class E, class S>
concept can_in_select = requires(const E& e, const S& s) {
    in_select(e, s);
};
template <class S>
concept can_exists = requires(const S& s) {
    exists(s);
};
template <class F, class W>
concept can_over = requires(const F& f, const W& w) {
    over(f, w);
};
template <class S>
concept can_subquery_value = requires(const S& s) {
    subquery_value(s);
};
template <class T>
concept can_alias = requires(const T& t) {
    alias<"x">(t);
};

using plain_select = std::remove_cvref_t<decltype(select(users.id, users.name))>;
using a_union = std::remove_cvref_t<decltype(union_(select(users.id), select(projects.owner_id)))>;

}  // namespace

TEST_CASE("query rows: outer joins make the columns of the side that may be missing optional", "[unit][query]") {
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(project_owners())>, std::tuple<text, text>>);
    // LEFT: the joined table's columns; RIGHT: the columns before it; FULL: both sides.
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(projects_with_tasks())>, std::tuple<text, opt_text>>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(tasks_right_of_projects())>, std::tuple<opt_text, text>>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(owners_full_projects())>, std::tuple<opt_text, opt_text>>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(users_times_root_categories())>, std::tuple<text, text>>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(task_owner_names(task_status::todo))>, std::tuple<text, text>>);
    // A self-join through an alias: the alias's columns are distinct types, optional when outer-joined.
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(categories_with_parent())>, std::tuple<text, opt_text>>);
    STATIC_REQUIRE(!std::is_same_v<decltype(parent.name), decltype(categories.name)>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(children_named("x"))>, text>);

    // A nullable column stays optional once (not optional<optional>); expressions of outer-joined
    // columns are optional; aggregates of them are not made optional by the join.
    STATIC_REQUIRE(
        std::is_same_v<
            row_of<decltype(select(projects.name, tasks.estimate).outer_join(tasks, tasks.project_id == projects.id))>,
            std::tuple<text, std::optional<i32>>>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(select(projects.name, tasks.project_id + 1, lower(tasks.title))
                                                      .outer_join(tasks, tasks.project_id == projects.id))>,
                                  std::tuple<text, std::optional<i64>, opt_text>>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(prolific_users(5))>, std::tuple<text, i64>>);
    // A column of the FROM table of a LEFT join is never optional.
    STATIC_REQUIRE(
        std::is_same_v<row_of<decltype(select(projects.id).outer_join(tasks, tasks.project_id == projects.id))>, i64>);
}

TEST_CASE("query rows: aggregates", "[unit][query]") {
    // COUNT is never NULL; SUM of integers is a 64-bit integer, AVG a double, MIN/MAX keep the column's
    // type; all but COUNT are NULL on no rows, so optional.
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(count())>, i64>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(count(tasks.estimate))>, i64>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(count_distinct(posts.author_id))>, i64>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(sum(posts.views))>, std::optional<i64>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(sum(tasks.estimate))>, std::optional<i64>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(sum(everything.i8))>, std::optional<i64>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(sum(everything.f32))>, std::optional<double>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(sum(cast<double>(posts.views)))>, std::optional<double>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(avg(posts.views))>, std::optional<double>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(min(posts.title))>, opt_text>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(max(projects.created_at))>, std::optional<timestamp>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(min(posts.published_at))>, std::optional<timestamp>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(max(tasks.status))>, std::optional<task_status>>);

    STATIC_REQUIRE(std::is_same_v<row_of<decltype(view_totals())>,
                                  std::tuple<i64, i64, std::optional<i64>, opt_text, std::optional<i32>>>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(estimate_stats_per_project())>,
                                  std::tuple<text, i64, i64, std::optional<i64>, std::optional<double>,
                                             std::optional<i32>, std::optional<i32>>>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(task_counts_by_status())>, std::tuple<task_status, i64>>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(whole_table_having(1))>, i64>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(wide_sum_and_average())>,
                                  std::tuple<std::optional<i64>, std::optional<double>>>);
}

TEST_CASE("query rows: nullability flows through arithmetic, functions, COALESCE, NULLIF, CASE and CAST",
          "[unit][query]") {
    // Arithmetic keeps a shared integer type, widens mixed integers to 64 bits and anything with a
    // floating-point side to double, and is nullable when a side is.
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(posts.views + 1)>, i32>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(posts.views + posts.author_id)>, i64>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(posts.views * 1.5)>, double>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(tasks.estimate + 1)>, std::optional<i32>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(tasks.estimate / 3.0)>, std::optional<double>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(2 * tasks.estimate % 5)>, std::optional<i32>>);
    STATIC_REQUIRE(
        std::is_same_v<row_of<decltype(arithmetic_on_views(1))>, std::tuple<i64, i32, i32, i32, double, i64>>);

    // Text functions keep their operand's nullability; length is a 64-bit integer.
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(text_functions())>, std::tuple<text, text, i64, text, text, text>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(lower(everything.maybe_text))>, opt_text>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(length(everything.maybe_text))>, std::optional<i64>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(concat(everything.text_value, everything.maybe_text))>, opt_text>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(concat(everything.text_value, "!"))>, text>);

    // abs keeps the type, round gives a double; COALESCE is NULL only if every argument may be;
    // NULLIF may always give NULL.
    STATIC_REQUIRE(
        std::is_same_v<row_of<decltype(numeric_functions())>,
                       std::tuple<text, std::optional<i32>, std::optional<double>, i32, std::optional<i32>>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(round(posts.views))>, double>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(coalesce(tasks.estimate, tasks.estimate))>, std::optional<i32>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(coalesce(posts.published_at, now()))>, timestamp>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(nullif(posts.title, "a1"))>, opt_text>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(null_handling())>, std::tuple<timestamp, opt_text, i32>>);

    // CASE: NULL without ELSE, or when a branch may be NULL.
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(estimate_labels())>, std::tuple<text, text, std::optional<i32>>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(case_(when(posts.views > 1, "a")).else_("b"))>, text>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(case_(when(posts.views > 1, "a")))>, opt_text>);
    STATIC_REQUIRE(
        std::is_same_v<value_of<decltype(case_(when(posts.views > 1, tasks.estimate)).else_(0))>, std::optional<i32>>);
    STATIC_REQUIRE(
        std::is_same_v<value_of<decltype(case_(when(posts.views > 1, 1)).else_(tasks.estimate))>, std::optional<i32>>);

    // CAST to the requested type, nullable if its operand is.
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(casts())>, std::tuple<double, text, i64>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(cast<text>(tasks.estimate))>, opt_text>);

    STATIC_REQUIRE(std::is_same_v<row_of<decltype(clock_now())>, std::tuple<timestamp, date>>);

    // Comparisons of nullable operands are nullable booleans; IS NULL is never NULL.
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(tasks.estimate > 3)>, std::optional<bool>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(tasks.estimate.is_null())>, bool>);
}

TEST_CASE("query rows: window functions, subqueries, set operations, CTEs, into<T>(), RETURNING, dynamic",
          "[unit][query]") {
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(project_rank_per_owner())>, std::tuple<text, i64>>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(post_view_ranks())>, std::tuple<text, i64, i64>>);
    // LAG/LEAD are NULL at the edges; SUM over a window is as nullable as SUM; COUNT never is.
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(neighbours_and_totals())>,
                                  std::tuple<i64, std::optional<i32>, std::optional<i32>, std::optional<i64>, i64>>);
    STATIC_REQUIRE(
        std::is_same_v<row_of<decltype(average_views_per_author())>, std::tuple<text, std::optional<double>>>);

    // A scalar subquery may find no row: optional. EXISTS and IN of non-null operands are plain bools.
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(task_count_per_project())>, std::tuple<text, std::optional<i64>>>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(exists(select(tasks.id)))>, bool>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(in_select(users.id, select(projects.owner_id)))>, bool>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(subquery_value(select(avg(posts.views))))>, std::optional<double>>);

    // A set operation has its left side's row type.
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(names_everywhere())>, text>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(owners_who_post())>, i64>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(two_column_union("a", "b"))>, std::tuple<i64, text>>);

    // CTE columns have the types of the columns they are named after.
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(per_project.c<"task_count">())>, i64>);
    STATIC_REQUIRE(std::is_same_v<value_of<decltype(per_project.c<"project_id">())>, i64>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(project_task_counts())>, std::tuple<text, i64>>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(descendants_of(1))>, std::tuple<i64, text>>);

    // into<T>(): rows are T; an outer-joined column needs an optional field (select_into_field_type).
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(project_owners().into<project_line>())>, project_line>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(projects_with_tasks().into<project_and_task>())>, project_and_task>);

    // RETURNING: a column, columns, or the whole model.
    const Category poetry{.name = "Poetry", .parent_id = 6};
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(insert(categories).values(poetry).returning(categories.id))>, i64>);
    STATIC_REQUIRE(
        std::is_same_v<
            row_of<
                decltype(update(categories).set(categories.name = "x").returning(categories.id, categories.parent_id))>,
            std::tuple<i64, std::optional<i64>>>);
    STATIC_REQUIRE(std::is_same_v<row_of<decltype(delete_from(categories).returning(categories))>, Category>);

    // A dynamic select has its base's rows.
    using dynamic_search =
        decltype(dynamic(select(tasks.title, projects.name).join(projects, projects.id == tasks.project_id)));
    STATIC_REQUIRE(std::is_same_v<row_of<dynamic_search>, std::tuple<text, text>>);
    STATIC_REQUIRE(is_dynamic_statement<dynamic_search>);
    CHECK(poetry.parent_id == std::optional<i64>(6));
}

TEST_CASE("query rules: the overloads that do not exist", "[unit][query]") {
    // join(table, condition); cross_join(table) takes no condition; a column is not a table.
    STATIC_REQUIRE(can_join<plain_select, decltype(posts), decltype(posts.author_id == users.id)>);
    STATIC_REQUIRE_FALSE(can_join<plain_select, decltype(posts.id), decltype(posts.author_id == users.id)>);
    STATIC_REQUIRE_FALSE(can_join<plain_select, decltype(posts), int>);
    STATIC_REQUIRE_FALSE(can_cross_join_on<plain_select, decltype(posts), decltype(posts.author_id == users.id)>);
    // Row locks belong to a select, not to a set operation.
    STATIC_REQUIRE(can_lock<plain_select>);
    STATIC_REQUIRE_FALSE(can_lock<a_union>);
    // Set operations, IN (subquery), EXISTS and scalar subqueries take selects.
    STATIC_REQUIRE(can_union<plain_select, plain_select>);
    STATIC_REQUIRE(can_union<a_union, decltype(select(posts.id))>);
    STATIC_REQUIRE_FALSE(can_union<plain_select, decltype(users)>);
    STATIC_REQUIRE_FALSE(can_union<plain_select, int>);
    STATIC_REQUIRE(can_in_select<decltype(users.id), decltype(select(projects.owner_id))>);
    STATIC_REQUIRE_FALSE(can_in_select<decltype(users.id), int>);
    STATIC_REQUIRE_FALSE(can_in_select<decltype(users.id), decltype(projects)>);
    STATIC_REQUIRE(can_exists<decltype(select(tasks.id))>);
    STATIC_REQUIRE_FALSE(can_exists<decltype(tasks)>);
    STATIC_REQUIRE_FALSE(can_subquery_value<decltype(tasks.id)>);
    // over() takes a function or an aggregate, not a column.
    STATIC_REQUIRE(can_over<decltype(row_number()), decltype(window())>);
    STATIC_REQUIRE(can_over<decltype(sum(posts.views)), decltype(window().partition_by(posts.author_id))>);
    STATIC_REQUIRE_FALSE(can_over<decltype(posts.views), decltype(window())>);
    // Only tables have aliases.
    STATIC_REQUIRE(can_alias<decltype(categories)>);
    STATIC_REQUIRE_FALSE(can_alias<decltype(categories.id)>);
}

TEST_CASE("query rules: the checks computed before a rule fires", "[unit][query]") {
    // The first column of a clause outside the statement's tables (void when there is none).
    using visible = plain_select::visible_tables;
    STATIC_REQUIRE(
        std::is_void_v<detail::first_column_outside<type_list<blog::ctorm_table_users::name_column>, visible>::type>);
    STATIC_REQUIRE(
        std::is_same_v<
            detail::first_column_outside<
                type_list<blog::ctorm_table_users::id_column, blog::ctorm_table_posts::views_column>, visible>::type,
            blog::ctorm_table_posts::views_column>);
    // A joined table and a correlated one are visible; the FROM list holds neither.
    using joined = std::remove_cvref_t<decltype(select(users.name).join(projects, projects.owner_id == users.id))>;
    STATIC_REQUIRE(meta::contains<ctorm_table_projects, joined::visible_tables>);
    STATIC_REQUIRE_FALSE(meta::contains<ctorm_table_projects, joined::base_tables>);
    using correlated = std::remove_cvref_t<decltype(select(tasks.id).correlate(projects))>;
    STATIC_REQUIRE(meta::contains<ctorm_table_projects, correlated::visible_tables>);
    STATIC_REQUIRE_FALSE(meta::contains<ctorm_table_projects, correlated::base_tables>);
    // The nullable side of each outer join.
    STATIC_REQUIRE(std::is_same_v<std::remove_cvref_t<decltype(projects_with_tasks())>::nullable_tables,
                                  type_list<ctorm_table_tasks>>);
    STATIC_REQUIRE(std::is_same_v<std::remove_cvref_t<decltype(tasks_right_of_projects())>::nullable_tables,
                                  type_list<ctorm_table_projects>>);
    STATIC_REQUIRE(std::is_same_v<std::remove_cvref_t<decltype(project_owners())>::nullable_tables, type_list<>>);
    // The first selected column neither grouped nor aggregated (void when the rule holds).
    using grouped = std::remove_cvref_t<decltype(prolific_users(5))>;
    using grouped_plain = typename detail::tuple_items<grouped::select_list_type>::plain_columns;
    STATIC_REQUIRE(std::is_void_v<typename detail::first_ungrouped<grouped_plain, grouped::grouped_columns>::type>);
    using half_grouped = std::remove_cvref_t<decltype(select(users.id, users.name, count(posts.id))
                                                          .outer_join(posts, posts.author_id == users.id)
                                                          .group_by(users.id))>;
    using half_plain = typename detail::tuple_items<half_grouped::select_list_type>::plain_columns;
    STATIC_REQUIRE(std::is_same_v<typename detail::first_ungrouped<half_plain, half_grouped::grouped_columns>::type,
                                  blog::ctorm_table_users::name_column>);
    STATIC_REQUIRE(half_grouped::aggregated);
    STATIC_REQUIRE_FALSE(plain_select::aggregated);
}

TEST_CASE("query rules: the positive twins of the compile-fail tests", "[unit][query]") {
    // Each statement below is the twin of one compile-fail case listed at the top: it compiles, and its text is SQL.
    static_assert(
        to_sql<sqlite_dialect>(
            select(users.name, posts.title).join(posts, posts.author_id == users.id).where(posts.views > 10)) ==
        R"(SELECT "users"."name", "posts"."title" FROM "users" JOIN "posts" ON "posts"."author_id" = "users"."id" WHERE "posts"."views" > ?)");
    static_assert(
        to_sql<sqlite_dialect>(select(users.id, users.name, count(posts.id))
                                   .outer_join(posts, posts.author_id == users.id)
                                   .group_by(users.id, users.name)) ==
        R"(SELECT "users"."id", "users"."name", COUNT("posts"."id") FROM "users" LEFT OUTER JOIN "posts" ON "posts"."author_id" = "users"."id" GROUP BY "users"."id", "users"."name")");
    static_assert(
        to_sql<sqlite_dialect>(select(posts.author_id, count()).group_by(posts.author_id).having(count() > 1)) ==
        R"(SELECT "posts"."author_id", COUNT(*) FROM "posts" GROUP BY "posts"."author_id" HAVING COUNT(*) > ?)");
    // HAVING with an aggregate in the select list and no GROUP BY: the whole table is one group.
    static_assert(to_sql<sqlite_dialect>(select(count()).from(posts).having(count() > 1)) ==
                  R"(SELECT COUNT(*) FROM "posts" HAVING COUNT(*) > ?)");
    static_assert(
        to_sql<sqlite_dialect>(union_all(select(users.id, users.name), select(posts.author_id, posts.title))) ==
        R"(SELECT "users"."id", "users"."name" FROM "users" UNION ALL SELECT "posts"."author_id", "posts"."title" FROM "posts")");
    // A nullable column lines up with a non-null one of the same type.
    static_assert(to_sql<sqlite_dialect>(union_(select(tasks.estimate), select(posts.views))) ==
                  R"(SELECT "tasks"."estimate" FROM "tasks" UNION SELECT "posts"."views" FROM "posts")");
    static_assert(to_sql<sqlite_dialect>(project_owners().into<project_line>()) ==
                  to_sql<sqlite_dialect>(project_owners()));
    static_assert(to_sql<postgres_dialect>(select(users.id).where(users.id == 1).for_update()) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."id" = $1 FOR UPDATE)");
    static_assert(
        to_sql<sqlite_dialect>(
            select(posts.author_id, count().as<"n">()).group_by(posts.author_id).order_by(count().as<"n">().desc())) ==
        R"(SELECT "posts"."author_id", COUNT(*) AS "n" FROM "posts" GROUP BY "posts"."author_id" ORDER BY "n" DESC)");
    static_assert(
        to_sql<sqlite_dialect>(
            select(users.name).where(exists(select(posts.id).correlate(users).where(posts.author_id == users.id)))) ==
        R"sql(SELECT "users"."name" FROM "users" WHERE EXISTS (SELECT "posts"."id" FROM "posts" WHERE "posts"."author_id" = "users"."id"))sql");
    constexpr auto roots = cte<"roots">(select(categories.id, categories.name.as<"title">()));
    static_assert(
        to_sql<sqlite_dialect>(with_(roots, select(roots.c<"id">(), roots.c<"title">()))) ==
        R"(WITH "roots" ("id", "title") AS (SELECT "categories"."id", "categories"."name" AS "title" FROM "categories") SELECT "roots"."id", "roots"."title" FROM "roots")");
    CHECK(to_sql<postgres_dialect>(with_(roots, select(roots.c<"title">()).where(roots.c<"id">() > 1)))
              .ends_with(R"(SELECT "roots"."title" FROM "roots" WHERE "roots"."id" > $1)"));
}
