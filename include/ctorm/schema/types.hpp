// How C++ field types map onto SQL: value categories, nullability, blobs,
// dates and timestamps, exact decimals, UUIDs, JSON and arrays, and the
// compatibility rule for comparing and assigning.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ctorm/detail/chrono_text.hpp"
#include "ctorm/schema/enum_names.hpp"

namespace ctorm {

// Binary data. ctorm::timestamp (microseconds, UTC), ctorm::date and ctorm::time_of_day come from chrono_text.hpp.
using blob = std::vector<std::byte>;

// Defined in extended_types.hpp; the rules here need only their names.
class numeric;
class uuid;
class json;

// decimal: ctorm::numeric (exact); array: std::vector<T> of scalars other than std::byte.
enum class category {
    integer,
    real,
    string,
    boolean,
    bytes,
    time_point,
    calendar_date,
    clock_time,  // ctorm::time_of_day
    enumeration,
    decimal,
    uuid,
    json,
    array,
    null,
    unsupported
};

namespace detail {
template <class T>
struct strip_optional {
    using type = T;
    static constexpr bool nullable = false;
};
template <class T>
struct strip_optional<std::optional<T>> {
    using type = T;
    static constexpr bool nullable = true;
};
}  // namespace detail

template <class T>
using non_null_t = typename detail::strip_optional<std::remove_cvref_t<T>>::type;
template <class T>
inline constexpr bool is_nullable_v = detail::strip_optional<std::remove_cvref_t<T>>::nullable;

namespace detail {
template <class T>
struct array_traits {
    static constexpr bool is_array = false;
};
template <class T, class A>
struct array_traits<std::vector<T, A>> {
    static constexpr bool is_array = !std::is_same_v<T, std::byte>;  // std::vector<std::byte> is a blob
    using element_type = T;
};
}  // namespace detail

// std::vector<T> (not a blob), ignoring std::optional around it.
template <class T>
inline constexpr bool is_sql_array_v = detail::array_traits<non_null_t<T>>::is_array;
// The element type of an array type, std::optional kept: std::vector<std::optional<int>> gives std::optional<int>.
template <class T>
using sql_array_element_t = typename detail::array_traits<non_null_t<T>>::element_type;

// The SQL category of a C++ type, ignoring std::optional.
template <class T, class U = non_null_t<T>>
constexpr category category_of() {
    if constexpr (std::is_same_v<U, std::nullopt_t>) return category::null;
    else if constexpr (std::is_same_v<U, bool>) return category::boolean;
    else if constexpr (std::is_enum_v<U>) return category::enumeration;
    else if constexpr (std::is_integral_v<U> && !std::is_same_v<U, char>) return category::integer;
    else if constexpr (std::is_floating_point_v<U>) return category::real;
    else if constexpr (std::is_same_v<U, std::string> || std::is_same_v<U, std::string_view> ||
                       std::is_same_v<U, const char*> || std::is_same_v<U, char*>)
        return category::string;
    else if constexpr (std::is_array_v<U> && std::is_same_v<std::remove_cv_t<std::remove_extent_t<U>>, char>)
        return category::string;
    else if constexpr (std::is_same_v<U, blob> || std::is_same_v<U, std::span<const std::byte>>) return category::bytes;
    else if constexpr (std::is_same_v<U, timestamp>) return category::time_point;
    else if constexpr (std::is_same_v<U, date>) return category::calendar_date;
    else if constexpr (std::is_same_v<U, time_of_day>) return category::clock_time;
    else if constexpr (std::is_same_v<U, numeric>) return category::decimal;
    else if constexpr (std::is_same_v<U, uuid>) return category::uuid;
    else if constexpr (std::is_same_v<U, json>) return category::json;
    else if constexpr (is_sql_array_v<U>) return category::array;
    else return category::unsupported;
}

// May T be an element of an array column (std::vector<T>)? Scalars only:
// no blobs, JSON or nested arrays; std::optional<T> for NULL elements.
template <class T, class U = non_null_t<T>>
constexpr bool supported_array_element() {
    constexpr category c = category_of<U>();
    if constexpr (std::is_same_v<U, std::byte> || std::is_same_v<U, char> || is_nullable_v<U> || named_enum<U>)
        return false;
    else if constexpr (c == category::integer) return !(std::is_unsigned_v<U> && sizeof(U) == 8);
    else if constexpr (c == category::string) return std::is_same_v<U, std::string>;
    else
        return c == category::boolean || c == category::real || c == category::enumeration || c == category::decimal ||
               c == category::uuid || c == category::time_point || c == category::calendar_date;
}

namespace detail {
// Arrays match when their elements are the same C++ type: each backend stores
// an array by its element type (int4[] and int8[] do not compare in PostgreSQL).
template <class T, class V>
constexpr bool same_array_elements() {
    if constexpr (is_sql_array_v<T> && is_sql_array_v<V>)
        return std::is_same_v<non_null_t<sql_array_element_t<T>>, non_null_t<sql_array_element_t<V>>>;
    else return false;
}
}  // namespace detail

// May a value of type V stand where a column of type T is compared?
template <class T, class V>
constexpr bool comparable() {
    constexpr category a = category_of<T>(), b = category_of<V>();
    if constexpr (a == category::enumeration || b == category::enumeration)
        return std::is_same_v<non_null_t<T>, non_null_t<V>>;
    else if constexpr ((a == category::integer || a == category::real) &&
                       (b == category::integer || b == category::real))
        return true;
    // An exact decimal meets integers, never floating point (which would be inexact).
    else if constexpr ((a == category::decimal && b == category::integer) ||
                       (a == category::integer && b == category::decimal))
        return true;
    else if constexpr (a == category::array || b == category::array) return detail::same_array_elements<T, V>();
    else return a == b && a != category::unsupported;
}

// May a value of type V be stored into a column of type T? Stricter than
// comparison: no real into an integer column, no optional into NOT NULL.
template <class T, class V>
constexpr bool assignable() {
    constexpr category a = category_of<T>(), b = category_of<V>();
    if constexpr (b == category::null) return is_nullable_v<T>;
    else if constexpr (is_nullable_v<V> && !is_nullable_v<T>) return false;
    else if constexpr (a == category::real && b == category::integer) return true;
    else if constexpr (a == category::decimal && b == category::integer) return true;
    else if constexpr (a == category::enumeration) return std::is_same_v<non_null_t<T>, non_null_t<V>>;
    else if constexpr (a == category::array || b == category::array)
        // NULL elements only where the column's elements may be NULL.
        return detail::same_array_elements<T, V>() &&
               (is_nullable_v<sql_array_element_t<T>> || !is_nullable_v<sql_array_element_t<V>>);
    else return a == b && a != category::unsupported;
}

// Is T usable as a field type of a model?
template <class T>
constexpr bool supported_field_type() {
    using U = non_null_t<T>;
    constexpr category c = category_of<T>();
    if constexpr (c == category::unsupported || c == category::null) return false;
    else if constexpr (c == category::string) return std::is_same_v<U, std::string>;
    else if constexpr (c == category::bytes) return std::is_same_v<U, blob>;
    else if constexpr (c == category::integer) return !(std::is_unsigned_v<U> && sizeof(U) == 8);
    else if constexpr (c == category::array) return supported_array_element<sql_array_element_t<U>>();
    else return true;
}

}  // namespace ctorm
