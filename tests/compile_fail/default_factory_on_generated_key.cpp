// expect: ctorm: default_factory\(f\) on a column the database fills
// Rule: an autoincrement key (or a server_default column) is left out of the
// INSERT, so a factory's value for it would be lost. The twin puts the
// factory on a column the INSERT writes.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

namespace factory_rule {

struct Ticket {
    std::int64_t id{};
    std::string code{};
};
#ifdef CTORM_COMPILE_FAIL
CTORM_TABLE(tickets, Ticket, (id, primary_key, default_factory([] { return std::int64_t{7}; })), (code));
#else
CTORM_TABLE(tickets, Ticket, (id, primary_key), (code, default_factory([] { return std::string("T-7"); })));
#endif

[[maybe_unused]] inline auto insert_one(const Ticket& t) { return ctorm::insert(tickets).values(t); }

}  // namespace factory_rule
