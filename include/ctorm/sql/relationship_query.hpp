// Conditions through relationships, as EXISTS subqueries correlated to the
// owner: any(users.posts, posts.views > 100) (some related row matches) and
// has(posts.author, users.is_active) (the related row exists and matches),
// with the join condition taken from the relationship's declaration. For
// many-to-many the subquery goes through the association table.
#pragma once

#include <type_traits>

#include "ctorm/meta/rule.hpp"
#include "ctorm/schema/keys.hpp"
#include "ctorm/schema/relationship.hpp"
#include "ctorm/sql/expression.hpp"
#include "ctorm/sql/functions.hpp"
#include "ctorm/sql/select.hpp"

namespace ctorm {

// Rel is the relationship any() or has() was given, Collection whether any()
// (true) or has() (false) was called.
template <class Rel, bool Collection>
struct assert_relationship_condition_fits {
    CTORM_DETAIL_RULE_2(
        "ctorm: any(relationship, condition) takes a collection (one-to-many or many-to-many) and has() a "
        "single related object (many-to-one, one-to-one); this relationship (see the type below) is the other kind",
        Rel::collection == Collection,
        "ctorm: any() / has() of a self-referential relationship (see the type below) would compare the table "
        "with itself; write exists(select(...).where(...)) over an alias<\"name\">(table) instead",
        (!std::is_same_v<typename Rel::owner_table, typename Rel::target_table>));
};

namespace detail {

struct no_condition {};

// EXISTS (SELECT <target column> FROM <target> WHERE <target column> = <owner
// column> [AND condition]), correlated to the owner; for many-to-many,
// EXISTS (SELECT <assoc owner key> FROM <assoc> JOIN <target> ON ... WHERE
// <assoc owner key> = <owner column> [AND condition]).
template <class Rel, class Condition>
constexpr auto relationship_exists(const Condition& condition) {
    using owner = typename Rel::owner_table;
    using target = typename Rel::target_table;
    if constexpr (Rel::kind == relationship_kind::many_to_many) {
        using through = typename Rel::through_table;
        constexpr auto link = typename through::owner_key{} == typename Rel::owner_column{};
        auto q = select(typename through::owner_key{})
                     .correlate(owner{})
                     .from(typename through::table{})
                     .join(target{}, typename through::target_key{} == typename Rel::target_column{});
        if constexpr (std::is_same_v<Condition, no_condition>) return exists(q.where(link));
        else return exists(q.where(link && condition));
    } else {
        constexpr auto link = typename Rel::target_column{} == typename Rel::owner_column{};
        auto q = select(typename Rel::target_column{}).correlate(owner{}).from(target{});
        if constexpr (std::is_same_v<Condition, no_condition>) return exists(q.where(link));
        else return exists(q.where(link && condition));
    }
}

// The condition, or (when a rule failed, so that only its message is
// printed) a placeholder of the owner's columns.
template <class Rel, bool Collection, class Condition>
constexpr auto relationship_condition(const Condition& condition) {
    constexpr bool fits =
        Rel::collection == Collection && !std::is_same_v<typename Rel::owner_table, typename Rel::target_table>;
    (void)assert_relationship_condition_fits<Rel, Collection>::check();
    if constexpr (fits) return relationship_exists<Rel>(condition);
    else return typename Rel::owner_column{} == typename Rel::owner_column{};
}

}  // namespace detail

// users.posts.any(): the owner has at least one related row; with a
// condition, at least one that matches it (on the target's columns).
template <class Rel>
    requires is_relationship_v<Rel>
constexpr auto any(const Rel&) { return detail::relationship_condition<Rel, true>(detail::no_condition{}); }
template <class Rel, expression C>
    requires is_relationship_v<Rel>
constexpr auto any(const Rel&, const C& condition) { return detail::relationship_condition<Rel, true>(condition); }

// posts.author.has(users.is_active): the related row exists (the foreign key
// is not NULL and matches) and satisfies the condition.
template <class Rel>
    requires is_relationship_v<Rel>
constexpr auto has(const Rel&) { return detail::relationship_condition<Rel, false>(detail::no_condition{}); }
template <class Rel, expression C>
    requires is_relationship_v<Rel>
constexpr auto has(const Rel&, const C& condition) { return detail::relationship_condition<Rel, false>(condition); }

}  // namespace ctorm
