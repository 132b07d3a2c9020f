// expect: ctorm: avg\(\) of a ctorm::numeric is exact only to a stated scale
// Rule: the mean of numerics has no exact value to agree on without a scale
// (PostgreSQL's avg(numeric) keeps at least 16 digits, SQLite has none); the
// twin states it, avg<2>(x), which rounds half away from zero to 2 places.
#include <ctorm/ctorm.hpp>

#include <cstdint>

namespace numeric_rule {

struct Line {
    std::int64_t id{};
    ctorm::numeric price;
};
CTORM_TABLE(lines, Line, (id, primary_key), (price));

#ifdef CTORM_COMPILE_FAIL
[[maybe_unused]] constexpr auto q = ctorm::select(ctorm::avg(lines.price));
#else
[[maybe_unused]] constexpr auto q = ctorm::select(ctorm::avg<2>(lines.price));
#endif

}  // namespace numeric_rule
