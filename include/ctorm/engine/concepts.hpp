// The protocols of ctorm, named: what an expression node, a statement, a
// dialect, a backend and a connection are. Everything above the adapters is
// written against these; each adapter ends with a static_assert that it
// models them, and basic_connection<B> checks B with one message per missing
// primitive.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "ctorm/sql/render.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm {

namespace detail {

// Tags a cursor made for a streaming result (it may outlive the call that
// made it, so the backend must not hand its statement to anyone else).
struct streaming_t {};

// Accepts any parameter, to ask whether a node can visit its parameters.
struct any_parameter_visitor {
    template <class V>
    constexpr void operator()(const V&) const noexcept {}
};

// Stands for any dialect where a concept asks for sql<D>().
struct probe_dialect {};

// The smallest statement that returns rows: one integer, no parameters.
// Used only to ask whether a backend can make a cursor.
struct probe_select {
    struct probe_expression {
        using value_type = std::int64_t;
    };
    struct traits : no_rows_traits {
        static constexpr bool returns_rows = true;
        using row_type = std::int64_t;
        using slots = type_list<scalar_slot<probe_expression>>;
    };
    template <class D, class W>
    static constexpr void render(W& w) {
        w.put("SELECT 1");
    }
    template <class F>
    constexpr void visit_params(F&) const {}
};

}  // namespace detail

// A statement whose text is made at run time (and kept by its maker, so the
// view stays valid) but whose parameters are typed: sql<D>() gives the text,
// visit_params(f) the values, as a static statement's do. The session's
// UPDATE of the changed columns is one (its text depends on which columns
// changed); the backends prepare it once per text.
template <class Q>
concept runtime_text_statement = requires(const Q& q, detail::any_parameter_visitor& f) {
    requires statement_traits<Q>::runtime_text;
    { q.template sql<detail::probe_dialect>() } -> std::convertible_to<std::string_view>;
    q.visit_params(f);
};

// A dialect: how SQL text is spelled for one database (dialect/*.hpp).
template <class D>
concept sql_dialect = requires(detail::length_writer& w) {
    { D::name } -> std::convertible_to<std::string_view>;
    { D::table_suffix } -> std::convertible_to<std::string_view>;
    D::placeholder(w);
};

// An expression node: a C++ value type, its parameters to visit, its text.
template <class E>
concept expression_node = std::derived_from<E, detail::expression_tag> && requires(const E& e) {
    typename E::value_type;
    e.visit_params(std::declval<detail::any_parameter_visitor&>());
};

// A statement: traits saying what running it gives, its parameters, its text.
template <class Q>
concept sql_statement = requires(const Q& q) {
    { statement_traits<Q>::returns_rows } -> std::convertible_to<bool>;
    { statement_traits<Q>::is_bulk } -> std::convertible_to<bool>;
    typename statement_traits<Q>::row_type;
    typename statement_traits<Q>::slots;
    q.visit_params(std::declval<detail::any_parameter_visitor&>());
};

// A statement rendered for dialect D.
template <class Q, class D>
concept sql_statement_for = sql_statement<Q> && sql_dialect<D> && requires(detail::length_writer& w) {
    Q::template render<D>(w);
};

namespace detail {

// The primitives one by one, so that a backend missing one is told which.
template <class B>
concept backend_names_dialect = requires {
    typename B::dialect;
}
&&sql_dialect<typename B::dialect>;
template <class B>
concept backend_names_transaction_options = requires {
    typename B::transaction_options;
    { B::begin_text(typename B::transaction_options{}) } -> std::convertible_to<std::string_view>;
};
template <class B>
concept backend_runs_scripts = requires(B& b, const std::string& sql) {
    b.run_script(sql);
    { b.run_script_noexcept(sql) }
    noexcept;
    { b.script_result() } -> std::same_as<execute_result>;
};
template <class B>
concept backend_knows_transaction_state = requires(const B& b) {
    { b.in_transaction() }
    noexcept->std::same_as<bool>;
};
template <class B>
concept backend_keeps_cache = requires(B& b, const B& cb) {
    {b.cache().echo};
    { cb.cache().prepared } -> std::convertible_to<std::size_t>;
    { b.cache().savepoints } -> std::convertible_to<std::uint64_t>;
    cb.native_handle();
    { B::binds_by_reference } -> std::convertible_to<bool>;
};
template <class B>
concept backend_moves = std::is_nothrow_move_constructible_v<B> && std::is_nothrow_move_assignable_v<B>;
template <class B>
concept backend_makes_cursors = requires(B& b, const probe_select& q, std::int64_t& row) {
    typename B::template cursor<probe_select>;
    requires std::constructible_from<typename B::template cursor<probe_select>, B&, const probe_select&>;
    requires std::constructible_from<typename B::template cursor<probe_select>, B&, const probe_select&, streaming_t>;
    { std::declval<typename B::template cursor<probe_select>&>().step() } -> std::same_as<bool>;
    std::declval<typename B::template cursor<probe_select>&>().read(row);
};

}  // namespace detail

// A backend: the primitives an adapter gives (open in its constructor,
// prepare and bind behind its cursor, step a cursor and read a row, run a
// command, run a script, transaction state, raise its errors). Statement
// types reach it only through cursor<Q>, run_command(q) and insert_rows(q, rows).
template <class B>
concept database_backend = detail::backend_names_dialect<B> && detail::backend_names_transaction_options<B> &&
    detail::backend_runs_scripts<B> && detail::backend_knows_transaction_state<B> && detail::backend_keeps_cache<B> &&
    detail::backend_moves<B> && detail::backend_makes_cursors<B>;

namespace detail {

// basic_connection<B>'s check: one message per missing primitive.
template <class B>
consteval bool check_backend() {
    static_assert(backend_names_dialect<B>,
                  "ctorm: a backend needs `using dialect = <a ctorm dialect>;` (see engine/concepts.hpp)");
    static_assert(backend_names_transaction_options<B>,
                  "ctorm: a backend needs `using transaction_options = ...;` and a static "
                  "begin_text(transaction_options) giving the BEGIN statement");
    static_assert(backend_runs_scripts<B>,
                  "ctorm: a backend needs run_script(const std::string&), run_script_noexcept(const std::string&) "
                  "noexcept and script_result()");
    static_assert(backend_knows_transaction_state<B>, "ctorm: a backend needs bool in_transaction() const noexcept");
    static_assert(backend_keeps_cache<B>,
                  "ctorm: a backend needs cache() (a detail::statement_cache), native_handle() and "
                  "binds_by_reference");
    static_assert(backend_moves<B>, "ctorm: a backend must be nothrow movable");
    static_assert(backend_makes_cursors<B>,
                  "ctorm: a backend needs template <class Q> class cursor, made from (backend&, const Q&) and "
                  "(backend&, const Q&, streaming_t), with bool step() and read(row&)");
    return true;
}

}  // namespace detail

// A connection: the public API that users and the layers above call.
template <class C>
concept database_connection = requires(C& c, const C& cc, const std::string& sql) {
    typename C::dialect_type;
    typename C::transaction;
    c.begin();
    { cc.in_transaction() } -> std::same_as<bool>;
    { cc.statements_prepared() } -> std::convertible_to<std::size_t>;
    c.set_echo(nullptr);
    c.execute_script(sql);
};

// A connection that can run the select Q (execute, all, first, one, one_or_none).
template <class C, class Q>
concept database_connection_for = database_connection<C> && sql_statement<Q> && requires(C& c, const Q& q) {
    c.execute(q);
    c.all(q);
    c.first(q);
    c.one(q);
    c.one_or_none(q);
};

}  // namespace ctorm
