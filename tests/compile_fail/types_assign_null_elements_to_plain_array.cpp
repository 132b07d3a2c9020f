// expect: ctorm: incompatible value for this column
// Rule: an array whose elements may be NULL (std::vector<std::optional<T>>) goes only into a column whose elements may
// be.
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

void assign_arrays() {
    auto ok = ctorm::update(products).set(products.sizes = std::vector<std::int32_t>{1},
                                          products.weights = std::vector<std::optional<double>>{std::nullopt});
    auto also_ok = ctorm::update(products).set(products.weights = std::vector<double>{1.5});
    (void)ok;
    (void)also_ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = ctorm::update(products).set(products.sizes = std::vector<std::optional<std::int32_t>>{1});
    (void)broken;
#endif
}
