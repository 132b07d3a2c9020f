// expect: ctorm: incompatible types in comparison
// Rule: an array column compares with arrays, not with one element.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <ctorm/ctorm.hpp>

namespace shop {
struct Product {
    std::int64_t id{};
    ctorm::numeric price;
    ctorm::uuid sku;
    ctorm::json attributes;
    std::vector<std::int32_t> sizes;
    std::vector<std::optional<double>> weights;
};
CTORM_TABLE(products, Product, (id, primary_key), (price), (sku), (attributes), (sizes), (weights));
}  // namespace shop

using namespace shop;

void compare_array_with_array() {
    auto ok = products.sizes != std::vector<std::int32_t>{};
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = products.sizes == 38;
    (void)broken;
#endif
}
