// A session over a connection checked out of a pool (SQLAlchemy's
// sessionmaker bound to an engine): ctorm::pooled_session s(engine), or
// s(pool), is a ctorm::session in every way, and when it ends, after it
// rolled back what was not committed, its connection goes back to the pool.
#pragma once

#include "ctorm/engine/pool.hpp"
#include "ctorm/orm/session.hpp"

namespace ctorm {

namespace detail {
// Constructed before the session (a base listed first) and destroyed after it.
template <class Connection>
struct checkout_holder {
    typename pool<Connection>::checkout held;
};
}  // namespace detail

template <class Connection>
class pooled_session : private detail::checkout_holder<Connection>, public session<Connection> {
public:
    // Waits for a connection as pool.acquire() does (pool_timeout_error after the pool's timeout).
    explicit pooled_session(pool<Connection>& from, session_options options = {},
                            call_site where = call_site::current())
        : detail::checkout_holder<Connection>{from.acquire(where)}, session<Connection>(*this->held, options) {}

    // On a connection of an engine's pool.
    explicit pooled_session(engine<Connection>& from, session_options options = {},
                            call_site where = call_site::current())
        : pooled_session(from.pool(), options, where) {}

    // The checkout: held.invalidate() if the connection must not be reused.
    typename pool<Connection>::checkout& checkout() noexcept { return this->held; }
};

}  // namespace ctorm
