# The README's main job: Debian 13's s390x kernel with a busybox initrd,
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
# the Ultravisor opened and unpacked what s390-pvimg packed: all its
# pages, and the kernel's (its size in 4 KiB pages, rounded up)
kernel=$TOP/.cache/guest13/vmlinuz
kpages=$(( ($(stat -c %s "$kernel") + 4095) / 4096 ))
total=$(sed -n 's/.* bytes, \([0-9]*\) encrypted pages, .*/\1/p' "$T/demo.out")
[ -n "$total" ] || fail "s390-pvimg did not say how many pages it packed"
grep -q "^  \[set-secure-config\] header opened, 1 key slots, $total pages" \
    "$T/demo.out" || fail "no set-secure-config of $total pages"
grep -q "^  \[unpack\] unpacked 0x15000, $kpages pages" "$T/demo.out" ||
    fail "no kernel unpack of $kpages pages"
grep -q '^  \[verify\] guest protected, 4 components' "$T/demo.out" ||
    fail "not protected"
grep -q '^  \[kernel\] Linux version 6\.12\.' "$T/demo.out" ||
    fail "not Debian 13's 6.12 kernel"
grep -q '^  \[userspace\] GUEST-USERSPACE-OK initrd=busybox marker=demo-' \
    "$T/demo.out" || fail "no userspace marker"
