// Binding C++ values to SQLite parameters and reading result columns back,
// the way careful hand-written code does it: no copies of strings that outlive
// the statement, and a NULL / storage-class check only when a value reads as
// zero (which is when SQLite would otherwise hide a NULL or a mismatch).
// Arrays (std::vector<T>) are kept as JSON text, written and read here.
#pragma once

#include <sqlite3.h>

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
#include <variant>
#include <vector>

#include "ctorm/detail/chrono_text.hpp"
#include "ctorm/dialect/sqlite.hpp"
#include "ctorm/errors.hpp"
#include "ctorm/schema/extended_types.hpp"
#include "ctorm/schema/types.hpp"
#include "ctorm/sql/dynamic.hpp"
#include "ctorm/sql/statement.hpp"

// SQLite has no array type; an array column holds JSON text: [1,2,3],
// ["a","b\"c"], [true,null]. Numbers of ctorm::numeric, UUIDs, timestamps and
// dates are JSON strings in their text forms, so that no JSON reader turns
// them into doubles.
namespace ctorm::detail::json_array {

inline void append_quoted(std::string& out, std::string_view text) {
    constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (u < 0x20) {
                    out += "\\u00";
                    out += hex[u >> 4];
                    out += hex[u & 0xf];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

// Appends one element; false when it has no JSON form (NaN, an infinity, a
// date outside the years 0000-9999).
template <class T>
bool append_element(std::string& out, const T& v) {
    if constexpr (is_nullable_v<T>) {
        if (!v) {
            out += "null";
            return true;
        }
        return append_element(out, *v);
    } else if constexpr (std::is_same_v<T, bool>) {
        out += v ? "true" : "false";
    } else if constexpr (std::is_enum_v<T>) {
        return append_element(out, static_cast<std::underlying_type_t<T>>(v));
    } else if constexpr (std::is_integral_v<T> || std::is_floating_point_v<T>) {
        if constexpr (std::is_floating_point_v<T>)
            if (!(v - v == 0)) return false;  // NaN or an infinity (no <cmath> for std::isfinite)
        char text[64];
        // Shortest text that reads back as the same value.
        const auto [end, ec] = std::to_chars(text, text + sizeof text, v);
        if (ec != std::errc()) return false;
        out.append(text, end);
    } else if constexpr (std::is_same_v<T, std::string>) {
        append_quoted(out, v);
    } else if constexpr (std::is_same_v<T, numeric>) {
        append_quoted(out, v.to_string());
    } else if constexpr (std::is_same_v<T, uuid>) {
        char text[36];
        v.write_text(text);
        append_quoted(out, std::string_view(text, 36));
    } else if constexpr (std::is_same_v<T, timestamp>) {
        char text[timestamp_text_size];
        const std::size_t n = format_timestamp(v, text);
        if (n == 0) return false;
        append_quoted(out, std::string_view(text, n));
    } else if constexpr (std::is_same_v<T, date>) {
        char text[date_text_size];
        const std::size_t n = format_date(v, text);
        if (n == 0) return false;
        append_quoted(out, std::string_view(text, n));
    } else {
        static_assert(sizeof(T) == 0, "ctorm: no JSON form for this array element type");
    }
    return true;
}

// The JSON text of an array; false when an element has none.
template <class V>
bool write(const V& values, std::string& out) {
    out.clear();
    out += '[';
    bool first = true;
    for (const auto& v : values) {
        if (!first) out += ',';
        first = false;
        if (!append_element(out, static_cast<const sql_array_element_t<V>&>(v))) return false;
    }
    out += ']';
    return true;
}

enum class token { null, boolean, number, string };

// A cursor over the JSON text of an array of scalars.
class reader {
public:
    explicit reader(std::string_view text) noexcept : text_(text) {}

    // Reads '['; false when the text does not start an array.
    bool open() noexcept {
        skip_space();
        if (at_ >= text_.size() || text_[at_] != '[') return false;
        ++at_;
        skip_space();
        if (at_ < text_.size() && text_[at_] == ']') {
            ++at_;
            done_ = true;
            skip_space();
            if (at_ != text_.size()) failed_ = true;  // text after the array
        }
        return true;
    }

    // The next element: its kind and its text (a number's digits, a string
    // decoded into scratch, "true"/"false"/"null"). False at the end of the
    // array, or with failed() set when the text is not valid.
    bool next(token& kind, std::string_view& value, std::string& scratch) {
        if (done_ || failed_) return false;
        if (!first_) {
            skip_space();
            if (at_ < text_.size() && text_[at_] == ']') {
                ++at_;
                done_ = true;
                skip_space();
                if (at_ != text_.size()) failed_ = true;  // text after the array
                return false;
            }
            if (at_ >= text_.size() || text_[at_] != ',') return fail();
            ++at_;
        }
        first_ = false;
        skip_space();
        if (at_ >= text_.size()) return fail();
        const char c = text_[at_];
        if (c == '"') {
            kind = token::string;
            if (!read_string(scratch)) return fail();
            value = scratch;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            kind = token::number;
            const std::size_t start = at_;
            if (!read_number()) return fail();
            value = text_.substr(start, at_ - start);
        } else if (word("true")) {
            kind = token::boolean;
            value = "true";
        } else if (word("false")) {
            kind = token::boolean;
            value = "false";
        } else if (word("null")) {
            kind = token::null;
            value = "null";
        } else {
            return fail();  // objects, nested arrays, anything else
        }
        return true;
    }

    // Whether reading stopped at invalid text rather than at the end of the array.
    bool failed() const noexcept { return failed_; }

private:
    bool fail() noexcept {
        failed_ = true;
        return false;
    }
    void skip_space() noexcept {
        while (at_ < text_.size() &&
               (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\r' || text_[at_] == '\t'))
            ++at_;
    }
    bool word(std::string_view w) noexcept {
        if (text_.substr(at_, w.size()) != w) return false;
        at_ += w.size();
        return true;
    }
    bool digits() noexcept {
        const std::size_t start = at_;
        while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') ++at_;
        return at_ > start;
    }
    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    bool read_number() noexcept {
        if (text_[at_] == '-') ++at_;
        if (at_ >= text_.size()) return false;
        if (text_[at_] == '0') ++at_;
        else if (!digits()) return false;
        if (at_ < text_.size() && text_[at_] == '.') {
            ++at_;
            if (!digits()) return false;
        }
        if (at_ < text_.size() && (text_[at_] == 'e' || text_[at_] == 'E')) {
            ++at_;
            if (at_ < text_.size() && (text_[at_] == '+' || text_[at_] == '-')) ++at_;
            if (!digits()) return false;
        }
        return true;
    }
    bool hex4(std::uint32_t& out) noexcept {
        if (at_ + 4 > text_.size()) return false;
        out = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = text_[at_++];
            std::uint32_t d;
            if (c >= '0' && c <= '9') d = static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f') d = static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') d = static_cast<std::uint32_t>(c - 'A' + 10);
            else return false;
            out = out * 16 + d;
        }
        return true;
    }
    static void put_utf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    bool read_string(std::string& out) {
        out.clear();
        ++at_;  // the opening quote
        while (at_ < text_.size()) {
            const char c = text_[at_++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return false;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (at_ >= text_.size()) return false;
            switch (text_[at_++]) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    std::uint32_t cp;
                    if (!hex4(cp)) return false;
                    if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair
                        std::uint32_t low;
                        if (!word("\\u") || !hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        return false;
                    }
                    put_utf8(out, cp);
                    break;
                }
                default: return false;
            }
        }
        return false;  // no closing quote
    }

    std::string_view text_;
    std::size_t at_ = 0;
    bool first_ = true, done_ = false, failed_ = false;
};

template <class I>
bool read_integer(std::string_view text, I& out) noexcept {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

// One element from its token; false when it does not fit T.
template <class T>
bool read_element(token kind, std::string_view text, T& out) {
    if constexpr (std::is_same_v<T, bool>) {
        if (kind != token::boolean) return false;
        out = text == "true";
        return true;
    } else if constexpr (std::is_enum_v<T>) {
        std::underlying_type_t<T> v{};
        if (kind != token::number || !read_integer(text, v)) return false;
        out = static_cast<T>(v);
        return true;
    } else if constexpr (std::is_integral_v<T>) {
        return kind == token::number && read_integer(text, out);
    } else if constexpr (std::is_floating_point_v<T>) {
        if (kind != token::number) return false;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
        return ec == std::errc() && end == text.data() + text.size();
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (kind != token::string) return false;
        out.assign(text);
        return true;
    } else if constexpr (std::is_same_v<T, numeric>) {
        if (kind != token::string && kind != token::number) return false;
        std::optional<numeric> n = numeric::parse(text);
        if (!n) return false;
        out = std::move(*n);
        return true;
    } else if constexpr (std::is_same_v<T, uuid>) {
        if (kind != token::string) return false;
        const std::optional<uuid> u = uuid::parse(text);
        if (!u) return false;
        out = *u;
        return true;
    } else if constexpr (std::is_same_v<T, timestamp>) {
        return kind == token::string && parse_timestamp(text, out);
    } else if constexpr (std::is_same_v<T, date>) {
        return kind == token::string && parse_date(text, out);
    } else {
        static_assert(sizeof(T) == 0, "ctorm: no JSON form for this array element type");
    }
}

// Reads the JSON text of an array into out. Returns an empty string on
// success, otherwise what is wrong (for a decode_error).
template <class V>
std::string read(std::string_view text, V& out) {
    using element = sql_array_element_t<V>;
    out.clear();
    reader r(text);
    if (!r.open()) return "the text is not a JSON array";
    token kind{};
    std::string_view value;
    std::string scratch;
    std::size_t index = 0;
    while (r.next(kind, value, scratch)) {
        if constexpr (is_nullable_v<element>) {
            if (kind == token::null) {
                out.emplace_back();
                ++index;
                continue;
            }
            non_null_t<element> v{};
            if (!read_element(kind, value, v))
                return "element " + std::to_string(index) + " (" + std::string(value) +
                       ") does not fit the element type";
            out.emplace_back(std::move(v));
        } else {
            if (kind == token::null)
                return "element " + std::to_string(index) +
                       " is null; use std::vector<std::optional<T>> for arrays with NULL elements";
            element v{};
            if (!read_element(kind, value, v))
                return "element " + std::to_string(index) + " (" + std::string(value) +
                       ") does not fit the element type";
            out.push_back(std::move(v));
        }
        ++index;
    }
    if (r.failed()) return "the text is not a JSON array of scalars";
    return {};
}

}  // namespace ctorm::detail::json_array

namespace ctorm::sqlite::detail {

[[noreturn, gnu::cold]] inline void throw_from(sqlite3* db, int code, std::string_view sql) {
    throw_sqlite_error(db ? sqlite3_extended_errcode(db) : code, db ? sqlite3_errmsg(db) : sqlite3_errstr(code), sql);
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
            throw decode_error({}, {}, "cannot bind a ctorm::timestamp outside the years 0000-9999");
        bind_text(s, i, std::string_view(text, n), SQLITE_TRANSIENT);
    } else if constexpr (std::is_same_v<V, date>) {
        char text[ctorm::detail::date_text_size];
        const std::size_t n = ctorm::detail::format_date(v, text);
        if (n == 0) [[unlikely]]
            throw decode_error({}, {}, "cannot bind a ctorm::date outside the years 0000-9999");
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
struct column_source {
    std::string_view table, column;
};
template <class E>
constexpr column_source source_of() {
    if constexpr (column_expression<E>) return {E::table_type::ctorm_sql_name, E::sql_name};
    else return {{}, ctorm::detail::sql_text<sqlite_dialect, E>::view};
}
[[noreturn, gnu::noinline, gnu::cold]] inline void throw_decode_at(column_source src, std::string description) {
    throw decode_error(std::string(src.table), std::string(src.column), std::move(description));
}
[[gnu::noinline, gnu::cold]] inline void check_storage_at(sqlite3_stmt* s, int i, int expected, int also_accepted,
                                                          column_source src, std::string_view type) {
    const int found = sqlite3_column_type(s, i);
    if (found == expected || found == also_accepted) return;
    if (found == SQLITE_NULL)
        throw_decode_at(src, "NULL read into non-optional " + std::string(type) +
                                 "; declare the field std::optional to accept NULL");
    throw_decode_at(src, "expected " + std::string(storage_class_name(expected)) + " for " + std::string(type) +
                             ", got " + std::string(storage_class_name(found)));
}
[[noreturn, gnu::noinline, gnu::cold]] inline void throw_out_of_range_at(column_source src, sqlite3_int64 v,
                                                                         std::string_view type) {
    throw_decode_at(src, "value " + std::to_string(v) + " is out of range for " + std::string(type));
}
// The names of result column E, one constant per expression type: the decoder
// below is instantiated per C++ type only and gets these by reference.
template <class E>
inline constexpr column_source source_v = source_of<E>();

// The types whose decoding parses text or checks sizes: called, not forced
// inline into every row reader as read_value is.
template <class T>
void read_extended(sqlite3_stmt* s, int i, T& out, const column_source& src) {
    if constexpr (std::is_same_v<T, timestamp> || std::is_same_v<T, date>) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        if (!p) [[unlikely]]
            check_storage_at(s, i, SQLITE_TEXT, -1, src, type_name<T>());
        const std::string_view text(p ? p : "", p ? static_cast<std::size_t>(sqlite3_column_bytes(s, i)) : 0);
        bool ok;
        if constexpr (std::is_same_v<T, timestamp>) ok = ctorm::detail::parse_timestamp(text, out);
        else ok = ctorm::detail::parse_date(text, out);
        if (!ok) [[unlikely]]
            throw_decode_at(src, "'" + std::string(text) + "' is not a valid " + std::string(type_name<T>()));
    } else if constexpr (std::is_same_v<T, numeric>) {
        // Exact text, or an integer; a REAL is already inexact, so it is refused.
        const int type = sqlite3_column_type(s, i);
        if (type != SQLITE_TEXT) [[unlikely]]
            check_storage_at(s, i, SQLITE_TEXT, SQLITE_INTEGER, src, type_name<T>());
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        const std::string_view text(p ? p : "", p ? static_cast<std::size_t>(sqlite3_column_bytes(s, i)) : 0);
        std::optional<numeric> n = numeric::parse(text);
        if (!n) [[unlikely]]
            throw_decode_at(src, "'" + std::string(text) + "' is not a valid ctorm::numeric");
        out = std::move(*n);
    } else if constexpr (std::is_same_v<T, uuid>) {
        if (sqlite3_column_type(s, i) != SQLITE_BLOB) [[unlikely]]
            check_storage_at(s, i, SQLITE_BLOB, -1, src, type_name<T>());
        const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(s, i));
        const int n = p ? sqlite3_column_bytes(s, i) : 0;
        if (n != 16) [[unlikely]]
            throw_decode_at(src, "a BLOB of " + std::to_string(n) + " bytes is not a ctorm::uuid (16 bytes)");
        uuid::bytes_type bytes;
        std::memcpy(bytes.data(), p, 16);
        out = uuid(bytes);
    } else if constexpr (std::is_same_v<T, json> || is_sql_array_v<T>) {
        if (sqlite3_column_type(s, i) != SQLITE_TEXT) [[unlikely]]
            check_storage_at(s, i, SQLITE_TEXT, -1, src, type_name<T>());
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        const std::string_view text(p ? p : "", p ? static_cast<std::size_t>(sqlite3_column_bytes(s, i)) : 0);
        if constexpr (std::is_same_v<T, json>) {
            out = json(std::string(text));
        } else {
            const std::string problem = ctorm::detail::json_array::read(text, out);
            if (!problem.empty()) [[unlikely]]
                throw_decode_at(src, "cannot read " + std::string(type_name<T>()) + ": " + problem);
        }
    } else {
        static_assert(meta::always_false<T>, "ctorm: no SQLite decoding for this C++ type");
    }
}

template <class T>
// Inline into the row reader (one straight run of C-API calls per row).
[[gnu::always_inline]] inline void read_value(sqlite3_stmt* s, int i, T& out, const column_source& src) {
    if constexpr (is_nullable_v<T>) {
        if (sqlite3_column_type(s, i) == SQLITE_NULL) {
            out.reset();
        } else {
            read_value(s, i, out.emplace(), src);
        }
    } else if constexpr (std::is_same_v<T, bool> || std::is_integral_v<T> || std::is_enum_v<T>) {
        const sqlite3_int64 v = sqlite3_column_int64(s, i);
        if (v == 0) [[unlikely]]
            check_storage_at(s, i, SQLITE_INTEGER, -1, src, type_name<T>());
        if constexpr (std::is_same_v<T, bool>) {
            out = v != 0;
        } else {
            using I =
                typename std::conditional_t<std::is_enum_v<T>, std::underlying_type<T>, std::type_identity<T>>::type;
            if constexpr (!std::is_same_v<I, std::int64_t>) {
                if (v < static_cast<sqlite3_int64>(std::numeric_limits<I>::min()) ||
                    v > static_cast<sqlite3_int64>(std::numeric_limits<I>::max())) [[unlikely]]
                    throw_out_of_range_at(src, v, type_name<T>());
            }
            out = static_cast<T>(v);
        }
    } else if constexpr (std::is_floating_point_v<T>) {
        const double v = sqlite3_column_double(s, i);
        if (v == 0) [[unlikely]]
            check_storage_at(s, i, SQLITE_FLOAT, SQLITE_INTEGER, src, type_name<T>());
        out = static_cast<T>(v);
    } else if constexpr (std::is_same_v<T, std::string>) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        if (!p) [[unlikely]] {
            check_storage_at(s, i, SQLITE_TEXT, -1, src, type_name<T>());
            out.clear();
            return;
        }
        out.assign(p, static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
    } else if constexpr (std::is_same_v<T, blob>) {
        const auto* p = static_cast<const std::byte*>(sqlite3_column_blob(s, i));
        if (!p) {  // an empty blob has no pointer either
            check_storage_at(s, i, SQLITE_BLOB, -1, src, type_name<T>());
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
    template <class Row>
    static void read(sqlite3_stmt* s, Row& row) {
        read_all(s, row, std::index_sequence_for<Slots...>{});
    }
    template <class Row, std::size_t... Is>
    static void read_all(sqlite3_stmt* s, Row& row, std::index_sequence<Is...>) {
        (read_value(s, static_cast<int>(Is), Slots::target(row), source_v<typename Slots::expression_type>), ...);
    }
};

}  // namespace ctorm::sqlite::detail
