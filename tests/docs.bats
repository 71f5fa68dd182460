#!/usr/bin/env bats
# The handouts agree with the contract and with real runs of the solutions.

load helper

@test "every handout carries its task's contract exactly as docs/contract.md states it" {
  run "$KIT_ROOT/tools/sync-contract.sh" --check
  assert_success
}

@test "every handout names its task's contract block" {
  local handout task
  for handout in "$KIT_ROOT"/labs/2.*/README.md; do
    task=$(basename "$(dirname "$handout")")
    task=${task%%-*}
    grep -qx "<!-- contract:$task begin -->" "$handout" || fail "$handout lacks contract:$task"
  done
}

@test "every sample output in the handouts has the shape of a fresh run of the solution" {
  run "$KIT_ROOT/tools/samples.sh" check "$KIT_BUILD"
  assert_success
  assert_output --regexp 'samples.sh: [0-9]+ samples checked'
}

@test "every handout has the sections of a handout, in order" {
  local handout want got
  want="Objectives|Files|Background|Steps|The contract|Sample output|Pitfalls|Check your work|Hand in|Points"
  for handout in "$KIT_ROOT"/labs/2.*/README.md; do
    got=$(sed -n 's/^## //p' "$handout" | paste -sd '|')
    assert_equal "$got" "$want"
  done
}

@test "every file a handout lists is in its lab folder" {
  local handout file dir
  for handout in "$KIT_ROOT"/labs/2.*/README.md; do
    dir=$(dirname "$handout")
    # shellcheck disable=SC2016 # the backquotes are Markdown, not shell
    while IFS= read -r file; do
      [[ -f $dir/$file ]] || fail "$handout lists $file, which is missing"
    done < <(sed -n '/^## Files/,/^## Background/s/^| `\([^`]*\)` |.*/\1/p' "$handout")
  done
}

@test "the README's commands are the two workflows and .ci/run runs the test one" {
  run grep -c '^cmake --workflow --preset \(grade\|test\)$' "$KIT_ROOT/README.md"
  assert_output 2
  run grep -q 'cmake --workflow --preset test' "$KIT_ROOT/.ci/run"
  assert_success
}
