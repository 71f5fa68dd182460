#!/usr/bin/env bash
# Summary: run the kit's whole test suite on aarch64, in a Debian 12 virtual
#          machine that qemu emulates: the grader observes real aarch64
#          processes under a real aarch64 kernel.
# Usage: sudo tools/aarch64-vm.sh [WORKFLOW]
#   WORKFLOW  the workflow preset to run in the machine (default: test)
# Needs root, debootstrap, qemu-system-arm, qemu-user-static and a Debian
# mirror. The machine's root file system is made once, in $MMLAB_ARM64_ROOT
# (default /var/tmp/mmlab-arm64), from the packages .ci/run installs; each
# run copies the kit's committed tree (HEAD) into it.
set -euo pipefail

readonly PROG=aarch64-vm.sh
cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly ROOT=${MMLAB_ARM64_ROOT:-/var/tmp/mmlab-arm64}
readonly MIRROR=${MMLAB_MIRROR:-http://deb.debian.org/debian}
# What the machine needs beyond the kit's own prerequisites: a kernel that
# boots from a virtio disk, and mount and setpriv.
readonly VM_PACKAGES=(linux-image-arm64 initramfs-tools kmod util-linux)

die() {
  printf '%s: %s\n' "$PROG" "$*" >&2
  exit 1
}

# kit_packages: the README's prerequisites, as .ci/packages lists them.
kit_packages() {
  sed -e '/^#/d' -e 's/ .*//' .ci/packages | paste -sd ' ' -
}

# binfmt_ready: aarch64 programs run here through qemu-user, which
# debootstrap's second stage needs.
binfmt_ready() {
  local dir=/proc/sys/fs/binfmt_misc
  [[ -e $dir/register ]] || mount -t binfmt_misc binfmt_misc "$dir" ||
    die "cannot mount binfmt_misc (a container may forbid it)"
  [[ -e $dir/qemu-aarch64 ]] || cat /usr/lib/binfmt.d/qemu-aarch64.conf >"$dir/register" ||
    die "cannot register qemu-aarch64 with binfmt_misc"
}

make_root() {
  local packages
  packages=$(kit_packages | tr ' ' ',')
  [[ -n $packages ]] || die "no packages in .ci/packages"
  echo "$PROG: making the aarch64 root file system in $ROOT (once; about 10 minutes)"
  rm -rf "$ROOT"
  debootstrap --variant=minbase --arch arm64 \
    --include="$packages,$(
      IFS=,
      echo "${VM_PACKAGES[*]}"
    )" bookworm "$ROOT" "$MIRROR" >"$ROOT.log" 2>&1 || die "debootstrap failed: see $ROOT.log"
}

# write_init: the machine's PID 1 runs the workflow, prints the log on the
# serial console and powers off.
write_init() {
  local workflow=$1
  cat >"$ROOT/sbin/mmlab-init" <<EOF
#!/bin/sh
mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
for dir in /tmp /run /dev/shm; do mount -t tmpfs tmpfs "\$dir"; done
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
echo "mmlab-vm: \$(uname -m), Linux \$(uname -r), page size \$(getconf PAGESIZE), \$(nproc) cores"
cd /kit
start=\$(date +%s)
# emulated, the machine is about ten times slower than the one it runs on
cmake --preset default -DKIT_TEST_TIMEOUT=7200 >/tmp/workflow.log 2>&1
cmake --workflow --preset $workflow >>/tmp/workflow.log 2>&1
status=\$?
cat /tmp/workflow.log
echo "mmlab-vm: workflow $workflow exited \$status after \$((\$(date +%s) - start)) s"
sync
echo o >/proc/sysrq-trigger
# PID 1 must outlive the power-off it asked for, or the kernel panics
sleep 60
EOF
  chmod 755 "$ROOT/sbin/mmlab-init"
}

main() {
  local workflow=${1:-test} kernel initrd
  ((EUID == 0)) || die "run as root: debootstrap and binfmt_misc need it"
  for tool in debootstrap qemu-system-aarch64 mkfs.ext4 git; do
    command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install debootstrap qemu-system-arm qemu-user-static e2fsprogs git)"
  done
  binfmt_ready
  compgen -G "$ROOT/boot/vmlinuz-*" >/dev/null || make_root
  kernel=$(compgen -G "$ROOT/boot/vmlinuz-*" | head -n 1)
  initrd=$(compgen -G "$ROOT/boot/initrd.img-*" | head -n 1)
  [[ -n $initrd ]] || die "no initrd in $ROOT/boot: remove $ROOT and run again"

  rm -rf "$ROOT/kit"
  mkdir "$ROOT/kit"
  git archive HEAD | tar -x -C "$ROOT/kit"
  write_init "$workflow"
  # global: the EXIT trap runs after main has returned
  IMAGE=$(mktemp /var/tmp/mmlab-arm64.XXXXXX.img)
  trap 'rm -f "$IMAGE"' EXIT
  truncate -s 8G "$IMAGE"
  mkfs.ext4 -q -F -d "$ROOT" "$IMAGE"
  # -cpu max: every aarch64 feature qemu has; two cores as on CI.
  qemu-system-aarch64 -M virt -cpu max -smp 2 -m 6G -nographic -no-reboot \
    -kernel "$kernel" -initrd "$initrd" \
    -append "console=ttyAMA0 root=/dev/vda rw init=/sbin/mmlab-init quiet" \
    -drive "file=$IMAGE,format=raw,if=virtio" | tee "$ROOT-console.log"
  grep -q "^mmlab-vm: workflow $workflow exited 0 " "$ROOT-console.log" ||
    die "the workflow failed on aarch64: see $ROOT-console.log"
}

main "$@"
