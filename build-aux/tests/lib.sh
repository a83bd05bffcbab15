# Helpers for the build-machinery tests (sourced).
# SPDX-License-Identifier: GPL-2.0-or-later

: "${TOP:?}" "${BUILD:?}"
T=$(mktemp -d)
# KEEP=1 keeps the scratch directory, for debugging a failed test
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT

fail() {
    echo "FAIL: $*"
    exit 1
}

# expect_error WANT-SUBSTRING CMD...: CMD must exit 1, print nothing on
# stdout and exactly one line on stderr containing WANT-SUBSTRING.
expect_error() {
    want=$1
    shift
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    [ $rc = 1 ] || fail "'$*' exited $rc, want 1 (stderr: $(cat "$T/err"))"
    [ ! -s "$T/out" ] || fail "'$*' printed on stdout: $(cat "$T/out")"
    lines=$(wc -l <"$T/err")
    [ "$lines" = 1 ] || fail "'$*' printed $lines lines on stderr, want 1: $(cat "$T/err")"
    grep -qF -- "$want" "$T/err" || fail "'$*' said '$(cat "$T/err")', want '$want'"
    echo "ok: $(cat "$T/err")"
}

# no_merged_tree DIR: a failed configure left nothing a make would build.
no_merged_tree() {
    for f in src src.tmp qemu config.stamp config.mak; do
        [ ! -e "$1/$f" ] || fail "$1/$f left behind after a failed configure"
    done
}

# --- Secure Execution images -------------------------------------------

PVIMG=$BUILD/qemu/tools/s390-pvimg
QEMU=$BUILD/qemu/qemu-system-s390x
KEYS=$TOP/tests/data/s390x-pv
TINY=$BUILD/qemu/pc-bios/s390-pv/s390-pv-test-kernel.img

# boot_pv IMAGE KEY [QEMU ARGS...]: boot under TCG with the software
# Ultravisor holding KEY; the console and QEMU's messages go to $T/console,
# QEMU's exit status to $T/status (a failed protected boot ends in a
# disabled wait: -action panic=exit-failure makes that status 1)
boot_pv() {
    img=$1
    key=$2
    shift 2
    timeout 120 "$QEMU" -M s390-ccw-virtio,confidential-guest-support=pv0 \
        -object s390-pv-guest,id=pv0,host-key="$key" -accel tcg -cpu max \
        -m 128 -nographic -nodefaults -serial none \
        -device sclpconsole,chardev=con0 -chardev stdio,id=con0,signal=off \
        -action panic=exit-failure -d guest_errors -kernel "$img" "$@" \
        </dev/null >"$T/console" 2>&1
    echo $? >"$T/status"
}

# host_key_pair KEY CRT: a fresh P-521 host key and its (self-signed)
# host-key document, for the software Ultravisor and s390-pvimg
host_key_pair() {
    openssl ecparam -name secp521r1 -genkey -noout -out "$1" ||
        fail "openssl ecparam"
    openssl req -x509 -new -key "$1" -nodes -days 30 \
        -subj "/CN=s390x PV test host" -out "$2" 2>/dev/null ||
        fail "openssl req"
}

# busybox_root DIR: an initrd tree with Debian's busybox (fetched by
# debian-guest.sh into .cache/guest); the caller adds DIR/init
busybox_root() {
    mkdir -p "$1/bin" "$1/proc" "$1/sys" "$1/dev"
    cp "$TOP/.cache/guest/busybox" "$1/bin/busybox"
    chmod 755 "$1/bin/busybox"
}

# pack_initrd DIR OUT: DIR (with an init) as a gzip'ed cpio initrd
pack_initrd() {
    chmod 755 "$1/init"
    (cd "$1" && find . | cpio -o -H newc --quiet | gzip -1) >"$2"
}

# fixed_keys DIR: the three --x-*-key files
fixed_keys() {
    printf '%064d' 0 | tr 0 C >"$1/comp.key"
    printf '%032d' 0 | tr 0 H >"$1/header.key"
    printf '%032d' 0 | tr 0 M >"$1/comm.key"
}
