// clang-format off
// The schema the migrations leave at revision b6f1d2e3c4a5 (postgresql), written by `migrate snapshot`:
// static_assert(ctorm::migrate::up_to_date<migrations::postgres_schema_snapshot, tables...>) checks the models against it.
// Generated: write it again (migrate snapshot) after adding a migration.
#pragma once

#include <string_view>

#include <ctorm/dialect/postgres.hpp>
#include <ctorm/migrate/snapshot.hpp>

namespace migrations {

struct postgres_schema_snapshot {
    using dialect = ctorm::postgres_dialect;
    static constexpr std::string_view revision = "b6f1d2e3c4a5";
    static constexpr std::string_view text = R"ctorm(table "posts"
  column "id" BIGINT not null
  column "author_id" BIGINT not null
  column "title" VARCHAR(200) COLLATE "C" max_length 200 not null
  column "content" TEXT COLLATE "C" not null
  primary key ("id")
  index "ix_posts_author_id_title" ("author_id", "title")
  foreign key ("author_id") references "users" ("id") on delete cascade on update no action
table "tags"
  column "id" BIGINT not null
  column "post_id" BIGINT not null
  column "name" VARCHAR(50) COLLATE "C" max_length 50 not null
  primary key ("id")
  unique ("name")
  foreign key ("post_id") references "posts" ("id") on delete cascade on update no action
table "users"
  column "id" BIGINT not null
  column "email" VARCHAR(255) COLLATE "C" max_length 255 not null
  column "name" VARCHAR(200) COLLATE "C" max_length 200 not null
  column "is_active" BOOLEAN not null default true
  primary key ("id")
  unique ("email")
)ctorm";
};

}  // namespace migrations
