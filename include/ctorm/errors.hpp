// ctorm's exception hierarchy. Each adapter maps its own codes onto it
// (sqlite/errors.hpp, postgres/errors.hpp).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "ctorm/detail/shared_const.hpp"

namespace ctorm {

// Base of everything ctorm throws, so one catch clause can cover the library.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Everything a backend reported about one failure. A plain aggregate so an
// adapter can fill it with designated initializers (name every field: g++ 12's
// -Wmissing-field-initializers flags omitted trailing ones).
struct database_error_details {
    std::string_view backend;  // the backend's name: "sqlite", "postgresql" (its dialect's name)
    int code = 0;              // SQLite extended result code; 0 for PostgreSQL
    std::string sqlstate;      // empty for SQLite
    std::string message;       // the backend's own text, unchanged
    std::string sql;           // the statement that failed, or empty
    std::string constraint;    // the violated constraint when the backend names it
    std::string code_text;     // the code as what() shows it: "sqlite code 19 SQLITE_CONSTRAINT"
};

namespace detail {

// what() must stay one line even when a backend message or the SQL has line
// breaks, because log lines and test output are read one line at a time.
[[gnu::cold]] inline void append_single_line(std::string& out, std::string_view text) {
    for (char c : text) {
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
}

// A bulk INSERT can be megabytes long; what() keeps a readable prefix and
// sql() still has all of it.
inline constexpr std::size_t max_sql_in_what = 1000;

[[gnu::cold]] inline void append_sql_excerpt(std::string& out, std::string_view sql) {
    if (sql.size() <= max_sql_in_what) {
        append_single_line(out, sql);
        return;
    }
    std::size_t cut = max_sql_in_what;
    // Never split a UTF-8 sequence: back up over continuation bytes.
    while (cut > 0 && (static_cast<unsigned char>(sql[cut]) & 0xC0u) == 0x80u) {
        --cut;
    }
    append_single_line(out, sql.substr(0, cut));
    out += " ...";
}

[[gnu::cold]] inline std::string describe_database_error(const database_error_details& details) {
    std::string out = "ctorm: ";
    append_single_line(out, details.message);
    if (details.message.empty()) {
        out += "database error";
    }
    if (!details.code_text.empty()) {
        out += " [";
        append_single_line(out, details.code_text);
        out += ']';
    }
    if (!details.sql.empty()) {
        out += " in: ";
        append_sql_excerpt(out, details.sql);
    }
    return out;
}

}  // namespace detail

// Any failure reported by a database. Subclasses say what kind; code(),
// sqlstate() and message() keep the backend's own words for everything else
// (a failed row of a bulk insert adds " (row N of the bulk insert, counting
// from 0)" to message()).
class database_error : public error {
public:
    [[gnu::cold]] explicit database_error(database_error_details details)
        : error(detail::describe_database_error(details)), details_(std::move(details)) {}

    // The backend's name: "sqlite" or "postgresql".
    std::string_view backend() const noexcept { return details_->backend; }
    int code() const noexcept { return details_->code; }
    const std::string& sqlstate() const noexcept { return details_->sqlstate; }
    const std::string& message() const noexcept { return details_->message; }
    const std::string& sql() const noexcept { return details_->sql; }
    const std::string& constraint() const noexcept { return details_->constraint; }
    // The code as what() shows it ("sqlite code 19 SQLITE_CONSTRAINT").
    const std::string& code_text() const noexcept { return details_->code_text; }

private:
    // Shared so that copying the exception (which the runtime may do while
    // unwinding) cannot throw.
    detail::shared_const<database_error_details> details_;
};

class integrity_error : public database_error {
public:
    using database_error::database_error;
};

class unique_violation : public integrity_error {
public:
    using integrity_error::integrity_error;
};

class foreign_key_violation : public integrity_error {
public:
    using integrity_error::integrity_error;
};

class not_null_violation : public integrity_error {
public:
    using integrity_error::integrity_error;
};

class check_violation : public integrity_error {
public:
    using integrity_error::integrity_error;
};

// Failures of the environment rather than of the statement: retrying later,
// elsewhere, or after fixing the disk may succeed.
class operational_error : public database_error {
public:
    using database_error::database_error;
};

class busy_error : public operational_error {
public:
    using operational_error::operational_error;
};

class connection_error : public operational_error {
public:
    using operational_error::operational_error;
};

// The whole transaction may be retried (PostgreSQL 40001).
class serialization_failure : public operational_error {
public:
    using operational_error::operational_error;
};

// The whole transaction may be retried (PostgreSQL 40P01).
class deadlock_detected : public operational_error {
public:
    using operational_error::operational_error;
};

// The statement itself is wrong: bad SQL, missing table, misuse of the API.
class programming_error : public database_error {
public:
    using database_error::database_error;
};

// A statement sent inside a transaction that an earlier error aborted
// (PostgreSQL 25P02): nothing runs until the transaction is rolled back.
// SQLite has no such state; where SQLite rolled a transaction back by itself,
// the statements after are refused with transaction_error.
class in_failed_transaction : public database_error {
public:
    using database_error::database_error;
};

// A value the database cannot take as given: too long for its column,
// out of range, malformed text for its type (PostgreSQL class 22).
class data_error : public database_error {
public:
    using database_error::database_error;
};

namespace detail {

// Control characters (a NUL, a line break) as \xNN, so that a message quoting
// text stays one line and is not cut at a NUL.
[[gnu::cold]] inline std::string escape_control_characters(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    constexpr char hex[] = "0123456789abcdef";
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            out += "\\x";
            out += hex[byte >> 4];
            out += hex[byte & 0x0Fu];
        } else {
            out += c;
        }
    }
    return out;
}

// A URL that failed to parse may be mangled in any way, so this does not
// parse: it hides everything that could be a password, erring towards hiding
// too much. From the scheme's "//" (or the start) to the last '@', everything
// after the first ':' is userinfo password; values of password= and
// sslpassword= query parameters are hidden too; control characters are escaped.
[[gnu::cold]] inline std::string redact_url_text(std::string_view raw) {
    const std::string escaped = escape_control_characters(raw);
    const std::string_view text = escaped;
    std::string out;
    out.reserve(text.size());
    std::size_t rest = 0;
    if (auto at = text.rfind('@'); at != std::string_view::npos) {
        std::size_t start = 0;
        if (auto slashes = text.find("://"); slashes != std::string_view::npos && slashes < at) {
            start = slashes + 3;
        }
        auto colon = text.find(':', start);
        if (colon != std::string_view::npos && colon < at) {
            out.append(text.substr(0, colon + 1));
            out += "***";
            rest = at;
        }
    }
    constexpr std::string_view secret_keys[] = {"password=", "sslpassword="};
    std::size_t i = rest;
    while (i < text.size()) {
        char c = text[i];
        out += c;
        ++i;
        if (c != '?' && c != '&') {
            continue;
        }
        for (auto key : secret_keys) {
            if (text.substr(i, key.size()) == key) {
                out.append(key);
                out += "***";
                i += key.size();
                while (i < text.size() && text[i] != '&') {
                    ++i;
                }
                break;
            }
        }
    }
    return out;
}

}  // namespace detail

// A database URL that cannot be parsed. The message never contains the
// password: the URL is shown redacted.
class url_error : public error {
public:
    url_error(std::string_view problem, std::string_view url_text)
        : url_error(already_redacted{}, std::string(problem), detail::redact_url_text(url_text)) {}

    const std::string& problem() const noexcept { return parts_->first; }
    const std::string& redacted_url() const noexcept { return parts_->second; }

private:
    struct already_redacted {};

    url_error(already_redacted, std::string problem, std::string redacted)
        : error("ctorm: invalid database URL '" + redacted + "': " + problem),
          parts_(std::pair<std::string, std::string>(std::move(problem), std::move(redacted))) {}

    detail::shared_const<std::pair<std::string, std::string>> parts_;
};

// A column value that cannot become the C++ type it is read into.
class decode_error : public error {
public:
    [[gnu::cold]] decode_error(std::string table, std::string column, std::string description)
        : error(describe(table, column, description)),
          parts_(parts{std::move(table), std::move(column), std::move(description)}) {}

    const std::string& table() const noexcept { return parts_->table; }
    const std::string& column() const noexcept { return parts_->column; }
    const std::string& description() const noexcept { return parts_->description; }

private:
    struct parts {
        std::string table, column, description;
    };

    static std::string describe(const std::string& table, const std::string& column, const std::string& description) {
        std::string out = "ctorm: ";
        out += table;
        if (!table.empty() && !column.empty()) {
            out += '.';
        }
        out += column;
        if (!table.empty() || !column.empty()) {
            out += ": ";
        }
        out += description;
        return out;
    }

    detail::shared_const<parts> parts_;
};

// A C++ value that cannot be sent to the database as it is: outside the
// range of the column's type there (a ctorm::timestamp before 4714 BC on
// PostgreSQL, after 9999 on SQLite), more digits than a numeric holds, a
// string over PostgreSQL's 1 GiB. Refused before anything is sent, so nothing
// is written. table() and column() name the column when the statement says
// which one the value goes to, and are empty otherwise; description() then
// names the parameter ("parameter $2"), and sql() is the statement.
class value_error : public error {
public:
    [[gnu::cold]] value_error(std::string table, std::string column, std::string description, std::string sql = {})
        : error(describe(table, column, description, sql)),
          parts_(parts{std::move(table), std::move(column), std::move(description), std::move(sql)}) {}

    const std::string& table() const noexcept { return parts_->table; }
    const std::string& column() const noexcept { return parts_->column; }
    const std::string& description() const noexcept { return parts_->description; }
    const std::string& sql() const noexcept { return parts_->sql; }

private:
    struct parts {
        std::string table, column, description, sql;
    };

    static std::string describe(const std::string& table, const std::string& column, const std::string& description,
                                const std::string& sql);

    detail::shared_const<parts> parts_;
};

namespace detail {

[[gnu::cold]] inline std::string with_statement(std::string text, std::string_view sql) {
    if (!sql.empty()) {
        text += " in: ";
        append_sql_excerpt(text, sql);
    }
    return text;
}

}  // namespace detail

inline std::string value_error::describe(const std::string& table, const std::string& column,
                                         const std::string& description, const std::string& sql) {
    std::string out = "ctorm: ";
    out += table;
    if (!table.empty() && !column.empty()) out += '.';
    out += column;
    if (!table.empty() || !column.empty()) out += ": ";
    detail::append_single_line(out, description);
    return detail::with_statement(std::move(out), sql);
}

// one() or scalar() met an empty result.
class no_result_found : public error {
public:
    explicit no_result_found(std::string_view sql = {})
        : error(detail::with_statement("ctorm: no row was found when one was required", sql)) {}
};

// one() or one_or_none() met a second row.
class multiple_results_found : public error {
public:
    explicit multiple_results_found(std::string_view sql = {})
        : error(detail::with_statement("ctorm: multiple rows were found when at most one was required", sql)) {}
};

// A transaction used out of order: commit after commit, begin inside begin.
class transaction_error : public error {
public:
    explicit transaction_error(std::string_view description) : error("ctorm: " + std::string(description)) {}
};

}  // namespace ctorm
