// The writers that render SQL text: one constexpr code path, used at compile
// time to size and fill each statement's constant text, and at run time for
// dynamic pieces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

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

// Node's text again, its placeholders numbered from `first` on as where it
// was rendered first (a GROUP BY key repeating a selected expression, or a
// dialect that spells one function with its argument twice).
template <class D, class Node, class W>
constexpr void render_again(W& w, unsigned first) {
    repeat_writer<W> again{w, first};
    Node::template render<D>(again);
}

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
    ((first ? void(first = false) : w.put(", "), Items::template render<D>(w)), ...);
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
