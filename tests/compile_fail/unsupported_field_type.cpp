// expect: ctorm: unsupported field type
// Rule: a model field has a type ctorm can store; std::uint64_t does not fit any SQL integer.
// The rule fires at CTORM_TABLE itself (its column options are evaluated there).
#include <cstdint>

#include <ctorm/ctorm.hpp>

namespace supported {
struct Counter {
    std::int64_t id{};
    std::int64_t hits{};
};
CTORM_TABLE(counters, Counter, (id, primary_key), (hits));
}  // namespace supported

#ifdef CTORM_COMPILE_FAIL
namespace unsupported {
struct Counter {
    std::int64_t id{};
    std::uint64_t hits{};
};
CTORM_TABLE(counters, Counter, (id, primary_key), (hits));
}  // namespace unsupported
#endif
