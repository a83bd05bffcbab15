#!/bin/sh
# The bundled default: boot Debian 12's s390x kernel with a busybox initrd
# under TCG and wait for the userspace marker.
#
# NOT PROTECTED: this guest runs as a normal (non-PV) guest.  The secure
# boot of the same kernel arrives with the software Ultravisor and the
# image builder; until then this shows the built binary boots real Linux.
#
# Usage: demo.sh TOP BUILD
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

top=$1
build=$2
qemu=$build/qemu/qemu-system-s390x
[ -x "$qemu" ] || { echo "demo: $qemu not built: run make" >&2; exit 1; }

echo "demo: fetching Debian's s390x kernel and busybox (cached in .cache/guest)"
"$top/build-aux/debian-guest.sh" "$top/.cache/guest" >/dev/null
g=$top/.cache/guest
marker=demo-$$-$(date +%s)
log=$build/demo.log

echo "demo: booting $(cat "$g/kernel-version") under TCG -- NOT PROTECTED (no PV yet)"
timeout 600 "$qemu" -M s390-ccw-virtio -accel tcg -cpu max -m 512 \
    -nographic -no-reboot -nodefaults -serial none \
    -device sclpconsole,chardev=con0 -chardev stdio,id=con0,signal=off \
    -kernel "$g/vmlinuz" -initrd "$g/initrd.img" \
    -append "console=ttysclp0 quiet panic=-1 guest.marker=$marker" \
    </dev/null >"$log" 2>&1 || true
if grep -q "GUEST-USERSPACE-OK initrd=busybox marker=$marker" "$log"; then
    grep -a 'GUEST-USERSPACE-OK\|^kernel:' "$log"
    echo "demo: the guest reached userspace (not protected)"
else
    echo "demo: the guest did not reach userspace; console output:" >&2
    tail -n 30 "$log" >&2
    exit 1
fi
