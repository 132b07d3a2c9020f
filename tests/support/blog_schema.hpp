// The blog schema of the SQLAlchemy guides, shared by the tests: users, posts,
// a composite-key table, and a table with every supported column type.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>

#include <ctorm/ctorm.hpp>

namespace blog {

struct User {
    std::int64_t id{};
    std::string email;
    std::string name;
    bool is_active = true;
    ctorm::timestamp created_at{};
};

struct Post {
    std::int64_t id{};
    std::string title;
    std::string content;
    std::int64_t author_id{};
    std::int32_t views = 0;
    std::optional<ctorm::timestamp> published_at;
};

struct PostTag {
    std::int64_t post_id{};
    std::string tag;
    std::int32_t weight = 1;
};

enum class mood : std::int16_t { sad = -1, calm = 0, happy = 7 };

struct Everything {
    std::int64_t id{};
    std::int8_t i8{};
    std::int16_t i16{};
    std::int32_t i32{};
    std::int64_t i64{};
    std::uint8_t u8{};
    std::uint16_t u16{};
    std::uint32_t u32{};
    bool flag{};
    float f32{};
    double f64{};
    std::string text_value;
    ctorm::blob bytes;
    ctorm::timestamp at{};
    ctorm::date day{};
    mood feeling{};
    std::optional<std::int64_t> maybe_int;
    std::optional<double> maybe_real;
    std::optional<std::string> maybe_text;
    std::optional<ctorm::blob> maybe_bytes;
    std::optional<ctorm::timestamp> maybe_at;
    std::optional<ctorm::date> maybe_day;
    std::optional<bool> maybe_flag;
    std::optional<mood> maybe_feeling;
};

CTORM_TABLE(users, User,
            (id, primary_key),
            (email, varchar<255>, unique, index),
            (name, varchar<100>),
            (is_active, default_value(true)),
            (created_at, server_default(now())));

CTORM_TABLE(posts, Post,
            (id, primary_key),
            (title, varchar<200>),
            (content, text),
            (author_id, references(users.id).on_delete(cascade), index),
            (views, default_value(0)),
            (published_at));

// users.posts and posts.author, from posts.author_id.
inline constexpr auto user_posts = ctorm::one_to_many<"posts">(users, posts.author_id);
inline constexpr auto post_author = ctorm::many_to_one<"author">(posts.author_id);

CTORM_TABLE(post_tags, PostTag,
            (post_id, references(posts.id).on_delete(cascade)),
            (tag, varchar<50>),
            (weight, default_value(1)));
CTORM_TABLE_CONSTRAINTS(post_tags, primary_key(post_tags.post_id, post_tags.tag), index(post_tags.tag, post_tags.weight));

// posts.tags: the post_tags rows of a post (one-to-many, a composite key).
inline constexpr auto post_tag_rows = ctorm::one_to_many<"tags">(posts, post_tags.post_id);

CTORM_TABLE(everything, Everything,
            (id, primary_key),
            (i8), (i16), (i32), (i64), (u8), (u16), (u32),
            (flag), (f32), (f64),
            (text_value),
            (bytes),
            (at), (day), (feeling),
            (maybe_int), (maybe_real), (maybe_text), (maybe_bytes), (maybe_at), (maybe_day), (maybe_flag),
            (maybe_feeling));

// How many users there are, on any synchronous connection (async_fixture.hpp has
// the awaitable twin).
template <class Connection>
    requires requires(Connection& db) {
        { db.scalar(ctorm::select(ctorm::count()).from(users)) } -> std::convertible_to<std::int64_t>;
    }
std::int64_t user_count(Connection& db) { return db.scalar(ctorm::select(ctorm::count()).from(users)); }

// Inserts a user named "someone" with that email.
template <class Connection>
void add_someone(Connection& db, const std::string& email) {
    db.execute(ctorm::insert(users).values(User{.email = email, .name = "someone"}));
}

}  // namespace blog
