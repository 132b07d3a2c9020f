// ctorm::postgres: the PostgreSQL backend over blocking libpq, and
// postgres::connection, the one core over it.
#pragma once

#include <libpq-fe.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ctorm/detail/unique_handle.hpp"
#include "ctorm/dialect/postgres.hpp"
#include "ctorm/engine/concepts.hpp"
#include "ctorm/engine/connection.hpp"
#include "ctorm/engine/statement_cache.hpp"
#include "ctorm/engine/url.hpp"
#include "ctorm/errors.hpp"
#include "ctorm/postgres/errors.hpp"
#include "ctorm/postgres/protocol.hpp"
#include "ctorm/postgres/values.hpp"
#include "ctorm/sql/insert.hpp"

namespace ctorm {

namespace postgres {

enum class isolation { read_committed, repeatable_read, serializable };

namespace detail {

// What libpq takes for white space between keyword=value pairs (isspace).
constexpr bool is_keyword_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// A libpq keyword string with the values of password-like keys replaced by
// ***, and anything that looks like URL user info (between "://" or ':' and
// '@') hidden too, for messages about text that could not be parsed.
inline std::string redact_keyword_string(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        bool secret = false;
        for (std::string_view key : {std::string_view("password"), std::string_view("sslpassword")}) {
            if (text.substr(i, key.size()) == key && (i == 0 || is_keyword_space(text[i - 1]))) {
                std::size_t j = i + key.size();
                while (j < text.size() && is_keyword_space(text[j])) ++j;
                if (j < text.size() && text[j] == '=') {
                    out.append(text.substr(i, j + 1 - i));
                    out += "***";
                    ++j;
                    while (j < text.size() && is_keyword_space(text[j])) ++j;
                    if (j < text.size() && text[j] == '\'') {
                        ++j;
                        while (j < text.size() && text[j] != '\'') j += (text[j] == '\\') ? 2 : 1;
                        ++j;
                    }
                    // An unquoted value ends at white space; a backslash escapes the next character.
                    // Text glued to a closing quote ('it''s) is no pair libpq reads, and may be
                    // the rest of the secret: hidden too.
                    while (j < text.size() && !is_keyword_space(text[j])) j += (text[j] == '\\') ? 2 : 1;
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

// The first byte of text that libpq would cut it at (a NUL) or that has no
// place in connection parameters (another control character but white
// space), as a url_error.
inline void check_no_control_characters(std::string_view text, std::string_view shown) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if ((byte < 0x20 && !is_keyword_space(text[i])) || byte == 0x7f) {
            constexpr char hex[] = "0123456789ABCDEF";
            throw url_error(std::string("it contains the control character 0x") + hex[byte >> 4] + hex[byte & 0x0Fu] +
                                " at byte " + std::to_string(i) + (byte == 0 ? "; a NUL byte cannot be passed on" : ""),
                            shown);
        }
    }
}

}  // namespace detail

// The PostgreSQL backend over blocking libpq calls: each statement prepared
// once per connection (PQprepare, generated names), binary parameters and
// results, bulk inserts in pipeline mode. Its protocol work (encoding, type
// checks, retry policy, errors) is in postgres/protocol.hpp, apart from the I/O.
// Everything users call is basic_connection<backend> (engine/connection.hpp).
class backend {
public:
    using dialect = postgres_dialect;
    using transaction_options = isolation;
    // Parameters are copied into libpq's message when it is sent.
    static constexpr bool binds_by_reference = false;

    // conninfo: a postgresql:// URL or a libpq keyword string ("host=… dbname=…").
    explicit backend(const std::string& conninfo, std::string redacted) : redacted_(std::move(redacted)) {
        // libpq reads a C string: a NUL would cut it short.
        if (conninfo.find('\0') != std::string::npos)
            throw url_error("the connection parameters contain a NUL byte, which cannot be passed on", redacted_);
        conn_.reset(PQconnectdb(conninfo.c_str()));
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
            std::string message = conn_ ? PQerrorMessage(conn_) : "out of memory";
            detail::trim_trailing_space(message);
            conn_.reset();
            throw_postgres_error("08001", "cannot connect to " + redacted_ + ": " + message, {}, {});
        }
        // Server notices (e.g. "table does not exist, skipping") are not errors;
        // libpq would print them to stderr.
        PQsetNoticeProcessor(
            conn_, [](void*, const char*) {}, nullptr);
        endpoint_ = detail::endpoint_of(conn_);
    }
    // What a connection is made of, apart from its buffers: postgres::async_connection
    // lends these to a blocking connection for the jobs of its run() (the
    // async session's), and takes them back after each.
    struct parts {
        ctorm::detail::unique_handle<PGconn, &PQfinish> conn;
        std::string redacted, endpoint;
        ctorm::detail::statement_cache<detail::statement_state, std::string> cache;
    };
    // A connection holding nothing until lend() (every use before it is a bug).
    explicit backend(parts p) noexcept { lend(std::move(p)); }
    void lend(parts&& p) noexcept {
        conn_ = std::move(p.conn);
        redacted_ = std::move(p.redacted);
        endpoint_ = std::move(p.endpoint);
        cache_ = std::move(p.cache);
    }
    parts take_back() noexcept {
        return parts{std::move(conn_), std::move(redacted_), std::move(endpoint_), std::move(cache_)};
    }

    static std::string_view begin_text(isolation level) noexcept {
        return level == isolation::serializable      ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
               : level == isolation::repeatable_read ? "BEGIN ISOLATION LEVEL REPEATABLE READ"
                                                     : "BEGIN";
    }
    // A closed connection holds no transaction (libpq says PQTRANS_UNKNOWN):
    // the server rolled it back when the session ended.
    // Whether libpq already knows the connection is gone (no I/O).
    bool is_closed() const noexcept { return !conn_ || PQstatus(conn_) != CONNECTION_OK; }

    bool in_transaction() const noexcept {
        if (!conn_) return false;
        const PGTransactionStatusType status = PQtransactionStatus(conn_);
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
    }

    // Whether the session is still there, with no round trip: libpq has not
    // seen it fail, and what the server sent meanwhile does not end it. A
    // server that ends a session (pg_terminate_backend, shutdown, an idle
    // timeout) sends its reason and closes the socket: the first read finds
    // the message (which libpq takes as a notice when idle), the second the
    // end. A silent network failure shows only when a statement times out.
    bool is_alive() noexcept {
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) return false;
        if (PQisBusy(conn_) || PQpipelineStatus(conn_) != PQ_PIPELINE_OFF) return true;  // in use: not ours to read
        for (int read = 0; read < 2; ++read) {
            if (PQconsumeInput(conn_) == 0) return false;
            (void)PQisBusy(conn_);  // parses what was read
        }
        return PQstatus(conn_) == CONNECTION_OK;
    }

    // Closes the session and opens a new one with the same parameters
    // (PQreset): an open transaction is rolled back by the server, session
    // settings (SET search_path, ...) start afresh, and statements are
    // prepared again on first use. connection_error if the server cannot be reached.
    void reconnect() {
        if (!conn_) throw transaction_error("reconnect(): this connection was moved from");
        PQreset(conn_);
        forget_statement_names();
        if (PQstatus(conn_) != CONNECTION_OK) [[unlikely]] {
            std::string message = PQerrorMessage(conn_);
            detail::trim_trailing_space(message);
            throw_postgres_error("08001", "cannot reconnect to " + redacted_ + ": " + message, {}, {});
        }
        endpoint_ = detail::endpoint_of(conn_);
    }

    using cache_type = ctorm::detail::statement_cache<detail::statement_state, std::string>;
    cache_type& cache() noexcept { return cache_; }
    const cache_type& cache() const noexcept { return cache_; }
    PGconn* native_handle() const noexcept { return conn_; }

    void run_script(const std::string& sql) {
        cache_.echo_text(sql);
        detail::result_ptr r(PQexec(conn_, sql.c_str()));
        check(r.get(), sql);
        if (sql == "COMMIT" && detail::commit_was_rolled_back(r.get())) [[unlikely]]
            throw transaction_error(
                "commit(): the transaction had been aborted by an earlier error, so PostgreSQL rolled it back; "
                "nothing was committed");
    }
    void run_script_noexcept(const std::string& sql) noexcept { PQclear(PQexec(conn_, sql.c_str())); }
    execute_result script_result() const noexcept { return {}; }

    // libpq delivers a statement's rows together: the cursor holds them and
    // decodes one row per step.
    template <class Q>
    class cursor {
        using reader = postgres::detail::row_reader<typename statement_traits<Q>::slots>;

    public:
        cursor(backend& b, const Q& q) : cursor(b.run(q)) {}
        // Over a result already received (the async connection's).
        explicit cursor(detail::checked_result&& r)
            : result_(std::move(r.result)),
              direct_(r.direct),
              null_at_(postgres::detail::null_address(result_.get())),
              rows_(PQntuples(result_.get())) {}
        cursor(backend& b, const Q& q, ctorm::detail::streaming_t) : cursor(b, q) {}

        bool step() noexcept { return ++next_ < rows_; }
        template <class Row>
        void read(Row& row) {
            // Rows read part by part (select(a, b) with an outer-joined model).
            if constexpr (requires { statement_traits<Q>::read_row(*this, row); })
                statement_traits<Q>::read_row(*this, row);
            else reader::read(result_.get(), next_, row, direct_, null_at_);
        }
        // A part of the row: columns First, First + 1, ... read by Slots
        // (their C++ types must be those the statement's own slots have,
        // optional aside: the result's types were checked against those).
        template <std::size_t First, class Slots, class Row>
        void read_columns(Row& row) {
            postgres::detail::row_reader<Slots>::template read_from<First>(result_.get(), next_, row, direct_,
                                                                           null_at_);
        }
        // Every row is here already: all() sizes its vector once.
        std::size_t size() const noexcept { return static_cast<std::size_t>(rows_); }
        // The rows an INSERT, UPDATE or DELETE wrote.
        std::int64_t rows_affected() const noexcept { return detail::affected_rows(result_.get()); }

    private:
        detail::result_ptr result_;
        postgres::detail::direct_columns direct_ = 0;
        std::uintptr_t null_at_ = 0;
        int rows_ = 0;
        int next_ = -1;
    };

    // Runs exactly the statement's text. An insert reports no key here
    // (last_insert_id stays 0): ask for it with .returning(t.id), on either backend.
    template <class Q>
    execute_result run_command(const Q& q) {
        const detail::checked_result r = run(q);
        return execute_result{detail::affected_rows(r.result.get()), 0};
    }

    // The rows of a bulk insert, inside the frame basic_connection opened, in
    // pipeline mode: one round trip per batch, each row sent as an execution
    // of the prepared statement without waiting for its reply.
    template <class Q, class Rows>
    execute_result insert_rows(const Q& q, const Rows& rows) {
        using S = std::remove_cvref_t<Q>;
        constexpr std::string_view sql = to_sql<postgres_dialect, S>();
        constexpr std::size_t n = ctorm::detail::sql_text<postgres_dialect, S>::param_count;
        const std::string name = statement_for(q).name;
        if (PQenterPipelineMode(conn_) != 1) [[unlikely]]
            throw_postgres_error(
                "", "cannot enter pipeline mode for a bulk insert: " + std::string(PQerrorMessage(conn_)), sql, "");
        cache_.echo_text(sql);
        bulk_run bulk;
        try {
            for (std::size_t start = 0; start < rows.size() && !bulk.failure && bulk.broken.empty();
                 start += bulk_batch) {
                const std::size_t end = rows.size() - start < bulk_batch ? rows.size() : start + bulk_batch;
                std::size_t sent = start;
                for (; sent < end; ++sent) {
                    postgres::detail::static_params<n> params(params_.owned);
                    try {
                        detail::encode_row_params(q, rows[sent], params);
                    } catch (const value_error& e) {
                        throw_value_in_row(e, sent);
                    }
                    if (PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(n), params.values.data(),
                                            params.lengths.data(), params.formats.data(), 1) != 1) [[unlikely]]
                        break;
                }
                finish_batch(bulk, start, sent, end);
            }
        } catch (...) {
            leave_pipeline();
            throw;
        }
        if (bulk.broken.empty() && PQexitPipelineMode(conn_) != 1) bulk.broken = PQerrorMessage(conn_);
        if (!bulk.broken.empty()) [[unlikely]] {
            leave_pipeline();
            detail::trim_trailing_space(bulk.broken);
            if (closed())
                throw_postgres_error("08006", detail::closed_message(endpoint_, "during a bulk insert: " + bulk.broken),
                                     sql, "");
            throw_postgres_error("", "a bulk insert failed in pipeline mode: " + bulk.broken, sql, "");
        }
        if (bulk.failure) [[unlikely]] {
            std::string where;
            if (detail::refused_text(bulk.failure.get())) {
                detail::text_problem_finder finder;
                q.visit_row_params(rows[bulk.failed_row], finder);
                where = finder.describe(sql);
            }
            throw_result_error(
                bulk.failure.get(), sql,
                " (row " + std::to_string(bulk.failed_row) + " of the bulk insert, counting from 0)" + where);
        }
        return execute_result{bulk.rows_affected, 0};
    }

    // Executions of one static statement type, one per item (make(i) gives
    // the i-th statement; it may be asked again for an item whose error is
    // described), in pipeline mode: up to bulk_batch of them are sent before
    // their replies are read, and each reply is handed to read(i, cursor), in
    // order. read() must not run statements. The session's flush sends its
    // INSERTs so: one round trip per batch, each object reading its own
    // RETURNING row. The first failing item ends the run: read() has had the
    // items before it, its error is thrown, and PostgreSQL skipped the items
    // after it (PGRES_PIPELINE_ABORTED). An exception from read() ends it
    // too, after the batch's replies have been collected.
    static constexpr bool pipelines_statements = true;
    template <class Make, class Read>
    void run_each(std::size_t count, Make&& make, Read&& read) {
        using Q = std::remove_cvref_t<decltype(make(std::size_t{}))>;
        static_assert(!is_dynamic_statement<Q> && !runtime_text_statement<Q>,
                      "run_each() runs statements whose text is known at compile time");
        constexpr std::string_view sql = to_sql<postgres_dialect, Q>();
        constexpr std::size_t n = ctorm::detail::sql_text<postgres_dialect, Q>::param_count;
        if (count == 0) return;
        std::optional<Q> first(make(0));
        detail::statement_state& statement = statement_for(*first);  // prepared before the pipeline
        const std::string name = statement.name;
        if (PQenterPipelineMode(conn_) != 1) [[unlikely]]
            throw_postgres_error("", "cannot enter pipeline mode: " + std::string(PQerrorMessage(conn_)), sql, "");
        std::string broken;
        detail::result_ptr failure;
        std::size_t failed_item = 0;
        std::exception_ptr read_error;
        try {
            for (std::size_t start = 0; start < count && !failure && !read_error && broken.empty();
                 start += bulk_batch) {
                const std::size_t end = count - start < bulk_batch ? count : start + bulk_batch;
                std::size_t sent = start;
                for (; sent < end; ++sent) {
                    std::optional<Q> made;
                    const Q& q = sent == 0 ? *first : made.emplace(make(sent));
                    if (cache_.echo) [[unlikely]]
                        cache_.echo(sql);
                    postgres::detail::static_params<n> params(params_.owned);
                    detail::encode_params(q, params);
                    if (PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(n), params.values.data(),
                                            params.lengths.data(), params.formats.data(), 1) != 1) [[unlikely]]
                        break;
                }
                if (sent < end) broken = PQerrorMessage(conn_);
                if (PQpipelineSync(conn_) != 1) {
                    if (broken.empty()) broken = PQerrorMessage(conn_);
                    break;
                }
                for (std::size_t i = start; i < sent; ++i) {
                    detail::result_ptr r(PQgetResult(conn_));
                    if (!r) {  // no reply where one was due: the connection is gone
                        if (broken.empty()) broken = PQerrorMessage(conn_);
                        break;
                    }
                    detail::result_ptr end_of_item(PQgetResult(conn_));  // null: this item's replies are done
                    if (failure || read_error) continue;
                    if (!detail::succeeded(r.get())) {
                        failure = std::move(r);
                        failed_item = i;
                        continue;
                    }
                    if constexpr (statement_traits<Q>::returns_rows) {
                        if (!statement_for(*first).types_checked) [[unlikely]]
                            detail::check_result_types<Q>(r.get(), statement_for(*first));
                    }
                    try {
                        cursor<Q> c(detail::checked_result{std::move(r), statement_for(*first).direct});
                        read(i, c);
                    } catch (...) {
                        read_error = std::current_exception();
                    }
                }
                if (!broken.empty()) break;
                detail::result_ptr sync(PQgetResult(conn_));
                if (PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) broken = PQerrorMessage(conn_);
            }
        } catch (...) {
            leave_pipeline();
            throw;
        }
        if (broken.empty() && PQexitPipelineMode(conn_) != 1) broken = PQerrorMessage(conn_);
        if (!broken.empty()) [[unlikely]] {
            leave_pipeline();
            detail::trim_trailing_space(broken);
            if (closed()) throw_postgres_error("08006", detail::closed_message(endpoint_, broken), sql, "");
            throw_postgres_error("", "statements sent in pipeline mode failed: " + broken, sql, "");
        }
        if (read_error) std::rethrow_exception(read_error);
        if (failure) [[unlikely]] {
            std::string where;
            if (detail::refused_text(failure.get())) {
                detail::text_problem_finder finder;
                make(failed_item).visit_params(finder);
                where = finder.describe(sql);
            }
            throw_result_error(failure.get(), sql, where);
        }
    }

private:
    [[noreturn, gnu::cold, gnu::noinline]] static void throw_value_in_row(const value_error& e, std::size_t row) {
        throw value_error(e.table(), e.column(),
                          e.description() + " (row " + std::to_string(row) + " of the bulk insert, counting from 0)",
                          e.sql());
    }
    [[noreturn]] void throw_result_error(const PGresult* r, std::string_view sql, std::string_view detail = {}) const {
        detail::throw_result_error(r, sql, PQerrorMessage(conn_), closed() ? std::string_view(endpoint_) : "", detail);
    }
    bool closed() const noexcept { return !conn_ || PQstatus(conn_) == CONNECTION_BAD; }
    void check(const PGresult* r, std::string_view sql) const {
        if (!detail::succeeded(r)) [[unlikely]]
            throw_result_error(r, sql);
    }

    // --- preparing ---------------------------------------------------------------

    // The statement of type Q on this connection, prepared on first use (and
    // again after forget_prepared_statements()). The hit is inline; the miss
    // is out of line.
    template <class Q>
    detail::statement_state& statement_for(const Q& q) {
        const std::size_t slot = ctorm::detail::statement_slot<std::remove_cvref_t<Q>>();
        if (slot < cache_.slots.size() && !cache_.slots[slot].name.empty()) [[likely]]
            return cache_.slots[slot];
        return prepare_slot(q, slot);
    }

    template <class Q>
    [[gnu::noinline]] detail::statement_state& prepare_slot(const Q& q, std::size_t slot) {
        using S = std::remove_cvref_t<Q>;
        detail::collect_static_param_types(q, params_);
        constexpr std::string_view sql = to_sql<postgres_dialect, S>();
        std::string name = prepare_typed(sql, cache_.by_text, "ctorm_");
        detail::statement_state& state = cache_.slot_at(slot);
        state = detail::statement_state{std::move(name), false, 0};
        return state;
    }

    // The server-side statement for sql with the parameter types now in
    // params_.types, from `names` or prepared now. Static and dynamic
    // statements keep apart (prefix "ctorm_" and "ctorm_d").
    std::string prepare_typed(std::string_view sql, ctorm::detail::text_map<std::string, std::string>& names,
                              std::string_view prefix) {
        const std::string key = detail::statement_key(sql, params_);
        if (const std::string* found = names.find(key)) return *found;
        std::string name = std::string(prefix) + std::to_string(names.size() + 1);
        const std::string text(sql);
        detail::result_ptr r(
            PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(params_.types.size()), params_.types.data()));
        check(r.get(), sql);
        ++cache_.prepared;
        names.emplace(key, name);
        return name;
    }

    void forget_prepared_statements() {
        run_script("DEALLOCATE ALL");
        forget_statement_names();
    }
    void forget_statement_names() {
        for (detail::statement_state& state : cache_.slots) state = detail::statement_state{};
        cache_.by_text.clear();
        cache_.dynamic.clear();
    }

    // --- executing -----------------------------------------------------------------

    // One execution of a static statement, the result types checked on its
    // first result; after a failure, the retry policy (detail::prepare_again_after)
    // may run it once more, out of line.
    template <class Q>
    detail::checked_result run(const Q& q) {
        if constexpr (is_dynamic_statement<Q>) {
            return run_dynamic(q);
        } else if constexpr (runtime_text_statement<Q>) {
            return run_runtime_text(q);
        } else {
            detail::statement_state* statement = nullptr;
            detail::result_ptr r = execute_static(q, statement);
            if (!detail::succeeded(r.get())) [[unlikely]]
                return run_after_failure(q, std::move(r));
            return checked(q, std::move(r), *statement);
        }
    }

    template <class Q>
    detail::result_ptr execute_static(const Q& q, detail::statement_state*& statement) {
        using S = std::remove_cvref_t<Q>;
        constexpr std::size_t n = ctorm::detail::sql_text<postgres_dialect, S>::param_count;
        statement = &statement_for(q);
        if (cache_.echo) [[unlikely]]
            cache_.echo(to_sql<postgres_dialect, S>());
        postgres::detail::static_params<n> params(params_.owned);
        detail::encode_params(q, params);
        return detail::result_ptr(PQexecPrepared(conn_, statement->name.c_str(), static_cast<int>(n),
                                                 params.values.data(), params.lengths.data(), params.formats.data(),
                                                 1));
    }

    template <class Q>
    detail::checked_result checked(const Q&, detail::result_ptr&& r, detail::statement_state& statement) {
        if constexpr (statement_traits<Q>::returns_rows) {
            if (!statement.types_checked) [[unlikely]]
                detail::check_result_types<Q>(r.get(), statement);
            return {std::move(r), statement.direct};
        } else {
            return {std::move(r), 0};
        }
    }

    template <class Q>
    [[gnu::cold, gnu::noinline]] detail::checked_result run_after_failure(const Q& q, detail::result_ptr&& failed) {
        if (detail::refused_text(failed.get())) {
            detail::text_problem_finder finder;
            q.visit_params(finder);
            constexpr std::string_view sql = to_sql<postgres_dialect, std::remove_cvref_t<Q>>();
            throw_result_error(failed.get(), sql, finder.describe(sql));
        }
        after_failure(std::move(failed), to_sql<postgres_dialect, std::remove_cvref_t<Q>>(), false);
        detail::statement_state* statement = nullptr;
        detail::result_ptr r = execute_static(q, statement);
        if (!detail::succeeded(r.get()))
            after_failure(std::move(r), to_sql<postgres_dialect, std::remove_cvref_t<Q>>(), true);
        return checked(q, std::move(r), *statement);
    }

    [[gnu::cold, gnu::noinline]] void after_failure(detail::result_ptr r, std::string_view sql, bool retried) {
        if (detail::prepare_again_after(r.get(), retried, in_transaction())) {
            forget_prepared_statements();
            return;
        }
        throw_result_error(r.get(), sql);
    }

    // Dynamic statements are prepared per (text, parameter types): a NULL has
    // no type, so the same text may need another preparation.
    template <class Q>
    detail::checked_result run_dynamic(const Q& q) {
        const std::string sql = q.template sql<postgres_dialect>();
        cache_.echo_text(sql);
        const std::vector<bound_value> values = q.values();
        params_.clear();
        params_.collect_types = true;
        try {
            for (const bound_value& v : values) postgres::detail::put_value(params_, v);
        } catch (const value_error& e) {
            params_.collect_types = false;
            detail::throw_value_in(e, params_.slots.size(), sql);
        }
        params_.collect_types = false;
        const std::string name = prepare_typed(sql, cache_.dynamic, "ctorm_d");
        params_.finish();
        detail::result_ptr r(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params_.slots.size()),
                                            params_.values.data(), params_.lengths.data(), params_.formats.data(), 1));
        if (detail::refused_text(r.get())) [[unlikely]] {
            detail::text_problem_finder finder;
            for (const bound_value& v : values) finder(v);
            throw_result_error(r.get(), sql, finder.describe(sql));
        }
        check(r.get(), sql);
        postgres::detail::direct_columns direct = 0;
        if constexpr (statement_traits<Q>::returns_rows) {
            if (PQntuples(r.get()) > 0)
                direct = postgres::detail::row_reader<typename statement_traits<Q>::slots>::check_types(r.get());
        }
        return {std::move(r), direct};
    }

    // A statement with run-time text and typed values: prepared per (text,
    // parameter types), as dynamic statements are. Its rows (the migration
    // layer's catalog queries) are checked against their C++ types as a
    // dynamic statement's are.
    template <class Q>
    detail::checked_result run_runtime_text(const Q& q) {
        const std::string_view sql = q.template sql<postgres_dialect>();
        cache_.echo_text(sql);
        detail::collect_param_types(q, params_);  // writes the values too
        const std::string name = prepare_typed(sql, cache_.dynamic, "ctorm_d");
        params_.finish();
        detail::result_ptr r(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params_.slots.size()),
                                            params_.values.data(), params_.lengths.data(), params_.formats.data(), 1));
        if (detail::refused_text(r.get())) [[unlikely]] {
            detail::text_problem_finder finder;
            q.visit_params(finder);
            throw_result_error(r.get(), sql, finder.describe(sql));
        }
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
        std::int64_t rows_affected = 0;
        std::size_t failed_row = 0;
        detail::result_ptr failure;  // the first failing row's error
        std::string broken;          // libpq's message when the connection failed
    };

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

    // Before the frame's rollback: read whatever is pending and leave pipeline mode.
    void leave_pipeline() noexcept {
        if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) return;
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

    ctorm::detail::unique_handle<PGconn, &PQfinish> conn_;
    std::string redacted_;
    std::string endpoint_;  // host:port of the server this connection reached
    cache_type cache_;
    postgres::detail::param_buffer params_;
};

static_assert(ctorm::database_backend<backend>);

using connection = basic_connection<backend>;  // the same core as sqlite::connection
using transaction = connection::transaction;
using savepoint = connection::savepoint;
template <class Statement>
using result = basic_result<backend, Statement>;

// What connect() opens: the text libpq is given and the same with secrets
// hidden (for messages), checked first for a clear error.
struct connection_parameters {
    std::string conninfo, redacted;
};
inline connection_parameters parse_connection_parameters(std::string_view address) {
    std::string text(address);
    if (address.starts_with("postgresql://") || address.starts_with("postgres://")) {
        const url u = parse_url(address);
        return {std::move(text), u.redacted()};
    }
    if (address.find("://") != std::string_view::npos)
        throw url_error("postgres::connect needs a postgresql:// URL or a libpq keyword string", address);
    detail::check_no_control_characters(address, detail::redact_keyword_string(address));
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
        redacted += ctorm::detail::url_text::is_secret_option(o->keyword) ? "***" : o->val;
    }
    PQconninfoFree(options);
    return {std::move(text), std::move(redacted)};
}

// Opens a connection. Accepts what libpq accepts, checked first for a clear error:
//   postgresql://user:password@host:5432/db?sslmode=require&application_name=app
//   postgresql://host1:5432,host2:5433/db        (multi-host: the first that answers)
//   "host=localhost port=5432 dbname=app user=me" (libpq keyword string)
inline connection connect(std::string_view address) {
    connection_parameters p = parse_connection_parameters(address);
    return connection(p.conninfo, std::move(p.redacted));
}

}  // namespace postgres
}  // namespace ctorm
