// expect: ctorm: min\(\) / max\(\) of a ctorm::numeric cannot be a window function on SQLite
// Rule: on SQLite, min() / max() of a ctorm::numeric are ctorm's own plain
// aggregates (numeric order, not the stored text's), which SQLite cannot run
// with OVER; rendering such a statement for SQLite fails to compile. The twin
// renders it for PostgreSQL, which runs it.
#include <ctorm/ctorm.hpp>

#include <cstdint>

namespace numeric_rule {

struct Line {
    std::int64_t id{};
    ctorm::numeric price;
};
CTORM_TABLE(lines, Line, (id, primary_key), (price));

constexpr auto q = ctorm::select(lines.id, ctorm::over(ctorm::min(lines.price), ctorm::window().order_by(lines.id)));
#ifdef CTORM_COMPILE_FAIL
[[maybe_unused]] constexpr auto text = ctorm::to_sql<ctorm::sqlite_dialect>(q);
#else
[[maybe_unused]] constexpr auto text = ctorm::to_sql<ctorm::postgres_dialect>(q);
#endif

}  // namespace numeric_rule
