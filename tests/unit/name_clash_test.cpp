// Under the README's `using namespace ctorm;`, a user's table may be named like
// anything ctorm implements: the query language's nodes, statements, clause
// lists and operator tags live in ctorm::detail, so a table called `items`,
// `param` or `select_statement` at namespace scope is not ambiguous with them.
//
// Names that still clash, and so are left out here: the public API itself
// (select, count, window, table, column, timestamp, sqlite_dialect, ...), the
// namespaces detail, meta and options, and, until their users in schema/ say
// detail::, type_list and fixed_string.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include <ctorm/ctorm.hpp>

using namespace ctorm;

struct clash_row {
    std::int64_t id{};
    std::string title;
};

// One table per name, with a select, an insert, an update and a delete on it,
// each rendered for SQLite.
#define CLASH_TABLE(name)                                                                                      \
    CTORM_TABLE(name, clash_row, (id, primary_key), (title));                                                  \
    static_assert(to_sql<sqlite_dialect>(select(name.id, name.title).where(name.id == 1).order_by(name.id)) == \
                  "SELECT \"" #name "\".\"id\", \"" #name "\".\"title\" FROM \"" #name "\" WHERE \"" #name     \
                  "\".\"id\" = ? ORDER BY \"" #name "\".\"id\"");                                              \
    static_assert(!to_sql<sqlite_dialect>(insert(name).values(name.title = "a")).empty());                     \
    static_assert(!to_sql<sqlite_dialect>(update(name).set(name.title = "b").where(name.id == 2)).empty());    \
    static_assert(!to_sql<sqlite_dialect>(delete_from(name).where(name.id == 3)).empty())

// The names the brief of issue 11 lists, and those ctorm used to declare in namespace ctorm.
CLASH_TABLE(items);
CLASH_TABLE(session);
CLASH_TABLE(result);
CLASH_TABLE(values);
CLASH_TABLE(order);
CLASH_TABLE(query);
CLASH_TABLE(statement);
CLASH_TABLE(rule);
CLASH_TABLE(op);
CLASH_TABLE(param);
CLASH_TABLE(binary);
CLASH_TABLE(not_);
CLASH_TABLE(null_test);
CLASH_TABLE(like_);
CLASH_TABLE(in_list);
CLASH_TABLE(between_);
CLASH_TABLE(order_term);
CLASH_TABLE(labeled);
CLASH_TABLE(count_star);
CLASH_TABLE(count_of);
CLASH_TABLE(dialect_cast);
CLASH_TABLE(cast_expression);
CLASH_TABLE(now_expression);
CLASH_TABLE(current_timestamp_expression);
CLASH_TABLE(current_date_expression);
CLASH_TABLE(arithmetic);
CLASH_TABLE(when_clause);
CLASH_TABLE(case_expression);
CLASH_TABLE(window_spec);
CLASH_TABLE(windowed);
CLASH_TABLE(scalar_subquery);
CLASH_TABLE(in_subquery);
CLASH_TABLE(exists_expression);
CLASH_TABLE(join_kind);
CLASH_TABLE(lock_mode);
CLASH_TABLE(select_options);
CLASH_TABLE(select_statement);
CLASH_TABLE(compound_select);
CLASH_TABLE(cte_table);
CLASH_TABLE(cte_column);
CLASH_TABLE(common_table);
CLASH_TABLE(derived_table);
CLASH_TABLE(with_statement);
CLASH_TABLE(returning_statement);
CLASH_TABLE(excluded_column);
CLASH_TABLE(upsert_statement);
CLASH_TABLE(insert_builder);
CLASH_TABLE(insert_model_statement);
CLASH_TABLE(insert_many_statement);
CLASH_TABLE(insert_values_statement);
CLASH_TABLE(update_statement);
CLASH_TABLE(delete_statement);
CLASH_TABLE(model_slot);
CLASH_TABLE(tuple_slot);
CLASH_TABLE(scalar_slot);
// The stopgaps that schema/ needed, and the old spellings of now() and current_date().
CLASH_TABLE(assignment);
CLASH_TABLE(precedence);
CLASH_TABLE(current_timestamp);
CLASH_TABLE(today);

#undef CLASH_TABLE

TEST_CASE("names: tables named like ctorm's implementation are used in every kind of query", "[unit]") {
    // A join, an aggregate, a subquery, a set operation and a CTE over tables with such names.
    static_assert(
        to_sql<sqlite_dialect>(select(items.title, count(order.id))
                                   .join(order, order.id == items.id)
                                   .group_by(items.title)
                                   .having(count(order.id) > 1)) ==
        R"(SELECT "items"."title", COUNT("order"."id") FROM "items" JOIN "order" ON "order"."id" = "items"."id" GROUP BY "items"."title" HAVING COUNT("order"."id") > ?)");
    static_assert(to_sql<postgres_dialect>(select(values.id).where(in_select(values.id, select(param.id)))) ==
                  R"(SELECT "values"."id" FROM "values" WHERE "values"."id" IN (SELECT "param"."id" FROM "param"))");
    static_assert(to_sql<postgres_dialect>(union_(select(query.title), select(statement.title))) ==
                  R"(SELECT "query"."title" FROM "query" UNION SELECT "statement"."title" FROM "statement")");
    constexpr auto recent = cte<"recent">(select(result.id).where(result.id > 10));
    static_assert(
        to_sql<postgres_dialect>(with_(recent, select(recent.c<"id">()))) ==
        R"(WITH "recent" ("id") AS (SELECT "result"."id" FROM "result" WHERE "result"."id" > $1) SELECT "recent"."id" FROM "recent")");
    static_assert(to_sql<postgres_dialect>(insert(session).values(session.title = "s").returning(session.id)) ==
                  R"(INSERT INTO "session" ("title") VALUES ($1) RETURNING "session"."id")");
    CHECK(to_sql<sqlite_dialect>(select(rule)).size() > 0);
}
