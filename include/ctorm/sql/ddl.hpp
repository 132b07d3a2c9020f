// CREATE TABLE / CREATE INDEX / DROP TABLE text for a table type, and the
// foreign-key order in which create_all and drop_all visit several tables.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "ctorm/meta/type_list.hpp"
#include "ctorm/schema/column.hpp"
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

template <class D, class Table, class C, class W>
constexpr void render_column_definition(W& w) {
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
    if constexpr (o.default_value.kind != literal_kind::none) {
        w.put(" DEFAULT ");
        render_literal<D>(w, o.default_value);
    } else if constexpr (o.server_default == server_default_kind::now) {
        w.put(" DEFAULT ");
        D::render_now(w);
    } else if constexpr (o.server_default == server_default_kind::current_date) {
        w.put(" DEFAULT ");
        D::render_current_date(w);
    }
    if constexpr (o.varchar_length > 0 && category_of<typename C::value_type>() == category::string)
        D::template render_length_check<C>(w, o.varchar_length);
    if constexpr (!o.fk_table.empty()) {
        w.put(" REFERENCES ");
        put_quoted(w, o.fk_table);
        w.put(" (");
        put_quoted(w, o.fk_column);
        w.put(')');
        if constexpr (o.on_delete != fk_action::none) {
            w.put(" ON DELETE ");
            render_fk_action(w, o.on_delete);
        }
        if constexpr (o.on_update != fk_action::none) {
            w.put(" ON UPDATE ");
            render_fk_action(w, o.on_update);
        }
    }
}

template <class W, class... Cs>
constexpr void render_column_names(W& w) {
    [[maybe_unused]] bool first = true;
    ((first ? void(first = false) : w.put(", "), put_quoted(w, Cs::sql_name)), ...);
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

template <class Table, class Columns, class Constraints>
struct create_table_text;
template <class Table, class... Cs, class... Ks>
struct create_table_text<Table, type_list<Cs...>, std::tuple<Ks...>> {
    template <class D, class W>
    static constexpr void render(W& w) {
        constexpr std::string_view name = Table::ctorm_sql_name;
        w.put("CREATE TABLE IF NOT EXISTS ");
        put_quoted(w, name);
        w.put(" (");
        [[maybe_unused]] bool first = true;
        ((first ? void(first = false) : w.put(", "), render_column_definition<D, Table, Cs>(w)), ...);
        if constexpr (Table::ctorm_primary_key_count > 1) {
            w.put(", PRIMARY KEY (");
            bool first_key = true;
            (render_column_pk<W, Cs>(w, first_key), ...);
            w.put(')');
        }
        (table_constraint_text<Ks>::render_inline(w), ...);
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

// The names of the tables T's foreign keys point at.
template <class Columns>
struct fk_targets;
template <class... Cs>
struct fk_targets<type_list<Cs...>> {
    static constexpr std::array<std::string_view, sizeof...(Cs)> names{column_traits<Cs>::options.fk_table...};
};

// Indexes into Ts... so that every table comes after the tables it references.
template <class... Ts>
constexpr std::array<std::size_t, sizeof...(Ts)> creation_order() {
    constexpr std::size_t n = sizeof...(Ts);
    constexpr std::array<std::string_view, n> names{Ts::ctorm_sql_name...};
    std::array<std::size_t, n> order{};
    std::array<bool, n> placed{};
    std::size_t count = 0;
    bool progress = true;
    while (count < n && progress) {
        progress = false;
        std::size_t i = 0;
        (
            [&] {
                const std::size_t me = i++;
                if (placed[me]) return;
                for (std::string_view target : fk_targets<typename Ts::ctorm_columns>::names) {
                    if (target.empty() || target == names[me]) continue;
                    for (std::size_t j = 0; j < n; ++j)
                        if (names[j] == target && !placed[j]) return;
                }
                placed[me] = true;
                order[count++] = me;
                progress = true;
            }(),
            ...);
    }
    if (count < n) throw "ctorm: the foreign keys of these tables form a cycle; create them in two steps";
    return order;
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

// The scripts create_all runs, in order, in one transaction: each table after
// the tables its foreign keys point at.
template <class D, table_type... Ts>
constexpr auto create_all_texts() {
    constexpr auto order = creation_order<Ts...>();
    constexpr std::array<std::string_view, sizeof...(Ts)> texts{sql_text<D, create_table_statement<Ts>>::view...};
    std::array<std::string_view, sizeof...(Ts)> out{};
    for (std::size_t i = 0; i < order.size(); ++i) out[i] = texts[order[i]];
    return out;
}

// The scripts drop_all runs, in order: the reverse of create_all's.
template <class D, table_type... Ts>
constexpr auto drop_all_texts() {
    constexpr auto order = creation_order<Ts...>();
    constexpr std::array<std::string_view, sizeof...(Ts)> texts{sql_text<D, drop_all_table_statement<Ts>>::view...};
    std::array<std::string_view, sizeof...(Ts)> out{};
    for (std::size_t i = 0; i < order.size(); ++i) out[i] = texts[order[order.size() - 1 - i]];
    return out;
}

template <class D, table_type... Ts>
inline constexpr auto create_all_texts_v = create_all_texts<D, Ts...>();
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
