// postgres::create_engine(url, options): a pool of PostgreSQL connections
// to one server and database (a postgresql:// URL or a libpq keyword
// string; see postgres::connect). With pre_ping, a connection whose server
// session ended while it was idle (a restart, pg_terminate_backend,
// idle_session_timeout) is replaced before it is handed out.
#pragma once

#include <string>
#include <string_view>

#include "ctorm/engine/pool.hpp"
#include "ctorm/postgres/connection.hpp"

namespace ctorm::postgres {

using engine = ctorm::engine<connection>;

// Connects on first use.
inline engine create_engine(std::string address, pool_options options = {}) {
    return engine(
        std::move(address), [](std::string_view a) { return connect(a); }, options);
}

}  // namespace ctorm::postgres
