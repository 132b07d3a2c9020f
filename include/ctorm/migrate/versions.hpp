// Versioned migrations, as Alembic's revisions: migration (a revision id, its
// down revisions, a message, upgrade and downgrade operations), registry
// (validated: heads, history), a version table in the database, current,
// stamp, upgrade, downgrade, and offline mode (upgrade_sql / downgrade_sql).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "ctorm/migrate/diff.hpp"
#include "ctorm/migrate/introspect.hpp"
#include "ctorm/migrate/operations.hpp"
#include "ctorm/migrate/schema.hpp"

namespace ctorm::migrate {

// One migration. upgrade and downgrade return the operations (they are
// functions, so that offline mode can render them with no database); the
// operations carry the dialect's type names, so a registry is built for one
// dialect (a function template over D is the usual way). The operations run
// in the order written, each on its own (apply(db, {op})), all of them and the
// version table's update in one transaction.
struct migration {
    std::string revision;                     // [A-Za-z0-9_], at most 32 characters
    std::vector<std::string> down_revisions;  // none for a base, several for a merge
    std::string message;
    std::function<std::vector<operation>()> upgrade;
    std::function<std::vector<operation>()> downgrade;
};

// The name Alembic's version table has; give it to the registry to adopt a
// database that Alembic managed.
inline constexpr std::string_view alembic_version_table = "alembic_version";

// The migrations of a project, checked when made: a revision id given twice,
// a down revision that no migration has, a cycle, an id that is not a plain
// word (or is "head", "heads", "base") each throw migration_error naming the
// revision.
class registry {
public:
    explicit registry(std::vector<migration> migrations, std::string version_table = "ctorm_version")
        : migrations_(std::move(migrations)), version_table_(std::move(version_table)) {
        check_name(version_table_, "version table name");
        for (std::size_t i = 0; i < migrations_.size(); ++i) {
            const migration& m = migrations_[i];
            check_name(m.revision, "revision id");
            if (m.revision == "head" || m.revision == "heads" || m.revision == "base")
                throw migration_error("ctorm: migrate: revision id " + m.revision +
                                      " is a word upgrade and "
                                      "downgrade reserve; choose another");
            for (std::size_t j = 0; j < i; ++j)
                if (migrations_[j].revision == m.revision)
                    throw migration_error("ctorm: migrate: revision " + m.revision + " is defined twice");
            if (!m.upgrade || !m.downgrade)
                throw migration_error("ctorm: migrate: revision " + m.revision + " has no " +
                                      (m.upgrade ? "downgrade" : "upgrade") + " function");
        }
        for (const migration& m : migrations_)
            for (const std::string& down : m.down_revisions) {
                if (!find(down))
                    throw migration_error("ctorm: migrate: revision " + m.revision + " names down revision " + down +
                                          ", which no migration has");
                if (std::count(m.down_revisions.begin(), m.down_revisions.end(), down) > 1)
                    throw migration_error("ctorm: migrate: revision " + m.revision + " names down revision " + down +
                                          " twice");
            }
        order_ = topological_order();
    }

    const std::string& version_table() const noexcept { return version_table_; }
    const std::vector<migration>& migrations() const noexcept { return migrations_; }

    const migration* find(std::string_view revision) const {
        for (const migration& m : migrations_)
            if (m.revision == revision) return &m;
        return nullptr;
    }
    const migration& get(std::string_view revision) const {
        if (const migration* m = find(revision)) return *m;
        throw migration_error("ctorm: migrate: no migration has revision " + std::string(revision));
    }

    // The revisions no other revision names as its down revision, in the order given.
    std::vector<std::string> heads() const {
        std::vector<std::string> out;
        for (const migration& m : migrations_)
            if (children(m.revision).empty()) out.push_back(m.revision);
        return out;
    }
    std::vector<std::string> bases() const {
        std::vector<std::string> out;
        for (const migration& m : migrations_)
            if (m.down_revisions.empty()) out.push_back(m.revision);
        return out;
    }
    std::vector<std::string> children(std::string_view revision) const {
        std::vector<std::string> out;
        for (const migration& m : migrations_)
            for (const std::string& down : m.down_revisions)
                if (down == revision) out.push_back(m.revision);
        return out;
    }

    // Every revision, parents before children (ties in the order given).
    std::vector<const migration*> in_order() const {
        std::vector<const migration*> out;
        for (std::size_t i : order_) out.push_back(&migrations_[i]);
        return out;
    }
    // Every revision, newest first (children before parents), as `alembic history` lists them.
    std::vector<const migration*> history() const {
        std::vector<const migration*> out = in_order();
        std::reverse(out.begin(), out.end());
        return out;
    }

    // `revision` and every revision below it.
    std::vector<std::string> ancestors(std::string_view revision) const {
        std::vector<std::string> out{std::string(revision)};
        for (std::size_t i = 0; i < out.size(); ++i)
            for (const std::string& down : get(out[i]).down_revisions)
                if (std::find(out.begin(), out.end(), down) == out.end()) out.push_back(down);
        return out;
    }
    bool is_ancestor(std::string_view ancestor, std::string_view revision) const {
        const std::vector<std::string> all = ancestors(revision);
        return std::find(all.begin(), all.end(), ancestor) != all.end();
    }

private:
    static void check_name(const std::string& name, std::string_view what) {
        bool plain = !name.empty() && name.size() <= 32;
        for (char c : name)
            plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
        if (!plain)
            throw migration_error("ctorm: migrate: " + std::string(what) + " '" + name +
                                  "' must be 1 to 32 letters, digits or underscores");
    }

    // Positions in migrations_ (not pointers, so that a copy of the registry stays whole).
    std::vector<std::size_t> topological_order() const {
        std::vector<std::size_t> out;
        std::vector<bool> placed(migrations_.size(), false);
        auto is_placed = [&](const std::string& revision) {
            for (std::size_t i = 0; i < migrations_.size(); ++i)
                if (migrations_[i].revision == revision) return static_cast<bool>(placed[i]);
            return false;
        };
        for (bool progress = true; progress;) {
            progress = false;
            for (std::size_t i = 0; i < migrations_.size(); ++i) {
                if (placed[i]) continue;
                bool ready = true;
                for (const std::string& down : migrations_[i].down_revisions) ready = ready && is_placed(down);
                if (!ready) continue;
                placed[i] = true;
                out.push_back(i);
                progress = true;
            }
        }
        for (std::size_t i = 0; i < migrations_.size(); ++i)
            if (!placed[i])
                throw migration_error("ctorm: migrate: revision " + migrations_[i].revision +
                                      " is in a cycle of down revisions (or below one)");
        return out;
    }

    std::vector<migration> migrations_;
    std::string version_table_;
    std::vector<std::size_t> order_;
};

// One step of a plan: a migration run up or down.
struct migration_step {
    const migration* unit;
    bool up;
};

namespace detail {

inline bool contains_revision(const std::vector<std::string>& revisions, std::string_view r) {
    return std::find(revisions.begin(), revisions.end(), r) != revisions.end();
}

// The revisions a database at `heads` has: every head and every revision below one.
inline std::vector<std::string> applied_revisions(const registry& reg, const std::vector<std::string>& heads) {
    std::vector<std::string> out;
    for (const std::string& h : heads)
        for (std::string& r : reg.ancestors(h))
            if (!contains_revision(out, r)) out.push_back(std::move(r));
    return out;
}

inline void check_known(const registry& reg, const std::vector<std::string>& heads) {
    for (const std::string& h : heads)
        if (!reg.find(h))
            throw migration_error("ctorm: migrate: the database is at revision " + h +
                                  ", which no migration of the registry has");
}

inline std::string joined(const std::vector<std::string>& revisions) {
    std::string out;
    for (const std::string& r : revisions) out += (out.empty() ? "" : ", ") + r;
    return out;
}

inline std::string single_head(const registry& reg, std::string_view asked) {
    const std::vector<std::string> heads = reg.heads();
    if (heads.size() > 1)
        throw migration_error("ctorm: migrate: " + std::string(asked) + " is ambiguous: the registry has " +
                              std::to_string(heads.size()) + " heads (" + joined(heads) +
                              "); name one revision, ask for \"heads\", or add a merge revision");
    return heads.empty() ? std::string() : heads.front();
}

// "+N" / "-N": N, or nullopt when `target` is not relative.
inline std::optional<std::size_t> relative(std::string_view target, char sign) {
    if (target.size() < 2 || target.front() != sign) return std::nullopt;
    std::size_t n = 0;
    for (char c : target.substr(1)) {
        if (c < '0' || c > '9')
            throw migration_error("ctorm: migrate: " + std::string(target) + " is not a revision, " + sign + "N, " +
                                  (sign == '+' ? "head or heads" : "or base"));
        n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    if (n == 0) throw migration_error("ctorm: migrate: " + std::string(target) + " moves no revision");
    return n;
}

}  // namespace detail

// The migrations `upgrade` runs from a database at `heads` to `target`:
// "head" (the one head; several throw), "heads" (all of them), "+N" (the next
// N toward the one head) or a revision id (it and every revision below it).
// Parents before children.
inline std::vector<migration_step> upgrade_plan(const registry& reg, const std::vector<std::string>& heads,
                                                std::string_view target) {
    detail::check_known(reg, heads);
    const std::vector<std::string> applied = detail::applied_revisions(reg, heads);
    std::vector<std::string> wanted;
    const std::optional<std::size_t> steps = detail::relative(target, '+');
    if (target == "heads") {
        wanted = detail::applied_revisions(reg, reg.heads());
    } else if (target == "head" || steps) {
        const std::string head = detail::single_head(reg, target);
        if (!head.empty()) wanted = reg.ancestors(head);
    } else {
        if (!reg.find(target))
            throw migration_error("ctorm: migrate: cannot upgrade to " + std::string(target) +
                                  ": no migration has that revision");
        wanted = reg.ancestors(target);
    }
    std::vector<migration_step> out;
    for (const migration* m : reg.in_order())
        if (detail::contains_revision(wanted, m->revision) && !detail::contains_revision(applied, m->revision))
            out.push_back({m, true});
    if (steps) {
        if (out.size() < *steps)
            throw migration_error("ctorm: migrate: cannot upgrade " + std::string(target) + ": only " +
                                  std::to_string(out.size()) + " revision(s) are left to the head");
        out.resize(*steps);
    }
    return out;
}

// The migrations `downgrade` runs from a database at `heads` to `target`:
// "base" (every applied one), "-N" (N below the one current revision, along
// each revision's first down revision) or a revision id, which must be
// applied (every applied revision above it). Children before parents.
inline std::vector<migration_step> downgrade_plan(const registry& reg, const std::vector<std::string>& heads,
                                                  std::string_view target) {
    detail::check_known(reg, heads);
    const std::vector<std::string> applied = detail::applied_revisions(reg, heads);
    std::vector<std::string> going;
    if (target == "base") {
        going = applied;
    } else {
        std::string to(target);
        if (const std::optional<std::size_t> steps = detail::relative(target, '-')) {
            if (heads.size() != 1)
                throw migration_error("ctorm: migrate: cannot downgrade " + std::string(target) +
                                      (heads.empty() ? ": the database is at base"
                                                     : ": the database has several heads (" + detail::joined(heads) +
                                                           "); name the revision to go down to"));
            to = heads.front();
            for (std::size_t i = 0; i < *steps; ++i) {
                const migration& m = reg.get(to);
                if (m.down_revisions.empty()) {
                    if (i + 1 == *steps) {
                        to.clear();
                        break;
                    }
                    throw migration_error("ctorm: migrate: cannot downgrade " + std::string(target) + ": only " +
                                          std::to_string(i + 1) + " revision(s) can be undone from " + heads.front());
                }
                to = m.down_revisions.front();
            }
        } else if (!reg.find(to)) {
            throw migration_error("ctorm: migrate: cannot downgrade to " + to + ": no migration has that revision");
        } else if (!detail::contains_revision(applied, to)) {
            throw migration_error("ctorm: migrate: cannot downgrade to " + to +
                                  ": the database is not at it or above it (current: " +
                                  (heads.empty() ? std::string("base") : detail::joined(heads)) + ")");
        }
        for (const std::string& r : applied)
            if (to.empty() || (r != to && reg.is_ancestor(to, r))) going.push_back(r);
    }
    std::vector<migration_step> out;
    const std::vector<const migration*> newest_first = reg.history();
    for (const migration* m : newest_first)
        if (detail::contains_revision(going, m->revision)) out.push_back({m, false});
    return out;
}

namespace detail {

// Statements that create and change the version table: the same text online
// and offline. Revision ids are plain words (registry checks them), so they
// are written as literals.
inline std::string create_version_table(const registry& reg) {
    const std::string& t = reg.version_table();
    return "CREATE TABLE IF NOT EXISTS " + quote(t) + " (\"version_num\" VARCHAR(32) NOT NULL, CONSTRAINT " +
           quote(t + "_pkc") + " PRIMARY KEY (\"version_num\"))";
}
inline std::string insert_version(const registry& reg, std::string_view r) {
    return "INSERT INTO " + quote(reg.version_table()) + " (\"version_num\") VALUES (" + string_literal(r) + ")";
}
inline std::string delete_version(const registry& reg, std::string_view r) {
    return "DELETE FROM " + quote(reg.version_table()) + " WHERE \"version_num\" = " + string_literal(r);
}
inline std::string update_version(const registry& reg, std::string_view from, std::string_view to) {
    return "UPDATE " + quote(reg.version_table()) + " SET \"version_num\" = " + string_literal(to) +
           " WHERE \"version_num\" = " + string_literal(from);
}

// The version-table statements of one step, and the heads after it. Up: the
// heads below it are replaced by it (an UPDATE, and for a merge a DELETE of
// the others; an INSERT for a base or a new branch). Down: it is replaced by
// those of its down revisions no other head stands on.
inline std::vector<std::string> version_statements(const registry& reg, const migration_step& step,
                                                   std::vector<std::string>& heads) {
    const migration& m = *step.unit;
    std::vector<std::string> out;
    if (step.up) {
        std::vector<std::string> below;
        for (const std::string& h : heads)
            if (contains_revision(m.down_revisions, h)) below.push_back(h);
        std::erase_if(heads, [&](const std::string& h) { return contains_revision(below, h); });
        heads.push_back(m.revision);
        if (below.empty()) return {insert_version(reg, m.revision)};
        for (std::size_t i = 1; i < below.size(); ++i) out.push_back(delete_version(reg, below[i]));
        out.push_back(update_version(reg, below.front(), m.revision));
        return out;
    }
    std::erase(heads, m.revision);
    std::vector<std::string> uncovered;
    for (const std::string& down : m.down_revisions) {
        bool covered = false;
        for (const std::string& h : heads) covered = covered || reg.is_ancestor(down, h);
        if (!covered) uncovered.push_back(down);
    }
    for (const std::string& r : uncovered) heads.push_back(r);
    if (uncovered.empty()) return {delete_version(reg, m.revision)};
    out.push_back(update_version(reg, m.revision, uncovered.front()));
    for (std::size_t i = 1; i < uncovered.size(); ++i) out.push_back(insert_version(reg, uncovered[i]));
    return out;
}

inline table_schema& table_named(schema& s, std::string_view name) {
    for (table_schema& t : s.tables)
        if (t.name == name) return t;
    throw migration_error("ctorm: migrate: an operation names table " + std::string(name) +
                          ", which the schema the migrations reach here does not have");
}

inline void rename_in(std::vector<std::string>& names, const std::string& from, const std::string& to) {
    for (std::string& n : names)
        if (n == from) n = to;
}

}  // namespace detail

// What schema `s` becomes after op (for offline mode, which has no database to
// introspect): execute and bulk_insert change nothing it holds.
inline void advance(schema& s, const operation& op) {
    if (const auto* a = std::get_if<add_table>(&op)) {
        s.tables.push_back(a->table);
    } else if (const auto* d = std::get_if<drop_table>(&op)) {
        (void)detail::table_named(s, d->table.name);
        std::erase_if(s.tables, [&](const table_schema& t) { return t.name == d->table.name; });
    } else if (const auto* rt = std::get_if<rename_table>(&op)) {
        detail::table_named(s, rt->table).name = rt->to;
        for (table_schema& t : s.tables)
            for (foreign_key_schema& fk : t.foreign_keys)
                if (fk.referred_table == rt->table) fk.referred_table = rt->to;
    } else if (const auto* rc = std::get_if<rename_column>(&op)) {
        table_schema& t = detail::table_named(s, rc->table);
        bool found = false;
        for (column_schema& c : t.columns)
            if (c.name == rc->column) {
                c.name = rc->to;
                found = true;
            }
        if (!found) throw migration_error("ctorm: migrate: table " + t.name + " has no column " + rc->column);
        detail::rename_in(t.primary_key, rc->column, rc->to);
        for (unique_schema& u : t.uniques) detail::rename_in(u.columns, rc->column, rc->to);
        for (index_schema& i : t.indexes) detail::rename_in(i.columns, rc->column, rc->to);
        for (foreign_key_schema& fk : t.foreign_keys) detail::rename_in(fk.columns, rc->column, rc->to);
        for (table_schema& other : s.tables)
            for (foreign_key_schema& fk : other.foreign_keys)
                if (fk.referred_table == t.name) detail::rename_in(fk.referred_columns, rc->column, rc->to);
    } else if (!std::holds_alternative<execute>(op) && !std::holds_alternative<bulk_insert>(op)) {
        detail::change(detail::table_named(s, detail::table_of(op)), op);
    }
}

namespace detail {

template <class D>
bool needs_batch_mode_for(const std::vector<operation>& ops) {
    if constexpr (ddl_traits<D>::batch_mode) {
        for (const operation& op : ops)
            if (!alters_in_place<D>(op)) return true;
    }
    return false;
}

inline std::vector<operation> operations_of(const migration_step& step) {
    return step.up ? step.unit->upgrade() : step.unit->downgrade();
}

// Offline: the statements of a plan from a database at `heads` whose schema
// is `s` (what the migrations up to there make).
template <class D>
std::vector<std::string> plan_sql(const registry& reg, const std::vector<migration_step>& plan,
                                  std::vector<std::string> heads, schema s, bool create_table) {
    std::vector<std::string> out;
    if (create_table) out.push_back(create_version_table(reg));
    for (const migration_step& step : plan) {
        const std::vector<operation> ops = operations_of(step);
        const bool batch = needs_batch_mode_for<D>(ops);
        if constexpr (ddl_traits<D>::batch_mode)
            if (batch) out.push_back(std::string(ddl_traits<D>::foreign_keys_off));
        out.push_back("BEGIN");
        for (const operation& op : ops) {
            append(out, render(std::vector<operation>{op}, D{}, s));
            advance(s, op);
        }
        append(out, version_statements(reg, step, heads));
        out.push_back("COMMIT");
        if constexpr (ddl_traits<D>::batch_mode)
            if (batch) out.push_back(std::string(ddl_traits<D>::foreign_keys_on));
    }
    return out;
}

// The schema the migrations make up to `heads`, from an empty database.
template <class D>
schema schema_at(const registry& reg, const std::vector<std::string>& heads) {
    schema s;
    for (const migration_step& step : upgrade_plan(reg, {}, "heads"))
        if (contains_revision(applied_revisions(reg, heads), step.unit->revision))
            for (const operation& op : step.unit->upgrade()) advance(s, op);
    return s;
}

inline std::vector<std::string> heads_of(std::string_view from) {
    if (from == "base" || from.empty()) return {};
    return {std::string(from)};
}

}  // namespace detail

// The schema the migrations make from base up to `heads` (the registry's heads
// when none are given), computed from their operations with no database, as
// offline mode does (advance), and normalized as schema_of is.
template <class D>
schema schema_of_migrations(const registry& reg, const std::vector<std::string>& heads, D = {}) {
    schema s = detail::schema_at<D>(reg, heads);
    normalize(s);
    return s;
}
template <class D>
schema schema_of_migrations(const registry& reg, D d = {}) {
    return schema_of_migrations<D>(reg, reg.heads(), d);
}

// Offline mode: the SQL that upgrade would run from revision `from` ("base"
// for an empty database) to `to` ("head", "heads", "+N", a revision), on
// dialect D, with no database: the version table's CREATE TABLE IF NOT EXISTS
// (from base), then each migration as BEGIN, its operations' statements, its
// version-table statements, COMMIT; on SQLite a migration that needs batch
// mode between PRAGMA foreign_keys = OFF and ON (the check of the foreign keys
// that apply does before COMMIT is not in the text). Batch mode reads the
// schema from the migrations themselves (advance), from base.
template <class D>
std::vector<std::string> upgrade_sql(const registry& reg, std::string_view from, std::string_view to, D = {}) {
    detail::check_dialect<D>();
    const std::vector<std::string> heads = detail::heads_of(from);
    return detail::plan_sql<D>(reg, upgrade_plan(reg, heads, to), heads, detail::schema_at<D>(reg, heads),
                               heads.empty());
}

// Offline mode for downgrade, from revision `from` to `to` ("base", "-N", a revision).
template <class D>
std::vector<std::string> downgrade_sql(const registry& reg, std::string_view from, std::string_view to, D = {}) {
    detail::check_dialect<D>();
    const std::vector<std::string> heads = detail::heads_of(from);
    return detail::plan_sql<D>(reg, downgrade_plan(reg, heads, to), heads, detail::schema_at<D>(reg, heads), false);
}

// How dialect D finds the version table.
template <class D>
struct version_table_traits;
template <>
struct version_table_traits<sqlite_dialect> {
    static constexpr std::string_view exists = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = ?";
};
template <>
struct version_table_traits<postgres_dialect> {
    static constexpr std::string_view exists =
        "SELECT c.relname::text FROM pg_catalog.pg_class c WHERE c.relname = $1 AND c.relkind IN ('r', 'p') "
        "AND c.relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = "
        "pg_catalog.current_schema())";
};

namespace detail {

template <class Db>
bool has_version_table(Db& db, const registry& reg) {
    using D = typename Db::dialect_type;
    return !read_catalog<std::string>(db, std::string(version_table_traits<D>::exists), {reg.version_table()}).empty();
}

}  // namespace detail

// The revisions the database is at (its version table's rows; several when
// branches are applied), in no particular order; empty at base (or with no
// version table).
template <class Db>
std::vector<std::string> current(Db& db, const registry& reg) {
    if (!detail::has_version_table(db, reg)) return {};
    std::vector<std::string> out;
    for (auto& [r] :
         detail::read_catalog<std::string>(db, "SELECT \"version_num\" FROM " + detail::quote(reg.version_table())))
        out.push_back(std::move(r));
    std::sort(out.begin(), out.end());
    return out;
}

// Sets the version table to `revision` ("base": empty; "head", "heads"), runs
// no migration: for a database made some other way (create_all), or adopted.
template <class Db>
void stamp(Db& db, const registry& reg, std::string_view revision) {
    std::vector<std::string> rows;
    if (revision == "heads") rows = reg.heads();
    else if (revision == "head") rows = {detail::single_head(reg, revision)};
    else if (revision != "base") rows = {reg.get(revision).revision};
    std::erase(rows, std::string());
    auto tx = db.begin();
    db.execute_script(detail::create_version_table(reg));
    db.execute_script("DELETE FROM " + detail::quote(reg.version_table()));
    for (const std::string& r : rows) db.execute_script(detail::insert_version(reg, r));
    tx.commit();
}

namespace detail {

// Runs a plan: each migration in its own transaction with its version-table
// statements, so a failure leaves the database at the revision before it. On
// SQLite a migration that needs batch mode runs with foreign keys off (which
// must be set outside the transaction); apply checks them before COMMIT.
template <class Db>
std::vector<std::string> run_plan(Db& db, const registry& reg, const std::vector<migration_step>& plan) {
    using D = typename Db::dialect_type;
    if (db.in_transaction())
        throw migration_error(
            "ctorm: migrate: upgrade and downgrade run each migration in a transaction of its "
            "own; call them with no transaction open");
    std::vector<std::string> statements;
    if (plan.empty()) return statements;
    if (!has_version_table(db, reg)) {
        statements.push_back(create_version_table(reg));
        db.execute_script(statements.back());
    }
    std::vector<std::string> heads = current(db, reg);
    for (const migration_step& step : plan) {
        const std::vector<operation> ops = operations_of(step);
        bool foreign_keys_off = false;
        if constexpr (ddl_traits<D>::batch_mode) {
            if (needs_batch_mode_for<D>(ops)) {
                const auto on = read_catalog<std::int64_t>(db, std::string(ddl_traits<D>::foreign_keys_query));
                if (!on.empty() && std::get<0>(on.front()) != 0) {
                    db.execute_script(std::string(ddl_traits<D>::foreign_keys_off));
                    foreign_keys_off = true;
                }
            }
        }
        try {
            auto tx = db.begin();
            for (const operation& op : ops) append(statements, apply(db, std::vector<operation>{op}));
            std::vector<std::string> next = heads;
            for (std::string& s : version_statements(reg, step, next)) {
                db.execute_script(s);
                statements.push_back(std::move(s));
            }
            tx.commit();
            heads = std::move(next);
        } catch (...) {
            if constexpr (ddl_traits<D>::batch_mode)
                if (foreign_keys_off) db.execute_script(std::string(ddl_traits<D>::foreign_keys_on));
            throw;
        }
        if constexpr (ddl_traits<D>::batch_mode)
            if (foreign_keys_off) db.execute_script(std::string(ddl_traits<D>::foreign_keys_on));
    }
    return statements;
}

}  // namespace detail

// Upgrades the database to `target` ("head", "heads", "+N", a revision); see
// upgrade_plan. Returns the statements run (the operations' and the version
// table's), which are upgrade_sql's without BEGIN / COMMIT and the pragmas.
template <class Db>
std::vector<std::string> upgrade(Db& db, const registry& reg, std::string_view target = "head") {
    return detail::run_plan(db, reg, upgrade_plan(reg, current(db, reg), target));
}

// Downgrades the database to `target` ("base", "-N", a revision); see downgrade_plan.
template <class Db>
std::vector<std::string> downgrade(Db& db, const registry& reg, std::string_view target) {
    return detail::run_plan(db, reg, downgrade_plan(reg, current(db, reg), target));
}

// `s` without the version table: what to compare with schema_of after introspect.
inline schema without_version_table(schema s, const registry& reg) {
    std::erase_if(s.tables, [&](const table_schema& t) { return t.name == reg.version_table(); });
    return s;
}

}  // namespace ctorm::migrate
