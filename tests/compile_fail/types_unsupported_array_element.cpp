// expect: ctorm: unsupported field type
// Rule: an array field holds scalars (integers, bool, floating point, text, numeric, uuid, timestamps, dates),
// not nested arrays, blobs or JSON.
#include <cstdint>
#include <string>
#include <vector>

#include <ctorm/ctorm.hpp>

namespace supported {
struct Matrix {
    std::int64_t id{};
    std::vector<std::string> labels;
};
CTORM_TABLE(matrices, Matrix, (id, primary_key), (labels));
}  // namespace supported

#ifdef CTORM_COMPILE_FAIL
namespace unsupported {
struct Matrix {
    std::int64_t id{};
    std::vector<std::vector<std::int32_t>> rows;
};
CTORM_TABLE(matrices, Matrix, (id, primary_key), (rows));
}  // namespace unsupported
#endif
