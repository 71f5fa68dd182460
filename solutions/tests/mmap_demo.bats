#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats' run --separate-stderr sets $stderr
# The task 2.2 and 2.3 references meet their contract.

load ../../tests/helper

DEMO22="$SOLUTIONS/2.2-mmap-demo/mmap_demo"
DEMO23="$SOLUTIONS/2.3-memory-usage/mmap_demo"

# assert_stages: the output holds the four stages in order, each followed by
# a ps header and one row whose PID is the program's own, then the closing
# line; $1 is the expected "Mapped N bytes" size.
assert_stages() {
  local size=$1
  local -a want=("[Initial]" "[After mmap]" "[After writing to memory]" "[After munmap]")
  local i=0 n pid=
  for ((n = 0; n < ${#lines[@]}; n++)); do
    if [[ ${lines[n]} == "${want[i]:-none}" ]]; then
      [[ ${lines[n + 1]} =~ ^\ *PID\ +VSZ\ +RSS\ +COMMAND$ ]] || fail "no ps header after ${want[i]}"
      [[ ${lines[n + 2]} =~ ^\ *([0-9]+)\ +[0-9]+\ +[0-9]+\ + ]] || fail "no ps row after ${want[i]}"
      [[ -z $pid || $pid == "${BASH_REMATCH[1]}" ]] || fail "the PID changed between stages"
      pid=${BASH_REMATCH[1]}
      i=$((i + 1))
    fi
  done
  assert_equal "$i" 4
  assert_line --regexp "^Mapped $size bytes at 0x[0-9a-f]+$"
  assert_equal "${lines[-1]}" "Memory successfully unmapped."
}

@test "2.2 prints every stage with its table, at the default size" {
  run --separate-stderr "$DEMO22"
  assert_success
  assert_stages 4096
  assert_equal "$stderr" ""
}

@test "2.2 maps the size it is given" {
  run --separate-stderr "$DEMO22" 100000
  assert_success
  assert_stages 100000
}

@test "2.2 shows VSZ growing by the mapping after mmap" {
  run --separate-stderr "$DEMO22" 8388608
  assert_success
  local -a vsz
  mapfile -t vsz < <(awk 'prev ~ /PID/ { print $2 } { prev = $0 }' <<<"$output")
  (( vsz[1] - vsz[0] >= 8192 )) || fail "VSZ went from ${vsz[0]} to ${vsz[1]} KiB"
}

@test "2.2 and 2.3 reject each bad argument of the contract before mapping" {
  local prog arg
  for prog in "$DEMO22" "$DEMO23"; do
    for arg in abc 12abc 0 -5; do
      run --separate-stderr env MMSHIM_LOG_FD=2 LD_PRELOAD="$MMSHIM" "$prog" "$arg"
      assert_failure 2
      assert_output ""
      [[ $stderr == "usage: mmap_demo [SIZE]"* ]] || fail "no usage for '$arg': $stderr"
      [[ $stderr != *mmap\ * ]] || fail "mapped before rejecting '$arg'"
    done
    run --separate-stderr "$prog" 4096 8192
    assert_failure 2
    [[ $stderr == "usage: mmap_demo [SIZE]"* ]]
  done
}

@test "2.2 reports a failed mmap on stderr and exits 1" {
  run --separate-stderr env MMSHIM_FAIL_MMAP=1 LD_PRELOAD="$MMSHIM" "$DEMO22"
  assert_failure 1
  [[ $stderr == *"mmap: Cannot allocate memory"* ]]
  refute_line --partial "Mapped"
}

@test "2.3 runs to the end when stdin is at end-of-file" {
  run --separate-stderr timeout 10 "$DEMO23" </dev/null
  assert_success
  assert_stages 4096
  assert_equal "$(count_lines '^\[Pause\]' <(printf '%s\n' "$output"))" 2
}

@test "2.3 runs to the end with Enter fed at each pause" {
  run --separate-stderr timeout 10 "$DEMO23" 5000 < <(printf '\n\n')
  assert_success
  assert_stages 5000
}

@test "2.3 waits at each pause until it reads a line, and names its maps file" {
  local fifo="$BATS_TEST_TMPDIR/stdin" out="$BATS_TEST_TMPDIR/out"
  mkfifo "$fifo"
  "$DEMO23" <"$fifo" >"$out" &
  local pid=$!
  exec {feed}>"$fifo"
  wait_until 10 grep -q '^\[Pause\]' "$out"
  # Blocked in read(2) on stdin, with the writing stage not reached.
  wait_until 10 in_read "$pid"
  refute grep -q 'After writing' "$out"
  assert grep -q "^\[Pause\].*/proc/$pid/maps" "$out"
  echo >&"$feed"
  wait_until 10 has_lines 2 '^\[Pause\]' "$out"
  refute grep -q 'After munmap' "$out"
  echo >&"$feed"
  exec {feed}>&-
  wait "$pid"
  assert grep -q '^Memory successfully unmapped.$' "$out"
}

@test "2.3 prints its pause line after the table of the stage it pauses in" {
  run --separate-stderr "$DEMO23" </dev/null
  local stage_of_pause=() line current=
  for line in "${lines[@]}"; do
    [[ $line == \[After* || $line == \[Initial\] ]] && current=$line
    [[ $line == \[Pause\]* ]] && stage_of_pause+=("$current")
  done
  assert_equal "${stage_of_pause[*]}" "[After mmap] [After writing to memory]"
}
