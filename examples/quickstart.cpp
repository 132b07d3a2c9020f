// The blog of the SQLAlchemy guides with ctorm on an embedded SQLite file:
// schema, inserts one by one and in bulk, queries, a bulk update and a delete.
// expect-output: ctorm quickstart: finished, 4 users and 2 posts left
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <ctorm/sqlite.hpp>

// Models are plain structs.
struct User {
    std::int64_t id{};
    std::string email{};
    std::string name{};
    bool is_active = true;
    ctorm::timestamp created_at{};
};

struct Post {
    std::int64_t id{};
    std::string title{};
    std::string content{};
    std::int64_t author_id{};
    std::int32_t views = 0;
    std::optional<ctorm::timestamp> published_at{};  // std::optional: a nullable column
};

// One declaration per table: the columns become typed members (users.email).
CTORM_TABLE(users, User,
            (id, primary_key),
            (email, varchar<255>, unique, index),
            (name, varchar<100>),
            (is_active, default_value(true)),
            (created_at, server_default(now())));

CTORM_TABLE(posts, Post,
            (id, primary_key),
            (title, varchar<200>),
            (content, text),
            (author_id, references(users.id).on_delete(cascade), index),
            (views, default_value(0)),
            (published_at));

using namespace ctorm;

namespace {

// Prints a step and the SQL text the compiler rendered for its statement.
template <class Statement>
void show(std::string_view what, const Statement& statement) {
    std::cout << "\n-- " << what << "\n   " << to_sql<sqlite_dialect>(statement) << '\n';
}

}  // namespace

int main() {
    auto db = sqlite::connect("sqlite:///blog.db");

    // Start from an empty schema each run. create_all orders tables by their
    // foreign keys, whatever order they are given in.
    db.drop_all(users, posts);
    show("create_all(users, posts): users", create_table(users));
    show("create_all(users, posts): posts", create_table(posts));
    db.create_all(posts, users);

    // Insert one user; id, is_active and created_at come from the database,
    // and RETURNING hands back the new id (on SQLite and PostgreSQL alike).
    const User ann{.email = "ann@example.com", .name = "Ann"};
    auto add_ann = insert(users).values(ann).returning(users.id);
    show("insert one user", add_ann);
    const std::int64_t ann_id = db.scalar(add_ann);
    std::cout << "   -> Ann has id " << ann_id << '\n';

    // Insert several users at once: one prepared statement, one transaction.
    const std::vector<User> newcomers{
        {.email = "bob@example.com", .name = "Bob"},
        {.email = "cleo@example.com", .name = "Cleo"},
        {.email = "dan@old.example", .name = "Dan"},
        {.email = "eve@old.example", .name = "Eve", .is_active = false},
    };
    auto add_newcomers = insert(users).values(newcomers);
    show("insert users in bulk", add_newcomers);
    std::cout << "   -> " << db.execute(add_newcomers).rows_affected << " users inserted\n";

    // Insert a post by naming its columns; views and published_at take their defaults.
    auto first_post =
        insert(posts).values(posts.title = "Hello", posts.content = "My first post", posts.author_id = ann_id);
    show("insert one post by columns", first_post);
    db.execute(first_post);

    const std::vector<Post> more_posts{
        {.title = "Compile-time SQL", .content = "...", .author_id = ann_id, .views = 42},
        {.title = "Bulk inserts", .content = "...", .author_id = ann_id, .views = 7},
        {.title = "Old news", .content = "...", .author_id = 4, .views = 0},
        {.title = "Draft", .content = "...", .author_id = 2},
    };
    db.execute(insert(posts).values(more_posts));
    std::cout << "   -> " << more_posts.size() << " more posts inserted in bulk\n";

    // A user by email: std::optional, empty when there is none.
    auto by_email = select(users).where(users.email == "bob@example.com");
    show("a user by email", by_email);
    if (std::optional<User> bob = db.one_or_none(by_email))
        std::cout << "   -> found " << bob->name << " (id " << bob->id << ")\n";

    // Active users, newest first, at most 10.
    auto active = select(users).where(users.is_active).order_by(users.created_at.desc(), users.id.desc()).limit(10);
    show("active users, newest first", active);
    for (const User& u : db.all(active)) std::cout << "   -> " << u.id << ' ' << u.name << " <" << u.email << ">\n";

    // Selected columns, unpacked with structured bindings while the rows stream in.
    auto popular = select(posts.title, posts.views).where(posts.views > 5).order_by(posts.views.desc());
    show("popular posts (two columns)", popular);
    for (auto [title, views] : db.execute(popular)) std::cout << "   -> " << title << ": " << views << " views\n";

    // A count.
    auto active_count = select(count()).from(users).where(users.is_active);
    show("how many users are active", active_count);
    std::cout << "   -> " << db.scalar(active_count) << " active users\n";

    // Deactivate everyone on the old domain in one statement.
    auto retire = update(users).set(users.is_active = false).where(users.email.like("%@old.example"));
    show("bulk update", retire);
    std::cout << "   -> " << db.execute(retire).rows_affected << " users deactivated\n";

    // Delete posts nobody read; then the inactive users (their posts go by ON DELETE CASCADE).
    auto unread = delete_from(posts).where(posts.views == 0 && posts.published_at.is_null());
    show("delete unread drafts", unread);
    std::cout << "   -> " << db.execute(unread).rows_affected << " posts deleted\n";

    auto leave = delete_from(users).where(!users.is_active && users.email.ilike("EVE@%"));
    show("delete an inactive user", leave);
    std::cout << "   -> " << db.execute(leave).rows_affected << " user deleted\n";

    const auto users_left = db.scalar(select(count()).from(users));
    const auto posts_left = db.scalar(select(count()).from(posts));
    std::cout << "\nctorm quickstart: finished, " << users_left << " users and " << posts_left << " posts left\n";
}
