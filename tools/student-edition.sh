#!/usr/bin/env bash
# Summary: write the student edition of the kit, what students receive: a
#          fresh tree, with no history, of exactly the files that
#          tools/student-edition.manifest lists.
# Usage: tools/student-edition.sh OUT_DIR
#
# OUT_DIR must be absent or empty, and outside the kit's sources (a build
# folder of the kit is fine: `cmake --build build --target student-edition`
# writes build/student-edition/). docs/instructor-guide.md says how to
# publish it.
set -euo pipefail
shopt -s globstar nullglob

readonly PROG=student-edition.sh
KIT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly KIT_ROOT
readonly MANIFEST=$KIT_ROOT/tools/student-edition.manifest

die() {
  printf '%s: %s\n' "$PROG" "$*" >&2
  exit 1
}

# never_ships PATH: PATH (relative to the kit) is an answer, a test or the
# kit's own CI, whatever the manifest says.
never_ships() {
  case /$1 in
    /solutions/* | */tests/* | */fixtures/* | /grader/examples/* | /grader/fuzz/* | */.git/* | /.ci/* | /.github/* | \
      /docs/instructor-guide.md) return 0 ;;
  esac
  return 1
}

# copy WHERE SOURCE DEST: the kit's file SOURCE as the edition's DEST, its
# mode kept (WHERE names the manifest's line in errors).
copy() {
  local where=$1 source=$2 dest=$3
  if never_ships "$source"; then
    die "$where: $source must never reach students"
  fi
  [[ -f $KIT_ROOT/$source && ! -L $KIT_ROOT/$source ]] || die "$where: $source is not a regular file"
  [[ ! -e $OUT/$dest ]] || die "$where: $dest is listed twice"
  mkdir -p "$OUT/$(dirname "$dest")"
  cp --preserve=mode "$KIT_ROOT/$source" "$OUT/$dest"
}

# expand SOURCE: the kit's files SOURCE names (a glob or one path), one a
# line, relative to the kit; nothing when there is none.
expand() {
  local -a matches
  if [[ $1 == *[*?[]* ]]; then
    # shellcheck disable=SC2206 # SOURCE is a glob, expanded here on purpose
    matches=("$KIT_ROOT"/$1)
  elif [[ -e $KIT_ROOT/$1 ]]; then
    matches=("$KIT_ROOT/$1")
  else
    matches=()
  fi
  ((${#matches[@]} == 0)) || printf '%s\n' "${matches[@]#"$KIT_ROOT"/}"
}

# prepare OUT: makes OUT, which must be absent or empty and outside the
# kit's sources, and prints its absolute path.
prepare() {
  local out=$1
  if [[ -e $out ]]; then
    [[ -d $out && -z $(ls -A "$out") ]] || die "$out exists and is not empty"
  fi
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
  case $out/ in
    "$KIT_ROOT"/build*/*) ;;
    "$KIT_ROOT"/*) die "$out is inside the kit's sources: write the edition elsewhere, or under build/" ;;
  esac
  printf '%s\n' "$out"
}

main() {
  local line source dest extra optional number=0 count=0 file
  local -a files
  if (($# != 1)) || [[ $1 == -* ]]; then
    printf 'usage: %s OUT_DIR\n' "$PROG" >&2
    exit 2
  fi
  OUT=$(prepare "$1")
  while IFS= read -r line || [[ -n $line ]]; do
    number=$((number + 1))
    line=${line%%#*}
    source='' dest='' extra=''
    read -r source dest extra <<<"$line" || true
    [[ -n $source ]] || continue
    [[ -z $extra ]] || die "manifest line $number: more than SOURCE and DEST"
    optional=0
    if [[ $source == \?* ]]; then
      optional=1
      source=${source#\?}
    fi
    mapfile -t files < <(expand "$source")
    if ((${#files[@]} == 0)); then
      ((optional)) && continue
      die "manifest line $number: nothing in the kit matches $source"
    fi
    if [[ -n $dest ]] && [[ ${#files[@]} -gt 1 || $source == *[*?[]* ]]; then
      die "manifest line $number: a DEST needs a single file, not the glob $source"
    fi
    for file in "${files[@]}"; do
      copy "manifest line $number" "$file" "${dest:-$file}"
      count=$((count + 1))
    done
  done <"$MANIFEST"
  printf '%s: %d files written to %s\n' "$PROG" "$count" "$OUT"
}

main "$@"
