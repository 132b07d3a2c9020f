// fixed_string: a string usable as a template argument (labels such as .as<"name">()).
#pragma once

#include <cstddef>
#include <string_view>

namespace ctorm {

template <std::size_t N>
struct fixed_string {
    char data[N + 1]{};
    constexpr fixed_string(const char (&text)[N + 1]) {  // NOLINT: implicit on purpose, for "name" arguments
        for (std::size_t i = 0; i <= N; ++i) data[i] = text[i];
    }
    static constexpr std::size_t size() { return N; }
    constexpr std::string_view view() const { return {data, N}; }
};
template <std::size_t N>
fixed_string(const char (&)[N]) -> fixed_string<N - 1>;

}  // namespace ctorm
