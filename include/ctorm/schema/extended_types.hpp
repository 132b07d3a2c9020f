// ctorm::numeric (an exact decimal), ctorm::uuid and ctorm::json, the
// numeric_precision<P, S> column option, and the JSON text in which SQLite
// keeps array columns (std::vector<T>).
#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "ctorm/detail/chrono_text.hpp"
#include "ctorm/schema/options.hpp"
#include "ctorm/schema/types.hpp"

namespace ctorm {

// An exact decimal number, held as its canonical text: no '+', no leading
// zeros, no trailing zeros after the point, no "-0". One value has one text,
// so equal values compare equal as text too (which is how SQLite, storing the
// text, compares them). Also NaN, Infinity and -Infinity, as PostgreSQL's
// numeric has them. It never passes through a double.
class numeric {
public:
    // Zero.
    numeric() = default;

    // Integers are exact, so they convert implicitly: numeric n = 42;
    template <class I>
        requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char>)
    numeric(I value) : text_(std::to_string(value)) {}  // NOLINT(google-explicit-constructor)

    // "-12.50", "+3", ".5", "NaN", "Infinity", "-inf" (case-insensitive words);
    // anything else throws std::invalid_argument. No exponents, no spaces.
    explicit numeric(std::string_view text) {
        if (!assign(text))
            throw std::invalid_argument("ctorm::numeric: '" + std::string(text) + "' is not a decimal number");
    }

    // The same, without throwing.
    static std::optional<numeric> parse(std::string_view text) {
        std::optional<numeric> out(std::in_place);
        if (!out->assign(text)) out.reset();
        return out;
    }

    static numeric nan() { return special("NaN"); }
    static numeric infinity() { return special("Infinity"); }
    static numeric negative_infinity() { return special("-Infinity"); }

    // The canonical text: "-12.5", "0", "NaN", "Infinity", "-Infinity".
    const std::string& to_string() const noexcept { return text_; }

    bool is_nan() const noexcept { return text_ == "NaN"; }
    bool is_infinite() const noexcept { return text_ == "Infinity" || text_ == "-Infinity"; }
    bool is_finite() const noexcept { return !is_nan() && !is_infinite(); }
    // -1, 0 or 1; 0 for NaN.
    int sign() const noexcept {
        if (is_nan() || text_ == "0") return 0;
        return text_[0] == '-' ? -1 : 1;
    }
    // Digits after the decimal point (0 for integers and for NaN and the infinities).
    std::size_t scale() const noexcept {
        const auto point = text_.find('.');
        return point == std::string::npos ? 0 : text_.size() - point - 1;
    }

    friend bool operator==(const numeric&, const numeric&) = default;

    // PostgreSQL's order: -Infinity < finite values < Infinity < NaN, and NaN equals NaN.
    friend std::strong_ordering operator<=>(const numeric& a, const numeric& b) noexcept {
        const int ra = a.rank(), rb = b.rank();
        if (ra != rb || ra != 1) return ra <=> rb;
        const int sa = a.sign(), sb = b.sign();
        if (sa != sb) return sa <=> sb;
        const std::strong_ordering m = compare_magnitude(a.text_, b.text_);
        return sa < 0 ? 0 <=> m : m;
    }

private:
    static numeric special(const char* text) {
        numeric n;
        n.text_ = text;
        return n;
    }

    static bool equals_word(std::string_view text, std::string_view word) noexcept {
        if (text.size() != word.size()) return false;
        for (std::size_t i = 0; i < text.size(); ++i) {
            char c = text[i];
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            if (c != word[i]) return false;
        }
        return true;
    }

    // Parses text into the canonical form; false (text_ unchanged) when it is not a decimal.
    bool assign(std::string_view text) {
        if (equals_word(text, "nan")) {
            text_ = "NaN";
            return true;
        }
        bool negative = false;
        std::string_view rest = text;
        if (!rest.empty() && (rest[0] == '+' || rest[0] == '-')) {
            negative = rest[0] == '-';
            rest.remove_prefix(1);
        }
        if (equals_word(rest, "inf") || equals_word(rest, "infinity")) {
            text_ = negative ? "-Infinity" : "Infinity";
            return true;
        }
        const auto point = rest.find('.');
        std::string_view whole = rest.substr(0, point);
        std::string_view fraction = point == std::string_view::npos ? std::string_view{} : rest.substr(point + 1);
        if (whole.empty() && fraction.empty()) return false;
        for (std::string_view part : {whole, fraction})
            for (char c : part)
                if (c < '0' || c > '9') return false;
        while (!whole.empty() && whole.front() == '0') whole.remove_prefix(1);
        while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
        if (whole.empty() && fraction.empty()) {
            text_ = "0";
            return true;
        }
        std::string out;
        out.reserve(whole.size() + fraction.size() + 3);
        if (negative) out += '-';
        if (whole.empty()) out += '0';
        else out += whole;
        if (!fraction.empty()) {
            out += '.';
            out += fraction;
        }
        text_ = std::move(out);
        return true;
    }

    int rank() const noexcept {
        if (text_ == "-Infinity") return 0;
        if (text_ == "Infinity") return 2;
        if (text_ == "NaN") return 3;
        return 1;
    }

    // |a| <=> |b| for canonical finite texts.
    static std::strong_ordering compare_magnitude(std::string_view a, std::string_view b) noexcept {
        if (!a.empty() && a[0] == '-') a.remove_prefix(1);
        if (!b.empty() && b[0] == '-') b.remove_prefix(1);
        const auto pa = std::min(a.find('.'), a.size()), pb = std::min(b.find('.'), b.size());
        if (pa != pb) return pa <=> pb;  // no leading zeros: a longer whole part is larger
        if (const int c = a.substr(0, pa).compare(b.substr(0, pb)); c != 0) return c <=> 0;
        // Fractions have no trailing zeros, so plain text order is numeric order.
        const int c = a.substr(pa).compare(b.substr(pb));
        return c <=> 0;
    }

    std::string text_ = "0";
};

// A UUID: 16 bytes, in the order of its canonical text. Compares as
// PostgreSQL's uuid does (byte by byte).
class uuid {
public:
    using bytes_type = std::array<std::uint8_t, 16>;

    // The nil UUID, 00000000-0000-0000-0000-000000000000.
    constexpr uuid() noexcept = default;
    constexpr explicit uuid(const bytes_type& bytes) noexcept : bytes_(bytes) {}

    // "123e4567-e89b-12d3-a456-426614174000", also in braces or without
    // hyphens, either case; anything else throws std::invalid_argument.
    explicit uuid(std::string_view text) {
        const std::optional<uuid> parsed = parse(text);
        if (!parsed) throw std::invalid_argument("ctorm::uuid: '" + std::string(text) + "' is not a UUID");
        bytes_ = parsed->bytes_;
    }

    static constexpr std::optional<uuid> parse(std::string_view text) noexcept {
        if (text.size() >= 2 && text.front() == '{' && text.back() == '}') text = text.substr(1, text.size() - 2);
        const bool hyphens = text.size() == 36;
        if (!hyphens && text.size() != 32) return std::nullopt;
        uuid out;
        std::size_t at = 0;
        for (std::size_t i = 0; i < 16; ++i) {
            if (hyphens && (i == 4 || i == 6 || i == 8 || i == 10)) {
                if (text[at] != '-') return std::nullopt;
                ++at;
            }
            const int high = hex_value(text[at]), low = hex_value(text[at + 1]);
            if (high < 0 || low < 0) return std::nullopt;
            out.bytes_[i] = static_cast<std::uint8_t>(high * 16 + low);
            at += 2;
        }
        return out;
    }

    static constexpr uuid nil() noexcept { return uuid(); }
    // ffffffff-ffff-ffff-ffff-ffffffffffff
    static constexpr uuid max() noexcept {
        bytes_type b{};
        for (auto& x : b) x = 0xff;
        return uuid(b);
    }

    constexpr const bytes_type& bytes() const noexcept { return bytes_; }
    constexpr bool is_nil() const noexcept { return *this == uuid(); }

    // Lower case, with hyphens: 36 characters.
    std::string to_string() const {
        std::string out(36, '-');
        write_text(out.data());
        return out;
    }
    // Writes the 36 characters of to_string() to out.
    constexpr void write_text(char* out) const noexcept {
        constexpr char digits[] = "0123456789abcdef";
        std::size_t at = 0;
        for (std::size_t i = 0; i < 16; ++i) {
            if (i == 4 || i == 6 || i == 8 || i == 10) out[at++] = '-';
            out[at++] = digits[bytes_[i] >> 4];
            out[at++] = digits[bytes_[i] & 0xf];
        }
    }

    friend constexpr bool operator==(const uuid&, const uuid&) = default;
    friend constexpr std::strong_ordering operator<=>(const uuid&, const uuid&) = default;

private:
    static constexpr int hex_value(char c) noexcept {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    bytes_type bytes_{};
};

// A JSON document, as text. ctorm does not parse it: the database checks it
// (PostgreSQL's jsonb on input, SQLite's json_valid() in the column's CHECK).
// PostgreSQL's jsonb gives back its own spelling (keys sorted by length then
// bytes, one space after ':' and ','), so compare documents read back from
// jsonb with text that jsonb wrote, or parse them.
class json {
public:
    // The JSON value null (not SQL NULL, which is std::optional<json>).
    json() = default;
    explicit json(std::string text) noexcept : text_(std::move(text)) {}

    const std::string& text() const noexcept { return text_; }

    // Text equality, not JSON equality: {"a":1} and { "a": 1 } differ here.
    friend bool operator==(const json&, const json&) = default;

private:
    std::string text_ = "null";
};

namespace options {

// NUMERIC(P, S) on PostgreSQL for a ctorm::numeric column: P significant
// digits, S of them after the point; the server rounds values to scale S and
// rejects those with more than P - S digits before the point. SQLite keeps
// the exact text it is given, so the same values read back only when they
// already fit. Without this option the column is plain NUMERIC.
template <unsigned Precision, unsigned Scale>
struct numeric_precision_t : detail::option_tag {
    static_assert(Precision >= 1 && Precision <= 1000, "ctorm: numeric_precision<P, S> needs 1 <= P <= 1000");
    static_assert(Scale <= Precision, "ctorm: numeric_precision<P, S> needs S <= P");
    static constexpr unsigned precision = Precision;
    static constexpr unsigned scale = Scale;
    // The fields arrive with schema/options.hpp's column_options; until then the
    // option says so instead of being dropped silently.
    template <class Options>
    constexpr void apply(Options& o) const {
        if constexpr (requires { o.numeric_precision = 0u; o.numeric_scale = 0u; }) {
            o.numeric_precision = Precision;
            o.numeric_scale = Scale;
        } else {
            static_assert(meta_always_false<Options>,
                          "ctorm: numeric_precision<P, S> needs the fields numeric_precision and numeric_scale in "
                          "ctorm::detail::column_options (schema/options.hpp)");
        }
    }

private:
    template <class>
    static constexpr bool meta_always_false = false;
};
template <unsigned Precision, unsigned Scale = 0>
inline constexpr numeric_precision_t<Precision, Scale> numeric_precision{};

}  // namespace options

namespace detail {

// The (precision, scale) of a column's NUMERIC(P, S), or (0, 0) for plain NUMERIC.
template <class Options>
constexpr std::pair<unsigned, unsigned> numeric_precision_of(const Options& o) {
    if constexpr (requires { o.numeric_precision; o.numeric_scale; })
        return {static_cast<unsigned>(o.numeric_precision), static_cast<unsigned>(o.numeric_scale)};
    else return {0u, 0u};
}

// --- JSON arrays of scalars ---------------------------------------------------
// SQLite has no array type; an array column holds JSON text: [1,2,3],
// ["a","b\"c"], [true,null]. Numbers of ctorm::numeric, UUIDs, timestamps and
// dates are JSON strings in their text forms, so that no JSON reader turns
// them into doubles.
namespace json_array {

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
            if (!std::isfinite(v)) return false;
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

}  // namespace json_array
}  // namespace detail

}  // namespace ctorm
