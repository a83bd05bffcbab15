# Today's guest: Debian 13's stock s390x kernel (6.12, bookworm-backports,
# PV-aware as shipped), its own modules and a busybox initrd, packed by
# s390-pvimg, boots protected under TCG with -cpu max and isolation on:
#   - loads virtio_blk, virtio_net and uvdevice from its initrd;
#   - /sys/firmware/uv says it is protected, /sys/firmware/uv/query/* is
#     what the software Ultravisor's Query answered, /dev/uv exists;
#   - reads a file from virtio-blk and fetches one over virtio-net (TCP,
#     user networking, an HTTP server on the host's 127.0.0.1), and both
#     digests match.
# Linux 6.12 checksums its TCP and UDP packets with the vector facility
# (VCKSM), which QEMU 7.2's TCG computed wrongly: on 7.2 the download
# times out.  The same guest then boots unprotected, as a control.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

"$TOP/build-aux/debian-guest.sh" "$TOP/.cache/guest13" --debian13 \
    >"$T/fetch.log" 2>&1 ||
    fail "cannot fetch Debian 13's s390x kernel: $(cat "$T/fetch.log")"
g=$TOP/.cache/guest13
echo "kernel: $(cat "$g/kernel-version")"

pv_guest_setup "$g/modules"
pv_guest_run debian13 "$g/vmlinuz" max
c=$T/debian13.c
! grep -q '^MODULE ' "$c" || fail "a module did not load: $(grep '^MODULE ' "$c")"
pv_guest_uv_ok debian13
# and every other file of query/ is there
for f in max_address max_guests supp_se_hdr_pcf feature_indications; do
    grep -q "^UVQ $f=[0-9a-f]" "$c" || fail "no query/$f"
done
grep -q '^UVDEV present$' "$c" || fail "no /dev/uv after loading uvdevice"
grep -q "^DISK sha256=$disk_sum$" "$c" || fail "disk digest differs"
grep -q "^NET sha256=$net_sum$" "$c" ||
    fail "the download over TCP failed or its digest differs"
[ "$(pv_query debian13 isolation.refused-accesses)" = 0 ] ||
    fail "refused device accesses"
echo "ok: Debian 13's kernel, protected: /dev/uv, disk and a TCP download" \
     "through $(pv_query debian13 guest.shared-pages) shared pages"

# The control: the same kernel and initrd without protection
"$QEMU" -M s390-ccw-virtio -accel tcg -cpu max -m 512 -nographic \
    -nodefaults -serial none -device sclpconsole,chardev=con0 \
    -chardev file,id=con0,path="$T/plain.console" \
    -drive file="$T/disk.img",if=none,id=d0,format=raw,readonly=on \
    -device virtio-blk-ccw,drive=d0 \
    -netdev user,id=n0 -device virtio-net-ccw,netdev=n0 \
    -kernel "$g/vmlinuz" -initrd "$T/initrd.img" \
    -append "console=ttysclp0 panic=-1 quiet" </dev/null >"$T/plain.out" 2>&1 &
qpid=$!
i=0
while ! tr -d '\r' <"$T/plain.console" 2>/dev/null | grep -q GUEST-DONE; do
    kill -0 $qpid 2>/dev/null || fail "plain: QEMU ended early: $(cat "$T/plain.out")"
    i=$((i + 1))
    [ $i -lt 600 ] || fail "plain: no GUEST-DONE in 300 s"
    sleep 0.5
done
kill $qpid
wait $qpid 2>/dev/null
tr -d '\r' <"$T/plain.console" >"$T/plain.c"
grep -q '^UV prot_virt_guest=' "$T/plain.c" &&
    ! grep -q '^UV prot_virt_guest=1$' "$T/plain.c" ||
    fail "plain: the unprotected guest says it is protected"
grep -q '^UVDEV none$' "$T/plain.c" || fail "plain: /dev/uv without an Ultravisor"
grep -q "^NET sha256=$net_sum$" "$T/plain.c" || fail "plain: network digest differs"
echo "ok: the same guest unprotected: no Ultravisor, the download matches"
