// CREATE TABLE / CREATE INDEX / DROP TABLE text for a table type, and the
// foreign-key order in which create_all and drop_all visit several tables
// (with ALTER TABLE for the foreign keys that close a cycle, where needed).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ctorm/meta/type_list.hpp"
#include "ctorm/schema/column.hpp"
#include "ctorm/schema/keys.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/sql/render.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm {

namespace detail {

template <class W>
constexpr void render_fk_action(W& w, fk_action a) {
    switch (a) {
        case fk_action::cascade: w.put("CASCADE"); break;
        case fk_action::set_null: w.put("SET NULL"); break;
        case fk_action::set_default: w.put("SET DEFAULT"); break;
        case fk_action::restrict: w.put("RESTRICT"); break;
        case fk_action::no_action: w.put("NO ACTION"); break;
        case fk_action::none: break;
    }
}

template <class D, class W>
constexpr void render_literal(W& w, const literal& l) {
    switch (l.kind) {
        case literal_kind::boolean: D::render_boolean_literal(w, l.integer != 0); break;
        case literal_kind::integer: w.put_signed(l.integer); break;
        case literal_kind::real: {
            double v = l.real;
            if (v < 0) {
                w.put('-');
                v = -v;
            }
            auto whole = static_cast<std::uint64_t>(v);
            auto fraction = static_cast<std::uint64_t>((v - static_cast<double>(whole)) * 1e6 + 0.5);
            if (fraction >= 1000000) {
                ++whole;
                fraction -= 1000000;
            }
            w.put_number(whole);
            w.put('.');
            for (std::uint64_t scale = 100000; scale > 0; scale /= 10) w.put(char('0' + (fraction / scale) % 10));
            break;
        }
        case literal_kind::text:
            w.put('\'');
            for (char c : l.text) {
                if (c == '\'') w.put('\'');
                w.put(c);
            }
            w.put('\'');
            break;
        case literal_kind::none: break;
    }
}

// Does a column with options o have a DEFAULT clause, and its expression:
// default_value(v)'s literal, or server_default(now()) / (current_date()).
// The migration layer reads the same text (migrate/schema_of.hpp).
constexpr bool has_default_expression(const column_options& o) {
    return o.default_value.kind != literal_kind::none || o.server_default == server_default_kind::now ||
           o.server_default == server_default_kind::current_date;
}
template <class D, class W>
constexpr void render_default_expression(W& w, const column_options& o) {
    if (o.default_value.kind != literal_kind::none) render_literal<D>(w, o.default_value);
    else if (o.server_default == server_default_kind::now) D::render_now(w);
    else if (o.server_default == server_default_kind::current_date) D::render_current_date(w);
}

template <class W, class... Cs>
constexpr void render_column_names(W& w) {
    [[maybe_unused]] bool first = true;
    ((first ? void(first = false) : w.put(", "), put_quoted(w, Cs::sql_name)), ...);
}
template <class W, class... Cs>
constexpr void render_column_list(W& w, type_list<Cs...>) {
    render_column_names<W, Cs...>(w);
}

// REFERENCES "users" ("id") ON DELETE CASCADE
template <class W, class... Targets>
constexpr void render_references(W& w, type_list<Targets...>, fk_action on_delete, fk_action on_update) {
    w.put("REFERENCES ");
    put_quoted(w, std::tuple_element_t<0, std::tuple<Targets...>>::table_type::ctorm_sql_name);
    w.put(" (");
    render_column_names<W, Targets...>(w);
    w.put(')');
    if (on_delete != fk_action::none) {
        w.put(" ON DELETE ");
        render_fk_action(w, on_delete);
    }
    if (on_update != fk_action::none) {
        w.put(" ON UPDATE ");
        render_fk_action(w, on_update);
    }
}

// Bit k of a table's deferred mask: its k-th foreign key (foreign_keys_t order)
// is left out of CREATE TABLE and added by ALTER TABLE once every table exists.
using deferred_mask = std::uint64_t;

constexpr bool is_deferred(deferred_mask deferred, std::size_t k) { return k < 64 && ((deferred >> k) & 1u) != 0; }

template <class D, class Table, class C, class W>
constexpr void render_column_definition(W& w, deferred_mask deferred, std::size_t& foreign_key) {
    using traits = column_traits<C>;
    constexpr column_options o = traits::options;
    put_quoted(w, C::sql_name);
    w.put(' ');
    D::template render_column_type<C>(w);
    if constexpr (traits::autoincrement_key) {
        D::render_autoincrement_key(w);
    } else {
        if constexpr (!traits::nullable) w.put(" NOT NULL");
        if constexpr (o.primary_key && Table::ctorm_primary_key_count == 1) w.put(" PRIMARY KEY");
    }
    if constexpr (o.unique && !o.index) w.put(" UNIQUE");
    if constexpr (has_default_expression(o)) {
        w.put(" DEFAULT ");
        render_default_expression<D>(w, o);
    }
    if constexpr (o.varchar_length > 0 && category_of<typename C::value_type>() == category::string)
        D::template render_length_check<C>(w, o.varchar_length);
    using target = column_foreign_key_target<C>;
    if constexpr (!std::is_void_v<target>) {
        if (!is_deferred(deferred, foreign_key++)) {
            w.put(' ');
            render_references<W>(w, type_list<target>{}, o.on_delete, o.on_update);
        }
    }
}

template <class W, class... Cs>
constexpr void render_index_name(W& w, std::string_view table) {
    w.put("\"ix_");
    w.put(table);
    ((w.put('_'), w.put(Cs::sql_name)), ...);
    w.put('"');
}

template <class W, class C>
constexpr void render_column_pk(W& w, bool& first) {
    if constexpr (column_traits<C>::options.primary_key) {
        if (!first) w.put(", ");
        first = false;
        put_quoted(w, C::sql_name);
    }
}

template <class Constraint>
struct table_constraint_text {
    template <class W>
    static constexpr void render_inline(W&) {}
    template <class W>
    static constexpr void render_index(W&, std::string_view) {}
};
template <class... Cs>
struct table_constraint_text<composite_primary_key<Cs...>> {
    template <class W>
    static constexpr void render_inline(W& w) {
        w.put(", PRIMARY KEY (");
        render_column_names<W, Cs...>(w);
        w.put(')');
    }
    template <class W>
    static constexpr void render_index(W&, std::string_view) {}
};
template <class... Cs>
struct table_constraint_text<composite_unique<Cs...>> {
    template <class W>
    static constexpr void render_inline(W& w) {
        w.put(", UNIQUE (");
        render_column_names<W, Cs...>(w);
        w.put(')');
    }
    template <class W>
    static constexpr void render_index(W&, std::string_view) {}
};
template <class... Cs>
struct table_constraint_text<composite_index<Cs...>> {
    template <class W>
    static constexpr void render_inline(W&) {}
    template <class W>
    static constexpr void render_index(W& w, std::string_view table) {
        w.put("; CREATE INDEX IF NOT EXISTS ");
        render_index_name<W, Cs...>(w, table);
        w.put(" ON ");
        put_quoted(w, table);
        w.put(" (");
        render_column_names<W, Cs...>(w);
        w.put(')');
    }
};

// , FOREIGN KEY ("manager_id") REFERENCES "employees" ("id"), unless deferred.
template <class W, class Constraint>
constexpr void render_constraint_foreign_key(W& w, const Constraint& k, deferred_mask deferred,
                                             std::size_t& foreign_key) {
    if constexpr (is_foreign_key_constraint<Constraint>) {
        if (!is_deferred(deferred, foreign_key++)) {
            w.put(", FOREIGN KEY (");
            render_column_list<W>(w, typename Constraint::columns{});
            w.put(") ");
            render_references<W>(w, typename Constraint::targets{}, k.delete_action, k.update_action);
        }
    }
}

template <class Table, class Columns, class Constraints, deferred_mask Deferred = 0>
struct create_table_text;
template <class Table, class... Cs, class... Ks, deferred_mask Deferred>
struct create_table_text<Table, type_list<Cs...>, std::tuple<Ks...>, Deferred> {
    template <class D, class W>
    static constexpr void render(W& w) {
        constexpr std::string_view name = Table::ctorm_sql_name;
        w.put("CREATE TABLE IF NOT EXISTS ");
        put_quoted(w, name);
        w.put(" (");
        [[maybe_unused]] bool first = true;
        [[maybe_unused]] std::size_t foreign_key = 0;
        ((first ? void(first = false) : w.put(", "), render_column_definition<D, Table, Cs>(w, Deferred, foreign_key)),
         ...);
        if constexpr (Table::ctorm_primary_key_count > 1) {
            w.put(", PRIMARY KEY (");
            bool first_key = true;
            (render_column_pk<W, Cs>(w, first_key), ...);
            w.put(')');
        }
        (table_constraint_text<Ks>::render_inline(w), ...);
        if constexpr (sizeof...(Ks) > 0) {
            std::apply([&](const auto&... k) { (render_constraint_foreign_key(w, k, Deferred, foreign_key), ...); },
                       constraints_of<Table>());
        }
        w.put(')');
        w.put(D::table_suffix);
        ((column_traits<Cs>::options.index ? render_column_index<W, Cs>(w, name) : void()), ...);
        (table_constraint_text<Ks>::render_index(w, name), ...);
    }

    template <class W, class C>
    static constexpr void render_column_index(W& w, std::string_view name) {
        w.put(column_traits<C>::options.unique ? "; CREATE UNIQUE INDEX IF NOT EXISTS "
                                               : "; CREATE INDEX IF NOT EXISTS ");
        render_index_name<W, C>(w, name);
        w.put(" ON ");
        put_quoted(w, name);
        w.put(" (");
        put_quoted(w, C::sql_name);
        w.put(')');
    }
};

// The names of the tables T's foreign keys point at, in foreign_keys_t order.
template <class ForeignKeys>
struct foreign_key_target_names;
template <class... Ks>
struct foreign_key_target_names<type_list<Ks...>> {
    static constexpr std::array<std::string_view, sizeof...(Ks)> names{Ks::target_table::ctorm_sql_name...};
};

// The order in which create_all creates Ts... (indexes into Ts...), each table
// after the tables it references; and, where foreign keys form a cycle, those
// of each table that point at a table not created yet (deferred[i], a mask
// over table i's foreign keys), for the dialects that add them afterwards.
template <std::size_t N>
struct creation_plan {
    std::array<std::size_t, N> order{};
    std::array<deferred_mask, N> deferred{};
    std::size_t deferring_tables = 0;  // how many deferred[i] are not 0
};

template <class... Ts>
constexpr creation_plan<sizeof...(Ts)> plan_creation() {
    constexpr std::size_t n = sizeof...(Ts);
    static_assert(((foreign_keys_t<Ts>::size <= 64) && ...), "ctorm: create_all takes up to 64 foreign keys per table");
    constexpr std::array<std::string_view, n> names{Ts::ctorm_sql_name...};
    constexpr std::array<const std::string_view*, n> targets{
        foreign_key_target_names<foreign_keys_t<Ts>>::names.data()...};
    constexpr std::array<std::size_t, n> target_counts{foreign_keys_t<Ts>::size...};
    creation_plan<n> plan{};
    std::array<bool, n> placed{};
    // Does foreign key k of table `me` point at another table of Ts... not created yet?
    auto waits = [&](std::size_t me, std::size_t k) {
        for (std::size_t j = 0; j < n; ++j)
            if (j != me && !placed[j] && names[j] == targets[me][k]) return true;
        return false;
    };
    std::size_t count = 0;
    while (count < n) {
        bool progress = false;
        for (std::size_t me = 0; me < n; ++me) {
            if (placed[me]) continue;
            bool ready = true;
            for (std::size_t k = 0; k < target_counts[me] && ready; ++k) ready = !waits(me, k);
            if (!ready) continue;
            placed[me] = true;
            plan.order[count++] = me;
            progress = true;
        }
        if (progress) continue;
        // A cycle: the first waiting table is created now, and its references
        // to the tables not created yet are added once they exist.
        std::size_t me = 0;
        while (placed[me]) ++me;
        for (std::size_t k = 0; k < target_counts[me]; ++k)
            if (waits(me, k)) plan.deferred[me] |= deferred_mask{1} << k;
        ++plan.deferring_tables;
        placed[me] = true;
        plan.order[count++] = me;
    }
    return plan;
}

}  // namespace detail

// DDL text may hold several statements (CREATE TABLE; CREATE INDEX ...); the
// adapters run it as a script, not as one prepared statement.
struct script_traits : detail::no_rows_traits {
    static constexpr bool is_script = true;
};

template <table_type T>
struct create_table_statement {
    struct traits : script_traits {};
    template <class D, class W>
    static constexpr void render(W& w) {
        detail::create_table_text<T, typename T::ctorm_columns,
                                  typename table_traits<T>::constraints>::template render<D>(w);
    }
    template <class F>
    constexpr void visit_params(F&) const {}
};

template <table_type T>
struct drop_table_statement {
    struct traits : script_traits {};
    template <class D, class W>
    static constexpr void render(W& w) {
        w.put("DROP TABLE IF EXISTS ");
        detail::put_quoted(w, T::ctorm_sql_name);
    }
    template <class F>
    constexpr void visit_params(F&) const {}
};

namespace detail {

// DROP TABLE inside drop_all: with CASCADE where the dialect drops dependent
// foreign keys that way (PostgreSQL), so tables outside the list that point
// at these do not stop the drop.
template <table_type T>
struct drop_all_table_statement {
    struct traits : script_traits {};
    template <class D, class W>
    static constexpr void render(W& w) {
        drop_table_statement<T>::template render<D>(w);
        if constexpr (requires { requires D::drop_cascades; }) w.put(" CASCADE");
    }
};

// Does CREATE TABLE in D need the tables its foreign keys name to exist
// already (PostgreSQL), so that a cycle of foreign keys is closed by ALTER
// TABLE? A dialect says so with `static constexpr bool
// foreign_keys_need_target = true;`. SQLite checks foreign keys only when rows
// change and cannot add one to a table: there every foreign key stays in
// CREATE TABLE.
template <class D>
inline constexpr bool foreign_keys_need_target = requires {
    requires D::foreign_keys_need_target;
};

// CREATE TABLE inside create_all, without the foreign keys in Deferred.
template <table_type T, deferred_mask Deferred>
struct create_all_table_statement {
    struct traits : script_traits {};
    template <class D, class W>
    static constexpr void render(W& w) {
        create_table_text<T, typename T::ctorm_columns, typename table_traits<T>::constraints,
                          Deferred>::template render<D>(w);
    }
};

// "departments_manager_id_fkey": the name PostgreSQL gives an unnamed foreign
// key, so a constraint has the same name however create_all made it.
template <class W, class T, class... Cs>
constexpr void render_foreign_key_name(W& w, type_list<Cs...>) {
    w.put('"');
    w.put(T::ctorm_sql_name);
    ((w.put('_'), w.put(Cs::sql_name)), ...);
    w.put("_fkey\"");
}

// The deferred foreign keys of T, added once every table exists; DROP ... IF
// EXISTS first, so that create_all can run again on an existing schema.
template <table_type T, deferred_mask Deferred>
struct add_foreign_keys_statement {
    struct traits : script_traits {};
    template <class D, class W>
    static constexpr void render(W& w) {
        std::size_t k = 0;
        bool first = true;
        std::apply([&](const auto&... fk) { (render_one(w, fk, k++, first), ...); }, foreign_keys_of<T>());
    }
    template <class W, class K>
    static constexpr void render_one(W& w, const K& fk, std::size_t k, bool& first) {
        if (!is_deferred(Deferred, k)) return;
        if (!first) w.put("; ");
        first = false;
        w.put("ALTER TABLE ");
        put_quoted(w, T::ctorm_sql_name);
        w.put(" DROP CONSTRAINT IF EXISTS ");
        render_foreign_key_name<W, T>(w, typename K::columns{});
        w.put(", ADD CONSTRAINT ");
        render_foreign_key_name<W, T>(w, typename K::columns{});
        w.put(" FOREIGN KEY (");
        render_column_list<W>(w, typename K::columns{});
        w.put(") ");
        render_references<W>(w, typename K::targets{}, fk.delete_action, fk.update_action);
    }
};

template <class D, class T, deferred_mask Deferred>
constexpr std::string_view create_all_table_text() {
    if constexpr (Deferred == 0) return sql_text<D, create_table_statement<T>>::view;
    else return sql_text<D, create_all_table_statement<T, Deferred>>::view;
}
template <class D, class T, deferred_mask Deferred>
constexpr std::string_view add_foreign_keys_text() {
    if constexpr (Deferred == 0) return {};
    else return sql_text<D, add_foreign_keys_statement<T, Deferred>>::view;
}

template <class D, class... Ts>
struct create_all_scripts {
    static constexpr auto plan = plan_creation<Ts...>();
    static constexpr bool defer = foreign_keys_need_target<D>;
    static constexpr std::size_t n = sizeof...(Ts);
    template <std::size_t... I>
    static constexpr auto texts(std::index_sequence<I...>) {
        constexpr std::array<std::string_view, n> tables{create_all_table_text < D, Ts,
                                                         defer ? plan.deferred[I] : 0 > ()...};
        constexpr std::array<std::string_view, n> alters{add_foreign_keys_text < D, Ts,
                                                         defer ? plan.deferred[I] : 0 > ()...};
        std::array<std::string_view, n + (defer ? plan.deferring_tables : 0)> out{};
        for (std::size_t i = 0; i < n; ++i) out[i] = tables[plan.order[i]];
        std::size_t next = n;
        for (std::size_t i = 0; i < n; ++i)
            if (!alters[plan.order[i]].empty()) out[next++] = alters[plan.order[i]];
        return out;
    }
};

// The scripts create_all runs, in order, in one transaction: each table after
// the tables its foreign keys point at; then, where D needs it, one ALTER
// TABLE script per table whose foreign keys close a cycle.
template <class D, table_type... Ts>
constexpr auto create_all_texts() {
    return create_all_scripts<D, Ts...>::texts(std::make_index_sequence<sizeof...(Ts)>{});
}

// The script D runs before drop_all drops tables whose foreign keys form a
// cycle (SQLite: defer the foreign key checks to COMMIT); none when D has none.
template <class D>
constexpr std::string_view drop_all_prefix() {
    if constexpr (requires { D::drop_all_prefix; }) return D::drop_all_prefix;
    else return {};
}

// The scripts drop_all runs, in order, in one transaction: the tables in the
// reverse of create_all's, after D's drop_all_prefix where their foreign keys
// form a cycle. Only there: without a cycle every referencing table is dropped
// before the tables it references, and inside a caller's transaction the
// prefix would change how that transaction checks foreign keys until its end.
template <class D, table_type... Ts>
constexpr auto drop_all_texts() {
    constexpr auto plan = plan_creation<Ts...>();
    constexpr std::string_view prefix = plan.deferring_tables > 0 ? drop_all_prefix<D>() : std::string_view{};
    constexpr std::size_t first = prefix.empty() ? 0 : 1;
    constexpr std::array<std::string_view, sizeof...(Ts)> texts{sql_text<D, drop_all_table_statement<Ts>>::view...};
    std::array<std::string_view, first + sizeof...(Ts)> out{};
    if constexpr (first == 1) out[0] = prefix;
    for (std::size_t i = 0; i < plan.order.size(); ++i) out[first + i] = texts[plan.order[plan.order.size() - 1 - i]];
    return out;
}

// --- enum types (PostgreSQL) ----------------------------------------------------
// The enums stored by name (CTORM_ENUM) that columns of Ts... hold, each once.
template <class Columns>
struct named_enums_of_columns;
template <class... Cs>
struct named_enums_of_columns<type_list<Cs...>> {
    using type =
        meta::concat<type_list<>, std::conditional_t<named_enum<non_null_t<typename Cs::value_type>>,
                                                     type_list<non_null_t<typename Cs::value_type>>, type_list<>>...>;
};
template <class... Ts>
using named_enums_of =
    meta::set_union<type_list<>,
                    meta::concat<type_list<>, typename named_enums_of_columns<typename Ts::ctorm_columns>::type...>>;

// CREATE TYPE "status" AS ENUM ('todo', 'doing', 'done') where the schema
// has no type of that name (PostgreSQL has no IF NOT EXISTS for it), as
// create_all's tables. A type of that name that is not this enum (another
// enum's labels or order, a table's row type) raises 42710 naming both: the
// columns would otherwise silently get it.
template <class E>
struct create_enum_type_statement {
    struct traits : script_traits {};
    template <class W>
    static constexpr void put_labels(W& w, std::string_view quote = "'") {
        bool first = true;
        for (const auto& entry : enum_names<E>.entries) {
            if (!first) w.put(", ");
            first = false;
            w.put(quote);
            w.put(entry.name);
            w.put(quote);
        }
    }
    template <class D, class W>
    static constexpr void render(W& w) {
        w.put("DO $$ DECLARE kind \"char\"; BEGIN SELECT t.typtype INTO kind FROM pg_type t WHERE t.typname = '");
        w.put(enum_sql_name<E>);
        w.put("' AND t.typnamespace = current_schema()::regnamespace; IF kind IS NULL THEN BEGIN CREATE TYPE ");
        put_quoted(w, enum_sql_name<E>);
        w.put(" AS ENUM (");
        put_labels(w);
        w.put("); EXCEPTION WHEN duplicate_object THEN NULL; END; ELSIF kind <> 'e' THEN ");
        raise(w);
        w.put(" ELSIF enum_range(NULL::");
        put_quoted(w, enum_sql_name<E>);
        w.put(")::text[] <> ARRAY[");
        put_labels(w);
        w.put("]::text[] THEN ");
        raise(w);
        w.put(" END IF; END $$");
    }
    template <class W>
    static constexpr void raise(W& w) {
        w.put("RAISE EXCEPTION 'ctorm: the type \"");
        w.put(enum_sql_name<E>);
        w.put("\" exists and is not the enum ");
        w.put(enum_names<E>.type_name);
        w.put(" (");
        put_labels(w, "");  // inside the message's literal
        w.put(
            ") that CTORM_ENUM declares: ALTER TYPE ... ADD VALUE, or give one of them another name' USING "
            "ERRCODE = '42710';");
    }
};

template <class D>
inline constexpr bool native_enums = requires {
    requires D::native_enums;
};

template <class D, class Enums>
struct enum_type_texts {
    static constexpr std::array<std::string_view, 0> value{};
};
template <class D, class... Es>
    requires native_enums<D>
struct enum_type_texts<D, type_list<Es...>> {
    static constexpr std::array<std::string_view, sizeof...(Es)> value{
        sql_text<D, create_enum_type_statement<Es>>::view...};
};

template <class A, class B>
constexpr auto concat_texts(const A& a, const B& b) {
    std::array<std::string_view, std::tuple_size_v<A> + std::tuple_size_v<B>> out{};
    std::size_t i = 0;
    for (std::string_view t : a) out[i++] = t;
    for (std::string_view t : b) out[i++] = t;
    return out;
}

// create_all: the enum types first (PostgreSQL), then the tables. drop_all
// leaves the enum types: a statement a connection prepared keeps the type it
// resolved, and one made again under the same name would be another type to it
// (XX000, "cache lookup failed for type"), on every connection of a pool.
template <class D, table_type... Ts>
inline constexpr auto create_all_texts_v = concat_texts(enum_type_texts<D, named_enums_of<Ts...>>::value,
                                                        create_all_texts<D, Ts...>());
template <class D, table_type... Ts>
inline constexpr auto drop_all_texts_v = drop_all_texts<D, Ts...>();

}  // namespace detail

template <table_type T>
constexpr create_table_statement<T> create_table(const T&) {
    return {};
}
template <table_type T>
constexpr drop_table_statement<T> drop_table(const T&) {
    return {};
}

}  // namespace ctorm
