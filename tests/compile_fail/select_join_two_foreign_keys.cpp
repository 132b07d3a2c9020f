// expect: ctorm: join\(table\) without a condition needs exactly one foreign key
// Rule: when two foreign keys link the tables, join(table) cannot choose; the user writes the condition.
#include <cstdint>

#include "../support/blog_schema.hpp"

using namespace blog;

namespace mail {
struct Message {
    std::int64_t id{};
    std::int64_t sender_id{};
    std::int64_t recipient_id{};
};
CTORM_TABLE(messages, Message,
            (id, primary_key),
            (sender_id, references(blog::users.id)),
            (recipient_id, references(blog::users.id)));
}  // namespace mail

void join_with_a_written_condition() {
    auto ok =
        select(users.name, mail::messages.id).from(users).join(mail::messages, mail::messages.sender_id == users.id);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = select(users.name, mail::messages.id).from(users).join(mail::messages);
    (void)broken;
#endif
}
