// Relationships declared from foreign keys: one_to_many<"posts">(users,
// posts.author_id) (users.posts), many_to_one<"author">(posts.author_id)
// (posts.author), one_to_one<"detail">(books, book_details.book_id) (a
// unique foreign key: books.detail) and many_to_many<"tags">(book_tags.book_id,
// book_tags.tag_id) (books.tags, through the association table book_tags),
// as constexpr values next to the tables. A relationship is a
// type that names the two tables and the two columns that join them, so a
// loader option, a result that records what it loaded and the statement
// that loads it are all computed from it at compile time.
#pragma once

#include <string>
#include <type_traits>

#include "ctorm/meta/fixed_string.hpp"
#include "ctorm/meta/rule.hpp"
#include "ctorm/schema/keys.hpp"

namespace ctorm {

// Column is the foreign key a relationship was declared with, Parent the
// table it was meant to reference.
template <class Column, class Parent, bool IsForeignKey, bool ReferencesParent>
struct assert_relationship_column_references_parent {
    CTORM_DETAIL_RULE_2(
        "ctorm: a relationship is declared from a foreign key, and this column (see the column type below) is "
        "not one; declare it with references(...) or foreign_key(...), or name the column that is",
        IsForeignKey,
        "ctorm: the foreign key of this relationship (see the column type below) does not reference the parent "
        "table (see the table type below); name a column of the child table that references it",
        ReferencesParent);
};

// OwnerKey and TargetKey are the two columns of a many-to-many declaration.
template <class OwnerKey, class TargetKey, bool BothForeignKeys, bool SameTable>
struct assert_many_to_many_through_one_table {
    CTORM_DETAIL_RULE_2(
        "ctorm: many_to_many(a, b) takes two foreign keys of the association table (a references the "
        "owner, b the target); one of these columns (see the column types below) is not a foreign key",
        BothForeignKeys,
        "ctorm: the two columns of many_to_many(a, b) (see the column types below) belong to different "
        "tables; name two foreign keys of the same association table",
        SameTable);
};

// Column is the foreign key of a one-to-one declaration.
template <class Column, bool Unique>
struct assert_one_to_one_unique_key {
    CTORM_DETAIL_RULE(
        "ctorm: one_to_one(parent, column) needs a foreign key that is unique (the column option unique, the "
        "table's one-column primary key, or a one-column unique(...) constraint), so that a parent has at most "
        "one related row; this column (see the type below) is not: declare it unique, or use one_to_many",
        Unique);
};

enum class relationship_kind { one_to_many, many_to_one, many_to_many, one_to_one };

namespace detail {

template <class Column, class Constraints>
inline constexpr bool unique_by_constraint_v = false;
template <class Column, class... Ks>
inline constexpr bool unique_by_constraint_v<Column, std::tuple<Ks...>> =
    (std::is_same_v<Ks, composite_unique<Column>> || ...);

}  // namespace detail

// Whether no two rows can hold the same value of Column: its unique option,
// its table's primary key when that is Column alone, or a unique(Column) constraint.
template <class Column>
inline constexpr bool is_unique_column_v =
    column_traits<Column>::options.unique ||
    std::is_same_v<primary_key_t<typename Column::table_type>, type_list<Column>> ||
    detail::unique_by_constraint_v<Column, decltype(detail::constraints_of<typename Column::table_type>())>;

// The association table of a many-to-many relationship: its column that
// references the owner and the one that references the target.
template <class OwnerKey, class TargetKey>
struct through {
    using table = typename OwnerKey::table_type;
    using owner_key = OwnerKey;
    using target_key = TargetKey;
};

// Owner: the table whose objects carry the relationship (users for
// users.posts); Target: the table it loads. Loading collects OwnerColumn's
// values from the owners and selects the targets WHERE TargetColumn IN (them);
// through an association table (Through: a through<...>, void otherwise),
// the targets joined to it WHERE its owner key IN (them).
template <fixed_string Name, relationship_kind Kind, class Owner, class Target, class OwnerColumn, class TargetColumn,
          class Through = void>
struct relationship_type {
    using owner_table = Owner;
    using target_table = Target;
    using owner_column = OwnerColumn;
    using target_column = TargetColumn;
    using through_table = Through;
    static constexpr relationship_kind kind = Kind;
    // A collection (one-to-many, many-to-many) or at most one object (many-to-one, one-to-one).
    static constexpr bool collection =
        Kind == relationship_kind::one_to_many || Kind == relationship_kind::many_to_many;
    static constexpr fixed_string name = Name;

    // "users.posts", for messages.
    static std::string describe() {
        std::string out(Owner::ctorm_sql_name);
        out += '.';
        out += Name.view();
        return out;
    }
};

// Returned in place of a relationship whose declaration broke a rule, so
// that only the rule's message is printed.
struct invalid_relationship {};

// One-to-many: the parent's objects (users) with the child rows (posts) whose
// foreign key (posts.author_id) references the parent.
template <fixed_string Name, class Parent, class Column>
constexpr auto one_to_many(const Parent&, const Column&) {
    using fk = foreign_key_traits<Column>;
    constexpr bool references_parent = std::is_same_v<typename fk::target_table, Parent>;
    (void)assert_relationship_column_references_parent<Column, Parent, fk::is_foreign_key, references_parent>::check();
    if constexpr (references_parent) {
        return relationship_type<Name, relationship_kind::one_to_many, Parent, typename Column::table_type,
                                 typename fk::target_column, Column>{};
    } else {
        return invalid_relationship{};
    }
}

// One-to-one: the parent's objects (books) with the one child row (of
// book_details) whose foreign key (book_details.book_id) references each, if
// any. The key must be unique, so at most one row can: the rule says so at
// compile time. The other side is many_to_one<"book">(book_details.book_id).
template <fixed_string Name, class Parent, class Column>
constexpr auto one_to_one(const Parent&, const Column&) {
    using fk = foreign_key_traits<Column>;
    constexpr bool references_parent = std::is_same_v<typename fk::target_table, Parent>;
    (void)assert_relationship_column_references_parent<Column, Parent, fk::is_foreign_key, references_parent>::check();
    if constexpr (references_parent) {
        (void)assert_one_to_one_unique_key<Column, is_unique_column_v<Column>>::check();
        if constexpr (is_unique_column_v<Column>) {
            return relationship_type<Name, relationship_kind::one_to_one, Parent, typename Column::table_type,
                                     typename fk::target_column, Column>{};
        } else {
            return invalid_relationship{};
        }
    } else {
        return invalid_relationship{};
    }
}

// Many-to-one: the child's objects (posts) with the row their foreign key
// (posts.author_id) references (users), when it is not NULL.
template <fixed_string Name, class Column>
constexpr auto many_to_one(const Column&) {
    using fk = foreign_key_traits<Column>;
    (void)assert_relationship_column_references_parent<Column, typename fk::target_table, fk::is_foreign_key,
                                                       true>::check();
    if constexpr (fk::is_foreign_key) {
        return relationship_type<Name, relationship_kind::many_to_one, typename Column::table_type,
                                 typename fk::target_table, Column, typename fk::target_column>{};
    } else {
        return invalid_relationship{};
    }
}

// Many-to-many through an association table: owner_key (book_tags.book_id)
// references the owner (books), target_key (book_tags.tag_id) the target
// (tags). The reverse side names the same two columns the other way round.
template <fixed_string Name, class OwnerKey, class TargetKey>
constexpr auto many_to_many(const OwnerKey&, const TargetKey&) {
    using from = foreign_key_traits<OwnerKey>;
    using to = foreign_key_traits<TargetKey>;
    constexpr bool both = from::is_foreign_key && to::is_foreign_key;
    constexpr bool same_table = std::is_same_v<typename OwnerKey::table_type, typename TargetKey::table_type>;
    (void)assert_many_to_many_through_one_table<OwnerKey, TargetKey, both, same_table>::check();
    if constexpr (both && same_table) {
        return relationship_type<Name, relationship_kind::many_to_many, typename from::target_table,
                                 typename to::target_table, typename from::target_column, typename to::target_column,
                                 through<OwnerKey, TargetKey>>{};
    } else {
        return invalid_relationship{};
    }
}

template <class T>
inline constexpr bool is_relationship_v = false;
template <fixed_string Name, relationship_kind Kind, class Owner, class Target, class OwnerColumn, class TargetColumn,
          class Through>
inline constexpr bool
    is_relationship_v<relationship_type<Name, Kind, Owner, Target, OwnerColumn, TargetColumn, Through>> = true;

// A and B are the two relationships of CTORM_BACK_POPULATES(a, b).
template <class A, class B, bool Inverse>
struct assert_back_populates_inverse {
    CTORM_DETAIL_RULE(
        "ctorm: CTORM_BACK_POPULATES(a, b) pairs a relationship with its other side: b must go from a's target "
        "table to a's owner over the same foreign key (and the same association table), and the two relationship "
        "types below do not",
        Inverse);
};

namespace detail {

template <class A, class B>
inline constexpr bool through_swapped_v = std::is_void_v<A>&& std::is_void_v<B>;
template <class OwnerKey, class TargetKey>
inline constexpr bool through_swapped_v<through<OwnerKey, TargetKey>, through<TargetKey, OwnerKey>> = true;

template <class A, class B>
inline constexpr bool inverse_pair_v = false;
template <fixed_string NA, relationship_kind KA, class OA, class TA, class OCA, class TCA, class ThA, fixed_string NB,
          relationship_kind KB, class ThB>
inline constexpr bool
    inverse_pair_v<relationship_type<NA, KA, OA, TA, OCA, TCA, ThA>, relationship_type<NB, KB, TA, OA, TCA, OCA, ThB>> =
        through_swapped_v<ThA, ThB> &&
        (KA == relationship_kind::many_to_many) == (KB == relationship_kind::many_to_many);

template <class A, class B>
consteval bool check_back_populates() {
    (void)assert_back_populates_inverse<A, B, inverse_pair_v<A, B>>::check();
    return true;
}

// The relationship CTORM_BACK_POPULATES paired with Rel (found by
// argument-dependent lookup in its tables' namespace), or no_inverse.
struct no_inverse {};
template <class Rel>
constexpr auto inverse_of(int) -> decltype(ctorm_back_populates(Rel{})) {
    return {};
}
template <class Rel>
constexpr no_inverse inverse_of(...) {
    return {};
}

}  // namespace detail

// The other side of Rel that CTORM_BACK_POPULATES declared, or detail::no_inverse.
template <class Rel>
using inverse_t = decltype(detail::inverse_of<Rel>(0));

}  // namespace ctorm

// CTORM_BACK_POPULATES(users_posts, post_author): the two sides of one
// foreign key, so that loading one side also gives the other where that
// other side is one object: selectinload(users.posts) gives each loaded
// post's author (its owner) without a statement. Write it after both
// relationships, in the namespace of their tables.
#define CTORM_BACK_POPULATES(a, b)                                                                        \
    static_assert(::ctorm::detail::check_back_populates<::std::remove_cvref_t<decltype(a)>,               \
                                                        ::std::remove_cvref_t<decltype(b)>>());           \
    /* Templates, so that a second pairing of a (a mistake) is reported by the rule alone. */             \
    template <class ctorm_r,                                                                              \
              ::std::enable_if_t<::std::is_same_v<ctorm_r, ::std::remove_cvref_t<decltype(a)>>, int> = 0> \
    constexpr ::std::remove_cvref_t<decltype(b)> ctorm_back_populates(ctorm_r) {                          \
        return {};                                                                                        \
    }                                                                                                     \
    template <class ctorm_r,                                                                              \
              ::std::enable_if_t<::std::is_same_v<ctorm_r, ::std::remove_cvref_t<decltype(b)>>, int> = 0> \
    constexpr ::std::remove_cvref_t<decltype(a)> ctorm_back_populates(ctorm_r) {                          \
        return {};                                                                                        \
    }                                                                                                     \
    static_assert(true)
