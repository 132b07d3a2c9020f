// migrate::schema_of<D>(tables...): the schema that create_all makes for these
// table declarations on dialect D, read from the same facts the DDL renderer
// reads (column options, primary_key_t, foreign_keys_t, table constraints)
// and from D's own type and default spelling.
#pragma once

#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/migrate/schema.hpp"
#include "ctorm/schema/column.hpp"
#include "ctorm/schema/keys.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/schema/types.hpp"
#include "ctorm/sql/ddl.hpp"
#include "ctorm/sql/dynamic.hpp"

namespace ctorm::migrate {

namespace detail {

constexpr referential_action action_of(fk_action a) {
    switch (a) {
        case fk_action::cascade: return referential_action::cascade;
        case fk_action::set_null: return referential_action::set_null;
        case fk_action::set_default: return referential_action::set_default;
        case fk_action::restrict: return referential_action::restrict;
        case fk_action::no_action:
        case fk_action::none: break;
    }
    return referential_action::no_action;
}

// D's type of column C, as create_all writes it, without the CHECK that
// SQLite writes after a UUID's, JSON's or array's type.
template <class D, class C>
std::string column_type_text() {
    ctorm::detail::string_writer w;
    D::template render_column_type<C>(w);
    std::string type = std::move(w.text);
    if (const auto check = type.find(" CHECK ("); check != std::string::npos) type.resize(check);
    return upper(type);
}

template <class D, class C>
column_default column_default_of() {
    ctorm::detail::string_writer w;
    ctorm::detail::render_default_expression<D>(w, column_traits<C>::options);
    return normalize_default(w.text);
}

template <class Column>
struct assert_migrated_column_not_named_enum {
    CTORM_DETAIL_RULE(
        "ctorm::migrate: a column of an enum stored by name (CTORM_ENUM, see the column below) is not in "
        "migrations yet (its PostgreSQL enum type and SQLite CHECK would be lost); create these tables with "
        "create_all, or store the enum as its integer",
        !named_enum<non_null_t<typename Column::value_type>>);
};

template <class D, class C>
column_schema column_of() {
    (void)assert_migrated_column_not_named_enum<C>::check();
    using traits = column_traits<C>;
    column_schema c;
    c.name = std::string(C::sql_name);
    c.type = column_type_text<D, C>();
    if constexpr (category_of<typename C::value_type>() == category::string)
        c.max_length = traits::options.varchar_length;
    c.nullable = traits::nullable && !traits::options.primary_key;
    c.default_value = column_default_of<D, C>();
    c.autoincrement = traits::autoincrement_key;
    if constexpr (requires { requires D::integer_primary_key_is_rowid; })
        if (traits::options.primary_key && C::table_type::ctorm_primary_key_count == 1 && c.type == "INTEGER")
            c.autoincrement = true;
    return c;
}

template <class... Cs>
std::vector<std::string> names_of(type_list<Cs...>) {
    return {std::string(Cs::sql_name)...};
}

// Primary keys and foreign keys of CTORM_TABLE_CONSTRAINTS are read through
// primary_key_t and foreign_keys_of; here only unique(...) and index(...).
template <class T, class Constraint>
void add_constraint(table_schema&, const Constraint&) {}
template <class T, class... Cs>
void add_constraint(table_schema& t, const composite_unique<Cs...>&) {
    t.uniques.push_back({{std::string(Cs::sql_name)...}});
}
// The name create_all gives an index of Cs (ix_<table>_<columns>), without its quotes.
template <class T, class... Cs>
std::string index_name() {
    ctorm::detail::string_writer w;
    ctorm::detail::render_index_name<ctorm::detail::string_writer, Cs...>(w, T::ctorm_sql_name);
    return w.text.substr(1, w.text.size() - 2);
}

template <class T, class... Cs>
void add_constraint(table_schema& t, const composite_index<Cs...>&) {
    t.indexes.push_back({index_name<T, Cs...>(), {std::string(Cs::sql_name)...}, false});
}

template <class T, class C>
void add_column_constraints(table_schema& t) {
    constexpr ctorm::detail::column_options o = column_traits<C>::options;
    if constexpr (o.index) {
        t.indexes.push_back({index_name<T, C>(), {std::string(C::sql_name)}, o.unique});
    } else if constexpr (o.unique) {
        t.uniques.push_back({{std::string(C::sql_name)}});
    }
}

template <class K>
foreign_key_schema foreign_key_of(const K& k) {
    foreign_key_schema fk;
    fk.columns = names_of(typename K::columns{});
    fk.referred_table = std::string(K::target_table::ctorm_sql_name);
    fk.referred_columns = names_of(typename K::targets{});
    fk.on_delete = action_of(k.delete_action);
    fk.on_update = action_of(k.update_action);
    return fk;
}

template <class D, class T, class... Cs>
table_schema table_of(type_list<Cs...>) {
    table_schema t;
    t.name = std::string(T::ctorm_sql_name);
    (t.columns.push_back(column_of<D, Cs>()), ...);
    t.primary_key = names_of(primary_key_t<T>{});
    (add_column_constraints<T, Cs>(t), ...);
    std::apply([&](const auto&... k) { (add_constraint<T>(t, k), ...); }, ctorm::detail::constraints_of<T>());
    std::apply([&](const auto&... k) { (t.foreign_keys.push_back(foreign_key_of(k)), ...); },
               ctorm::detail::foreign_keys_of<T>());
    return t;
}

}  // namespace detail

// The schema create_all<D>(tables...) makes, normalized (see normalize).
template <class D, table_type... Ts>
schema schema_of(const Ts&...) {
    schema s;
    (s.tables.push_back(detail::table_of<D, Ts>(typename Ts::ctorm_columns{})), ...);
    normalize(s);
    return s;
}

}  // namespace ctorm::migrate
