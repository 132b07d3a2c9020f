// Set operations (UNION, UNION ALL, INTERSECT, EXCEPT) and common table
// expressions (WITH, WITH RECURSIVE), whose columns are addressed by name:
// tree.c<"id">().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ctorm/meta/fixed_string.hpp"
#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/sql/expression.hpp"
#include "ctorm/sql/select.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm {

template <class Left, class Right>
struct assert_set_operation_columns_match {
    CTORM_DETAIL_RULE(
        "ctorm: the two sides of a set operation (union, intersect, except) select different numbers "
        "of columns",
        statement_traits<Left>::slots::size == statement_traits<Right>::slots::size);
};

template <class LeftSlot, class RightSlot>
struct assert_set_operation_column_types {
    CTORM_DETAIL_RULE(
        "ctorm: a column of a set operation (union, intersect, except) has different types on its two "
        "sides (see the slot types below)",
        comparable<typename LeftSlot::value_type, non_null_t<typename RightSlot::value_type>>());
};

template <class Operand>
struct assert_plain_set_operand {
    CTORM_DETAIL_RULE(
        "ctorm: a side of a set operation (union, intersect, except) cannot have its own order_by(), "
        "limit() or offset(); put them on the set operation",
        !Operand::ctorm_has_order_or_limit);
};

template <class Term, bool Found>
struct assert_set_order_names_output_column {
    CTORM_DETAIL_RULE(
        "ctorm: a set operation is ordered by its output columns: order_by() takes a column or "
        "label of the first select",
        Found);
};

// Checked once the name is found: ORDER BY "name" means the output column,
// which may be another table's column of that name, or a label.
template <class Column, bool Selected>
struct assert_set_order_column_is_selected {
    CTORM_DETAIL_RULE(
        "ctorm: a set operation is ordered by its output columns, and this column (see the type below) "
        "only shares an output column's name: order_by() takes the first select's own column or its label",
        Selected);
};

template <class Cte, class Name>
struct assert_cte_has_column {
    CTORM_DETAIL_RULE(
        "ctorm: this CTE has no column of that name; its columns are named after the selected columns "
        "or their labels (.as<\"name\">())",
        meta::always_false<Cte, Name>);
};

namespace detail {

namespace op {
struct union_ {
    static constexpr std::string_view text = " UNION ";
};
struct union_all {
    static constexpr std::string_view text = " UNION ALL ";
};
struct intersect {
    static constexpr std::string_view text = " INTERSECT ";
};
struct except {
    static constexpr std::string_view text = " EXCEPT ";
};
}  // namespace op

// The name an item of a select list has as a column of a CTE.
template <class E>
constexpr std::string_view output_name() {
    if constexpr (requires { E::label; }) return E::label;
    else if constexpr (requires { E::sql_name; }) return E::sql_name;
    else return {};
}

template <class List>
struct output_names;
template <class... Es>
struct output_names<items<Es...>> {
    static constexpr bool contains(std::string_view name) { return ((output_name<Es>() == name) || ...); }
    // The position of the first item named name, or the list's size.
    static constexpr std::size_t index_of(std::string_view name) {
        std::size_t i = 0;
        (void)(((output_name<Es>() == name) || (++i, false)) || ...);
        return i;
    }
};

template <std::size_t I, class Slots>
struct slot_at;
template <std::size_t I, class... Ss>
struct slot_at<I, type_list<Ss...>> {
    using type = std::tuple_element_t<I, std::tuple<Ss...>>;
};

// Whether output column I of a set operation may be NULL: on either side.
template <std::size_t I, class Left, class Right>
constexpr bool output_may_be_null() {
    using left = typename statement_traits<Left>::slots;
    using right = typename statement_traits<Right>::slots;
    if constexpr (I < left::size && I < right::size)
        return is_nullable_v<typename slot_at<I, left>::type::value_type> ||
               is_nullable_v<typename slot_at<I, right>::type::value_type>;
    else return false;
}

template <class Left, class Right>
consteval void check_set_operation() {
    (void)assert_plain_set_operand<Left>::check();
    (void)assert_plain_set_operand<Right>::check();
    (void)assert_set_operation_columns_match<Left, Right>::check();
    if constexpr (statement_traits<Left>::slots::size == statement_traits<Right>::slots::size) {
        using L = typename statement_traits<Left>::slots;
        using R = typename statement_traits<Right>::slots;
        [&]<class... Ls, class... Rs>(type_list<Ls...>*, type_list<Rs...>*) {
            ((void)assert_set_operation_column_types<Ls, Rs>::check(), ...);
        }(static_cast<L*>(nullptr), static_cast<R*>(nullptr));
    }
}

template <class D>
inline constexpr bool decimal_as_text = requires {
    D::decimal_functions;
};
template <class D>
inline constexpr bool enums_as_text = requires {
    D::ranks_enums;
};

// ORDER BY of a set operation names output columns, unqualified. A numeric
// on a dialect that stores it as text (SQLite) sorts by its numeric order key,
// and an enum stored by name by its enumerators' positions, as order_term
// does; SQLite takes only output columns there, so the set operation is then
// the FROM of a select (compound_select::render).
template <class Term, class Left, class Right>
struct compound_order_term {
    using value_type = non_null_t<typename Term::expression_type::value_type>;
    template <class D>
    static constexpr bool numeric_key = category_of<value_type>() == category::decimal&& decimal_as_text<D>;
    template <class D>
    static constexpr bool enum_key = named_enum<value_type>&& enums_as_text<D>;
    template <class D, class W>
    static constexpr void render(W& w) {
        using E = typename Term::expression_type;
        constexpr std::string_view name = output_name<E>();
        if constexpr (
            !requires { E::label; } && !requires { E::sql_name; }) {
            static_assert(meta::always_false<E>, "ctorm: order a set operation by a column or a label");
        } else if constexpr (numeric_key<D>) {
            w.put("ctorm_numeric_order(");
            put_quoted(w, name);
            w.put(')');
        } else if constexpr (enum_key<D>) {
            D::template render_enum_rank_of_name<value_type>(w, name);
        } else {
            put_quoted(w, name);
        }
        constexpr std::size_t index = output_names<typename Left::select_list_type>::index_of(name);
        render_order_direction<D, Term::direction, Term::nulls, output_may_be_null<index, Left, Right>()>(w);
    }
};

template <class Op, class Left, class Right, class Order = items<>, bool Limit = false, bool Offset = false>
struct compound_select : select_tag {
    Left left;
    Right right;
    [[no_unique_address]] Order order;
    std::int64_t limit_value = 0;
    std::int64_t offset_value = 0;

    // For use as a subquery or CTE body.
    using all_columns = meta::concat<typename Left::all_columns, typename Right::all_columns>;
    using base_tables = meta::concat<typename Left::base_tables, typename Right::base_tables>;
    using correlated_tables = meta::set_union<typename Left::correlated_tables, typename Right::correlated_tables>;
    using select_list_type = typename Left::select_list_type;

    struct traits : statement_traits<Left> {};

    template <class D, class W>
    static constexpr void render(W& w) {
        constexpr bool wrapped = sorts_by_numeric_key<D>(static_cast<Order*>(nullptr));
        if constexpr (wrapped) w.put("SELECT * FROM (");
        Left::template render<D>(w);
        w.put(Op::text);
        Right::template render<D>(w);
        if constexpr (wrapped) w.put(')');
        if constexpr (Order::size > 0) {
            w.put(" ORDER BY ");
            render_order<D>(w, static_cast<Order*>(nullptr));
        }
        D::template render_limit_offset<Limit, Offset>(w);
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        left.visit_params(f);
        right.visit_params(f);
        if constexpr (Limit) f(limit_value);
        if constexpr (Offset) f(offset_value);
    }

    template <class... Terms>
    constexpr auto order_by(const Terms&... terms) const {
        auto all = detail::concat_items(order, items{detail::as_order_term(terms)...});
        (check_order_term<typename decltype(detail::as_order_term(terms))::expression_type>(), ...);
        return compound_select<Op, Left, Right, decltype(all), Limit, Offset>{{},  left,        right,
                                                                              all, limit_value, offset_value};
    }
    constexpr auto limit(std::int64_t n) const {
        return compound_select<Op, Left, Right, Order, true, Offset>{{}, left, right, order, n, offset_value};
    }
    constexpr auto offset(std::int64_t n) const {
        return compound_select<Op, Left, Right, Order, Limit, true>{{}, left, right, order, limit_value, n};
    }

    static constexpr bool ctorm_has_order_or_limit = Order::size > 0 || Limit || Offset;

private:
    template <class E>
    static consteval void check_order_term() {
        constexpr bool named = detail::output_names<select_list_type>::contains(detail::output_name<E>());
        (void)assert_set_order_names_output_column<E, named>::check();
        if constexpr (named && !requires { E::label; }) {
            (void)assert_set_order_column_is_selected<E, detail::contains_tuple_element<E, select_list_type>>::check();
        }
    }

    template <class D, class... Terms>
    static constexpr bool sorts_by_numeric_key(items<Terms...>*) {
        return (detail::compound_order_term<Terms, Left, Right>::template numeric_key<D> || ... || false) ||
               (detail::compound_order_term<Terms, Left, Right>::template enum_key<D> || ... || false);
    }
    template <class D, class W, class... Terms>
    static constexpr void render_order(W& w, items<Terms...>*) {
        [[maybe_unused]] bool first = true;
        ((first ? void(first = false) : w.put(", "),
          detail::compound_order_term<Terms, Left, Right>::template render<D>(w)),
         ...);
    }
};

template <class Op, class L, class R>
constexpr auto make_compound(const L& l, const R& r) {
    check_set_operation<L, R>();
    return compound_select<Op, L, R>{{}, l, r, {}, 0, 0};
}
}  // namespace detail

template <select_statement_type L, select_statement_type R>
constexpr auto union_(const L& l, const R& r) {
    return detail::make_compound<detail::op::union_>(l, r);
}
template <select_statement_type L, select_statement_type R>
constexpr auto union_all(const L& l, const R& r) {
    return detail::make_compound<detail::op::union_all>(l, r);
}
template <select_statement_type L, select_statement_type R>
constexpr auto intersect(const L& l, const R& r) {
    return detail::make_compound<detail::op::intersect>(l, r);
}
template <select_statement_type L, select_statement_type R>
constexpr auto except_(const L& l, const R& r) {
    return detail::make_compound<detail::op::except>(l, r);
}

// --- common table expressions -------------------------------------------------

namespace detail {

template <fixed_string Name, class List>
struct find_output;
template <fixed_string Name>
struct find_output<Name, items<>> {
    using type = void;
};
template <fixed_string Name, class E, class... Es>
struct find_output<Name, items<E, Es...>> {
    using type = std::conditional_t<output_name<E>() == Name.view(), E, typename find_output<Name, items<Es...>>::type>;
};

// The table a CTE defines, as FROM and JOIN see it. Its identity is its name.
template <fixed_string Name>
struct cte_table : table<cte_table<Name>, void> {
    static constexpr std::string_view ctorm_sql_name = Name.view();
    static constexpr std::string_view ctorm_reference_name = Name.view();
};

// A column of a CTE: "tree"."id".
template <fixed_string Table, fixed_string Column, class T>
struct cte_column : expression_base<cte_column<Table, Column, T>>, column_tag {
    using table_type = cte_table<Table>;
    using value_type = T;
    using columns = type_list<cte_column>;
    static constexpr std::string_view sql_name = Column.view();
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = false;
    template <class D, class W>
    static constexpr void render(W& w) {
        detail::put_quoted(w, Table.view());
        w.put('.');
        detail::put_quoted(w, Column.view());
    }
    template <class F>
    constexpr void visit_params(F&) const {}
};

template <fixed_string Name, class Body, bool Recursive>
struct common_table : cte_table<Name> {
    using ctorm_identity = cte_table<Name>;
    Body body;
    static constexpr bool recursive = Recursive;
    using list = typename Body::select_list_type;

    // The column named N (a selected column's name, or a label).
    template <fixed_string N>
    constexpr auto c() const {
        using E = typename detail::find_output<N, list>::type;
        if constexpr (std::is_void_v<E>) {
            (void)assert_cte_has_column<common_table, cte_table<N>>::check();
            return cte_column<Name, N, int>{};
        } else {
            return cte_column<Name, N, typename E::value_type>{};
        }
    }

    // tree.union_all(recursive_part): the body of a WITH RECURSIVE.
    template <select_statement_type R>
    constexpr auto union_all(const R& recursive_part) const {
        auto both = detail::make_compound<op::union_all>(body, recursive_part);
        return common_table<Name, decltype(both), true>{{}, both};
    }
    template <select_statement_type R>
    constexpr auto union_(const R& recursive_part) const {
        auto both = detail::make_compound<op::union_>(body, recursive_part);
        return common_table<Name, decltype(both), true>{{}, both};
    }

    template <class D, class W>
    static constexpr void render_definition(W& w) {
        detail::put_quoted(w, Name.view());
        w.put(" (");
        render_names(w, static_cast<list*>(nullptr));
        w.put(") AS (");
        Body::template render<D>(w);
        w.put(')');
    }

private:
    template <class W, class... Es>
    static constexpr void render_names(W& w, items<Es...>*) {
        [[maybe_unused]] bool first = true;
        ((first ? void(first = false) : w.put(", "), detail::put_quoted(w, detail::output_name<Es>())), ...);
    }
};

// derived<"name">(select(...)): a subquery in FROM or JOIN, (SELECT ...) AS "name",
// whose columns are addressed like a CTE's: d.c<"n">().
template <fixed_string Name, class Body>
struct derived_table : cte_table<Name> {
    using ctorm_identity = cte_table<Name>;
    static constexpr bool ctorm_is_derived = true;
    using list = typename Body::select_list_type;
    Body body;

    template <fixed_string N>
    constexpr auto c() const {
        using E = typename detail::find_output<N, list>::type;
        if constexpr (std::is_void_v<E>) {
            (void)assert_cte_has_column<derived_table, cte_table<N>>::check();
            return cte_column<Name, N, int>{};
        } else {
            return cte_column<Name, N, typename E::value_type>{};
        }
    }
    template <class D, class W>
    static constexpr void render_reference(W& w) {
        w.put('(');
        Body::template render<D>(w);
        w.put(") AS ");
        detail::put_quoted(w, Name.view());
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        body.visit_params(f);
    }
};
}  // namespace detail

template <fixed_string Name, select_statement_type S>
constexpr detail::derived_table<Name, S> derived(const S& body) {
    return {{}, body};
}

// cte<"name">(select(...)): a named subquery for with_(...).
template <fixed_string Name, select_statement_type S>
constexpr detail::common_table<Name, S, false> cte(const S& body) {
    return {{}, body};
}

namespace detail {
// WITH [RECURSIVE] a AS (...), b AS (...) <main>
template <class Main, class... Ctes>
struct with_select : select_tag {
    items<Ctes...> ctes;
    Main main;
    using all_columns = typename Main::all_columns;
    using base_tables = typename Main::base_tables;
    using correlated_tables = typename Main::correlated_tables;
    using select_list_type = typename Main::select_list_type;
    static constexpr bool ctorm_has_order_or_limit = Main::ctorm_has_order_or_limit;
    struct traits : statement_traits<Main> {};

    template <class D, class W>
    static constexpr void render(W& w) {
        w.put((Ctes::recursive || ...) ? "WITH RECURSIVE " : "WITH ");
        [[maybe_unused]] bool first = true;
        ((first ? void(first = false) : w.put(", "), Ctes::template render_definition<D>(w)), ...);
        w.put(' ');
        Main::template render<D>(w);
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        ctes.each([&](const auto& c) { c.body.visit_params(f); });
        main.visit_params(f);
    }
};

}  // namespace detail

// with_(cte1, cte2, ..., main_select)
template <class... Args>
constexpr auto with_(const Args&... args) {
    static_assert(sizeof...(Args) >= 2, "ctorm: with_() takes one or more CTEs and then the main select");
    auto all = std::tuple<Args...>{args...};
    return [&]<std::size_t... Is>(std::index_sequence<Is...>) {
        using main = std::tuple_element_t<sizeof...(Args) - 1, std::tuple<Args...>>;
        return detail::with_select<main, std::tuple_element_t<Is, std::tuple<Args...>>...>{
            {}, {std::get<Is>(all)...}, std::get<sizeof...(Args) - 1>(all)};
    }
    (std::make_index_sequence<sizeof...(Args) - 1>{});
}

}  // namespace ctorm
