// expect: ctorm: a repository finds rows by their primary key \(get_by_id, exists\) and pages them in its order
// Rule: a repository gets rows by key and pages them in key order, so its
// table needs a primary key. It fires when the repository type is made, even
// if only count() is called (which alone would not reach the session's rule).
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
inline std::int64_t use(ctorm::session<ctorm::sqlite::connection>& s) {
    ctorm::repository repo(s, events);
    return repo.count();
}
}  // namespace keyed

#ifdef CTORM_COMPILE_FAIL
namespace keyless {
struct Event {
    std::int64_t at{};
    std::string what;
};
CTORM_TABLE(events, Event, (at), (what));
inline std::int64_t use(ctorm::session<ctorm::sqlite::connection>& s) {
    ctorm::repository repo(s, events);
    return repo.count();
}
}  // namespace keyless
#endif
