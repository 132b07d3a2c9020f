// expect: ctorm: incompatible types in comparison
// Rule: a ctorm::uuid column compares with ctorm::uuid values only; text is parsed first, with ctorm::uuid("...").
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

void compare_uuid_with_uuid() {
    auto ok = products.sku == ctorm::uuid("123e4567-e89b-12d3-a456-426614174000");
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = products.sku == "123e4567-e89b-12d3-a456-426614174000";
    (void)broken;
#endif
}
