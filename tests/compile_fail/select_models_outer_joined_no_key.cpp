// expect: ctorm: select\(a, b\) of whole models: an outer-joined model \(see below\) is told missing by its primary key
// Rule: a row without the outer-joined model is told by that model's key being NULL, so it needs one.
#include "support/blog_schema.hpp"

#include <ctorm/sqlite.hpp>

#include <cstdint>
#include <string>
#include <type_traits>

namespace keyless {
struct Note {
    std::int64_t author_id{};
    std::string text;
};
CTORM_TABLE(notes, Note, (author_id, references(blog::users.id)), (text));
struct Memo {
    std::int64_t id{};
    std::int64_t author_id{};
};
CTORM_TABLE(memos, Memo, (id, primary_key), (author_id, references(blog::users.id)));
}  // namespace keyless

template <class C>
void read_all(C& db) {
    using namespace blog;
#ifdef CTORM_COMPILE_FAIL
    (void)db.all(select(users, keyless::notes).outer_join(keyless::notes));
#else
    (void)db.all(select(users, keyless::memos).outer_join(keyless::memos));
#endif
}
template void read_all(ctorm::sqlite::connection&);
