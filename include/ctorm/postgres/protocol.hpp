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

#include "ctorm/detail/unique_handle.hpp"
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

// A value the encoders refused (values.hpp), now named by its parameter
// (index from 0) and the statement.
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_value_in(const value_error& e, std::size_t index,
                                                                  std::string_view sql) {
    throw value_error(e.table(), e.column(), "parameter $" + std::to_string(index + 1) + ": " + e.description(),
                      std::string(sql));
}
template <class Q>
[[noreturn, gnu::cold]] void throw_value_in(const value_error& e, std::size_t index) {
    throw_value_in(e, index, to_sql<postgres_dialect, std::remove_cvref_t<Q>>());
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
        throw_value_in<Q>(e, params.next);
    }
    params.finish();
}
template <class Q, class Row, std::size_t N>
void encode_row_params(const Q& q, const Row& row, static_params<N>& params) {
    param_writer<static_params<N>> w{params};
    try {
        q.visit_row_params(row, w);
    } catch (const value_error& e) {
        throw_value_in<Q>(e, params.next);
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
        throw_value_in<Q>(e, buffer.slots.size());
    }
    buffer.collect_types = false;
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
