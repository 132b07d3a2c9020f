// dynamic_select: filters, sort keys and paging chosen at run time (a search
// page), each piece checked at compile time against the statement's tables,
// every value bound. The text is rendered at run time by the same code that
// renders static statements at compile time; static statements are untouched.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "ctorm/dialect/known.hpp"
#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/schema/types.hpp"
#include "ctorm/sql/expression.hpp"
#include "ctorm/sql/select.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm {

// A value of a dynamic statement, owned (pieces outlive the expressions that
// made them). std::monostate is NULL. The arrays are in_(list) / not_in(list)
// run-time lists and array columns' values, one alternative per PostgreSQL
// array type (int2[], int4[], int8[], float4[], float8[], bool[], text[]):
// an array is bound as the type the same static statement binds.
using bound_value =
    std::variant<std::monostate, bool, std::int64_t, double, std::string, blob, timestamp, date, time_of_day,
                 std::vector<bool>, std::vector<std::int16_t>, std::vector<std::int32_t>, std::vector<std::int64_t>,
                 std::vector<float>, std::vector<double>, std::vector<std::string>, detail::enum_label>;

namespace detail {

// Writes text into a std::string at run time.
struct string_writer {
    std::string text;
    unsigned params = 0;
    // Where the static select's items began (placeholder_marks), for sort keys
    // added at run time that repeat one of them.
    const unsigned* select_marks = nullptr;
    void put(std::string_view s) { text.append(s); }
    void put(char c) { text.push_back(c); }
    void put_number(std::uint64_t n) {
        char digits[20];
        int count = 0;
        do {
            digits[count++] = char('0' + n % 10);
            n /= 10;
        } while (n != 0);
        while (count > 0) text.push_back(digits[--count]);
    }
    void put_signed(std::int64_t n) {
        if (n < 0) put('-');
        put_number(n < 0 ? std::uint64_t(-(n + 1)) + 1 : std::uint64_t(n));
    }
};

// The alternative of bound_value an array of E is held in, or void when
// there is none: the integer widths as PostgreSQL's (int8_t -> int2, uint16_t
// -> int4, ...), an enum as its underlying type.
template <class E>
constexpr auto bound_array_element() {
    if constexpr (named_enum<E>) return std::type_identity<std::string>{};  // the names
    else if constexpr (std::is_enum_v<E>) return bound_array_element<std::underlying_type_t<E>>();
    else if constexpr (std::is_same_v<E, bool>) return std::type_identity<bool>{};
    else if constexpr (std::is_integral_v<E> && !std::is_same_v<E, std::uint64_t>) {
        if constexpr (sizeof(E) == 1 || (sizeof(E) == 2 && std::is_signed_v<E>))
            return std::type_identity<std::int16_t>{};
        else if constexpr (sizeof(E) == 2 || (sizeof(E) == 4 && std::is_signed_v<E>))
            return std::type_identity<std::int32_t>{};
        else return std::type_identity<std::int64_t>{};
    } else if constexpr (std::is_same_v<E, float>) return std::type_identity<float>{};
    else if constexpr (std::is_same_v<E, double>) return std::type_identity<double>{};
    else if constexpr (std::is_same_v<E, std::string> || std::is_same_v<E, std::string_view>)
        return std::type_identity<std::string>{};
    else return std::type_identity<void>{};
}
template <class E>
using bound_array_element_t = typename decltype(bound_array_element<E>())::type;

template <class V>
struct assert_dynamic_array_is_bindable {
    CTORM_DETAIL_RULE(
        "ctorm: a dynamic() query binds arrays of integers, booleans, floating point numbers or text "
        "(in_(list) / not_in(list) with a run-time list, an array column's value); for an array of other "
        "elements (nullable ones, timestamps, uuids, ...) use a static statement, or list the values: "
        "in_(a, b, c)",
        !std::is_void_v<bound_array_element_t<sql_array_element_t<non_null_t<V>>>>);
};

template <class V>
bound_value to_bound(const V& v) {
    if constexpr (std::is_same_v<V, std::nullopt_t>) return std::monostate{};
    else if constexpr (is_nullable_v<V>) return v ? to_bound(*v) : bound_value{};
    else if constexpr (std::is_same_v<V, bool>) return v;
    else if constexpr (named_enum<V>) return enum_label{enum_name_or_throw(v)};
    else if constexpr (std::is_enum_v<V>) return static_cast<std::int64_t>(v);
    else if constexpr (std::is_integral_v<V>) return static_cast<std::int64_t>(v);
    else if constexpr (std::is_floating_point_v<V>) return static_cast<double>(v);
    else if constexpr (std::is_same_v<V, std::string> || std::is_same_v<V, std::string_view>) return std::string(v);
    else if constexpr (std::is_same_v<V, std::span<const std::byte>>) return blob(v.begin(), v.end());
    else if constexpr (is_sql_array_v<V>) {
        using element = bound_array_element_t<sql_array_element_t<V>>;
        if constexpr (std::is_void_v<element>) {
            return (void)assert_dynamic_array_is_bindable<V>::check(), bound_value{};
        } else {
            std::vector<element> values;
            values.reserve(v.size());
            for (const auto& e : v) {
                if constexpr (named_enum<sql_array_element_t<V>>) values.emplace_back(enum_name_or_throw(e));
                else values.push_back(static_cast<element>(e));
            }
            return values;
        }
    } else return v;
}

struct bound_collector {
    std::vector<bound_value>& out;
    template <class V>
    void operator()(const V& v) {
        out.push_back(to_bound(v));
    }
};

// W: string_writer, or for the sort keys of a select with a repeat scope
// (sql/render.hpp), the scope over it, so that they repeat its keys.
template <class W>
using piece_renderer_of = void (*)(W&);
using piece_renderer = piece_renderer_of<string_writer>;

template <class Node, class D, class W>
void render_piece(W& w) {
    Node::template render<D>(w);
}

// One renderer of Node per dialect of known_dialects, in its order: the
// dialect is known only when sql<D>() runs, the node's type only when the
// piece is added, so each piece keeps a pointer to its node's row.
template <class Node, class Dialects, class W = string_writer>
struct piece_renderers;
template <class Node, class... Ds, class W>
struct piece_renderers<Node, type_list<Ds...>, W> {
    static constexpr piece_renderer_of<W> row[] = {&render_piece<Node, Ds, W>...};
};

// A run-time sort key, knowing whether the statement's rows may hold NULL
// there (an outer-joined table's column), for the NULLS clause.
template <class Term, bool MayBeNull>
struct sort_key {
    Term term;
    template <class D, class W>
    static constexpr void render(W& w) {
        Term::template render_term<D, MayBeNull>(w);
    }
    template <class F>
    constexpr void visit_params(F& f) const {
        term.visit_params(f);
    }
};

// A run-time sort key that repeats a selected expression (select.hpp's
// order_repeat): that expression's placeholders, no values.
template <class Node, class D, std::size_t Index, class W>
void render_repeated_piece(W& w) {
    if constexpr (is_repeat_scope<W>) render_again<D, Node>(w, w.out.select_marks[Index]);
    else render_again<D, Node>(w, w.select_marks[Index]);
}
template <class Node, class Dialects, std::size_t Index, class W>
struct repeated_piece_renderers;
template <class Node, class... Ds, std::size_t Index, class W>
struct repeated_piece_renderers<Node, type_list<Ds...>, Index, W> {
    static constexpr piece_renderer_of<W> row[] = {&render_repeated_piece<Node, Ds, Index, W>...};
};

// A piece added at run time: its renderers (the text depends only on the
// node's type and the dialect) and its values.
template <class W>
struct basic_dynamic_piece {
    const piece_renderer_of<W>* renderers;
    std::vector<bound_value> values;
    template <class D>
    void render(W& w) const {
        renderers[meta::index_of<D, known_dialects>](w);
    }
};
using dynamic_piece = basic_dynamic_piece<string_writer>;

template <class Node>
dynamic_piece make_piece(const Node& node) {
    dynamic_piece piece{piece_renderers<Node, known_dialects>::row, {}};
    bound_collector c{piece.values};
    node.visit_params(c);
    return piece;
}

}  // namespace detail

template <class Dialect>
struct assert_dialect_renders_dynamic {
    CTORM_DETAIL_RULE(
        "ctorm: dynamic(select) renders its run-time pieces for the dialects of known_dialects only; add this "
        "dialect to the list in ctorm/dialect/known.hpp",
        meta::contains<Dialect, detail::known_dialects>);
};

// Built from a static select without limit/offset:
//   auto q = dynamic(select(posts).where(posts.author_id == id));
//   if (title) q.where(posts.title.ilike(*title));
//   q.order_by(posts.views.desc()); q.page(2, 20);
template <class Base>
class dynamic_select {
    static_assert(!Base::options_type::limit && !Base::options_type::offset,
                  "ctorm: dynamic(select) takes a select without limit()/offset(); set them on the dynamic_select");

public:
    struct traits : statement_traits<Base> {
        static constexpr bool is_dynamic = true;
    };

    explicit dynamic_select(Base base) : base_(std::move(base)) {}

    // Adds a condition, ANDed with the others.
    template <expression C>
    dynamic_select& where(const C& condition) {
        (void)assert_boolean_condition<C>::check();
        (void)check_columns_in<typename C::columns, typename Base::visible_tables>::check();
        where_.push_back(detail::make_piece(condition));
        return *this;
    }
    // Adds sort keys after those already there.
    template <class... Terms>
    dynamic_select& order_by(const Terms&... terms) {
        (void)check_columns_in<meta::concat<type_list<>, typename Terms::columns...>,
                               typename Base::visible_tables>::check();
        (add_order(detail::as_order_term(terms)), ...);
        return *this;
    }
    dynamic_select& limit(std::int64_t n) {
        limit_ = n;
        return *this;
    }
    dynamic_select& offset(std::int64_t n) {
        offset_ = n;
        return *this;
    }
    // Page `number` (from 1) of `size` rows.
    dynamic_select& page(std::int64_t number, std::int64_t size) {
        limit_ = size;
        offset_ = (number > 1 ? number - 1 : 0) * size;
        return *this;
    }

    // The text for a dialect, rendered now.
    template <class D>
    std::string sql() const {
        (void)assert_dialect_renders_dynamic<D>::check();
        detail::string_writer w;
        if constexpr (Base::repeat_scoped) {
            detail::repeat_scope_writer<detail::string_writer, typename Base::repeat_keys> scope{w};
            render_clauses<D>(scope, w);
            return std::move(w.text);
        } else {
            render_clauses<D>(w, w);
            return std::move(w.text);
        }
    }

    // The values, in the order of the placeholders of sql().
    std::vector<bound_value> values() const {
        std::vector<bound_value> out;
        detail::bound_collector c{out};
        if constexpr (Base::repeat_scoped) {
            detail::repeat_scope_visitor<detail::bound_collector, typename Base::repeat_keys> scope{c, "ctorm: select"};
            visit_clauses(scope, c, out);
        } else {
            visit_clauses(c, c, out);
        }
        return out;
    }

private:
    // W: the select's repeat scope over `plain` (or `plain` itself); the
    // run-time pieces, outside the scope, render to `plain`.
    template <class D, class W>
    void render_clauses(W& w, detail::string_writer& plain) const {
        // Always marks: a sort key added at run time may repeat a selected expression.
        detail::placeholder_marks<Base::select_list_type::size> marks;
        Base::template render_head<D>(w, marks);
        const bool has_static_where = !std::is_same_v<typename Base::where_type, detail::no_where>;
        if (has_static_where || !where_.empty()) {
            w.put(" WHERE ");
            bool first = true;
            if constexpr (!std::is_same_v<typename Base::where_type, detail::no_where>) {
                render_condition<D, typename Base::where_type>(plain);
                first = false;
            }
            for (const auto& piece : where_) {
                if (!first) w.put(" AND ");
                first = false;
                w.put('(');
                piece.template render<D>(plain);
                w.put(')');
            }
        }
        Base::template render_group_having<D>(w);
        constexpr bool has_static_order = Base::order_type::size > 0;
        if (has_static_order || !order_.empty()) {
            w.put(" ORDER BY ");
            if constexpr (has_static_order)
                clauses::template render_order_terms<D, typename Base::nullable_tables>(w, marks);
            plain.select_marks = marks.select;
            bool first = !has_static_order;
            for (const auto& piece : order_) {
                if (!first) w.put(", ");
                first = false;
                piece.template render<D>(w);
            }
        }
        if (limit_ && offset_) D::template render_limit_offset<true, true>(w);
        else if (limit_) D::template render_limit_offset<true, false>(w);
        else if (offset_) D::template render_limit_offset<false, true>(w);
        Base::template render_lock<D>(w);
    }
    template <class F>
    void visit_clauses(F& f, detail::bound_collector& plain, std::vector<bound_value>& out) const {
        base_.visit_head(f);
        base_.where_clause.visit_params(plain);
        for (const auto& piece : where_) out.insert(out.end(), piece.values.begin(), piece.values.end());
        base_.visit_group_having(f);
        clauses::visit_order_terms(base_.order, f);
        for (const auto& piece : order_) out.insert(out.end(), piece.values.begin(), piece.values.end());
        if (limit_) out.emplace_back(*limit_);
        if (offset_) out.emplace_back(*offset_);
    }

    template <class D, class C>
    static void render_condition(detail::string_writer& w) {
        w.put('(');
        C::template render<D>(w);
        w.put(')');
    }
    template <class Term>
    void add_order(const Term& term) {
        using select_list = typename Base::select_list_type;
        using R = detail::order_repeat<Term, select_list, group_keys>;
        using key = detail::sort_key<Term, detail::term_may_be_null<Term, typename Base::nullable_tables>>;
        detail::check_repeated_term<select_list, group_keys>(base_.select_list, term);
        if constexpr (R::repeats) {
            order_.push_back(
                {detail::repeated_piece_renderers<key, detail::known_dialects, R::in_select, order_writer>::row, {}});
        } else if constexpr (Base::repeat_scoped) {
            // Rendered under the select's repeat scope: its keys, at any depth,
            // repeat the GROUP BY's placeholders, and their values are skipped
            // here once checked to be GROUP BY's.
            order_piece piece{detail::piece_renderers<key, detail::known_dialects, order_writer>::row, {}};
            detail::bound_collector c{piece.values};
            detail::repeat_scope_visitor<detail::bound_collector, typename Base::repeat_keys> scope{
                c, "ctorm: order_by()"};
            seed_keys(scope.first);
            key{term}.visit_params(scope);
            order_.push_back(std::move(piece));
        } else {
            order_.push_back(detail::make_piece(key{term}));
        }
    }
    // Each key of the repeat scope as seen first: the GROUP BY key.
    template <class... Ks>
    void seed_keys(std::tuple<const Ks*...>& first) const {
        ((std::get<const Ks*>(first) = &group_key<Ks>()), ...);
    }
    template <class K>
    const K& group_key() const {
        const auto& grouped = detail::item<detail::first_appearance<K, group_keys>>(base_.group_by_list);
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(grouped)>, K>) return grouped;
        else return grouped.operand;  // labeled
    }

    using group_keys = std::remove_cvref_t<decltype(std::declval<Base&>().group_by_list)>;
    using clauses = detail::select_clauses<typename Base::select_list_type, group_keys, typename Base::order_type>;

    Base base_;
    std::vector<detail::dynamic_piece> where_;
    using order_writer =
        std::conditional_t<Base::repeat_scoped,
                           detail::repeat_scope_writer<detail::string_writer, typename Base::repeat_keys>,
                           detail::string_writer>;
    using order_piece = detail::basic_dynamic_piece<order_writer>;
    std::vector<order_piece> order_;
    std::optional<std::int64_t> limit_, offset_;
};

template <select_statement_type S>
dynamic_select<S> dynamic(const S& base) {
    return dynamic_select<S>(base);
}

template <class T>
inline constexpr bool is_dynamic_statement = false;
template <class S>
inline constexpr bool is_dynamic_statement<dynamic_select<S>> = true;

}  // namespace ctorm
