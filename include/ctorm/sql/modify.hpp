// The rules shared by insert, update and delete: each column assigned once,
// every column from the target table, no clauses the statement cannot have.
#pragma once

#include <type_traits>

#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/schema/column.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm {

template <class Column>
struct assert_column_assigned_once {
    CTORM_DETAIL_RULE("ctorm: the same column is assigned twice in one statement (see the column type below)",
                      std::is_void_v<Column>);
};

template <class Column>
struct assert_column_of_target_table {
    CTORM_DETAIL_RULE(
        "ctorm: this column belongs to another table than the one the statement writes to (see the "
        "column type below)",
        std::is_void_v<Column>);
};

template <class Column>
struct assert_insert_value_is_not_a_column {
    CTORM_DETAIL_RULE(
        "ctorm: an inserted value cannot read a column (there is no row yet); pass a value, or use "
        "update(...).set(...) to compute from existing columns",
        std::is_void_v<Column>);
};

template <class Column>
struct assert_insert_sets_required_column {
    CTORM_DETAIL_RULE(
        "ctorm: insert leaves out a NOT NULL column that has no default (see the column type below); "
        "assign it, or give it default_value(...) / server_default(...) / std::optional",
        std::is_void_v<Column>);
};

template <class Statement>
struct assert_no_where_on_insert {
    CTORM_DETAIL_RULE(
        "ctorm: INSERT cannot have where() or order_by(); to change existing rows use "
        "update(table).set(...).where(...)",
        meta::always_false<Statement>);
};

template <class Statement>
struct assert_no_limit_here {
    CTORM_DETAIL_RULE(
        "ctorm: limit()/offset() apply only to select(); INSERT, UPDATE and DELETE cannot have them "
        "(narrow the rows with where() instead)",
        meta::always_false<Statement>);
};

namespace detail {

template <class Assignments>
struct assigned_columns;
template <class... As>
struct assigned_columns<items<As...>> {
    using type = type_list<typename As::column_type...>;
    using value_columns = meta::concat<type_list<>, typename As::columns...>;
};

// The first column of the table an insert must set but does not, or void.
template <class TableColumns, class Assigned>
struct first_required_missing;
template <class Assigned>
struct first_required_missing<type_list<>, Assigned> {
    using type = void;
};
template <class C, class... Cs, class Assigned>
struct first_required_missing<type_list<C, Cs...>, Assigned> {
    using type = std::conditional_t<column_traits<C>::has_default || meta::contains<C, Assigned>,
                                    typename first_required_missing<type_list<Cs...>, Assigned>::type, C>;
};

// Update values may read the row's own columns (views = views + 1); insert
// values may not (there is no row yet).
template <class Table, class Assignments, bool Insert = false>
consteval void check_assignments() {
    using cols = typename assigned_columns<Assignments>::type;
    (void)assert_column_of_target_table<typename first_column_outside<cols, type_list<Table>>::type>::check();
    if constexpr (Insert)
        (void)assert_insert_value_is_not_a_column<typename first_column_outside<
            typename assigned_columns<Assignments>::value_columns, type_list<>>::type>::check();
    else
        (void)assert_column_of_target_table<typename first_column_outside<
            typename assigned_columns<Assignments>::value_columns, type_list<Table>>::type>::check();
    (void)assert_column_assigned_once<typename meta::first_duplicate<cols>::type>::check();
}

// Members that tell a user why a clause is not there, instead of "no member named ...".
// Each returns the statement itself with a deduced type, so that the compiler
// instantiates the rule where the call is written and its message is the first
// error: with `void` as the return type, g++ reports "invalid use of void
// expression" (or "'void q' has incomplete type") first, before the message.
template <class Statement>
struct insert_clause_rules {
    template <class... Args>
    constexpr decltype(auto) where(const Args&...) const {
        (void)assert_no_where_on_insert<Statement>::check();
        return static_cast<const Statement&>(*this);
    }
    template <class... Args>
    constexpr decltype(auto) order_by(const Args&...) const {
        (void)assert_no_where_on_insert<Statement>::check();
        return static_cast<const Statement&>(*this);
    }
    template <class... Args>
    constexpr decltype(auto) limit(const Args&...) const {
        (void)assert_no_limit_here<Statement>::check();
        return static_cast<const Statement&>(*this);
    }
    template <class... Args>
    constexpr decltype(auto) offset(const Args&...) const {
        (void)assert_no_limit_here<Statement>::check();
        return static_cast<const Statement&>(*this);
    }
};

template <class Statement>
struct no_limit_rules {
    template <class... Args>
    constexpr decltype(auto) limit(const Args&...) const {
        (void)assert_no_limit_here<Statement>::check();
        return static_cast<const Statement&>(*this);
    }
    template <class... Args>
    constexpr decltype(auto) offset(const Args&...) const {
        (void)assert_no_limit_here<Statement>::check();
        return static_cast<const Statement&>(*this);
    }
};

}  // namespace detail
}  // namespace ctorm
