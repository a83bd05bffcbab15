# A patch that does not apply stops ./configure with one line, and neither
# the merged tree nor a later 'make' builds anything half-merged.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

base=$(sed -n 's/^BASE=//p' "$BUILD/config.mak")
[ -d "$base" ] || fail "no base tree recorded in $BUILD/config.mak"

# A copy of the project whose series has one bad patch at the end.
top=$T/top
mkdir -p "$top/patches"
cp -r "$TOP/configure" "$TOP/Makefile" "$TOP/MAINTAINERS" "$TOP/build-aux" "$top/"
cp "$TOP"/patches/* "$top/patches/"
cat >"$top/patches/9999-bad.patch" <<'EOP'
--- a/hw/s390x/s390-virtio-ccw.c
+++ b/hw/s390x/s390-virtio-ccw.c
@@ -1,3 +1,3 @@
-this line is not in the file
+nor is this one
 /*
EOP
echo 9999-bad.patch >>"$top/patches/series"

expect_error "patches/9999-bad.patch does not apply to the base tree" \
    "$top/configure" --qemu-src="$base" --build-dir="$top/build"
no_merged_tree "$top/build"

# make must not build anything: it re-runs configure, which fails again.
# It works on the scratch build directory alone, whatever make runs us.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u BUILD make -C "$top" \
        BUILD="$top/build" >"$T/make.log" 2>&1 &&
    fail "make succeeded after a failed configure"
grep -q "does not apply" "$T/make.log" || fail "make did not say why: $(tail -n 3 "$T/make.log")"
no_merged_tree "$top/build"
echo "ok: make refused to build"
