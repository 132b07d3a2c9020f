// expect: ctorm: s.append / s.remove_from on a many_to_many write its association rows by their primary key
// Rule: the session writes an association row by its key, so the key must be the two foreign keys
// (book_tags: primary_key(book_id, tag_id)); memberships here has a surrogate id.
#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

#include "../support/library_schema.hpp"

namespace clubs {
struct Club {
    std::int64_t id{};
};
struct Member {
    std::int64_t id{};
};
struct Membership {
    std::int64_t id{};
    std::int64_t club_id{};
    std::int64_t member_id{};
};
CTORM_TABLE(clubs, Club, (id, primary_key));
CTORM_TABLE(members, Member, (id, primary_key));
CTORM_TABLE(memberships, Membership, (id, primary_key), (club_id, references(clubs.id)),
            (member_id, references(members.id)));
inline constexpr auto club_members = ctorm::many_to_many<"members">(memberships.club_id, memberships.member_id);
}  // namespace clubs

void tag(ctorm::session<ctorm::sqlite::connection>& s, const ctorm::handle<library::Book>& b,
         const ctorm::handle<library::Tag>& t) {
    s.append(b, library::book_tag_list, t);
}

#ifdef CTORM_COMPILE_FAIL
void join(ctorm::session<ctorm::sqlite::connection>& s, const ctorm::handle<clubs::Club>& c,
          const ctorm::handle<clubs::Member>& m) {
    s.append(c, clubs::club_members, m);
}
#endif
