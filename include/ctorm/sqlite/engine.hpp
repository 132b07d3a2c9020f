// sqlite::create_engine(url, options): a pool of SQLite connections to one
// database (sqlite:///app.db, sqlite:///:memory:; see sqlite::connect).
//
// Each connection to sqlite:///:memory: would be a database of its own, so
// an in-memory engine keeps one connection (pool_size 1, max_overflow 0,
// whatever the options say): every checkout sees the same database, one
// thread at a time, and the others wait for it (up to the pool's timeout).
// A file database gets a connection per concurrent user, as many as the
// options allow; use journal_mode=wal so that readers do not wait for the
// writer.
#pragma once

#include <string>
#include <string_view>

#include "ctorm/engine/pool.hpp"
#include "ctorm/sqlite/connection.hpp"

namespace ctorm::sqlite {

using engine = ctorm::engine<connection>;

namespace detail {
inline bool is_memory_address(std::string_view address) {
    const url u = parse_url(address);
    return u.scheme == "sqlite" && (u.database == ":memory:" || u.database.empty());
}
}  // namespace detail

inline pool_options engine_options(std::string_view address, pool_options options) {
    if (detail::is_memory_address(address)) {
        options.pool_size = 1;
        options.max_overflow = 0;
    }
    return options;
}

// Parses the URL now (url_error); connects on first use.
inline engine create_engine(std::string address, pool_options options = {}) {
    const pool_options adjusted = engine_options(address, options);
    return engine(
        std::move(address), [](std::string_view a) { return connect(a); }, adjusted);
}

}  // namespace ctorm::sqlite
