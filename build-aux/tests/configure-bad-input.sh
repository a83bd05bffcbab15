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
expect_error "QEMU 8.0.0 found, this series needs QEMU 10.0.x" \
    "$TOP/configure" --qemu-src="$T/q8" --build-dir="$b"
no_merged_tree "$b"

expect_error "unknown option '--frobnicate'" \
    "$TOP/configure" --frobnicate --build-dir="$b"

# A QEMU of the right line is accepted up to its merge (7.2 is refused).
sed -i 's/^8.0.0$/7.2.22/' "$T/q8/VERSION"
expect_error "QEMU 7.2.22 found, this series needs QEMU 10.0.x" \
    "$TOP/configure" --qemu-src="$T/q8" --build-dir="$b"
no_merged_tree "$b"

# A corrupted download in the cache: the pinned checksum must catch it.
dsc=$(sed -n 's/^[0-9a-f]\{64\}  *\(.*\.dsc\)$/\1/p' "$TOP/build-aux/base.pin")
[ -n "$dsc" ] || fail "no .dsc in build-aux/base.pin"
mkdir -p "$T/cache/dl"
echo "not a source package" >"$T/cache/dl/$dsc"
expect_error "SHA-256 mismatch for $T/cache/dl/$dsc" \
    "$TOP/configure" --cache-dir="$T/cache" --build-dir="$b"
no_merged_tree "$b"
