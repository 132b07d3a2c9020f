// expect: ctorm: version_id marks one integer column of a table
// Rule: the version_id column the session increments is an integer.
#include <cstdint>
#include <string>

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

namespace counted {
struct Doc {
    std::int64_t id{};
    std::int32_t version{};
};
CTORM_TABLE(docs, Doc, (id, primary_key), (version, version_id));
inline void use(ctorm::session<ctorm::sqlite::connection>& s) { s.add(docs, Doc{.id = 0, .version = 0}); }
}  // namespace counted

#ifdef CTORM_COMPILE_FAIL
namespace texted {
struct Doc {
    std::int64_t id{};
    std::string version;
};
CTORM_TABLE(docs, Doc, (id, primary_key), (version, version_id));
inline void use(ctorm::session<ctorm::sqlite::connection>& s) { s.add(docs, Doc{.id = 0, .version = "v1"}); }
}  // namespace texted
#endif
