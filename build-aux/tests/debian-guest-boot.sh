# The README's main job: Debian 12's s390x kernel with a busybox initrd,
# packed by s390-pvimg for a fresh host key, boots PROTECTED under TCG
# with the software Ultravisor, and the userspace marker proves that the
# encrypted initrd and command line arrived.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

"$TOP/build-aux/demo.sh" "$TOP" "$BUILD" >"$T/demo.out" 2>&1 ||
    fail "demo failed: $(tail -n 20 "$T/demo.out")"
cat "$T/demo.out"
grep -q '^  \[stage3a\] PV IPL block accepted' "$T/demo.out" ||
    fail "no stage3a"
grep -q '^  \[set-secure-config\] header opened, 1 key slots, 1486 pages' \
    "$T/demo.out" || fail "no set-secure-config"
grep -q '^  \[unpack\] unpacked 0x15000, 1237 pages' "$T/demo.out" ||
    fail "no kernel unpack"
grep -q '^  \[verify\] guest protected, 4 components' "$T/demo.out" ||
    fail "not protected"
grep -q '^  \[kernel\] Linux version 6\.1\.' "$T/demo.out" ||
    fail "not Debian 12's 6.1 kernel"
grep -q '^  \[userspace\] GUEST-USERSPACE-OK initrd=busybox marker=demo-' \
    "$T/demo.out" || fail "no userspace marker"
