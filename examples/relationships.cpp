// The relationship scenarios of the SQLAlchemy guides on ctorm's session: a blog whose users own
// their posts (cascade "all, delete-orphan", loaded with selectinload and joinedload), books and
// tags (many-to-many through book_tags), a category tree (children and parent from one foreign
// key, and WITH RECURSIVE over the same table), and the project tracker's "a user's active
// projects with their tasks, newest first".
//
//   relationships                      SQLite, the file relationships.db in the working directory
//   relationships postgresql://...     PostgreSQL (or set CTORM_PG_URL)
//
// Every step prints the SQL it sends and checks how many statements that was: loading is always a
// call whose name says it loads (s.all, s.load), never the reading of a result. A loop over the
// users that read r.get(user_posts, u) from a query without selectinload(user_posts) would not
// compile, so the N+1 pattern cannot slip in unnoticed.
// expect-output: relationships on SQLite: blog 3 users 6 posts, 2 books tagged c\+\+, 7 categories under Science, 2 active projects with 5 tasks; every statement count as expected
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <ctorm/ctorm.hpp>
#include <ctorm/engine/create_engine.hpp>
#include <ctorm/orm.hpp>

// --- the blog: users own their posts ----------------------------------------------------------

namespace blog {

struct User {
    std::int64_t id{};
    std::string email;
    std::string name;
};
struct Post {
    std::int64_t id{};
    std::int64_t author_id{};
    std::string title;
};

CTORM_TABLE(users, User, (id, primary_key), (email, varchar<255>, unique), (name, varchar<100>));
CTORM_TABLE(posts, Post, (id, primary_key), (author_id, references(users.id).on_delete(cascade), index),
            (title, varchar<200>));

// users.posts and posts.author: the two directions of posts.author_id.
inline constexpr auto user_posts = ctorm::one_to_many<"posts">(users, posts.author_id);
inline constexpr auto post_author = ctorm::many_to_one<"author">(posts.author_id);
CTORM_BACK_POPULATES(user_posts, post_author);
// SQLAlchemy's relationship(cascade="all, delete-orphan"): a new post appended to a user is
// inserted with it, a post taken out of a user's collection is deleted, and so are a removed
// user's posts.
CTORM_CASCADES(users, ctorm::cascade<"all, delete-orphan">(user_posts));

}  // namespace blog

// --- books and tags: many-to-many through an association table --------------------------------

namespace shelf {

struct Book {
    std::int64_t id{};
    std::string title;
};
struct Tag {
    std::int64_t id{};
    std::string name;
};
struct BookTag {
    std::int64_t book_id{};
    std::int64_t tag_id{};
};

CTORM_TABLE(books, Book, (id, primary_key), (title, varchar<200>));
CTORM_TABLE(tags, Tag, (id, primary_key), (name, varchar<50>, unique));
CTORM_TABLE(book_tags, BookTag, (book_id, references(books.id).on_delete(cascade)),
            (tag_id, references(tags.id).on_delete(cascade), index));
CTORM_TABLE_CONSTRAINTS(book_tags, primary_key(book_tags.book_id, book_tags.tag_id));

// books.tags and tags.books: the same two columns of book_tags, each way round.
inline constexpr auto book_tag_list = ctorm::many_to_many<"tags">(book_tags.book_id, book_tags.tag_id);
inline constexpr auto tag_books = ctorm::many_to_many<"books">(book_tags.tag_id, book_tags.book_id);
// Appending a new Tag{...} to a book inserts the tag too.
CTORM_CASCADES(books, ctorm::cascade<"save-update">(book_tag_list));

}  // namespace shelf

// --- the category tree: a table that references itself ----------------------------------------

namespace tree {

struct Category {
    std::int64_t id{};
    std::optional<std::int64_t> parent_id{};  // NULL at the roots
    std::string name;
};

CTORM_TABLE(categories, Category, (id, primary_key),
            (parent_id, references(categories.id).on_delete(cascade), index), (name, varchar<100>));

// SQLAlchemy's children / parent with remote_side: both from categories.parent_id.
inline constexpr auto children = ctorm::one_to_many<"children">(categories, categories.parent_id);
inline constexpr auto parent = ctorm::many_to_one<"parent">(categories.parent_id);
// New children go in with their parent; a removed category's subtree goes through the database's
// ON DELETE CASCADE (one statement could not go down the levels).
CTORM_CASCADES(categories, ctorm::cascade<"all, passive-deletes">(children));

}  // namespace tree

// --- the project tracker ------------------------------------------------------------------------

namespace tracker {

struct Project {
    std::int64_t id{};
    std::int64_t owner_id{};
    std::string name;
    bool is_active = true;
    ctorm::timestamp created_at{};
};
struct Task {
    std::int64_t id{};
    std::int64_t project_id{};
    std::string title;
    bool done = false;
};

CTORM_TABLE(projects, Project, (id, primary_key), (owner_id, references(blog::users.id).on_delete(cascade), index),
            (name, varchar<100>), (is_active, default_value(true)), (created_at));
CTORM_TABLE(tasks, Task, (id, primary_key), (project_id, references(projects.id).on_delete(cascade), index),
            (title, varchar<200>), (done, default_value(false)));

inline constexpr auto project_tasks = ctorm::one_to_many<"tasks">(projects, tasks.project_id);
CTORM_CASCADES(projects, ctorm::cascade<"all, delete-orphan">(project_tasks));

}  // namespace tracker

using namespace blog;
using namespace shelf;
using namespace tree;
using namespace tracker;

namespace {

// The statements a step sends: printed as they go, counted, and compared with what the step says.
struct statement_counter {
    std::size_t sent = 0;
    bool all_as_expected = true;

    template <class Connection>
    void attach(Connection& db) {
        db.set_echo([this](std::string_view sql) {
            if (sql == "BEGIN" || sql == "COMMIT" || sql == "ROLLBACK") return;  // counted as the step's own
            ++sent;
            std::cout << "      SQL: " << sql << '\n';
        });
    }
    // Starts a step that should send `expected` statements (BEGIN / COMMIT aside).
    void step(std::string_view what, std::size_t expected) {
        std::cout << "-- " << what << " (" << expected << (expected == 1 ? " statement" : " statements") << ")\n";
        expected_ = expected;
        sent = 0;
    }
    // Ends the step: reports a count that is not the one announced.
    void check() {
        if (sent == expected_) return;
        all_as_expected = false;
        std::cout << "   UNEXPECTED: " << sent << " statements, not " << expected_ << '\n';
    }

private:
    std::size_t expected_ = 0;
};

ctorm::timestamp on_day(int day_of_month) {
    using namespace std::chrono;
    return ctorm::timestamp{sys_days{year{2026} / December / std::chrono::day{static_cast<unsigned>(day_of_month)}}};
}

struct figures {
    std::size_t users = 0, posts = 0, cpp_books = 0, under_science = 0, active_projects = 0, their_tasks = 0;
};

template <class Session>
void blog_scenario(Session& s, statement_counter& sql, figures& out) {
    sql.step("ann with two posts and bob with one: each user's INSERT, then its posts with its new id", 5);
    auto ann = s.add(users, User{.email = "ann@example.com", .name = "Ann"});
    s.append(ann, user_posts, Post{.title = "Hello, world"});
    s.append(ann, user_posts, Post{.title = "Relationships in C++"});
    auto bob = s.add(users, User{.email = "bob@example.com", .name = "Bob"});
    auto bobs_post = s.append(bob, user_posts, Post{.title = "Bob's first post"});
    s.flush();
    sql.check();
    std::cout << "   ann is user " << ann->id << ", bob's post " << bobs_post->id << " has author_id "
              << bobs_post->author_id << '\n';
    s.commit();

    sql.step("cid, with three posts added to him in one go", 4);
    auto cid = s.add(users, User{.email = "cid@example.com", .name = "Cid"});
    for (const char* title : {"Notes", "More notes", "Last notes"}) s.append(cid, user_posts, Post{.title = title});
    s.commit();
    sql.check();

    sql.step("every user with their posts: selectinload, the users then one IN (...) for their posts", 2);
    const auto everyone = select(users).order_by(users.id);
    auto r = s.all(everyone, ctorm::selectinload(user_posts));
    sql.check();
    sql.step("reading the posts and each post's author (back_populates gave it)", 0);
    std::size_t post_total = 0;
    for (const auto& u : r) {
        std::cout << "   " << u->name << ':';
        for (const auto& p : r.get(user_posts, u)) {
            std::cout << " \"" << p->title << '"' << (r.get(post_author, p) == u ? "" : " (WRONG AUTHOR)");
            ++post_total;
        }
        std::cout << '\n';
    }
    sql.check();

    sql.step("the same with joinedload: one statement, LEFT OUTER JOIN, each user once", 1);
    auto joined = s.all(everyone, ctorm::joinedload(user_posts));
    sql.check();
    if (joined.size() != r.size() || joined.get(user_posts, joined[0]).size() != 2) {
        std::cout << "   UNEXPECTED: joinedload gave other rows than selectinload\n";
        sql.all_as_expected = false;
    }

    sql.step("cid's posts, loaded explicitly (the one call that loads one parent's collection)", 1);
    const auto cids_posts = s.load(cid, user_posts);
    sql.check();

    sql.step("a post taken out of cid's collection: delete-orphan deletes it", 1);
    s.remove_from(cid, user_posts, cids_posts.back());
    s.flush();
    sql.check();

    sql.step("bob removed: his posts with one DELETE, then bob", 2);
    s.remove(bob);
    s.commit();
    sql.check();

    out.users = r.size();
    out.posts = post_total;
    const std::int64_t users_left = s.connection().scalar(select(ctorm::count()).from(users));
    const std::int64_t posts_left = s.connection().scalar(select(ctorm::count()).from(posts));
    std::cout << "   left: " << users_left << " users, " << posts_left << " posts\n";
    if (users_left != 2 || posts_left != 4) sql.all_as_expected = false;
}

template <class Session>
void shelf_scenario(Session& s, statement_counter& sql, figures& out) {
    sql.step("three books, three tags, five links: the objects first, the association rows last", 11);
    auto cpp = s.add(tags, Tag{.name = "c++"});
    auto db_tag = s.add(tags, Tag{.name = "databases"});
    auto primer = s.add(books, Book{.title = "C++ Primer"});
    auto ddia = s.add(books, Book{.title = "Designing Data-Intensive Applications"});
    auto orm = s.add(books, Book{.title = "Object-relational mapping in C++"});
    s.append(primer, book_tag_list, cpp);
    s.append(ddia, book_tag_list, db_tag);
    s.append(orm, book_tag_list, cpp);
    s.append(orm, book_tag_list, db_tag);
    s.append(orm, book_tag_list, Tag{.name = "orm"});  // a new tag: save-update inserts it
    s.commit();
    sql.check();

    sql.step("every book with its tags: the books, then the tags joined to book_tags", 2);
    auto r = s.all(select(books).order_by(books.id), ctorm::selectinload(book_tag_list));
    sql.check();
    for (const auto& b : r) {
        std::cout << "   " << b->title << ':';
        for (const auto& t : r.get(book_tag_list, b)) std::cout << ' ' << t->name;
        std::cout << '\n';
    }

    sql.step("the books tagged c++: WHERE EXISTS through book_tags", 1);
    const auto tagged = s.all(select(books).where(ctorm::any(book_tag_list, tags.name == "c++")).order_by(books.id));
    sql.check();
    out.cpp_books = tagged.size();

    sql.step("the other way round: each tag with its books", 2);
    auto by_tag = s.all(select(tags).order_by(tags.name), ctorm::selectinload(tag_books));
    sql.check();
    for (const auto& t : by_tag) std::cout << "   " << t->name << ": " << by_tag.get(tag_books, t).size() << " books\n";

    sql.step("\"databases\" taken off the ORM book: its association row is deleted, the tag stays", 1);
    s.remove_from(orm, book_tag_list, db_tag);
    s.commit();
    sql.check();
}

template <class Session>
void tree_scenario(Session& s, statement_counter& sql, figures& out) {
    sql.step("Science > Physics > (Optics, Mechanics), Science > Biology > (Genetics, Ecology, Botany)", 8);
    auto science = s.add(categories, Category{.name = "Science"});
    auto physics = s.append(science, children, Category{.name = "Physics"});
    auto biology = s.append(science, children, Category{.name = "Biology"});
    for (const char* name : {"Optics", "Mechanics"}) s.append(physics, children, Category{.name = name});
    for (const char* name : {"Genetics", "Ecology", "Botany"}) s.append(biology, children, Category{.name = name});
    s.commit();
    sql.check();

    sql.step("the roots and two levels below them: a statement per level", 3);
    auto r = s.all(select(categories).where(categories.parent_id.is_null()),
                   ctorm::selectinload(children).selectinload(children));
    sql.check();
    for (const auto& root : r) {
        std::cout << "   " << root->name << '\n';
        for (const auto& child : r.get(children, root)) {
            std::cout << "     " << child->name << ':';
            for (const auto& leaf : r.get(children, child)) std::cout << ' ' << leaf->name;
            std::cout << '\n';
        }
    }

    sql.step("Optics, found by name", 1);
    const auto optics = s.first(select(categories).where(categories.name == "Optics"));
    sql.check();
    sql.step("its parent, loaded explicitly: the session's Physics object", 1);
    const auto optics_parent = s.load(optics, parent);
    sql.check();
    if (optics_parent != physics) {
        std::cout << "   UNEXPECTED: Optics' parent is not Physics\n";
        sql.all_as_expected = false;
    }

    sql.step("everything under Science, however deep: WITH RECURSIVE over the same table", 1);
    const std::int64_t root_id = science->id;
    const auto level =
        ctorm::cte<"tree">(select(categories.id, categories.name).where(categories.parent_id == root_id));
    const auto whole =
        level.union_all(select(categories.id, categories.name).join(level, categories.parent_id == level.c<"id">()));
    const auto below = ctorm::with_(whole, select(whole.c<"name">()).order_by(whole.c<"name">()));
    const std::vector<std::string> names = s.connection().all(below);
    sql.check();
    std::cout << "  ";
    for (const auto& name : names) std::cout << ' ' << name;
    std::cout << '\n';
    out.under_science = names.size();

    sql.step("Biology removed: one DELETE, its children go by ON DELETE CASCADE (passive-deletes)", 1);
    s.remove(biology);
    s.commit();
    sql.check();
    const std::int64_t left = s.connection().scalar(select(ctorm::count()).from(categories));
    std::cout << "   " << left << " categories left\n";
    if (left != 4) sql.all_as_expected = false;
}

template <class Session>
void tracker_scenario(Session& s, statement_counter& sql, figures& out) {
    const auto ann = s.first(select(users).where(users.email == "ann@example.com"));
    sql.step("three projects of ann's, one archived, with five tasks", 8);
    auto site = s.add(projects, Project{.owner_id = ann->id, .name = "Web site", .created_at = on_day(1)});
    auto app = s.add(projects, Project{.owner_id = ann->id, .name = "Mobile app", .created_at = on_day(3)});
    auto old =
        s.add(projects, Project{.owner_id = ann->id, .name = "Old site", .is_active = false, .created_at = on_day(2)});
    s.append(site, project_tasks, Task{.title = "Design", .done = true});
    s.append(site, project_tasks, Task{.title = "Build"});
    s.append(app, project_tasks, Task{.title = "Prototype", .done = true});
    s.append(app, project_tasks, Task{.title = "Ship"});
    s.append(app, project_tasks, Task{.title = "Celebrate"});
    (void)old;
    s.commit();
    sql.check();

    sql.step("ann's active projects with their tasks, newest first", 2);
    const auto active =
        select(projects).where(projects.owner_id == ann->id && projects.is_active).order_by(projects.created_at.desc());
    auto r = s.all(active, ctorm::selectinload(project_tasks));
    sql.check();
    for (const auto& p : r) {
        const auto& todo = r.get(project_tasks, p);
        std::cout << "   " << p->name << ':';
        for (const auto& t : todo) std::cout << ' ' << t->title << (t->done ? " (done)" : "");
        std::cout << '\n';
        out.their_tasks += todo.size();
    }
    out.active_projects = r.size();
    if (r.size() != 2 || r[0]->name != "Mobile app") sql.all_as_expected = false;
}

template <class Connection>
bool run(const std::string& backend, Connection& db) {
    db.drop_all(tasks, projects, categories, book_tags, tags, books, posts, users);
    db.create_all(users, posts, books, tags, book_tags, categories, projects, tasks);
    std::cout << "relationships on " << backend << '\n';

    statement_counter sql;
    sql.attach(db);
    figures out;
    {
        ctorm::session s(db);
        std::cout << "\n== the blog\n";
        blog_scenario(s, sql, out);
        std::cout << "\n== books and tags\n";
        shelf_scenario(s, sql, out);
        std::cout << "\n== the category tree\n";
        tree_scenario(s, sql, out);
        std::cout << "\n== the project tracker\n";
        tracker_scenario(s, sql, out);
    }
    db.set_echo(nullptr);

    const bool ok = sql.all_as_expected && out.users == 3 && out.posts == 6 && out.cpp_books == 2 &&
                    out.under_science == 7 && out.active_projects == 2 && out.their_tasks == 5;
    std::cout << "\nrelationships on " << backend << ": blog " << out.users << " users " << out.posts << " posts, "
              << out.cpp_books << " books tagged c++, " << out.under_science << " categories under Science, "
              << out.active_projects << " active projects with " << out.their_tasks << " tasks; "
              << (ok ? "every statement count as expected" : "UNEXPECTED RESULTS (see above)") << '\n';
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::string url = argc > 1 ? argv[1] : "";
        if (url.empty()) {
            if (const char* env = std::getenv("CTORM_PG_URL")) url = env;
        }
        auto engine = ctorm::create_engine(url.empty() ? "sqlite:///relationships.db" : url, {.pool_size = 1});
        const std::string backend = engine.backend() == ctorm::backend_kind::sqlite ? "SQLite" : "PostgreSQL";
        const bool ok = engine.run([&](auto& db) { return run(backend, db); });
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "relationships: error: " << e.what() << '\n';
        return 1;
    }
}
