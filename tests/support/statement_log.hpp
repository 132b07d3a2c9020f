// The statements a connection sends, in order, through its echo: what the
// ORM tests count. statement_log keeps every one; data_statement_log leaves
// out BEGIN, COMMIT and ROLLBACK, for tests that count only the statements an
// operation adds inside the session's transaction.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ctorm_test {

template <bool WithTransactionControl>
struct basic_statement_log {
    std::vector<std::string> texts;

    template <class C>
    void attach(C& db) {
        db.set_echo([this](std::string_view sql) {
            if (WithTransactionControl || (sql != "BEGIN" && sql != "COMMIT" && sql != "ROLLBACK"))
                texts.emplace_back(sql);
        });
    }
    std::size_t count() const { return texts.size(); }
    void clear() { texts.clear(); }
    bool contains(std::string_view text) const {
        for (const auto& t : texts)
            if (t == text) return true;
        return false;
    }
    // Every statement, one per line (for INFO when a count is off).
    std::string joined() const {
        std::string all;
        for (const auto& t : texts) all += t + "\n";
        return all;
    }
    bool starts_with(std::size_t i, std::string_view prefix) const {
        return i < texts.size() && std::string_view(texts[i]).substr(0, prefix.size()) == prefix;
    }
};

using statement_log = basic_statement_log<true>;
using data_statement_log = basic_statement_log<false>;

}  // namespace ctorm_test
