// The statements a session sends for one object: its INSERT with the
// generated columns read back into it, the UPDATE of the columns that
// changed (its text made once per set of changed columns, its values typed),
// the DELETE and the SELECT by primary key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ctorm/meta/type_list.hpp"
#include "ctorm/orm/mapping.hpp"
#include "ctorm/sql/dynamic.hpp"
#include "ctorm/sql/insert.hpp"
#include "ctorm/sql/render.hpp"
#include "ctorm/sql/returning.hpp"
#include "ctorm/sql/select.hpp"
#include "ctorm/sql/statement.hpp"
#include "ctorm/sql/update.hpp"

namespace ctorm::detail {

// pk == value (and ... for composite keys), from the key columns' values in m.
template <class... Cs, class Model>
constexpr auto key_condition(type_list<Cs...>, const Model& m) {
    return ((Cs{} == m.*(Cs::member)) && ...);
}
// The key condition of a DELETE: with the version it was loaded at, when the table has a version_id column.
template <class Table, class Model>
constexpr auto delete_condition(const Model& m) {
    using version = typename mapping_traits<Table>::version_column;
    if constexpr (std::is_void_v<version>) return key_condition(primary_key_t<Table>{}, m);
    else return key_condition(primary_key_t<Table>{}, m) && (version{} == m.*(version::member));
}
// The same from a key value (a tuple for composite keys).
template <class C, class Key>
constexpr auto key_value_condition(type_list<C>, const Key& key) {
    return C{} == key;
}
template <class... Cs, class... Vs>
    requires(sizeof...(Cs) > 1)
constexpr auto key_value_condition(type_list<Cs...>, const std::tuple<Vs...>& key) {
    return [&]<std::size_t... Is>(std::index_sequence<Is...>) { return ((Cs{} == std::get<Is>(key)) && ...); }
    (std::index_sequence_for<Cs...>{});
}

// INSERT ... RETURNING the generated columns, read straight into the object.
template <class Table, class Generated>
struct insert_returning_generated;
template <class Table, class... Gs>
struct insert_returning_generated<Table, type_list<Gs...>> {
    using insert_type = insert_model_statement<Table, const typename Table::ctorm_model*>;
    using type = returning_statement<insert_type, model_rows<Table>, items<Gs...>>;
    // The object as it is (its default_factory fields filled by the flush already).
    static type make(const typename Table::ctorm_model& m) { return type{insert_type{{}, {}, {}, &m}, {}}; }
};

template <class Table>
auto select_by_key(const typename mapping_traits<Table>::key_type& key) {
    return select(Table{}).where(key_value_condition(primary_key_t<Table>{}, key));
}

// The on_update(...) columns of a table. The flush's UPDATE reads them back
// (RETURNING) into the object, so it holds the stamp the server wrote.
template <class Columns>
struct stamped_columns_of;
template <class... Cs>
struct stamped_columns_of<type_list<Cs...>> {
    using type = meta::concat<std::conditional_t<column_traits<Cs>::options.update_value != server_default_kind::none,
                                                 type_list<Cs>, type_list<>>...>;
};
template <class Table>
using stamped_columns = typename stamped_columns_of<typename Table::ctorm_columns>::type;

// Bit i set where column i of the table is one of Stamped.
template <class Columns, class Stamped>
struct column_mask;
template <class... Cs, class Stamped>
struct column_mask<type_list<Cs...>, Stamped> {
    static constexpr std::uint64_t value = [] {
        std::uint64_t mask = 0;
        std::size_t i = 0;
        ((mask |= std::uint64_t(meta::contains<Cs, Stamped>) << i++), ...);
        return mask;
    }();
};

// The rows of the flush's UPDATE: none, or the stamped columns of the one row.
template <class Table, class Stamped = stamped_columns<Table>>
struct update_rows_traits : no_rows_traits {};
template <class Table, class First, class... Rest>
struct update_rows_traits<Table, type_list<First, Rest...>>
    : select_row<model_rows<Table>, items<First, Rest...>, type_list<>> {
    static constexpr bool returns_rows = true;
    static constexpr bool is_bulk = false;
};

// UPDATE t SET <the changed columns> WHERE <key> = <the key the database has>
// [RETURNING <the on_update columns>].
template <class Table>
struct changed_columns_update {
    using model_type = typename Table::ctorm_model;
    std::string_view text;
    const model_type* object;
    const model_type* before;  // the row as the database has it: its key is the WHERE
    std::uint64_t changed;

    struct traits : update_rows_traits<Table> {
        static constexpr bool runtime_text = true;
    };

    template <class D>
    std::string_view sql() const noexcept {
        return text;
    }
    template <class F>
    void visit_params(F& f) const {
        visit_set(f, typename Table::ctorm_columns{});
        visit_key(f, primary_key_t<Table>{});
    }

    // The text for one set of changed columns (bit i: column i of the table).
    template <class D>
    static std::string render(std::uint64_t changed) {
        string_writer w;
        render_into<D>(w, changed);
        return std::move(w.text);
    }
    // The same into any writer, at compile time too (fixed_columns_update).
    template <class D, class W>
    static constexpr void render_into(W& w, std::uint64_t changed) {
        w.put("UPDATE ");
        put_quoted(w, Table::ctorm_sql_name);
        w.put(" SET ");
        render_set<D>(w, changed, typename Table::ctorm_columns{});
        render_on_update<D>(w, changed, typename Table::ctorm_columns{});
        w.put(" WHERE ");
        render_key<D>(w, primary_key_t<Table>{});
        if constexpr (stamped_columns<Table>::size > 0) {
            w.put(" RETURNING ");
            render_stamped(w, stamped_columns<Table>{});
        }
    }

private:
    template <class F, class... Cs>
    void visit_set(F& f, type_list<Cs...>) const {
        std::size_t i = 0;
        ((((changed >> i++) & 1u) ? f(object->*(Cs::member)) : void()), ...);
    }
    template <class F, class... Ks>
    void visit_key(F& f, type_list<Ks...>) const {
        (f(before->*(Ks::member)), ...);
        using version = typename mapping_traits<Table>::version_column;
        if constexpr (!std::is_void_v<version>) f(before->*(version::member));
    }
    template <class D, class W, class... Cs>
    static constexpr void render_set(W& w, std::uint64_t changed, type_list<Cs...>) {
        std::size_t i = 0;
        bool first = true;
        auto one = [&](std::string_view name) {
            if ((changed >> i++) & 1u) {
                if (!first) w.put(", ");
                first = false;
                put_quoted(w, name);
                w.put(" = ");
                D::placeholder(w);
            }
        };
        (one(Cs::sql_name), ...);
    }
    // The on_update(...) columns that did not change get their expression, as in update(t).set(...).
    template <class D, class W, class... Cs>
    static constexpr void render_on_update(W& w, std::uint64_t changed, type_list<Cs...>) {
        std::size_t i = 0;
        ((((changed >> i++) & 1u) ? void() : render_update_value<D, Cs, false>(w)), ...);
    }
    template <class W, class... Ss>
    static constexpr void render_stamped(W& w, type_list<Ss...>) {
        bool first = true;
        ((first ? void(first = false) : w.put(", "), put_quoted(w, Ss::sql_name)), ...);
    }
    template <class D, class W, class... Ks>
    static constexpr void render_key(W& w, type_list<Ks...>) {
        bool first = true;
        auto one = [&](std::string_view name) {
            if (!first) w.put(" AND ");
            first = false;
            put_quoted(w, name);
            w.put(" = ");
            D::placeholder(w);
        };
        (one(Ks::sql_name), ...);
        using version = typename mapping_traits<Table>::version_column;
        if constexpr (!std::is_void_v<version>) one(version::sql_name);
    }
};

// The UPDATE of changed_columns_update for a set of columns known at compile
// time: a static statement, so its text is a constant and the backend finds
// its prepared statement by type, with no text to hash or render per row.
// The session sends it when one column changed (with the version column, if
// the table has one), the usual case; the text is the same either way.
template <class Table, std::uint64_t Changed>
struct fixed_columns_update {
    using model_type = typename Table::ctorm_model;
    const model_type* object;
    const model_type* before;

    struct traits : update_rows_traits<Table> {};

    template <class D, class W>
    static constexpr void render(W& w) {
        changed_columns_update<Table>::template render_into<D>(w, Changed);
    }
    template <class F>
    void visit_params(F& f) const {
        const changed_columns_update<Table> q{{}, object, before, Changed};
        q.visit_params(f);
    }
};

// Bit i set where column i of the table differs between a and b.
template <class... Cs, class Model>
std::uint64_t changed_columns(type_list<Cs...>, const Model& a, const Model& b) {
    std::uint64_t mask = 0;
    std::size_t i = 0;
    ((mask |= std::uint64_t(!(a.*(Cs::member) == b.*(Cs::member))) << i++), ...);
    return mask;
}
template <class... Cs, class Model>
void copy_columns(type_list<Cs...>, std::uint64_t mask, const Model& from, Model& to) {
    std::size_t i = 0;
    ((((mask >> i++) & 1u) ? void(to.*(Cs::member) = from.*(Cs::member)) : void()), ...);
}

// The table a statement reads whole models of (select(users)...), or void.
template <class Q>
struct model_table {
    using type = void;
};
template <class Table, class... Rest>
struct model_table<select_statement<model_rows<Table>, Rest...>> {
    using type = Table;
};
// The table an UPDATE or DELETE writes, or void.
template <class Q>
struct written_table {
    using type = void;
};
template <class Table, class Assignments, class Where>
struct written_table<update_statement<Table, Assignments, Where>> {
    using type = Table;
};
template <class Table, class Where>
struct written_table<delete_statement<Table, Where>> {
    using type = Table;
};
template <class Base, class Rows, class List>
struct written_table<returning_statement<Base, Rows, List>> : written_table<Base> {};

// An update() or delete_from() without RETURNING (what synchronize_session::fetch extends).
template <class Q>
inline constexpr bool is_update_v = false;
template <class Table, class Assignments, class Where>
inline constexpr bool is_update_v<update_statement<Table, Assignments, Where>> = true;
template <class Q>
inline constexpr bool is_delete_v = false;
template <class Table, class Where>
inline constexpr bool is_delete_v<delete_statement<Table, Where>> = true;
template <class Q>
inline constexpr bool is_update_or_delete_v = is_update_v<Q> || is_delete_v<Q>;

}  // namespace ctorm::detail
