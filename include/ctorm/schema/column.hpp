// column: the typed column object that CTORM_TABLE makes for each model field
// (users.email), and the rules checked when a column's options are gathered.
#pragma once

#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/schema/options.hpp"
#include "ctorm/schema/types.hpp"
#include "ctorm/sql/expression.hpp"

namespace ctorm {

namespace detail {
template <class M>
struct member_pointer_traits;
template <class T, class C>
struct member_pointer_traits<T C::*> {
    using value_type = T;
    using class_type = C;
};
}  // namespace detail

template <class Column>
struct assert_supported_field_type {
    CTORM_DETAIL_RULE(
        "ctorm: unsupported field type: use an integer (not std::uint64_t), bool, float, double, "
        "enum, std::string, ctorm::blob, ctorm::timestamp, ctorm::date or ctorm::time_of_day, or std::optional of one",
        supported_field_type<typename Column::value_type>());
};

template <class Column, class Value>
struct assert_on_update_fits_column {
    CTORM_DETAIL_RULE(
        "ctorm: on_update(now()) needs a ctorm::timestamp column, on_update(current_date()) a ctorm::date column",
        (std::is_same_v<non_null_t<typename Column::value_type>, Value>));
};

template <class Column, class Default>
struct assert_default_fits_column {
    CTORM_DETAIL_RULE("ctorm: default_value(...) does not fit the column's type",
                      assignable<typename Column::value_type, Default>() ||
                          (category_of<typename Column::value_type>() == category::string &&
                           std::is_same_v<Default, std::string_view>));
};

template <class Column, class Result>
struct assert_factory_fits_column {
    CTORM_DETAIL_RULE(
        "ctorm: default_factory(f): what f returns does not convert to the column's type "
        "(see the column and the result type below)",
        std::is_convertible_v<Result, typename Column::value_type>);
};

template <class Column, int Factories>
struct assert_one_factory {
    CTORM_DETAIL_RULE("ctorm: a column takes one default_factory(f)", Factories <= 1);
};

template <class Column, class Target>
struct assert_foreign_key_types_match {
    CTORM_DETAIL_RULE("ctorm: references(...): the foreign key column and the referenced column have different types",
                      comparable<typename Column::value_type, typename Target::value_type>());
};

template <class Column, int References>
struct assert_one_reference {
    CTORM_DETAIL_RULE(
        "ctorm: a column takes one references(...); a foreign key of several columns is "
        "foreign_key(a, b).references(t.x, t.y) in CTORM_TABLE_CONSTRAINTS",
        References <= 1);
};

namespace detail {

template <class Column, class Option>
consteval void check_option() {
    if constexpr (requires { typename Option::value_type; }) {
        (void)assert_default_fits_column<Column, typename Option::value_type>::check();
    }
    if constexpr (requires { typename Option::update_value_type; }) {
        (void)assert_on_update_fits_column<Column, typename Option::update_value_type>::check();
    }
    if constexpr (requires { typename Option::target; }) {
        (void)assert_foreign_key_types_match<Column, typename Option::target>::check();
    }
    if constexpr (requires { typename Option::factory_type; }) {
        (void)assert_factory_fits_column<Column, std::invoke_result_t<const typename Option::factory_type&>>::check();
    }
}

// A column's options, and as a type the column its references(...) names
// (void when it has none): foreign_key_traits reads it.
template <class Target, class Factory = void>
struct column_definition : column_options {
    using foreign_key_target = Target;
    using factory_type = Factory;  // default_factory(f)'s function object, or void
};

template <class Option>
struct option_target {
    using type = void;
};
template <class Option>
    requires requires { typename Option::target; }
struct option_target<Option> {
    using type = typename Option::target;
};
template <class Option>
struct option_factory {
    using type = void;
};
template <class Option>
    requires requires { typename Option::factory_type; }
struct option_factory<Option> {
    using type = typename Option::factory_type;
};

template <class... Targets>
struct first_target {
    using type = void;
};
template <class T, class... Rest>
struct first_target<T, Rest...> {
    using type = std::conditional_t<std::is_void_v<T>, typename first_target<Rest...>::type, T>;
};

template <class Column, class... Options>
constexpr auto make_column_options(const Options&... opts) {
    static_assert((std::is_base_of_v<option_tag, Options> && ...),
                  "ctorm: CTORM_TABLE column options are primary_key, unique, index, varchar<N>, text, "
                  "default_value(v), server_default(now()), on_update(now()), references(table.column), "
                  "default_factory(f)");
    (check_option<Column, Options>(), ...);
    (void)assert_one_reference<Column,
                               (0 + ... + (std::is_void_v<typename option_target<Options>::type> ? 0 : 1))>::check();
    (void)assert_one_factory<Column,
                             (0 + ... + (std::is_void_v<typename option_factory<Options>::type> ? 0 : 1))>::check();
    column_definition<typename first_target<typename option_target<Options>::type...>::type,
                      typename first_target<typename option_factory<Options>::type...>::type>
        o;
    (opts.apply(o), ...);
    return o;
}

}  // namespace detail

// The base of every generated column type. Self is the generated, named type
// (ctorm_table_users::email_column), so errors and statement types say which
// column they are about.
template <class Self, class Table, auto Member>
struct column : expression_base<Self>, detail::column_tag {
    using table_type = Table;
    using model_type = typename detail::member_pointer_traits<decltype(Member)>::class_type;
    using value_type = typename detail::member_pointer_traits<decltype(Member)>::value_type;
    using columns = type_list<Self>;
    static constexpr auto member = Member;
    static constexpr int precedence = detail::precedence::primary;
    static constexpr bool is_aggregate = false;

    template <class D, class W>
    static constexpr void render(W& w) {
        detail::put_quoted(w, Table::ctorm_reference_name);
        w.put('.');
        detail::put_quoted(w, Self::sql_name);
    }
    template <class D, class W>
    static constexpr void render_unqualified(W& w) {
        detail::put_quoted(w, Self::sql_name);
    }
    template <class F>
    constexpr void visit_params(F&) const {}

    // users.name = "Ann" makes an assignment for insert(...).values(...) and update(...).set(...).
    template <class V>
    constexpr auto operator=(V&& v) const {
        using VT = std::remove_cvref_t<V>;
        if constexpr (expression<V>) {
            (void)assert_assignable_value<Self, typename VT::value_type>::check();
            return detail::assignment<Self, VT>{{}, std::forward<V>(v)};
        } else {
            (void)assert_assignable_value<Self, VT>::check();
            auto p = detail::make_param(std::forward<V>(v));
            return detail::assignment<Self, decltype(p)>{{}, std::move(p)};
        }
    }
};

template <class Column>
struct column_traits {
    static constexpr detail::column_options options = Column::ctorm_options();
    static constexpr bool nullable = is_nullable_v<typename Column::value_type>;
    // A single integer primary key is filled in by the database (rowid / identity).
    static constexpr bool autoincrement_key = options.primary_key && options.autoincrement &&
                                              category_of<typename Column::value_type>() == category::integer &&
                                              Column::table_type::ctorm_primary_key_count == 1;
    // May an insert leave this column out?
    static constexpr bool has_default = nullable || autoincrement_key ||
                                        options.default_value.kind != detail::literal_kind::none ||
                                        options.server_default != detail::server_default_kind::none;
    // Does insert(table).values(model) leave it out, for the database to fill?
    static constexpr bool generated_on_insert =
        autoincrement_key || options.server_default != detail::server_default_kind::none;
    // default_factory(f)'s function object, or void.
    using factory = typename decltype(Column::ctorm_options())::factory_type;
};

namespace detail {
// Whether any column of a table has a default_factory.
template <class Columns>
inline constexpr bool has_factories = false;
template <class... Cs>
inline constexpr bool has_factories<type_list<Cs...>> = (!std::is_void_v<typename column_traits<Cs>::factory> || ...);

template <class Column, bool Generated>
struct assert_factory_not_generated {
    CTORM_DETAIL_RULE(
        "ctorm: default_factory(f) on a column the database fills (an autoincrement key or a "
        "server_default): the INSERT leaves it out, so f's value would be lost; keep one of them",
        !Generated);
};

// Whether a key column with a default_factory still holds its type's default
// value: the row is new (the flush gives it its key).
template <class Table, class... Cs>
bool key_awaits_factory(const typename Table::ctorm_model& row, type_list<Cs...>) {
    auto one = [&]<class C>(C*) {
        if constexpr (!std::is_void_v<typename column_traits<C>::factory> && column_traits<C>::options.primary_key) {
            const auto& field = row.*(C::member);
            return field == std::remove_cvref_t<decltype(field)>{};
        } else {
            return false;
        }
    };
    return (one(static_cast<Cs*>(nullptr)) || ...);
}

template <class Table, class... Cs>
std::size_t fill_factories(typename Table::ctorm_model& row, type_list<Cs...>) {
    std::size_t filled = 0;
    auto one = [&]<class C>(C*) {
        if constexpr (!std::is_void_v<typename column_traits<C>::factory>) {
            (void)assert_factory_not_generated<C, column_traits<C>::generated_on_insert>::check();
            auto& field = row.*(C::member);
            using field_type = std::remove_cvref_t<decltype(field)>;
            if (field == field_type{}) {
                field = typename column_traits<C>::factory{}();
                ++filled;
            }
        }
    };
    (one(static_cast<Cs*>(nullptr)), ...);
    return filled;
}
}  // namespace detail

// Gives each default_factory column of `row` whose field holds its type's
// default value (T{}) the factory's value, as the session's flush and
// insert(t).values(...) do; how many fields it set.
template <class Table>
std::size_t fill_defaults(const Table&, typename Table::ctorm_model& row) {
    return detail::fill_factories<Table>(row, typename Table::ctorm_columns{});
}

}  // namespace ctorm
