// The project tracker of the SQLAlchemy guides, for the query-language tests: projects owned by
// the blog's users, their tasks, and a self-referential category tree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <ctorm/ctorm.hpp>

#include "support/blog_schema.hpp"

namespace tracker {

// Owners are blog::users; the tracker adds its own tables next to the blog's.
using blog::users;

enum class task_status : std::int16_t { todo = 0, doing = 1, done = 2 };

struct Project {
    std::int64_t id{};
    std::int64_t owner_id{};
    std::string name{};
    bool is_active = true;
    ctorm::timestamp created_at{};
};

struct Task {
    std::int64_t id{};
    std::int64_t project_id{};
    std::string title{};
    task_status status = task_status::todo;
    std::optional<std::int32_t> estimate{};  // hours; unknown until someone guesses
};

struct Category {
    std::int64_t id{};
    std::string name{};
    std::optional<std::int64_t> parent_id{};  // NULL at the roots
};

CTORM_TABLE(projects, Project,
            (id, primary_key),
            (owner_id, references(blog::users.id).on_delete(cascade), index),
            (name, varchar<100>),
            (is_active, default_value(true)),
            (created_at));

CTORM_TABLE(tasks, Task,
            (id, primary_key),
            (project_id, references(projects.id).on_delete(cascade), index),
            (title, varchar<200>),
            (status, default_value(task_status::todo)),
            (estimate));

CTORM_TABLE(categories, Category,
            (id, primary_key),
            (name, varchar<100>),
            (parent_id, index));

}  // namespace tracker

// --- the statements the query-language tests pin and run ----------------------------------------
//
// One definition per statement: tests/unit/render_queries_*_test.cpp pin its text for each dialect,
// tests/sqlite/query_test.cpp runs it on every backend and checks its rows, so each pinned string
// is also known to be SQL the database accepts. Values are parameters of the functions; the text
// depends only on the type.
namespace tracker::queries {

using namespace ctorm;
using blog::posts;
using ctorm::count;
using ctorm::max;
using ctorm::min;

inline constexpr auto parent = alias<"parent">(categories);
inline constexpr auto other_posts = alias<"other">(posts);

// --- joins --------------------------------------------------------------------------------------

constexpr auto project_owners() {
    return select(projects.name, users.name).join(users, users.id == projects.owner_id).order_by(projects.name);
}
constexpr auto projects_with_tasks() {  // LEFT: projects without tasks too
    return select(projects.name, tasks.title)
        .outer_join(tasks, tasks.project_id == projects.id)
        .order_by(projects.name, tasks.title);
}
constexpr auto tasks_right_of_projects() {  // RIGHT: every task, its project if active
    return select(projects.name, tasks.title)
        .from(projects)
        .right_join(tasks, tasks.project_id == projects.id && projects.is_active)
        .order_by(tasks.id);
}
constexpr auto owners_full_projects() {  // FULL: users without projects, and the projects
    return select(users.name, projects.name)
        .from(users)
        .full_join(projects, projects.owner_id == users.id)
        .order_by(users.name, projects.name);
}
constexpr auto users_times_root_categories() {
    return select(users.name, categories.name)
        .from(users)
        .cross_join(categories)
        .where(categories.parent_id.is_null())
        .order_by(users.name, categories.name);
}
// Self-join: each category with its parent's name (NULL at the roots).
constexpr auto categories_with_parent() {
    return select(categories.name, parent.name)
        .outer_join(parent, categories.parent_id == parent.id)
        .order_by(categories.id);
}
// Three tables: tasks, their project, its owner.
constexpr auto task_owner_names(task_status status) {
    return select(tasks.title, users.name)
        .join(projects, projects.id == tasks.project_id)
        .join(users, users.id == projects.owner_id)
        .where(tasks.status == status)
        .order_by(tasks.title);
}

// --- the guides' project tracker ----------------------------------------------------------------

constexpr auto active_projects_of(std::int64_t owner) {  // newest first
    return select(projects.id, projects.name, projects.created_at)
        .where(projects.owner_id == owner && projects.is_active)
        .order_by(projects.created_at.desc());
}
constexpr auto task_counts_by_status() {
    return select(tasks.status, count().as<"n">()).group_by(tasks.status).order_by(tasks.status);
}
constexpr auto search_titles(std::string_view pattern) {
    return select(tasks.id, tasks.title).where(tasks.title.ilike(pattern)).order_by(tasks.id).limit(20);
}
// Users with more than `n` posts, most prolific first; users with none count 0.
constexpr auto prolific_users(std::int64_t n) {
    return select(users.name, count(posts.id).as<"post_count">())
        .outer_join(posts, posts.author_id == users.id)
        .group_by(users.id, users.name)
        .having(count(posts.id) > n)
        .order_by(count(posts.id).as<"post_count">().desc(), users.name);
}

// --- aggregates ---------------------------------------------------------------------------------

constexpr auto estimate_stats_per_project() {
    return select(projects.name, count(tasks.id), count(tasks.estimate), sum(tasks.estimate), avg(tasks.estimate),
                  min(tasks.estimate), max(tasks.estimate))
        .outer_join(tasks, tasks.project_id == projects.id)
        .group_by(projects.name)
        .order_by(projects.name);
}
constexpr auto view_totals() {  // no GROUP BY: one row
    return select(count(), count_distinct(posts.author_id), sum(posts.views), min(posts.title), max(posts.views))
        .from(posts);
}
constexpr auto busy_owners(std::int64_t min_tasks) {  // a label in ORDER BY, an aggregate in HAVING
    return select(users.name, count(tasks.id).as<"open_tasks">())
        .join(projects, projects.owner_id == users.id)
        .join(tasks, tasks.project_id == projects.id)
        .where(tasks.status != task_status::done)
        .group_by(users.name)
        .having(count(tasks.id) >= min_tasks)
        .order_by(count(tasks.id).as<"open_tasks">().desc());
}

// --- expressions --------------------------------------------------------------------------------

constexpr auto arithmetic_on_views(std::int32_t bonus) {
    return select(posts.id, (posts.views + bonus) * 2, posts.views - (posts.views - 1), posts.views / 2 % 3,
                  posts.views * 1.5, posts.views + posts.author_id)
        .order_by(posts.id);
}
constexpr auto text_functions() {
    return select(lower(users.name), upper(users.name), length(users.email), trim(concat(users.name, "  ")),
                  substr(users.email, 1, 3), concat(users.name, " <", users.email, ">"))
        .order_by(users.id);
}
constexpr auto numeric_functions() {
    return select(tasks.title, abs(tasks.estimate - 10), round(tasks.estimate / 3.0), coalesce(tasks.estimate, 0),
                  nullif(tasks.estimate, 1))
        .order_by(tasks.id);
}
constexpr auto estimate_labels() {
    return select(tasks.title,
                  case_(when(tasks.estimate >= 10, "big"), when(tasks.estimate >= 3, "medium")).else_("small"),
                  case_(when(tasks.status == task_status::done, tasks.estimate)))
        .order_by(tasks.id);
}
constexpr auto casts() {
    return select(cast<double>(posts.views), cast<std::string>(posts.id), cast<std::int64_t>(posts.views / 2))
        .order_by(posts.id);
}
constexpr auto clock_now() { return select(now(), current_date()).from(users).limit(1); }

// --- window functions ---------------------------------------------------------------------------

constexpr auto project_rank_per_owner() {
    return select(projects.name,
                  over(row_number(), window().partition_by(projects.owner_id).order_by(projects.created_at.desc())))
        .order_by(projects.id);
}
constexpr auto post_view_ranks() {
    return select(posts.title, over(rank(), window().order_by(posts.views.desc())),
                  over(dense_rank(), window().order_by(posts.views.desc())))
        .order_by(posts.id);
}
constexpr auto neighbours_and_totals() {
    return select(posts.id, over(lag(posts.views), window().partition_by(posts.author_id).order_by(posts.id)),
                  over(lead(posts.views), window().partition_by(posts.author_id).order_by(posts.id)),
                  over(sum(posts.views), window().partition_by(posts.author_id)),
                  over(count(), window().partition_by(posts.author_id)))
        .order_by(posts.id);
}

// --- subqueries ---------------------------------------------------------------------------------

constexpr auto task_count_per_project() {  // correlated scalar subquery in the select list
    return select(
               projects.name,
               subquery_value(select(count()).from(tasks).correlate(projects).where(tasks.project_id == projects.id)))
        .order_by(projects.id);
}
constexpr auto posts_above_average() {  // scalar subquery in a comparison
    return select(posts.title).where(posts.views > subquery_value(select(avg(posts.views)))).order_by(posts.id);
}
constexpr auto top_post_per_author() {  // correlated, through an alias of the same table
    return select(posts.title)
        .where(posts.views ==
               subquery_value(
                   select(max(other_posts.views)).correlate(posts).where(other_posts.author_id == posts.author_id)))
        .order_by(posts.id);
}
constexpr auto owners_of_active_projects() {
    return select(users.name)
        .where(in_select(users.id, select(projects.owner_id).where(projects.is_active)))
        .order_by(users.name);
}
constexpr auto users_without_projects() {
    return select(users.name).where(not_in_select(users.id, select(projects.owner_id))).order_by(users.name);
}
constexpr auto projects_with_open_tasks() {
    return select(projects.name)
        .where(exists(select(tasks.id).correlate(projects).where(tasks.project_id == projects.id &&
                                                                 tasks.status != task_status::done)))
        .order_by(projects.name);
}
constexpr auto projects_without_tasks() {
    return select(projects.name)
        .where(not_exists(select(tasks.id).correlate(projects).where(tasks.project_id == projects.id)))
        .order_by(projects.name);
}

// --- set operations ---------------------------------------------------------------------------------

constexpr auto names_everywhere() {  // UNION removes duplicates; ORDER BY/LIMIT apply to the whole
    return union_(select(users.name.as<"label">()), select(projects.name.as<"label">()))
        .order_by(users.name.as<"label">().desc())
        .limit(4);
}
constexpr auto owner_ids_twice() {
    return union_all(select(projects.owner_id), select(posts.author_id).where(posts.views > 50))
        .order_by(projects.owner_id)
        .limit(3)
        .offset(3);
}
constexpr auto owners_who_post() {
    return intersect(select(projects.owner_id), select(posts.author_id)).order_by(projects.owner_id);
}
constexpr auto users_who_own_nothing() {
    return except_(select(users.id), select(projects.owner_id)).order_by(users.id);
}

// --- CTEs -------------------------------------------------------------------------------------------

constexpr auto per_project =
    cte<"per_project">(select(tasks.project_id, count().as<"task_count">()).group_by(tasks.project_id));
constexpr auto project_task_counts() {
    return with_(per_project, select(projects.name, per_project.c<"task_count">())
                                  .join(per_project, per_project.c<"project_id">() == projects.id)
                                  .order_by(per_project.c<"task_count">().desc(), projects.name));
}

// All descendants of a category (WITH RECURSIVE): its children, then theirs, and so on.
constexpr auto descendants_of(std::int64_t root) {
    auto children =
        cte<"tree">(select(categories.id, categories.name, categories.parent_id).where(categories.parent_id == root));
    auto tree = children.union_all(select(categories.id, categories.name, categories.parent_id)
                                       .join(children, categories.parent_id == children.c<"id">()));
    return with_(tree, select(tree.c<"id">(), tree.c<"name">()).order_by(tree.c<"id">()));
}

// --- precedence, parentheses and odd corners ----------------------------------------------------------

// The children of the category named `name`, through the alias in WHERE.
constexpr auto children_named(std::string_view name) {
    return select(categories.name)
        .join(parent, categories.parent_id == parent.id)
        .where(parent.name == name)
        .order_by(categories.name);
}
constexpr auto whole_table_having(std::int64_t n) { return select(count()).from(posts).having(count() > n); }
constexpr auto wide_sum_and_average() { return select(sum(cast<std::int64_t>(posts.views)), avg(posts.views)); }
constexpr auto average_views_per_author() {
    return select(posts.title, over(avg(posts.views), window().partition_by(posts.author_id))).order_by(posts.id);
}
// Parentheses only where SQL needs them: around a lower-precedence left operand, and around a right
// operand of equal precedence (a - (b - c), a / (b * c)).
constexpr auto arithmetic_precedence() {
    return select(posts.id, (posts.views + 1) * 2, posts.views + posts.id * 2, posts.views * 2 + 1,
                  posts.views - (posts.views - 1), posts.views - 1 - 2, posts.views / (posts.id * 2),
                  posts.views * (posts.id / 2), posts.views / 2 % 3, posts.views % (posts.id * 2), 1 + posts.views,
                  2.5 * posts.views)
        .order_by(posts.id);
}
constexpr auto arithmetic_in_comparisons() {
    return select(posts.title).where(posts.views + 1 > posts.id * 2 && !(posts.views - 1 == 0)).order_by(posts.id);
}
constexpr auto arithmetic_in_between() {
    return select(posts.title).where((posts.views + 1).between(2, posts.id * 3)).order_by(posts.id);
}
constexpr auto arithmetic_in_lists() {
    return select(posts.title).where((posts.views * 2).in_(4, 6) || (posts.views - 1).is_null()).order_by(posts.id);
}
constexpr auto nested_concatenation() {
    return select(concat(concat(users.name, "-"), users.email), concat(users.name, concat(users.email, "-")))
        .order_by(users.id);
}
constexpr auto top_views_by_label() {
    return select(posts.title, (posts.views * 2).as<"double_views">())
        .order_by((posts.views * 2).as<"double_views">().desc())
        .limit(3);
}
constexpr auto null_handling() {
    return select(coalesce(posts.published_at, now()), nullif(posts.title, "a1"),
                  coalesce(tasks.estimate, tasks.estimate, 0))
        .join(tasks, tasks.id == posts.id)
        .order_by(posts.id);
}
constexpr auto text_conditions() {
    return select(users.name)
        .where(lower(users.name) == lower(users.email) || upper(trim(users.name)).like("A%"))
        .order_by(users.name);
}
constexpr auto case_in_where() {
    return select(posts.title).where(case_(when(posts.views > 60, true)).else_(posts.title == "a1")).order_by(posts.id);
}
constexpr auto case_of_expressions() {
    return select(posts.title, case_(when(posts.views > 10 && posts.views < 100, posts.views * 2),
                                     when(posts.views >= 100, posts.views))
                                   .else_(0))
        .order_by(posts.id);
}
constexpr auto window_partitions() {
    return select(posts.title,
                  over(max(posts.views), window().partition_by(posts.author_id, posts.published_at.is_null())),
                  over(count(posts.id), window()))
        .order_by(posts.id);
}
constexpr auto two_column_union(std::string_view user, std::string_view project) {
    return union_all(select(users.id, users.name).where(users.name == user),
                     select(projects.owner_id, projects.name).where(projects.name == project))
        .order_by(users.id.desc());
}

// --- row locks (PostgreSQL) ------------------------------------------------------------------------

constexpr auto lock_projects_of(std::int64_t owner) {
    return select(projects.id).where(projects.owner_id == owner).order_by(projects.id).for_update();
}
constexpr auto unlocked_project_names() { return select(projects.name).order_by(projects.name).skip_locked(); }
constexpr auto project_names_of_nowait(std::int64_t owner) {
    return select(projects.name).where(projects.owner_id == owner).nowait();
}
constexpr auto share_project_names_of(std::int64_t owner) {
    return select(projects.name).where(projects.owner_id == owner).for_share();
}
constexpr auto lock_active_page(std::int64_t size, std::int64_t skip) {
    return select(projects.name, users.name)
        .join(users, users.id == projects.owner_id)
        .where(projects.is_active)
        .order_by(projects.id)
        .limit(size)
        .offset(skip)
        .for_update();
}

}  // namespace tracker::queries
