// The rows of select(...).named(): a std::tuple of the selected values that
// also answers to each column's name or label, row.get<"post_count">().
// The type lives in ctorm::detail (spell it auto), so that no public name of
// ctorm's can clash with a user's table or model under `using namespace ctorm`.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ctorm/meta/fixed_string.hpp"
#include "ctorm/meta/items.hpp"
#include "ctorm/meta/rule.hpp"
#include "ctorm/sql/expression.hpp"

namespace ctorm {

namespace detail {

// The name a select-list item answers to: its label (.as<"n">()), a column's
// own name, or none (an expression without a label).
template <class E>
constexpr std::string_view item_name() {
    if constexpr (requires { E::label; }) return E::label;
    else if constexpr (std::is_base_of_v<column_tag, E>) return E::sql_name;
    else return {};
}

// How many of names are name, and the index of the last one.
template <std::size_t N>
constexpr std::pair<std::size_t, std::size_t> find_name(const std::array<std::string_view, N>& names,
                                                        std::string_view name) {
    std::size_t count = 0, at = 0;
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == name) {
            ++count;
            at = i;
        }
    return {count, at};
}

template <fixed_string Name, bool Found, bool Unique>
struct assert_named_column {
    CTORM_DETAIL_RULE_2(
        "ctorm: row.get<\"name\">(): no column of this select has that name (see the name below); a column answers "
        "to its own name, any other expression to the label given with .as<\"name\">()",
        Found,
        "ctorm: row.get<\"name\">(): two columns of this select have that name (see the name below), from two "
        "tables or two equal labels; label one of them with .as<\"other\">()",
        Unique);
};

// Items: the select list (items<...>); Ts: the values read.
template <class Items, class... Ts>
class named_row;

template <class... Es, class... Ts>
class named_row<items<Es...>, Ts...> : public std::tuple<Ts...> {
public:
    using tuple_type = std::tuple<Ts...>;
    using tuple_type::tuple_type;
    named_row() = default;

    // The name of each value, in select-list order ("" for an unlabelled expression).
    static constexpr std::array<std::string_view, sizeof...(Es)> names{item_name<Es>()...};

    template <fixed_string Name>
    constexpr auto& get() & {
        return std::get<index_of<Name>()>(static_cast<tuple_type&>(*this));
    }
    template <fixed_string Name>
    constexpr const auto& get() const& {
        return std::get<index_of<Name>()>(static_cast<const tuple_type&>(*this));
    }
    template <fixed_string Name>
    constexpr auto&& get() && {
        return std::get<index_of<Name>()>(static_cast<tuple_type&&>(*this));
    }
    // By position, as structured bindings read it.
    template <std::size_t I>
    constexpr auto& get() & {
        return std::get<I>(static_cast<tuple_type&>(*this));
    }
    template <std::size_t I>
    constexpr const auto& get() const& {
        return std::get<I>(static_cast<const tuple_type&>(*this));
    }
    template <std::size_t I>
    constexpr auto&& get() && {
        return std::get<I>(static_cast<tuple_type&&>(*this));
    }

    const tuple_type& as_tuple() const& noexcept { return *this; }

private:
    template <fixed_string Name>
    static constexpr std::size_t index_of() {
        constexpr auto found = find_name(names, Name.view());
        (void)assert_named_column<Name, found.first != 0, found.first <= 1>::check();
        return found.second;
    }
};

}  // namespace detail
}  // namespace ctorm

template <class Items, class... Ts>
struct std::tuple_size<ctorm::detail::named_row<Items, Ts...>> : std::integral_constant<std::size_t, sizeof...(Ts)> {};
template <std::size_t I, class Items, class... Ts>
struct std::tuple_element<I, ctorm::detail::named_row<Items, Ts...>> : std::tuple_element<I, std::tuple<Ts...>> {};
