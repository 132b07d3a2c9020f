// ctorm::numeric's exact arithmetic in C++: + - *, unary -, round(s) half
// away from zero, divide(a, b, s), the special values as PostgreSQL treats
// them, and a money transfer that stays exact where a double drifts. The same
// operations against PostgreSQL's own numeric are in
// tests/postgres/numeric_arithmetic_test.cpp.
#include <catch2/catch.hpp>

#include <ctorm/ctorm.hpp>

#include <stdexcept>
#include <string>

using ctorm::numeric;

namespace {
std::string text(const numeric& n) { return n.to_string(); }
}  // namespace

TEST_CASE("numeric adds, subtracts and multiplies exactly", "[numeric]") {
    CHECK(text(numeric("0.1") + numeric("0.2")) == "0.3");
    CHECK(text(numeric("19.99") + numeric("0.01")) == "20");
    CHECK(text(numeric("1") - numeric("1.000001")) == "-0.000001");
    CHECK(text(numeric("-2.5") - numeric("-2.5")) == "0");
    CHECK(text(numeric("-2.5") + numeric("7")) == "4.5");
    CHECK(text(numeric("2.5") + numeric("-7")) == "-4.5");
    CHECK(text(numeric("99999999999999999999.99") + numeric("0.01")) == "100000000000000000000");
    CHECK(text(numeric("1.5") * numeric("-1.5")) == "-2.25");
    CHECK(text(numeric("0.001") * numeric("0.001")) == "0.000001");
    CHECK(text(numeric("123456789012345678901234567890") * numeric("987654321")) ==
          "121932631124828532112482853211126352690");
    CHECK(text(numeric("-0.5") * 0) == "0");
    CHECK(text(numeric("12.5") - 12) == "0.5");
    CHECK(text(-numeric("3.25")) == "-3.25");
    CHECK(text(-numeric("-3.25")) == "3.25");
    CHECK(text(-numeric("0")) == "0");

    numeric total = 0;
    for (int i = 0; i < 1000; ++i) total += numeric("0.1");
    CHECK(text(total) == "100");
    double drift = 0;
    for (int i = 0; i < 1000; ++i) drift += 0.1;
    CHECK(drift != 100.0);  // what the exact type is for
}

TEST_CASE("numeric rounds half away from zero and divides to a stated scale", "[numeric]") {
    CHECK(text(numeric("2.345").round(2)) == "2.35");
    CHECK(text(numeric("-2.345").round(2)) == "-2.35");
    CHECK(text(numeric("2.344").round(2)) == "2.34");
    CHECK(text(numeric("0.5").round(0)) == "1");
    CHECK(text(numeric("-0.5").round(0)) == "-1");
    CHECK(text(numeric("0.004").round(2)) == "0");
    CHECK(text(numeric("-0.004").round(2)) == "0");
    CHECK(text(numeric("9.995").round(2)) == "10");
    CHECK(text(numeric("1.5").round(3)) == "1.5");
    CHECK(text(numeric("12").round(0)) == "12");

    CHECK(text(numeric::divide(numeric(1), numeric(3), 4)) == "0.3333");
    CHECK(text(numeric::divide(numeric(2), numeric(3), 4)) == "0.6667");
    CHECK(text(numeric::divide(numeric(-2), numeric(3), 4)) == "-0.6667");
    CHECK(text(numeric::divide(numeric("100.00"), numeric("-8"), 2)) == "-12.5");
    CHECK(text(numeric::divide(numeric("0.01"), numeric("0.0003"), 3)) == "33.333");
    CHECK(text(numeric::divide(numeric("7"), numeric("0.5"), 0)) == "14");
    CHECK(text(numeric::divide(numeric("1"), numeric("8"), 2)) == "0.13");  // 0.125, away from zero
    CHECK(text(numeric::divide(numeric("0"), numeric("8"), 2)) == "0");
    CHECK_THROWS_AS(numeric::divide(numeric("1.5"), numeric("0"), 2), std::domain_error);
    CHECK_THROWS_WITH(numeric::divide(numeric("1.5"), numeric("0"), 2), "ctorm::numeric: division of 1.5 by zero");
}

TEST_CASE("numeric's special values follow PostgreSQL's rules", "[numeric]") {
    const numeric inf = numeric::infinity(), minf = numeric::negative_infinity(), nan = numeric::nan();
    CHECK((inf + numeric(1)) == inf);
    CHECK((minf - numeric(1)) == minf);
    CHECK((numeric(1) - inf) == minf);
    CHECK((inf - inf).is_nan());
    CHECK((inf + minf).is_nan());
    CHECK((inf + inf) == inf);
    CHECK((inf * numeric(-2)) == minf);
    CHECK((inf * numeric(0)).is_nan());
    CHECK((nan + numeric(1)).is_nan());
    CHECK((nan * numeric(0)).is_nan());
    CHECK((-inf) == minf);
    CHECK((-nan).is_nan());
    CHECK(inf.round(2) == inf);
    CHECK(numeric::divide(numeric(1), inf, 2) == numeric(0));
    CHECK(numeric::divide(inf, numeric(-1), 2) == minf);
    CHECK(numeric::divide(inf, inf, 2).is_nan());
    CHECK(numeric::divide(nan, numeric(0), 2).is_nan());
}

TEST_CASE("a transfer between two NUMERIC(12, 2) balances stays exact", "[numeric]") {
    numeric from("1000.10"), to("0.20");
    const numeric amount("333.37");
    for (int i = 0; i < 3; ++i) {
        from -= amount;
        to += amount;
    }
    CHECK(text(from) == "-0.01");
    CHECK(text(to) == "1000.31");
    CHECK(text(from + to) == "1000.3");
    const numeric fee = (amount * numeric("0.015")).round(2);  // 5.00055
    CHECK(text(fee) == "5");
}
