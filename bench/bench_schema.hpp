// The benchmarks' table (id, name, email, age, score), its model, and the rows
// both sides write and read, made the same way every time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <ctorm/ctorm.hpp>

namespace bench {

struct Person {
    std::int64_t id{};
    std::string name;
    std::string email;
    std::int32_t age{};
    double score{};
};

// people: the table B2-B4 read. people_insert: the same columns, the table B1
// and the bulk case write (emptied before each repetition, untimed).
CTORM_TABLE(people, Person,
            (id, primary_key),
            (name, text),
            (email, text),
            (age, index),
            (score));

CTORM_TABLE(people_insert, Person,
            (id, primary_key),
            (name, text),
            (email, text),
            (age, index),
            (score));

// How many distinct ages a table of `rows` rows has: about 100 rows share each age.
inline std::int32_t distinct_ages(std::size_t rows) {
    const std::size_t ages = rows / 100;
    return static_cast<std::int32_t>(ages == 0 ? 1 : ages);
}

// Row i (0-based) of a table of `rows` rows; its id, once inserted, is i + 1.
inline Person make_person(std::size_t i, std::size_t rows) {
    Person p;
    p.id = static_cast<std::int64_t>(i + 1);
    p.name = "person " + std::to_string(i);
    p.email = "person" + std::to_string(i) + "@example.com";
    p.age = static_cast<std::int32_t>(i % static_cast<std::size_t>(distinct_ages(rows)));
    p.score = static_cast<double>(i) * 0.25 + 0.5;
    return p;
}

inline std::vector<Person> make_people(std::size_t rows) {
    std::vector<Person> out;
    out.reserve(rows);
    for (std::size_t i = 0; i < rows; ++i) out.push_back(make_person(i, rows));
    return out;
}

// An order-independent digest of what was read, so that the two sides can be
// checked to have done the same work (and the compiler cannot drop it).
inline std::uint64_t digest(const Person& p) {
    std::uint64_t h = static_cast<std::uint64_t>(p.id) * 0x9E3779B97F4A7C15ull;
    for (char c : p.name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
    for (char c : p.email) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
    h += static_cast<std::uint64_t>(p.age) * 31u;
    h += static_cast<std::uint64_t>(p.score * 4.0);
    return h;
}

}  // namespace bench
