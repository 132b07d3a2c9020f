// SQLite's result codes, their names, and the exception each becomes. No
// sqlite3.h here: the codes are spelled out, so the error mapping can be
// tested without the library.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "ctorm/dialect/sqlite.hpp"
#include "ctorm/errors.hpp"

namespace ctorm {

namespace detail {

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

// The code as what() shows it: "sqlite code 2067 SQLITE_CONSTRAINT_UNIQUE".
[[gnu::cold]] inline std::string sqlite_code_text(int code) {
    std::string out = "sqlite code " + std::to_string(code);
    if (auto name = sqlite_code_name(code); !name.empty()) {
        out += ' ';
        out += name;
    } else if (auto primary = sqlite_code_name(code & 0xFF); !primary.empty()) {
        // An extended code newer than our table: its primary code still tells
        // the reader which family it belongs to.
        out += ' ';
        out += primary;
        out += " (extended)";
    }
    return out;
}

}  // namespace detail

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

// constraint: the violated constraint's name (the adapter looks unique keys
// up in the schema, see sqlite/values.hpp); the 3-argument form takes what
// SQLite's message names.
[[noreturn, gnu::cold]] inline void throw_sqlite_error(int extended_code, std::string_view message,
                                                       std::string_view sql, std::string constraint) {
    namespace codes = detail::sqlite_codes;
    const int primary = extended_code & 0xFF;
    database_error_details details{
        sqlite_dialect::name,
        extended_code,
        {},
        std::string(message),
        std::string(sql),
        std::move(constraint),
        detail::sqlite_code_text(extended_code),
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

[[noreturn, gnu::cold]] inline void throw_sqlite_error(int extended_code, std::string_view message,
                                                       std::string_view sql) {
    const bool constraint = (extended_code & 0xFF) == detail::sqlite_codes::constraint;
    throw_sqlite_error(extended_code, message, sql,
                       constraint ? detail::sqlite_constraint_from_message(message) : std::string());
}

}  // namespace ctorm
