// expect: ctorm: joinedload needs a backend whose cursor reads a part of a row
// Rule: joinedload decodes the owner's and the target's columns from one row,
// so the backend's cursor must have read_columns<First, Slots>(row); a backend
// without it still runs selectinload (the positive twin).
#include <ctorm/ctorm.hpp>
#include <ctorm/engine/connection.hpp>
#include <ctorm/engine/statement_cache.hpp>
#include <ctorm/orm.hpp>

#include <cstdint>
#include <string>
#include <string_view>

// A backend with every primitive and a cursor that reads whole rows only.
struct whole_row_backend {
    using dialect = ctorm::sqlite_dialect;
    enum class transaction_options { plain };
    static constexpr bool binds_by_reference = false;
    static std::string_view begin_text(transaction_options) noexcept { return "BEGIN"; }
    void run_script(const std::string&) {}
    void run_script_noexcept(const std::string&) noexcept {}
    ctorm::execute_result script_result() const noexcept { return {}; }
    template <class Q>
    ctorm::execute_result run_command(const Q&) {
        return {};
    }
    bool in_transaction() const noexcept { return false; }
    ctorm::detail::statement_cache<int, int>& cache() noexcept { return cache_; }
    const ctorm::detail::statement_cache<int, int>& cache() const noexcept { return cache_; }
    void* native_handle() const noexcept { return nullptr; }
    template <class Q>
    struct cursor {
        cursor(whole_row_backend&, const Q&) {}
        cursor(whole_row_backend&, const Q&, ctorm::detail::streaming_t) {}
        bool step() { return false; }
        template <class Row>
        void read(Row&) {}
    };
    ctorm::detail::statement_cache<int, int> cache_;
};

struct Author {
    std::int64_t id{};
    std::string name;
};
struct Book {
    std::int64_t id{};
    std::int64_t author_id{};
    std::string title;
};
CTORM_TABLE(authors, Author, (id, primary_key), (name));
CTORM_TABLE(books, Book, (id, primary_key), (author_id, references(authors.id)), (title));
inline constexpr auto author_books = ctorm::one_to_many<"books">(authors, books.author_id);

std::size_t load(ctorm::basic_connection<whole_row_backend>& db) {
    ctorm::session s(db);
#ifdef CTORM_COMPILE_FAIL
    return s.all(select(authors), ctorm::joinedload(author_books)).size();
#else
    return s.all(select(authors), ctorm::selectinload(author_books)).size();
#endif
}
