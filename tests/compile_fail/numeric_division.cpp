// expect: ctorm: / and % of a ctorm::numeric have no exact result to agree on
// Rule: a ctorm::numeric is not divided in SQL (the backends would round the
// quotient at different places); ctorm::numeric::divide(a, b, scale) does it
// in C++. The twin subtracts.
#include <ctorm/ctorm.hpp>

#include <cstdint>

namespace numeric_rule {

struct Line {
    std::int64_t id{};
    ctorm::numeric price;
};
CTORM_TABLE(lines, Line, (id, primary_key), (price));

#ifdef CTORM_COMPILE_FAIL
[[maybe_unused]] constexpr auto q = ctorm::select(lines.price / 3);
#else
[[maybe_unused]] constexpr auto q = ctorm::select(lines.price - 3);
#endif

}  // namespace numeric_rule
