// expect: ctorm: a backend needs run_script\(const std::string&\)
// Rule: basic_connection<B> checks B's primitives one by one and names the one missing.
#include <ctorm/ctorm.hpp>
#include <ctorm/engine/connection.hpp>
#include <ctorm/engine/statement_cache.hpp>

#include <string>
#include <string_view>

// A backend with every primitive but, under CTORM_COMPILE_FAIL, run_script.
struct toy_backend {
    using dialect = ctorm::sqlite_dialect;
    enum class transaction_options { plain };
    static constexpr bool binds_by_reference = false;
    static std::string_view begin_text(transaction_options) noexcept { return "BEGIN"; }
#ifndef CTORM_COMPILE_FAIL
    void run_script(const std::string&) {}
#endif
    void run_script_noexcept(const std::string&) noexcept {}
    ctorm::execute_result script_result() const noexcept { return {}; }
    bool in_transaction() const noexcept { return false; }
    ctorm::detail::statement_cache<int, int>& cache() noexcept { return cache_; }
    const ctorm::detail::statement_cache<int, int>& cache() const noexcept { return cache_; }
    void* native_handle() const noexcept { return nullptr; }
    template <class Q>
    struct cursor {
        cursor(toy_backend&, const Q&) {}
        cursor(toy_backend&, const Q&, ctorm::detail::streaming_t) {}
        bool step() { return false; }
        template <class Row>
        void read(Row&) {}
    };
    ctorm::detail::statement_cache<int, int> cache_;
};

#ifndef CTORM_COMPILE_FAIL
static_assert(ctorm::database_backend<toy_backend>);
#endif

// Naming the connection type instantiates the check.
std::size_t size_of_toy_connection() { return sizeof(ctorm::basic_connection<toy_backend>); }
