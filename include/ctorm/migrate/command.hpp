// The migrate command: ctorm::migrate::main(argc, argv, migrations, tables...)
// makes a small program of a project's migrations and models that does what
// the alembic command does: revision [--autogenerate], upgrade, downgrade,
// current, history, heads, stamp, check, and --sql (offline). The URL's
// scheme chooses the backend (sqlite:// or postgresql://), as create_engine's.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "ctorm/migrate/autogenerate.hpp"
#include "ctorm/migrate/diff.hpp"
#include "ctorm/migrate/introspect.hpp"
#include "ctorm/migrate/operations.hpp"
#include "ctorm/migrate/schema_of.hpp"
#include "ctorm/migrate/snapshot.hpp"
#include "ctorm/migrate/versions.hpp"
#include "ctorm/postgres.hpp"
#include "ctorm/sqlite.hpp"

namespace ctorm::migrate {

// What the command exits with.
inline constexpr int exit_success = 0;
inline constexpr int exit_differs = 1;  // check: the models and the database differ
inline constexpr int exit_usage = 2;    // the command line is wrong (the usage is printed)
inline constexpr int exit_failure = 3;  // the command failed (a migration, the database, a file)

inline constexpr std::string_view command_usage =
    "usage: <program> [--url URL] <command> [arguments]\n"
    "\n"
    "commands:\n"
    "  upgrade [TARGET]            run the migrations up to TARGET (head, heads, +N, a revision; default head)\n"
    "  downgrade TARGET            undo the migrations down to TARGET (-N, base, a revision)\n"
    "  current                     print the revisions the database is at\n"
    "  history                     print every revision, newest first\n"
    "  heads                       print the head revisions\n"
    "  stamp REVISION              set the version table to REVISION (head, base, ...), run nothing\n"
    "  check                       exit 1 when the models and the database differ, 0 when they agree\n"
    "  revision -m MESSAGE         write a new migration file into --dir (default: the working directory)\n"
    "  snapshot                    print a header holding the schema the migrations leave at the head, for\n"
    "                              static_assert(ctorm::migrate::up_to_date<...>) (no database opened)\n"
    "\n"
    "options:\n"
    "  --url URL                   the database: sqlite:///path, postgresql://... (default: $CTORM_DATABASE_URL)\n"
    "  --sql                       upgrade / downgrade: print the SQL instead of running it, with no database;\n"
    "                              the target may be FROM:TO (FROM default base; downgrade needs FROM)\n"
    "  -m, --message MESSAGE       revision: the migration's message\n"
    "  --autogenerate              revision: the operations from the difference between the database and the models\n"
    "  --dir DIRECTORY             revision: where the file is written\n"
    "  --rev-id ID                 revision: the new revision's id (default: 12 random hexadecimal digits)\n"
    "  --from-migrations           revision --autogenerate: compare the models with the schema the migrations make\n"
    "                              (computed, no database opened) instead of with the database\n"
    "  --head REVISION             revision: the revision it revises (default: the one head); another makes a branch\n"
    "  -h, --help                  print this\n"
    "\n"
    "exit codes: 0 success, 1 check found differences, 2 a wrong command line, 3 a failure\n";

// The command line, parsed.
struct command_line {
    std::string command;
    std::vector<std::string> arguments;
    std::string url;
    std::string message;
    std::string directory = ".";
    std::string revision_id;
    std::string head;  // revision --head
    bool sql = false;
    bool autogenerate = false;
    bool from_migrations = false;  // revision --autogenerate --from-migrations
    bool help = false;
    bool has_message = false;
};

// A command line that is wrong: exit_usage, the message and the usage printed.
class usage_error : public error {
public:
    using error::error;
};

inline command_line parse_command_line(const std::vector<std::string>& args) {
    command_line out;
    std::vector<std::string> positional;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](std::string_view option) {
            const std::string with_equals = std::string(option) + "=";
            if (a.rfind(with_equals, 0) == 0) return a.substr(with_equals.size());
            if (i + 1 >= args.size()) throw usage_error("ctorm: migrate: " + std::string(option) + " needs a value");
            return args[++i];
        };
        auto is = [&](std::string_view option) { return a == option || a.rfind(std::string(option) + "=", 0) == 0; };
        if (a == "-h" || a == "--help") out.help = true;
        else if (a == "--sql") out.sql = true;
        else if (a == "--autogenerate") out.autogenerate = true;
        else if (a == "--from-migrations") out.from_migrations = true;
        else if (is("--url")) out.url = value("--url");
        else if (is("--dir")) out.directory = value("--dir");
        else if (is("--rev-id")) out.revision_id = value("--rev-id");
        else if (is("--head")) out.head = value("--head");
        else if (a == "-m" || is("--message")) {
            out.message = value(a == "-m" ? "-m" : "--message");
            out.has_message = true;
        } else if (a.size() > 1 && a.front() == '-' && !(a[1] >= '0' && a[1] <= '9'))
            throw usage_error("ctorm: migrate: unknown option " + a);
        else positional.push_back(a);
    }
    if (!positional.empty()) {
        out.command = positional.front();
        out.arguments.assign(positional.begin() + 1, positional.end());
    }
    if (out.url.empty())
        if (const char* env = std::getenv("CTORM_DATABASE_URL")) out.url = env;
    return out;
}

// One line saying what an operation does (check prints them).
inline std::string describe(const operation& op) {
    struct describer {
        std::string operator()(const add_table& o) const { return "add table " + o.table.name; }
        std::string operator()(const drop_table& o) const { return "drop table " + o.table.name; }
        std::string operator()(const add_column& o) const { return "add column " + o.table + "." + o.column.name; }
        std::string operator()(const drop_column& o) const { return "drop column " + o.table + "." + o.column.name; }
        std::string operator()(const possible_rename_column& o) const {
            return "possible rename of column " + o.table + "." + o.from.name + " to " + o.to.name;
        }
        std::string operator()(const alter_column_nullable& o) const {
            return "make column " + o.table + "." + o.column + (o.to ? " nullable" : " NOT NULL");
        }
        std::string operator()(const alter_column_type& o) const {
            return "change the type of column " + o.table + "." + o.column + " from " +
                   detail::source::type_text(o.from_type, o.from_max_length) + " to " +
                   detail::source::type_text(o.to_type, o.to_max_length);
        }
        std::string operator()(const alter_column_default& o) const {
            return "change the default of column " + o.table + "." + o.column + " from " +
                   (o.from.sql.empty() ? "none" : o.from.sql) + " to " + (o.to.sql.empty() ? "none" : o.to.sql);
        }
        std::string operator()(const alter_primary_key& o) const { return "change the primary key of " + o.table; }
        std::string operator()(const add_index& o) const { return "add index " + o.index.name + " on " + o.table; }
        std::string operator()(const drop_index& o) const { return "drop index " + o.index.name + " on " + o.table; }
        std::string operator()(const add_unique& o) const {
            return "add a unique constraint on " + o.table + " (" + detail::joined(o.unique.columns) + ")";
        }
        std::string operator()(const drop_unique& o) const {
            return "drop the unique constraint on " + o.table + " (" + detail::joined(o.unique.columns) + ")";
        }
        std::string operator()(const add_foreign_key& o) const {
            return "add a foreign key " + o.table + " (" + detail::joined(o.foreign_key.columns) + ") to " +
                   o.foreign_key.referred_table;
        }
        std::string operator()(const drop_foreign_key& o) const {
            return "drop the foreign key " + o.table + " (" + detail::joined(o.foreign_key.columns) + ") to " +
                   o.foreign_key.referred_table;
        }
        std::string operator()(const add_check& o) const { return "add check " + o.check.name + " on " + o.table; }
        std::string operator()(const drop_check& o) const { return "drop check " + o.check.name + " on " + o.table; }
        std::string operator()(const rename_table& o) const { return "rename table " + o.table + " to " + o.to; }
        std::string operator()(const rename_column& o) const {
            return "rename column " + o.table + "." + o.column + " to " + o.to;
        }
        std::string operator()(const execute&) const { return "execute SQL"; }
        std::string operator()(const bulk_insert& o) const {
            return "insert " + std::to_string(o.rows.size()) + " row(s) into " + o.table;
        }
    };
    return std::visit(describer{}, op);
}

namespace detail::command {

enum class backend { none, sqlite, postgresql };

inline backend backend_of(const std::string& url) {
    if (url.empty()) return backend::none;
    if (url.rfind("sqlite:", 0) == 0) return backend::sqlite;
    if (url.rfind("postgresql:", 0) == 0 || url.rfind("postgres:", 0) == 0 || url.find('=') != std::string::npos)
        return backend::postgresql;
    throw usage_error("ctorm: migrate: --url " + url +
                      ": the URL must begin with sqlite:// or postgresql:// (or be a libpq keyword string)");
}

template <class D, class Migrations>
registry registry_for(const Migrations& migrations) {
    if constexpr (std::is_same_v<Migrations, registry>) return migrations;
    else return migrations(D{});
}

inline std::string revisions_or_base(const std::vector<std::string>& revisions) {
    return revisions.empty() ? "<base>" : joined(revisions);
}

inline std::string head_mark(const registry& reg, const std::string& revision) {
    return reg.children(revision).empty() ? " (head)" : "";
}

inline void print_steps(std::ostream& out, const std::vector<migration_step>& plan) {
    for (const migration_step& step : plan) {
        const migration& m = *step.unit;
        if (step.up)
            out << "Running upgrade " << revisions_or_base(m.down_revisions) << " -> " << m.revision << ", "
                << m.message << "\n";
        else
            out << "Running downgrade " << m.revision << " -> " << revisions_or_base(m.down_revisions) << ", "
                << m.message << "\n";
    }
}

// revision's file name: <id>_<message in lower case, words joined by _>.hpp
inline std::string file_name(const std::string& revision, const std::string& message) {
    std::string slug;
    for (char c : message) {
        const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (word) slug += detail::to_lower(c);
        else if (!slug.empty() && slug.back() != '_') slug += '_';
        if (slug.size() >= 40) break;
    }
    while (!slug.empty() && slug.back() == '_') slug.pop_back();
    return revision + (slug.empty() ? "" : "_" + slug) + ".hpp";
}

template <class D>
constexpr const char* dialect_name() {
    return std::is_same_v<D, sqlite_dialect> ? "sqlite" : "postgresql";
}

template <class D, class Open, class Migrations, class... Tables>
int run(const command_line& cl, std::ostream& out, Open open, const Migrations& migrations, const Tables&... tables) {
    const registry reg = registry_for<D>(migrations);
    const std::string& c = cl.command;
    constexpr std::string_view known[] = {"upgrade", "downgrade", "current",  "history", "heads",
                                          "stamp",   "check",     "revision", "snapshot"};
    if (std::find(std::begin(known), std::end(known), c) == std::end(known))
        throw usage_error("ctorm: migrate: unknown command " + c);
    auto arguments = [&](std::size_t least, std::size_t most) {
        if (cl.arguments.size() < least || cl.arguments.size() > most)
            throw usage_error(
                "ctorm: migrate: " + c + " takes " +
                (least == most ? std::to_string(least) : std::to_string(least) + " to " + std::to_string(most)) +
                " argument(s), " + std::to_string(cl.arguments.size()) + " given");
    };
    auto models = [&] { return schema_of<D>(tables...); };

    if (c == "heads") {
        arguments(0, 0);
        for (const std::string& h : reg.heads()) out << h << " (head)\n";
        return exit_success;
    }
    if (c == "history") {
        arguments(0, 0);
        for (const migration* m : reg.history())
            out << revisions_or_base(m->down_revisions) << " -> " << m->revision << head_mark(reg, m->revision) << ", "
                << m->message << "\n";
        return exit_success;
    }
    if (c == "snapshot") {
        arguments(0, 0);
        const std::vector<std::string> heads = reg.heads();
        if (heads.size() > 1)
            throw migration_error("ctorm: migrate: snapshot: the registry has several heads (" + joined(heads) +
                                  "); add a merge revision first");
        out << snapshot_source(schema_of_migrations<D>(reg, heads), dialect_name<D>(),
                               heads.empty() ? std::string() : heads.front());
        return exit_success;
    }
    if ((c == "upgrade" || c == "downgrade") && cl.sql) {
        arguments(c == "upgrade" ? 0 : 1, 1);
        const std::string range = cl.arguments.empty() ? "head" : cl.arguments.front();
        const std::size_t colon = range.find(':');
        if (c == "downgrade" && colon == std::string::npos)
            throw usage_error("ctorm: migrate: downgrade --sql needs FROM:TO (there is no database to start from)");
        const std::string from = colon == std::string::npos ? "base" : range.substr(0, colon);
        const std::string to = colon == std::string::npos ? range : range.substr(colon + 1);
        const std::vector<std::string> sql =
            c == "upgrade" ? upgrade_sql(reg, from, to, D{}) : downgrade_sql(reg, from, to, D{});
        for (const std::string& s : sql) out << s << ";\n";
        return exit_success;
    }
    if (cl.sql) throw usage_error("ctorm: migrate: --sql is for upgrade and downgrade only");
    if (cl.from_migrations && !(c == "revision" && cl.autogenerate))
        throw usage_error("ctorm: migrate: --from-migrations is for revision --autogenerate only");
    if (c == "revision" && (!cl.autogenerate || cl.from_migrations)) {
        // Written with no database: the heads come from the registry.
    } else if (!open) {
        throw usage_error("ctorm: migrate: " + c + " needs a database: give --url (or set CTORM_DATABASE_URL)");
    }

    if (c == "upgrade") {
        arguments(0, 1);
        const std::string target = cl.arguments.empty() ? "head" : cl.arguments.front();
        auto db = open();
        const std::vector<migration_step> plan = upgrade_plan(reg, current(db, reg), target);
        if (plan.empty()) out << "Nothing to upgrade: the database is at " << target << "\n";
        print_steps(out, plan);
        upgrade(db, reg, target);
        return exit_success;
    }
    if (c == "downgrade") {
        arguments(1, 1);
        auto db = open();
        const std::vector<migration_step> plan = downgrade_plan(reg, current(db, reg), cl.arguments.front());
        if (plan.empty()) out << "Nothing to downgrade\n";
        print_steps(out, plan);
        downgrade(db, reg, cl.arguments.front());
        return exit_success;
    }
    if (c == "current") {
        arguments(0, 0);
        auto db = open();
        for (const std::string& r : current(db, reg)) out << r << head_mark(reg, r) << "\n";
        return exit_success;
    }
    if (c == "stamp") {
        arguments(1, 1);
        auto db = open();
        stamp(db, reg, cl.arguments.front());
        out << "Stamped " << cl.arguments.front() << "\n";
        return exit_success;
    }
    if (c == "check") {
        arguments(0, 0);
        auto db = open();
        const std::vector<operation> ops = diff(without_version_table(introspect(db), reg), models());
        if (ops.empty()) {
            out << "No differences between the models and the database\n";
            return exit_success;
        }
        out << "The models and the database differ (" << ops.size() << " operation(s) would make them agree):\n";
        for (const operation& op : ops) out << "  " << describe(op) << "\n";
        return exit_differs;
    }
    if (c == "revision") {
        arguments(0, 0);
        if (!cl.has_message || cl.message.empty())
            throw usage_error("ctorm: migrate: revision needs a message: -m \"what it does\"");
        std::vector<std::string> heads = reg.heads();
        if (!cl.head.empty())
            heads = cl.head == "base" ? std::vector<std::string>{} : std::vector{reg.get(cl.head).revision};
        else if (heads.size() > 1)
            throw migration_error("ctorm: migrate: the registry has " + std::to_string(heads.size()) + " heads (" +
                                  joined(heads) + "); name the one to revise with --head, or add a merge revision");
        const std::string id = cl.revision_id.empty() ? new_revision_id() : cl.revision_id;
        // The id names the file's function (revision_<id>), so it is checked here as the registry checks it.
        bool plain = !id.empty() && id.size() <= 32 && id != "head" && id != "heads" && id != "base";
        for (char ch : id)
            plain = plain &&
                    ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_');
        if (!plain)
            throw usage_error("ctorm: migrate: --rev-id " + id +
                              ": a revision id is 1 to 32 letters, digits or underscores, not head, heads or base");
        if (reg.find(id)) throw migration_error("ctorm: migrate: revision " + id + " exists already");
        std::vector<operation> ops;
        if (cl.autogenerate && cl.from_migrations) {
            // What the migrations up to `heads` make, computed as offline mode does (advance).
            ops = diff(schema_of_migrations<D>(reg, heads), models());
            if (ops.empty()) {
                out << "No changes between the models and the migrations: no file written\n";
                return exit_success;
            }
        } else if (cl.autogenerate) {
            auto db = open();
            std::vector<std::string> at = current(db, reg);
            std::vector<std::string> sorted_heads = heads;
            std::sort(sorted_heads.begin(), sorted_heads.end());
            if (at != sorted_heads)
                throw migration_error(
                    "ctorm: migrate: the database is not at the revision the new one revises (it is at " +
                    revisions_or_base(at) + ", the new revision follows " + revisions_or_base(heads) +
                    "); upgrade it first, or name its revision with --head");
            ops = diff(without_version_table(introspect(db), reg), models());
            if (ops.empty()) {
                out << "No changes between the models and the database: no file written\n";
                return exit_success;
            }
        }
        const std::filesystem::path dir(cl.directory);
        if (!std::filesystem::is_directory(dir))
            throw migration_error("ctorm: migrate: --dir " + cl.directory + " is not a directory");
        const std::filesystem::path path = dir / file_name(id, cl.message);
        if (std::filesystem::exists(path))
            throw migration_error("ctorm: migrate: " + path.string() + " exists already; not overwritten");
        const std::string text = migration_source({id, heads, cl.message, dialect_name<D>(), ops});
        std::ofstream file(path, std::ios::binary);
        file << text;
        file.close();
        if (!file) throw migration_error("ctorm: migrate: cannot write " + path.string());
        out << "Generating " << path.string() << " (" << ops.size() << " operation(s))\n";
        for (const operation& op : ops)
            out << "  " << (is_destructive(op) ? "WARNING, may lose data: " : "") << describe(op) << "\n";
        out << "Review it, then add #include \"" << path.filename().string() << "\" and migrations::revision_" << id
            << "() to the registry\n";
        return exit_success;
    }
    return exit_failure;  // not reached: every known command returned
}

}  // namespace detail::command

// Runs one command (args without the program's name), printing to out and
// err; returns the exit code (exit_success, exit_differs, exit_usage,
// exit_failure). `migrations` is a registry, or a function of a dialect
// returning one (`[](auto d) { return my_migrations<decltype(d)>(); }`), called
// with the dialect the URL chooses; `tables` are the models check and
// revision --autogenerate compare the database with.
template <class Migrations, class... Tables>
int run_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                const Migrations& migrations, const Tables&... tables) {
    namespace c = detail::command;
    try {
        const command_line cl = parse_command_line(args);
        if (cl.help) {
            out << command_usage;
            return exit_success;
        }
        if (cl.command.empty()) throw usage_error("ctorm: migrate: no command given");
        const c::backend b = c::backend_of(cl.url);
        if (b == c::backend::postgresql) {
            auto open = [&] { return postgres::connect(cl.url); };
            return c::run<postgres_dialect>(cl, out, std::function<postgres::connection()>(open), migrations,
                                            tables...);
        }
        std::function<sqlite::connection()> open;
        if (b == c::backend::sqlite) open = [&] { return sqlite::connect(cl.url); };
        return c::run<sqlite_dialect>(cl, out, open, migrations, tables...);
    } catch (const usage_error& e) {
        err << e.what() << "\nusage: <program> [--url URL] <command> [arguments]; --help lists the commands\n";
        return exit_usage;
    } catch (const std::exception& e) {
        err << e.what() << "\n";
        return exit_failure;
    }
}

// The migrate command's main: `int main(int argc, char** argv) { return
// ctorm::migrate::main(argc, argv, migrations, users, posts); }`.
template <class Migrations, class... Tables>
int main(int argc, char** argv, const Migrations& migrations, const Tables&... tables) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
    return run_command(args, std::cout, std::cerr, migrations, tables...);
}

}  // namespace ctorm::migrate
