// The part of the PostgreSQL backend that does no I/O: encoding a
// statement's parameters, checking a result's column types once per prepared
// statement, reading a command tag, deciding whether a failure is retried, and
// turning a failed result into the exception. The blocking backend
// (postgres/connection.hpp) and a non-blocking one share all of it.
#pragma once

#include <libpq-fe.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "ctorm/detail/unique_handle.hpp"
#include "ctorm/dialect/postgres.hpp"
#include "ctorm/errors.hpp"
#include "ctorm/postgres/errors.hpp"
#include "ctorm/postgres/values.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm::postgres::detail {

// An owned PGresult.
using result_ptr = ctorm::detail::unique_handle<PGresult, &PQclear>;

// What a connection knows about one statement type: the name of its
// server-side statement and, once a result has shown them, that its result
// types fit the row (checked once: they cannot change without the statement
// being prepared again) and which columns can be read directly.
struct statement_state {
    std::string name;  // empty: not prepared on this connection (yet, or any more)
    bool types_checked = false;
    direct_columns direct = 0;
};

// A successful result and which of its columns read_value may read directly.
struct checked_result {
    result_ptr result;
    direct_columns direct = 0;
};

// The table and column that parameter $n of a statement ctorm rendered goes
// to or is compared with, read from its text (cold paths only): the n-th
// value of INSERT INTO "t" ("a", ...) VALUES ($1, ...), or the column right
// before "= $n" (also <>, <, >, <=, >=), as "t"."c" or, after UPDATE "t" ...
// SET, as "c". Both empty when the text does not say.
struct parameter_target {
    std::string table, column;
};
[[gnu::cold]] inline parameter_target parameter_column(std::string_view sql, std::size_t n) {
    const std::string placeholder = "$" + std::to_string(n);
    // A quoted identifier starting at `at`; npos when there is none.
    const auto quoted = [&](std::size_t at, std::string& name) -> std::size_t {
        if (at >= sql.size() || sql[at] != '"') return std::string_view::npos;
        name.clear();
        for (std::size_t i = at + 1; i < sql.size(); ++i) {
            if (sql[i] != '"') {
                name += sql[i];
            } else if (i + 1 < sql.size() && sql[i + 1] == '"') {
                name += '"';
                ++i;
            } else {
                return i + 1;
            }
        }
        return std::string_view::npos;
    };
    parameter_target out;
    constexpr std::string_view insert_into = "INSERT INTO ", update = "UPDATE ";
    if (sql.starts_with(insert_into)) {
        std::string table, name;
        std::size_t at = quoted(insert_into.size(), table);
        if (at == std::string_view::npos || sql.substr(at, 2) != " (") return out;
        std::vector<std::string> columns;
        for (at += 2; (at = quoted(at, name)) != std::string_view::npos;) {
            columns.push_back(name);
            if (sql.substr(at, 2) != ", ") break;
            at += 2;
        }
        if (at == std::string_view::npos || sql.substr(at, 10) != ") VALUES (") return out;
        at += 10;
        for (std::size_t k = 0; k < columns.size(); ++k) {
            const std::size_t end = sql.find_first_of(",)", at);
            if (end == std::string_view::npos) return out;
            if (sql.substr(at, end - at) == placeholder) return {table, columns[k]};
            at = end + 2;
        }
        return out;
    }
    for (std::size_t at = sql.find(placeholder); at != std::string_view::npos; at = sql.find(placeholder, at + 1)) {
        const std::size_t end = at + placeholder.size();
        if (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') continue;  // $12 is not $1
        std::size_t before = at;
        while (before > 0 && sql[before - 1] == ' ') --before;
        std::size_t op = before;
        while (op > 0 && (sql[op - 1] == '=' || sql[op - 1] == '<' || sql[op - 1] == '>')) --op;
        if (op == before || op == 0 || sql[op - 1] != ' ') continue;
        std::size_t close = op - 1;
        while (close > 0 && sql[close - 1] == ' ') --close;
        if (close == 0 || sql[close - 1] != '"') continue;
        const std::size_t open = sql.rfind('"', close - 2);
        if (open == std::string_view::npos) continue;
        std::string column(sql.substr(open + 1, close - 2 - open));
        if (column.find('"') != std::string::npos) continue;
        std::string table;
        if (open > 0 && sql[open - 1] == '.' && open >= 2 && sql[open - 2] == '"') {
            const std::size_t table_open = sql.rfind('"', open - 3);
            if (table_open == std::string_view::npos) continue;
            table = std::string(sql.substr(table_open + 1, open - 2 - table_open - 1));
        } else if (sql.starts_with(update)) {
            if (quoted(update.size(), table) == std::string_view::npos) continue;
        } else {
            continue;
        }
        return {std::move(table), std::move(column)};
    }
    return out;
}

// A value the encoders refused (values.hpp), now named by its parameter
// (index from 0), the column the statement puts it in, and the statement.
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_value_in(const value_error& e, std::size_t index,
                                                                  std::string_view sql) {
    parameter_target target = parameter_column(sql, index + 1);
    throw value_error(std::move(target.table), std::move(target.column),
                      "parameter $" + std::to_string(index + 1) + ": " + e.description(), std::string(sql));
}

// After the server refused text (22021: a NUL byte or invalid UTF-8, which it
// does not say where): the first text parameter that holds one, as
// " (parameter $N, table.column: a NUL byte at byte K)", or empty.
[[gnu::cold]] inline std::string text_problem(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte == 0) return "a NUL byte at byte " + std::to_string(i) + ", which PostgreSQL's text cannot hold";
        const std::size_t length = byte < 0x80           ? 1
                                   : (byte >> 5) == 0x6  ? 2
                                   : (byte >> 4) == 0xE  ? 3
                                   : (byte >> 3) == 0x1E ? 4
                                                         : 0;
        bool valid = length != 0 && i + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k)
            valid = (static_cast<unsigned char>(text[i + k]) & 0xC0u) == 0x80u;
        if (valid && length == 2) valid = byte >= 0xC2;  // no overlong forms
        if (valid && length == 3) {
            const auto next = static_cast<unsigned char>(text[i + 1]);
            valid = !(byte == 0xE0 && next < 0xA0) && !(byte == 0xED && next >= 0xA0);  // overlong, surrogates
        }
        if (valid && length == 4) {
            const auto next = static_cast<unsigned char>(text[i + 1]);
            valid = byte <= 0xF4 && !(byte == 0xF0 && next < 0x90) && !(byte == 0xF4 && next >= 0x90);
        }
        if (!valid) return "invalid UTF-8 at byte " + std::to_string(i);
        i += length;
    }
    return {};
}
struct text_problem_finder {
    std::size_t index = 0;  // of the next parameter
    std::size_t found_at = 0;
    std::string problem;
    template <class V>
    void operator()(const V& v) {
        if (problem.empty()) look(v, index);
        ++index;
    }
    template <class V>
    void look(const V& v, std::size_t at) {
        if constexpr (std::is_same_v<V, bound_value>) {
            std::visit([&](const auto& alternative) { look(alternative, at); }, v);
        } else if constexpr (is_nullable_v<V>) {
            if (v) look(*v, at);
        } else if constexpr (std::is_same_v<V, std::string> || std::is_same_v<V, std::string_view>) {
            record(text_problem(v), at);
        } else if constexpr (is_sql_array_v<V>) {
            std::size_t element = 0;
            for (const auto& e : v) {
                look(static_cast<const sql_array_element_t<V>&>(e), at);
                if (!problem.empty()) {
                    problem = "element " + std::to_string(element) + ": " + problem;
                    return;
                }
                ++element;
            }
        }
    }
    void record(std::string p, std::size_t at) {
        if (p.empty() || !problem.empty()) return;
        problem = std::move(p);
        found_at = at;
    }
    std::string describe(std::string_view sql) const {
        if (problem.empty()) return {};
        const parameter_target target = parameter_column(sql, found_at + 1);
        std::string out = " (parameter $" + std::to_string(found_at + 1);
        if (!target.column.empty()) out += ", " + target.table + "." + target.column;
        return out + ": " + problem + ")";
    }
};
inline bool refused_text(const PGresult* r) noexcept {
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    return state && std::string_view(state) == "22021";
}
// Q's text: a constant of its type, or run-time text the statement holds.
template <class Q>
[[noreturn, gnu::cold]] void throw_value_in(const Q& q, const value_error& e, std::size_t index) {
    if constexpr (requires { requires statement_traits<Q>::runtime_text; })
        throw_value_in(e, index, q.template sql<postgres_dialect>());
    else throw_value_in(e, index, to_sql<postgres_dialect, std::remove_cvref_t<Q>>());
}

// The parameters of one execution of the static statement Q, in place on the
// stack (their count is a constant of its type). A parameter is put only
// once it is known to fit, so `next` is the one refused.
template <class Q, std::size_t N>
void encode_params(const Q& q, static_params<N>& params) {
    param_writer<static_params<N>> w{params};
    try {
        q.visit_params(w);
    } catch (const value_error& e) {
        throw_value_in(q, e, params.next);
    }
    params.finish();
}
template <class Q, class Row, std::size_t N>
void encode_row_params(const Q& q, const Row& row, static_params<N>& params) {
    param_writer<static_params<N>> w{params};
    try {
        q.visit_row_params(row, w);
    } catch (const value_error& e) {
        throw_value_in(q, e, params.next);
    }
    params.finish();
}

// The parameter types of Q's statement, from the values (of the first row,
// in bulk), into buffer.types; what PQprepare is given.
template <class Q>
void collect_param_types(const Q& q, param_buffer& buffer) {
    buffer.clear();
    buffer.collect_types = true;
    param_writer<param_buffer> w{buffer};
    try {
        if constexpr (statement_traits<Q>::is_bulk) q.visit_row_params(q.bulk_rows().front(), w);
        else q.visit_params(w);
    } catch (const value_error& e) {
        buffer.collect_types = false;
        throw_value_in(q, e, buffer.slots.size());
    }
    buffer.collect_types = false;
}

// collect_param_types for a static statement, checked against the number of
// placeholders in its compile-time text (executions fill exactly that many
// parameters in place; a difference is a bug in ctorm, reported as one).
template <class Q>
void collect_static_param_types(const Q& q, param_buffer& buffer) {
    using S = std::remove_cvref_t<Q>;
    collect_param_types(q, buffer);
    constexpr std::size_t placeholders = ctorm::detail::sql_text<postgres_dialect, S>::param_count;
    if (buffer.types.size() != placeholders)
        throw error("ctorm: internal error: the statement has " + std::to_string(placeholders) + " placeholders but " +
                    std::to_string(buffer.types.size()) + " values: " + std::string(to_sql<postgres_dialect, S>()));
}

// The cache key of a statement: its text and its parameter types (int and
// int64_t values give the same text but int4 and int8 parameters, which
// must not share one server-side statement).
inline std::string statement_key(std::string_view sql, const param_buffer& buffer) {
    std::string key(sql);
    key.push_back('\0');
    for (Oid t : buffer.types) key.append(std::to_string(t)).push_back(',');
    return key;
}

// Checked once a result has rows (an empty one may come from a statement
// whose columns libpq describes all the same, but nothing needs reading).
template <class Q>
[[gnu::noinline]] void check_result_types(const PGresult* r, statement_state& statement) {
    if (PQntuples(r) == 0) return;
    statement.direct = row_reader<typename statement_traits<Q>::slots>::check_types(r);
    statement.types_checked = true;
}

inline bool succeeded(const PGresult* r) noexcept {
    const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    return status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
}

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

// The retry policy: a table changed under a prepared statement ("cached plan
// must not change result type", 0A000) is prepared again, once, outside a
// transaction, where nothing is lost by it (SQLite does as much by itself).
inline bool prepare_again_after(const PGresult* r, bool retried, bool in_transaction) noexcept {
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    return !retried && !in_transaction && state && std::string_view(state) == "0A000";
}

// The server answers COMMIT of a transaction an error aborted with ROLLBACK,
// and no error: that must not pass for a commit.
inline bool commit_was_rolled_back(const PGresult* r) noexcept {
    return std::string_view(PQcmdStatus(const_cast<PGresult*>(r))) != "COMMIT";
}

inline void trim_trailing_space(std::string& message) {
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
}

// "host:port" of the server conn reached (for a Unix socket, its directory).
inline std::string endpoint_of(PGconn* conn) {
    const char* host = PQhost(conn);
    const char* port = PQport(conn);
    return std::string(host && *host ? host : "localhost") + ":" + (port && *port ? port : "5432");
}

// What a statement on a closed connection says: which server, and why.
[[gnu::cold]] inline std::string closed_message(std::string_view endpoint, std::string_view why) {
    std::string out = "the connection to ";
    out += endpoint;
    out += " is closed";
    if (!why.empty()) {
        out += " (";
        out += why;
        out += ')';
    }
    out += "; reconnect() opens a new one";
    return out;
}

// The exception for a failed result. connection_message is libpq's message
// for the connection (used when the result has none); closed_endpoint is the
// server's host:port when the connection is closed (empty otherwise); detail
// is added to the server's message (e.g. which row of a bulk insert failed).
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_result_error(const PGresult* r, std::string_view sql,
                                                                      const char* connection_message,
                                                                      std::string_view closed_endpoint,
                                                                      std::string_view detail = {}) {
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const char* constraint = r ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : nullptr;
    std::string message = primary ? primary : (connection_message ? connection_message : "");
    trim_trailing_space(message);
    message += detail;
    if (!closed_endpoint.empty()) {
        // Whatever the server said last, the session is gone: connection_error,
        // with the server's SQLSTATE when it gave one of that class (57P01 ...).
        const std::string_view given = state ? state : "";
        const bool connection_class = given.starts_with("08") || given == "57P01" || given == "57P02" ||
                                      given == "57P03" || given == "57P05" || given == "25P03";
        throw_postgres_error(connection_class ? given : "08006", closed_message(closed_endpoint, message), sql,
                             constraint ? constraint : "");
    }
    // No SQLSTATE and an open connection: libpq itself failed.
    throw_postgres_error(state ? state : "", message, sql, constraint ? constraint : "");
}

}  // namespace ctorm::postgres::detail
