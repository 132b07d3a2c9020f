// ctorm::sqlite: the SQLite backend (open, prepare each statement once and
// reuse it, bind, step, decode) and sqlite::connection, the one core over it.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "ctorm/detail/unique_handle.hpp"
#include "ctorm/dialect/sqlite.hpp"
#include "ctorm/engine/concepts.hpp"
#include "ctorm/engine/connection.hpp"
#include "ctorm/engine/statement_cache.hpp"
#include "ctorm/engine/url.hpp"
#include "ctorm/errors.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/sql/ddl.hpp"
#include "ctorm/sql/dynamic.hpp"
#include "ctorm/sql/statement.hpp"
#include "ctorm/sqlite/errors.hpp"
#include "ctorm/sqlite/numeric_functions.hpp"
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

// The SQLite backend: a sqlite3 handle and its primitives. Everything users
// call is basic_connection<backend> (engine/connection.hpp).
class backend {
public:
    using dialect = sqlite_dialect;
    using transaction_options = transaction_mode;
    // A cursor binds text and blobs without copying (SQLITE_STATIC), so a
    // streaming result keeps its own copy of the statement.
    static constexpr bool binds_by_reference = true;

    // Opens (creating if needed) the file at `path`, or ":memory:".
    explicit backend(const std::string& path, const open_options& options = {}) : path_(path) {
        // SQLite reads a C string: it would open the name before a NUL.
        if (path.find('\0') != std::string::npos) [[unlikely]]
            throw_sqlite_error(SQLITE_CANTOPEN,
                               "cannot open '" + ctorm::detail::escape_control_characters(path) +
                                   "': the file name contains a NUL byte",
                               {});
        int flags = options.read_only ? SQLITE_OPEN_READONLY
                                      : (SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0));
        // A connection is never used by two threads at once (give each thread
        // its own); without SQLite's per-call mutex every bind and column call is cheaper.
        flags |= SQLITE_OPEN_NOMUTEX;
        const int rc = sqlite3_open_v2(path.c_str(), db_.out(), flags, nullptr);
        if (rc != SQLITE_OK) {
            std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
            const int code = db_ ? sqlite3_extended_errcode(db_) : rc;
            db_.reset();
            throw_sqlite_error(code, "cannot open '" + path + "': " + message, {});
        }
        sqlite3_extended_result_codes(db_, 1);
        // Exact + - *, SUM, MIN and MAX of ctorm::numeric (the dialect writes them as these functions).
        if (const int f = ctorm::sqlite::detail::register_numeric_functions(db_); f != SQLITE_OK) [[unlikely]] {
            std::string message = sqlite3_errmsg(db_);
            db_.reset();
            throw_sqlite_error(f, "cannot open '" + path + "': registering ctorm's numeric functions: " + message, {});
        }
        // Installed once: setting an authorizer expires every prepared statement.
        sqlite3_set_authorizer(db_, &backend::note_read, collecting_.get());
        sqlite3_busy_timeout(db_, options.busy_timeout_ms);
        run_script(options.foreign_keys ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
        // LIKE matches case as on PostgreSQL; ilike() is the case-insensitive one.
        run_script("PRAGMA case_sensitive_like = ON");
        if (!options.journal_mode.empty()) set_journal_mode(options.journal_mode, options.busy_timeout_ms);
        if (!options.synchronous.empty()) run_script("PRAGMA synchronous = " + options.synchronous);
    }

    static std::string_view begin_text(transaction_mode mode) noexcept {
        return mode == transaction_mode::immediate   ? "BEGIN IMMEDIATE"
               : mode == transaction_mode::exclusive ? "BEGIN EXCLUSIVE"
                                                     : "BEGIN";
    }
    bool in_transaction() const noexcept { return db_ && sqlite3_get_autocommit(db_) == 0; }

    // Statements by text own their sqlite3_stmt; the slots point at them.
    using owned_statement_handle = ctorm::detail::unique_handle<sqlite3_stmt, &sqlite3_finalize>;
    using cache_type = ctorm::detail::statement_cache<sqlite3_stmt*, owned_statement_handle>;
    cache_type& cache() noexcept { return cache_; }
    const cache_type& cache() const noexcept { return cache_; }
    sqlite3* native_handle() const noexcept { return db_; }
    const std::string& path() const noexcept { return path_; }

    // Runs SQL text as a script (no parameters; several statements allowed).
    void run_script(const std::string& sql) {
        if (rolled_back_) [[unlikely]] {
            if (end_rolled_back_transaction(sql)) return;
            throw_rolled_back();
        }
        cache_.echo_text(sql);
        char* message = nullptr;
        const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
        if (rc != SQLITE_OK) [[unlikely]]
            throw_script_error(rc, message, sql);
        transaction_open_ = sqlite3_get_autocommit(db_) == 0;
    }
    void run_script_noexcept(const std::string& sql) noexcept {
        // The guards' clean-up after SQLite ended their transaction: only the
        // final ROLLBACK means something, and it has nothing left to do.
        if (rolled_back_ && !end_rolled_back_transaction(sql)) return;
        sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
        transaction_open_ = sqlite3_get_autocommit(db_) == 0;
    }
    execute_result script_result() const noexcept {
        return execute_result{sqlite3_changes64(db_), sqlite3_last_insert_rowid(db_)};
    }

    // The rows of a statement, stepped one by one. The statement is reset
    // (or, if it was a one-off, finalized) when the cursor ends.
    template <class Q>
    class cursor {
    public:
        cursor(backend& b, const Q& q) : backend_(&b) { start(q); }
        cursor(backend& b, const Q& q, ctorm::detail::streaming_t) : backend_(&b) {
            start(q);
            // sqlite3_stmt_busy alone misses a result not yet stepped or
            // already done: a cached statement a live result holds is not reused.
            if (!owned_) {
                b.held_.push_back(statement_);
                held_ = true;
            }
        }
        cursor(const cursor&) = delete;
        cursor& operator=(const cursor&) = delete;
        ~cursor() {
            if (owned_) {
                if (checked_) backend_->forget_checked(statement_);
                sqlite3_finalize(statement_);
            } else {
                sqlite3_reset(statement_);
                if (held_) backend_->unhold(statement_);
            }
        }

        bool step() { return backend_->step_row(statement_); }
        template <class Row>
        void read(Row& row) {
            if constexpr (requires { statement_traits<Q>::read_row(*this, row); }) {
                // Rows read part by part (select(a, b) with an outer-joined model).
                statement_traits<Q>::read_row(*this, row);
            } else {
                if (checked_) [[unlikely]]
                    return read_checked(row);
                sqlite::detail::row_reader<typename statement_traits<Q>::slots>::read(statement_, row);
            }
        }
        // A part of the row: columns First, First + 1, ... read by Slots
        // (a type_list of slots: their own targets and C++ types), so that a
        // caller reads only what it needs (joinedload skips an owner it has).
        template <std::size_t First, class Slots, class Row>
        void read_columns(Row& row) {
            if (checked_) [[unlikely]]
                return read_columns_checked<First, Slots>(row);
            sqlite::detail::row_reader<Slots>::template read_from<First>(statement_, row);
        }

    private:
        // Out of line: the unchecked reads stay one straight run in the caller's loop.
        template <class Row>
        [[gnu::noinline, gnu::cold]] void read_checked(Row& row) {
            sqlite::detail::row_reader<typename statement_traits<Q>::slots>::template read<true>(statement_, row);
        }
        template <std::size_t First, class Slots, class Row>
        [[gnu::noinline, gnu::cold]] void read_columns_checked(Row& row) {
            sqlite::detail::row_reader<Slots>::template read_from<First, true>(statement_, row);
        }

        // Flattened: preparing (the cache hit) and binding each value are one
        // straight run of C-API calls, as hand-written code is.
        void start(const Q& q) {
            if constexpr (is_dynamic_statement<Q>) {
                statement_ = backend_->prepare_dynamic(q.template sql<sqlite_dialect>(), owned_);
                values_ = q.values();
                sqlite::detail::binder b{statement_};
                for (const bound_value& v : values_) b(v);
            } else if constexpr (runtime_text_statement<Q>) {
                statement_ = backend_->prepare_dynamic(q.template sql<sqlite_dialect>(), owned_);
                sqlite::detail::binder b{statement_};
                q.visit_params(b);
            } else {
                statement_ = backend_->prepare<Q>(&owned_);
                sqlite::detail::binder b{statement_};
                q.visit_params(b);
            }
            // SQL text ctorm did not write may compute anything: always checked.
            if constexpr (statement_traits<Q>::returns_rows)
                checked_ = runtime_text_statement<Q> || backend_->reads_unchecked(statement_);
        }

        struct none {};
        backend* backend_;
        sqlite3_stmt* statement_ = nullptr;
        bool owned_ = false;
        bool held_ = false;
        bool checked_ = false;  // every value's storage class is asked (backend::reads_unchecked)
        // A dynamic statement's values stay alive while they are bound.
        [[no_unique_address]] std::conditional_t<is_dynamic_statement<Q>, std::vector<bound_value>, none> values_;
    };

    // A statement that returns no rows.
    template <class Q>
    execute_result run_command(const Q& q) {
        cursor<Q> c(*this, q);
        while (c.step()) {
        }
        return execute_result{sqlite3_changes64(db_), sqlite3_last_insert_rowid(db_)};
    }

    // The rows of a bulk insert, inside the frame basic_connection opened.
    template <class Q, class Rows>
    execute_result insert_rows(const Q& q, const Rows& rows) {
        bool one_off = false;
        sqlite3_stmt* s = prepare<Q>(&one_off);
        reset_guard guard{this, s, one_off};
        execute_result out;
        std::size_t index = 0;
        for (const auto& row : rows) {
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
        out.last_insert_id = sqlite3_last_insert_rowid(db_);
        return out;
    }

private:
    struct reset_guard {
        backend* self;
        sqlite3_stmt* statement;
        bool owned;
        ~reset_guard() {
            if (owned) {
                self->forget_checked(statement);
                sqlite3_finalize(statement);
            } else {
                sqlite3_reset(statement);
            }
        }
    };

public:
    // Whether the rows of s need their storage classes checked: s reads a
    // table that is not STRICT (a legacy table, a view, a virtual table, an
    // attached database's table), where a column may hold any class and SQLite
    // would convert silently. STRICT tables (the ones ctorm creates) guarantee
    // their columns' classes, so their reads stay unchecked. Decided when s is
    // prepared (see prepare_text).
    bool reads_unchecked(sqlite3_stmt* s) const noexcept {
        if (checked_statements_.empty()) [[likely]]
            return false;
        for (sqlite3_stmt* c : checked_statements_)
            if (c == s) return true;
        return false;
    }

private:
    void forget_checked(sqlite3_stmt* s) noexcept {
        for (auto it = checked_statements_.begin(); it != checked_statements_.end(); ++it)
            if (*it == s) {
                checked_statements_.erase(it);
                return;
            }
    }

    // The tables a statement reads, as SQLite's authorizer reports them while
    // it prepares the statement (its columns, a view, the tables under a view).
    struct table_reads {
        std::vector<std::pair<std::string, std::string>> tables;  // schema (empty: unnamed), table
        bool incomplete = false;                                  // an allocation failed: assume the worst
        bool seen = false;  // the authorizer was called: another one has not replaced it
    };
    // The authorizer: collects into *cell while prepare_text prepares, and
    // does nothing at other times (SQLite's own re-prepares, scripts).
    static int note_read(void* cell, int action, const char* table, const char*, const char* schema,
                         const char*) noexcept {
        table_reads* out = *static_cast<table_reads**>(cell);
        if (!out) return SQLITE_OK;
        auto& reads = *out;
        reads.seen = true;
        if (action != SQLITE_READ || !table) return SQLITE_OK;
        try {
            const std::string_view name(table), in(schema ? schema : "");
            for (const auto& [s, t] : reads.tables)
                if (t == name && s == in) return SQLITE_OK;
            reads.tables.emplace_back(std::string(in), std::string(name));
        } catch (...) {
            reads.incomplete = true;
        }
        return SQLITE_OK;
    }
    // Whether all_strict may run its query now. Not in a deferred transaction
    // that has read nothing yet: the query would open the transaction's read
    // snapshot, and the INSERT, UPDATE or DELETE that follows (a session's
    // flush: BEGIN, then INSERT ... RETURNING prepared on first use) could
    // then only upgrade it, which SQLite refuses at once with SQLITE_BUSY
    // while another connection writes: the busy handler is not called for an
    // upgrade. Such a statement is decoded with its checks instead.
    bool may_query_now() const noexcept {
        return sqlite3_get_autocommit(db_) != 0 || sqlite3_txn_state(db_, nullptr) != SQLITE_TXN_NONE;
    }
    // Whether every table read is a STRICT table: one row of pragma_table_list
    // per schema holding the name (an unnamed schema: every one must be).
    bool all_strict(const table_reads& reads) {
        if (reads.incomplete || !reads.seen) return false;
        static constexpr char sql[] =
            "SELECT count(*), coalesce(min(type = 'table' AND \"strict\"), 0) FROM pragma_table_list(?1) "
            "WHERE ?2 = '' OR schema = ?2";
        if (!strict_query_) {
            if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, strict_query_.out(), nullptr) != SQLITE_OK)
                return false;
        }
        sqlite3_stmt* q = strict_query_;
        for (const auto& [schema, table] : reads.tables) {
            sqlite3_bind_text(q, 1, table.data(), static_cast<int>(table.size()), SQLITE_STATIC);
            sqlite3_bind_text(q, 2, schema.data(), static_cast<int>(schema.size()), SQLITE_STATIC);
            const bool strict =
                sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int64(q, 0) > 0 && sqlite3_column_int64(q, 1) == 1;
            sqlite3_reset(q);
            if (!strict) return false;
        }
        return true;
    }

    // Changing the journal mode needs the file's exclusive lock, and SQLite
    // does not call the busy handler for it: connections opening one file at
    // once (a pool filling up) would fail with SQLITE_BUSY although
    // busy_timeout allows waiting. The mode is kept in the file for WAL, so
    // a connection that finds it set changes nothing; a change is retried
    // until the busy timeout has passed.
    void set_journal_mode(const std::string& mode, int timeout_ms) {
        if (lowercase(mode) == current_journal_mode()) return;
        const std::string sql = "PRAGMA journal_mode = " + mode;
        cache_.echo_text(sql);
        for (int waited = 0;;) {
            char* message = nullptr;
            const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
            if (rc == SQLITE_OK) return;
            if ((rc & 0xFF) != SQLITE_BUSY || waited >= timeout_ms) throw_script_error(rc, message, sql);
            sqlite3_free(message);
            waited += sqlite3_sleep(2);
        }
    }
    // "PRAGMA journal_mode" without a value: the mode in use, in lower case;
    // empty if it cannot be read (then set_journal_mode sets it).
    std::string current_journal_mode() {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db_, "PRAGMA journal_mode", -1, &statement, nullptr) != SQLITE_OK) return {};
        std::string mode;
        if (sqlite3_step(statement) == SQLITE_ROW)
            if (const unsigned char* text = sqlite3_column_text(statement, 0))
                mode = reinterpret_cast<const char*>(text);
        sqlite3_finalize(statement);
        return mode;
    }
    static std::string lowercase(std::string text) {
        for (char& c : text)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        return text;
    }

    [[noreturn, gnu::cold, gnu::noinline]] void throw_script_error(int rc, char* message, const std::string& sql) {
        sqlite3_free(message);  // sqlite3_errmsg has the same text
        // A script may end its transaction itself (COMMIT; then a failing
        // statement): only the errors after which SQLite rolls back count.
        const int primary = sqlite3_extended_errcode(db_) & 0xFF;
        const bool rolling_back = primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_BUSY ||
                                  primary == SQLITE_NOMEM || primary == SQLITE_INTERRUPT || primary == SQLITE_CORRUPT ||
                                  primary == SQLITE_ABORT;
        if (!rolling_back) {
            transaction_open_ = sqlite3_get_autocommit(db_) == 0;
            sqlite::detail::throw_from(db_, rc, sql);
        }
        throw_statement_error(rc, sql);
    }

    // Every failure of a statement: if a transaction was open and SQLite has
    // ended it (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM, SQLITE_INTERRUPT, some
    // SQLITE_BUSY, a trigger's RAISE(ROLLBACK)), the rest of that transaction
    // must not run in autocommit mode: it is refused until its guard rolls back.
    [[noreturn, gnu::cold, gnu::noinline]] void throw_statement_error(int rc, std::string_view sql,
                                                                      std::string_view suffix = {}) {
        if (transaction_open_ && sqlite3_get_autocommit(db_) != 0) {
            transaction_open_ = false;
            rolled_back_ = true;
            rolled_back_after_ = sqlite3_errmsg(db_);
            rolled_back_after_ += " [" + ctorm::detail::sqlite_code_text(sqlite3_extended_errcode(db_)) + "]";
            rolled_back_after_ = ctorm::detail::with_statement(std::move(rolled_back_after_), sql);
            std::string note(suffix);
            note += " (SQLite rolled the transaction back; roll back or end its guard)";
            sqlite::detail::throw_from(db_, rc, sql, note);
        }
        sqlite::detail::throw_from(db_, rc, sql, suffix);
    }

    [[noreturn, gnu::cold, gnu::noinline]] void throw_rolled_back() const {
        throw transaction_error("the transaction was rolled back by SQLite after " + rolled_back_after_ +
                                "; nothing runs on this connection until its guard rolls back (rollback() or "
                                "its destructor)");
    }

    // After SQLite rolled a transaction back: true (and the connection usable
    // again) if sql is the ROLLBACK that ends it.
    [[gnu::cold]] bool end_rolled_back_transaction(std::string_view sql) noexcept {
        while (!sql.empty() && (sql.back() == ' ' || sql.back() == ';' || sql.back() == '\n')) sql.remove_suffix(1);
        while (!sql.empty() && (sql.front() == ' ' || sql.front() == '\n')) sql.remove_prefix(1);
        const auto equals = [](std::string_view text, std::string_view lower) {
            if (text.size() != lower.size()) return false;
            for (std::size_t i = 0; i < text.size(); ++i) {
                const char c = text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
                if (c != lower[i]) return false;
            }
            return true;
        };
        if (!equals(sql, "rollback") && !equals(sql, "rollback transaction")) return false;
        rolled_back_ = false;
        rolled_back_after_.clear();
        // Nothing is open: SQLite would only answer "no transaction is active".
        if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        transaction_open_ = false;
        return true;
    }

    // Dynamic and runtime-text statements are cached by their run-time text.
    sqlite3_stmt* prepare_dynamic(std::string_view sql, bool& owned_statement) {
        if (rolled_back_) [[unlikely]]
            throw_rolled_back();
        cache_.echo_text(sql);
        owned_statement_handle* found = cache_.dynamic.find(sql);
        if (found && !sqlite3_stmt_busy(*found) && !held(*found)) {
            owned_statement = false;
            return *found;
        }
        sqlite3_stmt* s = prepare_text(sql, !found);
        owned_statement = found != nullptr;
        if (!owned_statement) cache_.dynamic.emplace(sql, owned_statement_handle(s));
        return s;
    }

    // The prepared statement for Q: from the slot array after the first use,
    // by text on the first use of a type (types with equal text share one),
    // and a fresh one (*one_off set) when the cached statement is still being iterated.
    template <class Q>
    sqlite3_stmt* prepare(bool* one_off) {
        const std::size_t slot = ctorm::detail::statement_slot<std::remove_cvref_t<Q>>();
        // With no live result, every cached statement has been reset by the
        // cursor that used it: no need to ask SQLite whether it is busy.
        if (!cache_.echo && slot < cache_.slots.size() && held_.empty() && !rolled_back_) [[likely]] {
            if (sqlite3_stmt* s = cache_.slots[slot]) [[likely]]
                return s;
        }
        return prepare_slot(slot, ctorm::detail::sql_text<sqlite_dialect, std::remove_cvref_t<Q>>::view, one_off);
    }
    [[gnu::noinline]] sqlite3_stmt* prepare_slot(std::size_t slot, std::string_view sql, bool* one_off) {
        if (rolled_back_) [[unlikely]]
            throw_rolled_back();
        cache_.echo_text(sql);
        if (slot < cache_.slots.size()) {
            if (sqlite3_stmt* s = cache_.slots[slot]) {
                if (!sqlite3_stmt_busy(s) && (held_.empty() || !held(s))) return s;
                *one_off = true;
                return prepare_text(sql, false);
            }
        }
        owned_statement_handle* found = cache_.by_text.find(sql);
        sqlite3_stmt* s = found ? found->get() : nullptr;
        if (!s) {
            s = prepare_text(sql, true);
            cache_.by_text.emplace(sql, owned_statement_handle(s));
        }
        cache_.slot_at(slot) = s;
        if (sqlite3_stmt_busy(s) || held(s)) {
            *one_off = true;
            return prepare_text(sql, false);
        }
        return s;
    }

    sqlite3_stmt* prepare_text(std::string_view sql, bool persistent) {
        sqlite3_stmt* s = nullptr;
        const char* tail = nullptr;
        table_reads reads;
        *collecting_ = &reads;
        const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                          persistent ? SQLITE_PREPARE_PERSISTENT : 0, &s, &tail);
        *collecting_ = nullptr;
        if (rc != SQLITE_OK) throw_statement_error(rc, sql);
        if (tail && tail != sql.data() + sql.size()) [[unlikely]] {
            sqlite3_finalize(s);
            throw_sqlite_error(SQLITE_MISUSE, "the statement text holds more than one statement", sql);
        }
        if (sqlite3_column_count(s) > 0 && !(may_query_now() && all_strict(reads))) {
            try {
                checked_statements_.push_back(s);
            } catch (...) {
                sqlite3_finalize(s);
                throw;
            }
        }
        ++cache_.prepared;
        return s;
    }

    bool held(sqlite3_stmt* s) const {
        for (sqlite3_stmt* h : held_)
            if (h == s) return true;
        return false;
    }
    void unhold(sqlite3_stmt* s) noexcept {
        for (auto it = held_.begin(); it != held_.end(); ++it)
            if (*it == s) {
                held_.erase(it);
                return;
            }
    }

    bool step_row(sqlite3_stmt* s) {
        const int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE) [[unlikely]]
            throw_statement_error(rc, sqlite3_sql(s));
        return false;
    }

    // The failing row of a bulk insert, named in the message (as on PostgreSQL).
    [[noreturn, gnu::cold, gnu::noinline]] void throw_bulk_row_error(sqlite3_stmt* s, std::size_t index) {
        const char* sql = sqlite3_sql(s);
        throw_statement_error(SQLITE_ERROR, sql ? sql : "",
                              " (row " + std::to_string(index) + " of the bulk insert, counting from 0)");
    }

    // Moved as they are (no copies); each handle closes what it owns. db_ is
    // declared first, so it closes last, after the cached statements (which
    // sqlite3_close_v2 would also allow the other way round).
    ctorm::detail::unique_handle<sqlite3, &sqlite3_close_v2> db_;
    std::string path_;
    cache_type cache_;
    std::vector<sqlite3_stmt*> held_;  // cached statements that live results are iterating
    // The prepared statements whose rows are read checked (reads_unchecked).
    std::vector<sqlite3_stmt*> checked_statements_;
    owned_statement_handle strict_query_;  // all_strict's query, prepared on first use
    // The authorizer's argument: where prepare_text collects a statement's
    // table reads (null at other times). On the heap, so that moves keep it.
    std::unique_ptr<table_reads*> collecting_ = std::make_unique<table_reads*>(nullptr);
    // Whether the last script left a transaction open; if a statement then
    // fails and SQLite has ended that transaction, rolled_back_ refuses every
    // statement until the ROLLBACK of its guard.
    bool transaction_open_ = false;
    bool rolled_back_ = false;
    std::string rolled_back_after_;  // the error after which SQLite rolled back
};

static_assert(ctorm::database_backend<backend>);

using connection = basic_connection<backend>;  // every member is in engine/connection.hpp
using transaction = connection::transaction;
using savepoint = connection::savepoint;
template <class Statement>
using result = basic_result<backend, Statement>;

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
