// Revision a5e0c1f2d3b4: users.is_active, posts.content, tags
//
// Revises: r1
// Dialect: sqlite (the column types are its own; use it in that dialect's registry)
// Written by ctorm::migrate autogenerate from the difference between the
// database and the models. Read it before it runs: check each WARNING and
// each POSSIBLE RENAME, then add revision_a5e0c1f2d3b4() to the registry.
// clang-format off
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <ctorm/migrate/versions.hpp>

namespace migrations {

inline ctorm::migrate::migration revision_a5e0c1f2d3b4() {
    namespace m = ctorm::migrate;
    using ops = std::vector<m::operation>;
    return {"a5e0c1f2d3b4", {"r1"}, "users.is_active, posts.content, tags",
            [] {
                return ops{
                    m::add_table{{.name = "tags",
                        .columns = {{.name = "id", .type = "INTEGER", .nullable = false, .autoincrement = true},
                                    {.name = "post_id", .type = "INTEGER", .nullable = false},
                                    {.name = "name", .type = "TEXT", .max_length = 50, .nullable = false}},
                        .primary_key = {"id"},
                        .uniques = {{{"name"}}},
                        .foreign_keys = {{.columns = {"post_id"}, .referred_table = "posts", .referred_columns = {"id"}, .on_delete = m::referential_action::cascade}}}},
                    // POSSIBLE RENAME: column posts.body disappeared and posts.content, of the same type, appeared.
                    // If it is a rename, replace this drop_column and the add_column after it by
                    //     m::rename_column{"posts", "body", "content"},
                    // (and in downgrade the add_column and drop_column by m::rename_column{"posts", "content", "body"}): as written, the data is lost.
                    // WARNING: destructive: drops column posts.body and its data; check that this is what you want.
                    m::drop_column{"posts", {.name = "body", .type = "TEXT", .nullable = false}},
                    m::add_column{"posts", {.name = "content", .type = "TEXT", .nullable = false}},
                    m::add_index{"posts", {.name = "ix_posts_author_id_title", .columns = {"author_id", "title"}}},
                    m::add_column{"users", {.name = "is_active", .type = "INTEGER", .nullable = false, .default_value = {m::default_kind::literal, "1"}}},
                    // WARNING: destructive: changes the type of users.name from TEXT of at most 100 characters to TEXT of at most 200 characters, which may cut or refuse values; check that this is what you want.
                    m::alter_column_type{.table = "users", .column = "name", .from_type = "TEXT", .from_max_length = 100, .to_type = "TEXT", .to_max_length = 200},
                };
            },
            [] {
                return ops{
                    // WARNING: destructive: changes the type of users.name from TEXT of at most 200 characters to TEXT of at most 100 characters, which may cut or refuse values; check that this is what you want.
                    m::alter_column_type{.table = "users", .column = "name", .from_type = "TEXT", .from_max_length = 200, .to_type = "TEXT", .to_max_length = 100},
                    // WARNING: destructive: drops column users.is_active and its data; check that this is what you want.
                    m::drop_column{"users", {.name = "is_active", .type = "INTEGER", .nullable = false, .default_value = {m::default_kind::literal, "1"}}},
                    m::drop_index{"posts", {.name = "ix_posts_author_id_title", .columns = {"author_id", "title"}}},
                    // WARNING: destructive: drops column posts.content and its data; check that this is what you want.
                    m::drop_column{"posts", {.name = "content", .type = "TEXT", .nullable = false}},
                    m::add_column{"posts", {.name = "body", .type = "TEXT", .nullable = false}},
                    // WARNING: destructive: drops table tags and every row in it; check that this is what you want.
                    m::drop_table{{.name = "tags",
                        .columns = {{.name = "id", .type = "INTEGER", .nullable = false, .autoincrement = true},
                                    {.name = "post_id", .type = "INTEGER", .nullable = false},
                                    {.name = "name", .type = "TEXT", .max_length = 50, .nullable = false}},
                        .primary_key = {"id"},
                        .uniques = {{{"name"}}},
                        .foreign_keys = {{.columns = {"post_id"}, .referred_table = "posts", .referred_columns = {"id"}, .on_delete = m::referential_action::cascade}}}},
                };
            }};
}

}  // namespace migrations
// clang-format on
