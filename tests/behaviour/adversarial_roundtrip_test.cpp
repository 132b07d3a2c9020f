// 10,000 generated adversarial strings and 10,000 blobs through insert, ==,
// like, in_ and dynamic() on every backend (issue 13): quotes, backslashes,
// NUL bytes, malformed UTF-8, SQL fragments, placeholders ($1, ?, :name),
// LIKE's own % and _, emoji, right-to-left text, control characters, and
// sizes up to 1 MiB. Each value either comes back byte for byte and finds
// exactly the rows that hold it, or is refused with the documented error:
//   - PostgreSQL's text holds no NUL byte and only valid UTF-8: the insert
//     raises data_error 22021 naming the column (blobs hold anything);
//   - a LIKE pattern or an in_(list) element with a byte that cannot be
//     matched as itself raises value_error naming the column, on both
//     backends, before any statement is sent;
//   - SQLite refuses LIKE patterns longer than its limit (50,000 bytes by
//     default) with its own error, "LIKE or GLOB pattern too complex".
// On SQLite, which can store text that is not UTF-8, a LIKE reads such a
// stored value as characters (its first NUL ends it, malformed bytes read as
// U+FFFD), so a valid pattern may also match those rows: the one documented
// difference (docs/types.md), checked as such below. A canary table, written
// before, must read the same afterwards.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

using namespace blog;

namespace {

constexpr std::size_t value_count = 10'000;
// Values in the table at once. Each lookup scans them, and SQLite reads every
// large one whole (its overflow pages copied into a fresh buffer: under ASan a
// fresh mmap each time), so the cost grows with value_count * batch_size.
constexpr std::size_t batch_size = 100;
constexpr std::size_t sqlite_like_limit = 50'000;

// Independent of the library's check: decode code points and test their ranges.
bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        std::uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
        for (std::size_t k = 1; k < n; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if ((b & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (b & 0x3Fu);
        }
        const std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < smallest[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += n;
    }
    return true;
}
bool has_nul(std::string_view s) { return s.find('\0') != std::string_view::npos; }
// Text that LIKE can match as itself on both backends.
bool matchable(std::string_view s) { return !has_nul(s) && valid_utf8(s); }

std::string escaped(std::string_view s) {  // a LIKE pattern matching s alone
    std::string out;
    for (char c : s) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

using namespace std::string_literals;

const std::vector<std::string> fragments = {
    "'",
    "''",
    "\"",
    "`",
    "\\",
    "\\\\",
    "\\'",
    "\\0",
    "\\x00",
    "\\n",
    "%",
    "_",
    "%_%",
    "\\%",
    "[a-z]",
    "^$",
    "*",
    "'; DROP TABLE users; --",
    "\" OR 1=1 --",
    "') OR ('1'='1",
    "/*",
    "*/",
    "--",
    ";",
    " UNION SELECT NULL --",
    "$1",
    "$2",
    "$0",
    "?",
    "?1",
    "?999",
    ":name",
    "@p",
    "%s",
    "{}",
    "${x}",
    "\\$1",
    "\xF0\x9F\x98\x80",                              // emoji
    "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7",  // a joined emoji sequence
    "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7",              // a flag
    "\xE2\x80\xAE",
    "\xE2\x80\x8F",
    "\xE2\x80\x8B",
    "\xEF\xBB\xBF",  // RLO, RLM, ZWSP, BOM
    "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D",
    "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7",  // Hebrew, Arabic
    "e\xCC\x81",
    "\xEF\xBF\xBD",
    "\xC2\x80",
    "\xF4\x8F\xBF\xBF",  // combining mark, U+FFFD, U+0080, U+10FFFF
    "\t",
    "\r\n",
    "\x01",
    "\x1B[31m",
    "\x7F",  // control characters
    "\0"s,
    "a\0b"s,  // NUL bytes
    "\xFF",
    "\xFE",
    "\xC0\x80",
    "\xED\xA0\x80",
    "\xF4\x90\x80\x80",
    "\x80",
    "\xE2\x82",
    "\xC3",  // malformed UTF-8
    "plain",
    "Robert",
    " ",
    "",
};

struct generator {
    std::mt19937_64 rng{20261205};
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng() % n); }
    std::string random_bytes(std::size_t n) {
        std::string out(n, '\0');
        for (char& c : out) c = static_cast<char>(rng() & 0xFF);
        return out;
    }
    std::string piece() {
        if (below(20) == 0) return random_bytes(1 + below(8));
        return fragments[below(fragments.size())];
    }
    std::string matchable_piece() {
        for (;;)
            if (std::string p = fragments[below(fragments.size())]; matchable(p)) return p;
    }
    // before: the values so far; those from batch_start on are in the table with this one.
    std::string text(std::size_t i, const std::vector<std::string>& before, std::size_t batch_start) {
        if (i == 0) return {};
        if (i % 97 == 0 && i > batch_start) return before[batch_start + below(i - batch_start)];  // held twice
        std::string out;
        if (i % 499 == 0) {
            // Large: 4 KiB to 1 MiB, one of them exactly 1 MiB; every other one
            // of valid text only, which LIKE can match (over SQLite's limit).
            const std::size_t sizes[] = {4096, 60'000, 300'000, 1u << 20};
            const std::size_t size = i == 499 ? (1u << 20) : sizes[below(4)];
            if (i % 998 == 0) {
                while (out.size() < size) out += matchable_piece();
                return out;
            }
            while (out.size() < size) out += piece();
            out.resize(size);  // may cut a character: that is one more malformed ending
            return out;
        }
        for (std::size_t k = 0, n = 1 + below(6); k < n; ++k) out += piece();
        return out;
    }
    ctorm::blob bytes(std::size_t i, const std::string& text) {
        std::string raw;
        if (i % 3 == 0) raw = text;  // the text's own bytes
        else if (i % 499 == 1) raw = random_bytes(i == 1 ? (1u << 20) : 100'000);
        else raw = random_bytes(below(65));
        ctorm::blob out(raw.size());
        std::transform(raw.begin(), raw.end(), out.begin(), [](char c) { return static_cast<std::byte>(c); });
        return out;
    }
};

Everything row_with(std::string text, ctorm::blob bytes) {
    Everything row;
    row.text_value = std::move(text);
    row.bytes = std::move(bytes);
    row.at = ctorm_test::at(2024, 1, 1);
    row.day = ctorm_test::on(2024, 1, 1);
    row.feeling = mood::happy;
    return row;
}

using ids = std::vector<std::int64_t>;

template <class Rows>
ids sorted_ids(Rows&& rows) {
    ids out;
    for (std::int64_t id : rows) out.push_back(id);
    std::sort(out.begin(), out.end());
    return out;
}

template <class Connection>
std::string canary(Connection& db) {
    std::string out;
    for (auto [id, email, name] : db.all(select(users.id, users.email, users.name).order_by(users.id))) {
        out += std::to_string(id) + '|' + email + '|' + name + '\n';
    }
    return out;
}

struct tally {
    std::size_t strings = 0, blobs = 0, round_trips = 0, blob_round_trips = 0;
    std::size_t refused_insert = 0, refused_like = 0, refused_in = 0, sqlite_like_limit = 0;
    std::size_t lookups = 0, held_twice = 0, like_extra_rows = 0;
};

}  // namespace

TEMPLATE_TEST_CASE("10,000 adversarial strings and blobs round-trip byte for byte or are refused clearly",
                   "[adversarial]", CTORM_TEST_BACKENDS) {
    const bool sqlite = TestType::kind == ctorm::sqlite_dialect::name;
    auto db = TestType::fresh();
    for (const char* email : {"a@x.io", "b'--@x.io", "c\"@x.io"}) {
        db.execute(insert(users).values(User{.email = email, .name = "canary " + std::string(email)}));
    }
    const std::string canary_before = canary(db);

    generator gen;
    std::vector<std::string> texts;
    texts.reserve(value_count);
    tally seen;
    for (std::size_t lo = 0; lo < value_count; lo += batch_size) {
        db.execute(delete_from(everything));
        std::map<std::int64_t, std::string> text_of;
        std::map<std::int64_t, ctorm::blob> bytes_of;
        std::set<std::int64_t> stand_ins;  // rows whose text PostgreSQL refused
        std::vector<std::pair<std::string, ctorm::blob>> batch;
        for (std::size_t i = lo; i < lo + batch_size; ++i) {
            texts.push_back(gen.text(i, texts, lo));
            batch.emplace_back(texts.back(), gen.bytes(i, texts.back()));
        }
        // Insert: every text on SQLite; on PostgreSQL the ones its text can hold.
        // The blob goes in beside it, or with a plain text when the text is refused.
        auto insert_batch = [&] {
            for (auto& [text, bytes] : batch) {
                ++seen.strings;
                ++seen.blobs;
                const bool storable = sqlite || matchable(text);
                if (storable) {
                    const std::int64_t id =
                        db.scalar(insert(everything).values(row_with(text, bytes)).returning(everything.id));
                    text_of[id] = text;
                    bytes_of[id] = bytes;
                } else {
                    try {
                        db.execute(insert(everything).values(row_with(text, bytes)));
                        FAIL("PostgreSQL stored text with a NUL byte or malformed UTF-8");
                    } catch (const ctorm::data_error& e) {
                        CHECK(e.sqlstate() == "22021");
                        CHECK_THAT(e.what(), Catch::Contains("everything.text_value"));
                        ++seen.refused_insert;
                    }
                    const std::int64_t id =
                        db.scalar(insert(everything).values(row_with("refused", bytes)).returning(everything.id));
                    text_of[id] = "refused";
                    stand_ins.insert(id);
                    bytes_of[id] = bytes;
                }
            }
        };
        if (sqlite) {  // one transaction a batch: no sync to disk for each row of the file database
            auto tx = db.begin();
            insert_batch();
            tx.commit();
        } else {  // on PostgreSQL a refused insert would end the transaction
            insert_batch();
        }
        // Read back, byte for byte.
        for (auto [id, text, bytes] : db.all(select(everything.id, everything.text_value, everything.bytes))) {
            REQUIRE(text_of.count(id) == 1);
            if (text == text_of[id]) seen.round_trips += stand_ins.count(id) ? 0 : 1;
            else
                FAIL_CHECK("text of row " << id << " changed: " << text_of[id].size() << " bytes in, " << text.size()
                                          << " out");
            if (bytes == bytes_of[id]) ++seen.blob_round_trips;
            else FAIL_CHECK("blob of row " << id << " changed");
        }
        std::map<std::string, ids> ids_of_text;
        std::map<ctorm::blob, ids> ids_of_bytes;
        for (auto& [id, text] : text_of) ids_of_text[text].push_back(id);
        for (auto& [id, bytes] : bytes_of) ids_of_bytes[bytes].push_back(id);

        for (auto& [text, bytes] : batch) {
            const ids expected = ids_of_text.count(text) ? ids_of_text[text] : ids{};
            const ids expected_bytes = ids_of_bytes[bytes];
            ++seen.lookups;
            if (expected.size() > 1) ++seen.held_twice;
            // ==, static and dynamic. PostgreSQL refuses a text it cannot hold.
            if (sqlite || matchable(text)) {
                CHECK(sorted_ids(db.all(select(everything.id).where(everything.text_value == text))) == expected);
                auto q = dynamic(select(everything.id));
                q.where(everything.text_value == text);
                CHECK(sorted_ids(db.all(q)) == expected);
            } else {
                CHECK_THROWS_AS(db.all(select(everything.id).where(everything.text_value == text)), ctorm::data_error);
                auto q = dynamic(select(everything.id));
                q.where(everything.text_value == text);
                try {
                    (void)db.all(q);
                    FAIL_CHECK("dynamic() == with text PostgreSQL cannot hold found rows");
                } catch (const ctorm::data_error& e) {
                    CHECK(e.sqlstate() == "22021");
                    CHECK_THAT(e.what(), Catch::Contains("everything.text_value"));
                }
            }
            CHECK(sorted_ids(db.all(select(everything.id).where(everything.bytes == bytes))) == expected_bytes);
            {
                auto q = dynamic(select(everything.id));
                q.where(everything.bytes == bytes);
                CHECK(sorted_ids(db.all(q)) == expected_bytes);
            }
            // like: the text's own pattern.
            const std::string pattern = escaped(text);
            if (!matchable(text)) {
                try {
                    (void)everything.text_value.like(pattern);
                    FAIL_CHECK("a LIKE pattern with a NUL byte or malformed UTF-8 was accepted");
                } catch (const ctorm::value_error& e) {
                    CHECK(e.table() == "everything");
                    CHECK(e.column() == "text_value");
                    ++seen.refused_like;
                }
            } else if (sqlite && pattern.size() > sqlite_like_limit) {
                try {
                    (void)db.all(select(everything.id).where(everything.text_value.like(pattern)));
                    FAIL_CHECK("SQLite took a LIKE pattern over its length limit");
                } catch (const ctorm::database_error& e) {
                    CHECK_THAT(e.what(), Catch::Contains("pattern too complex"));
                    ++seen.sqlite_like_limit;
                }
            } else {
                const ids found = sorted_ids(db.all(select(everything.id).where(everything.text_value.like(pattern))));
                // Every row that holds the text, and on SQLite perhaps rows whose
                // text LIKE cannot read as itself; nothing else.
                for (std::int64_t id : expected) CHECK(std::binary_search(found.begin(), found.end(), id));
                for (std::int64_t id : found) {
                    if (std::binary_search(expected.begin(), expected.end(), id)) continue;
                    CHECK(sqlite);
                    CHECK_FALSE(matchable(text_of[id]));
                    ++seen.like_extra_rows;
                }
            }
            // in_(list), with a second element no row holds.
            const std::vector<std::string> list{text, "\x01no row holds this\x02"};
            if (has_nul(text)) {
                try {
                    (void)everything.text_value.in_(list);
                    FAIL_CHECK("in_(list) took text with a NUL byte");
                } catch (const ctorm::value_error& e) {
                    CHECK(e.column() == "text_value");
                    ++seen.refused_in;
                }
            } else if (sqlite || matchable(text)) {
                CHECK(sorted_ids(db.all(select(everything.id).where(everything.text_value.in_(list)))) == expected);
            } else {
                try {
                    (void)db.all(select(everything.id).where(everything.text_value.in_(list)));
                    FAIL_CHECK("PostgreSQL took malformed UTF-8 in an in_(list)");
                } catch (const ctorm::data_error& e) {
                    CHECK(e.sqlstate() == "22021");
                    ++seen.refused_in;
                }
            }
        }
    }
    CHECK(canary(db) == canary_before);
    CHECK(db.scalar(select(ctorm::count()).from(users)) == 3);
    CHECK(seen.strings == value_count);
    CHECK(seen.round_trips + seen.refused_insert == value_count);
    CHECK(seen.blob_round_trips == value_count);
    CHECK(seen.held_twice > 0);  // the generator makes some of each kind
    CHECK(seen.refused_like > 0);
    CHECK(seen.refused_in > 0);
    if (sqlite) CHECK(seen.sqlite_like_limit > 0);
    WARN(TestType::kind << ": " << seen.strings << " strings and " << seen.blobs << " blobs; " << seen.round_trips
                        << " strings and " << seen.blob_round_trips << " blobs round-tripped; refused: "
                        << seen.refused_insert << " inserts, " << seen.refused_like << " LIKE patterns, "
                        << seen.refused_in << " in_ lists, " << seen.sqlite_like_limit << " over SQLite's LIKE limit; "
                        << seen.like_extra_rows << " extra LIKE rows (SQLite, text LIKE reads as other characters)");
}
