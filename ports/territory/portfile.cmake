# Overlay port: installs the header-only library exactly as `cmake --install` does (the
# layout that tests/cmake/find_package exercises in CTest), then moves the package config
# from share/territory/cmake to share/territory as vcpkg expects.
#
# Usage (from a project that consumes territory):
#   vcpkg install territory --overlay-ports=<territory-source>/ports
# The port builds from the source tree it sits in; for a release, replace SOURCE_PATH by
# vcpkg_from_github(... REF v${VERSION} ...).
set(VCPKG_BUILD_TYPE release)  # header-only: one configuration is enough
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    -DTERRITORY_BUILD_TESTS=OFF
    -DTERRITORY_BUILD_EXAMPLES=OFF
    -DTERRITORY_BUILD_BENCHMARKS=OFF
    -DTERRITORY_INSTALL=ON
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(PACKAGE_NAME territory CONFIG_PATH share/territory/cmake)

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/lib" "${CURRENT_PACKAGES_DIR}/debug")
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/share/doc")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
