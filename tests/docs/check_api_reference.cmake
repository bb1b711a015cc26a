# Builds the API reference with Doxygen (docs/Doxyfile: public headers only, WARN_AS_ERROR =
# FAIL_ON_WARNINGS) into OUT and fails, listing every warning, when Doxygen reports any, or
# when the reference lacks the pages of the main entry points.
# Usage: cmake -DDOXYGEN=... -DSOURCE=<repo> -DOUT=<dir> -P check_api_reference.cmake
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env TERRITORY_SOURCE_DIR=${SOURCE} TERRITORY_DOCS_OUT=${OUT}
    ${DOXYGEN} ${SOURCE}/docs/Doxyfile
  WORKING_DIRECTORY ${SOURCE}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(warnings "")
if(EXISTS ${OUT}/doxygen-warnings.txt)
  file(READ ${OUT}/doxygen-warnings.txt warnings)
endif()
if(NOT rc EQUAL 0 OR NOT warnings STREQUAL "")
  message(FATAL_ERROR "FAIL: doxygen exit ${rc}; warnings (errors for the public headers):\n${warnings}\n${err}")
endif()
foreach(page index.html namespaceterritory.html)
  if(NOT EXISTS ${OUT}/html/${page})
    message(FATAL_ERROR "FAIL: the reference has no ${page}")
  endif()
endforeach()
file(GLOB pages ${OUT}/html/*.html)
list(LENGTH pages n)
message(STATUS "api reference: ${n} pages, 0 warnings: ${OUT}/html/index.html")
