// expect: ctorm: a ctorm::numeric computes with integers and numerics only
// Rule: + - * with a ctorm::numeric operand take integers and numerics, whose
// result is exact on every backend; a double would make it inexact. The twin
// multiplies by an integer column.
#include <ctorm/ctorm.hpp>

#include <cstdint>

namespace numeric_rule {

struct Line {
    std::int64_t id{};
    ctorm::numeric price;
    std::int32_t quantity{};
    double weight{};
};
CTORM_TABLE(lines, Line, (id, primary_key), (price), (quantity), (weight));

#ifdef CTORM_COMPILE_FAIL
[[maybe_unused]] constexpr auto q = ctorm::select(lines.price * lines.weight);
#else
[[maybe_unused]] constexpr auto q = ctorm::select(lines.price * lines.quantity);
#endif

}  // namespace numeric_rule
