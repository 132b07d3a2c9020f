// expect: ctorm: incompatible types in comparison
// Rule: a ctorm::time_of_day column compares with times of day only, not with a ctorm::timestamp or text.
#include <chrono>
#include <cstdint>

#include <ctorm/ctorm.hpp>

namespace clocks {
struct Alarm {
    std::int64_t id{};
    ctorm::time_of_day rings;
};
CTORM_TABLE(alarms, Alarm, (id, primary_key), (rings));
}  // namespace clocks

using namespace clocks;

void compare_time_with_time() {
    auto ok = alarms.rings < ctorm::time_of_day{std::chrono::hours{7}};
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = alarms.rings < ctorm::timestamp{};
    (void)broken;
#endif
}
