// The PostgreSQL adapter (libpq) and everything above it.
#pragma once

#include "ctorm/ctorm.hpp"
#include "ctorm/postgres/connection.hpp"
#include "ctorm/postgres/values.hpp"
