// The ORM layer: the session (unit of work, identity map) and the generic
// repository, over any connection (<ctorm/sqlite.hpp>, <ctorm/postgres.hpp>) or a
// pool of them (<ctorm/engine/pool.hpp>).
#pragma once

#include "ctorm/orm/cascade.hpp"
#include "ctorm/orm/handle.hpp"
#include "ctorm/orm/loading.hpp"
#include "ctorm/orm/mapping.hpp"
#include "ctorm/orm/pooled_session.hpp"
#include "ctorm/orm/repository.hpp"
#include "ctorm/orm/session.hpp"
#include "ctorm/sql/relationship_query.hpp"
