# The merged tree is built from hard links to the cached base tree: our
# patches and files must replace files, never write through to the cache.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

base=$(sed -n 's/^BASE=//p' "$BUILD/config.mak")
[ -f "$base/target/s390x/kvm/pv.c" ] ||
    fail "the base tree lost target/s390x/kvm/pv.c"
grep -q 's390_machine_protect' "$base/hw/s390x/s390-virtio-ccw.c" ||
    fail "the patched s390-virtio-ccw.c was written into the base tree"
[ ! -e "$BUILD/src/target/s390x/kvm/pv.c" ] ||
    fail "the merged tree still has the old target/s390x/kvm/pv.c"
grep -q 's390_machine_protect' "$BUILD/src/hw/s390x/s390-virtio-ccw.c" &&
    fail "the merged tree still calls the old PV code"
grep -q 'S390 Protected Virtualization (PV) series' "$BUILD/src/MAINTAINERS" ||
    fail "our MAINTAINERS section is missing from the merged tree"
echo "ok: base tree untouched, merged tree patched"
