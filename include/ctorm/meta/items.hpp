// detail::items<Ts...>: the storage of a statement's clause lists (select list, joins,
// ORDER BY, assignments, function arguments...). A flat aggregate of indexed
// leaves with one constructor: what std::tuple does here, without its
// recursive bases, constrained constructor overloads and tuple_cat machinery,
// which were most of the compile time spent building statements.
// Result rows stay std::tuple: they are the user's.
#pragma once

#include <cstddef>
#include <utility>

namespace ctorm {

namespace detail {

// Visits a child node's values (the one call every node makes for its
// operands). sql/render.hpp's repeat scope has this twin for the values: a
// repeat_scope_visitor binds a GROUP BY key's values where the key first
// appears in the select list, GROUP BY, HAVING and ORDER BY, and skips them
// where it appears again.
template <class F, class Keys>
struct repeat_scope_visitor;

template <class F>
inline constexpr bool is_repeat_scope_visitor = false;
template <class F, class Keys>
inline constexpr bool is_repeat_scope_visitor<repeat_scope_visitor<F, Keys>> = true;

template <class Node, class F>
constexpr void visit_node(const Node& node, F& f) {
    if constexpr (is_repeat_scope_visitor<F>) f.visit_scoped(node);
    else node.visit_params(f);
}

template <std::size_t I, class T>
struct item_leaf {
    [[no_unique_address]] T value;
};

template <class Indices, class... Ts>
struct items_storage;
template <std::size_t... Is, class... Ts>
struct items_storage<std::index_sequence<Is...>, Ts...> : item_leaf<Is, Ts>... {
    constexpr items_storage() = default;
    constexpr items_storage(Ts... values) requires(sizeof...(Ts) > 0) : item_leaf<Is, Ts>{std::move(values)}... {}

    // Each item's parameter values, in order (items are expressions or clauses).
    template <class F>
    constexpr void visit_params(F& f) const {
        // visit_node's test, written here: one function fewer per item for every visitor
        if constexpr (is_repeat_scope_visitor<F>)
            (f.visit_scoped(static_cast<const item_leaf<Is, Ts>&>(*this).value), ...);
        else (static_cast<const item_leaf<Is, Ts>&>(*this).value.visit_params(f), ...);
    }
    // f(item) for each item, in order.
    template <class F>
    constexpr void each(F&& f) const {
        (f(static_cast<const item_leaf<Is, Ts>&>(*this).value), ...);
    }
};

template <class... Ts>
struct items : items_storage<std::index_sequence_for<Ts...>, Ts...> {
    using items_storage<std::index_sequence_for<Ts...>, Ts...>::items_storage;
    static constexpr std::size_t size = sizeof...(Ts);
};
template <class... Ts>
items(Ts...) -> items<Ts...>;

// item<I>(list): the I-th item (found by the base class it is stored in).
template <std::size_t I, class T>
constexpr const T& item(const item_leaf<I, T>& leaf) {
    return leaf.value;
}

// list + one more item.
template <class... Ts, class T, std::size_t... Is>
constexpr items<Ts..., T> append_item_impl(const items<Ts...>& list, const T& last, std::index_sequence<Is...>) {
    return items<Ts..., T>{item<Is>(list)..., last};
}
template <class... Ts, class T>
constexpr items<Ts..., T> append_item(const items<Ts...>& list, const T& last) {
    return append_item_impl(list, last, std::index_sequence_for<Ts...>{});
}

// Two lists, one after the other.
template <class... As, class... Bs, std::size_t... I, std::size_t... J>
constexpr items<As..., Bs...> concat_items_impl(const items<As...>& a, const items<Bs...>& b, std::index_sequence<I...>,
                                                std::index_sequence<J...>) {
    return items<As..., Bs...>{item<I>(a)..., item<J>(b)...};
}
template <class... As, class... Bs>
constexpr items<As..., Bs...> concat_items(const items<As...>& a, const items<Bs...>& b) {
    if constexpr (sizeof...(As) == 0) return b;
    else if constexpr (sizeof...(Bs) == 0) return a;
    else return concat_items_impl(a, b, std::index_sequence_for<As...>{}, std::index_sequence_for<Bs...>{});
}

}  // namespace detail
}  // namespace ctorm
