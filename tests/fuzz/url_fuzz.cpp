// Fuzz target: ctorm::parse_url and the redaction of URLs and libpq keyword
// strings. Invariants: parse_url either returns or throws ctorm::url_error;
// a parsed URL's redacted() parses back to the same URL with *** for the
// secrets, and redacting that again gives the same text; no secret value
// appears in a redacted form; redacting a keyword string twice changes
// nothing the first time did not.
#include <ctorm/engine/url.hpp>
#include <ctorm/errors.hpp>
#include <ctorm/postgres/connection.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"

namespace {

using ctorm_fuzz::check;

ctorm::url with_secrets_hidden(ctorm::url u) {
    if (!u.password.empty()) u.password = "***";
    for (auto& [key, value] : u.query)
        if (ctorm::detail::url_text::is_secret_option(key)) value = "***";
    return u;
}

void check_url(std::string_view text) {
    ctorm::url u;
    try {
        u = ctorm::parse_url(text);
    } catch (const ctorm::url_error&) {
        return;  // refused, as documented
    }
    const std::string redacted = u.redacted();
    ctorm::url again;
    try {
        again = ctorm::parse_url(redacted);
    } catch (const ctorm::url_error& e) {
        ctorm_fuzz::broken("the redacted form parses", e.what());
    }
    check(again == with_secrets_hidden(u), "the redacted form parses back to the same URL", redacted);
    check(again.redacted() == redacted, "redacting the redacted form changes nothing", redacted);
    // A password of its own (not *** already) must not show; the encoded form
    // is what the text holds, so look for that.
    if (u.password.size() > 3 && u.password != "***") {
        std::string encoded;
        ctorm::detail::url_text::append_encoded(encoded, u.password, ctorm::detail::url_text::keep_in_user);
        check(redacted.find(":" + encoded + "@") == std::string::npos, "the password does not show", redacted);
    }
}

void check_keyword_string(std::string_view text) {
    const std::string once = ctorm::postgres::detail::redact_keyword_string(text);
    const std::string twice = ctorm::postgres::detail::redact_keyword_string(once);
    check(twice == once, "redacting a redacted keyword string changes nothing", once);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_url(text);
    check_keyword_string(text);
    return 0;
}
