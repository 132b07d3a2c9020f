// Revision b6f1d2e3c4a5: users.is_active, posts.content, tags
//
// Revises: r1
// Dialect: postgresql (the column types are its own; use it in that dialect's registry)
// Written by ctorm::migrate autogenerate from the difference between the
// database and the models. Read it before it runs: check each WARNING and
// each POSSIBLE RENAME, then add revision_b6f1d2e3c4a5() to the registry.
// clang-format off
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <ctorm/migrate/versions.hpp>

namespace migrations {

inline ctorm::migrate::migration revision_b6f1d2e3c4a5() {
    namespace m = ctorm::migrate;
    using ops = std::vector<m::operation>;
    return {"b6f1d2e3c4a5", {"r1"}, "users.is_active, posts.content, tags",
            [] {
                return ops{
                    m::add_table{{.name = "tags",
                        .columns = {{.name = "id", .type = "BIGINT", .nullable = false, .autoincrement = true},
                                    {.name = "post_id", .type = "BIGINT", .nullable = false},
                                    {.name = "name", .type = "VARCHAR(50) COLLATE \"C\"", .max_length = 50, .nullable = false}},
                        .primary_key = {"id"},
                        .uniques = {{{"name"}}},
                        .foreign_keys = {{.columns = {"post_id"}, .referred_table = "posts", .referred_columns = {"id"}, .on_delete = m::referential_action::cascade}}}},
                    // POSSIBLE RENAME: column posts.body disappeared and posts.content, of the same type, appeared.
                    // If it is a rename, replace this drop_column and the add_column after it by
                    //     m::rename_column{"posts", "body", "content"},
                    // (and in downgrade the add_column and drop_column by m::rename_column{"posts", "content", "body"}): as written, the data is lost.
                    // WARNING: destructive: drops column posts.body and its data; check that this is what you want.
                    m::drop_column{"posts", {.name = "body", .type = "TEXT COLLATE \"C\"", .nullable = false}},
                    m::add_column{"posts", {.name = "content", .type = "TEXT COLLATE \"C\"", .nullable = false}},
                    m::add_index{"posts", {.name = "ix_posts_author_id_title", .columns = {"author_id", "title"}}},
                    m::add_column{"users", {.name = "is_active", .type = "BOOLEAN", .nullable = false, .default_value = {m::default_kind::literal, "true"}}},
                    // WARNING: destructive: changes the type of users.name from VARCHAR(100) COLLATE "C" to VARCHAR(200) COLLATE "C", which may cut or refuse values; check that this is what you want.
                    m::alter_column_type{.table = "users", .column = "name", .from_type = "VARCHAR(100) COLLATE \"C\"", .from_max_length = 100, .to_type = "VARCHAR(200) COLLATE \"C\"", .to_max_length = 200},
                };
            },
            [] {
                return ops{
                    // WARNING: destructive: changes the type of users.name from VARCHAR(200) COLLATE "C" to VARCHAR(100) COLLATE "C", which may cut or refuse values; check that this is what you want.
                    m::alter_column_type{.table = "users", .column = "name", .from_type = "VARCHAR(200) COLLATE \"C\"", .from_max_length = 200, .to_type = "VARCHAR(100) COLLATE \"C\"", .to_max_length = 100},
                    // WARNING: destructive: drops column users.is_active and its data; check that this is what you want.
                    m::drop_column{"users", {.name = "is_active", .type = "BOOLEAN", .nullable = false, .default_value = {m::default_kind::literal, "true"}}},
                    m::drop_index{"posts", {.name = "ix_posts_author_id_title", .columns = {"author_id", "title"}}},
                    // WARNING: destructive: drops column posts.content and its data; check that this is what you want.
                    m::drop_column{"posts", {.name = "content", .type = "TEXT COLLATE \"C\"", .nullable = false}},
                    m::add_column{"posts", {.name = "body", .type = "TEXT COLLATE \"C\"", .nullable = false}},
                    // WARNING: destructive: drops table tags and every row in it; check that this is what you want.
                    m::drop_table{{.name = "tags",
                        .columns = {{.name = "id", .type = "BIGINT", .nullable = false, .autoincrement = true},
                                    {.name = "post_id", .type = "BIGINT", .nullable = false},
                                    {.name = "name", .type = "VARCHAR(50) COLLATE \"C\"", .max_length = 50, .nullable = false}},
                        .primary_key = {"id"},
                        .uniques = {{{"name"}}},
                        .foreign_keys = {{.columns = {"post_id"}, .referred_table = "posts", .referred_columns = {"id"}, .on_delete = m::referential_action::cascade}}}},
                };
            }};
}

}  // namespace migrations
// clang-format on
