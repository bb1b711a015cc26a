# Runs PROGRAM in WORKDIR and compares its stdout with the file EXPECTED.
execute_process(COMMAND ${PROGRAM} WORKING_DIRECTORY ${WORKDIR}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited ${rc}\n${err}")
endif()
file(READ ${EXPECTED} expected)
if(NOT out STREQUAL expected)
  file(WRITE ${EXPECTED}.actual "${out}")
  message(FATAL_ERROR "stdout differs from ${EXPECTED} (actual output in ${EXPECTED}.actual):\n${out}")
endif()
