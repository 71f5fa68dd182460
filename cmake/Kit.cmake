# Kit.cmake - the kit's build: the contract's build line for lab programs,
# one way to set the kit's own compiler flags, the packages a configure
# needs (every missing one named at once), the build facts scripts read,
# and bats suites registered with CTest.

# The contract's build line is the one source of the flags students build
# with: the line in docs/contract.md that starts with "gcc -std=".
file(STRINGS "${CMAKE_SOURCE_DIR}/docs/contract.md" _kit_build_line REGEX "^gcc -std=")
list(LENGTH _kit_build_line _kit_lines)
if(NOT _kit_lines EQUAL 1)
  message(FATAL_ERROR "docs/contract.md must hold exactly one build line starting with 'gcc -std=' (found ${_kit_lines})")
endif()
string(REGEX REPLACE "^gcc (.*) -o PROGRAM PROGRAM\\.c$" "\\1" KIT_BUILD_FLAGS_STRING "${_kit_build_line}")
separate_arguments(KIT_BUILD_FLAGS UNIX_COMMAND "${KIT_BUILD_FLAGS_STRING}")

# Warnings are errors for the kit's own code in CI (CI=true, as GitHub
# Actions and .ci/run set it); elsewhere a newer compiler's new warning
# must not stop a student's build.
if(DEFINED ENV{CI} AND NOT "$ENV{CI}" STREQUAL "" AND NOT "$ENV{CI}" STREQUAL "false")
  set(_kit_werror_default ON)
else()
  set(_kit_werror_default OFF)
endif()
option(KIT_WERROR "Warnings are errors in the kit's own C code" ${_kit_werror_default})

# kit_c_target(TARGET): the kit's own C code (the grader, its shim, its
# helpers, its tests): C11 with GNU extensions, every warning, -Werror in
# CI. Optimisation comes from the build type.
function(kit_c_target target)
  set_target_properties(${target} PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS ON)
  target_compile_options(${target} PRIVATE -Wall -Wextra $<$<BOOL:${KIT_WERROR}>:-Werror>)
endfunction()

# kit_program(TARGET SOURCE [WERROR]): a lab program (a starter or a
# solution) built with the contract's build line, as a student builds it,
# into the build tree's mirror of the source folder.
function(kit_program target source)
  cmake_parse_arguments(ARG "WERROR" "" "" ${ARGN})
  get_filename_component(name "${source}" NAME_WE)
  get_filename_component(dir "${source}" DIRECTORY)
  add_executable(${target} "${source}")
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME "${name}"
    RUNTIME_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/${dir}")
  target_compile_options(${target} PRIVATE ${KIT_BUILD_FLAGS} $<$<BOOL:${ARG_WERROR}>:-Werror>)
endfunction()

# kit_check_packages(): every Debian package of .ci/packages this configure
# needs (the "grade" ones, and the "test" ones with KIT_TESTS) that is not
# there, named in one apt-get line, rather than CMake's message about the
# first package it cannot find.
function(kit_check_packages)
  set(missing "")
  find_package(cJSON QUIET)
  find_package(LibXml2 QUIET)
  find_package(LibArchive QUIET)
  if(NOT cJSON_FOUND)
    list(APPEND missing libcjson-dev)
  endif()
  if(NOT LibXml2_FOUND)
    list(APPEND missing libxml2-dev)
  endif()
  if(NOT LibArchive_FOUND)
    list(APPEND missing libarchive-dev)
  endif()
  if(KIT_TESTS)
    find_package(cmocka CONFIG QUIET)
    find_program(BATS_EXECUTABLE bats)
    if(NOT cmocka_FOUND)
      list(APPEND missing libcmocka-dev)
    endif()
    if(NOT BATS_EXECUTABLE)
      list(APPEND missing bats)
    endif()
    foreach(library bats-support bats-assert)
      if(NOT EXISTS "${KIT_BATS_LIB_PATH}/${library}/load.bash")
        list(APPEND missing ${library})
      endif()
    endforeach()
    foreach(tool shellcheck:shellcheck jq:jq xmllint:libxml2-utils valgrind:valgrind zip:zip)
      string(REPLACE ":" ";" pair "${tool}")
      list(GET pair 0 program)
      list(GET pair 1 package)
      find_program(_kit_tool_${program} ${program})
      if(NOT _kit_tool_${program})
        list(APPEND missing ${package})
      endif()
    endforeach()
  endif()
  if(missing)
    list(JOIN missing " " names)
    message(FATAL_ERROR "packages are missing: sudo apt-get install ${names}\n"
                        "(the README's prerequisites line lists every package the kit needs; "
                        "-DKIT_TESTS=OFF builds the grader alone, without the test tools)")
  endif()
endfunction()

# The number /proc/PID/syscall shows for a blocked read(2) (0 on x86-64, 63
# on aarch64), from the compiler's own headers: shell tests that wait for a
# program to pause read it from the build facts.
file(WRITE "${CMAKE_BINARY_DIR}/sys_read.c" "#include <sys/syscall.h>\nSYS_read\n")
execute_process(COMMAND "${CMAKE_C_COMPILER}" -E -P "${CMAKE_BINARY_DIR}/sys_read.c"
                OUTPUT_VARIABLE KIT_SYS_READ RESULT_VARIABLE _kit_status)
string(STRIP "${KIT_SYS_READ}" KIT_SYS_READ)
if(NOT _kit_status EQUAL 0 OR NOT KIT_SYS_READ MATCHES "^[0-9]+$")
  message(FATAL_ERROR "cannot find the number of read(2) in <sys/syscall.h>: got '${KIT_SYS_READ}'")
endif()

set(KIT_BATS_LIB_PATH "/usr/lib/bats" CACHE PATH "where bats-support and bats-assert are installed")
set(KIT_TEST_TIMEOUT 600 CACHE STRING "seconds a test suite may take (more on an emulated machine)")

# The build's facts, for scripts run outside CTest (tools/samples.sh).
configure_file("${CMAKE_SOURCE_DIR}/cmake/kit-facts.sh.in" "${CMAKE_BINARY_DIR}/kit-facts.sh" @ONLY)

# kit_bats_test(FILE): one CTest test per .bats file, named after it, with
# the paths every suite needs in its environment.
function(kit_bats_test file)
  get_filename_component(stem "${file}" NAME_WE)
  file(RELATIVE_PATH rel "${CMAKE_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}")
  string(REPLACE "/" "." prefix "${rel}")
  set(name "${prefix}.${stem}")
  add_test(NAME "${name}"
           COMMAND "${BATS_EXECUTABLE}" --print-output-on-failure "${CMAKE_CURRENT_SOURCE_DIR}/${file}")
  set_tests_properties("${name}" PROPERTIES
    TIMEOUT ${KIT_TEST_TIMEOUT}
    ENVIRONMENT "KIT_ROOT=${CMAKE_SOURCE_DIR};KIT_BUILD=${CMAKE_BINARY_DIR};KIT_CFLAGS=${KIT_BUILD_FLAGS_STRING};KIT_SYS_READ=${KIT_SYS_READ};BATS_LIB_PATH=${KIT_BATS_LIB_PATH};MMGRADE=$<$<TARGET_EXISTS:mmgrade>:$<TARGET_FILE:mmgrade>>;MMSHIM=$<TARGET_FILE:mmshim>")
endfunction()
