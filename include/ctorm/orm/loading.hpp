// Loading relationships through the session: the loader option
// selectinload(rel), the statement it sends per batch of owners' keys, and
// loaded_result, the result of a query through the session whose type lists
// the relationships it loaded (reading another one does not compile).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ctorm/errors.hpp"
#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/orm/handle.hpp"
#include "ctorm/orm/mapping.hpp"
#include "ctorm/schema/keys.hpp"
#include "ctorm/schema/relationship.hpp"
#include "ctorm/sql/select.hpp"

namespace ctorm {

// A relationship was read that nothing loaded, where only run time can tell
// (an object that is not among a result's rows). No statement is sent.
class not_loaded_error : public error {
public:
    explicit not_loaded_error(const std::string& relationship, std::string_view why)
        : error("ctorm: relationship " + relationship + " was not loaded " + std::string(why) +
                "; load it with ctorm::selectinload(...) in the query, or explicitly with s.load(...)") {}
};

// Rel is the relationship read, Loaded whether the result's type lists it.
template <class Rel, bool Loaded>
struct assert_relationship_loaded {
    CTORM_DETAIL_RULE(
        "ctorm: this relationship (see the relationship type below) was not loaded by this query; add "
        "ctorm::selectinload(relationship) to the query through the session, or load it explicitly with "
        "s.load(objects, relationship): ctorm never loads behind your back",
        Loaded);
};

// Table is the table the query selects, Rel the relationship an option names.
template <class Table, class Rel>
struct assert_loader_option_of_queried_table {
    CTORM_DETAIL_RULE(
        "ctorm: a loader option names a relationship of another table (see the relationship and the table "
        "the query selects below); load a relationship whose owner is the selected table",
        std::is_same_v<typename Rel::owner_table, Table>);
};

template <class Rel, bool IsRelationship>
struct assert_is_relationship {
    CTORM_DETAIL_RULE(
        "ctorm: selectinload() and s.load() take a relationship declared with ctorm::one_to_many<\"name\">(...) "
        "or ctorm::many_to_one<\"name\">(...) (see the type below)",
        IsRelationship);
};

// The keys of this many owners go into one statement (SQLAlchemy's default).
inline constexpr std::size_t selectin_batch_size = 500;

template <class Rel>
struct selectin_option {
    using relationship = Rel;
};

// Loads Rel for every object of the query: after the query, one SELECT of
// Rel's target table per batch of selectin_batch_size distinct keys.
template <class Rel>
constexpr selectin_option<Rel> selectinload(const Rel&) {
    (void)assert_is_relationship<Rel, is_relationship_v<Rel>>::check();
    return {};
}

template <class T>
inline constexpr bool is_loader_option_v = false;
template <class Rel>
inline constexpr bool is_loader_option_v<selectin_option<Rel>> = true;
template <class T>
concept loader_option = is_loader_option_v<std::remove_cvref_t<T>>;

// What reading Rel through a result gives: the related objects (one-to-many)
// or the one related object, empty when the foreign key is NULL (many-to-one).
template <class Rel>
using related_t = std::conditional_t<Rel::collection, std::vector<handle<typename Rel::target_table::ctorm_model>>,
                                     handle<typename Rel::target_table::ctorm_model>>;

namespace detail {

// The key values a relationship's statement binds: the owner column's type, without optional.
template <class Rel>
using relationship_key_t = non_null_t<typename Rel::owner_column::value_type>;

template <class Columns>
struct order_by_columns;
template <class... Cs>
struct order_by_columns<type_list<Cs...>> {
    template <class Q>
    static constexpr auto apply(const Q& q) {
        return q.order_by(Cs{}...);
    }
};

// The order of a relationship's rows: by the column that joins them to
// their owners, then by the target's primary key (the key alone when it is
// that column). Rows come grouped by owner, each owner's in key order, and
// SQLite walks the index of the IN list without sorting.
template <class Column, class Key>
struct selectin_order;
template <class Column, class... Keys>
struct selectin_order<Column, type_list<Keys...>> {
    using type = type_list<Column, Keys...>;
};
template <class Column>
struct selectin_order<Column, type_list<Column>> {
    using type = type_list<Column>;
};

// SELECT <target> FROM <target> WHERE <target column> IN (<a batch of keys>)
// ORDER BY <target column>, <target's primary key>: one text for every batch
// size (the list is one bound value: = ANY($1) on PostgreSQL, json_each(?)
// on SQLite).
template <class Rel>
auto selectin_query(std::span<const relationship_key_t<Rel>> keys) {
    using target = typename Rel::target_table;
    using order = typename selectin_order<typename Rel::target_column, primary_key_t<target>>::type;
    return order_by_columns<order>::apply(select(target{}).where(typename Rel::target_column{}.in_(keys)));
}
template <class Rel>
using selectin_query_t = decltype(selectin_query<Rel>(std::span<const relationship_key_t<Rel>>{}));

// What one result holds of one relationship: the related objects of each owner, by the owner's identity.
template <class Rel>
struct related_objects {
    std::unordered_map<const void*, related_t<Rel>> of;
};

}  // namespace detail

// The result of s.all(query, selectinload(...)...) or of s.load(objects,
// relationship): the owners' handles (a range of handle<Model>) and, for
// each relationship in Rels, what it loaded for each of them. Reading a
// relationship that is not in Rels does not compile; reading it for an
// object that is not one of the result's throws not_loaded_error.
template <class Model, class... Rels>
class loaded_result {
public:
    using value_type = handle<Model>;
    using const_iterator = typename std::vector<handle<Model>>::const_iterator;
    using loaded = type_list<Rels...>;

    loaded_result(std::vector<handle<Model>> objects, std::tuple<detail::related_objects<Rels>...> related)
        : objects_(std::move(objects)), related_(std::move(related)) {}

    std::size_t size() const noexcept { return objects_.size(); }
    bool empty() const noexcept { return objects_.empty(); }
    const handle<Model>& operator[](std::size_t i) const { return objects_[i]; }
    const_iterator begin() const noexcept { return objects_.begin(); }
    const_iterator end() const noexcept { return objects_.end(); }
    const std::vector<handle<Model>>& objects() const noexcept { return objects_; }

    // What Rel loaded for owner (one of this result's objects): r.get(user_posts, u).
    template <class Rel>
    const related_t<Rel>& get(const Rel&, const handle<Model>& owner) const {
        constexpr bool is_loaded = (std::is_same_v<Rel, Rels> || ...);
        (void)assert_relationship_loaded<Rel, is_loaded>::check();
        if constexpr (is_loaded) {
            const auto& of = std::get<detail::related_objects<Rel>>(related_).of;
            auto it = of.find(owner.identity());
            if (it == of.end()) [[unlikely]]
                throw not_loaded_error(Rel::describe(), "for this object: it is not one of this result's objects");
            return it->second;
        } else {
            throw not_loaded_error(Rel::describe(), "by this query");
        }
    }

    // Whether the result's type lists Rel (a constant).
    template <class Rel>
    static constexpr bool has(const Rel&) noexcept {
        return (std::is_same_v<Rel, Rels> || ...);
    }

private:
    std::vector<handle<Model>> objects_;
    std::tuple<detail::related_objects<Rels>...> related_;
};

}  // namespace ctorm
