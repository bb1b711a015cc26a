"""Conan 2 recipe for territory (header-only C++20 library).

Mirrors the CMake install exercised by tests/cmake/find_package: the package is produced by
`cmake --install` with tests, examples and benchmarks off, and consumers get the same
`find_package(territory CONFIG)` / `territory::territory` names.

    conan create . --build=missing        # builds and runs test_package/
"""
from conan import ConanFile
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy


class TerritoryConan(ConanFile):
    name = "territory"
    version = "0.1.0"
    description = "Design, balance and maintain sales territories; route new accounts to owners"
    license = "MIT"
    topics = ("territory-design", "districting", "graph-partitioning", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    exports_sources = "CMakeLists.txt", "cmake/*", "include/*", "LICENSE"
    no_copy_source = True
    default_options = {"boost/*:header_only": True}

    def requirements(self):
        self.requires("eigen/3.4.0")
        self.requires("boost/1.83.0")
        self.requires("fmt/10.2.1")

    def build_requirements(self):
        self.test_requires("doctest/2.4.11")
        self.test_requires("benchmark/1.8.3")

    def validate(self):
        check_min_cppstd(self, 20)

    def layout(self):
        cmake_layout(self)

    def generate(self):
        CMakeDeps(self).generate()
        tc = CMakeToolchain(self)
        tc.cache_variables["TERRITORY_BUILD_TESTS"] = False
        tc.cache_variables["TERRITORY_BUILD_EXAMPLES"] = False
        tc.cache_variables["TERRITORY_BUILD_BENCHMARKS"] = False
        tc.cache_variables["TERRITORY_INSTALL"] = True
        tc.generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()

    def package(self):
        cmake = CMake(self)
        cmake.install()
        copy(self, "LICENSE", self.source_folder, f"{self.package_folder}/licenses")

    def package_info(self):
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        self.cpp_info.set_property("cmake_file_name", "territory")
        self.cpp_info.set_property("cmake_target_name", "territory::territory")
        self.cpp_info.requires = ["eigen::eigen", "boost::headers", "fmt::fmt"]

    def package_id(self):
        self.info.clear()
