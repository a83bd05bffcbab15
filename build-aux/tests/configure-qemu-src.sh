# --qemu-src takes a QEMU 10.0.x tree that is not Debian's: here the
# pinned orig tarball unpacked as it is, without Debian's patches (as
# upstream's release tarball would be).  The series applies, QEMU's own
# configure runs, and ./configure says the tree was not authenticated.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

cache=$(dirname "$(sed -n 's/^BASE=//p' "$BUILD/config.mak")")
orig=$(ls "$cache"/dl/qemu_10.0.*.orig.tar.xz 2>/dev/null | head -n 1)
if [ -z "$orig" ]; then
    echo "no orig tarball in $cache/dl (the build took --qemu-src)"
    exit 77
fi
mkdir "$T/q"
tar -xJf "$orig" -C "$T/q" --strip-components=1 || fail "cannot unpack $orig"
"$TOP/configure" --qemu-src="$T/q" --build-dir="$T/b" >"$T/out" 2>&1 ||
    fail "configure --qemu-src: $(tail -n 5 "$T/out")"
grep -q "^configure: base QEMU 10\.0\.[0-9]* from $T/q (not authenticated: given with --qemu-src)$" \
    "$T/out" || fail "configure did not name the base: $(cat "$T/out")"
[ -f "$T/b/qemu/build.ninja" ] || fail "no QEMU build directory"
grep -q 's390_pv_machine_init' "$T/b/src/hw/s390x/s390-virtio-ccw.c" ||
    fail "the series is not in the merged tree"
echo "ok: $(grep '^configure: base' "$T/out")"
