# Runs the migrate_blog command's workflow, one command at a time, checking
# each one's exit code and output (test example.migrate_blog.commands).
#
#   cmake -D PROGRAM=<migrate_blog> -D DIR=<scratch dir> [-D URL=<url> | -D URL_FILE=<file>]
#         [-D CXX=<compiler> -D INCLUDE_DIRS=<dir,dir>] -P migrate_blog_test.cmake
#
# DIR is emptied first. URL defaults to sqlite:///blog.db (a file in DIR);
# URL_FILE names a file holding a PostgreSQL URL (the test server's; the
# environment's CTORM_TEST_PG_URL comes first), on which the run makes a
# database of its own, ctorm_migrate_blog. With CXX the files that revision
# wrote are compiled (with INCLUDE_DIRS: ctorm's and Boost's), linked and run.
if(NOT DEFINED PROGRAM OR NOT DEFINED DIR)
    message(FATAL_ERROR "migrate_blog_test: give PROGRAM and DIR")
endif()
if(DEFINED URL_FILE)
    # A database of its own on the test server, made afresh, so that no other
    # test's tables (the examples' users) are in the way.
    # CTORM_TEST_PG_URL, when set, is the server (as for the tests, whose
    # fixture then starts none and leaves URL_FILE as it was).
    if(DEFINED ENV{CTORM_TEST_PG_URL} AND NOT "$ENV{CTORM_TEST_PG_URL}" STREQUAL "")
        set(server_url "$ENV{CTORM_TEST_PG_URL}")
    else()
        file(READ "${URL_FILE}" server_url)
    endif()
    string(STRIP "${server_url}" server_url)
    find_program(PSQL psql)
    if(NOT PSQL)
        message(FATAL_ERROR "migrate_blog-test: psql is needed to make the test's database")
    endif()
    execute_process(COMMAND "${PSQL}" "${server_url}" -v ON_ERROR_STOP=1 -q
                            -c "DROP DATABASE IF EXISTS ctorm_migrate_blog" -c "CREATE DATABASE ctorm_migrate_blog"
        RESULT_VARIABLE made ERROR_VARIABLE made_err)
    if(NOT made EQUAL 0)
        message(FATAL_ERROR "migrate_blog-test: could not make the database ctorm_migrate_blog: ${made_err}")
    endif()
    # postgresql://host:port/<database>[?options]: the same with the database replaced
    string(FIND "${server_url}" "?" query_at)
    set(query "")
    set(base "${server_url}")
    if(NOT query_at EQUAL -1)
        string(SUBSTRING "${server_url}" ${query_at} -1 query)
        string(SUBSTRING "${server_url}" 0 ${query_at} base)
    endif()
    string(FIND "${base}" "/" slash_at REVERSE)
    string(SUBSTRING "${base}" 0 ${slash_at} base)
    set(URL "${base}/ctorm_migrate_blog${query}")
    message(STATUS "migrate_blog-test: ${URL}")
elseif(NOT DEFINED URL)
    set(URL "sqlite:///blog.db")
endif()

file(REMOVE_RECURSE "${DIR}")
file(MAKE_DIRECTORY "${DIR}/versions")

# step(<exit code> <regex the output must match> <arguments...>)
function(step code regex)
    execute_process(COMMAND "${PROGRAM}" "--url=${URL}" ${ARGN}
        WORKING_DIRECTORY "${DIR}"
        RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
    message(STATUS "migrate_blog ${ARGN} -> ${result}\n${out}${err}")
    if(NOT result STREQUAL "${code}")
        message(FATAL_ERROR "migrate_blog-test: '${ARGN}' exited with ${result}, not ${code}")
    endif()
    if(NOT "${out}${err}" MATCHES "${regex}")
        message(FATAL_ERROR "migrate_blog-test: the output of '${ARGN}' does not match: ${regex}")
    endif()
endfunction()

if(DEFINED URL_FILE)
    step(0 "" downgrade base)  # what an earlier run left
endif()
step(0 "Running upgrade <base> -> r1, create users and posts\nRunning upgrade r1 -> r2, users.is_active" upgrade head)
step(0 "^r2 \\(head\\)\n$" current)
step(0 "^r2 \\(head\\)\n$" heads)
step(0 "^r1 -> r2 \\(head\\), users.is_active\n<base> -> r1, create users and posts\n$" history)
step(0 "No differences between the models and the database" check)
step(0 "Running downgrade r2 -> r1, users.is_active" downgrade -1)
step(0 "^r1\n$" current)
step(1 "differ .*add column users.is_active" check)
step(0 "CREATE TABLE IF NOT EXISTS \"ctorm_version\".*ALTER TABLE \"users\" ADD COLUMN \"is_active\"" upgrade --sql)
step(0 "^BEGIN;\nALTER TABLE \"users\" DROP COLUMN \"is_active\";\nDELETE FROM \"ctorm_version\"|^BEGIN;\nALTER TABLE \"users\" DROP COLUMN \"is_active\";\nUPDATE"
     downgrade --sql r2:r1)
step(3 "not at the revision the new one revises \\(it is at r1" revision --autogenerate -m "users are active" --dir versions)
step(0 "Generating versions/c0ffee000001_users_are_active.hpp \\(1 operation\\(s\\)\\)\n  add column users.is_active"
     revision --autogenerate --head r1 -m "users are active" --dir versions --rev-id c0ffee000001)
file(READ "${DIR}/versions/c0ffee000001_users_are_active.hpp" generated)
if(NOT generated MATCHES "// Revises: r1\n.*m::add_column\\{\"users\", \\{.name = \"is_active\".*// WARNING: destructive: drops column users.is_active")
    message(FATAL_ERROR "migrate_blog-test: the generated file is not the expected one:\n${generated}")
endif()
step(0 "Running upgrade r1 -> r2" upgrade)
step(0 "No changes between the models and the database: no file written" revision --autogenerate -m "nothing" --dir versions)
file(GLOB written "${DIR}/versions/*")  # before the by-hand revision below
list(LENGTH written count)
if(NOT count EQUAL 1)
    message(FATAL_ERROR "migrate_blog-test: revision --autogenerate with no change wrote a file: ${written}")
endif()
step(0 "Generating versions/c0ffee000002_by_hand.hpp \\(0 operation\\(s\\)\\)" revision -m "by hand" --dir versions --rev-id c0ffee000002)
if(DEFINED CXX)
    # The files revision wrote compile (as warning-free as our own code), and hold what they say.
    file(WRITE "${DIR}/written.cpp"
        "#include \"versions/c0ffee000001_users_are_active.hpp\"\n"
        "#include \"versions/c0ffee000002_by_hand.hpp\"\n"
        "int main() {\n"
        "    const ctorm::migrate::migration a = migrations::revision_c0ffee000001();\n"
        "    const ctorm::migrate::migration b = migrations::revision_c0ffee000002();\n"
        "    return a.upgrade().size() == 1 && a.downgrade().size() == 1 && b.upgrade().empty() &&\n"
        "                   a.down_revisions.at(0) == \"r1\" && b.down_revisions.at(0) == \"r2\"\n"
        "               ? 0\n"
        "               : 1;\n"
        "}\n")
    string(REPLACE "," ";" include_dirs "${INCLUDE_DIRS}")
    set(include_flags "")
    foreach(d IN LISTS include_dirs)
        # -I/usr/include would break libstdc++'s #include_next; the compiler searches it anyway.
        if(NOT d STREQUAL "" AND NOT d STREQUAL "/usr/include")
            list(APPEND include_flags "-I${d}")
        endif()
    endforeach()
    execute_process(COMMAND "${CXX}" -std=c++20 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror ${include_flags}
                            written.cpp -o written
        WORKING_DIRECTORY "${DIR}" RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT result STREQUAL "0")
        message(FATAL_ERROR "migrate_blog-test: the files revision wrote do not compile:\n${out}")
    endif()
    execute_process(COMMAND "${DIR}/written" RESULT_VARIABLE result)
    if(NOT result STREQUAL "0")
        message(FATAL_ERROR "migrate_blog-test: the files revision wrote do not hold the operations they should")
    endif()
endif()
step(0 "Stamped r1" stamp r1)
step(0 "^r1\n$" current)
step(0 "Stamped head" stamp head)
step(2 "unknown command frob" frob)
step(2 "downgrade takes 1 argument" downgrade)
step(2 "revision needs a message" revision)
step(3 "cannot upgrade to r9: no migration has that revision" upgrade r9)
step(2 "--rev-id a-b: a revision id is 1 to 32 letters" revision -m "x" --dir versions --rev-id a-b)
step(3 "revision r2 exists already" revision -m "x" --dir versions --rev-id r2)
step(2 "--sql is for upgrade and downgrade only" current --sql)
step(2 "downgrade --sql needs FROM:TO" downgrade --sql base)
# Autogenerate against the schema the migrations make, no database opened.
step(0 "No changes between the models and the migrations: no file written"
     revision --autogenerate --from-migrations -m "nothing" --dir versions)
step(0 "Generating versions/c0ffee000003_again.hpp \\(1 operation\\(s\\)\\)\n  add column users.is_active"
     revision --autogenerate --from-migrations --head r1 -m "again" --dir versions --rev-id c0ffee000003)
step(2 "--from-migrations is for revision --autogenerate only" check --from-migrations)
# The header for up_to_date: the schema the migrations leave at the head, no database opened.
step(0 "struct schema_snapshot {\n    using dialect = ctorm::(sqlite|postgres)_dialect;\n    static constexpr std::string_view revision = \"r2\";.*table \"users\"\n.*  column \"is_active\" [A-Z]+ not null default "
     snapshot)
step(2 "snapshot takes 0 argument" snapshot r1)
if(DEFINED URL_FILE)
    step(0 "" downgrade base)
endif()
message(STATUS "migrate_blog-test: every command did what it should")
