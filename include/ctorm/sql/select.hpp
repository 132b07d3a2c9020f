// select(...): whole models, columns or expressions, with from, where,
// order_by, limit, offset and distinct. FROM is derived from what is selected.
#pragma once

#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ctorm/meta/type_list.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/sql/expression.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm {

namespace detail {

template <class Table>
struct model_rows {};
struct expression_rows {};

template <class List>
struct tuple_of;
template <class... Ts>
struct tuple_of<type_list<Ts...>> {
    using type = std::tuple<Ts...>;
};

template <class Tuple>
struct tuple_items;
template <class... Es>
struct tuple_items<std::tuple<Es...>> {
    using columns = meta::concat<type_list<>, typename Es::columns...>;
    template <class D, class W>
    static constexpr void render(W& w) {
        render_list<D, W, Es...>(w);
    }
};

template <class Tables>
struct table_names;
template <class... Ts>
struct table_names<type_list<Ts...>> {
    template <class W>
    static constexpr void render(W& w) {
        bool first = true;
        ((first ? void(first = false) : w.put(", "), put_quoted(w, Ts::ctorm_sql_name)), ...);
    }
};

template <class Rows, class SelectList>
struct select_row;
template <class Table, class... Cs>
struct select_row<model_rows<Table>, std::tuple<Cs...>> {
    using row_type = typename Table::ctorm_model;
    using slots = type_list<model_slot<Cs>...>;
};
template <class E>
struct select_row<expression_rows, std::tuple<E>> {
    using row_type = typename E::value_type;
    using slots = type_list<scalar_slot<E>>;
};
template <class... Es>
struct select_row<expression_rows, std::tuple<Es...>> {
    using row_type = std::tuple<typename Es::value_type...>;
    template <std::size_t... Is>
    static type_list<tuple_slot<Is, Es>...> make(std::index_sequence<Is...>);
    using slots = decltype(make(std::index_sequence_for<Es...>{}));
};

template <class T>
constexpr auto as_order_term(const T& t) {
    if constexpr (std::is_base_of_v<order_tag, T>) return t;
    else return order_term<T, 0>{{}, t};
}

}  // namespace detail

template <class Rows, class SelectList, class From, class Where, class Order, bool Distinct, bool Limit,
          bool Offset>
struct select_statement {
    [[no_unique_address]] SelectList select_list;
    [[no_unique_address]] Where where_clause;
    [[no_unique_address]] Order order;
    std::int64_t limit_value = 0;
    std::int64_t offset_value = 0;

    using from_tables =
        meta::set_union<From,
                        typename detail::tables_of_columns<typename detail::tuple_items<SelectList>::columns>::type>;

    struct traits : detail::select_row<Rows, SelectList> {
        static constexpr bool returns_rows = true;
        static constexpr bool is_bulk = false;
    };

    template <class D, class W>
    static constexpr void render(W& w) {
        w.put(Distinct ? "SELECT DISTINCT " : "SELECT ");
        detail::tuple_items<SelectList>::template render<D>(w);
        if constexpr (from_tables::size > 0) {
            w.put(" FROM ");
            detail::table_names<from_tables>::render(w);
        }
        if constexpr (!std::is_same_v<Where, detail::no_where>) {
            w.put(" WHERE ");
            Where::template render<D>(w);
        }
        if constexpr (std::tuple_size_v<Order> > 0) {
            w.put(" ORDER BY ");
            detail::tuple_items<Order>::template render<D>(w);
        }
        D::template render_limit_offset<Limit, Offset>(w);
    }

    template <class F>
    constexpr void visit_params(F& f) const {
        std::apply([&](const auto&... e) { (e.visit_params(f), ...); }, select_list);
        where_clause.visit_params(f);
        std::apply([&](const auto&... e) { (e.visit_params(f), ...); }, order);
        if constexpr (Limit) f(limit_value);
        if constexpr (Offset) f(offset_value);
    }

    // Adds tables to FROM (needed when nothing selected names them, as in count()).
    template <table_type... Ts>
    constexpr auto from(const Ts&...) const {
        return select_statement<Rows, SelectList, meta::set_union<From, type_list<Ts...>>, Where, Order, Distinct,
                                Limit, Offset>{select_list, where_clause, order, limit_value, offset_value};
    }

    // A second where() is joined to the first with AND, as in SQLAlchemy.
    template <expression C>
    constexpr auto where(const C& condition) const {
        (void)assert_boolean_condition<C>::value;
        (void)check_columns_in<typename C::columns, from_tables>::value;
        if constexpr (std::is_same_v<Where, detail::no_where>) {
            return select_statement<Rows, SelectList, From, C, Order, Distinct, Limit, Offset>{
                select_list, condition, order, limit_value, offset_value};
        } else {
            auto both = where_clause && condition;
            return select_statement<Rows, SelectList, From, decltype(both), Order, Distinct, Limit, Offset>{
                select_list, both, order, limit_value, offset_value};
        }
    }

    template <class... Terms>
    constexpr auto order_by(const Terms&... terms) const {
        static_assert(sizeof...(Terms) > 0, "ctorm: order_by() needs at least one term");
        static_assert(((expression<Terms> || std::is_base_of_v<detail::order_tag, Terms>) && ...),
                      "ctorm: order_by() takes expressions or their .asc() / .desc()");
        auto added = std::tuple{detail::as_order_term(terms)...};
        using added_columns = meta::concat<type_list<>, typename Terms::columns...>;
        (void)check_columns_in<added_columns, from_tables>::value;
        auto all = std::tuple_cat(order, added);
        return select_statement<Rows, SelectList, From, Where, decltype(all), Distinct, Limit, Offset>{
            select_list, where_clause, all, limit_value, offset_value};
    }

    constexpr auto limit(std::int64_t n) const {
        return select_statement<Rows, SelectList, From, Where, Order, Distinct, true, Offset>{
            select_list, where_clause, order, n, offset_value};
    }
    constexpr auto offset(std::int64_t n) const {
        return select_statement<Rows, SelectList, From, Where, Order, Distinct, Limit, true>{
            select_list, where_clause, order, limit_value, n};
    }
    constexpr auto distinct() const {
        return select_statement<Rows, SelectList, From, Where, Order, true, Limit, Offset>{
            select_list, where_clause, order, limit_value, offset_value};
    }
};

// select(users) selects whole User rows; select(users.id, users.email) selects
// tuples; select(count()) a single value.
template <table_type T>
constexpr auto select(const T&) {
    using list = typename detail::tuple_of<typename T::ctorm_columns>::type;
    return select_statement<detail::model_rows<T>, list, type_list<>, detail::no_where, std::tuple<>, false, false,
                            false>{};
}
template <expression E, expression... Es>
constexpr auto select(const E& e, const Es&... es) {
    return select_statement<detail::expression_rows, std::tuple<E, Es...>, type_list<>, detail::no_where,
                            std::tuple<>, false, false, false>{{e, es...}, {}, {}, 0, 0};
}

}  // namespace ctorm
