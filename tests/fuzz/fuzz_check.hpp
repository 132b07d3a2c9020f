// fuzz_check: what a fuzz target calls when an invariant does not hold, so that
// libFuzzer stops, keeps the input, and the message says which invariant.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace ctorm_fuzz {

[[noreturn]] inline void broken(const char* invariant, std::string_view detail = {}) {
    std::fprintf(stderr, "fuzz: invariant broken: %s: %.*s\n", invariant, static_cast<int>(detail.size()),
                 detail.data());
    std::abort();
}

inline void check(bool ok, const char* invariant, std::string_view detail = {}) {
    if (!ok) broken(invariant, detail);
}

}  // namespace ctorm_fuzz
