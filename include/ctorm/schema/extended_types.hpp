// ctorm::numeric (an exact decimal), ctorm::uuid and ctorm::json, and the
// numeric_precision<P, S> column option.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

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
        const std::size_t pa = a.find('.') == std::string_view::npos ? a.size() : a.find('.');
        const std::size_t pb = b.find('.') == std::string_view::npos ? b.size() : b.find('.');
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
        if constexpr (requires {
                          o.numeric_precision = 0u;
                          o.numeric_scale = 0u;
                      }) {
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
    if constexpr (requires {
                      o.numeric_precision;
                      o.numeric_scale;
                  })
        return {static_cast<unsigned>(o.numeric_precision), static_cast<unsigned>(o.numeric_scale)};
    else return {0u, 0u};
}

}  // namespace detail

}  // namespace ctorm
