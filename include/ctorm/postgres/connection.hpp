// ctorm::postgres::connection: libpq with each statement prepared once per
// connection (PQprepare, generated names), binary parameters and results,
// transactions with isolation levels, savepoints, SQLSTATE-classified errors.
#pragma once

#include <libpq-fe.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ctorm/dialect/postgres.hpp"
#include "ctorm/engine/transaction.hpp"
#include "ctorm/engine/url.hpp"
#include "ctorm/errors.hpp"
#include "ctorm/postgres/values.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/sql/ddl.hpp"
#include "ctorm/sql/dynamic.hpp"
#include "ctorm/sql/insert.hpp"
#include "ctorm/sql/statement.hpp"

namespace ctorm {

namespace postgres {

enum class isolation { read_committed, repeatable_read, serializable };

namespace detail {

inline std::size_t next_statement_slot() {
    static std::atomic<std::size_t> counter{0};
    return counter.fetch_add(1, std::memory_order_relaxed);
}
template <class Statement>
std::size_t statement_slot() {
    static const std::size_t slot = next_statement_slot();
    return slot;
}

// A libpq keyword string with the values of password-like keys replaced by
// ***, and anything that looks like URL user info (between "://" or ':' and
// '@') hidden too, for messages about text that could not be parsed.
inline std::string redact_keyword_string(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        bool secret = false;
        for (std::string_view key : {std::string_view("password"), std::string_view("sslpassword")}) {
            if (text.substr(i, key.size()) == key && (i == 0 || text[i - 1] == ' ')) {
                std::size_t j = i + key.size();
                while (j < text.size() && text[j] == ' ') ++j;
                if (j < text.size() && text[j] == '=') {
                    out.append(text.substr(i, j + 1 - i));
                    out += "***";
                    ++j;
                    while (j < text.size() && text[j] == ' ') ++j;
                    if (j < text.size() && text[j] == '\'') {
                        ++j;
                        while (j < text.size() && text[j] != '\'') j += (text[j] == '\\') ? 2 : 1;
                        ++j;
                    } else {
                        while (j < text.size() && text[j] != ' ') ++j;
                    }
                    i = j;
                    secret = true;
                    break;
                }
            }
        }
        if (!secret) out.push_back(text[i++]);
    }
    // user:secret@host in something URL-like
    if (const auto at = out.rfind('@'); at != std::string::npos) {
        const auto colon = out.rfind(':', at);
        if (colon != std::string::npos) out.replace(colon + 1, at - colon - 1, "***");
    }
    return out;
}

struct result_deleter {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using result_ptr = std::unique_ptr<PGresult, result_deleter>;

}  // namespace detail

namespace detail {

template <class Q>
constexpr bool reports_generated_key_impl() {
    using traits = statement_traits<Q>;
    if constexpr (requires { requires traits::is_insert; })
        return !std::is_void_v<ctorm::detail::autoincrement_key_t<typename Q::table_type>>;
    else return false;
}
template <class Q>
inline constexpr bool reports_generated_key = reports_generated_key_impl<Q>();

// Q followed by RETURNING "<key>": text fixed by the type, values from Q.
template <class Q>
struct with_generated_key {
    const Q* statement;
    using key = ctorm::detail::autoincrement_key_t<typename Q::table_type>;
    struct traits : statement_traits<Q> {};
    template <class D, class W>
    static constexpr void render(W& w) {
        Q::template render<D>(w);
        w.put(" RETURNING ");
        ctorm::detail::put_quoted(w, key::sql_name);
    }
    template <class F>
    void visit_params(F& f) const {
        statement->visit_params(f);
    }
    template <class Row, class F>
    void visit_row_params(const Row& row, F& f) const {
        statement->visit_row_params(row, f);
    }
    auto bulk_rows() const { return statement->bulk_rows(); }
};

}  // namespace detail

class connection;
using transaction = basic_transaction<connection>;
using savepoint = basic_savepoint<connection>;

template <class Statement>
class result;

class connection {
public:
    // conninfo: a postgresql:// URL or a libpq keyword string ("host=… dbname=…").
    explicit connection(const std::string& conninfo, std::string redacted) : redacted_(std::move(redacted)) {
        conn_ = PQconnectdb(conninfo.c_str());
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
            std::string message = conn_ ? PQerrorMessage(conn_) : "out of memory";
            while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
            if (conn_) PQfinish(conn_);
            conn_ = nullptr;
            throw_postgres_error("08001", "cannot connect to " + redacted_ + ": " + message, {}, {});
        }
        // Server notices (e.g. "table does not exist, skipping") are not errors;
        // libpq would print them to stderr.
        PQsetNoticeProcessor(
            conn_, [](void*, const char*) {}, nullptr);
    }
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    connection(connection&& other) noexcept
        : conn_(std::exchange(other.conn_, nullptr)),
          redacted_(std::move(other.redacted_)),
          slots_(std::move(other.slots_)),
          by_text_(std::move(other.by_text_)),
          dynamic_(std::move(other.dynamic_)),
          prepared_(other.prepared_),
          savepoints_(other.savepoints_),
          echo_(std::move(other.echo_)) {}
    connection& operator=(connection&& other) noexcept {
        if (this != &other) {
            if (conn_) PQfinish(conn_);
            conn_ = std::exchange(other.conn_, nullptr);
            redacted_ = std::move(other.redacted_);
            slots_ = std::move(other.slots_);
            by_text_ = std::move(other.by_text_);
            dynamic_ = std::move(other.dynamic_);
            prepared_ = other.prepared_;
            savepoints_ = other.savepoints_;
            echo_ = std::move(other.echo_);
        }
        return *this;
    }
    ~connection() {
        if (conn_) PQfinish(conn_);
    }

    // --- running statements -------------------------------------------------

    // An insert into a table with an integer key runs with RETURNING <key>
    // added, so that last_insert_id is reported as on SQLite.
    template <class Q>
    auto execute(const Q& q) {
        using traits = statement_traits<Q>;
        if constexpr (traits::returns_rows) {
            return result<Q>(run(q));
        } else if constexpr (requires { requires traits::is_script; }) {
            command(std::string(to_sql<postgres_dialect, Q>()));
            return execute_result{};
        } else if constexpr (detail::reports_generated_key<Q>) {
            const detail::with_generated_key<Q> keyed{&q};
            if constexpr (traits::is_bulk) return execute_bulk(keyed);
            else {
                detail::result_ptr r = run(keyed);
                return execute_result{affected(r.get()), generated_key(r.get())};
            }
        } else if constexpr (traits::is_bulk) {
            return execute_bulk(q);
        } else {
            detail::result_ptr r = run(q);
            return execute_result{affected(r.get()), 0};
        }
    }

    template <class Q>
    auto all(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows, "ctorm: all() needs a select(...)");
        detail::result_ptr r = run(q);
        using reader = postgres::detail::row_reader<typename traits::slots>;
        const int n = PQntuples(r.get());
        std::vector<typename traits::row_type> rows(static_cast<std::size_t>(n));
        if (n > 0) reader::check_types(r.get());
        for (int i = 0; i < n; ++i) {
            if constexpr (std::is_same_v<typename traits::row_type, bool>) {  // vector<bool> has no bool&
                bool value{};
                reader::read(r.get(), i, value);
                rows[static_cast<std::size_t>(i)] = value;
            } else {
                reader::read(r.get(), i, rows[static_cast<std::size_t>(i)]);
            }
        }
        return rows;
    }

    template <class Q>
    auto first(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows, "ctorm: first() needs a select(...)");
        detail::result_ptr r = run(q);
        return read_first<Q>(r.get());
    }

    template <class Q>
    auto one(const Q& q) {
        auto row = one_or_none(q);
        if (!row) throw no_result_found(statement_text(q));
        return std::move(*row);
    }

    template <class Q>
    auto one_or_none(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows, "ctorm: one_or_none() needs a select(...)");
        detail::result_ptr r = run(q);
        if (PQntuples(r.get()) > 1) throw multiple_results_found(statement_text(q));
        return read_first<Q>(r.get());
    }

    template <class Q>
    auto scalar(const Q& q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows && traits::slots::size == 1,
                      "ctorm: scalar() needs a select of exactly one column or expression");
        auto row = first(q);
        if (!row) throw no_result_found(statement_text(q));
        return std::move(*row);
    }

    // --- schema -----------------------------------------------------------------

    template <table_type... Ts>
    void create_all(const Ts&...) {
        constexpr auto order = ctorm::detail::creation_order<Ts...>();
        constexpr std::string_view texts[] = {to_sql<postgres_dialect, create_table_statement<Ts>>()...};
        in_own_transaction([&] {
            for (std::size_t i : order) command(std::string(texts[i]));
        });
    }

    template <table_type... Ts>
    void drop_all(const Ts&...) {
        constexpr auto order = ctorm::detail::creation_order<Ts...>();
        constexpr std::string_view texts[] = {to_sql<postgres_dialect, drop_table_statement<Ts>>()...};
        in_own_transaction([&] {
            for (std::size_t k = order.size(); k-- > 0;) command(std::string(texts[order[k]]) + " CASCADE");
        });
    }

    // --- transactions --------------------------------------------------------

    [[nodiscard]] transaction begin(isolation level = isolation::read_committed) {
        if (in_transaction())
            throw transaction_error(
                "begin(): a transaction is already open on this connection; commit or roll it back first");
        command(level == isolation::serializable      ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                : level == isolation::repeatable_read ? "BEGIN ISOLATION LEVEL REPEATABLE READ"
                                                      : "BEGIN");
        return transaction(this);
    }

    bool in_transaction() const noexcept { return conn_ && PQtransactionStatus(conn_) != PQTRANS_IDLE; }

    // --- introspection ----------------------------------------------------------

    std::size_t statements_prepared() const noexcept { return prepared_; }
    void set_echo(std::function<void(std::string_view)> echo) { echo_ = std::move(echo); }
    PGconn* native_handle() const noexcept { return conn_; }

    // The explicit door for SQL text known only at run time; no parameters.
    void execute_script(const std::string& sql) { command(sql); }

private:
    template <class>
    friend class result;
    friend class basic_transaction<connection>;
    friend class basic_savepoint<connection>;

    struct prepared {
        std::string name;
    };

    void command(const std::string& sql) {
        if (echo_) echo_(sql);
        detail::result_ptr r(PQexec(conn_, sql.c_str()));
        check(r.get(), sql);
        // The server answers COMMIT of a transaction an error aborted with
        // ROLLBACK, and no error: that must not pass for a commit.
        if (sql == "COMMIT" && std::string_view(PQcmdStatus(r.get())) != "COMMIT") [[unlikely]]
            throw transaction_error(
                "commit(): the transaction had been aborted by an earlier error, so PostgreSQL rolled it back; "
                "nothing was committed");
    }
    void command_noexcept(const std::string& sql) noexcept { PQclear(PQexec(conn_, sql.c_str())); }
    std::uint64_t next_savepoint_id() noexcept { return ++savepoints_; }

    template <class F>
    void in_own_transaction(F body) {
        const bool own = !in_transaction();
        if (own) command("BEGIN");
        try {
            body();
            if (own) command("COMMIT");
        } catch (...) {
            if (own) command_noexcept("ROLLBACK");
            throw;
        }
    }

    [[noreturn]] void throw_result_error(const PGresult* r, std::string_view sql) const {
        const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
        const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
        const char* constraint = r ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : nullptr;
        std::string message = primary ? primary : PQerrorMessage(conn_);
        while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
        // No SQLSTATE: libpq itself failed, which means the connection.
        throw_postgres_error(state ? state : (PQstatus(conn_) == CONNECTION_BAD ? "08006" : ""), message, sql,
                             constraint ? constraint : "");
    }

    void check(const PGresult* r, std::string_view sql) const {
        const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) [[unlikely]]
            throw_result_error(r, sql);
    }

    static std::int64_t generated_key(const PGresult* r) {
        if (PQntuples(r) < 1 || PQnfields(r) < 1 || PQgetisnull(r, 0, 0)) return 0;
        return postgres::detail::read_integer<std::int64_t>(PQgetvalue(r, 0, 0), PQgetlength(r, 0, 0));
    }

    static std::int64_t affected(const PGresult* r) {
        const char* n = PQcmdTuples(const_cast<PGresult*>(r));
        std::int64_t v = 0;
        for (; n && *n; ++n) v = v * 10 + (*n - '0');
        return v;
    }

    // Prepares Q on first use of its type. Types with equal text and equal
    // parameter types share one server-side statement (int and int64_t values
    // give the same text but int4 and int8 parameters, which must not mix).
    template <class Q>
    const std::string& prepare(const Q& q) {
        const std::size_t slot = detail::statement_slot<std::remove_cvref_t<Q>>();
        if (slot < slots_.size()) {
            if (const prepared* p = slots_[slot]) [[likely]]
                return p->name;
        } else {
            slots_.resize(slot + 1, nullptr);
        }
        params_.clear();
        params_.collect_types = true;
        collect(q);
        params_.collect_types = false;
        slots_[slot] = prepare_typed(to_sql<postgres_dialect, Q>());
        return slots_[slot]->name;
    }

    // The statement for sql with the parameter types now in params_.types.
    const prepared* prepare_typed(std::string_view sql) {
        std::string key(sql);
        key.push_back('\0');
        for (Oid t : params_.types) key.append(std::to_string(t)).push_back(',');
        auto found = by_text_.find(key);
        if (found == by_text_.end()) {
            std::string name = "ctorm_" + std::to_string(by_text_.size() + 1);
            const std::string text(sql);
            detail::result_ptr r(PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(params_.types.size()),
                                           params_.types.data()));
            check(r.get(), sql);
            ++prepared_;
            found = by_text_.emplace(std::move(key), std::make_unique<prepared>(prepared{std::move(name)})).first;
        }
        return found->second.get();
    }

    template <class Q>
    void collect(const Q& q) {
        postgres::detail::param_writer w{params_};
        q.visit_params(w);
    }

    template <class Q>
    detail::result_ptr run(const Q& q) {
        if constexpr (is_dynamic_statement<Q>) {
            const std::string sql = q.template sql<postgres_dialect>();
            if (echo_) echo_(sql);
            const std::vector<bound_value> values = q.values();
            params_.clear();
            params_.collect_types = true;
            for (const bound_value& v : values) postgres::detail::put_value(params_, v);
            params_.collect_types = false;
            return exec_prepared(prepare_dynamic(sql), sql);
        } else {
            for (bool retried = false;; retried = true) {
                const std::string& name = prepare(q);
                if (echo_) echo_(to_sql<postgres_dialect, Q>());
                params_.clear();
                collect(q);
                try {
                    return exec_prepared(name, to_sql<postgres_dialect, Q>());
                } catch (const programming_error& e) {
                    // A table changed under a prepared statement ("cached plan must
                    // not change result type"). Outside a transaction nothing is lost
                    // by preparing again, once, as SQLite does by itself.
                    if (retried || e.sqlstate() != "0A000" || in_transaction()) throw;
                    forget_prepared_statements();
                }
            }
        }
    }

    void forget_prepared_statements() {
        command("DEALLOCATE ALL");
        slots_.assign(slots_.size(), nullptr);
        by_text_.clear();
        dynamic_.clear();
    }

    // Dynamic statements are prepared per (text, parameter types): a NULL has
    // no type, so the same text may need another preparation.
    const std::string& prepare_dynamic(const std::string& sql) {
        std::string key = sql;
        key.push_back('\0');
        for (Oid t : params_.types) key.append(std::to_string(t)).push_back(',');
        auto found = dynamic_.find(key);
        if (found != dynamic_.end()) return found->second;
        std::string name = "ctorm_d" + std::to_string(dynamic_.size() + 1);
        detail::result_ptr r(
            PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(params_.types.size()), params_.types.data()));
        check(r.get(), sql);
        ++prepared_;
        return dynamic_.emplace(std::move(key), std::move(name)).first->second;
    }

    template <class Q>
    static std::string statement_text(const Q& q) {
        if constexpr (is_dynamic_statement<Q>) return q.template sql<postgres_dialect>();
        else return std::string(to_sql<postgres_dialect, Q>());
    }

    detail::result_ptr exec_prepared(const std::string& name, std::string_view sql) {
        params_.finish();
        detail::result_ptr r(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params_.slots.size()),
                                            params_.values.data(), params_.lengths.data(), params_.formats.data(), 1));
        check(r.get(), sql);
        return r;
    }

    template <class Q>
    auto read_first(const PGresult* r) {
        using traits = statement_traits<Q>;
        using reader = postgres::detail::row_reader<typename traits::slots>;
        std::optional<typename traits::row_type> row;
        if (PQntuples(r) > 0) {
            reader::check_types(r);
            reader::read(r, 0, row.emplace());
        }
        return row;
    }

    template <class Q>
    execute_result execute_bulk(const Q& q) {
        // Parameter types from the first row; nothing to do without rows.
        execute_result out;
        if (q.bulk_rows().empty()) return out;
        const std::string* name = nullptr;
        {
            constexpr std::string_view sql = to_sql<postgres_dialect, Q>();
            const std::size_t slot = detail::statement_slot<std::remove_cvref_t<Q>>();
            if (slot >= slots_.size()) slots_.resize(slot + 1, nullptr);
            if (!slots_[slot]) {
                params_.clear();
                params_.collect_types = true;
                postgres::detail::param_writer w{params_};
                q.visit_row_params(q.bulk_rows().front(), w);
                params_.collect_types = false;
                slots_[slot] = prepare_typed(sql);
            }
            name = &slots_[slot]->name;
        }
        const bool own = !in_transaction();
        command(own ? "BEGIN" : "SAVEPOINT ctorm_bulk_insert");
        try {
            for (const auto& row : q.bulk_rows()) {
                params_.clear();
                postgres::detail::param_writer w{params_};
                q.visit_row_params(row, w);
                detail::result_ptr r = exec_prepared(*name, to_sql<postgres_dialect, Q>());
                out.rows_affected += affected(r.get());
                if (const std::int64_t key = generated_key(r.get())) out.last_insert_id = key;
            }
            command(own ? "COMMIT" : "RELEASE SAVEPOINT ctorm_bulk_insert");
        } catch (...) {
            if (own) {
                command_noexcept("ROLLBACK");
            } else {
                command_noexcept("ROLLBACK TO SAVEPOINT ctorm_bulk_insert");
                command_noexcept("RELEASE SAVEPOINT ctorm_bulk_insert");
            }
            throw;
        }
        return out;
    }

    PGconn* conn_ = nullptr;
    std::string redacted_;
    std::vector<const prepared*> slots_;
    std::unordered_map<std::string, std::unique_ptr<prepared>> by_text_;
    std::unordered_map<std::string, std::string> dynamic_;
    std::size_t prepared_ = 0;
    std::uint64_t savepoints_ = 0;
    std::function<void(std::string_view)> echo_;
    postgres::detail::param_buffer params_;
};

// The rows of a select. libpq delivers a statement's rows together, so the
// result holds them and decodes one row per step of the loop.
template <class Statement>
class result {
    using traits = statement_traits<Statement>;
    using reader = postgres::detail::row_reader<typename traits::slots>;

public:
    using row_type = typename traits::row_type;

    explicit result(detail::result_ptr r) : result_(std::move(r)), rows_(PQntuples(result_.get())) {
        if (rows_ > 0) reader::check_types(result_.get());
    }

    struct sentinel {};
    class iterator {
    public:
        using value_type = row_type;
        using difference_type = std::ptrdiff_t;
        row_type& operator*() const { return owner_->row_; }
        row_type* operator->() const { return &owner_->row_; }
        iterator& operator++() {
            owner_->advance();
            return *this;
        }
        void operator++(int) { owner_->advance(); }
        bool operator==(sentinel) const { return owner_->next_ > owner_->rows_; }

    private:
        friend class result;
        explicit iterator(result* owner) : owner_(owner) {}
        result* owner_;
    };

    iterator begin() {
        if (next_ == 0) advance();
        return iterator(this);
    }
    sentinel end() const { return {}; }

    std::vector<row_type> all() {
        std::vector<row_type> out;
        for (auto& row : *this) out.push_back(std::move(row));
        return out;
    }

private:
    void advance() {
        if (next_ < rows_) reader::read(result_.get(), next_, row_);
        ++next_;
    }

    detail::result_ptr result_;
    int rows_;
    int next_ = 0;
    row_type row_{};
};

// Opens a connection. Accepts what libpq accepts, checked first for a clear error:
//   postgresql://user:password@host:5432/db?sslmode=require&application_name=app
//   postgresql://host1:5432,host2:5433/db        (multi-host: the first that answers)
//   "host=localhost port=5432 dbname=app user=me" (libpq keyword string)
inline connection connect(std::string_view address) {
    const std::string text(address);
    if (address.starts_with("postgresql://") || address.starts_with("postgres://")) {
        const url u = parse_url(address);
        return connection(text, u.redacted());
    }
    if (address.find("://") != std::string_view::npos)
        throw url_error("postgres::connect needs a postgresql:// URL or a libpq keyword string", address);
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(text.c_str(), &error);
    if (!options) {
        // libpq's own message may quote the input, password included: say
        // what was expected instead, and show the text with secrets hidden.
        PQfreemem(error);
        throw url_error("cannot parse it as a postgresql:// URL or a libpq keyword string (key=value ...)",
                        detail::redact_keyword_string(address));
    }
    std::string redacted;
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (!o->val) continue;
        if (!redacted.empty()) redacted += ' ';
        redacted += o->keyword;
        redacted += '=';
        redacted += std::string_view(o->keyword) == "password" ? "***" : o->val;
    }
    PQconninfoFree(options);
    return connection(text, redacted);
}

}  // namespace postgres
}  // namespace ctorm
