// The expression tree: bound parameters, comparisons, logical operators, LIKE,
// IN, BETWEEN, IS NULL, ordering terms, assignments and aggregates, with the
// compile-time rules on the types they combine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "ctorm/errors.hpp"
#include "ctorm/meta/fixed_string.hpp"
#include "ctorm/meta/items.hpp"
#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/schema/types.hpp"
#include "ctorm/sql/render.hpp"

namespace ctorm {

namespace detail {
struct expression_tag {};
struct column_tag {};
struct select_tag;  // sql/select.hpp: what every select statement derives from

// Whether an expression holds a window function (over(...)) outside any
// subquery: its contains_window, false for the leaves that have none.
template <class E>
inline constexpr bool window_in = requires {
    requires E::contains_window;
};
}  // namespace detail

template <class T>
concept expression = std::is_base_of_v<detail::expression_tag, std::remove_cvref_t<T>>;
template <class T>
concept column_expression = std::is_base_of_v<detail::column_tag, std::remove_cvref_t<T>>;

// How tightly a node's top operator binds, the one scale every node and
// dialect uses to parenthesize only where needed: a child that binds less
// tightly than its parent is parenthesized. primary (a column, a value, a
// function call, a parenthesized subquery) binds tightest.
namespace detail::precedence {
inline constexpr int or_ = 1, and_ = 2, not_ = 3, compare = 4, additive = 5, multiplicative = 6, primary = 7;
}

// ---------------------------------------------------------------------------
// Rules (meta/rule.hpp): the compiler prints each one's message together with
// the types it was checked on.

template <class Column, class Value>
struct assert_comparable_types {
    CTORM_DETAIL_RULE_2("ctorm: comparing with std::nullopt is never true in SQL; use .is_null() or .is_not_null()",
                        (category_of<Value>() != category::null),
                        "ctorm: incompatible types in comparison: the SQL type of the left side does not match the "
                        "C++ type of the right side (e.g. a TEXT column compared with an integer)",
                        (comparable<typename Column::value_type, Value>()));
};

template <class Column, class Value>
struct assert_assignable_value {
    CTORM_DETAIL_RULE_2(
        "ctorm: a value that may be NULL (std::optional or std::nullopt) is assigned to a NOT NULL "
        "column; pass a plain value, or make the field std::optional",
        (is_nullable_v<typename Column::value_type> ||
         !(is_nullable_v<Value> || category_of<Value>() == category::null)),
        "ctorm: incompatible value for this column: its C++ type does not fit the column's SQL type "
        "(e.g. text into an integer column)",
        (assignable<typename Column::value_type, Value>()));
};

template <class Expression>
struct assert_boolean_condition {
    CTORM_DETAIL_RULE("ctorm: a condition must be a boolean expression (a comparison or a bool column)",
                      category_of<typename Expression::value_type>() == category::boolean);
};

template <class Argument>
struct assert_no_nested_aggregate {
    CTORM_DETAIL_RULE(
        "ctorm: an aggregate (count, sum, avg, min, max) cannot take an aggregate or a window function "
        "(over(...)) as its argument; compute the inner one in a subquery or CTE first",
        !Argument::is_aggregate && !detail::window_in<Argument>);
};

// in_(list) with a list known only at run time (std::vector, std::span,
// std::initializer_list): one statement text whatever its length.
template <class Expression, class Element>
struct assert_runtime_in_list {
    static constexpr category column = category_of<typename Expression::value_type>();
    static constexpr category element = category_of<Element>();
    CTORM_DETAIL_RULE_2(
        "ctorm: in_(list) with a run-time list takes integers, booleans, floating point numbers or text, "
        "compared with a column of the same kind (for other types, list the values: in_(a, b, c))",
        (column == category::integer || column == category::boolean || column == category::real ||
         column == category::string || column == category::enumeration),
        "ctorm: in_(list): the list's elements are not of the expression's kind (see the types below)",
        (element == column || (column == category::real && element == category::integer)) && !is_nullable_v<Element>);
};

template <class Expression>
struct assert_text_operand {
    CTORM_DETAIL_RULE("ctorm: like/ilike need a text expression on the left and a text pattern",
                      category_of<typename Expression::value_type>() == category::string);
};

// ---------------------------------------------------------------------------
// The nodes are implementation (detail::): users build them with operators
// and members, never by name, so none of their names can meet a user's table.

namespace detail {
// A LIKE pattern matching `text` itself (\ before each %, _ and \), with a
// % before it (lead) and after it (trail) as asked.
constexpr std::string like_text(std::string_view text, bool lead, bool trail) {
    std::string out;
    out.reserve(text.size() + 2);
    if (lead) out.push_back('%');
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    if (trail) out.push_back('%');
    return out;
}

// The offset of the first byte of `text` that a LIKE pattern cannot hold, or
// npos: a NUL byte, or a byte that is not part of well-formed UTF-8 (RFC 3629:
// no overlong forms, no surrogates, nothing past U+10FFFF). LIKE compares
// characters: SQLite's LIKE ends a text at its first NUL and reads every
// malformed sequence as U+FFFD, so such a pattern would match other text;
// PostgreSQL's text holds neither.
constexpr std::size_t first_unmatchable_byte(std::string_view text) noexcept {
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (c == 0) return i;
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned low = 0x80, high = 0xBF;  // the range of the byte after the first
        if (c >= 0xC2 && c <= 0xDF) length = 2;
        else if (c == 0xE0) length = 3, low = 0xA0;
        else if (c == 0xED) length = 3, high = 0x9F;
        else if (c >= 0xE1 && c <= 0xEF) length = 3;
        else if (c == 0xF0) length = 4, low = 0x90;
        else if (c >= 0xF1 && c <= 0xF3) length = 4;
        else if (c == 0xF4) length = 4, high = 0x8F;
        else return i;
        if (n - i < length) return i;
        const auto second = static_cast<unsigned char>(text[i + 1]);
        if (second < low || second > high) return i;
        for (std::size_t k = 2; k < length; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return i;
        i += length;
    }
    return std::string_view::npos;
}

// The table and column an expression names, for errors: a column's, or none.
template <class E>
constexpr std::string_view table_name_for_errors() {
    if constexpr (requires { E::table_type::ctorm_sql_name; }) return E::table_type::ctorm_sql_name;
    else return {};
}
template <class E>
constexpr std::string_view column_name_for_errors() {
    if constexpr (requires {
                      E::table_type::ctorm_sql_name;
                      E::sql_name;
                  })
        return E::sql_name;
    else return {};
}

[[noreturn, gnu::cold, gnu::noinline]] inline void throw_unmatchable(std::string_view table, std::string_view column,
                                                                     std::string what, std::string_view text,
                                                                     std::size_t at) {
    const bool nul = text[at] == '\0';
    what += nul ? " holds a NUL byte at byte " : " is not valid UTF-8 at byte ";
    what += std::to_string(at);
    what += nul ? " (SQLite would end the text there and match other rows; PostgreSQL's text cannot hold it)"
                : " (SQLite would read the bytes as U+FFFD and match other rows; PostgreSQL refuses them)";
    throw value_error(std::string(table), std::string(column), std::move(what));
}

// A LIKE pattern given as a value: refused, naming the column, when a byte of
// it cannot be matched as itself on both backends.
template <class E>
constexpr void check_like_pattern(std::string_view pattern) {
    const std::size_t at = first_unmatchable_byte(pattern);
    if (at != std::string_view::npos) [[unlikely]]
        throw_unmatchable(table_name_for_errors<E>(), column_name_for_errors<E>(), "a LIKE pattern", pattern, at);
}

template <class E, bool Negated>
struct null_test;
template <class E, class P, bool CaseInsensitive, bool Negated>
struct like_;
template <bool Negated, class E, class... Ps>
struct in_list;
template <bool Negated, class E, class V>
struct in_array;
// A container of values known at run time (not text itself, not a blob).
template <class R>
concept runtime_list = requires(const R& r) {
    std::begin(r);
    std::end(r);
    std::size(r);
}
&&!std::is_convertible_v<const R&, std::string_view> && !std::is_same_v<std::remove_cvref_t<R>, blob>;
template <class E, class A, class B>
struct between_;
template <class E, int Direction, int Nulls = 0>
struct order_term;
template <class E, fixed_string Name>
struct labeled;
template <class V>
struct param;
template <class P>
inline constexpr bool is_text_param = false;
template <>
inline constexpr bool is_text_param<param<std::string_view>> = true;
template <>
inline constexpr bool is_text_param<param<std::string>> = true;

template <class E>
[[noreturn, gnu::cold, gnu::noinline]] void throw_list_nul(std::size_t element, std::size_t at) {
    throw value_error(std::string(table_name_for_errors<E>()), std::string(column_name_for_errors<E>()),
                      "in_(list): element " + std::to_string(element) + " holds a NUL byte at byte " +
                          std::to_string(at) +
                          " (SQLite's JSON, which carries the list, would end the text there; PostgreSQL's text "
                          "cannot hold it)");
}

template <class V>
constexpr auto make_param(V&& v);
template <class E, class V>
constexpr auto operand(V&& v);
}  // namespace detail

template <class Derived>
struct expression_base : detail::expression_tag {
    constexpr const Derived& self() const { return static_cast<const Derived&>(*this); }

    constexpr auto is_null() const { return detail::null_test<Derived, false>{{}, self()}; }
    constexpr auto is_not_null() const { return detail::null_test<Derived, true>{{}, self()}; }

    template <class P>
    constexpr auto like(P&& pattern) const {
        return make_like<false, false>(std::forward<P>(pattern));
    }
    template <class P>
    constexpr auto not_like(P&& pattern) const {
        return make_like<false, true>(std::forward<P>(pattern));
    }
    // Case-insensitive LIKE: ILIKE on PostgreSQL, lower(x) LIKE lower(p) on SQLite.
    template <class P>
    constexpr auto ilike(P&& pattern) const {
        return make_like<true, false>(std::forward<P>(pattern));
    }
    // The text holds `text` (starts with it, ends with it) as it is: a % or _
    // or \ in it is matched as that character, not as a wildcard (it is
    // escaped, the same way on both backends). The i... forms ignore case as ilike does.
    constexpr auto contains(std::string_view text) const {
        return make_like<false, false>(detail::like_text(text, true, true));
    }
    constexpr auto startswith(std::string_view text) const {
        return make_like<false, false>(detail::like_text(text, false, true));
    }
    constexpr auto endswith(std::string_view text) const {
        return make_like<false, false>(detail::like_text(text, true, false));
    }
    constexpr auto icontains(std::string_view text) const {
        return make_like<true, false>(detail::like_text(text, true, true));
    }
    constexpr auto istartswith(std::string_view text) const {
        return make_like<true, false>(detail::like_text(text, false, true));
    }
    constexpr auto iendswith(std::string_view text) const {
        return make_like<true, false>(detail::like_text(text, true, false));
    }

    // A list known at run time: one statement text whatever its length (= ANY($1)
    // with an array on PostgreSQL, IN (SELECT value FROM json_each(?)) on SQLite).
    // An empty list matches no row; not_in of an empty list matches every row
    // (NULL ones too, as SQL says of NOT IN over no value, on both backends).
    template <class R>
        requires detail::runtime_list<std::remove_cvref_t<R>>
    constexpr auto in_(R&& list) const { return make_in_array<false>(list); }
    template <class V>
    constexpr auto in_(std::initializer_list<V> list) const {
        return make_in_array<false>(list);
    }
    template <class R>
        requires detail::runtime_list<std::remove_cvref_t<R>>
    constexpr auto not_in(R&& list) const { return make_in_array<true>(list); }
    template <class V>
    constexpr auto not_in(std::initializer_list<V> list) const {
        return make_in_array<true>(list);
    }

    template <class... Vs>
    constexpr auto in_(Vs&&... values) const {
        static_assert(sizeof...(Vs) > 0, "ctorm: in_() needs at least one value");
        constexpr bool subquery = (std::is_base_of_v<detail::select_tag, std::remove_cvref_t<Vs>> || ...);
        static_assert(!subquery, "ctorm: in_(select(...)): a subquery is written in_select(x, select(...))");
        if constexpr (subquery)
            return detail::param<std::conditional_t<subquery, bool, bool>>{{}, false};  // only the message above
        else
            return detail::in_list<false, Derived, decltype(detail::operand<Derived>(std::forward<Vs>(values)))...>{
                {}, self(), {detail::operand<Derived>(std::forward<Vs>(values))...}};
    }
    template <class... Vs>
    constexpr auto not_in(Vs&&... values) const {
        static_assert(sizeof...(Vs) > 0, "ctorm: not_in() needs at least one value");
        constexpr bool subquery = (std::is_base_of_v<detail::select_tag, std::remove_cvref_t<Vs>> || ...);
        static_assert(!subquery, "ctorm: not_in(select(...)): a subquery is written not_in_select(x, select(...))");
        if constexpr (subquery)
            return detail::param<std::conditional_t<subquery, bool, bool>>{{}, false};  // only the message above
        else
            return detail::in_list<true, Derived, decltype(detail::operand<Derived>(std::forward<Vs>(values)))...>{
                {}, self(), {detail::operand<Derived>(std::forward<Vs>(values))...}};
    }
    template <class A, class B>
    constexpr auto between(A&& low, B&& high) const {
        auto a = detail::operand<Derived>(std::forward<A>(low));
        auto b = detail::operand<Derived>(std::forward<B>(high));
        return detail::between_<Derived, decltype(a), decltype(b)>{{}, self(), std::move(a), std::move(b)};
    }

    constexpr detail::order_term<Derived, 1> asc() const { return {{}, self()}; }
    constexpr detail::order_term<Derived, 2> desc() const { return {{}, self()}; }

    // A name for a selected expression: SELECT ... AS "name"; order_by() of
    // the labeled expression then refers to it by that name.
    template <fixed_string Name>
    constexpr detail::labeled<Derived, Name> as() const {
        return {{}, self()};
    }

private:
    template <bool Negated, class R>
    constexpr auto make_in_array(const R& list) const {
        using element = std::remove_cvref_t<decltype(*std::begin(list))>;
        (void)assert_runtime_in_list<Derived, element>::check();
        // Kept in the list's own type (a wider integer is not cut to the column's:
        // both backends compare across integer widths); text as std::string.
        using stored =
            std::conditional_t<category_of<element>() == category::string, std::string,
                               std::conditional_t<category_of<typename Derived::value_type>() == category::real &&
                                                      category_of<element>() == category::integer,
                                                  double, element>>;
        std::vector<stored> values;
        values.reserve(static_cast<std::size_t>(std::size(list)));
        for (const auto& v : list) values.push_back(static_cast<stored>(v));
        if constexpr (std::is_same_v<stored, std::string>) {
            // SQLite's JSON ends a text at its first NUL byte (json_each would
            // compare what comes before it); PostgreSQL's text cannot hold one.
            for (std::size_t i = 0; i < values.size(); ++i)
                if (values[i].find('\0') != std::string::npos) [[unlikely]]
                    detail::throw_list_nul<Derived>(i, values[i].find('\0'));
        }
        return detail::in_array<Negated, Derived, stored>{{}, self(), std::move(values)};
    }
    template <bool CaseInsensitive, bool Negated, class P>
    constexpr auto make_like(P&& pattern) const {
        (void)assert_text_operand<Derived>::check();
        if constexpr (category_of<typename Derived::value_type>() == category::string) {
            auto p = detail::operand<Derived>(std::forward<P>(pattern));
            if constexpr (detail::is_text_param<decltype(p)>) detail::check_like_pattern<Derived>(p.value);
            return detail::like_<Derived, decltype(p), CaseInsensitive, Negated>{{}, self(), std::move(p)};
        } else {
            return self();  // the rule above has failed; stop here rather than cascade
        }
    }
};

namespace detail {

template <class E>
using columns_of = typename std::remove_cvref_t<E>::columns;

template <class Node, class W, class D>
constexpr void render_child(W& w, int parent) {
    if (Node::precedence < parent || (Node::precedence == parent && parent == precedence::compare)) {
        w.put('(');
        detail::render_node<D, Node>(w);
        w.put(')');
    } else {
        detail::render_node<D, Node>(w);
    }
}

template <class T, bool Nullable>
using maybe_optional = std::conditional_t<Nullable, std::optional<non_null_t<T>>, non_null_t<T>>;

template <class V>
struct param : expression_base<param<V>> {
    // Views are how values are held; the SQL value they stand for is owned.
    using value_type = std::conditional_t<std::is_same_v<V, std::string_view>, std::string,
                                          std::conditional_t<std::is_same_v<V, std::span<const std::byte>>, blob, V>>;
    using columns = type_list<>;
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = false;
    V value;
    template <class D, class W>
    static constexpr void render(W& w) {
        if constexpr (named_enum<non_null_t<V>> && requires { D::native_enums; })
            D::template render_enum_param<non_null_t<V>>(w);
        else D::placeholder(w);
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        f(value);
    }
};

// How a user value is held in a statement: strings and blobs given as lvalues
// (or literals) are viewed, not copied, so binding them costs no copy; rvalues
// are moved in and owned.
template <class V>
constexpr auto make_param(V&& v) {
    using D = std::remove_cvref_t<V>;
    if constexpr (std::is_array_v<D>) {
        return param<std::string_view>{{}, std::string_view(v)};
    } else if constexpr (std::is_same_v<D, const char*> || std::is_same_v<D, char*>) {
        return param<std::string_view>{{}, std::string_view(v)};
    } else if constexpr (std::is_same_v<D, std::string> || std::is_same_v<D, blob>) {
        if constexpr (std::is_lvalue_reference_v<V>) {
            using view =
                std::conditional_t<std::is_same_v<D, std::string>, std::string_view, std::span<const std::byte>>;
            return param<view>{{}, view(v)};
        } else {
            return param<D>{{}, std::move(v)};
        }
    } else {
        return param<D>{{}, std::forward<V>(v)};
    }
}

// An expression with a name (expr AS "name"). It renders as its expression
// everywhere but in the select list (which adds AS) and in ORDER BY (the name).
template <class E, fixed_string Name>
struct labeled : expression_base<labeled<E, Name>> {
    using value_type = typename E::value_type;
    using columns = typename E::columns;
    using expression_type = E;
    static constexpr std::string_view label = Name.view();
    static constexpr int precedence = E::precedence;
    static constexpr bool is_aggregate = E::is_aggregate;
    static constexpr bool contains_window = detail::window_in<E>;
    [[no_unique_address]] E operand;
    template <class D, class W>
    static constexpr void render(W& w) {
        detail::render_node<D, E>(w);
    }
    template <class D, class W>
    static constexpr void render_select_item(W& w) {
        detail::render_node<D, E>(w);
        w.put(" AS ");
        detail::put_quoted(w, label);
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(operand, f);
    }
};

// --- comparisons and logic -------------------------------------------------

// orders: a comparison that orders its operands (equality does not).
namespace op {
struct eq {
    static constexpr std::string_view text = " = ";
    static constexpr bool orders = false;
};
struct ne {
    static constexpr std::string_view text = " <> ";
    static constexpr bool orders = false;
};
struct lt {
    static constexpr std::string_view text = " < ";
    static constexpr bool orders = true;
};
struct le {
    static constexpr std::string_view text = " <= ";
    static constexpr bool orders = true;
};
struct gt {
    static constexpr std::string_view text = " > ";
    static constexpr bool orders = true;
};
struct ge {
    static constexpr std::string_view text = " >= ";
    static constexpr bool orders = true;
};
struct and_ {
    static constexpr std::string_view text = " AND ";
};
struct or_ {
    static constexpr std::string_view text = " OR ";
};
}  // namespace op

// Whether a comparison of L and R is written as ctorm_numeric_compare(L, R) <op> 0
// on a dialect with decimal_functions (SQLite stores a ctorm::numeric as text):
// an ordering of a numeric (text order is not numeric order), and an equality
// where neither side is a column (a function's text result has no affinity,
// so SQLite would never find it equal to an integer).
template <class Op>
inline constexpr int comparison_kind = 0;  // 0: not a comparison, 1: equality, 2: ordering
template <class Op>
    requires requires { Op::orders; }
inline constexpr int comparison_kind<Op> = Op::orders ? 2 : 1;
template <class Op, class L, class R>
inline constexpr bool decimal_comparison = comparison_kind<Op> != 0 &&
                                           (category_of<typename L::value_type>() == category::decimal ||
                                            category_of<typename R::value_type>() == category::decimal) &&
                                           (comparison_kind<Op> == 2 ||
                                            (!column_expression<L> && !column_expression<R>));

// Whether an ordering of L and R (an enum stored by name) compares the
// enumerators' positions on a dialect that stores the names as text (SQLite).
template <class Op, class L, class R>
inline constexpr bool enum_ordering = comparison_kind<Op> == 2 && named_enum<non_null_t<typename L::value_type>>;

template <class Op, class L, class R, int Precedence>
struct binary : expression_base<binary<Op, L, R, Precedence>> {
    using value_type =
        detail::maybe_optional<bool, is_nullable_v<typename L::value_type> || is_nullable_v<typename R::value_type>>;
    using columns = meta::set_union<detail::columns_of<L>, detail::columns_of<R>>;
    static constexpr int precedence = Precedence;
    static constexpr bool is_aggregate = L::is_aggregate || R::is_aggregate;
    static constexpr bool contains_window = detail::window_in<L> || detail::window_in<R>;
    [[no_unique_address]] L left;
    [[no_unique_address]] R right;
    template <class D, class W>
    static constexpr void render(W& w) {
        if constexpr (decimal_comparison<Op, L, R> && requires { D::decimal_functions; }) {
            w.put("ctorm_numeric_compare(");
            detail::render_node<D, L>(w);
            w.put(", ");
            detail::render_node<D, R>(w);
            w.put(')');
            w.put(Op::text);
            w.put('0');
        } else if constexpr (enum_ordering<Op, L, R> && requires { D::ranks_enums; }) {
            using E = non_null_t<typename L::value_type>;
            D::template render_enum_rank<E, L>(w);
            w.put(Op::text);
            D::template render_enum_rank<E, R>(w);
        } else {
            detail::render_child<L, W, D>(w, Precedence);
            w.put(Op::text);
            detail::render_child<R, W, D>(w, Precedence);
        }
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(left, f);
        detail::visit_node(right, f);
    }
};

template <class E>
struct not_ : expression_base<not_<E>> {
    using value_type = typename E::value_type;
    using columns = detail::columns_of<E>;
    static constexpr int precedence = precedence::not_;
    static constexpr bool is_aggregate = E::is_aggregate;
    static constexpr bool contains_window = detail::window_in<E>;
    [[no_unique_address]] E operand;
    template <class D, class W>
    static constexpr void render(W& w) {
        w.put("NOT (");
        detail::render_node<D, E>(w);
        w.put(')');
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(operand, f);
    }
};

template <class E, bool Negated>
struct null_test : expression_base<null_test<E, Negated>> {
    using value_type = bool;
    using columns = detail::columns_of<E>;
    static constexpr int precedence = precedence::compare;
    static constexpr bool is_aggregate = E::is_aggregate;
    static constexpr bool contains_window = detail::window_in<E>;
    [[no_unique_address]] E operand;
    template <class D, class W>
    static constexpr void render(W& w) {
        detail::render_child<E, W, D>(w, precedence::compare);
        w.put(Negated ? " IS NOT NULL" : " IS NULL");
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(operand, f);
    }
};

template <class E, class P, bool CaseInsensitive, bool Negated>
struct like_ : expression_base<like_<E, P, CaseInsensitive, Negated>> {
    using value_type = detail::maybe_optional<bool, is_nullable_v<typename E::value_type>>;
    using columns = meta::set_union<detail::columns_of<E>, detail::columns_of<P>>;
    static constexpr int precedence = precedence::compare;
    static constexpr bool is_aggregate = E::is_aggregate;
    static constexpr bool contains_window = detail::window_in<E> || detail::window_in<P>;
    [[no_unique_address]] E operand;
    P pattern;
    template <class D, class W>
    static constexpr void render(W& w) {
        if constexpr (CaseInsensitive) {
            D::template render_ilike<E, P, Negated>(w);
        } else {
            detail::render_child<E, W, D>(w, precedence::compare);
            w.put(Negated ? " NOT LIKE " : " LIKE ");
            detail::render_child<P, W, D>(w, precedence::compare);
            if constexpr (requires { D::like_escape; }) w.put(D::like_escape);
        }
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(operand, f);
        detail::visit_node(pattern, f);
    }
};

template <bool Negated, class E, class... Ps>
struct in_list : expression_base<in_list<Negated, E, Ps...>> {
    using value_type = detail::maybe_optional<bool, is_nullable_v<typename E::value_type>>;
    using columns = meta::set_union<detail::columns_of<E>, meta::concat<type_list<>, typename Ps::columns...>>;
    static constexpr int precedence = precedence::compare;
    static constexpr bool is_aggregate = E::is_aggregate;
    static constexpr bool contains_window = detail::window_in<E> || (detail::window_in<Ps> || ...);
    [[no_unique_address]] E operand;
    items<Ps...> values;
    template <class D, class W>
    static constexpr void render(W& w) {
        detail::render_child<E, W, D>(w, precedence::compare);
        w.put(Negated ? " NOT IN (" : " IN (");
        detail::render_list<D, W, Ps...>(w);
        w.put(')');
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(operand, f);
        detail::visit_node(values, f);
    }
};

template <bool Negated, class E, class V>
struct in_array : expression_base<in_array<Negated, E, V>> {
    using value_type = detail::maybe_optional<bool, is_nullable_v<typename E::value_type>>;
    using columns = detail::columns_of<E>;
    static constexpr int precedence = precedence::compare;
    static constexpr bool is_aggregate = E::is_aggregate;
    static constexpr bool contains_window = detail::window_in<E>;
    [[no_unique_address]] E operand;
    std::vector<V> values;  // bound as one array (PostgreSQL) or JSON array text (SQLite)
    template <class D, class W>
    static constexpr void render(W& w) {
        detail::render_child<E, W, D>(w, precedence::compare);
        D::template render_in_array<Negated, V>(w);
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(operand, f);
        f(values);
    }
};

template <class E, class A, class B>
struct between_ : expression_base<between_<E, A, B>> {
    using value_type = detail::maybe_optional<bool, is_nullable_v<typename E::value_type>>;
    using columns = meta::set_union<detail::columns_of<E>, meta::concat<typename A::columns, typename B::columns>>;
    static constexpr int precedence = precedence::compare;
    static constexpr bool is_aggregate = E::is_aggregate;
    static constexpr bool contains_window = detail::window_in<E> || detail::window_in<A> || detail::window_in<B>;
    [[no_unique_address]] E operand;
    A low;
    B high;
    template <class D, class W>
    static constexpr void render(W& w) {
        if constexpr (category_of<typename E::value_type>() == category::decimal &&
                      requires { D::decimal_functions; }) {
            // A numeric stored as its text (SQLite): by its numeric order key, as ORDER BY
            // sorts it ('10' is before '9' as text).
            w.put("ctorm_numeric_order(");
            detail::render_node<D, E>(w);
            w.put(") BETWEEN ctorm_numeric_order(");
            detail::render_node<D, A>(w);
            w.put(") AND ctorm_numeric_order(");
            detail::render_node<D, B>(w);
            w.put(')');
        } else if constexpr (named_enum<non_null_t<typename E::value_type>> && requires { D::ranks_enums; }) {
            // the enumerators' positions (the dialect's render_enum_rank)
            using N = non_null_t<typename E::value_type>;
            D::template render_enum_rank<N, E>(w);
            w.put(" BETWEEN ");
            D::template render_enum_rank<N, A>(w);
            w.put(" AND ");
            D::template render_enum_rank<N, B>(w);
        } else {
            detail::render_child<E, W, D>(w, precedence::compare);
            w.put(" BETWEEN ");
            detail::render_node<D, A>(w);
            w.put(" AND ");
            detail::render_node<D, B>(w);
        }
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(operand, f);
        detail::visit_node(low, f);
        detail::visit_node(high, f);
    }
};

// --- ordering -------------------------------------------------------------

struct order_tag {};

// Where NULLs sort, the same on every dialect: as PostgreSQL sorts them, after
// every value (last with ASC or as written, first with DESC). PostgreSQL then
// needs no NULLS clause and keeps using its indexes (a btree serves ORDER BY
// x ASC and x DESC, not x ASC NULLS FIRST); a dialect whose NULLs sort before
// every value says nulls_sort_low, and a term that may be NULL gets NULLS
// LAST / NULLS FIRST there (SQLite serves both from an index too).
template <class D>
inline constexpr bool nulls_sort_low = requires {
    requires D::nulls_sort_low;
};

// ASC / DESC and the NULLS clause of a sort key, after its expression or name.
template <class D, int Direction, int Nulls, bool MayBeNull, class W>
constexpr void render_order_direction(W& w) {
    if constexpr (Direction == 1) w.put(" ASC");
    if constexpr (Direction == 2) w.put(" DESC");
    if constexpr (Nulls == 1) w.put(" NULLS FIRST");
    else if constexpr (Nulls == 2) w.put(" NULLS LAST");
    else if constexpr (MayBeNull && nulls_sort_low<D>) w.put(Direction == 2 ? " NULLS FIRST" : " NULLS LAST");
}

// How many placeholders E's text has for dialect D.
template <class D, class E>
inline constexpr unsigned placeholder_count = [] {
    length_writer w;
    detail::render_node<D, E>(w);
    return w.params;
}();

}  // namespace detail

template <class Label, unsigned Placeholders>
struct assert_numeric_label_order_binds_nothing {
    CTORM_DETAIL_RULE(
        "ctorm: order_by() of a label whose numeric or enum expression holds bound values: SQLite orders "
        "a numeric by ctorm_numeric_order(expression) and an enum stored by name by its enumerators' "
        "positions (CASE expression WHEN ...), which would bind them again; order by the expression "
        "itself (it then reuses the select list's values)",
        Placeholders == 0);
};

namespace detail {

// Direction 0: as written, 1: ASC, 2: DESC. Nulls 0: ctorm's rule above, 1:
// NULLS FIRST, 2: NULLS LAST (.nulls_first() / .nulls_last(), on every dialect).
// The expression a sort key stands for: a label's, or itself.
template <class E>
struct unlabeled_term {
    using type = E;
};
template <class E>
    requires requires { E::label; }
struct unlabeled_term<E> {
    using type = typename E::expression_type;
};

template <class E, int Direction, int Nulls>
struct order_term : order_tag {
    using columns = detail::columns_of<E>;
    static constexpr bool is_aggregate = E::is_aggregate;
    static constexpr bool contains_window = detail::window_in<E>;
    static constexpr int direction = Direction;
    static constexpr int nulls = Nulls;
    using expression_type = E;
    [[no_unique_address]] E operand;

    constexpr order_term<E, Direction, 1> nulls_first() const { return {{}, operand}; }
    constexpr order_term<E, Direction, 2> nulls_last() const { return {{}, operand}; }

    template <class D, class W>
    static constexpr void render(W& w) {
        render_term<D, is_nullable_v<typename E::value_type>>(w);
    }
    // MayBeNull: what the statement knows (a column of an outer-joined table may be NULL).
    template <class D, bool MayBeNull, class W>
    static constexpr void render_term(W& w) {
        // A ctorm::numeric on a dialect that stores it as text (SQLite) sorts
        // by its numeric order key, not by the text ("10" before "9").
        constexpr bool numeric_key = category_of<typename E::value_type>() == category::decimal && requires {
            D::decimal_functions;
        };
        // An enum stored by name, on a dialect that stores the name as text
        // (SQLite), sorts by its enumerators' declared positions, as PostgreSQL's.
        constexpr bool enum_key = named_enum<non_null_t<typename E::value_type>> && requires { D::ranks_enums; };
        if constexpr (numeric_key || enum_key) {
            // Inside an expression SQLite finds a name among the tables' columns before the
            // select list's labels: a label's expression itself, which binds nothing here.
            using keyed = typename unlabeled_term<E>::type;
            if constexpr (requires { E::label; })
                (void)assert_numeric_label_order_binds_nothing<E, placeholder_count<D, keyed>>::check();
            if constexpr (numeric_key) {
                w.put("ctorm_numeric_order(");
                detail::render_node<D, keyed>(w);
                w.put(')');
            } else {
                D::template render_enum_rank<non_null_t<typename E::value_type>, keyed>(w);
            }
        } else if constexpr (requires { E::label; }) {
            detail::put_quoted(w, E::label);
        } else {
            detail::render_node<D, E>(w);
        }
        render_order_direction<D, Direction, Nulls, MayBeNull>(w);
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        // A label renders as its name: the labeled expression's values were
        // bound where the select list defines it.
        if constexpr (!requires { E::label; }) detail::visit_node(operand, f);
    }
};

// --- aggregates -------------------------------------------------------------

struct count_star : expression_base<count_star> {
    using value_type = std::int64_t;
    using columns = type_list<>;
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = true;
    template <class D, class W>
    static constexpr void render(W& w) {
        w.put("COUNT(*)");
    }
    template <class F>
    constexpr void visit_params(F&) const {}
};

template <class E, bool Distinct>
struct count_of : expression_base<count_of<E, Distinct>> {
    using value_type = std::int64_t;
    using columns = detail::columns_of<E>;
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = true;
    static constexpr bool contains_window = detail::window_in<E>;
    static constexpr bool aggregates_rows = true;  // as detail::call's
    [[no_unique_address]] E operand;
    template <class D, class W>
    static constexpr void render(W& w) {
        w.put(Distinct ? "COUNT(DISTINCT " : "COUNT(");
        detail::render_node<D, E>(w);
        w.put(')');
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(operand, f);
    }
};

}  // namespace detail

// count() is COUNT(*); count(expr) counts non-NULL values of expr. Functions,
// not function objects, so they overload peacefully with other count()s.
constexpr detail::count_star count() { return {}; }
template <expression E>
constexpr auto count(const E& e) {
    (void)assert_no_nested_aggregate<E>::check();
    return detail::count_of<std::remove_cvref_t<E>, false>{{}, e};
}

template <expression E>
constexpr auto count_distinct(const E& e) {
    (void)assert_no_nested_aggregate<E>::check();
    return detail::count_of<std::remove_cvref_t<E>, true>{{}, e};
}

// --- assignments (column = value), used by insert and update ---------------

namespace detail {
struct assignment_tag {};

template <class Column, class Value>
struct assignment : assignment_tag {
    using column_type = Column;
    using columns = detail::columns_of<Value>;
    Value value;
    template <class D, class W>
    static constexpr void render_value(W& w) {
        detail::render_node<D, Value>(w);
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(value, f);
    }
};

template <class E, class V>
constexpr auto operand(V&& v) {
    if constexpr (expression<V>) {
        return std::remove_cvref_t<V>(std::forward<V>(v));
    } else {
        (void)assert_comparable_types<E, std::remove_cvref_t<V>>::check();
        return make_param(std::forward<V>(v));
    }
}

template <class Op, class L, class R>
constexpr auto compare(L&& l, R&& r) {
    using LT = std::remove_cvref_t<L>;
    using RT = std::remove_cvref_t<R>;
    if constexpr (expression<L> && expression<R>) {
        (void)assert_comparable_types<LT, typename RT::value_type>::check();
        return binary<Op, LT, RT, precedence::compare>{{}, std::forward<L>(l), std::forward<R>(r)};
    } else if constexpr (expression<L>) {
        auto p = operand<LT>(std::forward<R>(r));
        return binary<Op, LT, decltype(p), precedence::compare>{{}, std::forward<L>(l), std::move(p)};
    } else {
        auto p = operand<RT>(std::forward<L>(l));
        return binary<Op, decltype(p), RT, precedence::compare>{{}, std::move(p), std::forward<R>(r)};
    }
}

template <class Op, int Precedence, class L, class R>
constexpr auto logical(L&& l, R&& r) {
    using LT = std::remove_cvref_t<L>;
    using RT = std::remove_cvref_t<R>;
    (void)assert_boolean_condition<LT>::check();
    (void)assert_boolean_condition<RT>::check();
    return binary<Op, LT, RT, Precedence>{{}, std::forward<L>(l), std::forward<R>(r)};
}

}  // namespace detail

// ---------------------------------------------------------------------------

// Operators. Each has an explicit overload for expression/value, value/expression
// and expression/expression, so C++20's rewritten candidates never take over.
#define CTORM_DETAIL_COMPARISON(symbol, name)                                             \
    template <expression L, class R>                                                      \
        requires(!expression<R>)                                                          \
    constexpr auto operator symbol(L&& l, R&& r) {                                        \
        return detail::compare<detail::op::name>(std::forward<L>(l), std::forward<R>(r)); \
    }                                                                                     \
    template <class L, expression R>                                                      \
        requires(!expression<L>)                                                          \
    constexpr auto operator symbol(L&& l, R&& r) {                                        \
        return detail::compare<detail::op::name>(std::forward<L>(l), std::forward<R>(r)); \
    }                                                                                     \
    template <expression L, expression R>                                                 \
    constexpr auto operator symbol(L&& l, R&& r) {                                        \
        return detail::compare<detail::op::name>(std::forward<L>(l), std::forward<R>(r)); \
    }

CTORM_DETAIL_COMPARISON(==, eq)
CTORM_DETAIL_COMPARISON(!=, ne)
CTORM_DETAIL_COMPARISON(<, lt)
CTORM_DETAIL_COMPARISON(<=, le)
CTORM_DETAIL_COMPARISON(>, gt)
CTORM_DETAIL_COMPARISON(>=, ge)
#undef CTORM_DETAIL_COMPARISON

template <expression L, expression R>
constexpr auto operator&&(L&& l, R&& r) {
    return detail::logical<detail::op::and_, detail::precedence::and_>(std::forward<L>(l), std::forward<R>(r));
}
template <expression L, expression R>
constexpr auto operator||(L&& l, R&& r) {
    return detail::logical<detail::op::or_, detail::precedence::or_>(std::forward<L>(l), std::forward<R>(r));
}
template <expression E>
constexpr auto operator!(E&& e) {
    (void)assert_boolean_condition<std::remove_cvref_t<E>>::check();
    return detail::not_<std::remove_cvref_t<E>>{{}, std::forward<E>(e)};
}

}  // namespace ctorm
