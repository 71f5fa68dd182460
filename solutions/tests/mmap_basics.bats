#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats' run --separate-stderr sets $stderr
# The task 2.1 reference meets its contract.

load ../../tests/helper

setup() {
  PROG="$SOLUTIONS/2.1-mmap-basics/mmap_basics"
}

@test "maps a page, reads the message back and unmaps it" {
  run --separate-stderr "$PROG"
  assert_success
  assert_equal "${#lines[@]}" 3
  assert_line --index 0 --regexp '^Mapped 4096 bytes at 0x[0-9a-f]+$'
  assert_line --index 1 --regexp '^Read back: .+'
  assert_line --index 2 'Unmapped.'
  assert_equal "$stderr" ""
}

@test "calls mmap and munmap with exactly the contract's arguments" {
  exec {log}>"$BATS_TEST_TMPDIR/calls"
  MMSHIM_LOG_FD=$log LD_PRELOAD="$MMSHIM" "$PROG" >/dev/null
  exec {log}>&-
  run cat "$BATS_TEST_TMPDIR/calls"
  # prot 3 = PROT_READ|PROT_WRITE, flags 22 = MAP_PRIVATE|MAP_ANONYMOUS
  assert_line --index 0 --regexp '^mmap [0-9]+ 0 4096 3 22 -1 0 = [0-9a-f]+ 0$'
  local addr
  addr=$(awk 'NR == 1 { print $10 }' "$BATS_TEST_TMPDIR/calls")
  assert_line --index 1 --regexp "^munmap [0-9]+ $addr 4096 mapped "
  assert_line --index 2 --regexp '^returned [0-9]+ 0 0$'
}

@test "reports a failed mmap with perror and exit status 1" {
  run --separate-stderr env MMSHIM_FAIL_MMAP=1 LD_PRELOAD="$MMSHIM" "$PROG"
  assert_failure 1
  assert_output ""
  [[ $stderr == "mmap: Cannot allocate memory" ]]
}
