// The session's identity map of one table: primary key -> the session's
// object. Open addressing with linear probing in one array (no allocation
// per object, unlike std::unordered_map's node per element), erasing by
// shifting the following run back (no tombstones).
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "ctorm/orm/mapping.hpp"

namespace ctorm::detail {

template <class Key, class Value>
    requires std::is_pointer_v<Value>
class identity_map {
public:
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }

    // The value stored for key, or null.
    Value find(const Key& key) const noexcept {
        if (size_ == 0) return nullptr;
        for (std::size_t i = home(key);; i = (i + 1) & mask_) {
            const slot& s = slots_[i];
            if (!s.value) return nullptr;
            if (s.key == key) return s.value;
        }
    }

    // Stores value for key unless key is there; returns the value stored and whether it is the new one.
    std::pair<Value, bool> try_emplace(Key&& key, Value value) {
        if ((size_ + 1) * 4 > slots_.size() * 3) grow();
        std::size_t i = home(key);
        for (;; i = (i + 1) & mask_) {
            slot& s = slots_[i];
            if (!s.value) break;
            if (s.key == key) return {s.value, false};
        }
        slots_[i].key = std::move(key);
        slots_[i].value = value;
        ++size_;
        return {value, true};
    }
    std::pair<Value, bool> try_emplace(const Key& key, Value value) { return try_emplace(Key(key), value); }

    // Removes key if it is stored with this value (any value when null); returns whether it did.
    bool erase(const Key& key, Value only = nullptr) noexcept {
        if (size_ == 0) return false;
        std::size_t i = home(key);
        for (;; i = (i + 1) & mask_) {
            const slot& s = slots_[i];
            if (!s.value) return false;
            if (s.key == key) break;
        }
        if (only && slots_[i].value != only) return false;
        // Shift back each following element of the run that may move to the hole.
        for (std::size_t j = i;;) {
            j = (j + 1) & mask_;
            if (!slots_[j].value) break;
            const std::size_t k = home(slots_[j].key);
            const bool movable = i <= j ? (k <= i || k > j) : (k <= i && k > j);
            if (movable) {
                slots_[i].key = std::move(slots_[j].key);
                slots_[i].value = slots_[j].value;
                i = j;
            }
        }
        slots_[i].key = Key{};
        slots_[i].value = nullptr;
        --size_;
        return true;
    }

    // f(value) for each element, in no particular order; f must not change the map.
    template <class F>
    void for_each(F&& f) const {
        for (const slot& s : slots_)
            if (s.value) f(s.value);
    }

    void clear() noexcept {
        if (size_ == 0) return;
        for (slot& s : slots_)
            if (s.value) s = slot{};
        size_ = 0;
    }

    void reserve(std::size_t n) {
        if (n * 4 > slots_.size() * 3) rehash(capacity_for(n));
    }

private:
    struct slot {
        Key key{};
        Value value = nullptr;
    };

    // key_hash, spread by Fibonacci hashing: the high bits of the product
    // with 2^64 / phi (std::hash of an integer is the integer itself).
    std::size_t home(const Key& key) const noexcept {
        const std::uint64_t h = static_cast<std::uint64_t>(key_hash{}(key));
        return static_cast<std::size_t>((h * 0x9e3779b97f4a7c15ull) >> shift_);
    }

    static std::size_t capacity_for(std::size_t n) {
        std::size_t c = 16;
        while (n * 4 > c * 3) c *= 2;
        return c;
    }
    void grow() { rehash(slots_.empty() ? 16 : slots_.size() * 2); }

    void rehash(std::size_t capacity) {
        std::vector<slot> old(capacity);
        old.swap(slots_);
        mask_ = capacity - 1;
        shift_ = 64;
        for (std::size_t c = capacity; c > 1; c /= 2) --shift_;
        for (slot& s : old) {
            if (!s.value) continue;
            std::size_t i = home(s.key);
            while (slots_[i].value) i = (i + 1) & mask_;
            slots_[i].key = std::move(s.key);
            slots_[i].value = s.value;
        }
    }

    std::vector<slot> slots_;
    std::size_t mask_ = 0;
    unsigned shift_ = 63;  // 64 - log2(capacity)
    std::size_t size_ = 0;
};

}  // namespace ctorm::detail
