#!/bin/sh
# The bundled default: a protected Debian guest under TCG.
#
# Debian 13's stock s390x kernel (6.12, from bookworm-backports), a
# busybox initrd (apt-get download, never installed) and a command line
# are packed into a Secure Execution image
# with s390-pvimg for a host key made on the spot; QEMU boots the image
# under TCG with the software Ultravisor holding that key.  Each stage is
# printed: stage3a, set secure configuration, unpack, verify, the kernel,
# and the userspace marker that proves the encrypted initrd and command
# line arrived.
#
# Usage: demo.sh TOP BUILD
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

top=$1
build=$2
qemu=$build/qemu/qemu-system-s390x
pvimg=$build/qemu/tools/s390-pvimg
dir=$build/demo
[ -x "$qemu" ] && [ -x "$pvimg" ] ||
    { echo "demo: run make first" >&2; exit 1; }

echo "demo: fetching Debian 13's s390x kernel and busybox (cached in .cache/guest13)"
"$top/build-aux/debian-guest.sh" "$top/.cache/guest13" --debian13 >/dev/null
g=$top/.cache/guest13

rm -rf "$dir"
mkdir -p "$dir"
echo "demo: making a host key (EC secp521r1) and its host-key document"
openssl ecparam -name secp521r1 -genkey -noout -out "$dir/host.key"
openssl req -x509 -new -key "$dir/host.key" -nodes -days 30 \
    -subj "/CN=s390x PV demo host" -out "$dir/host.crt" 2>/dev/null

marker=demo-$$-$(date +%s)
echo "console=ttysclp0 panic=-1 guest.marker=$marker" >"$dir/parmfile"
echo "demo: building a Secure Execution image of $(cat "$g/kernel-version")"
"$pvimg" -V --no-verify -k "$dir/host.crt" -i "$g/vmlinuz" \
    -r "$g/initrd.img" -p "$dir/parmfile" -o "$dir/secure.img" 2>&1 |
    sed -n 's/^/  s390-pvimg: /p' | grep -v 'loader:'

echo "demo: booting it under TCG with the software Ultravisor"
timeout 600 "$qemu" -M s390-ccw-virtio,confidential-guest-support=pv0 \
    -object s390-pv-guest,id=pv0,host-key="$dir/host.key" \
    -accel tcg -cpu max -m 512 -nographic -no-reboot -nodefaults \
    -action panic=exit-failure \
    -serial none -device sclpconsole,chardev=con0 \
    -chardev stdio,id=con0,signal=off -kernel "$dir/secure.img" \
    -trace s390_pv_sw_header -trace s390_pv_sw_unpack \
    -trace s390_pv_protected -trace s390_pv_start \
    -trace s390_pv_protect_failed \
    </dev/null >"$dir/console.log" 2>&1 || true

sed -n -e 's/^stage3a: /  [stage3a] /p' \
    -e 's/^s390_pv_sw_header PV: software UV: /  [set-secure-config] /p' \
    -e 's/^s390_pv_sw_unpack PV: software UV: /  [unpack] /p' \
    -e 's/^s390_pv_protected PV: /  [verify] /p' \
    -e 's/^s390_pv_start PV: /  [start] /p' \
    -e 's/^s390_pv_protect_failed PV: /  [FAILED] /p' \
    -e 's/^\[ *[0-9.]*\] \(Linux version [^ ]*\).*/  [kernel] \1/p' \
    -e 's/^kernel: /  [kernel] /p' \
    -e 's/^\(GUEST-USERSPACE-OK .*\)/  [userspace] \1/p' "$dir/console.log"

if grep -q "GUEST-USERSPACE-OK initrd=busybox marker=$marker" \
        "$dir/console.log" &&
   grep -q '^s390_pv_protected' "$dir/console.log"; then
    echo "demo: the PROTECTED guest reached userspace (software Ultravisor," \
         "functional fidelity: memory is not encrypted)"
else
    echo "demo: the protected guest did not reach userspace; console:" >&2
    tail -n 30 "$dir/console.log" >&2
    exit 1
fi
