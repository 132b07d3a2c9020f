// expect: ctorm: placeholder rule
// Placeholder that exercises the compile-fail rules; delete once real compile-fail tests exist.
// Compiled as is it must build (the positive twin); with CTORM_COMPILE_FAIL it must fail
// with the message above.
template <class T>
inline constexpr bool always_false_v = false;

template <class T>
void placeholder_rule() {
#ifdef CTORM_COMPILE_FAIL
    static_assert(always_false_v<T>, "ctorm: placeholder rule");
#endif
}

inline void use_placeholder_rule() { placeholder_rule<int>(); }
