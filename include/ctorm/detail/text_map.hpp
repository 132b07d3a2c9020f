// text_map: a small map from SQL text to a prepared statement, for the
// adapters' caches. Entries keep their hash, so a lookup compares one word per
// entry and the text only on a hash match. A connection caches tens to
// hundreds of texts, and the static statements are looked up here only on
// their first use (then by slot); a vector does that with less code to
// compile than std::unordered_map.
#pragma once

#include <cstddef>
#include <string_view>  // and std::hash<std::string_view>
#include <utility>
#include <vector>

namespace ctorm::detail {

template <class Key, class Value>  // Key: std::string_view (text in static storage) or std::string
class text_map {
public:
    struct entry {
        std::size_t hash;
        Key text;
        Value value;
    };

    Value* find(std::string_view text) noexcept {
        const std::size_t h = std::hash<std::string_view>{}(text);
        for (entry& e : entries_)
            if (e.hash == h && std::string_view(e.text) == text) return &e.value;
        return nullptr;
    }
    void emplace(std::string_view text, Value value) {
        entries_.push_back(entry{std::hash<std::string_view>{}(text), Key(text), std::move(value)});
    }
    void clear() noexcept { entries_.clear(); }
    std::size_t size() const noexcept { return entries_.size(); }
    auto begin() noexcept { return entries_.begin(); }
    auto end() noexcept { return entries_.end(); }
    auto begin() const noexcept { return entries_.begin(); }
    auto end() const noexcept { return entries_.end(); }

private:
    std::vector<entry> entries_;
};

}  // namespace ctorm::detail
