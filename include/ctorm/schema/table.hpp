// CTORM_TABLE: one declaration per table, giving a table object whose members
// are typed columns (users.email); CTORM_TABLE_CONSTRAINTS for table-level
// composite keys, foreign keys, unique constraints and indexes.
#pragma once

#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>

#include <boost/preprocessor/cat.hpp>
#include <boost/preprocessor/punctuation/comma_if.hpp>
#include <boost/preprocessor/seq/for_each.hpp>
#include <boost/preprocessor/seq/for_each_i.hpp>
#include <boost/preprocessor/stringize.hpp>
#include <boost/preprocessor/tuple/elem.hpp>
#include <boost/preprocessor/variadic/to_seq.hpp>

#include "ctorm/meta/fixed_string.hpp"
#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/schema/column.hpp"
#include "ctorm/schema/extended_types.hpp"
#include "ctorm/schema/options.hpp"

namespace ctorm {

namespace detail {
struct table_tag {};
struct alias_tag {};

// Read through a template so that an alias (a nested template) reads its
// table's count only when instantiated, after the table is complete.
template <class Table, class Dependent>
inline constexpr int primary_key_count_of = Table::ctorm_primary_key_count;

// FROM "categories" or FROM "categories" AS "parent".
template <class T, class W>
constexpr void render_table_reference(W& w) {
    put_quoted(w, T::ctorm_sql_name);
    if constexpr (std::is_base_of_v<alias_tag, T>) {
        w.put(" AS ");
        put_quoted(w, T::ctorm_reference_name);
    }
}
}  // namespace detail

template <class Self, class Model>
struct table : detail::table_tag {
    using ctorm_model = Model;
};

template <class T>
concept table_type = std::is_base_of_v<detail::table_tag, std::remove_cvref_t<T>>;

namespace detail {
// The table a FROM/JOIN entry stands for: itself, or for a CTE object the
// name-only table its columns belong to.
template <class T>
struct table_identity {
    using type = T;
};
template <class T>
    requires requires { typename T::ctorm_identity; }
struct table_identity<T> {
    using type = typename T::ctorm_identity;
};
template <class T>
using table_identity_t = typename table_identity<std::remove_cvref_t<T>>::type;
}  // namespace detail

// alias<"parent">(categories): the same table under another name, for self-joins.
// Its columns (parent.id) are distinct types, checked like any other table's.
template <fixed_string Name, table_type T>
constexpr auto alias(const T&) {
    return typename T::template ctorm_alias<Name>{};
}

// Table-level constraints, made with primary_key(a, b), unique(a, b), index(a, b)
// and foreign_key(a).references(t.b) inside CTORM_TABLE_CONSTRAINTS.
template <class... Columns>
struct composite_primary_key {};
template <class... Columns>
struct composite_unique {};
template <class... Columns>
struct composite_index {};

// A foreign key: Columns (a type_list of this table's columns) reference
// Targets (a type_list of one table's columns, as many). A column's
// references(...) is one too, and foreign_keys_t<T> lists both kinds.
template <class Columns, class Targets>
struct foreign_key_constraint {
    using columns = Columns;
    using targets = Targets;
    using target_table = typename meta::first_missing<Targets, type_list<>>::type::table_type;
    fk_action delete_action = fk_action::none, update_action = fk_action::none;
    constexpr foreign_key_constraint on_delete(fk_action a) const { return {a, update_action}; }
    constexpr foreign_key_constraint on_update(fk_action a) const { return {delete_action, a}; }
};

template <class Columns, class Targets>
struct assert_foreign_key_column_count {
    CTORM_DETAIL_RULE("ctorm: foreign_key(...).references(...) names as many referenced columns as foreign key columns",
                      Columns::size == Targets::size);
};

// ColumnKeys counts the columns marked primary_key, TableKeys the
// primary_key(...) of CTORM_TABLE_CONSTRAINTS.
template <class Table, int ColumnKeys, int TableKeys>
struct assert_one_primary_key {
    CTORM_DETAIL_RULE(
        "ctorm: the table's primary key is declared twice: mark its columns primary_key, or name "
        "them in one primary_key(...) of CTORM_TABLE_CONSTRAINTS, not both",
        TableKeys == 0 || (ColumnKeys == 0 && TableKeys == 1));
};

template <class Constraint>
struct assert_constraint_is_complete {
    CTORM_DETAIL_RULE(
        "ctorm: foreign_key(...) in CTORM_TABLE_CONSTRAINTS needs .references(table.column)",
        !requires { typename Constraint::ctorm_foreign_key_without_references; });
};

namespace detail {
template <class... Columns>
consteval void check_same_table() {
    static_assert(sizeof...(Columns) >= 1, "ctorm: a table constraint needs at least one column");
    using first = std::tuple_element_t<0, std::tuple<Columns...>>;
    static_assert((std::is_same_v<typename first::table_type, typename Columns::table_type> && ...),
                  "ctorm: the columns of a table constraint must all belong to its table");
}

template <class... Targets>
consteval void check_same_target_table() {
    static_assert(sizeof...(Targets) >= 1, "ctorm: references(...) needs at least one column");
    using first = std::tuple_element_t<0, std::tuple<Targets...>>;
    static_assert((std::is_same_v<typename first::table_type, typename Targets::table_type> && ...),
                  "ctorm: the columns foreign_key(...).references(...) names must all belong to one table");
}

// foreign_key(a, b) before its .references(t.x, t.y).
template <class... Columns>
struct foreign_key_columns {
    using ctorm_foreign_key_without_references = type_list<Columns...>;
    template <column_expression... Targets>
    constexpr auto references(const Targets&...) const {
        using sources = type_list<Columns...>;
        using targets = type_list<std::remove_cvref_t<Targets>...>;
        check_same_target_table<std::remove_cvref_t<Targets>...>();
        if constexpr (assert_foreign_key_column_count<sources, targets>::check() &&
                      sizeof...(Columns) == sizeof...(Targets))
            (void)(assert_foreign_key_types_match<Columns, std::remove_cvref_t<Targets>>::check() && ...);
        return foreign_key_constraint<sources, targets>{};
    }
};
}  // namespace detail

namespace options {
struct table_primary_key_fn {
    template <column_expression... Cs>
    constexpr auto operator()(const Cs&...) const {
        detail::check_same_table<std::remove_cvref_t<Cs>...>();
        return composite_primary_key<std::remove_cvref_t<Cs>...>{};
    }
};
struct table_unique_fn {
    template <column_expression... Cs>
    constexpr auto operator()(const Cs&...) const {
        detail::check_same_table<std::remove_cvref_t<Cs>...>();
        return composite_unique<std::remove_cvref_t<Cs>...>{};
    }
};
struct table_index_fn {
    template <column_expression... Cs>
    constexpr auto operator()(const Cs&...) const {
        detail::check_same_table<std::remove_cvref_t<Cs>...>();
        return composite_index<std::remove_cvref_t<Cs>...>{};
    }
};
struct table_foreign_key_fn {
    template <column_expression... Cs>
    constexpr auto operator()(const Cs&...) const {
        detail::check_same_table<std::remove_cvref_t<Cs>...>();
        return detail::foreign_key_columns<std::remove_cvref_t<Cs>...>{};
    }
};
namespace table_level {
inline constexpr table_primary_key_fn primary_key{};
inline constexpr table_unique_fn unique{};
inline constexpr table_index_fn index{};
inline constexpr table_foreign_key_fn foreign_key{};
}  // namespace table_level
}  // namespace options

namespace detail {
template <class T>
constexpr auto constraints_of() {
    if constexpr (requires(const T& t) { ctorm_table_constraints(t); }) return ctorm_table_constraints(T{});
    else return std::tuple<>{};
}

template <class Constraint>
inline constexpr int table_primary_keys = 0;
template <class... Cs>
inline constexpr int table_primary_keys<composite_primary_key<Cs...>> = 1;

// The rules of CTORM_TABLE_CONSTRAINTS, checked where it is written.
template <class T, class... Ks>
consteval bool check_table_constraints(const std::tuple<Ks...>*) {
    (void)(assert_constraint_is_complete<Ks>::check() && ...);
    (void)assert_one_primary_key<T, T::ctorm_primary_key_count, (0 + ... + table_primary_keys<Ks>)>::check();
    return true;
}
}  // namespace detail

template <class T>
struct table_traits {
    using model_type = typename T::ctorm_model;
    using columns = typename T::ctorm_columns;
    static constexpr std::string_view name = T::ctorm_sql_name;
    // The CTORM_TABLE_CONSTRAINTS of T, as a std::tuple type (empty when none).
    using constraints = decltype(detail::constraints_of<T>());
};

}  // namespace ctorm

// --- the macros ---------------------------------------------------------------

#define CTORM_DETAIL_NAME(name, ...) name
#define CTORM_DETAIL_OPTIONS(name, ...) __VA_OPT__(__VA_ARGS__)
#define CTORM_DETAIL_COLUMN_TYPE_NAME(element) BOOST_PP_CAT(CTORM_DETAIL_NAME element, _column)

// The option names, made visible by using-declarations so that unqualified
// `index` in a table declaration never meets glibc's ::index.
#define CTORM_DETAIL_USING_OPTIONS                                                                               \
    using ::ctorm::options::primary_key;                                                                         \
    using ::ctorm::options::primary_key_no_autoincrement;                                                        \
    using ::ctorm::options::unique;                                                                              \
    using ::ctorm::options::index;                                                                               \
    using ::ctorm::options::varchar;                                                                             \
    using ::ctorm::options::text;                                                                                \
    using ::ctorm::options::default_value;                                                                       \
    using ::ctorm::options::default_factory;                                                                     \
    using ::ctorm::options::server_default;                                                                      \
    using ::ctorm::options::on_update;                                                                           \
    using ::ctorm::options::now;                                                                                 \
    using ::ctorm::options::current_date;                                                                        \
    using ::ctorm::options::references;                                                                          \
    using ::ctorm::options::cascade;                                                                             \
    using ::ctorm::options::set_null;                                                                            \
    using ::ctorm::options::set_default;                                                                         \
    using ::ctorm::options::restrict;                                                                            \
    using ::ctorm::options::no_action;                                                                           \
    using ::ctorm::options::numeric_precision;                                                                   \
    using ::ctorm::options::version_id;                                                                          \
    (void)primary_key, (void)primary_key_no_autoincrement, (void)unique, (void)index, (void)text, (void)cascade, \
        (void)set_null, (void)set_default, (void)restrict, (void)no_action, (void)version_id;

// ctorm_options() declares the table's own constant (categories) before the
// options, so that references(categories.id) can name the table being declared.
#define CTORM_DETAIL_COLUMN(r, table_model_name, element)                                                          \
    struct CTORM_DETAIL_COLUMN_TYPE_NAME(element)                                                                  \
        : ::ctorm::column<CTORM_DETAIL_COLUMN_TYPE_NAME(element), BOOST_PP_TUPLE_ELEM(3, 0, table_model_name),     \
                          &BOOST_PP_TUPLE_ELEM(3, 1, table_model_name)::CTORM_DETAIL_NAME element> {               \
        using ::ctorm::column<CTORM_DETAIL_COLUMN_TYPE_NAME(element), BOOST_PP_TUPLE_ELEM(3, 0, table_model_name), \
                              &BOOST_PP_TUPLE_ELEM(3, 1, table_model_name)::CTORM_DETAIL_NAME element>::operator=; \
        static constexpr ::std::string_view sql_name = BOOST_PP_STRINGIZE(CTORM_DETAIL_NAME element);              \
        static constexpr auto ctorm_options() {                                                                    \
            [[maybe_unused]] constexpr BOOST_PP_TUPLE_ELEM(3, 0, table_model_name)                                 \
                BOOST_PP_TUPLE_ELEM(3, 2, table_model_name){};                                                     \
            {                                                                                                      \
                CTORM_DETAIL_USING_OPTIONS(void)                                                                   \
                ::ctorm::assert_supported_field_type<CTORM_DETAIL_COLUMN_TYPE_NAME(element)>::check();             \
                return ::ctorm::detail::make_column_options<CTORM_DETAIL_COLUMN_TYPE_NAME(element)>(               \
                    CTORM_DETAIL_OPTIONS element);                                                                 \
            }                                                                                                      \
        }                                                                                                          \
    };                                                                                                             \
    CTORM_DETAIL_COLUMN_TYPE_NAME(element) CTORM_DETAIL_NAME element{};

#define CTORM_DETAIL_ALIAS_COLUMN(r, tables_and_model, element)                                                    \
    struct CTORM_DETAIL_COLUMN_TYPE_NAME(element)                                                                  \
        : ::ctorm::column<CTORM_DETAIL_COLUMN_TYPE_NAME(element), BOOST_PP_TUPLE_ELEM(3, 0, tables_and_model),     \
                          &BOOST_PP_TUPLE_ELEM(3, 2, tables_and_model)::CTORM_DETAIL_NAME element> {               \
        using ::ctorm::column<CTORM_DETAIL_COLUMN_TYPE_NAME(element), BOOST_PP_TUPLE_ELEM(3, 0, tables_and_model), \
                              &BOOST_PP_TUPLE_ELEM(3, 2, tables_and_model)::CTORM_DETAIL_NAME element>::operator=; \
        static constexpr ::std::string_view sql_name = BOOST_PP_STRINGIZE(CTORM_DETAIL_NAME element);              \
        static constexpr auto ctorm_options() {                                                                    \
            return BOOST_PP_TUPLE_ELEM(3, 1,                                                                       \
                                       tables_and_model)::CTORM_DETAIL_COLUMN_TYPE_NAME(element)::ctorm_options(); \
        }                                                                                                          \
    };                                                                                                             \
    CTORM_DETAIL_COLUMN_TYPE_NAME(element) CTORM_DETAIL_NAME element{};

#define CTORM_DETAIL_COLUMN_LIST_ITEM(r, data, i, element) BOOST_PP_COMMA_IF(i) CTORM_DETAIL_COLUMN_TYPE_NAME(element)

#define CTORM_DETAIL_PRIMARY_KEY_COUNT_ITEM(r, data, element) \
    +(CTORM_DETAIL_COLUMN_TYPE_NAME(element)::ctorm_options().primary_key ? 1 : 0)

// CTORM_TABLE(users, User, (id, primary_key), (email, varchar<255>, unique, index), ...)
// declares the type ctorm_table_users and the constant `users`, whose members
// are the columns. Every field of the model that is stored needs an entry.
#define CTORM_TABLE(table_name, model, ...)                                                                           \
    struct ctorm_table_##table_name : ::ctorm::table<ctorm_table_##table_name, model> {                               \
        static constexpr ::std::string_view ctorm_sql_name = #table_name;                                             \
        static constexpr ::std::string_view ctorm_reference_name = #table_name;                                       \
        BOOST_PP_SEQ_FOR_EACH(CTORM_DETAIL_COLUMN, (ctorm_table_##table_name, model, table_name),                     \
                              BOOST_PP_VARIADIC_TO_SEQ(__VA_ARGS__))                                                  \
        using ctorm_columns = ::ctorm::type_list<BOOST_PP_SEQ_FOR_EACH_I(CTORM_DETAIL_COLUMN_LIST_ITEM, ~,            \
                                                                         BOOST_PP_VARIADIC_TO_SEQ(__VA_ARGS__))>;     \
        static const int ctorm_primary_key_count;                                                                     \
        /* The table under another name; a template, so it costs nothing until used. */                               \
        template <::ctorm::fixed_string ctorm_alias_name>                                                             \
        struct ctorm_alias : ::ctorm::table<ctorm_alias<ctorm_alias_name>, model>, ::ctorm::detail::alias_tag {       \
            static constexpr ::std::string_view ctorm_sql_name = #table_name;                                         \
            static constexpr ::std::string_view ctorm_reference_name = ctorm_alias_name.view();                       \
            BOOST_PP_SEQ_FOR_EACH(CTORM_DETAIL_ALIAS_COLUMN, (ctorm_alias, ctorm_table_##table_name, model),          \
                                  BOOST_PP_VARIADIC_TO_SEQ(__VA_ARGS__))                                              \
            using ctorm_columns = ::ctorm::type_list<BOOST_PP_SEQ_FOR_EACH_I(CTORM_DETAIL_COLUMN_LIST_ITEM, ~,        \
                                                                             BOOST_PP_VARIADIC_TO_SEQ(__VA_ARGS__))>; \
            static constexpr int ctorm_primary_key_count =                                                            \
                ::ctorm::detail::primary_key_count_of<ctorm_table_##table_name, ctorm_alias>;                         \
        };                                                                                                            \
    };                                                                                                                \
    [[maybe_unused]] inline constexpr int ctorm_table_##table_name::ctorm_primary_key_count =                         \
        0 BOOST_PP_SEQ_FOR_EACH(CTORM_DETAIL_PRIMARY_KEY_COUNT_ITEM, ~, BOOST_PP_VARIADIC_TO_SEQ(__VA_ARGS__));       \
    inline constexpr ctorm_table_##table_name table_name {}

// CTORM_TABLE_CONSTRAINTS(post_tags, primary_key(post_tags.post_id, post_tags.tag_id),
//                         unique(post_tags.a, post_tags.b), index(post_tags.c, post_tags.d))
// A foreign key that names a table declared later (tables that reference each
// other) is declared after both tables:
// CTORM_TABLE_CONSTRAINTS(departments,
//                         foreign_key(departments.manager_id).references(employees.id).on_delete(set_null))
#define CTORM_TABLE_CONSTRAINTS(table_name, ...)                                                        \
    constexpr auto ctorm_table_constraints(const ctorm_table_##table_name&) {                           \
        using ::ctorm::options::table_level::primary_key;                                               \
        using ::ctorm::options::table_level::unique;                                                    \
        using ::ctorm::options::table_level::index;                                                     \
        using ::ctorm::options::table_level::foreign_key;                                               \
        using ::ctorm::options::cascade;                                                                \
        using ::ctorm::options::set_null;                                                               \
        using ::ctorm::options::set_default;                                                            \
        using ::ctorm::options::restrict;                                                               \
        using ::ctorm::options::no_action;                                                              \
        (void)primary_key, (void)unique, (void)index, (void)foreign_key, (void)cascade, (void)set_null, \
            (void)set_default, (void)restrict, (void)no_action;                                         \
        return ::std::tuple{__VA_ARGS__};                                                               \
    }                                                                                                   \
    static_assert(::ctorm::detail::check_table_constraints<ctorm_table_##table_name>(                   \
        static_cast<decltype(ctorm_table_constraints(ctorm_table_##table_name{}))*>(nullptr)))
