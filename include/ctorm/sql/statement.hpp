// What every statement shares: FROM checks, result-row descriptions for the
// adapters, and to_sql<Dialect>(statement), the compile-time text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/sql/expression.hpp"
#include "ctorm/sql/render.hpp"

namespace ctorm {

namespace detail {

template <class Columns, class Tables>
struct first_column_outside;
template <class Tables>
struct first_column_outside<type_list<>, Tables> {
    using type = void;
};
template <class C, class... Cs, class Tables>
struct first_column_outside<type_list<C, Cs...>, Tables> {
    using type = std::conditional_t<meta::contains<typename C::table_type, Tables>,
                                    typename first_column_outside<type_list<Cs...>, Tables>::type, C>;
};

template <class Columns>
struct tables_of_columns;
template <class... Cs>
struct tables_of_columns<type_list<Cs...>> {
    using type = meta::set_union<type_list<>, type_list<typename Cs::table_type...>>;
};

struct no_where {
    using columns = type_list<>;
    template <class F>
    constexpr void visit_params(F&) const {}
};

struct no_rows_traits {
    static constexpr bool returns_rows = false;
    static constexpr bool is_bulk = false;
    static constexpr bool is_script = false;
    using row_type = void;
    using slots = type_list<>;
};

}  // namespace detail

// What a statement that returns no rows did.
struct execute_result {
    std::int64_t rows_affected = 0;
    std::int64_t last_insert_id = 0;  // SQLite's rowid of the last insert; 0 on PostgreSQL: use .returning(t.id)
};

// Column is void when the rule holds; otherwise it names the offending column.
template <class Column>
struct assert_column_in_from {
    CTORM_DETAIL_RULE(
        "ctorm: a column is used whose table is not in this statement (see the column type below); "
        "add .from(table) or a join before this clause",
        std::is_void_v<Column>);
};

template <class Columns, class Tables>
using check_columns_in = assert_column_in_from<typename detail::first_column_outside<Columns, Tables>::type>;

namespace detail {

// Result-row descriptions, read by the adapters to decode each column.
// target(row) is where the value of result column I goes.
template <class Column>
struct model_slot {
    using expression_type = Column;
    using value_type = typename Column::value_type;
    template <class Row>
    static constexpr value_type& target(Row& row) {
        return row.*(Column::member);
    }
};
// The slots of a whole model: each column into its field.
template <class Columns>
struct model_slots;
template <class... Cs>
struct model_slots<type_list<Cs...>> {
    using type = type_list<model_slot<Cs>...>;
};
template <class Columns>
using model_slots_t = typename model_slots<Columns>::type;
// Reads a column into a std::optional (the target side of an outer join).
template <class Column>
struct optional_slot {
    using expression_type = Column;
    using value_type = std::optional<non_null_t<typename Column::value_type>>;
    template <class Row>
    static constexpr value_type& target(Row& row) {
        return row;
    }
};
template <std::size_t I, class E>
struct tuple_slot {
    using expression_type = E;
    using value_type = typename E::value_type;
    template <class Row>
    static constexpr value_type& target(Row& row) {
        return std::get<I>(row);
    }
};
template <class E>
struct scalar_slot {
    using expression_type = E;
    using value_type = typename E::value_type;
    template <class Row>
    static constexpr value_type& target(Row& row) {
        return row;
    }
};

}  // namespace detail

// What an adapter needs to know about a statement type.
//   returns_rows, row_type, slots (type_list of *_slot), is_bulk.
template <class Statement>
struct statement_traits : Statement::traits {};

// The constant SQL text of a statement type for a dialect.
template <class D, class Statement>
constexpr std::string_view to_sql() {
    return detail::sql_text<D, std::remove_cvref_t<Statement>>::view;
}
template <class D, class Statement>
constexpr std::string_view to_sql(const Statement&) {
    return detail::sql_text<D, std::remove_cvref_t<Statement>>::view;
}

}  // namespace ctorm
