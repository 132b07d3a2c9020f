// expect: ctorm: this CTE has no column of that name
// Rule: tree.c<"name">() names a column the CTE's select defines (a column name or a label).
#include "../support/project_schema.hpp"

using namespace tracker;

void cte_column_by_its_name() {
    constexpr auto roots = ctorm::cte<"roots">(select(categories.id, categories.name.as<"title">()));
    auto ok = ctorm::with_(roots, select(roots.c<"id">(), roots.c<"title">()));
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = roots.c<"name">();  // the label "title" replaced the column name
    (void)broken;
#endif
}
