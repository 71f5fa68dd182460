#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats' run --separate-stderr sets $stderr
# The reference analyse.sh meets its contract on a live process.

load ../../tests/helper

SCRIPT="$KIT_ROOT/solutions/2.5-analyse-script/analyse.sh"

# A target that holds a written anonymous mapping: the 2.3 reference paused
# at its second pause.
start_target() {
  local fifo="$BATS_TEST_TMPDIR/stdin"
  mkfifo "$fifo"
  "$SOLUTIONS/2.3-memory-usage/mmap_demo" 1048576 <"$fifo" >"$BATS_TEST_TMPDIR/target.out" &
  TARGET=$!
  exec {FEED}>"$fifo"
  wait_until 10 grep -q '^\[Pause\]' "$BATS_TEST_TMPDIR/target.out"
  echo >&"$FEED"
  wait_until 10 has_lines 2 '^\[Pause\]' "$BATS_TEST_TMPDIR/target.out"
  wait_until 10 in_read "$TARGET"
}

teardown() {
  if [[ -n ${FEED:-} ]]; then
    exec {FEED}>&-
    wait "$TARGET" || true
  fi
}

@test "prints the ps row and every maps line of a live process" {
  start_target
  cd "$BATS_TEST_TMPDIR"
  local maps
  maps=$(cat "/proc/$TARGET/maps")
  run --separate-stderr bash "$SCRIPT" "$TARGET"
  assert_success
  assert_line --regexp "^ *$TARGET +[0-9]+ +[0-9]+ +mmap_demo$"
  local line
  while IFS= read -r line; do
    assert_line "$line"
  done <<<"$maps"
  # the 1 MiB mapping, written at this pause, is summarised as resident
  assert_line --regexp '^[0-9a-f]+-[0-9a-f]+ +rw-p +[0-9]+ +(10[2-9][0-9]|1[1-9][0-9]{2}|[2-9][0-9]{3})$'
}

@test "writes no files" {
  start_target
  cd "$BATS_TEST_TMPDIR"
  local before
  before=$(ls -A)
  run bash "$SCRIPT" "$TARGET"
  assert_success
  assert_equal "$(ls -A)" "$before"
}

@test "rejects a call without arguments" {
  run --separate-stderr bash "$SCRIPT"
  assert_failure 2
  assert_output ""
  [[ $stderr == "usage: analyse.sh PID" ]]
}

@test "rejects two arguments" {
  run --separate-stderr bash "$SCRIPT" 1 2
  assert_failure 2
  [[ $stderr == "usage: analyse.sh PID" ]]
}

@test "rejects a PID that is not a number" {
  run --separate-stderr bash "$SCRIPT" abc
  assert_failure 2
  [[ $stderr == "usage: analyse.sh PID" ]]
}

@test "rejects a PID that does not exist" {
  local dead
  sleep 0 & dead=$!
  wait "$dead"
  run --separate-stderr bash "$SCRIPT" "$dead"
  assert_failure 1
  assert_output ""
  [[ $stderr == "analyse.sh: no process with PID $dead" ]]
}

@test "prints its help with --help and exits 0" {
  run bash "$SCRIPT" --help
  assert_success
  assert_line --index 0 "usage: analyse.sh PID"
}
