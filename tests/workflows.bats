#!/usr/bin/env bats
# The GitHub workflows, the kit's CI and the students' grading: linted by
# .ci/lint-workflows, which fails a broken one, and the student workflow in
# step with the kit's packages and with grade-pr.sh.

load helper

FIXTURES="$KIT_ROOT/tests/fixtures/workflows"
STUDENT_WORKFLOW="$KIT_ROOT/student/.github/workflows/grade.yml"

# lint [WORKFLOW...]: runs .ci/lint-workflows; skips the test when
# action-validator is not installed, unless in CI (CI set, and not to
# false, as for KIT_WERROR), which must have it (.ci/run installs it).
lint() {
  run bash "$KIT_ROOT/.ci/lint-workflows" "$@"
  if ((status == 3)) && [[ -z ${CI:-} || $CI == false ]]; then
    skip "action-validator is not installed (npm line of the README's prerequisites)"
  fi
}

@test "passes every workflow of the kit and of the student edition" {
  lint
  assert_success
  assert_line "lint-workflows: .github/workflows/ci.yml: ok"
  assert_line "lint-workflows: student/.github/workflows/grade.yml: ok"
}

@test "fails a workflow with a misspelt key, naming the file and the key" {
  lint "$FIXTURES/misspelt-key.yml"
  assert_failure 1
  assert_line "lint-workflows: tests/fixtures/workflows/misspelt-key.yml: not a valid workflow by the schema:"
  assert_line "  /jobs/run-autograding-tests/steps/2: Additional property 'wiht' is not allowed"
}

@test "fails a workflow whose YAML does not parse, naming the line" {
  lint "$FIXTURES/bad-indent.yml"
  assert_failure 1
  assert_line --regexp '^  did not find expected key at line 9 column 6'
}

@test "fails an expression naming a step no step is, and one left open, each by its line" {
  lint "$FIXTURES/wrong-step.yml"
  assert_failure 1
  assert_line "  line 14: an expression opened with \${{ is not closed on its line"
  assert_line "  line 18: steps.grading: no step of this workflow has the id grading"
  # steps.grade is the step's id: no complaint about it
  refute_line --partial "steps.grade:"
}

@test "lints every workflow it is given, failing if one fails" {
  lint "$STUDENT_WORKFLOW" "$FIXTURES/misspelt-key.yml"
  assert_failure 1
  assert_line "lint-workflows: student/.github/workflows/grade.yml: ok"
  assert_line "lint-workflows: 2 workflows checked, 1 failed"
}

@test "says how to install action-validator when there is none, with status 3" {
  ACTION_VALIDATOR=$BATS_TEST_TMPDIR/nowhere run bash "$KIT_ROOT/.ci/lint-workflows"
  assert_failure 3
  assert_output "lint-workflows: action-validator is not installed: npm install --prefix build-tools $(sed -e '/^#/d' -e 's/ .*//' "$KIT_ROOT/.ci/npm-packages")"
}

@test "the student workflow installs the packages .ci/packages marks grade, and jq for grade-pr.sh" {
  local want
  want="$(sed -n 's/ grade$//p' "$KIT_ROOT/.ci/packages" | paste -sd ' ' -) jq"
  run grep -c "^ *sudo apt-get install -y -qq --no-install-recommends $want\$" "$STUDENT_WORKFLOW"
  assert_output 1
}

@test "the student workflow keeps the folder grade-pr.sh writes, and gives its result to the Classroom reporter" {
  local id
  # the id of the step that runs grade-pr.sh
  id=$(grep -B1 '^ *run: bash grader/ci/grade-pr.sh$' "$STUDENT_WORKFLOW" | sed -n 's/^ *id: *//p')
  [[ -n $id ]]
  run grep -cE "^ *MMGRADE_RESULTS: \\$\\{\\{ steps\\.$id\\.outputs\\.result \\}\\}$|^ *runners: mmgrade$|^ *path: \\$\\{\\{ runner\\.temp \\}\\}/mmgrade-results$" "$STUDENT_WORKFLOW"
  assert_output 3
  # and grade-pr.sh writes there when RUNNER_TEMP is set
  # shellcheck disable=SC2016 # grade-pr.sh's line, as it is written
  run grep -c '^  results=${MMLAB_RESULTS:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mmgrade-results}$' "$KIT_ROOT/grader/ci/grade-pr.sh"
  assert_output 1
}
