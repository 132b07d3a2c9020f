// The SQLite dialect: ? placeholders, STRICT tables (numeric, JSON and arrays as
// TEXT, UUIDs as 16-byte BLOBs), lower() LIKE lower() for ilike.
#pragma once

#include <cstddef>
#include <string_view>

#include "ctorm/schema/column.hpp"
#include "ctorm/schema/extended_types.hpp"
#include "ctorm/schema/types.hpp"
#include "ctorm/sql/render.hpp"

namespace ctorm {

struct sqlite_dialect {
    static constexpr std::string_view name = "sqlite";
    // SUM(bigint) / AVG(integer) give NUMERIC, which needs a cast to come back as C++ numbers.
    static constexpr bool numeric_aggregates = false;
    // ctorm::numeric is TEXT here: + - *, SUM, MIN and MAX of numerics are ctorm's
    // own SQL functions, registered on every connection (sqlite/numeric_functions.hpp).
    static constexpr bool decimal_functions = true;
    static constexpr bool supports_for_update = false;
    // NULL sorts before every value: ORDER BY adds NULLS LAST / NULLS FIRST to a
    // term that may be NULL, so that it sorts as on PostgreSQL (sql/expression.hpp).
    static constexpr bool nulls_sort_low = true;
    // drop_all's first script when the tables' foreign keys form a cycle: a
    // DROP TABLE deletes the table's rows first, and with NO ACTION keys the
    // rows of the other tables of the cycle would stop it. Deferred, they are
    // checked at COMMIT, when the whole cycle is gone. The pragma lasts until
    // the end of the transaction; it is not switched back off, because that
    // forgets the violations counted so far (a table outside the list that
    // still references a dropped one would then pass).
    static constexpr std::string_view drop_all_prefix = "PRAGMA defer_foreign_keys = ON";

    // ?NNN where an expression repeats an earlier one's values (sql/render.hpp);
    // a plain ? after it takes the number after the largest so far, as binding expects.
    template <class W>
    static constexpr void placeholder(W& w) {
        ++w.params;
        w.put('?');
        if constexpr (detail::repeats_placeholders<W>) w.put_number(w.params);
    }

    // SQLite's LIKE folds ASCII case only and can be switched by a pragma;
    // lower() on both sides says what is meant.
    template <class E, class P, bool Negated, class W>
    static constexpr void render_ilike(W& w) {
        w.put("lower(");
        detail::render_node<sqlite_dialect, E>(w);
        w.put(Negated ? ") NOT LIKE lower(" : ") LIKE lower(");
        detail::render_node<sqlite_dialect, P>(w);
        w.put(')');
        w.put(like_escape);
    }
    // cast<std::string>() of a boolean: 'true' / 'false' as on PostgreSQL (SQLite
    // stores a boolean as 0 / 1, and CAST would give '1' / '0').
    template <class E, class W>
    static constexpr void render_boolean_text(W& w) {
        w.put("CASE ");
        detail::render_node<sqlite_dialect, E>(w);
        w.put(" WHEN 0 THEN 'false' WHEN 1 THEN 'true' END");
    }
    // round(x): SQLite's own, half away from zero (trunc(|x| + 0.5), x's sign),
    // which is the semantics ctorm gives round() on every dialect.
    template <class E, class W>
    static constexpr void render_round(W& w) {
        w.put("round(");
        detail::render_node<sqlite_dialect, E>(w);
        w.put(')');
    }
    // The operand of lower() / upper(): SQLite's fold ASCII letters only (without
    // the ICU extension), which is what they do on every dialect.
    template <class E, class W>
    static constexpr void render_ascii_text(W& w) {
        detail::render_node<sqlite_dialect, E>(w);
    }

    // A backslash escapes the next character of a LIKE pattern, as it does on
    // PostgreSQL by default: SQLite has no escape character unless told.
    static constexpr std::string_view like_escape = " ESCAPE '\\'";

    // in_(list) with a run-time list, bound as one JSON array text (an enum
    // stored by name: its names).
    template <bool Negated, class Element, class W>
    static constexpr void render_in_array(W& w) {
        w.put(Negated ? " NOT IN (SELECT value FROM json_each(" : " IN (SELECT value FROM json_each(");
        placeholder(w);
        w.put("))");
    }

    // An enum stored by name (CTORM_ENUM) orders by its enumerators' declared
    // order, as PostgreSQL's enum types do (its text would order by name):
    // ORDER BY, <, <=, >, >=, BETWEEN and a set operation's ORDER BY compare
    // CASE x WHEN 'todo' THEN 0 WHEN 'doing' THEN 1 ... END.
    static constexpr bool ranks_enums = true;
    template <class E, class Node, class W>
    static constexpr void render_enum_rank(W& w) {
        w.put("CASE ");
        detail::render_node<sqlite_dialect, Node>(w);
        put_enum_ranks<E>(w);
    }
    template <class E, class W>
    static constexpr void render_enum_rank_of_name(W& w, std::string_view output_column) {
        w.put("CASE ");
        detail::put_quoted(w, output_column);
        put_enum_ranks<E>(w);
    }
    template <class E, class W>
    static constexpr void put_enum_ranks(W& w) {
        std::uint64_t position = 0;
        for (const auto& entry : detail::enum_names<E>.entries) {
            w.put(" WHEN '");
            w.put(entry.name);
            w.put("' THEN ");
            w.put_number(position++);
        }
        w.put(" END");
    }

    // SQLite has no OFFSET without LIMIT; LIMIT -1 means no limit.
    template <bool Limit, bool Offset, class W>
    static constexpr void render_limit_offset(W& w) {
        if constexpr (Limit) {
            w.put(" LIMIT ");
            placeholder(w);
        } else if constexpr (Offset) {
            w.put(" LIMIT -1");
        }
        if constexpr (Offset) {
            w.put(" OFFSET ");
            placeholder(w);
        }
    }

    static constexpr std::string_view table_suffix = " STRICT";
    // A table's only primary key column, of type INTEGER, names the rowid:
    // SQLite fills it when an insert leaves it out, autoincrement or not.
    static constexpr bool integer_primary_key_is_rowid = true;

    // STRICT tables take INTEGER, REAL, TEXT and BLOB only. What SQLite cannot
    // check by type it checks with a CHECK written after the type: 16 bytes for
    // a UUID, valid JSON for ctorm::json, a JSON array for an array column.
    template <class Column, class W>
    static constexpr void render_column_type(W& w) {
        constexpr category c = category_of<typename Column::value_type>();
        static_assert(detail::numeric_precision_of(column_traits<Column>::options).first == 0 || c == category::decimal,
                      "ctorm: numeric_precision<P, S> is an option of ctorm::numeric columns");
        if constexpr (named_enum<non_null_t<typename Column::value_type>>) {
            // An enum stored by name: its text, one of CTORM_ENUM's names.
            w.put("TEXT CHECK (");
            detail::put_quoted(w, Column::sql_name);
            w.put(" IN (");
            bool first = true;
            for (const auto& entry : detail::enum_names<non_null_t<typename Column::value_type>>.entries) {
                if (!first) w.put(", ");
                first = false;
                w.put('\'');
                w.put(entry.name);
                w.put('\'');
            }
            w.put("))");
        } else if constexpr (c == category::uuid) {
            w.put("BLOB CHECK (length(");
            detail::put_quoted(w, Column::sql_name);
            w.put(") = 16)");
        } else if constexpr (c == category::json) {
            // json_valid(NULL) is 0, not NULL.
            w.put("TEXT CHECK (json_valid(");
            detail::put_quoted(w, Column::sql_name);
            w.put(") OR ");
            detail::put_quoted(w, Column::sql_name);
            w.put(" IS NULL)");
        } else if constexpr (c == category::array) {
            // json_type() raises an error on invalid JSON; CASE asks json_valid() first,
            // so that every bad value is a constraint failure.
            w.put("TEXT CHECK (CASE WHEN json_valid(");
            detail::put_quoted(w, Column::sql_name);
            w.put(") THEN json_type(");
            detail::put_quoted(w, Column::sql_name);
            w.put(") = 'array' ELSE ");
            detail::put_quoted(w, Column::sql_name);
            w.put(" IS NULL END)");
        } else {
            render_cast_type<typename Column::value_type>(w);
        }
    }

    // The primary key clause of a single integer key that the database fills.
    template <class W>
    static constexpr void render_autoincrement_key(W& w) {
        w.put(" PRIMARY KEY");
    }

    // varchar(N) is not enforced by SQLite; a CHECK makes it so.
    template <class Column, class W>
    static constexpr void render_length_check(W& w, std::size_t n) {
        w.put(" CHECK (length(");
        detail::put_quoted(w, Column::sql_name);
        w.put(") <= ");
        w.put_number(n);
        w.put(')');
    }

    template <class W>
    static constexpr void render_boolean_literal(W& w, bool value) {
        w.put(value ? '1' : '0');
    }

    template <class W>
    static constexpr void render_now(W& w) {
        w.put("(strftime('%Y-%m-%d %H:%M:%f', 'now') || '000')");
    }
    template <class W>
    static constexpr void render_current_date(W& w) {
        w.put("(date('now'))");
    }

    // divide<S>(a, b): ctorm::numeric::divide through the connection's own
    // function (sqlite/numeric_functions.hpp).
    template <class A, class B, std::size_t Scale, class W>
    static constexpr void render_numeric_divide(W& w) {
        w.put("ctorm_numeric_divide(");
        detail::render_node<sqlite_dialect, A>(w);
        w.put(", ");
        detail::render_node<sqlite_dialect, B>(w);
        w.put(", ");
        w.put_number(Scale);
        w.put(')');
    }
    // After text that a cast makes: nothing, SQLite's BINARY sorts by code point.
    template <class W>
    static constexpr void render_text_order(W&) {}
    template <class T, class W>
    static constexpr void render_cast_type(W& w) {
        constexpr category c = category_of<T>();
        if constexpr (named_enum<non_null_t<T>>) w.put("TEXT");
        else if constexpr (c == category::integer || c == category::boolean || c == category::enumeration)
            w.put("INTEGER");
        else if constexpr (c == category::real) w.put("REAL");
        else if constexpr (c == category::bytes || c == category::uuid) w.put("BLOB");
        // text; timestamps and dates (ISO 8601); ctorm::numeric (its exact text);
        // JSON; arrays (JSON text)
        else w.put("TEXT");
    }
};

}  // namespace ctorm
