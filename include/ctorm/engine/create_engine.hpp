// ctorm::create_engine(address, options): an engine whose backend the address
// chooses at run time (SQLAlchemy's create_engine), so that one program,
// built once, runs on SQLite in its tests and on PostgreSQL in production:
//
//     auto engine = ctorm::create_engine(std::getenv("DATABASE_URL"), {.pool_size = 5});
//     auto db = engine.connect();              // a checkout of the chosen backend
//     db.all(select(users).where(users.is_active));
//     engine.run([&](auto& db) {               // db: sqlite::connection& or postgres::connection&
//         ctorm::session s(db);
//         s.add(users, User{.email = "ann@x.io", .name = "Ann"});
//         s.commit();
//     });
//
// sqlite:// addresses make a sqlite::engine, postgresql:// (or postgres://)
// URLs and libpq keyword strings ("host=... dbname=...") a postgres::engine;
// any other scheme is a url_error. Every statement is rendered for both
// dialects at compile time: the code that runs a statement is compiled for
// each backend, so a statement one of them cannot run (for_update on
// SQLite) is a compile error with that backend's ctorm message, before
// anything could be sent. The backend is chosen once per call of
// run()/visit() (once per checkout), or once per statement by the
// forwarding calls of a checkout (all, execute, ...): a switch, no virtual
// call, no per-value dispatch. Code that names its backend keeps the typed
// engines (sqlite::create_engine, postgres::create_engine), which pay nothing.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "ctorm/engine/pool.hpp"
#include "ctorm/postgres/engine.hpp"
#include "ctorm/sqlite/engine.hpp"

namespace ctorm {

enum class backend_kind { sqlite, postgresql };

// The backend an address names: sqlite:// is SQLite; postgresql://,
// postgres:// and libpq keyword strings are PostgreSQL. url_error otherwise.
inline backend_kind backend_of(std::string_view address) {
    const auto scheme_end = address.find("://");
    if (scheme_end == std::string_view::npos) {
        if (address.find('=') != std::string_view::npos) return backend_kind::postgresql;  // host=... dbname=...
        throw url_error(
            "not a database URL (expected sqlite:///file.db, sqlite:///:memory:, postgresql://... or "
            "a libpq keyword string such as \"host=... dbname=...\")",
            address);
    }
    const std::string_view scheme = address.substr(0, scheme_end);
    if (scheme == "sqlite") return backend_kind::sqlite;
    if (scheme == "postgresql" || scheme == "postgres") return backend_kind::postgresql;
    throw url_error(
        "unknown database URL scheme '" + std::string(scheme) + "' (ctorm's backends are sqlite:// and postgresql://)",
        address);
}

// A connection checked out of a runtime_engine: one of the backends'
// checkouts. visit(f) calls f with the connection (f must return the same
// type for both); all, first, one, one_or_none, scalar, execute,
// execute_script, create_all and drop_all forward to it.
class any_checkout {
public:
    using sqlite_checkout = typename pool<sqlite::connection>::checkout;
    using postgres_checkout = typename pool<postgres::connection>::checkout;

    explicit any_checkout(sqlite_checkout c) noexcept : held_(std::move(c)) {}
    explicit any_checkout(postgres_checkout c) noexcept : held_(std::move(c)) {}

    backend_kind backend() const noexcept {
        return held_.index() == 0 ? backend_kind::sqlite : backend_kind::postgresql;
    }

    template <class F>
    decltype(auto) visit(F&& f) {
        if (held_.index() == 0) return std::forward<F>(f)(**std::get_if<0>(&held_));
        return std::forward<F>(f)(**std::get_if<1>(&held_));
    }

    template <class Q>
    auto all(const Q& q) {
        return visit([&](auto& db) { return db.all(q); });
    }
    template <class Q>
    auto first(const Q& q) {
        return visit([&](auto& db) { return db.first(q); });
    }
    template <class Q>
    auto one(const Q& q) {
        return visit([&](auto& db) { return db.one(q); });
    }
    template <class Q>
    auto one_or_none(const Q& q) {
        return visit([&](auto& db) { return db.one_or_none(q); });
    }
    template <class Q>
    auto scalar(const Q& q) {
        return visit([&](auto& db) { return db.scalar(q); });
    }
    template <class Q>
    auto execute(const Q& q) {
        return visit([&](auto& db) { return db.execute(q); });
    }
    void execute_script(const std::string& sql) {
        visit([&](auto& db) { db.execute_script(sql); });
    }
    template <table_type... Ts>
    void create_all(const Ts&... tables) {
        visit([&](auto& db) { db.create_all(tables...); });
    }
    template <table_type... Ts>
    void drop_all(const Ts&... tables) {
        visit([&](auto& db) { db.drop_all(tables...); });
    }
    bool in_transaction() const noexcept {
        return held_.index() == 0 ? (*std::get_if<0>(&held_))->in_transaction()
                                  : (*std::get_if<1>(&held_))->in_transaction();
    }

    // The connection is not to be used again: closed when it comes back.
    void invalidate() noexcept {
        std::visit([](auto& c) { c.invalidate(); }, held_);
    }

private:
    std::variant<sqlite_checkout, postgres_checkout> held_;
};

// An engine of the backend its address names (see the top of this file).
// Movable; its checkouts must end before it does, as a pool's.
class runtime_engine {
public:
    runtime_engine(std::string address, pool_options options = {}) {
        if (backend_of(address) == backend_kind::sqlite) {
            const pool_options adjusted = sqlite::engine_options(address, options);  // parses the URL
            engine_ = std::make_unique<sqlite::engine>(
                std::move(address), [](std::string_view a) { return sqlite::connect(a); }, adjusted);
        } else
            engine_ = std::make_unique<postgres::engine>(
                std::move(address), [](std::string_view a) { return postgres::connect(a); }, options);
    }

    backend_kind backend() const noexcept {
        return engine_.index() == 0 ? backend_kind::sqlite : backend_kind::postgresql;
    }
    // "sqlite" or "postgresql": the dialect's name.
    std::string_view dialect_name() const noexcept {
        return engine_.index() == 0 ? sqlite_dialect::name : postgres_dialect::name;
    }

    // f(sqlite::engine&) or f(postgres::engine&): the typed engine (its pool, hooks, statistics).
    template <class F>
    decltype(auto) visit(F&& f) {
        if (engine_.index() == 0) return std::forward<F>(f)(**std::get_if<0>(&engine_));
        return std::forward<F>(f)(**std::get_if<1>(&engine_));
    }

    [[nodiscard]] any_checkout connect(call_site where = call_site::current()) {
        return visit([&](auto& e) { return any_checkout(e.connect(where)); });
    }

    // f(connection&) on a checkout that ends when f returns (or throws):
    // the backend is chosen once, and everything f runs is typed for it.
    template <class F>
    decltype(auto) run(F&& f, call_site where = call_site::current()) {
        return visit([&](auto& e) -> decltype(auto) {
            auto held = e.connect(where);
            return std::forward<F>(f)(*held);
        });
    }

    pool_statistics statistics() {
        return visit([](auto& e) { return e.pool().statistics(); });
    }
    void dispose() {
        visit([](auto& e) { e.dispose(); });
    }
    // The address as given (it may hold a password: do not print it).
    const std::string& address() {
        return visit([](auto& e) -> const std::string& { return e.address(); });
    }

private:
    std::variant<std::unique_ptr<sqlite::engine>, std::unique_ptr<postgres::engine>> engine_;
};

// Tells the backend from the address now (url_error for an unknown scheme;
// a SQLite URL is parsed now too, as sqlite::create_engine does); connects
// on first use.
inline runtime_engine create_engine(std::string address, pool_options options = {}) {
    return runtime_engine(std::move(address), options);
}

}  // namespace ctorm
