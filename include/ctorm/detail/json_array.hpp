// Arrays as JSON text, for backends with no array type (SQLite): writing a
// std::vector as [1,2,3] / ["a","b\"c"] / [true,null] and reading it back,
// strictly. Backend-neutral: no database header.
#pragma once

#include <charconv>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include "ctorm/detail/chrono_text.hpp"
#include "ctorm/schema/extended_types.hpp"
#include "ctorm/schema/types.hpp"

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
    } else if constexpr (named_enum<T>) {
        append_quoted(out, enum_name_or_throw(v));
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
    } else if constexpr (named_enum<T>) {
        if (kind != token::string) return false;
        const std::optional<T> v = enum_from_name<T>(text);
        if (!v) return false;
        out = *v;
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
