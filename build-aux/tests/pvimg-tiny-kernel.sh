# A tiny test kernel of ours, packed by s390-pvimg, boots under -kernel
# through the PV flow (software Ultravisor) and prints its command line
# and initrd size over the SCLP console.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

printf 'tiny.marker=%s second-word\n' $$ >"$T/parm"
head -c 12345 /dev/urandom >"$T/initrd"
"$PVIMG" --no-verify -k "$KEYS/host.crt" -i "$TINY" -r "$T/initrd" \
    -p "$T/parm" -o "$T/tiny.img" || fail "s390-pvimg failed"
boot_pv "$T/tiny.img" "$KEYS/host-sec1.pem" -initrd "$T/initrd" -append x
cat "$T/console"
grep -q "^TINY-KERNEL-OK initrd=0x00003039 cmdline=tiny.marker=$$ second-word$" \
    "$T/console" || fail "the tiny kernel did not print its marker"
grep -q "stage3a: PV IPL block accepted, diag 308 subcode 10" "$T/console" ||
    fail "stage3a did not report"
grep -q "warning: -initrd and -append have no effect with a Secure Execution image" \
    "$T/console" || fail "no warning about -initrd/-append"

# Without a PV object the CPU has no unpack facility: stage3a says so and
# stops in disabled wait 0x4607.
timeout 60 "$QEMU" -M s390-ccw-virtio -accel tcg -cpu max -m 128 \
    -nographic -nodefaults -serial none -device sclpconsole,chardev=con0 \
    -chardev stdio,id=con0,signal=off -action panic=shutdown \
    -d guest_errors -kernel "$T/tiny.img" </dev/null >"$T/console" 2>&1
grep -q "^Secure unpack facility is not available" "$T/console" ||
    { cat "$T/console"; fail "stage3a did not report the missing facility"; }
grep -q "PSW: 0x0002000180000000 0x0000000000004607" "$T/console" ||
    fail "no disabled wait 0x4607"
echo "ok: no unpack facility -> disabled wait 0x4607"
