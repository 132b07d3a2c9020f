// expect: ctorm: a dynamic\(\) query binds arrays of integers, booleans, floating point numbers or text
// Rule: dynamic() queries hold their values in ctorm::bound_value, which has
// the arrays of integers, booleans, floating point numbers and text (run-time
// in_ lists among them); an array of other elements (here nullable ones) is
// refused with a message, not a conversion error deep inside.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <ctorm/ctorm.hpp>

#include "../support/blog_schema.hpp"

using namespace blog;

namespace samples {
struct Sample {
    std::int64_t id{};
    std::vector<std::int32_t> counts;
    std::vector<std::optional<std::int32_t>> maybe_counts;
};
CTORM_TABLE(samples, Sample, (id, primary_key), (counts), (maybe_counts));
}  // namespace samples

void dynamic_arrays() {
    const std::vector<std::int64_t> ids{1, 2};
    auto q = ctorm::dynamic(select(users.id).from(users));
    q.where(users.id.in_(ids));
    q.where(users.name.not_in(std::vector<std::string>{"a", "b"}));
    auto s = ctorm::dynamic(select(samples::samples.id).from(samples::samples));
    s.where(samples::samples.counts == std::vector<std::int32_t>{1, 2});
#ifdef CTORM_COMPILE_FAIL
    s.where(samples::samples.maybe_counts == std::vector<std::optional<std::int32_t>>{1, std::nullopt});
#endif
}
