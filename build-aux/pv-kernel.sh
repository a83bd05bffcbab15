#!/bin/sh
# Build a small PV-aware s390x Linux kernel (CONFIG_PROTECTED_VIRTUALIZATION_
# GUEST) from Debian 12's own linux-source-6.1 with the s390x cross
# compiler.  Debian's s390x kernel has PV guest support off.
#
# Usage: pv-kernel.sh CACHEDIR
# Leaves CACHEDIR/bzImage and prints its path.  The tree is kept in
# CACHEDIR/linux and rebuilt only when the configuration below (or the
# source tarball) changes; a rebuild with nothing changed takes seconds.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

dir=$1
src=/usr/src/linux-source-6.1.tar.xz

die() {
    echo "pv-kernel: $*" >&2
    exit 1
}

# Everything on top of tinyconfig.  KVM is there for /sys/firmware/uv/query:
# 6.1's early boot keeps the Query answer only when KVM is configured.
OPTIONS="PRINTK EARLY_PRINTK BUG MULTIUSER BASE_FULL FUTEX EPOLL SIGNALFD
TIMERFD EVENTFD SHMEM AIO FILE_LOCKING POSIX_TIMERS ADVISE_SYSCALLS
MEMBARRIER FHANDLE TTY UNIX98_PTYS BLK_DEV_INITRD RD_GZIP PROC_FS SYSFS
TMPFS DEVTMPFS DEVTMPFS_MOUNT BINFMT_ELF BINFMT_SCRIPT BLOCK NET INET
PACKET UNIX NETDEVICES NET_CORE VIRTUALIZATION S390_GUEST VIRTIO_MENU
VIRTIO VIRTIO_BLK VIRTIO_NET SCLP_TTY SCLP_CONSOLE SCLP_VT220_TTY
SCLP_VT220_CONSOLE PROTECTED_VIRTUALIZATION_GUEST S390_UV_UAPI KVM"

[ -f "$src" ] ||
    die "cannot fetch Debian's Linux source: $src is missing (run build-aux/install-deps.sh as root: it installs linux-source-6.1)"
command -v s390x-linux-gnu-gcc >/dev/null ||
    die "s390x-linux-gnu-gcc not found (run build-aux/install-deps.sh as root)"

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# Our changes to the kernel: uvdevice gets the secret-store ioctls of
# newer kernels (6.1 has attestation only).
patches=$(cd "$(dirname "$0")/pv-kernel" && pwd)
key=$( (echo "$OPTIONS"; ls -l --time-style=+%s "$src";
        cat "$patches"/*.patch) | sha256sum | cut -c1-16)

if [ -f "$dir/bzImage" ] && [ "$(cat "$dir/key" 2>/dev/null)" = "$key" ]; then
    echo "$dir/bzImage"
    exit 0
fi

start=$(date +%s)
if [ ! -f "$dir/linux/Makefile" ] ||
   [ "$(cat "$dir/src-key" 2>/dev/null)" != "$(ls -l "$src")" ]; then
    rm -rf "$dir/linux" "$dir/linux.tmp"
    mkdir "$dir/linux.tmp"
    tar -xJf "$src" -C "$dir/linux.tmp" --strip-components=1 ||
        die "cannot unpack $src"
    mv "$dir/linux.tmp" "$dir/linux"
    ls -l "$src" >"$dir/src-key"
fi

cd "$dir/linux"
# Apply our patches to pristine copies of the files they touch.
if [ "$(cat .pv-patches 2>/dev/null)" != "$(cat "$patches"/*.patch | sha256sum)" ]; then
    for p in "$patches"/*.patch; do
        for f in $(sed -n 's|^+++ b/||p' "$p"); do
            [ -f "$f.orig-pv" ] || cp "$f" "$f.orig-pv"
            cp "$f.orig-pv" "$f"
        done
    done
    for p in "$patches"/*.patch; do
        patch -s -p1 <"$p" || die "cannot apply $p"
    done
    cat "$patches"/*.patch | sha256sum >.pv-patches
fi
mk() {
    make -s ARCH=s390 CROSS_COMPILE=s390x-linux-gnu- "$@"
}
mk tinyconfig >"$dir/build.log" 2>&1 || die "tinyconfig failed: see $dir/build.log"
for o in $OPTIONS; do
    scripts/config --enable "$o"
done
scripts/config --disable MODULES --disable IPV6 --disable TN3270 \
    --disable TN3215 --disable DEBUG_INFO
mk olddefconfig >>"$dir/build.log" 2>&1 ||
    die "olddefconfig failed: see $dir/build.log"
for o in $OPTIONS; do
    grep -qx "CONFIG_$o=y" .config ||
        die "CONFIG_$o did not stay set: see $dir/linux/.config"
done
mk -j"$(nproc)" bzImage >>"$dir/build.log" 2>&1 ||
    die "kernel build failed: see $dir/build.log"
cp arch/s390/boot/bzImage "$dir/bzImage.tmp"
mv "$dir/bzImage.tmp" "$dir/bzImage"
echo "$key" >"$dir/key"
echo "$(($(date +%s) - start))" >"$dir/build-seconds"
echo "$dir/bzImage"
