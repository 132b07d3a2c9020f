// basic_connection<Backend>: the public API of every connection, written
// once over a backend's primitives (engine/concepts.hpp): the fetch API,
// streaming results, create_all / drop_all, transactions and savepoints,
// the all-or-nothing frame of bulk inserts, echo. sqlite::connection and
// postgres::connection are instances of it.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "ctorm/engine/concepts.hpp"
#include "ctorm/engine/echo.hpp"
#include "ctorm/engine/transaction.hpp"
#include "ctorm/errors.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/sql/ddl.hpp"
#include "ctorm/sql/dynamic.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm {

template <class Backend, class Statement>
class basic_result;

namespace detail {

// The text of a statement for error messages (cold paths only).
template <class D, class Q>
std::string statement_text(const Q& q) {
    if constexpr (is_dynamic_statement<Q>) return q.template sql<D>();
    else if constexpr (runtime_text_statement<Q>) return std::string(q.template sql<D>());
    else return std::string(to_sql<D, Q>());
}
// A row for read() to fill: a class type default-initialized, a scalar zero.
template <class Row>
Row unread_row() {
    if constexpr (std::is_class_v<Row>) {
        Row row;
        return row;
    } else {
        return Row{};
    }
}

template <class D, class Q>
[[noreturn, gnu::cold, gnu::noinline]] void throw_no_result(const Q& q) {
    throw no_result_found(statement_text<D>(q));
}
template <class D, class Q>
[[noreturn, gnu::cold, gnu::noinline]] void throw_multiple_results(const Q& q) {
    throw multiple_results_found(statement_text<D>(q));
}

}  // namespace detail

template <class Backend>
class basic_connection {
    static_assert(detail::check_backend<Backend>());

public:
    using backend_type = Backend;
    using dialect_type = typename Backend::dialect;
    using transaction_options = typename Backend::transaction_options;
    using transaction = basic_transaction<basic_connection>;
    using savepoint = basic_savepoint<basic_connection>;
    template <class Statement>
    using result = basic_result<Backend, Statement>;

    // Opens the backend: the arguments are its constructor's.
    template <class... Args>
        requires std::constructible_from<Backend, Args...>
    explicit basic_connection(Args&&... args) : backend_(std::forward<Args>(args)...) {}

    basic_connection(const basic_connection&) = delete;
    basic_connection& operator=(const basic_connection&) = delete;
    basic_connection(basic_connection&&) noexcept = default;
    basic_connection& operator=(basic_connection&&) noexcept = default;
    ~basic_connection() = default;

    // --- running statements -------------------------------------------------

    // A statement that returns rows gives a result to iterate (its first row
    // is read now, so errors surface here); any other gives an
    // execute_result. A bulk insert writes all its rows or none.
    template <class Q>
    auto execute(const Q& q) {
        using traits = statement_traits<Q>;
        if constexpr (traits::returns_rows) {
            return basic_result<Backend, Q>(backend_, q);
        } else if constexpr (traits::is_bulk) {
            return execute_bulk(q);
        } else if constexpr (requires { requires traits::is_script; }) {
            backend_.run_script(std::string(to_sql<dialect_type, Q>()));
            return backend_.script_result();
        } else {
            return backend_.run_command(q);
        }
    }

    // Every row, in a vector.
    template <class Q>
    auto all(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows, "ctorm: all() needs a select(...)");
        using row_type = typename traits::row_type;
        using cursor = typename Backend::template cursor<Q>;
        std::vector<row_type> rows;
        cursor c(backend_, q);
        if constexpr (std::is_same_v<row_type, bool>) {  // vector<bool> has no bool&
            while (c.step()) {
                bool value{};
                c.read(value);
                rows.push_back(value);
            }
        } else if constexpr (requires { c.size(); }) {  // the backend has every row already
            rows.resize(c.size());
            for (row_type& row : rows) {
                c.step();
                c.read(row);
            }
        } else {
            while (c.step()) c.read(rows.emplace_back());
        }
        return rows;
    }

    // The first row, if any (the rest are not read).
    template <class Q>
    auto first(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows, "ctorm: first() needs a select(...)");
        std::optional<typename traits::row_type> row;
        typename Backend::template cursor<Q> c(backend_, q);
        if (c.step()) c.read(row.emplace());
        return row;
    }

    // Exactly one row: no_result_found or multiple_results_found otherwise.
    template <class Q>
    auto one(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows, "ctorm: one() needs a select(...)");
        // Returned in place, no optional to move out of. Default-initialized
        // (a model's member initializers run; no zeroing first), as
        // hand-written code declares its struct: read() sets every field.
        auto row = detail::unread_row<typename traits::row_type>();
        typename Backend::template cursor<Q> c(backend_, q);
        if (!c.step()) [[unlikely]]
            detail::throw_no_result<dialect_type>(q);
        c.read(row);
        // A WHERE that pins a unique key of the only table needs no second step.
        if constexpr (!detail::at_most_one_row<std::remove_cvref_t<Q>>) {
            if (c.step()) [[unlikely]]
                detail::throw_multiple_results<dialect_type>(q);
        }
        return row;
    }

    // No row or one row: multiple_results_found if there are more.
    template <class Q>
    auto one_or_none(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows, "ctorm: one_or_none() needs a select(...)");
        std::optional<typename traits::row_type> row;
        typename Backend::template cursor<Q> c(backend_, q);
        if (c.step()) {
            c.read(row.emplace());
            if constexpr (!detail::at_most_one_row<std::remove_cvref_t<Q>>) {
                if (c.step()) [[unlikely]]
                    detail::throw_multiple_results<dialect_type>(q);
            }
        }
        return row;
    }

    // The value of a one-column select's first row (no_result_found if none).
    template <class Q>
    auto scalar(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows && traits::slots::size == 1,
                      "ctorm: scalar() needs a select of exactly one column or expression");
        auto value = detail::unread_row<typename traits::row_type>();
        typename Backend::template cursor<Q> c(backend_, q);
        if (!c.step()) [[unlikely]]
            detail::throw_no_result<dialect_type>(q);
        c.read(value);
        return value;
    }

    // --- schema -----------------------------------------------------------------

    // Creates the tables (and their indexes) that do not exist yet, each after
    // the tables its foreign keys point at, all in one transaction.
    template <table_type... Ts>
    void create_all(const Ts&...) {
        in_own_transaction([&] {
            for (std::string_view text : detail::create_all_texts_v<dialect_type, Ts...>)
                backend_.run_script(std::string(text));
        });
    }

    // Drops the tables that exist, in the reverse of create_all's order.
    template <table_type... Ts>
    void drop_all(const Ts&...) {
        in_own_transaction([&] {
            for (std::string_view text : detail::drop_all_texts_v<dialect_type, Ts...>)
                backend_.run_script(std::string(text));
        });
    }

    // --- transactions --------------------------------------------------------

    // BEGIN with the backend's options (SQLite: deferred / immediate /
    // exclusive; PostgreSQL: the isolation level). Commit is explicit; the
    // guard rolls back if it is left uncommitted.
    [[nodiscard]] transaction begin(transaction_options options = {}) {
        if (in_transaction())
            throw transaction_error(
                "begin(): a transaction is already open on this connection; commit or roll it back first");
        backend_.run_script(std::string(Backend::begin_text(options)));
        return transaction(this);
    }

    bool in_transaction() const noexcept { return backend_.in_transaction(); }

    // Where the backend can lose its server (PostgreSQL): whether the session
    // is still there, and a new one in its place (what a pool asks before
    // handing a connection out).
    bool is_alive() noexcept requires requires(Backend& b) { b.is_alive(); }
    { return backend_.is_alive(); }
    void reconnect() requires requires(Backend& b) { b.reconnect(); }
    { backend_.reconnect(); }
    // Whether the connection is known to be gone, from what libpq already
    // knows (no I/O): a pool discards such a connection when it comes back.
    bool is_closed() const noexcept requires requires(const Backend& b) { b.is_closed(); }
    { return backend_.is_closed(); }

    // --- introspection ----------------------------------------------------------

    // How many times this connection has asked the database to prepare a statement.
    std::size_t statements_prepared() const noexcept { return backend_.cache().prepared; }
    // Called with the SQL text of every statement before it runs (SQLAlchemy's echo).
    // Any callable taking std::string_view; nullptr or {} turns it off.
    void set_echo(echo_callback echo) { backend_.cache().echo = std::move(echo); }
    auto native_handle() const noexcept { return backend_.native_handle(); }
    // SQLite's file name (or ":memory:").
    const std::string& path() const noexcept requires requires(const Backend& b) { b.path(); }
    { return backend_.path(); }

    // Runs SQL text that is not a ctorm statement (pragmas, scripts): the one
    // explicit door for text known only at run time. It takes no parameters.
    void execute_script(const std::string& sql) { backend_.run_script(sql); }

    // The backend's primitives, for the layers above (session, pool, async).
    Backend& backend() noexcept { return backend_; }
    const Backend& backend() const noexcept { return backend_; }

private:
    friend class basic_transaction<basic_connection>;
    friend class basic_savepoint<basic_connection>;

    // What the transaction and savepoint guards call.
    void command(const std::string& sql) { backend_.run_script(sql); }
    void command_noexcept(const std::string& sql) noexcept { backend_.run_script_noexcept(sql); }
    std::uint64_t next_savepoint_id() noexcept { return ++backend_.cache().savepoints; }

    template <class F>
    void in_own_transaction(F body) {
        const bool own = !in_transaction();
        if (own) backend_.run_script("BEGIN");
        try {
            body();
            if (own) backend_.run_script("COMMIT");
        } catch (...) {
            if (own) backend_.run_script_noexcept("ROLLBACK");
            throw;
        }
    }

    // All rows or none: a transaction of its own, or a savepoint inside the
    // caller's. The backend writes the rows (and, on failure, leaves the
    // connection ready for the rollback before it throws).
    template <class Q>
    execute_result execute_bulk(const Q& q) {
        const auto rows = q.bulk_rows();
        if (rows.empty()) return {};
        const bool own = !in_transaction();
        backend_.run_script(own ? "BEGIN" : "SAVEPOINT ctorm_bulk_insert");
        try {
            const execute_result out = backend_.insert_rows(q, rows);
            backend_.run_script(own ? "COMMIT" : "RELEASE SAVEPOINT ctorm_bulk_insert");
            return out;
        } catch (...) {
            if (own) {
                backend_.run_script_noexcept("ROLLBACK");
            } else {
                backend_.run_script_noexcept("ROLLBACK TO SAVEPOINT ctorm_bulk_insert");
                backend_.run_script_noexcept("RELEASE SAVEPOINT ctorm_bulk_insert");
            }
            throw;
        }
    }

    Backend backend_;
};

// The rows of a select, read one at a time as the loop asks for them. It
// keeps its own copy of the statement where the backend binds values by
// reference (SQLite), so the statement may be a temporary.
template <class Backend, class Statement>
class basic_result {
    using traits = statement_traits<Statement>;
    using cursor = typename Backend::template cursor<Statement>;

public:
    using row_type = typename traits::row_type;

    basic_result(Backend& backend, const Statement& q) : query_(stored(q)), cursor_(backend, bound(q), streaming) {
        advance();
    }
    basic_result(const basic_result&) = delete;
    basic_result& operator=(const basic_result&) = delete;

    struct sentinel {};
    class iterator {
    public:
        using value_type = row_type;
        using difference_type = std::ptrdiff_t;
        row_type& operator*() const { return owner_->row_; }
        row_type* operator->() const { return &owner_->row_; }
        iterator& operator++() {
            owner_->advance();
            return *this;
        }
        void operator++(int) { owner_->advance(); }
        bool operator==(sentinel) const { return owner_->done_; }

    private:
        friend class basic_result;
        explicit iterator(basic_result* owner) : owner_(owner) {}
        basic_result* owner_;
    };

    iterator begin() { return iterator(this); }
    sentinel end() const { return {}; }

    // Reads the remaining rows into a vector.
    std::vector<row_type> all() {
        std::vector<row_type> rows;
        for (auto& row : *this) rows.push_back(std::move(row));
        return rows;
    }

private:
    static constexpr bool keeps_query = Backend::binds_by_reference && !is_dynamic_statement<Statement>;
    using stored_query = std::conditional_t<keeps_query, Statement, std::monostate>;
    static stored_query stored(const Statement& q) {
        if constexpr (keeps_query) return q;
        else return {};
    }
    const Statement& bound(const Statement& q) const {
        if constexpr (keeps_query) return query_;
        else return q;
    }
    static constexpr detail::streaming_t streaming{};

    void advance() {
        if (cursor_.step()) cursor_.read(row_);
        else done_ = true;
    }

    [[no_unique_address]] stored_query query_;
    cursor cursor_;
    bool done_ = false;
    row_type row_{};
};

}  // namespace ctorm
