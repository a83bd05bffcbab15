# ./configure refuses bad input with one line and exit status 1, and leaves
# no merged tree behind.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

b=$T/build
expect_error "--qemu-src=$T/nonexistent: no such directory" \
    "$TOP/configure" --qemu-src="$T/nonexistent" --build-dir="$b"
no_merged_tree "$b"

mkdir "$T/empty"
expect_error "not a QEMU source tree" \
    "$TOP/configure" --qemu-src="$T/empty" --build-dir="$b"
no_merged_tree "$b"

mkdir -p "$T/q8/hw/s390x"
echo 8.0.0 >"$T/q8/VERSION"
touch "$T/q8/meson.build" "$T/q8/hw/s390x/s390-virtio-ccw.c"
expect_error "QEMU 8.0.0 found, this series needs QEMU 7.2.x" \
    "$TOP/configure" --qemu-src="$T/q8" --build-dir="$b"
no_merged_tree "$b"

expect_error "unknown option '--frobnicate'" \
    "$TOP/configure" --frobnicate --build-dir="$b"

# A corrupted download in the cache: the checksum check must catch it.
mkdir -p "$T/cache/dl"
echo "not a tarball" >"$T/cache/dl/qemu_7.2+dfsg.orig.tar.xz"
touch "$T/cache/dl/qemu_7.2+dfsg-7+deb12u1.dsc"
expect_error "SHA-256 mismatch for $T/cache/dl/qemu_7.2+dfsg.orig.tar.xz" \
    "$TOP/configure" --cache-dir="$T/cache" --build-dir="$b"
no_merged_tree "$b"
