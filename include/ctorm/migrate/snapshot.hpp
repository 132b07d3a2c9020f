// migrate::snapshot: a schema written as text that a header can hold, and
// up_to_date<Snapshot, tables...>, which compares the schema the migrations
// leave (their snapshot, written by `migrate snapshot`) with what the models
// declare, at compile time.
//
// The text has a line per table and one per fact diff compares (a column's
// type, length, nullability and default; the primary key; each unique
// constraint, index, foreign key and named check), so that two schemas have
// the same lines, in any order, exactly when diff finds nothing between them.
// The models' text is written at compile time by the code that writes a
// schema value's at run time (the line writers below), from the facts
// schema_of reads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/migrate/schema.hpp"
#include "ctorm/migrate/schema_of.hpp"
#include "ctorm/schema/column.hpp"
#include "ctorm/schema/keys.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/schema/types.hpp"
#include "ctorm/sql/ddl.hpp"
#include "ctorm/sql/render.hpp"

namespace ctorm::migrate {

namespace detail {

// --- the lines, for a schema value and for the models alike ------------------

// A name or value with what would end its line or its quotes escaped, so that
// the text fits in a raw string literal ("...)ctorm\"" cannot appear).
template <class W>
constexpr void put_escaped(W& w, std::string_view s) {
    for (char c : s) {
        if (c == '\\') w.put("\\\\");
        else if (c == '"') w.put("\\\"");
        else if (c == '\n') w.put("\\n");
        else if (c == '\r') w.put("\\r");
        else w.put(c);
    }
}
template <class W>
constexpr void put_name(W& w, std::string_view name) {
    w.put('"');
    put_escaped(w, name);
    w.put('"');
}
template <class W, class Names>
constexpr void put_names(W& w, const Names& names) {
    w.put('(');
    bool first = true;
    for (const auto& name : names) {
        if (!first) w.put(", ");
        first = false;
        put_name(w, std::string_view(name));
    }
    w.put(')');
}
constexpr std::string_view action_words(referential_action a) {
    switch (a) {
        case referential_action::restrict: return "restrict";
        case referential_action::cascade: return "cascade";
        case referential_action::set_null: return "set null";
        case referential_action::set_default: return "set default";
        case referential_action::no_action: break;
    }
    return "no action";
}

template <class W>
constexpr void put_table_line(W& w, std::string_view name) {
    w.put("table ");
    put_name(w, name);
    w.put('\n');
}
// The type in upper case, as schema_of and introspect spell it.
template <class W>
constexpr void put_column_line(W& w, std::string_view name, std::string_view type, std::size_t max_length,
                               bool nullable, default_kind kind, std::string_view default_sql) {
    w.put("  column ");
    put_name(w, name);
    w.put(' ');
    for (char c : type) w.put(to_upper(c));
    if (max_length != 0) {
        w.put(" max_length ");
        w.put_number(max_length);
    }
    w.put(nullable ? " null" : " not null");
    if (kind != default_kind::none) {
        w.put(kind == default_kind::literal ? " default " : " default expression ");
        put_escaped(w, default_sql);
    }
    w.put('\n');
}
template <class W, class Names>
constexpr void put_primary_key_line(W& w, const Names& columns) {
    w.put("  primary key ");
    put_names(w, columns);
    w.put('\n');
}
template <class W, class Names>
constexpr void put_unique_line(W& w, const Names& columns) {
    w.put("  unique ");
    put_names(w, columns);
    w.put('\n');
}
template <class W, class Names>
constexpr void put_index_line(W& w, std::string_view name, const Names& columns, bool unique, std::string_view where) {
    w.put("  index ");
    put_name(w, name);
    w.put(unique ? " unique " : " ");
    put_names(w, columns);
    if (!where.empty()) {
        w.put(" where ");
        put_escaped(w, where);
    }
    w.put('\n');
}
template <class W, class Names, class Referred>
constexpr void put_foreign_key_line(W& w, const Names& columns, std::string_view table, const Referred& referred,
                                    referential_action on_delete, referential_action on_update) {
    w.put("  foreign key ");
    put_names(w, columns);
    w.put(" references ");
    put_name(w, table);
    w.put(' ');
    put_names(w, referred);
    w.put(" on delete ");
    w.put(action_words(on_delete));
    w.put(" on update ");
    w.put(action_words(on_update));
    w.put('\n');
}
template <class W>
constexpr void put_check_line(W& w, std::string_view name) {
    w.put("  check ");
    put_name(w, name);
    w.put('\n');
}

// --- the models' lines, at compile time ---------------------------------------

// A node's text rendered into a buffer of its own size.
template <class Render>
struct rendered {
    static constexpr std::size_t size = [] {
        ctorm::detail::length_writer w;
        Render::write(w);
        return w.size;
    }();
    static constexpr ctorm::detail::buffer_writer<size> buffer = [] {
        ctorm::detail::buffer_writer<size> w;
        Render::write(w);
        return w;
    }();
    static constexpr std::string_view view() { return {buffer.data, size}; }
};

template <class D, class C>
struct column_type_render {
    template <class W>
    static constexpr void write(W& w) {
        D::template render_column_type<C>(w);
    }
};
template <class D, class C>
struct column_default_render {
    template <class W>
    static constexpr void write(W& w) {
        ctorm::detail::render_default_expression<D>(w, column_traits<C>::options);
    }
};
template <class T, class... Cs>
struct index_name_render {
    template <class W>
    static constexpr void write(W& w) {
        ctorm::detail::render_index_name<W, Cs...>(w, T::ctorm_sql_name);
    }
};

// D's type of C as schema_of has it: without the CHECK SQLite writes after some.
template <class D, class C>
constexpr std::string_view column_type_view() {
    (void)assert_migrated_column_not_named_enum<C>::check();
    constexpr std::string_view type = rendered<column_type_render<D, C>>::view();
    return type.substr(0, type.find(" CHECK ("));
}
template <class T, class... Cs>
constexpr std::string_view index_name_view() {
    constexpr std::string_view quoted = rendered<index_name_render<T, Cs...>>::view();
    return quoted.substr(1, quoted.size() - 2);
}
template <class... Cs>
constexpr std::array<std::string_view, sizeof...(Cs)> names_array(type_list<Cs...>) {
    return {Cs::sql_name...};
}

template <class D, class C, class W>
constexpr void put_model_column(W& w) {
    using traits = column_traits<C>;
    std::size_t max_length = 0;
    if constexpr (category_of<typename C::value_type>() == category::string)
        max_length = traits::options.varchar_length;
    constexpr migrate::default_text d = normalized_default(rendered<column_default_render<D, C>>::view());
    put_column_line(w, C::sql_name, column_type_view<D, C>(), max_length,
                    traits::nullable && !traits::options.primary_key, d.kind, d.sql);
}
// Pass 0 writes the unique constraints, pass 1 the indexes, as snapshot_text
// has them (in a table's order; normalize sorts each kind of them).
template <int Pass, class T, class C, class W>
constexpr void put_model_column_constraint(W& w) {
    constexpr ctorm::detail::column_options o = column_traits<C>::options;
    if constexpr (Pass == 1 && o.index) {
        put_index_line(w, index_name_view<T, C>(), std::array<std::string_view, 1>{C::sql_name}, o.unique, {});
    } else if constexpr (Pass == 0 && o.unique && !o.index) {
        put_unique_line(w, std::array<std::string_view, 1>{C::sql_name});
    }
}
template <int Pass, class T, class W, class Constraint>
constexpr void put_model_constraint(W&, const Constraint&) {}
template <int Pass, class T, class W, class... Cs>
constexpr void put_model_constraint(W& w, const composite_unique<Cs...>&) {
    if constexpr (Pass == 0) put_unique_line(w, std::array<std::string_view, sizeof...(Cs)>{Cs::sql_name...});
}
template <int Pass, class T, class W, class... Cs>
constexpr void put_model_constraint(W& w, const composite_index<Cs...>&) {
    if constexpr (Pass == 1)
        put_index_line(w, index_name_view<T, Cs...>(), std::array<std::string_view, sizeof...(Cs)>{Cs::sql_name...},
                       false, {});
}
template <int Pass, class T, class W>
constexpr void put_model_constraints(W& w) {
    [&]<class... Cs>(type_list<Cs...>) {
        (put_model_column_constraint<Pass, T, Cs>(w), ...);
    }(typename T::ctorm_columns{});
    std::apply([&](const auto&... k) { (put_model_constraint<Pass, T>(w, k), ...); },
               ctorm::detail::constraints_of<T>());
}

// Table T's lines on dialect D, from the facts schema_of reads.
template <class D, class T>
struct model_table_render {
    template <class W>
    static constexpr void write(W& w) {
        put_table_line(w, T::ctorm_sql_name);
        [&]<class... Cs>(type_list<Cs...>) { (put_model_column<D, Cs>(w), ...); }(typename T::ctorm_columns{});
        constexpr auto key = names_array(primary_key_t<T>{});
        if constexpr (key.size() > 0) put_primary_key_line(w, key);
        put_model_constraints<0, T>(w);
        put_model_constraints<1, T>(w);
        std::apply(
            [&](const auto&... k) {
                (put_foreign_key_line(w, names_array(typename std::remove_cvref_t<decltype(k)>::columns{}),
                                      std::remove_cvref_t<decltype(k)>::target_table::ctorm_sql_name,
                                      names_array(typename std::remove_cvref_t<decltype(k)>::targets{}),
                                      action_of(k.delete_action), action_of(k.update_action)),
                 ...);
            },
            ctorm::detail::foreign_keys_of<T>());
    }
};
template <class D, class... Ts>
struct models_render {
    template <class W>
    static constexpr void write(W& w) {
        (model_table_render<D, Ts>::write(w), ...);
    }
};

// --- comparing two texts ------------------------------------------------------

// The next line of `rest` (without its newline), taken off it.
constexpr std::string_view take_line(std::string_view& rest) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    return line;
}
constexpr bool is_table_line(std::string_view line) { return line.starts_with("table "); }

// The lines after `header` up to the next table (empty when there is none:
// `found` says whether the table is there).
struct table_block {
    bool found = false;
    std::string_view lines{};
};
constexpr table_block find_table(std::string_view text, std::string_view header) {
    std::string_view rest = text;
    while (!rest.empty()) {
        if (take_line(rest) != header) continue;
        std::string_view end = rest;
        std::size_t size = 0;
        while (!end.empty()) {
            std::string_view before = end;
            if (is_table_line(take_line(end))) break;
            size += before.size() - end.size();
        }
        return {true, rest.substr(0, size)};
    }
    return {};
}
constexpr bool has_line(std::string_view lines, std::string_view line) {
    while (!lines.empty())
        if (take_line(lines) == line) return true;
    return false;
}
// `  column "email" ...` gives `  column "email" ` (escaped quotes are \").
constexpr std::string_view column_prefix(std::string_view line) {
    constexpr std::string_view start = "  column \"";
    if (!line.starts_with(start)) return {};
    for (std::size_t i = start.size(); i < line.size(); ++i) {
        if (line[i] == '\\') ++i;
        else if (line[i] == '"') return line.substr(0, i + 2);
    }
    return {};
}
constexpr std::string_view line_with_prefix(std::string_view lines, std::string_view prefix) {
    while (!lines.empty()) {
        const std::string_view line = take_line(lines);
        if (line.starts_with(prefix)) return line;
    }
    return {};
}
// How many column lines come before `line` in `lines`: the column's index in its table.
constexpr int column_index(std::string_view lines, std::string_view line) {
    int i = 0;
    while (!lines.empty()) {
        const std::string_view l = take_line(lines);
        if (l == line) return i;
        if (!column_prefix(l).empty()) ++i;
    }
    return -1;
}
constexpr std::string_view without_indent(std::string_view line) { return line.substr(line.find_first_not_of(' ')); }

}  // namespace detail

// The first way two schema texts differ (an empty message when they do not),
// said from the models' side: `table` is the index of the models' table it is
// about (among the tables of their text, in order), `column` the index of the
// models' column (-1 for none).
struct snapshot_difference {
    static constexpr std::size_t capacity = 1024;
    char text[capacity + 1]{};
    std::size_t size = 0;
    int table = -1;
    int column = -1;

    constexpr std::string_view message() const { return {text, size}; }
    constexpr explicit operator bool() const { return size != 0; }
    constexpr void put(std::string_view s) {
        for (char c : s)
            if (size < capacity) text[size++] = c;
    }
    constexpr void put(char c) { put(std::string_view(&c, 1)); }
};

// `migrations`: the snapshot of what the migrations leave; `models`: the
// models' text. A table of the models that the migrations do not leave, a
// line the models have that the migrations do not (a changed column shows
// both lines), a line the migrations leave that the models do not, a table
// the migrations leave that is none of the models'.
constexpr snapshot_difference first_snapshot_difference(std::string_view migrations, std::string_view models) {
    snapshot_difference d;
    std::string_view rest = models;
    int table = -1;
    while (!rest.empty()) {
        const std::string_view header = detail::take_line(rest);
        if (!detail::is_table_line(header)) continue;
        ++table;
        const detail::table_block ours = detail::find_table(models, header);
        const detail::table_block theirs = detail::find_table(migrations, header);
        const std::string_view name = header.substr(6);
        d.table = table;
        if (!theirs.found) {
            d.put("the models declare table ");
            d.put(name);
            d.put("; the migrations leave no such table");
            return d;
        }
        for (std::string_view lines = ours.lines; !lines.empty();) {
            const std::string_view line = detail::take_line(lines);
            if (detail::has_line(theirs.lines, line)) continue;
            const std::string_view prefix = detail::column_prefix(line);
            d.column = prefix.empty() ? -1 : detail::column_index(ours.lines, line);
            d.put(name);
            d.put(": the models have `");
            d.put(detail::without_indent(line));
            if (const std::string_view other =
                    prefix.empty() ? std::string_view{} : detail::line_with_prefix(theirs.lines, prefix);
                !other.empty()) {
                d.put("`; the migrations leave `");
                d.put(detail::without_indent(other));
                d.put("`");
            } else {
                d.put(prefix.empty() ? "`; the migrations do not" : "`; the migrations leave no such column");
            }
            return d;
        }
        for (std::string_view lines = theirs.lines; !lines.empty();) {
            const std::string_view line = detail::take_line(lines);
            if (detail::has_line(ours.lines, line)) continue;
            d.put(name);
            d.put(": the migrations leave `");
            d.put(detail::without_indent(line));
            d.put(detail::column_prefix(line).empty() ? "`; the models do not" : "`; the models have no such column");
            return d;
        }
    }
    d.table = -1;
    for (rest = migrations; !rest.empty();) {
        const std::string_view header = detail::take_line(rest);
        if (!detail::is_table_line(header) || detail::find_table(models, header).found) continue;
        d.put("the migrations leave table ");
        d.put(header.substr(6));
        d.put(", which is none of the models given");
        return d;
    }
    return d;
}

// The text of a schema value: a table at a time, as it has them.
inline std::string snapshot_text(const schema& s) {
    ctorm::detail::string_writer w;
    for (const table_schema& t : s.tables) {
        detail::put_table_line(w, t.name);
        for (const column_schema& c : t.columns)
            detail::put_column_line(w, c.name, c.type, c.max_length, c.nullable, c.default_value.kind,
                                    c.default_value.sql);
        if (!t.primary_key.empty()) detail::put_primary_key_line(w, t.primary_key);
        for (const unique_schema& u : t.uniques) detail::put_unique_line(w, u.columns);
        for (const index_schema& i : t.indexes) detail::put_index_line(w, i.name, i.columns, i.unique, i.where);
        for (const foreign_key_schema& k : t.foreign_keys)
            detail::put_foreign_key_line(w, k.columns, k.referred_table, k.referred_columns, k.on_delete, k.on_update);
        for (const check_schema& c : t.checks) detail::put_check_line(w, c.name);
    }
    return std::move(w.text);
}

// The text of the models' schema on dialect D, made at compile time.
template <class D, const auto&... Tables>
inline constexpr std::string_view models_snapshot_text =
    detail::rendered<detail::models_render<D, std::remove_cvref_t<decltype(Tables)>...>>::view();

// The same comparison at run time, for a program (or a test) to print.
inline snapshot_difference snapshot_differs(std::string_view migrations, const schema& models) {
    return first_snapshot_difference(migrations, snapshot_text(models));
}

// --- up_to_date -----------------------------------------------------------------

namespace detail {

template <std::size_t N>
struct difference_text {
    char text[N + 1]{};
};

template <int I, class... Ts>
using nth_or_void =
    std::conditional_t<(I >= 0),
                       std::tuple_element_t<static_cast<std::size_t>(I >= 0 ? I : 0), std::tuple<Ts..., void>>, void>;

template <std::size_t I, class List>
struct column_at;
template <std::size_t I, class... Cs>
struct column_at<I, type_list<Cs...>> {
    using type = std::tuple_element_t<I, std::tuple<Cs...>>;
};
template <class Table, int I>
struct nth_column {
    using type = void;
};
template <class Table, int I>
    requires(I >= 0 && !std::is_void_v<Table>)
struct nth_column<Table, I> {
    using type = typename column_at<static_cast<std::size_t>(I), typename Table::ctorm_columns>::type;
};

}  // namespace detail

// The rule: its arguments are the models' table and column it is about (void
// when there is none) and what differs (g++ prints it as text; clang 14 as
// character codes, for which snapshot_differs gives the same text at run time).
template <class Table, class Column, auto Difference>
struct assert_models_match_migrations {
    CTORM_DETAIL_RULE(
        "ctorm: migrate: the models differ from the schema the migrations leave (the table, the column and what "
        "differs are this rule's arguments): write a migration (migrate revision --autogenerate --from-migrations), "
        "add it to the registry and write the snapshot again (migrate snapshot)",
        sizeof(Difference.text) == 1);
};

namespace detail {
template <class Snapshot, class... Ts>
struct up_to_date_check {
    using dialect = typename Snapshot::dialect;
    static constexpr snapshot_difference difference =
        first_snapshot_difference(Snapshot::text, rendered<models_render<dialect, Ts...>>::view());
    static constexpr auto message = [] {
        difference_text<difference.size> m;
        for (std::size_t i = 0; i < difference.size; ++i) m.text[i] = difference.text[i];
        return m;
    }();
    using table = nth_or_void<difference.table, Ts...>;
    static constexpr bool value =
        assert_models_match_migrations<table, typename nth_column<table, difference.column>::type, message>::check();
};
}  // namespace detail

// static_assert(ctorm::migrate::up_to_date<migrations::schema_snapshot, users, posts>):
// compiles when the models declare exactly the schema of the snapshot (every
// table of it, as diff compares them); else the rule above fails, naming the
// first difference.
template <class Snapshot, const auto&... Tables>
inline constexpr bool up_to_date = detail::up_to_date_check<Snapshot, std::remove_cvref_t<decltype(Tables)>...>::value;

// The text of a header holding a snapshot: a struct `name` in namespace
// `migrations` with `dialect` (the dialect's type), `revision` and `text`.
// dialect: "sqlite" or "postgresql", as a migration file names it.
inline std::string snapshot_source(const schema& s, std::string_view dialect, std::string_view revision,
                                   std::string_view name = "schema_snapshot") {
    const std::string_view type = dialect == "postgresql" ? "ctorm::postgres_dialect" : "ctorm::sqlite_dialect";
    const std::string_view header = dialect == "postgresql" ? "ctorm/dialect/postgres.hpp" : "ctorm/dialect/sqlite.hpp";
    std::string out;
    out += "// clang-format off\n// The schema the migrations leave at revision ";
    out += revision.empty() ? std::string_view("base") : revision;
    out += " (";
    out += dialect;
    out +=
        "), written by `migrate snapshot`:\n"
        "// static_assert(ctorm::migrate::up_to_date<migrations::";
    out += name;
    out +=
        ", tables...>) checks the models against it.\n"
        "// Generated: write it again (migrate snapshot) after adding a migration.\n"
        "#pragma once\n\n#include <string_view>\n\n#include <";
    out += header;
    out += ">\n#include <ctorm/migrate/snapshot.hpp>\n\nnamespace migrations {\n\nstruct ";
    out += name;
    out += " {\n    using dialect = ";
    out += type;
    out += ";\n    static constexpr std::string_view revision = \"";
    out += revision;
    out += "\";\n    static constexpr std::string_view text = R\"ctorm(";
    out += snapshot_text(s);
    out += ")ctorm\";\n};\n\n}  // namespace migrations\n";
    return out;
}

}  // namespace ctorm::migrate
