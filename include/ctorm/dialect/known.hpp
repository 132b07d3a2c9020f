// known_dialects: the dialects ctorm ships, the ones a statement whose pieces
// are chosen at run time (dynamic_select) can be rendered for.
#pragma once

#include "ctorm/dialect/postgres.hpp"
#include "ctorm/dialect/sqlite.hpp"
#include "ctorm/meta/type_list.hpp"

namespace ctorm::detail {

// A run-time piece of a statement is rendered through a function made, when
// the piece is added, for each dialect listed here (sql/dynamic.hpp), so a
// third dialect is added to this list and nowhere in sql/.
using known_dialects = type_list<sqlite_dialect, postgres_dialect>;

}  // namespace ctorm::detail
