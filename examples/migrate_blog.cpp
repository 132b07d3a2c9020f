// A migrate command for a small blog: its models, its two revisions, and
// ctorm::migrate::main, which makes of them the program Alembic's command is
// (upgrade, downgrade, current, history, heads, stamp, check, revision
// --autogenerate, --sql). Run with no arguments it walks through the workflow
// on blog.db; examples/migrate_blog_test.cmake runs each command on its own.
//
//   migrate_blog --url sqlite:///blog.db upgrade head
//   migrate_blog --url postgresql://localhost/blog check
//   migrate_blog --url sqlite:///blog.db revision --autogenerate -m "add tags" --dir migrations
// expect-output: migrate_blog: check says 0, then 1 after downgrade -1
#include <cstdint>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <ctorm/migrate/command.hpp>

namespace m = ctorm::migrate;

// The models as they are now.
struct User {
    std::int64_t id{};
    std::string email;
    std::string name;
    bool is_active = true;
};
CTORM_TABLE(users, User, (id, primary_key), (email, varchar<255>, unique), (name, varchar<100>),
            (is_active, default_value(true)));

struct Post {
    std::int64_t id{};
    std::int64_t author_id{};
    std::string title;
    std::string body;
};
CTORM_TABLE(posts, Post, (id, primary_key), (author_id, references(users.id).on_delete(cascade)),
            (title, varchar<200>), (body));

// The schema revision r1 made, before users.is_active.
namespace blog_r1 {
struct User {
    std::int64_t id{};
    std::string email;
    std::string name;
};
CTORM_TABLE(users, User, (id, primary_key), (email, varchar<255>, unique), (name, varchar<100>));
}  // namespace blog_r1

// The migrations, for dialect D (their operations carry its type names).
template <class D>
m::registry blog_migrations() {
    using ops = std::vector<m::operation>;
    auto table = [](const auto& t) { return m::schema_of<D>(t).tables.front(); };
    const m::table_schema users_r1 = table(blog_r1::users), posts_r1 = table(posts);
    const m::column_schema is_active = *table(users).find_column("is_active");
    return m::registry({
        {"r1",
         {},
         "create users and posts",
         [=] {
             return ops{m::add_table{users_r1}, m::add_table{posts_r1}};
         },
         [=] {
             return ops{m::drop_table{posts_r1}, m::drop_table{users_r1}};
         }},
        {"r2",
         {"r1"},
         "users.is_active",
         [=] {
             return ops{m::add_column{"users", is_active}};
         },
         [=] {
             return ops{m::drop_column{"users", is_active}};
         }},
    });
}

namespace {

const auto migrations = [](auto dialect) { return blog_migrations<decltype(dialect)>(); };

int command(const std::vector<std::string>& args) {
    std::cout << "$ migrate_blog";
    for (const std::string& a : args) std::cout << ' ' << a;
    std::cout << '\n';
    return m::run_command(args, std::cout, std::cerr, migrations, users, posts);
}

// The workflow, on a fresh blog.db.
int walk_through() {
    const std::string url = "--url=sqlite:///blog.db";
    if (command({url, "upgrade", "head"}) != 0 || command({url, "current"}) != 0) return 1;
    const int up_to_date = command({url, "check"});
    if (command({url, "downgrade", "-1"}) != 0) return 1;
    const int behind = command({url, "check"});
    if (command({url, "upgrade", "--sql", "r1:head"}) != 0 || command({url, "upgrade"}) != 0) return 1;
    if (command({url, "history"}) != 0) return 1;
    std::cout << "migrate_blog: check says " << up_to_date << ", then " << behind << " after downgrade -1\n";
    return up_to_date == 0 && behind == 1 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 1) return walk_through();
    return m::main(argc, argv, migrations, users, posts);
}
