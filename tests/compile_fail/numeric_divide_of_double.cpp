// expect: ctorm: divide<S>\(a, b\) divides exact numbers
// Rule: divide<S>(a, b) is exact, so its sides are numerics or integers; a
// double would make the quotient inexact before it is rounded. The twin
// divides an integer column by the numeric.
#include <ctorm/ctorm.hpp>

#include <cstdint>

namespace numeric_rule {

struct Line {
    std::int64_t id{};
    ctorm::numeric price;
    double weight{};
};
CTORM_TABLE(lines, Line, (id, primary_key), (price), (weight));

#ifdef CTORM_COMPILE_FAIL
[[maybe_unused]] constexpr auto q = ctorm::select(ctorm::divide<2>(lines.weight, lines.price));
#else
[[maybe_unused]] constexpr auto q = ctorm::select(ctorm::divide<2>(lines.id, lines.price));
#endif

}  // namespace numeric_rule
