// migrate::schema: a database schema as a run-time value (tables, columns,
// keys, unique constraints, indexes, foreign keys, named checks), the one form
// that the models (schema_of) and a live database (introspect) are both read
// into, so that diff can compare them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ctorm::migrate {

// What a foreign key does when its row's target is deleted or updated. A
// foreign key that says nothing is no_action, as both databases read it.
enum class referential_action { no_action, restrict, cascade, set_null, set_default };

// A DEFAULT clause: none; a literal (a number, a quoted string, true, false,
// NULL: what default_value(v) writes); or an expression the server evaluates
// (what server_default(now()) writes). Which one it is follows from the text,
// so a database and a model classify it the same way.
enum class default_kind { none, literal, expression };

struct column_default {
    default_kind kind = default_kind::none;
    std::string sql;  // normalized (see normalize_default); empty when kind is none
    friend bool operator==(const column_default&, const column_default&) = default;
};

struct column_schema {
    std::string name;
    // The dialect's type name as create_all writes it, upper case, without
    // the CHECK SQLite adds after it: "INTEGER", "TEXT", "VARCHAR(255)" (on
    // PostgreSQL with the collation create_all gives text, `TEXT COLLATE "C"`),
    // "TIMESTAMP WITH TIME ZONE", "NUMERIC(10, 2)".
    std::string type;
    // varchar<N>: N on both dialects (PostgreSQL's VARCHAR(N), SQLite's
    // CHECK (length(c) <= N)); 0 when the length is not limited.
    std::size_t max_length = 0;
    bool nullable = true;
    column_default default_value{};
    // Filled by the database when an insert leaves it out: SQLite's only
    // INTEGER primary key column (the rowid, primary_key_no_autoincrement or
    // not), PostgreSQL's identity (or serial) column.
    bool autoincrement = false;
    friend bool operator==(const column_schema&, const column_schema&) = default;
};

struct index_schema {
    std::string name;
    std::vector<std::string> columns;  // "(expression)" for an expression's place
    bool unique = false;
    // A partial index's WHERE condition as the database prints it; empty for
    // a whole-table index (create_all makes only those).
    std::string where{};
    friend bool operator==(const index_schema&, const index_schema&) = default;
};

// A UNIQUE constraint (not a unique index, which is an index_schema). Known by
// its columns: SQLite gives such a constraint no name.
struct unique_schema {
    std::vector<std::string> columns;
    friend bool operator==(const unique_schema&, const unique_schema&) = default;
};

// Known by what it says, not by its name (SQLite gives none).
struct foreign_key_schema {
    std::vector<std::string> columns;
    std::string referred_table;
    std::vector<std::string> referred_columns;
    referential_action on_delete = referential_action::no_action;
    referential_action on_update = referential_action::no_action;
    friend bool operator==(const foreign_key_schema&, const foreign_key_schema&) = default;
};

// A named CHECK constraint: its name and its expression as the database
// prints it (which differs between dialects). diff compares names only.
// Unnamed checks are not listed: the ones create_all writes on SQLite stand
// for a column's type and length, which column_schema already says.
struct check_schema {
    std::string name;
    std::string sql;
    friend bool operator==(const check_schema&, const check_schema&) = default;
};

struct table_schema {
    std::string name;
    // Each with {} so that a designated initializer (what autogenerate
    // writes) may leave out what is empty.
    std::vector<column_schema> columns{};    // in the table's order
    std::vector<std::string> primary_key{};  // in the key's order; empty when none
    std::vector<unique_schema> uniques{};
    std::vector<index_schema> indexes{};
    std::vector<foreign_key_schema> foreign_keys{};
    std::vector<check_schema> checks{};

    const column_schema* find_column(std::string_view column) const {
        for (const column_schema& c : columns)
            if (c.name == column) return &c;
        return nullptr;
    }
    friend bool operator==(const table_schema&, const table_schema&) = default;
};

struct schema {
    std::vector<table_schema> tables;  // by name

    const table_schema* find_table(std::string_view table) const {
        for (const table_schema& t : tables)
            if (t.name == table) return &t;
        return nullptr;
    }
    friend bool operator==(const schema&, const schema&) = default;
};

namespace detail {

constexpr bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
constexpr char to_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
constexpr char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr std::string_view trim_view(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}
inline std::string trim(std::string_view s) { return std::string(trim_view(s)); }
inline std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = to_upper(c);
    return out;
}
constexpr bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (to_lower(a[i]) != to_lower(b[i])) return false;
    return true;
}
constexpr bool is_number(std::string_view s) {
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
    if (s.empty()) return false;
    bool digit = false, dot = false;
    for (char c : s) {
        if (c >= '0' && c <= '9') digit = true;
        else if (c == '.' && !dot) dot = true;
        else return false;
    }
    return digit;
}
// 'it''s' is one quoted string (not 'a' || 'b').
constexpr bool is_quoted_string(std::string_view s) {
    if (s.size() < 2 || s.front() != '\'' || s.back() != '\'') return false;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
        if (s[i] != '\'') continue;
        if (i + 2 < s.size() && s[i + 1] == '\'') ++i;
        else return false;
    }
    return true;
}

// Does s begin with a parenthesis that closes at its end, outside quotes?
constexpr bool wrapped_in_parentheses(std::string_view s) {
    if (s.size() < 2 || s.front() != '(' || s.back() != ')') return false;
    int depth = 0;
    bool quoted = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\'') quoted = !quoted;
        if (quoted) continue;
        if (s[i] == '(') ++depth;
        else if (s[i] == ')' && --depth == 0 && i + 1 < s.size()) return false;
    }
    return depth == 0;
}

// Drops a trailing cast, "::text" or "::character varying(20)[]", outside quotes.
constexpr bool strip_trailing_cast(std::string_view& s) {
    bool quoted = false;
    std::size_t last = std::string_view::npos;
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        if (s[i] == '\'') quoted = !quoted;
        else if (!quoted && s[i] == ':' && s[i + 1] == ':') last = i;
    }
    if (last == std::string_view::npos || last == 0) return false;
    for (std::size_t i = last + 2; i < s.size(); ++i) {
        const char c = s[i];
        const bool type_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                               c == ' ' || c == '(' || c == ')' || c == ',' || c == '[' || c == ']' || c == '"';
        if (!type_char) return false;
    }
    s = trim_view(s.substr(0, last));
    return true;
}

}  // namespace detail

// A DEFAULT expression in the one spelling both sides are compared in, as a
// view of the text it was made from (or of a word: true, false, null).
struct default_text {
    default_kind kind = default_kind::none;
    std::string_view sql{};
};

// The one spelling of a DEFAULT expression both sides are compared in:
// PostgreSQL's casts of literals dropped ('a'::text is 'a', '-1'::integer is
// -1), TRUE / FALSE / NULL in lower case, a number unquoted and without
// trailing zeros after its point (1.500000 is 1.5). Constexpr, so that the
// models' schema text (snapshot.hpp) is spelled by this code at compile time.
constexpr default_text normalized_default(std::string_view text) {
    std::string_view s = detail::trim_view(text);
    if (s.empty()) return {};
    // SQLite reports DEFAULT (expr) without its parentheses, PostgreSQL a cast literal as ('a'::text).
    for (bool changed = true; changed;) {
        changed = detail::strip_trailing_cast(s);
        if (detail::wrapped_in_parentheses(s)) {
            s = detail::trim_view(s.substr(1, s.size() - 2));
            changed = true;
        }
    }
    if (detail::is_quoted_string(s) && detail::is_number(s.substr(1, s.size() - 2))) s = s.substr(1, s.size() - 2);
    // 1.500000 (ctorm's spelling of 1.5) and '1.5'::double precision (PostgreSQL's).
    if (detail::is_number(s) && s.find('.') != std::string_view::npos) {
        while (s.back() == '0') s.remove_suffix(1);
        if (s.back() == '.') s.remove_suffix(1);
    }
    constexpr std::string_view words[] = {"true", "false", "null"};
    for (std::string_view word : words)
        if (detail::iequals(s, word)) s = word;
    const bool literal =
        detail::is_number(s) || detail::is_quoted_string(s) || s == "true" || s == "false" || s == "null";
    return {literal ? default_kind::literal : default_kind::expression, s};
}

inline column_default normalize_default(std::string_view text) {
    const default_text d = normalized_default(text);
    return {d.kind, std::string(d.sql)};
}

// Puts what has no order of its own into one: tables by name, constraints and
// indexes by their columns or names. schema_of and introspect both return
// normalized values.
inline void normalize(schema& s) {
    std::sort(s.tables.begin(), s.tables.end(),
              [](const table_schema& a, const table_schema& b) { return a.name < b.name; });
    for (table_schema& t : s.tables) {
        std::sort(t.uniques.begin(), t.uniques.end(),
                  [](const unique_schema& a, const unique_schema& b) { return a.columns < b.columns; });
        std::sort(t.indexes.begin(), t.indexes.end(),
                  [](const index_schema& a, const index_schema& b) { return a.name < b.name; });
        std::sort(t.foreign_keys.begin(), t.foreign_keys.end(),
                  [](const foreign_key_schema& a, const foreign_key_schema& b) {
                      if (a.columns != b.columns) return a.columns < b.columns;
                      if (a.referred_table != b.referred_table) return a.referred_table < b.referred_table;
                      return a.referred_columns < b.referred_columns;
                  });
        std::sort(t.checks.begin(), t.checks.end(),
                  [](const check_schema& a, const check_schema& b) { return a.name < b.name; });
    }
}

}  // namespace ctorm::migrate
