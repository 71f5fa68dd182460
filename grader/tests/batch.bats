#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats' run --separate-stderr sets $stderr
# mmgrade batch and mmgrade merge: a class of fixture submissions graded
# two at a time, the gradebook it writes, reruns, overrides and shards.

load ../../tests/helper

FIXTURES="$KIT_ROOT/grader/tests/fixtures"
# what every batch here grades with: task 2.3, a fixed seed, and a whole
# submission capped at 4 s so that the one that hangs costs little
GRADING=(--task 2.3 --seed 5 --limit submission=4)

# A class of one of each: correct in a folder, a zip and one folder down,
# not compiling, hanging, empty, a broken zip, and a stray file.
make_class() {
  local class=$1
  mkdir -p "$class"/{ana,ben,cleo,eve} "$class/dan/mmlab-main"
  cp -r "$KIT_ROOT/solutions/2.3-memory-usage" "$class/ana/"
  cp -r "$KIT_ROOT/solutions/2.3-memory-usage" "$class/dan/mmlab-main/"
  cp "$FIXTURES/mmgrade/syntax-error/mmap_demo.c" "$class/ben/"
  cp "$FIXTURES/hostile/spin/mmap_demo.c" "$class/cleo/"
  (cd "$KIT_ROOT/solutions" && zip -qr "$class/dora.zip" 2.3-memory-usage)
  printf 'not a zip\n' >"$class/fay.zip"
  printf 'a note the instructor left\n' >"$class/notes.txt"
}

# A class of the quick ones (no program that runs long), for the tests
# that grade again and again: no build, an empty folder, a broken zip,
# a stray file.
make_quick_class() {
  local class=$1
  mkdir -p "$class"/{ben,eve}
  cp "$FIXTURES/mmgrade/syntax-error/mmap_demo.c" "$class/ben/"
  printf 'not a zip\n' >"$class/fay.zip"
  printf 'a note the instructor left\n' >"$class/notes.txt"
}

setup_file() {
  export CLASS="$BATS_FILE_TMPDIR/class" OUT="$BATS_FILE_TMPDIR/out" QUICK="$BATS_FILE_TMPDIR/quick"
  make_class "$CLASS"
  make_quick_class "$QUICK"
  "$MMGRADE" batch --jobs 2 --out "$OUT" "${GRADING[@]}" "$CLASS" 2>"$BATS_FILE_TMPDIR/stderr" &&
    echo 0 >"$BATS_FILE_TMPDIR/status" || echo $? >"$BATS_FILE_TMPDIR/status"
}

# csv_field STUDENT COLUMN: a field of grades.csv, by the header's names.
csv_field() {
  awk -F, -v who="$1" -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) at[$i] = i; next }
    $1 == who { print $at[col] }' "${3:-$OUT}/grades.csv"
}

@test "grades the class two at a time, recording each student whatever the submission does" {
  # exit 1: some could not be graded, and the gradebook says why
  assert_equal "$(cat "$BATS_FILE_TMPDIR/status")" 1
  run tail -1 "$BATS_FILE_TMPDIR/stderr"
  assert_output "mmgrade: 6 students graded, 2 not graded; $OUT/report.html"
  for student in ana dan dora; do assert_equal "$(csv_field "$student" total)" 30; done
  assert_equal "$(csv_field ben 2.3/build)" 0
  # cleo's program builds, then spins until the submission's 4 s are up
  assert_equal "$(csv_field cleo total)" "$(csv_field cleo 2.3/build)"
  run jq -r '.tests[] | select(.extra_data.check == "runs") | .output' "$OUT/students/cleo/results.json"
  assert_output --partial "still running after the time limit"
  assert_equal "$(csv_field eve total)" 0
  run csv_field fay status
  assert_output --partial "not graded: the grader exited 2: mmgrade: cannot read the zip"
  run csv_field notes.txt status
  assert_output "not graded: not a folder nor a .zip: nothing to grade"
}

@test "keeps each student's results and feedback, and nothing half written" {
  for student in ana ben cleo dan dora eve; do
    jq -e '.tests | length == 16' "$OUT/students/$student/results.json"
    [[ -s $OUT/students/$student/feedback.txt ]]
  done
  [[ ! -e $OUT/students/fay/results.json && -s $OUT/students/fay/error.txt ]]
  run find "$OUT" -name '*.part'
  assert_output ""
}

@test "writes a gradebook with a row per student in a stable order and a column per check" {
  run cut -d, -f1 "$OUT/grades.csv"
  assert_output "$(printf '%s\n' student ana ben cleo dan dora eve fay notes.txt)"
  run sed -n 1p "$OUT/grades.csv"
  assert_output --regexp '^student,total,max,manual,2\.3,2\.3/build,2\.3/runs,.*,2\.3/report_consistent,seed,small_size,large_size,status,overrides$'
  assert_equal "$(csv_field ana max)" 30
  assert_equal "$(csv_field ana seed)" 5
}

@test "writes a self-contained HTML report with the histogram, each check's bar and every student" {
  local html="$OUT/report.html"
  xmllint --noout "$html"
  run grep -c '<svg role="img" aria-label="histogram of totals"' "$html"
  assert_output 1
  run grep -c '<span class="bar' "$html"
  assert_output 16
  for student in ana ben cleo dan dora eve; do grep -q "<details id=\"student-$student\">" "$html"; done
  grep -q '<li><strong>fay</strong>: the grader exited 2' "$html"
  # nothing fetched: no script, no stylesheet or image from elsewhere
  run grep -Ec '<script|<link|src=|https?://' "$html"
  assert_output 0
}

@test "writes a Markdown summary with the median of the class" {
  # six graded: ben 0, eve 0, cleo (its build), ana, dan, dora 30: the
  # median of an even count is the mean of the two middle totals
  run grep -A5 '^| | total |' "$OUT/summary.md"
  assert_line "| median | $(awk -v c="$(csv_field cleo total)" 'BEGIN { printf "%g", (c + 30) / 2 }') |"
  assert_line "| lowest | 0 |"
  assert_line "| highest | 30 |"
}

@test "grades again only the students not graded yet, unless --force" {
  cp -r "$OUT" "$BATS_TEST_TMPDIR/out"
  run --separate-stderr "$MMGRADE" batch --out "$BATS_TEST_TMPDIR/out" "${GRADING[@]}" "$CLASS"
  assert_failure 1
  [[ $stderr == *"mmgrade: 1 of 8 students to grade (6 graded before: --force grades them again)"* ]]
  cmp "$OUT/grades.csv" "$BATS_TEST_TMPDIR/out/grades.csv"
  run --separate-stderr "$MMGRADE" batch --out "$BATS_TEST_TMPDIR/out" --seed 6 --task 2.3 "$CLASS"
  assert_failure 2
  assert_equal "$stderr" "mmgrade: '$BATS_TEST_TMPDIR/out' holds grades made with other options (batch-options.txt): --force grades everyone again with these"
}

@test "applies the instructor's overrides, with their reasons, on every regrade" {
  cat >"$BATS_TEST_TMPDIR/overrides" <<'EOF'
# student  target        value  reason
ben        2.3/runs      2      appeal 7: the build line's warning was the kit's
eve        manual        5      report handed in on paper
EOF
  for force in "" --force; do
    run "$MMGRADE" batch --out "$BATS_TEST_TMPDIR/out" --overrides "$BATS_TEST_TMPDIR/overrides" "${GRADING[@]}" \
      ${force:+"$force"} "$QUICK"
    assert_failure 1
    assert_equal "$(csv_field ben 2.3/runs "$BATS_TEST_TMPDIR/out")" 2
    assert_equal "$(csv_field eve total "$BATS_TEST_TMPDIR/out")" 5
    assert_equal "$(csv_field eve manual "$BATS_TEST_TMPDIR/out")" 5
    run grep -c 'overridden: 0 → 2 points (appeal 7' "$BATS_TEST_TMPDIR/out/report.html"
    assert_output 1
    grep -q '^- ben, 2\.3/runs: 0 → 2 points: appeal 7' "$BATS_TEST_TMPDIR/out/summary.md"
  done
}

@test "grades a class in shards that merge into the gradebook of the whole" {
  local shards=() k
  "$MMGRADE" batch --out "$BATS_TEST_TMPDIR/whole" "${GRADING[@]}" "$QUICK" 2>/dev/null || true
  for k in 1 2 3; do
    "$MMGRADE" batch --out "$BATS_TEST_TMPDIR/shard-$k" --shard "$k/3" "${GRADING[@]}" "$QUICK" 2>/dev/null || true
    shards+=("$BATS_TEST_TMPDIR/shard-$k")
  done
  # each student in exactly one shard
  run sort <(for k in 0 1 2; do ls "${shards[k]}/students"; done)
  assert_equal "$(tr '\n' ' ' <<<"$output")" "ben eve fay notes.txt "
  run "$MMGRADE" merge --out "$BATS_TEST_TMPDIR/all" "${shards[@]}"
  assert_success
  cmp "$BATS_TEST_TMPDIR/whole/grades.csv" "$BATS_TEST_TMPDIR/all/grades.csv"
  cmp "$BATS_TEST_TMPDIR/whole/summary.md" "$BATS_TEST_TMPDIR/all/summary.md"
}

@test "merge refuses shards graded with other options, and a student in two shards" {
  mkdir -p "$BATS_TEST_TMPDIR/other"
  cp -r "$OUT" "$BATS_TEST_TMPDIR/copy"
  printf -- '--seed\n6\n' >"$BATS_TEST_TMPDIR/copy/batch-options.txt"
  run -2 --separate-stderr "$MMGRADE" merge --out "$BATS_TEST_TMPDIR/all" "$OUT" "$BATS_TEST_TMPDIR/copy"
  assert_equal "$stderr" "mmgrade: '$BATS_TEST_TMPDIR/copy' was graded with other options than '$OUT' (batch-options.txt): grades of different runs do not merge"
  cp "$OUT/batch-options.txt" "$BATS_TEST_TMPDIR/copy/"
  run -2 --separate-stderr "$MMGRADE" merge --out "$BATS_TEST_TMPDIR/all" "$OUT" "$BATS_TEST_TMPDIR/copy"
  assert_equal "$stderr" "mmgrade: 'ana' is in two of the folders merged: shards of one class never share a student"
  run -2 --separate-stderr "$MMGRADE" merge --out "$BATS_TEST_TMPDIR/all" "$BATS_TEST_TMPDIR/other"
  assert_equal "$stderr" "mmgrade: '$BATS_TEST_TMPDIR/other' is not an output of mmgrade batch (no batch-options.txt)"
}

@test "rejects bad input with exit status 2 before grading anyone" {
  mkdir "$BATS_TEST_TMPDIR/empty"
  run -2 --separate-stderr "$MMGRADE" batch --out "$BATS_TEST_TMPDIR/o" "$BATS_TEST_TMPDIR/empty"
  assert_equal "$stderr" "mmgrade: the class folder '$BATS_TEST_TMPDIR/empty' is empty: one folder or .zip per student"
  run -2 --separate-stderr "$MMGRADE" batch --out "$BATS_TEST_TMPDIR/o" "$BATS_TEST_TMPDIR/nowhere"
  assert_equal "$stderr" "mmgrade: cannot read the class folder '$BATS_TEST_TMPDIR/nowhere': No such file or directory"
  run -2 --separate-stderr "$MMGRADE" batch "$CLASS"
  assert_equal "$stderr" "mmgrade: batch needs --out DIR: the folder the grades go into"
  touch "$BATS_TEST_TMPDIR/file"
  run -2 --separate-stderr "$MMGRADE" batch --out "$BATS_TEST_TMPDIR/file/o" "$CLASS"
  assert_equal "$stderr" "mmgrade: cannot write into '$BATS_TEST_TMPDIR/file/o': Not a directory"
  run -2 --separate-stderr "$MMGRADE" batch --shard 3/2 --out "$BATS_TEST_TMPDIR/o" "$CLASS"
  assert_equal "$stderr" "mmgrade: bad --shard '3/2': K/N, 1 <= K <= N (1/4 to 4/4 for four shares)"
  run -2 --separate-stderr "$MMGRADE" batch --timeout 0 --out "$BATS_TEST_TMPDIR/o" "$CLASS"
  assert_equal "$stderr" "mmgrade: bad timeout '0': seconds, more than 0 and at most 3600"
  printf 'ana 2.3/lazy 4 fine\nben 2.3/lazzy 1 typo\n' >"$BATS_TEST_TMPDIR/overrides"
  run -2 --separate-stderr "$MMGRADE" batch --overrides "$BATS_TEST_TMPDIR/overrides" --out "$BATS_TEST_TMPDIR/o" "$CLASS"
  assert_equal "$stderr" "mmgrade: bad overrides '$BATS_TEST_TMPDIR/overrides' line 2: unknown target '2.3/lazzy': a check as TASK/CHECK (2.3/lazy, as docs/rubric.md lists them) or 'manual'"
  printf 'ana 2.3/lazy 9 too many\n' >"$BATS_TEST_TMPDIR/overrides"
  run -2 --separate-stderr "$MMGRADE" batch --overrides "$BATS_TEST_TMPDIR/overrides" --out "$BATS_TEST_TMPDIR/o" "$CLASS"
  assert_equal "$stderr" "mmgrade: bad overrides '$BATS_TEST_TMPDIR/overrides' line 1: bad value '9' for 2.3/lazy: pass, fail, or points from 0 to 4"
  printf 'zed manual 3 who?\n' >"$BATS_TEST_TMPDIR/overrides"
  run -2 --separate-stderr "$MMGRADE" batch --overrides "$BATS_TEST_TMPDIR/overrides" --out "$BATS_TEST_TMPDIR/o" "$CLASS"
  assert_equal "$stderr" "mmgrade: bad overrides '$BATS_TEST_TMPDIR/overrides': no student 'zed' in the class"
  printf 'ana 2.3/lazy pass\n' >"$BATS_TEST_TMPDIR/overrides"
  run -2 --separate-stderr "$MMGRADE" batch --overrides "$BATS_TEST_TMPDIR/overrides" --out "$BATS_TEST_TMPDIR/o" "$CLASS"
  assert_equal "$stderr" "mmgrade: bad overrides '$BATS_TEST_TMPDIR/overrides' line 1: no reason given for ana's 2.3/lazy: say why, for the student and for later"
  # none of them graded anyone
  [[ ! -e $BATS_TEST_TMPDIR/o/students/ana ]]
}

@test "writes a gradebook and a report that stay valid whatever the students' folders are called" {
  local class="$BATS_TEST_TMPDIR/class"
  mkdir -p "$class/<b>a&b \"c\"" "$class/=SUM(A1)"
  cp "$KIT_ROOT/grader/tests/fixtures/hostile/garbage/mmap_demo.c" "$class/<b>a&b \"c\"/"
  run "$MMGRADE" batch --out "$BATS_TEST_TMPDIR/out" "${GRADING[@]}" "$class"
  assert_success
  # well-formed as XML: every name escaped where it is written
  xmllint --noout "$BATS_TEST_TMPDIR/out/report.html"
  run grep -o '&lt;b&gt;a&amp;b &quot;c&quot;' "$BATS_TEST_TMPDIR/out/report.html"
  assert_equal "${#lines[@]}" 2
  run grep -c '<b>' "$BATS_TEST_TMPDIR/out/report.html"
  assert_output 0
  # quoted as RFC 4180 says, and no formula for a spreadsheet to run
  run cut -d, -f1 "$BATS_TEST_TMPDIR/out/grades.csv"
  assert_line '"<b>a&b ""c"""'
  assert_line "\"'=SUM(A1)\""
  grep -q '^| <b>a&b "c"' "$BATS_TEST_TMPDIR/out/summary.md" && false
  grep -q '^| \\<b\\>a\\&b "c"' "$BATS_TEST_TMPDIR/out/summary.md"
}
