// ctorm::sqlite::connection: open by URL, prepare each statement once and
// reuse it, bind, step, decode into models, tuples and scalars; transactions.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "ctorm/detail/text_map.hpp"
#include "ctorm/dialect/sqlite.hpp"
#include "ctorm/engine/echo.hpp"
#include "ctorm/engine/transaction.hpp"
#include "ctorm/engine/url.hpp"
#include "ctorm/errors.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/sql/ddl.hpp"
#include "ctorm/sql/dynamic.hpp"
#include "ctorm/sql/statement.hpp"
#include "ctorm/sqlite/values.hpp"

namespace ctorm {

namespace sqlite {

// BEGIN DEFERRED (the default) takes locks as it needs them; IMMEDIATE takes
// the write lock at once, which avoids SQLITE_BUSY upgrades later.
enum class transaction_mode { deferred, immediate, exclusive };

struct open_options {
    int busy_timeout_ms = 5000;
    bool foreign_keys = true;
    bool read_only = false;
    bool create = true;        // false: the file must exist (mode=rw)
    std::string journal_mode;  // empty: SQLite's default (delete); "wal" for concurrent readers
    std::string synchronous;   // empty: default; "normal", "full", "off"
};

namespace detail {

// One small number per (statement type) for the per-connection cache array.
inline std::size_t next_statement_slot() {
    // Atomic (statement types may first run on several threads at once), with
    // the compilers' builtin rather than <atomic> in every user's build.
    static std::size_t counter = 0;
    return __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
}
template <class Statement>
std::size_t statement_slot() {
    static const std::size_t slot = next_statement_slot();
    return slot;
}

}  // namespace detail

class connection;
using transaction = basic_transaction<connection>;
using savepoint = basic_savepoint<connection>;

template <class Statement>
class result;

class connection {
public:
    // Opens (creating if needed) the file at `path`, or ":memory:".
    explicit connection(const std::string& path, const open_options& options = {}) : path_(path) {
        int flags = options.read_only ? SQLITE_OPEN_READONLY
                                      : (SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0));
        // A connection is never used by two threads at once (give each thread
        // its own); without SQLite's per-call mutex every bind and column call is cheaper.
        flags |= SQLITE_OPEN_NOMUTEX;
        const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
        if (rc != SQLITE_OK) {
            std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
            const int code = db_ ? sqlite3_extended_errcode(db_) : rc;
            sqlite3_close_v2(db_);
            db_ = nullptr;
            throw_sqlite_error(code, "cannot open '" + path + "': " + message, {});
        }
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, options.busy_timeout_ms);
        exec(options.foreign_keys ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
        // LIKE matches case as on PostgreSQL; ilike() is the case-insensitive one.
        exec("PRAGMA case_sensitive_like = ON");
        if (!options.journal_mode.empty()) exec("PRAGMA journal_mode = " + options.journal_mode);
        if (!options.synchronous.empty()) exec("PRAGMA synchronous = " + options.synchronous);
    }

    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    connection(connection&& other) noexcept
        : db_(std::exchange(other.db_, nullptr)),
          path_(std::move(other.path_)),
          slots_(std::move(other.slots_)),
          by_text_(std::move(other.by_text_)),
          dynamic_(std::move(other.dynamic_)),
          held_(std::move(other.held_)),
          prepared_(other.prepared_),
          echo_(std::move(other.echo_)) {}
    connection& operator=(connection&& other) noexcept {
        if (this != &other) {
            close();
            db_ = std::exchange(other.db_, nullptr);
            path_ = std::move(other.path_);
            slots_ = std::move(other.slots_);
            by_text_ = std::move(other.by_text_);
            dynamic_ = std::move(other.dynamic_);
            held_ = std::move(other.held_);
            prepared_ = other.prepared_;
            echo_ = std::move(other.echo_);
        }
        return *this;
    }
    ~connection() { close(); }

    // --- running statements -------------------------------------------------

    // A statement that returns rows gives a result to iterate; any other gives
    // an execute_result. Bulk inserts run in one transaction (or savepoint).
    template <class Q>
    auto execute(const Q& q) {
        using traits = statement_traits<Q>;
        if constexpr (traits::returns_rows) {
            return result<Q>(*this, q);
        } else if constexpr (traits::is_bulk) {
            return execute_bulk(q);
        } else if constexpr (requires { requires traits::is_script; }) {
            exec(std::string(to_sql<sqlite_dialect, Q>()));
            return execute_result{sqlite3_changes64(db_), sqlite3_last_insert_rowid(db_)};
        } else {
            execution_for<Q> run;
            start(run, q);
            step_to_done(run.statement);
            return execute_result{sqlite3_changes64(db_), sqlite3_last_insert_rowid(db_)};
        }
    }

    template <class Q>
    auto all(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows, "ctorm: all() needs a select(...)");
        std::vector<typename traits::row_type> rows;
        execution_for<Q> run;
        start(run, q);
        sqlite3_stmt* s = run.statement;
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            if constexpr (std::is_same_v<typename traits::row_type, bool>) {  // vector<bool> has no bool&
                bool value{};
                sqlite::detail::row_reader<typename traits::slots>::read(s, value);
                rows.push_back(value);
            } else {
                sqlite::detail::row_reader<typename traits::slots>::read(s, rows.emplace_back());
            }
        }
        if (rc != SQLITE_DONE) sqlite::detail::throw_from(db_, rc, sqlite3_sql(s));
        return rows;
    }

    // The first row, if any (the rest are not read).
    template <class Q>
    auto first(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows, "ctorm: first() needs a select(...)");
        std::optional<typename traits::row_type> row;
        execution_for<Q> run;
        start(run, q);
        if (step_row(run.statement))
            sqlite::detail::row_reader<typename traits::slots>::read(run.statement, row.emplace());
        return row;
    }

    // Exactly one row: no_result_found or multiple_results_found otherwise.
    template <class Q>
    auto one(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows, "ctorm: one() needs a select(...)");
        typename traits::row_type row{};  // returned in place, no optional to move out of
        execution_for<Q> run;
        start(run, q);
        sqlite3_stmt* s = run.statement;
        if (!step_row(s)) throw no_result_found(statement_text(q));
        sqlite::detail::row_reader<typename traits::slots>::read(s, row);
        if constexpr (!ctorm::detail::at_most_one_row<std::remove_cvref_t<Q>>) {
            if (step_row(s)) throw multiple_results_found(sqlite3_sql(s));
        }
        return row;
    }

    // No row or one row: multiple_results_found if there are more.
    template <class Q>
    auto one_or_none(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows, "ctorm: one_or_none() needs a select(...)");
        std::optional<typename traits::row_type> row;
        execution_for<Q> run;
        start(run, q);
        sqlite3_stmt* s = run.statement;
        if (step_row(s)) {
            sqlite::detail::row_reader<typename traits::slots>::read(s, row.emplace());
            if constexpr (!ctorm::detail::at_most_one_row<std::remove_cvref_t<Q>>) {
                if (step_row(s)) throw multiple_results_found(sqlite3_sql(s));
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
        auto row = first(q);
        if (!row) throw no_result_found(statement_text(q));
        return std::move(*row);
    }

    // --- schema -----------------------------------------------------------------

    // Creates the tables (and their indexes) that do not exist yet, each after
    // the tables its foreign keys point at, all in one transaction.
    template <table_type... Ts>
    void create_all(const Ts&...) {
        run_script_in_transaction([&](auto run) {
            for (std::string_view text : ctorm::detail::create_all_texts_v<sqlite_dialect, Ts...>) run(text);
        });
    }

    // Drops the tables that exist, in the reverse of create_all's order.
    template <table_type... Ts>
    void drop_all(const Ts&...) {
        run_script_in_transaction([&](auto run) {
            for (std::string_view text : ctorm::detail::drop_all_texts_v<sqlite_dialect, Ts...>) run(text);
        });
    }

    // --- transactions --------------------------------------------------------

    [[nodiscard]] transaction begin(transaction_mode mode = transaction_mode::deferred) {
        if (in_transaction())
            throw transaction_error(
                "begin(): a transaction is already open on this connection; commit or roll it back first");
        exec(mode == transaction_mode::immediate   ? "BEGIN IMMEDIATE"
             : mode == transaction_mode::exclusive ? "BEGIN EXCLUSIVE"
                                                   : "BEGIN");
        return transaction(this);
    }

    bool in_transaction() const noexcept { return db_ && sqlite3_get_autocommit(db_) == 0; }

    // --- introspection ----------------------------------------------------------

    // How many times this connection has asked SQLite to prepare a statement.
    std::size_t statements_prepared() const noexcept { return prepared_; }
    // Called with the SQL text of every statement before it runs (SQLAlchemy's echo).
    // Any callable taking std::string_view; nullptr turns it off.
    void set_echo(echo_callback echo) { echo_ = std::move(echo); }
    sqlite3* native_handle() const noexcept { return db_; }
    const std::string& path() const noexcept { return path_; }

    // Runs SQL text that is not a ctorm statement (pragmas, scripts): the one
    // explicit door for text known only at run time. It takes no parameters.
    void execute_script(const std::string& sql) { exec(sql); }

private:
    template <class>
    friend class result;
    friend class basic_transaction<connection>;
    friend class basic_savepoint<connection>;

    void command(const std::string& sql) { exec(sql); }
    void command_noexcept(const std::string& sql) noexcept { exec_noexcept(sql.c_str()); }
    std::uint64_t next_savepoint_id() noexcept { return ++savepoints_; }

    // A statement being run: reset (or, if it was a one-off, finalized) at the
    // end, holding the values of a dynamic statement while they are bound.
    template <bool Dynamic>
    struct basic_execution;
    template <class Q>
    using execution_for = basic_execution<is_dynamic_statement<Q>>;
    template <bool Dynamic>
    struct basic_execution {
        sqlite3_stmt* statement = nullptr;
        bool owned = false;
        struct none {};
        [[no_unique_address]] std::conditional_t<Dynamic, std::vector<bound_value>, none> values;
        basic_execution() = default;
        basic_execution(const basic_execution&) = delete;
        basic_execution& operator=(const basic_execution&) = delete;
        ~basic_execution() {
            if (!statement) return;
            if (owned) sqlite3_finalize(statement);
            else sqlite3_reset(statement);
        }
    };

    template <class Q>
    void start(execution_for<Q>& run, const Q& q) {
        if constexpr (is_dynamic_statement<Q>) {
            run.statement = prepare_dynamic(q.template sql<sqlite_dialect>(), run.owned);
            run.values = q.values();
            sqlite::detail::binder b{run.statement};
            for (const bound_value& v : run.values) b(v);
        } else {
            run.statement = prepare<Q>(&run.owned);
            bind(run.statement, q);
        }
    }

    template <class Q>
    static std::string statement_text(const Q& q) {
        if constexpr (is_dynamic_statement<Q>) return q.template sql<sqlite_dialect>();
        else return std::string(to_sql<sqlite_dialect, Q>());
    }

    // Dynamic statements are cached by their run-time text.
    sqlite3_stmt* prepare_dynamic(const std::string& sql, bool& owned_statement) {
        if (echo_) echo_(sql);
        sqlite3_stmt** found = dynamic_.find(sql);
        if (found && !sqlite3_stmt_busy(*found) && !held(*found)) {
            owned_statement = false;
            return *found;
        }
        sqlite3_stmt* s = prepare_text(sql, !found);
        owned_statement = found != nullptr;
        if (!owned_statement) dynamic_.emplace(sql, s);
        return s;
    }

    struct reset_guard {
        sqlite3_stmt* statement;
        bool owned;
        ~reset_guard() {
            if (owned) sqlite3_finalize(statement);
            else sqlite3_reset(statement);
        }
    };

    void close() noexcept {
        if (!db_) return;
        for (auto& cached : by_text_) sqlite3_finalize(cached.value);
        by_text_.clear();
        for (auto& cached : dynamic_) sqlite3_finalize(cached.value);
        dynamic_.clear();
        slots_.clear();
        sqlite3_close_v2(db_);
        db_ = nullptr;
    }

    void exec(const std::string& sql) {
        if (echo_) echo_(sql);
        char* message = nullptr;
        const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
        if (rc != SQLITE_OK) {
            std::string text = message ? message : sqlite3_errstr(rc);
            sqlite3_free(message);
            throw_sqlite_error(sqlite3_extended_errcode(db_), text, sql);
        }
    }
    void exec_noexcept(const char* sql) noexcept { sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }

    template <class F>
    void run_script_in_transaction(F body) {
        const bool own = !in_transaction();
        if (own) exec("BEGIN");
        try {
            body([&](std::string_view text) { exec(std::string(text)); });
            if (own) exec("COMMIT");
        } catch (...) {
            if (own) exec_noexcept("ROLLBACK");
            throw;
        }
    }

    // The prepared statement for Q: from the slot array after the first use,
    // by text on the first use of a type (types with equal text share one),
    // and a fresh one when the cached statement is still being iterated.
    template <class Q>
    sqlite3_stmt* prepare(bool* one_off = nullptr) {
        const std::size_t slot = detail::statement_slot<std::remove_cvref_t<Q>>();
        if (!echo_ && slot < slots_.size() && held_.empty()) [[likely]] {
            sqlite3_stmt* s = slots_[slot];
            if (s && !sqlite3_stmt_busy(s)) [[likely]]
                return s;
        }
        return prepare_slot(slot, ctorm::detail::sql_text<sqlite_dialect, std::remove_cvref_t<Q>>::view, one_off);
    }
    [[gnu::noinline]] sqlite3_stmt* prepare_slot(std::size_t slot, std::string_view sql, bool* one_off) {
        if (echo_) echo_(sql);
        if (slot < slots_.size()) {
            if (sqlite3_stmt* s = slots_[slot]) {
                if (!sqlite3_stmt_busy(s) && (held_.empty() || !held(s))) return s;
                if (one_off) *one_off = true;
                return prepare_text(sql, false);
            }
        } else {
            slots_.resize(slot + 1, nullptr);
        }
        sqlite3_stmt** found = by_text_.find(sql);
        sqlite3_stmt* s = found ? *found : nullptr;
        if (!s) {
            s = prepare_text(sql, true);
            by_text_.emplace(sql, s);
        }
        slots_[slot] = s;
        if (sqlite3_stmt_busy(s) || held(s)) {
            if (one_off) *one_off = true;
            return prepare_text(sql, false);
        }
        return s;
    }

    sqlite3_stmt* prepare_text(std::string_view sql, bool persistent) {
        sqlite3_stmt* s = nullptr;
        const char* tail = nullptr;
        const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                          persistent ? SQLITE_PREPARE_PERSISTENT : 0, &s, &tail);
        if (rc != SQLITE_OK) sqlite::detail::throw_from(db_, rc, sql);
        if (tail && tail != sql.data() + sql.size()) [[unlikely]] {
            sqlite3_finalize(s);
            throw_sqlite_error(SQLITE_MISUSE, "the statement text holds more than one statement", sql);
        }
        ++prepared_;
        return s;
    }

    // Whether s is a one-off statement (to finalize) rather than a cached one.
    bool owned(sqlite3_stmt* s) const {
        for (sqlite3_stmt* cached : slots_)
            if (cached == s) return false;
        for (const auto& cached : by_text_)
            if (cached.value == s) return false;
        return true;
    }
    // A cached statement held by a live result: not reusable until it ends
    // (sqlite3_stmt_busy alone misses a result not yet stepped or already done).
    bool held(sqlite3_stmt* s) const {
        for (sqlite3_stmt* h : held_)
            if (h == s) return true;
        return false;
    }
    void hold(sqlite3_stmt* s) { held_.push_back(s); }
    void unhold(sqlite3_stmt* s) noexcept {
        for (auto it = held_.begin(); it != held_.end(); ++it)
            if (*it == s) {
                held_.erase(it);
                return;
            }
    }

    template <class Q>
    static void bind(sqlite3_stmt* s, const Q& q) {
        sqlite::detail::binder b{s};
        q.visit_params(b);
    }

    bool step_row(sqlite3_stmt* s) {
        const int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE) [[unlikely]]
            sqlite::detail::throw_from(db_, rc, sqlite3_sql(s));
        return false;
    }
    void step_to_done(sqlite3_stmt* s) {
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        }
        if (rc != SQLITE_DONE) [[unlikely]]
            sqlite::detail::throw_from(db_, rc, sqlite3_sql(s));
    }

    // The failing row of a bulk insert, named in the message (as on PostgreSQL).
    [[noreturn, gnu::cold, gnu::noinline]] void throw_bulk_row_error(sqlite3_stmt* s, std::size_t index) {
        const char* sql = sqlite3_sql(s);
        throw_sqlite_error(sqlite3_extended_errcode(db_),
                           std::string(sqlite3_errmsg(db_)) + " (row " + std::to_string(index) +
                               " of the bulk insert, counting from 0)",
                           sql ? sql : "");
    }

    template <class Q>
    execute_result execute_bulk(const Q& q) {
        sqlite3_stmt* s = prepare<Q>();
        reset_guard guard{s, owned(s)};
        // All rows or none: a transaction of our own, or a savepoint inside the caller's.
        const bool own = !in_transaction();
        exec(own ? "BEGIN" : "SAVEPOINT ctorm_bulk_insert");
        execute_result out;
        try {
            std::size_t index = 0;
            for (const auto& row : q.bulk_rows()) {
                sqlite::detail::binder b{s};
                q.visit_row_params(row, b);
                int rc;
                while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
                }
                if (rc != SQLITE_DONE) [[unlikely]]
                    throw_bulk_row_error(s, index);
                sqlite3_reset(s);
                out.rows_affected += sqlite3_changes64(db_);  // 0 for an upsert that did nothing
                ++index;
            }
            exec(own ? "COMMIT" : "RELEASE ctorm_bulk_insert");
        } catch (...) {
            sqlite3_reset(s);
            if (own) {
                exec_noexcept("ROLLBACK");
            } else {
                exec_noexcept("ROLLBACK TO ctorm_bulk_insert");
                exec_noexcept("RELEASE ctorm_bulk_insert");
            }
            throw;
        }
        out.last_insert_id = sqlite3_last_insert_rowid(db_);
        return out;
    }

    sqlite3* db_ = nullptr;
    std::string path_;
    std::vector<sqlite3_stmt*> slots_;
    ctorm::detail::text_map<std::string_view, sqlite3_stmt*> by_text_;
    ctorm::detail::text_map<std::string, sqlite3_stmt*> dynamic_;
    std::vector<sqlite3_stmt*> held_;
    std::size_t prepared_ = 0;
    echo_callback echo_;
    std::uint64_t savepoints_ = 0;
};

// The rows of a select, read one at a time as the loop asks for them. It keeps
// its own copy of the statement (and so of the values bound to it).
template <class Statement>
class result {
    using traits = statement_traits<Statement>;

public:
    using row_type = typename traits::row_type;

    result(connection& c, const Statement& q) : connection_(&c), query_(stored(q)) {
        if constexpr (is_dynamic_statement<Statement>) {
            statement_ = c.prepare_dynamic(q.template sql<sqlite_dialect>(), owned_);
            values_ = q.values();
            sqlite::detail::binder b{statement_};
            for (const bound_value& v : values_) b(v);
        } else {
            statement_ = c.template prepare<Statement>();
            owned_ = c.owned(statement_);
            connection::bind(statement_, query_);
        }
        if (!owned_) c.hold(statement_);
        // The first step runs now, so errors surface at execute() and an
        // INSERT ... RETURNING has written its rows even if nobody iterates.
        try {
            advance();
        } catch (...) {
            release();
            throw;
        }
    }
    result(const result&) = delete;
    result& operator=(const result&) = delete;
    ~result() { release(); }

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
        friend class result;
        explicit iterator(result* owner) : owner_(owner) {}
        result* owner_;
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
    void release() noexcept {
        if (owned_) {
            sqlite3_finalize(statement_);
        } else {
            sqlite3_reset(statement_);
            connection_->unhold(statement_);
        }
    }
    void advance() {
        if (connection_->step_row(statement_)) {
            sqlite::detail::row_reader<typename traits::slots>::read(statement_, row_);
        } else {
            done_ = true;
        }
    }

    // A copy of the statement keeps its values alive while they are bound; a
    // dynamic statement's values are kept in values_ instead.
    using stored_query = std::conditional_t<is_dynamic_statement<Statement>, std::monostate, Statement>;
    static stored_query stored(const Statement& q) {
        if constexpr (is_dynamic_statement<Statement>) return {};
        else return q;
    }

    connection* connection_;
    stored_query query_;
    std::vector<bound_value> values_;
    sqlite3_stmt* statement_ = nullptr;
    bool owned_ = false;
    bool done_ = false;
    row_type row_{};
};

// Opens a connection from a SQLAlchemy-style URL:
//   sqlite:///relative.db   sqlite:////absolute/path.db   sqlite:///:memory:
// with options ?busy_timeout=ms&journal_mode=wal&foreign_keys=off&mode=ro&synchronous=normal
inline connection connect(std::string_view address) {
    const url u = parse_url(address);
    if (u.scheme != "sqlite") throw url_error("sqlite::connect needs a sqlite:// URL", address);
    open_options options;
    for (const auto& [key, value] : u.query) {
        if (key == "busy_timeout") {
            int ms = 0;
            for (char c : value) {
                if (c < '0' || c > '9' || ms > 100000000)
                    throw url_error("busy_timeout must be a number of milliseconds", address);
                ms = ms * 10 + (c - '0');
            }
            if (value.empty()) throw url_error("busy_timeout needs a value", address);
            options.busy_timeout_ms = ms;
        } else if (key == "journal_mode") {
            static constexpr std::string_view modes[] = {"delete", "truncate", "persist", "memory", "wal", "off"};
            bool known = false;
            for (auto m : modes) known = known || m == value;
            if (!known)
                throw url_error("journal_mode must be one of delete, truncate, persist, memory, wal, off", address);
            options.journal_mode = value;
        } else if (key == "synchronous") {
            if (value != "off" && value != "normal" && value != "full" && value != "extra")
                throw url_error("synchronous must be off, normal, full or extra", address);
            options.synchronous = value;
        } else if (key == "foreign_keys") {
            if (value != "on" && value != "off" && value != "true" && value != "false" && value != "1" && value != "0")
                throw url_error("foreign_keys must be on or off", address);
            options.foreign_keys = value == "on" || value == "true" || value == "1";
        } else if (key == "mode") {
            if (value != "ro" && value != "rw" && value != "rwc")
                throw url_error("mode must be ro, rw or rwc", address);
            options.read_only = value == "ro";
            options.create = value == "rwc";
        } else {
            throw url_error("unknown SQLite option '" + key +
                                "' (known: busy_timeout, journal_mode, synchronous, foreign_keys, mode)",
                            address);
        }
    }
    return connection(u.database, options);
}

}  // namespace sqlite
}  // namespace ctorm
