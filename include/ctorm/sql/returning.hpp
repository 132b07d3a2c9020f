// RETURNING on insert, update and delete (PostgreSQL; SQLite 3.35+), and
// upsert: insert(...).on_conflict(columns).do_nothing() / .do_update(set...).
#pragma once

#include <tuple>
#include <type_traits>
#include <utility>

#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/sql/expression.hpp"
#include "ctorm/sql/modify.hpp"
#include "ctorm/sql/select.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm {

template <class Statement>
struct assert_no_bulk_returning {
    CTORM_DETAIL_RULE(
        "ctorm: returning() on a bulk insert is not supported yet; insert the rows one by one, or "
        "select them afterwards",
        meta::always_false<Statement>);
};

namespace detail {

// The statement Base followed by RETURNING <list>; its rows are typed like a
// select of the same list.
template <class Base, class Rows, class List>
struct returning_statement {
    Base base;
    [[no_unique_address]] List list;

    struct traits : detail::select_row<Rows, List, type_list<>> {
        static constexpr bool returns_rows = true;
        static constexpr bool is_bulk = false;
    };

    template <class D, class W>
    static constexpr void render(W& w) {
        Base::template render<D>(w);
        w.put(" RETURNING ");
        detail::tuple_items<List>::template render_select_list<D>(w);
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        base.visit_params(f);
        detail::tuple_items<List>::visit(list, f);
    }
};

// excluded(users.name): the value an upsert tried to insert.
template <class Column>
struct excluded_column : expression_base<excluded_column<Column>> {
    using value_type = typename Column::value_type;
    using columns = type_list<>;
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = false;
    template <class D, class W>
    static constexpr void render(W& w) {
        w.put("excluded.");
        detail::put_quoted(w, Column::sql_name);
    }
    template <class F>
    constexpr void visit_params(F&) const {}
};
}  // namespace detail

template <column_expression C>
constexpr detail::excluded_column<C> excluded(const C&) {
    return {};
}

namespace detail {

// The returning(...) member of insert, update and delete statements.
template <class Derived, class Table>
struct returning_clause {
    // returning(users) gives whole rows; returning(users.id, ...) tuples or a scalar.
    template <class First, class... Rest>
    constexpr auto returning(const First& first, const Rest&... rest) const {
        const Derived& self = static_cast<const Derived&>(*this);
        if constexpr (statement_traits<Derived>::is_bulk) {
            (void)assert_no_bulk_returning<Derived>::check();
        }
        if constexpr (table_type<First>) {
            static_assert(sizeof...(Rest) == 0 && std::is_same_v<First, Table>,
                          "ctorm: returning(table) takes the statement's own table, alone");
            using list = typename tuple_of<typename Table::ctorm_columns>::type;
            return returning_statement<Derived, model_rows<Table>, list>{self, list{}};
        } else {
            using list = items<First, Rest...>;
            (void)assert_column_of_target_table<
                typename first_column_outside<typename tuple_items<list>::columns, type_list<Table>>::type>::check();
            return returning_statement<Derived, expression_rows, list>{self, list{first, rest...}};
        }
    }
};

template <class... Columns>
struct conflict_target {
    template <class W>
    static constexpr void render(W& w) {
        w.put(" ON CONFLICT (");
        [[maybe_unused]] bool first = true;
        ((first ? void(first = false) : w.put(", "), put_quoted(w, Columns::sql_name)), ...);
        w.put(')');
    }
};

// INSERT ... ON CONFLICT (target) DO NOTHING | DO UPDATE SET ...
template <class Insert, class Target, class Assignments>
struct upsert_statement : returning_clause<upsert_statement<Insert, Target, Assignments>, typename Insert::table_type> {
    using table_type = typename Insert::table_type;
    Insert insert;
    Assignments assignments;  // empty: DO NOTHING

    struct traits : no_rows_traits {
        static constexpr bool is_bulk = statement_traits<Insert>::is_bulk;
        static constexpr bool is_insert = true;
    };

    template <class D, class W>
    static constexpr void render(W& w) {
        Insert::template render<D>(w);
        Target::render(w);
        if constexpr (Assignments::size == 0) {
            w.put(" DO NOTHING");
        } else {
            w.put(" DO UPDATE SET ");
            render_set<D>(w, static_cast<Assignments*>(nullptr));
        }
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        insert.visit_params(f);
        assignments.visit_params(f);
    }
    // For bulk upserts: the per-row values, then the DO UPDATE values.
    template <class Row, class F>
    constexpr void visit_row_params(const Row& row, F& f) const {
        insert.visit_row_params(row, f);
        assignments.visit_params(f);
    }
    constexpr auto bulk_rows() const { return insert.bulk_rows(); }

private:
    template <class D, class W, class... As>
    static constexpr void render_set(W& w, items<As...>*) {
        [[maybe_unused]] bool first = true;
        ((first ? void(first = false) : w.put(", "), detail::put_quoted(w, As::column_type::sql_name), w.put(" = "),
          As::template render_value<D>(w)),
         ...);
    }
};

template <class Insert, class... Columns>
struct conflict_builder {
    Insert insert;
    constexpr auto do_nothing() const {
        return upsert_statement<Insert, conflict_target<Columns...>, items<>>{{}, insert, {}};
    }
    template <class A, class... As>
    constexpr auto do_update(const A& a, const As&... as) const {
        using table = typename Insert::table_type;
        using list = items<A, As...>;
        check_assignments<table, list>();  // excluded(...) reads no table
        return upsert_statement<Insert, conflict_target<Columns...>, list>{{}, insert, list{a, as...}};
    }
};

// The on_conflict(...) member of insert statements.
template <class Derived, class Table>
struct conflict_clause {
    template <column_expression... Cs>
    constexpr auto on_conflict(const Cs&...) const {
        static_assert(sizeof...(Cs) > 0, "ctorm: on_conflict() needs the columns of a unique constraint or key");
        (void)assert_column_of_target_table<
            typename first_column_outside<type_list<Cs...>, type_list<Table>>::type>::check();
        return conflict_builder<Derived, Cs...>{static_cast<const Derived&>(*this)};
    }
};

}  // namespace detail
}  // namespace ctorm
