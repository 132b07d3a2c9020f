// SQL functions and operators beyond comparison: aggregates (sum, avg, min,
// max), arithmetic, string functions, CASE, CAST, COALESCE, NULLIF, now(),
// window functions, scalar subqueries, IN (subquery) and EXISTS. Each has a
// C++ result type, and nullability flows through it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/schema/types.hpp"
#include "ctorm/sql/expression.hpp"
#include "ctorm/sql/select.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm {

template <class Expression>
struct assert_numeric_operand {
    CTORM_DETAIL_RULE("ctorm: this operation needs a numeric expression (an integer or floating-point column)",
                      category_of<typename Expression::value_type>() == category::integer ||
                          category_of<typename Expression::value_type>() == category::real);
};

// + - * with a ctorm::numeric: the other side an integer or a numeric.
template <class Left, class Right>
struct assert_exact_operands {
    CTORM_DETAIL_RULE(
        "ctorm: a ctorm::numeric computes with integers and numerics only: floating point would make "
        "the result inexact (cast<ctorm::numeric>(...) the other side, or cast<double>(...) the numeric)",
        (category_of<typename Left::value_type>() == category::integer ||
         category_of<typename Left::value_type>() == category::decimal) &&
            (category_of<typename Right::value_type>() == category::integer ||
             category_of<typename Right::value_type>() == category::decimal));
};
template <class Op>
struct assert_exact_operation {
    CTORM_DETAIL_RULE(
        "ctorm: / and % of a ctorm::numeric have no exact result to agree on: divide<S>(a, b) gives the "
        "quotient exact to S places in SQL (ctorm::numeric::divide(a, b, S) in C++), cast<double>(...) an "
        "inexact one",
        !requires { Op::divides; });
};

template <class Subquery>
struct assert_single_column_subquery {
    CTORM_DETAIL_RULE("ctorm: a subquery used as a value or with in_() must select exactly one column",
                      statement_traits<Subquery>::slots::size == 1);
};

namespace detail {

template <class... Es>
inline constexpr bool any_nullable = (is_nullable_v<typename Es::value_type> || ...);
template <class... Es>
inline constexpr bool all_nullable = (is_nullable_v<typename Es::value_type> && ...);

// A function call: NAME(arg, arg, ...), with a given C++ result type.
template <class Name, class Result, bool Aggregate, class... Args>
struct call : expression_base<call<Name, Result, Aggregate, Args...>> {
    using value_type = Result;
    using columns = meta::concat<type_list<>, typename Args::columns...>;
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = Aggregate || (Args::is_aggregate || ... || false);
    static constexpr bool contains_window = (window_in<Args> || ... || false);
    // An aggregate's arguments are per row: a GROUP BY key's repeat scope
    // (sql/render.hpp) does not reach into them.
    static constexpr bool aggregates_rows = Aggregate;
    items<Args...> args;
    template <class D, class W>
    static constexpr void render(W& w) {
        if constexpr (requires { Name::template text_for<D>; }) w.put(Name::template text_for<D>);
        else w.put(Name::text);
        w.put('(');
        render_list<D, W, Args...>(w);
        w.put(')');
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(args, f);
    }
};

template <class Name, class Result, bool Aggregate, class... Args>
constexpr auto make_call(const Args&... args) {
    return call<Name, Result, Aggregate, Args...>{{}, {args...}};
}

#define CTORM_DETAIL_NAME_TAG(tag, sql)               \
    struct tag {                                      \
        static constexpr std::string_view text = sql; \
    };
CTORM_DETAIL_NAME_TAG(sum_name, "SUM")
CTORM_DETAIL_NAME_TAG(avg_name, "AVG")
CTORM_DETAIL_NAME_TAG(min_name, "MIN")
CTORM_DETAIL_NAME_TAG(max_name, "MAX")
CTORM_DETAIL_NAME_TAG(lower_name, "lower")
CTORM_DETAIL_NAME_TAG(upper_name, "upper")
CTORM_DETAIL_NAME_TAG(length_name, "length")
CTORM_DETAIL_NAME_TAG(trim_name, "trim")
CTORM_DETAIL_NAME_TAG(substr_name, "substr")
CTORM_DETAIL_NAME_TAG(abs_name, "abs")
CTORM_DETAIL_NAME_TAG(coalesce_name, "COALESCE")
CTORM_DETAIL_NAME_TAG(nullif_name, "NULLIF")
CTORM_DETAIL_NAME_TAG(row_number_name, "ROW_NUMBER")
CTORM_DETAIL_NAME_TAG(rank_name, "RANK")
CTORM_DETAIL_NAME_TAG(dense_rank_name, "DENSE_RANK")
CTORM_DETAIL_NAME_TAG(lag_name, "LAG")
CTORM_DETAIL_NAME_TAG(lead_name, "LEAD")
CTORM_DETAIL_NAME_TAG(numeric_sum_name, "ctorm_numeric_sum")
CTORM_DETAIL_NAME_TAG(numeric_min_name, "ctorm_numeric_min")
CTORM_DETAIL_NAME_TAG(numeric_max_name, "ctorm_numeric_max")
#undef CTORM_DETAIL_NAME_TAG

// The function `Name` of ctorm::numeric arguments: on a dialect that computes
// them with ctorm's own functions (SQLite: sqlite/numeric_functions.hpp), `Function`.
template <class Name, class Function>
struct decimal_name {
    template <class D>
    static constexpr std::string_view text_for = requires {
        D::decimal_functions;
    }
    ? Function::text : Name::text;
};
template <class E>
inline constexpr bool is_decimal_expression = category_of<typename E::value_type>() == category::decimal;

template <class Columns, class Tables>
struct columns_in_tables;
template <class... Cs, class Tables>
struct columns_in_tables<type_list<Cs...>, Tables> {
    using type =
        meta::set_union<type_list<>, meta::concat<std::conditional_t<meta::contains<typename Cs::table_type, Tables>,
                                                                     type_list<Cs>, type_list<>>...>>;
};

// A CASE without ELSE gives NULL when no WHEN matches.
template <class Else>
inline constexpr bool else_may_be_null = true;
template <class Else>
    requires requires { typename Else::value_type; }
inline constexpr bool else_may_be_null<Else> = is_nullable_v<typename Else::value_type>;

template <class E, int Direction, int Nulls>
constexpr auto unlabel(const order_term<E, Direction, Nulls>& term) {
    if constexpr (requires { E::label; })
        return order_term<typename E::expression_type, Direction, Nulls>{{}, term.operand.operand};
    else return term;
}

template <class V>
constexpr auto as_operand(V&& v) {
    if constexpr (expression<V>) return std::remove_cvref_t<V>(std::forward<V>(v));
    else return make_param(std::forward<V>(v));
}

}  // namespace detail

// --- aggregates -------------------------------------------------------------
// All but count are NULL on an empty input, so they come back std::optional.

namespace detail {

// CAST(e AS T) where the dialect needs it to give T (PostgreSQL: SUM of a
// bigint and AVG of an integer are NUMERIC), e itself where it already does.
template <class T, class E>
struct dialect_cast : expression_base<dialect_cast<T, E>> {
    using value_type = detail::maybe_optional<T, is_nullable_v<typename E::value_type>>;
    using columns = typename E::columns;
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = E::is_aggregate;
    static constexpr bool contains_window = window_in<E>;
    [[no_unique_address]] E operand;
    template <class D, class W>
    static constexpr void render(W& w) {
        if constexpr (D::numeric_aggregates) {
            w.put("CAST(");
            detail::render_node<D, E>(w);
            w.put(" AS ");
            D::template render_cast_type<T>(w);
            w.put(')');
        } else {
            detail::render_node<D, E>(w);
        }
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(operand, f);
    }
};

}  // namespace detail

// sum of integers is a std::int64_t (BIGINT), of reals a double; avg a double.
namespace detail {
template <expression E>
constexpr auto sum_of_numbers(const E& e);
}  // namespace detail

template <expression E>
constexpr auto sum(const E& e) {
    if constexpr (detail::is_decimal_expression<E>) {
        // Exact on every dialect: a numeric.
        (void)assert_no_nested_aggregate<E>::check();
        return detail::make_call<detail::decimal_name<detail::sum_name, detail::numeric_sum_name>,
                                 std::optional<numeric>, true>(e);
    } else {
        return detail::sum_of_numbers(e);
    }
}
namespace detail {
template <expression E>
constexpr auto sum_of_numbers(const E& e) {
    (void)assert_numeric_operand<E>::check();
    (void)assert_no_nested_aggregate<E>::check();
    if constexpr (category_of<typename E::value_type>() == category::integer) {
        auto s = detail::make_call<detail::sum_name, std::optional<std::int64_t>, true>(e);
        return detail::dialect_cast<std::int64_t, decltype(s)>{{}, s};
    } else {
        return detail::make_call<detail::sum_name, std::optional<double>, true>(e);
    }
}
}  // namespace detail
template <class E>
struct assert_avg_of_numeric_has_scale {
    CTORM_DETAIL_RULE(
        "ctorm: avg() of a ctorm::numeric is exact only to a stated scale: write avg<S>(x) for the "
        "mean rounded half away from zero to S places after the point (avg<2>(price)), or "
        "avg(cast<double>(x)) for an inexact one",
        category_of<typename E::value_type>() != category::decimal);
};

template <expression E>
constexpr auto avg(const E& e) {
    (void)assert_avg_of_numeric_has_scale<E>::check();
    (void)assert_numeric_operand<E>::check();
    (void)assert_no_nested_aggregate<E>::check();
    if constexpr (category_of<typename E::value_type>() == category::integer)
        return detail::make_call<detail::avg_name, std::optional<double>, true>(detail::dialect_cast<double, E>{{}, e});
    else return detail::make_call<detail::avg_name, std::optional<double>, true>(e);
}
namespace detail {
// MIN / MAX of an enum stored by name: in its enumerators' declared order on
// every dialect, as PostgreSQL's enum types compare. SQLite, which stores the
// names, takes the extreme position and names it again:
// CASE MIN(CASE x WHEN 'todo' THEN 0 ...) WHEN 0 THEN 'todo' ... END.
template <class E, bool Max>
struct enum_extreme : expression_base<enum_extreme<E, Max>> {
    using value_type = std::optional<non_null_t<typename E::value_type>>;
    using columns = columns_of<E>;
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = true;
    static constexpr bool contains_window = window_in<E>;
    static constexpr bool aggregates_rows = true;  // as detail::call's
    [[no_unique_address]] E operand;
    template <class D, class W>
    static constexpr void render(W& w) {
        using N = non_null_t<typename E::value_type>;
        if constexpr (requires { D::ranks_enums; }) {
            w.put(Max ? "CASE MAX(" : "CASE MIN(");
            D::template render_enum_rank<N, E>(w);
            w.put(')');
            std::uint64_t position = 0;
            for (const auto& entry : enum_names<N>.entries) {
                w.put(" WHEN ");
                w.put_number(position++);
                w.put(" THEN '");
                w.put(entry.name);
                w.put('\'');
            }
            w.put(" END");
        } else {
            w.put(Max ? "MAX(" : "MIN(");
            render_node<D, E>(w);
            w.put(')');
        }
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        visit_node(operand, f);
    }
};
}  // namespace detail

// min / max of a ctorm::numeric follow numeric order on every dialect (SQLite's
// own would compare the stored texts), and of an enum stored by name its
// enumerators' declared order (detail::enum_extreme).
template <expression E>
    requires named_enum<non_null_t<typename E::value_type>>
constexpr auto min(const E& e) {
    (void)assert_no_nested_aggregate<E>::check();
    return detail::enum_extreme<E, false>{{}, e};
}
template <expression E>
    requires named_enum<non_null_t<typename E::value_type>>
constexpr auto max(const E& e) {
    (void)assert_no_nested_aggregate<E>::check();
    return detail::enum_extreme<E, true>{{}, e};
}
template <expression E>
constexpr auto min(const E& e) {
    (void)assert_no_nested_aggregate<E>::check();
    using name = std::conditional_t<detail::is_decimal_expression<E>,
                                    detail::decimal_name<detail::min_name, detail::numeric_min_name>, detail::min_name>;
    return detail::make_call<name, std::optional<non_null_t<typename E::value_type>>, true>(e);
}
template <expression E>
constexpr auto max(const E& e) {
    (void)assert_no_nested_aggregate<E>::check();
    using name = std::conditional_t<detail::is_decimal_expression<E>,
                                    detail::decimal_name<detail::max_name, detail::numeric_max_name>, detail::max_name>;
    return detail::make_call<name, std::optional<non_null_t<typename E::value_type>>, true>(e);
}

// --- CAST -----------------------------------------------------------------------

namespace detail {
template <class T, class E>
struct cast_expression : expression_base<cast_expression<T, E>> {
    using value_type = detail::maybe_optional<T, is_nullable_v<typename E::value_type>>;
    using columns = typename E::columns;
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = E::is_aggregate;
    static constexpr bool contains_window = window_in<E>;
    [[no_unique_address]] E operand;
    // A real or an exact decimal cast to an integer type keeps the whole part
    // (2.7 and -2.7 give 2 and -2) on every dialect, as C++ does.
    static constexpr bool truncates =
        category_of<T>() == category::integer && (category_of<typename E::value_type>() == category::real ||
                                                  category_of<typename E::value_type>() == category::decimal);
    static constexpr category from = category_of<typename E::value_type>();
    template <class D, class W>
    static constexpr void render(W& w) {
        if constexpr (category_of<T>() == category::boolean && from != category::boolean) {
            // A number is true when it is not 0, as in C++ (PostgreSQL has no CAST of a
            // BIGINT to BOOLEAN; SQLite's CAST AS INTEGER would keep the number).
            w.put('(');
            render_child<E, W, D>(w, precedence::compare);
            w.put(" <> 0)");
            return;
        } else if constexpr (category_of<T>() == category::string && from == category::boolean) {
            D::template render_boolean_text<E>(w);  // 'true' / 'false' on every dialect
            return;
        }
        w.put("CAST(");
        if constexpr (from == category::boolean && category_of<T>() != category::boolean &&
                      !std::is_same_v<T, std::int32_t> && requires { D::cast_to_integer_rounds; }) {
            // PostgreSQL casts a BOOLEAN to INTEGER only (and to text, above).
            w.put("CAST(");
            detail::render_node<D, E>(w);
            w.put(" AS INTEGER)");
        } else if constexpr (truncates && requires { D::cast_to_integer_rounds; }) {
            w.put("trunc(");
            detail::render_node<D, E>(w);
            w.put(')');
        } else {
            detail::render_node<D, E>(w);
        }
        w.put(" AS ");
        D::template render_cast_type<T>(w);
        w.put(')');
        if constexpr (category_of<T>() == category::string) D::render_text_order(w);
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(operand, f);
    }
};

}  // namespace detail

// cast<std::string>() of what both backends write the same way: integers (and
// enums), text, booleans ('true' / 'false').
template <class V>
inline constexpr bool same_text_everywhere = category_of<V>() == category::integer
                                             || category_of<V>() == category::enumeration
                                             || category_of<V>() == category::string
                                             || category_of<V>() == category::boolean;

template <class T, class E>
struct assert_portable_cast {
    CTORM_DETAIL_RULE_2(
        "ctorm: cast<std::string>() of a floating-point expression gives different text per backend (SQLite '2.0', "
        "PostgreSQL '2'); select the number and format it in C++, or cast<std::string>(cast<std::int64_t>(x)) for "
        "its whole part",
        !(category_of<T>() == category::string && category_of<typename E::value_type>() == category::real),
        "ctorm: cast<std::string>() of this type (see below: a timestamp, date, time, numeric, UUID, blob, JSON or "
        "array) gives different text per backend; select the value and format it in C++",
        (category_of<T>() != category::string || same_text_everywhere<typename E::value_type>));
};
template <class T, class E>
struct assert_boolean_cast {
    CTORM_DETAIL_RULE(
        "ctorm: cast<bool>() takes a number (true when it is not 0) or a boolean; text is 'true' on PostgreSQL and 0 "
        "on SQLite, so compare it instead (x == \"true\")",
        (category_of<T>() != category::boolean || category_of<typename E::value_type>() == category::integer ||
         category_of<typename E::value_type>() == category::real ||
         category_of<typename E::value_type>() == category::boolean));
};

// An enum stored by name casts to text (its name) only: to a number it is 0 on
// SQLite (the text's numeric value) and an error on PostgreSQL (42846); from
// text or numbers, nothing says which enumerator it is on SQLite.
template <class T, class E>
struct assert_named_enum_cast {
    CTORM_DETAIL_RULE(
        "ctorm: an enum stored by name (CTORM_ENUM) casts only to std::string, its name: compare it "
        "(x == Status::done) or select it and convert in C++ (ctorm::enum_name, ctorm::enum_from_name)",
        (!named_enum<non_null_t<typename E::value_type>> || std::is_same_v<T, std::string>)&&!named_enum<T>);
};

// cast<double>(posts.views), cast<std::string>(users.id), ... A real or
// numeric cast to an integer type truncates towards zero on every dialect.
template <class T, expression E>
constexpr detail::cast_expression<T, E> cast(const E& e) {
    static_assert(supported_field_type<T>() && !is_nullable_v<T>,
                  "ctorm: cast<T>() needs a plain field type (integer, double, bool, std::string, ...)");
    (void)assert_portable_cast<T, E>::check();
    (void)assert_boolean_cast<T, E>::check();
    (void)assert_named_enum_cast<T, E>::check();
    return {{}, e};
}
template <expression E>
constexpr auto cast_real(const E& e) {
    if constexpr (category_of<typename E::value_type>() == category::real) return e;
    else return cast<double>(e);
}

// --- scalar functions -------------------------------------------------------

namespace detail {

// lower(x) / upper(x): ASCII letters change case, every other character is
// kept as it is, on every dialect (the dialect's render_ascii_text says how).
template <class Name, class E>
struct ascii_case : expression_base<ascii_case<Name, E>> {
    using value_type = typename E::value_type;
    using columns = typename E::columns;
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = E::is_aggregate;
    static constexpr bool contains_window = window_in<E>;
    [[no_unique_address]] E operand;
    template <class D, class W>
    static constexpr void render(W& w) {
        w.put(Name::text);
        w.put('(');
        D::template render_ascii_text<E>(w);
        w.put(')');
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(operand, f);
    }
};

// round(x): half away from zero on every dialect (the dialect's render_round).
template <class E>
struct round_expression : expression_base<round_expression<E>> {
    using value_type = maybe_optional<double, is_nullable_v<typename E::value_type>>;
    using columns = typename E::columns;
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = E::is_aggregate;
    static constexpr bool contains_window = window_in<E>;
    [[no_unique_address]] E operand;
    template <class D, class W>
    static constexpr void render(W& w) {
        D::template render_round<E>(w);
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(operand, f);
    }
};

}  // namespace detail

// lower(x), upper(x): ASCII letters only ('Ärger' lowers to 'Ärger' with the
// 'Ä' kept), the same on both backends; SQLite's functions (without ICU)
// cannot do more, and PostgreSQL's are given the C collation to do the same.
template <expression E>
constexpr auto lower(const E& e) {
    (void)assert_text_operand<E>::check();
    return detail::ascii_case<detail::lower_name, E>{{}, e};
}
template <expression E>
constexpr auto upper(const E& e) {
    (void)assert_text_operand<E>::check();
    return detail::ascii_case<detail::upper_name, E>{{}, e};
}
template <expression E>
constexpr auto trim(const E& e) {
    (void)assert_text_operand<E>::check();
    return detail::make_call<detail::trim_name, typename E::value_type, false>(e);
}
template <expression E>
constexpr auto length(const E& e) {
    (void)assert_text_operand<E>::check();
    return detail::make_call<detail::length_name, detail::maybe_optional<std::int64_t, detail::any_nullable<E>>, false>(
        e);
}
// substr(text, start, count), counting from 1 as SQL does.
template <expression E>
constexpr auto substr(const E& e, std::int32_t start, std::int32_t count) {  // int: PostgreSQL's substr takes integer
    (void)assert_text_operand<E>::check();
    return detail::make_call<detail::substr_name, typename E::value_type, false>(e, detail::make_param(start),
                                                                                 detail::make_param(count));
}
template <expression E>
constexpr auto abs(const E& e) {
    (void)assert_numeric_operand<E>::check();
    return detail::make_call<detail::abs_name, typename E::value_type, false>(e);
}
// round(x): to the nearest whole number, as a double, halves away from zero
// (2.5 to 3, -2.5 to -3) on every dialect: computed as trunc(|x| + 0.5) with
// x's sign, in double precision (SQLite's own round()).
template <expression E>
constexpr auto round(const E& e) {
    (void)assert_numeric_operand<E>::check();
    auto x = cast_real(e);
    return detail::round_expression<decltype(x)>{{}, x};
}

// COALESCE(a, b, ...): NULL only when every argument can be NULL.
template <expression E, class... Vs>
constexpr auto coalesce(const E& e, Vs&&... rest) {
    static_assert(sizeof...(Vs) > 0, "ctorm: coalesce() needs at least two arguments");
    (void)(assert_comparable_types<
               E, non_null_t<typename decltype(detail::as_operand(std::forward<Vs>(rest)))::value_type>>::check() &&
           ...);
    using R = detail::maybe_optional<typename E::value_type,
                                     detail::all_nullable<E, decltype(detail::as_operand(std::forward<Vs>(rest)))...>>;
    return detail::make_call<detail::coalesce_name, R, false>(e, detail::as_operand(std::forward<Vs>(rest))...);
}
// NULLIF(a, b): NULL when a equals b.
template <expression E, class V>
constexpr auto nullif(const E& e, V&& v) {
    auto other = detail::operand<E>(std::forward<V>(v));
    return detail::make_call<detail::nullif_name, std::optional<non_null_t<typename E::value_type>>, false>(e, other);
}

// literal(v): a value as an expression of its own, bound like any value
// (select(literal(1).as<"depth">()), ...).
template <class V>
constexpr auto literal(V&& v) {
    static_assert(!expression<V>, "ctorm: literal() takes a C++ value");
    return detail::make_param(std::forward<V>(v));
}

// --- now(), current_date() -------------------------------------------------
// The names SQLAlchemy gives them (func.now(), func.current_date()), and the
// ones server_default(now()) / server_default(current_date()) use in CTORM_TABLE.

namespace detail {
struct now_expression : expression_base<now_expression> {
    using value_type = timestamp;
    using columns = type_list<>;
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = false;
    template <class D, class W>
    static constexpr void render(W& w) {
        D::render_now(w);
    }
    template <class F>
    constexpr void visit_params(F&) const {}
};
struct current_date_expression : expression_base<current_date_expression> {
    using value_type = date;
    using columns = type_list<>;
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = false;
    template <class D, class W>
    static constexpr void render(W& w) {
        D::render_current_date(w);
    }
    template <class F>
    constexpr void visit_params(F&) const {}
};
}  // namespace detail

constexpr detail::now_expression now() { return {}; }
constexpr detail::current_date_expression current_date() { return {}; }

// --- arithmetic and concatenation ----------------------------------------------

namespace detail {
namespace op {
// decimal_function: the function a dialect with decimal_functions computes the
// operation of ctorm::numeric operands with (sqlite/numeric_functions.hpp).
struct add {
    static constexpr std::string_view text = " + ";
    static constexpr std::string_view decimal_function = "ctorm_numeric_add(";
};
struct subtract {
    static constexpr std::string_view text = " - ";
    static constexpr std::string_view decimal_function = "ctorm_numeric_subtract(";
};
struct multiply {
    static constexpr std::string_view text = " * ";
    static constexpr std::string_view decimal_function = "ctorm_numeric_multiply(";
};
struct divide {
    static constexpr std::string_view text = " / ";
    static constexpr bool divides = true;
};
struct modulo {
    static constexpr std::string_view text = " % ";
    static constexpr bool divides = true;
};
struct concat {
    static constexpr std::string_view text = " || ";
};
}  // namespace op

template <class V>
inline constexpr bool is_param = false;
template <class V>
inline constexpr bool is_param<param<V>> = true;

// x / y and x % y where y is an expression: NULL when y is 0, on every dialect.
// A divisor given as a C++ value is checked when the statement is built.
template <class Op, class R>
inline constexpr bool divides_by_expression = requires {
    Op::divides;
}
&&!is_param<R>;

template <class V>
constexpr void check_divisor(const V& v) {
    if constexpr (is_nullable_v<V>) {
        if (v.has_value()) check_divisor(*v);
    } else if constexpr (requires { v == 0; }) {
        if (v == 0) [[unlikely]]
            throw std::domain_error("ctorm: division by zero: the divisor given to / or % is 0");
    }
}

template <class Op, class L, class R, class Result, int Precedence>
struct arithmetic : expression_base<arithmetic<Op, L, R, Result, Precedence>> {
    using value_type = Result;
    using columns = meta::set_union<detail::columns_of<L>, detail::columns_of<R>>;
    static constexpr int precedence = Precedence;
    static constexpr bool is_aggregate = L::is_aggregate || R::is_aggregate;
    static constexpr bool contains_window = window_in<L> || window_in<R>;
    [[no_unique_address]] L left;
    [[no_unique_address]] R right;
    template <class D, class W>
    static constexpr void render(W& w) {
        if constexpr (category_of<Result>() == category::decimal && requires { D::decimal_functions; }) {
            w.put(Op::decimal_function);
            detail::render_node<D, L>(w);
            w.put(", ");
            detail::render_node<D, R>(w);
            w.put(')');
        } else {
            render_operator<D>(w);
        }
    }
    template <class D, class W>
    static constexpr void render_operator(W& w) {
        // Parenthesize operands that bind less tightly (and the right side of
        // - and /, where a - (b - c) differs from a - b - c).
        if constexpr (L::precedence < Precedence) {
            w.put('(');
            detail::render_node<D, L>(w);
            w.put(')');
        } else {
            detail::render_node<D, L>(w);
        }
        w.put(Op::text);
        if constexpr (divides_by_expression<Op, R> && requires { D::division_by_zero_raises; }) {
            // NULL for a zero divisor, as on SQLite (arithmetic's value type says so).
            w.put("NULLIF(");
            detail::render_node<D, R>(w);
            w.put(", 0)");
        } else if constexpr (R::precedence <= Precedence) {
            w.put('(');
            detail::render_node<D, R>(w);
            w.put(')');
        } else {
            detail::render_node<D, R>(w);
        }
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(left, f);
        detail::visit_node(right, f);
    }
};

template <class Op, int Precedence, class A, class B>
constexpr auto make_number_arithmetic(A a, B b);

template <class Op, int Precedence, class L, class R>
constexpr auto make_arithmetic(L&& l, R&& r) {
    auto a = as_operand(std::forward<L>(l));
    auto b = as_operand(std::forward<R>(r));
    using A = decltype(a);
    using B = decltype(b);
    if constexpr (is_decimal_expression<A> || is_decimal_expression<B>) {
        // Exact: a numeric, from numerics and integers.
        (void)assert_exact_operands<A, B>::check();
        (void)assert_exact_operation<Op>::check();
        using result = maybe_optional<numeric, any_nullable<A, B>>;
        return arithmetic<Op, A, B, result, Precedence>{{}, std::move(a), std::move(b)};
    } else {
        return make_number_arithmetic<Op, Precedence>(std::move(a), std::move(b));
    }
}
template <class Op, int Precedence, class A, class B>
constexpr auto make_number_arithmetic(A a, B b) {
    (void)assert_numeric_operand<A>::check();
    (void)assert_numeric_operand<B>::check();
    constexpr bool real = category_of<typename A::value_type>() == category::real ||
                          category_of<typename B::value_type>() == category::real;
    using R0 = std::conditional_t<real, double, std::int64_t>;
    // Keep the column's own integer type when both sides are that type.
    using N = std::conditional_t<std::is_same_v<non_null_t<typename A::value_type>, non_null_t<typename B::value_type>>,
                                 non_null_t<typename A::value_type>, R0>;
    if constexpr (requires { Op::divides; }) {
        if constexpr (is_param<B>) check_divisor(b.value);
    }
    using result = maybe_optional<N, any_nullable<A, B> || divides_by_expression<Op, B>>;
    return arithmetic<Op, A, B, result, Precedence>{{}, std::move(a), std::move(b)};
}
}  // namespace detail

#define CTORM_DETAIL_ARITHMETIC(symbol, name, prec)                                                        \
    template <expression L, class R>                                                                       \
    constexpr auto operator symbol(const L& l, R&& r) {                                                    \
        return detail::make_arithmetic<detail::op::name, detail::precedence::prec>(l, std::forward<R>(r)); \
    }                                                                                                      \
    template <class L, expression R>                                                                       \
        requires(!expression<L>)                                                                           \
    constexpr auto operator symbol(L&& l, const R& r) {                                                    \
        return detail::make_arithmetic<detail::op::name, detail::precedence::prec>(std::forward<L>(l), r); \
    }
CTORM_DETAIL_ARITHMETIC(+, add, additive)
CTORM_DETAIL_ARITHMETIC(-, subtract, additive)
CTORM_DETAIL_ARITHMETIC(*, multiply, multiplicative)
CTORM_DETAIL_ARITHMETIC(/, divide, multiplicative)
CTORM_DETAIL_ARITHMETIC(%, modulo, multiplicative)
#undef CTORM_DETAIL_ARITHMETIC

// --- exact division of numerics ---------------------------------------------------

namespace detail {
// a / b as a ctorm::numeric rounded half away from zero to Scale places, as
// ctorm::numeric::divide computes it in C++; NULL when b is 0 (as x / y is).
// SQLite: ctorm_numeric_divide(a, b, Scale) (sqlite/numeric_functions.hpp);
// PostgreSQL: numeric's own exact div(), sql/dialect/postgres.hpp.
template <class A, class B, std::size_t Scale>
struct numeric_quotient : expression_base<numeric_quotient<A, B, Scale>> {
    using value_type = std::optional<numeric>;
    using columns = meta::set_union<columns_of<A>, columns_of<B>>;
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = A::is_aggregate || B::is_aggregate;
    static constexpr bool contains_window = window_in<A> || window_in<B>;
    [[no_unique_address]] A dividend;
    [[no_unique_address]] B divisor;
    template <class D, class W>
    static constexpr void render(W& w) {
        D::template render_numeric_divide<A, B, Scale>(w);
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(dividend, f);
        detail::visit_node(divisor, f);
    }
};
}  // namespace detail

template <class E>
struct assert_exact_division_operand {
    CTORM_DETAIL_RULE(
        "ctorm: divide<S>(a, b) divides exact numbers: each side a ctorm::numeric or an integer "
        "(cast<ctorm::numeric>(...) a floating-point side first, or use / for doubles)",
        category_of<typename E::value_type>() == category::decimal ||
            category_of<typename E::value_type>() == category::integer);
};

// divide<S>(a, b): a / b exactly, rounded half away from zero to S places
// after the point, on every dialect (a ctorm::numeric, NULL when b is 0 or
// either is NULL); the same value ctorm::numeric::divide(a, b, S) gives.
template <std::size_t Scale, class A, class B>
    requires(expression<A> || expression<B>)
constexpr auto divide(A&& a, B&& b) {
    static_assert(Scale <= 1000, "ctorm: divide<S>: S is at most 1000 (PostgreSQL's largest numeric scale)");
    auto x = detail::as_operand(std::forward<A>(a));
    auto y = detail::as_operand(std::forward<B>(b));
    (void)assert_exact_division_operand<decltype(x)>::check();
    (void)assert_exact_division_operand<decltype(y)>::check();
    return detail::numeric_quotient<decltype(x), decltype(y), Scale>{{}, std::move(x), std::move(y)};
}

// avg<S>(x) of a ctorm::numeric (or integer) expression: the exact mean,
// sum(x) / count(x) rounded half away from zero to S places (NULL with no rows).
template <std::size_t Scale, expression E>
constexpr auto avg(const E& e) {
    (void)assert_exact_division_operand<E>::check();
    (void)assert_no_nested_aggregate<E>::check();
    return divide<Scale>(sum(e), count(e));
}

// a || b || ...: string concatenation (both dialects).
template <expression E, class V, class... Vs>
constexpr auto concat(const E& e, V&& v, Vs&&... rest) {
    (void)assert_text_operand<E>::check();
    auto b = detail::as_operand(std::forward<V>(v));
    (void)assert_text_operand<decltype(b)>::check();
    using R = detail::maybe_optional<std::string, detail::any_nullable<E, decltype(b)>>;
    auto joined =
        detail::arithmetic<detail::op::concat, E, decltype(b), R, detail::precedence::additive>{{}, e, std::move(b)};
    if constexpr (sizeof...(Vs) == 0) return joined;
    else return concat(joined, std::forward<Vs>(rest)...);
}

// --- CASE -------------------------------------------------------------------------

namespace detail {
template <class Condition, class Value>
struct when_clause {
    Condition condition;
    Value value;
};
}  // namespace detail
template <expression C, class V>
constexpr auto when(const C& condition, V&& value) {
    (void)assert_boolean_condition<C>::check();
    auto v = detail::as_operand(std::forward<V>(value));
    return detail::when_clause<C, decltype(v)>{condition, std::move(v)};
}

namespace detail {
template <class Else, class... Whens>
struct case_expression : expression_base<case_expression<Else, Whens...>> {
    using first_value = typename std::tuple_element_t<0, std::tuple<Whens...>>::value_type_holder;
    using value_type = detail::maybe_optional<typename first_value::value_type,
                                              detail::else_may_be_null<Else> ||
                                                  detail::any_nullable<typename Whens::value_type_holder...>>;
    using columns = meta::concat<type_list<>, typename Whens::columns...>;
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = false;
    static constexpr bool contains_window = window_in<Else> || (window_in<Whens> || ...);
    items<Whens...> whens;
    Else otherwise;
    template <class D, class W>
    static constexpr void render(W& w) {
        w.put("CASE");
        (detail::render_node<D, Whens>(w), ...);
        if constexpr (!std::is_same_v<Else, detail::no_where>) {
            w.put(" ELSE ");
            detail::render_node<D, Else>(w);
        }
        w.put(" END");
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(whens, f);
        detail::visit_node(otherwise, f);
    }
    // CASE ... ELSE value END
    template <class V>
    constexpr auto else_(V&& value) const {
        auto v = detail::as_operand(std::forward<V>(value));
        return case_expression<decltype(v), Whens...>{{}, whens, std::move(v)};
    }
};

template <class Condition, class Value>
struct when_node {
    using value_type_holder = Value;
    using columns = meta::set_union<typename Condition::columns, typename Value::columns>;
    static constexpr bool contains_window = window_in<Condition> || window_in<Value>;
    Condition condition;
    Value value;
    template <class D, class W>
    static constexpr void render(W& w) {
        w.put(" WHEN ");
        detail::render_node<D, Condition>(w);
        w.put(" THEN ");
        detail::render_node<D, Value>(w);
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(condition, f);
        detail::visit_node(value, f);
    }
};
}  // namespace detail

// case_(when(cond, value), when(cond2, value2)).else_(value3)
template <class... Cs, class... Vs>
constexpr auto case_(const detail::when_clause<Cs, Vs>&... whens) {
    static_assert(sizeof...(Cs) > 0, "ctorm: case_() needs at least one when(condition, value)");
    return detail::case_expression<detail::no_where, detail::when_node<Cs, Vs>...>{
        {}, {detail::when_node<Cs, Vs>{whens.condition, whens.value}...}, {}};
}

// --- window functions ----------------------------------------------------------

namespace detail {
template <class Partition, class Order>
struct window_spec {
    Partition partition;
    Order order;
    template <expression... Es>
    constexpr auto partition_by(const Es&... es) const {
        auto all = detail::concat_items(partition, items<Es...>{es...});
        return window_spec<decltype(all), Order>{all, order};
    }
    // Labels mean nothing inside OVER (...): a labeled expression is written out.
    template <class... Terms>
    constexpr auto order_by(const Terms&... terms) const {
        auto all = detail::concat_items(order, items{detail::unlabel(detail::as_order_term(terms))...});
        return window_spec<Partition, decltype(all)>{partition, all};
    }
    template <class D, class W>
    static constexpr void render(W& w) {
        w.put(" OVER (");
        if constexpr (Partition::size > 0) {
            w.put("PARTITION BY ");
            detail::tuple_items<Partition>::template render<D>(w);
            if constexpr (Order::size > 0) w.put(' ');
        }
        if constexpr (Order::size > 0) {
            w.put("ORDER BY ");
            detail::tuple_items<Order>::template render<D>(w);
        }
        w.put(')');
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::tuple_items<Partition>::visit(partition, f);
        detail::tuple_items<Order>::visit(order, f);
    }
    using columns =
        meta::concat<typename detail::tuple_items<Partition>::columns, typename detail::tuple_items<Order>::columns>;
};

// Whether a dialect can run F as a window function: SQLite's MIN and MAX of a
// ctorm::numeric are ctorm's own plain aggregates (sqlite/numeric_functions.hpp).
template <class F>
inline constexpr bool decimal_min_or_max = false;
template <class Result, class... Args>
inline constexpr bool decimal_min_or_max<call<decimal_name<min_name, numeric_min_name>, Result, true, Args...>> = true;
template <class Result, class... Args>
inline constexpr bool decimal_min_or_max<call<decimal_name<max_name, numeric_max_name>, Result, true, Args...>> = true;

template <class Dialect, class Function>
struct assert_window_function_on_dialect {
    CTORM_DETAIL_RULE(
        "ctorm: min() / max() of a ctorm::numeric cannot be a window function on SQLite (ctorm computes "
        "them in numeric order with plain aggregates there): use them without over(), or on PostgreSQL",
        !(decimal_min_or_max<Function> && requires { Dialect::decimal_functions; }));
};

template <class Function, class Spec>
struct windowed : expression_base<windowed<Function, Spec>> {
    using value_type = typename Function::value_type;
    using columns = meta::set_union<typename Function::columns, typename Spec::columns>;
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = false;  // one value per row, not per group
    static constexpr bool contains_window = true;
    Function function;
    Spec spec;
    template <class D, class W>
    static constexpr void render(W& w) {
        (void)assert_window_function_on_dialect<D, Function>::check();
        // A window function's arguments are computed after grouping, unlike
        // an aggregate's: the repeat scope reaches into them (not render_node).
        Function::template render<D>(w);
        detail::render_node<D, Spec>(w);
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        function.visit_params(f);
        detail::visit_node(spec, f);
    }
};

}  // namespace detail

// window().partition_by(a).order_by(b.desc())
constexpr detail::window_spec<detail::items<>, detail::items<>> window() { return {}; }

// f.over(window): any aggregate or ranking function as a window function.
template <class Name, class Result, bool Aggregate, class... Args, class P, class O>
constexpr auto over(const detail::call<Name, Result, Aggregate, Args...>& f, const detail::window_spec<P, O>& spec) {
    return detail::windowed<detail::call<Name, Result, Aggregate, Args...>, detail::window_spec<P, O>>{{}, f, spec};
}
template <class E, bool Distinct, class P, class O>
constexpr auto over(const detail::count_of<E, Distinct>& f, const detail::window_spec<P, O>& spec) {
    return detail::windowed<detail::count_of<E, Distinct>, detail::window_spec<P, O>>{{}, f, spec};
}
template <class P, class O>
constexpr auto over(const detail::count_star& f, const detail::window_spec<P, O>& spec) {
    return detail::windowed<detail::count_star, detail::window_spec<P, O>>{{}, f, spec};
}

// sum(x).over(...) of integers: CAST(SUM(x) OVER (...) AS BIGINT) where the dialect needs it.
template <class T, class F, class P, class O>
constexpr auto over(const detail::dialect_cast<T, F>& f, const detail::window_spec<P, O>& spec) {
    auto inner = over(f.operand, spec);
    return detail::dialect_cast<T, decltype(inner)>{{}, inner};
}

constexpr auto row_number() { return detail::make_call<detail::row_number_name, std::int64_t, false>(); }
constexpr auto rank() { return detail::make_call<detail::rank_name, std::int64_t, false>(); }
constexpr auto dense_rank() { return detail::make_call<detail::dense_rank_name, std::int64_t, false>(); }
// lag(x) / lead(x): the value of x in the previous / next row (NULL at the edge).
template <expression E>
constexpr auto lag(const E& e) {
    return detail::make_call<detail::lag_name, std::optional<non_null_t<typename E::value_type>>, false>(e);
}
template <expression E>
constexpr auto lead(const E& e) {
    return detail::make_call<detail::lead_name, std::optional<non_null_t<typename E::value_type>>, false>(e);
}

// --- subqueries ---------------------------------------------------------------------

// (SELECT ...) used as a value. Its own tables stay inside; only the columns of
// correlated (enclosing) tables count as columns of the expression.
namespace detail {
template <class Select>
struct scalar_subquery : expression_base<scalar_subquery<Select>> {
    using value_type = std::optional<non_null_t<typename statement_traits<Select>::row_type>>;
    using columns =
        typename detail::columns_in_tables<typename Select::all_columns, typename Select::correlated_tables>::type;
    static constexpr int precedence = precedence::primary;
    static constexpr bool is_aggregate = false;
    Select query;
    template <class D, class W>
    static constexpr void render(W& w) {
        w.put('(');
        detail::render_node<D, Select>(w);
        w.put(')');
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(query, f);
    }
};

}  // namespace detail

template <select_statement_type S>
constexpr detail::scalar_subquery<S> subquery_value(const S& s) {
    (void)assert_single_column_subquery<S>::check();
    return {{}, s};
}

namespace detail {
template <bool Negated, class E, class Select>
struct in_subquery : expression_base<in_subquery<Negated, E, Select>> {
    using value_type = detail::maybe_optional<bool, is_nullable_v<typename E::value_type>>;
    using columns = meta::set_union<typename E::columns, typename scalar_subquery<Select>::columns>;
    static constexpr int precedence = precedence::compare;
    static constexpr bool is_aggregate = E::is_aggregate;
    static constexpr bool contains_window = window_in<E>;
    [[no_unique_address]] E operand;
    Select query;
    template <class D, class W>
    static constexpr void render(W& w) {
        detail::render_node<D, E>(w);
        w.put(Negated ? " NOT IN (" : " IN (");
        detail::render_node<D, Select>(w);
        w.put(')');
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(operand, f);
        detail::visit_node(query, f);
    }
};

}  // namespace detail

// x IN (SELECT ...), x NOT IN (SELECT ...)
template <expression E, select_statement_type S>
constexpr auto in_select(const E& e, const S& s) {
    (void)assert_single_column_subquery<S>::check();
    (void)assert_comparable_types<E, non_null_t<typename statement_traits<S>::row_type>>::check();
    return detail::in_subquery<false, E, S>{{}, e, s};
}
template <expression E, select_statement_type S>
constexpr auto not_in_select(const E& e, const S& s) {
    (void)assert_single_column_subquery<S>::check();
    (void)assert_comparable_types<E, non_null_t<typename statement_traits<S>::row_type>>::check();
    return detail::in_subquery<true, E, S>{{}, e, s};
}

namespace detail {
template <bool Negated, class Select>
struct exists_expression : expression_base<exists_expression<Negated, Select>> {
    using value_type = bool;
    using columns = typename scalar_subquery<Select>::columns;
    static constexpr int precedence = precedence::compare;
    static constexpr bool is_aggregate = false;
    Select query;
    template <class D, class W>
    static constexpr void render(W& w) {
        w.put(Negated ? "NOT EXISTS (" : "EXISTS (");
        detail::render_node<D, Select>(w);
        w.put(')');
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        detail::visit_node(query, f);
    }
};
}  // namespace detail

template <select_statement_type S>
constexpr detail::exists_expression<false, S> exists(const S& s) {
    return {{}, s};
}
template <select_statement_type S>
constexpr detail::exists_expression<true, S> not_exists(const S& s) {
    return {{}, s};
}

}  // namespace ctorm
