// The operations a migration's author writes by hand, which diff never
// produces: rename_table, rename_column, execute (the one raw-SQL door) and
// bulk_insert (rows of literal values).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace ctorm::migrate {

// ALTER TABLE "table" RENAME TO "to". On PostgreSQL the table's constraints and
// indexes keep their names (as Alembic's rename_table leaves them).
struct rename_table {
    std::string table;  // the name it has
    std::string to;
    friend bool operator==(const rename_table&, const rename_table&) = default;
};

// ALTER TABLE "table" RENAME COLUMN "column" TO "to": the rename that diff
// reports as a possible_rename_column, confirmed. The data stays.
struct rename_column {
    std::string table, column;
    std::string to;
    friend bool operator==(const rename_column&, const rename_column&) = default;
};

// SQL text run as it is written, in the migration's transaction: the one
// explicit door for what no other operation says (a data fix, a trigger, a
// view). It is the author's text, never a user's value; grep for
// migrate::execute to find every use.
struct execute {
    std::string sql;
    friend bool operator==(const execute&, const execute&) = default;
};

// A value of a bulk_insert row, written into the statement as a literal (so
// that offline mode prints the same statement that runs): NULL, a boolean
// (1 / 0 on SQLite, true / false on PostgreSQL), an integer, a double, a
// string ('quoted', any ' doubled).
using literal = std::variant<std::nullptr_t, bool, std::int64_t, double, std::string>;

// INSERT INTO "table" ("c1", "c2") VALUES (...), (...): the rows a migration
// adds, a lookup table's contents for example. No rows, no statement.
struct bulk_insert {
    std::string table;
    std::vector<std::string> columns;
    std::vector<std::vector<literal>> rows;
    friend bool operator==(const bulk_insert&, const bulk_insert&) = default;
};

}  // namespace ctorm::migrate
