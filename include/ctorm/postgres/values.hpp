// Binary-format parameters and result values for libpq: each C++ type with its
// type OID, encoded big-endian without heap allocation, decoded with a check
// of the column's type OID once per result, not once per value.
#pragma once

#include <libpq-fe.h>

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
#include "ctorm/errors.hpp"
#include "ctorm/schema/types.hpp"
#include "ctorm/sql/dynamic.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm::postgres::detail {

// Type OIDs of the built-in types (pg_type.dat); stable across server versions.
namespace oid {
inline constexpr Oid unknown = 0, boolean = 16, bytea = 17, int8 = 20, int2 = 21, int4 = 23, text = 25,
                     float4 = 700, float8 = 701, varchar = 1043, bpchar = 1042, date = 1082, timestamp = 1114,
                     timestamptz = 1184, numeric = 1700, name = 19;
}

// PostgreSQL counts time from 2000-01-01, in microseconds and days.
inline constexpr std::int64_t epoch_2000_us = 946684800LL * 1000000LL;
inline constexpr std::int32_t epoch_2000_days = 10957;

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
};

// The parameters of one execution. Reused by a connection, so after the first
// statements no execution allocates.
struct param_buffer {
    std::vector<param_slot> slots;
    std::vector<Oid> types;
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    bool collect_types = false;

    void clear() {
        slots.clear();
        types.clear();
    }

    template <class T>
    void put_number(T v, Oid type) {
        param_slot& s = slots.emplace_back();
        s.inline_value = true;
        s.length = sizeof(T);
        if constexpr (sizeof(T) == 2) {
            std::uint16_t u;
            std::memcpy(&u, &v, 2);
            u = to_big(u);
            std::memcpy(s.bytes, &u, 2);
        } else if constexpr (sizeof(T) == 4) {
            std::uint32_t u;
            std::memcpy(&u, &v, 4);
            u = to_big(u);
            std::memcpy(s.bytes, &u, 4);
        } else if constexpr (sizeof(T) == 8) {
            std::uint64_t u;
            std::memcpy(&u, &v, 8);
            u = to_big(u);
            std::memcpy(s.bytes, &u, 8);
        } else {
            std::memcpy(s.bytes, &v, 1);
        }
        if (collect_types) types.push_back(type);
    }
    void put_bytes(const void* data, std::size_t n, Oid type) {
        param_slot& s = slots.emplace_back();
        s.data = data && n ? static_cast<const char*>(data) : "";
        s.length = static_cast<int>(n);
        if (collect_types) types.push_back(type);
    }
    void put_null(Oid type) {
        slots.emplace_back();
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
            values[i] = s.inline_value ? s.bytes : s.data;
            lengths[i] = s.length;
        }
    }
};

template <class V>
constexpr Oid type_oid() {
    using U = non_null_t<V>;
    if constexpr (std::is_same_v<U, std::nullopt_t> || std::is_same_v<U, std::monostate>) return oid::unknown;
    else if constexpr (std::is_same_v<U, bool>) return oid::boolean;
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
    else static_assert(meta::always_false<U>, "ctorm: no PostgreSQL type for this C++ type");
}

template <class V>
void put_value(param_buffer& b, const V& v) {
    if constexpr (std::is_same_v<V, bound_value>) {
        std::visit([&](const auto& alternative) { put_value(b, alternative); }, v);
    } else if constexpr (std::is_same_v<V, std::nullopt_t> || std::is_same_v<V, std::monostate>) {
        b.put_null(oid::unknown);
    } else if constexpr (is_nullable_v<V>) {
        if (v) put_value(b, *v);
        else b.put_null(type_oid<V>());
    } else if constexpr (std::is_same_v<V, bool>) {
        b.put_number(static_cast<std::uint8_t>(v ? 1 : 0), oid::boolean);
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
    } else if constexpr (std::is_same_v<V, std::string> || std::is_same_v<V, std::string_view>) {
        b.put_bytes(v.data(), v.size(), oid::text);
    } else if constexpr (std::is_same_v<V, blob> || std::is_same_v<V, std::span<const std::byte>>) {
        b.put_bytes(v.data(), v.size(), oid::bytea);
    } else if constexpr (std::is_same_v<V, timestamp>) {
        b.put_number(static_cast<std::int64_t>(v.time_since_epoch().count() - epoch_2000_us), oid::timestamptz);
    } else if constexpr (std::is_same_v<V, date>) {
        b.put_number(static_cast<std::int32_t>(v.time_since_epoch().count() - epoch_2000_days), oid::date);
    } else {
        static_assert(meta::always_false<V>, "ctorm: no PostgreSQL binding for this C++ type");
    }
}

struct param_writer {
    param_buffer& buffer;
    template <class V>
    void operator()(const V& v) {
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
        case oid::timestamp: return "timestamp";
        case oid::timestamptz: return "timestamptz";
        case oid::numeric: return "numeric";
        default: return "another type";
    }
}

template <class E>
struct source_name {
    static std::string table() {
        if constexpr (column_expression<E>) return std::string(E::table_type::ctorm_sql_name);
        else return {};
    }
    static std::string column() {
        if constexpr (column_expression<E>) return std::string(E::sql_name);
        else return std::string(ctorm::detail::sql_text<postgres_dialect, E>::view);
    }
};

template <class E>
[[noreturn]] void throw_decode(std::string description) {
    throw decode_error(source_name<E>::table(), source_name<E>::column(), std::move(description));
}

// Does a result column of type t decode into T?
template <class T>
bool accepts(Oid t) {
    using U = non_null_t<T>;
    if constexpr (std::is_same_v<U, bool>) return t == oid::boolean;
    else if constexpr (std::is_enum_v<U> || std::is_integral_v<U>) return t == oid::int2 || t == oid::int4 || t == oid::int8;
    else if constexpr (std::is_floating_point_v<U>) return t == oid::float4 || t == oid::float8;
    else if constexpr (std::is_same_v<U, std::string>)
        return t == oid::text || t == oid::varchar || t == oid::bpchar || t == oid::name;
    else if constexpr (std::is_same_v<U, blob>) return t == oid::bytea;
    else if constexpr (std::is_same_v<U, timestamp>) return t == oid::timestamptz || t == oid::timestamp;
    else if constexpr (std::is_same_v<U, date>) return t == oid::date;
    else return false;
}

template <class T>
std::string_view cpp_type_name() {
    using U = non_null_t<T>;
    if constexpr (std::is_same_v<U, bool>) return "bool";
    else if constexpr (std::is_enum_v<U>) return "enum";
    else if constexpr (std::is_integral_v<U>) return "integer";
    else if constexpr (std::is_floating_point_v<U>) return "floating point";
    else if constexpr (std::is_same_v<U, std::string>) return "std::string";
    else if constexpr (std::is_same_v<U, blob>) return "ctorm::blob";
    else if constexpr (std::is_same_v<U, timestamp>) return "ctorm::timestamp";
    else if constexpr (std::is_same_v<U, date>) return "ctorm::date";
    else return "value";
}

template <class I>
std::int64_t read_integer(const char* p, int n) {
    switch (n) {
        case 2: return static_cast<std::int16_t>(read_big<std::uint16_t>(p));
        case 4: return static_cast<std::int32_t>(read_big<std::uint32_t>(p));
        default: return static_cast<std::int64_t>(read_big<std::uint64_t>(p));
    }
}

template <class E, class T>
void read_value(const PGresult* r, int row, int column, T& out) {
    if constexpr (is_nullable_v<T>) {
        if (PQgetisnull(r, row, column)) out.reset();
        else read_value<E>(r, row, column, out.emplace());
    } else {
        const char* p = PQgetvalue(r, row, column);
        const int n = PQgetlength(r, row, column);
        if (n == 0 && PQgetisnull(r, row, column)) [[unlikely]]
            throw_decode<E>("NULL read into non-optional " + std::string(cpp_type_name<T>()) +
                            "; declare the field std::optional to accept NULL");
        if constexpr (std::is_same_v<T, bool>) {
            out = p[0] != 0;
        } else if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
            using I = typename std::conditional_t<std::is_enum_v<T>, std::underlying_type<T>, std::type_identity<T>>::type;
            const std::int64_t v = read_integer<I>(p, n);
            if constexpr (!std::is_same_v<I, std::int64_t>) {
                if (v < static_cast<std::int64_t>(std::numeric_limits<I>::min()) ||
                    v > static_cast<std::int64_t>(std::numeric_limits<I>::max())) [[unlikely]]
                    throw_decode<E>("value " + std::to_string(v) + " is out of range for this integer type");
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
            out = timestamp(std::chrono::microseconds(us + epoch_2000_us));
        } else if constexpr (std::is_same_v<T, date>) {
            const auto days = static_cast<std::int32_t>(read_big<std::uint32_t>(p));
            out = date(std::chrono::days(days + epoch_2000_days));
        } else {
            static_assert(meta::always_false<T>, "ctorm: no PostgreSQL decoding for this C++ type");
        }
    }
}

template <class Slots>
struct row_reader;
template <class... Slots>
struct row_reader<type_list<Slots...>> {
    // Once per result: every column's type must fit the C++ type it goes to.
    static void check_types(const PGresult* r) {
        check_all(r, std::index_sequence_for<Slots...>{});
    }
    template <class Row>
    static void read(const PGresult* r, int row_number, Row& row) {
        read_all(r, row_number, row, std::index_sequence_for<Slots...>{});
    }

private:
    template <std::size_t... Is>
    static void check_all(const PGresult* r, std::index_sequence<Is...>) {
        (check_one<Slots>(r, static_cast<int>(Is)), ...);
    }
    template <class Slot>
    static void check_one(const PGresult* r, int column) {
        const Oid t = PQftype(r, column);
        if (!accepts<typename Slot::value_type>(t)) [[unlikely]]
            throw_decode<typename Slot::expression_type>(
                "a " + std::string(oid_name(t)) + " column (type oid " + std::to_string(t) +
                ") cannot be read into " + std::string(cpp_type_name<typename Slot::value_type>()));
    }
    template <class Row, std::size_t... Is>
    static void read_all(const PGresult* r, int row_number, Row& row, std::index_sequence<Is...>) {
        (read_value<typename Slots::expression_type>(r, row_number, static_cast<int>(Is), Slots::target(row)), ...);
    }
};

}  // namespace ctorm::postgres::detail
