// How C++ field types map onto SQL: value categories, nullability, blobs,
// dates and timestamps, and the compatibility rule for comparing and assigning.
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

namespace ctorm {

// Binary data. ctorm::timestamp (microseconds, UTC) and ctorm::date come from chrono_text.hpp.
using blob = std::vector<std::byte>;

enum class category { integer, real, string, boolean, bytes, time_point, calendar_date, enumeration, null, unsupported };

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
    else if constexpr (std::is_same_v<U, blob> || std::is_same_v<U, std::span<const std::byte>>)
        return category::bytes;
    else if constexpr (std::is_same_v<U, timestamp>) return category::time_point;
    else if constexpr (std::is_same_v<U, date>) return category::calendar_date;
    else return category::unsupported;
}

// May a value of type V stand where a column of type T is compared?
template <class T, class V>
constexpr bool comparable() {
    constexpr category a = category_of<T>(), b = category_of<V>();
    if constexpr (a == category::enumeration || b == category::enumeration)
        return std::is_same_v<non_null_t<T>, non_null_t<V>>;
    else if constexpr ((a == category::integer || a == category::real) &&
                       (b == category::integer || b == category::real))
        return true;
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
    else if constexpr (a == category::enumeration) return std::is_same_v<non_null_t<T>, non_null_t<V>>;
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
    else return true;
}

}  // namespace ctorm
