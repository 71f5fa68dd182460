# StudentEdition.cmake - the `student-edition` target: what students
# receive, written fresh into build/student-edition/ (no history, no
# solutions) by tools/student-edition.sh from the files that
# tools/student-edition.manifest lists. The edition itself carries this
# file but not the script: there is no edition to make from an edition.

if(NOT EXISTS "${CMAKE_SOURCE_DIR}/tools/student-edition.sh")
  return()
endif()

# The script refuses a folder that is not empty; this one is the build's own.
add_custom_target(student-edition
  COMMAND "${CMAKE_COMMAND}" -E rm -rf "${CMAKE_BINARY_DIR}/student-edition"
  COMMAND "${CMAKE_SOURCE_DIR}/tools/student-edition.sh" "${CMAKE_BINARY_DIR}/student-edition"
  USES_TERMINAL
  COMMENT "Writing the student edition into ${CMAKE_BINARY_DIR}/student-edition")
