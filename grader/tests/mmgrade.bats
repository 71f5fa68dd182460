#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats' run --separate-stderr sets $stderr
# mmgrade end to end: the reference, the example class, the starters, the
# JSON it writes and its command line.

load ../../tests/helper

CLASS="$KIT_ROOT/grader/examples/class"

# grade_json SUBMISSION [OPTION...]: grades into $BATS_TEST_TMPDIR/result.json.
grade_json() {
  local submission=$1
  shift
  "$MMGRADE" "$@" --format json --output "$BATS_TEST_TMPDIR/result.json" "$submission"
}

# The reference graded six times at once (copies of it as a class, two at
# a time), shared by the tests that need a full grading of it.
setup_file() {
  export REFERENCE_RUNS="$BATS_FILE_TMPDIR/reference"
  local i
  mkdir -p "$BATS_FILE_TMPDIR/copies"
  for i in 1 2 3 4 5 6; do ln -s "$KIT_ROOT/solutions" "$BATS_FILE_TMPDIR/copies/ref$i"; done
  "$MMGRADE" batch --jobs 2 --seed 11 --out "$REFERENCE_RUNS" "$BATS_FILE_TMPDIR/copies" 2>/dev/null
  # the example class's task 2.3, cleo's twice, graded side by side
  export CLASS_RUNS="$BATS_FILE_TMPDIR/class"
  mkdir -p "$BATS_FILE_TMPDIR/example"
  for i in ana-fgets-status ben-null-no-munmap cleo-eager-write dan-copied-numbers; do
    ln -s "$CLASS/$i" "$BATS_FILE_TMPDIR/example/$i"
  done
  ln -s "$CLASS/cleo-eager-write" "$BATS_FILE_TMPDIR/example/cleo-again"
  "$MMGRADE" batch --jobs 2 --task 2.3 --out "$CLASS_RUNS" "$BATS_FILE_TMPDIR/example" 2>/dev/null
}

# graded_class STUDENT: its results in $BATS_TEST_TMPDIR/result.json, from
# the example class graded in setup_file.
graded_class() {
  cp "$CLASS_RUNS/students/$1/results.json" "$BATS_TEST_TMPDIR/result.json"
}

# failed_checks: the "task/check" of every failed check, sorted, one line.
failed_checks() {
  jq -r '[.tests[] | select(.status == "failed") | "\(.extra_data.task)/\(.extra_data.check)"] | sort | join(" ")' \
    "$BATS_TEST_TMPDIR/result.json"
}

@test "gives the reference solutions full marks on every check of every task" {
  cp "$REFERENCE_RUNS/students/ref1/results.json" "$BATS_TEST_TMPDIR/result.json"
  run failed_checks
  assert_output ""
  run jq -r '.score' "$BATS_TEST_TMPDIR/result.json"
  assert_output 92
}

@test "gives full marks to a correct program written differently (fgets, /proc/self/status, three pauses)" {
  graded_class ana-fgets-status
  run failed_checks
  assert_output ""
}

@test "fails a NULL check of mmap, a missing munmap and lax argument parsing, and nothing else" {
  graded_class ben-null-no-munmap
  run failed_checks
  assert_output "2.3/mmap_failure 2.3/munmap 2.3/size_arg"
}

@test "fails a mapping written before the first pause on lazy and rss_order (and the report that shows it), lax parsing on size_arg" {
  graded_class cleo-eager-write
  run failed_checks
  assert_output "2.3/lazy 2.3/report_consistent 2.3/rss_order 2.3/size_arg"
}

@test "fails copied numbers on honest, and on the growth they cannot show" {
  graded_class dan-copied-numbers
  run failed_checks
  assert_output "2.3/honest 2.3/rss_order 2.3/vsz_grows"
}

@test "grades the starters low, without a crash" {
  run grade_json "$KIT_ROOT/labs"
  assert_success
  run jq -r '.score < 30 and ([.tests[] | select(.extra_data.check == "build" and .status == "passed")] | length) == 3' \
    "$BATS_TEST_TMPDIR/result.json"
  assert_output true
}

@test "gives the starters no point for checks they leave nothing to judge, naming the check to fix first" {
  grade_json "$KIT_ROOT/labs" --task 2.1 --task 2.3
  run jq -r '.tests[] | select(.output | startswith("Precondition failed"))
    | "\(.extra_data.task)/\(.extra_data.check) \(.score) \(.output | capture("see `(?<c>[a-z_]+)`").c)"' \
    "$BATS_TEST_TMPDIR/result.json"
  assert_line "2.1/mmap_failure 0 maps_page"
  assert_line "2.1/valgrind 0 maps_page"
  assert_line "2.3/lazy 0 size_arg"
  assert_line "2.3/report_consistent 0 report_complete"
}

@test "reports the starters' report templates incomplete, each TODO with its line" {
  grade_json "$KIT_ROOT/labs" --task 2.1 --task 2.4
  run jq -r '[.tests[] | select(.extra_data.check | startswith("report_")) | "\(.extra_data.task)/\(.extra_data.check)=\(.status)"]
    | join(" ")' "$BATS_TEST_TMPDIR/result.json"
  assert_output "2.1/report_complete=failed 2.4/report_complete=failed 2.4/report_concepts=failed"
  run jq -r '.tests[] | select(.extra_data.task == "2.4" and .extra_data.check == "report_complete") | .output' \
    "$BATS_TEST_TMPDIR/result.json"
  assert_line '  line 11: a TODO is left: "TODO"'
}

@test "reports a task whose files are absent as failed, with 0 points and why" {
  grade_json "$CLASS/ana-fgets-status" --task 2.1
  run jq -r '[.tests[] | select(.score != 0 or (.output | test("not found") | not))] | length' "$BATS_TEST_TMPDIR/result.json"
  assert_output 0
}

@test "writes a results.json with the fields Gradescope reads" {
  grade_json "$KIT_ROOT/solutions" --task 2.1 --seed 3
  run jq -e '
    (.score | type == "number") and (.execution_time | type == "number") and (.output | type == "string")
    and (.tests | length > 0)
    and all(.tests[]; (.name | type == "string") and (.score | type == "number") and (.max_score | type == "number")
        and (.status == "passed" or .status == "failed") and (.output | type == "string")
        and (.visibility | IN("hidden", "after_due_date", "after_published", "visible"))
        and (.extra_data.task == "2.1") and (.extra_data.check | type == "string")
        and (.extra_data.seed == 3) and (.extra_data.observed | type == "object"))' "$BATS_TEST_TMPDIR/result.json"
  assert_success
}

@test "gives the reference the same verdicts, scores and feedback six times over, two at a time, measurements aside" {
  local i
  for i in 1 2 3 4 5 6; do
    run jq '.tests | length' "$REFERENCE_RUNS/students/ref$i/results.json"
    assert_output 44
    # Timings and measurements (PIDs, addresses, KiB) are the only numbers
    # allowed to move between runs.
    jq -c '[.score, (.tests[] | [.name, .score, .status,
      (.output | gsub("0x[0-9a-f]+|[0-9a-f]{8,}|[0-9]+(\\.[0-9]+)?"; "#"))])]' \
      "$REFERENCE_RUNS/students/ref$i/results.json" >"$BATS_TEST_TMPDIR/run-$i"
  done
  for i in 2 3 4 5 6; do
    run diff "$BATS_TEST_TMPDIR/run-1" "$BATS_TEST_TMPDIR/run-$i"
    assert_success
  done
}

@test "gives the same verdicts, scores and seed for the same submission graded twice at once" {
  local students="$CLASS_RUNS/students"
  run jq '.tests | length' "$students/cleo-again/results.json"
  assert_output 16
  run jq -c '[.tests[] | [.name, .score, .status, .extra_data.seed]]' "$students/cleo-again/results.json"
  assert_output "$(jq -c '[.tests[] | [.name, .score, .status, .extra_data.seed]]' "$students/cleo-eager-write/results.json")"
}

@test "draws different hidden sizes for different seeds, and records them" {
  grade_json "$KIT_ROOT/solutions" --task 2.1 --seed 1
  local first
  first=$(jq -r '.tests[0].extra_data | "\(.small_size) \(.large_size)"' "$BATS_TEST_TMPDIR/result.json")
  grade_json "$KIT_ROOT/solutions" --task 2.1 --seed 2
  run jq -r '.tests[0].extra_data | "\(.small_size) \(.large_size)"' "$BATS_TEST_TMPDIR/result.json"
  refute_output "$first"
  assert_output --regexp '^[0-9]+ 671[0-9]{5}$'
}

@test "rejects an unknown task with exit status 2" {
  run --separate-stderr "$MMGRADE" --task 2.9 "$KIT_ROOT/solutions"
  assert_failure 2
  [[ $stderr == "mmgrade: unknown task '2.9'"* ]]
}

@test "rejects an MMGRADE_READ_FAULT it does not know with exit status 2, before grading" {
  MMGRADE_READ_FAULT=sometimes run -2 --separate-stderr "$MMGRADE" --task 2.3 "$KIT_ROOT/solutions"
  assert_equal "$stderr" "mmgrade: bad MMGRADE_READ_FAULT 'sometimes': allocates, zero-page or probe"
  assert_output ""
}

@test "rejects a submission that is neither a folder nor a .zip with exit status 2" {
  run --separate-stderr "$MMGRADE" "$BATS_TEST_TMPDIR/nothing-here"
  assert_failure 2
  [[ $stderr == "mmgrade: cannot grade '$BATS_TEST_TMPDIR/nothing-here': not a folder, nor a .zip" ]]
}

@test "exits 3 naming what is missing when the shim cannot be found" {
  run --separate-stderr env MMGRADE_SHIM=/nonexistent "$MMGRADE" "$KIT_ROOT/solutions"
  assert_failure 3
  [[ $stderr == *"mmshim.so not found"* ]]
}

# probe_with TARGET_TEXT: a copy of the shim and mminit beside an
# "mmtarget" made of TARGET_TEXT, for the probe mmgrade runs before grading.
probe_with() {
  mkdir "$BATS_TEST_TMPDIR/lib"
  cp "$MMSHIM" "$BATS_TEST_TMPDIR/lib/mmshim.so"
  cp "$(dirname "$MMSHIM")/mminit" "$BATS_TEST_TMPDIR/lib/mminit"
  printf '%s' "$1" >"$BATS_TEST_TMPDIR/lib/mmtarget"
  chmod +x "$BATS_TEST_TMPDIR/lib/mmtarget"
  reachable_by_nobody "$BATS_TEST_TMPDIR/lib"
}

@test "exits 3 quoting why its probe program could not be run" {
  probe_with $'not a program\n'
  run --separate-stderr env MMGRADE_SHIM="$BATS_TEST_TMPDIR/lib/mmshim.so" "$MMGRADE" --task 2.1 "$KIT_ROOT/solutions"
  assert_failure 3
  # what the last level tried showed (as root: "nobody", the weakest allowed)
  [[ $stderr == "mmgrade: cannot grade: "*": its probe program $BATS_TEST_TMPDIR/lib/mmtarget exited with status 127: mmgrade: cannot run $BATS_TEST_TMPDIR/lib/mmtarget: Exec format error" ]]
}

@test "exits 3 saying what it could not see when its probe program is never seen to pause" {
  probe_with $'#!/bin/sh\nexit 0\n'
  run --separate-stderr env MMGRADE_SHIM="$BATS_TEST_TMPDIR/lib/mmshim.so" "$MMGRADE" --isolation none --task 2.1 "$KIT_ROOT/solutions"
  assert_failure 3
  [[ $stderr == "mmgrade: cannot grade: the grader cannot observe its own child processes: its probe program exited with status 0 without being seen to wait for input: /proc/PID/syscall or /proc/PID/io is not readable"* ]]
}

@test "prints its help with --help" {
  run "$MMGRADE" --help
  assert_success
  assert_line --index 0 --partial "usage: mmgrade"
}

@test "writes JUnit XML that xmllint accepts, one failure per failed check" {
  "$MMGRADE" --task 2.3 --seed 4 --format junit --output "$BATS_TEST_TMPDIR/junit.xml" "$CLASS/cleo-eager-write"
  run xmllint --noout "$BATS_TEST_TMPDIR/junit.xml"
  assert_success
  run xmllint --xpath 'count(//testcase/failure)' "$BATS_TEST_TMPDIR/junit.xml"
  assert_output 4
  run xmllint --xpath 'string(//testsuite/@tests)' "$BATS_TEST_TMPDIR/junit.xml"
  assert_output 16
}

@test "writes a Markdown summary with each failure's feedback in a fence" {
  run "$MMGRADE" --task 2.3 --seed 4 --format markdown "$CLASS/cleo-eager-write"
  assert_success
  assert_line "## mmgrade: 21/30"
  assert_line --partial "| ❌ | \`lazy\` | 0/4 |"
  assert_line --partial "<details><summary>❌ 2.3 <code>lazy</code>"
  assert_line '```text'
}

@test "takes points and visibility from a rubric file" {
  cat >"$BATS_TEST_TMPDIR/rubric.json" <<'JSON'
{"checks": {"2.3": {"lazy": {"points": 10, "visibility": "after_published"}}}}
JSON
  grade_json "$CLASS/cleo-eager-write" --task 2.3 --seed 4 --rubric "$BATS_TEST_TMPDIR/rubric.json"
  run jq -r '.tests[] | select(.extra_data.check == "lazy") | "\(.max_score) \(.visibility)"' "$BATS_TEST_TMPDIR/result.json"
  assert_output "10 after_published"
  run jq -r '.score' "$BATS_TEST_TMPDIR/result.json"
  assert_output 21
}

@test "draws the sizes from the rubric's secret before MMGRADE_SECRET" {
  echo '{"secret": "from-the-rubric"}' >"$BATS_TEST_TMPDIR/rubric.json"
  MMGRADE_SECRET=from-the-environment grade_json "$KIT_ROOT/solutions" --task 2.1 --rubric "$BATS_TEST_TMPDIR/rubric.json"
  local with_rubric
  with_rubric=$(jq -r '.tests[0].extra_data.seed' "$BATS_TEST_TMPDIR/result.json")
  MMGRADE_SECRET=from-the-rubric grade_json "$KIT_ROOT/solutions" --task 2.1
  run jq -r '.tests[0].extra_data.seed' "$BATS_TEST_TMPDIR/result.json"
  assert_output "$with_rubric"
  MMGRADE_SECRET=from-the-environment grade_json "$KIT_ROOT/solutions" --task 2.1
  run jq -r '.tests[0].extra_data.seed' "$BATS_TEST_TMPDIR/result.json"
  refute_output "$with_rubric"
}

@test "rejects a rubric with an unknown check with exit status 2, before grading" {
  echo '{"checks": {"2.3": {"lazzy": {"points": 1}}}}' >"$BATS_TEST_TMPDIR/rubric.json"
  run --separate-stderr "$MMGRADE" --rubric "$BATS_TEST_TMPDIR/rubric.json" "$KIT_ROOT/solutions"
  assert_failure 2
  [[ $stderr == "mmgrade: bad rubric '$BATS_TEST_TMPDIR/rubric.json': unknown check '2.3 lazzy'" ]]
}

@test "rejects an output file it cannot write with exit status 2, before grading" {
  run --separate-stderr "$MMGRADE" --output /nonexistent/dir/result.json "$KIT_ROOT/solutions"
  assert_failure 2
  [[ $stderr == "mmgrade: cannot write '/nonexistent/dir/result.json': No such file or directory" ]]
}

@test "rejects an unknown format with exit status 2" {
  run --separate-stderr "$MMGRADE" --format html "$KIT_ROOT/solutions"
  assert_failure 2
  [[ $stderr == "mmgrade: unknown format 'html': use text, json, markdown, junit or classroom" ]]
}

@test "says on stderr what it runs with --verbose, and shows passed checks' feedback" {
  run --separate-stderr "$MMGRADE" --verbose --task 2.1 --seed 3 "$KIT_ROOT/solutions"
  assert_success
  [[ $stderr == *"mmgrade: gcc "*"mmap_basics.c"* ]]
  [[ $stderr == *"(mmap fails)"* ]]
  assert_line --partial "Compiled with \`gcc"
}

@test "docs/rubric.md lists the checks and points that mmgrade applies" {
  local task want got
  for task in 2.1 2.2 2.3 2.4 2.5; do
    want=$("$MMGRADE" --print-rubric | jq -r --arg t "$task" '.checks[$t] | to_entries
      | "| \($t) | \(map(.key) | join(", ")) | \(map(.value.points) | join(", ")) = \(map(.value.points) | add) |"')
    got=$(grep "^| $task | " "$KIT_ROOT/docs/rubric.md")
    assert_equal "$got" "$want"
  done
}

@test "prints the rubric with an instructor's file applied" {
  echo '{"checks": {"2.1": {"valgrind": {"points": 0}}}}' >"$BATS_TEST_TMPDIR/rubric.json"
  run "$MMGRADE" --rubric "$BATS_TEST_TMPDIR/rubric.json" --print-rubric
  assert_success
  run jq -r '.checks["2.1"].valgrind.points, .checks["2.1"].build.points' <<<"$output"
  assert_output $'0\n2'
}

@test "grades a task folder on its own with the command its handout gives, at full marks for the reference" {
  local handout dir task command
  for handout in "$KIT_ROOT"/labs/2.*/README.md; do
    dir=$(basename "$(dirname "$handout")")
    task=${dir%%-*}
    command=$(sed -n '/^## Check your work/,/^## Hand in/s|^\.\./\.\./build/bin/mmgrade \(.*\) \.$|\1|p' "$handout")
    assert_equal "$command" "--task $task"
    cd "$KIT_ROOT/solutions/$dir"
    # shellcheck disable=SC2086 # the handout's options, word by word
    run "$MMGRADE" $command --seed 3 --format json .
    assert_success
    jq -e '.tests | length > 0 and all(.[]; .status == "passed")' <<<"$output" >/dev/null ||
      fail "$dir: $(jq -r '[.tests[] | select(.status != "passed") | .name] | join(", ")' <<<"$output")"
  done
}

# path_without TOOL...: a folder to use as PATH, with the grader's tools
# but TOOL.
path_without() {
  local dir="$BATS_TEST_TMPDIR/bin" tool
  mkdir -p "$dir"
  for tool in gcc bash valgrind shellcheck bwrap setpriv; do
    [[ " $* " == *" $tool "* ]] && continue
    if command -v "$tool" >/dev/null; then ln -sf "$(command -v "$tool")" "$dir/$tool"; fi
  done
  echo "$dir"
}

@test "exits 3 naming gcc when it is not installed, without a score" {
  run --separate-stderr env PATH="$(path_without gcc)" "$MMGRADE" --format json "$KIT_ROOT/solutions"
  assert_failure 3
  assert_output ""
  [[ $stderr == "mmgrade: cannot grade: gcc is not installed (apt-get install gcc)" ]]
}

@test "reports valgrind and shellcheck checks not run when they are absent, and exits 3 with --require-all" {
  PATH="$(path_without valgrind shellcheck)" grade_json "$KIT_ROOT/solutions" --task 2.1 --task 2.5 --seed 3
  run jq -r '([.tests[] | select(.extra_data.status == "not run") | "\(.extra_data.task)/\(.extra_data.check)"]
    | join(" ")), (.output | test("incomplete"))' "$BATS_TEST_TMPDIR/result.json"
  assert_output $'2.1/valgrind 2.5/shellcheck\ntrue'
  run --separate-stderr env PATH="$(path_without valgrind)" "$MMGRADE" --require-all --task 2.1 --seed 3 \
    --format json --output "$BATS_TEST_TMPDIR/result.json" "$KIT_ROOT/solutions"
  assert_failure 3
  [[ $stderr == "mmgrade: grading is incomplete: some checks were not run (--require-all)" ]]
}

@test "exits 3 when the report cannot be written to a full disk" {
  run --separate-stderr "$MMGRADE" --task 2.1 --seed 3 --format json --output /dev/full "$KIT_ROOT/solutions"
  assert_failure 3
  [[ $stderr == "mmgrade: cannot write the report to '/dev/full': the disk is full or the file is not writable" ]]
}

@test "exits 3 when /proc cannot be read, rather than grade blind" {
  ((EUID == 0)) || skip "hiding /proc needs a mount namespace of root's"
  [[ -z ${ASAN_OPTIONS:-} ]] || skip "a sanitized mmgrade cannot exit without /proc: LeakSanitizer reads it"
  # shellcheck disable=SC2016 # the inner shell expands them
  run --separate-stderr unshare --mount sh -c 'mount -t tmpfs none /proc && exec "$0" "$@"' \
    "$MMGRADE" --task 2.1 "$KIT_ROOT/solutions"
  assert_failure 3
  [[ $stderr == "mmgrade: cannot grade: /proc is not mounted or not readable" ]]
}

@test "grades the reference under valgrind with no memory error and nothing lost" {
  [[ -z ${ASAN_OPTIONS:-} ]] || skip "a sanitized mmgrade does not run under valgrind: the sanitize preset checks it instead"
  run valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect "$MMGRADE" --seed 3 --format json --output "$BATS_TEST_TMPDIR/result.json" \
    "$KIT_ROOT/solutions"
  assert_success
  run jq -r '.score' "$BATS_TEST_TMPDIR/result.json"
  assert_output 92
}

@test "gives the reference full marks at each isolation level this machine offers" {
  local level
  # with bwrap on PATH, then without it; 2.3 and 2.5, the tasks whose
  # runs the isolation shapes (PIDs, /proc, the script beside its target)
  for level in "$PATH" "$(path_without bwrap)"; do
    PATH=$level grade_json "$KIT_ROOT/solutions" --task 2.3 --task 2.5 --seed 5
    run jq -r '"\(.score) \(.tests[0].extra_data.isolation)"' "$BATS_TEST_TMPDIR/result.json"
    assert_output --regexp '^50 '
  done
  grade_json "$KIT_ROOT/solutions" --task 2.3 --task 2.5 --seed 5 --isolation none
  run jq -r '"\(.score) \(.tests[0].extra_data.isolation)"' "$BATS_TEST_TMPDIR/result.json"
  assert_output "50 none (limits only)"
  if ((EUID == 0)); then
    PATH=$(path_without bwrap) grade_json "$KIT_ROOT/solutions" --task 2.5 --seed 5
    run jq -r '.tests[0].extra_data.isolation' "$BATS_TEST_TMPDIR/result.json"
    assert_output "no sandbox, as nobody"
  fi
}

@test "grades a script the same when the kit itself lives under /tmp, with a sandbox or without" {
  # bwrap binds the kit's own files below the script's /tmp; without bwrap
  # a private /tmp would hide them
  mkdir -p "$BATS_TEST_TMPDIR/kit/bin"
  cp "$MMGRADE" "$BATS_TEST_TMPDIR/kit/bin/"
  cp -r "$(dirname "$MMSHIM")" "$BATS_TEST_TMPDIR/kit/lib"
  reachable_by_nobody "$BATS_TEST_TMPDIR/kit/lib"
  for level in "$PATH" "$(path_without bwrap)"; do
    PATH=$level run "$BATS_TEST_TMPDIR/kit/bin/mmgrade" --task 2.5 --format json "$KIT_ROOT/solutions"
    assert_success
    run jq -r '"\(.score) \(.tests[] | select(.extra_data.check == "writes_nothing") | .output)"' <<<"$output"
    assert_output --regexp '^20 It wrote no file'
  done
}

@test "writes the report in every format into --results, each a file of its own" {
  run "$MMGRADE" --task 2.1 --seed 5 --results "$BATS_TEST_TMPDIR/out/one" "$KIT_ROOT/solutions"
  assert_success
  assert_line "Total: 15/15"
  cd "$BATS_TEST_TMPDIR/out/one"
  run ls
  assert_output "$(printf '%s\n' classroom.txt feedback.txt junit.xml results.json summary.md)"
  jq -e '.score == 15' results.json
  xmllint --noout junit.xml
  grep -qx 'Total: 15/15' feedback.txt
  grep -q '^## mmgrade: 15/15' summary.md
}

@test "prints what GitHub Classroom's reporter decodes: every check with its points, the file and line it concerns" {
  run --separate-stderr "$MMGRADE" --task 2.3 --seed 5 --format classroom "$KIT_ROOT/grader/tests/fixtures/mmgrade/syntax-error"
  assert_success
  assert_equal "${#lines[@]}" 1
  base64 -d <<<"$output" >"$BATS_TEST_TMPDIR/classroom.json"
  # graded: "pass" whatever the score, so that the reporter fails no job for it
  run jq -r '"\(.version) \(.status) \(.max_score) \([.tests[].score] | add) \(.tests | length)"' "$BATS_TEST_TMPDIR/classroom.json"
  assert_output "1 pass 30 0 16"
  run jq -r '.tests[0] | "\(.test_code) \(.status) \(.filename):\(.line_no)"' "$BATS_TEST_TMPDIR/classroom.json"
  assert_output "2.3/build fail mmap_demo.c:$(grep -n 'size = (size_t)v$' "$KIT_ROOT/grader/tests/fixtures/mmgrade/syntax-error/mmap_demo.c" | cut -d: -f1)"
}

@test "rejects a --results folder it cannot make with exit status 2, before grading" {
  touch "$BATS_TEST_TMPDIR/file"
  run -2 --separate-stderr "$MMGRADE" --results "$BATS_TEST_TMPDIR/file/out" "$KIT_ROOT/solutions"
  assert_equal "$stderr" "mmgrade: cannot write into '$BATS_TEST_TMPDIR/file/out': Not a directory"
}

@test "as root, never runs student code as root unless --isolation none says so" {
  ((EUID == 0)) || skip "only root can run student code as root"
  # no bwrap, and a copy of the grader that nobody cannot reach: no level
  # but none can observe
  mkdir -p "$BATS_TEST_TMPDIR/kit/bin"
  cp "$MMGRADE" "$BATS_TEST_TMPDIR/kit/bin/"
  cp -r "$(dirname "$MMSHIM")" "$BATS_TEST_TMPDIR/kit/lib"
  chmod 0700 "$BATS_TEST_TMPDIR/kit"
  run -3 --separate-stderr env PATH="$(path_without bwrap)" "$BATS_TEST_TMPDIR/kit/bin/mmgrade" --task 2.4 \
    "$KIT_ROOT/solutions"
  [[ $stderr == "mmgrade: cannot grade: as root, no level that runs student code as another user can observe it (--isolation none would run it as root, with limits only): "* ]]
  run env PATH="$(path_without bwrap)" "$BATS_TEST_TMPDIR/kit/bin/mmgrade" --isolation none --task 2.4 \
    "$KIT_ROOT/solutions"
  assert_success
  assert_line "isolation: none (limits only)"
}
