// expect: ctorm: migrate: the models differ from the schema the migrations leave
// Rule: up_to_date<Snapshot, tables...> holds when the models declare exactly
// the schema of the snapshot `migrate snapshot` wrote from the migrations; a
// column added to a model with no migration fails to compile, the rule naming
// the table, the column and the two texts. The twin's models are the snapshot's.
#include <ctorm/dialect/sqlite.hpp>
#include <ctorm/migrate/snapshot.hpp>
#include <ctorm/schema/table.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace models {

struct User {
    std::int64_t id{};
    std::string email;
#ifdef CTORM_COMPILE_FAIL
    std::string nickname;  // added to the model, no migration written
#endif
};
#ifdef CTORM_COMPILE_FAIL
CTORM_TABLE(users, User, (id, primary_key), (email, varchar<255>, unique), (nickname));
#else
CTORM_TABLE(users, User, (id, primary_key), (email, varchar<255>, unique));
#endif

}  // namespace models

namespace migrations {

// What `migrate snapshot` writes for a registry whose head creates users.
struct schema_snapshot {
    using dialect = ctorm::sqlite_dialect;
    static constexpr std::string_view revision = "r1";
    static constexpr std::string_view text = R"ctorm(table "users"
  column "id" INTEGER not null
  column "email" TEXT max_length 255 not null
  primary key ("id")
  unique ("email")
)ctorm";
};

}  // namespace migrations

static_assert(ctorm::migrate::up_to_date<migrations::schema_snapshot, models::users>);
