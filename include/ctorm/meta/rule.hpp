// The one rule base: CTORM_DETAIL_RULE(message, condition) makes a struct a
// compile-time rule (CTORM_DETAIL_RULE_2 one with two messages).
//
// A rule is a named type whose template arguments are what it checks (the
// offending column, the two sides of a comparison), so the compiler prints
// them with the message. Naming a broken rule, even instantiating it, never
// fails: a test can assert that a check computes assert_column_in_from<posts_views>.
// Only `check()` fires the rule's static_assert, at the one place a statement
// calls it, so a broken statement gives one error, not a cascade of
// incomplete-type errors.
//
// The message is a macro argument rather than a template argument because
// static_assert needs a string literal for every compiler to quote it (clang
// 14 prints a fixed_string message as a list of numbers).
#pragma once

// The body of a rule, its message first (the condition may hold commas):
//   template <class Column>
//   struct assert_x { CTORM_DETAIL_RULE("ctorm: ... (see the column type below)", std::is_void_v<Column>); };
// Nothing else is declared in a rule: a member per rule instantiation (a
// `holds` flag, say) costs measurable compiler memory (bench/compile_time).
#define CTORM_DETAIL_RULE(message, ...)        \
    static consteval bool check() {            \
        static_assert((__VA_ARGS__), message); \
        return true;                           \
    }                                          \
    static_assert(true)

// A rule with two messages, the second checked only when the first condition
// holds, so that one mistake (comparing with std::nullopt) is not reported as
// another (incompatible types). Conditions with commas go in parentheses.
// One type, not two rules chained: a comparison is the most common node, and
// a second rule type per comparison costs measurable compiler memory.
#define CTORM_DETAIL_RULE_2(message1, condition1, message2, condition2) \
    static consteval bool check() {                                     \
        static_assert((condition1), message1);                          \
        static_assert(!(condition1) || (condition2), message2);         \
        return true;                                                    \
    }                                                                   \
    static_assert(true)
