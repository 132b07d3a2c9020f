// The project tracker of the SQLAlchemy guides on an embedded SQLite file: a user's active
// projects, task counts per status, a case-insensitive title search, users with more than five
// posts, a category tree walked with WITH RECURSIVE, and a search whose filters are chosen at run
// time. Each statement's SQL, rendered by the compiler, is printed before its rows.
// expect-output: project_stats: 2 active projects for Ann, 3 tasks done, 2 prolific users, 5 categories under Science, 2 search hits
#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <ctorm/sqlite.hpp>

// --- models and tables ----------------------------------------------------------------------

struct User {
    std::int64_t id{};
    std::string email{};
    std::string name{};
};

struct Post {
    std::int64_t id{};
    std::int64_t author_id{};
    std::string title{};
};

struct Project {
    std::int64_t id{};
    std::int64_t owner_id{};
    std::string name{};
    bool is_active = true;
    ctorm::timestamp created_at{};
};

enum class task_status : std::int16_t { todo, doing, done };

struct Task {
    std::int64_t id{};
    std::int64_t project_id{};
    std::string title{};
    task_status status = task_status::todo;
};

struct Category {
    std::int64_t id{};
    std::string name{};
    std::optional<std::int64_t> parent_id{};  // NULL at the roots
};

CTORM_TABLE(users, User, (id, primary_key), (email, varchar<255>, unique), (name, varchar<100>));
CTORM_TABLE(posts, Post, (id, primary_key), (author_id, references(users.id).on_delete(cascade), index),
            (title, varchar<200>));
CTORM_TABLE(projects, Project, (id, primary_key), (owner_id, references(users.id).on_delete(cascade), index),
            (name, varchar<100>), (is_active, default_value(true)), (created_at));
CTORM_TABLE(tasks, Task, (id, primary_key), (project_id, references(projects.id).on_delete(cascade), index),
            (title, varchar<200>), (status, default_value(task_status::todo)));
CTORM_TABLE(categories, Category, (id, primary_key), (name, varchar<100>), (parent_id, index));

using namespace ctorm;

namespace {

std::string_view status_name(task_status s) {
    switch (s) {
        case task_status::todo: return "todo";
        case task_status::doing: return "doing";
        case task_status::done: return "done";
    }
    return "?";
}

std::string day_of(timestamp t) {
    const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
    const auto two = [](unsigned n) { return (n < 10 ? "0" : "") + std::to_string(n); };
    return std::to_string(int(ymd.year())) + "-" + two(unsigned(ymd.month())) + "-" + two(unsigned(ymd.day()));
}

timestamp on(int y, unsigned m, unsigned d) {
    return timestamp{std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}}};
}

void show(std::string_view what, std::string_view sql) { std::cout << "\n-- " << what << "\n   " << sql << '\n'; }

// The tables are empty, so the database numbers each table's rows 1, 2, 3, ... in the order written
// here (an insert leaves the generated key to the database); the ids in the initializers say which
// number each row gets, for the references between them.
void seed(sqlite::connection& db) {
    db.execute(insert(users).values(std::vector<User>{{1, "ann@example.com", "Ann"},
                                                      {2, "bob@example.com", "Bob"},
                                                      {3, "cy@example.com", "Cy"},
                                                      {4, "dee@example.com", "Dee"}}));
    std::vector<Post> all_posts;
    const auto add_posts = [&](std::int64_t author, int n) {
        for (int i = 1; i <= n; ++i) all_posts.push_back({0, author, "post " + std::to_string(i)});
    };
    add_posts(1, 7);
    add_posts(2, 2);
    add_posts(3, 6);
    db.execute(insert(posts).values(all_posts));

    db.execute(insert(projects).values(std::vector<Project>{{1, 1, "Apollo", true, on(2024, 1, 10)},
                                                            {2, 1, "Gemini", false, on(2024, 2, 1)},
                                                            {3, 1, "Mercury", true, on(2024, 3, 5)},
                                                            {4, 2, "Artemis", true, on(2024, 1, 20)}}));
    db.execute(insert(tasks).values(std::vector<Task>{{1, 1, "Design the lander", task_status::done},
                                                      {2, 1, "Build the LANDER", task_status::doing},
                                                      {3, 1, "Test lander legs", task_status::todo},
                                                      {4, 3, "Write launch checklist", task_status::todo},
                                                      {5, 3, "Review checklist", task_status::done},
                                                      {6, 4, "Order fuel", task_status::doing},
                                                      {7, 2, "Archive notes", task_status::done}}));
    db.execute(insert(categories)
                   .values(std::vector<Category>{{1, "Science", std::nullopt},
                                                 {2, "Physics", 1},
                                                 {3, "Biology", 1},
                                                 {4, "Quantum", 2},
                                                 {5, "Optics", 2},
                                                 {6, "Arts", std::nullopt},
                                                 {7, "Music", 6},
                                                 {8, "Strings", 4}}));
}

// What a search form may ask for; every field is optional.
struct task_search {
    std::optional<std::int64_t> owner{};
    std::optional<task_status> status{};
    std::optional<std::string> title_contains{};
    bool newest_first = false;
    std::int64_t page = 1;
};

// The filters are picked at run time from compile-time-checked pieces; every value is bound.
auto search_tasks(sqlite::connection& db, const task_search& form) {
    auto q = dynamic(select(tasks.id, tasks.title, projects.name).join(projects, projects.id == tasks.project_id));
    if (form.owner) q.where(projects.owner_id == *form.owner);
    if (form.status) q.where(tasks.status == *form.status);
    if (form.title_contains) q.where(tasks.title.ilike("%" + *form.title_contains + "%"));
    if (form.newest_first) q.order_by(tasks.id.desc());
    else q.order_by(tasks.title);
    q.page(form.page, 20);
    show("a search: filters chosen at run time", q.sql<sqlite_dialect>());
    return db.all(q);
}

}  // namespace

int main() {
    auto db = sqlite::connect("sqlite:///project_stats.db");
    db.drop_all(users, posts, projects, tasks, categories);
    db.create_all(users, posts, projects, tasks, categories);
    seed(db);

    // 1. A user's active projects, newest first.
    const std::int64_t ann = 1;
    const auto active = select(projects.name, projects.created_at)
                            .where(projects.owner_id == ann && projects.is_active)
                            .order_by(projects.created_at.desc());
    show("Ann's active projects, newest first", to_sql<sqlite_dialect>(active));
    const auto active_rows = db.all(active);
    for (const auto& [name, created] : active_rows)
        std::cout << "   " << name << " (since " << day_of(created) << ")\n";

    // 2. Task counts per status.
    const auto per_status = select(tasks.status, count().as<"n">()).group_by(tasks.status).order_by(tasks.status);
    show("tasks per status", to_sql<sqlite_dialect>(per_status));
    std::int64_t done = 0;
    for (const auto& [status, n] : db.all(per_status)) {
        std::cout << "   " << status_name(status) << ": " << n << '\n';
        if (status == task_status::done) done = n;
    }

    // 3. A case-insensitive title search, at most 20 rows.
    const auto titled = select(tasks.title).where(tasks.title.ilike("%lander%")).order_by(tasks.id).limit(20);
    show("titles containing 'lander', any case", to_sql<sqlite_dialect>(titled));
    for (const std::string& title : db.all(titled)) std::cout << "   " << title << '\n';

    // 4. Users with more than five posts: an outer join, so users without posts count 0.
    const auto prolific = select(users.name, count(posts.id).as<"post_count">())
                              .outer_join(posts, posts.author_id == users.id)
                              .group_by(users.id, users.name)
                              .having(count(posts.id) > 5)
                              .order_by(count(posts.id).as<"post_count">().desc());
    show("users with more than five posts", to_sql<sqlite_dialect>(prolific));
    const auto prolific_rows = db.all(prolific);
    for (const auto& [name, n] : prolific_rows) std::cout << "   " << name << ": " << n << " posts\n";

    // 5. Every category under Science, however deep: WITH RECURSIVE.
    const std::int64_t science = 1;
    const auto children = cte<"tree">(
        select(categories.id, categories.name, categories.parent_id).where(categories.parent_id == science));
    const auto tree = children.union_all(select(categories.id, categories.name, categories.parent_id)
                                             .join(children, categories.parent_id == children.c<"id">()));
    const auto descendants = with_(tree, select(tree.c<"name">(), tree.c<"parent_id">()).order_by(tree.c<"id">()));
    show("the categories under Science", to_sql<sqlite_dialect>(descendants));
    const auto descendant_rows = db.all(descendants);
    for (const auto& [name, parent_id] : descendant_rows) {
        std::cout << "   " << name << " (parent " << parent_id.value_or(0) << ")\n";
    }

    // 6. A search page: only the filters the user filled in.
    const auto hits = search_tasks(db, {.owner = ann, .title_contains = "LANDER"});
    for (const auto& [id, title, project] : hits) std::cout << "   #" << id << " " << title << " [" << project << "]\n";
    const auto open_tasks = search_tasks(db, {.status = task_status::doing, .newest_first = true});
    for (const auto& [id, title, project] : open_tasks)
        std::cout << "   #" << id << " " << title << " [" << project << "]\n";

    // The static search and the search page find the same lander tasks.
    const bool consistent = hits.size() == db.all(titled).size() && open_tasks.size() == 2;
    std::cout << "\nproject_stats: " << active_rows.size() << " active projects for Ann, " << done << " tasks done, "
              << prolific_rows.size() << " prolific users, " << descendant_rows.size() << " categories under Science, "
              << open_tasks.size() << " search hits" << (consistent ? "" : " (inconsistent!)") << '\n';
    return consistent ? 0 : 1;
}
