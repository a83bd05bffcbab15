#!/bin/sh
# Compile the KVM side of the series for its real host, s390x, so that a
# mistake in code only an IBM Z host builds cannot land.
#
# Each file is compiled with the command the (x86) build uses for it,
# turned into an s390x one: s390x-linux-gnu-gcc, s390x glib configuration
# (Debian's libglib2.0-dev:s390x, fetched with apt-get download, never
# installed), QEMU's asm-s390 linux-headers, and CONFIG_KVM set.  Warnings
# are errors.
#
# Usage: s390x-kvm-check.sh TOP BUILD
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

top=$1
build=$2
q=$build/qemu
out=$build/s390x-kvm-check
sysroot=$top/.cache/s390x-sysroot
glibinc=$sysroot/usr/lib/s390x-linux-gnu/glib-2.0/include

die() {
    echo "s390x-kvm-check: $*" >&2
    exit 1
}

command -v s390x-linux-gnu-gcc >/dev/null ||
    die "s390x-linux-gnu-gcc not found: run build-aux/install-deps.sh"

gmpinc=$sysroot/usr/include/s390x-linux-gnu
if [ ! -f "$glibinc/glibconfig.h" ] || [ ! -f "$gmpinc/gmp.h" ]; then
    rm -rf "$sysroot.dl" && mkdir -p "$sysroot.dl"
    (cd "$sysroot.dl" &&
     apt-get download -q libglib2.0-dev:s390x libgmp-dev:s390x) \
        >"$sysroot.dl.log" 2>&1 ||
        die "apt-get download of s390x headers failed: see $sysroot.dl.log"
    rm -rf "$sysroot"
    for deb in "$sysroot.dl"/*_s390x.deb; do
        dpkg-deb -x "$deb" "$sysroot"
    done
    rm -rf "$sysroot.dl"
    [ -f "$glibinc/glibconfig.h" ] && [ -f "$gmpinc/gmp.h" ] ||
        die "s390x glibconfig.h or gmp.h missing after download"
fi

# An s390x view of the generated configuration headers.
rm -rf "$out"
mkdir -p "$out/inc" "$out/lh" "$out/obj"
sed -e '/^#define HOST_X86_64 /d' \
    -e 's/^#define CONFIG_CPUID_H$/#undef CONFIG_CPUID_H/' \
    "$q/config-host.h" >"$out/inc/config-host.h"
echo '#define HOST_S390X 1' >>"$out/inc/config-host.h"
{
    cat "$q/s390x-softmmu-config-target.h"
    echo '#define CONFIG_KVM 1'
} >"$out/inc/s390x-softmmu-config-target.h"
ln -s "$build/src/linux-headers/asm-s390" "$out/lh/asm"

# The KVM backend, the code above it, and every QEMU file we patch for PV.
FILES="hw/s390x/pv-guest.c hw/s390x/pv-iplb.c hw/s390x/pv-kvm.c
       hw/s390x/pv-kvm-host.c hw/s390x/pv-machine.c hw/s390x/pv-uv.c
       hw/s390x/pv-se.c hw/s390x/pv-sw.c hw/s390x/pv-diag.c
       hw/s390x/s390-virtio-ccw.c hw/s390x/ipl.c target/s390x/diag.c
       target/s390x/kvm/kvm.c target/s390x/cpu_models.c
       target/s390x/cpu-system.c target/s390x/cpu_features.c
       target/s390x/arch_dump.c target/s390x/mmu_helper.c
       target/s390x/ioinst.c hw/s390x/sclp.c target/s390x/helper.c
       hw/s390x/tod-kvm.c hw/s390x/s390-pci-kvm.c hw/s390x/s390-pci-inst.c"

cd "$q"
python3 - "$build" "$out" "$glibinc" "$gmpinc" $FILES <<'EOF'
import json, os, shlex, subprocess, sys

build, out, glibinc, gmpinc = sys.argv[1:5]
files = sys.argv[5:]
cmds = {}
for e in json.load(open("compile_commands.json")):
    cmds[os.path.normpath(os.path.join(e["directory"], e["file"]))] = e
src = os.path.join(build, "src")
# Files built only with KVM use the command of a sibling file.
template = cmds[os.path.join(src, "hw/s390x/pv-guest.c")]

failed = 0
for f in files:
    path = os.path.join(src, f)
    e = cmds.get(path, template)
    args = shlex.split(e["command"])
    new = ["s390x-linux-gnu-gcc", "-iquote", out + "/inc",
           "-isystem", out + "/lh", "-isystem", gmpinc, "-Werror"]
    skip = 0
    for i, a in enumerate(args[1:], 1):
        if skip:
            skip -= 1
            continue
        if a in ("-m64", "-mcx16", "-MD") or a.startswith("-fdiagnostics"):
            continue
        # x86 code-generation options of QEMU 10.0
        if a.startswith(("-msse", "-mavx", "-mpopcnt")):
            continue
        if a in ("-MQ", "-MF", "-o"):
            skip = 1
            continue
        if a == "-c":
            skip = 1
            continue
        if "x86_64-linux-gnu/glib-2.0/include" in a:
            a = "-I" + glibinc
        a = a.replace("/tcg/i386", "/tcg/s390x")
        a = a.replace("host/include/x86_64", "host/include/s390x")
        new.append(a)
    obj = os.path.join(out, "obj", f.replace("/", "_") + ".o")
    new += ["-c", path, "-o", obj]
    r = subprocess.run(new, cwd=e["directory"], capture_output=True,
                       text=True)
    if r.returncode:
        failed += 1
        print("FAIL %s" % f)
        print(r.stderr)
    else:
        print("ok   %s (s390x)" % f)
sys.exit(1 if failed else 0)
EOF
