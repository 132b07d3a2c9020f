// The PostgreSQL dialect: $1 … $n placeholders, native types (NUMERIC, UUID,
// JSONB, arrays too), identity keys, ILIKE.
#pragma once

#include <cstddef>
#include <string_view>

#include "ctorm/schema/column.hpp"
#include "ctorm/schema/extended_types.hpp"
#include "ctorm/schema/types.hpp"
#include "ctorm/sql/render.hpp"

namespace ctorm {

struct postgres_dialect {
    static constexpr std::string_view name = "postgresql";
    // SUM(bigint) / AVG(integer) give NUMERIC, which needs a cast to come back as C++ numbers.
    static constexpr bool numeric_aggregates = true;
    static constexpr bool supports_for_update = true;
    // drop_all's DROP TABLE takes the foreign keys of other tables with it.
    static constexpr bool drop_cascades = true;
    // CREATE TABLE's REFERENCES needs its table to exist: create_all closes a cycle of foreign keys by ALTER TABLE.
    static constexpr bool foreign_keys_need_target = true;

    template <class W>
    static constexpr void placeholder(W& w) {
        w.put('$');
        w.put_number(++w.params);
    }

    // ILIKE under the C collation folds ASCII letters only, as SQLite's LIKE
    // does; the database's own collation (C.UTF-8, en_US.UTF-8) would also
    // match 'É' with 'é' on PostgreSQL and not on SQLite.
    template <class E, class P, bool Negated, class W>
    static constexpr void render_ilike(W& w) {
        render_ascii_text<E>(w);
        w.put(Negated ? " NOT ILIKE " : " ILIKE ");
        detail::render_node<postgres_dialect, P>(w);
    }
    // The operand of lower() / upper() / ILIKE: under COLLATE "C", PostgreSQL
    // folds ASCII letters only, whatever the database's locale; so do SQLite's
    // lower() and LIKE, and so the result is the same on both.
    template <class E, class W>
    static constexpr void render_ascii_text(W& w) {
        detail::render_child<E, W, postgres_dialect>(w, detail::precedence::primary);
        w.put(" COLLATE \"C\"");
    }
    // cast<std::string>() of a boolean: PostgreSQL's own text, 'true' / 'false'.
    template <class E, class W>
    static constexpr void render_boolean_text(W& w) {
        w.put("CAST(");
        detail::render_node<postgres_dialect, E>(w);
        w.put(" AS TEXT)");
    }
    // round(x) half away from zero, as SQLite computes it (trunc(|x| + 0.5)
    // with x's sign): PostgreSQL's own round(double precision) rounds half to
    // even (round(2.5) is 2). x is written twice, with the same placeholders.
    template <class E, class W>
    static constexpr void render_round(W& w) {
        const unsigned first = w.params;
        w.put("(sign(");
        detail::render_node<postgres_dialect, E>(w);
        w.put(") * floor(abs(");
        detail::render_node_again<postgres_dialect, E>(w, first);
        w.put(") + 0.5))");
    }
    // divide<S>(a, b), exactly as ctorm::numeric::divide: div() truncates the
    // quotient of two numerics towards zero, exactly, here at S + 1 places;
    // round() of a numeric then halves away from zero to S. A divisor of 0
    // gives NULL (NULLIF), as SQLite's ctorm_numeric_divide does.
    template <class A, class B, std::size_t Scale, class W>
    static constexpr void render_numeric_divide(W& w) {
        w.put("round(div(CAST(");
        detail::render_node<postgres_dialect, A>(w);
        w.put(" AS NUMERIC) * 1");
        for (std::size_t i = 0; i <= Scale; ++i) w.put('0');
        w.put(", NULLIF(CAST(");
        detail::render_node<postgres_dialect, B>(w);
        w.put(" AS NUMERIC), 0)) * 0.");
        for (std::size_t i = 0; i < Scale; ++i) w.put('0');
        w.put("1, ");
        w.put_number(Scale);
        w.put(')');
    }
    // CAST(real or numeric AS an integer type) rounds on PostgreSQL and
    // truncates on SQLite; ctorm truncates (as C++ does), writing trunc() here.
    static constexpr bool cast_to_integer_rounds = true;
    // x / 0 and x % 0 raise 22012 here and are NULL on SQLite: a divisor that is
    // an expression is written NULLIF(divisor, 0), so both give NULL (sql/functions.hpp).
    static constexpr bool division_by_zero_raises = true;

    // in_(list) with a run-time list, bound as one array (an enum stored by
    // name: text[], cast to the enum type's array).
    template <bool Negated, class Element, class W>
    static constexpr void render_in_array(W& w) {
        w.put(Negated ? " <> ALL(" : " = ANY(");
        if constexpr (named_enum<Element>) {
            w.put("CAST(");
            placeholder(w);
            w.put(" AS ");
            detail::put_quoted(w, enum_sql_name<Element>);
            w.put("[])");
        } else {
            placeholder(w);
        }
        w.put(')');
    }
    // A value of an enum stored by name: its name, cast to the enum type
    // (CREATE TYPE ... AS ENUM, made by create_all), so that it has that type
    // wherever it stands.
    static constexpr bool native_enums = true;
    template <class E, class W>
    static constexpr void render_enum_param(W& w) {
        w.put("CAST(");
        placeholder(w);
        w.put(" AS ");
        detail::put_quoted(w, enum_sql_name<E>);
        w.put(')');
    }

    template <bool Limit, bool Offset, class W>
    static constexpr void render_limit_offset(W& w) {
        if constexpr (Limit) {
            w.put(" LIMIT ");
            placeholder(w);
        }
        if constexpr (Offset) {
            w.put(" OFFSET ");
            placeholder(w);
        }
    }

    static constexpr std::string_view table_suffix = "";

    // The type name of a scalar C++ type (std::optional removed; enums by their underlying type).
    template <class T0, class W>
    static constexpr void render_scalar_type(W& w) {
        using U = non_null_t<T0>;
        using T = typename std::conditional_t<std::is_enum_v<U>, std::underlying_type<U>, std::type_identity<U>>::type;
        constexpr category c = category_of<T>();
        if constexpr (named_enum<U>) detail::put_quoted(w, enum_sql_name<U>);
        else if constexpr (c == category::boolean) w.put("BOOLEAN");
        else if constexpr (c == category::integer) {
            if constexpr (sizeof(T) == 1 || (sizeof(T) == 2 && std::is_signed_v<T>)) w.put("SMALLINT");
            else if constexpr (sizeof(T) == 2 || (sizeof(T) == 4 && std::is_signed_v<T>)) w.put("INTEGER");
            else w.put("BIGINT");
        } else if constexpr (c == category::real) w.put(sizeof(T) == 4 ? "REAL" : "DOUBLE PRECISION");
        else if constexpr (c == category::bytes) w.put("BYTEA");
        else if constexpr (c == category::time_point) w.put("TIMESTAMP WITH TIME ZONE");
        else if constexpr (c == category::calendar_date) w.put("DATE");
        else if constexpr (c == category::clock_time) w.put("TIME WITHOUT TIME ZONE");  // format_type()'s words
        else if constexpr (c == category::decimal) w.put("NUMERIC");
        else if constexpr (c == category::uuid) w.put("UUID");
        else if constexpr (c == category::json) w.put("JSONB");
        else if constexpr (c == category::array) {
            render_scalar_type<sql_array_element_t<T>>(w);
            w.put("[]");
        } else w.put("TEXT");
    }

    template <class T>
    static constexpr bool text_array() {
        if constexpr (is_sql_array_v<T>) return category_of<sql_array_element_t<T>>() == category::string;
        else return false;
    }

    template <class Column, class W>
    static constexpr void render_column_type(W& w) {
        using T = typename Column::value_type;
        constexpr category c = category_of<T>();
        constexpr auto options = column_traits<Column>::options;
        constexpr auto precision = detail::numeric_precision_of(options);
        static_assert(precision.first == 0 || c == category::decimal,
                      "ctorm: numeric_precision<P, S> is an option of ctorm::numeric columns");
        if constexpr (c == category::decimal && precision.first > 0) {
            w.put("NUMERIC(");
            w.put_number(precision.first);
            w.put(", ");
            w.put_number(precision.second);
            w.put(')');
        } else if constexpr (constexpr std::size_t n = options.varchar_length;
                             n > 0 && (c == category::string || text_array<T>())) {
            w.put("VARCHAR(");
            w.put_number(n);
            w.put(')');
            if constexpr (c == category::array) w.put("[]");
        } else {
            render_scalar_type<T>(w);
        }
        // Text compares and sorts by code point, as SQLite's BINARY does,
        // whatever the database's locale (en_US.UTF-8 would sort 'bob' before
        // 'Carl' and ignore case at first): the column's own collation, so
        // its indexes serve ORDER BY and LIKE 'prefix%' in that order too.
        if constexpr (c == category::string) w.put(" COLLATE \"C\"");
    }

    template <class W>
    static constexpr void render_autoincrement_key(W& w) {
        w.put(" GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
    }

    template <class Column, class W>
    static constexpr void render_length_check(W&, std::size_t) {}  // VARCHAR(n) enforces it

    template <class W>
    static constexpr void render_boolean_literal(W& w, bool value) {
        w.put(value ? "TRUE" : "FALSE");
    }

    template <class W>
    static constexpr void render_now(W& w) {
        w.put("now()");
    }
    template <class W>
    static constexpr void render_current_date(W& w) {
        w.put("CURRENT_DATE");
    }

    template <class T, class W>
    static constexpr void render_cast_type(W& w) {
        render_scalar_type<T>(w);
    }
    // After text that a cast makes: it sorts by code point, as text columns do.
    template <class W>
    static constexpr void render_text_order(W& w) {
        w.put(" COLLATE \"C\"");
    }
};

}  // namespace ctorm
