// The umbrella header: schema, query language and both dialects. The database
// adapters are separate: <ctorm/sqlite.hpp> and <ctorm/postgres.hpp>.
#pragma once

#include "ctorm/dialect/postgres.hpp"
#include "ctorm/dialect/sqlite.hpp"
#include "ctorm/schema/column.hpp"
#include "ctorm/schema/extended_types.hpp"
#include "ctorm/schema/keys.hpp"
#include "ctorm/schema/options.hpp"
#include "ctorm/schema/relationship.hpp"
#include "ctorm/schema/table.hpp"
#include "ctorm/schema/types.hpp"
#include "ctorm/sql/compound.hpp"
#include "ctorm/sql/ddl.hpp"
#include "ctorm/sql/dynamic.hpp"
#include "ctorm/sql/expression.hpp"
#include "ctorm/sql/functions.hpp"
#include "ctorm/sql/insert.hpp"
#include "ctorm/sql/relationship_query.hpp"
#include "ctorm/sql/returning.hpp"
#include "ctorm/sql/select.hpp"
#include "ctorm/sql/statement.hpp"
#include "ctorm/sql/update.hpp"
