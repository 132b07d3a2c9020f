// The differential suite: the same statements on SQLite and on PostgreSQL, over the same data
// (NULLs, unicode, empty strings, negative and fractional numbers, text holding %, _ and \),
// and the rows compared: in order where the statement orders them totally, as multisets
// where it does not. Handwritten statements (joins, outer joins, grouping, HAVING, NULL
// ordering, subqueries, CTEs, windows, set operations, LIKE of user text, in_ lists of 0, 1
// and 1000 values) and generated ones (each scalar expression of a list, selected per row,
// filtered on, and grouped by). Every statement that compiles must give the same rows.
// One case, registered under both labels (tests/CMakeLists.txt): it needs both databases.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <compare>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#ifdef CTORM_TEST_WITH_POSTGRES

namespace differential {

struct Dept {
    std::int64_t id{};
    std::string name;
    std::optional<std::string> city;
    auto operator<=>(const Dept&) const = default;
};
// Stored by name; declared in an order that is not the names' (junior, lead, mid, senior).
enum class Level { junior, mid, senior, lead };
CTORM_ENUM(Level, junior, mid, senior, lead);

struct Emp {
    std::int64_t id{};
    std::optional<std::int64_t> dept_id;
    std::string name;
    std::optional<double> salary;
    std::optional<std::int32_t> age;
    std::int64_t score{};
    bool active = true;
    std::optional<Level> level{};
    auto operator<=>(const Emp&) const = default;
};

CTORM_TABLE(depts, Dept, (id, primary_key), (name, varchar<40>), (city, varchar<40>));
CTORM_TABLE(emps, Emp, (id, primary_key), (dept_id, references(depts.id)), (name, varchar<40>), (salary), (age),
            (score), (active), (level));

}  // namespace differential

using namespace differential;
using namespace ctorm;

namespace {

template <class T>
inline constexpr bool is_optional_v = false;
template <class T>
inline constexpr bool is_optional_v<std::optional<T>> = true;
template <class T>
inline constexpr bool is_tuple_v = false;
template <class... Ts>
inline constexpr bool is_tuple_v<std::tuple<Ts...>> = true;

// Equal values; doubles within a relative 1e-12 (the two databases may sum in another order).
template <class T>
bool same_value(const T& a, const T& b) {
    if constexpr (std::is_floating_point_v<T>) {
        return a == b || std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b));
    } else if constexpr (is_optional_v<T>) {
        return a.has_value() == b.has_value() && (!a || same_value(*a, *b));
    } else if constexpr (is_tuple_v<T>) {
        return std::apply(
            [&](const auto&... xs) {
                return std::apply([&](const auto&... ys) { return (same_value(xs, ys) && ...); }, b);
            },
            a);
    } else {
        return a == b;
    }
}

enum class order { total, none };

template <class T>
std::string shown(const T& v) {
    if constexpr (is_optional_v<T>) return v ? shown(*v) : "NULL";
    else if constexpr (is_tuple_v<T>)
        return std::apply([](const auto&... xs) { return "(" + ((shown(xs) + ", ") + ... + std::string()) + ")"; }, v);
    else if constexpr (std::is_same_v<T, std::string>) return "'" + v + "'";
    else if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
    else if constexpr (requires { std::to_string(v); }) return std::to_string(v);
    else return "(a model)";
}

struct differ {
    ctorm::sqlite::connection lite{":memory:"};
    ctorm::postgres::connection pg;
    std::size_t compared = 0;

    explicit differ(ctorm::postgres::connection server) : pg(std::move(server)) {}

    template <class Q>
    void same(const Q& q, order o = order::total) {
        ++compared;
        INFO("statement " << compared << ": " << ctorm::to_sql<ctorm::sqlite_dialect>(q));
        try {
            compare(q, o);
        } catch (const std::exception& e) {
            FAIL_CHECK("threw: " << e.what());
        }
    }
    template <class Q>
    void compare(const Q& q, order o) {
        auto a = lite.all(q);
        auto b = pg.all(q);
        if (o == order::none) {
            std::sort(a.begin(), a.end());
            std::sort(b.begin(), b.end());
        }
        bool equal = a.size() == b.size();
        std::size_t at = 0;
        for (; equal && at < a.size(); ++at) equal = same_value(a[at], b[at]);
        std::string first_difference;
        if (!equal && at > 0 && at <= a.size() && at <= b.size())
            first_difference =
                "row " + std::to_string(at - 1) + ": SQLite " + shown(a[at - 1]) + ", PostgreSQL " + shown(b[at - 1]);
        INFO("rows: SQLite " << a.size() << ", PostgreSQL " << b.size() << "; " << first_difference);
        CHECK(equal);
    }
    // One scalar expression: per row (by id), where it is not NULL, and grouped by it.
    template <class E>
    void expression(const E& e) {
        same(select(emps.id, e).order_by(emps.id));
        same(select(emps.id).where(e.is_not_null()).order_by(emps.id));
        same(select(e, count()).from(emps).group_by(e), order::none);
    }
    template <class... Es>
    void expressions(const Es&... es) {
        (expression(es), ...);
    }
};

void seed(differ& d) {
    const std::vector<Dept> departments{{.name = "Research", .city = "Zürich"},
                                        {.name = "Sales", .city = std::nullopt},
                                        {.name = "", .city = "東京"},
                                        {.name = "Empty", .city = "Oslo"}};
    const std::vector<Emp> people{
        {.dept_id = 1, .name = "Ann", .salary = 5200.5, .age = 41, .score = 10, .level = Level::lead},
        {.dept_id = 1, .name = "bob", .salary = -12.25, .age = std::nullopt, .score = -3, .level = Level::junior},
        {.dept_id = 1, .name = "Émile", .salary = 3000, .age = 29, .score = 0, .active = false, .level = Level::senior},
        {.dept_id = 2, .name = "émile", .salary = std::nullopt, .age = 35, .score = 7, .level = Level::mid},
        {.dept_id = 2, .name = "", .salary = 0.1, .age = 35, .score = -7},
        {.dept_id = 2, .name = "100% sure", .salary = 2.5, .age = 50, .score = 100, .level = Level::lead},
        {.dept_id = 3, .name = "snake_case", .salary = -2.5, .age = 18, .score = 1},
        {.dept_id = 3,
         .name = "back\\slash",
         .salary = 1e6,
         .age = 64,
         .score = 2,
         .active = false,
         .level = Level::mid},
        {.dept_id = std::nullopt, .name = "Zoë", .salary = 3000, .age = 29, .score = 5},
        {.dept_id = std::nullopt, .name = "  padded  ", .salary = std::nullopt, .age = std::nullopt, .score = -1},
        {.dept_id = 1, .name = "ANN", .salary = 0.5, .age = 41, .score = 10},
        {.dept_id = 3, .name = "日本語テキスト", .salary = 1.5, .age = 22, .score = 3}};
    for (auto* db : {&d.lite}) {
        db->create_all(depts, emps);
        db->execute(insert(depts).values(departments));
        db->execute(insert(emps).values(people));
    }
    d.pg.create_all(depts, emps);
    d.pg.execute(insert(depts).values(departments));
    d.pg.execute(insert(emps).values(people));
}

// Every statement of the suite, over the seeded data.
void run_suite(differ& d) {
    seed(d);

    {
        // --- plain selects, where, ordering with NULLs ---------------------------------------------
        d.same(select(emps).order_by(emps.id));
        d.same(select(emps.name, emps.salary).order_by(emps.salary, emps.id));
        d.same(select(emps.name, emps.salary).order_by(emps.salary.desc(), emps.id));
        d.same(select(emps.name).order_by(emps.age.asc().nulls_first(), emps.id));
        d.same(select(emps.name).order_by(emps.age.desc().nulls_last(), emps.id));
        d.same(select(emps.name).order_by(emps.name));  // code point order on both, whatever the locale
        d.same(select(emps.name).order_by(emps.name.desc()));
        d.same(select(emps.name).where(emps.name < "b").order_by(emps.id));
        d.same(select(emps.name).where(emps.name.between("A", "Zz")).order_by(emps.id));
        d.same(select(min(emps.name), max(emps.name)).from(emps));
        d.same(select(depts.name, max(emps.name)).join(emps, emps.dept_id == depts.id).group_by(depts.name),
               order::none);
        d.same(select(emps.name, over(rank(), window().order_by(emps.name))).order_by(emps.name));
        d.same(select(concat(emps.name, "!")).from(emps).order_by(concat(emps.name, "!")));
        d.same(select(cast<std::string>(emps.score)).from(emps).order_by(cast<std::string>(emps.score), emps.id));
        d.same(select(emps.name).where(emps.salary > 0 && emps.age < 40).order_by(emps.id));
        d.same(select(emps.name).where(emps.salary.is_null() || emps.age.is_null()).order_by(emps.id));
        d.same(select(emps.name).where(!(emps.score > 0)).order_by(emps.id));
        d.same(select(emps.name).where(emps.salary.between(0.0, 3000.0)).order_by(emps.id));
        d.same(select(emps.name).where(emps.active == false).order_by(emps.id));
        d.same(select(emps.name).order_by(emps.id).limit(3).offset(2));
        d.same(select(emps.name).order_by(emps.id).offset(10));
        d.same(select(depts.name, depts.city).order_by(depts.city, depts.id));

        // --- joins ------------------------------------------------------------------------------------
        d.same(select(emps.name, depts.name).join(depts, depts.id == emps.dept_id).order_by(emps.id));
        d.same(select(emps.name, depts.name).outer_join(depts, depts.id == emps.dept_id).order_by(emps.id));
        d.same(select(depts.name, emps.name)
                   .from(depts)
                   .outer_join(emps, emps.dept_id == depts.id)
                   .order_by(depts.id, emps.id));
        d.same(select(depts.name, count(emps.id))
                   .from(depts)
                   .outer_join(emps, emps.dept_id == depts.id)
                   .group_by(depts.id, depts.name)
                   .order_by(depts.id));
        d.same(select(emps, depts).join(depts, depts.id == emps.dept_id).order_by(emps.id));
        d.same(select(depts, emps).from(depts).outer_join(emps, emps.dept_id == depts.id).order_by(depts.id, emps.id));
        {
            const auto boss = alias<"boss">(emps);
            d.same(select(emps.name, boss.name)
                       .join(boss, boss.dept_id == emps.dept_id && boss.score > emps.score)
                       .order_by(emps.id, boss.id));
        }

        // --- grouping, aggregates, having ------------------------------------------------------------
        d.same(select(emps.dept_id, count(), sum(emps.score), avg(emps.salary), min(emps.name), max(emps.age))
                   .group_by(emps.dept_id)
                   .order_by(emps.dept_id));
        d.same(select(emps.dept_id, count(emps.salary)).group_by(emps.dept_id).having(count() > 2), order::none);
        d.same(select(emps.age, count()).group_by(emps.age).having(sum(emps.score) >= 0), order::none);
        d.same(select(count(), sum(emps.salary), avg(emps.age), min(emps.salary), max(emps.salary)).from(emps));
        d.same(select(sum(emps.score), avg(emps.score)).from(emps).where(emps.id > 1000));  // empty input: NULLs
        d.same(select(coalesce(depts.city, "nowhere"), count()).from(depts).group_by(coalesce(depts.city, "nowhere")),
               order::none);
        d.same(select(emps.active, count()).group_by(emps.active).order_by(emps.active));

        // --- text: LIKE of user text, functions ------------------------------------------------------
        for (const char* text : {"%", "_", "\\", "100%", "e_c", "émile", "MILE", "", "ann"}) {
            d.same(select(emps.name).where(emps.name.contains(text)).order_by(emps.id));
            d.same(select(emps.name).where(emps.name.icontains(text)).order_by(emps.id));
            d.same(select(emps.name).where(emps.name.startswith(text) || emps.name.iendswith(text)).order_by(emps.id));
        }
        d.same(select(emps.name).where(emps.name.like("%\\%%")).order_by(emps.id));
        d.same(select(emps.name).where(emps.name.like("_nn")).order_by(emps.id));
        d.same(select(emps.name).where(emps.name.ilike("%mile")).order_by(emps.id));

        // --- in_ lists ----------------------------------------------------------------------------------
        std::vector<std::int64_t> none, one{3}, many;
        for (std::int64_t i = 0; i < 1000; ++i) many.push_back(i * 2 - 500);
        for (const auto* ids : {&none, &one, &many}) {
            d.same(select(emps.name).where(emps.score.in_(*ids)).order_by(emps.id));
            d.same(select(emps.name).where(emps.score.not_in(*ids)).order_by(emps.id));
        }
        d.same(select(emps.name).where(emps.name.in_(std::vector<std::string>{"Ann", "", "Zoë"})).order_by(emps.id));
        d.same(select(emps.name).where(emps.age.in_(29, 35)).order_by(emps.id));
        d.same(select(emps.name).where(emps.age.not_in(29, 35)).order_by(emps.id));

        // --- subqueries ----------------------------------------------------------------------------------
        d.same(select(emps.name).where(emps.salary > subquery_value(select(avg(emps.salary)))).order_by(emps.id));
        d.same(select(depts.name)
                   .where(exists(select(emps.id).correlate(depts).where(emps.dept_id == depts.id && emps.score > 5)))
                   .order_by(depts.id));
        d.same(select(depts.name)
                   .where(not_exists(select(emps.id).correlate(depts).where(emps.dept_id == depts.id)))
                   .order_by(depts.id));
        d.same(select(emps.name)
                   .where(in_select(emps.dept_id, select(depts.id).where(depts.city.is_not_null())))
                   .order_by(emps.id));
        d.same(select(depts.name,
                      subquery_value(select(count()).from(emps).correlate(depts).where(emps.dept_id == depts.id)))
                   .order_by(depts.id));
        {
            const auto per_dept = derived<"per_dept">(
                select(emps.dept_id, count().as<"n">(), max(emps.score).as<"best">()).group_by(emps.dept_id));
            d.same(select(depts.name, per_dept.c<"n">(), per_dept.c<"best">())
                       .join(per_dept, per_dept.c<"dept_id">() == depts.id)
                       .order_by(depts.id));
        }

        // --- CTEs ------------------------------------------------------------------------------------------
        {
            const auto rich = cte<"rich">(select(emps.id, emps.name).where(emps.salary >= 3000));
            d.same(with_(rich, select(rich.c<"name">()).from(rich).order_by(rich.c<"id">())));
        }

        // --- windows ------------------------------------------------------------------------------------------
        const auto by_dept = window().partition_by(emps.dept_id).order_by(emps.score.desc(), emps.id);
        d.same(select(emps.id, over(row_number(), by_dept), over(rank(), by_dept), over(dense_rank(), by_dept))
                   .order_by(emps.id));
        d.same(select(emps.id, over(lag(emps.score), by_dept), over(lead(emps.score), by_dept)).order_by(emps.id));
        d.same(select(emps.id, over(sum(emps.score), window().partition_by(emps.dept_id)),
                      over(count(), window().partition_by(emps.dept_id)))
                   .order_by(emps.id));
        d.same(select(emps.id, over(rank(), window().order_by(emps.salary.desc()))).order_by(emps.id));
        d.same(select(emps.id, over(rank(), window().order_by(emps.age))).order_by(emps.id));

        // --- set operations ----------------------------------------------------------------------------------
        d.same(union_(select(emps.name), select(depts.name)), order::none);
        d.same(union_all(select(emps.dept_id), select(depts.id)), order::none);
        d.same(intersect(select(emps.dept_id), select(depts.id)), order::none);
        d.same(except_(select(depts.id), select(emps.dept_id)), order::none);
        d.same(union_(select(emps.name.as<"label">()), select(depts.name.as<"label">())), order::none);

        // --- an enum stored by name: declared order, not the names' --------------------------------------------
        d.same(select(emps.name, emps.level).order_by(emps.level, emps.id));
        d.same(select(emps.name).order_by(emps.level.desc().nulls_last(), emps.id));
        d.same(select(emps.name).where(emps.level > Level::mid).order_by(emps.id));
        d.same(select(emps.name).where(emps.level.between(Level::mid, Level::lead)).order_by(emps.id));
        d.same(
            select(emps.name).where(emps.level.in_(std::vector<Level>{Level::junior, Level::lead})).order_by(emps.id));
        d.same(select(min(emps.level), max(emps.level)).from(emps));
        d.same(select(depts.name, max(emps.level)).join(emps, emps.dept_id == depts.id).group_by(depts.name),
               order::none);
        d.same(select(emps.level, count()).from(emps).group_by(emps.level).order_by(emps.level));
        d.same(select(emps.name, over(rank(), window().order_by(emps.level))).order_by(emps.id));
        d.same(select(cast<std::string>(emps.level)).from(emps).order_by(emps.id));
        d.same(select(coalesce(emps.level, Level::junior))
                   .from(emps)
                   .order_by(coalesce(emps.level, Level::junior), emps.id));
        d.same(
            union_all(select(emps.id, emps.level).where(emps.id <= 6), select(emps.id, emps.level).where(emps.id > 6))
                .order_by(emps.level.desc(), emps.id));

        // --- CASE ---------------------------------------------------------------------------------------------
        d.same(select(emps.id, case_(when(emps.score > 5, "high"), when(emps.score < 0, "low")).else_("mid"))
                   .order_by(emps.id));
        d.same(select(emps.id, case_(when(emps.age > 30, emps.salary))).order_by(emps.id));
    }

    {  // generated: expressions per row, as filters and as groups
        d.expressions(
            // numbers
            emps.score + 1, emps.score - emps.score * 2, emps.score * 3, emps.score / 3, emps.score % 4,
            emps.score / (emps.score - 10), emps.score % (emps.score + 7), abs(emps.score), abs(emps.salary),
            emps.salary * 2.0, emps.salary + emps.score, emps.salary / cast<double>(emps.score), round(emps.salary),
            round(emps.salary * 10.0), round(cast<double>(emps.score) / 4.0), cast<std::int64_t>(emps.salary),
            cast<std::int32_t>(emps.salary / 7.0), cast<double>(emps.age), cast<std::string>(emps.score),
            cast<std::string>(cast<std::int64_t>(emps.salary)), emps.age + emps.score, 0 - emps.score,
            coalesce(emps.age, 0), coalesce(emps.salary, emps.salary, -1.0), nullif(emps.age, 35),
            nullif(emps.score, 10),
            // text
            lower(emps.name), upper(emps.name), length(emps.name), trim(emps.name), substr(emps.name, 2, 3),
            concat(emps.name, "!"), concat(emps.name, emps.name), lower(concat(emps.name, "É")),
            // conditions as values
            emps.score > 0, emps.salary.is_null(), emps.name.contains("e"), emps.name.ilike("%É%"),
            emps.age.between(20, 40), emps.age.in_(29, 41), case_(when(emps.salary > 1000.0, emps.name)).else_("poor"),
            // casts between booleans, numbers and text
            cast<std::string>(emps.active), cast<std::string>(emps.score > 0), cast<bool>(emps.score),
            cast<bool>(emps.salary), cast<bool>(emps.age), cast<std::int64_t>(emps.active),
            cast<std::int16_t>(emps.active), cast<std::int32_t>(emps.salary.is_null()), cast<double>(emps.active),
            // an enum stored by name
            emps.level, emps.level == Level::mid, emps.level >= Level::senior);
    }

    CHECK(d.compared >= 150);
}

}  // namespace

TEMPLATE_TEST_CASE("differential: every statement gives the same rows on SQLite and PostgreSQL", "[differential]",
                   ctorm_test::postgresql) {
    differ d{TestType::fresh()};
    run_suite(d);
}

// The same under a database whose default collation is en-US (ICU), where
// PostgreSQL's own text order would put 'bob' before 'Émile' before 'Zoë' and
// ignore case at first: ctorm's text columns sort by code point there too.
TEMPLATE_TEST_CASE("differential: the same rows when PostgreSQL's database sorts text under en-US", "[differential]",
                   ctorm_test::postgresql) {
    auto db = ctorm::postgres::connect(ctorm_test::postgres_icu_database_url("en-US"));
    db.execute_script(
        "DROP SCHEMA IF EXISTS ctorm_test_differential CASCADE; CREATE SCHEMA ctorm_test_differential; "
        "SET search_path TO ctorm_test_differential");
    REQUIRE(ctorm_test::postgres_query_text(db,
                                            "SELECT datlocprovider::text || ' ' || daticulocale FROM "
                                            "pg_database WHERE datname = current_database()") == "i en-US");
    differ d{std::move(db)};
    run_suite(d);
}

#endif
