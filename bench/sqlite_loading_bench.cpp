// SQLite: loading a one-to-many relationship through the session against
// hand-written C-API code that runs the same statements and assembles the
// same objects, in one process (issue 15's benchmark).
//
//   sqlite_loading_bench --db memory|file [--dir DIR] [--case R1,R2,R3] [--side ctorm|raw] [--rows N] [--quick]
//
// The data: --rows authors (default 1,000), each with 20 articles.
// R1   selectinload: s.all(select(authors), selectinload(author_articles)),
//      then every author and each of its articles read through the result;
//      raw: the authors' SELECT into a vector, then the articles' SELECT per
//      batch of 500 authors' keys (the text ctorm renders: IN over
//      json_each(?), the keys bound as one JSON array), each article
//      appended to its author's vector, then the same reading.
// R2   N+1, the thing selectinload prevents: the authors, then one SELECT of
//      articles per author; through the session (a query per author) and raw
//      (a prepared statement stepped per author). Compare with R1.
// R3   joinedload: s.all(select(authors), joinedload(author_articles)), one
//      statement (authors LEFT OUTER JOIN articles, the text ctorm renders),
//      then the same reading; raw: that statement stepped once, a new author
//      appended when the row's author id changes, its article (when the
//      article columns are not NULL) appended to it.
//
// Both sides open their connection with SQLITE_OPEN_NOMUTEX, as ctorm does,
// and each has its own database with the same rows.
#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

#include "harness.hpp"

namespace bench {

struct Author {
    std::int64_t id{};
    std::string name;
    std::string email;
};

struct Article {
    std::int64_t id{};
    std::int64_t author_id{};
    std::string title;
    std::string body;
    std::int32_t views{};
};

CTORM_TABLE(authors, Author,
            (id, primary_key),
            (name, text),
            (email, text));

CTORM_TABLE(articles, Article,
            (id, primary_key),
            (author_id, references(authors.id), index),
            (title, text),
            (body, text),
            (views));

inline constexpr auto author_articles = ctorm::one_to_many<"articles">(authors, articles.author_id);

}  // namespace bench

namespace {

using bench::Article;
using bench::articles;
using bench::Author;
using bench::authors;

constexpr std::size_t articles_per_author = 20;

[[noreturn]] void fail(sqlite3* db, const char* what) {
    throw std::runtime_error(std::string("raw sqlite: ") + what + ": " + sqlite3_errmsg(db));
}

std::uint64_t mix(std::uint64_t h, std::string_view s) {
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
    return h;
}
std::uint64_t digest(const Author& a) {
    return mix(static_cast<std::uint64_t>(a.id) * 0x9E3779B97F4A7C15ull, a.name) + a.email.size();
}
std::uint64_t digest(const Article& p) {
    return mix(static_cast<std::uint64_t>(p.id) * 31u + static_cast<std::uint64_t>(p.author_id), p.title) +
           p.body.size() + static_cast<std::uint64_t>(p.views);
}

// What both sides compute from what they loaded: every author, and its
// articles in order (a position-weighted sum, so order and ownership count).
template <class Each>
std::uint64_t digest_tree(std::size_t authors_count, Each&& each) {
    std::uint64_t h = authors_count;
    for (std::size_t i = 0; i < authors_count; ++i) h += each(i);
    return h;
}

// The texts ctorm renders, so that both sides ask SQLite for the same work.
const std::string& authors_sql() {
    static const std::string sql(ctorm::to_sql<ctorm::sqlite_dialect, decltype(ctorm::select(authors))>());
    return sql;
}
const std::string& selectin_sql() {
    static const std::string sql(
        ctorm::to_sql<ctorm::sqlite_dialect,
                      ctorm::detail::selectin_query_t<std::remove_cvref_t<decltype(bench::author_articles)>>>());
    return sql;
}
const std::string& per_author_sql() {
    static const std::string sql(
        ctorm::to_sql<
            ctorm::sqlite_dialect,
            decltype(ctorm::select(articles).where(articles.author_id == std::int64_t{}).order_by(articles.id))>());
    return sql;
}

const std::string& joined_sql() {
    static const std::string sql(
        ctorm::to_sql<ctorm::sqlite_dialect>(ctorm::joinedload_select(ctorm::select(authors), bench::author_articles)));
    return sql;
}

// --- the raw side: what a careful C-API programmer writes ---------------------

struct raw_author {
    Author author;
    std::vector<Article> articles;
};

class raw_database {
public:
    raw_database(const std::string& path, bool wal) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                            nullptr) != SQLITE_OK)
            fail(db_, "open");
        if (wal) exec("PRAGMA journal_mode = wal");
    }
    raw_database(const raw_database&) = delete;
    raw_database& operator=(const raw_database&) = delete;
    ~raw_database() {
        for (sqlite3_stmt* s : {authors_, selectin_, per_author_, joined_}) sqlite3_finalize(s);
        sqlite3_close_v2(db_);
    }

    sqlite3* handle() const { return db_; }

    void exec(const char* sql) {
        if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(db_, sql);
    }

    // Prepared on first use and kept, as ctorm's statement cache does.
    sqlite3_stmt* statement(sqlite3_stmt*& slot, const std::string& sql) {
        if (!slot && sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &slot, nullptr) != SQLITE_OK)
            fail(db_, sql.c_str());
        return slot;
    }

    static void read_text(sqlite3_stmt* s, int column, std::string& out) {
        out.assign(reinterpret_cast<const char*>(sqlite3_column_text(s, column)),
                   static_cast<std::size_t>(sqlite3_column_bytes(s, column)));
    }
    static void read_article(sqlite3_stmt* s, Article& p) {
        p.id = sqlite3_column_int64(s, 0);
        p.author_id = sqlite3_column_int64(s, 1);
        read_text(s, 2, p.title);
        read_text(s, 3, p.body);
        p.views = sqlite3_column_int(s, 4);
    }

    std::vector<raw_author> load_authors() {
        sqlite3_stmt* s = statement(authors_, authors_sql());
        std::vector<raw_author> out;
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            Author& a = out.emplace_back().author;
            a.id = sqlite3_column_int64(s, 0);
            read_text(s, 1, a.name);
            read_text(s, 2, a.email);
        }
        sqlite3_reset(s);
        if (rc != SQLITE_DONE) fail(db_, "step");
        return out;
    }

    // R1: the authors, then their articles per batch of 500 keys.
    std::vector<raw_author> selectin() {
        std::vector<raw_author> out = load_authors();
        std::unordered_map<std::int64_t, std::size_t> position;
        position.reserve(out.size());
        for (std::size_t i = 0; i < out.size(); ++i) position.emplace(out[i].author.id, i);
        sqlite3_stmt* s = statement(selectin_, selectin_sql());
        std::string keys;
        for (std::size_t start = 0; start < out.size(); start += ctorm::selectin_batch_size) {
            const std::size_t end = std::min(out.size(), start + ctorm::selectin_batch_size);
            keys.assign("[");
            for (std::size_t i = start; i < end; ++i) {
                if (i != start) keys += ',';
                keys += std::to_string(out[i].author.id);
            }
            keys += ']';
            if (sqlite3_bind_text(s, 1, keys.data(), static_cast<int>(keys.size()), SQLITE_STATIC) != SQLITE_OK)
                fail(db_, "bind");
            int rc;
            while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
                Article p;
                read_article(s, p);
                out[position.find(p.author_id)->second].articles.push_back(std::move(p));
            }
            sqlite3_reset(s);
            if (rc != SQLITE_DONE) fail(db_, "step");
        }
        return out;
    }

    // R2: the authors, then a SELECT of articles per author.
    std::vector<raw_author> n_plus_one() {
        std::vector<raw_author> out = load_authors();
        sqlite3_stmt* s = statement(per_author_, per_author_sql());
        for (raw_author& a : out) {
            if (sqlite3_bind_int64(s, 1, a.author.id) != SQLITE_OK) fail(db_, "bind");
            int rc;
            while ((rc = sqlite3_step(s)) == SQLITE_ROW) read_article(s, a.articles.emplace_back());
            sqlite3_reset(s);
            if (rc != SQLITE_DONE) fail(db_, "step");
        }
        return out;
    }

    // R3: one statement, the authors with their articles, ordered by author:
    // a new author when the id changes, an article when its columns are not NULL.
    std::vector<raw_author> joined() {
        sqlite3_stmt* s = statement(joined_, joined_sql());
        std::vector<raw_author> out;
        std::int64_t last = 0;
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            const std::int64_t id = sqlite3_column_int64(s, 0);
            if (out.empty() || id != last) {
                Author& a = out.emplace_back().author;
                a.id = id;
                read_text(s, 1, a.name);
                read_text(s, 2, a.email);
                last = id;
            }
            if (sqlite3_column_type(s, 3) == SQLITE_NULL) continue;
            Article& p = out.back().articles.emplace_back();
            p.id = sqlite3_column_int64(s, 3);
            p.author_id = sqlite3_column_int64(s, 4);
            read_text(s, 5, p.title);
            read_text(s, 6, p.body);
            p.views = sqlite3_column_int(s, 7);
        }
        sqlite3_reset(s);
        if (rc != SQLITE_DONE) fail(db_, "step");
        return out;
    }

private:
    sqlite3* db_ = nullptr;
    sqlite3_stmt* authors_ = nullptr;
    sqlite3_stmt* selectin_ = nullptr;
    sqlite3_stmt* per_author_ = nullptr;
    sqlite3_stmt* joined_ = nullptr;
};

std::uint64_t digest_raw(const std::vector<raw_author>& loaded) {
    return digest_tree(loaded.size(), [&](std::size_t i) {
        std::uint64_t h = digest(loaded[i].author);
        std::uint64_t k = 1;
        for (const Article& p : loaded[i].articles) h += digest(p) * k++;
        return h;
    });
}

constexpr const char* backend_help =
    "  --db memory|file   :memory: databases, or files in --dir with journal_mode=wal (default memory)\n"
    "  --dir DIR          where --db file puts its databases (default .)\n"
    "  (--rows N: authors, each with 20 articles; default 1000)\n";

int run(int argc, char** argv) {
    bool rows_set = false;
    for (int i = 1; i < argc; ++i) rows_set = rows_set || std::string_view(argv[i]) == "--rows";
    bench::options o = bench::parse_options(argc, argv, "--db", backend_help);
    if (!rows_set) o.rows = o.quick ? 100 : 1000;
    if (o.backend.empty()) o.backend = "memory";
    if (o.backend != "memory" && o.backend != "file")
        bench::usage(argv[0], "--db must be memory or file", backend_help);
    const bool wal = o.backend == "file";
    const std::string backend = wal ? "sqlite-file-wal" : "sqlite-memory";
    const bool with_ctorm = bench::wanted(o.sides, "ctorm");
    const bool with_raw = bench::wanted(o.sides, "raw");

    std::cout << "ctorm loading benchmark, SQLite " << sqlite3_libversion() << ", " << backend << ", " << o.rows
              << " authors x " << articles_per_author << " articles, " << o.reps << " timed reps after " << o.warmup
              << " warm-up, median reported\n";

    auto path_for = [&](const char* name) {
        if (!wal) return std::string(":memory:");
        const std::string path = o.dir + "/" + name;
        for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
        return path;
    };

    // The rows, inserted by ctorm into each side's database (untimed).
    std::vector<Author> author_rows;
    std::vector<Article> article_rows;
    for (std::size_t i = 0; i < o.rows; ++i) {
        const auto id = static_cast<std::int64_t>(i + 1);
        author_rows.push_back({id, "author " + std::to_string(i), "author" + std::to_string(i) + "@example.com"});
    }
    // Interleaved, as a blog's articles arrive: article j belongs to author j % N.
    for (std::size_t j = 0; j < o.rows * articles_per_author; ++j)
        article_rows.push_back({static_cast<std::int64_t>(j + 1), static_cast<std::int64_t>(j % o.rows + 1),
                                "article " + std::to_string(j), std::string(40 + j % 50, 'x'),
                                static_cast<std::int32_t>(j % 1000)});
    auto fill = [&](ctorm::sqlite::connection& c) {
        c.create_all(authors, articles);
        auto tx = c.begin();
        c.execute(ctorm::insert(authors).values(author_rows));
        c.execute(ctorm::insert(articles).values(article_rows));
        tx.commit();
    };

    std::unique_ptr<ctorm::sqlite::connection> db;
    std::unique_ptr<raw_database> raw;
    ctorm::sqlite::open_options options;
    if (wal) options.journal_mode = "wal";
    if (with_ctorm) {
        db = std::make_unique<ctorm::sqlite::connection>(path_for("loading-ctorm.db"), options);
        fill(*db);
    }
    if (with_raw) {
        // The same rows, copied from a database ctorm filled with the online backup API.
        raw = std::make_unique<raw_database>(path_for("loading-raw.db"), wal);
        ctorm::sqlite::connection source(":memory:");
        fill(source);
        sqlite3_backup* copy = sqlite3_backup_init(raw->handle(), "main", source.native_handle(), "main");
        if (!copy || sqlite3_backup_step(copy, -1) != SQLITE_DONE) fail(raw->handle(), "backup");
        if (sqlite3_backup_finish(copy) != SQLITE_OK) fail(raw->handle(), "backup");
    }

    std::vector<bench::case_result> results;
    auto add = [&](const std::string& id, const std::string& title, std::function<std::uint64_t()> ctorm_run,
                   std::function<std::uint64_t()> raw_run) {
        if (!bench::wanted(o.cases, id)) return;
        std::vector<bench::side> sides;
        if (with_ctorm) sides.push_back({"ctorm", {}, std::move(ctorm_run), {}});
        if (with_raw) sides.push_back({"raw", {}, std::move(raw_run), {}});
        results.push_back(bench::measure(id, title, backend, std::move(sides), o));
        std::cout << "." << std::flush;
    };

    const std::string sizes = std::to_string(o.rows) + " authors x " + std::to_string(articles_per_author);
    add(
        "R1", "selectinload: " + sizes + " articles (1 + ceil(N/500) statements)",
        [&] {
            ctorm::session s(*db);
            const auto loaded = s.all(ctorm::select(authors), ctorm::selectinload(bench::author_articles));
            return digest_tree(loaded.size(), [&](std::size_t i) {
                std::uint64_t h = digest(loaded[i].get());
                std::uint64_t k = 1;
                for (const auto& p : loaded.get(bench::author_articles, loaded[i])) h += digest(p.get()) * k++;
                return h;
            });
        },
        [&] { return digest_raw(raw->selectin()); });

    add(
        "R2", "N+1: " + sizes + " articles (1 + N statements)",
        [&] {
            ctorm::session s(*db);
            const auto loaded = s.all(ctorm::select(authors));
            return digest_tree(loaded.size(), [&](std::size_t i) {
                std::uint64_t h = digest(loaded[i].get());
                std::uint64_t k = 1;
                for (const auto& p : s.all(
                         ctorm::select(articles).where(articles.author_id == loaded[i].get().id).order_by(articles.id)))
                    h += digest(p.get()) * k++;
                return h;
            });
        },
        [&] { return digest_raw(raw->n_plus_one()); });

    add(
        "R3", "joinedload: " + sizes + " articles (1 statement, LEFT OUTER JOIN)",
        [&] {
            ctorm::session s(*db);
            const auto loaded = s.all(ctorm::select(authors), ctorm::joinedload(bench::author_articles));
            return digest_tree(loaded.size(), [&](std::size_t i) {
                std::uint64_t h = digest(loaded[i].get());
                std::uint64_t k = 1;
                for (const auto& p : loaded.get(bench::author_articles, loaded[i])) h += digest(p.get()) * k++;
                return h;
            });
        },
        [&] { return digest_raw(raw->joined()); });

    std::cout << "\n";
    return bench::report(results, o, std::cout) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "sqlite_loading_bench: " << e.what() << "\n";
        return 1;
    }
}
