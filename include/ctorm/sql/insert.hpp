// insert(table).values(model), .values(column = value, ...), and bulk
// .values(range of models).
#pragma once

#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "ctorm/meta/type_list.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/sql/modify.hpp"
#include "ctorm/sql/returning.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm {

namespace detail {

// The columns insert(table).values(model) writes: all but those the database
// fills (an autoincrement key, server defaults).
template <class Columns>
struct model_insert_columns;
template <class... Cs>
struct model_insert_columns<type_list<Cs...>> {
    using type =
        meta::concat<std::conditional_t<column_traits<Cs>::generated_on_insert, type_list<>, type_list<Cs>>...>;
};

template <class Table, class Columns>
struct model_insert_text;
template <class Table, class... Cs>
struct model_insert_text<Table, type_list<Cs...>> {
    template <class D, class W>
    static constexpr void render(W& w) {
        w.put("INSERT INTO ");
        put_quoted(w, Table::ctorm_sql_name);
        if constexpr (sizeof...(Cs) == 0) {
            w.put(" DEFAULT VALUES");
        } else {
            w.put(" (");
            [[maybe_unused]] bool first = true;
            ((first ? void(first = false) : w.put(", "), put_quoted(w, Cs::sql_name)), ...);
            w.put(") VALUES (");
            first = true;
            ((first ? void(first = false) : w.put(", "), (void)sizeof(Cs), D::placeholder(w)), ...);
            w.put(')');
        }
    }
    template <class Model, class F>
    static constexpr void visit_row(const Model& row, F& f) {
        (f(row.*(Cs::member)), ...);
    }
};

struct empty_rows {};

// One model object. Holder is `const Model*` for an lvalue (no copy) or Model.
template <class Table, class Holder>
struct insert_model_statement : detail::insert_clause_rules<insert_model_statement<Table, Holder>>,
                                detail::returning_clause<insert_model_statement<Table, Holder>, Table>,
                                detail::conflict_clause<insert_model_statement<Table, Holder>, Table> {
    using table_type = Table;
    using model_type = typename Table::ctorm_model;
    using columns_text =
        detail::model_insert_text<Table, typename detail::model_insert_columns<typename Table::ctorm_columns>::type>;
    Holder holder;
    struct traits : detail::no_rows_traits {
        static constexpr bool is_insert = true;
    };

    template <class D, class W>
    static constexpr void render(W& w) {
        columns_text::template render<D>(w);
    }
    constexpr const model_type& row() const {
        if constexpr (std::is_pointer_v<Holder>) return *holder;
        else return holder;
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        columns_text::visit_row(row(), f);
    }
};

// Many model objects: one prepared statement, bound and stepped once per row,
// in one transaction.
// Owned: the rows are the statement's own copies (a table with default_factory
// columns, their values filled in), `rows` unused.
template <class Table, bool Owned = false>
struct insert_many_statement : detail::insert_clause_rules<insert_many_statement<Table, Owned>>,
                               detail::returning_clause<insert_many_statement<Table, Owned>, Table>,
                               detail::conflict_clause<insert_many_statement<Table, Owned>, Table> {
    using table_type = Table;
    using model_type = typename Table::ctorm_model;
    using columns_text =
        detail::model_insert_text<Table, typename detail::model_insert_columns<typename Table::ctorm_columns>::type>;
    std::span<const model_type> rows;
    [[no_unique_address]] std::conditional_t<Owned, std::vector<model_type>, empty_rows> copies{};
    struct traits : detail::no_rows_traits {
        static constexpr bool is_bulk = true;
        static constexpr bool is_insert = true;
    };

    template <class D, class W>
    static constexpr void render(W& w) {
        columns_text::template render<D>(w);
    }
    template <class F>
    constexpr void visit_row_params(const model_type& row, F& f) const {
        columns_text::visit_row(row, f);
    }
    constexpr std::span<const model_type> bulk_rows() const {
        if constexpr (Owned) return copies;
        else return rows;
    }
};

// Explicit column assignments.
template <class Table, class Assignments>
struct insert_values_statement : detail::insert_clause_rules<insert_values_statement<Table, Assignments>>,
                                 detail::returning_clause<insert_values_statement<Table, Assignments>, Table>,
                                 detail::conflict_clause<insert_values_statement<Table, Assignments>, Table> {
    using table_type = Table;
    Assignments assignments;
    struct traits : detail::no_rows_traits {
        static constexpr bool is_insert = true;
    };

    template <class D, class W>
    static constexpr void render(W& w) {
        w.put("INSERT INTO ");
        detail::put_quoted(w, Table::ctorm_sql_name);
        render_parts<D>(w, static_cast<Assignments*>(nullptr));
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        assignments.visit_params(f);
    }

private:
    template <class D, class W, class... As>
    static constexpr void render_parts(W& w, items<As...>*) {
        w.put(" (");
        [[maybe_unused]] bool first = true;
        ((first ? void(first = false) : w.put(", "), detail::put_quoted(w, As::column_type::sql_name)), ...);
        w.put(") VALUES (");
        first = true;
        ((first ? void(first = false) : w.put(", "), As::template render_value<D>(w)), ...);
        w.put(')');
    }
};

template <class Table>
struct insert_builder : detail::insert_clause_rules<insert_builder<Table>> {
    using model_type = typename Table::ctorm_model;

    static constexpr bool factories = detail::has_factories<typename Table::ctorm_columns>;

    // A table with default_factory columns inserts copies that have them (the
    // rows given are not changed; ctorm::fill_defaults(t, row) fills a row itself).
    constexpr auto values(const model_type& row) const {
        if constexpr (factories) {
            model_type copy = row;
            detail::fill_factories<Table>(copy, typename Table::ctorm_columns{});
            return insert_model_statement<Table, model_type>{{}, {}, {}, std::move(copy)};
        } else {
            return insert_model_statement<Table, const model_type*>{{}, {}, {}, &row};
        }
    }
    constexpr insert_model_statement<Table, model_type> values(model_type&& row) const {
        if constexpr (factories) detail::fill_factories<Table>(row, typename Table::ctorm_columns{});
        return {{}, {}, {}, std::move(row)};
    }
    constexpr auto values(std::span<const model_type> rows) const {
        if constexpr (factories) {
            std::vector<model_type> copies(rows.begin(), rows.end());
            for (model_type& row : copies) detail::fill_factories<Table>(row, typename Table::ctorm_columns{});
            return insert_many_statement<Table, true>{{}, {}, {}, {}, std::move(copies)};
        } else {
            return insert_many_statement<Table>{{}, {}, {}, rows};
        }
    }
    constexpr auto values(const std::vector<model_type>& rows) const {
        return values(std::span<const model_type>(rows));
    }

    template <class A, class... As>
        requires(std::is_base_of_v<detail::assignment_tag, std::remove_cvref_t<A>> &&
                 (std::is_base_of_v<detail::assignment_tag, std::remove_cvref_t<As>> && ...))
    constexpr auto values(A&& a, As&&... as) const {
        using tuple = items<std::remove_cvref_t<A>, std::remove_cvref_t<As>...>;
        detail::check_assignments<Table, tuple, true>();
        (void)assert_insert_sets_required_column<typename detail::first_required_missing<
            typename Table::ctorm_columns, typename detail::assigned_columns<tuple>::type>::type>::check();
        return insert_values_statement<Table, tuple>{{}, {}, {}, tuple{std::forward<A>(a), std::forward<As>(as)...}};
    }
};

// The column the database numbers on insert (a single integer key), or void.
template <class Columns>
struct autoincrement_key;
template <>
struct autoincrement_key<type_list<>> {
    using type = void;
};
template <class C, class... Cs>
struct autoincrement_key<type_list<C, Cs...>> {
    using type =
        std::conditional_t<column_traits<C>::autoincrement_key, C, typename autoincrement_key<type_list<Cs...>>::type>;
};
template <class Table>
using autoincrement_key_t = typename autoincrement_key<typename Table::ctorm_columns>::type;
}  // namespace detail

template <table_type T>
constexpr detail::insert_builder<T> insert(const T&) {
    return {};
}

}  // namespace ctorm
