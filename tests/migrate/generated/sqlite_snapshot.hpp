// clang-format off
// The schema the migrations leave at revision a5e0c1f2d3b4 (sqlite), written by `migrate snapshot`:
// static_assert(ctorm::migrate::up_to_date<migrations::sqlite_schema_snapshot, tables...>) checks the models against it.
// Generated: write it again (migrate snapshot) after adding a migration.
#pragma once

#include <string_view>

#include <ctorm/dialect/sqlite.hpp>
#include <ctorm/migrate/snapshot.hpp>

namespace migrations {

struct sqlite_schema_snapshot {
    using dialect = ctorm::sqlite_dialect;
    static constexpr std::string_view revision = "a5e0c1f2d3b4";
    static constexpr std::string_view text = R"ctorm(table "posts"
  column "id" INTEGER not null
  column "author_id" INTEGER not null
  column "title" TEXT max_length 200 not null
  column "content" TEXT not null
  primary key ("id")
  index "ix_posts_author_id_title" ("author_id", "title")
  foreign key ("author_id") references "users" ("id") on delete cascade on update no action
table "tags"
  column "id" INTEGER not null
  column "post_id" INTEGER not null
  column "name" TEXT max_length 50 not null
  primary key ("id")
  unique ("name")
  foreign key ("post_id") references "posts" ("id") on delete cascade on update no action
table "users"
  column "id" INTEGER not null
  column "email" TEXT max_length 255 not null
  column "name" TEXT max_length 200 not null
  column "is_active" INTEGER not null default 1
  primary key ("id")
  unique ("email")
)ctorm";
};

}  // namespace migrations
