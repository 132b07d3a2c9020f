// expect: ctorm: incompatible types in comparison
// Rule: a ctorm::numeric column is exact: it compares with numerics and integers, never with floating point.
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

void compare_numeric_with_exact_values() {
    auto ok = products.price == 5 && products.price < ctorm::numeric("1.5");
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = products.price == 1.5;
    (void)broken;
#endif
}
