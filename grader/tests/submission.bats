#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats' run --separate-stderr sets $stderr
# What mmgrade accepts as a submission: a folder in the labs layout or flat,
# either one folder down, a .zip of either, a folder holding only a .zip.

load ../../tests/helper

FIXTURES="$KIT_ROOT/grader/tests/fixtures/submission"

# unpacked_folders: the folders mmgrade unpacks zips into, one a line.
unpacked_folders() {
  find /var/tmp /tmp -maxdepth 1 -name 'mmgrade-zip.*' 2>/dev/null | sort
}

# zip_of FOLDER ZIP: ZIP holds FOLDER under its own name, as GitHub's
# "Download ZIP" packs a repository ("mmlab-main/2.1-mmap-basics/...").
zip_of() {
  (cd "$(dirname "$1")" && zip -qr "$2" "$(basename "$1")")
}

@test "grades a repository's zip, one folder down, saying what it unpacked and removing it afterwards" {
  mkdir "$BATS_TEST_TMPDIR/mmlab-main"
  cp -r "$KIT_ROOT/solutions/2.1-mmap-basics" "$BATS_TEST_TMPDIR/mmlab-main/"
  zip_of "$BATS_TEST_TMPDIR/mmlab-main" "$BATS_TEST_TMPDIR/mmlab-main.zip"
  before=$(unpacked_folders)
  run --separate-stderr "$MMGRADE" --task 2.1 --format json "$BATS_TEST_TMPDIR/mmlab-main.zip"
  assert_success
  run jq -r '.output' <<<"$output"
  assert_output "15/15; unpacked mmlab-main.zip; graded the folder 'mmlab-main/' inside the submission, where its tasks are"
  assert_equal "$(unpacked_folders)" "$before"
}

@test "grades a folder that holds nothing but a .zip, as an upload lands" {
  mkdir "$BATS_TEST_TMPDIR/upload"
  cp "$KIT_ROOT/solutions/2.1-mmap-basics/"{mmap_basics.c,REPORT.md} "$BATS_TEST_TMPDIR/"
  (cd "$BATS_TEST_TMPDIR" && zip -q upload/submission.zip mmap_basics.c REPORT.md)
  run "$MMGRADE" --task 2.1 "$BATS_TEST_TMPDIR/upload"
  assert_success
  assert_line "note: unpacked submission.zip"
  assert_line "Total: 15/15"
}

@test "grades a folder one level down without a zip, and says which" {
  mkdir -p "$BATS_TEST_TMPDIR/student/.git" "$BATS_TEST_TMPDIR/student/work"
  cp "$KIT_ROOT/solutions/2.1-mmap-basics/"{mmap_basics.c,REPORT.md} "$BATS_TEST_TMPDIR/student/work/"
  run "$MMGRADE" --task 2.1 "$BATS_TEST_TMPDIR/student"
  assert_success
  assert_line "note: graded the folder 'work/' inside the submission, where its tasks are"
  assert_line "Total: 15/15"
}

@test "rejects a zip with an entry whose path leads out of it, with exit status 2, writing nothing there" {
  cp "$FIXTURES/escapes.zip" "$BATS_TEST_TMPDIR/"
  before=$(unpacked_folders)
  run -2 --separate-stderr "$MMGRADE" "$BATS_TEST_TMPDIR/escapes.zip"
  assert_equal "$stderr" "mmgrade: cannot unpack the zip '$BATS_TEST_TMPDIR/escapes.zip': an entry's path leads out of it"
  assert_output ""
  [[ ! -e /var/tmp/escaped.txt && ! -e /tmp/escaped.txt ]]
  assert_equal "$(unpacked_folders)" "$before"
}

@test "rejects a file that is not a zip, and a zip that is not one, with exit status 2" {
  printf 'int main(void) { return 0; }\n' >"$BATS_TEST_TMPDIR/mmap_basics.c"
  run -2 --separate-stderr "$MMGRADE" "$BATS_TEST_TMPDIR/mmap_basics.c"
  assert_equal "$stderr" "mmgrade: cannot grade '$BATS_TEST_TMPDIR/mmap_basics.c': not a folder, nor a .zip"
  printf 'not a zip\n' >"$BATS_TEST_TMPDIR/broken.zip"
  run -2 --separate-stderr "$MMGRADE" "$BATS_TEST_TMPDIR/broken.zip"
  assert_equal "$stderr" "mmgrade: cannot read the zip '$BATS_TEST_TMPDIR/broken.zip': Unrecognized archive format"
}

@test "grades a flat mmap_demo.c for both 2.2 and 2.3, each on what the program does for it" {
  cp "$KIT_ROOT/solutions/2.3-memory-usage/mmap_demo.c" "$BATS_TEST_TMPDIR/"
  run "$MMGRADE" --task 2.2 --task 2.3 --format json --seed 3 "$BATS_TEST_TMPDIR"
  assert_success
  # the program's checks pass for both tasks; only the reports are missing
  run jq -r '[.tests[] | select(.status == "failed") | .extra_data | "\(.task)/\(.check)"] | join(" ")' <<<"$output"
  assert_output "2.2/report_complete 2.3/report_complete 2.3/report_consistent"
}
