// The per-connection state every backend keeps the same way: one slot per
// statement type (looked up by a small number, not by text), the statements
// by text (shared by types with equal text, and the dynamic ones), the echo
// callback, and the counters the tests and savepoints use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ctorm/detail/text_map.hpp"
#include "ctorm/engine/echo.hpp"

namespace ctorm::detail {

// One small number per statement type, for the slot vector of every
// connection. Atomic (statement types may first run on several threads at
// once), with the compilers' builtin rather than <atomic> in every user's build.
inline std::size_t next_statement_slot() noexcept {
    static std::size_t counter = 0;
    return __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
}
template <class Statement>
std::size_t statement_slot() noexcept {
    static const std::size_t slot = next_statement_slot();
    return slot;
}

// Slot: what a backend keeps per statement type (SQLite: the sqlite3_stmt*;
// PostgreSQL: the server-side name and what the first result showed).
// Prepared: what it keeps per text (the same, or only the name).
template <class Slot, class Prepared>
struct statement_cache {
    std::vector<Slot> slots;
    text_map<std::string, Prepared> by_text;  // static statements, keyed by text (and parameter types)
    text_map<std::string, Prepared> dynamic;  // dynamic statements, keyed by their run-time text
    echo_callback echo;
    std::size_t prepared = 0;  // how many times the backend was asked to prepare
    std::uint64_t savepoints = 0;

    // The slot of a statement type, or null before its first use.
    Slot* find_slot(std::size_t slot) noexcept { return slot < slots.size() ? &slots[slot] : nullptr; }
    Slot& slot_at(std::size_t slot) {
        if (slot >= slots.size()) slots.resize(slot + 1);
        return slots[slot];
    }
    void echo_text(std::string_view sql) const {
        if (echo) echo(sql);
    }
};

}  // namespace ctorm::detail
