// The migration layer: the schema value, schema_of (the models), introspect
// (a live database) and diff (the operations between two schemas).
#pragma once

#include "ctorm/migrate/diff.hpp"
#include "ctorm/migrate/introspect.hpp"
#include "ctorm/migrate/schema.hpp"
#include "ctorm/migrate/schema_of.hpp"
