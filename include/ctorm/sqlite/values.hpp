// Binding C++ values to SQLite parameters and reading result columns back,
// the way careful hand-written code does it: no copies of strings that outlive
// the statement, and a NULL / storage-class check only when a value reads as
// zero (which is when SQLite would otherwise hide a NULL or a mismatch).
#pragma once

#include <sqlite3.h>

#include <climits>
#include <cstring>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "ctorm/detail/chrono_text.hpp"
#include "ctorm/dialect/sqlite.hpp"
#include "ctorm/errors.hpp"
#include "ctorm/schema/extended_types.hpp"
#include "ctorm/schema/types.hpp"
#include "ctorm/sql/dynamic.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm::sqlite::detail {

[[noreturn]] inline void throw_from(sqlite3* db, int code, std::string_view sql) {
    throw_sqlite_error(db ? sqlite3_extended_errcode(db) : code, db ? sqlite3_errmsg(db) : sqlite3_errstr(code),
                       sql);
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
    } else if constexpr (std::is_enum_v<V>) {
        check_bind(sqlite3_bind_int64(s, i, static_cast<sqlite3_int64>(v)), s);
    } else if constexpr (std::is_integral_v<V>) {
        static_assert(!std::is_same_v<V, std::uint64_t>,
                      "ctorm: std::uint64_t does not fit SQLite's signed 64-bit integers");
        if constexpr (sizeof(V) <= 4 && !std::is_same_v<V, std::uint32_t>)
            check_bind(sqlite3_bind_int(s, i, static_cast<int>(v)), s);
        else
            check_bind(sqlite3_bind_int64(s, i, static_cast<sqlite3_int64>(v)), s);
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
            throw decode_error({}, {}, "cannot bind a ctorm::timestamp outside the years 0000-9999");
        bind_text(s, i, std::string_view(text, n), SQLITE_TRANSIENT);
    } else if constexpr (std::is_same_v<V, date>) {
        char text[ctorm::detail::date_text_size];
        const std::size_t n = ctorm::detail::format_date(v, text);
        if (n == 0) [[unlikely]] throw decode_error({}, {}, "cannot bind a ctorm::date outside the years 0000-9999");
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
    template <class V>
    void operator()(const V& v) {
        bind_value(statement, ++index, v);
    }
};

// --- reading ----------------------------------------------------------------

template <class T>
constexpr std::string_view type_name() {
    using U = non_null_t<T>;
    if constexpr (std::is_same_v<U, bool>) return "bool";
    else if constexpr (std::is_same_v<U, std::int8_t>) return "std::int8_t";
    else if constexpr (std::is_same_v<U, std::int16_t>) return "std::int16_t";
    else if constexpr (std::is_same_v<U, std::int32_t>) return "std::int32_t";
    else if constexpr (std::is_same_v<U, std::int64_t>) return "std::int64_t";
    else if constexpr (std::is_same_v<U, std::uint8_t>) return "std::uint8_t";
    else if constexpr (std::is_same_v<U, std::uint16_t>) return "std::uint16_t";
    else if constexpr (std::is_same_v<U, std::uint32_t>) return "std::uint32_t";
    else if constexpr (std::is_enum_v<U>) return "enum";
    else if constexpr (std::is_integral_v<U>) return "integer";
    else if constexpr (std::is_same_v<U, float>) return "float";
    else if constexpr (std::is_same_v<U, double>) return "double";
    else if constexpr (std::is_same_v<U, std::string>) return "std::string";
    else if constexpr (std::is_same_v<U, blob>) return "ctorm::blob";
    else if constexpr (std::is_same_v<U, timestamp>) return "ctorm::timestamp";
    else if constexpr (std::is_same_v<U, date>) return "ctorm::date";
    else if constexpr (std::is_same_v<U, numeric>) return "ctorm::numeric";
    else if constexpr (std::is_same_v<U, uuid>) return "ctorm::uuid";
    else if constexpr (std::is_same_v<U, json>) return "ctorm::json";
    else if constexpr (is_sql_array_v<U>) return "std::vector (an array)";
    else return "value";
}

inline std::string_view storage_class_name(int type) {
    switch (type) {
        case SQLITE_INTEGER: return "INTEGER";
        case SQLITE_FLOAT: return "REAL";
        case SQLITE_TEXT: return "TEXT";
        case SQLITE_BLOB: return "BLOB";
        default: return "NULL";
    }
}

// Where a result column came from, for error messages: table and column of a
// column, or the SQL of an expression.
template <class E>
struct source_name {
    static std::string table() {
        if constexpr (column_expression<E>) return std::string(E::table_type::ctorm_sql_name);
        else return {};
    }
    static std::string column() {
        if constexpr (column_expression<E>) return std::string(E::sql_name);
        else return std::string(ctorm::detail::sql_text<sqlite_dialect, E>::view);
    }
};

template <class E, class T>
[[noreturn]] void throw_decode(std::string description) {
    throw decode_error(source_name<E>::table(), source_name<E>::column(), std::move(description));
}

// Called when a value read as zero or a null pointer: was it really NULL, or a
// storage class that does not convert?
template <class E, class T>
void check_storage(sqlite3_stmt* s, int i, int expected, int also_accepted = -1) {
    const int type = sqlite3_column_type(s, i);
    if (type == expected || type == also_accepted) return;
    if (type == SQLITE_NULL)
        throw_decode<E, T>("NULL read into non-optional " + std::string(type_name<T>()) +
                           "; declare the field std::optional to accept NULL");
    throw_decode<E, T>("expected " + std::string(storage_class_name(expected)) + " for " +
                       std::string(type_name<T>()) + ", got " + std::string(storage_class_name(type)));
}

template <class E, class T>
void read_value(sqlite3_stmt* s, int i, T& out) {
    if constexpr (is_nullable_v<T>) {
        if (sqlite3_column_type(s, i) == SQLITE_NULL) {
            out.reset();
        } else {
            read_value<E>(s, i, out.emplace());
        }
    } else if constexpr (std::is_same_v<T, bool> || std::is_integral_v<T> || std::is_enum_v<T>) {
        const sqlite3_int64 v = sqlite3_column_int64(s, i);
        if (v == 0) [[unlikely]] check_storage<E, T>(s, i, SQLITE_INTEGER);
        if constexpr (std::is_same_v<T, bool>) {
            out = v != 0;
        } else {
            using I = typename std::conditional_t<std::is_enum_v<T>, std::underlying_type<T>, std::type_identity<T>>::type;
            if constexpr (!std::is_same_v<I, std::int64_t>) {
                if (v < static_cast<sqlite3_int64>(std::numeric_limits<I>::min()) ||
                    v > static_cast<sqlite3_int64>(std::numeric_limits<I>::max())) [[unlikely]]
                    throw_decode<E, T>("value " + std::to_string(v) + " is out of range for " +
                                       std::string(type_name<T>()));
            }
            out = static_cast<T>(v);
        }
    } else if constexpr (std::is_floating_point_v<T>) {
        const double v = sqlite3_column_double(s, i);
        if (v == 0) [[unlikely]] check_storage<E, T>(s, i, SQLITE_FLOAT, SQLITE_INTEGER);
        out = static_cast<T>(v);
    } else if constexpr (std::is_same_v<T, std::string>) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        if (!p) [[unlikely]] {
            check_storage<E, T>(s, i, SQLITE_TEXT);
            out.clear();
            return;
        }
        out.assign(p, static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
    } else if constexpr (std::is_same_v<T, blob>) {
        const auto* p = static_cast<const std::byte*>(sqlite3_column_blob(s, i));
        if (!p) {  // an empty blob has no pointer either
            check_storage<E, T>(s, i, SQLITE_BLOB);
            out.clear();
            return;
        }
        out.assign(p, p + sqlite3_column_bytes(s, i));
    } else if constexpr (std::is_same_v<T, timestamp> || std::is_same_v<T, date>) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        if (!p) [[unlikely]] check_storage<E, T>(s, i, SQLITE_TEXT);
        const std::string_view text(p ? p : "", p ? static_cast<std::size_t>(sqlite3_column_bytes(s, i)) : 0);
        bool ok;
        if constexpr (std::is_same_v<T, timestamp>) ok = ctorm::detail::parse_timestamp(text, out);
        else ok = ctorm::detail::parse_date(text, out);
        if (!ok) [[unlikely]]
            throw_decode<E, T>("'" + std::string(text) + "' is not a valid " + std::string(type_name<T>()));
    } else if constexpr (std::is_same_v<T, numeric>) {
        // Exact text, or an integer; a REAL is already inexact, so it is refused.
        const int type = sqlite3_column_type(s, i);
        if (type != SQLITE_TEXT) [[unlikely]]
            check_storage<E, T>(s, i, SQLITE_TEXT, SQLITE_INTEGER);
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        const std::string_view text(p ? p : "", p ? static_cast<std::size_t>(sqlite3_column_bytes(s, i)) : 0);
        std::optional<numeric> n = numeric::parse(text);
        if (!n) [[unlikely]] throw_decode<E, T>("'" + std::string(text) + "' is not a valid ctorm::numeric");
        out = std::move(*n);
    } else if constexpr (std::is_same_v<T, uuid>) {
        if (sqlite3_column_type(s, i) != SQLITE_BLOB) [[unlikely]] check_storage<E, T>(s, i, SQLITE_BLOB);
        const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(s, i));
        const int n = p ? sqlite3_column_bytes(s, i) : 0;
        if (n != 16) [[unlikely]]
            throw_decode<E, T>("a BLOB of " + std::to_string(n) + " bytes is not a ctorm::uuid (16 bytes)");
        uuid::bytes_type bytes;
        std::memcpy(bytes.data(), p, 16);
        out = uuid(bytes);
    } else if constexpr (std::is_same_v<T, json> || is_sql_array_v<T>) {
        if (sqlite3_column_type(s, i) != SQLITE_TEXT) [[unlikely]] check_storage<E, T>(s, i, SQLITE_TEXT);
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        const std::string_view text(p ? p : "", p ? static_cast<std::size_t>(sqlite3_column_bytes(s, i)) : 0);
        if constexpr (std::is_same_v<T, json>) {
            out = json(std::string(text));
        } else {
            const std::string problem = ctorm::detail::json_array::read(text, out);
            if (!problem.empty()) [[unlikely]]
                throw_decode<E, T>("cannot read " + std::string(type_name<T>()) + ": " + problem);
        }
    } else {
        static_assert(meta::always_false<T>, "ctorm: no SQLite decoding for this C++ type");
    }
}

template <class Slots>
struct row_reader;
template <class... Slots>
struct row_reader<type_list<Slots...>> {
    template <class Row>
    static void read(sqlite3_stmt* s, Row& row) {
        read_all(s, row, std::index_sequence_for<Slots...>{});
    }
    template <class Row, std::size_t... Is>
    static void read_all(sqlite3_stmt* s, Row& row, std::index_sequence<Is...>) {
        (read_value<typename Slots::expression_type>(s, static_cast<int>(Is), Slots::target(row)), ...);
    }
};

}  // namespace ctorm::sqlite::detail
