// expect: ctorm: row.get<.*name.*>\(\): no column of this select has that name
// Rule: a named row answers to its columns' names and its labels only.
#include "support/blog_schema.hpp"

#include <type_traits>

auto read_count() {
    using namespace blog;
    const auto q = select(users.name, ctorm::count().as<"n">()).from(users).group_by(users.name).named();
    typename ctorm::statement_traits<std::remove_cvref_t<decltype(q)>>::row_type row{};
#ifdef CTORM_COMPILE_FAIL
    return row.get<"post_count">();
#else
    return row.get<"n">();
#endif
}
