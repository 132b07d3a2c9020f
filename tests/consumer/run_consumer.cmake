# Builds tests/consumer/consumer.cpp against ctorm one way a user would, then runs it (one CTest test per way).
#
#   cmake -D MODE=<mode> -D CTORM_SOURCE_DIR=<ctorm checkout> -D WORK_DIR=<scratch dir>
#         -D CXX=<compiler> [-D GENERATOR=<CMake generator>] [-D MAKE_PROGRAM=<its tool>]
#         [-D PREFIX=<install prefix>] [-D MESON=<meson>] [-D PKG_CONFIG=<pkg-config>]
#         -P run_consumer.cmake
#
# WORK_DIR is emptied first (except by MODE=install, which fills PREFIX and is
# a fixture of the find_package tests). Every step's output goes to a log in
# WORK_DIR and is printed only when the step fails. Modes:
#
#   install            configure ctorm alone (no tests, examples, benchmarks) and install it into PREFIX
#   find_package       CMake: find_package(ctorm 0.1 CONFIG REQUIRED COMPONENTS sqlite postgres async) from PREFIX
#   find_package_errors  CMake: COMPONENTS sqlite no_such_thing must fail, naming the component;
#                      so must find_package(ctorm 0.2) (0.x: a new minor version may break), and
#                      COMPONENTS sqlite from an installation built with CTORM_WITH_SQLITE=OFF
#   add_subdirectory   CMake: add_subdirectory(<checkout>)
#   fetchcontent       CMake: FetchContent_Declare(ctorm GIT_REPOSITORY ...) redirected to the checkout
#                      by FETCHCONTENT_SOURCE_DIR_CTORM (no network)
#   meson_pkgconfig    meson: install ctorm with meson into a prefix, then dependency('ctorm-sqlite')
#                      finds the installed ctorm-sqlite.pc
#   meson_subproject   meson: subprojects/ctorm (a symlink to the checkout) plus subprojects/ctorm.wrap;
#                      dependency('ctorm-sqlite') is the subproject's override
#   compiler           the bare line: <CXX> -std=c++20 -I <checkout>/include consumer.cpp -lsqlite3
#   vcpkg_port         ports/ctorm/portfile.cmake run for real (vcpkg_shim.cmake stands in for
#                      vcpkg's helpers) into a staging tree, then find_package from that tree
cmake_minimum_required(VERSION 3.23)

foreach(required IN ITEMS MODE CTORM_SOURCE_DIR WORK_DIR CXX)
    if(NOT DEFINED ${required} OR "${${required}}" STREQUAL "")
        message(FATAL_ERROR "consumer: ${required} is not given")
    endif()
endforeach()
if(NOT DEFINED GENERATOR OR GENERATOR STREQUAL "")
    set(GENERATOR "Ninja")
endif()

set(consumer_dir "${CMAKE_CURRENT_LIST_DIR}")
set(consumer_source "${consumer_dir}/consumer.cpp")
set(step_number 0)

# run_step(<name> COMMAND <command...> [WORKING_DIRECTORY <dir>] [EXPECT_FAILURE <regex>]):
# runs the command, logging to WORK_DIR/<n>-<name>.log; a failure (or, with
# EXPECT_FAILURE, a success or a failure without the regex) ends the test.
function(run_step name)
    cmake_parse_arguments(PARSE_ARGV 1 step "" "WORKING_DIRECTORY;EXPECT_FAILURE" "COMMAND")
    math(EXPR number "${step_number} + 1")
    set(step_number ${number} PARENT_SCOPE)
    set(log "${WORK_DIR}/${number}-${name}.log")
    if(NOT step_WORKING_DIRECTORY)
        set(step_WORKING_DIRECTORY "${WORK_DIR}")
    endif()
    string(JOIN " " shown ${step_COMMAND})
    message(STATUS "consumer: ${name}: ${shown}")
    execute_process(
        COMMAND ${step_COMMAND}
        WORKING_DIRECTORY "${step_WORKING_DIRECTORY}"
        RESULT_VARIABLE result
        OUTPUT_VARIABLE output
        ERROR_VARIABLE output)
    file(WRITE "${log}" "$ ${shown}\n${output}\nexit: ${result}\n")
    if(DEFINED step_EXPECT_FAILURE)
        if(result STREQUAL "0")
            message("${output}")
            message(FATAL_ERROR "consumer: ${name} succeeded, but it must fail (log: ${log})")
        endif()
        string(REGEX REPLACE "[ \n]+" " " flat "${output}") # CMake wraps long messages
        if(NOT flat MATCHES "${step_EXPECT_FAILURE}")
            message("${output}")
            message(FATAL_ERROR "consumer: ${name} failed without saying '${step_EXPECT_FAILURE}' (log: ${log})")
        endif()
        message(STATUS "consumer: ${name}: failed as it must")
        return()
    endif()
    if(NOT result STREQUAL "0")
        message("${output}")
        message(FATAL_ERROR "consumer: ${name} failed with ${result} (log: ${log})")
    endif()
    set(step_output "${output}" PARENT_SCOPE)
endfunction()

# run_consumer(<program>): the built program must print its "ok" line and exit 0.
function(run_consumer program)
    if(NOT EXISTS "${program}")
        message(FATAL_ERROR "consumer: the build did not produce ${program}")
    endif()
    run_step(run COMMAND "${program}")
    if(NOT step_output MATCHES "ctorm consumer: ok")
        message(FATAL_ERROR "consumer: the program did not report success:\n${step_output}")
    endif()
    message(STATUS "consumer: ${MODE}: the program ran and its checks passed")
    set(step_number ${step_number} PARENT_SCOPE)
endfunction()

# The CMake arguments every configure here shares: same compiler and generator as the enclosing build.
set(cmake_common -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX}")
if(DEFINED MAKE_PROGRAM AND NOT MAKE_PROGRAM STREQUAL "")
    list(APPEND cmake_common "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()

# configure_and_build_consumer(<build dir> <extra -D arguments...>): the CMake consumer project.
function(configure_and_build_consumer build_dir)
    run_step(configure COMMAND "${CMAKE_COMMAND}" -S "${consumer_dir}/cmake" -B "${build_dir}"
                               ${cmake_common} ${ARGN})
    run_step(build COMMAND "${CMAKE_COMMAND}" --build "${build_dir}" --config Debug)
    set(step_number ${step_number} PARENT_SCOPE)
endfunction()

# ------------------------------------------------------------------ the modes
if(MODE STREQUAL "install")
    if(NOT PREFIX)
        message(FATAL_ERROR "consumer: PREFIX is not given")
    endif()
    file(REMOVE_RECURSE "${WORK_DIR}" "${PREFIX}")
    file(MAKE_DIRECTORY "${WORK_DIR}")
    run_step(configure COMMAND "${CMAKE_COMMAND}" -S "${CTORM_SOURCE_DIR}" -B "${WORK_DIR}/build" ${cmake_common}
                               -DCTORM_BUILD_TESTS=OFF -DCTORM_BUILD_EXAMPLES=OFF -DCTORM_BUILD_BENCHMARKS=OFF
                               "-DCMAKE_INSTALL_PREFIX=${PREFIX}")
    run_step(install COMMAND "${CMAKE_COMMAND}" --install "${WORK_DIR}/build")
    foreach(file IN ITEMS
            include/ctorm/ctorm.hpp include/ctorm/sqlite.hpp include/ctorm/postgres.hpp
            share/cmake/ctorm/ctormConfig.cmake share/cmake/ctorm/ctormConfigVersion.cmake
            share/pkgconfig/ctorm.pc share/pkgconfig/ctorm-sqlite.pc share/doc/ctorm/LICENSE)
        if(NOT EXISTS "${PREFIX}/${file}")
            message(FATAL_ERROR "consumer: the install did not produce ${PREFIX}/${file}")
        endif()
    endforeach()
    # Nothing of the build tree may leak into the installed package files.
    file(GLOB_RECURSE installed_package_files "${PREFIX}/share/*.cmake" "${PREFIX}/share/*.pc")
    foreach(file IN LISTS installed_package_files)
        file(READ "${file}" text)
        foreach(forbidden IN ITEMS "${CTORM_SOURCE_DIR}" "${WORK_DIR}" "${PREFIX}")
            string(FIND "${text}" "${forbidden}" at)
            if(NOT at EQUAL -1)
                message(FATAL_ERROR "consumer: ${file} names the absolute path ${forbidden}; it must be relocatable")
            endif()
        endforeach()
    endforeach()
    message(STATUS "consumer: ctorm installed into ${PREFIX}")
    return()
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

if(MODE STREQUAL "find_package")
    configure_and_build_consumer("${WORK_DIR}/build"
        -DCTORM_CONSUMER_MODE=find_package "-DCMAKE_PREFIX_PATH=${PREFIX}"
        -DCTORM_CONSUMER_COMPONENTS=sqlite,postgres,async)
    file(STRINGS "${WORK_DIR}/build/CMakeCache.txt" ctorm_dir_line REGEX "^ctorm_DIR:")
    if(NOT ctorm_dir_line STREQUAL "ctorm_DIR:PATH=${PREFIX}/share/cmake/ctorm")
        message(FATAL_ERROR "consumer: find_package took ctorm from elsewhere: ${ctorm_dir_line}")
    endif()
    run_consumer("${WORK_DIR}/build/bin/consumer")

elseif(MODE STREQUAL "find_package_errors")
    run_step(unknown-component COMMAND "${CMAKE_COMMAND}" -S "${consumer_dir}/cmake" -B "${WORK_DIR}/unknown"
                                       ${cmake_common} -DCTORM_CONSUMER_MODE=find_package "-DCMAKE_PREFIX_PATH=${PREFIX}"
                                       -DCTORM_CONSUMER_COMPONENTS=sqlite,no_such_thing
             EXPECT_FAILURE "ctorm has no component 'no_such_thing' \\(there is no such component\\); this installation has: sqlite, postgres, async")
    run_step(newer-version COMMAND "${CMAKE_COMMAND}" -S "${consumer_dir}/cmake" -B "${WORK_DIR}/newer"
                                   ${cmake_common} -DCTORM_CONSUMER_MODE=find_package "-DCMAKE_PREFIX_PATH=${PREFIX}"
                                   -DCTORM_CONSUMER_VERSION=0.2
             EXPECT_FAILURE "compatible with requested version \"0\\.2\".* version: 0\\.1\\.")
    # An installation without the adapters (CTORM_WITH_...=OFF) names what it lacks.
    run_step(core-configure COMMAND "${CMAKE_COMMAND}" -S "${CTORM_SOURCE_DIR}" -B "${WORK_DIR}/core-build" ${cmake_common}
                                    -DCTORM_BUILD_TESTS=OFF -DCTORM_BUILD_EXAMPLES=OFF -DCTORM_BUILD_BENCHMARKS=OFF
                                    -DCTORM_WITH_SQLITE=OFF -DCTORM_WITH_POSTGRES=OFF
                                    "-DCMAKE_INSTALL_PREFIX=${WORK_DIR}/core-prefix")
    run_step(core-install COMMAND "${CMAKE_COMMAND}" --install "${WORK_DIR}/core-build")
    foreach(file IN ITEMS share/cmake/ctorm/ctormSqliteTargets.cmake share/pkgconfig/ctorm-sqlite.pc)
        if(EXISTS "${WORK_DIR}/core-prefix/${file}")
            message(FATAL_ERROR "consumer: CTORM_WITH_SQLITE=OFF still installed ${file}")
        endif()
    endforeach()
    run_step(missing-component COMMAND "${CMAKE_COMMAND}" -S "${consumer_dir}/cmake" -B "${WORK_DIR}/missing"
                                       ${cmake_common} -DCTORM_CONSUMER_MODE=find_package
                                       "-DCMAKE_PREFIX_PATH=${WORK_DIR}/core-prefix"
             EXPECT_FAILURE "ctorm has no component 'sqlite' \\(this installation was built without it\\); this installation has: async")

elseif(MODE STREQUAL "add_subdirectory")
    configure_and_build_consumer("${WORK_DIR}/build"
        -DCTORM_CONSUMER_MODE=add_subdirectory "-DCTORM_CONSUMER_CTORM_DIR=${CTORM_SOURCE_DIR}")
    run_consumer("${WORK_DIR}/build/bin/consumer")

elseif(MODE STREQUAL "fetchcontent")
    configure_and_build_consumer("${WORK_DIR}/build"
        -DCTORM_CONSUMER_MODE=fetchcontent "-DFETCHCONTENT_SOURCE_DIR_CTORM=${CTORM_SOURCE_DIR}")
    run_consumer("${WORK_DIR}/build/bin/consumer")

elseif(MODE STREQUAL "meson_pkgconfig" OR MODE STREQUAL "meson_subproject")
    if(NOT MESON)
        message(FATAL_ERROR "consumer: MESON is not given")
    endif()
    set(meson ${CMAKE_COMMAND} -E env "CXX=${CXX}" "${MESON}")
    set(project_dir "${WORK_DIR}/project")
    file(COPY "${consumer_dir}/meson/meson.build" "${consumer_source}" DESTINATION "${project_dir}")
    if(MODE STREQUAL "meson_pkgconfig")
        set(prefix "${WORK_DIR}/prefix")
        run_step(ctorm-setup COMMAND ${meson} setup "${WORK_DIR}/ctorm-build" "${CTORM_SOURCE_DIR}"
                                     -Dtests=disabled "--prefix=${prefix}")
        run_step(ctorm-install COMMAND "${MESON}" install -C "${WORK_DIR}/ctorm-build")
        # Only the installed .pc files, and no subproject to fall back on.
        set(consumer_options "-Dpkg_config_path=${prefix}/share/pkgconfig" -Dwrap_mode=nofallback)
    else()
        file(MAKE_DIRECTORY "${project_dir}/subprojects")
        file(CREATE_LINK "${CTORM_SOURCE_DIR}" "${project_dir}/subprojects/ctorm" SYMBOLIC)
        file(COPY "${consumer_dir}/meson/ctorm.wrap" DESTINATION "${project_dir}/subprojects")
        # Even where an installed ctorm-sqlite.pc exists, take the subproject.
        set(consumer_options --force-fallback-for=ctorm-sqlite)
    endif()
    # buildtype plain: no -g, the quickest build of the program.
    run_step(setup COMMAND ${meson} setup "${WORK_DIR}/build" "${project_dir}" --buildtype=plain ${consumer_options})
    if(MODE STREQUAL "meson_pkgconfig" AND NOT step_output MATCHES "ctorm-sqlite found: YES")
        message(FATAL_ERROR "consumer: meson did not find ctorm-sqlite by pkg-config:\n${step_output}")
    endif()
    if(MODE STREQUAL "meson_subproject" AND NOT step_output MATCHES "Executing subproject ctorm")
        message(FATAL_ERROR "consumer: meson did not use the ctorm subproject:\n${step_output}")
    endif()
    # ctorm's own tests never come with the subproject.
    if(EXISTS "${WORK_DIR}/build/subprojects/ctorm/tests")
        message(FATAL_ERROR "consumer: the ctorm subproject configured its tests")
    endif()
    run_step(compile COMMAND "${MESON}" compile -C "${WORK_DIR}/build")
    run_consumer("${WORK_DIR}/build/consumer")

elseif(MODE STREQUAL "compiler")
    # Exactly the line docs/installing.md shows.
    run_step(compile COMMAND "${CXX}" -std=c++20 -I "${CTORM_SOURCE_DIR}/include" "${consumer_source}" -lsqlite3
                             -o "${WORK_DIR}/consumer")
    run_consumer("${WORK_DIR}/consumer")

elseif(MODE STREQUAL "vcpkg_port")
    set(VCPKG_SHIM_WORK_DIR "${WORK_DIR}")
    set(VCPKG_SHIM_CMAKE_ARGS ${cmake_common})
    set(VCPKG_SHIM_FEATURES sqlite3)
    include("${consumer_dir}/vcpkg_shim.cmake")
    vcpkg_shim_install_port("${CTORM_SOURCE_DIR}/ports/ctorm" installed_dir)
    # A vcpkg toolchain puts the installed tree on CMAKE_PREFIX_PATH; so do we.
    # Built with the sqlite3 feature only: ctorm::postgres must not be there.
    configure_and_build_consumer("${WORK_DIR}/consumer-build"
        -DCTORM_CONSUMER_MODE=find_package "-DCMAKE_PREFIX_PATH=${installed_dir}"
        -DCTORM_CONSUMER_COMPONENTS=sqlite -DCTORM_CONSUMER_FORBID=postgres)
    file(STRINGS "${WORK_DIR}/consumer-build/CMakeCache.txt" ctorm_dir_line REGEX "^ctorm_DIR:")
    if(NOT ctorm_dir_line STREQUAL "ctorm_DIR:PATH=${installed_dir}/share/ctorm")
        message(FATAL_ERROR "consumer: find_package took ctorm from elsewhere: ${ctorm_dir_line}")
    endif()
    run_consumer("${WORK_DIR}/consumer-build/bin/consumer")
    if(PKG_CONFIG)
        run_step(pkg-config COMMAND "${CMAKE_COMMAND}" -E env "PKG_CONFIG_PATH=${installed_dir}/share/pkgconfig"
                                    "${PKG_CONFIG}" --cflags ctorm-sqlite)
        string(FIND "${step_output}" "-I${installed_dir}/share/pkgconfig/../../include" at)
        if(at EQUAL -1)
            message(FATAL_ERROR "consumer: pkg-config gave the wrong include path: ${step_output}")
        endif()
    endif()

else()
    message(FATAL_ERROR "consumer: unknown MODE '${MODE}'")
endif()
