// update(table).set(column = value, ...).where(...), and delete_from(table).where(...).
#pragma once

#include <tuple>
#include <type_traits>
#include <utility>

#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/sql/modify.hpp"
#include "ctorm/sql/returning.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm {

template <class Statement>
struct assert_update_has_set {
    CTORM_DETAIL_RULE("ctorm: update(table) needs .set(column = value, ...)", meta::always_false<Statement>);
};

namespace detail {

// ", "col" = <expression>" for a column with on_update(...) that the UPDATE
// does not set (Set): the session's UPDATE renders it too.
// Whether one of the assignments As sets Column.
template <class Column, class... As>
inline constexpr bool assigns_column = (std::is_same_v<Column, typename As::column_type> || ...);

template <class D, class Column, bool Set, class W>
constexpr void render_update_value(W& w) {
    constexpr server_default_kind kind = column_traits<Column>::options.update_value;
    if constexpr (kind != server_default_kind::none && !Set) {
        w.put(", ");
        put_quoted(w, Column::sql_name);
        w.put(" = ");
        if constexpr (kind == server_default_kind::now) D::render_now(w);
        else D::render_current_date(w);
    }
}

template <class Table, class Assignments, class Where>
struct update_statement : detail::no_limit_rules<update_statement<Table, Assignments, Where>>,
                          detail::returning_clause<update_statement<Table, Assignments, Where>, Table> {
    using table_type = Table;
    Assignments assignments;
    [[no_unique_address]] Where where_clause;
    struct traits : detail::no_rows_traits {};

    template <class D, class W>
    static constexpr void render(W& w) {
        if constexpr (Assignments::size == 0) {
            (void)assert_update_has_set<update_statement>::check();
        } else {
            w.put("UPDATE ");
            detail::put_quoted(w, Table::ctorm_sql_name);
            w.put(" SET ");
            render_set<D>(w, static_cast<Assignments*>(nullptr));
            if constexpr (!std::is_same_v<Where, detail::no_where>) {
                w.put(" WHERE ");
                Where::template render<D>(w);
            }
        }
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        assignments.visit_params(f);
        where_clause.visit_params(f);
    }

    template <class A, class... As>
        requires(std::is_base_of_v<detail::assignment_tag, A> && (std::is_base_of_v<detail::assignment_tag, As> && ...))
    constexpr auto set(const A& a, const As&... as) const {
        auto all = detail::concat_items(assignments, items{a, as...});
        detail::check_assignments<Table, decltype(all)>();
        return update_statement<Table, decltype(all), Where>{{}, {}, all, where_clause};
    }

    // where(a, b, c) is where(a).where(b).where(c): the conditions joined with AND.
    template <expression C, expression... Cs>
        requires(sizeof...(Cs) > 0)
    constexpr auto where(const C& condition, const Cs&... more) const { return where(condition).where(more...); }
    template <expression C>
    constexpr auto where(const C& condition) const {
        (void)assert_boolean_condition<C>::check();
        (void)assert_column_of_target_table<
            typename detail::first_column_outside<typename C::columns, type_list<Table>>::type>::check();
        if constexpr (std::is_same_v<Where, detail::no_where>) {
            return update_statement<Table, Assignments, C>{{}, {}, assignments, condition};
        } else {
            auto both = where_clause && condition;
            return update_statement<Table, Assignments, decltype(both)>{{}, {}, assignments, both};
        }
    }

private:
    template <class D, class W, class... As>
    static constexpr void render_set(W& w, items<As...>*) {
        [[maybe_unused]] bool first = true;
        ((first ? void(first = false) : w.put(", "), detail::put_quoted(w, As::column_type::sql_name), w.put(" = "),
          As::template render_value<D>(w)),
         ...);
        render_on_update<D>(w, static_cast<typename Table::ctorm_columns*>(nullptr), type_list<As...>{});
    }
    // Then each on_update(...) column the statement does not set itself.
    template <class D, class W, class... Cs, class... As>
    static constexpr void render_on_update(W& w, type_list<Cs...>*, type_list<As...>) {
        (detail::render_update_value<D, Cs, detail::assigns_column<Cs, As...>>(w), ...);
    }
};

template <class Table, class Where>
struct delete_statement : detail::no_limit_rules<delete_statement<Table, Where>>,
                          detail::returning_clause<delete_statement<Table, Where>, Table> {
    using table_type = Table;
    [[no_unique_address]] Where where_clause;
    struct traits : detail::no_rows_traits {};

    template <class D, class W>
    static constexpr void render(W& w) {
        w.put("DELETE FROM ");
        detail::put_quoted(w, Table::ctorm_sql_name);
        if constexpr (!std::is_same_v<Where, detail::no_where>) {
            w.put(" WHERE ");
            Where::template render<D>(w);
        }
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        where_clause.visit_params(f);
    }

    // where(a, b, c) is where(a).where(b).where(c): the conditions joined with AND.
    template <expression C, expression... Cs>
        requires(sizeof...(Cs) > 0)
    constexpr auto where(const C& condition, const Cs&... more) const { return where(condition).where(more...); }
    template <expression C>
    constexpr auto where(const C& condition) const {
        (void)assert_boolean_condition<C>::check();
        (void)assert_column_of_target_table<
            typename detail::first_column_outside<typename C::columns, type_list<Table>>::type>::check();
        if constexpr (std::is_same_v<Where, detail::no_where>) {
            return delete_statement<Table, C>{{}, {}, condition};
        } else {
            auto both = where_clause && condition;
            return delete_statement<Table, decltype(both)>{{}, {}, both};
        }
    }
};

}  // namespace detail

template <table_type T>
constexpr detail::update_statement<T, detail::items<>, detail::no_where> update(const T&) {
    return {};
}

// delete is a keyword; SQL's own words name it.
template <table_type T>
constexpr detail::delete_statement<T, detail::no_where> delete_from(const T&) {
    return {};
}

}  // namespace ctorm
