// Autogenerate: inverse(op), apply_order(ops) and migration_source(...), the
// text of a new, readable C++ migration file made from diff's operations,
// with its downgrade derived, a WARNING on each operation that may lose data
// and a POSSIBLE RENAME note for the author to confirm.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ctorm/migrate/diff.hpp"
#include "ctorm/migrate/operations.hpp"
#include "ctorm/migrate/schema.hpp"
#include "ctorm/migrate/script_operations.hpp"

namespace ctorm::migrate {

// The operation that undoes op, or nullopt when it cannot be known (execute:
// what raw SQL did; bulk_insert: which rows to delete). Every operation diff
// gives carries what its inverse needs (a dropped table's or column's
// definition, a change's old value).
inline std::optional<operation> inverse(const operation& op) {
    struct inverter {
        std::optional<operation> operator()(const add_table& o) const { return drop_table{o.table}; }
        std::optional<operation> operator()(const drop_table& o) const { return add_table{o.table}; }
        std::optional<operation> operator()(const add_column& o) const { return drop_column{o.table, o.column}; }
        std::optional<operation> operator()(const drop_column& o) const { return add_column{o.table, o.column}; }
        std::optional<operation> operator()(const possible_rename_column& o) const {
            return possible_rename_column{o.table, o.to, o.from};
        }
        std::optional<operation> operator()(const alter_column_nullable& o) const {
            return alter_column_nullable{o.table, o.column, o.to, o.from};
        }
        std::optional<operation> operator()(const alter_column_type& o) const {
            return alter_column_type{o.table, o.column, o.to_type, o.to_max_length, o.from_type, o.from_max_length};
        }
        std::optional<operation> operator()(const alter_column_default& o) const {
            return alter_column_default{o.table, o.column, o.to, o.from};
        }
        std::optional<operation> operator()(const alter_primary_key& o) const {
            return alter_primary_key{o.table, o.to, o.from};
        }
        std::optional<operation> operator()(const add_index& o) const { return drop_index{o.table, o.index}; }
        std::optional<operation> operator()(const drop_index& o) const { return add_index{o.table, o.index}; }
        std::optional<operation> operator()(const add_unique& o) const { return drop_unique{o.table, o.unique}; }
        std::optional<operation> operator()(const drop_unique& o) const { return add_unique{o.table, o.unique}; }
        std::optional<operation> operator()(const add_foreign_key& o) const {
            return drop_foreign_key{o.table, o.foreign_key};
        }
        std::optional<operation> operator()(const drop_foreign_key& o) const {
            return add_foreign_key{o.table, o.foreign_key};
        }
        std::optional<operation> operator()(const add_check& o) const { return drop_check{o.table, o.check}; }
        std::optional<operation> operator()(const drop_check& o) const { return add_check{o.table, o.check}; }
        std::optional<operation> operator()(const rename_table& o) const { return rename_table{o.to, o.table}; }
        std::optional<operation> operator()(const rename_column& o) const {
            return rename_column{o.table, o.to, o.column};
        }
        std::optional<operation> operator()(const execute&) const { return std::nullopt; }
        std::optional<operation> operator()(const bulk_insert&) const { return std::nullopt; }
    };
    return std::visit(inverter{}, op);
}

namespace detail {

inline bool is_constraint_drop(const operation& op) {
    return std::holds_alternative<drop_index>(op) || std::holds_alternative<drop_foreign_key>(op) ||
           std::holds_alternative<drop_unique>(op) || std::holds_alternative<drop_check>(op);
}

inline bool references_any(const table_schema& t, const std::vector<const table_schema*>& others) {
    for (const foreign_key_schema& fk : t.foreign_keys)
        for (const table_schema* o : others)
            if (o != &t && fk.referred_table == o->name) return true;
    return false;
}

// Tables in an order where each comes after (referenced_first) or before the
// tables it references among them; a cycle keeps the order given.
inline std::vector<const table_schema*> by_references(std::vector<const table_schema*> tables, bool referenced_first) {
    std::vector<const table_schema*> out;
    while (!tables.empty()) {
        std::size_t next = 0;
        for (std::size_t i = 0; i < tables.size(); ++i) {
            bool ready = true;
            if (referenced_first) {
                ready = !references_any(*tables[i], tables);
            } else {
                for (const table_schema* o : tables)
                    if (o != tables[i] && references_any(*o, {tables[i]})) ready = false;
            }
            if (ready) {
                next = i;
                break;
            }
        }
        out.push_back(tables[next]);
        tables.erase(tables.begin() + static_cast<std::ptrdiff_t>(next));
    }
    return out;
}

}  // namespace detail

// diff's operations in an order in which each can run on its own, as a
// versioned migration runs them: the drops of indexes, foreign keys, unique
// constraints and checks first (a column cannot go while SQLite indexes it);
// new tables after the new tables they reference; the rest in diff's order;
// the tables that go, each before the ones it references.
inline std::vector<operation> apply_order(const std::vector<operation>& ops) {
    std::vector<operation> out;
    for (const operation& op : ops)
        if (detail::is_constraint_drop(op)) out.push_back(op);
    std::vector<const table_schema*> added, dropped;
    for (const operation& op : ops) {
        if (const auto* a = std::get_if<add_table>(&op)) added.push_back(&a->table);
        if (const auto* d = std::get_if<drop_table>(&op)) dropped.push_back(&d->table);
    }
    for (const table_schema* t : detail::by_references(added, true)) out.push_back(add_table{*t});
    for (const operation& op : ops)
        if (!detail::is_constraint_drop(op) && !std::holds_alternative<add_table>(op) &&
            !std::holds_alternative<drop_table>(op))
            out.push_back(op);
    for (const table_schema* t : detail::by_references(dropped, false)) out.push_back(drop_table{*t});
    return out;
}

// What autogenerate writes a file from.
struct migration_file {
    std::string revision;                     // see new_revision_id()
    std::vector<std::string> down_revisions;  // the registry's head when it was made
    std::string message;
    std::string dialect;                // said in the file's header ("sqlite", "postgresql")
    std::vector<operation> operations;  // diff(database, models)
};

// A fresh revision id: 12 hexadecimal digits, as Alembic's.
inline std::string new_revision_id() {
    std::random_device device;
    std::mt19937_64 bits((static_cast<std::uint64_t>(device()) << 32) ^ device());
    const std::uint64_t n = bits();
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 12; ++i) out += digits[(n >> (4 * i)) & 0xF];
    return out;
}

namespace detail::source {

// A C++ string literal.
inline std::string str(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (u < 0x20 || u == 0x7F) {
            static constexpr char octal[] = "01234567";
            out += '\\';
            out += octal[(u >> 6) & 7];
            out += octal[(u >> 3) & 7];
            out += octal[u & 7];
        } else {
            out += c;
        }
    }
    return out + '"';
}

// A comment's text on one line.
inline std::string line(std::string_view text) {
    std::string out;
    for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
    return out;
}

inline std::string names(const std::vector<std::string>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + str(items[i]);
    return out + "}";
}

inline std::string action(referential_action a) {
    switch (a) {
        case referential_action::restrict: return "m::referential_action::restrict";
        case referential_action::cascade: return "m::referential_action::cascade";
        case referential_action::set_null: return "m::referential_action::set_null";
        case referential_action::set_default: return "m::referential_action::set_default";
        case referential_action::no_action: break;
    }
    return "m::referential_action::no_action";
}

inline std::string default_value(const column_default& d) {
    if (d.kind == default_kind::none) return "{}";
    return std::string("{") +
           (d.kind == default_kind::literal ? "m::default_kind::literal" : "m::default_kind::expression") + ", " +
           str(d.sql) + "}";
}

inline std::string column(const column_schema& c) {
    std::string out = "{.name = " + str(c.name) + ", .type = " + str(c.type);
    if (c.max_length) out += ", .max_length = " + std::to_string(c.max_length);
    if (!c.nullable) out += ", .nullable = false";
    if (c.default_value.kind != default_kind::none) out += ", .default_value = " + default_value(c.default_value);
    if (c.autoincrement) out += ", .autoincrement = true";
    return out + "}";
}

inline std::string index(const index_schema& i) {
    std::string out = "{.name = " + str(i.name) + ", .columns = " + names(i.columns);
    if (i.unique) out += ", .unique = true";
    if (!i.where.empty()) out += ", .where = " + str(i.where);
    return out + "}";
}

inline std::string unique(const unique_schema& u) { return "{" + names(u.columns) + "}"; }

inline std::string foreign_key(const foreign_key_schema& fk) {
    std::string out = "{.columns = " + names(fk.columns) + ", .referred_table = " + str(fk.referred_table) +
                      ", .referred_columns = " + names(fk.referred_columns);
    if (fk.on_delete != referential_action::no_action) out += ", .on_delete = " + action(fk.on_delete);
    if (fk.on_update != referential_action::no_action) out += ", .on_update = " + action(fk.on_update);
    return out + "}";
}

inline std::string check(const check_schema& c) { return "{" + str(c.name) + ", " + str(c.sql) + "}"; }

template <class T, class F>
std::string list(const std::vector<T>& items, F each, const std::string& indent) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ",\n" + indent : "") + each(items[i]);
    return out + "}";
}

inline std::string table(const table_schema& t, const std::string& indent) {
    const std::string more = indent + "    ";
    std::string out = "{.name = " + str(t.name) + ",\n";
    out += more + ".columns = " + list(t.columns, column, more + "            ");
    if (!t.primary_key.empty()) out += ",\n" + more + ".primary_key = " + names(t.primary_key);
    if (!t.uniques.empty()) out += ",\n" + more + ".uniques = " + list(t.uniques, unique, more + "            ");
    if (!t.indexes.empty()) out += ",\n" + more + ".indexes = " + list(t.indexes, index, more + "            ");
    if (!t.foreign_keys.empty())
        out += ",\n" + more + ".foreign_keys = " + list(t.foreign_keys, foreign_key, more + "                 ");
    if (!t.checks.empty()) out += ",\n" + more + ".checks = " + list(t.checks, check, more + "           ");
    return out + "}";
}

inline std::string value(const literal& v) {
    if (std::holds_alternative<std::nullptr_t>(v)) return "m::literal{nullptr}";
    if (const bool* b = std::get_if<bool>(&v)) return *b ? "m::literal{true}" : "m::literal{false}";
    if (const std::int64_t* i = std::get_if<std::int64_t>(&v))
        return "m::literal{std::int64_t{" + std::to_string(*i) + "}}";
    if (const double* d = std::get_if<double>(&v)) {
        char buffer[32];
        std::string text(buffer, std::to_chars(buffer, buffer + sizeof buffer, *d).ptr);
        if (text.find_first_of(".en") == std::string::npos) text += ".0";
        return "m::literal{" + text + "}";
    }
    return "m::literal{std::string(" + str(std::get<std::string>(v)) + ")}";
}

// One operation as a C++ expression, lines after the first indented by `indent`.
inline std::string operation_text(const operation& op, const std::string& indent) {
    struct writer {
        const std::string& indent;
        std::string operator()(const add_table& o) const { return "m::add_table{" + table(o.table, indent) + "}"; }
        std::string operator()(const drop_table& o) const { return "m::drop_table{" + table(o.table, indent) + "}"; }
        std::string operator()(const add_column& o) const {
            return "m::add_column{" + str(o.table) + ", " + column(o.column) + "}";
        }
        std::string operator()(const drop_column& o) const {
            return "m::drop_column{" + str(o.table) + ", " + column(o.column) + "}";
        }
        std::string operator()(const possible_rename_column& o) const {
            return "m::possible_rename_column{" + str(o.table) + ", " + column(o.from) + ", " + column(o.to) + "}";
        }
        std::string operator()(const alter_column_nullable& o) const {
            return "m::alter_column_nullable{.table = " + str(o.table) + ", .column = " + str(o.column) +
                   ", .from = " + (o.from ? "true" : "false") + ", .to = " + (o.to ? "true" : "false") + "}";
        }
        std::string operator()(const alter_column_type& o) const {
            return "m::alter_column_type{.table = " + str(o.table) + ", .column = " + str(o.column) +
                   ", .from_type = " + str(o.from_type) + ", .from_max_length = " + std::to_string(o.from_max_length) +
                   ", .to_type = " + str(o.to_type) + ", .to_max_length = " + std::to_string(o.to_max_length) + "}";
        }
        std::string operator()(const alter_column_default& o) const {
            return "m::alter_column_default{.table = " + str(o.table) + ", .column = " + str(o.column) +
                   ", .from = " + default_value(o.from) + ", .to = " + default_value(o.to) + "}";
        }
        std::string operator()(const alter_primary_key& o) const {
            return "m::alter_primary_key{.table = " + str(o.table) + ", .from = " + names(o.from) +
                   ", .to = " + names(o.to) + "}";
        }
        std::string operator()(const add_index& o) const {
            return "m::add_index{" + str(o.table) + ", " + index(o.index) + "}";
        }
        std::string operator()(const drop_index& o) const {
            return "m::drop_index{" + str(o.table) + ", " + index(o.index) + "}";
        }
        std::string operator()(const add_unique& o) const {
            return "m::add_unique{" + str(o.table) + ", " + unique(o.unique) + "}";
        }
        std::string operator()(const drop_unique& o) const {
            return "m::drop_unique{" + str(o.table) + ", " + unique(o.unique) + "}";
        }
        std::string operator()(const add_foreign_key& o) const {
            return "m::add_foreign_key{" + str(o.table) + ", " + foreign_key(o.foreign_key) + "}";
        }
        std::string operator()(const drop_foreign_key& o) const {
            return "m::drop_foreign_key{" + str(o.table) + ", " + foreign_key(o.foreign_key) + "}";
        }
        std::string operator()(const add_check& o) const {
            return "m::add_check{" + str(o.table) + ", " + check(o.check) + "}";
        }
        std::string operator()(const drop_check& o) const {
            return "m::drop_check{" + str(o.table) + ", " + check(o.check) + "}";
        }
        std::string operator()(const rename_table& o) const {
            return "m::rename_table{" + str(o.table) + ", " + str(o.to) + "}";
        }
        std::string operator()(const rename_column& o) const {
            return "m::rename_column{" + str(o.table) + ", " + str(o.column) + ", " + str(o.to) + "}";
        }
        std::string operator()(const execute& o) const { return "m::execute{" + str(o.sql) + "}"; }
        std::string operator()(const bulk_insert& o) const {
            std::string out = "m::bulk_insert{" + str(o.table) + ", " + names(o.columns) + ", {";
            for (std::size_t r = 0; r < o.rows.size(); ++r) {
                out += r ? ",\n" + indent + "    {" : "{";
                for (std::size_t i = 0; i < o.rows[r].size(); ++i) out += (i ? ", " : "") + value(o.rows[r][i]);
                out += "}";
            }
            return out + "}}";
        }
    };
    return std::visit(writer{indent}, op);
}

// TEXT with at most 100 characters (SQLite's varchar<100>); VARCHAR(100) as it is.
inline std::string type_text(const std::string& type, std::size_t max_length) {
    if (max_length == 0 || type.find('(') != std::string::npos) return type;
    return type + " of at most " + std::to_string(max_length) + " characters";
}

// What a WARNING says an operation may lose; empty when it loses nothing.
inline std::string loss(const operation& op) {
    if (const auto* o = std::get_if<drop_table>(&op)) return "drops table " + o->table.name + " and every row in it";
    if (const auto* o = std::get_if<drop_column>(&op))
        return "drops column " + o->table + "." + o->column.name + " and its data";
    if (const auto* o = std::get_if<alter_column_type>(&op))
        return "changes the type of " + o->table + "." + o->column + " from " +
               type_text(o->from_type, o->from_max_length) + " to " + type_text(o->to_type, o->to_max_length) +
               ", which may cut or refuse values";
    if (std::holds_alternative<execute>(op)) return "runs SQL that nothing can check";
    return {};
}

// An operation of a generated list, with the note written above it.
struct entry {
    operation op;
    std::vector<std::string> notes{};
};

inline std::string operations_text(const std::vector<entry>& entries, const std::string& indent) {
    std::string out;
    if (entries.empty()) out += indent + "// No operations yet: write them here.\n";
    for (const entry& e : entries) {
        for (const std::string& n : e.notes) out += indent + "// " + line(n) + "\n";
        if (const std::string l = loss(e.op); !l.empty())
            out += indent + "// WARNING: destructive: " + line(l) + "; check that this is what you want.\n";
        out += indent + operation_text(e.op, indent) + ",\n";
    }
    return out;
}

// A possible rename becomes a drop and an add (what the diff says as it is),
// with a note saying how to make it the rename it may be.
inline std::vector<entry> upgrade_entries(const std::vector<operation>& ops) {
    std::vector<entry> out;
    for (const operation& op : apply_order(ops)) {
        const auto* r = std::get_if<possible_rename_column>(&op);
        if (!r) {
            out.push_back({op});
            continue;
        }
        const std::string what = r->table + "." + r->from.name + " disappeared and " + r->table + "." + r->to.name;
        out.push_back(
            {drop_column{r->table, r->from},
             {"POSSIBLE RENAME: column " + what + ", of the same type, appeared.",
              "If it is a rename, replace this drop_column and the add_column after it by",
              "    m::rename_column{" + str(r->table) + ", " + str(r->from.name) + ", " + str(r->to.name) + "},",
              "(and in downgrade the add_column and drop_column by m::rename_column{" + str(r->table) + ", " +
                  str(r->to.name) + ", " + str(r->from.name) + "}): as written, the data is lost."}});
        out.push_back({add_column{r->table, r->to}});
    }
    return out;
}

inline std::vector<entry> downgrade_entries(const std::vector<entry>& up, std::vector<std::string>& missing) {
    std::vector<entry> out;
    for (auto it = up.rbegin(); it != up.rend(); ++it) {
        if (std::optional<operation> back = inverse(it->op)) out.push_back({std::move(*back)});
        else missing.push_back(operation_text(it->op, ""));
    }
    return out;
}

}  // namespace detail::source

// The text of a C++ header defining `inline ctorm::migrate::migration
// revision_<id>()` in namespace `migrations`: its id, down revisions and
// message, the upgrade (file.operations in apply_order, each possible rename
// written as a drop and an add with a note on how to make it a rename) and
// the downgrade (the inverses, last first; when one has none, the downgrade
// throws migration_error saying so). Each operation that may lose data has a
// WARNING comment above it. The file is clang-format off, so that it stays as
// written.
inline std::string migration_source(const migration_file& file) {
    namespace s = detail::source;
    const std::vector<s::entry> up = s::upgrade_entries(file.operations);
    std::vector<std::string> missing;
    const std::vector<s::entry> down = s::downgrade_entries(up, missing);
    std::string revises;
    for (const std::string& r : file.down_revisions) revises += (revises.empty() ? "" : ", ") + r;
    if (revises.empty()) revises = "<base>";

    std::string out;
    out += "// Revision " + file.revision + ": " + s::line(file.message) + "\n";
    out += "//\n";
    out += "// Revises: " + revises + "\n";
    if (!file.dialect.empty())
        out += "// Dialect: " + file.dialect + " (the column types are its own; use it in that dialect's registry)\n";
    out += "// Written by ctorm::migrate autogenerate from the difference between the\n";
    out += "// database and the models. Read it before it runs: check each WARNING and\n";
    out += "// each POSSIBLE RENAME, then add revision_" + file.revision + "() to the registry.\n";
    out += "// clang-format off\n";
    out += "#pragma once\n\n";
    out += "#include <cstdint>\n#include <string>\n#include <vector>\n\n";
    out += "#include <ctorm/migrate/versions.hpp>\n\n";
    out += "namespace migrations {\n\n";
    out += "inline ctorm::migrate::migration revision_" + file.revision + "() {\n";
    out += "    namespace m = ctorm::migrate;\n";
    out += "    using ops = std::vector<m::operation>;\n";
    out += "    return {" + s::str(file.revision) + ", " + s::names(file.down_revisions) + ", " + s::str(file.message) +
           ",\n";
    out += "            [] {\n";
    out += "                return ops{\n" + s::operations_text(up, "                    ") + "                };\n";
    out += "            },\n";
    if (missing.empty()) {
        out += "            [] {\n";
        out +=
            "                return ops{\n" + s::operations_text(down, "                    ") + "                };\n";
        out += "            }};\n";
    } else {
        out += "            []() -> ops {\n";
        out += "                // Not generated: no operation undoes\n";
        for (const std::string& text : missing) out += "                //     " + s::line(text) + "\n";
        out += "                // Write this downgrade by hand.\n";
        out += "                throw m::migration_error(" +
               s::str("ctorm: migrate: revision " + file.revision +
                      " has no downgrade: autogenerate cannot undo what it runs; write it by hand") +
               ");\n";
        out += "            }};\n";
    }
    out += "}\n\n";
    out += "}  // namespace migrations\n";
    out += "// clang-format on\n";
    return out;
}

}  // namespace ctorm::migrate
