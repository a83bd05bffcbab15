# The software Ultravisor finds host keys without host-key=: every *.pem
# in host-key-dir (by default s390-pv/host-keys in QEMU's sysconfdir), so
# that a bare "-object s390-pv-guest,id=pv0" (what libvirt generates)
# works on a host whose keys are installed.  The error when none is found
# names every place looked at; a key every user may read is refused.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

fixed_keys "$T"
"$PVIMG" --no-verify -k "$KEYS/host.crt" -i "$TINY" -p /dev/null \
    -o "$T/img" >/dev/null || fail "s390-pvimg failed"

q() {
    timeout 120 "$QEMU" -M s390-ccw-virtio,confidential-guest-support=pv0 \
        -accel tcg -cpu max -m 128 -nographic -nodefaults -serial none \
        -device sclpconsole,chardev=con0 -chardev stdio,id=con0,signal=off \
        -action panic=exit-failure -kernel "$T/img" "$@" </dev/null
}

# the default directory (relocated like QEMU's firmware path when QEMU
# runs from its build tree), visible with qom-get and named in the error
echo '{"execute":"qmp_capabilities"}
{"execute":"qom-get","arguments":{"path":"/objects/pv0","property":"host-key-dir"}}
{"execute":"quit"}' |
    "$QEMU" -M s390-ccw-virtio,confidential-guest-support=pv0 -accel qtest \
        -cpu max -nodefaults -display none -object s390-pv-guest,id=pv0 \
        -qmp stdio \
        >"$T/qmp" 2>&1
def=$(sed -n 's/.*"return": "\([^"]*\)".*/\1/p' "$T/qmp")
case "$def" in
*/etc/qemu/s390-pv/host-keys) echo "ok: qom-get host-key-dir: $def" ;;
*) cat "$T/qmp"; fail "qom-get host-key-dir: '$def'" ;;
esac
[ -d "$def" ] && echo "note: $def exists on this host"
[ -d "$def" ] ||
    expect_error "none given with host-key=, and no *.pem in $def (host-key-dir=)" \
        q -object s390-pv-guest,id=pv0

# an empty directory of our own
mkdir "$T/keys"
chmod 700 "$T/keys"
expect_error "none given with host-key=, and no *.pem in $T/keys (host-key-dir=)" \
    q -object s390-pv-guest,id=pv0,host-key-dir="$T/keys"

# a key every user may read
cp "$KEYS/host-sec1.pem" "$T/keys/host.pem"
chmod 644 "$T/keys/host.pem"
expect_error "host key $T/keys/host.pem is readable by every user (mode 0644)" \
    q -object s390-pv-guest,id=pv0,host-key-dir="$T/keys"

# installed properly: the bare object boots the image, with another key
# next to it (every *.pem is a key slot candidate)
chmod 600 "$T/keys/host.pem"
cp "$KEYS/other-host.pem" "$T/keys/a-other.pem"
chmod 640 "$T/keys/a-other.pem"
echo "not a key" >"$T/keys/README"
q -object s390-pv-guest,id=pv0,host-key-dir="$T/keys" >"$T/console" 2>&1 ||
    { cat "$T/console"; fail "QEMU exited $?"; }
grep -q TINY-KERNEL-OK "$T/console" ||
    { cat "$T/console"; fail "no protected boot with the installed keys"; }
echo "ok: booted with the keys in host-key-dir"

