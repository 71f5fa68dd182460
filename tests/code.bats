#!/usr/bin/env bats
# The kit's code and build as a newcomer meets them: functions short enough
# to read, each file saying what it is for, docs that show the command line
# the program has, and a configure that says what is missing.

load helper

# function_lengths FILE...: "FILE:LINE NAME LENGTH" for each function, a
# function being a "{" alone at column 0 after its signature up to the "}"
# at column 0 (the kit's style).
function_lengths() {
  awk '
    /^\{$/ { start = FNR; name = prev; next }
    /^\}/ && start { sub(/\(.*/, "", name); n = split(name, w, /[ *]+/); print FILENAME ":" start " " w[n] " " FNR - start + 1; start = 0 }
    $0 !~ /^[ \t]/ && $0 != "" { prev = $0 }' "$@"
}

@test "no function of the grader is longer than 80 lines, and main() is under 60" {
  local sources
  mapfile -t sources < <(find "$KIT_ROOT/grader/src" -name '*.c')
  [[ ${#sources[@]} -gt 20 ]]
  run function_lengths "${sources[@]}"
  assert_success
  # the measure itself must see the functions it judges
  assert_line --regexp ' main [0-9]+$'
  run awk '$NF > 80' <<<"$output"
  assert_output ""
  run function_lengths "$KIT_ROOT/grader/src/main.c"
  run awk '$2 == "main" && $NF >= 60' <<<"$output"
  assert_output ""
}

@test "every source file of the grader says in its first line what it is for" {
  local file name
  while IFS= read -r file; do
    name=$(basename "$file")
    head -1 "$file" | grep -q "^/\* $name - [a-z]" || fail "$file does not start with \"/* $name - what it is for\""
  done < <(find "$KIT_ROOT/grader/src" "$KIT_ROOT/grader/shim" "$KIT_ROOT/grader/target" -name '*.[ch]')
}

@test "docs/grader.md gives mmgrade's synopsis exactly as --help prints it" {
  "$MMGRADE" --help | sed -n '1,/^$/p' | sed '/^$/d' >"$BATS_TEST_TMPDIR/help"
  [[ -s $BATS_TEST_TMPDIR/help ]]
  grep -A "$(($(wc -l <"$BATS_TEST_TMPDIR/help") - 1))" -F "$(head -1 "$BATS_TEST_TMPDIR/help")" \
    "$KIT_ROOT/docs/grader.md" >"$BATS_TEST_TMPDIR/docs" || fail "docs/grader.md lacks: $(head -1 "$BATS_TEST_TMPDIR/help")"
  run diff "$BATS_TEST_TMPDIR/help" "$BATS_TEST_TMPDIR/docs"
  assert_success
}

@test "the README's prerequisites line is .ci/packages, in its order" {
  local want
  want="sudo apt-get install $(sed -e '/^#/d' -e 's/ .*//' "$KIT_ROOT/.ci/packages" | paste -sd ' ' -)"
  run grep -cxF "$want" "$KIT_ROOT/README.md"
  assert_output 1
}

@test "the README's npm line is .ci/npm-packages, in its order" {
  local want
  want="npm install --prefix build-tools $(sed -e '/^#/d' -e 's/ .*//' "$KIT_ROOT/.ci/npm-packages" | paste -sd ' ' -)"
  run grep -cxF "$want" "$KIT_ROOT/README.md"
  assert_output 1
}

@test "a configure that lacks packages names every missing one in one apt-get line" {
  run cmake -S "$KIT_ROOT" -B "$BATS_TEST_TMPDIR/build" -DKIT_BATS_LIB_PATH="$BATS_TEST_TMPDIR/nowhere"
  assert_failure
  assert_output --partial "packages are missing: sudo apt-get install bats-support bats-assert"
  # the grader alone needs none of the test tools
  run cmake -S "$KIT_ROOT" -B "$BATS_TEST_TMPDIR/grader-only" -DKIT_TESTS=OFF \
    -DKIT_BATS_LIB_PATH="$BATS_TEST_TMPDIR/nowhere"
  assert_success
}
