// The repository pattern from the SQLAlchemy guides (a generic repository of
// one model, and a user repository that adds get_by_email), on ctorm's
// session: create, get by id and by email, update, remove, count, exists and
// paging. Each call prints the SQL it sends, so you can see that a get of an
// object the session holds sends nothing, that create is one INSERT and that
// update sends only the columns that changed.
//
//   repository                      SQLite, the file repository.db in the working directory
//   repository postgresql://...     PostgreSQL (or set CTORM_PG_URL); any address
//                                   ctorm::create_engine takes, the backend chosen at run time
//
// A repository flushes what it writes and never commits: the caller decides
// where the transaction ends (s.commit()), so the calls below that belong
// together are one unit of work.
// expect-output: repository on SQLite: 5 users created, 1 removed, 4 left; pages of 3 and 1, every user once
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <ctorm/engine/create_engine.hpp>
#include <ctorm/orm.hpp>

struct User {
    std::int64_t id{};
    std::string email;
    std::string name;
    bool is_active = true;
    ctorm::timestamp created_at{};
};

struct Post {
    std::int64_t id{};
    std::string title;
    std::int64_t author_id{};
};

CTORM_TABLE(users, User,
            (id, primary_key),
            (email, varchar<255>, unique, index),
            (name, varchar<100>),
            (is_active, default_value(true)),
            (created_at, server_default(now())));

CTORM_TABLE(posts, Post,
            (id, primary_key),
            (title, varchar<200>),
            (author_id, references(users.id).on_delete(cascade), index));

// The guides' UserRepository: everything of repository<users>, and a query of
// its own. Session stays a parameter, so the one class serves every backend.
template <class Session>
class user_repository : public ctorm::repository<decltype(users), Session> {
public:
    explicit user_repository(Session& s) : ctorm::repository<decltype(users), Session>(s) {}

    // The user with this email, or an empty handle. Through the session, so
    // the object is the session's own (the one get_by_id returns).
    ctorm::handle<User> get_by_email(const std::string& email) {
        return this->session().first(select(users).where(users.email == email));
    }
};
template <class Session>
user_repository(Session&) -> user_repository<Session>;

namespace {

std::string describe(const ctorm::handle<User>& u) {
    if (!u) return "(none)";
    const User& user = u.get();
    return user.name + " <" + user.email + "> id " + std::to_string(user.id) + (user.is_active ? "" : ", inactive");
}

template <class Connection>
bool run(const std::string& backend, Connection& db) {
    db.drop_all(posts, users);
    db.create_all(users, posts);
    std::cout << "repository on " << backend << '\n';
    db.set_echo([](std::string_view sql) { std::cout << "      SQL: " << sql << '\n'; });

    ctorm::session s(db);
    user_repository people(s);
    ctorm::repository articles(s, posts);  // the generic repository, deduced from the table

    std::cout << "-- create five users: one INSERT each, the new id read back\n";
    std::vector<ctorm::handle<User>> created;
    for (const char* name : {"ann", "bob", "cid", "dee", "eve"})
        created.push_back(people.create(User{.email = std::string(name) + "@example.com", .name = name}));
    std::cout << "   " << describe(created.front()) << " ... " << describe(created.back()) << '\n';
    std::cout << "-- ann writes a post\n";
    articles.create(Post{.title = "Hello", .author_id = created.front()->id});
    s.commit();

    std::cout << "-- get_by_id(3): the session holds it, no SQL\n";
    auto cid = people.get_by_id(std::int64_t{3});
    std::cout << "   " << describe(cid) << '\n';

    std::cout << "-- get_by_email(\"dee@example.com\"): one SELECT, the same object as get_by_id(4)\n";
    auto dee = people.get_by_email("dee@example.com");
    std::cout << "   " << describe(dee) << (dee == people.get_by_id(std::int64_t{4}) ? ", the same object" : "")
              << '\n';

    std::cout << "-- update cid: only the columns that changed\n";
    people.update(cid, [](User& u) {
        u.name = "Cid Harper";
        u.is_active = false;
    });
    std::cout << "   " << describe(cid) << '\n';

    std::cout << "-- remove bob: one DELETE (his posts would go too: on_delete(cascade))\n";
    const std::int64_t bob_id = created[1].get().id;
    people.remove(created[1]);
    s.commit();
    const bool bob_exists = people.exists(bob_id);
    const auto bob_by_email = people.get_by_email("bob@example.com");
    std::cout << "   exists(" << bob_id << "): " << (bob_exists ? "true" : "false")
              << "; get_by_email(\"bob@example.com\"): " << describe(bob_by_email) << '\n';

    std::cout << "-- page through the users, three at a time, in id order\n";
    std::vector<std::size_t> page_sizes;
    std::vector<std::int64_t> seen;
    for (std::int64_t skip = 0;; skip += 3) {
        const auto page = people.get_all(skip, 3);
        if (page.empty()) break;
        page_sizes.push_back(page.size());
        std::cout << "   page " << page_sizes.size() << ':';
        for (const auto& u : page) {
            std::cout << ' ' << u.get().name;
            seen.push_back(u.get().id);
        }
        std::cout << '\n';
    }

    std::cout << "-- count the rows\n";
    const std::int64_t left = people.count();
    const std::int64_t post_count = articles.count();
    std::cout << "   users: " << left << ", posts: " << post_count << '\n';
    s.commit();
    db.set_echo(nullptr);

    const bool pages_ok = page_sizes == std::vector<std::size_t>{3, 1} && seen == std::vector<std::int64_t>{1, 3, 4, 5};
    const bool ok = created.size() == 5 && !bob_exists && left == 4 && post_count == 1 && pages_ok &&
                    db.scalar(select(users.name).where(users.id == 3)) == "Cid Harper";
    std::cout << "repository on " << backend << ": " << created.size() << " users created, 1 removed, " << left
              << " left; " << (pages_ok ? "pages of 3 and 1, every user once" : "PAGES WRONG")
              << (ok ? "" : " (UNEXPECTED RESULT)") << '\n';
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::string url = argc > 1 ? argv[1] : "";
        if (url.empty()) {
            if (const char* env = std::getenv("CTORM_PG_URL")) url = env;
        }
        // The address chooses the backend; run() is compiled for both.
        auto engine = ctorm::create_engine(url.empty() ? "sqlite:///repository.db" : url, {.pool_size = 1});
        const std::string backend = engine.backend() == ctorm::backend_kind::sqlite ? "SQLite" : "PostgreSQL";
        const bool ok = engine.run([&](auto& db) { return run(backend, db); });
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "repository: error: " << e.what() << '\n';
        return 1;
    }
}
