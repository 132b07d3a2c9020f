// Binding C++ values to SQLite parameters and reading result columns back,
// the way careful hand-written code does it: no copies of strings that outlive
// the statement, and a NULL / storage-class check only when a value reads as
// zero (which is when SQLite would otherwise hide a NULL or a mismatch).
// Arrays (std::vector<T>) are kept as JSON text, written and read here.
#pragma once

#include <sqlite3.h>

#include <bit>
#include <charconv>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "ctorm/detail/chrono_text.hpp"
#include "ctorm/detail/json_array.hpp"
#include "ctorm/dialect/sqlite.hpp"
#include "ctorm/engine/decoding.hpp"
#include "ctorm/errors.hpp"
#include "ctorm/schema/extended_types.hpp"
#include "ctorm/schema/types.hpp"
#include "ctorm/sql/dynamic.hpp"
#include "ctorm/sql/statement.hpp"
#include "ctorm/sqlite/errors.hpp"

namespace ctorm::sqlite::detail {

// The name of the unique or primary key that SQLite's message ("UNIQUE
// constraint failed: t.a, t.b") names by its columns, looked up in db's
// schema, so that constraint() says what it says on PostgreSQL: the index's
// name for a unique index (ix_users_email), and PostgreSQL's names for the
// constraints ctorm leaves unnamed: <table>_pkey, <table>_<columns>_key.
// Empty when the columns match no unique key (the message's text is kept then).
[[gnu::cold]] inline std::string unique_key_name(sqlite3* db, std::string_view columns_text) {
    std::string table, columns, underscored;
    for (std::size_t at = 0; at <= columns_text.size();) {
        std::size_t end = columns_text.find(", ", at);
        if (end == std::string_view::npos) end = columns_text.size();
        const std::string_view item = columns_text.substr(at, end - at);
        const std::size_t dot = item.find('.');
        if (dot == std::string_view::npos) return {};
        if (table.empty()) table = item.substr(0, dot);
        else if (item.substr(0, dot) != table) return {};
        if (!columns.empty()) columns += ',';
        columns += item.substr(dot + 1);
        underscored += '_';
        underscored += item.substr(dot + 1);
        at = end + 2;
    }
    if (table.empty()) return {};
    // The unique indexes of the table whose columns, in order, are these; then the primary key.
    static constexpr char index_sql[] =
        "SELECT il.name, il.origin FROM pragma_index_list(?1) AS il WHERE il.\"unique\" AND "
        "(SELECT group_concat(ii.name, ',') FROM (SELECT name FROM pragma_index_info(il.name) ORDER BY seqno) AS ii) "
        "= ?2 ORDER BY il.origin = 'c' DESC LIMIT 1";
    static constexpr char key_sql[] =
        "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk)";
    std::string found;
    const auto query = [&](const char* sql, auto&& row) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) return;
        sqlite3_bind_text(s, 1, table.data(), static_cast<int>(table.size()), SQLITE_STATIC);
        sqlite3_bind_text(s, 2, columns.data(), static_cast<int>(columns.size()), SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW) row(s);
        sqlite3_finalize(s);
    };
    const auto text = [](sqlite3_stmt* s, int i) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, i))) : std::string();
    };
    query(index_sql, [&](sqlite3_stmt* s) {
        const std::string origin = text(s, 1);
        if (origin == "c") found = text(s, 0);             // CREATE UNIQUE INDEX: its own name
        else if (origin == "pk") found = table + "_pkey";  // PRIMARY KEY (not a rowid alias)
        else found = table + underscored + "_key";         // UNIQUE in the table's definition
    });
    if (found.empty()) {
        query(key_sql, [&](sqlite3_stmt* s) {
            if (text(s, 0) == columns) found = table + "_pkey";  // INTEGER PRIMARY KEY, the rowid
        });
    }
    return found;
}

// The error db reports (code: what the failed call returned), with `suffix`
// added to its message (e.g. which row of a bulk insert failed).
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_from(sqlite3* db, int code, std::string_view sql,
                                                              std::string_view suffix = {}) {
    if (!db) throw_sqlite_error(code, std::string(sqlite3_errstr(code)) + std::string(suffix), sql);
    const int extended = sqlite3_extended_errcode(db);
    std::string message = sqlite3_errmsg(db);
    // NOT NULL is no named constraint (on PostgreSQL either): constraint() stays empty.
    const std::string from_message = (extended & 0xFF) == SQLITE_CONSTRAINT && extended != SQLITE_CONSTRAINT_NOTNULL
                                         ? ctorm::detail::sqlite_constraint_from_message(message)
                                         : std::string();
    message += suffix;
    if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
        std::string name = unique_key_name(db, from_message);
        throw_sqlite_error(extended, message, sql, name.empty() ? from_message : std::move(name));
    }
    throw_sqlite_error(extended, message, sql, from_message);
}

// A value SQLite's column cannot take as ctorm writes it (a timestamp or date
// outside the years 0000-9999, which its text form does not hold): value_error
// naming the parameter and the statement. Nothing has been stepped.
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_unbindable(sqlite3_stmt* s, int i, std::string description) {
    const char* sql = sqlite3_sql(s);
    throw value_error({}, {}, "parameter ?" + std::to_string(i) + ": " + description, sql ? sql : "");
}

inline void check_bind(int rc, sqlite3_stmt* s) {
    if (rc != SQLITE_OK) [[unlikely]]
        throw_from(sqlite3_db_handle(s), rc, sqlite3_sql(s) ? sqlite3_sql(s) : "");
}

// An empty string_view or span may carry a null pointer, which SQLite would
// bind as NULL rather than as an empty value.
inline void bind_text(sqlite3_stmt* s, int i, std::string_view v, void (*lifetime)(void*)) {
    check_bind(sqlite3_bind_text64(s, i, v.data() ? v.data() : "", v.size(), lifetime, SQLITE_UTF8), s);
}

template <class V>
void bind_value(sqlite3_stmt* s, int i, const V& v) {
    if constexpr (std::is_same_v<V, bound_value>) {
        std::visit([&](const auto& alternative) { bind_value(s, i, alternative); }, v);
    } else if constexpr (std::is_same_v<V, std::nullopt_t> || std::is_same_v<V, std::monostate>) {
        check_bind(sqlite3_bind_null(s, i), s);
    } else if constexpr (is_nullable_v<V>) {
        if (v) bind_value(s, i, *v);
        else check_bind(sqlite3_bind_null(s, i), s);
    } else if constexpr (std::is_same_v<V, bool>) {
        check_bind(sqlite3_bind_int(s, i, v ? 1 : 0), s);
    } else if constexpr (named_enum<V>) {
        const std::string_view name = enum_name_or_throw(v);
        check_bind(sqlite3_bind_text(s, i, name.data(), static_cast<int>(name.size()), SQLITE_STATIC), s);
    } else if constexpr (std::is_same_v<V, ctorm::detail::enum_label>) {
        check_bind(sqlite3_bind_text(s, i, v.name.data(), static_cast<int>(v.name.size()), SQLITE_STATIC), s);
    } else if constexpr (std::is_enum_v<V>) {
        check_bind(sqlite3_bind_int64(s, i, static_cast<sqlite3_int64>(v)), s);
    } else if constexpr (std::is_integral_v<V>) {
        static_assert(!std::is_same_v<V, std::uint64_t>,
                      "ctorm: std::uint64_t does not fit SQLite's signed 64-bit integers");
        if constexpr (sizeof(V) <= 4 && !std::is_same_v<V, std::uint32_t>)
            check_bind(sqlite3_bind_int(s, i, static_cast<int>(v)), s);
        else check_bind(sqlite3_bind_int64(s, i, static_cast<sqlite3_int64>(v)), s);
    } else if constexpr (std::is_floating_point_v<V>) {
        // SQLite stores a NaN as NULL, which would lose the value silently.
        if (v != v) [[unlikely]]
            throw_sqlite_error(SQLITE_MISUSE, "SQLite cannot store NaN (it would become NULL)",
                               sqlite3_sql(s) ? sqlite3_sql(s) : "");
        check_bind(sqlite3_bind_double(s, i, static_cast<double>(v)), s);
    } else if constexpr (std::is_same_v<V, std::string_view> || std::is_same_v<V, std::string>) {
        bind_text(s, i, v, SQLITE_STATIC);
    } else if constexpr (std::is_same_v<V, blob> || std::is_same_v<V, std::span<const std::byte>>) {
        if (v.empty()) check_bind(sqlite3_bind_zeroblob(s, i, 0), s);
        else check_bind(sqlite3_bind_blob64(s, i, v.data(), v.size(), SQLITE_STATIC), s);
    } else if constexpr (std::is_same_v<V, timestamp>) {
        char text[ctorm::detail::timestamp_text_size];
        const std::size_t n = ctorm::detail::format_timestamp(v, text);
        if (n == 0) [[unlikely]]
            throw_unbindable(s, i,
                             "ctorm::timestamp " + std::to_string(v.time_since_epoch().count()) +
                                 " us since 1970-01-01 UTC is outside the years 0000-9999 that SQLite's text holds");
        bind_text(s, i, std::string_view(text, n), SQLITE_TRANSIENT);
    } else if constexpr (std::is_same_v<V, date>) {
        char text[ctorm::detail::date_text_size];
        const std::size_t n = ctorm::detail::format_date(v, text);
        if (n == 0) [[unlikely]]
            throw_unbindable(s, i,
                             "ctorm::date " + std::to_string(v.time_since_epoch().count()) +
                                 " days since 1970-01-01 is outside the years 0000-9999 that SQLite's text holds");
        bind_text(s, i, std::string_view(text, n), SQLITE_TRANSIENT);
    } else if constexpr (std::is_same_v<V, time_of_day>) {
        char text[ctorm::detail::time_of_day_text_size];
        const std::size_t n = ctorm::detail::format_time_of_day(v, text);
        if (n == 0) [[unlikely]]
            throw_unbindable(s, i,
                             "ctorm::time_of_day " + std::to_string(v.since_midnight().count()) +
                                 " us since midnight is outside 00:00-24:00");
        bind_text(s, i, std::string_view(text, n), SQLITE_TRANSIENT);
    } else if constexpr (std::is_same_v<V, numeric>) {
        bind_text(s, i, v.to_string(), SQLITE_STATIC);
    } else if constexpr (std::is_same_v<V, json>) {
        bind_text(s, i, v.text(), SQLITE_STATIC);
    } else if constexpr (std::is_same_v<V, uuid>) {
        check_bind(sqlite3_bind_blob64(s, i, v.bytes().data(), v.bytes().size(), SQLITE_STATIC), s);
    } else if constexpr (is_sql_array_v<V>) {
        std::string text;
        if (!ctorm::detail::json_array::write(v, text)) [[unlikely]]
            throw_sqlite_error(SQLITE_MISUSE,
                               "an array element has no JSON form (NaN, an infinity, or a date outside the years "
                               "0000-9999)",
                               sqlite3_sql(s) ? sqlite3_sql(s) : "");
        bind_text(s, i, text, SQLITE_TRANSIENT);
    } else {
        static_assert(meta::always_false<V>, "ctorm: no SQLite binding for this C++ type");
    }
}

// Binds a statement's values in the order its text holds their placeholders.
struct binder {
    sqlite3_stmt* statement;
    int index = 0;
    // Inline into the statement's parameter walk: one straight run of bind calls.
    template <class V>
    [[gnu::always_inline]] void operator()(const V& v) {
        bind_value(statement, ++index, v);
    }
};

// --- reading ----------------------------------------------------------------

inline std::string_view storage_class_name(int type) {
    switch (type) {
        case SQLITE_INTEGER: return "INTEGER";
        case SQLITE_FLOAT: return "REAL";
        case SQLITE_TEXT: return "TEXT";
        case SQLITE_BLOB: return "BLOB";
        default: return "NULL";
    }
}

using ctorm::detail::column_source;
using ctorm::detail::cpp_type_name;
using ctorm::detail::throw_decode_at;
using ctorm::detail::throw_out_of_range_at;
[[gnu::noinline, gnu::cold]] inline void check_storage_at(sqlite3_stmt* s, int i, int expected, int also_accepted,
                                                          column_source src, std::string_view type) {
    const int found = sqlite3_column_type(s, i);
    if (found == expected || found == also_accepted) return;
    if (found == SQLITE_NULL) ctorm::detail::throw_null_at(src, type);
    throw_decode_at(src, "expected " + std::string(storage_class_name(expected)) + " for " + std::string(type) +
                             ", got " + std::string(storage_class_name(found)));
}
// The text a numeric column may hold, as the README documents it:
// [+-]digits[.digits] or a word (NaN, Infinity, -Infinity: numeric::parse
// decides). numeric::parse alone also takes "1." and ".5".
inline bool documented_decimal(std::string_view text) noexcept {
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) text.remove_prefix(1);
    if (text.empty() || ((text[0] < '0' || text[0] > '9') && text[0] != '.')) return true;  // a word, or nothing
    const std::size_t point = text.find('.');
    return point != 0 && (point == std::string_view::npos || point + 1 < text.size());
}

// The types whose decoding parses text or checks sizes: called, not forced
// inline into every row reader as read_value is.
template <class T>
void read_extended(sqlite3_stmt* s, int i, T& out, const column_source& src) {
    if constexpr (std::is_same_v<T, timestamp> || std::is_same_v<T, date> || std::is_same_v<T, time_of_day>) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        if (!p) [[unlikely]]
            check_storage_at(s, i, SQLITE_TEXT, -1, src, cpp_type_name<T>());
        const std::string_view text(p ? p : "", p ? static_cast<std::size_t>(sqlite3_column_bytes(s, i)) : 0);
        bool ok;
        if constexpr (std::is_same_v<T, timestamp>) ok = ctorm::detail::parse_timestamp(text, out);
        else if constexpr (std::is_same_v<T, date>) ok = ctorm::detail::parse_date(text, out);
        else ok = ctorm::detail::parse_time_of_day(text, out);
        if (!ok) [[unlikely]]
            throw_decode_at(src, "'" + std::string(text) + "' is not a valid " + std::string(cpp_type_name<T>()));
    } else if constexpr (std::is_same_v<T, numeric>) {
        // Exact text, or an integer; a REAL is already inexact, so it is refused.
        const int type = sqlite3_column_type(s, i);
        if (type != SQLITE_TEXT) [[unlikely]]
            check_storage_at(s, i, SQLITE_TEXT, SQLITE_INTEGER, src, cpp_type_name<T>());
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        const std::string_view text(p ? p : "", p ? static_cast<std::size_t>(sqlite3_column_bytes(s, i)) : 0);
        std::optional<numeric> n = documented_decimal(text) ? numeric::parse(text) : std::nullopt;
        if (!n) [[unlikely]]
            throw_decode_at(src, "'" + std::string(text) + "' is not a valid ctorm::numeric");
        out = std::move(*n);
    } else if constexpr (std::is_same_v<T, uuid>) {
        if (sqlite3_column_type(s, i) != SQLITE_BLOB) [[unlikely]]
            check_storage_at(s, i, SQLITE_BLOB, -1, src, cpp_type_name<T>());
        const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(s, i));
        const int n = p ? sqlite3_column_bytes(s, i) : 0;
        if (n != 16) [[unlikely]]
            throw_decode_at(src, "a BLOB of " + std::to_string(n) + " bytes is not a ctorm::uuid (16 bytes)");
        uuid::bytes_type bytes;
        std::memcpy(bytes.data(), p, 16);
        out = uuid(bytes);
    } else if constexpr (std::is_same_v<T, json> || is_sql_array_v<T>) {
        if (sqlite3_column_type(s, i) != SQLITE_TEXT) [[unlikely]]
            check_storage_at(s, i, SQLITE_TEXT, -1, src, cpp_type_name<T>());
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        const std::string_view text(p ? p : "", p ? static_cast<std::size_t>(sqlite3_column_bytes(s, i)) : 0);
        if constexpr (std::is_same_v<T, json>) {
            out = json(std::string(text));
        } else {
            const std::string problem = ctorm::detail::json_array::read(text, out);
            if (!problem.empty()) [[unlikely]]
                throw_decode_at(src, "cannot read " + std::string(cpp_type_name<T>()) + ": " + problem);
        }
    } else {
        static_assert(meta::always_false<T>, "ctorm: no SQLite decoding for this C++ type");
    }
}

[[noreturn, gnu::cold, gnu::noinline]] inline void throw_not_bool_at(column_source src, sqlite3_int64 v) {
    throw_decode_at(src, std::to_string(v) + " is not a bool (0 or 1)");
}

// The storage classes a value of T may be read from (the second is -1 when
// only one is): what a STRICT column of T's SQL type holds.
template <class T>
constexpr std::pair<int, int> storage_classes() {
    if constexpr (std::is_same_v<T, bool> || std::is_integral_v<T> || integer_enum<T>) return {SQLITE_INTEGER, -1};
    else if constexpr (std::is_floating_point_v<T>) return {SQLITE_FLOAT, SQLITE_INTEGER};
    else if constexpr (std::is_same_v<T, numeric>) return {SQLITE_TEXT, SQLITE_INTEGER};
    else if constexpr (std::is_same_v<T, blob> || std::is_same_v<T, uuid>) return {SQLITE_BLOB, -1};
    else return {SQLITE_TEXT, -1};  // text, timestamps, dates, times of day, JSON, arrays
}

// A checked read (a statement reading a table that is not STRICT, or a view,
// or SQL text ctorm did not write) first asks the value's storage class:
// SQLite would otherwise convert REAL 3.5 to 3 or TEXT '12' to 12 silently.
// It must be asked before the value is read, which may convert it.
template <bool Checked, class T>
[[gnu::always_inline]] inline void check_storage(sqlite3_stmt* s, int i, const column_source& src) {
    if constexpr (Checked && !is_nullable_v<T>) {
        constexpr std::pair<int, int> classes = storage_classes<T>();
        const int found = sqlite3_column_type(s, i);
        if (found != classes.first && found != classes.second) [[unlikely]]
            check_storage_at(s, i, classes.first, classes.second, src, cpp_type_name<T>());
    }
}

// Checked: see check_storage. Inline into the row reader (one straight run of
// C-API calls per row).
template <bool Checked = false, class T>
[[gnu::always_inline]] inline void read_value(sqlite3_stmt* s, int i, T& out, const column_source& src) {
    check_storage<Checked, T>(s, i, src);
    if constexpr (is_nullable_v<T>) {
        if (sqlite3_column_type(s, i) == SQLITE_NULL) {
            out.reset();
        } else {
            read_value<Checked>(s, i, out.emplace(), src);
        }
    } else if constexpr (named_enum<T>) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        const std::string_view name(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
        if (text == nullptr) [[unlikely]]
            check_storage_at(s, i, SQLITE_TEXT, -1, src, cpp_type_name<T>());
        const std::optional<T> value = enum_from_name<T>(name);
        if (!value) [[unlikely]]
            throw_not_enum_name_at(src, name, cpp_type_name<T>());
        out = *value;
    } else if constexpr (std::is_same_v<T, bool> || std::is_integral_v<T> || std::is_enum_v<T>) {
        const sqlite3_int64 v = sqlite3_column_int64(s, i);
        if (v == 0) [[unlikely]]
            check_storage_at(s, i, SQLITE_INTEGER, -1, src, cpp_type_name<T>());
        if constexpr (std::is_same_v<T, bool>) {
            // A STRICT INTEGER column holds any integer: 2 is not true.
            if (static_cast<std::uint64_t>(v) > 1) [[unlikely]]
                throw_not_bool_at(src, v);
            out = v != 0;
        } else {
            using I =
                typename std::conditional_t<std::is_enum_v<T>, std::underlying_type<T>, std::type_identity<T>>::type;
            if constexpr (!std::is_same_v<I, std::int64_t>) {
                // One unsigned comparison: v - min above max - min.
                constexpr auto low =
                    static_cast<std::uint64_t>(static_cast<sqlite3_int64>(std::numeric_limits<I>::min()));
                constexpr auto span =
                    static_cast<std::uint64_t>(static_cast<sqlite3_int64>(std::numeric_limits<I>::max())) - low;
                if (static_cast<std::uint64_t>(v) - low > span) [[unlikely]]
                    throw_out_of_range_at(src, v, cpp_type_name<T>());
            }
            out = static_cast<T>(v);
        }
    } else if constexpr (std::is_floating_point_v<T>) {
        const double v = sqlite3_column_double(s, i);
        // NULL reads as +0.0; testing the bits is one instruction fewer than v == 0.
        if (std::bit_cast<std::uint64_t>(v) == 0) [[unlikely]]
            check_storage_at(s, i, SQLITE_FLOAT, SQLITE_INTEGER, src, cpp_type_name<T>());
        out = static_cast<T>(v);
    } else if constexpr (std::is_same_v<T, std::string>) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        if (!p) [[unlikely]] {
            check_storage_at(s, i, SQLITE_TEXT, -1, src, cpp_type_name<T>());
            out.clear();
            return;
        }
        out.assign(p, static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
    } else if constexpr (std::is_same_v<T, blob>) {
        const auto* p = static_cast<const std::byte*>(sqlite3_column_blob(s, i));
        if (!p) {  // an empty blob has no pointer either
            check_storage_at(s, i, SQLITE_BLOB, -1, src, cpp_type_name<T>());
            out.clear();
            return;
        }
        out.assign(p, p + sqlite3_column_bytes(s, i));
    } else {
        read_extended(s, i, out, src);
    }
}

template <class Slots>
struct row_reader;
template <class... Slots>
struct row_reader<type_list<Slots...>> {
    // Checked: every value's storage class is asked first (see check_storage).
    template <bool Checked = false, class Row>
    [[gnu::always_inline]] static void read(sqlite3_stmt* s, Row& row) {
        read_all<Checked>(s, row, std::index_sequence_for<Slots...>{});
    }
    template <bool Checked, class Row, std::size_t... Is>
    [[gnu::always_inline]] static void read_all(sqlite3_stmt* s, Row& row, std::index_sequence<Is...>) {
        (read_value<Checked>(s, static_cast<int>(Is), Slots::target(row),
                             ctorm::detail::source_v<sqlite_dialect, typename Slots::expression_type>),
         ...);
    }
    // Slots read columns First, First + 1, ... (a part of a row).
    template <std::size_t First, bool Checked = false, class Row>
    static void read_from(sqlite3_stmt* s, Row& row) {
        read_from<First, Checked>(s, row, std::index_sequence_for<Slots...>{});
    }
    template <std::size_t First, bool Checked, class Row, std::size_t... Is>
    static void read_from(sqlite3_stmt* s, Row& row, std::index_sequence<Is...>) {
        (read_value<Checked>(s, static_cast<int>(First + Is), Slots::target(row),
                             ctorm::detail::source_v<sqlite_dialect, typename Slots::expression_type>),
         ...);
    }
};

}  // namespace ctorm::sqlite::detail
