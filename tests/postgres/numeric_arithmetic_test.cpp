// ctorm::numeric's C++ arithmetic against PostgreSQL's numeric: for 400
// generated pairs of decimals (up to 30 digits, up to 12 after the point,
// both signs), a + b, a - b, a * b, round(a, 2) and round(a / b, 4) computed
// by the server equal what ctorm computes, value for value. The unit cases
// are tests/unit/numeric_arithmetic_test.cpp.
#include "support/pg_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

using ctorm::numeric;

namespace {

std::string random_decimal(std::mt19937_64& rng) {
    std::uniform_int_distribution<int> digit(0, 9), whole_size(0, 18), fraction_size(0, 12), coin(0, 1);
    std::string text = coin(rng) ? "-" : "";
    const int w = whole_size(rng), f = fraction_size(rng);
    for (int i = 0; i < w; ++i) text += static_cast<char>('0' + digit(rng));
    if (w == 0) text += '0';
    if (f > 0) {
        text += '.';
        for (int i = 0; i < f; ++i) text += static_cast<char>('0' + digit(rng));
    }
    return text;
}

}  // namespace

TEST_CASE("numeric's + - *, round and divide give PostgreSQL's values", "[postgres][numeric]") {
    auto db = ctorm_test::postgres_server_connection();
    std::mt19937_64 rng(20261207);
    std::vector<numeric> as, bs;
    std::string values;
    while (as.size() < 400) {
        const numeric a(random_decimal(rng)), b(random_decimal(rng));
        if (b.sign() == 0) continue;
        values += (values.empty() ? "(" : ", (") + std::to_string(as.size()) + ", " + a.to_string() + "::numeric, " +
                  b.to_string() + "::numeric)";
        as.push_back(a);
        bs.push_back(b);
    }
    const std::string server = ctorm_test::postgres_query_text(
        db,
        "SELECT string_agg(concat_ws(' ', a + b, a - b, a * b, round(a, 2), round(a / b, 4)), ';' ORDER BY i) "
        "FROM (VALUES " +
            values + ") AS v(i, a, b)");

    std::size_t at = 0, compared = 0;
    for (std::size_t i = 0; i < as.size(); ++i) {
        const std::size_t end = server.find(';', at);
        const std::string row = server.substr(at, end == std::string::npos ? std::string::npos : end - at);
        at = end + 1;
        std::vector<numeric> theirs;
        for (std::size_t from = 0; from <= row.size();) {
            const std::size_t space = row.find(' ', from);
            theirs.emplace_back(row.substr(from, space == std::string::npos ? std::string::npos : space - from));
            from = space == std::string::npos ? row.size() + 1 : space + 1;
        }
        REQUIRE(theirs.size() == 5);
        const numeric& a = as[i];
        const numeric& b = bs[i];
        INFO("a = " << a.to_string() << ", b = " << b.to_string());
        CHECK((a + b) == theirs[0]);
        CHECK((a - b) == theirs[1]);
        CHECK((a * b) == theirs[2]);
        CHECK(a.round(2) == theirs[3]);
        CHECK(numeric::divide(a, b, 4) == theirs[4]);
        ++compared;
    }
    CHECK(compared == 400);
}
