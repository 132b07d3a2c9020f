// Binary-format parameters and result values for libpq: each C++ type with its
// type OID, encoded big-endian without heap allocation, decoded with a check
// of the column's type OID once per result, not once per value.
#pragma once

#include <libpq-fe.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "ctorm/detail/chrono_text.hpp"
#include "ctorm/dialect/postgres.hpp"
#include "ctorm/engine/decoding.hpp"
#include "ctorm/errors.hpp"
#include "ctorm/postgres/errors.hpp"
#include "ctorm/schema/extended_types.hpp"
#include "ctorm/schema/types.hpp"
#include "ctorm/sql/dynamic.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm::postgres::detail {

// Type OIDs of the built-in types (pg_type.dat); stable across server versions.
namespace oid {
inline constexpr Oid unknown = 0, boolean = 16, bytea = 17, int8 = 20, int2 = 21, int4 = 23, text = 25, float4 = 700,
                     float8 = 701, varchar = 1043, bpchar = 1042, date = 1082, time = 1083, timestamp = 1114,
                     timestamptz = 1184, numeric = 1700, name = 19, uuid = 2950, json = 114, jsonb = 3802;
// The one-dimensional array types of the element types above.
inline constexpr Oid boolean_array = 1000, bytea_array = 1001, int8_array = 1016, int2_array = 1005, int4_array = 1007,
                     text_array = 1009, float4_array = 1021, float8_array = 1022, varchar_array = 1015,
                     bpchar_array = 1014, name_array = 1003, date_array = 1182, timestamp_array = 1115,
                     timestamptz_array = 1185, numeric_array = 1231, uuid_array = 2951, json_array = 199,
                     jsonb_array = 3807;
// The first OID the database gives to what it makes (FirstNormalObjectId): an enum type's is at least this.
inline constexpr Oid first_user_oid = 16384;

// The array type of an element type, and back; 0 when there is none.
constexpr Oid array_of(Oid element) {
    switch (element) {
        case boolean: return boolean_array;
        case bytea: return bytea_array;
        case int8: return int8_array;
        case int2: return int2_array;
        case int4: return int4_array;
        case text: return text_array;
        case float4: return float4_array;
        case float8: return float8_array;
        case varchar: return varchar_array;
        case bpchar: return bpchar_array;
        case name: return name_array;
        case date: return date_array;
        case timestamp: return timestamp_array;
        case timestamptz: return timestamptz_array;
        case numeric: return numeric_array;
        case uuid: return uuid_array;
        case json: return json_array;
        case jsonb: return jsonb_array;
        default: return 0;
    }
}
constexpr Oid element_of(Oid array) {
    switch (array) {
        case boolean_array: return boolean;
        case bytea_array: return bytea;
        case int8_array: return int8;
        case int2_array: return int2;
        case int4_array: return int4;
        case text_array: return text;
        case float4_array: return float4;
        case float8_array: return float8;
        case varchar_array: return varchar;
        case bpchar_array: return bpchar;
        case name_array: return name;
        case date_array: return date;
        case timestamp_array: return timestamp;
        case timestamptz_array: return timestamptz;
        case numeric_array: return numeric;
        case uuid_array: return uuid;
        case json_array: return json;
        case jsonb_array: return jsonb;
        default: return 0;
    }
}
}  // namespace oid

// PostgreSQL counts time from 2000-01-01, in microseconds and days.
inline constexpr std::int64_t epoch_2000_us = 946684800LL * 1000000LL;
inline constexpr std::int32_t epoch_2000_days = 10957;

// What PostgreSQL's binary formats hold (src/include/datatype/timestamp.h,
// utils/numeric.c, utils/array.h, utils/memutils.h), so that nothing is sent
// that the server would store changed: from 2000-01-01, the first timestamp
// (4714-11-24 00:00:00 UTC BC) and the first after the last (294277-01-01), the
// first date and the first after the last (5874898-01-01); a numeric's digits
// before and after the point; an array's elements; one value's bytes (a varlena
// of 1 GiB - 1, its 4-byte header included).
inline constexpr std::int64_t first_timestamp_us = -211813488000000000LL;
inline constexpr std::int64_t end_timestamp_us = 9223371331200000000LL;
inline constexpr std::int64_t first_date_days = -2451545;
inline constexpr std::int64_t end_date_days = 2145031949;
inline constexpr std::size_t max_numeric_whole_digits = 131072;
inline constexpr std::size_t max_numeric_fraction_digits = 16383;
inline constexpr std::size_t max_array_elements = 134217727;
inline constexpr std::size_t max_value_bytes = 0x3fffffff - 4;
// Every ctorm::timestamp after PostgreSQL's first fits (its last is in 294247).
static_assert(std::numeric_limits<std::int64_t>::max() - epoch_2000_us < end_timestamp_us);

// A value PostgreSQL cannot take as it is. The caller (postgres/protocol.hpp)
// adds which parameter of which statement it was.
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_unsendable(std::string description) {
    throw value_error({}, {}, std::move(description));
}
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_too_long(std::size_t n, std::string_view what) {
    throw_unsendable(std::string(what) + " of " + std::to_string(n) +
                     " bytes is more than PostgreSQL takes in one value (" + std::to_string(max_value_bytes) +
                     " bytes)");
}
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_timestamp_out_of_range(std::int64_t us) {
    throw_unsendable("ctorm::timestamp " + std::to_string(us) +
                     " us since 1970-01-01 UTC is before PostgreSQL's first timestamp, 4714-11-24 00:00:00 UTC BC");
}
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_time_of_day_out_of_range(std::int64_t us) {
    throw_unsendable("ctorm::time_of_day " + std::to_string(us) +
                     " us since midnight is outside PostgreSQL's times, 00:00 to 24:00");
}
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_date_out_of_range(std::int64_t days) {
    throw_unsendable("ctorm::date " + std::to_string(days) +
                     " days since 1970-01-01 is outside PostgreSQL's dates, 4714-11-24 BC to 5874897-12-31");
}

// A ctorm::timestamp as PostgreSQL counts it, or value_error.
inline std::int64_t postgres_microseconds(timestamp v) {
    const std::int64_t us = v.time_since_epoch().count();
    if (us < first_timestamp_us + epoch_2000_us) [[unlikely]]
        throw_timestamp_out_of_range(us);
    return us - epoch_2000_us;
}
// A ctorm::time_of_day as PostgreSQL's time counts it (microseconds since
// midnight), or value_error.
inline std::int64_t postgres_time_of_day(time_of_day v) {
    if (!v.ok()) [[unlikely]]
        throw_time_of_day_out_of_range(v.since_midnight().count());
    return v.since_midnight().count();
}
// A ctorm::date as PostgreSQL counts it, or value_error.
inline std::int32_t postgres_days(date v) {
    const auto days = static_cast<std::int64_t>(v.time_since_epoch().count());
    if (days < first_date_days + epoch_2000_days || days >= end_date_days + epoch_2000_days) [[unlikely]]
        throw_date_out_of_range(days);
    return static_cast<std::int32_t>(days - epoch_2000_days);
}

inline std::uint16_t to_big(std::uint16_t v) { return __builtin_bswap16(v); }
inline std::uint32_t to_big(std::uint32_t v) { return __builtin_bswap32(v); }
inline std::uint64_t to_big(std::uint64_t v) { return __builtin_bswap64(v); }

template <class U>
inline U read_big(const char* p) {
    U v;
    std::memcpy(&v, p, sizeof v);
    return to_big(v);
}

// One parameter: where its bytes are, how many, and small values inline.
struct param_slot {
    const char* data = nullptr;  // null: SQL NULL
    int length = 0;
    bool inline_value = false;
    char bytes[8]{};
    std::size_t owned_at = npos;  // where its bytes start in param_buffer::owned, if they are there
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
};

template <class T>
inline std::uint64_t big_endian_bits(T v) {
    if constexpr (sizeof(T) == 2) {
        std::uint16_t u;
        std::memcpy(&u, &v, 2);
        u = to_big(u);
        std::uint64_t out = 0;
        std::memcpy(&out, &u, 2);
        return out;
    } else if constexpr (sizeof(T) == 4) {
        std::uint32_t u;
        std::memcpy(&u, &v, 4);
        u = to_big(u);
        std::uint64_t out = 0;
        std::memcpy(&out, &u, 4);
        return out;
    } else if constexpr (sizeof(T) == 8) {
        std::uint64_t u;
        std::memcpy(&u, &v, 8);
        return to_big(u);
    } else {
        static_assert(sizeof(T) == 1);
        std::uint64_t out = 0;
        std::memcpy(&out, &v, 1);
        return out;
    }
}

// The parameters of a dynamic statement, whose count is known only at run
// time, and of every statement while it is prepared (collect_types). Reused
// by a connection, so after the first statements no execution allocates.
struct param_buffer {
    std::vector<param_slot> slots;
    std::vector<Oid> types;
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    // The bytes of values that had to be encoded (numerics, jsonb, arrays), one
    // after the other; pointers into it are taken in finish(), when it has
    // stopped growing.
    std::string owned;
    bool collect_types = false;

    void clear() {
        slots.clear();
        types.clear();
        owned.clear();
    }

    template <class T>
    void put_number(T v, Oid type) {
        param_slot& s = slots.emplace_back();
        s.inline_value = true;
        s.length = sizeof(T);
        const std::uint64_t bits = big_endian_bits(v);
        std::memcpy(s.bytes, &bits, 8);
        if (collect_types) types.push_back(type);
    }
    void put_bytes(const void* data, std::size_t n, Oid type) {
        if (n > max_value_bytes) [[unlikely]]
            throw_too_long(n, type == oid::bytea ? "a blob" : "a string");
        param_slot& s = slots.emplace_back();
        s.data = data && n ? static_cast<const char*>(data) : "";
        s.length = static_cast<int>(n);
        if (collect_types) types.push_back(type);
    }
    // A std::string's bytes: never a null pointer, even when empty.
    void put_string(const std::string& v, Oid type) { put_bytes(v.data(), v.size(), type); }
    void put_null(Oid type) {
        slots.emplace_back();
        if (collect_types) types.push_back(type);
    }
    // Where the bytes of the next encoded value go, appended from the returned offset on.
    std::string& owned_bytes() { return owned; }
    std::size_t begin_owned() { return owned.size(); }
    // A value whose bytes were appended to `owned` from offset `start` on.
    void put_owned(std::size_t start, Oid type) {
        if (owned.size() - start > max_value_bytes) [[unlikely]]
            throw_too_long(owned.size() - start, "an encoded value");
        param_slot& s = slots.emplace_back();
        s.owned_at = start;
        s.length = static_cast<int>(owned.size() - start);
        if (collect_types) types.push_back(type);
    }

    // The arrays libpq takes, pointing into slots.
    void finish() {
        const std::size_t n = slots.size();
        values.resize(n);
        lengths.resize(n);
        formats.assign(n, 1);
        for (std::size_t i = 0; i < n; ++i) {
            param_slot& s = slots[i];
            values[i] = s.inline_value ? s.bytes : s.owned_at != param_slot::npos ? owned.data() + s.owned_at : s.data;
            lengths[i] = s.length;
        }
    }
};

// Marks a parameter whose bytes are in the connection's owned buffer until
// static_params::finish() points at them.
inline constexpr char owned_marker = 0;

// The parameters of one execution of a statement with N placeholders, a
// number fixed by its type: arrays on the stack, filled in place, in the form
// libpq takes them. The type OIDs were given once, when it was prepared.
template <std::size_t N>
struct static_params {
    std::array<const char*, N> values;
    std::array<int, N> lengths;
    std::array<std::uint64_t, N> bytes;  // numbers in network order; offsets into owned for encoded values
    std::size_t next = 0;
    std::string* owned;  // the connection's buffer, cleared on first use in an execution
    bool any_owned = false;

    static constexpr std::array<int, N> formats = [] {
        std::array<int, N> all{};
        for (int& f : all) f = 1;
        return all;
    }();

    explicit static_params(std::string& owned_buffer) : owned(&owned_buffer) {}
    static_params(const static_params&) = delete;
    static_params& operator=(const static_params&) = delete;

    template <class T>
    void put_number(T v, Oid) {
        bytes[next] = big_endian_bits(v);
        values[next] = reinterpret_cast<const char*>(&bytes[next]);
        lengths[next] = static_cast<int>(sizeof(T));
        ++next;
    }
    void put_bytes(const void* data, std::size_t n, Oid type) {
        if (n > max_value_bytes) [[unlikely]]
            throw_too_long(n, type == oid::bytea ? "a blob" : "a string");
        values[next] = data && n ? static_cast<const char*>(data) : "";
        lengths[next] = static_cast<int>(n);
        ++next;
    }
    // A std::string's bytes: never a null pointer (which would mean NULL), even when empty.
    void put_string(const std::string& v, Oid) {
        if (v.size() > max_value_bytes) [[unlikely]]
            throw_too_long(v.size(), "a string");
        values[next] = v.data();
        lengths[next] = static_cast<int>(v.size());
        ++next;
    }
    void put_null(Oid) {
        values[next] = nullptr;
        lengths[next] = 0;
        ++next;
    }
    std::string& owned_bytes() { return *owned; }
    std::size_t begin_owned() {
        if (!any_owned) {
            owned->clear();
            any_owned = true;
        }
        return owned->size();
    }
    void put_owned(std::size_t start, Oid) {
        if (owned->size() - start > max_value_bytes) [[unlikely]]
            throw_too_long(owned->size() - start, "an encoded value");
        values[next] = &owned_marker;
        bytes[next] = start;
        lengths[next] = static_cast<int>(owned->size() - start);
        ++next;
    }
    // Encoded values point into owned once it has stopped growing.
    void finish() {
        if (!any_owned) [[likely]]
            return;
        for (std::size_t i = 0; i < N; ++i)
            if (values[i] == &owned_marker) values[i] = owned->data() + bytes[i];
    }
};

template <class V>
constexpr Oid type_oid() {
    using U = non_null_t<V>;
    if constexpr (std::is_same_v<U, std::nullopt_t> || std::is_same_v<U, std::monostate>) return oid::unknown;
    else if constexpr (std::is_same_v<U, bool>) return oid::boolean;
    // A named enum's text, for the server to take as the type of its context
    // (the column's enum type); text as an array element (CAST(... AS "e"[])).
    else if constexpr (named_enum<U>) return oid::unknown;
    else if constexpr (std::is_enum_v<U>) return type_oid<std::underlying_type_t<U>>();
    else if constexpr (std::is_integral_v<U>) {
        if constexpr (sizeof(U) == 1 || (sizeof(U) == 2 && std::is_signed_v<U>)) return oid::int2;
        else if constexpr (sizeof(U) == 2 || (sizeof(U) == 4 && std::is_signed_v<U>)) return oid::int4;
        else return oid::int8;
    } else if constexpr (std::is_same_v<U, float>) return oid::float4;
    else if constexpr (std::is_floating_point_v<U>) return oid::float8;
    else if constexpr (std::is_same_v<U, std::string> || std::is_same_v<U, std::string_view>) return oid::text;
    else if constexpr (std::is_same_v<U, blob> || std::is_same_v<U, std::span<const std::byte>>) return oid::bytea;
    else if constexpr (std::is_same_v<U, timestamp>) return oid::timestamptz;
    else if constexpr (std::is_same_v<U, date>) return oid::date;
    else if constexpr (std::is_same_v<U, time_of_day>) return oid::time;
    else if constexpr (std::is_same_v<U, numeric>) return oid::numeric;
    else if constexpr (std::is_same_v<U, uuid>) return oid::uuid;
    else if constexpr (std::is_same_v<U, json>) return oid::jsonb;
    else if constexpr (is_sql_array_v<U> && named_enum<non_null_t<sql_array_element_t<U>>>) return oid::text_array;
    else if constexpr (is_sql_array_v<U>) return oid::array_of(type_oid<sql_array_element_t<U>>());
    else static_assert(meta::always_false<U>, "ctorm: no PostgreSQL type for this C++ type");
}

// --- binary formats of numeric, uuid, jsonb and arrays ----------------------

inline void append_big16(std::string& out, std::uint16_t v) {
    const char b[2] = {static_cast<char>(v >> 8), static_cast<char>(v & 0xff)};
    out.append(b, 2);
}
inline void append_big32(std::string& out, std::uint32_t v) {
    append_big16(out, static_cast<std::uint16_t>(v >> 16));
    append_big16(out, static_cast<std::uint16_t>(v & 0xffff));
}
inline void append_big64(std::string& out, std::uint64_t v) {
    append_big32(out, static_cast<std::uint32_t>(v >> 32));
    append_big32(out, static_cast<std::uint32_t>(v & 0xffffffff));
}

// numeric's binary form: ndigits, weight, sign, display scale (int16 each),
// then ndigits base-10000 digits, the first worth 10000^weight.
namespace numeric_sign {
inline constexpr std::uint16_t positive = 0x0000, negative = 0x4000, nan = 0xC000, infinity = 0xD000,
                               negative_infinity = 0xF000;
}

inline void append_numeric(std::string& out, const numeric& value) {
    const std::string& text = value.to_string();
    if (!value.is_finite()) {
        append_big16(out, 0);
        append_big16(out, 0);
        append_big16(out, value.is_nan()   ? numeric_sign::nan
                          : text[0] == '-' ? numeric_sign::negative_infinity
                                           : numeric_sign::infinity);
        append_big16(out, 0);
        return;
    }
    std::string_view digits = text;
    const bool negative = digits[0] == '-';
    if (negative) digits.remove_prefix(1);
    const auto point = digits.find('.');
    std::string_view whole = digits.substr(0, point);
    const std::string_view fraction = point == std::string_view::npos ? std::string_view{} : digits.substr(point + 1);
    if (whole == "0") whole = {};
    // The weight (int16) and display scale (14 bits) would wrap: refused.
    if (whole.size() > max_numeric_whole_digits) [[unlikely]]
        throw_unsendable("a ctorm::numeric with " + std::to_string(whole.size()) +
                         " digits before the decimal point does not fit PostgreSQL's numeric (at most " +
                         std::to_string(max_numeric_whole_digits) + ")");
    if (fraction.size() > max_numeric_fraction_digits) [[unlikely]]
        throw_unsendable("a ctorm::numeric with " + std::to_string(fraction.size()) +
                         " digits after the decimal point does not fit PostgreSQL's numeric (at most " +
                         std::to_string(max_numeric_fraction_digits) + ")");
    // Groups of four decimal digits, aligned on the decimal point.
    const std::size_t lead = (4 - whole.size() % 4) % 4;
    const std::size_t whole_groups = (lead + whole.size()) / 4;
    const std::size_t groups = whole_groups + (fraction.size() + 3) / 4;
    auto digit_at = [&](std::size_t k) -> int {  // k-th character of the zero-padded text
        if (k < lead) return 0;
        k -= lead;
        if (k < whole.size()) return whole[k] - '0';
        k -= whole.size();
        return k < fraction.size() ? fraction[k] - '0' : 0;
    };
    auto group = [&](std::size_t g) {
        int v = 0;
        for (std::size_t k = 4 * g; k < 4 * g + 4; ++k) v = v * 10 + digit_at(k);
        return static_cast<std::uint16_t>(v);
    };
    std::size_t first = 0, last = groups;  // the nonzero span
    while (first < last && group(first) == 0) ++first;
    while (last > first && group(last - 1) == 0) --last;
    const auto weight =
        static_cast<std::int16_t>(static_cast<std::ptrdiff_t>(whole_groups) - 1 - static_cast<std::ptrdiff_t>(first));
    append_big16(out, static_cast<std::uint16_t>(last - first));
    append_big16(out, first == last ? std::uint16_t{0} : static_cast<std::uint16_t>(weight));
    append_big16(out, negative ? numeric_sign::negative : numeric_sign::positive);
    append_big16(out, static_cast<std::uint16_t>(fraction.size()));
    for (std::size_t g = first; g < last; ++g) append_big16(out, group(g));
}

// The text of a binary numeric, as PostgreSQL prints it (display scale digits
// after the point); false when the bytes are not a numeric.
inline bool numeric_from_binary(const char* p, int n, numeric& out) {
    if (n < 8) return false;
    const std::uint16_t ndigits = read_big<std::uint16_t>(p);
    const auto weight = static_cast<std::int16_t>(read_big<std::uint16_t>(p + 2));
    const std::uint16_t sign = read_big<std::uint16_t>(p + 4);
    const std::uint16_t dscale = read_big<std::uint16_t>(p + 6);
    if (n != 8 + 2 * static_cast<int>(ndigits)) return false;
    if (sign == numeric_sign::nan) return (out = numeric::nan(), true);
    if (sign == numeric_sign::infinity) return (out = numeric::infinity(), true);
    if (sign == numeric_sign::negative_infinity) return (out = numeric::negative_infinity(), true);
    if (sign != numeric_sign::positive && sign != numeric_sign::negative) return false;
    auto digit = [&](int index) -> int {
        return index >= 0 && index < ndigits ? read_big<std::uint16_t>(p + 8 + 2 * index) : 0;
    };
    for (int i = 0; i < ndigits; ++i)
        if (digit(i) > 9999) return false;
    std::string text;
    if (sign == numeric_sign::negative) text += '-';
    char four[4];
    auto put_group = [&](int v, bool pad) {
        for (int k = 3; k >= 0; --k, v /= 10) four[k] = static_cast<char>('0' + v % 10);
        int skip = 0;
        if (!pad)
            while (skip < 3 && four[skip] == '0') ++skip;
        text.append(four + skip, static_cast<std::size_t>(4 - skip));
    };
    if (weight < 0) text += '0';
    for (int g = 0; g <= weight; ++g) put_group(digit(g), g != 0);
    if (dscale > 0) {
        text += '.';
        const std::size_t start = text.size();
        for (int j = 1; text.size() - start < dscale; ++j) put_group(digit(weight + j), true);
        text.resize(start + dscale);
    }
    std::optional<numeric> parsed = numeric::parse(text);
    if (!parsed) return false;
    out = std::move(*parsed);
    return true;
}

// Appends a non-NULL value in binary format, for arrays and owned parameters.
template <class T>
void append_binary(std::string& out, const T& v) {
    if constexpr (std::is_same_v<T, bool>) {
        out += v ? '\1' : '\0';
    } else if constexpr (named_enum<T>) {
        out += enum_name_or_throw(v);
    } else if constexpr (std::is_enum_v<T>) {
        append_binary(out, static_cast<std::underlying_type_t<T>>(v));
    } else if constexpr (std::is_integral_v<T>) {
        constexpr Oid t = type_oid<T>();
        if constexpr (t == oid::int2) append_big16(out, static_cast<std::uint16_t>(static_cast<std::int16_t>(v)));
        else if constexpr (t == oid::int4) append_big32(out, static_cast<std::uint32_t>(static_cast<std::int32_t>(v)));
        else append_big64(out, static_cast<std::uint64_t>(static_cast<std::int64_t>(v)));
    } else if constexpr (std::is_same_v<T, float>) {
        std::uint32_t u;
        std::memcpy(&u, &v, 4);
        append_big32(out, u);
    } else if constexpr (std::is_floating_point_v<T>) {
        const double d = static_cast<double>(v);
        std::uint64_t u;
        std::memcpy(&u, &d, 8);
        append_big64(out, u);
    } else if constexpr (std::is_same_v<T, std::string>) {
        out += v;
    } else if constexpr (std::is_same_v<T, timestamp>) {
        append_big64(out, static_cast<std::uint64_t>(postgres_microseconds(v)));
    } else if constexpr (std::is_same_v<T, date>) {
        append_big32(out, static_cast<std::uint32_t>(postgres_days(v)));
    } else if constexpr (std::is_same_v<T, numeric>) {
        append_numeric(out, v);
    } else if constexpr (std::is_same_v<T, uuid>) {
        out.append(reinterpret_cast<const char*>(v.bytes().data()), v.bytes().size());
    } else if constexpr (std::is_same_v<T, json>) {
        out += '\1';  // jsonb's format version
        out += v.text();
    } else if constexpr (is_sql_array_v<T>) {
        // ndim, has-NULLs flag, element type, then per dimension its length and
        // lower bound (1), then each element as a length (-1: NULL) and bytes.
        using element = sql_array_element_t<T>;
        if (v.size() > max_array_elements) [[unlikely]]
            throw_unsendable("an array of " + std::to_string(v.size()) +
                             " elements is more than PostgreSQL's arrays hold (" + std::to_string(max_array_elements) +
                             ")");
        bool has_null = false;
        if constexpr (is_nullable_v<element>)
            for (const auto& e : v) has_null = has_null || !e;
        append_big32(out, v.empty() ? 0u : 1u);
        append_big32(out, has_null ? 1u : 0u);
        // an enum stored by name: its names as text[] (the statement casts them)
        append_big32(out, named_enum<non_null_t<element>> ? oid::text : type_oid<element>());
        if (!v.empty()) {
            append_big32(out, static_cast<std::uint32_t>(v.size()));
            append_big32(out, 1);
        }
        for (const auto& e : v) {
            const auto& value = static_cast<const element&>(e);
            if constexpr (is_nullable_v<element>) {
                if (!value) {
                    append_big32(out, 0xffffffffu);
                    continue;
                }
            }
            const std::size_t length_at = out.size();
            append_big32(out, 0);
            if constexpr (is_nullable_v<element>) append_binary(out, *value);
            else append_binary(out, value);
            if (out.size() - length_at - 4 > max_value_bytes) [[unlikely]]
                throw_too_long(out.size() - length_at - 4, "an array element");
            const auto length = static_cast<std::uint32_t>(out.size() - length_at - 4);
            for (int k = 0; k < 4; ++k)
                out[length_at + static_cast<std::size_t>(k)] = static_cast<char>((length >> (24 - 8 * k)) & 0xff);
        }
    } else {
        static_assert(meta::always_false<T>, "ctorm: no PostgreSQL binary form for this C++ type");
    }
}

template <class Buffer, class V>
void put_value(Buffer& b, const V& v) {
    if constexpr (std::is_same_v<V, bound_value>) {
        std::visit([&](const auto& alternative) { put_value(b, alternative); }, v);
    } else if constexpr (std::is_same_v<V, std::nullopt_t> || std::is_same_v<V, std::monostate>) {
        b.put_null(oid::unknown);
    } else if constexpr (is_nullable_v<V>) {
        if (v) put_value(b, *v);
        else b.put_null(type_oid<V>());
    } else if constexpr (std::is_same_v<V, bool>) {
        b.put_number(static_cast<std::uint8_t>(v ? 1 : 0), oid::boolean);
    } else if constexpr (named_enum<V>) {
        const std::string_view name = enum_name_or_throw(v);
        b.put_bytes(name.data(), name.size(), oid::unknown);
    } else if constexpr (std::is_same_v<V, ctorm::detail::enum_label>) {
        b.put_bytes(v.name.data(), v.name.size(), oid::unknown);
    } else if constexpr (std::is_enum_v<V>) {
        put_value(b, static_cast<std::underlying_type_t<V>>(v));
    } else if constexpr (std::is_integral_v<V>) {
        static_assert(!std::is_same_v<V, std::uint64_t>,
                      "ctorm: std::uint64_t does not fit PostgreSQL's signed 64-bit bigint");
        constexpr Oid t = type_oid<V>();
        if constexpr (t == oid::int2) b.put_number(static_cast<std::int16_t>(v), t);
        else if constexpr (t == oid::int4) b.put_number(static_cast<std::int32_t>(v), t);
        else b.put_number(static_cast<std::int64_t>(v), t);
    } else if constexpr (std::is_same_v<V, float>) {
        b.put_number(v, oid::float4);
    } else if constexpr (std::is_floating_point_v<V>) {
        b.put_number(static_cast<double>(v), oid::float8);
    } else if constexpr (std::is_same_v<V, std::string>) {
        b.put_string(v, oid::text);
    } else if constexpr (std::is_same_v<V, std::string_view>) {
        b.put_bytes(v.data(), v.size(), oid::text);
    } else if constexpr (std::is_same_v<V, blob> || std::is_same_v<V, std::span<const std::byte>>) {
        b.put_bytes(v.data(), v.size(), oid::bytea);
    } else if constexpr (std::is_same_v<V, timestamp>) {
        b.put_number(postgres_microseconds(v), oid::timestamptz);
    } else if constexpr (std::is_same_v<V, date>) {
        b.put_number(postgres_days(v), oid::date);
    } else if constexpr (std::is_same_v<V, time_of_day>) {
        b.put_number(postgres_time_of_day(v), oid::time);
    } else if constexpr (std::is_same_v<V, numeric> || std::is_same_v<V, uuid> || std::is_same_v<V, json> ||
                         is_sql_array_v<V>) {
        const std::size_t start = b.begin_owned();
        append_binary(b.owned_bytes(), v);
        b.put_owned(start, type_oid<V>());
    } else {
        static_assert(meta::always_false<V>, "ctorm: no PostgreSQL binding for this C++ type");
    }
}

template <class Buffer>
struct param_writer {
    Buffer& buffer;
    // Inline into the statement's parameter walk (as the SQLite binder is).
    template <class V>
    [[gnu::always_inline]] void operator()(const V& v) {
        put_value(buffer, v);
    }
};

// --- reading ----------------------------------------------------------------

inline std::string_view oid_name(Oid t) {
    switch (t) {
        case oid::boolean: return "boolean";
        case oid::bytea: return "bytea";
        case oid::int8: return "bigint";
        case oid::int2: return "smallint";
        case oid::int4: return "integer";
        case oid::text: return "text";
        case oid::float4: return "real";
        case oid::float8: return "double precision";
        case oid::varchar: return "varchar";
        case oid::bpchar: return "char";
        case oid::date: return "date";
        case oid::time: return "time";
        case oid::timestamp: return "timestamp";
        case oid::timestamptz: return "timestamptz";
        case oid::numeric: return "numeric";
        case oid::uuid: return "uuid";
        case oid::json: return "json";
        case oid::jsonb: return "jsonb";
        case oid::boolean_array: return "boolean[]";
        case oid::bytea_array: return "bytea[]";
        case oid::int8_array: return "bigint[]";
        case oid::int2_array: return "smallint[]";
        case oid::int4_array: return "integer[]";
        case oid::text_array: return "text[]";
        case oid::float4_array: return "real[]";
        case oid::float8_array: return "double precision[]";
        case oid::varchar_array: return "varchar[]";
        case oid::bpchar_array: return "char[]";
        case oid::name_array: return "name[]";
        case oid::date_array: return "date[]";
        case oid::timestamp_array: return "timestamp[]";
        case oid::timestamptz_array: return "timestamptz[]";
        case oid::numeric_array: return "numeric[]";
        case oid::uuid_array: return "uuid[]";
        case oid::json_array: return "json[]";
        case oid::jsonb_array: return "jsonb[]";
        default: return "another type";
    }
}

using ctorm::detail::column_source;
using ctorm::detail::throw_decode_at;
using ctorm::detail::throw_null_at;
using ctorm::detail::throw_out_of_range_at;
template <class E>
constexpr column_source source_of() {
    return ctorm::detail::source_v<postgres_dialect, E>;
}

[[noreturn, gnu::cold, gnu::noinline]] inline void throw_wrong_type_at(column_source src, Oid t,
                                                                       std::string_view cpp_type) {
    throw_decode_at(src, "a " + std::string(oid_name(t)) + " column (type oid " + std::to_string(t) +
                             ") cannot be read into " + std::string(cpp_type));
}
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_array_dimensions_at(column_source src, std::int32_t ndim) {
    throw_decode_at(src, "a " + std::to_string(ndim) +
                             "-dimensional array cannot be read into std::vector; only one-dimensional arrays can");
}
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_array_element_type_at(column_source src, Oid element_type,
                                                                               std::string_view cpp_type) {
    throw_decode_at(src, "an array of " + std::string(oid_name(element_type)) + " (type oid " +
                             std::to_string(element_type) + ") cannot be read into a std::vector of " +
                             std::string(cpp_type));
}
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_null_element_at(column_source src, std::int32_t index) {
    throw_decode_at(src, "element " + std::to_string(index) +
                             " of the array is NULL; read it into std::vector<std::optional<T>> to accept NULL "
                             "elements");
}
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_timestamp_beyond_at(column_source src, std::int64_t us) {
    throw_decode_at(src, "the timestamp " + std::to_string(us) +
                             " us after 2000-01-01 UTC is after the last ctorm::timestamp, "
                             "294247-01-10 04:00:54.775807 UTC");
}
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_uuid_size_at(column_source src, int n) {
    throw_decode_at(src, "a uuid of " + std::to_string(n) + " bytes");
}
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_jsonb_version_at(column_source src, int version) {
    throw_decode_at(src, "unknown binary jsonb format version " + std::to_string(version));
}
template <class E>
[[noreturn]] inline void throw_decode(std::string_view description) {
    throw_decode_at(source_of<E>(), description);
}

// Does a result column of type t decode into T?
template <class T>
bool accepts(Oid t) {
    using U = non_null_t<T>;
    if constexpr (std::is_same_v<U, bool>) return t == oid::boolean;
    // its enum type (a type the database made: not a built-in OID), or text
    else if constexpr (named_enum<U>) return t >= oid::first_user_oid || t == oid::text || t == oid::varchar;
    else if constexpr (std::is_enum_v<U> || std::is_integral_v<U>)
        return t == oid::int2 || t == oid::int4 || t == oid::int8;
    else if constexpr (std::is_floating_point_v<U>) return t == oid::float4 || t == oid::float8;
    else if constexpr (std::is_same_v<U, std::string>)
        return t == oid::text || t == oid::varchar || t == oid::bpchar || t == oid::name;
    else if constexpr (std::is_same_v<U, blob>) return t == oid::bytea;
    else if constexpr (std::is_same_v<U, timestamp>) return t == oid::timestamptz || t == oid::timestamp;
    else if constexpr (std::is_same_v<U, date>) return t == oid::date;
    else if constexpr (std::is_same_v<U, time_of_day>) return t == oid::time;
    // Integers are exact numerics too; a sum of bigints is numeric.
    else if constexpr (std::is_same_v<U, numeric>)
        return t == oid::numeric || t == oid::int2 || t == oid::int4 || t == oid::int8;
    else if constexpr (std::is_same_v<U, uuid>) return t == oid::uuid;
    else if constexpr (std::is_same_v<U, json>) return t == oid::jsonb || t == oid::json;
    else if constexpr (is_sql_array_v<U>) {
        const Oid element = oid::element_of(t);
        return element != 0 && accepts<sql_array_element_t<U>>(element);
    } else return false;
}

using ctorm::detail::cpp_type_name;

template <class I>
std::int64_t read_integer(const char* p, int n) {
    switch (n) {
        case 2: return static_cast<std::int16_t>(read_big<std::uint16_t>(p));
        case 4: return static_cast<std::int32_t>(read_big<std::uint32_t>(p));
        default: return static_cast<std::int64_t>(read_big<std::uint64_t>(p));
    }
}

// The size of a binary value of fixed-size type t, or 0 when its size varies.
constexpr int fixed_size_of(Oid t) {
    switch (t) {
        case oid::boolean: return 1;
        case oid::int2: return 2;
        case oid::int4:
        case oid::float4:
        case oid::date: return 4;
        case oid::int8:
        case oid::float8:
        case oid::time:
        case oid::timestamp:
        case oid::timestamptz: return 8;
        case oid::uuid: return 16;
        default: return 0;
    }
}

// Types whose decoding depends on which of the accepted column types it is.
template <class T>
inline constexpr bool decode_needs_type_oid = std::is_same_v<T, numeric> || std::is_same_v<T, json>;

template <class E, class T>
void decode_binary(const char* p, int n, Oid t, T& out);

// A one-dimensional array (or an empty one, which has no dimensions).
template <class E, class T>
void decode_array(const char* p, int n, T& out) {
    using element = sql_array_element_t<T>;
    out.clear();
    auto malformed = [] { throw_decode<E>("malformed binary array from the server"); };
    if (n < 12) malformed();
    const auto ndim = static_cast<std::int32_t>(read_big<std::uint32_t>(p));
    const Oid element_type = read_big<std::uint32_t>(p + 8);
    if (ndim == 0) return;
    if (ndim != 1) [[unlikely]]
        throw_array_dimensions_at(source_of<E>(), ndim);
    if (n < 20) malformed();
    if (!accepts<element>(element_type)) [[unlikely]]
        throw_array_element_type_at(source_of<E>(), element_type, cpp_type_name<element>());
    const auto count = static_cast<std::int32_t>(read_big<std::uint32_t>(p + 12));
    if (count < 0 || count > (n - 20) / 4) malformed();  // each element takes at least its length word
    const int fixed = fixed_size_of(element_type);
    out.reserve(static_cast<std::size_t>(count));
    int at = 20;
    for (std::int32_t i = 0; i < count; ++i) {
        if (n - at < 4) malformed();
        const auto length = static_cast<std::int32_t>(read_big<std::uint32_t>(p + at));
        at += 4;
        if (length < 0) {
            if constexpr (is_nullable_v<element>) {
                out.emplace_back();
                continue;
            } else {
                throw_null_element_at(source_of<E>(), i);
            }
        }
        if (length > n - at || (fixed != 0 && length != fixed)) malformed();
        non_null_t<element> value{};
        decode_binary<E>(p + at, length, element_type, value);
        out.push_back(std::move(value));
        at += length;
    }
    if (at != n) malformed();
}

// Decodes one non-NULL value of column type t from its binary bytes.
template <class E, class T>
void decode_binary(const char* p, int n, [[maybe_unused]] Oid t, T& out) {
    if constexpr (std::is_same_v<T, bool>) {
        out = p[0] != 0;
    } else if constexpr (named_enum<T>) {
        const std::string_view name(p, static_cast<std::size_t>(n));
        const std::optional<T> value = enum_from_name<T>(name);
        if (!value) [[unlikely]]
            throw_not_enum_name_at(source_of<E>(), name, cpp_type_name<T>());
        out = *value;
    } else if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
        using I = typename std::conditional_t<std::is_enum_v<T>, std::underlying_type<T>, std::type_identity<T>>::type;
        const std::int64_t v = read_integer<I>(p, n);
        if constexpr (!std::is_same_v<I, std::int64_t>) {
            if (v < static_cast<std::int64_t>(std::numeric_limits<I>::min()) ||
                v > static_cast<std::int64_t>(std::numeric_limits<I>::max())) [[unlikely]]
                throw_out_of_range_at(source_of<E>(), v, cpp_type_name<T>());
        }
        out = static_cast<T>(v);
    } else if constexpr (std::is_floating_point_v<T>) {
        if (n == 4) {
            const std::uint32_t u = read_big<std::uint32_t>(p);
            float f;
            std::memcpy(&f, &u, 4);
            out = static_cast<T>(f);
        } else {
            const std::uint64_t u = read_big<std::uint64_t>(p);
            double d;
            std::memcpy(&d, &u, 8);
            out = static_cast<T>(d);
        }
    } else if constexpr (std::is_same_v<T, std::string>) {
        out.assign(p, static_cast<std::size_t>(n));
    } else if constexpr (std::is_same_v<T, blob>) {
        const auto* b = reinterpret_cast<const std::byte*>(p);
        out.assign(b, b + n);
    } else if constexpr (std::is_same_v<T, timestamp>) {
        const auto us = static_cast<std::int64_t>(read_big<std::uint64_t>(p));
        // 'infinity' / '-infinity' arrive as the extreme values; no time point stands for them.
        if (us == std::numeric_limits<std::int64_t>::max() || us == std::numeric_limits<std::int64_t>::min())
            [[unlikely]]
            throw_decode<E>("an infinity timestamp has no ctorm::timestamp value");
        if (us > std::numeric_limits<std::int64_t>::max() - epoch_2000_us) [[unlikely]]
            throw_timestamp_beyond_at(source_of<E>(), us);
        out = timestamp(std::chrono::microseconds(us + epoch_2000_us));
    } else if constexpr (std::is_same_v<T, date>) {
        const auto days = static_cast<std::int32_t>(read_big<std::uint32_t>(p));
        if (days == std::numeric_limits<std::int32_t>::max() || days == std::numeric_limits<std::int32_t>::min())
            [[unlikely]]
            throw_decode<E>("an infinity date has no ctorm::date value");
        out = date(std::chrono::days(std::int64_t{days} + epoch_2000_days));
    } else if constexpr (std::is_same_v<T, time_of_day>) {
        const time_of_day value{std::chrono::microseconds(static_cast<std::int64_t>(read_big<std::uint64_t>(p)))};
        if (!value.ok()) [[unlikely]]
            throw_decode<E>("time " + std::to_string(value.since_midnight().count()) +
                            " us since midnight is outside 00:00-24:00");
        out = value;
    } else if constexpr (std::is_same_v<T, numeric>) {
        if (t == oid::numeric) {
            if (!numeric_from_binary(p, n, out)) [[unlikely]]
                throw_decode<E>("malformed binary numeric from the server");
        } else {
            out = numeric(read_integer<std::int64_t>(p, n));
        }
    } else if constexpr (std::is_same_v<T, uuid>) {
        if (n != 16) [[unlikely]]
            throw_uuid_size_at(source_of<E>(), n);
        uuid::bytes_type bytes;
        std::memcpy(bytes.data(), p, 16);
        out = uuid(bytes);
    } else if constexpr (std::is_same_v<T, json>) {
        if (t == oid::jsonb) {
            if (n < 1 || p[0] != 1) [[unlikely]]
                throw_jsonb_version_at(source_of<E>(), n < 1 ? 0 : int(p[0]));
            out = json(std::string(p + 1, static_cast<std::size_t>(n - 1)));
        } else {
            out = json(std::string(p, static_cast<std::size_t>(n)));
        }
    } else if constexpr (is_sql_array_v<T>) {
        decode_array<E>(p, n, out);
    } else {
        static_assert(meta::always_false<T>, "ctorm: no PostgreSQL decoding for this C++ type");
    }
}

// Does column type t hold T in exactly the binary form and width the fast
// path reads (no length, no type, no conversion needed)?
template <class T>
constexpr bool reads_directly(Oid t) {
    using U = non_null_t<T>;
    if constexpr (std::is_same_v<U, bool>) return t == oid::boolean;
    else if constexpr (integer_enum<U> || std::is_integral_v<U>) return t == type_oid<U>();
    else if constexpr (std::is_floating_point_v<U>) return t == type_oid<U>();
    else if constexpr (std::is_same_v<U, timestamp>) return t == oid::timestamptz || t == oid::timestamp;
    else if constexpr (std::is_same_v<U, date>) return t == oid::date;
    else return false;
}
template <class T>
inline constexpr bool has_direct_read =
    std::is_same_v<T, bool> || std::is_integral_v<T> || integer_enum<T> || std::is_floating_point_v<T> ||
    std::is_same_v<T, timestamp> || std::is_same_v<T, date>;

// A non-NULL value of a column whose type reads_directly<T>: its fixed width
// is that of T's own type, so PQgetlength is not asked.
template <class E, class T>
inline void read_direct(const char* p, T& out) {
    if constexpr (std::is_same_v<T, bool>) {
        out = p[0] != 0;
    } else if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
        using I = typename std::conditional_t<std::is_enum_v<T>, std::underlying_type<T>, std::type_identity<T>>::type;
        constexpr Oid t = type_oid<I>();
        std::int64_t v;
        if constexpr (t == oid::int2) v = static_cast<std::int16_t>(read_big<std::uint16_t>(p));
        else if constexpr (t == oid::int4) v = static_cast<std::int32_t>(read_big<std::uint32_t>(p));
        else v = static_cast<std::int64_t>(read_big<std::uint64_t>(p));
        // The column's type is wider than I only for 8-bit and unsigned I.
        if constexpr (!std::is_same_v<I, std::int16_t> && !std::is_same_v<I, std::int32_t> &&
                      !std::is_same_v<I, std::int64_t>) {
            if (v < static_cast<std::int64_t>(std::numeric_limits<I>::min()) ||
                v > static_cast<std::int64_t>(std::numeric_limits<I>::max())) [[unlikely]]
                throw_out_of_range_at(source_of<E>(), v, cpp_type_name<T>());
        }
        out = static_cast<T>(v);
    } else if constexpr (std::is_same_v<T, float>) {
        const std::uint32_t u = read_big<std::uint32_t>(p);
        std::memcpy(&out, &u, 4);
    } else if constexpr (std::is_floating_point_v<T>) {
        const std::uint64_t u = read_big<std::uint64_t>(p);
        double d;
        std::memcpy(&d, &u, 8);
        out = static_cast<T>(d);
    } else {
        decode_binary<E>(p, fixed_size_of(type_oid<T>()), type_oid<T>(), out);
    }
}

// Where libpq points the value of every NULL field of a result: one byte of
// the PGresult itself (its null_field), at the same offset in every result.
// Learned once from a result built through libpq's public API (a NULL set
// with PQsetvalue), and checked there: 0 when it cannot be learned, and then
// every NULL test asks PQgetisnull. With it, a value's NULL test is one
// comparison of the pointer PQgetvalue returned anyway, not another call.
inline std::ptrdiff_t null_field_offset() noexcept {
    static const std::ptrdiff_t offset = [] {
        std::ptrdiff_t found = -1;
        PGresult* r = PQmakeEmptyPGresult(nullptr, PGRES_TUPLES_OK);
        if (!r) return found;
        char name[] = "probe";
        PGresAttDesc column{};
        column.name = name;
        column.format = 1;
        char text[] = "x";
        if (PQsetResultAttrs(r, 1, &column) && PQsetvalue(r, 0, 0, nullptr, -1) && PQsetvalue(r, 1, 0, text, 1) &&
            PQsetvalue(r, 2, 0, nullptr, -1)) {
            const auto base = reinterpret_cast<std::uintptr_t>(r);
            const auto first = reinterpret_cast<std::uintptr_t>(PQgetvalue(r, 0, 0));
            const auto value = reinterpret_cast<std::uintptr_t>(PQgetvalue(r, 1, 0));
            const auto second = reinterpret_cast<std::uintptr_t>(PQgetvalue(r, 2, 0));
            if (PQgetisnull(r, 0, 0) && !PQgetisnull(r, 1, 0) && first == second && value != first && first >= base &&
                first - base < 4096)
                found = static_cast<std::ptrdiff_t>(first - base);
        }
        PQclear(r);
        return found;
    }();
    return offset;
}
// The address NULL values of r have, or 0 (unknown: ask PQgetisnull).
inline std::uintptr_t null_address(const PGresult* r) noexcept {
    const std::ptrdiff_t offset = null_field_offset();
    return offset < 0 || !r ? 0 : reinterpret_cast<std::uintptr_t>(r) + static_cast<std::uintptr_t>(offset);
}
inline bool value_is_null(const PGresult* r, int row, int column, const char* p, std::uintptr_t null_at) noexcept {
    return null_at ? reinterpret_cast<std::uintptr_t>(p) == null_at : PQgetisnull(r, row, column) != 0;
}

// A value known not to be NULL. `direct`: the column's type reads_directly<T>
// (checked once per prepared statement).
template <class E, class T>
inline void read_present(const PGresult* r, int row, int column, bool direct, const char* p, T& out) {
    if constexpr (has_direct_read<T>) {
        if (direct) [[likely]]
            read_direct<E>(p, out);
        else decode_binary<E>(p, PQgetlength(r, row, column), PQftype(r, column), out);
    } else {
        const int n = PQgetlength(r, row, column);
        Oid t = 0;
        if constexpr (decode_needs_type_oid<T>) t = PQftype(r, column);
        decode_binary<E>(p, n, t, out);
    }
}

// One value of the usual case: a fixed-width column of the field's own type,
// NULL told by the address libpq gives NULLs (null_at is not 0).
template <class E, class T>
inline void read_value_at(const PGresult* r, int row, int column, std::uintptr_t null_at, T& out) {
    const char* p = PQgetvalue(r, row, column);
    const bool null = reinterpret_cast<std::uintptr_t>(p) == null_at;
    if constexpr (is_nullable_v<T>) {
        if (null) out.reset();
        else read_present<E>(r, row, column, true, p, out.emplace());
    } else {
        if (null) [[unlikely]]
            throw_null_at(source_of<E>(), cpp_type_name<T>());
        read_present<E>(r, row, column, true, p, out);
    }
}

// One value. A non-optional one is still tested for NULL: the table may allow
// NULL where the declaration says NOT NULL, and that must be an error, not
// whatever bytes follow libpq's empty value.
template <class E, class T>
inline void read_value(const PGresult* r, int row, int column, bool direct, std::uintptr_t null_at, T& out) {
    const char* p = PQgetvalue(r, row, column);
    if constexpr (is_nullable_v<T>) {
        if (value_is_null(r, row, column, p, null_at)) out.reset();
        else read_present<E>(r, row, column, direct, p, out.emplace());
    } else {
        if (value_is_null(r, row, column, p, null_at)) [[unlikely]]
            throw_null_at(source_of<E>(), cpp_type_name<T>());
        read_present<E>(r, row, column, direct, p, out);
    }
}

// Which result columns read_value may read directly: bit i for column i.
using direct_columns = std::uint64_t;

template <class Slots>
struct row_reader;
template <class... Slots>
struct row_reader<type_list<Slots...>> {
    // Once per prepared statement (its result types are fixed until it is
    // prepared again): every column's type must fit the C++ type it goes to.
    static direct_columns check_types(const PGresult* r) {
        direct_columns direct = 0;
        check_all(r, direct, std::index_sequence_for<Slots...>{});
        return direct;
    }
    // null_at: null_address(r). The usual case (every fixed-width column of
    // the type its field reads directly, NULL known by address) is one test
    // per row, then a straight run of libpq calls; anything else goes the
    // general way, out of line.
    template <class Row>
    static void read(const PGresult* r, int row_number, Row& row, direct_columns direct, std::uintptr_t null_at) {
        if (direct == all_direct && null_at != 0) [[likely]]
            read_usual(r, row_number, row, null_at, std::index_sequence_for<Slots...>{});
        else read_general(r, row_number, row, direct, null_at);
    }
    // Slots read columns First, First + 1, ... (a part of a row); direct:
    // the whole row's columns that read directly, as check_types found.
    template <std::size_t First, class Row>
    static void read_from(const PGresult* r, int row_number, Row& row, direct_columns direct, std::uintptr_t null_at) {
        read_from<First>(r, row_number, row, direct, null_at, std::index_sequence_for<Slots...>{});
    }
    template <std::size_t First, class Row, std::size_t... Is>
    static void read_from(const PGresult* r, int row_number, Row& row, [[maybe_unused]] direct_columns direct,
                          std::uintptr_t null_at, std::index_sequence<Is...>) {
        (read_value<typename Slots::expression_type>(r, row_number, static_cast<int>(First + Is),
                                                     First + Is < 64 &&
                                                         has_direct_read<non_null_t<typename Slots::value_type>> &&
                                                         ((direct >> ((First + Is) % 64)) & 1) != 0,
                                                     null_at, Slots::target(row)),
         ...);
    }

private:
    template <std::size_t... Is>
    static void check_all(const PGresult* r, direct_columns& direct, std::index_sequence<Is...>) {
        (check_one<Slots, Is>(r, direct), ...);
    }
    template <class Slot, std::size_t I>
    static void check_one(const PGresult* r, direct_columns& direct) {
        using value = typename Slot::value_type;
        const Oid t = PQftype(r, static_cast<int>(I));
        if (!accepts<value>(t)) [[unlikely]]
            throw_wrong_type_at(source_of<typename Slot::expression_type>(), t, cpp_type_name<value>());
        if constexpr (I < 64)
            if (reads_directly<value>(t)) direct |= direct_columns{1} << I;
    }
    // The columns whose fields have a direct read: what check_types sets when
    // the result's types are exactly the fields' own.
    static constexpr direct_columns all_direct = [] {
        direct_columns mask = 0;
        std::size_t i = 0;
        ((mask |=
          (i < 64 && has_direct_read<non_null_t<typename Slots::value_type>>) ? direct_columns{1} << (i % 64) : 0,
          ++i),
         ...);
        return mask;
    }();

    template <class Row, std::size_t... Is>
    static void read_usual(const PGresult* r, int row_number, Row& row, std::uintptr_t null_at,
                           std::index_sequence<Is...>) {
        (read_value_at<typename Slots::expression_type>(r, row_number, static_cast<int>(Is), null_at,
                                                        Slots::target(row)),
         ...);
    }
    template <class Row>
    [[gnu::noinline]] static void read_general(const PGresult* r, int row_number, Row& row, direct_columns direct,
                                               std::uintptr_t null_at) {
        read_all(r, row_number, row, direct, null_at, std::index_sequence_for<Slots...>{});
    }
    template <class Row, std::size_t... Is>
    static void read_all(const PGresult* r, int row_number, Row& row, [[maybe_unused]] direct_columns direct,
                         std::uintptr_t null_at, std::index_sequence<Is...>) {
        (read_value<typename Slots::expression_type>(r, row_number, static_cast<int>(Is),
                                                     Is < 64 && ((direct >> (Is % 64)) & 1) != 0, null_at,
                                                     Slots::target(row)),
         ...);
    }
};

}  // namespace ctorm::postgres::detail
