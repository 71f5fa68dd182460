#!/usr/bin/env bats
# The benchmark (grader/bench/bench.sh) at a tiny size, so that it cannot
# rot: it runs to the end and prints its five figures. What they are worth
# is for docs/performance.md, never for a test.

load ../../tests/helper

@test "the benchmark runs at a tiny size and prints its five figures, each beside its target" {
  run bash "$KIT_ROOT/grader/bench/bench.sh" --class 2 --habit 1 --timeout 1 --sleep 0.05 "$KIT_BUILD"
  assert_success
  local figure
  for figure in "1. overhead" "2. scaling" "3. a correct 2.3 program" "4. hang" "5. memory"; do
    assert_line --regexp "^${figure//./\\.}.* [0-9]+\.[0-9]+   target .* (met|NOT MET)$"
  done
}

@test "the benchmark refuses a build without a grader, saying what to do" {
  run bash "$KIT_ROOT/grader/bench/bench.sh" "$BATS_TEST_TMPDIR"
  assert_failure 1
  assert_output "bench.sh: no built grader in '$BATS_TEST_TMPDIR' (cmake --workflow --preset test)"
}
