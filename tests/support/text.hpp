// Text helpers shared by the tests.
#pragma once

#include <string_view>

namespace ctorm_test {

// Whether `part` occurs in `text`: messages are checked by the facts they must name.
inline bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

}  // namespace ctorm_test
