#!/usr/bin/env bats
# The grader's verdicts on submissions made for the purpose
# (fixtures/mmgrade/): each fails exactly the checks its mistake
# should fail, and correct programs written unlike the reference pass.

load ../../tests/helper

FIXTURES="$BATS_TEST_DIRNAME/fixtures/mmgrade"

# Every "grade FIXTURE TASK" of this file with no option of its own is
# graded once, beforehand, by mmgrade batch: a class per task, two at a
# time, exactly as mmgrade grades one submission.
setup_file() {
  export PREGRADED="$BATS_FILE_TMPDIR/pregraded"
  local fixture task
  while read -r _ fixture task; do
    mkdir -p "$BATS_FILE_TMPDIR/class-$task"
    ln -sfn "$FIXTURES/$fixture" "$BATS_FILE_TMPDIR/class-$task/$fixture"
  done < <(grep -E '^  grade [a-z0-9-]+ 2\.[1-5]$' "$BATS_TEST_FILENAME" | sort -u)
  for task in "$BATS_FILE_TMPDIR"/class-*; do
    "$MMGRADE" batch --jobs 2 --task "${task##*-}" --seed 5 --out "$PREGRADED/${task##*-}" "$task" 2>/dev/null || true
  done
}

# grade FIXTURE TASK [OPTION...]: one task of a fixture graded with a fixed
# seed, its results in $BATS_TEST_TMPDIR/result.json: graded beforehand
# when there is no option nor MMGRADE_READ_FAULT, else now.
grade() {
  local fixture=$1 task=$2
  shift 2
  if (($# == 0)) && [[ -z ${MMGRADE_READ_FAULT:-} && -f $PREGRADED/$task/students/$fixture/results.json ]]; then
    cp "$PREGRADED/$task/students/$fixture/results.json" "$BATS_TEST_TMPDIR/result.json"
    return
  fi
  "$MMGRADE" --task "$task" --seed 5 "$@" --format json --output "$BATS_TEST_TMPDIR/result.json" "$FIXTURES/$fixture"
}

# failed_checks: the ids of the checks that did not pass, sorted, one line;
# the program fixtures come without reports, so their report checks are
# left out (reports have fixtures of their own).
failed_checks() {
  jq -r '[.tests[] | select(.extra_data.status != "passed") | .extra_data.check
    | select(startswith("report_") | not)] | sort | join(" ")' \
    "$BATS_TEST_TMPDIR/result.json"
}

# feedback CHECK: what the grader told the student about CHECK.
feedback() {
  jq -r --arg check "$1" '.tests[] | select(.extra_data.check == $check) | .output' "$BATS_TEST_TMPDIR/result.json"
}

# read_fault: what a read of a fresh page did on this kernel, as the graded
# result recorded it.
read_fault() {
  jq -r '.tests[] | select(.extra_data.check == "lazy") | .extra_data.observed.read_fault' "$BATS_TEST_TMPDIR/result.json"
}

@test "passes a program that reads its fresh mapping before the first pause, as probed here and where a read allocates" {
  grade read-before-pause 2.3
  run failed_checks
  assert_output ""
  run jq -r '.tests[] | select(.extra_data.check == "lazy") | .extra_data.observed.read_fault_from' \
    "$BATS_TEST_TMPDIR/result.json"
  assert_output "probe"
  MMGRADE_READ_FAULT=allocates grade read-before-pause 2.3
  run failed_checks
  assert_output ""
  run read_fault
  assert_output "allocates a page"
}

@test "fails lazy alone on zeros written before the first pause, where a read cannot look the same" {
  grade zero-fill-before-pause 2.3
  run failed_checks
  if [[ $(read_fault) == "allocates a page" ]]; then
    # a read and a write of zeros both give the page memory: not told apart
    assert_output ""
  else
    assert_output "lazy"
    run feedback lazy
    assert_output --partial "Observed: 1 of 1 pages resident (SIZE 4096)"
  fi
  MMGRADE_READ_FAULT=allocates grade zero-fill-before-pause 2.3
  run failed_checks
  assert_output ""
  run feedback lazy
  assert_output --partial "pages holding only zeros count as read"
}

@test "passes a program that pauses with read(2) behind an unflushed prompt and runs ps by fork and exec" {
  grade read-no-prompt 2.3
  run failed_checks
  assert_output ""
}

@test "passes a program that pauses with scanf after a prompt with no newline and reads ps through popen" {
  grade scanf-popen 2.3
  run failed_checks
  assert_output ""
}

@test "fails every check of a program that does not compile, quoting the compiler" {
  grade syntax-error 2.3
  run failed_checks
  assert_output "build honest lazy mmap_failure munmap pauses region resident rss_order runs size_arg stages valgrind vsz_grows"
  run feedback build
  assert_output --partial "error: expected ';'"
  run feedback lazy
  assert_output "Precondition failed: the program did not build (see \`build\`)."
}

@test "fails pauses, and the checks made at pauses, when the program never pauses" {
  grade no-pauses 2.3
  run failed_checks
  assert_output "lazy pauses region resident"
  run feedback pauses
  assert_output --partial "Observed: with SIZE 4096, no pause while the mapping existed (0 pauses in all)."
}

@test "does not count a read from a stdin the program replaced as a pause" {
  grade own-stdin 2.3
  run failed_checks
  assert_output "lazy pauses region resident"
}

@test "fails honest, vsz_grows and rss_order when ps reports another process" {
  grade ps-parent 2.3
  run failed_checks
  # the program's parent is mminit, at every isolation level: ps prints
  # its row, so stages passes; the growth checks cannot judge numbers that
  # are not the program's, and say so
  assert_output "honest rss_order vsz_grows"
  run feedback honest
  assert_output --partial "Observed: a table of PID 1, your program's parent (getppid()), not your program."
  run feedback vsz_grows
  assert_output --partial "(see \`honest\`)"
}

@test "fails munmap alone when one page is unmapped whatever the size" {
  grade short-munmap 2.3
  run failed_checks
  assert_output "munmap"
  run feedback munmap
  assert_output --partial "was removed ("
}

@test "reports a compiler warning at no cost, or at the rubric's price" {
  grade short-munmap 2.3
  run jq -r '.tests[] | select(.extra_data.check == "build") | "\(.score) \(.output)"' "$BATS_TEST_TMPDIR/result.json"
  assert_output --partial "1 Compiled, with warnings (they cost nothing)"
  assert_output --partial "unused variable"
  echo '{"checks": {"2.3": {"build": {"warning_penalty": 0.5}}}}' >"$BATS_TEST_TMPDIR/rubric.json"
  grade short-munmap 2.3 --rubric "$BATS_TEST_TMPDIR/rubric.json"
  run jq -r '.tests[] | select(.extra_data.check == "build") | .score' "$BATS_TEST_TMPDIR/result.json"
  assert_output 0.5
}

@test "fails resident and rss_order when only the first page is written" {
  grade first-page-only 2.3
  run failed_checks
  assert_output "resident rss_order"
}

@test "fails valgrind alone on a leaked block" {
  grade valgrind-leak 2.3
  run failed_checks
  assert_output "valgrind"
  run feedback valgrind
  assert_output --partial "32 bytes definitely"
}

@test "fails stages alone, naming the stage that is missing" {
  grade missing-stage 2.3
  run failed_checks
  assert_output "stages"
  run feedback stages
  assert_output --partial "Expected: a \`[After munmap]\` line"
}

@test "fails region alone when the printed address is not the mapping's" {
  grade wrong-address 2.3
  run failed_checks
  assert_output "region"
}

@test "fails runs alone when the pause spins at end-of-file, within the time limit" {
  grade eof-spin 2.3 --timeout 2
  run failed_checks
  if [[ $output == "runs valgrind" ]]; then
    # valgrind's limit is three times the run's, 6 s here: an emulated
    # machine can need more, and that is the only other failure allowed
    run feedback valgrind
    assert_output --partial "still running after the time limit"
  else
    assert_output "runs"
  fi
  run feedback runs
  assert_output --partial "still running after the time limit"
}

@test "fails mmap_failure alone when mmap is checked against NULL" {
  grade null-check 2.3
  run failed_checks
  assert_output "mmap_failure"
  run feedback mmap_failure
  assert_output --partial "killed by signal 11"
}

@test "fails size_arg alone when SIZE is read with atoi" {
  grade atoi-size 2.3
  run failed_checks
  assert_output "size_arg"
  run feedback size_arg
  assert_output --partial "\`./mmap_demo 12abc\` is rejected"
}

@test "fails maps_page alone on a MAP_SHARED page" {
  grade basics-shared 2.1
  run failed_checks
  assert_output "maps_page"
}

@test "fails uses_memory alone when the message never went through the page" {
  grade basics-literal 2.1
  run failed_checks
  assert_output "uses_memory"
}

@test "fails shellcheck alone on an unquoted variable, listing each finding with its code" {
  grade script-unquoted 2.5
  run failed_checks
  assert_output "shellcheck"
  run feedback shellcheck
  assert_line --partial "line 12: SC2086 (info): Double quote to prevent globbing"
  run jq -r '.tests[] | select(.extra_data.check == "shellcheck") | .extra_data.observed.shellcheck_version' \
    "$BATS_TEST_TMPDIR/result.json"
  assert_output --regexp '^[0-9]+\.[0-9]+'
}

@test "fails usage alone when a second argument is ignored" {
  grade script-no-arg-check 2.5
  run failed_checks
  assert_output "usage"
  run feedback usage
  assert_line --partial 'Reproduce: bash analyse.sh $$ $$; echo'
}

@test "fails bad_pid alone when a missing process is reported on stdout with status 0" {
  grade script-silent-missing 2.5
  run failed_checks
  assert_output "bad_pid"
}

@test "fails live alone when the maps lines are reformatted" {
  grade script-awk-maps 2.5
  run failed_checks
  assert_output "live"
  run feedback live
  assert_line --partial "Observed: 0 maps line(s)"
}

@test "passes analyze.sh spelt the American way" {
  grade analyze-spelling 2.5
  run failed_checks
  assert_output ""
}

@test "fails writes_nothing alone on a script that saves copies, naming each, which are gone" {
  grade script-saves-maps 2.5
  run failed_checks
  assert_output "writes_nothing"
  run feedback writes_nothing
  assert_line --regexp '^  maps_[0-9]+\.txt, in the folder it ran in$'
  # /tmp is watched wherever the script runs in a sandbox or as nobody
  if [[ $(jq -r '.tests[0].extra_data.isolation' "$BATS_TEST_TMPDIR/result.json") != "none (limits only)" ]] && ((EUID == 0)); then
    assert_line "  /tmp/analyse-last-run.txt"
  fi
  [[ -z $(find "$FIXTURES/script-saves-maps" -name 'maps_*') ]]
  [[ ! -e /tmp/analyse-last-run.txt ]]
}

@test "fails report_consistent alone on a size that is not its address range's" {
  grade report-wrong-range-size 2.3
  run jq -r '[.tests[] | select(.extra_data.status != "passed") | .extra_data.check] | join(" ")' \
    "$BATS_TEST_TMPDIR/result.json"
  assert_output "report_consistent"
  run feedback report_consistent
  assert_line --partial "the range 7f9008bce000-7f9008bd1000 spans 12 KiB, not the size written"
  refute_output --partial "line 54" # "my 4 KiB ... of this line" is no claim about the range
}

@test "fails report_complete alone on a TODO left in the report, quoting its line" {
  grade report-todo-left 2.3
  run jq -r '[.tests[] | select(.extra_data.status != "passed") | .extra_data.check] | join(" ")' \
    "$BATS_TEST_TMPDIR/result.json"
  assert_output "report_complete"
  run feedback report_complete
  assert_line --partial 'line 43: a TODO is left: "Rss of this line: TODO'
}

@test "fails report_concepts alone when an answer never names the idea, and quotes every answer" {
  grade report-no-ideas 2.4
  run jq -r '[.tests[] | select(.extra_data.status != "passed") | .extra_data.check] | join(" ")' \
    "$BATS_TEST_TMPDIR/result.json"
  assert_output "report_concepts"
  run feedback report_concepts
  assert_line --partial "the answer to question 1 does not name lazy allocation or demand paging"
  assert_line "4. Numbers that moved by other amounts:"
}

@test "fails mmap_failure alone on abort(), showing the signal a parent sees" {
  grade abort-on-failure 2.3
  run failed_checks
  assert_output "mmap_failure"
  run feedback mmap_failure
  assert_line 'Observed: the program was killed by signal 6 (Aborted); stderr: "mmap: Cannot allocate memory".'
}

@test "fails honest when ps finds the program by name, naming the decoy it found, at every isolation level" {
  for isolation in auto none; do
    grade ps-by-name 2.3 --isolation "$isolation"
    run failed_checks
    assert_output "honest rss_order vsz_grows"
    run feedback honest
    assert_output --partial "the grader's decoy: a process with your program's name"
    run feedback vsz_grows
    assert_output --partial "(see \`honest\`)"
  done
}

@test "fails pauses and resident when the program pauses once, and says it was once" {
  grade one-pause 2.3
  run failed_checks
  assert_output "pauses resident"
  run feedback pauses
  assert_line "Observed: with SIZE 4096, one pause while the mapping existed, none after the write (1 pause in all)."
}

@test "fails pauses when scanf(\"%d\") swallows the Enters of both pauses in one read loop" {
  grade scanf-number-pause 2.3
  run failed_checks
  assert_output "pauses resident"
  run feedback pauses
  assert_output --partial "never returned on a newline (scanf(\"%d\") and scanf(\" %c\") skip newlines)"
}

@test "fails stages alone on VmSize and VmRSS lines instead of ps tables, and judges their numbers" {
  grade status-lines 2.3
  run failed_checks
  assert_output "stages"
  run feedback stages
  assert_line --partial "Expected: after \`[Initial]\`, a ps header (with VSZ and RSS)"
}

@test "fails size_arg, naming the length mapped, when SIZE is ignored" {
  grade ignores-size 2.3
  run failed_checks
  assert_output "rss_order size_arg"
  run feedback size_arg
  assert_line "Observed: a mapping of 4096 bytes."
  run feedback rss_order
  assert_output --partial "(see \`size_arg\`)"
}

@test "says what a program was doing when its time ran out, and what it had not done yet" {
  grade sleeps-before-munmap 2.3 --timeout 1
  run failed_checks
  assert_output "munmap pauses resident runs stages valgrind"
  run feedback runs
  assert_line "Observed: it was still running after the time limit, sleeping (sleep, usleep or nanosleep), and was killed."
  run feedback munmap
  assert_output --partial "before it unmapped the mapping (see \`runs\`)"
}

@test "passes a program whose ps tables have no PID column and whose stage labels are its own words" {
  grade ps-no-pid 2.2
  run failed_checks
  assert_output ""
}

@test "passes a program that maps and unmaps a page of its own file beside the lab's mapping" {
  grade maps-file-page 2.3
  run failed_checks
  assert_output ""
}

@test "passes a program whose scratch buffer has the mapping's size, judging the mapping it printed" {
  grade scratch-buffer 2.3
  run failed_checks
  assert_output ""
}

@test "fails munmap alone in 2.1 when the page is never unmapped, showing its range" {
  grade basics-no-munmap 2.1
  run failed_checks
  assert_output "munmap"
  run feedback munmap
  assert_line --regexp '^Expected: munmap of the whole mapping [0-9a-f]+-[0-9a-f]+ \(SIZE 4096\)\.$'
  assert_line "Observed: no munmap call removed it."
}

@test "fails address alone when the pointer's own address is printed" {
  grade basics-address-of-pointer 2.1
  run failed_checks
  assert_output "address"
  run feedback address
  assert_line "Try: print the pointer mmap returned (ptr), not the address of the variable holding it (&ptr)."
}

@test "passes a page that holds the message after a header of its own" {
  grade basics-offset 2.1
  run failed_checks
  assert_output ""
}

@test "fails uses_memory alone when the page is cleared before munmap, quoting what it held" {
  grade basics-clears-page 2.1
  run failed_checks
  assert_output "uses_memory"
  run feedback uses_memory
  assert_line 'Observed: the page held "" (only zero bytes); the program printed "Hello from a page of my own".'
}

@test "grades task 2.2 in the wrong-address fixture on its printed address alone" {
  grade wrong-address 2.2
  run failed_checks
  assert_output "address"
}

@test "fails report_consistent alone on a stage table copied from the handout's sample output" {
  grade report-copies-sample 2.3
  run jq -r '[.tests[] | select(.extra_data.status != "passed") | .extra_data.check] | join(" ")' \
    "$BATS_TEST_TMPDIR/result.json"
  assert_output "report_consistent"
  run feedback report_consistent
  assert_line "  line 18: the table's numbers are those of the handout's sample output (\`./mmap_demo 67108864\`), not of a run of your own"
}

@test "fails pauses alone on a pause that reads two lines, saying how many Enters it took" {
  grade two-enter-pause 2.3
  run failed_checks
  assert_output "pauses"
  run feedback pauses
  assert_line --partial "pause 1 went on only after 2 Enters, printing and calling nothing in between"
}

@test "fails honest alone on VSZ read from VmPeak, which does not fall at munmap" {
  grade vmpeak-after-munmap 2.3
  run failed_checks
  assert_output "honest"
  run feedback honest
  assert_line --partial "VSZ printed after the munmap"
}

@test "passes a read(2) pause whose prompt comes out after it, glued to the next stage header" {
  grade prompt-after-pause 2.3
  run failed_checks
  assert_output ""
}

@test "fails honest when pidof -s finds a process of the program's name, whichever PID it takes" {
  grade pidof-self 2.2
  run failed_checks
  assert_output "honest rss_order vsz_grows"
  run feedback honest
  assert_output --partial "the grader's decoy"
}

@test "fails bad_pid alone when maps it cannot read leave it at exit 0, where it runs as another user" {
  grade script-unreadable-ok 2.5
  run failed_checks
  if ((EUID == 0)) && [[ $(jq -r '.tests[0].extra_data.isolation' "$BATS_TEST_TMPDIR/result.json") != "none (limits only)" ]]; then
    assert_output "bad_pid"
    run feedback bad_pid
    assert_line --partial "a process of root's whose files the script may not read"
  else
    # as the grader's own user every process of its is readable: not tried
    assert_output ""
  fi
}

@test "gives a run a correct program ends at once its whole time limit: a refusal that takes 4 s passes" {
  grade slow-refusal 2.2
  run failed_checks
  assert_output ""
}
