# Runs a program in a fresh, empty working directory; used by CTest for examples and SQLite tests.
#
#   cmake -D DIR=<scratch dir> -P run_in_scratch.cmake [-- <program> [args...]]
#
# DIR is deleted and recreated; with no program that is all it does (a test
# fixture that resets a directory). The program's output passes through. When
# it exits non-zero this prints "ctorm-run: ... exited with <code>" and exits
# non-zero too, so a test using PASS_REGULAR_EXPRESSION (which ignores exit
# codes) can still fail on it via FAIL_REGULAR_EXPRESSION "ctorm-run: ".
if(NOT DEFINED DIR OR DIR STREQUAL "")
    message(FATAL_ERROR "ctorm-run: no DIR given")
endif()

set(command "")
set(after_separator FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 1 ${last})
    if(after_separator)
        list(APPEND command "${CMAKE_ARGV${i}}")
    elseif(CMAKE_ARGV${i} STREQUAL "--")
        set(after_separator TRUE)
    endif()
endforeach()

file(REMOVE_RECURSE "${DIR}")
file(MAKE_DIRECTORY "${DIR}")

if(command STREQUAL "")
    return()
endif()

execute_process(
    COMMAND ${command}
    WORKING_DIRECTORY "${DIR}"
    RESULT_VARIABLE result)
if(NOT result STREQUAL "0")
    list(GET command 0 program)
    message(FATAL_ERROR "ctorm-run: ${program} exited with ${result}")
endif()
