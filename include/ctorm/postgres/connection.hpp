// ctorm::postgres::connection: libpq with each statement prepared once per
// connection (PQprepare, generated names), binary parameters and results,
// transactions with isolation levels, savepoints, SQLSTATE-classified errors.
#pragma once

#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ctorm/dialect/postgres.hpp"
#include "ctorm/engine/echo.hpp"
#include "ctorm/engine/transaction.hpp"
#include "ctorm/engine/url.hpp"
#include "ctorm/errors.hpp"
#include "ctorm/postgres/values.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/sql/ddl.hpp"
#include "ctorm/sql/dynamic.hpp"
#include "ctorm/sql/insert.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm {

namespace postgres {

enum class isolation { read_committed, repeatable_read, serializable };

namespace detail {

inline std::size_t next_statement_slot() {
    static std::atomic<std::size_t> counter{0};
    return counter.fetch_add(1, std::memory_order_relaxed);
}
template <class Statement>
std::size_t statement_slot() {
    static const std::size_t slot = next_statement_slot();
    return slot;
}

// A libpq keyword string with the values of password-like keys replaced by
// ***, and anything that looks like URL user info (between "://" or ':' and
// '@') hidden too, for messages about text that could not be parsed.
inline std::string redact_keyword_string(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        bool secret = false;
        for (std::string_view key : {std::string_view("password"), std::string_view("sslpassword")}) {
            if (text.substr(i, key.size()) == key && (i == 0 || text[i - 1] == ' ')) {
                std::size_t j = i + key.size();
                while (j < text.size() && text[j] == ' ') ++j;
                if (j < text.size() && text[j] == '=') {
                    out.append(text.substr(i, j + 1 - i));
                    out += "***";
                    ++j;
                    while (j < text.size() && text[j] == ' ') ++j;
                    if (j < text.size() && text[j] == '\'') {
                        ++j;
                        while (j < text.size() && text[j] != '\'') j += (text[j] == '\\') ? 2 : 1;
                        ++j;
                    } else {
                        while (j < text.size() && text[j] != ' ') ++j;
                    }
                    i = j;
                    secret = true;
                    break;
                }
            }
        }
        if (!secret) out.push_back(text[i++]);
    }
    // user:secret@host in something URL-like
    if (const auto at = out.rfind('@'); at != std::string::npos) {
        const auto colon = out.rfind(':', at);
        if (colon != std::string::npos) out.replace(colon + 1, at - colon - 1, "***");
    }
    return out;
}

struct result_deleter {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using result_ptr = std::unique_ptr<PGresult, result_deleter>;

}  // namespace detail

namespace detail {

// What a connection knows about one statement type: its server-side statement
// and, once a result has shown them, that its result types fit the row
// (checked once: they cannot change without the statement being prepared
// again) and which columns can be read directly.
struct statement_state {
    const std::string* name = nullptr;
    bool types_checked = false;
    postgres::detail::direct_columns direct = 0;
};

// A successful result and which of its columns read_value may read directly.
struct checked_result {
    result_ptr result;
    postgres::detail::direct_columns direct = 0;
};

// The rows an INSERT, UPDATE or DELETE changed: the number that ends its
// command tag ("INSERT 0 1", "UPDATE 3"), as PQcmdTuples reads it for these.
inline std::int64_t affected_rows(const PGresult* r) {
    const char* tag = PQcmdStatus(const_cast<PGresult*>(r));
    if (!tag) return 0;
    const char* end = tag + std::strlen(tag);
    const char* start = end;
    while (start > tag && start[-1] >= '0' && start[-1] <= '9') --start;
    if (start == end || start == tag || start[-1] != ' ') return 0;
    std::int64_t v = 0;
    for (const char* c = start; c != end; ++c) v = v * 10 + (*c - '0');
    return v;
}

}  // namespace detail

class connection;
using transaction = basic_transaction<connection>;
using savepoint = basic_savepoint<connection>;

template <class Statement>
class result;

class connection {
public:
    // conninfo: a postgresql:// URL or a libpq keyword string ("host=… dbname=…").
    explicit connection(const std::string& conninfo, std::string redacted) : redacted_(std::move(redacted)) {
        conn_ = PQconnectdb(conninfo.c_str());
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
            std::string message = conn_ ? PQerrorMessage(conn_) : "out of memory";
            while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
            if (conn_) PQfinish(conn_);
            conn_ = nullptr;
            throw_postgres_error("08001", "cannot connect to " + redacted_ + ": " + message, {}, {});
        }
        // Server notices (e.g. "table does not exist, skipping") are not errors;
        // libpq would print them to stderr.
        PQsetNoticeProcessor(
            conn_, [](void*, const char*) {}, nullptr);
    }
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    connection(connection&& other) noexcept
        : conn_(std::exchange(other.conn_, nullptr)),
          redacted_(std::move(other.redacted_)),
          slots_(std::move(other.slots_)),
          by_text_(std::move(other.by_text_)),
          dynamic_(std::move(other.dynamic_)),
          prepared_(other.prepared_),
          savepoints_(other.savepoints_),
          echo_(std::move(other.echo_)) {}
    connection& operator=(connection&& other) noexcept {
        if (this != &other) {
            if (conn_) PQfinish(conn_);
            conn_ = std::exchange(other.conn_, nullptr);
            redacted_ = std::move(other.redacted_);
            slots_ = std::move(other.slots_);
            by_text_ = std::move(other.by_text_);
            dynamic_ = std::move(other.dynamic_);
            prepared_ = other.prepared_;
            savepoints_ = other.savepoints_;
            echo_ = std::move(other.echo_);
        }
        return *this;
    }
    ~connection() {
        if (conn_) PQfinish(conn_);
    }

    // --- running statements -------------------------------------------------

    // Runs exactly the statement's text. An insert reports no key here
    // (last_insert_id stays 0): ask for it with
    // db.scalar(insert(t).values(row).returning(t.id)), on either backend.
    template <class Q>
    auto execute(const Q& q) {
        using traits = statement_traits<Q>;
        if constexpr (traits::returns_rows) {
            detail::checked_result r = run(q);
            return result<Q>(std::move(r.result), r.direct);
        } else if constexpr (requires { requires traits::is_script; }) {
            command(std::string(to_sql<postgres_dialect, Q>()));
            return execute_result{};
        } else if constexpr (traits::is_bulk) {
            return execute_bulk(q);
        } else {
            const detail::checked_result r = run(q);
            return execute_result{detail::affected_rows(r.result.get()), 0};
        }
    }

    template <class Q>
    auto all(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows, "ctorm: all() needs a select(...)");
        const detail::checked_result r = run(q);
        using reader = postgres::detail::row_reader<typename traits::slots>;
        const int n = PQntuples(r.result.get());
        std::vector<typename traits::row_type> rows(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            if constexpr (std::is_same_v<typename traits::row_type, bool>) {  // vector<bool> has no bool&
                bool value{};
                reader::read(r.result.get(), i, value, r.direct);
                rows[static_cast<std::size_t>(i)] = value;
            } else {
                reader::read(r.result.get(), i, rows[static_cast<std::size_t>(i)], r.direct);
            }
        }
        return rows;
    }

    template <class Q>
    auto first(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows, "ctorm: first() needs a select(...)");
        using reader = postgres::detail::row_reader<typename traits::slots>;
        const detail::checked_result r = run(q);
        std::optional<typename traits::row_type> row;
        if (PQntuples(r.result.get()) > 0) reader::read(r.result.get(), 0, row.emplace(), r.direct);
        return row;
    }

    template <class Q>
    auto one(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows, "ctorm: one() needs a select(...)");
        using reader = postgres::detail::row_reader<typename traits::slots>;
        const detail::checked_result r = run(q);
        const int n = PQntuples(r.result.get());
        if (n != 1) [[unlikely]]
            throw_row_count(n, q);
        typename traits::row_type row{};
        reader::read(r.result.get(), 0, row, r.direct);
        return row;
    }

    template <class Q>
    auto one_or_none(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows, "ctorm: one_or_none() needs a select(...)");
        using reader = postgres::detail::row_reader<typename traits::slots>;
        const detail::checked_result r = run(q);
        const int n = PQntuples(r.result.get());
        std::optional<typename traits::row_type> row;
        if (n > 1) [[unlikely]]
            throw_row_count(n, q);
        if (n == 1) reader::read(r.result.get(), 0, row.emplace(), r.direct);
        return row;
    }

    template <class Q>
    auto scalar(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows && traits::slots::size == 1,
                      "ctorm: scalar() needs a select of exactly one column or expression");
        using reader = postgres::detail::row_reader<typename traits::slots>;
        const detail::checked_result r = run(q);
        if (PQntuples(r.result.get()) < 1) [[unlikely]]
            throw_row_count(0, q);
        typename traits::row_type value{};
        reader::read(r.result.get(), 0, value, r.direct);
        return value;
    }

    // --- schema -----------------------------------------------------------------

    template <table_type... Ts>
    void create_all(const Ts&...) {
        in_own_transaction([&] {
            for (std::string_view text : ctorm::detail::create_all_texts_v<postgres_dialect, Ts...>)
                command(std::string(text));
        });
    }

    template <table_type... Ts>
    void drop_all(const Ts&...) {
        in_own_transaction([&] {
            for (std::string_view text : ctorm::detail::drop_all_texts_v<postgres_dialect, Ts...>)
                command(std::string(text));
        });
    }

    // --- transactions --------------------------------------------------------

    [[nodiscard]] transaction begin(isolation level = isolation::read_committed) {
        if (in_transaction())
            throw transaction_error(
                "begin(): a transaction is already open on this connection; commit or roll it back first");
        command(level == isolation::serializable      ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                : level == isolation::repeatable_read ? "BEGIN ISOLATION LEVEL REPEATABLE READ"
                                                      : "BEGIN");
        return transaction(this);
    }

    bool in_transaction() const noexcept { return conn_ && PQtransactionStatus(conn_) != PQTRANS_IDLE; }

    // --- introspection ----------------------------------------------------------

    std::size_t statements_prepared() const noexcept { return prepared_; }
    // Any callable taking std::string_view; nullptr or {} turns it off.
    void set_echo(echo_callback echo) { echo_ = std::move(echo); }
    PGconn* native_handle() const noexcept { return conn_; }

    // The explicit door for SQL text known only at run time; no parameters.
    void execute_script(const std::string& sql) { command(sql); }

private:
    template <class>
    friend class result;
    friend class basic_transaction<connection>;
    friend class basic_savepoint<connection>;

    struct prepared {
        std::string name;
    };

    void command(const std::string& sql) {
        if (echo_) echo_(sql);
        detail::result_ptr r(PQexec(conn_, sql.c_str()));
        check(r.get(), sql);
        // The server answers COMMIT of a transaction an error aborted with
        // ROLLBACK, and no error: that must not pass for a commit.
        if (sql == "COMMIT" && std::string_view(PQcmdStatus(r.get())) != "COMMIT") [[unlikely]]
            throw transaction_error(
                "commit(): the transaction had been aborted by an earlier error, so PostgreSQL rolled it back; "
                "nothing was committed");
    }
    void command_noexcept(const std::string& sql) noexcept { PQclear(PQexec(conn_, sql.c_str())); }
    std::uint64_t next_savepoint_id() noexcept { return ++savepoints_; }

    template <class F>
    void in_own_transaction(F body) {
        const bool own = !in_transaction();
        if (own) command("BEGIN");
        try {
            body();
            if (own) command("COMMIT");
        } catch (...) {
            if (own) command_noexcept("ROLLBACK");
            throw;
        }
    }

    // `detail` is added to the server's message (e.g. which row of a bulk insert failed).
    [[noreturn]] void throw_result_error(const PGresult* r, std::string_view sql, std::string_view detail = {}) const {
        const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
        const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
        const char* constraint = r ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : nullptr;
        std::string message = primary ? primary : PQerrorMessage(conn_);
        while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
        message += detail;
        // No SQLSTATE: libpq itself failed, which means the connection.
        throw_postgres_error(state ? state : (PQstatus(conn_) == CONNECTION_BAD ? "08006" : ""), message, sql,
                             constraint ? constraint : "");
    }

    void check(const PGresult* r, std::string_view sql) const {
        const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) [[unlikely]]
            throw_result_error(r, sql);
    }

    template <class Q>
    [[noreturn, gnu::cold, gnu::noinline]] static void throw_row_count(int rows, const Q& q) {
        if constexpr (is_dynamic_statement<Q>)
            throw_row_count(rows, std::string_view(q.template sql<postgres_dialect>()));
        else throw_row_count(rows, to_sql<postgres_dialect, Q>());
    }
    [[noreturn, gnu::cold, gnu::noinline]] static void throw_row_count(int rows, std::string_view sql) {
        if (rows == 0) throw no_result_found(sql);
        throw multiple_results_found(sql);
    }

    // --- preparing ---------------------------------------------------------------

    // The statement of type Q on this connection, prepared on first use (and
    // again after forget_prepared_statements()). The hit is inline; the miss
    // is out of line.
    template <class Q>
    detail::statement_state& statement_for(const Q& q) {
        const std::size_t slot = detail::statement_slot<std::remove_cvref_t<Q>>();
        if (slot < slots_.size() && slots_[slot].name) [[likely]]
            return slots_[slot];
        return prepare_slot(q, slot);
    }

    // The parameter types come from the values (of the first row, in bulk).
    template <class Q>
    [[gnu::noinline]] detail::statement_state& prepare_slot(const Q& q, std::size_t slot) {
        using S = std::remove_cvref_t<Q>;
        params_.clear();
        params_.collect_types = true;
        postgres::detail::param_writer<postgres::detail::param_buffer> w{params_};
        if constexpr (statement_traits<Q>::is_bulk) q.visit_row_params(q.bulk_rows().front(), w);
        else q.visit_params(w);
        params_.collect_types = false;
        return install_slot(slot, to_sql<postgres_dialect, S>(),
                            ctorm::detail::sql_text<postgres_dialect, S>::param_count);
    }

    detail::statement_state& install_slot(std::size_t slot, std::string_view sql, std::size_t placeholders) {
        // Executions fill exactly `placeholders` parameters in place.
        if (params_.types.size() != placeholders)
            throw error("ctorm: internal error: the statement has " + std::to_string(placeholders) +
                        " placeholders but " + std::to_string(params_.types.size()) + " values: " + std::string(sql));
        const prepared* p = prepare_typed(sql);
        if (slot >= slots_.size()) slots_.resize(slot + 1);
        slots_[slot] = detail::statement_state{&p->name, false, 0};
        return slots_[slot];
    }

    // The statement for sql with the parameter types now in params_.types.
    // Types with equal text and equal parameter types share one server-side
    // statement (int and int64_t values give the same text but int4 and int8
    // parameters, which must not mix).
    const prepared* prepare_typed(std::string_view sql) {
        std::string key(sql);
        key.push_back('\0');
        for (Oid t : params_.types) key.append(std::to_string(t)).push_back(',');
        auto found = by_text_.find(key);
        if (found == by_text_.end()) {
            std::string name = "ctorm_" + std::to_string(by_text_.size() + 1);
            const std::string text(sql);
            detail::result_ptr r(PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(params_.types.size()),
                                           params_.types.data()));
            check(r.get(), sql);
            ++prepared_;
            found = by_text_.emplace(std::move(key), std::make_unique<prepared>(prepared{std::move(name)})).first;
        }
        return found->second.get();
    }

    void forget_prepared_statements() {
        command("DEALLOCATE ALL");
        slots_.assign(slots_.size(), detail::statement_state{});
        by_text_.clear();
        dynamic_.clear();
    }

    // Dynamic statements are prepared per (text, parameter types): a NULL has
    // no type, so the same text may need another preparation.
    const std::string& prepare_dynamic(const std::string& sql) {
        std::string key = sql;
        key.push_back('\0');
        for (Oid t : params_.types) key.append(std::to_string(t)).push_back(',');
        auto found = dynamic_.find(key);
        if (found != dynamic_.end()) return found->second;
        std::string name = "ctorm_d" + std::to_string(dynamic_.size() + 1);
        detail::result_ptr r(
            PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(params_.types.size()), params_.types.data()));
        check(r.get(), sql);
        ++prepared_;
        return dynamic_.emplace(std::move(key), std::move(name)).first->second;
    }

    // --- executing -----------------------------------------------------------------

    // One execution of a static statement: its parameters in place on the
    // stack (their count is a constant of its type), the result types checked
    // on its first result.
    template <class Q>
    detail::checked_result run(const Q& q) {
        if constexpr (is_dynamic_statement<Q>) {
            return run_dynamic(q);
        } else {
            using S = std::remove_cvref_t<Q>;
            constexpr std::string_view sql = to_sql<postgres_dialect, S>();
            constexpr std::size_t n = ctorm::detail::sql_text<postgres_dialect, S>::param_count;
            for (bool retried = false;; retried = true) {
                detail::statement_state& statement = statement_for(q);
                if (echo_) [[unlikely]]
                    echo_(sql);
                postgres::detail::static_params<n> params(params_.owned);
                postgres::detail::param_writer<postgres::detail::static_params<n>> w{params};
                q.visit_params(w);
                params.finish();
                detail::result_ptr r(PQexecPrepared(conn_, statement.name->c_str(), static_cast<int>(n),
                                                    params.values.data(), params.lengths.data(), params.formats.data(),
                                                    1));
                const ExecStatusType status = PQresultStatus(r.get());
                if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) [[likely]] {
                    if constexpr (statement_traits<Q>::returns_rows) {
                        if (!statement.types_checked) [[unlikely]]
                            check_result_types<Q>(r.get(), statement);
                        return {std::move(r), statement.direct};
                    } else {
                        return {std::move(r), 0};
                    }
                }
                after_failure(std::move(r), sql, retried);
            }
        }
    }

    // Checked once a result has rows (an empty one may come from a statement
    // whose columns libpq describes all the same, but nothing needs reading).
    template <class Q>
    [[gnu::noinline]] static void check_result_types(const PGresult* r, detail::statement_state& statement) {
        if (PQntuples(r) == 0) return;
        statement.direct = postgres::detail::row_reader<typename statement_traits<Q>::slots>::check_types(r);
        statement.types_checked = true;
    }

    // A failed execution throws, except once for a table changed under a
    // prepared statement ("cached plan must not change result type"):
    // outside a transaction nothing is lost by preparing again, as SQLite
    // does by itself.
    [[gnu::cold, gnu::noinline]] void after_failure(detail::result_ptr r, std::string_view sql, bool retried) {
        const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
        if (!retried && state && std::string_view(state) == "0A000" && !in_transaction()) {
            forget_prepared_statements();
            return;
        }
        throw_result_error(r.get(), sql);
    }

    template <class Q>
    detail::checked_result run_dynamic(const Q& q) {
        const std::string sql = q.template sql<postgres_dialect>();
        if (echo_) echo_(sql);
        const std::vector<bound_value> values = q.values();
        params_.clear();
        params_.collect_types = true;
        for (const bound_value& v : values) postgres::detail::put_value(params_, v);
        params_.collect_types = false;
        const std::string& name = prepare_dynamic(sql);
        params_.finish();
        detail::result_ptr r(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params_.slots.size()),
                                            params_.values.data(), params_.lengths.data(), params_.formats.data(), 1));
        check(r.get(), sql);
        postgres::detail::direct_columns direct = 0;
        if constexpr (statement_traits<Q>::returns_rows) {
            if (PQntuples(r.get()) > 0)
                direct = postgres::detail::row_reader<typename statement_traits<Q>::slots>::check_types(r.get());
        }
        return {std::move(r), direct};
    }

    // --- bulk inserts in pipeline mode -------------------------------------------

    // Rows sent per synchronisation: about 30 bytes of reply each, so a
    // batch's replies fit the socket buffers while the next batch is sent.
    static constexpr std::size_t bulk_batch = 1000;

    struct bulk_run {
        bool own = false;  // our own transaction, or a savepoint in the caller's
        std::int64_t rows_affected = 0;
        std::size_t failed_row = 0;
        detail::result_ptr failure;  // the first failing row's error
        std::string broken;          // libpq's message when the connection failed
    };

    // All rows or none, one round trip per batch: each row is sent as an
    // execution of the prepared statement without waiting for its reply.
    template <class Q>
    execute_result execute_bulk(const Q& q) {
        const auto rows = q.bulk_rows();
        if (rows.empty()) return {};
        using S = std::remove_cvref_t<Q>;
        constexpr std::string_view sql = to_sql<postgres_dialect, S>();
        constexpr std::size_t n = ctorm::detail::sql_text<postgres_dialect, S>::param_count;
        const std::string& name = *statement_for(q).name;
        bulk_run bulk;
        begin_bulk(bulk, sql);
        if (echo_) echo_(sql);
        try {
            for (std::size_t start = 0; start < rows.size() && !bulk.failure && bulk.broken.empty();
                 start += bulk_batch) {
                const std::size_t end = std::min(rows.size(), start + bulk_batch);
                std::size_t sent = start;
                for (; sent < end; ++sent) {
                    postgres::detail::static_params<n> params(params_.owned);
                    postgres::detail::param_writer<postgres::detail::static_params<n>> w{params};
                    q.visit_row_params(rows[sent], w);
                    params.finish();
                    if (PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(n), params.values.data(),
                                            params.lengths.data(), params.formats.data(), 1) != 1) [[unlikely]]
                        break;
                }
                finish_batch(bulk, start, sent, end);
            }
        } catch (...) {
            abandon_bulk(bulk);
            throw;
        }
        return end_bulk(bulk, sql);
    }

    void begin_bulk(bulk_run& bulk, std::string_view sql) {
        bulk.own = !in_transaction();
        command(bulk.own ? "BEGIN" : "SAVEPOINT ctorm_bulk_insert");
        if (PQenterPipelineMode(conn_) != 1) [[unlikely]] {
            const std::string message = PQerrorMessage(conn_);
            roll_back_bulk(bulk);
            throw_postgres_error("", "cannot enter pipeline mode for a bulk insert: " + message, sql, "");
        }
    }

    // Synchronises after rows [start, sent) were sent (sent < end: sending
    // failed) and reads their replies; the first error is kept.
    void finish_batch(bulk_run& bulk, std::size_t start, std::size_t sent, std::size_t end) {
        if (sent < end) bulk.broken = PQerrorMessage(conn_);
        if (PQpipelineSync(conn_) != 1) {
            if (bulk.broken.empty()) bulk.broken = PQerrorMessage(conn_);
            return;
        }
        for (std::size_t i = start; i < sent; ++i) {
            detail::result_ptr r(PQgetResult(conn_));
            if (!r) {  // no reply where one was due: the connection is gone
                if (bulk.broken.empty()) bulk.broken = PQerrorMessage(conn_);
                return;
            }
            const ExecStatusType status = PQresultStatus(r.get());
            if (status == PGRES_COMMAND_OK) {
                bulk.rows_affected += detail::affected_rows(r.get());
            } else if (status != PGRES_PIPELINE_ABORTED && !bulk.failure) {
                bulk.failure = std::move(r);
                bulk.failed_row = i;
            }
            detail::result_ptr end_of_row(PQgetResult(conn_));  // null: this row's replies are done
        }
        detail::result_ptr sync(PQgetResult(conn_));
        if (PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC && bulk.broken.empty())
            bulk.broken = PQerrorMessage(conn_);
    }

    // After an exception while sending: read whatever is pending, leave
    // pipeline mode and undo the rows.
    void abandon_bulk(bulk_run& bulk) noexcept {
        if (PQpipelineStatus(conn_) != PQ_PIPELINE_OFF) {
            if (PQpipelineSync(conn_) == 1) {
                for (std::size_t nulls = 0; nulls <= 2 * bulk_batch + 2;) {
                    PGresult* r = PQgetResult(conn_);
                    if (!r) {
                        if (PQstatus(conn_) == CONNECTION_BAD) break;
                        ++nulls;
                        continue;
                    }
                    const bool synced = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
                    PQclear(r);
                    if (synced) break;
                }
            }
            PQexitPipelineMode(conn_);
        }
        roll_back_bulk(bulk);
    }

    void roll_back_bulk(const bulk_run& bulk) noexcept {
        if (bulk.own) {
            command_noexcept("ROLLBACK");
        } else {
            command_noexcept("ROLLBACK TO SAVEPOINT ctorm_bulk_insert");
            command_noexcept("RELEASE SAVEPOINT ctorm_bulk_insert");
        }
    }

    execute_result end_bulk(bulk_run& bulk, std::string_view sql) {
        if (bulk.broken.empty() && PQexitPipelineMode(conn_) != 1) bulk.broken = PQerrorMessage(conn_);
        if (!bulk.broken.empty()) [[unlikely]] {
            abandon_bulk(bulk);
            while (!bulk.broken.empty() && (bulk.broken.back() == '\n' || bulk.broken.back() == ' '))
                bulk.broken.pop_back();
            throw_postgres_error(PQstatus(conn_) == CONNECTION_BAD ? "08006" : "",
                                 "a bulk insert failed in pipeline mode: " + bulk.broken, sql, "");
        }
        if (bulk.failure) [[unlikely]] {
            roll_back_bulk(bulk);
            throw_result_error(bulk.failure.get(), sql,
                               " (row " + std::to_string(bulk.failed_row) + " of the bulk insert, counting from 0)");
        }
        command(bulk.own ? "COMMIT" : "RELEASE SAVEPOINT ctorm_bulk_insert");
        return execute_result{bulk.rows_affected, 0};
    }

    PGconn* conn_ = nullptr;
    std::string redacted_;
    std::vector<detail::statement_state> slots_;
    std::unordered_map<std::string, std::unique_ptr<prepared>> by_text_;
    std::unordered_map<std::string, std::string> dynamic_;
    std::size_t prepared_ = 0;
    std::uint64_t savepoints_ = 0;
    echo_callback echo_;
    postgres::detail::param_buffer params_;
};

// The rows of a select. libpq delivers a statement's rows together, so the
// result holds them and decodes one row per step of the loop.
template <class Statement>
class result {
    using traits = statement_traits<Statement>;
    using reader = postgres::detail::row_reader<typename traits::slots>;

public:
    using row_type = typename traits::row_type;

    result(detail::result_ptr r, postgres::detail::direct_columns direct)
        : result_(std::move(r)), rows_(PQntuples(result_.get())), direct_(direct) {}

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
        bool operator==(sentinel) const { return owner_->next_ > owner_->rows_; }

    private:
        friend class result;
        explicit iterator(result* owner) : owner_(owner) {}
        result* owner_;
    };

    iterator begin() {
        if (next_ == 0) advance();
        return iterator(this);
    }
    sentinel end() const { return {}; }

    std::vector<row_type> all() {
        std::vector<row_type> out;
        for (auto& row : *this) out.push_back(std::move(row));
        return out;
    }

private:
    void advance() {
        if (next_ < rows_) reader::read(result_.get(), next_, row_, direct_);
        ++next_;
    }

    detail::result_ptr result_;
    int rows_;
    postgres::detail::direct_columns direct_;
    int next_ = 0;
    row_type row_{};
};

// Opens a connection. Accepts what libpq accepts, checked first for a clear error:
//   postgresql://user:password@host:5432/db?sslmode=require&application_name=app
//   postgresql://host1:5432,host2:5433/db        (multi-host: the first that answers)
//   "host=localhost port=5432 dbname=app user=me" (libpq keyword string)
inline connection connect(std::string_view address) {
    const std::string text(address);
    if (address.starts_with("postgresql://") || address.starts_with("postgres://")) {
        const url u = parse_url(address);
        return connection(text, u.redacted());
    }
    if (address.find("://") != std::string_view::npos)
        throw url_error("postgres::connect needs a postgresql:// URL or a libpq keyword string", address);
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(text.c_str(), &error);
    if (!options) {
        // libpq's own message may quote the input, password included: say
        // what was expected instead, and show the text with secrets hidden.
        PQfreemem(error);
        throw url_error("cannot parse it as a postgresql:// URL or a libpq keyword string (key=value ...)",
                        detail::redact_keyword_string(address));
    }
    std::string redacted;
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (!o->val) continue;
        if (!redacted.empty()) redacted += ' ';
        redacted += o->keyword;
        redacted += '=';
        redacted += std::string_view(o->keyword) == "password" ? "***" : o->val;
    }
    PQconninfoFree(options);
    return connection(text, redacted);
}

}  // namespace postgres
}  // namespace ctorm
