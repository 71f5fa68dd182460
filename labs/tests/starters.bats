#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats' run --separate-stderr sets $stderr
# The starters compile cleanly with the build line and run without crashing.

load ../../tests/helper

@test "every starter compiles with the build line and no warning" {
  local source
  for source in "$KIT_ROOT"/labs/2.*/*.c; do
    run --separate-stderr kit_compile "$source" "$BATS_TEST_TMPDIR/prog" -Werror
    assert_success
    [ -z "$stderr" ] || fail "warnings from $source: $stderr"
  done
}

@test "the task 2.1 starter exits with an error, not a crash" {
  run --separate-stderr "$LABS/2.1-mmap-basics/mmap_basics"
  assert_failure 1
}

@test "the task 2.2 starter reaches its mmap TODO and stops with exit 1" {
  run --separate-stderr "$LABS/2.2-mmap-demo/mmap_demo"
  assert_failure 1
  assert_line --index 0 "[Initial]"
}

@test "the task 2.3 starter does not hang when stdin is at end-of-file" {
  run --separate-stderr timeout 10 "$LABS/2.3-memory-usage/mmap_demo" </dev/null
  assert_failure 1
}

@test "every TODO in a C starter is a /* TODO: ... */ comment" {
  run grep -n 'TODO' "$KIT_ROOT"/labs/2.*/*.c
  assert_success
  refute_line --regexp '^[^:]+:[0-9]+:([^/]|/[^*])*TODO'
  run grep -c 'TODO:' "$KIT_ROOT/labs/2.1-mmap-basics/mmap_basics.c"
  assert_output 3
}

@test "the analyse.sh starter refuses a PID that does not exist" {
  run --separate-stderr bash "$KIT_ROOT/labs/2.5-analyse-script/analyse.sh" 999999999
  assert_failure 1
  [[ $stderr == *"no process with PID 999999999"* ]]
}
