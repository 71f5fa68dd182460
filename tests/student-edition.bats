#!/usr/bin/env bats
# The student edition (tools/student-edition.sh): what students receive
# holds no answer, judged by content; its links lead inside it; and in it
# the grader builds on its own and grades the labs as students fill them in.

load helper

FIXTURES="$BATS_TEST_DIRNAME/fixtures/student-edition"

setup_file() {
  export EDITION="$BATS_FILE_TMPDIR/edition"
  "$KIT_ROOT/tools/student-edition.sh" "$EDITION" >/dev/null
}

# answer_files: the kit's files that hold answers, NUL-separated: the
# solutions, the grader's fixtures, the example class.
answer_files() {
  local dir
  for dir in solutions grader/tests/fixtures grader/examples/class; do
    [[ ! -d $KIT_ROOT/$dir ]] || find "$KIT_ROOT/$dir" -type f -print0
  done
}

# normal_lines: each line of stdin with its runs of blanks made one space,
# none at either end.
normal_lines() {
  sed -E 's/[[:space:]]+/ /g; s/^ //; s/ $//'
}

# normal_sum FILE: a checksum of FILE's text with every run of blanks (line
# ends too) made one space; nothing for a file that is all blanks.
normal_sum() {
  grep -q '[^[:space:]]' "$1" || return 0
  tr -s '[:space:]' ' ' <"$1" | sed 's/^ //; s/ $//' | md5sum | cut -d' ' -f1
}

# copies_in DIR: "PATH is ANSWER" for each file under DIR whose text, blanks
# aside, is an answer's (and not also a given file's of labs/).
copies_in() {
  local file sum
  local -A answer=()
  while IFS= read -r -d '' file; do
    sum=$(normal_sum "$file")
    [[ -z $sum ]] || answer[$sum]=${file#"$KIT_ROOT"/}
  done < <(answer_files)
  while IFS= read -r -d '' file; do
    sum=$(normal_sum "$file")
    [[ -z $sum ]] || unset "answer[$sum]"
  done < <(find "$KIT_ROOT/labs" -type f -print0)
  ((${#answer[@]} >= 40)) || { echo "only ${#answer[@]} answers to look for"; return 1; }
  while IFS= read -r -d '' file; do
    sum=$(normal_sum "$file")
    [[ -z $sum || -z ${answer[$sum]:-} ]] || echo "${file#"$1"/} is ${answer[$sum]}"
  done < <(find "$1" -type f -print0)
}

# shared_lines DIR: "PATH: LINE" for each line under DIR, blanks aside, that
# is a line of 40 characters or more of an answer and of no file of labs/.
shared_lines() {
  local distinct=$BATS_TEST_TMPDIR/distinct
  answer_files | xargs -0 grep -Ih '' | normal_lines | awk 'length >= 40' | sort -u >"$distinct.answers"
  find "$KIT_ROOT/labs" -type f -print0 | xargs -0 cat | normal_lines | sort -u >"$distinct.given"
  comm -23 "$distinct.answers" "$distinct.given" >"$distinct"
  (($(wc -l <"$distinct") >= 200)) || { echo "only $(wc -l <"$distinct") lines to look for"; return 1; }
  # shellcheck disable=SC2016 # $0 is awk's
  find "$1" -type f -print0 | xargs -0 grep -Il '' | xargs awk -v root="$1/" '
    FNR == NR { want[$0]; next }
    { l = $0; gsub(/[[:space:]]+/, " ", l); sub(/^ /, "", l); sub(/ $/, "", l)
      if (l in want) { f = FILENAME; sub(root, "", f); print f ": " l } }' "$distinct"
}

@test "no file of the edition is a solution, a fixture or an example submission, blanks aside" {
  run copies_in "$EDITION"
  assert_success
  assert_output ""
  # the same look finds a solution whose blanks were changed
  mkdir -p "$BATS_TEST_TMPDIR/planted"
  sed 's/^    /\t/; s/ = / =  /' "$KIT_ROOT/solutions/2.1-mmap-basics/mmap_basics.c" >"$BATS_TEST_TMPDIR/planted/mine.c"
  run copies_in "$BATS_TEST_TMPDIR/planted"
  assert_output "mine.c is solutions/2.1-mmap-basics/mmap_basics.c"
}

@test "no file of the edition shares a line of 40 characters or more with an answer that the labs lack" {
  run shared_lines "$EDITION"
  assert_success
  assert_output ""
  # the same look finds one line of a model report pasted into a template
  mkdir -p "$BATS_TEST_TMPDIR/planted"
  cp "$EDITION/labs/2.4-explain/REPORT.md" "$BATS_TEST_TMPDIR/planted/REPORT.md"
  grep -vxFf "$EDITION/labs/2.4-explain/REPORT.md" "$KIT_ROOT/solutions/2.4-explain/REPORT.md" | awk 'length >= 60' |
    head -1 >>"$BATS_TEST_TMPDIR/planted/REPORT.md"
  run shared_lines "$BATS_TEST_TMPDIR/planted"
  assert_line --regexp '^REPORT.md: .{40,}'
}

@test "the edition has no history, solutions, tests, fixtures, example class, instructor docs or kit CI" {
  [[ -f $EDITION/labs/2.1-mmap-basics/mmap_basics.c && -f $EDITION/grader/src/main.c ]]
  run find "$EDITION" \( -name .git -o -name solutions -o -name tests -o -name fixtures -o -name examples \
    -o -name fuzz -o -name '*.bats' -o -name '*rubric*.json' -o -name instructor-guide.md -o -name grader.md -o -name .ci \
    -o -name ci.yml \) -print
  assert_output ""
}

@test "a file new to the kit reaches the edition only once the manifest lists it, and never from solutions/" {
  local kit=$BATS_TEST_TMPDIR/kit
  mkdir "$kit"
  tar -C "$KIT_ROOT" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$kit" -xf -
  echo "notes for the course staff" >"$kit/docs/staff-notes.md"
  cp "$KIT_ROOT/solutions/2.1-mmap-basics/mmap_basics.c" "$kit/labs/2.1-mmap-basics/reference.c"
  run "$kit/tools/student-edition.sh" "$BATS_TEST_TMPDIR/first"
  assert_success
  [[ ! -e $BATS_TEST_TMPDIR/first/docs/staff-notes.md && ! -e $BATS_TEST_TMPDIR/first/labs/2.1-mmap-basics/reference.c ]]
  echo "docs/staff-notes.md" >>"$kit/tools/student-edition.manifest"
  run "$kit/tools/student-edition.sh" "$BATS_TEST_TMPDIR/second"
  assert_success
  [[ -f $BATS_TEST_TMPDIR/second/docs/staff-notes.md ]]
  echo "solutions/2.1-mmap-basics/mmap_basics.c" >>"$kit/tools/student-edition.manifest"
  run "$kit/tools/student-edition.sh" "$BATS_TEST_TMPDIR/third"
  assert_failure 1
  assert_output --partial "solutions/2.1-mmap-basics/mmap_basics.c must never reach students"
}

@test "the edition writes into no folder that holds something already" {
  mkdir "$BATS_TEST_TMPDIR/used"
  touch "$BATS_TEST_TMPDIR/used/work.c"
  run "$KIT_ROOT/tools/student-edition.sh" "$BATS_TEST_TMPDIR/used"
  assert_failure 1
  assert_output --partial "exists and is not empty"
  [[ -f $BATS_TEST_TMPDIR/used/work.c ]]
}

@test "every link and every path a Markdown file of the edition names leads to a file of the edition" {
  local file target dir broken=()
  while IFS= read -r -d '' file; do
    dir=$(dirname "$file")
    # links: [text](target), relative ones
    while IFS= read -r target; do
      target=${target%%#*}
      [[ -z $target || $target == *:* ]] && continue
      [[ -e $dir/$target ]] || broken+=("${file#"$EDITION"/}: ($target)")
    done < <(grep -oE '\]\([^)]*\)' "$file" | sed -E 's/^\]\((.*)\)$/\1/')
    # paths in code spans: from the top (docs/rubric.md), or a bare file name
    # shellcheck disable=SC2016 # the backquotes are Markdown, not shell
    while IFS= read -r target; do
      [[ $target == *[\*\<]* || $target == *PID* ]] && continue
      if [[ $target == */* ]]; then
        [[ -e $EDITION/$target ]] || broken+=("${file#"$EDITION"/}: \`$target\`")
      elif [[ -z $(find "$EDITION" -name "$target" -print -quit) ]]; then
        broken+=("${file#"$EDITION"/}: \`$target\`")
      fi
    done < <(grep -oE '`((docs|labs|grader|cmake|\.github)/[^` ]*|[A-Za-z0-9_-]+\.(md|svg))`' "$file" | tr -d '`')
  done < <(find "$EDITION" -name '*.md' -print0)
  ((${#broken[@]} == 0)) || fail "$(printf 'broken: %s\n' "${broken[@]}")"
}

@test "every workflow the edition's docs name is a preset of the edition, and of the kit" {
  local names dir name
  names=$(grep -rhoE 'cmake --workflow --preset [a-z-]+' "$EDITION" --include='*.md' | awk '{print $4}' | sort -u)
  [[ $names == *grader* && $names == *check* ]] || fail "the docs name only: $names"
  for dir in "$EDITION" "$KIT_ROOT"; do
    run bash -c 'cd "$1" && cmake --workflow --list-presets' _ "$dir"
    assert_success
    while read -r name; do
      assert_line --regexp "^  \"$name\" "
    done <<<"$names"
  done
}

@test "the edition's README asks for the grader's packages of .ci/packages, in their order" {
  local want
  want="sudo apt-get install $(awk '$2 == "grade" { print $1 }' "$KIT_ROOT/.ci/packages" | paste -sd ' ' -)"
  run grep -cxF "$want" "$EDITION/README.md"
  assert_output 1
}

# a_student_copy: a copy of the edition in the file's scratch, as a student
# clones it; the tests below share it (and its build) in their order.
a_student_copy() {
  STUDENT=$BATS_FILE_TMPDIR/student
  [[ -d $STUDENT ]] || cp -a "$EDITION" "$STUDENT"
}

@test "in the edition the grader builds from scratch without the test tools, and grades the starters low" {
  local score
  a_student_copy
  cd "$STUDENT"
  run cmake --workflow --preset check
  assert_success
  assert_line --regexp '^Task 2\.1 '
  assert_line --regexp '^Task 2\.5 '
  score=$(sed -n 's/^Total: \([0-9]*\)\/.*/\1/p' <<<"$output")
  [[ -n $score ]] && ((score < 30)) || fail "the starters scored ${score:-nothing}"
  [[ -x build/bin/mmgrade ]]
  # the kit's own tests are off there: no test tool was asked for
  run grep -x 'KIT_TESTS:BOOL=OFF' build/CMakeCache.txt
  assert_success
}

@test "in the edition a student's broken program and filled-in report stop neither the build nor a fair grade" {
  a_student_copy
  cp "$FIXTURES/mmap_basics.c" "$STUDENT/labs/2.1-mmap-basics/mmap_basics.c"
  cp "$KIT_ROOT/solutions/2.4-explain/REPORT.md" "$STUDENT/labs/2.4-explain/REPORT.md"
  cd "$STUDENT"
  run cmake --workflow --preset grader
  assert_success
  # the whole build too: the student's programs are not part of it
  run cmake --build build
  assert_success
  run cmake --workflow --preset check
  assert_success
  assert_line --regexp '^  failed  build '
  # the report is read against the template as handed out, not against itself
  assert_line --regexp '^  passed  report_concepts +4/4 '
}
