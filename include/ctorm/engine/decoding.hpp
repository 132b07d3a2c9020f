// What every backend's decoder reports the same way: where a result column
// came from, the C++ type names in messages, and the decode errors that do
// not depend on the backend (NULL into a non-optional, an integer out of range).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "ctorm/errors.hpp"
#include "ctorm/schema/column.hpp"
#include "ctorm/schema/extended_types.hpp"
#include "ctorm/schema/types.hpp"
#include "ctorm/sql/expression.hpp"
#include "ctorm/sql/render.hpp"

namespace ctorm::detail {

// The C++ type a column is read into, as messages name it.
template <class T>
constexpr std::string_view cpp_type_name() {
    using U = non_null_t<T>;
    if constexpr (std::is_same_v<U, bool>) return "bool";
    else if constexpr (std::is_same_v<U, std::int8_t>) return "std::int8_t";
    else if constexpr (std::is_same_v<U, std::int16_t>) return "std::int16_t";
    else if constexpr (std::is_same_v<U, std::int32_t>) return "std::int32_t";
    else if constexpr (std::is_same_v<U, std::int64_t>) return "std::int64_t";
    else if constexpr (std::is_same_v<U, std::uint8_t>) return "std::uint8_t";
    else if constexpr (std::is_same_v<U, std::uint16_t>) return "std::uint16_t";
    else if constexpr (std::is_same_v<U, std::uint32_t>) return "std::uint32_t";
    else if constexpr (named_enum<U>) return detail::enum_names<U>.type_name;
    else if constexpr (std::is_enum_v<U>) return "enum";
    else if constexpr (std::is_integral_v<U>) return "integer";
    else if constexpr (std::is_same_v<U, float>) return "float";
    else if constexpr (std::is_same_v<U, double>) return "double";
    else if constexpr (std::is_same_v<U, std::string>) return "std::string";
    else if constexpr (std::is_same_v<U, blob>) return "ctorm::blob";
    else if constexpr (std::is_same_v<U, timestamp>) return "ctorm::timestamp";
    else if constexpr (std::is_same_v<U, date>) return "ctorm::date";
    else if constexpr (std::is_same_v<U, time_of_day>) return "ctorm::time_of_day";
    else if constexpr (std::is_same_v<U, numeric>) return "ctorm::numeric";
    else if constexpr (std::is_same_v<U, uuid>) return "ctorm::uuid";
    else if constexpr (std::is_same_v<U, json>) return "ctorm::json";
    else if constexpr (is_sql_array_v<U>) return "std::vector (an array)";
    else return "value";
}

// Where a result column came from, for error messages: table and column of a
// column, or the SQL of an expression in dialect D. Constants, so the
// messages are built out of line, in the cold functions below.
struct column_source {
    std::string_view table, column;
};
template <class D, class E>
constexpr column_source source_of() {
    if constexpr (column_expression<E>) return {E::table_type::ctorm_sql_name, E::sql_name};
    else return {{}, sql_text<D, E>::view};
}
// One constant per (dialect, expression type): decoders instantiated per C++
// type only get these by reference.
template <class D, class E>
inline constexpr column_source source_v = source_of<D, E>();

[[noreturn, gnu::cold, gnu::noinline]] inline void throw_decode_at(column_source src, std::string_view description) {
    throw decode_error(std::string(src.table), std::string(src.column), std::string(description));
}

// A text that no enumerator of a CTORM_ENUM enum is named.
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_not_enum_name_at(column_source src, std::string_view text,
                                                                          std::string_view enum_type) {
    throw_decode_at(src, "'" + std::string(text) + "' is not the name of an enumerator of " + std::string(enum_type) +
                             " (CTORM_ENUM)");
}
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_null_at(column_source src, std::string_view cpp_type) {
    throw_decode_at(src, "NULL read into non-optional " + std::string(cpp_type) +
                             "; declare the field std::optional to accept NULL");
}
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_out_of_range_at(column_source src, std::int64_t v,
                                                                         std::string_view cpp_type) {
    throw_decode_at(src, "value " + std::to_string(v) + " is out of range for " + std::string(cpp_type));
}

}  // namespace ctorm::detail
