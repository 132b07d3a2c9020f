// expect: ctorm: row.get<.*name.*>\(\): two columns of this select have that name
// Rule: users.id and posts.id are both "id": one of them needs a label to be read by name.
#include "support/blog_schema.hpp"

#include <type_traits>

auto read_id() {
    using namespace blog;
    const auto q = select(users.id, posts.id.as<"post_id">(), users.name).from(users).join(user_posts).named();
#ifdef CTORM_COMPILE_FAIL
    const auto clash = select(users.id, posts.id).from(users).join(user_posts).named();
    typename ctorm::statement_traits<std::remove_cvref_t<decltype(clash)>>::row_type row{};
    return row.get<"id">();
#else
    typename ctorm::statement_traits<std::remove_cvref_t<decltype(q)>>::row_type row{};
    return row.get<"post_id">();
#endif
}
