# Without KVM (here: an s390x target on another host), qemu-system-s390x
# builds without the KVM backend and without <linux/kvm.h> in any of our
# files: only the KVM build needs the Linux headers.  The KVM backend is
# still unit-tested over a fake ioctl layer, and cross-compiled for s390x
# with KVM by s390x-kvm-cross.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

q=$BUILD/qemu
if grep -q '^#define CONFIG_KVM' "$q/s390x-softmmu-config-target.h"; then
    echo "skip: this build has KVM for s390x (an IBM Z host)"
    exit 77
fi
d=$q/libqemu-s390x-softmmu.a.p
[ -f "$d/hw_s390x_pv-machine.c.o.d" ] || fail "no PV objects in $d"
[ ! -e "$d/hw_s390x_pv-kvm.c.o" ] || fail "the KVM backend was built without KVM"
grep -q 'libqemu-s390x-softmmu\.a\.p/hw_s390x_pv-kvm' "$q/build.ninja" &&
    fail "build.ninja builds the KVM backend into qemu-system-s390x"
for dep in "$d"/hw_s390x_pv-*.c.o.d; do
    if grep -q 'linux/kvm\.h' "$dep"; then
        fail "$(basename "$dep" .o.d) includes <linux/kvm.h> without KVM"
    fi
    echo "ok: $(basename "$dep" .o.d) without <linux/kvm.h>"
done
