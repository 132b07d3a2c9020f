// What the session knows about a table at compile time: its identity key
// (the primary-key values as one hashable value), the columns the database
// fills on insert, the place of the table in the flush order (parents before
// children, from the foreign keys as types), and the rules a table must meet
// to be used through a session.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/schema/column.hpp"
#include "ctorm/schema/keys.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/schema/types.hpp"

namespace ctorm {

template <class Table>
struct assert_session_table_has_primary_key {
    CTORM_DETAIL_RULE(
        "ctorm: a session keeps objects by their primary key, and this table has none (see the table type "
        "below); declare one (a column marked primary_key, or primary_key(...) in CTORM_TABLE_CONSTRAINTS), or "
        "use the connection's execute/all for it",
        primary_key_t<Table>::size > 0);
};

template <class Table>
struct assert_session_table_column_count {
    CTORM_DETAIL_RULE(
        "ctorm: a session tracks the changes of at most 64 columns per table (see the table type below); "
        "split the table, or use the connection's update(...) for it",
        Table::ctorm_columns::size <= 64);
};

// Table is the first table of the cycle.
template <class Table, bool Acyclic>
struct assert_session_flush_order_has_no_cycle {
    CTORM_DETAIL_RULE(
        "ctorm: the session inserts parents before children, and the foreign keys of this table (see the table "
        "type below) form a cycle with other tables (a -> b -> a), so no order works; insert these rows with "
        "the connection inside a transaction (PostgreSQL defers nothing by default), or drop one of the keys",
        Acyclic);
};

// Column is the table's second version_id column, or a version_id column
// that is not an integer.
template <class Column, bool Ok>
struct assert_version_id_is_one_integer_column {
    CTORM_DETAIL_RULE(
        "ctorm: version_id marks one integer column of a table (see the column type below): the session "
        "increments it on every UPDATE",
        Ok);
};

namespace detail {

// --- the identity key -----------------------------------------------------------

template <class Columns>
struct key_of_columns;
template <class C>
struct key_of_columns<type_list<C>> {
    using type = typename C::value_type;
    template <class Model>
    static type of(const Model& m) {
        return m.*(C::member);
    }
};
template <class... Cs>
struct key_of_columns<type_list<Cs...>> {
    using type = std::tuple<typename Cs::value_type...>;
    template <class Model>
    static type of(const Model& m) {
        return type(m.*(Cs::member)...);
    }
};

inline std::size_t mix_hash(std::size_t seed, std::size_t h) noexcept {
    return seed ^ (h + 0x9e3779b97f4a7c15ull + (seed << 6) + (seed >> 2));
}

// A hash for every key type a column can have: std::hash where the standard
// has one, the object's bytes for the plain value types (uuid, timestamp).
template <class V>
std::size_t hash_key_part(const V& v) noexcept {
    if constexpr (requires { std::hash<V>{}(v); }) {
        return std::hash<V>{}(v);
    } else if constexpr (is_nullable_v<V>) {
        return v ? hash_key_part(*v) : 0;
    } else {
        static_assert(std::has_unique_object_representations_v<V>,
                      "ctorm: this primary-key type cannot be hashed by the session's identity map");
        return std::hash<std::string_view>{}(std::string_view(reinterpret_cast<const char*>(&v), sizeof(V)));
    }
}

struct key_hash {
    template <class V>
    std::size_t operator()(const V& v) const noexcept {
        return hash_key_part(v);
    }
    template <class... Vs>
    std::size_t operator()(const std::tuple<Vs...>& t) const noexcept {
        return std::apply(
            [](const Vs&... v) {
                std::size_t seed = 0;
                ((seed = mix_hash(seed, hash_key_part(v))), ...);
                return seed;
            },
            t);
    }
};

// Text naming a key for messages: users(id=3), post_tags(post_id=1, tag='x').
template <class V>
void describe_key_part(std::string& out, const V& v) {
    if constexpr (is_nullable_v<V>) {
        if (!v) out += "NULL";
        else describe_key_part(out, *v);
    } else if constexpr (std::is_same_v<V, bool>) {
        out += v ? "true" : "false";
    } else if constexpr (std::is_integral_v<V>) {
        out += std::to_string(v);
    } else if constexpr (named_enum<V>) {
        out += '\'';
        out += enum_name(v);
        out += '\'';
    } else if constexpr (std::is_enum_v<V>) {
        out += std::to_string(static_cast<std::underlying_type_t<V>>(v));
    } else if constexpr (std::is_convertible_v<const V&, std::string_view>) {
        out += '\'';
        out += std::string_view(v);
        out += '\'';
    } else {
        out += "...";
    }
}

// --- inserts ----------------------------------------------------------------------

template <class Columns>
struct generated_columns;
template <class... Cs>
struct generated_columns<type_list<Cs...>> {
    using type =
        meta::concat<std::conditional_t<column_traits<Cs>::generated_on_insert, type_list<Cs>, type_list<>>...>;
};

// --- the version counter -------------------------------------------------------

template <class Columns>
struct version_columns;
template <class... Cs>
struct version_columns<type_list<Cs...>> {
    using type = meta::concat<std::conditional_t<column_traits<Cs>::options.version_id, type_list<Cs>, type_list<>>...>;
};
template <class List>
struct first_or_void {
    using type = void;
};
template <class C, class... Cs>
struct first_or_void<type_list<C, Cs...>> {
    using type = C;
};
template <class List>
struct second_or_void {
    using type = void;
};
template <class C, class D, class... Cs>
struct second_or_void<type_list<C, D, Cs...>> {
    using type = D;
};
template <class Column>
consteval bool is_integer_column() {
    if constexpr (std::is_void_v<Column>) {
        return true;
    } else {
        using V = typename Column::value_type;
        return std::is_integral_v<V> && !std::is_same_v<V, bool>;
    }
}

// --- flush order ------------------------------------------------------------------

// The depth of Table among the foreign keys: 0 for a table that references
// no other, else one more than the deepest table it references (a reference
// to itself does not count: those rows are ordered at run time). -1: a cycle.
template <class Table, class... Path>
consteval int flush_rank();

template <class Table, class... Path, class... Refs>
consteval int flush_rank_over(type_list<Refs...>) {
    int rank = 0;
    bool cycle = false;
    [[maybe_unused]] auto visit = [&]<class Ref>() {
        if constexpr (std::is_same_v<Ref, Table>) {
            // a self reference: ordered row by row
        } else if constexpr ((std::is_same_v<Ref, Path> || ...)) {
            cycle = true;
        } else {
            const int r = flush_rank<Ref, Path..., Table>();
            if (r < 0) cycle = true;
            else rank = std::max(rank, r + 1);
        }
    };
    (visit.template operator()<Refs>(), ...);
    return cycle ? -1 : rank;
}

template <class Table, class... Path>
consteval int flush_rank() {
    return flush_rank_over<Table, Path...>(referenced_tables_t<Table>{});
}

// The columns of Table's foreign keys to itself (one-column keys), for ordering parent rows first.
template <class Table, class Keys>
struct self_reference_columns;
template <class Table, class... Ks>
struct self_reference_columns<Table, type_list<Ks...>> {
    template <class K>
    using one = std::conditional_t<std::is_same_v<typename K::target_table, Table> && K::columns::size == 1,
                                   type_list<std::pair<typename K::columns, typename K::targets>>, type_list<>>;
    using type = meta::concat<one<Ks>...>;
};

}  // namespace detail

// The session's view of a table: see the header comment.
template <class Table>
struct mapping_traits {
    using table_type = Table;
    using model_type = typename Table::ctorm_model;
    using columns = typename Table::ctorm_columns;
    using key_columns = primary_key_t<Table>;
    using key_type = typename detail::key_of_columns<key_columns>::type;
    using generated = typename detail::generated_columns<columns>::type;
    using self_references = typename detail::self_reference_columns<Table, foreign_keys_t<Table>>::type;
    static constexpr int flush_rank = detail::flush_rank<Table>();
    // The version_id column, or void.
    using version_column = typename detail::first_or_void<typename detail::version_columns<columns>::type>::type;

    static key_type key_of(const model_type& m) { return detail::key_of_columns<key_columns>::of(m); }

    static consteval bool check() {
        return assert_session_table_has_primary_key<Table>::check() &&
               assert_session_table_column_count<Table>::check() &&
               assert_session_flush_order_has_no_cycle<Table, (flush_rank >= 0)>::check() &&
               assert_version_id_is_one_integer_column<
                   typename detail::second_or_void<typename detail::version_columns<columns>::type>::type,
                   detail::version_columns<columns>::type::size <= 1>::check() &&
               assert_version_id_is_one_integer_column<version_column,
                                                       detail::is_integer_column<version_column>()>::check();
    }
};

namespace detail {
template <class... Cs, class Model>
void describe_key(std::string& out, type_list<Cs...>, const Model& m) {
    bool first = true;
    ((out += first ? "" : ", ", first = false, out += Cs::sql_name, out += '=',
      describe_key_part(out, m.*(Cs::member))),
     ...);
}
}  // namespace detail

// "users(id=3)": the object's table and key, for messages.
template <class Table>
std::string describe_object(const typename Table::ctorm_model& m) {
    std::string out(Table::ctorm_sql_name);
    out += '(';
    detail::describe_key(out, primary_key_t<Table>{}, m);
    out += ')';
    return out;
}

}  // namespace ctorm
