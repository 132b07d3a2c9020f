// The SQLite adapter and everything above it: include this to run statements on SQLite.
#pragma once

#include "ctorm/ctorm.hpp"
#include "ctorm/sqlite/connection.hpp"
#include "ctorm/sqlite/values.hpp"
