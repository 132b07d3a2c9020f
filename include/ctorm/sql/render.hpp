// The writers that render SQL text: one constexpr code path, used at compile
// time to size and fill each statement's constant text, and at run time for
// dynamic pieces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "../meta/type_list.hpp"

namespace ctorm::detail {

// Counts characters and placeholders; the first pass of compile-time rendering.
struct length_writer {
    std::size_t size = 0;
    unsigned params = 0;
    constexpr void put(std::string_view text) { size += text.size(); }
    constexpr void put(char) { ++size; }
    constexpr void put_number(std::uint64_t n) {
        do {
            ++size;
            n /= 10;
        } while (n != 0);
    }
    constexpr void put_signed(std::int64_t n) {
        if (n < 0) ++size;
        put_number(n < 0 ? std::uint64_t(-(n + 1)) + 1 : std::uint64_t(n));
    }
};

// Fills a fixed buffer; the second pass.
template <std::size_t N>
struct buffer_writer {
    char data[N + 1]{};
    std::size_t size = 0;
    unsigned params = 0;
    constexpr void put(std::string_view text) {
        for (char c : text) data[size++] = c;
    }
    constexpr void put(char c) { data[size++] = c; }
    constexpr void put_number(std::uint64_t n) {
        char digits[20]{};
        int count = 0;
        do {
            digits[count++] = char('0' + n % 10);
            n /= 10;
        } while (n != 0);
        while (count > 0) data[size++] = digits[--count];
    }
    constexpr void put_signed(std::int64_t n) {
        if (n < 0) put('-');
        put_number(n < 0 ? std::uint64_t(-(n + 1)) + 1 : std::uint64_t(n));
    }
};

// Renders an expression again with the placeholders of its first appearance:
// a GROUP BY key or ORDER BY term that repeats a selected expression holding
// values (coalesce(x, "none"), price / 10) must be the same expression to
// PostgreSQL ($1 both times, not $1 and $2) and binds nothing of its own. Its
// placeholders are numbered from `params` on, and the statement's own count
// is left as it was. A dialect whose placeholders carry no number (SQLite's
// ?) writes the numbered form (?1) when repeats_placeholders<W>.
template <class W>
struct repeat_writer {
    W& out;
    unsigned params = 0;
    static constexpr bool repeats = true;
    constexpr void put(std::string_view text) { out.put(text); }
    constexpr void put(char c) { out.put(c); }
    constexpr void put_number(std::uint64_t n) { out.put_number(n); }
    constexpr void put_signed(std::int64_t n) { out.put_signed(n); }
};

template <class W>
inline constexpr bool repeats_placeholders = requires {
    W::repeats;
};

// --- repeats below the top of a clause -----------------------------------------
// A select with a GROUP BY key that is not a column (coalesce(x, "none"),
// price / 10) renders its select list, GROUP BY, HAVING and ORDER BY through a
// repeat_scope_writer. Every node renders its operands through render_node;
// under the scope, a node of a key's type (labels aside) renders as it is
// where it first appears and notes its first placeholder, and renders again
// with those placeholders wherever it appears after that, at any depth
// (upper(coalesce(x, "none")) in the select list, coalesce(x, "none") <> 'b'
// in HAVING), binding nothing there. PostgreSQL compares these clauses with
// GROUP BY by structure: it sees $1 each time where it would otherwise see $1
// and $3 (42803). The values' twin is meta/items.hpp's visit_node with
// select.hpp's repeat_scope_visitor, which binds a key's values where it first
// appears and skips them after; every node calls render_node and visit_node on
// the same operands. FROM, JOIN and WHERE render with the scope inactive: an
// expression there is not a grouped one.
template <class W, class Keys>
struct repeat_scope_writer;
template <class Scope>
struct scope_repeat_writer;

template <class W>
inline constexpr bool is_repeat_scope = false;
template <class W, class Keys>
inline constexpr bool is_repeat_scope<repeat_scope_writer<W, Keys>> = true;
template <class Scope>
inline constexpr bool is_repeat_scope<scope_repeat_writer<Scope>> = true;

// The writer that renders text again with placeholders from `first` on: under
// a repeat scope, one that still knows the keys' marks.
template <class W>
constexpr auto again_writer(W& w, unsigned first) {
    if constexpr (requires { typename W::scope_type; })
        return scope_repeat_writer<typename W::scope_type>{{}, w.scope, w.active, first};
    else if constexpr (is_repeat_scope<W>) return scope_repeat_writer<W>{{}, w, w.active, first};
    else return repeat_writer<W>{w, first};
}

// Node's text again, its placeholders numbered from `first` on as where it
// was rendered first (a GROUP BY key repeating a selected expression, or a
// dialect that spells one function with its argument twice).
template <class D, class Node, class W>
constexpr void render_again(W& w, unsigned first) {
    auto again = again_writer(w, first);
    Node::template render<D>(again);
}

// Renders an operand (the one call every node makes for its operands).
template <class D, class Node, class W>
constexpr void render_node(W& w) {
    if constexpr (is_repeat_scope<W>) w.template render_scoped<D, Node>();
    else Node::template render<D>(w);
}

// An operand written a second time with the placeholders of the first
// (PostgreSQL's round() writes its operand twice): as render_node wrote it,
// a key in it, or the operand itself, repeating as it did there.
template <class D, class Node, class W>
constexpr void render_node_again(W& w, unsigned first) {
    auto again = again_writer(w, first);
    render_node<D, Node>(again);
}

// An aggregate call (sum(x), count(x)): its arguments are per row, and the
// scope is inactive inside it (a key's type there may hold other values).
template <class Node>
inline constexpr bool aggregates_rows = requires {
    requires Node::aggregates_rows;
};

// Renders Node with the scope inactive when Node is an aggregate call.
template <class D, class Node, class W, class Scope>
constexpr void render_in_scope(W& w, Scope& scope) {
    if constexpr (aggregates_rows<Node>) {
        const bool was = scope.active;
        scope.active = false;
        Node::template render<D>(w);
        scope.active = was;
    } else {
        Node::template render<D>(w);
    }
}

struct numbered_repeats {
    static constexpr bool repeats = true;
};
struct plain_repeats {};

template <class W, class... Keys>
struct repeat_scope_writer<W, type_list<Keys...>>
    : std::conditional_t<repeats_placeholders<W>, numbered_repeats, plain_repeats> {
    using keys = type_list<Keys...>;
    W& out;
    unsigned& params;  // the statement's placeholder count, shared with out
    bool active = true;
    bool marked[sizeof...(Keys)]{};
    unsigned marks[sizeof...(Keys)]{};  // the count before a key's first placeholder
    unsigned spent[sizeof...(Keys)]{};  // how many placeholders its first appearance added

    constexpr explicit repeat_scope_writer(W& w) : out(w), params(w.params) {}
    constexpr void put(std::string_view text) { out.put(text); }
    constexpr void put(char c) { out.put(c); }
    constexpr void put_number(std::uint64_t n) { out.put_number(n); }
    constexpr void put_signed(std::int64_t n) { out.put_signed(n); }

    template <class D, class Node>
    constexpr void render_scoped() {
        if constexpr (meta::contains<Node, keys>) {
            constexpr std::size_t k = meta::index_of<Node, keys>;
            if (active && marked[k]) {
                render_again<D, Node>(*this, marks[k]);
            } else if (active) {
                marked[k] = true;
                marks[k] = params;
                Node::template render<D>(*this);
                spent[k] = params - marks[k];
            } else {
                Node::template render<D>(*this);
            }
        } else {
            render_in_scope<D, Node>(*this, *this);
        }
    }
};

// Text rendered again under a repeat scope (PostgreSQL's round() writes its
// operand twice; an ORDER BY term repeats a selected expression): a key in it
// renders from its mark, and where the text being repeated held the key's
// first appearance, the numbering moves past the placeholders it added there.
template <class Scope>
struct scope_repeat_writer : numbered_repeats {
    using scope_type = Scope;
    Scope& scope;
    bool& active;  // the scope's: paused where the text repeated was (a subquery's WHERE)
    unsigned params = 0;
    constexpr void put(std::string_view text) { scope.put(text); }
    constexpr void put(char c) { scope.put(c); }
    constexpr void put_number(std::uint64_t n) { scope.put_number(n); }
    constexpr void put_signed(std::int64_t n) { scope.put_signed(n); }

    template <class D, class Node>
    constexpr void render_scoped() {
        if constexpr (meta::contains<Node, typename Scope::keys>) {
            constexpr std::size_t k = meta::index_of<Node, typename Scope::keys>;
            if (scope.active && scope.marked[k]) {
                const bool first_here = scope.marks[k] == params;
                render_again<D, Node>(*this, scope.marks[k]);
                if (first_here) params += scope.spent[k];
                return;
            }
        }
        render_in_scope<D, Node>(*this, scope);
    }
};

template <class W>
constexpr void put_quoted(W& w, std::string_view identifier) {
    w.put('"');
    w.put(identifier);
    w.put('"');
}

// Joins rendered items with ", ".
template <class D, class W, class... Items>
constexpr void render_list(W& w) {
    [[maybe_unused]] bool first = true;
    // render_node's test, written here: one function fewer per item for every writer
    if constexpr (is_repeat_scope<W>)
        ((first ? void(first = false) : w.put(", "), w.template render_scoped<D, Items>()), ...);
    else ((first ? void(first = false) : w.put(", "), Items::template render<D>(w)), ...);
}

// The constant text of a node for a dialect. It depends on the node type only.
template <class D, class Node>
struct sql_text {
    static constexpr std::size_t size = [] {
        length_writer w;
        Node::template render<D>(w);
        return w.size;
    }();
    static constexpr buffer_writer<size> buffer = [] {
        buffer_writer<size> w;
        Node::template render<D>(w);
        return w;
    }();
    static constexpr std::string_view view{buffer.data, size};
    static constexpr unsigned param_count = buffer.params;
};

}  // namespace ctorm::detail
