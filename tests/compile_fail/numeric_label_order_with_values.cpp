// expect: ctorm: order_by\(\) of a label whose numeric or enum expression holds bound values
// Rule: SQLite orders a numeric by ctorm_numeric_order(expression), and a
// label's expression is written there again; with bound values it would bind
// them twice. The twin orders by the expression itself, which reuses the
// select list's values.
#include <ctorm/ctorm.hpp>

#include <cstdint>

namespace numeric_rule {

struct Line {
    std::int64_t id{};
    ctorm::numeric price;
};
CTORM_TABLE(lines, Line, (id, primary_key), (price));

#ifdef CTORM_COMPILE_FAIL
[[maybe_unused]] constexpr auto q = ctorm::select((lines.price + 1).as<"p">()).order_by((lines.price + 1).as<"p">());
#else
[[maybe_unused]] constexpr auto q = ctorm::select((lines.price + 1).as<"p">()).order_by(lines.price + 1);
#endif
[[maybe_unused]] constexpr auto text = ctorm::to_sql<ctorm::sqlite_dialect>(q);

}  // namespace numeric_rule
