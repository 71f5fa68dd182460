# Autograder.cmake - the Gradescope autograder. `cmake --build build
# --target autograder` writes build/autograder.zip: Gradescope's setup.sh
# and run_autograder at its root (grader/gradescope/), the list of
# packages setup.sh installs (the "grade" lines of .ci/packages), the
# tasks the assignment grades, the instructor's rubric, and in mmlab/ the
# grader's sources with what its build reads (the report templates and
# handouts of labs/, docs/contract.md): those alone, named below, never
# the solutions, the grader's tests and fixtures, nor the example class.
# Run as a script (cmake -P), this same file stages and zips them.
#
#   -DKIT_AUTOGRADER_RUBRIC=FILE   the instructor's rubric (points,
#                                  visibility, secret), checked by mmgrade
#   -DKIT_AUTOGRADER_TASKS="2.3"   the tasks graded (default: all five)

if(CMAKE_SCRIPT_MODE_FILE)
  # Script mode: KIT_ROOT, KIT_STAGE, KIT_ZIP, KIT_MMGRADE, KIT_TASKS
  # (spaced) and KIT_RUBRIC (may be empty) come from the target below.
  separate_arguments(tasks UNIX_COMMAND "${KIT_TASKS}")
  set(check_args "")
  foreach(task IN LISTS tasks)
    list(APPEND check_args --task "${task}")
  endforeach()
  if(KIT_RUBRIC)
    list(APPEND check_args --rubric "${KIT_RUBRIC}")
  endif()
  # What would stop every student's grading on Gradescope (an unknown
  # task, a typo in the rubric) stops the zip instead.
  execute_process(COMMAND "${KIT_MMGRADE}" ${check_args} --print-rubric
                  OUTPUT_QUIET ERROR_VARIABLE err RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "KIT_AUTOGRADER_TASKS or KIT_AUTOGRADER_RUBRIC: ${err}")
  endif()
  set(secret "")
  if(KIT_RUBRIC)
    file(READ "${KIT_RUBRIC}" rubric_text)
    string(JSON secret ERROR_VARIABLE no_secret GET "${rubric_text}" secret)
  endif()
  if(secret STREQUAL "")
    message(WARNING "No secret (KIT_AUTOGRADER_RUBRIC is not set, or its rubric has no \"secret\"): anyone "
                    "with the kit can work out the hidden sizes a submission is run with (docs/gradescope.md, "
                    "\"The secret\").")
  endif()

  file(REMOVE_RECURSE "${KIT_STAGE}" "${KIT_ZIP}")
  file(MAKE_DIRECTORY "${KIT_STAGE}/mmlab/docs" "${KIT_STAGE}/mmlab/labs")
  file(COPY "${KIT_ROOT}/grader/gradescope/setup.sh" "${KIT_ROOT}/grader/gradescope/run_autograder"
       DESTINATION "${KIT_STAGE}")
  file(STRINGS "${KIT_ROOT}/.ci/packages" lines REGEX "^[^# ]+ grade$")
  list(TRANSFORM lines REPLACE " grade$" "")
  list(JOIN lines "\n" packages)
  file(WRITE "${KIT_STAGE}/packages" "${packages}\n")
  list(JOIN tasks "\n" task_lines)
  file(WRITE "${KIT_STAGE}/tasks" "${task_lines}\n")
  if(KIT_RUBRIC)
    file(COPY_FILE "${KIT_RUBRIC}" "${KIT_STAGE}/rubric.json")
    file(CHMOD "${KIT_STAGE}/rubric.json" PERMISSIONS OWNER_READ OWNER_WRITE)
  endif()

  # The grader's build: the kit's own top-level CMakeLists.txt and cmake/
  # (it builds what exists: no labs/CMakeLists.txt, no solutions/, no
  # .ci/ here), and what grader/CMakeLists.txt and Kit.cmake read.
  file(COPY "${KIT_ROOT}/CMakeLists.txt" "${KIT_ROOT}/cmake" DESTINATION "${KIT_STAGE}/mmlab")
  file(COPY "${KIT_ROOT}/docs/contract.md" DESTINATION "${KIT_STAGE}/mmlab/docs")
  file(GLOB labs LIST_DIRECTORIES true "${KIT_ROOT}/labs/2.*-*")
  foreach(lab IN LISTS labs)
    get_filename_component(name "${lab}" NAME)
    file(GLOB texts "${lab}/README.md" "${lab}/REPORT.md")
    file(COPY ${texts} DESTINATION "${KIT_STAGE}/mmlab/labs/${name}")
  endforeach()
  # What grader/CMakeLists.txt builds, by name: a folder added to grader/
  # later (tests, fixtures, CI files) stays out unless listed here.
  file(MAKE_DIRECTORY "${KIT_STAGE}/mmlab/grader")
  file(COPY "${KIT_ROOT}/grader/CMakeLists.txt" "${KIT_ROOT}/grader/src" "${KIT_ROOT}/grader/shim"
       "${KIT_ROOT}/grader/init" "${KIT_ROOT}/grader/target" DESTINATION "${KIT_STAGE}/mmlab/grader")

  file(GLOB entries RELATIVE "${KIT_STAGE}" "${KIT_STAGE}/*")
  execute_process(COMMAND "${CMAKE_COMMAND}" -E tar cf "${KIT_ZIP}" --format=zip ${entries}
                  WORKING_DIRECTORY "${KIT_STAGE}" RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "cannot write ${KIT_ZIP}")
  endif()
  if(KIT_RUBRIC)
    # it holds the rubric, and so the secret
    file(CHMOD "${KIT_ZIP}" PERMISSIONS OWNER_READ OWNER_WRITE)
    message(STATUS "Wrote ${KIT_ZIP}: tasks ${KIT_TASKS}, rubric ${KIT_RUBRIC}")
  else()
    message(STATUS "Wrote ${KIT_ZIP}: tasks ${KIT_TASKS}, the default rubric")
  endif()
  return()
endif()

# The grader built from the zip has no .ci/ to make another zip from.
if(NOT EXISTS "${CMAKE_SOURCE_DIR}/.ci/packages")
  return()
endif()

set(KIT_AUTOGRADER_RUBRIC "" CACHE FILEPATH "The instructor's rubric for the Gradescope zip (points, visibility, secret)")
set(KIT_AUTOGRADER_TASKS "2.1 2.2 2.3 2.4 2.5" CACHE STRING "The tasks the Gradescope assignment grades")
string(REGEX REPLACE "[ ,;]+" " " _kit_autograder_tasks "${KIT_AUTOGRADER_TASKS}")
string(STRIP "${_kit_autograder_tasks}" _kit_autograder_tasks)
set(_kit_autograder_rubric "")
if(KIT_AUTOGRADER_RUBRIC)
  get_filename_component(_kit_autograder_rubric "${KIT_AUTOGRADER_RUBRIC}" ABSOLUTE)
  if(NOT EXISTS "${_kit_autograder_rubric}")
    message(FATAL_ERROR "KIT_AUTOGRADER_RUBRIC: no such file: ${_kit_autograder_rubric}")
  endif()
endif()
add_custom_target(autograder
  COMMAND "${CMAKE_COMMAND}" "-DKIT_ROOT=${CMAKE_SOURCE_DIR}" "-DKIT_STAGE=${CMAKE_BINARY_DIR}/autograder"
          "-DKIT_ZIP=${CMAKE_BINARY_DIR}/autograder.zip" "-DKIT_MMGRADE=$<TARGET_FILE:mmgrade>"
          "-DKIT_TASKS=${_kit_autograder_tasks}" "-DKIT_RUBRIC=${_kit_autograder_rubric}"
          -P "${CMAKE_CURRENT_LIST_FILE}"
  BYPRODUCTS "${CMAKE_BINARY_DIR}/autograder.zip"
  COMMENT "Writing autograder.zip for Gradescope"
  VERBATIM)
add_dependencies(autograder mmgrade)
