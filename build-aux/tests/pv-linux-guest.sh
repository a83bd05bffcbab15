# A real PV-aware Linux guest under TCG, with isolation on: a kernel built
# from Debian's linux-source-6.1 with CONFIG_PROTECTED_VIRTUALIZATION_GUEST
# (build-aux/pv-kernel.sh, cached in .cache/pv-kernel), packed with a
# busybox initrd by s390-pvimg, boots protected and
#   - reads /sys/firmware/uv: prot_virt_guest 1, query/ as Query said;
#   - reads a known file from a virtio-blk disk and prints its digest;
#   - fetches a file from the host over virtio-net (user networking) and
#     prints its digest;
# then query-s390-pv shows the pages it shared and no refused access.
#
# Then Debian's own kernel (not PV-aware), protected, with the same disk:
# it cannot share, so the device's accesses are refused, QEMU says so
# once per device, nothing crashes, and the guest still reaches its
# userspace (its disk never appears).
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

start=$(date +%s)
bz=$("$TOP/build-aux/pv-kernel.sh" "$TOP/.cache/pv-kernel") ||
    fail "cannot build the PV-aware kernel"
echo "PV-aware kernel: $bz ($(wc -c <"$bz") bytes, built in" \
     "$(cat "$TOP/.cache/pv-kernel/build-seconds") s on $(nproc) cores;" \
     "this run took $(($(date +%s) - start)) s)"
"$TOP/build-aux/debian-guest.sh" "$TOP/.cache/guest" >/dev/null ||
    fail "cannot fetch Debian's s390x kernel and busybox"
g=$TOP/.cache/guest

pv_guest_setup

# --- the PV-aware kernel -------------------------------------------------
pv_guest_run pvaware "$bz"
c=$T/pvaware.c
pv_guest_uv_ok pvaware
grep -q "^DISK sha256=$disk_sum$" "$c" || fail "pvaware: disk digest differs"
grep -q "^NET sha256=$net_sum$" "$c" || fail "pvaware: network digest differs"
shared=$(pv_query pvaware guest.shared-pages)
[ "$shared" -gt 1000 ] ||
    fail "pvaware: only $shared pages shared (SWIOTLB alone shares thousands)"
[ "$(pv_query pvaware isolation.enabled)" = True ] || fail "pvaware: isolation off"
[ "$(pv_query pvaware isolation.refused-accesses)" = 0 ] ||
    fail "pvaware: refused device accesses"
! grep -q 'not shared by the guest' "$T/pvaware.out" ||
    fail "pvaware: QEMU refused accesses"
echo "ok: PV-aware guest: prot_virt_guest=1, disk and network through $shared shared pages"

# --- Debian's kernel, not PV-aware ---------------------------------------
pv_guest_run debian "$g/vmlinuz"
c=$T/debian.c
[ "$(pv_query debian protected)" = True ] || fail "debian: not protected"
grep -q '^UV prot_virt_guest=' "$c" && grep -q '^UV prot_virt_guest=1$' "$c" &&
    fail "debian: a kernel without PV guest support says it is protected"
grep -q '^DISK none$' "$c" || fail "debian: the disk should not work"
[ "$(pv_query debian guest.shared-pages)" = 0 ] || fail "debian: shared pages"
refused=$(pv_query debian isolation.refused-accesses)
[ "$refused" -gt 0 ] || fail "debian: no refused access"
grep -q "virtio-blk-ccw 'disk0': read of guest address 0x[0-9a-f]* not shared by the guest" \
    "$T/debian.out" || fail "debian: no line for the disk"
echo "ok: Debian's kernel: $refused device accesses refused, the guest lives on without its devices"
