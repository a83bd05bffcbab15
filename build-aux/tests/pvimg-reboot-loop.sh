# At least 100 protect -> re-IPL -> re-protect cycles of a real image: the
# tiny test kernel packed by s390-pvimg, booted through stage3a and
# stage3b, re-IPLs itself ("reipl" on its command line).  Every cycle
# must protect, run the protected kernel, leave PV and start over; QEMU
# must stay up and report no error.  (Under the sanitizer build this is
# the sanitizer job's protect loop.)
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

want=${PV_REBOOT_CYCLES:-100}
echo "reipl loop.marker=$$" >"$T/parm"
"$PVIMG" --no-verify -k "$KEYS/host.crt" -i "$TINY" -p "$T/parm" \
    -o "$T/loop.img" || fail "s390-pvimg failed"

"$QEMU" -M s390-ccw-virtio,confidential-guest-support=pv0 \
    -object s390-pv-guest,id=pv0,host-key="$KEYS/host-sec1.pem" \
    -accel tcg -cpu max -m 64 -nographic -nodefaults -serial none \
    -device sclpconsole,chardev=con0 -chardev file,id=con0,path="$T/console" \
    -action panic=shutdown -trace s390_pv_protected -D "$T/trace" \
    -kernel "$T/loop.img" </dev/null >"$T/stderr" 2>&1 &
pid=$!
end=$(( $(date +%s) + 300 ))
n=0
while [ "$n" -lt "$want" ]; do
    kill -0 $pid 2>/dev/null ||
        fail "QEMU ended after $n protects: $(tail -n 5 "$T/stderr")"
    [ "$(date +%s)" -lt $end ] ||
        { kill $pid; fail "only $n protects in 300 s"; }
    sleep 1
    n=$(grep -c s390_pv_protected "$T/trace" 2>/dev/null || echo 0)
done
kill $pid
wait $pid 2>/dev/null
booted=$(grep -c "^TINY-KERNEL-OK initrd=0x00000000 cmdline=reipl loop.marker=$$$" \
         "$T/console")
echo "ok: $n protects, the protected kernel ran $booted times"
[ "$booted" -ge "$want" ] || fail "the protected kernel ran only $booted times"
grep -q 'Protected Virtualization' "$T/stderr" &&
    fail "QEMU reported: $(grep 'Protected Virtualization' "$T/stderr" | head -n 3)"
echo "ok: no error from QEMU"
