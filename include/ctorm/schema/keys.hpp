// Keys as types: a table's primary key as a type_list of its columns, and its
// foreign keys with their target tables and columns as types, for the code
// that computes relationships, joins and flush order at compile time.
#pragma once

#include <cstddef>
#include <tuple>
#include <type_traits>

#include "ctorm/meta/type_list.hpp"
#include "ctorm/schema/column.hpp"
#include "ctorm/schema/options.hpp"
#include "ctorm/schema/table.hpp"

namespace ctorm {

namespace detail {

template <class Column>
using column_foreign_key_target = typename decltype(Column::ctorm_options())::foreign_key_target;

template <class Constraint>
struct constraint_keys {
    using primary_key = type_list<>;
};
template <class... Cs>
struct constraint_keys<composite_primary_key<Cs...>> {
    using primary_key = type_list<Cs...>;
};

template <class Table, class Columns, class Constraints>
struct primary_key_of;
template <class Table, class... Cs, class... Ks>
struct primary_key_of<Table, type_list<Cs...>, std::tuple<Ks...>> {
    using by_columns =
        meta::concat<std::conditional_t<column_traits<Cs>::options.primary_key, type_list<Cs>, type_list<>>...>;
    static constexpr int table_keys = (0 + ... + table_primary_keys<Ks>);
    using type =
        std::conditional_t<table_keys == 0, by_columns, meta::concat<typename constraint_keys<Ks>::primary_key...>>;
};

// A column's references(...) as a foreign_key_constraint value (in a tuple), or an empty tuple.
template <class Column>
constexpr auto column_foreign_key() {
    using target = column_foreign_key_target<Column>;
    if constexpr (std::is_void_v<target>) {
        return std::tuple<>{};
    } else {
        constexpr column_options o = column_traits<Column>::options;
        return std::tuple{foreign_key_constraint<type_list<Column>, type_list<target>>{o.on_delete, o.on_update}};
    }
}

template <class Constraint>
inline constexpr bool is_foreign_key_constraint = false;
template <class Columns, class Targets>
inline constexpr bool is_foreign_key_constraint<foreign_key_constraint<Columns, Targets>> = true;

template <class Constraint>
constexpr auto constraint_foreign_key(const Constraint& k) {
    if constexpr (is_foreign_key_constraint<Constraint>) return std::tuple{k};
    else return std::tuple<>{};
}

template <class Columns>
struct column_foreign_keys;
template <class... Cs>
struct column_foreign_keys<type_list<Cs...>> {
    static constexpr auto value = std::tuple_cat(column_foreign_key<Cs>()...);
};

// Every foreign key of T: its columns' references(...) in column order, then
// the foreign_key(...) constraints in the order written.
template <class T>
constexpr auto foreign_keys_of() {
    return std::tuple_cat(
        column_foreign_keys<typename T::ctorm_columns>::value,
        std::apply([](const auto&... k) { return std::tuple_cat(constraint_foreign_key(k)...); }, constraints_of<T>()));
}

template <class Tuple>
struct tuple_to_list;
template <class... Ts>
struct tuple_to_list<std::tuple<Ts...>> {
    using type = type_list<Ts...>;
};

template <class Column, class ForeignKeys>
struct table_level_target {
    using type = void;
};
template <class Column, class K, class... Ks>
struct table_level_target<Column, type_list<K, Ks...>> {
    using type = std::conditional_t<std::is_same_v<typename K::columns, type_list<Column>>, typename K::targets,
                                    typename table_level_target<Column, type_list<Ks...>>::type>;
};

template <class List>
struct single_column;
template <class C>
struct single_column<type_list<C>> {
    using type = C;
};

template <class Column>
struct table_of {
    using type = typename Column::table_type;
};
template <>
struct table_of<void> {
    using type = void;
};

template <class ForeignKeys>
struct foreign_key_sources;
template <class... Ks>
struct foreign_key_sources<type_list<Ks...>> {
    using type = meta::set_union<type_list<>, meta::concat<typename Ks::columns...>>;
};

template <class ForeignKeys>
struct foreign_key_target_tables;
template <class... Ks>
struct foreign_key_target_tables<type_list<Ks...>> {
    using type = meta::set_union<type_list<>, type_list<typename Ks::target_table...>>;
};

}  // namespace detail

// The columns of T's primary key, in declaration order, as a type_list (empty when T has none).
template <class T>
using primary_key_t =
    typename detail::primary_key_of<T, typename T::ctorm_columns, decltype(detail::constraints_of<T>())>::type;

// Every foreign key of T, as foreign_key_constraint<type_list<columns...>, type_list<targets...>> types.
template <class T>
using foreign_keys_t = typename detail::tuple_to_list<decltype(detail::foreign_keys_of<T>())>::type;

// The columns of T that belong to a foreign key, once each.
template <class T>
using foreign_key_columns_t = typename detail::foreign_key_sources<foreign_keys_t<T>>::type;

// The tables T's foreign keys point at, once each (T itself for a self reference).
template <class T>
using referenced_tables_t = typename detail::foreign_key_target_tables<foreign_keys_t<T>>::type;

// What a column references: target_column / target_table are types (void when
// is_foreign_key is false), from its references(...) or from a one-column
// foreign_key(...) of CTORM_TABLE_CONSTRAINTS.
template <class Column>
struct foreign_key_traits {
private:
    using column_level = detail::column_foreign_key_target<Column>;
    using table_level = typename detail::table_level_target<Column, foreign_keys_t<typename Column::table_type>>::type;
    using targets = std::conditional_t<std::is_void_v<column_level>,
                                       std::conditional_t<std::is_void_v<table_level>, type_list<void>, table_level>,
                                       type_list<column_level>>;

public:
    using target_column = typename detail::single_column<targets>::type;
    static constexpr bool is_foreign_key = !std::is_void_v<target_column>;
    using target_table = typename detail::table_of<target_column>::type;
};

}  // namespace ctorm
