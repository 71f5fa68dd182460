# Kit.cmake - the kit's build line, read from docs/contract.md, and helpers
# that build lab programs with it and register bats suites with CTest.

# The contract's build line is the one source of the flags: the line in
# docs/contract.md that starts with "gcc -std=".
file(STRINGS "${CMAKE_SOURCE_DIR}/docs/contract.md" _kit_build_line REGEX "^gcc -std=")
list(LENGTH _kit_build_line _kit_lines)
if(NOT _kit_lines EQUAL 1)
  message(FATAL_ERROR "docs/contract.md must hold exactly one build line starting with 'gcc -std=' (found ${_kit_lines})")
endif()
string(REGEX REPLACE "^gcc (.*) -o PROGRAM PROGRAM\\.c$" "\\1" KIT_BUILD_FLAGS_STRING "${_kit_build_line}")
separate_arguments(KIT_BUILD_FLAGS UNIX_COMMAND "${KIT_BUILD_FLAGS_STRING}")
set(KIT_BUILD_FLAGS_STRING "${KIT_BUILD_FLAGS_STRING}" CACHE INTERNAL "the contract's compiler flags")

# kit_program(TARGET SOURCE [WERROR]): builds SOURCE with the build line into
# the build tree's mirror of the source folder, named after the source file.
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

# The number /proc/PID/syscall shows for a blocked read(2) (0 on x86-64, 63
# on aarch64), from the compiler's own headers: shell tests that wait for a
# program to pause read it from here.
file(WRITE "${CMAKE_BINARY_DIR}/sys_read.c" "#include <sys/syscall.h>\nSYS_read\n")
execute_process(COMMAND "${CMAKE_C_COMPILER}" -E -P "${CMAKE_BINARY_DIR}/sys_read.c"
                OUTPUT_VARIABLE _kit_sys_read RESULT_VARIABLE _kit_status)
string(STRIP "${_kit_sys_read}" _kit_sys_read)
if(NOT _kit_status EQUAL 0 OR NOT _kit_sys_read MATCHES "^[0-9]+$")
  message(FATAL_ERROR "cannot find the number of read(2) in <sys/syscall.h>: got '${_kit_sys_read}'")
endif()
set(KIT_SYS_READ "${_kit_sys_read}" CACHE INTERNAL "the number of read(2) in /proc/PID/syscall")

find_program(BATS_EXECUTABLE bats)
find_program(SHELLCHECK_EXECUTABLE shellcheck)
set(KIT_BATS_LIB_PATH "/usr/lib/bats" CACHE PATH "where bats-support and bats-assert are installed")
set(KIT_TEST_TIMEOUT 600 CACHE STRING "seconds a test suite may take (more on an emulated machine)")

# kit_bats_test(FILE): one CTest test per .bats file, named after it, with
# the paths every suite needs in its environment.
function(kit_bats_test file)
  if(NOT BATS_EXECUTABLE)
    message(FATAL_ERROR "bats not found: apt-get install bats bats-support bats-assert (see README.md)")
  endif()
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
