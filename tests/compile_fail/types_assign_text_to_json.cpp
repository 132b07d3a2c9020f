// expect: ctorm: incompatible value for this column
// Rule: a ctorm::json column is assigned ctorm::json values; a std::string is wrapped explicitly, ctorm::json(text).
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

void assign_json_to_json() {
    auto ok = ctorm::update(products).set(products.attributes = ctorm::json(R"({"color": "red"})"));
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = ctorm::update(products).set(products.attributes = std::string(R"({"color": "red"})"));
    (void)broken;
#endif
}
