// ctorm::timestamp, ctorm::date and ctorm::time_of_day, and their allocation-free text forms
// "YYYY-MM-DD HH:MM:SS.ffffff", "YYYY-MM-DD" and "HH:MM:SS.ffffff".
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ctorm {

// Microseconds: the precision of PostgreSQL's timestamp, and more than SQLite's
// date functions keep.
using timestamp = std::chrono::sys_time<std::chrono::microseconds>;
using date = std::chrono::sys_days;

// A time of day without a date or time zone (SQL's TIME, SQLAlchemy's Time),
// to the microsecond: from 00:00 up to and including 24:00, which PostgreSQL
// accepts as the end of a day. Its own type rather than a duration, so that
// SQL's rules for TIME (compare, order) are not mixed up with intervals.
class time_of_day {
public:
    constexpr time_of_day() noexcept = default;
    constexpr explicit time_of_day(std::chrono::microseconds since_midnight) noexcept : since_(since_midnight) {}
    constexpr time_of_day(std::chrono::hours h, std::chrono::minutes m, std::chrono::seconds s = {},
                          std::chrono::microseconds us = {}) noexcept
        : since_(h + m + s + us) {}

    constexpr std::chrono::microseconds since_midnight() const noexcept { return since_; }
    // Within 00:00 to 24:00 (what both backends store).
    constexpr bool ok() const noexcept { return since_.count() >= 0 && since_ <= std::chrono::hours{24}; }
    friend constexpr auto operator<=>(const time_of_day&, const time_of_day&) noexcept = default;

private:
    std::chrono::microseconds since_{};
};

}  // namespace ctorm

namespace ctorm::detail {

// Hand-written rather than std::format or std::chrono::parse: those are missing
// from clang 14 with libstdc++ 12, and this runs once per value on the decode
// path, where allocation and locales would cost more than the database call.

inline constexpr std::size_t timestamp_text_size = 26;    // YYYY-MM-DD HH:MM:SS.ffffff
inline constexpr std::size_t date_text_size = 10;         // YYYY-MM-DD
inline constexpr std::size_t time_of_day_text_size = 15;  // HH:MM:SS.ffffff

namespace chrono_text {

// Four-digit years are all that both backends' text forms and SQLite's date
// functions agree on.
inline constexpr date first_day = std::chrono::sys_days{std::chrono::year{0} / 1 / 1};
inline constexpr date last_day = std::chrono::sys_days{std::chrono::year{9999} / 12 / 31};

constexpr void put_digits(char* out, std::uint32_t value, int count) noexcept {
    for (int i = count - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
}

constexpr void put_date(char* out, date day) noexcept {
    const std::chrono::year_month_day ymd{day};
    put_digits(out, static_cast<std::uint32_t>(static_cast<int>(ymd.year())), 4);
    out[4] = '-';
    put_digits(out + 5, static_cast<unsigned>(ymd.month()), 2);
    out[7] = '-';
    put_digits(out + 8, static_cast<unsigned>(ymd.day()), 2);
}

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Reads exactly count digits at text[pos]; false if any is missing.
constexpr bool read_digits(std::string_view text, std::size_t pos, int count, std::uint32_t& value) noexcept {
    const auto n = static_cast<std::size_t>(count);
    if (pos > text.size() || text.size() - pos < n) {
        return false;
    }
    std::uint32_t result = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (!is_digit(text[i])) {
            return false;
        }
        result = result * 10 + static_cast<std::uint32_t>(text[i] - '0');
    }
    value = result;
    return true;
}

// Reads the 1-9 digits of a second's fraction at text[pos] (after its '.'),
// truncated to microseconds; pos ends past them. False with none or more than 9.
constexpr bool read_fraction(std::string_view text, std::size_t& pos, std::uint32_t& micros) noexcept {
    int digits = 0;
    micros = 0;
    while (pos < text.size() && is_digit(text[pos])) {
        if (digits < 6) {
            micros = micros * 10 + static_cast<std::uint32_t>(text[pos] - '0');
        }
        ++digits;
        ++pos;
    }
    if (digits == 0 || digits > 9) {
        return false;
    }
    for (int i = digits; i < 6; ++i) {
        micros *= 10;
    }
    return true;
}

// Reads "YYYY-MM-DD" from the start of text.
constexpr bool read_date(std::string_view text, date& out) noexcept {
    std::uint32_t y = 0;
    std::uint32_t m = 0;
    std::uint32_t d = 0;
    if (!read_digits(text, 0, 4, y) || text.size() < date_text_size || text[4] != '-' || !read_digits(text, 5, 2, m) ||
        text[7] != '-' || !read_digits(text, 8, 2, d)) {
        return false;
    }
    const std::chrono::year_month_day ymd{std::chrono::year{static_cast<int>(y)}, std::chrono::month{m},
                                          std::chrono::day{d}};
    if (!ymd.ok()) {
        return false;
    }
    out = date{ymd};
    return true;
}

// Reads a UTC offset "+HH", "+HHMM", "+HH:MM" (and ":SS" or "SS" after them,
// which PostgreSQL prints for historical local mean time) at text[pos] to the
// end of text.
constexpr bool read_offset(std::string_view text, std::size_t pos, std::chrono::seconds& offset) noexcept {
    const bool negative = text[pos] == '-';
    ++pos;
    std::uint32_t fields[3] = {0, 0, 0};
    const std::uint32_t limits[3] = {24, 60, 60};
    int count = 0;
    while (pos < text.size()) {
        if (count == 3) {
            return false;
        }
        if (count > 0 && text[pos] == ':') {
            ++pos;
        }
        if (!read_digits(text, pos, 2, fields[count]) || fields[count] >= limits[count]) {
            return false;
        }
        pos += 2;
        ++count;
    }
    if (count == 0) {
        return false;
    }
    const auto total =
        std::chrono::hours{fields[0]} + std::chrono::minutes{fields[1]} + std::chrono::seconds{fields[2]};
    offset = negative ? -total : total;
    return true;
}

}  // namespace chrono_text

// Writes 26 characters, no terminator. Returns 0 and writes nothing when the
// year is outside 0000-9999.
constexpr std::size_t format_timestamp(timestamp value, char* out) noexcept {
    using namespace std::chrono;
    // floor, not duration_cast: before 1970 the time of day must stay positive.
    const auto day = floor<days>(value);
    if (day < chrono_text::first_day || day > chrono_text::last_day) {
        return 0;
    }
    chrono_text::put_date(out, day);
    const auto micros = static_cast<std::uint64_t>((value - day).count());
    const auto seconds_of_day = static_cast<std::uint32_t>(micros / 1'000'000);
    out[10] = ' ';
    chrono_text::put_digits(out + 11, seconds_of_day / 3600, 2);
    out[13] = ':';
    chrono_text::put_digits(out + 14, seconds_of_day / 60 % 60, 2);
    out[16] = ':';
    chrono_text::put_digits(out + 17, seconds_of_day % 60, 2);
    out[19] = '.';
    chrono_text::put_digits(out + 20, static_cast<std::uint32_t>(micros % 1'000'000), 6);
    return timestamp_text_size;
}

// Writes 10 characters, no terminator. Returns 0 and writes nothing when the
// year is outside 0000-9999.
constexpr std::size_t format_date(date value, char* out) noexcept {
    if (value < chrono_text::first_day || value > chrono_text::last_day) {
        return 0;
    }
    chrono_text::put_date(out, value);
    return date_text_size;
}

// Writes 15 characters, no terminator: "HH:MM:SS.ffffff" (fixed width, so that
// SQLite's text compares as the times do). Returns 0 and writes nothing when
// the value is outside 00:00-24:00.
constexpr std::size_t format_time_of_day(time_of_day value, char* out) noexcept {
    if (!value.ok()) {
        return 0;
    }
    const auto micros = static_cast<std::uint64_t>(value.since_midnight().count());
    const auto seconds_of_day = static_cast<std::uint32_t>(micros / 1'000'000);
    chrono_text::put_digits(out, seconds_of_day / 3600, 2);
    out[2] = ':';
    chrono_text::put_digits(out + 3, seconds_of_day / 60 % 60, 2);
    out[5] = ':';
    chrono_text::put_digits(out + 6, seconds_of_day % 60, 2);
    out[8] = '.';
    chrono_text::put_digits(out + 9, static_cast<std::uint32_t>(micros % 1'000'000), 6);
    return time_of_day_text_size;
}

// "HH:MM", "HH:MM:SS" or "HH:MM:SS.f" with 1-9 fraction digits (truncated to
// microseconds); hours 00-23, or 24:00 exactly. Leaves out untouched and
// returns false on anything else.
constexpr bool parse_time_of_day(std::string_view text, time_of_day& out) noexcept {
    using namespace std::chrono;
    std::uint32_t hour = 0;
    std::uint32_t minute = 0;
    std::uint32_t second = 0;
    if (text.size() < 5 || !chrono_text::read_digits(text, 0, 2, hour) || hour > 24 || text[2] != ':' ||
        !chrono_text::read_digits(text, 3, 2, minute) || minute > 59) {
        return false;
    }
    std::size_t pos = 5;
    std::uint32_t micros = 0;
    if (pos < text.size()) {
        if (text[pos] != ':' || !chrono_text::read_digits(text, pos + 1, 2, second) || second > 59) {
            return false;
        }
        pos += 3;
        if (pos < text.size()) {
            if (text[pos] != '.') {
                return false;
            }
            if (!chrono_text::read_fraction(text, ++pos, micros) || pos != text.size()) {
                return false;
            }
        }
    }
    const time_of_day value{hours{hour}, minutes{minute}, seconds{second}, microseconds{micros}};
    if (!value.ok()) {
        return false;  // past 24:00
    }
    out = value;
    return true;
}

// Exactly "YYYY-MM-DD", a real calendar day.
constexpr bool parse_date(std::string_view text, date& out) noexcept {
    return text.size() == date_text_size && chrono_text::read_date(text, out);
}

// "YYYY-MM-DD", or "YYYY-MM-DD HH:MM[:SS[.f]]" with ' ' or 'T' between date and
// time, 1-9 fraction digits (truncated to microseconds), and an optional 'Z'
// or UTC offset, which is applied so the result is UTC. Leaves out untouched
// and returns false on anything else.
constexpr bool parse_timestamp(std::string_view text, timestamp& out) noexcept {
    using namespace std::chrono;
    date day{};
    if (!chrono_text::read_date(text, day)) {
        return false;
    }
    if (text.size() == date_text_size) {
        out = timestamp{day};
        return true;
    }
    if (text[10] != ' ' && text[10] != 'T') {
        return false;
    }
    std::uint32_t hour = 0;
    std::uint32_t minute = 0;
    std::uint32_t second = 0;
    if (!chrono_text::read_digits(text, 11, 2, hour) || hour > 23 || text.size() < 16 || text[13] != ':' ||
        !chrono_text::read_digits(text, 14, 2, minute) || minute > 59) {
        return false;
    }
    std::size_t pos = 16;
    std::uint32_t micros = 0;
    if (pos < text.size() && text[pos] == ':') {
        if (!chrono_text::read_digits(text, pos + 1, 2, second) || second > 59) {
            return false;
        }
        pos += 3;
        if (pos < text.size() && text[pos] == '.') {
            if (!chrono_text::read_fraction(text, ++pos, micros)) {
                return false;
            }
        }
    }
    seconds offset{0};
    if (pos < text.size()) {
        const char c = text[pos];
        if (c == 'Z' || c == 'z') {
            if (pos + 1 != text.size()) {
                return false;
            }
        } else if (c == '+' || c == '-') {
            if (!chrono_text::read_offset(text, pos, offset)) {
                return false;
            }
        } else {
            return false;
        }
    }
    out = timestamp{day} + hours{hour} + minutes{minute} + seconds{second} + microseconds{micros} - offset;
    return true;
}

}  // namespace ctorm::detail
