// migrate::introspect(db): the schema of a live database, read from its
// catalog (SQLite: sqlite_schema and the pragma_* table functions;
// PostgreSQL: pg_catalog, in the connection's current schema), in the same
// normalized form schema_of gives for the models.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "ctorm/dialect/postgres.hpp"
#include "ctorm/dialect/sqlite.hpp"
#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/migrate/schema.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm::migrate {

// How a dialect's catalog is read: a specialization with `supported = true`
// and `static schema read(Db&)`. SQLite and PostgreSQL have one.
template <class D>
struct introspection_traits {
    static constexpr bool supported = false;
};

template <class D>
struct assert_dialect_has_introspection {
    CTORM_DETAIL_RULE(
        "ctorm: migrate::introspect cannot read this dialect's catalog; specialize "
        "ctorm::migrate::introspection_traits<D> for it (SQLite and PostgreSQL have one)",
        introspection_traits<D>::supported);
};

namespace detail {

// One result column of a catalog query: only its C++ type is known.
template <class T>
struct catalog_value {
    using value_type = T;
    template <class D, class W>
    static constexpr void render(W& w) {
        w.put("catalog column");
    }
};

template <class Indexes, class... Ts>
struct catalog_slots;
template <std::size_t... Is, class... Ts>
struct catalog_slots<std::index_sequence<Is...>, Ts...> {
    using type = type_list<ctorm::detail::tuple_slot<Is, catalog_value<Ts>>...>;
};

// A catalog query: text written here for one dialect (the catalogs are not
// tables ctorm declares: pragma_table_info(?) takes an argument, pg_catalog
// is another schema), its rows typed, its values bound, never spliced.
template <class... Ts>
struct catalog_query {
    std::string text;
    std::vector<std::string> values;

    struct traits : ctorm::detail::no_rows_traits {
        static constexpr bool returns_rows = true;
        static constexpr bool runtime_text = true;
        using row_type = std::tuple<Ts...>;
        using slots = typename catalog_slots<std::index_sequence_for<Ts...>, Ts...>::type;
    };
    template <class D>
    std::string_view sql() const noexcept {
        return text;
    }
    template <class F>
    void visit_params(F& f) const {
        for (const std::string& v : values) f(v);
    }
};

template <class... Ts, class Db>
std::vector<std::tuple<Ts...>> read_catalog(Db& db, std::string text, std::vector<std::string> values = {}) {
    return db.all(catalog_query<Ts...>{std::move(text), std::move(values)});
}

inline referential_action action_named(std::string_view sql_name) {
    if (iequals(sql_name, "CASCADE") || sql_name == "c") return referential_action::cascade;
    if (iequals(sql_name, "SET NULL") || sql_name == "n") return referential_action::set_null;
    if (iequals(sql_name, "SET DEFAULT") || sql_name == "d") return referential_action::set_default;
    if (iequals(sql_name, "RESTRICT") || sql_name == "r") return referential_action::restrict;
    return referential_action::no_action;
}

// An identifier at sql[i]: "quoted" (with "" inside), `quoted`, [quoted] or bare.
inline std::string read_identifier(std::string_view sql, std::size_t& i) {
    std::string out;
    if (i >= sql.size()) return out;
    const char open = sql[i];
    const char close = open == '[' ? ']' : open;
    if (open == '"' || open == '`' || open == '[') {
        for (++i; i < sql.size(); ++i) {
            if (sql[i] == close) {
                if (close != ']' && i + 1 < sql.size() && sql[i + 1] == close) {
                    out += close;
                    ++i;
                    continue;
                }
                ++i;
                break;
            }
            out += sql[i];
        }
        return out;
    }
    while (i < sql.size()) {
        const char c = sql[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) break;
        out += c;
        ++i;
    }
    return out;
}

// The CONSTRAINT <name> CHECK (...) clauses of a CREATE TABLE text, which
// SQLite's pragmas do not list.
inline std::vector<check_schema> sqlite_named_checks(std::string_view sql) {
    std::vector<check_schema> out;
    std::size_t i = 0;
    auto skip_space = [&] {
        while (i < sql.size() && is_space(sql[i])) ++i;
    };
    while (i < sql.size()) {
        const char c = sql[i];
        if (c == '\'') {
            for (++i; i < sql.size(); ++i)
                if (sql[i] == '\'') {
                    if (i + 1 < sql.size() && sql[i + 1] == '\'') ++i;
                    else break;
                }
            ++i;
            continue;
        }
        const std::size_t before = i;
        const std::string word = read_identifier(sql, i);
        if (i == before) {
            ++i;
            continue;
        }
        if (c == '"' || c == '`' || c == '[' || !iequals(word, "CONSTRAINT")) continue;
        skip_space();
        std::string name = read_identifier(sql, i);
        skip_space();
        const std::size_t keyword = i;
        if (!iequals(read_identifier(sql, i), "CHECK")) {
            i = keyword;
            continue;
        }
        skip_space();
        if (i >= sql.size() || sql[i] != '(') continue;
        const std::size_t start = i;
        int depth = 0;
        for (; i < sql.size(); ++i) {
            if (sql[i] == '(') ++depth;
            else if (sql[i] == ')' && --depth == 0) {
                ++i;
                break;
            }
        }
        out.push_back({std::move(name), "CHECK " + std::string(sql.substr(start, i - start))});
    }
    return out;
}

// The WHERE condition of a CREATE INDEX text (a partial index), empty when it has none.
inline std::string sqlite_index_condition(std::string_view sql) {
    std::size_t i = 0;
    int depth = 0;
    bool seen_columns = false;
    while (i < sql.size()) {
        const char c = sql[i];
        if (c == '\'' || c == '"' || c == '`' || c == '[') {
            if (c == '\'') {
                for (++i; i < sql.size(); ++i)
                    if (sql[i] == '\'') {
                        if (i + 1 < sql.size() && sql[i + 1] == '\'') ++i;
                        else break;
                    }
                ++i;
            } else {
                (void)read_identifier(sql, i);
            }
            continue;
        }
        if (c == '(') ++depth;
        if (c == ')' && --depth == 0) seen_columns = true;
        const std::size_t before = i;
        const std::string word = read_identifier(sql, i);
        if (i == before) {
            ++i;
            continue;
        }
        if (seen_columns && depth == 0 && iequals(word, "WHERE")) return trim(sql.substr(i));
    }
    return {};
}

// N of the CHECK (length("column") <= N) create_all writes for varchar<N> on SQLite; 0 when none.
inline std::size_t sqlite_length_limit(std::string_view sql, std::string_view column) {
    std::string quoted = "\"";
    for (char c : column) {
        quoted += c;
        if (c == '"') quoted += '"';
    }
    const std::string needle = "length(" + quoted + "\") <= ";
    const std::size_t at = sql.find(needle);
    if (at == std::string_view::npos) return 0;
    std::size_t n = 0;
    for (std::size_t i = at + needle.size(); i < sql.size() && sql[i] >= '0' && sql[i] <= '9'; ++i)
        n = n * 10 + static_cast<std::size_t>(sql[i] - '0');
    return n;
}

// format_type()'s spelling in create_all's: upper case, VARCHAR for
// CHARACTER VARYING, "NUMERIC(10, 2)"; and the length of a VARCHAR(N).
inline std::string postgres_type_name(std::string_view formatted, std::size_t& max_length) {
    std::string type = upper(trim(formatted));
    constexpr std::string_view varying = "CHARACTER VARYING";
    if (type.compare(0, varying.size(), varying) == 0) type = "VARCHAR" + type.substr(varying.size());
    std::string spaced;
    for (std::size_t i = 0; i < type.size(); ++i) {
        spaced += type[i];
        if (type[i] == ',' && i + 1 < type.size() && type[i + 1] != ' ') spaced += ' ';
    }
    max_length = 0;
    if (spaced.compare(0, 8, "VARCHAR(") == 0 && spaced.back() == ')')
        for (std::size_t i = 8; i < spaced.size() && spaced[i] >= '0' && spaced[i] <= '9'; ++i)
            max_length = max_length * 10 + static_cast<std::size_t>(spaced[i] - '0');
    return spaced;
}

}  // namespace detail

template <>
struct introspection_traits<sqlite_dialect> {
    static constexpr bool supported = true;

    template <class Db>
    static schema read(Db& db) {
        schema s;
        const auto tables = detail::read_catalog<std::string, std::optional<std::string>>(
            db,
            "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "ORDER BY name");
        for (const auto& [name, create] : tables) s.tables.push_back(read_table(db, name, create.value_or("")));
        // A foreign key that names no columns references the target's primary key.
        for (table_schema& t : s.tables)
            for (foreign_key_schema& fk : t.foreign_keys)
                if (fk.referred_columns.empty())
                    if (const table_schema* target = s.find_table(fk.referred_table))
                        fk.referred_columns = target->primary_key;
        return s;
    }

private:
    template <class Db>
    static table_schema read_table(Db& db, const std::string& name, const std::string& create) {
        table_schema t;
        t.name = name;
        const auto columns =
            detail::read_catalog<std::string, std::string, std::int64_t, std::optional<std::string>, std::int64_t>(
                db, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid", {name});
        std::vector<std::pair<std::int64_t, std::string>> key;
        for (const auto& [column, type, not_null, default_text, pk] : columns) {
            column_schema c;
            c.name = column;
            c.type = detail::upper(type);
            c.max_length = detail::sqlite_length_limit(create, column);
            c.nullable = not_null == 0 && pk == 0;
            if (default_text) c.default_value = normalize_default(*default_text);
            if (pk > 0) key.emplace_back(pk, column);
            t.columns.push_back(std::move(c));
        }
        std::sort(key.begin(), key.end());
        for (auto& [position, column] : key) t.primary_key.push_back(column);
        // INTEGER PRIMARY KEY names the rowid, which SQLite fills.
        if (t.primary_key.size() == 1)
            for (column_schema& c : t.columns)
                if (c.name == t.primary_key.front() && c.type == "INTEGER") c.autoincrement = true;

        const auto indexes = detail::read_catalog<std::string, std::int64_t, std::string, std::int64_t>(
            db, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?) ORDER BY name", {name});
        for (const auto& [index, unique, origin, partial] : indexes) {
            if (origin == "pk") continue;  // the primary key, listed already
            std::vector<std::string> names;
            for (const auto& [column] : detail::read_catalog<std::optional<std::string>>(
                     db, "SELECT name FROM pragma_index_info(?) ORDER BY seqno", {index}))
                names.push_back(column.value_or("(expression)"));
            if (origin == "u") {
                t.uniques.push_back({std::move(names)});
                continue;
            }
            std::string where;
            if (partial != 0)
                for (const auto& [text] : detail::read_catalog<std::optional<std::string>>(
                         db, "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?", {index}))
                    where = detail::sqlite_index_condition(text.value_or(""));
            t.indexes.push_back({index, std::move(names), unique != 0, std::move(where)});
        }

        const auto keys = detail::read_catalog<std::int64_t, std::string, std::string, std::optional<std::string>,
                                               std::string, std::string>(
            db,
            "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?) "
            "ORDER BY id, seq",
            {name});
        std::int64_t current = -1;
        for (const auto& [id, target, from, to, on_update, on_delete] : keys) {
            if (id != current) {
                current = id;
                t.foreign_keys.push_back(
                    {{}, target, {}, detail::action_named(on_delete), detail::action_named(on_update)});
            }
            t.foreign_keys.back().columns.push_back(from);
            if (to) t.foreign_keys.back().referred_columns.push_back(*to);
        }
        t.checks = detail::sqlite_named_checks(create);
        return t;
    }
};

template <>
struct introspection_traits<postgres_dialect> {
    static constexpr bool supported = true;

    template <class Db>
    static schema read(Db& db) {
        schema s;
        const auto tables = detail::read_catalog<std::string>(
            db, "SELECT c.relname::text FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'p') AND " +
                    std::string(in_current_schema) + " ORDER BY 1");
        for (const auto& [name] : tables) s.tables.push_back(read_table(db, name));
        return s;
    }

private:
    // The table $1 of the connection's current schema, as pg_class c.
    static constexpr std::string_view in_current_schema =
        "c.relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = "
        "pg_catalog.current_schema())";
    static std::string where_table() { return " WHERE c.relname = $1 AND " + std::string(in_current_schema); }

    template <class Db>
    static table_schema read_table(Db& db, const std::string& name) {
        table_schema t;
        t.name = name;
        const auto columns = detail::read_catalog<std::string, std::string, bool, std::optional<std::string>,
                                                  std::string, std::optional<std::string>>(
            db,
            "SELECT a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
            "pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, co.collname::text "
            "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
            "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid "
            "LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation AND a.attcollation <> ty.typcollation" +
                where_table() + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            {name});
        for (const auto& [column, type, not_null, default_text, identity, collation] : columns) {
            column_schema c;
            c.name = column;
            c.type = detail::postgres_type_name(type, c.max_length);
            if (c.type.size() > 2 && c.type.compare(c.type.size() - 2, 2, "[]") == 0) c.max_length = 0;
            // A collation of the column's own, as create_all writes it (TEXT COLLATE "C").
            if (collation) c.type += " COLLATE \"" + *collation + "\"";
            c.nullable = !not_null;
            c.autoincrement = !identity.empty();
            if (default_text) {
                if (default_text->compare(0, 8, "nextval(") == 0) c.autoincrement = true;  // serial
                else c.default_value = normalize_default(*default_text);
            }
            t.columns.push_back(std::move(c));
        }

        // Primary key, unique and foreign key constraints: one row per column.
        const auto constraints = detail::read_catalog<std::string, std::string, std::string, std::optional<std::string>,
                                                      std::optional<std::string>, std::string, std::string>(
            db,
            "SELECT con.conname::text, con.contype::text, a.attname::text, fa.attname::text, ft.relname::text, "
            "con.confdeltype::text, con.confupdtype::text "
            "FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid "
            "CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) "
            "JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum "
            "LEFT JOIN pg_catalog.pg_class ft ON ft.oid = con.confrelid "
            "LEFT JOIN pg_catalog.pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[k.ord::int]" +
                where_table() + " AND con.contype IN ('p', 'u', 'f') ORDER BY con.conname, k.ord",
            {name});
        std::string current;
        for (const auto& [constraint, type, column, target_column, target, on_delete, on_update] : constraints) {
            const bool first = constraint != current;
            current = constraint;
            if (type == "p") {
                t.primary_key.push_back(column);
            } else if (type == "u") {
                if (first) t.uniques.emplace_back();
                t.uniques.back().columns.push_back(column);
            } else {
                if (first)
                    t.foreign_keys.push_back({{},
                                              target.value_or(""),
                                              {},
                                              detail::action_named(on_delete),
                                              detail::action_named(on_update)});
                t.foreign_keys.back().columns.push_back(column);
                t.foreign_keys.back().referred_columns.push_back(target_column.value_or(""));
            }
        }

        // Indexes that no constraint made.
        const auto indexes = detail::read_catalog<std::string, bool, std::optional<std::string>,
                                                  std::optional<std::string>>(
            db,
            "SELECT ic.relname::text, i.indisunique, a.attname::text, pg_catalog.pg_get_expr(i.indpred, i.indrelid) "
            "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid "
            "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
            "CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) "
            "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum" +
                where_table() +
                " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid "
                "AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')) ORDER BY ic.relname, k.ord",
            {name});
        for (const auto& [index, unique, column, where] : indexes) {
            if (t.indexes.empty() || t.indexes.back().name != index)
                t.indexes.push_back({index, {}, unique, where.value_or("")});
            t.indexes.back().columns.push_back(column.value_or("(expression)"));
        }

        const auto checks = detail::read_catalog<std::string, std::string>(
            db,
            "SELECT con.conname::text, pg_catalog.pg_get_constraintdef(con.oid) "
            "FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid" +
                where_table() + " AND con.contype = 'c' ORDER BY 1",
            {name});
        for (const auto& [check, definition] : checks) t.checks.push_back({check, definition});
        return t;
    }
};

// introspect(db): the schema of the database db is connected to (on
// PostgreSQL, of its current schema), normalized as schema_of's is.
struct introspect_fn {
    template <class Db>
    schema operator()(Db& db) const {
        using D = typename Db::dialect_type;
        if constexpr (introspection_traits<D>::supported) {
            schema s = introspection_traits<D>::read(db);
            normalize(s);
            return s;
        } else {
            (void)assert_dialect_has_introspection<D>::check();
            return {};
        }
    }
};
inline constexpr introspect_fn introspect{};

}  // namespace ctorm::migrate
