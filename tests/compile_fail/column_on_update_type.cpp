// expect: ctorm: on_update\(now\(\)\) needs a ctorm::timestamp column
// Rule: on_update(now()) stamps a ctorm::timestamp column, on_update(current_date()) a ctorm::date column.
#include <cstdint>
#include <string>

#include <ctorm/ctorm.hpp>

namespace stamps {
struct Page {
    std::int64_t id{};
    ctorm::timestamp edited_at{};
    ctorm::date edited_on{};
    std::string title;
};
#ifdef CTORM_COMPILE_FAIL
CTORM_TABLE(pages, Page, (id, primary_key), (edited_at), (edited_on), (title, on_update(now())));
#else
CTORM_TABLE(pages, Page, (id, primary_key), (edited_at, on_update(now())), (edited_on, on_update(current_date())),
            (title));
#endif
}  // namespace stamps

void use_pages() { (void)stamps::pages; }
