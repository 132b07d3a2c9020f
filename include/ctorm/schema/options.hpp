// Column options written in CTORM_TABLE: primary_key, unique, index, varchar<N>,
// text, default_value(v), server_default(now()), on_update(now()), references(col)
// and FK actions, version_id, default_factory(f).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "ctorm/schema/types.hpp"

namespace ctorm {

enum class fk_action { none, cascade, set_null, set_default, restrict, no_action };

namespace detail {

enum class literal_kind { none, integer, real, text, boolean };

// A compile-time literal for DEFAULT clauses in DDL (never used in DML: values
// in statements are always bound parameters).
struct literal {
    literal_kind kind = literal_kind::none;
    std::int64_t integer = 0;
    double real = 0;
    std::string_view text{};
};

enum class server_default_kind { none, now, current_date, literal };

// Everything one column's options say, gathered into one constant.
struct column_options {
    bool primary_key = false;
    bool autoincrement = true;  // only meaningful for a single integer primary key
    bool unique = false;
    bool index = false;
    std::size_t varchar_length = 0;                     // 0: TEXT
    unsigned numeric_precision = 0, numeric_scale = 0;  // 0: NUMERIC without (P, S)
    literal default_value{};
    server_default_kind server_default = server_default_kind::none;
    literal server_default_literal{};
    std::string_view fk_table{}, fk_column{};
    fk_action on_delete = fk_action::none, on_update = fk_action::none;
    bool version_id = false;  // the session's optimistic-concurrency counter
    // on_update(now()): what every UPDATE that does not set the column sets it to.
    server_default_kind update_value = server_default_kind::none;
};

struct option_tag {};

}  // namespace detail

// The options, as objects. They live in their own namespace so that
// CTORM_TABLE can bring exactly these names into scope with using-declarations
// (glibc declares a global ::index, which a using-directive would collide with).
namespace options {

struct primary_key_t : detail::option_tag {
    bool autoincrement = true;
    constexpr void apply(detail::column_options& o) const {
        o.primary_key = true;
        o.autoincrement = autoincrement;
    }
};
inline constexpr primary_key_t primary_key{};
inline constexpr primary_key_t primary_key_no_autoincrement{{}, false};

struct unique_t : detail::option_tag {
    constexpr void apply(detail::column_options& o) const { o.unique = true; }
};
inline constexpr unique_t unique{};

struct index_t : detail::option_tag {
    constexpr void apply(detail::column_options& o) const { o.index = true; }
};
inline constexpr index_t index{};

template <std::size_t N>
struct varchar_t : detail::option_tag {
    static_assert(N > 0, "ctorm: varchar<N> needs N > 0");
    constexpr void apply(detail::column_options& o) const { o.varchar_length = N; }
};
template <std::size_t N>
inline constexpr varchar_t<N> varchar{};

struct text_t : detail::option_tag {
    constexpr void apply(detail::column_options& o) const { o.varchar_length = 0; }
};
inline constexpr text_t text{};

template <class T>
constexpr detail::literal make_literal(const T& value) {
    detail::literal l;
    if constexpr (std::is_same_v<T, bool>) {
        l.kind = detail::literal_kind::boolean;
        l.integer = value ? 1 : 0;
    } else if constexpr (named_enum<T>) {
        l.kind = detail::literal_kind::text;
        l.text = enum_name_or_throw(value);  // a value without a name: a compile error
    } else if constexpr (std::is_enum_v<T>) {
        l.kind = detail::literal_kind::integer;
        l.integer = static_cast<std::int64_t>(value);
    } else if constexpr (std::is_integral_v<T>) {
        l.kind = detail::literal_kind::integer;
        l.integer = static_cast<std::int64_t>(value);
    } else if constexpr (std::is_floating_point_v<T>) {
        l.kind = detail::literal_kind::real;
        l.real = static_cast<double>(value);
    } else {
        static_assert(std::is_convertible_v<T, std::string_view>,
                      "ctorm: default_value(...) takes a bool, number, enum or string literal");
        l.kind = detail::literal_kind::text;
        l.text = value;
    }
    return l;
}

// A DEFAULT rendered into CREATE TABLE, for the database to apply when an
// insert leaves the column out. The value type is checked against the column
// by CTORM_TABLE.
template <class T>
struct default_value_t : detail::option_tag {
    using value_type = T;
    detail::literal value;
    constexpr void apply(detail::column_options& o) const { o.default_value = value; }
};
template <class T>
constexpr auto default_value(const T& value) {
    using stored = std::conditional_t<std::is_array_v<T>, std::string_view, T>;
    return default_value_t<stored>{{}, make_literal<stored>(value)};
}

struct now_t {};
struct current_date_t {};
constexpr now_t now() { return {}; }
constexpr current_date_t current_date() { return {}; }

// A DEFAULT that is an SQL expression evaluated by the server (now(), ...).
struct server_default_t : detail::option_tag {
    detail::server_default_kind kind{};
    detail::literal value{};
    constexpr void apply(detail::column_options& o) const {
        o.server_default = kind;
        o.server_default_literal = value;
    }
};
constexpr server_default_t server_default(now_t) { return {{}, detail::server_default_kind::now, {}}; }
constexpr server_default_t server_default(current_date_t) {
    return {{}, detail::server_default_kind::current_date, {}};
}

// on_update(now()) / on_update(current_date()): an UPDATE that does not set
// the column sets it to the server's expression (SQLAlchemy's
// onupdate=func.now()): update(t).set(...) and the session's flush alike.
// Checked against the column by CTORM_TABLE: now() needs a ctorm::timestamp,
// current_date() a ctorm::date.
template <class T>
struct on_update_t : detail::option_tag {
    using update_value_type = T;
    detail::server_default_kind kind{};
    constexpr void apply(detail::column_options& o) const { o.update_value = kind; }
};
constexpr on_update_t<timestamp> on_update(now_t) { return {{}, detail::server_default_kind::now}; }
constexpr on_update_t<date> on_update(current_date_t) { return {{}, detail::server_default_kind::current_date}; }

// references(users.id).on_delete(cascade)
template <class Column>
struct references_t : detail::option_tag {
    using target = Column;
    fk_action delete_action = fk_action::none, update_action = fk_action::none;
    constexpr references_t on_delete(fk_action a) const { return {{}, a, update_action}; }
    constexpr references_t on_update(fk_action a) const { return {{}, delete_action, a}; }
    constexpr void apply(detail::column_options& o) const {
        o.fk_table = Column::table_type::ctorm_sql_name;
        o.fk_column = Column::sql_name;
        o.on_delete = delete_action;
        o.on_update = update_action;
    }
};
template <class Column>
constexpr references_t<Column> references(const Column&) {
    return {};
}

// default_factory([] { return new_id(); }): a value computed in C++ for each
// new row whose field holds its type's default value (T{}: "", 0, nullopt, an
// epoch timestamp), as SQLAlchemy's Column(default=callable): the session's
// flush sets the object's field before its INSERT, and insert(t).values(rows)
// inserts a copy that has it. The function object has no state (a lambda
// without captures); what it returns must be assignable to the field.
template <class F>
struct default_factory_t : detail::option_tag {
    using factory_type = F;
    // Nothing to record: the function object is the column's type, column_traits<C>::factory.
    constexpr void apply(detail::column_options&) const {}
};
template <class F>
constexpr default_factory_t<F> default_factory(F) {
    static_assert(std::is_empty_v<F> && std::is_default_constructible_v<F> && std::is_invocable_v<const F&>,
                  "ctorm: default_factory(f) takes a function object with no state and no arguments, such as a "
                  "lambda without captures: default_factory([] { return new_uuid(); })");
    return {};
}

// version_id: an integer column the session increments on every UPDATE of
// the row and checks in its WHERE (UPDATE ... WHERE id = ? AND version = ?),
// so that a change made by someone else since the object was loaded raises
// stale_data_error instead of being overwritten. Inserted as 1 when 0.
struct version_id_t : detail::option_tag {
    constexpr void apply(detail::column_options& o) const { o.version_id = true; }
};
inline constexpr version_id_t version_id{};

inline constexpr fk_action cascade = fk_action::cascade;
inline constexpr fk_action set_null = fk_action::set_null;
inline constexpr fk_action set_default = fk_action::set_default;
inline constexpr fk_action restrict = fk_action::restrict;
inline constexpr fk_action no_action = fk_action::no_action;

}  // namespace options

// The option names are deliberately not brought into namespace ctorm: common
// words such as text, unique or now would shadow user names. CTORM_TABLE makes
// them visible inside a table declaration.

}  // namespace ctorm
