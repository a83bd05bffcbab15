# Deny by default.  Every device type 'qemu-system-s390x -device help'
# lists is tried next to a protected guest of the software Ultravisor
# with isolation on.  Each must be
#   - refused at start-up with one line from Protected Virtualization, or
#   - not accepted by the s390-ccw-virtio machine at all (no bus for it,
#     not user-creatable), or
#   - one of the types below, which reach guest memory only through a
#     view of what the guest shared, or not at all.
# A device type QEMU adds later fails this test until someone decides
# which it is (hw/s390x/pv-hostview.c, pv_isolated_types).
# Then: a virtio-net-ccw with a vhost-user back end (QEMU's own
# vhost-user-bridge) is refused, as vhost would reach all guest memory.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

[ -x "$QEMU" ] || fail "no $QEMU"

# What the test knows to reach guest memory through a view (or not at all)
isolated() {
    case $1 in
    virtio-blk-ccw|virtio-scsi-ccw|virtio-net-ccw|virtio-serial-ccw) ;;
    virtio-keyboard-ccw|virtio-mouse-ccw|virtio-tablet-ccw) ;;
    virtio-gpu-ccw|virtio-balloon-ccw|virtio-crypto-ccw|virtio-rng-ccw) ;;
    virtio-mem-ccw|virtio-9p-ccw|virtio-input-host-ccw) ;;
    virtio-*-device) ;;                 # behind a virtio-ccw proxy
    x-terminal3270) ;;                  # channel programs: its view
    scsi-hd|scsi-cd|scsi-block|scsi-generic) ;; # virtio-scsi's view
    virtconsole|virtserialport) ;;      # virtio-serial's view
    sclpconsole|sclplmconsole) ;;       # SCCBs: the Ultravisor's
    diag288|*-s390x-cpu) ;;             # no DMA
    *) return 1 ;;
    esac
}

B="-M s390-ccw-virtio,confidential-guest-support=pv0
   -object s390-pv-guest,id=pv0,host-key=$KEYS/host-sec1.pem
   -accel tcg -cpu max -m 64M -nodefaults -display none -S"

types=$("$QEMU" -device help | sed -n 's/^name "\([^"]*\)".*/\1/p')
n=$(echo "$types" | wc -l)
[ "$n" -gt 100 ] || fail "-device help listed only $n types"
refused=0 absent=0 known=0
for t in $types; do
    # shellcheck disable=SC2086
    echo '{"execute":"qmp_capabilities"}{"execute":"quit"}' |
        timeout 60 "$QEMU" $B -qmp stdio -device virtio-scsi-ccw \
            -device virtio-serial-ccw -device "$t" >"$T/out" 2>"$T/err"
    rc=$?
    if [ $rc = 1 ] && grep -q 'Protected Virtualization' "$T/err"; then
        [ "$(wc -l <"$T/err")" = 1 ] ||
            fail "$t: refused with more than one line: $(cat "$T/err")"
        refused=$((refused + 1))
        echo "refused: $t"
    elif [ $rc = 1 ] && grep -Eq "No '[^']*' bus found|not user creatable|is not a valid device model name|expects a pluggable device" "$T/err"; then
        absent=$((absent + 1))
        echo "not accepted: $t"
    elif isolated "$t"; then
        known=$((known + 1))
        echo "through the view or no DMA: $t (exit $rc)"
    else
        fail "$t: neither refused nor known to reach guest memory only through the view (exit $rc: $(head -n 2 "$T/err"))"
    fi
done
echo "ok: $n device types: $refused refused, $absent not accepted by the machine, $known through the view or without DMA"
[ "$refused" -gt 20 ] || fail "only $refused device types refused"
[ "$known" -gt 10 ] || fail "only $known device types known"

# vhost-user: the back end would map all guest memory
python3 "$TOP/build-aux/tests/helpers/vhost-user-stub.py" "$T/vu.sock" \
    >"$T/vu.log" 2>&1 &
vpid=$!
i=0
while [ ! -S "$T/vu.sock" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
[ -S "$T/vu.sock" ] || fail "the vhost-user stub did not listen: $(cat "$T/vu.log")"
# shellcheck disable=SC2086
expect_error "Protected Virtualization: virtio-net-ccw 'net0' has a vhost back end, which reaches all guest memory, not only what the guest shared (isolation=on); use one without vhost (e.g. -netdev tap,vhost=off)" \
    timeout 60 "$QEMU" $B \
    -object memory-backend-memfd,id=m0,size=64M,share=on \
    -machine memory-backend=m0 -chardev socket,id=c0,path="$T/vu.sock" \
    -netdev vhost-user,id=n0,chardev=c0 \
    -device virtio-net-ccw,netdev=n0,id=net0 </dev/null
# the stub is done with: its end (killed or not) is not the test's result
kill $vpid 2>/dev/null
wait $vpid 2>/dev/null || true
