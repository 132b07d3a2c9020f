// unique_handle<T, Close>: the one owner of a C library handle (a sqlite3, a
// sqlite3_stmt, a PGconn, a PGresult), closed by Close when it goes, moved
// with its owner. It reads as the raw pointer, so C calls take it as it is.
#pragma once

#include <utility>

namespace ctorm::detail {

template <class T, auto Close>
class unique_handle {
public:
    unique_handle() noexcept = default;
    explicit unique_handle(T* handle) noexcept : handle_(handle) {}
    unique_handle(unique_handle&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    unique_handle& operator=(unique_handle&& other) noexcept {
        if (this != &other) reset(std::exchange(other.handle_, nullptr));
        return *this;
    }
    unique_handle(const unique_handle&) = delete;
    unique_handle& operator=(const unique_handle&) = delete;
    ~unique_handle() { reset(); }

    // Closes the handle held (if any) and holds `handle` instead.
    void reset(T* handle = nullptr) noexcept {
        if (handle_) Close(handle_);
        handle_ = handle;
    }
    // Where an open function writes the new handle (the old one closed first).
    T** out() noexcept {
        reset();
        return &handle_;
    }
    T* get() const noexcept { return handle_; }
    operator T*() const noexcept { return handle_; }

private:
    T* handle_ = nullptr;
};

}  // namespace ctorm::detail
