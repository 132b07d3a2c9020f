// Enums stored by name: CTORM_ENUM(Status, todo, doing, done) next to
// `enum class Status { todo, doing, done };` (at namespace scope, in the enum's
// namespace) makes every column, parameter and result of type Status the
// enumerator's name as text: 'todo', 'doing', 'done'. SQLite stores TEXT with a
// CHECK listing the names; PostgreSQL a native enum type, CREATE TYPE "status"
// AS ENUM ('todo', 'doing', 'done'), named after the C++ type in snake_case,
// which create_all() creates and drop_all() drops. An enum without CTORM_ENUM
// is stored as its underlying integer, as before.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/preprocessor/punctuation/comma_if.hpp>
#include <boost/preprocessor/seq/for_each_i.hpp>
#include <boost/preprocessor/stringize.hpp>
#include <boost/preprocessor/variadic/to_seq.hpp>

#include "ctorm/errors.hpp"
#include "ctorm/meta/rule.hpp"

namespace ctorm {

namespace detail {

template <class E>
struct enum_entry {
    E value;
    std::string_view name;
};

// What CTORM_ENUM declares: the C++ type's name and each enumerator's.
template <class E, std::size_t N>
struct enum_name_table {
    std::string_view type_name;
    std::array<enum_entry<E>, N> entries;
};

template <class E, class... Entries>
constexpr auto make_enum_names(std::string_view type_name, Entries... entries) {
    return enum_name_table<E, sizeof...(Entries)>{type_name, {entries...}};
}

// CamelCase to snake_case, the SQL type's name: TaskStatus is task_status.
template <std::size_t N>
struct snake_name {
    char data[2 * N + 1]{};
    std::size_t size = 0;
    constexpr std::string_view view() const { return {data, size}; }
};
template <std::size_t N>
constexpr snake_name<N> to_snake_case(std::string_view name) {
    snake_name<N> out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (c >= 'A' && c <= 'Z') {
            if (i > 0 && name[i - 1] != '_') out.data[out.size++] = '_';
            out.data[out.size++] = static_cast<char>(c - 'A' + 'a');
        } else {
            out.data[out.size++] = c;
        }
    }
    return out;
}

}  // namespace detail

// An enum declared with CTORM_ENUM (found by argument-dependent lookup).
template <class E>
concept named_enum = std::is_enum_v<E> && requires {
    ctorm_enum_names(static_cast<E*>(nullptr));
};

// An enum stored as its underlying integer (no CTORM_ENUM).
template <class E>
concept integer_enum = std::is_enum_v<E> && !named_enum<E>;

namespace detail {

template <class E>
consteval bool enum_names_are_distinct() {
    constexpr auto table = ctorm_enum_names(static_cast<E*>(nullptr));
    const auto& entries = table.entries;
    for (std::size_t i = 0; i < entries.size(); ++i)
        for (std::size_t j = i + 1; j < entries.size(); ++j)
            if (entries[i].name == entries[j].name || entries[i].value == entries[j].value) return false;
    return entries.size() > 0;
}

}  // namespace detail

template <class E>
struct assert_enum_names_distinct {
    CTORM_DETAIL_RULE(
        "ctorm: CTORM_ENUM lists an enumerator twice, or two enumerators of the same value: each stored name "
        "must stand for one value",
        detail::enum_names_are_distinct<E>());
};

namespace detail {
// What CTORM_ENUM declares for E, checked once.
template <named_enum E>
inline constexpr auto enum_names = (void(assert_enum_names_distinct<E>::check()),
                                    ctorm_enum_names(static_cast<E*>(nullptr)));
template <named_enum E>
inline constexpr auto enum_sql_name_storage = to_snake_case<enum_names<E>.type_name.size()>(enum_names<E>.type_name);

}  // namespace detail

// The SQL type's name of a named enum (PostgreSQL's CREATE TYPE): TaskStatus is "task_status".
template <named_enum E>
inline constexpr std::string_view enum_sql_name = detail::enum_sql_name_storage<E>.view();

// The name of v; empty when v is not one of CTORM_ENUM's enumerators.
template <named_enum E>
constexpr std::string_view enum_name(E v) {
    for (const auto& entry : detail::enum_names<E>.entries)
        if (entry.value == v) return entry.name;
    return {};
}

namespace detail {
// A value of a named enum held in a dynamic select's values (sql/dynamic.hpp):
// its name, bound so that PostgreSQL takes it for the column's enum type.
struct enum_label {
    std::string_view name;
    friend constexpr bool operator==(enum_label, enum_label) = default;
};
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_unnamed_enum(std::string_view enum_type, long long value) {
    throw value_error({}, {},
                      std::string(enum_type) + " value " + std::to_string(value) +
                          " is not one of the enumerators CTORM_ENUM names: it has no name to store");
}
}  // namespace detail

// The name of v, bound or written for the database: a value that is not one
// of CTORM_ENUM's enumerators raises ctorm::error (it has no name to store).
template <named_enum E>
constexpr std::string_view enum_name_or_throw(E v) {
    const std::string_view name = enum_name(v);
    if (name.empty()) [[unlikely]]
        detail::throw_unnamed_enum(detail::enum_names<E>.type_name, static_cast<long long>(v));
    return name;
}

// The enumerator named `name`, if there is one.
template <named_enum E>
constexpr std::optional<E> enum_from_name(std::string_view name) {
    for (const auto& entry : detail::enum_names<E>.entries)
        if (entry.name == name) return entry.value;
    return std::nullopt;
}

}  // namespace ctorm

#define CTORM_DETAIL_ENUM_ENTRY(r, type, i, name) \
    BOOST_PP_COMMA_IF(i)::ctorm::detail::enum_entry<type> { type::name, BOOST_PP_STRINGIZE(name) }

// CTORM_ENUM(Status, todo, doing, done): Status is stored by its enumerators' names.
#define CTORM_ENUM(type, ...)                                                                                      \
    [[maybe_unused]] constexpr auto ctorm_enum_names(type*) {                                                      \
        return ::ctorm::detail::make_enum_names<type>(                                                             \
            #type, BOOST_PP_SEQ_FOR_EACH_I(CTORM_DETAIL_ENUM_ENTRY, type, BOOST_PP_VARIADIC_TO_SEQ(__VA_ARGS__))); \
    }                                                                                                              \
    static_assert(::ctorm::named_enum<type>,                                                                       \
                  "ctorm: CTORM_ENUM(" #type ", ...) must be written in the namespace that declares " #type        \
                  " (argument-dependent lookup finds it there)")
