// Cascades: which session operations on a parent go on to its children
// through a relationship. Declared per table with CTORM_CASCADES(users,
// ctorm::cascade<"all, delete-orphan">(user_posts)), in SQLAlchemy's words,
// read and checked at compile time; the session reads them when it adds,
// removes and flushes (see docs/orm.md, "Cascades").
#pragma once

#include <cstddef>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ctorm/meta/fixed_string.hpp"
#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/orm/handle.hpp"
#include "ctorm/schema/relationship.hpp"
#include "ctorm/schema/types.hpp"
#include "ctorm/sql/update.hpp"

namespace ctorm {

// What a relationship's cascade does. save_update: s.append(parent, rel,
// object) adds a new child, inserted after its parent with the parent's new
// key. delete_rows: removing the parent deletes its children (with one
// DELETE ... WHERE fk = ? per parent, before the parent's DELETE).
// delete_orphan: s.remove_from(parent, rel, child) deletes the child.
// passive_deletes: the children's rows are left to the database's ON DELETE
// CASCADE; the session only marks the children it holds deleted.
struct cascade_options {
    bool save_update = false;
    bool delete_rows = false;
    bool delete_orphan = false;
    bool passive_deletes = false;
    bool understood = true;  // every word of the text was one of the above
};

namespace detail {

constexpr std::string_view trim_spaces(std::string_view w) {
    while (!w.empty() && w.front() == ' ') w.remove_prefix(1);
    while (!w.empty() && w.back() == ' ') w.remove_suffix(1);
    return w;
}

// "all, delete-orphan" -> {save_update, delete_rows, delete_orphan}.
constexpr cascade_options parse_cascade(std::string_view text) {
    cascade_options o;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view word = trim_spaces(text.substr(start, end - start));
        if (word == "all") {
            o.save_update = true;
            o.delete_rows = true;
        } else if (word == "save-update") {
            o.save_update = true;
        } else if (word == "delete") {
            o.delete_rows = true;
        } else if (word == "delete-orphan") {
            o.delete_orphan = true;
        } else if (word == "passive-deletes") {
            o.passive_deletes = true;
        } else {
            o.understood = false;
        }
        start = end + 1;
    }
    return o;
}

}  // namespace detail

template <fixed_string Text, bool Understood>
struct assert_cascade_words_known {
    CTORM_DETAIL_RULE(
        "ctorm: a cascade is a comma-separated list of the words all, save-update, delete, delete-orphan and "
        "passive-deletes (see the text in the type below); another word, or an empty one, is not understood",
        Understood);
};

// Rel is the relationship a cascade was declared on.
template <class Rel, bool FromParent, bool NotShared>
struct assert_cascade_from_parent {
    CTORM_DETAIL_RULE_2(
        "ctorm: a cascade goes from a parent to its children, and this relationship (see the type below) is a "
        "many_to_one, the child's side, which takes save-update only; declare delete, delete-orphan and "
        "passive-deletes on the parent's one_to_many or one_to_one",
        FromParent,
        "ctorm: delete, delete-orphan and passive-deletes apply to a one_to_many or one_to_one relationship (see "
        "the type below): the targets of a many_to_many are shared by other owners, so they are not deleted "
        "with one of them",
        NotShared);
};

template <class Rel, bool WithDelete>
struct assert_passive_deletes_with_delete {
    CTORM_DETAIL_RULE(
        "ctorm: passive-deletes leaves deleting the children to the database (ON DELETE CASCADE on their "
        "foreign key), so it goes with delete or all in the cascade of this relationship (see the type below)",
        WithDelete);
};

template <class Table, class Rel>
struct assert_cascade_of_table {
    CTORM_DETAIL_RULE(
        "ctorm: CTORM_CASCADES(table, ...) lists the cascades of relationships whose owner is that table, and "
        "this relationship (see the type below) belongs to another table",
        std::is_same_v<typename Rel::owner_table, Table>);
};

// The cascade of one relationship, as its type.
template <class Rel, cascade_options Options>
struct cascade_rule {
    using relationship = Rel;
    static constexpr cascade_options options = Options;
};

// cascade<"all, delete-orphan">(user_posts): the words of SQLAlchemy's
// relationship(cascade=...), checked at compile time.
template <fixed_string Text, class Rel>
constexpr auto cascade(const Rel&) {
    static_assert(is_relationship_v<Rel>,
                  "ctorm: cascade<...>(relationship) takes a relationship declared with ctorm::one_to_many, "
                  "one_to_one or many_to_many");
    constexpr cascade_options o = detail::parse_cascade(Text.view());
    (void)assert_cascade_words_known<Text, o.understood>::check();
    // A many_to_one takes save-update only (s.set(child, rel, Parent{...}) adds the new parent).
    constexpr bool from_parent =
        Rel::kind != relationship_kind::many_to_one || !(o.delete_rows || o.delete_orphan || o.passive_deletes);
    constexpr bool not_shared =
        Rel::kind != relationship_kind::many_to_many || !(o.delete_rows || o.delete_orphan || o.passive_deletes);
    (void)assert_cascade_from_parent<Rel, from_parent, not_shared>::check();
    (void)assert_passive_deletes_with_delete<Rel, !o.passive_deletes || o.delete_rows>::check();
    return cascade_rule<Rel, o>{};
}

template <class... Rules>
struct cascade_list {
    using rules = type_list<Rules...>;
};

namespace detail {

template <class Table, class... Rules>
constexpr cascade_list<Rules...> cascades_of_table(const Table&, const Rules&...) {
    ((void)assert_cascade_of_table<Table, typename Rules::relationship>::check(), ...);
    return {};
}

// The list CTORM_CASCADES declared for Table (found by argument-dependent
// lookup in the namespace of its table), or none.
template <class Table>
constexpr auto cascades_of(int) -> decltype(ctorm_cascades(Table{})) {
    return {};
}
template <class Table>
constexpr cascade_list<> cascades_of(...) {
    return {};
}

template <class Rel, class Rules>
struct find_cascade {
    static constexpr cascade_options value{};
};
template <class Rel, class R, class... Rs>
struct find_cascade<Rel, type_list<R, Rs...>> {
    static constexpr cascade_options value =
        std::is_same_v<typename R::relationship, Rel> ? R::options : find_cascade<Rel, type_list<Rs...>>::value;
};

}  // namespace detail

// The cascade rules declared for Table's relationships (a type_list of cascade_rule).
template <class Table>
using cascades_t = typename decltype(detail::cascades_of<Table>(0))::rules;

// Rel's cascade (every option false when none was declared).
template <class Rel>
inline constexpr cascade_options cascade_of_v = detail::find_cascade<Rel, cascades_t<typename Rel::owner_table>>::value;

template <class Rel, bool SaveUpdate>
struct assert_append_through_save_update {
    CTORM_DETAIL_RULE(
        "ctorm: s.append(parent, relationship, object) adds a new child through the save-update cascade, which "
        "this relationship (see the type below) does not declare; add save-update (or all) to its cascade in "
        "CTORM_CASCADES, or s.add the child and s.append its handle",
        SaveUpdate);
};

template <class Rel, bool SaveUpdate>
struct assert_set_through_save_update {
    CTORM_DETAIL_RULE(
        "ctorm: s.set(child, relationship, object) adds a new parent through the save-update cascade, which "
        "this many_to_one (see the type below) does not declare; add save-update to its cascade in "
        "CTORM_CASCADES, or s.add the parent and s.set its handle",
        SaveUpdate);
};

template <class Rel, bool ManyToOne>
struct assert_set_many_to_one {
    CTORM_DETAIL_RULE(
        "ctorm: s.set(child, relationship, parent) takes a many_to_one (posts.author, the child's side; see "
        "the type below); to give a parent a child through a collection, use s.append(parent, relationship, "
        "child)",
        ManyToOne);
};

template <class Rel, bool Ok>
struct assert_remove_from_without_delete_orphan_nullable {
    CTORM_DETAIL_RULE(
        "ctorm: s.remove_from(parent, relationship, child) without delete-orphan sets the child's foreign key "
        "to NULL, and the foreign key of this relationship (see the type below) is NOT NULL; add delete-orphan "
        "to its cascade, or s.remove(child)",
        Ok);
};

template <class Rel, bool Ok>
struct assert_association_key_is_its_foreign_keys {
    CTORM_DETAIL_RULE(
        "ctorm: s.append / s.remove_from on a many_to_many write its association rows by their primary key, "
        "which must be the association table's two foreign keys of this relationship (see the type below), "
        "primary_key(a, b) in CTORM_TABLE_CONSTRAINTS; otherwise add and remove the association rows as objects",
        Ok);
};

// Rel is a cascade that deletes children with one statement, Next a
// delete cascade of those children that the session would have to run.
template <class Rel, class Next, bool NotFollowed>
struct assert_bulk_delete_not_followed {
    CTORM_DETAIL_RULE(
        "ctorm: the delete cascade of the first relationship below deletes the children with one DELETE ... "
        "WHERE statement, so the session cannot run their own delete cascade (the second relationship below); "
        "declare that one passive-deletes, with ON DELETE CASCADE on its foreign key",
        NotFollowed);
};

namespace detail {

// Whether the child row's foreign key of Rel holds the parent's key.
template <class Rel, class ChildModel, class Key>
bool references_key(const ChildModel& child, const Key& key) {
    const auto& v = child.*(Rel::target_column::member);
    if constexpr (is_nullable_v<std::remove_cvref_t<decltype(v)>>) return v && *v == key;
    else return v == key;
}

// The column of the table whose delete cascades (Rules) start from: the
// owner column of its first delete cascade, or void when it has none.
template <class Rules>
struct first_delete_owner_column {
    using type = void;
};
template <class R, class... Rs>
struct first_delete_owner_column<type_list<R, Rs...>> {
    using type = std::conditional_t<R::options.delete_rows, typename R::relationship::owner_column,
                                    typename first_delete_owner_column<type_list<Rs...>>::type>;
};

// The session's side of cascades (a friend of session): run from its flush
// and from remove().
struct cascade_access {
    // Before the DELETE of a parent row: its delete cascades, children first.
    template <class Table, class Session>
    static void before_delete(Session& s, const typename Table::ctorm_model& row) {
        for_each_rule(cascades_t<Table>{}, [&]<class Rule>(Rule) {
            using rel = typename Rule::relationship;
            if constexpr (Rule::options.delete_rows) {
                const auto& key = row.*(rel::owner_column::member);
                using child = typename rel::target_table;
                if constexpr (!Rule::options.passive_deletes) {
                    check_not_followed<rel>(cascades_t<child>{});
                    const auto q = delete_from(child{}).where(typename rel::target_column{} == key);
                    using through = typename first_delete_owner_column<cascades_t<child>>::type;
                    if constexpr (std::is_void_v<through>) {
                        s.db_->execute(q);
                    } else {
                        // The children's column their own (passive) cascades start from,
                        // so that their children the session holds are marked too, even
                        // for a child the session does not hold: still one statement.
                        std::vector<typename through::value_type> gone;
                        for (auto&& v : s.db_->execute(q.returning(through{}))) gone.push_back(v);
                        mark_deleted<rel>(s, key);
                        for (const auto& v : gone)
                            for_each_rule(cascades_t<child>{}, [&]<class Next>(Next) {
                                using next = typename Next::relationship;
                                if constexpr (Next::options.delete_rows &&
                                              std::is_same_v<typename next::owner_column, through>)
                                    mark_deleted<next>(s, v);
                            });
                        return;
                    }
                }
                mark_deleted<rel>(s, key);
            }
        });
    }

    // A parent removed: the children appended to it (s.append) and not
    // inserted yet go with it through its delete cascades, so no INSERT is
    // sent for a row the cascade would delete.
    template <class Table, class Session, class Entry>
    static void remove_pending_children(Session& s, const Entry& parent) {
        for_each_rule(cascades_t<Table>{}, [&]<class Rule>(Rule) {
            using rel = typename Rule::relationship;
            if constexpr (Rule::options.delete_rows && rel::kind != relationship_kind::many_to_many) {
                auto* store = s.template existing_store<typename rel::target_table>();
                if (!store || store->links.empty()) return;
                constexpr auto setter =
                    &Session::template set_from_parent<typename rel::target_column, typename rel::owner_column,
                                                       typename Table::ctorm_model>;
                std::vector<typename std::remove_pointer_t<decltype(store)>::node*> children;
                for (auto* child : store->pending)
                    if (store->parent_of(child, setter) == &parent) children.push_back(child);
                for (auto* child : children) store->remove(*child);
            }
        });
    }

    // The children the session holds of the parent with this key are gone
    // from the database: deleted (until commit; a rollback brings them back),
    // and theirs with them.
    template <class Rel, class Session, class Key>
    static void mark_deleted(Session& s, const Key& key) {
        using child_table = typename Rel::target_table;
        auto* store = s.template existing_store<child_table>();
        if (!store) return;
        std::vector<typename std::remove_pointer_t<decltype(store)>::node*> gone;
        store->identity.for_each([&](auto* e) {
            const auto& r = e->has_snapshot ? e->snapshot : e->object;
            if (e->state == object_state::persistent && references_key<Rel>(r, key)) gone.push_back(e);
        });
        for (auto* e : gone) {
            store->mark_deleted(*e);
            const auto& r = e->has_snapshot ? e->snapshot : e->object;
            for_each_rule(cascades_t<child_table>{}, [&]<class Rule>(Rule) {
                if constexpr (Rule::options.delete_rows)
                    mark_deleted<typename Rule::relationship>(s, r.*(Rule::relationship::owner_column::member));
            });
        }
    }

    template <class... Rules, class F>
    static void for_each_rule(type_list<Rules...>, F&& f) {
        (f(Rules{}), ...);
    }

    template <class Rel, class... Rules>
    static void check_not_followed(type_list<Rules...>) {
        [[maybe_unused]] auto one = []<class Rule>(Rule) {
            (void)assert_bulk_delete_not_followed<Rel, typename Rule::relationship,
                                                  !Rule::options.delete_rows || Rule::options.passive_deletes>::check();
        };
        (one(Rules{}), ...);
    }
};

}  // namespace detail

}  // namespace ctorm

// CTORM_CASCADES(users, ctorm::cascade<"all, delete-orphan">(user_posts), ...):
// the cascades of a table's relationships, written once after them, in the
// namespace of the tables.
#define CTORM_CASCADES(table, ...)                                                 \
    constexpr auto ctorm_cascades(const ::std::remove_cvref_t<decltype(table)>&) { \
        return ::ctorm::detail::cascades_of_table(table, __VA_ARGS__);             \
    }                                                                              \
    static_assert(true)
