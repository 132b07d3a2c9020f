// ctorm::url and parse_url: database URLs in SQLAlchemy's form (sqlite:///file.db, postgresql://user:pass@host/db).
#pragma once

#include <ctorm/errors.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctorm {

struct url {
    std::string scheme;  // "sqlite" or "postgresql" ("postgres" is normalised)
    std::string user, password;
    std::string host;                                          // the first of hosts, or empty
    std::uint16_t port = 0;                                    // the first of hosts' ports; 0 when the URL gives none
    std::vector<std::pair<std::string, std::uint16_t>> hosts;  // every host, in order
    std::string database;                                      // for sqlite: the file path or ":memory:"
    std::vector<std::pair<std::string, std::string>> query;

    // The URL with the password (and any password= option) shown as ***, for
    // logs and messages. Parsing it again gives back the same url except those.
    std::string redacted() const;

    // The value of a query option; when an option repeats, the last one wins,
    // as later settings override earlier ones in a libpq connection string.
    std::optional<std::string_view> option(std::string_view key) const {
        for (auto it = query.rbegin(); it != query.rend(); ++it) {
            if (it->first == key) {
                return std::string_view(it->second);
            }
        }
        return std::nullopt;
    }

    bool operator==(const url&) const = default;
};

namespace detail {
// The position string_view::find* returned, or the end when it found nothing.
constexpr std::size_t found_or_end(std::size_t found, std::size_t size) noexcept { return found < size ? found : size; }
}  // namespace detail

namespace detail::url_text {

constexpr bool is_unreserved(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

constexpr bool is_hex_digit(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

constexpr unsigned hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    return static_cast<unsigned>(c - 'A' + 10);
}

// keep lists the characters besides the unreserved ones that stay as they are
// in this part of the URL; everything else becomes %XX.
inline void append_encoded(std::string& out, std::string_view text, std::string_view keep) {
    constexpr char hex[] = "0123456789ABCDEF";
    for (char c : text) {
        if (is_unreserved(c) || keep.find(c) != std::string_view::npos) {
            out += c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 0x0Fu];
        }
    }
}

// Characters each part may hold unencoded and still parse back the same.
inline constexpr std::string_view keep_in_user = "!$&'()*+,;=";
inline constexpr std::string_view keep_in_host = "!$&'()*+;=";
inline constexpr std::string_view keep_in_path = "!$&'()*+,;=:@/";
inline constexpr std::string_view keep_in_postgres_database = "!$&'()*+,;=:/";
// Not '@' in the query: a raw '@' after the host reads as the end of a
// password that holds a raw '/' or '?', which the parser refuses.
inline constexpr std::string_view keep_in_query = "!$'()*,;:/?";

// The options whose values are secrets, as libpq names them: the password and
// the pass phrase of the client's SSL key. (sslkey, sslcert, passfile and the
// like name files: shown, since they help to find a problem and hold no secret.)
constexpr bool is_secret_option(std::string_view key) noexcept { return key == "password" || key == "sslpassword"; }

// A host that the URL writes in brackets: an IPv6 address (hex digits, ':'
// and '.', with at least one ':'); any other host with a ':' is percent-encoded.
constexpr bool is_ipv6_literal(std::string_view host) noexcept {
    if (host.find(':') == std::string_view::npos) return false;
    for (char c : host)
        if (!is_hex_digit(c) && c != ':' && c != '.') return false;
    return true;
}

inline void append_query(std::string& out, const std::vector<std::pair<std::string, std::string>>& query) {
    char separator = '?';
    for (const auto& [key, value] : query) {
        out += separator;
        separator = '&';
        append_encoded(out, key, keep_in_query);
        out += '=';
        if (is_secret_option(key)) {
            out += "***";
        } else {
            append_encoded(out, value, keep_in_query);
        }
    }
}

// Parsing state for one URL. Every error quotes the URL only through
// url_error, which redacts it; a problem text never quotes a part that could
// hold a password.
class parser {
public:
    explicit parser(std::string_view text) : text_(text) {}

    url parse() {
        url result;
        // libpq and SQLite read the text as a C string: after a NUL they would
        // see none of the rest (an sslmode=require that ctorm parsed, say).
        for (std::size_t i = 0; i < text_.size(); ++i) {
            const auto byte = static_cast<unsigned char>(text_[i]);
            if (byte < 0x20 || byte == 0x7f) {
                constexpr char hex[] = "0123456789ABCDEF";
                fail(std::string("it contains the control character 0x") + hex[byte >> 4] + hex[byte & 0x0Fu] +
                     " at byte " + std::to_string(i) +
                     (byte == 0 ? "; a NUL byte cannot be passed on" : "; percent-encode it in a value"));
            }
        }
        const auto colon = text_.find(':');
        if (colon == std::string_view::npos || colon == 0 || !is_scheme(text_.substr(0, colon))) {
            fail(
                "it does not start with a scheme; write sqlite:///file.db or "
                "postgresql://user:password@host/database");
        }
        result.scheme = lower(text_.substr(0, colon));
        if (result.scheme == "postgres") {
            result.scheme = "postgresql";
        }
        if (result.scheme != "sqlite" && result.scheme != "postgresql") {
            fail("unknown scheme '" + std::string(text_.substr(0, colon)) +
                 "'; supported schemes are sqlite, postgresql and postgres");
        }
        if (text_.substr(colon + 1, 2) != "//") {
            fail("missing '//' after '" + result.scheme + ":'; write " +
                 (result.scheme == "sqlite" ? "sqlite:///file.db" : "postgresql://user:password@host/database"));
        }
        const auto rest = text_.substr(colon + 3);
        if (result.scheme == "sqlite") {
            parse_sqlite(rest, result);
        } else {
            parse_postgres(rest, result);
        }
        return result;
    }

private:
    [[noreturn]] void fail(const std::string& problem) const { throw url_error(problem, text_); }

    static bool is_scheme(std::string_view s) noexcept {
        for (char c : s) {
            const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            const bool other = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
            if (!letter && !other) return false;
        }
        return true;
    }

    static std::string lower(std::string_view s) {
        std::string out(s);
        for (char& c : out) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
        return out;
    }

    std::string decode(std::string_view part, std::string_view what) const {
        std::string out;
        out.reserve(part.size());
        for (std::size_t i = 0; i < part.size(); ++i) {
            if (part[i] != '%') {
                out += part[i];
                continue;
            }
            if (i + 2 >= part.size() || !is_hex_digit(part[i + 1]) || !is_hex_digit(part[i + 2])) {
                fail("bad percent escape in the " + std::string(what) +
                     "; '%' must be followed by two hex digits (write %25 for a literal '%')");
            }
            const auto byte = static_cast<char>(hex_value(part[i + 1]) * 16 + hex_value(part[i + 2]));
            if (byte == '\0') {
                fail("the " + std::string(what) + " contains %00; a NUL byte cannot be passed on");
            }
            out += byte;
            i += 2;
        }
        return out;
    }

    void parse_query(std::string_view text, url& result) const {
        while (!text.empty()) {
            const auto end = text.find('&');
            const auto pair = text.substr(0, end);
            text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
            if (pair.empty()) {
                continue;  // "a=1&&b=2" and a trailing '&' are harmless
            }
            const auto equals = pair.find('=');
            const auto key = pair.substr(0, equals);
            if (key.empty()) {
                fail("a query option has no name before '='");
            }
            auto value = equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
            result.query.emplace_back(decode(key, "query option names"), decode(value, "query option values"));
        }
    }

    void parse_sqlite(std::string_view rest, url& result) const {
        const auto question = rest.find('?');
        const auto body = rest.substr(0, question);
        if (question != std::string_view::npos) {
            parse_query(rest.substr(question + 1), result);
        }
        if (body.empty()) {
            result.database = ":memory:";
            return;
        }
        if (body.front() != '/') {
            // SQLAlchemy reads sqlite://file.db as host "file.db" and silently opens
            // an in-memory database; refuse instead.
            fail(
                "a sqlite URL has no host; write sqlite:///relative.db for a relative path, "
                "sqlite:////absolute/path.db for an absolute one, or sqlite:///:memory:");
        }
        const auto path = body.substr(1);
        if (path.empty()) {
            fail(
                "the sqlite file path is empty; write sqlite:///file.db, or sqlite:///:memory: "
                "for an in-memory database");
        }
        result.database = decode(path, "file path");
    }

    std::uint16_t parse_port(std::string_view digits) const {
        if (digits.empty()) {
            fail("a ':' after a host is not followed by a port number");
        }
        unsigned long value = 0;
        for (char c : digits) {
            if (c < '0' || c > '9' || digits.size() > 5) {
                std::string problem = "port '" + std::string(digits) + "' is not a number from 1 to 65535";
                if (digits.find(':') != std::string_view::npos) {
                    problem += "; write an IPv6 address in brackets, as in [::1]:5432";
                }
                fail(problem);
            }
            value = value * 10 + static_cast<unsigned long>(c - '0');
        }
        if (value == 0 || value > 65535) {
            fail("port " + std::string(digits) + " is out of range; ports run from 1 to 65535");
        }
        return static_cast<std::uint16_t>(value);
    }

    void parse_hosts(std::string_view list, url& result) const {
        if (list.empty()) {
            return;
        }
        std::size_t i = 0;
        for (;;) {
            std::string host;
            std::uint16_t port = 0;
            if (i < list.size() && list[i] == '[') {
                const auto close = list.find(']', i);
                if (close == std::string_view::npos) {
                    fail("an IPv6 address opened with '[' has no closing ']'");
                }
                const auto address = list.substr(i + 1, close - i - 1);
                bool valid = !address.empty() && address.find(':') != std::string_view::npos;
                for (char c : address) {
                    valid = valid && (is_hex_digit(c) || c == ':' || c == '.');
                }
                if (!valid) {
                    fail("'[" + std::string(address) + "]' is not an IPv6 address");
                }
                host = std::string(address);
                i = close + 1;
                if (i < list.size() && list[i] != ':' && list[i] != ',') {
                    fail("unexpected text after the IPv6 address [" + host + "]");
                }
            } else {
                const auto end = list.find_first_of(":,", i);
                const auto name = list.substr(i, end == std::string_view::npos ? end : end - i);
                if (name.find_first_of("[]") != std::string_view::npos) {
                    fail("a host name contains '[' or ']'; only an IPv6 address goes in brackets");
                }
                host = decode(name, "host");
                i = end == std::string_view::npos ? list.size() : end;
            }
            if (i < list.size() && list[i] == ':') {
                const auto end = list.find(',', i + 1);
                port = parse_port(list.substr(i + 1, end == std::string_view::npos ? end : end - i - 1));
                i = end == std::string_view::npos ? list.size() : end;
            }
            result.hosts.emplace_back(std::move(host), port);
            if (i >= list.size()) {
                break;
            }
            ++i;  // the ','
        }
        // One host may be empty ("postgresql://:5433/db" means the default host
        // with that port); in a list an empty entry is a typo.
        if (result.hosts.size() > 1) {
            for (const auto& entry : result.hosts) {
                if (entry.first.empty()) {
                    fail("the host list has an empty entry");
                }
            }
        }
        result.host = result.hosts.front().first;
        result.port = result.hosts.front().second;
    }

    void parse_postgres(std::string_view rest, url& result) const {
        const auto authority_end = detail::found_or_end(rest.find_first_of("/?"), rest.size());
        const auto authority = rest.substr(0, authority_end);
        const auto at = authority.rfind('@');
        if (const auto later_at = rest.find('@', authority_end); later_at != std::string_view::npos) {
            // An '@' after the first '/' or '?' most likely ends a user name or
            // password that holds a raw '/', '?' or '@'. Parsing on would take part
            // of the password for a host, a port, the database or an option, and
            // might print it.
            const auto query_start = detail::found_or_end(rest.find('?', authority_end), rest.size());
            const bool in_path = later_at < query_start;
            const bool after_password_like = at == std::string_view::npos && authority_end < rest.size() &&
                                             rest[authority_end] == '?' &&
                                             authority.find(':') != std::string_view::npos;
            if (in_path || after_password_like) {
                fail(
                    "'@' appears after the host part; percent-encode '/', '?' and '@' in the user "
                    "name and password (for example '/' as %2F), and '@' in the database name as %40");
            }
        }
        if (at != std::string_view::npos) {
            const auto userinfo = authority.substr(0, at);
            const auto colon = userinfo.find(':');
            result.user = decode(userinfo.substr(0, colon), "user name");
            if (colon != std::string_view::npos) {
                result.password = decode(userinfo.substr(colon + 1), "password");
            }
        }
        parse_hosts(at == std::string_view::npos ? authority : authority.substr(at + 1), result);
        auto tail = rest.substr(authority_end);
        const auto question = tail.find('?');
        if (!tail.empty() && tail.front() == '/') {
            result.database =
                decode(tail.substr(1, question == std::string_view::npos ? question : question - 1), "database name");
        }
        if (question != std::string_view::npos) {
            parse_query(tail.substr(question + 1), result);
        }
    }

    std::string_view text_;
};

}  // namespace detail::url_text

// Throws url_error, whose message shows the URL with its password hidden.
inline url parse_url(std::string_view text) { return detail::url_text::parser(text).parse(); }

inline std::string url::redacted() const {
    using namespace detail::url_text;
    std::string out = scheme;
    out += "://";
    if (scheme == "sqlite") {
        if (!database.empty()) {
            out += '/';
            append_encoded(out, database, keep_in_path);
        }
        append_query(out, query);
        return out;
    }
    if (!user.empty() || !password.empty()) {
        append_encoded(out, user, keep_in_user);
        if (!password.empty()) {
            out += ":***";
        }
        out += '@';
    }
    const char* separator = "";
    for (const auto& [name, number] : hosts) {
        out += separator;
        separator = ",";
        if (is_ipv6_literal(name)) {
            out += '[';
            out += name;
            out += ']';
        } else {
            append_encoded(out, name, keep_in_host);
        }
        if (number != 0) {
            out += ':';
            out += std::to_string(number);
        }
    }
    if (!database.empty()) {
        out += '/';
        append_encoded(out, database, keep_in_postgres_database);
    }
    append_query(out, query);
    return out;
}

}  // namespace ctorm
