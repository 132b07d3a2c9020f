// The objects of a session and the handles users hold to them. An object
// lives in an entry the session allocates; handles count references to it,
// so an object outlives the session that loaded it (then it is detached:
// plain data, never dangling). Mutable access through a handle marks the
// object for comparison at flush; read access does not.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ctorm/errors.hpp"

namespace ctorm {

// Where an object stands, as SQLAlchemy names it: transient (never in a
// session), pending (added, not inserted yet), persistent (a row of the
// database), deleted (its DELETE has been flushed, not yet committed),
// detached (no longer in a session: expunged, committed after delete, or
// the session is gone).
enum class object_state : std::uint8_t { transient, pending, persistent, deleted, detached };

constexpr std::string_view object_state_name(object_state s) noexcept {
    switch (s) {
        case object_state::transient: return "transient";
        case object_state::pending: return "pending";
        case object_state::persistent: return "persistent";
        case object_state::deleted: return "deleted";
        case object_state::detached: return "detached";
    }
    return "?";
}

// An object whose values the session no longer vouches for (expire(), a
// rollback, a bulk update of its table): reading it would show what the
// database may not hold, and reloading it behind the user's back would be
// hidden I/O, so it must be refreshed (s.refresh(obj)) or loaded again
// (s.get, a query through the session) first.
class expired_object_error : public error {
public:
    explicit expired_object_error(const std::string& object)
        : error("ctorm: " + object +
                " is expired (expire(), a rollback or a bulk statement on its table); reload it with "
                "s.refresh(obj), s.get(...) or a query through the session before using it") {}
};

// The session was used in a way its state does not allow.
class session_error : public error {
public:
    explicit session_error(std::string_view description) : error("ctorm: " + std::string(description)) {}
};

namespace detail {

template <class Model>
struct model_store;

// When an entry was last inserted, changed or deleted by a flush, against
// the session's running mark (a rollback to a mark undoes what came after it).
struct flush_marks {
    std::uint64_t inserted = 0, changed = 0, deleted = 0;
};

// What the session keeps for each object. Not thread-safe, as the session
// is not: a session and its handles belong to one thread at a time.
struct entry_base {
    std::uint32_t references = 0;  // the handles, and one while the session holds it
    object_state state = object_state::transient;
    bool expired = false;
    bool touched = false;       // a mutable reference was given out: compared at flush
    bool has_snapshot = false;  // snapshot holds the row as the database has it
    bool in_identity_map = false;
    bool deleting = false;  // remove() was called; the DELETE is not flushed yet
    flush_marks marks;
};

template <class Model>
struct entry : entry_base {
    Model object;
    Model snapshot{};
    model_store<Model>* store = nullptr;  // null once detached
    std::string (*describe)(const Model&) = nullptr;

    entry() = default;  // a spare entry, read into by the next row
    explicit entry(Model&& m) : object(std::move(m)) {}
};

// The part of a session's table store that knows only the model: what a
// handle and the session's per-object calls need.
template <class Model>
struct model_store {
    std::vector<entry<Model>*> touched;  // compared at flush
    const void* owner = nullptr;         // the session
    virtual void remove(entry<Model>& e) = 0;
    virtual void expunge(entry<Model>& e) noexcept = 0;
    virtual void refresh(entry<Model>& e) = 0;

protected:
    ~model_store() = default;
};

// The last reference frees the entry. The count is inlined at every handle
// copy and destruction; the freeing (the model's destructor) is not.
template <class Model>
[[gnu::noinline]] void destroy(entry<Model>* e) noexcept {
    delete e;
}
template <class Model>
inline void release(entry<Model>* e) noexcept {
    if (e && --e->references == 0) [[unlikely]]
        destroy(e);
}

// First mutable access: the object's row as the database has it is kept
// (a persistent object), and the object is listed for comparison at flush.
template <class Model>
[[gnu::noinline]] void touch(entry<Model>& e) {
    if (e.store) {
        if (e.state == object_state::persistent && !e.has_snapshot) {
            e.snapshot = e.object;
            e.has_snapshot = true;
        }
        e.store->touched.push_back(&e);
    }
    e.touched = true;
}

template <class Model>
[[noreturn, gnu::cold, gnu::noinline]] void throw_expired(const entry<Model>& e) {
    throw expired_object_error(e.describe ? e.describe(e.object) : std::string("an object"));
}

}  // namespace detail

// A reference to an object of a session: a smart pointer that never
// dangles. Copies share the object. While the object is in the session,
// *h and h-> are the session's object (every query through the session that
// returns its row gives the same one); after the session is gone or the
// object was expunged, it is a detached object that stays readable and
// writable as plain data. An empty handle (a get that found nothing) is false.
//
// h->field = value (or *h) marks the object for comparison at the next
// flush; std::as_const(h)->field, or a const handle, reads without marking.
template <class Model>
class handle {
public:
    using element_type = Model;

    handle() noexcept = default;
    handle(const handle& other) noexcept : entry_(other.entry_) {
        if (entry_) ++entry_->references;
    }
    handle(handle&& other) noexcept : entry_(std::exchange(other.entry_, nullptr)) {}
    handle& operator=(handle other) noexcept {
        std::swap(entry_, other.entry_);
        return *this;
    }
    ~handle() { detail::release(entry_); }

    explicit operator bool() const noexcept { return entry_ != nullptr; }

    Model& operator*() { return mutable_object(); }
    Model* operator->() { return &mutable_object(); }
    const Model& operator*() const { return object(); }
    const Model* operator->() const { return &object(); }

    // Read access, without marking the object for comparison.
    const Model& get() const { return object(); }

    object_state state() const noexcept { return entry_ ? entry_->state : object_state::transient; }
    bool expired() const noexcept { return entry_ && entry_->expired; }

    // The address that names the object (the same for every handle to it,
    // null for an empty handle): a key for maps of objects by identity.
    const void* identity() const noexcept { return entry_; }

    // Two handles to the same object (identity, not equal values).
    friend bool operator==(const handle& a, const handle& b) noexcept { return a.entry_ == b.entry_; }

private:
    template <class>
    friend class session;

    explicit handle(detail::entry<Model>* e) noexcept : entry_(e) {
        if (entry_) ++entry_->references;
    }

    const Model& object() const {
        if (!entry_) [[unlikely]]
            throw session_error("an empty handle was dereferenced (the get() or query found no row)");
        if (entry_->expired) [[unlikely]]
            detail::throw_expired(*entry_);
        return entry_->object;
    }
    Model& mutable_object() {
        const Model& m = object();
        if (!entry_->touched) [[unlikely]]
            detail::touch(*entry_);
        return const_cast<Model&>(m);
    }

    detail::entry<Model>* entry_ = nullptr;
};

}  // namespace ctorm
