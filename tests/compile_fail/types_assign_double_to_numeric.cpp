// expect: ctorm: incompatible value for this column
// Rule: a ctorm::numeric column is assigned numerics or integers, never floating point (it would be inexact).
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

void assign_exact_values_to_numeric() {
    auto ok = ctorm::update(products).set(products.price = 5);
    auto also_ok = ctorm::update(products).set(products.price = ctorm::numeric("19.99"));
    (void)ok;
    (void)also_ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = ctorm::update(products).set(products.price = 19.99);
    (void)broken;
#endif
}
