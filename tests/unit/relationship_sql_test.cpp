// The statement selectinload and s.load send per batch of keys, pinned per
// dialect (one text for every batch size: the keys are one bound list), and
// what a relationship declaration computes from the foreign key.
#include <catch2/catch.hpp>

#include <string>
#include <type_traits>

#include <ctorm/orm.hpp>

#include "../support/blog_schema.hpp"
#include "../support/library_schema.hpp"

using namespace ctorm;
using namespace blog;

namespace {

using sqlite = sqlite_dialect;
using pg = postgres_dialect;
using user_posts_type = std::remove_cvref_t<decltype(user_posts)>;
using post_author_type = std::remove_cvref_t<decltype(post_author)>;

// users.posts: the posts WHERE author_id IN (the users' ids).
static_assert(to_sql<sqlite, detail::selectin_query_t<user_posts_type>>() ==
              R"(SELECT "posts"."id", "posts"."title", "posts"."content", "posts"."author_id", "posts"."views", )"
              R"("posts"."published_at" FROM "posts" WHERE "posts"."author_id" IN (SELECT value FROM json_each(?)) )"
              R"(ORDER BY "posts"."author_id", "posts"."id")");
static_assert(
    to_sql<pg, detail::selectin_query_t<user_posts_type>>() ==
    R"(SELECT "posts"."id", "posts"."title", "posts"."content", "posts"."author_id", "posts"."views", )"
    R"("posts"."published_at" FROM "posts" WHERE "posts"."author_id" = ANY($1) ORDER BY "posts"."author_id", )"
    R"("posts"."id")");

// posts.author: the users WHERE id IN (the posts' author_ids).
static_assert(to_sql<sqlite, detail::selectin_query_t<post_author_type>>() ==
              R"(SELECT "users"."id", "users"."email", "users"."name", "users"."is_active", "users"."created_at" )"
              R"(FROM "users" WHERE "users"."id" IN (SELECT value FROM json_each(?)) ORDER BY "users"."id")");
static_assert(to_sql<pg, detail::selectin_query_t<post_author_type>>() ==
              R"(SELECT "users"."id", "users"."email", "users"."name", "users"."is_active", "users"."created_at" )"
              R"(FROM "users" WHERE "users"."id" = ANY($1) ORDER BY "users"."id")");

// posts.tags: the key (post_id, tag) starts with the foreign key, so it alone orders the rows.
using post_tags_type = std::remove_cvref_t<decltype(post_tag_rows)>;
static_assert(to_sql<sqlite, detail::selectin_query_t<post_tags_type>>() ==
              R"(SELECT "post_tags"."post_id", "post_tags"."tag", "post_tags"."weight" FROM "post_tags" )"
              R"(WHERE "post_tags"."post_id" IN (SELECT value FROM json_each(?)) )"
              R"(ORDER BY "post_tags"."post_id", "post_tags"."tag")");
static_assert(to_sql<pg, detail::selectin_query_t<post_tags_type>>() ==
              R"(SELECT "post_tags"."post_id", "post_tags"."tag", "post_tags"."weight" FROM "post_tags" )"
              R"(WHERE "post_tags"."post_id" = ANY($1) ORDER BY "post_tags"."post_id", "post_tags"."tag")");

// books.tags through book_tags: the tags joined to the association rows of the books' keys, each
// row with the book it belongs to, in the association key's order.
using book_tags_type = std::remove_cvref_t<decltype(library::book_tag_list)>;
static_assert(to_sql<sqlite, detail::selectin_query_t<book_tags_type>>() ==
              R"(SELECT "tags"."id", "tags"."name", "book_tags"."book_id" FROM "tags" JOIN "book_tags" ON )"
              R"("book_tags"."tag_id" = "tags"."id" WHERE "book_tags"."book_id" IN (SELECT value FROM json_each(?)) )"
              R"(ORDER BY "book_tags"."book_id", "book_tags"."tag_id")");
static_assert(to_sql<pg, detail::selectin_query_t<book_tags_type>>() ==
              R"(SELECT "tags"."id", "tags"."name", "book_tags"."book_id" FROM "tags" JOIN "book_tags" ON )"
              R"("book_tags"."tag_id" = "tags"."id" WHERE "book_tags"."book_id" = ANY($1) )"
              R"(ORDER BY "book_tags"."book_id", "book_tags"."tag_id")");
static_assert(std::is_same_v<book_tags_type::owner_table, library::ctorm_table_books>);
static_assert(std::is_same_v<book_tags_type::target_table, library::ctorm_table_tags>);
static_assert(book_tags_type::collection && book_tags_type::kind == relationship_kind::many_to_many);
static_assert(std::is_same_v<related_t<book_tags_type>, std::vector<handle<library::Tag>>>);
static_assert(
    std::is_same_v<std::remove_cvref_t<decltype(library::tag_books)>::owner_table, library::ctorm_table_tags>);

// books.detail, one-to-one: the book_details rows WHERE book_id IN (the books' ids); the key is
// the foreign key, so it alone orders them. One object per owner, empty when it has none.
using book_detail_type = std::remove_cvref_t<decltype(library::book_detail)>;
static_assert(
    to_sql<sqlite, detail::selectin_query_t<book_detail_type>>() ==
    R"(SELECT "book_details"."book_id", "book_details"."isbn", "book_details"."pages" FROM "book_details" )"
    R"(WHERE "book_details"."book_id" IN (SELECT value FROM json_each(?)) ORDER BY "book_details"."book_id")");
static_assert(to_sql<pg, detail::selectin_query_t<book_detail_type>>() ==
              R"(SELECT "book_details"."book_id", "book_details"."isbn", "book_details"."pages" FROM "book_details" )"
              R"(WHERE "book_details"."book_id" = ANY($1) ORDER BY "book_details"."book_id")");
static_assert(!book_detail_type::collection && book_detail_type::kind == relationship_kind::one_to_one);
static_assert(std::is_same_v<related_t<book_detail_type>, handle<library::BookDetail>>);
static_assert(std::is_same_v<book_detail_type::owner_column, library::ctorm_table_books::id_column>);
static_assert(std::is_same_v<book_detail_type::target_column, library::ctorm_table_book_details::book_id_column>);
// What one_to_one accepts as unique: the column option, a one-column primary key, unique(c).
static_assert(is_unique_column_v<library::ctorm_table_book_details::book_id_column>);
static_assert(is_unique_column_v<library::ctorm_table_book_details::isbn_column>);
static_assert(!is_unique_column_v<library::ctorm_table_book_details::pages_column>);
static_assert(!is_unique_column_v<ctorm_table_posts::author_id_column>);
static_assert(!is_unique_column_v<ctorm_table_post_tags::post_id_column>);  // part of a two-column key

// What the declarations computed from posts.author_id -> users.id.
static_assert(std::is_same_v<user_posts_type::owner_table, ctorm_table_users>);
static_assert(std::is_same_v<user_posts_type::target_table, ctorm_table_posts>);
static_assert(std::is_same_v<user_posts_type::owner_column, ctorm_table_users::id_column>);
static_assert(std::is_same_v<user_posts_type::target_column, ctorm_table_posts::author_id_column>);
static_assert(user_posts_type::collection && !post_author_type::collection);
static_assert(std::is_same_v<post_author_type::owner_column, ctorm_table_posts::author_id_column>);
static_assert(std::is_same_v<related_t<user_posts_type>, std::vector<handle<Post>>>);
static_assert(std::is_same_v<related_t<post_author_type>, handle<User>>);

// A result's type lists what it loaded.
using users_with_posts = loaded_result<User, user_posts_type>;
static_assert(users_with_posts::has(user_posts));
static_assert(!loaded_result<Post>::has(post_author));
// A nested path lists each of its steps, parents first.
using nested_steps = detail::steps_of<decltype(ctorm::selectinload(user_posts).selectinload(post_tag_rows))>::type;
static_assert(
    std::is_same_v<detail::relationships_of_steps<nested_steps>::type, type_list<user_posts_type, post_tags_type>>);

}  // namespace

TEST_CASE("a relationship names itself as owner table . name in messages") {
    CHECK(user_posts_type::describe() == "users.posts");
    CHECK(post_author_type::describe() == "posts.author");
    CHECK(std::string(not_loaded_error("users.posts", "by this query").what()) ==
          "ctorm: relationship users.posts was not loaded by this query; load it with ctorm::selectinload(...) in "
          "the query, or explicitly with s.load(...)");
}
