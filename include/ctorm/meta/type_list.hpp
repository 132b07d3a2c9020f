// type_list and the few compile-time list operations the rest of ctorm needs.
#pragma once

#include <cstddef>
#include <type_traits>

namespace ctorm {

template <class... Ts>
struct type_list {
    static constexpr std::size_t size = sizeof...(Ts);
};

namespace meta {

template <class T, class List>
inline constexpr bool contains = false;
template <class T, class... Ts>
inline constexpr bool contains<T, type_list<Ts...>> = (std::is_same_v<T, Ts> || ...);

// The position of T in List, List::size when it is not there.
template <class T, class List>
inline constexpr std::size_t index_of = 0;
template <class T, class... Ts>
inline constexpr std::size_t index_of<T, type_list<Ts...>> = [] {
    std::size_t i = 0;
    (void)((std::is_same_v<T, Ts> || (++i, false)) || ...);
    return i;
}();

template <class A, class B>
struct concat_impl;
template <class... As, class... Bs>
struct concat_impl<type_list<As...>, type_list<Bs...>> {
    using type = type_list<As..., Bs...>;
};
template <class... Lists>
struct concat_all;
template <>
struct concat_all<> {
    using type = type_list<>;
};
template <class L, class... Rest>
struct concat_all<L, Rest...> {
    using type = typename concat_impl<L, typename concat_all<Rest...>::type>::type;
};
template <class... Lists>
using concat = typename concat_all<Lists...>::type;

// Appends each type of Add to List unless List already holds it (order kept).
template <class List, class Add>
struct union_impl;
template <class List>
struct union_impl<List, type_list<>> {
    using type = List;
};
template <class... Ls, class A, class... As>
struct union_impl<type_list<Ls...>, type_list<A, As...>> {
    using next = std::conditional_t<contains<A, type_list<Ls...>>, type_list<Ls...>, type_list<Ls..., A>>;
    using type = typename union_impl<next, type_list<As...>>::type;
};
template <class List, class Add>
using set_union = typename union_impl<List, Add>::type;

// The first type of List that is not in Set, or void when every one is.
template <class List, class Set>
struct first_missing;
template <class Set>
struct first_missing<type_list<>, Set> {
    using type = void;
};
template <class T, class... Ts, class Set>
struct first_missing<type_list<T, Ts...>, Set> {
    using type = std::conditional_t<contains<T, Set>, typename first_missing<type_list<Ts...>, Set>::type, T>;
};

// The first type that occurs twice in List, or void.
template <class List>
struct first_duplicate;
template <>
struct first_duplicate<type_list<>> {
    using type = void;
};
template <class T, class... Ts>
struct first_duplicate<type_list<T, Ts...>> {
    using type = std::conditional_t<contains<T, type_list<Ts...>>, T, typename first_duplicate<type_list<Ts...>>::type>;
};

template <class... Ts>
inline constexpr bool always_false = false;

}  // namespace meta
}  // namespace ctorm
