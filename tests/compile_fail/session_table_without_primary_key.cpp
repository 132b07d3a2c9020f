// expect: ctorm: a session keeps objects by their primary key, and this table has none
// Rule: the session's identity map is keyed by the primary key, so a table used
// through a session needs one. It fires at the first session call for the table.
#include <cstdint>
#include <string>

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

namespace keyed {
struct Event {
    std::int64_t id{};
    std::string what;
};
CTORM_TABLE(events, Event, (id, primary_key), (what));
inline void use(ctorm::session<ctorm::sqlite::connection>& s) { s.add(events, Event{.id = 0, .what = "ok"}); }
}  // namespace keyed

#ifdef CTORM_COMPILE_FAIL
namespace keyless {
struct Event {
    std::int64_t at{};
    std::string what;
};
CTORM_TABLE(events, Event, (at), (what));
inline void use(ctorm::session<ctorm::sqlite::connection>& s) { s.add(events, Event{.at = 0, .what = "no key"}); }
}  // namespace keyless
#endif
