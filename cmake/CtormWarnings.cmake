# ctorm_warnings: the warning flags for ctorm's own tests and examples (never exported to users).
#
# -Werror is safe here because Boost and Catch2 come in as system headers
# (imported targets, or the compiler's default /usr/include).
if(NOT TARGET ctorm_warnings)
    add_library(ctorm_warnings INTERFACE)
    if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
        target_compile_options(ctorm_warnings INTERFACE
            -Wall -Wextra -Wpedantic -Wshadow -Wconversion
            $<$<BOOL:${CTORM_WARNINGS_AS_ERRORS}>:-Werror>)
    elseif(MSVC)
        target_compile_options(ctorm_warnings INTERFACE
            /W4 /permissive- $<$<BOOL:${CTORM_WARNINGS_AS_ERRORS}>:/WX>)
    endif()
endif()
