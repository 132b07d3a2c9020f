// The compile-time rules, from the side that compiles: the positive twins of tests/compile_fail,
// the type-compatibility tables, the check types computed before any static_assert fires, and
// the overloads that do not exist (checked with concepts).
//
// Two kinds of "no" (STYLE.md): an overload that does not exist is tested here with a concept
// that is false; a mistake that needs an explanation is a static_assert inside a function body,
// which a requires-expression cannot see (it is a hard error, not a false), so it is tested only
// in tests/compile_fail/, with its message:
//   users.email == 42 .......................... compare_text_with_int, compare_int_with_text
//   posts.published_at == std::nullopt ......... compare_with_nullopt
//   posts.views = "x", users.name = optional ... assign_text_to_int, assign_optional_to_not_null,
//                                                assign_nullopt_to_not_null
//   posts.views.like(...), users.email && ... .. like_on_integer, and_of_non_boolean
//   where(users.name) .......................... where_not_boolean
//   a column of a table not in the statement ... column_not_in_from, update_column_other_table,
//                                                delete_where_other_table
//   insert without a NOT NULL column ........... insert_missing_not_null
//   a column assigned twice .................... column_assigned_twice_update, column_assigned_twice_insert
//   insert(...).where / order_by / limit ....... insert_where, insert_order_by, limit_on_insert
//   update / delete .limit() ................... limit_on_update, limit_on_delete (these members exist
//                                                on purpose, to carry the message)
//   to_sql of update(table) without set() ...... update_without_set
//   CTORM_TABLE field and option types ......... unsupported_field_type, default_value_wrong_type,
//                                                foreign_key_type_mismatch
//   sql<D>() of a dynamic select, D unlisted ... dynamic_unknown_dialect
//   a window function in where / group_by /
//   having, an aggregate in group_by, nested
//   aggregates, a set operation ordered by a
//   column that only shares an output name ..... select_window_in_where, select_window_in_group_by,
//                                                select_window_in_having, select_aggregate_in_group_by,
//                                                select_nested_aggregate,
//                                                set_operation_order_by_other_table_column
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../support/blog_schema.hpp"

using namespace ctorm;
using namespace blog;

// A dialect that ctorm/dialect/known.hpp does not list.
struct unlisted_dialect : sqlite_dialect {};

namespace {

using users_table = ctorm_table_users;
using posts_table = ctorm_table_posts;
using user_id = ctorm_table_users::id_column;
using user_email = ctorm_table_users::email_column;
using user_name = ctorm_table_users::name_column;
using user_is_active = ctorm_table_users::is_active_column;
using user_created_at = ctorm_table_users::created_at_column;
using post_views = ctorm_table_posts::views_column;
using post_published_at = ctorm_table_posts::published_at_column;
using post_tag_post_id = ctorm_table_post_tags::post_id_column;

template <class T>
using statement_of = std::remove_cvref_t<T>;

// --- concepts over the public API: what can be called at all -------------------------------

template <class T>
concept can_select = requires(const T& t) {
    ctorm::select(t);
};
template <class T>
concept can_insert_into = requires(const T& t) {
    ctorm::insert(t);
};
template <class T>
concept can_update = requires(const T& t) {
    ctorm::update(t);
};
template <class T>
concept can_delete_from = requires(const T& t) {
    ctorm::delete_from(t);
};
template <class T>
concept can_create_table = requires(const T& t) {
    ctorm::create_table(t);
};
template <class T>
concept can_count = requires(const T& t) {
    ctorm::count(t);
};
template <class T>
concept can_count_distinct = requires(const T& t) {
    ctorm::count_distinct(t);
};

template <class Statement, class Condition>
concept can_where = requires(const Statement& s, const Condition& c) {
    s.where(c);
};
template <class Statement, class Table>
concept can_from = requires(const Statement& s, const Table& t) {
    s.from(t);
};
template <class Statement, class N>
concept can_limit = requires(const Statement& s, const N& n) {
    s.limit(n);
};
template <class Statement, class... Assignments>
concept can_set = requires(const Statement& s, const Assignments&... a) {
    s.set(a...);
};
// Values are passed as rvalues, as in insert(users).values(users.email = "a", ...).
template <class Builder, class... Values>
concept can_insert_values = requires(const Builder& b, Values&&... v) {
    b.values(std::forward<Values>(v)...);
};
template <class Builder, class... Values>
concept can_insert_lvalues = requires(const Builder& b, const Values&... v) {
    b.values(v...);
};
template <class A, class B>
concept can_and = requires(const A& a, const B& b) {
    a&& b;
};
template <class A, class B>
concept can_or = requires(const A& a, const B& b) {
    a || b;
};

using select_users = statement_of<decltype(select(users))>;
using update_users = statement_of<decltype(update(users))>;
using delete_users = statement_of<decltype(delete_from(users))>;
using insert_users = statement_of<decltype(insert(users))>;
using name_is_x = statement_of<decltype(users.name == "x")>;
using name_set_to_x = statement_of<decltype(users.name = "x")>;

}  // namespace

TEST_CASE("rules: what is a table, an expression, a column", "[unit]") {
    STATIC_REQUIRE(table_type<decltype(users)>);
    STATIC_REQUIRE(table_type<decltype(post_tags)>);
    STATIC_REQUIRE_FALSE(table_type<decltype(users.id)>);
    STATIC_REQUIRE_FALSE(table_type<User>);

    STATIC_REQUIRE(expression<decltype(users.email)>);
    STATIC_REQUIRE(column_expression<decltype(users.email)>);
    STATIC_REQUIRE(expression<decltype(users.id == 1)>);
    STATIC_REQUIRE_FALSE(column_expression<decltype(users.id == 1)>);
    STATIC_REQUIRE(expression<decltype(count())>);
    STATIC_REQUIRE_FALSE(expression<int>);
    STATIC_REQUIRE_FALSE(expression<std::string>);
    STATIC_REQUIRE_FALSE(expression<decltype(users)>);
}

TEST_CASE("rules: statements start from a table; aggregates take an expression", "[unit]") {
    STATIC_REQUIRE(can_select<decltype(users)>);
    STATIC_REQUIRE(can_select<decltype(users.id)>);
    STATIC_REQUIRE_FALSE(can_select<int>);
    STATIC_REQUIRE_FALSE(can_select<std::string>);

    STATIC_REQUIRE(can_insert_into<decltype(users)>);
    STATIC_REQUIRE_FALSE(can_insert_into<decltype(users.id)>);
    STATIC_REQUIRE(can_update<decltype(users)>);
    STATIC_REQUIRE_FALSE(can_update<decltype(users.id)>);
    STATIC_REQUIRE(can_delete_from<decltype(users)>);
    STATIC_REQUIRE_FALSE(can_delete_from<decltype(users.id)>);
    STATIC_REQUIRE(can_create_table<decltype(users)>);
    STATIC_REQUIRE_FALSE(can_create_table<decltype(users.id)>);
    STATIC_REQUIRE_FALSE(can_create_table<User>);

    STATIC_REQUIRE(can_count<decltype(users.id)>);
    STATIC_REQUIRE_FALSE(can_count<int>);
    STATIC_REQUIRE_FALSE(can_count<decltype(users)>);  // count() is COUNT(*); a table is not counted by name
    STATIC_REQUIRE(can_count_distinct<decltype(users.email)>);
    STATIC_REQUIRE_FALSE(can_count_distinct<int>);
}

TEST_CASE("rules: where and from take a condition and a table, not a C++ value", "[unit]") {
    STATIC_REQUIRE(can_where<select_users, name_is_x>);
    STATIC_REQUIRE_FALSE(can_where<select_users, bool>);
    STATIC_REQUIRE_FALSE(can_where<select_users, int>);
    STATIC_REQUIRE(can_where<update_users, name_is_x>);
    STATIC_REQUIRE_FALSE(can_where<update_users, bool>);
    STATIC_REQUIRE(can_where<delete_users, name_is_x>);
    STATIC_REQUIRE_FALSE(can_where<delete_users, bool>);

    STATIC_REQUIRE(can_from<select_users, decltype(posts)>);
    STATIC_REQUIRE_FALSE(can_from<select_users, decltype(posts.id)>);
    STATIC_REQUIRE_FALSE(can_from<select_users, int>);

    STATIC_REQUIRE(can_limit<select_users, int>);
    STATIC_REQUIRE(can_limit<select_users, std::int64_t>);
    STATIC_REQUIRE_FALSE(can_limit<select_users, const char*>);
    STATIC_REQUIRE_FALSE(can_limit<select_users, std::string>);

    // SQL conditions do not mix with C++ bools: no overload, and no conversion to bool.
    STATIC_REQUIRE(can_and<decltype(users.is_active), name_is_x>);
    STATIC_REQUIRE(can_or<name_is_x, decltype(users.is_active)>);
    STATIC_REQUIRE_FALSE(can_and<decltype(users.is_active), bool>);
    STATIC_REQUIRE_FALSE(can_and<bool, decltype(users.is_active)>);
    STATIC_REQUIRE_FALSE(can_or<name_is_x, bool>);
    STATIC_REQUIRE_FALSE(std::is_convertible_v<name_is_x, bool>);
}

TEST_CASE("rules: set() and values() take assignments, written with =, not ==", "[unit]") {
    STATIC_REQUIRE(can_set<update_users, name_set_to_x>);
    STATIC_REQUIRE_FALSE(can_set<update_users>);
    STATIC_REQUIRE_FALSE(can_set<update_users, name_is_x>);
    STATIC_REQUIRE_FALSE(can_set<update_users, int>);

    STATIC_REQUIRE(can_insert_values<insert_users, User>);
    STATIC_REQUIRE(can_insert_values<insert_users, std::vector<User>>);
    STATIC_REQUIRE(can_insert_values<insert_users, std::span<const User>>);
    STATIC_REQUIRE(can_insert_values<insert_users, decltype(users.email = "a"), name_set_to_x>);
    STATIC_REQUIRE_FALSE(can_insert_values<insert_users>);
    STATIC_REQUIRE_FALSE(can_insert_values<insert_users, Post>);  // a model of another table
    STATIC_REQUIRE_FALSE(can_insert_values<insert_users, std::vector<Post>>);
    STATIC_REQUIRE_FALSE(can_insert_values<insert_users, name_is_x>);
    STATIC_REQUIRE_FALSE(can_insert_values<insert_users, int>);
    STATIC_REQUIRE(can_insert_lvalues<insert_users, User>);
    STATIC_REQUIRE(can_insert_lvalues<insert_users, std::vector<User>>);
}

// Was a bug: insert_builder::values(A&&, As&&...) tests std::is_base_of on the
// forwarding-reference type, so assignments held in variables are rejected ("no matching
// function"); update(...).set(a) takes them. Fixed; kept as a regression test.
TEST_CASE("rules: values() takes assignments held in variables", "[unit]") {
    CHECK(can_insert_lvalues<insert_users, decltype(users.email = "a"), name_set_to_x>);
    CHECK(can_set<update_users, name_set_to_x>);
}

// --- positive twins: what the rules let through --------------------------------------------

TEST_CASE("rules: comparisons that compile", "[unit]") {
    // Text with every way of spelling text.
    STATIC_REQUIRE(requires { users.email == std::string{}; });
    STATIC_REQUIRE(requires { users.email == std::string_view{}; });
    STATIC_REQUIRE(requires(const char* p) { users.email == p; });
    STATIC_REQUIRE(requires { users.email != "x"; });
    STATIC_REQUIRE(requires { users.email == users.name; });
    // Numbers with numbers, whatever their width and kind.
    STATIC_REQUIRE(requires { users.id == 1; });
    STATIC_REQUIRE(requires { users.id == 1.5; });
    STATIC_REQUIRE(requires { users.id < std::int8_t{1}; });
    STATIC_REQUIRE(requires { posts.views >= std::int64_t{1}; });
    STATIC_REQUIRE(requires { everything.f64 > 1; });
    STATIC_REQUIRE(requires { everything.u32 <= 1u; });
    STATIC_REQUIRE(requires { posts.views < users.id; });
    STATIC_REQUIRE(requires { 1 == users.id; });
    // A nullable column with a plain value.
    STATIC_REQUIRE(requires { posts.published_at < timestamp{}; });
    STATIC_REQUIRE(requires { everything.maybe_int == 5; });
    STATIC_REQUIRE(requires { everything.maybe_text == "x"; });
    // An enum with the same enum, nullable or not.
    STATIC_REQUIRE(requires { everything.feeling == mood::happy; });
    STATIC_REQUIRE(requires { everything.maybe_feeling != mood::sad; });
    // The other categories with themselves.
    STATIC_REQUIRE(requires { users.is_active == true; });
    STATIC_REQUIRE(requires { users.is_active == (users.id > 1); });
    STATIC_REQUIRE(requires { everything.bytes == blob{}; });
    STATIC_REQUIRE(requires { everything.at > timestamp{}; });
    STATIC_REQUIRE(requires { everything.day < date{}; });
    // in_, between and like, with the same rule on their values.
    STATIC_REQUIRE(requires { users.id.in_(1, std::int64_t{2}, std::int8_t{3}); });
    STATIC_REQUIRE(requires { everything.f64.between(1, 2.5); });
    STATIC_REQUIRE(requires { everything.feeling.not_in(mood::sad, mood::calm); });
    STATIC_REQUIRE(requires { users.email.like(std::string{}); });
    STATIC_REQUIRE(requires { everything.maybe_text.ilike("a%"); });
    STATIC_REQUIRE(requires { users.email.is_null(); });
    STATIC_REQUIRE(requires { posts.published_at.is_not_null(); });
    // Conditions: a bool column, a comparison, their combinations.
    STATIC_REQUIRE(requires { users.is_active&& users.id > 1; });
    STATIC_REQUIRE(requires { !users.is_active || !(users.id > 1); });
    STATIC_REQUIRE(requires { posts.published_at.is_null() && posts.views > 1; });
}

TEST_CASE("rules: assignments that compile", "[unit]") {
    STATIC_REQUIRE(requires { users.name = std::string{}; });
    STATIC_REQUIRE(requires { users.name = "Ann"; });
    STATIC_REQUIRE(requires { users.name = users.email; });
    STATIC_REQUIRE(requires { everything.f64 = 1; });  // an integer into a REAL column
    STATIC_REQUIRE(requires { everything.i64 = std::int8_t{1}; });
    STATIC_REQUIRE(requires { everything.feeling = mood::calm; });
    STATIC_REQUIRE(requires { everything.bytes = blob{}; });
    // A nullable column takes NULL, an optional, or a plain value.
    STATIC_REQUIRE(requires { posts.published_at = std::nullopt; });
    STATIC_REQUIRE(requires { posts.published_at = std::optional<timestamp>{}; });
    STATIC_REQUIRE(requires { posts.published_at = timestamp{}; });
    STATIC_REQUIRE(requires { everything.maybe_feeling = mood::happy; });
}

TEST_CASE("rules: statements that compile", "[unit]") {
    STATIC_REQUIRE(requires { select(users.id).where(users.id > 1); });
    STATIC_REQUIRE(requires { select(users.id).from(posts).where(posts.views > 1); });
    STATIC_REQUIRE(requires { select(users.id, posts.title).where(posts.author_id == users.id); });
    STATIC_REQUIRE(requires { select(count()).from(posts).where(posts.views > 1).order_by(posts.id.desc()); });
    STATIC_REQUIRE(requires { select(users).order_by(users.created_at.desc(), users.id).limit(1).offset(2); });
    STATIC_REQUIRE(requires { select(users.id).where(users.id > 1).where(users.is_active); });
    // insert may leave out the key, server defaults, defaults and nullable columns.
    STATIC_REQUIRE(requires { insert(users).values(users.email = "a", users.name = "b"); });
    STATIC_REQUIRE(requires { insert(posts).values(posts.title = "t", posts.content = "c", posts.author_id = 1); });
    STATIC_REQUIRE(requires { insert(users).values(users.id = 7, users.email = "a", users.name = "b"); });
    STATIC_REQUIRE(requires { update(users).set(users.name = "a").set(users.email = "b").where(users.id == 1); });
    STATIC_REQUIRE(requires { update(posts).set(posts.published_at = std::nullopt); });
    STATIC_REQUIRE(requires { delete_from(posts).where(posts.views > 1 && posts.published_at.is_null()); });
}

// --- the rule tables behind the static_asserts ------------------------------------------------

TEST_CASE("rules: which C++ types compare with which columns", "[unit]") {
    STATIC_REQUIRE(comparable<std::int64_t, int>());
    STATIC_REQUIRE(comparable<std::int64_t, double>());
    STATIC_REQUIRE(comparable<double, std::int8_t>());
    STATIC_REQUIRE(comparable<std::int32_t, std::uint32_t>());
    STATIC_REQUIRE(comparable<std::string, const char*>());
    STATIC_REQUIRE(comparable<std::string, char[4]>());
    STATIC_REQUIRE(comparable<std::string, std::string_view>());
    STATIC_REQUIRE(comparable<std::optional<timestamp>, timestamp>());
    STATIC_REQUIRE(comparable<blob, std::span<const std::byte>>());
    STATIC_REQUIRE(comparable<mood, mood>());
    STATIC_REQUIRE(comparable<std::optional<mood>, mood>());

    STATIC_REQUIRE_FALSE(comparable<std::string, int>());
    STATIC_REQUIRE_FALSE(comparable<std::int64_t, std::string>());
    STATIC_REQUIRE_FALSE(comparable<std::int64_t, const char*>());
    STATIC_REQUIRE_FALSE(comparable<bool, int>());
    STATIC_REQUIRE_FALSE(comparable<int, bool>());
    STATIC_REQUIRE_FALSE(comparable<mood, std::int16_t>());
    STATIC_REQUIRE_FALSE(comparable<std::int16_t, mood>());
    STATIC_REQUIRE_FALSE(comparable<timestamp, date>());
    STATIC_REQUIRE_FALSE(comparable<std::string, char>());
    STATIC_REQUIRE_FALSE(comparable<blob, std::string>());
}

TEST_CASE("rules: which C++ types may be stored into which columns", "[unit]") {
    STATIC_REQUIRE(assignable<std::int64_t, int>());
    STATIC_REQUIRE(assignable<double, int>());
    STATIC_REQUIRE(assignable<std::string, std::string_view>());
    STATIC_REQUIRE(assignable<std::string, char[3]>());
    STATIC_REQUIRE(assignable<std::optional<std::string>, std::string>());
    STATIC_REQUIRE(assignable<std::optional<std::string>, std::optional<std::string>>());
    STATIC_REQUIRE(assignable<std::optional<std::string>, std::nullopt_t>());
    STATIC_REQUIRE(assignable<mood, mood>());

    // Stricter than comparison: no REAL into INTEGER, no NULL into NOT NULL.
    STATIC_REQUIRE_FALSE(assignable<std::int32_t, double>());
    STATIC_REQUIRE_FALSE(assignable<std::string, std::optional<std::string>>());
    STATIC_REQUIRE_FALSE(assignable<std::string, std::nullopt_t>());
    STATIC_REQUIRE_FALSE(assignable<std::int32_t, const char*>());
    STATIC_REQUIRE_FALSE(assignable<mood, std::int16_t>());
    STATIC_REQUIRE_FALSE(assignable<std::int16_t, mood>());
    STATIC_REQUIRE_FALSE(assignable<bool, int>());
}

TEST_CASE("rules: which field types a model may have", "[unit]") {
    STATIC_REQUIRE(supported_field_type<std::int8_t>());
    STATIC_REQUIRE(supported_field_type<std::int64_t>());
    STATIC_REQUIRE(supported_field_type<std::uint8_t>());
    STATIC_REQUIRE(supported_field_type<std::uint32_t>());
    STATIC_REQUIRE(supported_field_type<bool>());
    STATIC_REQUIRE(supported_field_type<float>());
    STATIC_REQUIRE(supported_field_type<double>());
    STATIC_REQUIRE(supported_field_type<std::string>());
    STATIC_REQUIRE(supported_field_type<blob>());
    STATIC_REQUIRE(supported_field_type<timestamp>());
    STATIC_REQUIRE(supported_field_type<date>());
    STATIC_REQUIRE(supported_field_type<mood>());
    STATIC_REQUIRE(supported_field_type<std::optional<std::string>>());
    STATIC_REQUIRE(supported_field_type<std::optional<mood>>());

    STATIC_REQUIRE_FALSE(supported_field_type<std::uint64_t>());  // no SQL integer holds it
    STATIC_REQUIRE_FALSE(supported_field_type<std::optional<std::uint64_t>>());
    STATIC_REQUIRE(supported_field_type<std::vector<int>>());  // a PostgreSQL array, JSON text on SQLite
    STATIC_REQUIRE_FALSE(supported_field_type<std::vector<std::vector<int>>>());
    STATIC_REQUIRE_FALSE(supported_field_type<std::string_view>());  // a model owns its text
    STATIC_REQUIRE_FALSE(supported_field_type<const char*>());
    STATIC_REQUIRE_FALSE(supported_field_type<char>());
    STATIC_REQUIRE_FALSE(supported_field_type<std::nullopt_t>());
}

TEST_CASE("rules: what each column of the blog lets an insert leave out", "[unit]") {
    STATIC_REQUIRE(column_traits<user_id>::autoincrement_key);
    STATIC_REQUIRE(column_traits<user_id>::generated_on_insert);
    STATIC_REQUIRE(column_traits<user_created_at>::generated_on_insert);
    STATIC_REQUIRE(column_traits<user_created_at>::has_default);
    STATIC_REQUIRE(column_traits<user_is_active>::has_default);
    STATIC_REQUIRE_FALSE(column_traits<user_is_active>::generated_on_insert);  // the model's value is written
    STATIC_REQUIRE_FALSE(column_traits<user_name>::has_default);
    STATIC_REQUIRE_FALSE(column_traits<user_name>::nullable);
    STATIC_REQUIRE(column_traits<post_published_at>::nullable);
    STATIC_REQUIRE(column_traits<post_published_at>::has_default);
    STATIC_REQUIRE_FALSE(column_traits<post_tag_post_id>::autoincrement_key);  // part of a composite key
    STATIC_REQUIRE(column_traits<user_email>::options.varchar_length == 255);
    STATIC_REQUIRE(column_traits<user_email>::options.unique);
    STATIC_REQUIRE(column_traits<user_email>::options.index);
}

// --- the check types: computed first, so the offender can be named without breaking the build --

TEST_CASE("rules: the FROM check names the first column outside the statement", "[unit]") {
    STATIC_REQUIRE(std::is_same_v<check_columns_in<type_list<user_id, user_email>, type_list<users_table>>,
                                  assert_column_in_from<void>>);
    STATIC_REQUIRE(std::is_same_v<check_columns_in<type_list<user_id, post_views>, type_list<users_table>>,
                                  assert_column_in_from<post_views>>);
    STATIC_REQUIRE(std::is_same_v<check_columns_in<type_list<post_views>, type_list<users_table, posts_table>>,
                                  assert_column_in_from<void>>);
}

TEST_CASE("rules: a broken rule can be named, even instantiated; only its check() fires (meta/rule.hpp)", "[unit]") {
    // std::is_empty_v needs the complete type, so each rule below is instantiated.
    STATIC_REQUIRE(std::is_empty_v<assert_column_in_from<post_views>>);
    STATIC_REQUIRE(std::is_empty_v<assert_comparable_types<user_email, int>>);
    STATIC_REQUIRE(std::is_empty_v<assert_comparable_types<post_published_at, std::nullopt_t>>);
    STATIC_REQUIRE(std::is_empty_v<assert_assignable_value<user_name, std::optional<std::string>>>);
    STATIC_REQUIRE(std::is_empty_v<assert_assignable_value<post_views, std::string>>);
    STATIC_REQUIRE(std::is_empty_v<assert_boolean_condition<user_name>>);
    STATIC_REQUIRE(std::is_empty_v<assert_column_assigned_once<user_name>>);
    STATIC_REQUIRE(std::is_empty_v<assert_dialect_renders_dynamic<unlisted_dialect>>);
    // Rules that hold are checked like any other.
    STATIC_REQUIRE(assert_column_in_from<void>::check());
    STATIC_REQUIRE(assert_comparable_types<user_email, std::string>::check());
    STATIC_REQUIRE(assert_assignable_value<post_published_at, std::nullopt_t>::check());
    STATIC_REQUIRE(assert_dialect_renders_dynamic<sqlite_dialect>::check());
    STATIC_REQUIRE(assert_dialect_renders_dynamic<postgres_dialect>::check());
}

TEST_CASE("rules: a dynamic select renders for each dialect of known_dialects", "[unit]") {
    STATIC_REQUIRE(meta::index_of<sqlite_dialect, detail::known_dialects> == 0);
    STATIC_REQUIRE(meta::index_of<postgres_dialect, detail::known_dialects> == 1);
    STATIC_REQUIRE(meta::index_of<unlisted_dialect, detail::known_dialects> == detail::known_dialects::size);
    STATIC_REQUIRE(meta::index_of<int, type_list<>> == 0);
}

TEST_CASE("rules: the insert and assignment checks name their column", "[unit]") {
    using user_columns = users_table::ctorm_columns;
    STATIC_REQUIRE(
        std::is_same_v<detail::first_required_missing<user_columns, type_list<user_email>>::type, user_name>);
    STATIC_REQUIRE(
        std::is_same_v<detail::first_required_missing<user_columns, type_list<user_email, user_name>>::type, void>);
    STATIC_REQUIRE(std::is_same_v<meta::first_duplicate<type_list<user_name, user_email, user_name>>::type, user_name>);
    STATIC_REQUIRE(std::is_same_v<meta::first_duplicate<type_list<user_name, user_email>>::type, void>);
}

TEST_CASE("rules: what a statement returns", "[unit]") {
    STATIC_REQUIRE(std::is_same_v<statement_traits<statement_of<decltype(select(users))>>::row_type, User>);
    STATIC_REQUIRE(std::is_same_v<statement_traits<statement_of<decltype(select(users.id, users.email))>>::row_type,
                                  std::tuple<std::int64_t, std::string>>);
    STATIC_REQUIRE(
        std::is_same_v<statement_traits<statement_of<decltype(select(count()).from(users))>>::row_type, std::int64_t>);
    STATIC_REQUIRE(std::is_same_v<statement_traits<statement_of<decltype(select(posts.published_at))>>::row_type,
                                  std::optional<timestamp>>);
    STATIC_REQUIRE(statement_traits<statement_of<decltype(select(users))>>::returns_rows);
    STATIC_REQUIRE_FALSE(statement_traits<statement_of<decltype(delete_from(users))>>::returns_rows);
    STATIC_REQUIRE(statement_traits<statement_of<decltype(insert(users).values(std::vector<User>{}))>>::is_bulk);

    // A comparison with a nullable side may be NULL.
    STATIC_REQUIRE(std::is_same_v<statement_of<decltype(users.id > 1)>::value_type, bool>);
    STATIC_REQUIRE(
        std::is_same_v<statement_of<decltype(posts.published_at > timestamp{})>::value_type, std::optional<bool>>);
    STATIC_REQUIRE(std::is_same_v<statement_of<decltype(posts.published_at.is_null())>::value_type, bool>);
}

TEST_CASE("window functions and aggregates where SQL allows them", "[unit][rules]") {
    // The positive twins of select_window_in_where / _group_by / _having, select_aggregate_in_group_by,
    // select_nested_aggregate and set_operation_order_by_other_table_column.
    const auto ranked = over(rank(), window().order_by(posts.views.desc()));
    STATIC_REQUIRE(detail::window_in<decltype(ranked)>);
    STATIC_REQUIRE(detail::window_in<decltype(ranked <= 3)>);
    STATIC_REQUIRE(detail::window_in<decltype(coalesce(over(lag(posts.views), window().order_by(posts.id)), 0) + 1)>);
    STATIC_REQUIRE(!detail::window_in<decltype(posts.views > 1 && users.is_active)>);
    // A window function inside a subquery is the subquery's own.
    STATIC_REQUIRE(!detail::window_in<decltype(exists(select(ranked).from(posts)))>);
    (void)select(posts.title, ranked).where(posts.views > 10);
    (void)select(posts.author_id, count(), sum(posts.views)).group_by(posts.author_id).having(count() > 1);
    (void)select(posts.author_id, over(sum(posts.views), window().partition_by(posts.author_id)));
    (void)union_(select(users.name), select(posts.title)).order_by(users.name.desc());
}
