// echo_callback: what a connection calls with the SQL text of every statement
// before it runs (SQLAlchemy's echo). Any callable taking std::string_view;
// nullptr or {} turns echoing off. A small move-only wrapper rather than
// std::function, so that the adapters' headers do without <functional>.
#pragma once

#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

namespace ctorm {

class echo_callback {
public:
    echo_callback() noexcept = default;
    echo_callback(std::nullptr_t) noexcept {}
    template <class F>
        requires(!std::is_same_v<std::remove_cvref_t<F>, echo_callback> &&
                 !std::is_same_v<std::remove_cvref_t<F>, std::nullptr_t> &&
                 std::is_invocable_v<std::decay_t<F>&, std::string_view>)
    echo_callback(F&& f) : target_(new holder<std::decay_t<F>>(std::forward<F>(f))) {}

    echo_callback(echo_callback&& other) noexcept : target_(std::exchange(other.target_, nullptr)) {}
    echo_callback& operator=(echo_callback&& other) noexcept {
        std::swap(target_, other.target_);
        return *this;
    }
    echo_callback(const echo_callback&) = delete;
    echo_callback& operator=(const echo_callback&) = delete;
    ~echo_callback() { delete target_; }

    explicit operator bool() const noexcept { return target_ != nullptr; }
    void operator()(std::string_view sql) const { target_->call(sql); }

private:
    struct callable {
        virtual ~callable() = default;
        virtual void call(std::string_view sql) = 0;
    };
    template <class F>
    struct holder final : callable {
        template <class G>
        explicit holder(G&& g) : f(std::forward<G>(g)) {}
        void call(std::string_view sql) override { f(sql); }
        F f;
    };
    callable* target_ = nullptr;
};

}  // namespace ctorm
