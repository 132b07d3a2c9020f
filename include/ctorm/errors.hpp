// ctorm's exception hierarchy and the mapping of SQLite result codes and PostgreSQL SQLSTATEs onto it.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "ctorm/detail/shared_const.hpp"

namespace ctorm {

enum class backend { sqlite, postgres };

// Base of everything ctorm throws, so one catch clause can cover the library.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Everything a backend reported about one failure. A plain aggregate so an
// adapter can fill it with designated initializers (name every field: g++ 12's
// -Wmissing-field-initializers flags omitted trailing ones).
struct database_error_details {
    ctorm::backend backend = ctorm::backend::sqlite;
    int code = 0;            // SQLite extended result code; 0 for PostgreSQL
    std::string sqlstate;    // empty for SQLite
    std::string message;     // the backend's own text, unchanged
    std::string sql;         // the statement that failed, or empty
    std::string constraint;  // the violated constraint when the backend names it
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

// SQLite's result codes, from https://www.sqlite.org/rescode.html. Spelled
// out here so that this header does not need sqlite3.h (the query builder must
// compile without any database library); tests/sqlite/sqlite_codes_test.cpp
// checks each value against the real macros.
namespace sqlite_codes {
inline constexpr int ok = 0;
inline constexpr int error = 1;
inline constexpr int internal = 2;
inline constexpr int perm = 3;
inline constexpr int abort = 4;
inline constexpr int busy = 5;
inline constexpr int locked = 6;
inline constexpr int nomem = 7;
inline constexpr int readonly = 8;
inline constexpr int interrupt = 9;
inline constexpr int ioerr = 10;
inline constexpr int corrupt = 11;
inline constexpr int notfound = 12;
inline constexpr int full = 13;
inline constexpr int cantopen = 14;
inline constexpr int protocol = 15;
inline constexpr int empty = 16;
inline constexpr int schema = 17;
inline constexpr int toobig = 18;
inline constexpr int constraint = 19;
inline constexpr int mismatch = 20;
inline constexpr int misuse = 21;
inline constexpr int nolfs = 22;
inline constexpr int auth = 23;
inline constexpr int format = 24;
inline constexpr int range = 25;
inline constexpr int notadb = 26;
inline constexpr int notice = 27;
inline constexpr int warning = 28;
inline constexpr int row = 100;
inline constexpr int done = 101;

inline constexpr int error_missing_collseq = error | (1 << 8);
inline constexpr int error_retry = error | (2 << 8);
inline constexpr int error_snapshot = error | (3 << 8);
inline constexpr int ioerr_read = ioerr | (1 << 8);
inline constexpr int ioerr_short_read = ioerr | (2 << 8);
inline constexpr int ioerr_write = ioerr | (3 << 8);
inline constexpr int ioerr_fsync = ioerr | (4 << 8);
inline constexpr int ioerr_dir_fsync = ioerr | (5 << 8);
inline constexpr int ioerr_truncate = ioerr | (6 << 8);
inline constexpr int ioerr_fstat = ioerr | (7 << 8);
inline constexpr int ioerr_unlock = ioerr | (8 << 8);
inline constexpr int ioerr_rdlock = ioerr | (9 << 8);
inline constexpr int ioerr_delete = ioerr | (10 << 8);
inline constexpr int ioerr_blocked = ioerr | (11 << 8);
inline constexpr int ioerr_nomem = ioerr | (12 << 8);
inline constexpr int ioerr_access = ioerr | (13 << 8);
inline constexpr int ioerr_checkreservedlock = ioerr | (14 << 8);
inline constexpr int ioerr_lock = ioerr | (15 << 8);
inline constexpr int ioerr_close = ioerr | (16 << 8);
inline constexpr int ioerr_dir_close = ioerr | (17 << 8);
inline constexpr int ioerr_shmopen = ioerr | (18 << 8);
inline constexpr int ioerr_shmsize = ioerr | (19 << 8);
inline constexpr int ioerr_shmlock = ioerr | (20 << 8);
inline constexpr int ioerr_shmmap = ioerr | (21 << 8);
inline constexpr int ioerr_seek = ioerr | (22 << 8);
inline constexpr int ioerr_delete_noent = ioerr | (23 << 8);
inline constexpr int ioerr_mmap = ioerr | (24 << 8);
inline constexpr int ioerr_gettemppath = ioerr | (25 << 8);
inline constexpr int ioerr_convpath = ioerr | (26 << 8);
inline constexpr int ioerr_vnode = ioerr | (27 << 8);
inline constexpr int ioerr_auth = ioerr | (28 << 8);
inline constexpr int ioerr_begin_atomic = ioerr | (29 << 8);
inline constexpr int ioerr_commit_atomic = ioerr | (30 << 8);
inline constexpr int ioerr_rollback_atomic = ioerr | (31 << 8);
inline constexpr int ioerr_data = ioerr | (32 << 8);
inline constexpr int ioerr_corruptfs = ioerr | (33 << 8);
inline constexpr int locked_sharedcache = locked | (1 << 8);
inline constexpr int locked_vtab = locked | (2 << 8);
inline constexpr int busy_recovery = busy | (1 << 8);
inline constexpr int busy_snapshot = busy | (2 << 8);
inline constexpr int busy_timeout = busy | (3 << 8);
inline constexpr int cantopen_notempdir = cantopen | (1 << 8);
inline constexpr int cantopen_isdir = cantopen | (2 << 8);
inline constexpr int cantopen_fullpath = cantopen | (3 << 8);
inline constexpr int cantopen_convpath = cantopen | (4 << 8);
inline constexpr int cantopen_symlink = cantopen | (6 << 8);
inline constexpr int corrupt_vtab = corrupt | (1 << 8);
inline constexpr int corrupt_sequence = corrupt | (2 << 8);
inline constexpr int corrupt_index = corrupt | (3 << 8);
inline constexpr int readonly_recovery = readonly | (1 << 8);
inline constexpr int readonly_cantlock = readonly | (2 << 8);
inline constexpr int readonly_rollback = readonly | (3 << 8);
inline constexpr int readonly_dbmoved = readonly | (4 << 8);
inline constexpr int readonly_cantinit = readonly | (5 << 8);
inline constexpr int readonly_directory = readonly | (6 << 8);
inline constexpr int abort_rollback = abort | (2 << 8);
inline constexpr int constraint_check = constraint | (1 << 8);
inline constexpr int constraint_commithook = constraint | (2 << 8);
inline constexpr int constraint_foreignkey = constraint | (3 << 8);
inline constexpr int constraint_function = constraint | (4 << 8);
inline constexpr int constraint_notnull = constraint | (5 << 8);
inline constexpr int constraint_primarykey = constraint | (6 << 8);
inline constexpr int constraint_trigger = constraint | (7 << 8);
inline constexpr int constraint_unique = constraint | (8 << 8);
inline constexpr int constraint_vtab = constraint | (9 << 8);
inline constexpr int constraint_rowid = constraint | (10 << 8);
inline constexpr int constraint_pinned = constraint | (11 << 8);
inline constexpr int constraint_datatype = constraint | (12 << 8);
inline constexpr int notice_recover_wal = notice | (1 << 8);
inline constexpr int notice_recover_rollback = notice | (2 << 8);
inline constexpr int warning_autoindex = warning | (1 << 8);
inline constexpr int auth_user = auth | (1 << 8);

struct named_code {
    int code;
    std::string_view name;
};

// Every constant above, by the name SQLite's documentation uses.
inline constexpr named_code names[] = {
    {ok, "SQLITE_OK"},
    {error, "SQLITE_ERROR"},
    {internal, "SQLITE_INTERNAL"},
    {perm, "SQLITE_PERM"},
    {abort, "SQLITE_ABORT"},
    {busy, "SQLITE_BUSY"},
    {locked, "SQLITE_LOCKED"},
    {nomem, "SQLITE_NOMEM"},
    {readonly, "SQLITE_READONLY"},
    {interrupt, "SQLITE_INTERRUPT"},
    {ioerr, "SQLITE_IOERR"},
    {corrupt, "SQLITE_CORRUPT"},
    {notfound, "SQLITE_NOTFOUND"},
    {full, "SQLITE_FULL"},
    {cantopen, "SQLITE_CANTOPEN"},
    {protocol, "SQLITE_PROTOCOL"},
    {empty, "SQLITE_EMPTY"},
    {schema, "SQLITE_SCHEMA"},
    {toobig, "SQLITE_TOOBIG"},
    {constraint, "SQLITE_CONSTRAINT"},
    {mismatch, "SQLITE_MISMATCH"},
    {misuse, "SQLITE_MISUSE"},
    {nolfs, "SQLITE_NOLFS"},
    {auth, "SQLITE_AUTH"},
    {format, "SQLITE_FORMAT"},
    {range, "SQLITE_RANGE"},
    {notadb, "SQLITE_NOTADB"},
    {notice, "SQLITE_NOTICE"},
    {warning, "SQLITE_WARNING"},
    {row, "SQLITE_ROW"},
    {done, "SQLITE_DONE"},
    {error_missing_collseq, "SQLITE_ERROR_MISSING_COLLSEQ"},
    {error_retry, "SQLITE_ERROR_RETRY"},
    {error_snapshot, "SQLITE_ERROR_SNAPSHOT"},
    {ioerr_read, "SQLITE_IOERR_READ"},
    {ioerr_short_read, "SQLITE_IOERR_SHORT_READ"},
    {ioerr_write, "SQLITE_IOERR_WRITE"},
    {ioerr_fsync, "SQLITE_IOERR_FSYNC"},
    {ioerr_dir_fsync, "SQLITE_IOERR_DIR_FSYNC"},
    {ioerr_truncate, "SQLITE_IOERR_TRUNCATE"},
    {ioerr_fstat, "SQLITE_IOERR_FSTAT"},
    {ioerr_unlock, "SQLITE_IOERR_UNLOCK"},
    {ioerr_rdlock, "SQLITE_IOERR_RDLOCK"},
    {ioerr_delete, "SQLITE_IOERR_DELETE"},
    {ioerr_blocked, "SQLITE_IOERR_BLOCKED"},
    {ioerr_nomem, "SQLITE_IOERR_NOMEM"},
    {ioerr_access, "SQLITE_IOERR_ACCESS"},
    {ioerr_checkreservedlock, "SQLITE_IOERR_CHECKRESERVEDLOCK"},
    {ioerr_lock, "SQLITE_IOERR_LOCK"},
    {ioerr_close, "SQLITE_IOERR_CLOSE"},
    {ioerr_dir_close, "SQLITE_IOERR_DIR_CLOSE"},
    {ioerr_shmopen, "SQLITE_IOERR_SHMOPEN"},
    {ioerr_shmsize, "SQLITE_IOERR_SHMSIZE"},
    {ioerr_shmlock, "SQLITE_IOERR_SHMLOCK"},
    {ioerr_shmmap, "SQLITE_IOERR_SHMMAP"},
    {ioerr_seek, "SQLITE_IOERR_SEEK"},
    {ioerr_delete_noent, "SQLITE_IOERR_DELETE_NOENT"},
    {ioerr_mmap, "SQLITE_IOERR_MMAP"},
    {ioerr_gettemppath, "SQLITE_IOERR_GETTEMPPATH"},
    {ioerr_convpath, "SQLITE_IOERR_CONVPATH"},
    {ioerr_vnode, "SQLITE_IOERR_VNODE"},
    {ioerr_auth, "SQLITE_IOERR_AUTH"},
    {ioerr_begin_atomic, "SQLITE_IOERR_BEGIN_ATOMIC"},
    {ioerr_commit_atomic, "SQLITE_IOERR_COMMIT_ATOMIC"},
    {ioerr_rollback_atomic, "SQLITE_IOERR_ROLLBACK_ATOMIC"},
    {ioerr_data, "SQLITE_IOERR_DATA"},
    {ioerr_corruptfs, "SQLITE_IOERR_CORRUPTFS"},
    {locked_sharedcache, "SQLITE_LOCKED_SHAREDCACHE"},
    {locked_vtab, "SQLITE_LOCKED_VTAB"},
    {busy_recovery, "SQLITE_BUSY_RECOVERY"},
    {busy_snapshot, "SQLITE_BUSY_SNAPSHOT"},
    {busy_timeout, "SQLITE_BUSY_TIMEOUT"},
    {cantopen_notempdir, "SQLITE_CANTOPEN_NOTEMPDIR"},
    {cantopen_isdir, "SQLITE_CANTOPEN_ISDIR"},
    {cantopen_fullpath, "SQLITE_CANTOPEN_FULLPATH"},
    {cantopen_convpath, "SQLITE_CANTOPEN_CONVPATH"},
    {cantopen_symlink, "SQLITE_CANTOPEN_SYMLINK"},
    {corrupt_vtab, "SQLITE_CORRUPT_VTAB"},
    {corrupt_sequence, "SQLITE_CORRUPT_SEQUENCE"},
    {corrupt_index, "SQLITE_CORRUPT_INDEX"},
    {readonly_recovery, "SQLITE_READONLY_RECOVERY"},
    {readonly_cantlock, "SQLITE_READONLY_CANTLOCK"},
    {readonly_rollback, "SQLITE_READONLY_ROLLBACK"},
    {readonly_dbmoved, "SQLITE_READONLY_DBMOVED"},
    {readonly_cantinit, "SQLITE_READONLY_CANTINIT"},
    {readonly_directory, "SQLITE_READONLY_DIRECTORY"},
    {abort_rollback, "SQLITE_ABORT_ROLLBACK"},
    {constraint_check, "SQLITE_CONSTRAINT_CHECK"},
    {constraint_commithook, "SQLITE_CONSTRAINT_COMMITHOOK"},
    {constraint_foreignkey, "SQLITE_CONSTRAINT_FOREIGNKEY"},
    {constraint_function, "SQLITE_CONSTRAINT_FUNCTION"},
    {constraint_notnull, "SQLITE_CONSTRAINT_NOTNULL"},
    {constraint_primarykey, "SQLITE_CONSTRAINT_PRIMARYKEY"},
    {constraint_trigger, "SQLITE_CONSTRAINT_TRIGGER"},
    {constraint_unique, "SQLITE_CONSTRAINT_UNIQUE"},
    {constraint_vtab, "SQLITE_CONSTRAINT_VTAB"},
    {constraint_rowid, "SQLITE_CONSTRAINT_ROWID"},
    {constraint_pinned, "SQLITE_CONSTRAINT_PINNED"},
    {constraint_datatype, "SQLITE_CONSTRAINT_DATATYPE"},
    {notice_recover_wal, "SQLITE_NOTICE_RECOVER_WAL"},
    {notice_recover_rollback, "SQLITE_NOTICE_RECOVER_ROLLBACK"},
    {warning_autoindex, "SQLITE_WARNING_AUTOINDEX"},
    {auth_user, "SQLITE_AUTH_USER"},
};

}  // namespace sqlite_codes

// Empty when the code is unknown (a newer SQLite than this table).
inline std::string_view sqlite_code_name(int code) noexcept {
    for (const auto& entry : sqlite_codes::names) {
        if (entry.code == code) {
            return entry.name;
        }
    }
    return {};
}

struct named_sqlstate {
    std::string_view sqlstate;
    std::string_view name;
};

// The conditions a ctorm user is likely to meet, named as in PostgreSQL's
// Appendix A, so what() reads "unique_violation" and not only "23505".
inline constexpr named_sqlstate postgres_condition_names[] = {
    {"08000", "connection_exception"},
    {"08001", "sqlclient_unable_to_establish_sqlconnection"},
    {"08003", "connection_does_not_exist"},
    {"08004", "sqlserver_rejected_establishment_of_sqlconnection"},
    {"08006", "connection_failure"},
    {"08007", "transaction_resolution_unknown"},
    {"08P01", "protocol_violation"},
    {"0A000", "feature_not_supported"},
    {"21000", "cardinality_violation"},
    {"22001", "string_data_right_truncation"},
    {"22003", "numeric_value_out_of_range"},
    {"22004", "null_value_not_allowed"},
    {"22007", "invalid_datetime_format"},
    {"22008", "datetime_field_overflow"},
    {"22012", "division_by_zero"},
    {"22021", "character_not_in_repertoire"},
    {"22023", "invalid_parameter_value"},
    {"22P02", "invalid_text_representation"},
    {"23000", "integrity_constraint_violation"},
    {"23001", "restrict_violation"},
    {"23502", "not_null_violation"},
    {"23503", "foreign_key_violation"},
    {"23505", "unique_violation"},
    {"23514", "check_violation"},
    {"23P01", "exclusion_violation"},
    {"25001", "active_sql_transaction"},
    {"25006", "read_only_sql_transaction"},
    {"25P01", "no_active_sql_transaction"},
    {"25P02", "in_failed_sql_transaction"},
    {"25P03", "idle_in_transaction_session_timeout"},
    {"28000", "invalid_authorization_specification"},
    {"28P01", "invalid_password"},
    {"3D000", "invalid_catalog_name"},
    {"3F000", "invalid_schema_name"},
    {"40000", "transaction_rollback"},
    {"40001", "serialization_failure"},
    {"40002", "transaction_integrity_constraint_violation"},
    {"40003", "statement_completion_unknown"},
    {"40P01", "deadlock_detected"},
    {"42000", "syntax_error_or_access_rule_violation"},
    {"42501", "insufficient_privilege"},
    {"42601", "syntax_error"},
    {"42701", "duplicate_column"},
    {"42702", "ambiguous_column"},
    {"42703", "undefined_column"},
    {"42704", "undefined_object"},
    {"42710", "duplicate_object"},
    {"42725", "ambiguous_function"},
    {"42803", "grouping_error"},
    {"42804", "datatype_mismatch"},
    {"42830", "invalid_foreign_key"},
    {"42846", "cannot_coerce"},
    {"42883", "undefined_function"},
    {"42P01", "undefined_table"},
    {"42P02", "undefined_parameter"},
    {"42P04", "duplicate_database"},
    {"42P06", "duplicate_schema"},
    {"42P07", "duplicate_table"},
    {"42P18", "indeterminate_datatype"},
    {"53000", "insufficient_resources"},
    {"53100", "disk_full"},
    {"53200", "out_of_memory"},
    {"53300", "too_many_connections"},
    {"54000", "program_limit_exceeded"},
    {"55000", "object_not_in_prerequisite_state"},
    {"55006", "object_in_use"},
    {"55P03", "lock_not_available"},
    {"57000", "operator_intervention"},
    {"57014", "query_canceled"},
    {"57P01", "admin_shutdown"},
    {"57P02", "crash_shutdown"},
    {"57P03", "cannot_connect_now"},
    {"57P04", "database_dropped"},
    {"57P05", "idle_session_timeout"},
    {"58000", "system_error"},
    {"58030", "io_error"},
    {"XX000", "internal_error"},
    {"XX001", "data_corrupted"},
    {"XX002", "index_corrupted"},
};

inline std::string_view postgres_condition_name(std::string_view sqlstate) noexcept {
    for (const auto& entry : postgres_condition_names) {
        if (entry.sqlstate == sqlstate) {
            return entry.name;
        }
    }
    return {};
}

[[gnu::cold]] inline std::string describe_database_error(const database_error_details& details) {
    std::string out = "ctorm: ";
    append_single_line(out, details.message);
    if (details.message.empty()) {
        out += "database error";
    }
    if (details.backend == ctorm::backend::sqlite) {
        out += " [sqlite code ";
        out += std::to_string(details.code);
        if (auto name = sqlite_code_name(details.code); !name.empty()) {
            out += ' ';
            out += name;
        } else if (auto primary = sqlite_code_name(details.code & 0xFF); !primary.empty()) {
            // An extended code newer than our table: its primary code still tells
            // the reader which family it belongs to.
            out += ' ';
            out += primary;
            out += " (extended)";
        }
    } else {
        out += " [postgres SQLSTATE ";
        append_single_line(out, details.sqlstate);
        if (auto name = postgres_condition_name(details.sqlstate); !name.empty()) {
            out += ' ';
            out += name;
        }
    }
    out += ']';
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

    ctorm::backend backend() const noexcept { return details_->backend; }
    int code() const noexcept { return details_->code; }
    const std::string& sqlstate() const noexcept { return details_->sqlstate; }
    const std::string& message() const noexcept { return details_->message; }
    const std::string& sql() const noexcept { return details_->sql; }
    const std::string& constraint() const noexcept { return details_->constraint; }

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

// A value the database cannot take as given: too long for its column,
// out of range, malformed text for its type (PostgreSQL class 22).
class data_error : public database_error {
public:
    using database_error::database_error;
};

namespace detail {

// A URL that failed to parse may be mangled in any way, so this does not
// parse: it hides everything that could be a password, erring towards hiding
// too much. From the scheme's "//" (or the start) to the last '@', everything
// after the first ':' is userinfo password; values of password= query
// parameters are hidden too.
[[gnu::cold]] inline std::string redact_url_text(std::string_view text) {
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

namespace detail {

[[gnu::cold]] inline std::string with_statement(std::string text, std::string_view sql) {
    if (!sql.empty()) {
        text += " in: ";
        append_sql_excerpt(text, sql);
    }
    return text;
}

}  // namespace detail

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

namespace detail {

// SQLite names the violated columns or constraint after this marker, e.g.
// "UNIQUE constraint failed: users.email" or "CHECK constraint failed: price_positive".
[[gnu::cold]] inline std::string sqlite_constraint_from_message(std::string_view message) {
    constexpr std::string_view marker = "constraint failed: ";
    auto at = message.find(marker);
    if (at == std::string_view::npos) {
        return {};
    }
    auto rest = message.substr(at + marker.size());
    while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\n')) {
        rest.remove_suffix(1);
    }
    return std::string(rest);
}

}  // namespace detail

[[noreturn, gnu::cold]] inline void throw_sqlite_error(int extended_code, std::string_view message,
                                                       std::string_view sql) {
    namespace codes = detail::sqlite_codes;
    const int primary = extended_code & 0xFF;
    database_error_details details{
        ctorm::backend::sqlite,
        extended_code,
        {},
        std::string(message),
        std::string(sql),
        primary == codes::constraint ? detail::sqlite_constraint_from_message(message) : std::string(),
    };
    switch (extended_code) {
        case codes::constraint_unique:
        case codes::constraint_primarykey:
        case codes::constraint_rowid:  // "rowid is not unique": a uniqueness failure too
            throw unique_violation(std::move(details));
        case codes::constraint_foreignkey: throw foreign_key_violation(std::move(details));
        case codes::constraint_notnull: throw not_null_violation(std::move(details));
        case codes::constraint_check: throw check_violation(std::move(details));
        default: break;
    }
    switch (primary) {
        case codes::constraint:
        case codes::mismatch:  // e.g. a non-integer into INTEGER PRIMARY KEY
            throw integrity_error(std::move(details));
        case codes::busy:
        case codes::locked: throw busy_error(std::move(details));
        case codes::cantopen:
        case codes::ioerr:
        case codes::full:
        case codes::notadb:
        case codes::corrupt:
        case codes::readonly:
        case codes::perm:
        case codes::interrupt:
        case codes::protocol:
        case codes::nolfs: throw operational_error(std::move(details));
        case codes::error:
        case codes::misuse:
        case codes::range: throw programming_error(std::move(details));
        default: throw database_error(std::move(details));
    }
}

[[noreturn, gnu::cold]] inline void throw_postgres_error(std::string_view sqlstate, std::string_view message,
                                                         std::string_view sql, std::string_view constraint) {
    database_error_details details{
        ctorm::backend::postgres, 0, std::string(sqlstate), std::string(message), std::string(sql),
        std::string(constraint),
    };
    if (sqlstate.size() != 5) {
        throw database_error(std::move(details));
    }
    const auto condition_class = sqlstate.substr(0, 2);
    if (condition_class == "23") {
        if (sqlstate == "23505") throw unique_violation(std::move(details));
        if (sqlstate == "23503") throw foreign_key_violation(std::move(details));
        if (sqlstate == "23502") throw not_null_violation(std::move(details));
        if (sqlstate == "23514") throw check_violation(std::move(details));
        throw integrity_error(std::move(details));
    }
    if (condition_class == "22") throw data_error(std::move(details));
    if (sqlstate == "40001") throw serialization_failure(std::move(details));
    if (sqlstate == "40P01") throw deadlock_detected(std::move(details));
    // The server ended the session (shutdown, idle timeouts): the connection is
    // gone, which is what a pool needs to know.
    if (condition_class == "08" || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03" ||
        sqlstate == "57P05" || sqlstate == "25P03") {
        throw connection_error(std::move(details));
    }
    // NOWAIT or lock_timeout: the PostgreSQL counterpart of SQLITE_BUSY.
    if (sqlstate == "55P03") throw busy_error(std::move(details));
    if (condition_class == "42" || condition_class == "0A" || condition_class == "26" || condition_class == "34" ||
        condition_class == "3D" || condition_class == "3F" || condition_class == "44") {
        throw programming_error(std::move(details));
    }
    if (condition_class == "40" || condition_class == "53" || condition_class == "54" || condition_class == "55" ||
        condition_class == "57" || condition_class == "58" || condition_class == "28" || condition_class == "HV" ||
        sqlstate == "XX001" || sqlstate == "XX002") {
        throw operational_error(std::move(details));
    }
    throw database_error(std::move(details));
}

}  // namespace ctorm
