// ctorm::numeric (an exact decimal), ctorm::uuid and ctorm::json, and the
// numeric_precision<P, S> column option.
#pragma once

#include <algorithm>
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

    // Exact arithmetic, with PostgreSQL's rules for the special values: NaN
    // with anything is NaN, Infinity - Infinity and 0 * Infinity are NaN, an
    // infinity with a finite value stays infinite. Nothing is rounded: the
    // scale of a + b is the larger scale, of a * b the sum of the scales.
    friend numeric operator+(const numeric& a, const numeric& b) { return add(a, b, false); }
    friend numeric operator-(const numeric& a, const numeric& b) { return add(a, b, true); }
    friend numeric operator*(const numeric& a, const numeric& b) {
        if (a.is_nan() || b.is_nan()) return nan();
        const int s = a.sign() * b.sign();
        if (a.is_infinite() || b.is_infinite()) {
            if (s == 0) return nan();
            return s < 0 ? negative_infinity() : infinity();
        }
        const parts x = a.split(), y = b.split();
        return join(s < 0, multiply_digits(x.digits, y.digits), x.scale + y.scale);
    }
    numeric operator-() const {
        if (is_nan()) return *this;
        if (text_ == "Infinity") return negative_infinity();
        if (text_ == "-Infinity") return infinity();
        if (text_ == "0") return *this;
        numeric n;
        n.text_ = text_[0] == '-' ? text_.substr(1) : "-" + text_;
        return n;
    }
    numeric& operator+=(const numeric& b) { return *this = *this + b; }
    numeric& operator-=(const numeric& b) { return *this = *this - b; }
    numeric& operator*=(const numeric& b) { return *this = *this * b; }

    // Rounded to `digits` places after the point, half away from zero (as
    // PostgreSQL's round(numeric, s) and a NUMERIC(P, S) column round).
    numeric round(std::size_t digits) const {
        if (!is_finite() || scale() <= digits) return *this;
        const parts x = split();
        const std::size_t dropped = x.scale - digits;
        std::string kept = x.digits.size() > dropped ? x.digits.substr(0, x.digits.size() - dropped) : "0";
        const char first_dropped = x.digits.size() >= dropped ? x.digits[x.digits.size() - dropped] : '0';
        if (first_dropped >= '5') kept = add_digits(kept, "1");
        return join(x.negative, kept, digits);
    }

    // a / b rounded to `digits` places, half away from zero; a finite value
    // divided by zero throws std::domain_error (PostgreSQL raises 22012).
    static numeric divide(const numeric& a, const numeric& b, std::size_t digits) {
        if (a.is_nan() || b.is_nan()) return nan();
        if (b.sign() == 0) throw std::domain_error("ctorm::numeric: division of " + a.text_ + " by zero");
        if (a.is_infinite()) {
            if (b.is_infinite()) return nan();
            return a.sign() * b.sign() < 0 ? negative_infinity() : infinity();
        }
        if (b.is_infinite()) return numeric();
        const parts x = a.split(), y = b.split();
        // |a| / |b| * 10^(digits + 1), as integers: x * 10^(digits + 1 + y.scale) / (y * 10^x.scale).
        const std::string dividend = x.digits + std::string(digits + 1 + y.scale, '0');
        const std::string divisor = strip_zeros(y.digits + std::string(x.scale, '0'));
        std::string quotient = divide_digits(dividend, divisor);
        const char last = quotient.back();
        quotient.pop_back();
        if (quotient.empty()) quotient = "0";
        if (last >= '5') quotient = add_digits(quotient, "1");
        return join(a.sign() * b.sign() < 0, quotient, digits);
    }

private:
    // A finite value as sign, digits (no point, leading zeros allowed) and scale.
    struct parts {
        bool negative = false;
        std::string digits;
        std::size_t scale = 0;
    };
    parts split() const {
        parts p;
        std::string_view t = text_;
        if (t[0] == '-') {
            p.negative = true;
            t.remove_prefix(1);
        }
        const auto point = t.find('.');
        if (point == std::string_view::npos) {
            p.digits = std::string(t);
        } else {
            p.digits = std::string(t.substr(0, point));
            p.digits += t.substr(point + 1);
            p.scale = t.size() - point - 1;
        }
        return p;
    }
    // The value digits * 10^-scale, negated when `negative`, in canonical form.
    static numeric join(bool negative, const std::string& digits, std::size_t scale) {
        std::string text;
        text.reserve(digits.size() + 3);
        if (negative) text += '-';
        if (digits.size() <= scale) {
            text += "0.";
            text.append(scale - digits.size(), '0');
            text += digits;
        } else {
            text.append(digits, 0, digits.size() - scale);
            if (scale > 0) {
                text += '.';
                text.append(digits, digits.size() - scale, scale);
            }
        }
        numeric n;
        n.assign(text);
        return n;
    }
    static std::string strip_zeros(std::string digits) {
        const std::size_t first = digits.find_first_not_of('0');
        if (first == std::string::npos) return "0";
        digits.erase(0, first);
        return digits;
    }
    // Magnitudes as digit strings without leading zeros.
    static int compare_digits(const std::string& a, const std::string& b) {
        if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
        const int c = a.compare(b);
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    static std::string add_digits(const std::string& a, const std::string& b) {
        std::string out;
        out.reserve(std::max(a.size(), b.size()) + 1);
        int carry = 0;
        for (std::size_t i = 0; i < a.size() || i < b.size() || carry != 0; ++i) {
            int d = carry;
            if (i < a.size()) d += a[a.size() - 1 - i] - '0';
            if (i < b.size()) d += b[b.size() - 1 - i] - '0';
            out += static_cast<char>('0' + d % 10);
            carry = d / 10;
        }
        return strip_zeros(std::string(out.rbegin(), out.rend()));
    }
    // a - b for a >= b.
    static std::string subtract_digits(const std::string& a, const std::string& b) {
        std::string out(a.size(), '0');
        int borrow = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            int d = (a[a.size() - 1 - i] - '0') - borrow - (i < b.size() ? b[b.size() - 1 - i] - '0' : 0);
            borrow = d < 0 ? 1 : 0;
            out[a.size() - 1 - i] = static_cast<char>('0' + d + borrow * 10);
        }
        return strip_zeros(std::move(out));
    }
    static std::string multiply_digits(const std::string& a, const std::string& b) {
        std::string out(a.size() + b.size(), '0');
        for (std::size_t i = a.size(); i-- > 0;) {
            int carry = 0;
            for (std::size_t j = b.size(); j-- > 0;) {
                const int d = (out[i + j + 1] - '0') + (a[i] - '0') * (b[j] - '0') + carry;
                out[i + j + 1] = static_cast<char>('0' + d % 10);
                carry = d / 10;
            }
            out[i] = static_cast<char>(out[i] + carry);
        }
        return strip_zeros(std::move(out));
    }
    // floor(a / b) for b > 0, long division a digit at a time.
    static std::string divide_digits(const std::string& a, const std::string& b) {
        std::string quotient, rest = "0";
        quotient.reserve(a.size());
        for (char c : a) {
            rest = rest == "0" ? std::string(1, c) : rest + c;
            rest = strip_zeros(std::move(rest));
            char q = '0';
            while (compare_digits(rest, b) >= 0) {
                rest = subtract_digits(rest, b);
                ++q;
            }
            quotient += q;
        }
        return strip_zeros(std::move(quotient));
    }
    // a + b, or a - b when `subtract`.
    static numeric add(const numeric& a, const numeric& b, bool subtract) {
        if (a.is_nan() || b.is_nan()) return nan();
        const int sa = a.sign(), sb = subtract ? -b.sign() : b.sign();
        if (a.is_infinite() || b.is_infinite()) {
            if (a.is_infinite() && b.is_infinite() && sa != sb) return nan();
            return (a.is_infinite() ? sa : sb) < 0 ? negative_infinity() : infinity();
        }
        parts x = a.split(), y = b.split();
        const std::size_t scale = std::max(x.scale, y.scale);
        x.digits = strip_zeros(x.digits + std::string(scale - x.scale, '0'));
        y.digits = strip_zeros(y.digits + std::string(scale - y.scale, '0'));
        if (sa == 0) return join(sb < 0, y.digits, scale);
        if (sb == 0) return join(sa < 0, x.digits, scale);
        if (sa == sb) return join(sa < 0, add_digits(x.digits, y.digits), scale);
        const int c = compare_digits(x.digits, y.digits);
        if (c == 0) return numeric();
        return c > 0 ? join(sa < 0, subtract_digits(x.digits, y.digits), scale)
                     : join(sb < 0, subtract_digits(y.digits, x.digits), scale);
    }

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
