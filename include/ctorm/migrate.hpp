// The migration layer: the schema value, schema_of (the models), introspect
// (a live database), diff (the operations between two schemas), and render /
// apply (those operations as DDL, run in one transaction), the operations
// written by hand, and versioned migrations (registry, upgrade, downgrade,
// offline SQL), and autogenerate (the text of a new migration file).
#pragma once

#include "ctorm/migrate/autogenerate.hpp"
#include "ctorm/migrate/diff.hpp"
#include "ctorm/migrate/introspect.hpp"
#include "ctorm/migrate/operations.hpp"
#include "ctorm/migrate/schema.hpp"
#include "ctorm/migrate/schema_of.hpp"
#include "ctorm/migrate/script_operations.hpp"
#include "ctorm/migrate/snapshot.hpp"
#include "ctorm/migrate/versions.hpp"
