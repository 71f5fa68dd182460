#!/usr/bin/env bash
# Summary: Gradescope's setup.sh for the mmap lab: installs the Debian or
#          Ubuntu packages the grader needs (skipped when all are there),
#          builds mmgrade from the sources beside it into build/, makes
#          that build reachable by nobody, and the instructor's rubric
#          readable by root only.
# Usage: bash setup.sh   (Gradescope runs it once, as root, from the
#        unpacked autograder.zip in /autograder/source)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly here build="$here/build"

abort() {
  echo "setup.sh: $*" >&2
  exit 1
}

# install_packages: the packages listed in ./packages (the "grade" lines
# of the kit's .ci/packages, written when the zip was made), with apt-get
# as the README's prerequisites line does, only those not installed yet.
install_packages() {
  local package
  local -a packages missing=()
  mapfile -t packages <"$here/packages"
  ((${#packages[@]} > 0)) || abort "$here/packages lists no package"
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  if ((${#missing[@]} == 0)); then
    echo "setup.sh: every package is installed: ${packages[*]}"
    return
  fi
  ((EUID == 0)) || abort "installing ${missing[*]} needs root"
  echo "setup.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # recommended packages too: gcc's libc6-dev holds the headers student
  # programs include
  apt-get install -y -qq "${missing[@]}"
}

# build_grader: the grader alone (no test tools), warnings not errors: a
# newer compiler's new warning must not stop the image from building.
build_grader() {
  cmake -S "$here/mmlab" -B "$build" -DKIT_TESTS=OFF -DKIT_WERROR=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
  cmake --build "$build" -j "$(nproc)"
  [[ -x $build/bin/mmgrade && -r $build/lib/mmshim.so && -x $build/lib/mminit && -x $build/lib/mmtarget ]] ||
    abort "the build left no mmgrade, mmshim.so, mminit or mmtarget in $build"
}

# make_reachable: student code runs as nobody, with build/lib's shim and
# mminit; without a sandbox (a container that forbids namespaces) nobody
# must be able to cross every folder down to them, or the grader would
# fall back to running student code as root. Folders get search
# permission only (o+x): nobody still cannot list them.
make_reachable() {
  local dir=$build/lib
  while [[ $dir != / ]]; do
    if ((!(0$(stat -c %a "$dir") & 1))); then
      echo "setup.sh: letting others cross $dir (chmod o+x), so that nobody reaches $build/lib"
      chmod o+x "$dir"
    fi
    dir=$(dirname "$dir")
  done
}

# protect_rubric: the rubric holds the instructor's secret, which seeds
# the hidden sizes; student code runs as nobody and must not read it.
protect_rubric() {
  [[ -f $here/rubric.json ]] || return 0
  chmod 600 "$here/rubric.json"
  if ((EUID == 0)); then chown 0:0 "$here/rubric.json"; fi
}

main() {
  install_packages
  build_grader
  make_reachable
  protect_rubric
  echo "setup.sh: mmgrade is built in $build"
}

main "$@"
