# Warnings and sanitizers for the project's own targets (tests, examples, benchmarks).
# Never applied to the INTERFACE target, so users keep their own flags.
add_library(territory_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(territory_warnings INTERFACE -Wall -Wextra -Wpedantic -Wno-psabi)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # g++ 12 false positives on inlined std::string concatenation and on checked
    # accessors in throwing paths (GCC bugs 105329, 105651)
    target_compile_options(territory_warnings INTERFACE -Wno-restrict -Wno-array-bounds)
  endif()
endif()

set(TERRITORY_SANITIZE "" CACHE STRING "Sanitizers for tests and examples, e.g. address,undefined")
if(TERRITORY_SANITIZE)
  target_compile_options(territory_warnings INTERFACE
    -fsanitize=${TERRITORY_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(territory_warnings INTERFACE -fsanitize=${TERRITORY_SANITIZE})
endif()
