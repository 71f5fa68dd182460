#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats' run --separate-stderr sets $stderr
# grader/ci/grade-pr.sh run as a GitHub Actions runner runs it, from a
# student repository's root: the job summary, the step outputs and the
# annotations it writes, and when it fails.

load ../../tests/helper

FIXTURES="$KIT_ROOT/grader/tests/fixtures/ci"

setup() {
  REPO=$BATS_TEST_TMPDIR/repo
  RESULTS=$BATS_TEST_TMPDIR/runner-temp/mmgrade-results
  mkdir -p "$REPO" "$BATS_TEST_TMPDIR/runner-temp"
  : >"$BATS_TEST_TMPDIR/summary.md"
  : >"$BATS_TEST_TMPDIR/output"
  cd "$REPO" || return
}

# grade_pr [VAR=VALUE]...: runs grade-pr.sh with what a runner sets, pointing
# into the test's folder, and the kit's grader; VAR=VALUE overrides.
grade_pr() {
  run --separate-stderr env GITHUB_ACTIONS=true GITHUB_WORKSPACE="$REPO" RUNNER_TEMP="$BATS_TEST_TMPDIR/runner-temp" \
    GITHUB_STEP_SUMMARY="$BATS_TEST_TMPDIR/summary.md" GITHUB_OUTPUT="$BATS_TEST_TMPDIR/output" \
    MMGRADE="$MMGRADE" "$@" bash "$KIT_ROOT/grader/ci/grade-pr.sh"
}

# classroom_result: the JSON the Classroom reporter decodes from the output.
classroom_result() {
  sed -n 's/^result=//p' "$BATS_TEST_TMPDIR/output" | base64 -d
}

# fake_results FILE TEST...: a results.json holding the tests given as JSON.
fake_results() {
  local file=$1
  shift
  jq -s '{score: (map(.score) | add), tests: .}' <<<"$*" >"$file"
}

@test "grades labs/ into the job summary and a Classroom result of results.json's points, exiting 0 for a low score" {
  cp -r "$KIT_ROOT/labs" "$REPO/labs"
  grade_pr MMLAB_TASKS=2.3
  assert_success
  # the starter scores low, and that fails nothing
  run jq '.score < 10 and ([.tests[].max_score] | add) == 30' "$RESULTS/results.json"
  assert_output true
  run diff "$RESULTS/summary.md" "$BATS_TEST_TMPDIR/summary.md"
  assert_success
  run grep -c '^## mmgrade: ' "$BATS_TEST_TMPDIR/summary.md"
  assert_output 1
  run grep -c '^result=' "$BATS_TEST_TMPDIR/output"
  assert_output 1
  classroom_result >"$BATS_TEST_TMPDIR/classroom.json"
  run jq -r '"\(.status) \([.tests[].score] | add) \(.max_score)"' "$BATS_TEST_TMPDIR/classroom.json"
  assert_output "pass $(jq .score "$RESULTS/results.json") 30"
  run cat "$BATS_TEST_TMPDIR/output"
  assert_line "score=$(jq .score "$RESULTS/results.json")"
  assert_line "max-score=30"
  [[ -s $RESULTS/junit.xml && -s $RESULTS/feedback.txt ]]
}

@test "annotates each failed check on the labs/ file it concerns, on the line results.json names" {
  cp -r "$KIT_ROOT/labs" "$REPO/labs"
  grade_pr MMLAB_TASKS=2.3
  assert_success
  local line
  line=$(jq '.tests[] | select(.extra_data.check == "report_complete") | .extra_data.line' "$RESULTS/results.json")
  [[ $line =~ ^[0-9]+$ ]]
  assert_line --regexp "^::error file=labs/2\.3-memory-usage/REPORT\.md,line=$line,title=2\.3 report_complete%3A the report is filled in \(0/1\)::Expected: every heading"
  assert_line --regexp '^::error file=labs/2\.3-memory-usage/mmap_demo\.c,title=2\.3 runs%3A runs to the end%2C with Enter .*::Expected: '
  # one annotation per check that did not pass
  run grep -cE '^::(error|warning) ' <<<"$output"
  assert_output "$(jq '[.tests[] | select(.status != "passed")] | length' "$RESULTS/results.json")"
}

@test "annotates a compile error as an error on the line gcc names, and the checks it kept from running as warnings" {
  mkdir "$REPO/labs"
  cp -r "$FIXTURES/compile-error/." "$REPO/labs/"
  grade_pr MMLAB_TASKS=2.3
  assert_success
  # gcc's message, its source line's % signs escaped, one line in all
  assert_line --regexp "^::error file=labs/2\.3-memory-usage/mmap_demo\.c,line=11,title=2\.3 build%3A compiles with the build line \(0/1\)::Expected: .*%0Ammap_demo\.c:11:54: error: 'region' undeclared .*printf\(\"Mapped %25zu bytes at %25p"
  assert_line --regexp '^::warning file=labs/2\.3-memory-usage/mmap_demo\.c,title=2\.3 runs%3A .*::Precondition failed: the program did not build'
  # the report is absent: its annotation names no file
  assert_line --regexp '^::error title=2\.3 report_complete%3A .*::No REPORT\.md was found'
  assert_line 'mmgrade: 16 checks failed, 0 not run, 0 passed'
  # 14 warnings: GitHub shows 10, and the log says so
  assert_line "mmgrade: GitHub shows the first 10 annotations of each kind; the job summary has every check"
  run grep -c '^::error ' <<<"$output"
  assert_output 2
}

@test "escapes carriage returns, percent signs, colons and commas, and cuts a long feedback at a line" {
  mkdir "$REPO/labs"
  local long
  long=$(for i in $(seq 1 100); do printf 'line %03d of a long feedback\n' "$i"; done)
  fake_results "$BATS_TEST_TMPDIR/fake.json" \
    '{"name": "2.1 build: a, b", "score": 0, "max_score": 1, "status": "failed", "output": "50% done\r\nnext",
      "extra_data": {"task": "2.1", "check": "build", "status": "failed", "file": "2.1-x/a,b:c.c", "line": 3}}' \
    "$(jq -n --arg long "$long" '{name: "2.1 valgrind: v", score: 0, max_score: 1, status: "failed", output: $long,
      extra_data: {task: "2.1", check: "valgrind", status: "failed", file: "2.1-x/a.c"}}')" \
    '{"name": "2.5 shellcheck: s", "score": 0, "max_score": 1, "status": "failed", "output": "shellcheck is not installed",
      "extra_data": {"task": "2.5", "check": "shellcheck", "status": "not run", "file": "2.5-x/analyse.sh"}}'
  grade_pr MMGRADE="$FIXTURES/fake-mmgrade" FAKE_RESULTS="$BATS_TEST_TMPDIR/fake.json"
  assert_success
  assert_line '::error file=labs/2.1-x/a%2Cb%3Ac.c,line=3,title=2.1 build%3A a%2C b (0/1)::50%25 done%0D%0Anext'
  # whole lines up to 1000 characters (35 lines of 27, and their newlines),
  # then where the rest is
  local cut
  cut=$(head -35 <<<"$long" | sed -z 's/\n$//; s/\n/%0A/g')
  assert_line "::error file=labs/2.1-x/a.c,title=2.1 valgrind%3A v (0/1)::$cut%0A… (cut: the job summary and feedback.txt have the whole feedback)"
  assert_line '::warning file=labs/2.5-x/analyse.sh,title=2.5 shellcheck%3A s (not run)::shellcheck is not installed'
  refute_line --partial "GitHub shows"
}

@test "keeps what the grader prints from being read as workflow commands" {
  mkdir "$REPO/labs"
  fake_results "$BATS_TEST_TMPDIR/fake.json" \
    '{"name": "2.4 report_complete: r", "score": 1, "max_score": 1, "status": "passed", "output": "",
      "extra_data": {"task": "2.4", "check": "report_complete", "status": "passed"}}'
  grade_pr MMGRADE="$FIXTURES/fake-mmgrade" FAKE_RESULTS="$BATS_TEST_TMPDIR/fake.json" \
    FAKE_STDOUT=$'  Observed:\n::error file=labs/planted.c::a program printed this\n'
  assert_success
  # the quoted line lies between stop-commands and the resume of the same
  # unguessable token
  run awk '/^::stop-commands::/ { token = substr($0, 18); on = 1; next }
           on && $0 == "::" token "::" { on = 0; next }
           /planted/ { print (on ? "stopped" : "live"), length(token) }' <<<"$output"
  assert_output "stopped 36"
}

@test "fails below MMLAB_MIN_SCORE, saying so, and still gives Classroom the points" {
  cp -r "$KIT_ROOT/labs" "$REPO/labs"
  grade_pr MMLAB_TASKS=2.4 MMLAB_MIN_SCORE=5
  assert_failure 1
  assert_line "::error title=mmgrade::grade-pr.sh: the score, 0, is below the minimum of 5 points this assignment asks (MMLAB_MIN_SCORE)"
  run classroom_result
  assert_success
  run jq -r '.status' <<<"$output"
  assert_output pass
  grade_pr MMLAB_TASKS=2.4 MMLAB_MIN_SCORE=0.0
  assert_success
  assert_line "mmgrade: the score, 0, reaches the minimum of 0.0 points (MMLAB_MIN_SCORE)"
}

@test "rejects a minimum score that is not a number, before grading" {
  cp -r "$KIT_ROOT/labs" "$REPO/labs"
  grade_pr MMLAB_MIN_SCORE=half
  assert_failure 2
  assert_output "::error title=mmgrade::grade-pr.sh: MMLAB_MIN_SCORE must be a number of points, not 'half'"
  [[ ! -s $BATS_TEST_TMPDIR/output && ! -e $RESULTS ]]
}

@test "fails with status 3, saying how to build it, when there is no grader" {
  cp -r "$KIT_ROOT/labs" "$REPO/labs"
  grade_pr MMGRADE=build/bin/mmgrade
  assert_failure 3
  assert_output "::error title=mmgrade::grade-pr.sh: no grader at build/bin/mmgrade: build it first (cmake -S . -B build -DKIT_TESTS=OFF && cmake --build build --target mmgrade), or set MMGRADE"
  [[ ! -s $BATS_TEST_TMPDIR/output && ! -s $BATS_TEST_TMPDIR/summary.md ]]
}

@test "fails with the grader's status and message when it cannot grade" {
  mkdir "$REPO/labs"
  grade_pr MMGRADE="$FIXTURES/fake-mmgrade" FAKE_STATUS=3 \
    FAKE_STDERR=$'mmgrade: the probe never seemed to pause\nmmgrade: /proc/PID/syscall: 100% unreadable\n'
  assert_failure 3
  # what the grader said, in the log, and after the report's fold (where
  # workflow commands work again) an error that repeats it, escaped
  assert_equal "$stderr" $'mmgrade: the probe never seemed to pause\nmmgrade: /proc/PID/syscall: 100% unreadable'
  assert_equal "${lines[-2]}" "::endgroup::"
  assert_equal "${lines[-1]}" "::error title=mmgrade::grade-pr.sh: mmgrade could not grade labs (exit status 3): mmgrade: the probe never seemed to pause%0Ammgrade: /proc/PID/syscall: 100%25 unreadable"
  [[ ! -s $BATS_TEST_TMPDIR/output ]]
  # a usage error of the real grader: an unknown task
  cp -r "$KIT_ROOT/labs/." "$REPO/labs/"
  grade_pr MMLAB_TASKS=9.9
  assert_failure 2
  assert_line --partial "::error title=mmgrade::grade-pr.sh: mmgrade could not grade labs (exit status 2): mmgrade: unknown task '9.9'"
}

@test "names files from the repository's root when labs is given by its absolute path, and none outside it" {
  mkdir -p "$REPO/course/labs" "$BATS_TEST_TMPDIR/elsewhere"
  fake_results "$BATS_TEST_TMPDIR/fake.json" \
    '{"name": "2.2 build: b", "score": 0, "max_score": 1, "status": "failed", "output": "no",
      "extra_data": {"task": "2.2", "check": "build", "status": "failed", "file": "2.2-x/mmap_demo.c"}}'
  grade_pr MMGRADE="$FIXTURES/fake-mmgrade" FAKE_RESULTS="$BATS_TEST_TMPDIR/fake.json" MMLAB_LABS="$REPO/course/labs"
  assert_success
  assert_line '::error file=course/labs/2.2-x/mmap_demo.c,title=2.2 build%3A b (0/1)::no'
  grade_pr MMGRADE="$FIXTURES/fake-mmgrade" FAKE_RESULTS="$BATS_TEST_TMPDIR/fake.json" MMLAB_LABS="$BATS_TEST_TMPDIR/elsewhere"
  assert_success
  assert_line '::error title=2.2 build%3A b (0/1)::no'
}

@test "puts a note in the job summary instead of a report over GitHub's 1 MiB" {
  mkdir "$REPO/labs"
  fake_results "$BATS_TEST_TMPDIR/fake.json" \
    '{"name": "2.4 report_complete: r", "score": 1, "max_score": 1, "status": "passed", "output": "",
      "extra_data": {"task": "2.4", "check": "report_complete", "status": "passed"}}'
  grade_pr MMGRADE="$FIXTURES/fake-mmgrade" FAKE_RESULTS="$BATS_TEST_TMPDIR/fake.json" FAKE_SUMMARY_BYTES=1048576
  assert_success
  run cat "$BATS_TEST_TMPDIR/summary.md"
  assert_output $'## mmgrade\n\nThe report is too long for a job summary: see feedback.txt in the artifact.'
  grade_pr MMGRADE="$FIXTURES/fake-mmgrade" FAKE_RESULTS="$BATS_TEST_TMPDIR/fake.json" FAKE_SUMMARY_BYTES=1000
  run grep -c '^## fake-mmgrade$' "$BATS_TEST_TMPDIR/summary.md"
  assert_output 1
}
