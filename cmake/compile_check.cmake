# One compile-fail test: a snippet of tests/compile_fail/ must compile as it is
# (its positive twin), and must fail with -DCTORM_COMPILE_FAIL, printing the
# message its first line gives as "// expect: <regex>" (a CMake regex).
#
#   cmake -D CXX=<compiler> -D FLAGS=<response file> -D SOURCE=<snippet>
#         [-D PREFIX=<header>] -P compile_check.cmake
#
# FLAGS holds the flags of a test translation unit (tests/CMakeLists.txt writes
# it for each build). Both compiles are -fsyntax-only: what is checked is
# whether the compiler accepts the code, and no object file is needed, so the
# tests run side by side instead of one at a time through the build tool.
# PREFIX, when given, is a header of the ctorm headers the snippet includes
# itself, passed with -include: the compiler takes its precompiled form when
# it can use it (tests/CMakeLists.txt builds them) and reads it otherwise.
foreach(variable IN ITEMS CXX FLAGS SOURCE)
    if(NOT DEFINED ${variable} OR "${${variable}}" STREQUAL "")
        message(FATAL_ERROR "compile_check: no ${variable} given")
    endif()
endforeach()

file(STRINGS "${SOURCE}" first_line LIMIT_COUNT 1)
if(NOT first_line MATCHES "^// expect: (.+)$")
    message(FATAL_ERROR "compile_check: ${SOURCE}: the first line must be '// expect: <regex>'")
endif()
string(STRIP "${CMAKE_MATCH_1}" expected)

set(prefix_arguments "")
if(DEFINED PREFIX AND NOT PREFIX STREQUAL "")
    set(prefix_arguments -include "${PREFIX}")
endif()

execute_process(
    COMMAND "${CXX}" "@${FLAGS}" ${prefix_arguments} -fsyntax-only "${SOURCE}"
    RESULT_VARIABLE status
    OUTPUT_VARIABLE output
    ERROR_VARIABLE output)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "compile_check: ${SOURCE} as it is (the positive twin) must compile, "
                        "and it does not (exit ${status}):\n${output}")
endif()

execute_process(
    COMMAND "${CXX}" "@${FLAGS}" ${prefix_arguments} -fsyntax-only -DCTORM_COMPILE_FAIL "${SOURCE}"
    RESULT_VARIABLE status
    OUTPUT_VARIABLE output
    ERROR_VARIABLE output)
if(status EQUAL 0)
    message(FATAL_ERROR "compile_check: ${SOURCE} compiled with -DCTORM_COMPILE_FAIL; it must not")
endif()
if(NOT output MATCHES "${expected}")
    message(FATAL_ERROR "compile_check: ${SOURCE} failed to compile with -DCTORM_COMPILE_FAIL, "
                        "but its output does not match '${expected}':\n${output}")
endif()
message(STATUS "compile_check: the twin compiles; with -DCTORM_COMPILE_FAIL it fails, printing '${expected}'")
