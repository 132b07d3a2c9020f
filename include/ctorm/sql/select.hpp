// select(...): whole models, columns or expressions, with from, joins, where,
// group_by, having, order_by, limit, offset, distinct and row locks. FROM is
// derived from what is selected; every other clause may use only tables that
// are in FROM, joined, or declared correlated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <boost/hana/accessors.hpp>
#include <boost/hana/at.hpp>
#include <boost/hana/length.hpp>
#include <boost/hana/second.hpp>

#include "ctorm/errors.hpp"
#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/schema/keys.hpp"
#include "ctorm/schema/relationship.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/sql/expression.hpp"
#include "ctorm/sql/named_row.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm {

namespace detail {
enum class join_kind { inner, left, right, full, cross, from };
enum class lock_mode { none, update, update_skip_locked, update_nowait, share };

template <bool Distinct, bool Limit, bool Offset, lock_mode Lock>
struct select_options {
    static constexpr bool distinct = Distinct;
    static constexpr bool limit = Limit;
    static constexpr bool offset = Offset;
    static constexpr lock_mode lock = Lock;
};
}  // namespace detail

// Rel is the relationship join(rel) was given; Visible whether its owner is
// in FROM, SelfReferential whether it joins a table to itself.
template <class Rel, bool Visible, bool SelfReferential>
struct assert_relationship_join {
    CTORM_DETAIL_RULE_2(
        "ctorm: join(relationship) joins the relationship's target to its owner, and the owner table (see the "
        "relationship type below) is not in this statement's FROM; select from it or join it first",
        Visible,
        "ctorm: join() of a self-referential relationship (see the type below) would join the table to itself "
        "under one name; join an alias<\"name\">(table) with an explicit condition instead",
        !SelfReferential);
};

template <class Dialect>
struct assert_dialect_supports_row_locks {
    CTORM_DETAIL_RULE(
        "ctorm: SQLite has no SELECT ... FOR UPDATE; a write transaction locks the whole database "
        "there: use db.begin(sqlite::transaction_mode::immediate) instead",
        Dialect::supports_for_update);
};

// One rule type with two messages: where() is in nearly every statement, and
// a second rule type per condition costs compiler memory in each of them.
// Window functions (over(...)) are computed after WHERE, GROUP BY and HAVING.
template <class Condition>
struct assert_no_aggregate_in_where {
    CTORM_DETAIL_RULE_2(
        "ctorm: where() filters rows before grouping and cannot use an aggregate (count, sum, ...); "
        "use having()",
        !Condition::is_aggregate,
        "ctorm: where() filters rows before window functions (over(...)) are computed and cannot use one; "
        "select it in a subquery or CTE and filter that",
        !detail::window_in<Condition>);
};

template <class Key>
struct assert_no_window_in_group_by {
    CTORM_DETAIL_RULE(
        "ctorm: group_by() cannot use a window function (over(...)): window functions are computed after "
        "grouping; group a subquery or CTE that selects it",
        !detail::window_in<Key>);
};

template <class Condition>
struct assert_no_window_in_having {
    CTORM_DETAIL_RULE(
        "ctorm: having() cannot use a window function (over(...)): window functions are computed after "
        "having(); filter an outer select instead",
        !detail::window_in<Condition>);
};

template <class Key>
struct assert_no_aggregate_in_group_by {
    CTORM_DETAIL_RULE(
        "ctorm: group_by() cannot use an aggregate (count, sum, ...): rows are grouped before they are "
        "aggregated; group by the columns the aggregate reads",
        !Key::is_aggregate);
};

template <class Statement>
struct assert_having_needs_aggregation {
    CTORM_DETAIL_RULE(
        "ctorm: having() filters groups: add group_by(...) or select an aggregate (count, sum, ...) "
        "first; to filter rows use where()",
        meta::always_false<Statement>);
};

// Keys: how many one-column foreign keys join(table) found between the joined table and FROM.
template <class Joined, class Visible, std::size_t Keys>
struct assert_one_foreign_key_between {
    CTORM_DETAIL_RULE(
        "ctorm: join(table) without a condition needs exactly one foreign key between the joined table and the "
        "tables in FROM (see the count below); write the condition: join(posts, posts.author_id == users.id)",
        Keys == 1);
};

// Column is void when the rule holds.
template <class Column>
struct assert_grouped_or_aggregated {
    CTORM_DETAIL_RULE(
        "ctorm: with group_by() or an aggregate, every selected column must be in group_by() or "
        "inside an aggregate (see the column type below)",
        std::is_void_v<Column>);
};

template <class Labeled, bool Defined>
struct assert_label_defined {
    CTORM_DETAIL_RULE(
        "ctorm: order_by() names a label that the select list does not define; select the labeled "
        "expression (expr.as<\"name\">()) first",
        Defined);
};

template <class T, std::size_t Fields, std::size_t Selected>
struct assert_into_field_count {
    CTORM_DETAIL_RULE("ctorm: into<T>(): T has a different number of fields than the select has columns",
                      Fields == Selected);
};

template <class T, std::size_t Index, class Field, class Column>
struct assert_into_field_type {
    CTORM_DETAIL_RULE(
        "ctorm: into<T>(): a field of T does not have the C++ type of its column (see Field and Column "
        "below; a nullable or outer-joined column needs std::optional)",
        std::is_same_v<Field, Column>);
};

namespace detail {

template <class E, class Tuple>
inline constexpr bool contains_tuple_element = false;
template <class E, class... Es>
inline constexpr bool contains_tuple_element<E, items<Es...>> = (std::is_same_v<E, Es> || ...);

template <class Table>
struct model_rows {};
struct expression_rows {};

// select(users, posts): rows are std::tuple<User, Post>, the tables' columns
// selected one table after the other.
template <class... Tables>
struct models_rows {};

// Field Column::member of the model at I of a tuple of models.
template <std::size_t I, class Column>
struct tuple_model_slot {
    using expression_type = Column;
    using value_type = typename Column::value_type;
    template <class Row>
    static constexpr value_type& target(Row& row) {
        return std::get<I>(row).*(Column::member);
    }
};

// .into<T>(): rows become a user struct adapted with BOOST_HANA_ADAPT_STRUCT
// (or defined with BOOST_HANA_DEFINE_STRUCT), field I taking result column I.
template <class T>
struct into_rows {};

// .named(): rows become detail::named_row (spelled auto), a std::tuple whose values also
// answer to their column's name or label (row.get<"post_count">()).
struct named_rows {};

template <std::size_t I, class T>
using hana_field_t = std::remove_cvref_t<decltype(boost::hana::second(
    boost::hana::at_c<I>(boost::hana::accessors<T>()))(std::declval<T&>()))>;

template <std::size_t I, class E, class T, class NullableTables>
struct into_slot {
    using expression_type = E;
    using value_type = hana_field_t<I, T>;
    template <class Row>
    static constexpr value_type& target(Row& row) {
        return boost::hana::second(boost::hana::at_c<I>(boost::hana::accessors<T>()))(row);
    }
};

template <class List>
struct tuple_of;
template <class... Ts>
struct tuple_of<type_list<Ts...>> {
    using type = items<Ts...>;
};

template <class Tuple>
struct tuple_items;
template <class... Es>
struct tuple_items<items<Es...>> {
    using columns = meta::concat<type_list<>, typename Es::columns...>;
    static constexpr bool any_aggregate = (Es::is_aggregate || ... || false);
    // The columns of the items that are not aggregates (they must be grouped).
    using plain_columns =
        meta::concat<type_list<>, std::conditional_t<Es::is_aggregate, type_list<>, typename Es::columns>...>;
    template <class D, class W>
    static constexpr void render(W& w) {
        render_list<D, W, Es...>(w);
    }
    // The select list: labeled expressions add their AS "name".
    template <class D, class W>
    static constexpr void render_select_list(W& w) {
        [[maybe_unused]] bool first = true;
        ((first ? void(first = false) : w.put(", "), render_select_item<D, Es>(w)), ...);
    }
    template <class D, class E, class W>
    static constexpr void render_select_item(W& w) {
        if constexpr (requires { E::template render_select_item<D>(w); }) E::template render_select_item<D>(w);
        else render_node<D, E>(w);
    }
    template <class F>
    static constexpr void visit(const items<Es...>& list, F& f) {
        list.visit_params(f);
    }
};

template <class Tables>
struct table_references;
template <class... Ts>
struct table_references<type_list<Ts...>> {
    template <class W>
    static constexpr void render(W& w) {
        [[maybe_unused]] bool first = true;
        ((first ? void(first = false) : w.put(", "), render_table_reference<Ts>(w)), ...);
    }
};

struct named_source {
    template <class F>
    constexpr void visit_params(F&) const {}
};

template <join_kind Kind, class Table, class On, class Source = named_source>
struct join_clause {
    using table_type = Table;
    static constexpr join_kind kind = Kind;
    static constexpr bool is_aggregate = false;
    using columns = typename On::columns;
    [[no_unique_address]] On on;
    [[no_unique_address]] Source source;  // a derived table's query; empty for a named table
    // First: the first entry of FROM (no base table before it).
    template <class D, bool First = false, class W>
    static constexpr void render(W& w) {
        if constexpr (Kind == join_kind::inner) w.put(" JOIN ");
        else if constexpr (Kind == join_kind::left) w.put(" LEFT OUTER JOIN ");
        else if constexpr (Kind == join_kind::right) w.put(" RIGHT OUTER JOIN ");
        else if constexpr (Kind == join_kind::full) w.put(" FULL OUTER JOIN ");
        else if constexpr (Kind == join_kind::cross) w.put(" CROSS JOIN ");
        else w.put(First ? " FROM " : ", ");
        if constexpr (std::is_same_v<Source, named_source>) render_table_reference<Table>(w);
        else Source::template render_reference<D>(w);
        if constexpr (Kind != join_kind::cross && Kind != join_kind::from) {
            w.put(" ON ");
            On::template render<D>(w);
        }
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        source.visit_params(f);
        on.visit_params(f);
    }
};

template <class Joins>
struct join_info;
template <class... Js>
struct join_info<items<Js...>> {
    using tables = type_list<typename Js::table_type...>;
    // NoBase: FROM has no named table, so the first entry (a derived table) opens it.
    template <class D, bool NoBase, class W>
    static constexpr void render(W& w) {
        render_each<D, NoBase>(w, std::index_sequence_for<Js...>{});
    }
    template <class D, bool NoBase, class W, std::size_t... Is>
    static constexpr void render_each(W& w, std::index_sequence<Is...>) {
        (Js::template render < D, NoBase && Is == 0 > (w), ...);
    }
};

// Tables whose columns may come back NULL because of outer joins: the right
// side of a LEFT join, everything before a RIGHT join, both sides of a FULL one.
template <class Before, class Joins>
struct nullable_tables_impl;
template <class Before>
struct nullable_tables_impl<Before, items<>> {
    using type = type_list<>;
};
template <class Before, class J, class... Js>
struct nullable_tables_impl<Before, items<J, Js...>> {
    using here = std::conditional_t<
        J::kind == join_kind::left, type_list<typename J::table_type>,
        std::conditional_t<J::kind == join_kind::right, Before,
                           std::conditional_t<J::kind == join_kind::full,
                                              meta::concat<Before, type_list<typename J::table_type>>, type_list<>>>>;
    using type =
        meta::set_union<here, typename nullable_tables_impl<meta::concat<Before, type_list<typename J::table_type>>,
                                                            items<Js...>>::type>;
};

template <class Columns, class Tables>
inline constexpr bool any_column_in = false;
template <class... Cs, class Tables>
inline constexpr bool any_column_in<type_list<Cs...>, Tables> = (meta::contains<typename Cs::table_type, Tables> ||
                                                                 ...);

template <class E, class NullableTables>
using joined_value_t = maybe_optional<typename E::value_type,
                                      is_nullable_v<typename E::value_type> ||
                                          (!E::is_aggregate && any_column_in<typename E::columns, NullableTables>)>;

template <class E, class NullableTables>
struct joined_scalar_slot {
    using expression_type = E;
    using value_type = joined_value_t<E, NullableTables>;
    template <class Row>
    static constexpr value_type& target(Row& row) {
        return row;
    }
};
template <std::size_t I, class E, class NullableTables>
struct joined_tuple_slot {
    using expression_type = E;
    using value_type = joined_value_t<E, NullableTables>;
    template <class Row>
    static constexpr value_type& target(Row& row) {
        return std::get<I>(row);
    }
};

// The foreign keys a join(table) may take its condition from: the joined
// table's one-column keys into a visible table, and the visible tables' keys
// into the joined one, each as the pair of columns the condition equates.
template <class Column, class Target>
struct join_key {
    using first = Column;
    using second = Target;
};
template <class Key>
struct one_column_key {
    using type = type_list<>;
};
template <class C, class Target>
struct one_column_key<foreign_key_constraint<type_list<C>, type_list<Target>>> {
    using type = type_list<join_key<C, Target>>;
};
template <class Keys, class Tables>
struct keys_into;
template <class... Ks, class Tables>
struct keys_into<type_list<Ks...>, Tables> {
    using type =
        meta::concat<type_list<>, std::conditional_t<(meta::index_of<typename Ks::target_table, Tables> < Tables::size),
                                                     typename one_column_key<Ks>::type, type_list<>>...>;
};
template <class T, class Visible>
struct join_foreign_keys;
template <class T, class... Vs>
struct join_foreign_keys<T, type_list<Vs...>> {
    using type = meta::concat<typename keys_into<foreign_keys_t<T>, type_list<Vs...>>::type,
                              typename keys_into<foreign_keys_t<Vs>, type_list<T>>::type...>;
};

template <class Rows, class SelectList, class NullableTables>
struct select_row;
template <class Table, class... Cs, class NullableTables>
struct select_row<model_rows<Table>, items<Cs...>, NullableTables> {
    using row_type = typename Table::ctorm_model;
    using slots = type_list<model_slot<Cs>...>;
};
template <std::size_t I, class Columns>
struct tuple_model_slots;
template <std::size_t I, class... Cs>
struct tuple_model_slots<I, type_list<Cs...>> {
    using type = type_list<tuple_model_slot<I, Cs>...>;
};

template <class List>
struct first_in;
template <class T, class... Ts>
struct first_in<type_list<T, Ts...>> {
    using type = T;
};

template <class Table, bool HasKey>
struct assert_outer_joined_model_has_key {
    CTORM_DETAIL_RULE(
        "ctorm: select(a, b) of whole models: an outer-joined model (see below) is told missing by its primary key "
        "being NULL, and this table has none; select its columns instead",
        HasKey);
};

// Rows std::tuple<A, B, ...>, with std::optional<B> for a table outer-joined
// (LEFT JOIN's right side, ...): missing where the join found no row.
template <class... Tables, class... Cs, class NullableTables>
struct select_row<models_rows<Tables...>, items<Cs...>, NullableTables> {
    template <class T>
    static constexpr bool outer_joined = meta::contains<T, NullableTables>;
    using row_type = std::tuple<std::conditional_t<outer_joined<Tables>, std::optional<typename Tables::ctorm_model>,
                                                   typename Tables::ctorm_model>...>;
    // The statement's columns and C++ types, as the backends check a result
    // against (a model read alone reads with these).
    template <std::size_t... Is>
    static meta::concat<typename tuple_model_slots<Is, typename Tables::ctorm_columns>::type...> make(
        std::index_sequence<Is...>);
    using slots = decltype(make(std::index_sequence_for<Tables...>{}));

    // With an outer-joined model, each model is read as a part of the row
    // (the cursor's read_columns), an optional one only when its key is not NULL.
    template <class Cursor, class Row>
        requires(outer_joined<Tables> || ...)
    static void read_row(Cursor& c, Row& row) { read_parts(c, row, std::index_sequence_for<Tables...>{}); }

private:
    // Where table I's columns start in the row.
    template <std::size_t I>
    static constexpr std::size_t first_column = [] {
        constexpr std::size_t sizes[] = {Tables::ctorm_columns::size...};
        std::size_t at = 0;
        for (std::size_t i = 0; i < I; ++i) at += sizes[i];
        return at;
    }();
    template <class Cursor, class Row, std::size_t... Is>
    static void read_parts(Cursor& c, Row& row, std::index_sequence<Is...>) {
        (read_part<Tables, first_column<Is>>(c, std::get<Is>(row)), ...);
    }
    template <class Table, std::size_t At, class Cursor, class Part>
    static void read_part(Cursor& c, Part& part) {
        using columns = typename Table::ctorm_columns;
        using model_slots = model_slots_t<columns>;
        if constexpr (outer_joined<Table>) {
            using key = primary_key_t<Table>;
            (void)assert_outer_joined_model_has_key<Table, (key::size > 0)>::check();
            if constexpr (key::size > 0) {
                using first_key = typename first_in<key>::type;
                typename optional_slot<first_key>::value_type present;
                c.template read_columns<At + meta::index_of<first_key, columns>, type_list<optional_slot<first_key>>>(
                    present);
                if (!present) {
                    part.reset();
                    return;
                }
                c.template read_columns<At, model_slots>(part.emplace());
            }
        } else {
            c.template read_columns<At, model_slots>(part);
        }
    }
};
template <class T, class... Es, class NullableTables>
struct select_row<into_rows<T>, items<Es...>, NullableTables> {
    using row_type = T;
    template <std::size_t... Is>
    static type_list<into_slot<Is, Es, T, NullableTables>...> make(std::index_sequence<Is...>);
    using slots = decltype(make(std::index_sequence_for<Es...>{}));
};
template <class... Es, class NullableTables>
struct select_row<named_rows, items<Es...>, NullableTables> {
    using row_type = named_row<items<Es...>, joined_value_t<Es, NullableTables>...>;
    template <std::size_t... Is>
    static type_list<joined_tuple_slot<Is, Es, NullableTables>...> make(std::index_sequence<Is...>);
    using slots = decltype(make(std::index_sequence_for<Es...>{}));
};
template <class E, class NullableTables>
struct select_row<expression_rows, items<E>, NullableTables> {
    using row_type = joined_value_t<E, NullableTables>;
    using slots = type_list<joined_scalar_slot<E, NullableTables>>;
};
template <class... Es, class NullableTables>
struct select_row<expression_rows, items<Es...>, NullableTables> {
    using row_type = std::tuple<joined_value_t<Es, NullableTables>...>;
    template <std::size_t... Is>
    static type_list<joined_tuple_slot<Is, Es, NullableTables>...> make(std::index_sequence<Is...>);
    using slots = decltype(make(std::index_sequence_for<Es...>{}));
};

template <class T>
constexpr auto as_order_term(const T& t) {
    if constexpr (std::is_base_of_v<order_tag, T>) return t;
    else return order_term<T, 0>{{}, t};
}

template <class Columns, class Grouped>
struct first_ungrouped;
template <class Grouped>
struct first_ungrouped<type_list<>, Grouped> {
    using type = void;
};
template <class C, class... Cs, class Grouped>
struct first_ungrouped<type_list<C, Cs...>, Grouped> {
    using type =
        std::conditional_t<meta::contains<C, Grouped>, typename first_ungrouped<type_list<Cs...>, Grouped>::type, C>;
};

template <class List, class Remove>
struct set_difference;
template <class... Ts, class Remove>
struct set_difference<type_list<Ts...>, Remove> {
    using type =
        meta::concat<type_list<>, std::conditional_t<meta::contains<Ts, Remove>, type_list<>, type_list<Ts>>...>;
};

// --- expressions that repeat -------------------------------------------------
// PostgreSQL compares the select list, HAVING and ORDER BY with GROUP BY by
// structure, and a placeholder is only the same expression as itself: an
// expression that repeats one holding values (coalesce(x, "none"), price / 10)
// must be written with the same placeholders ($1 twice, not $1 and $2: 42803).
// Two ways, both binding the values once, where the expression first appears:
// - a select with a GROUP BY key that is not a column renders its select
//   list, GROUP BY, HAVING and ORDER BY under a repeat scope with those keys
//   (sql/render.hpp): each key repeats, at any depth, wherever it appears again;
// - an ORDER BY term repeating a selected expression that is not a key
//   (sum(price * 2)) repeats that select item's placeholders (order_repeat).
// The values must then be the same: group_by(), having() and order_by() check them.

template <std::size_t I, class List>
using item_t = std::remove_cvref_t<decltype(item<I>(std::declval<const List&>()))>;

template <class E>
struct unlabeled {
    using type = E;
};
template <class E, fixed_string Name>
struct unlabeled<labeled<E, Name>> {
    using type = E;
};

// The position of the first item of List that is E (labels aside), or
// List::size. Columns never repeat: they hold no values (and order_by(a
// column) is the common case, which this keeps free).
template <class E, class List>
inline constexpr std::size_t first_appearance = List::size;
template <class E, class... Es>
    requires(!column_expression<E>)
inline constexpr std::size_t first_appearance<E, items<Es...>> = [] {
    std::size_t i = 0;
    (void)((std::is_same_v<typename unlabeled<E>::type, typename unlabeled<Es>::type> || (++i, false)) || ...);
    return i;
}();

// The keys of a select's repeat scope (none: the select has no scope): its
// GROUP BY keys, labels aside, that are neither columns nor bare values, and
// whose C++ type no other key has (group_by(x / 10, x / 100): two keys of one
// type, each its own expression, neither repeats).
template <class E>
inline constexpr bool bare_value = false;
template <class V>
inline constexpr bool bare_value<param<V>> = true;
template <class Keys>
struct single_keys;
template <class... Ks>
struct single_keys<type_list<Ks...>> {
    template <class K>
    static constexpr std::size_t count = (std::size_t(std::is_same_v<K, Ks>) + ... + 0);
    using type = meta::concat<type_list<>, std::conditional_t<count<Ks> == 1, type_list<Ks>, type_list<>>...>;
};
template <class K>
inline constexpr bool repeat_key_candidate = !column_expression<K> && !bare_value<K>;
template <class GroupBy>
struct repeat_scope_keys;
template <class... Gs>
struct repeat_scope_keys<items<Gs...>> {
    using type = typename single_keys<
        meta::concat<type_list<>, std::conditional_t<repeat_key_candidate<typename unlabeled<Gs>::type>,
                                                     type_list<typename unlabeled<Gs>::type>, type_list<>>...>>::type;
};
template <class GroupBy>
using repeat_keys_of = typename repeat_scope_keys<GroupBy>::type;

// Whether an ORDER BY term's expression E may repeat a select item: not a
// column (no values), not a label (the term renders as its name), not a
// GROUP BY key (it repeats through the scope).
template <class E, class GroupBy>
concept repeat_candidate = !column_expression<E> && !requires {
    E::label;
}
&&!meta::contains<E, repeat_keys_of<GroupBy>>;

// Where an ORDER BY term's expression first appeared in the select list
// (SelectList::size: it does not repeat one).
template <class Term, class SelectList, class GroupBy>
struct order_repeat {
    using E = typename Term::expression_type;
    static constexpr std::size_t in_select =
        repeat_candidate<E, GroupBy> ? first_appearance<E, SelectList> : SelectList::size;
    static constexpr bool repeats = in_select < SelectList::size;
};

// Whether some ORDER BY term of a select repeats a select item. Most selects
// have none (they sort by columns): they render and bind ORDER BY as it is.
template <class SelectList, class GroupBy, class Order>
inline constexpr bool any_repeat = false;
template <class SelectList, class GroupBy, class... Ts>
    requires(repeat_candidate<typename Ts::expression_type, GroupBy> || ...)
inline constexpr bool any_repeat<SelectList, GroupBy, items<Ts...>> =
    (order_repeat<Ts, SelectList, GroupBy>::repeats || ...);

// Whether an ORDER BY term may be NULL in the statement's rows: by its type,
// or as a column of an outer-joined table (as joined_value_t says of results).
template <class Term, class NullableTables>
inline constexpr bool term_may_be_null = is_nullable_v<typename Term::expression_type::value_type> ||
                                         (!Term::is_aggregate && any_column_in<typename Term::columns, NullableTables>);

template <class D, class NullableTables, class W, class... Ts>
constexpr void render_order_list(W& w, items<Ts...>*) {
    [[maybe_unused]] bool first = true;
    ((first ? void(first = false) : w.put(", "), Ts::template render_term<D, term_may_be_null<Ts, NullableTables>>(w)),
     ...);
}

// The placeholder count before each select item, noted while a select renders
// (one more slot: no zero-size arrays).
template <std::size_t Selected>
struct placeholder_marks {
    unsigned select[Selected + 1]{};
};

template <class V>
constexpr bool same_value(const V& a, const V& b) {
    if constexpr (requires { static_cast<bool>(a == b); }) {
        return static_cast<bool>(a == b);
    } else if constexpr (requires {
                             a.size();
                             a.begin();
                         }) {  // std::span<const std::byte>
        if (a.size() != b.size()) return false;
        auto other = b.begin();
        for (const auto& x : a) {
            if (!same_value(x, *other++)) return false;
        }
        return true;
    } else {
        return true;  // std::nullopt
    }
}

// Whether `again`, an expression of the type of `first` (labels aside), holds
// the same values. Values are few: the i-th of one is found by visiting the other.
template <class First, class Again>
constexpr bool same_bound_values(const First& first, const Again& again) {
    bool same = true;
    unsigned i = 0;
    auto each_again = [&](const auto& value) {
        unsigned j = 0;
        auto each_first = [&](const auto& other) {
            if constexpr (std::is_same_v<decltype(value), decltype(other)>) {
                if (j == i && !same_value(other, value)) same = false;
            }
            ++j;
        };
        first.visit_params(each_first);
        ++i;
    };
    again.visit_params(each_again);
    return same;
}

[[noreturn]] inline void throw_repeated(const char* clause) {
    throw error(std::string(clause) +
                " repeats a selected or grouped expression with other values: a repeated expression "
                "reuses the values of its first appearance (PostgreSQL sees two different expressions "
                "otherwise); write the same values, or order by a label");
}

// The values' twin of sql/render.hpp's repeat_scope_writer: binds a key's
// values where it first appears and skips them where it appears again, after
// checking they are the same values (the text repeats the first ones).
template <class F, class... Keys>
struct repeat_scope_visitor<F, type_list<Keys...>> {
    F& out;
    const char* clause;  // for the message: "ctorm: having()"
    bool active = true;
    std::tuple<const Keys*...> first{};

    template <class V>
    constexpr void operator()(const V& value) {
        out(value);
    }
    template <class Node>
    constexpr void visit_scoped(const Node& node) {
        if constexpr (meta::contains<Node, type_list<Keys...>>) {
            if (active) {
                auto& seen = std::get<meta::index_of<Node, type_list<Keys...>>>(first);
                if (seen != nullptr) {
                    if (!same_bound_values(*seen, node)) throw_repeated(clause);
                    return;
                }
                seen = &node;
            }
        }
        if constexpr (aggregates_rows<Node>) {
            const bool was = active;
            active = false;
            node.visit_params(*this);
            active = was;
        } else {
            node.visit_params(*this);
        }
    }
};

// Throws when a select's keys repeat with other values (group_by(),
// having() and order_by() of a scoped select call it).
struct ignore_values {
    template <class V>
    constexpr void operator()(const V&) const {}
};
template <class Select>
constexpr void check_scoped_repeats(const Select& select, const char* clause) {
    ignore_values none;
    repeat_scope_visitor<ignore_values, typename Select::repeat_keys> check{none, clause};
    select.visit_clauses(check);
}

template <class SelectList, class GroupBy, class Term>
constexpr void check_repeated_term(const SelectList& selected, const Term& term) {
    using R = order_repeat<Term, SelectList, GroupBy>;
    if constexpr (R::in_select < SelectList::size) {
        if (!same_bound_values(item<R::in_select>(selected), term.operand)) throw_repeated("ctorm: order_by()");
    }
}

struct no_marks {};
template <class SelectList, class GroupBy, class Order>
using clause_marks =
    std::conditional_t<any_repeat<SelectList, GroupBy, Order>, placeholder_marks<SelectList::size>, no_marks>;

// The select list and ORDER BY of a select, rendered and bound with the
// repeats (any_repeat) in mind; without repeats, as they are. Apart from
// select_statement, whose every builder step is a new type: a member there
// costs compiler memory in every select, used or not.
template <class SelectList, class GroupBy, class Order>
struct select_clauses {
    static constexpr bool repeats = any_repeat<SelectList, GroupBy, Order>;

    // With marks, noting each item's first placeholder; with no_marks, as it is.
    template <class D, class W, class Marks>
    static constexpr void render_select_list(W& w, Marks& marks) {
        if constexpr (!std::is_same_v<Marks, no_marks>) {
            [&]<class... Es>(items<Es...>*) {
                unsigned* starts = marks.select;
                [[maybe_unused]] bool first = true;
                ((first ? void(first = false) : w.put(", "), *starts++ = w.params,
                  tuple_items<SelectList>::template render_select_item<D, Es>(w)),
                 ...);
            }(static_cast<SelectList*>(nullptr));
        } else {
            tuple_items<SelectList>::template render_select_list<D>(w);
        }
    }
    template <class D, class NullableTables, class W, class Marks>
    static constexpr void render_order_terms(W& w, const Marks& marks) {
        if constexpr (!std::is_same_v<Marks, no_marks>) {
            [&]<std::size_t... Is>(std::index_sequence<Is...>) {
                ((Is == 0 ? void() : w.put(", "), render_order_term<D, NullableTables, Is>(w, marks)), ...);
            }
            (std::make_index_sequence<Order::size>{});
        } else {
            render_order_list<D, NullableTables>(w, static_cast<Order*>(nullptr));
        }
    }
    template <class F>
    static constexpr void visit_order_terms(const Order& terms, F& f) {
        if constexpr (repeats) {
            [&]<std::size_t... Is>(std::index_sequence<Is...>) {
                ((order_repeat<item_t<Is, Order>, SelectList, GroupBy>::repeats ? void()
                                                                                : visit_node(item<Is>(terms), f)),
                 ...);
            }
            (std::make_index_sequence<Order::size>{});
        } else {
            tuple_items<Order>::visit(terms, f);
        }
    }

private:
    template <class D, class NullableTables, std::size_t I, class W, class Marks>
    static constexpr void render_order_term(W& w, const Marks& marks) {
        using T = item_t<I, Order>;
        using R = order_repeat<T, SelectList, GroupBy>;
        constexpr bool may_be_null = term_may_be_null<T, NullableTables>;
        if constexpr (R::repeats) {
            auto again = again_writer(w, marks.select[R::in_select]);
            T::template render_term<D, may_be_null>(again);
        } else {
            T::template render_term<D, may_be_null>(w);
        }
    }
};

// FROM, JOIN and WHERE are outside a select's repeat scope (sql/render.hpp):
// pause_scope(w or f) makes it inactive there and says whether it was active.
template <class X>
constexpr bool pause_scope(X& x) {
    if constexpr (requires { x.active = false; }) {
        const bool was = x.active;
        x.active = false;
        return was;
    } else {
        return false;
    }
}
template <class X>
constexpr void resume_scope(X& x, bool was) {
    if constexpr (requires { x.active = was; }) x.active = was;
}

struct select_tag {};

template <class Rows, class SelectList, class From, class Joins, class Where, class GroupBy, class Having, class Order,
          class Options, class Correlated = type_list<>>
struct select_statement : select_tag {
    [[no_unique_address]] SelectList select_list;
    [[no_unique_address]] Joins joins;
    [[no_unique_address]] Where where_clause;
    [[no_unique_address]] GroupBy group_by_list;
    [[no_unique_address]] Having having_clause;
    [[no_unique_address]] Order order;
    std::int64_t limit_value = 0;
    std::int64_t offset_value = 0;

    using joined_tables = typename detail::join_info<Joins>::tables;
    using correlated_tables = Correlated;
    using select_list_type = SelectList;
    // FROM: the tables of what is selected and of from(), less the joined and correlated ones.
    using base_tables = typename detail::set_difference<
        meta::set_union<From,
                        typename detail::tables_of_columns<typename detail::tuple_items<SelectList>::columns>::type>,
        meta::concat<joined_tables, Correlated>>::type;
    // What the clauses may refer to.
    using visible_tables = meta::concat<base_tables, joined_tables, Correlated>;
    using nullable_tables = typename detail::nullable_tables_impl<base_tables, Joins>::type;
    using grouped_columns = typename detail::tuple_items<GroupBy>::columns;
    static constexpr bool aggregated = GroupBy::size > 0 || detail::tuple_items<SelectList>::any_aggregate;
    // Every column any clause uses (for correlation checks of subqueries).
    using all_columns = meta::concat<typename detail::tuple_items<SelectList>::columns, typename Where::columns,
                                     typename detail::tuple_items<Joins>::columns, grouped_columns,
                                     typename Having::columns, typename detail::tuple_items<Order>::columns>;

    struct traits : detail::select_row<Rows, SelectList, nullable_tables> {
        static constexpr bool returns_rows = true;
        static constexpr bool is_bulk = false;
    };

    // A GROUP BY key that is not a column repeats, with its first
    // placeholders, wherever it appears after that (sql/render.hpp's repeat scope).
    using repeat_keys = detail::repeat_keys_of<GroupBy>;
    static constexpr bool repeat_scoped = repeat_keys::size > 0;

    template <class D, class W>
    static constexpr void render(W& w) {
        // A subquery is outside the enclosing select's repeat scope: its
        // expressions are its own (it may have a scope of its own).
        const bool enclosing = detail::pause_scope(w);
        if constexpr (repeat_scoped) {
            detail::repeat_scope_writer<W, repeat_keys> scope{w};
            render_clauses<D>(scope);
        } else {
            render_clauses<D>(w);
        }
        detail::resume_scope(w, enclosing);
    }
    template <class D, class W>
    static constexpr void render_clauses(W& w) {
        detail::clause_marks<SelectList, GroupBy, Order> marks;
        render_head<D>(w, marks);
        if constexpr (!std::is_same_v<Where, detail::no_where>) {
            w.put(" WHERE ");
            const bool scope = detail::pause_scope(w);
            Where::template render<D>(w);
            detail::resume_scope(w, scope);
        }
        render_group_having<D>(w);
        if constexpr (Order::size > 0) {
            w.put(" ORDER BY ");
            if constexpr (std::is_same_v<decltype(marks), detail::no_marks>)
                detail::render_order_list<D, nullable_tables>(w, static_cast<Order*>(nullptr));
            else
                detail::select_clauses<SelectList, GroupBy, Order>::template render_order_terms<D, nullable_tables>(
                    w, marks);
        }
        D::template render_limit_offset<Options::limit, Options::offset>(w);
        render_lock<D>(w);
    }

    template <class F>
    constexpr void visit_params(F& f) const {
        const bool enclosing = detail::pause_scope(f);
        if constexpr (repeat_scoped) {
            detail::repeat_scope_visitor<F, repeat_keys> scope{f, "ctorm: select"};
            visit_clauses(scope);
        } else {
            visit_clauses(f);
        }
        detail::resume_scope(f, enclosing);
    }
    // visit_params under the statement's own repeat scope, if it has one.
    template <class F>
    constexpr void visit_clauses(F& f) const {
        visit_head(f);
        const bool scope = detail::pause_scope(f);
        where_clause.visit_params(f);
        detail::resume_scope(f, scope);
        visit_group_having(f);
        if constexpr (detail::any_repeat<SelectList, GroupBy, Order>)
            detail::select_clauses<SelectList, GroupBy, Order>::visit_order_terms(order, f);
        else detail::tuple_items<Order>::visit(order, f);
        if constexpr (Options::limit) f(limit_value);
        if constexpr (Options::offset) f(offset_value);
    }

    // The parts of the text and of the values, in text order, for dynamic_select.
    // Marks: clause_marks<...>, filled as the clauses render (no_marks: nothing repeats).
    template <class D, class W, class Marks>
    static constexpr void render_head(W& w, Marks& marks) {
        if constexpr (aggregated) {
            (void)assert_grouped_or_aggregated<typename detail::first_ungrouped<
                typename detail::tuple_items<SelectList>::plain_columns, grouped_columns>::type>::check();
        }
        w.put(Options::distinct ? "SELECT DISTINCT " : "SELECT ");
        if constexpr (std::is_same_v<Marks, detail::no_marks>)
            detail::tuple_items<SelectList>::template render_select_list<D>(w);
        else detail::select_clauses<SelectList, GroupBy, Order>::template render_select_list<D>(w, marks);
        const bool scope = detail::pause_scope(w);
        if constexpr (base_tables::size > 0) {
            w.put(" FROM ");
            detail::table_references<base_tables>::render(w);
        }
        detail::join_info<Joins>::template render<D, base_tables::size == 0>(w);
        detail::resume_scope(w, scope);
    }
    template <class D, class W>
    static constexpr void render_group_having(W& w) {
        if constexpr (GroupBy::size > 0) {
            w.put(" GROUP BY ");
            detail::tuple_items<GroupBy>::template render<D>(w);
        }
        if constexpr (!std::is_same_v<Having, detail::no_where>) {
            w.put(" HAVING ");
            detail::render_node<D, Having>(w);
        }
    }
    template <class D, class W>
    static constexpr void render_lock(W& w) {
        if constexpr (Options::lock != lock_mode::none) {
            (void)assert_dialect_supports_row_locks<D>::check();
            if constexpr (Options::lock == lock_mode::share) w.put(" FOR SHARE");
            else w.put(" FOR UPDATE");
            if constexpr (Options::lock == lock_mode::update_skip_locked) w.put(" SKIP LOCKED");
            if constexpr (Options::lock == lock_mode::update_nowait) w.put(" NOWAIT");
        }
    }
    template <class F>
    constexpr void visit_head(F& f) const {
        detail::tuple_items<SelectList>::visit(select_list, f);
        const bool scope = detail::pause_scope(f);
        detail::tuple_items<Joins>::visit(joins, f);
        detail::resume_scope(f, scope);
    }
    template <class F>
    constexpr void visit_group_having(F& f) const {
        detail::tuple_items<GroupBy>::visit(group_by_list, f);
        detail::visit_node(having_clause, f);
    }
    static constexpr bool ctorm_has_order_or_limit = Order::size > 0 || Options::limit || Options::offset;
    using where_type = Where;
    using order_type = Order;
    using options_type = Options;

    // Adds tables to FROM (needed when nothing selected names them, as in count()).
    template <table_type T>
        requires requires { T::ctorm_is_derived; }
    constexpr auto from(const T& derived) const {
        using J = detail::join_clause<join_kind::from, detail::table_identity_t<T>, detail::no_where, T>;
        auto all = detail::append_item(joins, J{{}, derived});
        return rebuild<Rows, SelectList, From, decltype(all)>(all, where_clause, group_by_list, having_clause, order);
    }
    template <table_type... Ts>
        requires(!requires { Ts::ctorm_is_derived; } && ...)
    constexpr auto from(const Ts&...) const {
        return rebuild<Rows, SelectList, meta::set_union<From, type_list<detail::table_identity_t<Ts>...>>>(
            joins, where_clause, group_by_list, having_clause, order);
    }

    // join(table, on): INNER JOIN; outer_join: LEFT OUTER JOIN (its columns come back optional).
    template <table_type T, expression On>
    constexpr auto join(const T& t, const On& on) const {
        return add_join<join_kind::inner>(t, on);
    }
    template <table_type T, expression On>
    constexpr auto outer_join(const T& t, const On& on) const {
        return add_join<join_kind::left>(t, on);
    }
    template <table_type T, expression On>
    constexpr auto right_join(const T& t, const On& on) const {
        return add_join<join_kind::right>(t, on);
    }
    template <table_type T, expression On>
    constexpr auto full_join(const T& t, const On& on) const {
        return add_join<join_kind::full>(t, on);
    }
    // join(table) / outer_join(table): the condition from the one foreign key
    // between the joined table and a table already in FROM, in either direction.
    template <table_type T>
    constexpr auto join(const T& t) const {
        return add_join<join_kind::inner>(t, inferred_join_condition<detail::table_identity_t<T>>());
    }
    template <table_type T>
    constexpr auto outer_join(const T& t) const {
        return add_join<join_kind::left>(t, inferred_join_condition<detail::table_identity_t<T>>());
    }
    // join(users.posts) / outer_join(users.posts): the relationship's target
    // on the relationship's columns (for many-to-many, its association table
    // first, then the target); the relationship's owner must be in FROM.
    template <class Rel>
        requires is_relationship_v<Rel>
    constexpr auto join(const Rel&) const { return join_relationship<Rel, false>(); }
    template <class Rel>
        requires is_relationship_v<Rel>
    constexpr auto outer_join(const Rel&) const { return join_relationship<Rel, true>(); }
    template <table_type Joined>
    constexpr auto cross_join(const Joined&) const {
        using T = detail::table_identity_t<Joined>;
        using J = detail::join_clause<join_kind::cross, T, detail::no_where>;
        auto all = detail::append_item(joins, J{});
        return rebuild<Rows, SelectList, From, decltype(all)>(all, where_clause, group_by_list, having_clause, order);
    }

    // where(a, b, c) is where(a).where(b).where(c): the conditions joined with AND.
    template <expression C, expression... Cs>
        requires(sizeof...(Cs) > 0)
    constexpr auto where(const C& condition, const Cs&... more) const { return where(condition).where(more...); }
    // A second where() is joined to the first with AND, as in SQLAlchemy.
    template <expression C>
    constexpr auto where(const C& condition) const {
        (void)assert_boolean_condition<C>::check();
        (void)assert_no_aggregate_in_where<C>::check();
        (void)check_columns_in<typename C::columns, visible_tables>::check();
        if constexpr (std::is_same_v<Where, detail::no_where>) {
            return rebuild<Rows, SelectList, From, Joins, C>(joins, condition, group_by_list, having_clause, order);
        } else {
            auto both = where_clause && condition;
            return rebuild<Rows, SelectList, From, Joins, decltype(both)>(joins, both, group_by_list, having_clause,
                                                                          order);
        }
    }

    template <expression... Es>
    constexpr auto group_by(const Es&... keys) const {
        static_assert(sizeof...(Es) > 0, "ctorm: group_by() needs at least one expression");
        (void)check_columns_in<meta::concat<type_list<>, typename Es::columns...>, visible_tables>::check();
        ((void)assert_no_aggregate_in_group_by<Es>::check(), ...);
        ((void)assert_no_window_in_group_by<Es>::check(), ...);
        auto all = detail::concat_items(group_by_list, items<Es...>{keys...});
        auto grouped = rebuild<Rows, SelectList, From, Joins, Where, decltype(all)>(joins, where_clause, all,
                                                                                    having_clause, order);
        if constexpr (decltype(grouped)::repeat_scoped) detail::check_scoped_repeats(grouped, "ctorm: group_by()");
        return grouped;
    }

    template <expression C>
    constexpr auto having(const C& condition) const {
        if constexpr (!aggregated && !C::is_aggregate) {
            (void)assert_having_needs_aggregation<select_statement>::check();
        }
        (void)assert_boolean_condition<C>::check();
        (void)assert_no_window_in_having<C>::check();
        (void)check_columns_in<typename C::columns, visible_tables>::check();
        auto filtered = [&] {
            if constexpr (std::is_same_v<Having, detail::no_where>) {
                return rebuild<Rows, SelectList, From, Joins, Where, GroupBy, C>(joins, where_clause, group_by_list,
                                                                                 condition, order);
            } else {
                auto both = having_clause && condition;
                return rebuild<Rows, SelectList, From, Joins, Where, GroupBy, decltype(both)>(
                    joins, where_clause, group_by_list, both, order);
            }
        }();
        if constexpr (repeat_scoped) detail::check_scoped_repeats(filtered, "ctorm: having()");
        return filtered;
    }

    template <class... Terms>
    constexpr auto order_by(const Terms&... terms) const {
        static_assert(sizeof...(Terms) > 0, "ctorm: order_by() needs at least one term");
        static_assert(((expression<Terms> || std::is_base_of_v<detail::order_tag, Terms>)&&...),
                      "ctorm: order_by() takes expressions or their .asc() / .desc()");
        (void)check_columns_in<meta::concat<type_list<>, typename Terms::columns...>, visible_tables>::check();
        (check_label_defined<Terms>(), ...);
        if constexpr ((detail::repeat_candidate<typename decltype(detail::as_order_term(terms))::expression_type,
                                                GroupBy> ||
                       ...))
            (detail::check_repeated_term<SelectList, GroupBy>(select_list, detail::as_order_term(terms)), ...);
        auto all = detail::concat_items(order, items{detail::as_order_term(terms)...});
        auto ordered = rebuild<Rows, SelectList, From, Joins, Where, GroupBy, Having, decltype(all)>(
            joins, where_clause, group_by_list, having_clause, all);
        if constexpr (repeat_scoped) detail::check_scoped_repeats(ordered, "ctorm: order_by()");
        return ordered;
    }

    constexpr auto limit(std::int64_t n) const {
        return with_options<select_options<Options::distinct, true, Options::offset, Options::lock>>(n, offset_value);
    }
    constexpr auto offset(std::int64_t n) const {
        return with_options<select_options<Options::distinct, Options::limit, true, Options::lock>>(limit_value, n);
    }
    constexpr auto distinct() const {
        return with_options<select_options<true, Options::limit, Options::offset, Options::lock>>(limit_value,
                                                                                                  offset_value);
    }
    // Row locks (PostgreSQL): FOR UPDATE [SKIP LOCKED | NOWAIT], FOR SHARE.
    constexpr auto for_update() const { return with_lock<lock_mode::update>(); }
    constexpr auto skip_locked() const { return with_lock<lock_mode::update_skip_locked>(); }
    constexpr auto nowait() const { return with_lock<lock_mode::update_nowait>(); }
    constexpr auto for_share() const { return with_lock<lock_mode::share>(); }

    // Rows as the struct T (adapted for Boost.Hana), checked field by field
    // against the selected columns.
    template <class T>
    constexpr auto into() const {
        static_assert(std::is_same_v<Rows, detail::expression_rows>,
                      "ctorm: into<T>() applies to a select of columns or expressions");
        check_into<T>(std::index_sequence_for<int>{});
        return select_statement<detail::into_rows<T>, SelectList, From, Joins, Where, GroupBy, Having, Order, Options,
                                Correlated>{{},    select_list, joins,       where_clause, group_by_list, having_clause,
                                            order, limit_value, offset_value};
    }

    // Rows as detail::named_row (spelled auto): the same values as the tuples (or single
    // values) a select of columns gives, each also read by its column's name
    // or its label, row.get<"post_count">(); structured bindings still work.
    constexpr auto named() const {
        static_assert(std::is_same_v<Rows, detail::expression_rows>,
                      "ctorm: named() applies to a select of columns or expressions");
        return select_statement<detail::named_rows, SelectList, From, Joins, Where, GroupBy, Having, Order, Options,
                                Correlated>{{},    select_list, joins,       where_clause, group_by_list, having_clause,
                                            order, limit_value, offset_value};
    }

    // For a subquery: tables of the enclosing statement its clauses may use.
    template <table_type... Ts>
    constexpr auto correlate(const Ts&...) const {
        return select_statement<Rows, SelectList, From, Joins, Where, GroupBy, Having, Order, Options,
                                meta::set_union<Correlated, type_list<Ts...>>>{
            {}, select_list, joins, where_clause, group_by_list, having_clause, order, limit_value, offset_value};
    }

private:
    template <class Rel, bool Outer>
    constexpr auto join_relationship() const {
        using owner = typename Rel::owner_table;
        constexpr bool visible = meta::contains<owner, visible_tables>;
        constexpr bool self = std::is_same_v<owner, typename Rel::target_table>;
        (void)assert_relationship_join<Rel, visible, self>::check();
        auto step = []<class T, class On>(const auto& q, T t, On on) {
            if constexpr (Outer) return q.outer_join(t, on);
            else return q.join(t, on);
        };
        if constexpr (!visible || self) {
            return *this;  // only the rule's message is printed
        } else if constexpr (Rel::kind == relationship_kind::many_to_many) {
            using through = typename Rel::through_table;
            auto linked =
                step(*this, typename through::table{}, typename through::owner_key{} == typename Rel::owner_column{});
            return step(linked, typename Rel::target_table{},
                        typename through::target_key{} == typename Rel::target_column{});
        } else {
            return step(*this, typename Rel::target_table{},
                        typename Rel::target_column{} == typename Rel::owner_column{});
        }
    }

    template <class Source, class Joined>
    static constexpr Source source_of(const Joined& joined) {
        if constexpr (std::is_same_v<Source, Joined>) return joined;
        else return {};
    }

    template <class T, class Slots, std::size_t... Is>
    static consteval void check_fields(std::index_sequence<Is...>) {
        using slots = typename detail::select_row<detail::expression_rows, SelectList, nullable_tables>::slots;
        [&]<class... Ss>(type_list<Ss...>*) {
            ((void)assert_into_field_type<T, Is, detail::hana_field_t<Is, T>, typename Ss::value_type>::check(), ...);
        }(static_cast<slots*>(nullptr));
    }
    template <class T, std::size_t... Unused>
    static consteval void check_into(std::index_sequence<Unused...>) {
        constexpr std::size_t fields = decltype(boost::hana::length(boost::hana::accessors<T>()))::value;
        constexpr std::size_t selected = SelectList::size;
        (void)assert_into_field_count<T, fields, selected>::check();
        if constexpr (fields == selected) check_fields<T, void>(std::make_index_sequence<fields>{});
    }

    template <class Term>
    static consteval void check_label_defined() {
        using E = typename decltype(detail::as_order_term(std::declval<Term>()))::expression_type;
        if constexpr (requires { E::label; }) {
            (void)assert_label_defined<E, detail::contains_tuple_element<E, SelectList>>::check();
        }
    }

    template <class R2, class S2, class F2, class J2 = Joins, class W2 = Where, class G2 = GroupBy, class H2 = Having,
              class O2 = Order>
    constexpr auto rebuild(const J2& j, const W2& w, const G2& g, const H2& h, const O2& o) const {
        return select_statement<R2, S2, F2, J2, W2, G2, H2, O2, Options, Correlated>{
            {}, select_list, j, w, g, h, o, limit_value, offset_value};
    }
    template <class O2>
    constexpr auto with_options(std::int64_t l, std::int64_t o) const {
        return select_statement<Rows, SelectList, From, Joins, Where, GroupBy, Having, Order, O2, Correlated>{
            {}, select_list, joins, where_clause, group_by_list, having_clause, order, l, o};
    }
    template <lock_mode L>
    constexpr auto with_lock() const {
        return with_options<select_options<Options::distinct, Options::limit, Options::offset, L>>(limit_value,
                                                                                                   offset_value);
    }
    template <class T>
    static constexpr auto inferred_join_condition() {
        using keys = typename detail::join_foreign_keys<T, visible_tables>::type;
        (void)assert_one_foreign_key_between<T, visible_tables, keys::size>::check();
        if constexpr (keys::size == 1) {
            using key = typename detail::single_column<keys>::type;
            return typename key::first{} == typename key::second{};
        } else {
            return detail::no_where{};
        }
    }
    template <join_kind Kind, class Joined, class On>
    constexpr auto add_join(const Joined& joined, const On& on) const {
        using T = detail::table_identity_t<Joined>;
        (void)assert_boolean_condition<On>::check();
        (void)check_columns_in<typename On::columns, meta::concat<visible_tables, type_list<T>>>::check();
        constexpr bool derived = requires { Joined::ctorm_is_derived; };
        using Source = std::conditional_t<derived, Joined, detail::named_source>;
        using J = detail::join_clause<Kind, T, On, Source>;
        auto all = detail::append_item(joins, J{on, source_of<Source>(joined)});
        return rebuild<Rows, SelectList, From, decltype(all)>(all, where_clause, group_by_list, having_clause, order);
    }
};

}  // namespace detail

template <class T>
concept select_statement_type = std::is_base_of_v<detail::select_tag, std::remove_cvref_t<T>>;

namespace detail {
template <class Rows, class List>
using initial_select = select_statement<Rows, List, type_list<>, items<>, no_where, items<>, no_where, items<>,
                                        select_options<false, false, false, lock_mode::none>>;
}

// select(users) selects whole User rows; select(users.id, users.email) selects
// tuples; select(count()) a single value.
template <table_type T>
constexpr auto select(const T&) {
    return detail::initial_select<detail::model_rows<T>, typename detail::tuple_of<typename T::ctorm_columns>::type>{};
}
// select(users, posts): whole models of several tables, rows std::tuple<User, Post>
// (join the others: .join(posts, posts.author_id == users.id) or .join(posts)).
template <table_type T, table_type U, table_type... Ts>
constexpr auto select(const T&, const U&, const Ts&...) {
    static_assert(meta::set_union<type_list<>, type_list<T, U, Ts...>>::size == 2 + sizeof...(Ts),
                  "ctorm: select(a, b): a table is named twice; select an alias of it (alias<\"x\">(t)) for the "
                  "second");
    using columns = meta::concat<typename T::ctorm_columns, typename U::ctorm_columns, typename Ts::ctorm_columns...>;
    return detail::initial_select<detail::models_rows<T, U, Ts...>, typename detail::tuple_of<columns>::type>{};
}
template <expression E, expression... Es>
constexpr auto select(const E& e, const Es&... es) {
    using list = detail::items<E, Es...>;
    return detail::initial_select<detail::expression_rows, list>{{}, {e, es...}, {}, {}, {}, {}, {}, 0, 0};
}

}  // namespace ctorm

namespace ctorm::detail {
// Does WHERE pin a unique key (an equality with a value, possibly ANDed with more)?
template <class Where>
struct pins_unique_key : std::false_type {};
// A table column declared unique, or the table's only primary-key column (not a CTE's or derived table's column).
template <class C>
constexpr bool is_unique_key_column() {
    if constexpr (requires { C::ctorm_options(); }) {
        return column_traits<C>::options.unique ||
               (column_traits<C>::options.primary_key && C::table_type::ctorm_primary_key_count == 1);
    } else {
        return false;
    }
}
template <class C, class V, int P>
    requires column_expression<C>
struct pins_unique_key<binary<op::eq, C, param<V>, P>> : std::bool_constant<is_unique_key_column<C>()> {
};
template <class L, class R, int P>
struct pins_unique_key<binary<op::and_, L, R, P>>
    : std::bool_constant<pins_unique_key<L>::value || pins_unique_key<R>::value> {};
// A select from exactly one table (no join, no grouping, not correlated) whose WHERE pins a unique key.
template <class Q>
struct at_most_one_row_impl : std::false_type {};
template <class Rows, class SelectList, class From, class Where, class Having, class Order, class Options>
struct at_most_one_row_impl<
    select_statement<Rows, SelectList, From, items<>, Where, items<>, Having, Order, Options, type_list<>>>
    : std::bool_constant<select_statement<Rows, SelectList, From, items<>, Where, items<>, Having, Order, Options,
                                          type_list<>>::base_tables::size == 1 &&
                         pins_unique_key<Where>::value> {};
template <class Q>
inline constexpr bool at_most_one_row = at_most_one_row_impl<Q>::value;
}  // namespace ctorm::detail
