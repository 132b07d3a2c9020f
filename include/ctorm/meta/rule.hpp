// The one rule base: CTORM_DETAIL_RULE(message, condition) makes a struct a
// compile-time rule, and meta::first_broken makes one rule of several.
//
// A rule is a named type whose template arguments are what it checks (the
// offending column, the two sides of a comparison), so the compiler prints
// them with the message. Naming a rule, or reading its `holds`, never fails:
// a test can assert `!assert_column_in_from<posts_views>::holds`. Only
// `check()` fires the rule's static_assert, at the one place a statement
// calls it, so a broken statement gives one error, not a cascade of
// incomplete-type errors.
//
// The message is a macro argument rather than a template argument because
// static_assert needs a string literal for every compiler to quote it (clang
// 14 prints a fixed_string message as a list of numbers).
#pragma once

namespace ctorm::meta {

template <class Rule, class... Rest>
struct first_broken_rule {
    using type = Rule;
};
template <class Rule, class Next, class... Rest>
    requires(Rule::holds)
struct first_broken_rule<Rule, Next, Rest...> : first_broken_rule<Next, Rest...> {};

// One rule made of several, checked in order: the first of Rules that is
// broken (the last one when all hold). An alias, so that the compiler reports
// the broken rule itself, with no frame of its own.
template <class... Rules>
using first_broken = typename first_broken_rule<Rules...>::type;

}  // namespace ctorm::meta

// The body of a rule, its message first (the condition may hold commas):
//   template <class Column>
//   struct assert_x { CTORM_DETAIL_RULE("ctorm: ... (see the column type below)", std::is_void_v<Column>); };
#define CTORM_DETAIL_RULE(message, ...)          \
    static constexpr bool holds = (__VA_ARGS__); \
    static consteval bool check() {              \
        static_assert(holds, message);           \
        return true;                             \
    }                                            \
    static_assert(true)
