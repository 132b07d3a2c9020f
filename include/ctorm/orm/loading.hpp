// Loading relationships through the session: the loader option
// selectinload(rel), the statement it sends per batch of owners' keys, and
// loaded_result, the result of a query through the session whose type lists
// the relationships it loaded (reading another one does not compile).
#pragma once

#include <cstddef>
#include <optional>
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
#include "ctorm/sql/functions.hpp"
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
        "ctorm: selectinload() and s.load() take a relationship declared with ctorm::one_to_many<\"name\">(...), "
        "ctorm::many_to_one<\"name\">(...), ctorm::one_to_one<\"name\">(...) or ctorm::many_to_many<\"name\">(...) "
        "(see the type below)",
        IsRelationship);
};

// The keys of this many owners go into one statement (SQLAlchemy's default).
inline constexpr std::size_t selectin_batch_size = 500;

// Previous is the relationship a nested loader option follows, Next the one it names.
template <class Previous, class Next>
struct assert_nested_relationship_follows {
    CTORM_DETAIL_RULE(
        "ctorm: a nested loader option (selectinload(a).selectinload(b)) names a relationship that does not "
        "start from the table the previous one loads (see the two relationship types below); b's owner must be "
        "a's target",
        std::is_same_v<typename Previous::target_table, typename Next::owner_table>);
};

// A path of relationships to load: Path's first one from the query's rows,
// each next one from the objects the previous one loaded.
template <class... Path>
struct selectin_option {
    using path = type_list<Path...>;
    using relationship = std::tuple_element_t<0, std::tuple<Path...>>;
    using last = std::tuple_element_t<sizeof...(Path) - 1, std::tuple<Path...>>;

    // selectinload(users.posts).selectinload(posts.tags): the posts' tags
    // too, one more level of 1 + ceil(N/500) statements over the posts loaded.
    template <class Next>
    constexpr auto selectinload(const Next&) const {
        (void)assert_is_relationship<Next, is_relationship_v<Next>>::check();
        if constexpr (is_relationship_v<Next>) {
            (void)assert_nested_relationship_follows<last, Next>::check();
            return selectin_option<Path..., Next>{};
        } else {
            return *this;  // only the rule's message is printed
        }
    }
};

// Loads Rel for every object of the query: after the query, one SELECT of
// Rel's target table per batch of selectin_batch_size distinct keys.
template <class Rel>
constexpr selectin_option<Rel> selectinload(const Rel&) {
    (void)assert_is_relationship<Rel, is_relationship_v<Rel>>::check();
    return {};
}

// Rel is the relationship joinedload() names with limit() or offset();
// Keys how many columns its owner's primary key has.
template <class Rel, std::size_t Keys>
struct assert_joinedload_limit_needs_one_column_key {
    CTORM_DETAIL_RULE(
        "ctorm: joinedload() of a collection (see the relationship type below) in a query with limit() or "
        "offset() limits the owners by their key (WHERE key IN (SELECT key ... LIMIT ...)), and the owner's "
        "primary key has several columns; load that collection with selectinload(rel)",
        Keys == 1);
};

// Path: the relationships joinedload() joins (a type_list, parents first).
template <class Path, bool DistinctTables>
struct assert_joinedload_not_self_referential {
    CTORM_DETAIL_RULE(
        "ctorm: joinedload() of a self-referential relationship, or a joined path that comes back to a table (see "
        "the types below), would join a table to itself under one name; load it with selectinload(rel)",
        DistinctTables);
};

// Joined is how many joinedload(...) options a query was given.
template <std::size_t Joined>
struct assert_one_joinedload_per_query {
    CTORM_DETAIL_RULE(
        "ctorm: a query through the session takes at most one joinedload(...) option (two joined collections "
        "would multiply each other's rows); load the others with selectinload(...)",
        Joined <= 1);
};

// Joined is the nested joinedload(a).joinedload(b) that follows another
// kind of step (Follows: the path so far is all joined).
template <bool Follows>
struct assert_joinedload_follows_joinedload {
    CTORM_DETAIL_RULE(
        "ctorm: a nested joinedload() follows only joinedload() steps (joinedload(a).joinedload(b)); after a "
        "selectinload() step, load further with selectinload()",
        Follows);
};

// joinedload(rel): Path's first Joined relationships come with the query's
// rows in one statement (LEFT OUTER JOINs), each next one (a nested
// selectinload) from the objects the previous one loaded, as
// selectin_option's do.
template <std::size_t Joined, class... Path>
struct joined_option {
    using path = type_list<Path...>;
    static constexpr std::size_t joined = Joined;
    using relationship = std::tuple_element_t<0, std::tuple<Path...>>;
    using last = std::tuple_element_t<sizeof...(Path) - 1, std::tuple<Path...>>;

    // joinedload(users.posts).selectinload(posts.tags): the posts come with
    // the users, their tags by one more level of 1 + ceil(N/500) statements.
    template <class Next>
    constexpr auto selectinload(const Next&) const {
        (void)assert_is_relationship<Next, is_relationship_v<Next>>::check();
        if constexpr (is_relationship_v<Next>) {
            (void)assert_nested_relationship_follows<last, Next>::check();
            return joined_option<Joined, Path..., Next>{};
        } else {
            return *this;  // only the rule's message is printed
        }
    }
    // joinedload(users.posts).joinedload(posts.tags): the tags in the same
    // statement too (one more LEFT OUTER JOIN).
    template <class Next>
    constexpr auto joinedload(const Next&) const {
        (void)assert_is_relationship<Next, is_relationship_v<Next>>::check();
        (void)assert_joinedload_follows_joinedload<Joined == sizeof...(Path)>::check();
        if constexpr (is_relationship_v<Next>) {
            (void)assert_nested_relationship_follows<last, Next>::check();
            return joined_option<Joined + 1, Path..., Next>{};
        } else {
            return *this;  // only the rule's message is printed
        }
    }
};

// Loads Rel with the query's rows, in the same statement: SELECT <owner>,
// <target> FROM <owner> LEFT OUTER JOIN <target> ON <the relationship's
// columns> <the query's WHERE> ORDER BY <the query's order>, <owner's key>
// [, <target's key>]; the owners de-duplicated in order, a row whose target
// columns are NULL meaning no related object.
template <class Rel>
constexpr joined_option<1, Rel> joinedload(const Rel&) {
    (void)assert_is_relationship<Rel, is_relationship_v<Rel>>::check();
    return {};
}

template <class T>
inline constexpr bool is_loader_option_v = false;
template <class... Path>
inline constexpr bool is_loader_option_v<selectin_option<Path...>> = true;
template <std::size_t Joined, class... Path>
inline constexpr bool is_loader_option_v<joined_option<Joined, Path...>> = true;
template <class T>
concept loader_option = is_loader_option_v<std::remove_cvref_t<T>>;

// What reading Rel through a result gives: the related objects (one-to-many,
// many-to-many) or the one related object, empty when the foreign key is NULL
// (many-to-one) or no row references the owner (one-to-one).
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
        if constexpr (sizeof...(Cs) == 0) return q;
        else return q.order_by(Cs{}...);
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
template <class Column, class... Rest>
struct selectin_order<Column, type_list<Column, Rest...>> {
    using type = type_list<Column, Rest...>;
};

// SELECT <target> FROM <target> WHERE <target column> IN (<a batch of keys>)
// ORDER BY <target column>, <target's primary key>: one text for every batch
// size (the list is one bound value: = ANY($1) on PostgreSQL, json_each(?)
// on SQLite).
template <class Columns>
struct select_columns;
template <class... Cs>
struct select_columns<type_list<Cs...>> {
    template <class Extra>
    static constexpr auto with(Extra) {
        return select(Cs{}..., Extra{});
    }
};

// Many-to-many: SELECT <target's columns>, <association's owner key> FROM
// <target> JOIN <association> ON <its target key> = <target's key> WHERE
// <its owner key> IN (<keys>) ORDER BY <its owner key>, <its target key>:
// each row is a target object and the owner it belongs to, in the order of
// the association's usual primary key (SQLite then needs no sort).
template <class Rel>
auto selectin_query(std::span<const relationship_key_t<Rel>> keys) {
    using target = typename Rel::target_table;
    if constexpr (Rel::kind == relationship_kind::many_to_many) {
        using through = typename Rel::through_table;
        using owner_key = typename through::owner_key;
        using order = type_list<owner_key, typename through::target_key>;
        return order_by_columns<order>::apply(
            select_columns<typename target::ctorm_columns>::with(owner_key{})
                .from(target{})
                .join(typename through::table{}, typename through::target_key{} == typename Rel::target_column{})
                .where(owner_key{}.in_(keys)));
    } else {
        using order = typename selectin_order<typename Rel::target_column, primary_key_t<target>>::type;
        return order_by_columns<order>::apply(select(target{}).where(typename Rel::target_column{}.in_(keys)));
    }
}
// Moves a many-to-many row's first columns (the target's, in declaration
// order) into the target object.
template <class Columns>
struct move_columns;
template <class... Cs>
struct move_columns<type_list<Cs...>> {
    template <class Model, class Row>
    static void into(Model& object, Row& row) {
        [&]<std::size_t... Is>(std::index_sequence<Is...>) {
            ((object.*(Cs::member) = std::move(std::get<Is>(row))), ...);
        }
        (std::index_sequence_for<Cs...>{});
    }
};

template <class Rel>
using selectin_query_t = decltype(selectin_query<Rel>(std::span<const relationship_key_t<Rel>>{}));

// What one result holds of one relationship: the related objects of each
// owner, by the owner's identity (every level of a path that repeats the
// relationship, as children.children does, shares it).
template <class Rel>
struct related_objects {
    std::unordered_map<const void*, related_t<Rel>> of;
};

template <class Rels>
struct related_tuple;
template <class... Rels>
struct related_tuple<type_list<Rels...>> {
    using type = std::tuple<related_objects<Rels>...>;
};
template <class Rels>
using related_tuple_t = typename related_tuple<Rels>::type;

// One relationship to load and the step whose objects own it (void: the
// query's rows). A step is named by its whole path, so the same relationship
// at two depths (categories.children.children) is two steps.
template <class Rel, class ParentStep>
struct load_step {
    using relationship = Rel;
    using parent = ParentStep;
};

// The objects one step loaded, in its owners' order, when a later step loads from them.
template <class Step>
struct step_objects {
    std::vector<handle<typename Step::relationship::target_table::ctorm_model>> loaded;
};

template <class ParentStep, class... Path>
struct steps_of_path {
    using type = type_list<>;
};
template <class ParentStep, class Rel, class... Rest>
struct steps_of_path<ParentStep, Rel, Rest...> {
    using step = load_step<Rel, ParentStep>;
    using type = meta::concat<type_list<step>, typename steps_of_path<step, Rest...>::type>;
};
template <class Option>
struct steps_of_option;
template <class... Path>
struct steps_of_option<selectin_option<Path...>> {
    using type = typename steps_of_path<void, Path...>::type;
};
template <std::size_t Joined, class... Path>
struct steps_of_option<joined_option<Joined, Path...>> {
    using type = typename steps_of_path<void, Path...>::type;
};

template <class Option>
inline constexpr bool is_joined_option_v = false;
template <std::size_t Joined, class... Path>
inline constexpr bool is_joined_option_v<joined_option<Joined, Path...>> = true;

// The first N types of a list.
template <std::size_t N, class List, class Done = type_list<>>
struct first_n {
    using type = Done;
};
template <std::size_t N, class T, class... Ts, class... Done>
    requires(N > 0)
struct first_n<N, type_list<T, Ts...>, type_list<Done...>> {
    using type = typename first_n<N - 1, type_list<Ts...>, type_list<Done..., T>>::type;
};

// The joined relationships of the first joinedload(...) among Options (a
// type_list, parents first), or an empty list.
template <class... Options>
struct first_joined {
    using type = type_list<>;
};
template <class Option, class... Options>
struct first_joined<Option, Options...> {
    using type = typename first_joined<Options...>::type;
};
template <std::size_t Joined, class... Path, class... Options>
struct first_joined<joined_option<Joined, Path...>, Options...> {
    using type = typename first_n<Joined, type_list<Path...>>::type;
};

// The load steps of a joined path (those load_steps finds filled).
template <class Rels>
struct joined_steps {
    using type = type_list<>;
};
template <class... Rels>
struct joined_steps<type_list<Rels...>> {
    using type = typename first_n<sizeof...(Rels), typename steps_of_path<void, Rels...>::type>::type;
};

// Each relationship of a joined path: not self-referential, and no table twice.
template <class Rels>
inline constexpr bool joins_distinct_tables = true;
template <class Rel, class... Rels>
inline constexpr bool joins_distinct_tables<type_list<Rel, Rels...>> = std::is_void_v<typename meta::first_duplicate<
    type_list<typename Rel::owner_table, typename Rel::target_table, typename Rels::target_table...>>::type>;

// Whether a select has limit() or offset().
template <class Q>
inline constexpr bool limits_rows = false;
template <class Rows, class SelectList, class From, class Joins, class Where, class GroupBy, class Having, class Order,
          class Options, class Correlated>
inline constexpr bool
    limits_rows<select_statement<Rows, SelectList, From, Joins, Where, GroupBy, Having, Order, Options, Correlated>> =
        Options::limit || Options::offset;

// The same select with another select list (of columns: rows become tuples).
template <class Q, class List>
struct with_select_list;
template <class Rows, class SelectList, class From, class Joins, class Where, class GroupBy, class Having, class Order,
          class Options, class Correlated, class List>
struct with_select_list<
    select_statement<Rows, SelectList, From, Joins, Where, GroupBy, Having, Order, Options, Correlated>, List> {
    using type =
        select_statement<expression_rows, List, From, Joins, Where, GroupBy, Having, Order, Options, Correlated>;
    static constexpr type of(
        const select_statement<Rows, SelectList, From, Joins, Where, GroupBy, Having, Order, Options, Correlated>& q) {
        return type{{},      List{},        q.joins,       q.where_clause, q.group_by_list, q.having_clause,
                    q.order, q.limit_value, q.offset_value};
    }
};

// The query limited to the owners its limit()/offset() picks, as SQLAlchemy
// wraps it in a subquery: the same select WHERE <key> IN (SELECT <key> <the
// query's FROM, WHERE and ORDER BY> LIMIT ... OFFSET ...), with no limit of
// its own, so that the joined rows of a collection are not what is limited.
template <class Key, class Q>
struct owners_limited;
template <class Key, class Rows, class SelectList, class From, class Joins, class Where, class GroupBy, class Having,
          class Order, class Options, class Correlated>
struct owners_limited<
    Key, select_statement<Rows, SelectList, From, Joins, Where, GroupBy, Having, Order, Options, Correlated>> {
    using query = select_statement<Rows, SelectList, From, Joins, Where, GroupBy, Having, Order, Options, Correlated>;
    using keys = select_statement<expression_rows, items<Key>, From, Joins, Where, GroupBy, Having, Order,
                                  select_options<Options::distinct, Options::limit, Options::offset, lock_mode::none>,
                                  Correlated>;
    using condition = in_subquery<false, Key, keys>;
    static constexpr auto of(const query& q) {
        const condition in{{},
                           Key{},
                           keys{{},
                                items<Key>{},
                                q.joins,
                                q.where_clause,
                                q.group_by_list,
                                q.having_clause,
                                q.order,
                                q.limit_value,
                                q.offset_value}};
        return select_statement<Rows, SelectList, From, Joins, condition, GroupBy, Having, Order,
                                select_options<Options::distinct, false, false, Options::lock>, Correlated>{
            {}, q.select_list, q.joins, in, q.group_by_list, q.having_clause, q.order, 0, 0};
    }
};

// Whether an ORDER BY list (items<order_term...>) has a term on Column.
template <class Order, class Column>
inline constexpr bool orders_by_column = false;
template <class... Terms, class Column>
inline constexpr bool orders_by_column<items<Terms...>, Column> =
    (std::is_same_v<typename Terms::expression_type, Column> || ...);
// The owner's key columns to order the joined rows by: none when the query
// already orders by its one-column key (a unique order: the rows of each owner
// are together already).
template <class Owner, class Order, class Keys = primary_key_t<Owner>>
struct owner_order {
    using type = Keys;
};
template <class Owner, class Order, class Key>
    requires orders_by_column<Order, Key>
struct owner_order<Owner, Order, type_list<Key>> {
    using type = type_list<>;
};

template <class Q>
constexpr auto outer_join_all(const Q& q, type_list<>) {
    return q;
}
template <class Q, class Rel, class... Rels>
constexpr auto outer_join_all(const Q& q, type_list<Rel, Rels...>) {
    return outer_join_all(q.outer_join(Rel{}), type_list<Rels...>{});
}

// The statement of a joined path Rels (parents first) over the query q.
template <class... Rels, class Q>
constexpr auto joined_query(type_list<Rels...> path, const Q& q) {
    using owner = typename std::tuple_element_t<0, std::tuple<Rels...>>::owner_table;
    if constexpr ((Rels::collection || ...) && limits_rows<Q>) {
        using keys = primary_key_t<owner>;
        using first = std::tuple_element_t<0, std::tuple<Rels...>>;
        (void)assert_joinedload_limit_needs_one_column_key<first, keys::size>::check();
        if constexpr (keys::size == 1) {
            return joined_query(path, owners_limited<typename first_or_void<keys>::type, Q>::of(q));
        } else {
            return joined_query(path, select(owner{}));  // only the rule's message is printed
        }
    } else {
        using list = typename tuple_of<
            meta::concat<typename owner::ctorm_columns, typename Rels::target_table::ctorm_columns...>>::type;
        const auto joined = outer_join_all(q, path);
        const auto wide = with_select_list<std::remove_cvref_t<decltype(joined)>, list>::of(joined);
        // An owner's rows together, then each collection's objects' rows.
        using order = meta::concat<
            typename owner_order<owner, typename Q::order_type>::type,
            std::conditional_t<Rels::collection, primary_key_t<typename Rels::target_table>, type_list<>>...>;
        return order_by_columns<order>::apply(wide);
    }
}
template <class Rel, class Q>
constexpr auto joined_query(const Q& q) {
    return joined_query(type_list<Rel>{}, q);
}

// Whether a backend's cursor reads a part of a row (read_columns<First, Slots>(row)).
template <class Cursor, class Slots, class Row>
concept reads_columns = requires(Cursor& c, Row& row) {
    c.template read_columns<0, Slots>(row);
};

// Reads the key columns Ks into object, from a row with Columns from column At.
template <class Columns, std::size_t At, class Cursor, class Model, class... Ks>
void read_key_columns(Cursor& c, Model& object, type_list<Ks...>) {
    (c.template read_columns<At + meta::index_of<Ks, Columns>, type_list<model_slot<Ks>>>(object), ...);
}

template <class List>
struct as_tuple;
template <class... Ts>
struct as_tuple<type_list<Ts...>> {
    using type = std::tuple<Ts...>;
};

// The steps of all the options, each once, parents before children.
template <class... Options>
struct steps_of {
    using type = type_list<>;
};
template <class Option, class... Options>
struct steps_of<Option, Options...> {
    using type = meta::set_union<typename steps_of_option<Option>::type, typename steps_of<Options...>::type>;
};

template <class Steps, class Done = type_list<>>
struct relationships_of_steps {
    using type = Done;
};
template <class Step, class... Steps, class... Done>
struct relationships_of_steps<type_list<Step, Steps...>, type_list<Done...>> {
    using rel = typename Step::relationship;
    using type = typename relationships_of_steps<
        type_list<Steps...>,
        std::conditional_t<meta::contains<rel, type_list<Done...>>, type_list<Done...>, type_list<Done..., rel>>>::type;
};

// Whether loading Rel also gives its other side (CTORM_BACK_POPULATES): when
// that side is one object (a post's author, a child's parent), each object
// Rel loaded has it: the owner it was loaded for. A collection on the other
// side (a user's posts, from loading posts.author) would hold only what this
// result loaded, so it is not given.
template <class Rel>
inline constexpr bool gives_inverse_v = false;
template <class Rel>
    requires is_relationship_v<inverse_t<Rel>>
inline constexpr bool gives_inverse_v<Rel> = !inverse_t<Rel>::collection;

// Rels and the other sides they give, each once.
template <class Rels>
struct with_inverses;
template <class... Rels>
struct with_inverses<type_list<Rels...>> {
    using type =
        meta::set_union<type_list<Rels...>,
                        meta::concat<type_list<>, std::conditional_t<gives_inverse_v<Rels>, type_list<inverse_t<Rels>>,
                                                                     type_list<>>...>>;
};

// Whether a step of Steps loads from Step's objects (Step then keeps them).
template <class Step, class Steps>
inline constexpr bool is_parent_in_v = false;
template <class Step, class... Steps>
inline constexpr bool is_parent_in_v<Step, type_list<Steps...>> = (std::is_same_v<typename Steps::parent, Step> || ...);

}  // namespace detail

// The statement s.all(q, joinedload(rel)) sends, for to_sql<Dialect>(...);
// with more relationships, that of joinedload(rel).joinedload(more...).
template <class Q, class Rel, class... More>
    requires(is_relationship_v<Rel> && (is_relationship_v<More> && ...))
constexpr auto joinedload_select(const Q& q, const Rel&, const More&...) {
    return detail::joined_query(type_list<Rel, More...>{}, q);
}

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
    // The first object (s.first / s.one with loader options give at most one);
    // an empty handle when there is none.
    handle<Model> front() const { return objects_.empty() ? handle<Model>() : objects_.front(); }
    const_iterator begin() const noexcept { return objects_.begin(); }
    const_iterator end() const noexcept { return objects_.end(); }
    const std::vector<handle<Model>>& objects() const noexcept { return objects_; }

    // What Rel loaded for owner (one of this result's objects, or one that a
    // nested option loaded from: r.get(post_tags, p) for a post p of
    // r.get(user_posts, u)).
    template <class Rel>
    const related_t<Rel>& get(const Rel&, const handle<typename Rel::owner_table::ctorm_model>& owner) const {
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
