// The SQL functions through which SQLite computes with ctorm::numeric values
// exactly: SQLite stores them as their canonical text, and its own + - * and
// SUM, MIN, MAX would read that text as floating point (or order it as text).
// Each connection ctorm opens has them; the SQLite dialect writes
// `price * quantity` on numerics as ctorm_numeric_multiply("price", "quantity"),
// and SUM / MIN / MAX of a numeric as ctorm_numeric_sum(...) and so on
// (SUM as a window function too), where PostgreSQL uses its numeric.
// The arithmetic is ctorm::numeric's own, so both backends give the same value.
#pragma once

#include <sqlite3.h>

#include <compare>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "ctorm/schema/extended_types.hpp"

namespace ctorm::sqlite::detail {

// An argument as a numeric: nullopt for NULL; an integer or a decimal text;
// anything else an error that names the function and the value.
inline std::optional<numeric> numeric_argument(sqlite3_context* context, sqlite3_value* value, const char* function,
                                               bool& failed) {
    switch (sqlite3_value_type(value)) {
        case SQLITE_NULL: return std::nullopt;
        case SQLITE_INTEGER: return numeric(sqlite3_value_int64(value));
        case SQLITE_TEXT: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
            const std::string_view view(text, static_cast<std::size_t>(sqlite3_value_bytes(value)));
            if (std::optional<numeric> n = numeric::parse(view)) return n;
            const std::string message =
                std::string(function) + ": '" + std::string(view) + "' is not a decimal number (ctorm::numeric)";
            sqlite3_result_error(context, message.c_str(), -1);
            failed = true;
            return std::nullopt;
        }
        default: break;
    }
    sqlite3_result_error(context,
                         (std::string(function) + ": a ctorm::numeric computes with integers and decimal texts only, "
                                                  "not with floating point or blobs")
                             .c_str(),
                         -1);
    failed = true;
    return std::nullopt;
}

inline void numeric_result(sqlite3_context* context, const numeric& n) {
    const std::string& text = n.to_string();
    sqlite3_result_text(context, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

enum class numeric_operation { add, subtract, multiply };

template <numeric_operation Op>
void numeric_binary(sqlite3_context* context, int, sqlite3_value** values) noexcept {
    static constexpr const char* name = Op == numeric_operation::add        ? "ctorm_numeric_add"
                                        : Op == numeric_operation::subtract ? "ctorm_numeric_subtract"
                                                                            : "ctorm_numeric_multiply";
    try {
        bool failed = false;
        const std::optional<numeric> a = numeric_argument(context, values[0], name, failed);
        if (failed) return;
        const std::optional<numeric> b = numeric_argument(context, values[1], name, failed);
        if (failed) return;
        if (!a || !b) return sqlite3_result_null(context);
        if constexpr (Op == numeric_operation::add) numeric_result(context, *a + *b);
        else if constexpr (Op == numeric_operation::subtract) numeric_result(context, *a - *b);
        else numeric_result(context, *a * *b);
    } catch (const std::exception& e) {
        sqlite3_result_error(context, e.what(), -1);
    } catch (...) {
        sqlite3_result_error_nomem(context);
    }
}

// ctorm_numeric_divide(a, b, scale): ctorm::numeric::divide(a, b, scale), the
// quotient rounded half away from zero to `scale` places; NULL when b is 0 or
// either is NULL (as PostgreSQL's div() with NULLIF gives, and x / 0 here).
inline void numeric_divide(sqlite3_context* context, int, sqlite3_value** values) noexcept {
    static constexpr const char* name = "ctorm_numeric_divide";
    try {
        bool failed = false;
        const std::optional<numeric> a = numeric_argument(context, values[0], name, failed);
        if (failed) return;
        const std::optional<numeric> b = numeric_argument(context, values[1], name, failed);
        if (failed) return;
        if (!a || !b || (b->is_finite() && b->sign() == 0)) return sqlite3_result_null(context);
        const sqlite3_int64 scale = sqlite3_value_int64(values[2]);
        if (sqlite3_value_type(values[2]) != SQLITE_INTEGER || scale < 0 || scale > 1000)
            return sqlite3_result_error(context, "ctorm_numeric_divide: the scale is an integer from 0 to 1000", -1);
        numeric_result(context, numeric::divide(*a, *b, static_cast<std::size_t>(scale)));
    } catch (const std::exception& e) {
        sqlite3_result_error(context, e.what(), -1);
    } catch (...) {
        sqlite3_result_error_nomem(context);
    }
}

// The key ctorm_numeric_order(x) gives: bytes whose memcmp order is numeric
// order (PostgreSQL's: -Infinity < negatives < 0 < positives < Infinity < NaN).
inline std::string numeric_order_key(const numeric& n) {
    if (n.is_nan()) return std::string(1, '\x06');
    if (n.is_infinite()) return std::string(1, n.sign() < 0 ? '\x01' : '\x05');
    if (n.sign() == 0) return std::string(1, '\x03');
    const std::string& text = n.to_string();
    const bool negative = text[0] == '-';
    const std::string_view magnitude = std::string_view(text).substr(negative ? 1 : 0);
    const std::size_t point = magnitude.find('.');
    const std::string_view whole = magnitude.substr(0, point);
    const std::string_view fraction =
        point == std::string_view::npos ? std::string_view{} : magnitude.substr(point + 1);
    // 0.D1D2... x 10^exponent with D1 != 0.
    std::string digits = std::string(whole) + std::string(fraction);
    std::int64_t exponent = static_cast<std::int64_t>(whole.size());
    std::size_t lead = 0;
    while (lead < digits.size() && digits[lead] == '0') ++lead;
    digits.erase(0, lead);
    exponent -= static_cast<std::int64_t>(lead);
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    std::string key(1, negative ? '\x02' : '\x04');
    // The exponent biased to an unsigned 32-bit big-endian number (a larger one sorts later),
    // complemented for a negative value (a larger magnitude is a smaller number).
    const auto biased = static_cast<std::uint32_t>(exponent + 0x80000000LL);
    for (int shift = 24; shift >= 0; shift -= 8) {
        const auto byte = static_cast<unsigned char>((biased >> shift) & 0xFF);
        key += static_cast<char>(negative ? 0xFF - byte : byte);
    }
    for (char d : digits) key += static_cast<char>(negative ? 9 - (d - '0') : d - '0');
    if (negative) key += '\x0A';  // after every digit: -0.12 sorts after -0.123
    return key;
}

// ctorm_numeric_order(x): x's numeric_order_key as a BLOB (NULL for NULL), for
// ORDER BY a numeric: SQLite orders BLOBs by memcmp, so the rows come in
// numeric order, as PostgreSQL's numeric gives them, not in the stored text's.
inline void numeric_order(sqlite3_context* context, int, sqlite3_value** values) noexcept {
    try {
        bool failed = false;
        const std::optional<numeric> x = numeric_argument(context, values[0], "ctorm_numeric_order", failed);
        if (failed) return;
        if (!x) return sqlite3_result_null(context);
        const std::string key = numeric_order_key(*x);
        sqlite3_result_blob(context, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    } catch (const std::exception& e) {
        sqlite3_result_error(context, e.what(), -1);
    } catch (...) {
        sqlite3_result_error_nomem(context);
    }
}

// ctorm_numeric_compare(a, b): -1, 0 or 1 in numeric order (NULL when either is
// NULL), for the comparisons of numerics the dialect writes as ... <op> 0.
inline void numeric_compare(sqlite3_context* context, int, sqlite3_value** values) noexcept {
    try {
        bool failed = false;
        const std::optional<numeric> a = numeric_argument(context, values[0], "ctorm_numeric_compare", failed);
        if (failed) return;
        const std::optional<numeric> b = numeric_argument(context, values[1], "ctorm_numeric_compare", failed);
        if (failed) return;
        if (!a || !b) return sqlite3_result_null(context);
        const auto order = *a <=> *b;
        sqlite3_result_int(context, order < 0 ? -1 : (order > 0 ? 1 : 0));
    } catch (const std::exception& e) {
        sqlite3_result_error(context, e.what(), -1);
    } catch (...) {
        sqlite3_result_error_nomem(context);
    }
}

// SUM over a frame: the finite values' total and how many of each special
// value, so that a window's rows can leave it again (xInverse); MIN and MAX:
// the best value so far (ordinary aggregates). NULLs are not counted.
struct numeric_frame {
    numeric total;  // SUM: of the finite values; MIN / MAX: the best one
    long long values = 0, nans = 0, infinities = 0, negative_infinities = 0;
    bool failed = false;
};

enum class numeric_aggregate { sum, min, max };

template <numeric_aggregate A>
constexpr const char* aggregate_name() {
    return A == numeric_aggregate::sum   ? "ctorm_numeric_sum"
           : A == numeric_aggregate::min ? "ctorm_numeric_min"
                                         : "ctorm_numeric_max";
}

inline numeric_frame* frame_of(sqlite3_context* context, bool create) {
    auto** slot = static_cast<numeric_frame**>(sqlite3_aggregate_context(context, create ? sizeof(numeric_frame*) : 0));
    if (!slot) return nullptr;
    if (!*slot && create) *slot = new numeric_frame();
    return *slot;
}

template <numeric_aggregate A, bool Inverse>
void numeric_step(sqlite3_context* context, int, sqlite3_value** values) noexcept {
    try {
        numeric_frame* frame = frame_of(context, true);
        if (!frame) return sqlite3_result_error_nomem(context);
        if (frame->failed) return;
        bool failed = false;
        const std::optional<numeric> n = numeric_argument(context, values[0], aggregate_name<A>(), failed);
        if (failed) {
            frame->failed = true;
            return;
        }
        if (!n) return;
        const long long step = Inverse ? -1 : 1;
        if constexpr (A == numeric_aggregate::sum) {
            if (n->is_nan()) frame->nans += step;
            else if (*n == numeric::infinity()) frame->infinities += step;
            else if (*n == numeric::negative_infinity()) frame->negative_infinities += step;
            else frame->total = Inverse ? frame->total - *n : frame->total + *n;
        } else if (frame->values == 0 || (A == numeric_aggregate::min ? *n < frame->total : *n > frame->total)) {
            frame->total = *n;
        }
        frame->values += step;
    } catch (const std::exception& e) {
        sqlite3_result_error(context, e.what(), -1);
    } catch (...) {
        sqlite3_result_error_nomem(context);
    }
}

template <numeric_aggregate A>
void numeric_value(sqlite3_context* context) noexcept {
    numeric_frame* frame = frame_of(context, false);
    if (frame && frame->failed) return;  // the error is set
    if (!frame || frame->values == 0) return sqlite3_result_null(context);
    try {
        if constexpr (A == numeric_aggregate::sum) {
            // As PostgreSQL sums them: NaN, or Infinity with -Infinity, is NaN.
            if (frame->nans > 0 || (frame->infinities > 0 && frame->negative_infinities > 0))
                return numeric_result(context, numeric::nan());
            if (frame->infinities > 0) return numeric_result(context, numeric::infinity());
            if (frame->negative_infinities > 0) return numeric_result(context, numeric::negative_infinity());
        }
        numeric_result(context, frame->total);
    } catch (const std::exception& e) {
        sqlite3_result_error(context, e.what(), -1);
    } catch (...) {
        sqlite3_result_error_nomem(context);
    }
}

template <numeric_aggregate A>
void numeric_final(sqlite3_context* context) noexcept {
    numeric_value<A>(context);
    if (auto** slot = static_cast<numeric_frame**>(sqlite3_aggregate_context(context, 0)); slot && *slot) {
        delete *slot;
        *slot = nullptr;
    }
}

// Registers the functions on `db`; SQLITE_OK or the code of the first failure.
inline int register_numeric_functions(sqlite3* db) {
    constexpr int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    int rc = sqlite3_create_function_v2(db, "ctorm_numeric_add", 2, flags, nullptr,
                                        &numeric_binary<numeric_operation::add>, nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "ctorm_numeric_subtract", 2, flags, nullptr,
                                        &numeric_binary<numeric_operation::subtract>, nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "ctorm_numeric_multiply", 2, flags, nullptr,
                                        &numeric_binary<numeric_operation::multiply>, nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "ctorm_numeric_compare", 2, flags, nullptr, &numeric_compare, nullptr,
                                        nullptr, nullptr);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "ctorm_numeric_divide", 3, flags, nullptr, &numeric_divide, nullptr,
                                        nullptr, nullptr);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "ctorm_numeric_order", 1, flags, nullptr, &numeric_order, nullptr, nullptr,
                                        nullptr);
    // SUM is a window function too (its rows can leave a frame); MIN and MAX are plain aggregates.
    if (rc == SQLITE_OK)
        rc = sqlite3_create_window_function(
            db, "ctorm_numeric_sum", 1, flags, nullptr, &numeric_step<numeric_aggregate::sum, false>,
            &numeric_final<numeric_aggregate::sum>, &numeric_value<numeric_aggregate::sum>,
            &numeric_step<numeric_aggregate::sum, true>, nullptr);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "ctorm_numeric_min", 1, flags, nullptr, nullptr,
                                        &numeric_step<numeric_aggregate::min, false>,
                                        &numeric_final<numeric_aggregate::min>, nullptr);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "ctorm_numeric_max", 1, flags, nullptr, nullptr,
                                        &numeric_step<numeric_aggregate::max, false>,
                                        &numeric_final<numeric_aggregate::max>, nullptr);
    return rc;
}

}  // namespace ctorm::sqlite::detail
