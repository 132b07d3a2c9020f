# vcpkg port of ctorm: header-only; the features only choose which adapter targets (and libraries) come along.
#
# From a registry, the sources come from the release tag. Used as an overlay
# port straight from a ctorm checkout (vcpkg install ctorm[sqlite3]
# --overlay-ports=<checkout>/ports), the checkout itself is the source.
set(VCPKG_BUILD_TYPE release) # header-only: nothing differs between debug and release

cmake_path(SET ctorm_checkout NORMALIZE "${CURRENT_PORT_DIR}/../..")
if(EXISTS "${ctorm_checkout}/include/ctorm/ctorm.hpp" AND EXISTS "${ctorm_checkout}/CMakeLists.txt")
    set(SOURCE_PATH "${ctorm_checkout}")
else()
    vcpkg_from_github(
        OUT_SOURCE_PATH SOURCE_PATH
        REPO ctorm/ctorm
        REF "v${VERSION}"
        SHA512 0 # set at release: the SHA-512 of the v${VERSION} archive
        HEAD_REF main)
endif()

vcpkg_check_features(OUT_FEATURE_OPTIONS feature_options
    FEATURES
        sqlite3    CTORM_WITH_SQLITE
        postgresql CTORM_WITH_POSTGRES)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        ${feature_options}
        -DCTORM_BUILD_TESTS=OFF
        -DCTORM_BUILD_EXAMPLES=OFF
        -DCTORM_BUILD_BENCHMARKS=OFF
        -DCTORM_INSTALL=ON)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH share/cmake/ctorm)
vcpkg_fixup_pkgconfig()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug" "${CURRENT_PACKAGES_DIR}/share/doc")
file(INSTALL "${CURRENT_PORT_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
