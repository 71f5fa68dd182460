#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats' run --separate-stderr sets $stderr
# The Gradescope autograder (cmake/Autograder.cmake, grader/gradescope/):
# the zip the build makes, unpacked and set up as Gradescope does, grading
# submissions into results.json; and a results.json of score 0 that says
# why whenever the grader cannot grade.

load ../../tests/helper

FIXTURES="$KIT_ROOT/grader/tests/fixtures/gradescope"

# unpack ROOT ZIP: ZIP laid out as Gradescope does: its contents in
# ROOT/source, run_autograder copied to ROOT; then setup.sh, its output
# in ROOT/setup.log (or, with SKIP_BUILD_FROM set, that build copied in).
unpack() {
  local root=$1 zip=$2
  mkdir -p "$root/source"
  (cd "$root/source" && cmake -E tar xf "$zip")
  # as an unzip that keeps no file modes would leave it
  if [[ -f $root/source/rubric.json ]]; then chmod 644 "$root/source/rubric.json"; fi
  cp "$root/source/run_autograder" "$root/"
  if [[ -n ${SKIP_BUILD_FROM:-} ]]; then
    cp -a "$SKIP_BUILD_FROM" "$root/source/build"
    return
  fi
  bash "$root/source/setup.sh" >"$root/setup.log" 2>&1 || {
    cat "$root/setup.log"
    return 1
  }
}

# Once for the file: the per-task zip by the build's own target (a tree
# configured as an instructor would, without the test tools), the
# all-tasks zip by the same script with the defaults, both set up.
setup_file() {
  local kit="$BATS_FILE_TMPDIR/kit"
  cmake -S "$KIT_ROOT" -B "$kit" -DKIT_TESTS=OFF -DKIT_AUTOGRADER_TASKS=2.3 \
    -DKIT_AUTOGRADER_RUBRIC="$FIXTURES/rubric.json" >"$BATS_FILE_TMPDIR/configure.log"
  SECONDS=0
  cmake --build "$kit" -j 2 --target autograder >"$BATS_FILE_TMPDIR/build.log"
  cmake -DKIT_ROOT="$KIT_ROOT" -DKIT_STAGE="$BATS_FILE_TMPDIR/stage" -DKIT_ZIP="$BATS_FILE_TMPDIR/all.zip" \
    -DKIT_MMGRADE="$kit/bin/mmgrade" -DKIT_TASKS="2.1 2.2 2.3 2.4 2.5" -DKIT_RUBRIC= \
    -P "$KIT_ROOT/cmake/Autograder.cmake" >>"$BATS_FILE_TMPDIR/build.log" 2>&1
  echo "# zips: ${SECONDS}s" >&3
  SECONDS=0
  unpack "$BATS_FILE_TMPDIR/task" "$kit/autograder.zip"
  echo "# setup.sh (the grader's build, unpacked): ${SECONDS}s" >&3
  # the same sources: the all-tasks zip takes the build setup.sh just made
  # (its own setup.sh would build the same grader again)
  SKIP_BUILD_FROM="$BATS_FILE_TMPDIR/task/source/build" unpack "$BATS_FILE_TMPDIR/all" "$BATS_FILE_TMPDIR/all.zip"
}

# submit ROOT [FILE...]: a fresh ROOT/submission holding FILEs, as the
# student uploaded them, and no results yet.
submit() {
  local root=$1
  shift
  rm -rf "$root/submission" "$root/results"
  mkdir -p "$root/submission"
  if (($# > 0)); then cp -r "$@" "$root/submission/"; fi
}

# in_own_var_tmp COMMAND...: COMMAND with an empty /var/tmp of its own, as
# in Gradescope's container, when root: mmgrade unpacks zips there, and
# submission.bats, which may run beside this file, counts what it finds in
# the machine's.
in_own_var_tmp() {
  if ((EUID == 0)); then
    # shellcheck disable=SC2016 # the inner shell expands it
    unshare --mount --propagation private sh -c 'mount -t tmpfs tmpfs /var/tmp && exec "$@"' sh "$@"
  else
    "$@"
  fi
}

# grade ROOT: Gradescope's run, with ROOT in place of /autograder.
grade() {
  in_own_var_tmp env AUTOGRADER_ROOT="$1" "$1/run_autograder"
}

# results ROOT JQ: JQ applied to ROOT's results.json.
results() {
  jq -r "$2" "$1/results/results.json"
}

# a_fake_build ROOT SCRIPT: ROOT whose "mmgrade" is the bash SCRIPT given.
a_fake_build() {
  mkdir -p "$1/source/build/bin"
  printf '#!/usr/bin/env bash\n%s\n' "$2" >"$1/source/build/bin/mmgrade"
  chmod +x "$1/source/build/bin/mmgrade"
  cp "$KIT_ROOT/grader/gradescope/run_autograder" "$1/"
}

# path_without_bwrap: a folder for PATH with every program of /usr/bin but
# bwrap, as on a machine where no sandbox can be had.
path_without_bwrap() {
  local dir="$BATS_TEST_TMPDIR/bin" program
  mkdir -p "$dir"
  for program in /usr/bin/*; do
    [[ $program == */bwrap ]] || ln -s "$program" "$dir/"
  done
  echo "$dir"
}

@test "the autograder target writes a zip with Gradescope's setup.sh and run_autograder at its root, executable" {
  run cmake -E tar tvf "$BATS_FILE_TMPDIR/kit/autograder.zip"
  assert_success
  assert_line --regexp '^-rwx.* setup\.sh$'
  assert_line --regexp '^-rwx.* run_autograder$'
  assert_line --regexp ' mmlab/grader/src/main\.c$'
  assert_line --regexp ' mmlab/labs/2\.3-memory-usage/REPORT\.md$'
  run grep -c 'Wrote .*/kit/autograder.zip: tasks 2.3, rubric ' "$BATS_FILE_TMPDIR/build.log"
  assert_output 1
}

@test "the zip holds no solution, by name or by content, nor the grader's tests, fixtures or examples" {
  local file
  declare -A solution=()
  while IFS= read -r file; do
    solution[$(sha256sum <"$file" | cut -c1-64)]=$file
  done < <(find "$KIT_ROOT/solutions" -type f)
  ((${#solution[@]} >= 10))
  while IFS= read -r file; do
    [[ -z ${solution[$(sha256sum <"$file" | cut -c1-64)]:-} ]] || fail "$file is ${solution[$(sha256sum <"$file" | cut -c1-64)]}"
  done < <(find "$BATS_FILE_TMPDIR/all/source" "$BATS_FILE_TMPDIR/task/source" -path '*/build' -prune -o -type f -print)
  run cmake -E tar tf "$BATS_FILE_TMPDIR/all.zip"
  assert_success
  refute_line --regexp '(^|/)(solutions|tests|fixtures|examples|fuzz)(/|$)'
}

@test "the zip lists the grade lines of .ci/packages, the tasks and the rubric it was made with" {
  run cat "$BATS_FILE_TMPDIR/task/source/packages"
  assert_output "$(sed -n 's/ grade$//p' "$KIT_ROOT/.ci/packages")"
  run cat "$BATS_FILE_TMPDIR/task/source/tasks"
  assert_output "2.3"
  run cat "$BATS_FILE_TMPDIR/all/source/tasks"
  assert_output "$(printf '%s\n' 2.1 2.2 2.3 2.4 2.5)"
  cmp "$FIXTURES/rubric.json" "$BATS_FILE_TMPDIR/task/source/rubric.json"
  [[ ! -e $BATS_FILE_TMPDIR/all/source/rubric.json ]]
}

@test "making the zip stops on a rubric mmgrade would refuse, or an unknown task" {
  printf '{"checks": {"2.3": {"lazzy": {"points": 1}}}}\n' >"$BATS_TEST_TMPDIR/typo.json"
  run cmake -DKIT_ROOT="$KIT_ROOT" -DKIT_STAGE="$BATS_TEST_TMPDIR/stage" -DKIT_ZIP="$BATS_TEST_TMPDIR/a.zip" \
    -DKIT_MMGRADE="$BATS_FILE_TMPDIR/kit/bin/mmgrade" -DKIT_TASKS="2.3" -DKIT_RUBRIC="$BATS_TEST_TMPDIR/typo.json" \
    -P "$KIT_ROOT/cmake/Autograder.cmake"
  assert_failure
  assert_output --partial "lazzy"
  run cmake -DKIT_ROOT="$KIT_ROOT" -DKIT_STAGE="$BATS_TEST_TMPDIR/stage" -DKIT_ZIP="$BATS_TEST_TMPDIR/a.zip" \
    -DKIT_MMGRADE="$BATS_FILE_TMPDIR/kit/bin/mmgrade" -DKIT_TASKS="2.3 2.6" -DKIT_RUBRIC= \
    -P "$KIT_ROOT/cmake/Autograder.cmake"
  assert_failure
  assert_output --partial "unknown task '2.6'"
  [[ ! -e $BATS_TEST_TMPDIR/a.zip ]]
}

@test "setup.sh installs nothing when every package is there, builds mmgrade, and leaves the rubric to root alone" {
  run cat "$BATS_FILE_TMPDIR/task/setup.log"
  assert_line "setup.sh: every package is installed: $(awk '$2 == "grade" { print $1 }' "$KIT_ROOT/.ci/packages" | paste -sd ' ' -)"
  assert_line "setup.sh: mmgrade is built in $BATS_FILE_TMPDIR/task/source/build"
  [[ -x $BATS_FILE_TMPDIR/task/source/build/bin/mmgrade ]]
  run stat -c '%a %u' "$BATS_FILE_TMPDIR/task/source/rubric.json"
  assert_output "600 $EUID"
  if ((EUID == 0)); then
    run setpriv --reuid=65534 --regid=65534 --clear-groups cat "$BATS_FILE_TMPDIR/task/source/rubric.json"
    assert_failure
    assert_output --partial "Permission denied"
  fi
}

@test "gives the kit's solutions full marks, in plain-text outputs, the score the sum of its tests" {
  submit "$BATS_FILE_TMPDIR/all" "$KIT_ROOT"/solutions/2.*
  run grade "$BATS_FILE_TMPDIR/all"
  assert_success
  assert_line "Total: 92/92"
  run results "$BATS_FILE_TMPDIR/all" '[.score, ([.tests[].score] | add), ([.tests[].max_score] | add), (.tests | length),
    .output_format, .test_output_format, ([.tests[].visibility] | unique | join(" ")), .output] | join(" ")'
  assert_output "92 92 92 44 text text visible 92/92"
}

@test "grades a .zip upload, as Gradescope lands it in the submission folder" {
  (cd "$KIT_ROOT/solutions/2.1-mmap-basics" && zip -q "$BATS_TEST_TMPDIR/upload.zip" mmap_basics.c REPORT.md)
  submit "$BATS_FILE_TMPDIR/all" "$BATS_TEST_TMPDIR/upload.zip"
  run grade "$BATS_FILE_TMPDIR/all"
  assert_success
  run results "$BATS_FILE_TMPDIR/all" '"\(.score) \([.tests[].score] | add) \([.tests[].max_score] | add) \(.output)"'
  assert_output "15 15 92 15/92; unpacked upload.zip"
}

@test "a per-task assignment grades its task alone, with the rubric's points, visibility and secret" {
  local files="$KIT_ROOT/solutions/2.3-memory-usage"
  (cd "$files" && zip -q "$BATS_TEST_TMPDIR/task.zip" mmap_demo.c REPORT.md)
  submit "$BATS_FILE_TMPDIR/task" "$BATS_TEST_TMPDIR/task.zip"
  run grade "$BATS_FILE_TMPDIR/task"
  assert_success
  run results "$BATS_FILE_TMPDIR/task" '"\(.score) \([.tests[].score] | add) \([.tests[].max_score] | add) \(.output_format)",
    ([.tests[].extra_data.task] | unique | join(" ")),
    (.tests[] | select(.extra_data.check == "lazy") | "\(.max_score) \(.visibility)")'
  assert_output $'32 32 32 text\n2.3\n6 after_published'
  # the hidden sizes come from the rubric's secret, as from MMGRADE_SECRET
  local seed
  seed=$(results "$BATS_FILE_TMPDIR/task" '.tests[0].extra_data.seed')
  run in_own_var_tmp env MMGRADE_SECRET="$(jq -r .secret "$FIXTURES/rubric.json")" "$MMGRADE" --task 2.3 \
    --format json "$BATS_TEST_TMPDIR/task.zip"
  assert_success
  assert_equal "$(jq -r '.tests[0].extra_data.seed' <<<"$output")" "$seed"
  run in_own_var_tmp env -u MMGRADE_SECRET "$MMGRADE" --task 2.3 --format json "$BATS_TEST_TMPDIR/task.zip"
  [[ $(jq -r '.tests[0].extra_data.seed' <<<"$output") != "$seed" ]]
}

@test "an empty submission scores 0 of 92, every check saying what is missing" {
  submit "$BATS_FILE_TMPDIR/all"
  run grade "$BATS_FILE_TMPDIR/all"
  assert_success
  run results "$BATS_FILE_TMPDIR/all" '"\(.score) \([.tests[].score] | add) \([.tests[].max_score] | add) \(.output_format)",
    .tests[0].output'
  assert_output $'0 0 92 text\nThe task\'s file was not found in the submission (mmap_basics.c).'
}

@test "a submission the grader cannot read still gets a results.json: score 0 and why, in text" {
  # a name the message quotes, with what JSON must escape or cannot hold
  local name=$'my "lab"\\\x01.zip'
  printf 'not a zip\n' >"$BATS_TEST_TMPDIR/$name"
  submit "$BATS_FILE_TMPDIR/all" "$BATS_TEST_TMPDIR/$name"
  run grade "$BATS_FILE_TMPDIR/all"
  assert_success
  run results "$BATS_FILE_TMPDIR/all" '"\(.score) \(.tests | length) \(.output_format) \(.visibility) \(.extra_data.mmgrade_status)", .output'
  assert_line --index 0 "0 0 text visible 2"
  assert_line --index 1 "The autograder could not read this submission: mmgrade: cannot read the zip '$BATS_FILE_TMPDIR/all/submission/my \"lab\"\\.zip': Unrecognized archive format"
}

@test "a grader that cannot grade, was never built or crashes still leaves a results.json that says so" {
  local root="$BATS_TEST_TMPDIR/broken"
  # the real mmgrade without its lib/: exit 3
  mkdir -p "$root/source/build/bin"
  cp "$BATS_FILE_TMPDIR/all/source/build/bin/mmgrade" "$root/source/build/bin/"
  cp "$KIT_ROOT/grader/gradescope/run_autograder" "$root/"
  submit "$root" "$KIT_ROOT/solutions/2.1-mmap-basics/mmap_basics.c"
  run grade "$root"
  assert_success
  run results "$root" '"\(.score) \(.extra_data.mmgrade_status)", .output'
  assert_line --index 0 "0 3"
  assert_line --index 1 --regexp "^The autograder could not grade on this machine: mmgrade: cannot grade: mmshim.so not found"
  # no build at all
  rm -r "$root/source/build"
  run grade "$root"
  assert_success
  run results "$root" '"\(.score) \(.extra_data.mmgrade_status) \(.output)"'
  assert_output "0 127 The autograder is not installed: $root/source/build/bin/mmgrade is missing (setup.sh did not build it). This is not a mistake in your submission; tell your instructor."
  # a crash
  a_fake_build "$root" 'kill -SEGV $$'
  run grade "$root"
  assert_success
  run results "$root" '"\(.score) \(.extra_data.mmgrade_status)", .output'
  assert_line --index 0 "0 139"
  assert_line --index 1 --partial "The autograder stopped on signal 11 (SEGV) before it wrote a result."
  # a clean exit that wrote nothing
  a_fake_build "$root" 'exit 0'
  run grade "$root"
  run results "$root" '.output'
  assert_output --partial "ended with exit status 0 without writing a result"
}

@test "a results.json saying that grading did not finish is in place while mmgrade runs" {
  local root="$BATS_TEST_TMPDIR/stopped"
  # as Gradescope's time limit would: run_autograder killed mid-grading
  # shellcheck disable=SC2016 # the fake mmgrade expands it
  a_fake_build "$root" 'kill -KILL $PPID'
  submit "$root"
  # its scratch folder is left behind, as Gradescope would leave it
  TMPDIR=$BATS_TEST_TMPDIR run grade "$root"
  assert_failure 137
  run results "$root" '"\(.score) \(.output_format)", .output'
  assert_line --index 0 "0 text"
  assert_line --index 1 --partial "Grading did not finish"
}

@test "as root with no sandbox to be had, student code runs as nobody: setup.sh let nobody reach the build" {
  ((EUID == 0)) || skip "the grader runs student code as nobody only when it is root"
  # bats' run folder is 0700, as a folder above /autograder/source might be
  # (the per-task zip's root: setup.sh set it up)
  submit "$BATS_FILE_TMPDIR/task" "$KIT_ROOT/solutions/2.3-memory-usage/mmap_demo.c"
  PATH=$(path_without_bwrap) run grade "$BATS_FILE_TMPDIR/task"
  assert_success
  run results "$BATS_FILE_TMPDIR/task" '"\(.tests[0].extra_data.isolation) \([.tests[] | select(.extra_data.check == "lazy" or .extra_data.check == "resident") | .status] | join(" "))"'
  assert_output "no sandbox, as nobody passed passed"
}
