// ctorm::repository<Table, Session>: the generic repository of the guides
// (get by id, a page of rows, create, update, remove, count, exists) for one
// table, over a session. It owns nothing: every call goes through the
// session's public API, so the identity map, dirty tracking and autoflush
// work as they do for hand-written session code. It flushes what it writes
// and never commits: the transaction is the caller's (s.commit()), so several
// repository calls, over one table or many, are one unit of work.
#pragma once

#include <concepts>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "ctorm/meta/rule.hpp"
#include "ctorm/meta/type_list.hpp"
#include "ctorm/orm/handle.hpp"
#include "ctorm/orm/session.hpp"
#include "ctorm/schema/keys.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/sql/functions.hpp"
#include "ctorm/sql/select.hpp"

namespace ctorm {

template <class Table>
struct assert_repository_table_has_primary_key {
    CTORM_DETAIL_RULE(
        "ctorm: a repository finds rows by their primary key (get_by_id, exists) and pages them in its order "
        "(get_all), and this table has none (see the table type below); declare one (a column marked "
        "primary_key, or primary_key(...) in CTORM_TABLE_CONSTRAINTS), or query it with the connection",
        primary_key_t<Table>::size > 0);
};

namespace detail {

template <class T>
inline constexpr bool is_session = false;
template <class Connection>
inline constexpr bool is_session<session<Connection>> = true;

// pk1 = v1 AND pk2 = v2 ..., the key's parts in the order the primary key lists its columns.
template <class... Columns, class... Values>
auto repository_key_condition(type_list<Columns...>, const Values&... values) {
    return ((Columns{} == values) && ...);
}

// ORDER BY the primary key's columns, so that pages do not overlap or skip rows on any backend.
template <class Table, class... Columns>
auto repository_page(type_list<Columns...>, std::int64_t skip, std::int64_t limit) {
    return select(Table{}).order_by(Columns{}...).limit(limit).offset(skip);
}

}  // namespace detail

template <class Table, class Session>
class repository {
    static_assert(::ctorm::table_type<Table> && detail::is_session<Session>,
                  "ctorm: repository<Table, Session> takes a table type (decltype(users)) and a "
                  "ctorm::session<Connection>; write ctorm::repository r(s, users) to deduce both");
    static_assert(assert_repository_table_has_primary_key<Table>::check());

public:
    using table_type = Table;
    using session_type = Session;
    using model_type = typename Table::ctorm_model;
    using handle_type = handle<model_type>;

    explicit repository(Session& s, const Table& = {}) noexcept : session_(&s) {}

    // The object with this primary key (its parts in key order, for a
    // composite key), or an empty handle when there is no such row: the
    // session's get, so no SQL when the session holds it, else one SELECT.
    // A handle is already nullable; wrapping it in an optional would give two
    // ways to say "none". ctorm::for_update as the last argument locks the
    // row (PostgreSQL), as with s.get.
    template <class... Key>
        requires(sizeof...(Key) > 0)
    handle_type get_by_id(const Key&... key) { return session_->get(Table{}, key...); }

    // At most `limit` objects after the first `skip`, in primary-key order,
    // as the session's objects (one SELECT ... ORDER BY <key> LIMIT OFFSET,
    // after an autoflush). std::invalid_argument for a negative skip or
    // limit, which SQLite and PostgreSQL would read differently.
    std::vector<handle_type> get_all(std::int64_t skip = 0, std::int64_t limit = 100) {
        if (skip < 0 || limit < 0)
            throw std::invalid_argument("ctorm: repository<" + std::string(Table::ctorm_sql_name) +
                                        ">::get_all(skip, limit): skip and limit must not be negative (skip " +
                                        std::to_string(skip) + ", limit " + std::to_string(limit) + ")");
        return session_->all(detail::repository_page<Table>(primary_key_t<Table>{}, skip, limit));
    }

    // Adds the object and flushes, so that the key and server defaults the
    // database fills in are in the returned object: one INSERT (with
    // RETURNING where the database generates columns). Everything else the
    // session had pending is flushed with it. Not committed.
    handle_type create(model_type object) {
        handle_type h = session_->add(Table{}, std::move(object));
        session_->flush();
        return h;
    }

    // Calls edit(object) on the object (a pending or persistent object of
    // this session) and flushes: one UPDATE of the columns whose values
    // changed, none if the edit changed nothing. An edit is a callable
    // rather than column = value assignments because an assignment may hold
    // an SQL expression (users.views + 1) that only the database can compute;
    // for those, run update(users).set(...) through s.execute. If edit
    // throws, nothing is flushed (s.refresh(h) throws away what it changed).
    // session_error for an object out of the session (empty, detached,
    // deleted), before edit runs; expired_object_error for an expired one.
    template <std::invocable<model_type&> Edit>
    handle_type update(const handle_type& h, Edit&& edit) {
        const object_state state = h.state();
        if (state != object_state::persistent && state != object_state::pending)
            throw session_error("repository<" + std::string(Table::ctorm_sql_name) +
                                ">::update(): the object is not in the session (" +
                                std::string(object_state_name(state)) + ")");
        handle_type target = h;
        edit(*target);  // mutable access: the session compares the object at flush
        session_->flush();
        return target;
    }

    // Marks the object for DELETE and flushes: one DELETE (a pending object
    // is only taken out of the session). The object is then deleted, and
    // detached once the session commits. Not committed.
    void remove(const handle_type& h) {
        session_->remove(h);
        session_->flush();
    }

    // SELECT count(*) of the table, after an autoflush: one statement, and
    // it counts what this session added and removed.
    std::int64_t count() { return single_value(select(ctorm::count()).from(Table{})); }

    // Whether a row has this primary key: SELECT count(*) ... WHERE <key>,
    // after an autoflush, so one statement that loads no object into the
    // session (use get_by_id to have the object).
    template <class... Key>
        requires(sizeof...(Key) == primary_key_t<Table>::size)
    bool exists(const Key&... key) {
        return single_value(select(ctorm::count())
                                .from(Table{})
                                .where(detail::repository_key_condition(primary_key_t<Table>{}, key...))) > 0;
    }

    // For the queries a derived repository adds, through the session so that
    // they return the session's objects: a user_repository's get_by_email is
    //   return session().first(select(users).where(users.email == email));
    Session& session() const noexcept { return *session_; }
    static constexpr Table table() noexcept { return Table{}; }

private:
    // The value of a one-row select, run through the session (autoflush,
    // inside the session's transaction).
    template <class Q>
    auto single_value(const Q& q) {
        auto result = session_->execute(q);
        return *result.begin();
    }

    Session* session_;
};

// repository<decltype(users), S> is repository<ctorm_table_users, S>: a
// derived repository may name its table either way.
template <class Table, class Session>
class repository<const Table, Session> : public repository<Table, Session> {
public:
    using repository<Table, Session>::repository;
};

template <class Table, class Session>
repository(Session&, const Table&) -> repository<Table, Session>;

}  // namespace ctorm
