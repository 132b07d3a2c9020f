// ctorm::session: the unit of work over one connection (any
// database_connection). It keeps one object per row identity (the identity
// map), inserts what was added, updates the columns that changed and deletes
// what was removed when it flushes, in foreign-key order, inside a
// transaction it begins on first use and ends with commit() or rollback().
// The session does no I/O of its own: every statement goes through the
// connection, so an asynchronous session can follow with the same logic.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ctorm/engine/concepts.hpp"
#include "ctorm/engine/connection.hpp"
#include "ctorm/errors.hpp"
#include "ctorm/orm/cascade.hpp"
#include "ctorm/orm/handle.hpp"
#include "ctorm/orm/identity_map.hpp"
#include "ctorm/orm/loading.hpp"
#include "ctorm/orm/mapping.hpp"
#include "ctorm/orm/statements.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm {

struct session_options {
    // Flush pending changes before every query through the session, so that
    // the query sees them (SQLAlchemy's default).
    bool autoflush = true;
    // After commit(), mark every object expired, so that it must be loaded
    // again before use. Off by default: reading an expired object is an error
    // in ctorm (it never reloads behind your back), and after a commit the
    // objects hold what the database holds, since commit() flushes first.
    bool expire_on_commit = false;
};

// What a query through the session does with an object it finds already in
// the identity map: keep the object as it is in memory (the default, as in
// SQLAlchemy), or overwrite it with the row just read (populate_existing).
enum class load_mode { keep_existing, populate_existing };
inline constexpr load_mode populate_existing = load_mode::populate_existing;

// How a bulk UPDATE or DELETE through the session keeps the identity map
// truthful (SQLAlchemy's synchronize_session): expire every object of the
// table it writes (the default, no extra work), or fetch the keys of the rows
// it wrote (RETURNING, in the same statement) and expire or delete only those
// objects.
// Chosen at compile time: s.execute(q, ctorm::synchronize_session::fetch).
struct synchronize_session {
    struct expire_table_t {};
    struct fetch_t {};
    static constexpr expire_table_t expire_table{};
    static constexpr fetch_t fetch{};
};

// FOR UPDATE on a get (PostgreSQL: the row is locked until the transaction ends).
struct for_update_t {};
inline constexpr for_update_t for_update{};

// An UPDATE or DELETE of one object found no row: another transaction
// deleted it, or changed its key.
class stale_data_error : public error {
public:
    explicit stale_data_error(const std::string& object, std::string_view statement)
        : error("ctorm: " + object + ": the " + std::string(statement) +
                " matched no row (deleted or changed by someone else since it was loaded)") {}
};

template <class Connection>
class session;

namespace detail {

struct async_session_access;  // ctorm/async/session.hpp

// One table's part of a session, for the operations that go over every table.
struct store_base {
    int rank = 0;
    virtual ~store_base() = default;
    virtual bool has_work() const noexcept = 0;
    virtual void flush_inserts() = 0;
    virtual void flush_updates() = 0;
    virtual void flush_deletes() = 0;
    virtual void after_commit(bool expire) = 0;
    // Undoes what was flushed since `mark` (a transaction's or savepoint's start).
    virtual void after_rollback(std::uint64_t mark) = 0;
    virtual void expire_all() noexcept = 0;
    virtual void expunge_all() noexcept = 0;
    virtual std::size_t size() const noexcept = 0;
};

// The position of a table's store in a session: assigned on first use, the same in every session.
inline std::size_t next_store_index() noexcept {
    static std::size_t count = 0;
    return count++;
}
template <class Table>
std::size_t store_index() noexcept {
    static const std::size_t index = next_store_index();
    return index;
}

template <class Connection, class Table>
struct table_store final : store_base, model_store<typename Table::ctorm_model> {
    using traits = mapping_traits<Table>;
    using model_type = typename traits::model_type;
    using key_type = typename traits::key_type;
    using columns = typename traits::columns;
    using node = entry<model_type>;
    using backend_type = typename Connection::backend_type;
    using dialect = typename Connection::dialect_type;

    Connection* db;
    const std::uint64_t* mark;  // the session's current mark
    identity_map<key_type, node*> identity;
    std::vector<node*> pending;                                       // added, not inserted
    std::vector<node*> removing;                                      // remove() called, DELETE not flushed
    std::vector<node*> deleted;                                       // DELETE flushed, not committed
    std::vector<std::pair<std::uint64_t, std::string>> update_texts;  // by set of changed columns
    node* spare = nullptr;                                            // an entry a query read into and did not keep
    session<Connection>* sess;

    // A child given a parent through a relationship (s.append): its foreign
    // key is set from the parent's key at flush, once the parent has one.
    // One per child and relationship (apply names the relationship): an
    // association row has two, one to each side.
    struct parent_link {
        entry_base* parent = nullptr;
        void (*apply)(model_type&, const entry_base&) = nullptr;
        void (*drop)(entry_base*) noexcept = nullptr;  // the link's reference to the parent
    };
    std::unordered_multimap<node*, parent_link> links;

    table_store(Connection* c, const std::uint64_t* m, session<Connection>* s) : db(c), mark(m), sess(s) {
        rank = traits::flush_rank;
        this->owner = s;
    }
    ~table_store() override {
        expunge_all();
        delete spare;
    }

    static std::string describe(const model_type& m) { return describe_object<Table>(m); }

    node* make(model_type&& m) {
        node* e = new node(std::move(m));
        adopt(e);
        return e;
    }
    void adopt(node* e) {
        e->references = 1;  // the session's
        e->store = this;
        e->describe = &describe;
    }
    // Out of the session: the object stays as it is, detached.
    void detach(node* e) noexcept {
        e->state = object_state::detached;
        e->store = nullptr;
        e->in_identity_map = false;
        release(e);
    }
    // Replaces the child's link through the same relationship, if any.
    void link(node* child, parent_link l) {
        unlink(child, l.apply);
        links.emplace(child, l);
    }
    // The child's links through the relationship apply names, or all of them (nullptr).
    void unlink(node* child, void (*apply)(model_type&, const entry_base&) = nullptr) noexcept {
        if (links.empty()) return;
        auto [first, last] = links.equal_range(child);
        for (auto it = first; it != last;) {
            if (apply && it->second.apply != apply) {
                ++it;
                continue;
            }
            it->second.drop(it->second.parent);
            it = links.erase(it);
        }
    }
    void clear_links() noexcept {
        for (auto& [child, l] : links) l.drop(l.parent);
        links.clear();
    }
    // The parent the child was appended to through the relationship apply names, or null.
    const entry_base* parent_of(node* child, void (*apply)(model_type&, const entry_base&)) const noexcept {
        auto [first, last] = links.equal_range(child);
        for (auto it = first; it != last; ++it)
            if (it->second.apply == apply) return it->second.parent;
        return nullptr;
    }
    // Sets the child's foreign keys from its parents' keys (now in the database).
    void apply_link(node& e) {
        auto [first, last] = links.equal_range(&e);
        if (first == last) return;
        for (auto it = first; it != last; ++it)
            if (it->second.parent->state != object_state::persistent)
                throw session_error(
                    "flushing " + std::string(e.state == object_state::pending ? "a new " : "the ") +
                    std::string(Table::ctorm_sql_name) + " object: the parent it was appended to (s.append) is " +
                    std::string(object_state_name(it->second.parent->state)) + ", not a row of the database");
        for (auto it = first; it != last; ++it) it->second.apply(e.object, *it->second.parent);
        unlink(&e);
    }
    // The row was deleted by a cascade (a DELETE ... WHERE of its parent's key, or the database's ON DELETE CASCADE).
    void mark_deleted(node& e) {
        forget(&e);
        forget_touched(&e);
        erase_from(removing, &e);
        unlink(&e);
        e.state = object_state::deleted;
        e.deleting = false;
        e.marks.deleted = *mark;
        deleted.push_back(&e);
    }

    void forget_touched(node* e) noexcept {
        auto& items = this->touched;
        items.erase(std::remove(items.begin(), items.end(), e), items.end());
    }
    static void erase_from(std::vector<node*>& list, node* e) noexcept {
        list.erase(std::remove(list.begin(), list.end(), e), list.end());
    }

    node* find(const key_type& key) const { return identity.find(key); }
    void remember(node* e) {
        identity.try_emplace(traits::key_of(e->object), e);
        e->in_identity_map = true;
    }
    void forget(node* e) noexcept {
        // By the key the database has (the object's key may have been changed in memory).
        const model_type& row = e->has_snapshot ? e->snapshot : e->object;
        identity.erase(traits::key_of(row), e);
        e->in_identity_map = false;
    }

    // A row just read: the session's object for it (made now, or the one
    // already there, overwritten if expired or asked to).
    node* load(node* fresh, load_mode mode) {
        key_type key = traits::key_of(fresh->object);
        auto [e, inserted] = identity.try_emplace(std::move(key), fresh);
        if (inserted) {
            adopt(fresh);
            fresh->state = object_state::persistent;
            fresh->in_identity_map = true;
            return fresh;
        }
        if (e->expired || mode == load_mode::populate_existing) {
            e->object = std::move(fresh->object);
            if (e->has_snapshot) e->snapshot = e->object;
            e->expired = false;
        }
        spare = fresh;
        return e;
    }
    node* spare_entry() {
        if (spare) return std::exchange(spare, nullptr);
        return new node();
    }
    // An entry `read` fills from the current row; if reading throws (a decode
    // error), the entry is kept as the spare, not lost.
    template <class Read>
    node* read_entry(Read&& read) {
        node* fresh = spare_entry();
        try {
            read(fresh->object);
        } catch (...) {
            spare = fresh;
            throw;
        }
        return fresh;
    }

    // --- one object (model_store) ------------------------------------------------------

    void remove(node& e) override {
        if constexpr (cascades_t<Table>::size > 0) cascade_access::remove_pending_children<Table>(*sess, e);
        if (e.state == object_state::pending) {
            unlink(&e);
            erase_from(pending, &e);
            forget_touched(&e);
            detach(&e);
        } else if (e.state == object_state::persistent && !e.deleting) {
            e.deleting = true;
            removing.push_back(&e);
        }
    }
    void expunge(node& e) noexcept override {
        unlink(&e);
        erase_from(pending, &e);
        erase_from(removing, &e);
        erase_from(deleted, &e);
        if (e.in_identity_map) forget(&e);
        forget_touched(&e);
        e.deleting = false;
        detach(&e);
    }
    void refresh(node& e) override {
        const model_type& row = e.has_snapshot ? e.snapshot : e.object;
        const auto q = select_by_key<Table>(traits::key_of(row));
        typename backend_type::template cursor<std::remove_cvref_t<decltype(q)>> c(db->backend(), q);
        if (!c.step()) {
            const std::string name = describe(row);
            expunge(e);
            throw no_result_found("refresh(): the row of " + name + " is gone; the object is detached");
        }
        c.read(e.object);
        if (e.has_snapshot) e.snapshot = e.object;
        e.expired = false;
    }

    bool has_work() const noexcept override {
        return !pending.empty() || !removing.empty() || !this->touched.empty() || !links.empty();
    }

    // --- flush -------------------------------------------------------------------

    void flush_inserts() override {
        if (pending.empty()) return;
        if constexpr (traits::self_references::size > 0) order_parents_first();
        // Inserted in order; a failure leaves its row and the rest pending.
        // The list is shortened once, not per row (that was quadratic).
        std::size_t done = 0;
        try {
            if constexpr (pipelined_inserts) {
                // One round trip per batch of rows (the backend's pipeline);
                // parents of the same table are never pending here.
                if (pending.size() > 1) {
                    try {
                        db->backend().run_each(
                            pending.size(), [&](std::size_t i) { return insert_of(*pending[i]); },
                            [&](std::size_t i, auto& c) {
                                inserted(*pending[i], c);
                                ++done;
                            });
                    } catch (const database_error&) {
                        if (done < pending.size()) rethrow_naming(*pending[done]);
                        throw;
                    }
                    done = pending.size();
                }
            }
            for (; done < pending.size(); ++done) insert_one(*pending[done]);
        } catch (...) {
            pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(done));
            throw;
        }
        pending.clear();
    }

    // Whether the backend can send a table's INSERTs without waiting for each
    // reply (PostgreSQL's pipeline mode). Not for a table that references
    // itself: a child's key of its parent is known only once the parent's
    // INSERT has returned it.
    static constexpr bool pipelined_inserts = [] {
        if constexpr (requires { backend_type::pipelines_statements; })
            return backend_type::pipelines_statements && traits::self_references::size == 0;
        else return false;
    }();

    // The INSERT of a pending object, its version and its links to parents
    // set first (again, harmlessly, when asked twice).
    auto insert_of(node& e) {
        using generated = typename traits::generated;
        using version = typename traits::version_column;
        if constexpr (!std::is_void_v<version>) {
            if (e.object.*(version::member) == 0) e.object.*(version::member) = 1;
        }
        if constexpr (detail::has_factories<typename Table::ctorm_columns>)
            detail::fill_factories<Table>(e.object, typename Table::ctorm_columns{});
        if (!links.empty()) apply_link(e);
        if constexpr (generated::size == 0)
            return detail::insert_model_statement<Table, const model_type*>{{}, {}, {}, &e.object};
        else return insert_returning_generated<Table, generated>::make(e.object);
    }

    void insert_one(node& e) {
        try {
            const auto q = insert_of(e);
            if constexpr (traits::generated::size == 0) {
                db->execute(q);
                inserted(e);
            } else {
                typename backend_type::template cursor<std::remove_cvref_t<decltype(q)>> c(db->backend(), q);
                inserted(e, c);
            }
        } catch (const database_error&) {
            rethrow_naming(e);
        }
    }

    // After its INSERT: the generated columns read back (RETURNING), the
    // object persistent.
    template <class Cursor>
    void inserted(node& e, Cursor& c) {
        if constexpr (traits::generated::size > 0) {
            if (!c.step()) [[unlikely]]
                throw stale_data_error(describe(e.object), "INSERT ... RETURNING");
            c.read(e.object);
        }
        inserted(e);
    }
    void inserted(node& e) {
        e.state = object_state::persistent;
        e.marks.inserted = *mark;
        if (e.touched) {
            e.snapshot = e.object;
            e.has_snapshot = true;
        }
        remember(&e);
    }

    [[noreturn, gnu::cold]] void rethrow_naming(const node& e);

    // Rows of a table that references itself: a row whose parent is also
    // pending goes after it (keys the user set; generated keys are not known
    // before the insert, so such parents come first as added).
    void order_parents_first() {
        std::vector<node*> ordered;
        ordered.reserve(pending.size());
        std::unordered_map<key_type, std::size_t, key_hash> position;
        for (std::size_t i = 0; i < pending.size(); ++i) position.emplace(traits::key_of(pending[i]->object), i);
        std::vector<std::uint8_t> state(pending.size(), 0);  // 0 new, 1 visiting, 2 placed
        auto place = [&](auto& self, std::size_t i) -> void {
            if (state[i] == 2) return;
            if (state[i] == 1)
                throw session_error("the pending rows of " + std::string(Table::ctorm_sql_name) +
                                    " reference each other in a cycle; flush them in two steps");
            state[i] = 1;
            visit_parents(pending[i]->object, [&](const auto& parent_key) {
                if (auto it = position.find(parent_key); it != position.end() && it->second != i)
                    self(self, it->second);
            });
            state[i] = 2;
            ordered.push_back(pending[i]);
        };
        for (std::size_t i = 0; i < pending.size(); ++i) place(place, i);
        pending = std::move(ordered);
    }
    template <class F>
    static void visit_parents(const model_type& m, F&& f) {
        visit_self_references(m, f, typename traits::self_references{});
    }
    template <class F, class... Pairs>
    static void visit_self_references(const model_type& m, F& f, type_list<Pairs...>) {
        (visit_one_reference<typename Pairs::first_type, typename Pairs::second_type>(m, f), ...);
    }
    template <class Sources, class Targets, class F>
    static void visit_one_reference(const model_type& m, F& f) {
        using source = typename meta::first_missing<Sources, type_list<>>::type;
        using target = typename meta::first_missing<Targets, type_list<>>::type;
        // Only a reference to the whole primary key can name a pending row.
        if constexpr (std::is_same_v<primary_key_t<Table>, type_list<target>>) {
            const auto& value = m.*(source::member);
            if constexpr (is_nullable_v<std::remove_cvref_t<decltype(value)>>) {
                if (value) f(key_type(*value));
            } else {
                f(key_type(value));
            }
        }
    }

    std::string_view update_text(std::uint64_t changed) {
        for (const auto& [mask, text] : update_texts)
            if (mask == changed) return text;
        update_texts.emplace_back(changed, changed_columns_update<Table>::template render<dialect>(changed));
        return update_texts.back().second;
    }

    // The rows the UPDATE changed (0: the row is gone or its version moved).
    // A table with on_update(...) columns reads them back from the UPDATE's
    // RETURNING into the object: the same one statement.
    template <class Q>
    std::int64_t send_update(node& e, const Q& q) {
        if constexpr (stamped_columns<Table>::size == 0) {
            return db->execute(q).rows_affected;
        } else {
            typename backend_type::template cursor<Q> c(db->backend(), q);
            if (!c.step()) [[unlikely]]
                return 0;
            c.read(e.object);
            return 1;
        }
    }

    // One changed column (besides the version): its static UPDATE; else the
    // text for this set of columns, made once per set.
    std::int64_t run_update(node& e, std::uint64_t changed) {
        constexpr std::uint64_t version_bit = version_mask;
        const std::uint64_t data = changed & ~version_bit;
        // One bit set (std::has_single_bit would be a libgcc call without -mpopcnt).
        if (data != 0 && (data & (data - 1)) == 0) [[likely]] {
            std::int64_t rows = 0;
            const int column = std::countr_zero(data);
            [&]<std::size_t... Is>(std::index_sequence<Is...>) {
                (void)((column == static_cast<int>(Is)
                            ? (rows = send_update(
                                   e, fixed_columns_update<Table, (std::uint64_t(1) << Is) | version_bit>{&e.object,
                                                                                                          &e.snapshot}),
                               true)
                            : false) ||
                       ...);
            }
            (std::make_index_sequence<columns::size>{});
            return rows;
        }
        return send_update(e, changed_columns_update<Table>{update_text(changed), &e.object, &e.snapshot, changed});
    }

    void flush_updates() override {
        if (!links.empty()) {
            // Persistent children appended to another parent: their foreign key changes.
            std::vector<node*> moved;
            for (const auto& [child, l] : links)
                if (child->state == object_state::persistent &&
                    std::find(moved.begin(), moved.end(), child) == moved.end())
                    moved.push_back(child);
            for (node* child : moved) {
                if (!child->touched) touch(*child);
                apply_link(*child);
            }
        }
        // The objects to update, each with its changed columns (the version's too).
        std::vector<std::pair<node*, std::uint64_t>> work;
        for (node* t : this->touched) {
            node& e = *t;
            if (e.state != object_state::persistent || !e.has_snapshot || e.expired || e.deleting) continue;
            std::uint64_t changed = changed_columns(columns{}, e.object, e.snapshot);
            if (changed == 0) continue;
            if constexpr (!std::is_void_v<version_column>) {
                e.object.*(version_column::member) = e.snapshot.*(version_column::member) + 1;
                changed |= version_mask;
            }
            work.emplace_back(&e, changed);
        }
        std::size_t done = 0;
        try {
            while (done < work.size()) {
                if constexpr (pipelined_updates) {
                    // A run of objects with the same one changed column: one
                    // static statement, sent in the backend's pipeline.
                    const std::uint64_t data = work[done].second & ~version_mask;
                    std::size_t run = 1;
                    if (data != 0 && (data & (data - 1)) == 0)
                        while (done + run < work.size() && (work[done + run].second & ~version_mask) == data) ++run;
                    if (run > 1) {
                        pipeline_updates(work, done, run);
                        continue;
                    }
                }
                auto [e, changed] = work[done];
                std::int64_t rows = 0;
                try {
                    rows = run_update(*e, changed);
                } catch (const database_error&) {
                    rethrow_naming(*e);
                }
                updated(*e, changed, rows);
                ++done;
            }
        } catch (...) {
            // The objects not updated keep the version they had.
            if constexpr (!std::is_void_v<version_column>)
                for (std::size_t i = done; i < work.size(); ++i)
                    work[i].first->object.*(version_column::member) = work[i].first->snapshot.*(version_column::member);
            throw;
        }
    }

    using version_column = typename traits::version_column;  // void without one
    static constexpr std::uint64_t version_mask = [] {
        if constexpr (std::is_void_v<version_column>) return std::uint64_t(0);
        else return std::uint64_t(1) << meta::index_of<version_column, columns>;
    }();

    // Whether the backend can send UPDATEs without waiting for each reply.
    static constexpr bool pipelined_updates = [] {
        if constexpr (requires { backend_type::pipelines_statements; }) return backend_type::pipelines_statements;
        else return false;
    }();

    // work[done, done + count): one changed column, the same for all; done
    // moves past each object as its reply is read.
    void pipeline_updates(const std::vector<std::pair<node*, std::uint64_t>>& work, std::size_t& done,
                          std::size_t count) {
        const int column = std::countr_zero(work[done].second & ~version_mask);
        [&]<std::size_t... Is>(std::index_sequence<Is...>) {
            (void)((column == static_cast<int>(Is)
                        ? (pipeline_updates_of<(std::uint64_t(1) << Is) | version_mask>(work, done, count), true)
                        : false) ||
                   ...);
        }
        (std::make_index_sequence<columns::size>{});
    }
    template <std::uint64_t Changed>
    void pipeline_updates_of(const std::vector<std::pair<node*, std::uint64_t>>& work, std::size_t& done,
                             std::size_t count) {
        const std::size_t first = done;
        try {
            db->backend().run_each(
                count,
                [&](std::size_t i) {
                    node& e = *work[first + i].first;
                    return fixed_columns_update<Table, Changed>{&e.object, &e.snapshot};
                },
                [&](std::size_t i, auto& c) {
                    node& e = *work[first + i].first;
                    std::int64_t rows = 0;
                    if constexpr (stamped_columns<Table>::size == 0) {
                        rows = c.rows_affected();
                    } else if (c.step()) {
                        c.read(e.object);
                        rows = 1;
                    }
                    updated(e, work[first + i].second, rows);
                    ++done;
                });
        } catch (const database_error&) {
            if (done < work.size()) rethrow_naming(*work[done].first);
            throw;
        }
    }

    // After an object's UPDATE: it matched its row (else stale_data_error),
    // and the snapshot takes the changes and the stamps read back.
    void updated(node& e, std::uint64_t changed, std::int64_t rows) {
        if (rows != 1) [[unlikely]] {
            if constexpr (!std::is_void_v<version_column>)
                e.object.*(version_column::member) = e.snapshot.*(version_column::member);
            throw stale_data_error(describe(e.snapshot), "UPDATE");
        }
        const bool key_changed = !(traits::key_of(e.object) == traits::key_of(e.snapshot));
        if (key_changed) forget(&e);
        // The stamps read back are what the database has, as the changes are.
        copy_columns(columns{}, changed | column_mask<columns, stamped_columns<Table>>::value, e.object, e.snapshot);
        if (key_changed) remember(&e);
        e.marks.changed = *mark;
    }

    void flush_deletes() override {
        if (removing.empty()) return;
        // As for inserts: a failure leaves its row and the rest to delete; one erase at the end.
        std::size_t done = 0;
        try {
            if constexpr (pipelined_deletes) {
                if (removing.size() > 1) {  // as the INSERTs: a round trip per batch
                    try {
                        db->backend().run_each(
                            removing.size(),
                            [&](std::size_t i) {
                                const node& e = *removing[i];
                                return delete_from(Table{}).where(
                                    delete_condition<Table>(e.has_snapshot ? e.snapshot : e.object));
                            },
                            [&](std::size_t i, auto& c) {
                                deleted_one(*removing[i], c.rows_affected());
                                ++done;
                            });
                    } catch (const database_error&) {
                        if (done < removing.size()) rethrow_naming(*removing[done]);
                        throw;
                    }
                    done = removing.size();
                }
            }
            for (; done < removing.size(); ++done) delete_one(*removing[done]);
        } catch (...) {
            removing.erase(removing.begin(), removing.begin() + static_cast<std::ptrdiff_t>(done));
            throw;
        }
        removing.clear();
    }

    void delete_one(node& e) {
        const model_type& row = e.has_snapshot ? e.snapshot : e.object;
        execute_result r;
        try {
            if constexpr (cascades_t<Table>::size > 0) cascade_access::before_delete<Table>(*sess, row);
            r = db->execute(delete_from(Table{}).where(delete_condition<Table>(row)));
        } catch (const database_error&) {
            rethrow_naming(e);
        }
        deleted_one(e, r.rows_affected);
    }

    // Without cascades to run before each DELETE, the backend's pipeline sends them.
    static constexpr bool pipelined_deletes = [] {
        if constexpr (requires { backend_type::pipelines_statements; })
            return backend_type::pipelines_statements && cascades_t<Table>::size == 0;
        else return false;
    }();

    void deleted_one(node& e, std::int64_t rows) {
        if (rows != 1) [[unlikely]]
            throw stale_data_error(describe(e.has_snapshot ? e.snapshot : e.object), "DELETE");
        forget(&e);
        forget_touched(&e);
        e.state = object_state::deleted;
        e.deleting = false;
        e.marks.deleted = *mark;
        deleted.push_back(&e);
    }

    // --- transaction ends --------------------------------------------------------------

    void after_commit(bool expire) override {
        for (node* e : deleted) detach(e);
        deleted.clear();
        if (expire) expire_all();
    }

    void after_rollback(std::uint64_t since) override {
        // Added and never inserted: out of the session (SQLAlchemy does the same).
        for (node* e : pending) {
            forget_touched(e);
            detach(e);
        }
        pending.clear();
        clear_links();
        for (node* e : removing) e->deleting = false;
        removing.clear();
        // Deleted since the mark: the row is back.
        for (auto it = deleted.begin(); it != deleted.end();) {
            node* e = *it;
            if (e->marks.deleted >= since) {
                e->state = object_state::persistent;
                e->expired = true;
                remember(e);
                it = deleted.erase(it);
            } else {
                ++it;
            }
        }
        // Inserted since the mark: the row is gone, so is the object from the
        // session. Changed since the mark, or changed in memory and not
        // flushed: expired (the database has other values).
        std::vector<node*> gone;
        identity.for_each([&](node* e) {
            if (e->marks.inserted >= since && e->marks.inserted != 0) {
                gone.push_back(e);
            } else if (e->marks.changed >= since && e->marks.changed != 0) {
                e->expired = true;
            } else if (e->touched && e->has_snapshot && changed_columns(columns{}, e->object, e->snapshot) != 0) {
                e->expired = true;
            }
        });
        for (node* e : gone) {
            identity.erase(traits::key_of(e->has_snapshot ? e->snapshot : e->object));
            e->in_identity_map = false;
            forget_touched(e);
            detach(e);
        }
    }

    void expire_all() noexcept override {
        identity.for_each([](node* e) { e->expired = true; });
    }

    void expunge_all() noexcept override {
        clear_links();
        for (node* e : pending) detach(e);
        for (node* e : deleted) detach(e);
        identity.for_each([this](node* e) { detach(e); });
        pending.clear();
        removing.clear();
        deleted.clear();
        identity.clear();
        this->touched.clear();
    }

    std::size_t size() const noexcept override { return identity.size() + pending.size() + deleted.size(); }
};

// Rethrows the database error being handled with the object named in its
// message, as the same exception class (catch clauses for integrity_error,
// unique_violation, ... keep working).
template <class E>
[[noreturn]] void rethrow_database_error_as(const E& e, const std::string& object) {
    throw E(database_error_details{.backend = e.backend(),
                                   .code = e.code(),
                                   .sqlstate = e.sqlstate(),
                                   .message = e.message() + " (flushing " + object + ")",
                                   .sql = e.sql(),
                                   .constraint = e.constraint(),
                                   .code_text = e.code_text()});
}
[[noreturn, gnu::cold]] inline void rethrow_database_error_naming(const std::string& object) {
    try {
        throw;
    } catch (const unique_violation& e) {
        rethrow_database_error_as(e, object);
    } catch (const foreign_key_violation& e) {
        rethrow_database_error_as(e, object);
    } catch (const not_null_violation& e) {
        rethrow_database_error_as(e, object);
    } catch (const check_violation& e) {
        rethrow_database_error_as(e, object);
    } catch (const integrity_error& e) {
        rethrow_database_error_as(e, object);
    } catch (const busy_error& e) {
        rethrow_database_error_as(e, object);
    } catch (const connection_error& e) {
        rethrow_database_error_as(e, object);
    } catch (const serialization_failure& e) {
        rethrow_database_error_as(e, object);
    } catch (const deadlock_detected& e) {
        rethrow_database_error_as(e, object);
    } catch (const operational_error& e) {
        rethrow_database_error_as(e, object);
    } catch (const programming_error& e) {
        rethrow_database_error_as(e, object);
    } catch (const data_error& e) {
        rethrow_database_error_as(e, object);
    } catch (const database_error& e) {
        rethrow_database_error_as(e, object);
    }
}

template <class Connection, class Table>
void table_store<Connection, Table>::rethrow_naming(const node& e) {
    if (e.state == object_state::pending) {
        // A key the database generates is not known yet.
        constexpr bool generated_key =
            meta::contains<typename meta::first_missing<typename traits::key_columns, type_list<>>::type,
                           typename traits::generated>;
        rethrow_database_error_naming("a new " + std::string(Table::ctorm_sql_name) + " object" +
                                      (generated_key ? std::string() : " " + describe(e.object)));
    }
    rethrow_database_error_naming(describe(e.has_snapshot ? e.snapshot : e.object));
}

}  // namespace detail

// The unit of work. Not thread-safe: a session (and the handles it gives
// out) belongs to one thread at a time, as its connection does.
template <class Connection>
class session {
public:
    using connection_type = Connection;
    using dialect_type = typename Connection::dialect_type;
    template <class Model>
    using handle_type = handle<Model>;

    explicit session(Connection& db, session_options options = {}) : db_(&db), options_(options) {}
    session(const session&) = delete;
    session& operator=(const session&) = delete;
    // Rolls back what was not committed; every object is detached.
    ~session() {
        transaction_.reset();  // ROLLBACK, if the transaction is still open
        for (auto& s : stores_)
            if (s) s->expunge_all();
    }

    // --- adding and removing -----------------------------------------------------------

    // A new object, pending: INSERTed at the next flush (no SQL now).
    template <table_type T>
    handle<typename T::ctorm_model> add(const T&, typename T::ctorm_model object) {
        auto& store = store_for<T>();
        auto* e = store.make(std::move(object));
        e->state = object_state::pending;
        store.pending.push_back(e);
        return handle<typename T::ctorm_model>(e);
    }
    template <table_type T, class Range>
    std::vector<handle<typename T::ctorm_model>> add_all(const T& table, Range&& objects) {
        std::vector<handle<typename T::ctorm_model>> out;
        for (auto&& o : objects) out.push_back(add(table, std::forward<decltype(o)>(o)));
        return out;
    }

    // Marks a persistent object for DELETE at the next flush (a pending one
    // is simply taken out of the session).
    template <class Model>
    void remove(const handle<Model>& h) {
        auto& e = in_session(h, "remove()");
        e.store->remove(e);
    }

    // --- cascades (CTORM_CASCADES, see cascade.hpp) ------------------------------------------

    // A new child of parent through rel, added by rel's save-update cascade:
    // pending, INSERTed after the parent at the next flush, with its foreign
    // key set from the parent's key (the new one when the parent is pending
    // too). Through a many-to-many, the new target and its association row
    // (INSERTed after both). No SQL now.
    template <class Model, class Rel>
        requires is_relationship_v<Rel> handle<typename Rel::target_table::ctorm_model> append(
            const handle<Model>& parent, const Rel& rel, typename Rel::target_table::ctorm_model child) {
            check_child_relationship<Model, Rel>();
            (void)assert_append_through_save_update<Rel, cascade_of_v<Rel>.save_update>::check();
            (void)in_session(parent, "append()");
            auto h = add(typename Rel::target_table{}, std::move(child));
            append(parent, rel, h);
            return h;
        }
    // An object of the session (pending or persistent) becomes parent's
    // child through rel: its foreign key is set from the parent's key at the
    // next flush (an UPDATE when it changes a row). Through a many-to-many:
    // a new association row, INSERTed at the next flush after both objects.
    template <class Model, class Rel, class Child>
        requires is_relationship_v<Rel>
    void append(const handle<Model>& parent, const Rel&, const handle<Child>& child) {
        check_child_relationship<Model, Rel>();
        static_assert(std::is_same_v<Child, typename Rel::target_table::ctorm_model>,
                      "ctorm: s.append(parent, relationship, child): the child is not an object of the "
                      "relationship's target table");
        auto& p = in_session(parent, "append()");
        auto& c = in_session(child, "append()");
        if constexpr (Rel::kind == relationship_kind::many_to_many) {
            using through = typename Rel::through_table;
            auto row = add(typename through::table{}, typename through::table::ctorm_model{});
            link_to<typename through::owner_key, typename Rel::owner_column>(p, *row.entry_);
            link_to<typename through::target_key, typename Rel::target_column>(c, *row.entry_);
        } else {
            link_to<typename Rel::target_column, typename Rel::owner_column>(p, c);
        }
    }
    // The parent of child through the many-to-one rel (posts.author): the
    // child's foreign key is set from the parent's key at the next flush (the
    // parent's new key when it is pending, so it is INSERTed first; an UPDATE
    // when it changes a row of the database). A later s.set of the same
    // relationship before the flush replaces this one. No SQL now.
    template <class Model, class Rel, class Parent>
        requires is_relationship_v<Rel>
    void set(const handle<Model>& child, const Rel&, const handle<Parent>& parent) {
        constexpr bool many_to_one = Rel::kind == relationship_kind::many_to_one;
        (void)assert_set_many_to_one<Rel, many_to_one>::check();
        if constexpr (many_to_one) {
            static_assert(std::is_same_v<Model, typename Rel::owner_table::ctorm_model>,
                          "ctorm: s.set(child, relationship, parent): the relationship belongs to another table "
                          "than the child's");
            static_assert(std::is_same_v<Parent, typename Rel::target_table::ctorm_model>,
                          "ctorm: s.set(child, relationship, parent): the parent is not an object of the "
                          "relationship's target table");
            auto& c = in_session(child, "set()");
            auto& p = in_session(parent, "set()");
            constexpr auto setter = &set_from_parent<typename Rel::owner_column, typename Rel::target_column, Parent>;
            store_for<typename Rel::owner_table>().unlink(&c, setter);
            link_to<typename Rel::owner_column, typename Rel::target_column>(p, c);
        }
    }
    // A new parent of child through rel, added by rel's save-update cascade
    // (CTORM_CASCADES(posts, cascade<"save-update">(post_author))): pending,
    // INSERTed before the child at the next flush. Returns its handle.
    template <class Model, class Rel>
        requires is_relationship_v<Rel> handle<typename Rel::target_table::ctorm_model> set(
            const handle<Model>& child, const Rel& rel, typename Rel::target_table::ctorm_model parent) {
            (void)assert_set_many_to_one<Rel, Rel::kind == relationship_kind::many_to_one>::check();
            (void)assert_set_through_save_update<Rel, cascade_of_v<Rel>.save_update>::check();
            (void)in_session(child, "set()");
            auto h = add(typename Rel::target_table{}, std::move(parent));
            set(child, rel, h);
            return h;
        }
    // Takes child out of parent's collection rel. With delete-orphan in rel's
    // cascade the child is deleted at the next flush (a pending one is only
    // taken out of the session); without, its foreign key is set to NULL
    // (an UPDATE at flush; a NOT NULL key does not compile). Through a
    // many-to-many: the association row is deleted (one DELETE by its key at
    // flush; a pending one is only taken out). session_error when child is
    // not parent's (by its foreign key, or an s.append not flushed).
    template <class Model, class Rel, class Child>
        requires is_relationship_v<Rel>
    void remove_from(const handle<Model>& parent, const Rel&, const handle<Child>& child) {
        check_child_relationship<Model, Rel>();
        static_assert(std::is_same_v<Child, typename Rel::target_table::ctorm_model>,
                      "ctorm: s.remove_from(parent, relationship, child): the child is not an object of the "
                      "relationship's target table");
        auto& p = in_session(parent, "remove_from()");
        auto& c = in_session(child, "remove_from()");
        if constexpr (Rel::kind == relationship_kind::many_to_many) {
            remove_association<Rel>(p, c);
        } else {
            constexpr bool orphans_deleted = cascade_of_v<Rel>.delete_orphan;
            constexpr bool nullable = is_nullable_v<typename Rel::target_column::value_type>;
            (void)assert_remove_from_without_delete_orphan_nullable<Rel, orphans_deleted || nullable>::check();
            auto& store = store_for<typename Rel::target_table>();
            constexpr auto setter = &set_from_parent<typename Rel::target_column, typename Rel::owner_column, Model>;
            const detail::entry_base* linked_to = store.parent_of(&c, setter);
            const bool referenced = !linked_to && p.state == object_state::persistent &&
                                    detail::references_key<Rel>(c.object, p.object.*(Rel::owner_column::member));
            if (linked_to != &p && !referenced)
                throw session_error("remove_from(): this " + std::string(Rel::target_table::ctorm_sql_name) +
                                    " object is not one of " + Rel::describe() + " of " +
                                    describe_object<typename Rel::owner_table>(p.object));
            store.unlink(&c, setter);
            if constexpr (orphans_deleted) {
                store.remove(c);
            } else if constexpr (nullable) {
                handle<Child> h = child;
                (*h).*(Rel::target_column::member) = std::nullopt;  // marks it: an UPDATE at flush
            }
        }
    }

    // Takes the object out of the session (no SQL): it becomes detached, and
    // a later get() of its key loads a new object.
    template <class Model>
    void expunge(const handle<Model>& h) {
        auto& e = in_session(h, "expunge()");
        e.store->expunge(e);
    }
    void expunge_all() noexcept {
        for (auto& s : stores_)
            if (s) s->expunge_all();
    }

    // --- loading ---------------------------------------------------------------------

    // The object with this primary key (its parts, for a composite key):
    // the session's own without SQL when it has it, else loaded (one
    // SELECT); empty when there is no such row. With for_update as the last
    // argument, the row is locked (SELECT ... FOR UPDATE, PostgreSQL) until
    // the transaction ends: that SELECT is always sent, since the lock is the
    // point, and the object is refreshed from it.
    template <table_type T, class... Args>
    handle<typename T::ctorm_model> get(const T&, const Args&... args) {
        using traits = mapping_traits<T>;
        auto& store = store_for<T>();
        if constexpr (sizeof...(Args) > 1 &&
                      std::is_same_v<std::tuple_element_t<sizeof...(Args) - 1, std::tuple<Args...>>, for_update_t>) {
            const auto all_args = std::tie(args...);
            const typename traits::key_type k = [&]<std::size_t... Is>(std::index_sequence<Is...>) {
                return typename traits::key_type(std::get<Is>(all_args)...);
            }
            (std::make_index_sequence<sizeof...(Args) - 1>{});
            return load_one(store, detail::select_by_key<T>(k).for_update(), load_mode::populate_existing);
        } else {
            const typename traits::key_type k(args...);
            if (auto* e = store.find(k); e && !e->expired) [[likely]]
                return handle<typename T::ctorm_model>(e);
            return load_one(store, detail::select_by_key<T>(k));
        }
    }

    // Every row of a select of whole models (select(users)...), as the
    // session's objects: one object per row identity.
    template <class Q>
    auto all(const Q& q, load_mode mode = load_mode::keep_existing) {
        using T = typename detail::model_table<std::remove_cvref_t<Q>>::type;
        static_assert(!std::is_void_v<T>,
                      "ctorm: a query through the session selects whole models of one table (select(users)...); "
                      "for columns, expressions or select(a, b) of several models, use the connection: "
                      "s.connection().all(q)");
        using model_type = typename T::ctorm_model;
        before_query();
        auto& store = store_for<T>();
        std::vector<handle<model_type>> out;
        typename Connection::backend_type::template cursor<std::remove_cvref_t<Q>> c(db_->backend(), q);
        while (c.step()) {
            auto* fresh = store.read_entry([&](auto& object) { c.read(object); });
            out.push_back(handle<model_type>(store.load(fresh, mode)));
        }
        return out;
    }
    // The same with relationships loaded (selectinload(rel)...): after the
    // query, one SELECT per relationship per batch of 500 distinct keys of
    // the objects it returned (none when it returned none). The result's
    // type lists what was loaded: result.get(rel, object) for another
    // relationship does not compile.
    template <class Q, loader_option Option, loader_option... Options>
    auto all(const Q& q, const Option& option, const Options&... options) {
        return all_loading(
            q, [](const auto&) {}, option, options...);
    }

    // Explicit lazy loading of one object's relationship: one SELECT (none
    // for a many-to-one whose foreign key is NULL), after an autoflush. The
    // related objects come through the identity map.
    template <class Model, class Rel>
        requires is_relationship_v<Rel> related_t<Rel> load(const handle<Model>& owner, const Rel&) {
            static_assert(std::is_same_v<Model, typename Rel::owner_table::ctorm_model>,
                          "ctorm: s.load(object, relationship): the relationship belongs to another table than the "
                          "object's");
            (void)in_session(owner, "load()");
            before_query();
            detail::related_objects<Rel> related;
            load_related<Rel>(std::span<const handle<Model>>(&owner, 1), related);
            return std::move(related.of.at(owner.identity()));
        }
    // The same for many objects at once, in batches of 500 distinct keys
    // (1 + ... statements as for selectinload); the result holds the objects
    // and what was loaded for each.
    template <class Model, class Rel>
        requires is_relationship_v<Rel> loaded_result<Model, Rel> load(std::vector<handle<Model>> owners, const Rel&) {
            static_assert(std::is_same_v<Model, typename Rel::owner_table::ctorm_model>,
                          "ctorm: s.load(objects, relationship): the relationship belongs to another table than the "
                          "objects'");
            for (const auto& o : owners) (void)in_session(o, "load()");
            before_query();
            return load_all_of<Rel>(std::move(owners));
        }

    // The first row's object, or an empty handle.
    template <class Q>
    auto first(const Q& q, load_mode mode = load_mode::keep_existing) {
        using T = typename detail::model_table<std::remove_cvref_t<Q>>::type;
        static_assert(!std::is_void_v<T>,
                      "ctorm: a query through the session selects whole models (select(users)...); for "
                      "columns or expressions, use the connection: s.connection().first(q)");
        before_query();
        return load_one(store_for<T>(), q, mode, false);
    }
    // Exactly one row's object: no_result_found or multiple_results_found otherwise.
    template <class Q>
    auto one(const Q& q, load_mode mode = load_mode::keep_existing) {
        auto rows = all(q, mode);
        if (rows.empty()) throw no_result_found(detail::statement_text<dialect_type>(q));
        if (rows.size() > 1) throw multiple_results_found(detail::statement_text<dialect_type>(q));
        return std::move(rows.front());
    }
    // The same two with relationships loaded: the query is sent with LIMIT 1
    // (first) or LIMIT 2 (one, to tell one row from several), then each
    // option loads for that one object as all(q, options...) does, so
    // first(q, selectinload(rel)) is 1 statement for no row and 2 for one;
    // one() throws before loading anything when there is no row or several.
    // The result is a loaded_result of at most one object (r.front(),
    // r.get(rel, r.front())); a limit already on q is kept when it is smaller.
    template <class Q, loader_option Option, loader_option... Options>
    auto first(const Q& q, const Option& option, const Options&... options) {
        return all(limited_to(q, 1), option, options...);
    }
    template <class Q, loader_option Option, loader_option... Options>
    auto one(const Q& q, const Option& option, const Options&... options) {
        return all_loading(
            limited_to(q, 2),
            [&q](const auto& rows) {
                if (rows.empty()) throw no_result_found(detail::statement_text<dialect_type>(q));
                if (rows.size() > 1) throw multiple_results_found(detail::statement_text<dialect_type>(q));
            },
            option, options...);
    }

    // Loads the object's row again (one SELECT, no autoflush), overwriting
    // what it holds in memory, unflushed changes included; no_result_found
    // if the row is gone (the object is then detached).
    template <class Model>
    void refresh(const handle<Model>& h) {
        auto& e = in_session(h, "refresh()");
        begin_if_needed();  // no autoflush: refresh is how in-memory changes are thrown away
        e.store->refresh(e);
    }
    // Loads these columns of the object's row again (one SELECT of just
    // them, no autoflush), overwriting them in memory; the other columns keep
    // what they hold, unflushed changes included, and are still compared at
    // flush. An expired object is refreshed whole (still one SELECT): its
    // other columns could not be read otherwise. no_result_found if the row is
    // gone (the object is then detached).
    template <class Model, column_expression Column, column_expression... Columns>
    void refresh(const handle<Model>& h, const Column&, const Columns&...) {
        using table = typename Column::table_type;
        constexpr bool same_table = std::is_same_v<typename table::ctorm_model, Model> &&
                                    (std::is_same_v<typename Columns::table_type, table> && ...);
        static_assert(same_table,
                      "ctorm: s.refresh(object, columns...): every column must be a column of the object's table");
        if constexpr (same_table) {
            auto& e = in_session(h, "refresh()");
            begin_if_needed();
            if (e.expired) {
                e.store->refresh(e);
                return;
            }
            const Model& row = e.has_snapshot ? e.snapshot : e.object;
            const auto q =
                select(Column{}, Columns{}...)
                    .where(detail::key_value_condition(primary_key_t<table>{}, mapping_traits<table>::key_of(row)));
            auto fresh = db_->one_or_none(q);
            if (!fresh) {
                const std::string name = e.describe ? e.describe(row) : std::string(table::ctorm_sql_name);
                e.store->expunge(e);
                throw no_result_found("refresh(): the row of " + name + " is gone; the object is detached");
            }
            auto put = [&e]<class C>(C, auto&& value) {
                e.object.*C::member = std::forward<decltype(value)>(value);
                if (e.has_snapshot) e.snapshot.*C::member = e.object.*C::member;
            };
            if constexpr (sizeof...(Columns) == 0) {
                put(Column{}, std::move(*fresh));
            } else {
                [&]<std::size_t... Is>(std::index_sequence<Is...>) {
                    using columns = std::tuple<Column, Columns...>;
                    (put(std::tuple_element_t<Is, columns>{}, std::move(std::get<Is>(*fresh))), ...);
                }
                (std::index_sequence_for<Column, Columns...>{});
            }
        }
    }

    // Marks the object expired: it must be refreshed or loaded again before
    // it is read (no SQL now, and none later behind your back).
    template <class Model>
    void expire(const handle<Model>& h) {
        in_session(h, "expire()").expired = true;
    }
    void expire_all() noexcept {
        for (auto& s : stores_)
            if (s) s->expire_all();
    }

    // Copies a detached (or never added) object's state onto the session's
    // object with its key, loading that one if needed (one SELECT); with no
    // such row, the copy is added as pending. Returns the session's object.
    template <table_type T>
    handle<typename T::ctorm_model> merge(const T& table, const typename T::ctorm_model& object) {
        using traits = mapping_traits<T>;
        using model_type = typename T::ctorm_model;
        // A key its default_factory has not given yet: a new object, no row to look for.
        if constexpr (detail::has_factories<typename T::ctorm_columns>) {
            if (detail::key_awaits_factory<T>(object, typename T::ctorm_columns{})) return add(table, object);
        }
        const auto key = traits::key_of(object);
        handle<model_type> found = get(table, key);
        if (!found) return add(table, object);
        *found = object;  // marks it for comparison at flush
        return found;
    }

    // --- statements through the session ---------------------------------------------------

    // Runs an UPDATE or DELETE (or any statement) through the session, after
    // an autoflush. The objects of the table it writes are expired, since
    // their rows may have changed (SQLAlchemy's synchronize_session="expire"...
    // for the whole table): load them again to use them.
    template <class Q>
    auto execute(const Q& q) {
        before_query();
        using written = typename detail::written_table<std::remove_cvref_t<Q>>::type;
        if constexpr (!std::is_void_v<written>) {
            if (auto* s = existing_store<written>()) s->expire_all();
        }
        return db_->execute(q);
    }
    // The same, synchronized as asked. With synchronize_session::fetch, an
    // UPDATE or DELETE built with update() / delete_from() is sent with
    // RETURNING its table's primary key (still one statement): an UPDATE
    // expires the session's objects of the rows it changed, a DELETE marks
    // them deleted (detached at commit, back after a rollback), and every
    // other object of the table keeps its state. Returns the number of rows.
    template <class Q>
    auto execute(const Q& q, synchronize_session::expire_table_t) {
        return execute(q);
    }
    template <class Q>
    execute_result execute(const Q& q, synchronize_session::fetch_t) {
        using written = typename detail::written_table<std::remove_cvref_t<Q>>::type;
        constexpr bool fetchable = !std::is_void_v<written> && detail::is_update_or_delete_v<std::remove_cvref_t<Q>>;
        static_assert(fetchable,
                      "ctorm: synchronize_session::fetch applies to an update() or delete_from() statement without "
                      "returning(): the session adds RETURNING of the table's primary key itself");
        if constexpr (fetchable) {
            before_query();
            using traits = mapping_traits<written>;
            const auto with_keys = [&]<class... Ks>(type_list<Ks...>) {
                return q.returning(Ks{}...);
            }(primary_key_t<written>{});
            auto keys = db_->all(with_keys);
            if (auto* store = existing_store<written>()) {
                for (const auto& k : keys) {
                    auto* e = store->find(typename traits::key_type(k));
                    if (!e || e->state != object_state::persistent) continue;
                    if constexpr (detail::is_delete_v<std::remove_cvref_t<Q>>) store->mark_deleted(*e);
                    else e->expired = true;
                }
            }
            execute_result r{};
            r.rows_affected = static_cast<decltype(r.rows_affected)>(keys.size());
            return r;
        } else {
            return {};
        }
    }

    // --- the unit of work ---------------------------------------------------------------------

    // Sends the pending changes: INSERTs of the pending objects table by
    // table, parents before children (rows of a self-referencing table
    // parent-first); UPDATEs of the changed columns of each changed object;
    // DELETEs of the removed objects, children before parents. Nothing to
    // send: no statement at all. A failure rolls the session's transaction
    // back (see rollback()) and rethrows the database's error with the object
    // named in its message.
    void flush() {
        if (!has_work()) return;
        sort_stores();
        begin_if_needed();
        try {
            for (auto* s : order_) s->flush_inserts();
            for (auto* s : order_) s->flush_updates();
            for (auto it = order_.rbegin(); it != order_.rend(); ++it) (*it)->flush_deletes();
        } catch (...) {
            rollback_noexcept();
            throw;
        }
    }

    // Flushes, then commits the session's transaction (when it began one;
    // inside a transaction of the connection's own, commit() only flushes).
    void commit() {
        flush();
        if (transaction_) {
            transaction_->commit();
            transaction_.reset();
        }
        for (auto& s : stores_)
            if (s) s->after_commit(options_.expire_on_commit);
    }

    // Rolls the session's transaction back. The identity map then holds
    // nothing the database does not: objects inserted in the transaction and
    // objects still pending are expunged (detached), objects updated in it
    // (or changed in memory and not flushed) are expired, objects deleted in
    // it are back and expired.
    void rollback() {
        if (transaction_) {
            transaction_->rollback();
            transaction_.reset();
        }
        after_rollback(transaction_mark_);
    }

    // A savepoint: flushes, then SAVEPOINT. Its rollback() undoes what was
    // flushed since (the objects as rollback() treats them); release() keeps it.
    class nested_transaction {
    public:
        nested_transaction(const nested_transaction&) = delete;
        nested_transaction& operator=(const nested_transaction&) = delete;
        nested_transaction(nested_transaction&& o) noexcept
            : session_(std::exchange(o.session_, nullptr)), savepoint_(std::move(o.savepoint_)), mark_(o.mark_) {}
        // Left without release() or rollback(): rolled back.
        ~nested_transaction() {
            if (session_ && savepoint_.active()) {
                try {
                    savepoint_.rollback();
                } catch (...) {
                }
                session_->after_rollback_noexcept(mark_);
            }
        }
        void release() {
            session_->flush();
            savepoint_.release();
        }
        void rollback() {
            savepoint_.rollback();
            session_->after_rollback(mark_);
        }

    private:
        friend class session;
        using savepoint_type = typename Connection::savepoint;
        nested_transaction(session* s, savepoint_type sp, std::uint64_t mark)
            : session_(s), savepoint_(std::move(sp)), mark_(mark) {}
        session* session_;
        savepoint_type savepoint_;
        std::uint64_t mark_;
    };

    [[nodiscard]] nested_transaction begin_nested() {
        flush();
        begin_if_needed();
        if (!transaction_) throw session_error("begin_nested() needs the session's own transaction");
        const std::uint64_t start = ++mark_;
        return nested_transaction(this, transaction_->savepoint(), start);
    }

    bool in_transaction() const noexcept { return transaction_.has_value(); }

    // --- introspection ---------------------------------------------------------------------------

    Connection& connection() noexcept { return *db_; }
    const session_options& options() const noexcept { return options_; }
    void set_autoflush(bool on) noexcept { options_.autoflush = on; }
    // The objects the session holds (pending, persistent and deleted).
    std::size_t size() const noexcept {
        std::size_t n = 0;
        for (const auto& s : stores_)
            if (s) n += s->size();
        return n;
    }
    // Whether a flush now would have anything to look at (pending, removed or touched objects).
    bool has_work() const noexcept {
        for (const auto& s : stores_)
            if (s && s->has_work()) return true;
        return false;
    }

private:
    friend struct detail::cascade_access;
    friend struct detail::async_session_access;
    template <table_type T>
    using store_type = detail::table_store<Connection, std::remove_cvref_t<T>>;

    template <class Model, class Rel>
    static constexpr void check_child_relationship() {
        static_assert(std::is_same_v<Model, typename Rel::owner_table::ctorm_model>,
                      "ctorm: s.append / s.remove_from(parent, relationship, child): the relationship belongs to "
                      "another table than the parent's");
        static_assert(Rel::kind != relationship_kind::many_to_one,
                      "ctorm: s.append / s.remove_from take the parent's side of a relationship (one_to_many, "
                      "one_to_one or many_to_many), not a many_to_one");
        if constexpr (Rel::kind == relationship_kind::many_to_many) {
            using through = typename Rel::through_table;
            using key = primary_key_t<typename through::table>;
            (void)assert_association_key_is_its_foreign_keys<
                Rel, key::size == 2 && meta::contains<typename through::owner_key, key> &&
                         meta::contains<typename through::target_key, key>>::check();
        }
    }
    // Sets a child's column from its parent's (at flush): its address names the link's relationship.
    template <class ChildColumn, class ParentColumn, class ParentModel>
    static void set_from_parent(typename ChildColumn::table_type::ctorm_model& child,
                                const detail::entry_base& parent) {
        child.*(ChildColumn::member) =
            static_cast<const detail::entry<ParentModel>&>(parent).object.*(ParentColumn::member);
    }
    // The link holds a reference to the parent until the flush sets the key.
    template <class ChildColumn, class ParentColumn, class ParentModel, class ChildModel>
    void link_to(detail::entry<ParentModel>& parent, detail::entry<ChildModel>& child) {
        ++parent.references;
        store_for<typename ChildColumn::table_type>().link(
            &child,
            {&parent, &set_from_parent<ChildColumn, ParentColumn, ParentModel>,
             [](detail::entry_base* e) noexcept { detail::release(static_cast<detail::entry<ParentModel>*>(e)); }});
    }
    // The association row of owner and target: a pending one appended and not
    // flushed is taken out of the session; else the row (the session's
    // object for it, or one made from the two keys, with nothing else read)
    // is removed: one DELETE by its key at flush, stale_data_error when no
    // such row exists.
    template <class Rel, class OwnerModel, class TargetModel>
    void remove_association(detail::entry<OwnerModel>& owner, detail::entry<TargetModel>& target) {
        using through = typename Rel::through_table;
        using assoc = typename through::table;
        auto& store = store_for<assoc>();
        constexpr auto to_owner = &set_from_parent<typename through::owner_key, typename Rel::owner_column, OwnerModel>;
        constexpr auto to_target =
            &set_from_parent<typename through::target_key, typename Rel::target_column, TargetModel>;
        for (auto* row : store.pending) {
            if (store.parent_of(row, to_owner) == &owner && store.parent_of(row, to_target) == &target) {
                store.remove(*row);  // pending: out of the session, links dropped with it
                return;
            }
        }
        if (owner.state != object_state::persistent || target.state != object_state::persistent)
            throw session_error("remove_from(): this " + std::string(Rel::target_table::ctorm_sql_name) +
                                " object is not one of " + Rel::describe() + " of " +
                                describe_object<typename Rel::owner_table>(owner.object));
        typename assoc::ctorm_model key_row{};
        key_row.*(through::owner_key::member) = owner.object.*(Rel::owner_column::member);
        key_row.*(through::target_key::member) = target.object.*(Rel::target_column::member);
        auto* e = store.find(mapping_traits<assoc>::key_of(key_row));
        if (!e) {
            e = store.make(std::move(key_row));
            e->state = object_state::persistent;
            e->expired = true;  // only its key is known
            store.remember(e);
        }
        store.remove(*e);
    }

    // Inlined at every get(): the store exists after a table's first use;
    // making it is out of line.
    template <table_type T>
    store_type<T>& store_for() {
        static_assert(mapping_traits<std::remove_cvref_t<T>>::check());
        const std::size_t index = detail::store_index<std::remove_cvref_t<T>>();
        if (index < stores_.size()) [[likely]]
            if (detail::store_base* s = stores_[index].get()) [[likely]]
                return static_cast<store_type<T>&>(*s);
        return make_store<T>(index);
    }
    template <table_type T>
    [[gnu::noinline]] store_type<T>& make_store(std::size_t index) {
        if (index >= stores_.size()) stores_.resize(index + 1);
        auto& slot = stores_[index];
        if (!slot) {
            slot = std::make_unique<store_type<T>>(db_, &mark_, this);
            order_dirty_ = true;
        }
        return static_cast<store_type<T>&>(*slot);
    }
    template <table_type T>
    store_type<T>* existing_store() {
        const std::size_t index = detail::store_index<std::remove_cvref_t<T>>();
        return index < stores_.size() ? static_cast<store_type<T>*>(stores_[index].get()) : nullptr;
    }

    template <class Model>
    detail::entry<Model>& in_session(const handle<Model>& h, const char* what) const {
        if (!h.entry_ || !h.entry_->store || h.entry_->store->owner != this)
            throw session_error(std::string(what) + ": the object is not in this session (" +
                                std::string(object_state_name(h.state())) + ")");
        return *h.entry_;
    }

    // all(q, options...), with check(rows) called on the query's objects
    // before any relationship is loaded (one() throws there on several rows).
    template <class Q, class Check, loader_option Option, loader_option... Options>
    auto all_loading(const Q& q, Check check, const Option&, const Options&...) {
        using T = typename detail::model_table<std::remove_cvref_t<Q>>::type;
        static_assert(!std::is_void_v<T>,
                      "ctorm: a query through the session selects whole models of one table (select(users)...); "
                      "for columns, expressions or select(a, b) of several models, use the connection: "
                      "s.connection().all(q)");
        (void)assert_loader_option_of_queried_table<T, typename Option::relationship>::check();
        ((void)assert_loader_option_of_queried_table<T, typename Options::relationship>::check(), ...);
        constexpr std::size_t joined =
            (std::size_t{detail::is_joined_option_v<Option>} + ... + std::size_t{detail::is_joined_option_v<Options>});
        (void)assert_one_joinedload_per_query<joined>::check();
        using joined_path = typename detail::first_joined<Option, Options...>::type;
        constexpr bool joined_ok = [] {
            if constexpr (joined_path::size == 0) {
                return true;
            } else {
                constexpr bool distinct = detail::joins_distinct_tables<joined_path>;
                (void)assert_joinedload_not_self_referential<joined_path, distinct>::check();
                return distinct;
            }
        }();
        if constexpr (std::is_same_v<typename Option::relationship::owner_table, T> &&
                      (std::is_same_v<typename Options::relationship::owner_table, T> && ...) && joined <= 1 &&
                      joined_ok) {
            using steps = typename detail::steps_of<Option, Options...>::type;
            using rels = typename detail::with_inverses<typename detail::relationships_of_steps<steps>::type>::type;
            if constexpr (joined_path::size == 0) {
                auto rows = all(q);
                check(rows);
                return load_steps<type_list<>>(steps{}, rels{}, std::move(rows), detail::related_tuple_t<rels>{});
            } else {
                // One statement brings the rows and the joined path's objects;
                // the other steps load from them as selectinload does.
                detail::related_tuple_t<rels> related;
                auto rows = load_joined(joined_path{}, q, related);
                check(rows);
                return load_steps<typename detail::joined_steps<joined_path>::type>(steps{}, rels{}, std::move(rows),
                                                                                    std::move(related));
            }
        } else {
            return loaded_result<typename T::ctorm_model>({}, {});  // only the rule's message is printed
        }
    }

    // q with LIMIT n, or with its own limit when that is smaller.
    template <class Q>
    static constexpr auto limited_to(const Q& q, std::int64_t n) {
        if constexpr (std::remove_cvref_t<Q>::options_type::limit)
            return q.limit(q.limit_value < n ? q.limit_value : n);
        else return q.limit(n);
    }

    template <class Store, class Q>
    handle<typename Store::model_type> load_one(Store& store, const Q& q, load_mode mode = load_mode::populate_existing,
                                                bool flush_first = true) {
        if (flush_first) before_query();
        typename Connection::backend_type::template cursor<std::remove_cvref_t<Q>> c(db_->backend(), q);
        if (!c.step()) return {};
        auto* fresh = store.read_entry([&](auto& object) { c.read(object); });
        return handle<typename Store::model_type>(store.load(fresh, mode));
    }

    template <class... Rels, class Model>
    loaded_result<Model, Rels...> load_all_of(std::vector<handle<Model>> owners) {
        std::tuple<detail::related_objects<Rels>...> related;
        (load_related<Rels>(std::span<const handle<Model>>(owners), std::get<detail::related_objects<Rels>>(related)),
         ...);
        return loaded_result<Model, Rels...>(std::move(owners), std::move(related));
    }

    // Each step in order (parents before children): a step whose parent is
    // void loads from the query's rows, any other from what its parent step
    // loaded (kept only for steps that are some step's parent).
    // JoinedSteps (a type_list) were loaded by the query's own statement: related has them already.
    template <class JoinedSteps, class... Steps, class... Rels, class Model>
    loaded_result<Model, Rels...> load_steps(type_list<Steps...>, type_list<Rels...>, std::vector<handle<Model>> rows,
                                             std::tuple<detail::related_objects<Rels>...> related) {
        using steps = type_list<Steps...>;
        std::tuple<detail::step_objects<Steps>...> loaded_by;
        auto step = [&]<class Step>(Step) {
            using rel = typename Step::relationship;
            using parent = typename Step::parent;
            auto& out = std::get<detail::related_objects<rel>>(related);
            auto* keep = [&] {
                if constexpr (detail::is_parent_in_v<Step, steps>)
                    return &std::get<detail::step_objects<Step>>(loaded_by).loaded;
                else return static_cast<decltype(detail::step_objects<Step>::loaded)*>(nullptr);
            }();
            auto load_from = [&](const auto& owners) {
                if constexpr (meta::contains<Step, JoinedSteps>) {
                    if (keep) keep_related<rel>(std::span(owners), out, *keep);
                } else {
                    load_related<rel>(std::span(owners), out, keep);
                }
                if constexpr (detail::gives_inverse_v<rel>) {
                    auto& back = std::get<detail::related_objects<inverse_t<rel>>>(related).of;
                    for (const auto& o : owners) {
                        const auto& got = out.of.find(o.identity())->second;
                        if constexpr (rel::collection) {
                            for (const auto& h : got) back.try_emplace(h.identity(), o);
                        } else if (got) {
                            back.try_emplace(got.identity(), o);
                        }
                    }
                }
            };
            if constexpr (std::is_void_v<parent>) load_from(std::as_const(rows));
            else load_from(std::get<detail::step_objects<parent>>(loaded_by).loaded);
        };
        (step(Steps{}), ...);
        return loaded_result<Model, Rels...>(std::move(rows), std::move(related));
    }

    // Rel's objects for these owners: their keys (Rel's owner column), each
    // once, in batches; each row read goes through the identity map and to
    // every owner with its key (the key as the row has it in the database).
    // An owner out already holds (an earlier level of the same relationship)
    // is not loaded again. keep: when not null, gets every owner's related
    // objects, in the owners' order (a nested step loads from them).
    template <class Rel, class Model>
    void load_related(std::span<const handle<Model>> owners, detail::related_objects<Rel>& out,
                      std::vector<handle<typename Rel::target_table::ctorm_model>>* keep = nullptr) {
        using owner_column = typename Rel::owner_column;
        using target_column = typename Rel::target_column;
        using key = detail::relationship_key_t<Rel>;
        using target_model = typename Rel::target_table::ctorm_model;
        using related = related_t<Rel>;
        // Each key's owners, as the slots of out.of their objects go to
        // (node-based: the addresses stay put); almost always one owner per
        // key, kept inline.
        struct slots {
            related* first = nullptr;
            std::vector<related*> more;
        };
        std::vector<key> keys;
        keys.reserve(owners.size());
        out.of.reserve(out.of.size() + owners.size());
        std::unordered_map<key, slots, detail::key_hash> owners_of;
        owners_of.reserve(owners.size());
        auto add_owner = [&](const key& k, related& slot) {
            auto [it, added] = owners_of.try_emplace(k);
            if (added) {
                keys.push_back(k);
                it->second.first = &slot;
            } else {
                it->second.more.push_back(&slot);
            }
        };
        for (const auto& o : owners) {
            auto [at, fresh_owner] = out.of.try_emplace(o.identity());
            if (!fresh_owner) continue;  // the same object twice
            const auto& value = o.get().*(owner_column::member);
            if constexpr (is_nullable_v<std::remove_cvref_t<decltype(value)>>) {
                if (value) add_owner(*value, at->second);  // NULL: no related object
            } else {
                add_owner(value, at->second);
            }
        }
        auto& store = store_for<typename Rel::target_table>();
        auto give = [](related& slot, const handle<target_model>& h) {
            if constexpr (Rel::collection) slot.push_back(h);
            else slot = h;
        };
        for (std::size_t start = 0; start < keys.size(); start += selectin_batch_size) {
            const std::size_t n = std::min(selectin_batch_size, keys.size() - start);
            const auto q = detail::selectin_query<Rel>(std::span<const key>(keys.data() + start, n));
            typename Connection::backend_type::template cursor<std::remove_cvref_t<decltype(q)>> c(db_->backend(), q);
            // Rows come ordered by the target's key, not grouped by owner:
            // the last owner found is tried first (runs of one owner's rows).
            const key* last_key = nullptr;
            const slots* last = nullptr;
            // Many-to-many: the row is the target's columns, then the owner's key.
            using row_type =
                std::conditional_t<Rel::kind == relationship_kind::many_to_many,
                                   typename statement_traits<std::remove_cvref_t<decltype(q)>>::row_type, std::tuple<>>;
            row_type row{};
            while (c.step()) {
                auto* fresh = store.read_entry([&](auto& object) {
                    if constexpr (Rel::kind == relationship_kind::many_to_many) {
                        c.read(row);
                        detail::move_columns<typename Rel::target_table::ctorm_columns>::into(object, row);
                    } else {
                        c.read(object);
                    }
                });
                const key& k = [&]() -> const key& {
                    if constexpr (Rel::kind == relationship_kind::many_to_many) {
                        const auto& read = std::get<std::tuple_size_v<row_type> - 1>(row);
                        if constexpr (is_nullable_v<std::remove_cvref_t<decltype(read)>>) return *read;
                        else return read;
                    } else {
                        const auto& read = fresh->object.*(target_column::member);
                        if constexpr (is_nullable_v<std::remove_cvref_t<decltype(read)>>) return *read;
                        else return read;
                    }
                }();
                const slots* to = nullptr;
                if (last_key && *last_key == k) {
                    to = last;
                } else if (auto it = owners_of.find(k); it != owners_of.end()) {
                    to = &it->second;
                    last_key = &it->first;
                    last = to;
                }
                handle<target_model> h(store.load(fresh, load_mode::keep_existing));
                if (!to) continue;
                give(*to->first, h);
                for (related* slot : to->more) give(*slot, h);
            }
        }
        if (keep) keep_related<Rel>(owners, out, *keep);
    }

    // Every owner's related objects, in the owners' order (a nested step loads from them).
    template <class Rel, class Model>
    static void keep_related(std::span<const handle<Model>> owners, const detail::related_objects<Rel>& out,
                             std::vector<handle<typename Rel::target_table::ctorm_model>>& keep) {
        for (const auto& o : owners) {
            const related_t<Rel>& r = out.of.find(o.identity())->second;
            if constexpr (Rel::collection) keep.insert(keep.end(), r.begin(), r.end());
            else if (r) keep.push_back(r);
        }
    }

    // The query's rows with the objects of a joined path Rels (parents
    // first), in one statement (joinedload): rows come ordered by the
    // query's order, then the owner's key, then each collection's key, so
    // the rows of one object are together. Each object goes once through
    // the identity map; a row whose columns of a level are NULL has nothing
    // there or below. Only what is needed is read: each level's key, and an
    // object's other columns on its first row.
    template <class... Rels, class Q, class Related>
    std::vector<handle<typename std::tuple_element_t<0, std::tuple<Rels...>>::owner_table::ctorm_model>> load_joined(
        type_list<Rels...> path, const Q& q, Related& related) {
        using first = std::tuple_element_t<0, std::tuple<Rels...>>;
        using owner = typename first::owner_table;
        using owner_model = typename owner::ctorm_model;
        before_query();
        const auto jq = detail::joined_query(path, q);
        using JQ = std::remove_cvref_t<decltype(jq)>;
        using cursor_type = typename Connection::backend_type::template cursor<JQ>;
        constexpr bool reads_parts =
            detail::reads_columns<cursor_type, detail::model_slots_t<typename owner::ctorm_columns>, owner_model>;
        static_assert(reads_parts,
                      "ctorm: joinedload needs a backend whose cursor reads a part of a row "
                      "(read_columns<First, Slots>(row), see docs/engine.md); use selectinload on this backend");
        if constexpr (reads_parts) return read_joined_rows(path, jq, related);
        else return {};  // only the rule's message is printed
    }
    // The rows of the joined statement jq, assembled as load_joined says.
    template <class... Rels, class JQ, class Related>
    std::vector<handle<typename std::tuple_element_t<0, std::tuple<Rels...>>::owner_table::ctorm_model>>
    read_joined_rows(type_list<Rels...>, const JQ& jq, Related& related) {
        using first = std::tuple_element_t<0, std::tuple<Rels...>>;
        using owner = typename first::owner_table;
        using owner_model = typename owner::ctorm_model;
        using owner_key = typename mapping_traits<owner>::key_type;
        using cursor_type = typename Connection::backend_type::template cursor<JQ>;
        auto& owner_store = store_for<owner>();
        std::vector<handle<owner_model>> rows;
        cursor_type c(db_->backend(), jq);
        std::tuple<joined_level<Rels>...> levels;
        owner_model probe{};
        std::optional<owner_key> last;
        while (c.step()) {
            detail::read_key_columns<typename owner::ctorm_columns, 0>(c, probe, primary_key_t<owner>{});
            owner_key k = mapping_traits<owner>::key_of(probe);
            if (!last || !(k == *last)) {
                auto* fresh = owner_store.read_entry([&](auto& object) {
                    c.template read_columns<0, detail::model_slots_t<typename owner::ctorm_columns>>(object);
                });
                handle<owner_model> h(owner_store.load(fresh, load_mode::keep_existing));
                auto& level = std::get<0>(levels);
                auto [at, added] = std::get<detail::related_objects<first>>(related).of.try_emplace(h.identity());
                level.slot = &at->second;
                level.fill = added;
                level.last.reset();
                if (added) rows.push_back(std::move(h));
                last = std::move(k);
            }
            read_joined_level<0, type_list<Rels...>, owner::ctorm_columns::size>(c, levels, related);
        }
        return rows;
    }

    // What the assembly of a joined row keeps of level Rel: the slot its
    // objects go to (the current parent's), whether to fill it (not when the
    // parent was already complete), and the last object's key.
    template <class Rel>
    struct joined_level {
        using target = typename Rel::target_table;
        related_t<Rel>* slot = nullptr;
        bool fill = false;
        std::optional<typename mapping_traits<target>::key_type> last;
        std::optional<non_null_t<typename detail::first_or_void<primary_key_t<target>>::type::value_type>> present;
        typename target::ctorm_model probe{};
    };

    // Level I of a joined row, its target's columns from column At.
    template <std::size_t I, class Path, std::size_t At, class Cursor, class Levels, class Related>
    void read_joined_level(Cursor& c, Levels& levels, Related& related) {
        using rels = typename detail::as_tuple<Path>::type;
        using rel = std::tuple_element_t<I, rels>;
        using target = typename rel::target_table;
        using columns = typename target::ctorm_columns;
        using target_model = typename target::ctorm_model;
        using key_column = typename detail::first_or_void<primary_key_t<target>>::type;
        constexpr bool last_level = I + 1 == Path::size;
        auto& level = std::get<I>(levels);
        c.template read_columns<At + meta::index_of<key_column, columns>, type_list<detail::optional_slot<key_column>>>(
            level.present);
        if (!level.present) return;  // NULL: nothing at this level or below
        if constexpr (!last_level) {
            // The key says whether this row continues the last object.
            detail::read_key_columns<columns, At>(c, level.probe, primary_key_t<target>{});
            auto k = mapping_traits<target>::key_of(level.probe);
            if (level.last && *level.last == k) {
                read_joined_level<I + 1, Path, At + columns::size>(c, levels, related);
                return;
            }
            level.last = std::move(k);
        }
        auto& store = store_for<target>();
        auto* fresh = store.read_entry(
            [&](auto& object) { c.template read_columns<At, detail::model_slots_t<columns>>(object); });
        handle<target_model> h(store.load(fresh, load_mode::keep_existing));
        if constexpr (!last_level) {
            using next_rel = std::tuple_element_t<I + 1, rels>;
            auto& next = std::get<I + 1>(levels);
            auto [at, added] = std::get<detail::related_objects<next_rel>>(related).of.try_emplace(h.identity());
            next.slot = &at->second;
            next.fill = added;
            next.last.reset();
        }
        if constexpr (last_level) {
            if (!level.fill) return;
            if constexpr (rel::collection) level.slot->push_back(std::move(h));
            else *level.slot = std::move(h);
        } else {
            if (level.fill) {
                if constexpr (rel::collection) level.slot->push_back(h);
                else *level.slot = h;
            }
            read_joined_level<I + 1, Path, At + columns::size>(c, levels, related);
        }
    }

    void before_query() {
        if (options_.autoflush) flush();
        begin_if_needed();
    }
    void begin_if_needed() {
        if (transaction_ || db_->in_transaction()) return;
        transaction_.emplace(db_->begin());
        transaction_mark_ = ++mark_;
    }
    // After a failed flush: the session's transaction is rolled back. In a
    // transaction of the connection's own, its owner decides.
    void rollback_noexcept() noexcept {
        if (!transaction_) return;
        transaction_.reset();  // ROLLBACK
        after_rollback_noexcept(transaction_mark_);
    }
    void after_rollback(std::uint64_t since) {
        for (auto& s : stores_)
            if (s) s->after_rollback(since);
    }
    void after_rollback_noexcept(std::uint64_t since) noexcept {
        try {
            after_rollback(since);
        } catch (...) {
        }
    }
    void sort_stores() {
        if (!order_dirty_) return;
        order_.clear();
        for (auto& s : stores_)
            if (s) order_.push_back(s.get());
        std::stable_sort(order_.begin(), order_.end(),
                         [](const detail::store_base* a, const detail::store_base* b) { return a->rank < b->rank; });
        order_dirty_ = false;
    }

    Connection* db_;
    session_options options_;
    std::vector<std::unique_ptr<detail::store_base>> stores_;  // by detail::store_index<T>()
    std::vector<detail::store_base*> order_;                   // the stores, parents first
    bool order_dirty_ = false;
    std::optional<typename Connection::transaction> transaction_;
    std::uint64_t mark_ = 0;
    std::uint64_t transaction_mark_ = 0;
};

}  // namespace ctorm
