# libvirt 11.3 (Debian 13's, from bookworm-backports) refuses
# <launchSecurity type='s390-pv'/> for a TCG domain with the message
# protvirt.rst explains (its check needs KVM on an s390x host), and runs a
# protected guest under TCG with the recipe of protvirt.rst "With
# libvirt": <qemu:commandline> with our -object and
# confidential-guest-support, <cpu mode='maximum'/>, and the host key
# installed readable by libvirt's QEMU user (root:libvirt-qemu 0640) in a
# host-key-dir.  The test starts virtlogd and libvirtd itself when they do
# not run (no systemd), and stops what it started.
#   - the console log shows the protected boot's userspace marker;
#   - query-s390-pv (virsh qemu-monitor-command) says protected;
#   - virsh reboot protects the guest again;
#   - virsh save is refused with the migration blocker's message;
#   - virsh destroy ends it.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v libvirtd >/dev/null ||
   ! id libvirt-qemu >/dev/null 2>&1; then
    echo "needs root and Debian's libvirt (build-aux/install-deps.sh)"
    exit 77
fi
# libvirt probes the emulator with -daemonize; under AddressSanitizer the
# daemonized child deadlocks after fork (the parent waits for it forever)
if grep -q -- '--enable-asan' "$BUILD/config.mak" 2>/dev/null; then
    echo "libvirt's -daemonize probe deadlocks a sanitizer build of QEMU"
    exit 77
fi
g=$TOP/.cache/guest
"$TOP/build-aux/debian-guest.sh" "$g" >/dev/null ||
    fail "cannot fetch Debian's s390x kernel and busybox"

V="timeout 300 virsh -q -c qemu:///system"
dom=pv-libvirt-test-$$
started=""
cleanup() {
    $V destroy "$dom" >/dev/null 2>&1
    $V undefine "$dom" >/dev/null 2>&1
    for p in $started; do
        kill "$p" 2>/dev/null
    done
    rm -rf "$T"
}
trap cleanup EXIT

# libvirt's QEMU user reads the image and the key: not a 0700 directory
chmod 755 "$T"

# a guest whose init prints a marker, then waits; SIGINT (the reboot
# request) makes it reboot
busybox_root "$T/root"
cat >"$T/root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
trap '/bin/busybox reboot -f' INT
echo "GUEST-USERSPACE-OK libvirt boot $(/bin/busybox cut -d' ' -f1 /proc/uptime)"
while :; do /bin/busybox sleep 1; done
EOF
pack_initrd "$T/root" "$T/initrd.img"
host_key_pair "$T/host.pem" "$T/host.crt"
echo "console=ttysclp0 quiet" >"$T/parm"
"$PVIMG" --no-verify -k "$T/host.crt" -i "$g/vmlinuz" -r "$T/initrd.img" \
    -p "$T/parm" -o "$T/secure.img" >/dev/null || fail "s390-pvimg failed"
chmod 644 "$T/secure.img"

# the key, as the docs say to install it
mkdir "$T/keys"
mv "$T/host.pem" "$T/keys/host.pem"
chown root:libvirt-qemu "$T/keys" "$T/keys/host.pem"
chmod 750 "$T/keys"
chmod 640 "$T/keys/host.pem"

# the daemons
mkdir -p /run/libvirt
if ! pgrep -x virtlogd >/dev/null; then
    virtlogd --daemon || fail "cannot start virtlogd"
    started="$started $(pgrep -x virtlogd)"
fi
if ! pgrep -x libvirtd >/dev/null; then
    # its default log output is not there without systemd: a file
    LIBVIRT_LOG_OUTPUTS="3:file:$T/libvirtd.log" libvirtd --daemon ||
        fail "cannot start libvirtd"
    started="$started $(pgrep -x libvirtd)"
fi
i=0
until $V list --all >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt 50 ] || fail "libvirtd does not answer"
    sleep 0.2
done

libvirt=$(virsh -v)
echo "libvirt $libvirt"

# <launchSecurity> under TCG: refused when the domain is defined
cat >"$T/lsec.xml" <<EOF
<domain type='qemu'>
  <name>$dom-lsec</name>
  <memory unit='MiB'>512</memory>
  <cpu mode='maximum'/>
  <os>
    <type arch='s390x' machine='s390-ccw-virtio'>hvm</type>
    <kernel>$T/secure.img</kernel>
  </os>
  <devices><emulator>$QEMU</emulator></devices>
  <launchSecurity type='s390-pv'/>
</domain>
EOF
if $V define "$T/lsec.xml" >"$T/out" 2>&1; then
    $V undefine "$dom-lsec" >/dev/null 2>&1
    fail "libvirt $libvirt now accepts <launchSecurity type='s390-pv'/> under TCG: test that path (protvirt.rst)"
fi
grep -q "S390 PV launch security is not supported by this host or kernel" \
    "$T/out" || fail "<launchSecurity> refused otherwise: $(cat "$T/out")"
echo "ok: <launchSecurity type='s390-pv'/> refused under TCG: $(tail -n 1 "$T/out")"

cat >"$T/dom.xml" <<EOF
<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>$dom</name>
  <memory unit='MiB'>512</memory>
  <vcpu>1</vcpu>
  <cpu mode='maximum'/>
  <os>
    <type arch='s390x' machine='s390-ccw-virtio'>hvm</type>
    <kernel>$T/secure.img</kernel>
  </os>
  <on_reboot>restart</on_reboot>
  <devices>
    <emulator>$QEMU</emulator>
    <console type='file'>
      <source path='$T/console.log'/>
      <target type='sclp' port='0'/>
    </console>
    <memballoon model='none'/>
  </devices>
  <qemu:commandline>
    <qemu:arg value='-machine'/>
    <qemu:arg value='confidential-guest-support=pv0'/>
    <qemu:arg value='-object'/>
    <qemu:arg value='s390-pv-guest,id=pv0,host-key-dir=$T/keys'/>
  </qemu:commandline>
</domain>
EOF
$V define "$T/dom.xml" >"$T/out" 2>&1 || fail "define: $(cat "$T/out")"
$V start "$dom" >"$T/out" 2>&1 || fail "start: $(cat "$T/out")"

# wait_marker N: the console shows the marker N times
wait_marker() {
    i=0
    while [ "$(cat "$T/console.log" 2>/dev/null | grep -c GUEST-USERSPACE-OK)" -lt "$1" ]; do
        i=$((i + 1))
        [ $i -lt 300 ] || fail "no marker #$1 in 150 s: $(tail -n 20 "$T/console.log" 2>&1; $V domstate "$dom")"
        sleep 0.5
    done
}
protected() {
    $V qemu-monitor-command "$dom" '{"execute":"query-s390-pv"}' |
        grep -q '"protected":true'
}

wait_marker 1
grep -q 'stage3a: PV IPL block accepted, diag 308 subcode 10' "$T/console.log" ||
    fail "no protected boot: $(cat "$T/console.log")"
protected || fail "query-s390-pv: not protected"
echo "ok: started by libvirt, protected, userspace reached"

$V reboot "$dom" >"$T/out" 2>&1 || fail "reboot: $(cat "$T/out")"
wait_marker 2
[ "$(grep -c 'stage3a: PV IPL block accepted' "$T/console.log")" = 2 ] ||
    fail "reboot: not protected a second time"
protected || fail "after reboot: not protected"
echo "ok: virsh reboot protected the guest again"

$V save "$dom" "$T/save.img" >"$T/out" 2>&1 && fail "virsh save succeeded"
grep -q "protected VMs are currently not migratable" "$T/out" ||
    fail "save: $(cat "$T/out")"
[ "$($V domstate "$dom")" = running ] || fail "save stopped the guest"
echo "ok: virsh save refused: $(grep -o 'cannot migrate.*' "$T/out")"

$V destroy "$dom" >"$T/out" 2>&1 || fail "destroy: $(cat "$T/out")"
[ "$($V domstate "$dom")" = "shut off" ] || fail "destroy: not shut off"
echo "ok: virsh destroy"
