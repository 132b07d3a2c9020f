// migrate::diff(from, to): the operations that take schema `from` to schema
// `to` (add / drop table, column, index, unique, foreign key, check; alter a
// column's nullability, type or default; a possible rename, reported for the
// author to confirm, never assumed), and is_destructive(op).
#pragma once

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include "ctorm/migrate/schema.hpp"
#include "ctorm/migrate/script_operations.hpp"

namespace ctorm::migrate {

struct add_table {
    table_schema table;
    friend bool operator==(const add_table&, const add_table&) = default;
};
struct drop_table {
    table_schema table;  // what is lost
    friend bool operator==(const drop_table&, const drop_table&) = default;
};
struct add_column {
    std::string table;
    column_schema column;
    friend bool operator==(const add_column&, const add_column&) = default;
};
struct drop_column {
    std::string table;
    column_schema column;
    friend bool operator==(const drop_column&, const drop_column&) = default;
};
// Column `from` disappeared while `to`, of the same type, appeared in the same
// table. It may be a rename (keep the data: alter_column(..., rename)) or a
// drop and an add (lose it): only the author knows, so diff says neither.
struct possible_rename_column {
    std::string table;
    column_schema from, to;
    friend bool operator==(const possible_rename_column&, const possible_rename_column&) = default;
};
struct alter_column_nullable {
    std::string table, column;
    bool from = true, to = true;
    friend bool operator==(const alter_column_nullable&, const alter_column_nullable&) = default;
};
// The type, or its length (varchar<N>), changes.
struct alter_column_type {
    std::string table, column;
    std::string from_type;
    std::size_t from_max_length = 0;
    std::string to_type;
    std::size_t to_max_length = 0;
    friend bool operator==(const alter_column_type&, const alter_column_type&) = default;
};
struct alter_column_default {
    std::string table, column;
    column_default from, to;
    friend bool operator==(const alter_column_default&, const alter_column_default&) = default;
};
struct alter_primary_key {
    std::string table;
    std::vector<std::string> from, to;
    friend bool operator==(const alter_primary_key&, const alter_primary_key&) = default;
};
struct add_index {
    std::string table;
    index_schema index;
    friend bool operator==(const add_index&, const add_index&) = default;
};
struct drop_index {
    std::string table;
    index_schema index;
    friend bool operator==(const drop_index&, const drop_index&) = default;
};
struct add_unique {
    std::string table;
    unique_schema unique;
    friend bool operator==(const add_unique&, const add_unique&) = default;
};
struct drop_unique {
    std::string table;
    unique_schema unique;
    friend bool operator==(const drop_unique&, const drop_unique&) = default;
};
struct add_foreign_key {
    std::string table;
    foreign_key_schema foreign_key;
    friend bool operator==(const add_foreign_key&, const add_foreign_key&) = default;
};
struct drop_foreign_key {
    std::string table;
    foreign_key_schema foreign_key;
    friend bool operator==(const drop_foreign_key&, const drop_foreign_key&) = default;
};
struct add_check {
    std::string table;
    check_schema check;
    friend bool operator==(const add_check&, const add_check&) = default;
};
struct drop_check {
    std::string table;
    check_schema check;
    friend bool operator==(const drop_check&, const drop_check&) = default;
};

using operation =
    std::variant<add_table, drop_table, add_column, drop_column, possible_rename_column, alter_column_nullable,
                 alter_column_type, alter_column_default, alter_primary_key, add_index, drop_index, add_unique,
                 drop_unique, add_foreign_key, drop_foreign_key, add_check, drop_check,
                 // written by hand (script_operations.hpp); diff gives none of them
                 rename_table, rename_column, execute, bulk_insert>;

// Does applying op lose data? Dropping a table or a column does; changing a
// type may (a narrower type, a shorter length); a possible rename does if it
// is applied as a drop and an add; raw SQL (execute) may, nothing can tell.
// Constraints, indexes, renames and bulk_insert lose none.
inline bool is_destructive(const operation& op) {
    return std::holds_alternative<drop_table>(op) || std::holds_alternative<drop_column>(op) ||
           std::holds_alternative<possible_rename_column>(op) || std::holds_alternative<alter_column_type>(op) ||
           std::holds_alternative<execute>(op);
}

namespace detail {

template <class T, class Same>
bool contains(const std::vector<T>& items, const T& item, Same same) {
    for (const T& x : items)
        if (same(x, item)) return true;
    return false;
}

inline bool same_type(const column_schema& a, const column_schema& b) {
    return a.type == b.type && a.max_length == b.max_length;
}

inline void diff_columns(const table_schema& from, const table_schema& to, std::vector<operation>& out) {
    std::vector<const column_schema*> gone, appeared;
    for (const column_schema& c : from.columns)
        if (!to.find_column(c.name)) gone.push_back(&c);
    for (const column_schema& c : to.columns)
        if (!from.find_column(c.name)) appeared.push_back(&c);
    // Each column that went pairs with the first unpaired one of its type that came.
    std::vector<bool> paired(appeared.size(), false);
    for (const column_schema* g : gone) {
        bool renamed = false;
        for (std::size_t i = 0; i < appeared.size() && !renamed; ++i) {
            if (paired[i] || !same_type(*g, *appeared[i])) continue;
            paired[i] = true;
            renamed = true;
            out.push_back(possible_rename_column{to.name, *g, *appeared[i]});
        }
        if (!renamed) out.push_back(drop_column{to.name, *g});
    }
    for (std::size_t i = 0; i < appeared.size(); ++i)
        if (!paired[i]) out.push_back(add_column{to.name, *appeared[i]});
    for (const column_schema& c : to.columns) {
        const column_schema* old = from.find_column(c.name);
        if (!old) continue;
        if (!same_type(*old, c))
            out.push_back(alter_column_type{to.name, c.name, old->type, old->max_length, c.type, c.max_length});
        if (old->nullable != c.nullable)
            out.push_back(alter_column_nullable{to.name, c.name, old->nullable, c.nullable});
        if (old->default_value != c.default_value)
            out.push_back(alter_column_default{to.name, c.name, old->default_value, c.default_value});
    }
}

// The drops of what `from` has and `to` has not, then the adds of the reverse.
template <class Drop, class Add, class T, class Same>
void diff_items(const std::string& table, const std::vector<T>& from, const std::vector<T>& to, Same same,
                std::vector<operation>& out) {
    for (const T& x : from)
        if (!contains(to, x, same)) out.push_back(Drop{table, x});
    for (const T& x : to)
        if (!contains(from, x, same)) out.push_back(Add{table, x});
}

inline void diff_table(const table_schema& from, const table_schema& to, std::vector<operation>& out) {
    diff_columns(from, to, out);
    if (from.primary_key != to.primary_key) out.push_back(alter_primary_key{to.name, from.primary_key, to.primary_key});
    auto equal = [](const auto& a, const auto& b) { return a == b; };
    diff_items<drop_unique, add_unique>(to.name, from.uniques, to.uniques, equal, out);
    diff_items<drop_index, add_index>(to.name, from.indexes, to.indexes, equal, out);
    diff_items<drop_foreign_key, add_foreign_key>(to.name, from.foreign_keys, to.foreign_keys, equal, out);
    diff_items<drop_check, add_check>(
        to.name, from.checks, to.checks, [](const check_schema& a, const check_schema& b) { return a.name == b.name; },
        out);
}

}  // namespace detail

// The operations from `from` (say, the database) to `to` (say, the models):
// new tables first, then each common table's changes (its columns, its key,
// unique constraints, indexes, foreign keys, checks; drops before adds), then
// the tables `to` no longer has. An index, a unique constraint or a foreign
// key that changed is dropped and added again; a check is known by its name.
// Not detected: a change of autoincrement / identity, a check's expression.
inline std::vector<operation> diff(const schema& from, const schema& to) {
    std::vector<operation> out;
    for (const table_schema& t : to.tables)
        if (!from.find_table(t.name)) out.push_back(add_table{t});
    for (const table_schema& t : to.tables)
        if (const table_schema* old = from.find_table(t.name)) detail::diff_table(*old, t, out);
    for (const table_schema& t : from.tables)
        if (!to.find_table(t.name)) out.push_back(drop_table{t});
    return out;
}

}  // namespace ctorm::migrate
