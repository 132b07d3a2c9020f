// Fuzz target: the PostgreSQL binary decoders fed raw bytes, as a hostile or
// broken server could send them. The first byte picks the C++ type, the rest
// is the value's bytes (in a buffer of exactly that size, so AddressSanitizer
// sees any read past it). Invariants: a decoder returns a value or throws
// ctorm::decode_error, nothing else; a decoded numeric encodes (or is refused
// with ctorm::value_error) and decodes back to itself; a decoded array
// encodes and decodes back to the same vector.
#include <ctorm/errors.hpp>
#include <ctorm/postgres.hpp>
#include <ctorm/postgres/values.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "fuzz_check.hpp"

namespace ctorm_fuzz {
struct fuzz_row {
    std::int64_t id{};
};
// The column named in decode_error messages (outside the anonymous namespace,
// where clang would call the table's constants unused).
CTORM_TABLE(fuzz_rows, fuzz_row, (id, primary_key));
}  // namespace ctorm_fuzz

namespace {

using column = std::remove_cvref_t<decltype(ctorm_fuzz::fuzz_rows.id)>;

namespace pg = ctorm::postgres::detail;
using ctorm_fuzz::check;

void check_numeric(const char* p, int n) {
    ctorm::numeric value;
    if (!pg::numeric_from_binary(p, n, value)) return;
    std::string bytes;
    try {
        pg::append_numeric(bytes, value);
    } catch (const ctorm::value_error&) {
        return;  // more digits than PostgreSQL's numeric takes: refused, as documented
    }
    ctorm::numeric again;
    check(pg::numeric_from_binary(bytes.data(), static_cast<int>(bytes.size()), again) && again == value,
          "a decoded numeric encodes and decodes back to itself", value.to_string());
}

// A fixed-size value, decoded as the result reader does: only when the
// column's length is the type's own (PQgetlength is checked first).
template <class T>
void check_fixed(const char* p, int n, Oid type) {
    if (n != pg::fixed_size_of(type)) return;
    T value{};
    pg::decode_binary<column>(p, n, type, value);
}

template <class V>
void check_array(const char* p, int n) {
    V values;
    pg::decode_array<column>(p, n, values);
    std::string bytes;
    try {
        pg::append_binary(bytes, values);
    } catch (const ctorm::value_error&) {
        return;
    }
    V again;
    pg::decode_array<column>(bytes.data(), static_cast<int>(bytes.size()), again);
    check(again == values, "a decoded array encodes and decodes back to the same vector");
}

void decode(std::uint8_t kind, const char* p, int n) {
    switch (kind % 12) {
        case 0: check_numeric(p, n); break;
        case 1: check_fixed<ctorm::timestamp>(p, n, pg::oid::timestamptz); break;
        case 2: check_fixed<ctorm::date>(p, n, pg::oid::date); break;
        case 3: check_array<std::vector<std::int32_t>>(p, n); break;
        case 4: check_array<std::vector<std::optional<std::int64_t>>>(p, n); break;
        case 5: check_array<std::vector<std::string>>(p, n); break;
        case 6: check_array<std::vector<std::optional<ctorm::numeric>>>(p, n); break;
        case 7: check_array<std::vector<ctorm::timestamp>>(p, n); break;
        case 8: check_array<std::vector<ctorm::date>>(p, n); break;
        case 9: check_array<std::vector<ctorm::uuid>>(p, n); break;
        case 10: check_array<std::vector<std::int16_t>>(p, n); break;
        default: check_array<std::vector<std::optional<ctorm::date>>>(p, n); break;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    // A copy of exactly the value's size, so a read past it is a heap overflow.
    const std::vector<char> value(data + 1, data + size);
    try {
        decode(data[0], value.data(), static_cast<int>(value.size()));
    } catch (const ctorm::decode_error&) {
        // refused, as documented
    }
    return 0;
}
