// Which selects can return at most one row, known at compile time. The adapters use this to skip
// the second step that one() / one_or_none() otherwise need to prove there is no second row, so a
// wrong "true" here would let a duplicate go unnoticed: every shape that can return two rows must
// stay false.
#include <catch2/catch.hpp>

#include <cstdint>

#include "support/blog_schema.hpp"

using namespace ctorm;
using namespace blog;

namespace {

template <class Q>
constexpr bool one_row(const Q&) {
    return ctorm::detail::at_most_one_row<Q>;
}

constexpr std::int64_t some_id = 7;

// Equality with a value on the single-column primary key or on a unique column.
static_assert(one_row(select(users).where(users.id == some_id)));
static_assert(one_row(select(users.name).where(users.email == "a@example.com")));
static_assert(one_row(select(users.name).where(users.id == some_id && users.name.like("a%"))));
static_assert(one_row(select(users.name).where(users.is_active == true && users.id == some_id)));
static_assert(one_row(select(users.name).from(users).where(users.id == some_id).order_by(users.name)));

// Anything else can return more rows.
static_assert(!one_row(select(users)));
static_assert(!one_row(select(users).where(users.name == "ann")));                    // not unique
static_assert(!one_row(select(users).where(users.id > some_id)));                     // not equality
static_assert(!one_row(select(users).where(users.id == some_id || users.id == 8)));   // OR
static_assert(!one_row(select(users).where(!(users.id == some_id))));                 // NOT
static_assert(!one_row(select(posts).where(posts.id == posts.author_id)));            // column = column
static_assert(!one_row(select(post_tags).where(post_tags.post_id == some_id)));       // part of a composite key
static_assert(!one_row(select(posts.title, users.name).where(users.id == some_id)));  // two tables: cross join
static_assert(!one_row(select(posts.title).from(users).where(users.id == some_id)));  // FROM posts, users
static_assert(!one_row(select(posts.title, users.name)
                           .join(users, users.id == posts.author_id)
                           .where(users.id == some_id)));  // a join multiplies rows
static_assert(!one_row(select(users.id, count()).where(users.id == some_id).group_by(users.id)));
static_assert(!one_row(union_all(select(users.id).where(users.id == some_id), select(users.id))));

}  // namespace

TEST_CASE("at_most_one_row: unique-key equality on one table, nothing else", "[unit][row-count]") {
    // The static_asserts above are the test; this checks the trait is usable at run time too.
    CHECK(one_row(select(users).where(users.id == some_id)));
    CHECK_FALSE(one_row(select(users).where(users.id >= some_id)));
}
