// shared_const<T>: an immutable T shared by reference count, for exception
// payloads. Copying never throws (the runtime may copy an exception while
// unwinding), and the count is atomic, so an exception_ptr may cross threads.
// It stands in for std::shared_ptr<const T> so that the headers every user
// includes do not pull in <memory> and <atomic> (about 20 MB and 0.2 s of
// g++ time per translation unit, measured by bench/compile_time).
#pragma once

#include <utility>

namespace ctorm::detail {

template <class T>
class shared_const {
public:
    explicit shared_const(T value) : node_(new node{std::move(value), 1}) {}
    // No moving: a moved-from exception must still answer its accessors, so
    // every copy holds the value (a copy is one atomic increment).
    shared_const(const shared_const& other) noexcept : node_(other.node_) {
        __atomic_add_fetch(&node_->count, 1, __ATOMIC_RELAXED);
    }
    shared_const& operator=(const shared_const& other) noexcept {
        shared_const copy(other);
        std::swap(node_, copy.node_);
        return *this;
    }
    ~shared_const() {
        if (__atomic_sub_fetch(&node_->count, 1, __ATOMIC_ACQ_REL) == 0) delete node_;
    }

    const T& operator*() const noexcept { return node_->value; }
    const T* operator->() const noexcept { return &node_->value; }

private:
    struct node {
        T value;
        long count;
    };
    node* node_;
};

}  // namespace ctorm::detail
