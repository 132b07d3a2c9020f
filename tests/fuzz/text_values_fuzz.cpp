// Fuzz target: the text parsers of ctorm's value types. The first byte picks
// the parser, the rest is the text. Invariants: numeric::parse and
// uuid::parse accept exactly what their throwing constructors accept, and
// parse -> print -> parse gives the same value, whose text is then printed
// unchanged; a date parses back from the text it prints, and that text is
// the input (a date has one spelling); a timestamp parses back from its text;
// a JSON array text read into a std::vector, written and read again gives
// the same vector and the same text.
#include <ctorm/detail/chrono_text.hpp>
#include <ctorm/detail/json_array.hpp>
#include <ctorm/schema/extended_types.hpp>
#include <ctorm/schema/types.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"

namespace {

using ctorm_fuzz::check;

void check_numeric(std::string_view text) {
    const std::optional<ctorm::numeric> parsed = ctorm::numeric::parse(text);
    bool constructed = true;
    try {
        (void)ctorm::numeric(text);
    } catch (const std::invalid_argument&) {
        constructed = false;
    }
    check(constructed == parsed.has_value(), "numeric(text) throws exactly when numeric::parse refuses", text);
    if (!parsed) return;
    const std::string& printed = parsed->to_string();
    const std::optional<ctorm::numeric> again = ctorm::numeric::parse(printed);
    check(again.has_value() && *again == *parsed, "a numeric parses back from its text", printed);
    check(again->to_string() == printed, "a numeric's text is canonical", printed);
    check((*again <=> *parsed) == 0, "a numeric compares equal to its parsed text", printed);
}

void check_uuid(std::string_view text) {
    const std::optional<ctorm::uuid> parsed = ctorm::uuid::parse(text);
    bool constructed = true;
    try {
        (void)ctorm::uuid(text);
    } catch (const std::invalid_argument&) {
        constructed = false;
    }
    check(constructed == parsed.has_value(), "uuid(text) throws exactly when uuid::parse refuses", text);
    if (!parsed) return;
    const std::string printed = parsed->to_string();
    check(printed.size() == 36, "a uuid prints 36 characters", printed);
    const std::optional<ctorm::uuid> again = ctorm::uuid::parse(printed);
    check(again.has_value() && *again == *parsed, "a uuid parses back from its text", printed);
}

void check_date(std::string_view text) {
    ctorm::date day{};
    if (!ctorm::detail::parse_date(text, day)) return;
    char out[ctorm::detail::date_text_size];
    const std::size_t n = ctorm::detail::format_date(day, out);
    check(n == ctorm::detail::date_text_size, "a parsed date prints", text);
    const std::string_view printed(out, n);
    check(printed == text, "a date prints as the text it was parsed from", printed);
    ctorm::date again{};
    check(ctorm::detail::parse_date(printed, again) && again == day, "a date parses back from its text", printed);
}

void check_timestamp(std::string_view text) {
    ctorm::timestamp moment{};
    if (!ctorm::detail::parse_timestamp(text, moment)) return;
    char out[ctorm::detail::timestamp_text_size];
    const std::size_t n = ctorm::detail::format_timestamp(moment, out);
    if (n == 0) return;  // an offset moved it out of the years 0000-9999, which have no text
    const std::string_view printed(out, n);
    ctorm::timestamp again{};
    check(ctorm::detail::parse_timestamp(printed, again) && again == moment, "a timestamp parses back from its text",
          printed);
}

template <class V>
void check_json_array(std::string_view text) {
    V values;
    if (!ctorm::detail::json_array::read(text, values).empty()) return;
    std::string written;
    if (!ctorm::detail::json_array::write(values, written)) return;  // NaN and the like have no JSON form
    V again;
    const std::string problem = ctorm::detail::json_array::read(written, again);
    check(problem.empty(), "a written JSON array reads back", written);
    check(again == values, "a JSON array reads back to the same values", written);
    std::string rewritten;
    check(ctorm::detail::json_array::write(again, rewritten) && rewritten == written,
          "a JSON array is written the same way twice", written);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 12) {
        case 0: check_numeric(text); break;
        case 1: check_uuid(text); break;
        case 2: check_date(text); break;
        case 3: check_timestamp(text); break;
        case 4: check_json_array<std::vector<std::int64_t>>(text); break;
        case 5: check_json_array<std::vector<std::optional<std::string>>>(text); break;
        case 6: check_json_array<std::vector<bool>>(text); break;
        case 7: check_json_array<std::vector<ctorm::numeric>>(text); break;
        case 8: check_json_array<std::vector<std::optional<ctorm::timestamp>>>(text); break;
        case 9: check_json_array<std::vector<ctorm::date>>(text); break;
        case 10: check_json_array<std::vector<ctorm::uuid>>(text); break;
        default: check_json_array<std::vector<std::int16_t>>(text); break;
    }
    return 0;
}
