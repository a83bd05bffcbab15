# Tampered images and the wrong host key fail: stage3a prints the whole
# diag 308 response (cmd, rc, rrc) and stops in disabled wait 0x4608.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

fixed_keys "$T"
"$PVIMG" --no-verify -k "$KEYS/host.crt" -i "$TINY" -p /dev/null \
    --x-comp-key "$T/comp.key" --x-header-key "$T/header.key" \
    --x-comm-key "$T/comm.key" -o "$T/good.img" || fail "s390-pvimg failed"

# flip OFFSET: a copy of the image with one bit flipped at OFFSET
flip() {
    cp "$T/good.img" "$T/bad.img"
    b=$(od -An -tu1 -j "$1" -N1 "$T/bad.img" | tr -d ' ')
    printf "$(printf '\\%03o' $((b ^ 1)))" |
        dd of="$T/bad.img" bs=1 seek="$1" conv=notrunc 2>/dev/null
}

expect() {
    what=$1
    resp=$2
    shift 2
    grep -q "stage3a: diag 308 subcode 10 failed: response 0x$resp" \
        "$T/console" || { cat "$T/console"; fail "$what: not response 0x$resp"; }
    grep -q "PSW: 0x0002000180000000 0x0000000000004608" "$T/console" ||
        { cat "$T/console"; fail "$what: no disabled wait 0x4608"; }
    grep -q TINY-KERNEL-OK "$T/console" && fail "$what: the kernel ran"
    [ "$(cat "$T/status")" = 1 ] ||
        fail "$what: QEMU exited $(cat "$T/status"), want 1"
    echo "ok: $what: $(grep 'subcode 10 failed' "$T/console")"
}

boot_pv "$T/good.img" "$KEYS/host-sec1.pem"
grep -q TINY-KERNEL-OK "$T/console" || fail "the untampered image does not boot"
[ "$(cat "$T/status")" = 0 ] ||
    fail "the untampered image: QEMU exited $(cat "$T/status"), want 0"

# one byte of a component (the kernel, past its low core): PLD, rrc 0x1b
flip $((0x15000 + 0x11000))
boot_pv "$T/bad.img" "$KEYS/host-sec1.pem"
expect "component byte" 0004001b01020a02

# the header's plaintext part (its page list digest): GCM, rrc 0x42
flip $((0x14000 + 0xe0))
boot_pv "$T/bad.img" "$KEYS/host-sec1.pem"
expect "header plaintext" 0002004201080a02

# the header's encrypted part
flip $((0x14000 + 0x1a0 + 80 + 0x20))
boot_pv "$T/bad.img" "$KEYS/host-sec1.pem"
expect "header secret part" 0002004201080a02

# the IPL block's component table (tweak prefix of the cmdline): TLD
flip $((0x13000 + 0x88 + 24 + 7))
boot_pv "$T/bad.img" "$KEYS/host-sec1.pem"
expect "IPL block component table" 0004001c01020a02

# the wrong host key: no key slot, rc 0x0108 rrc 0x0005
boot_pv "$T/good.img" "$KEYS/other-host.pem"
expect "wrong host key" 0002000501080a02
grep -q "(cmd 0002 rc 0x0108 rrc 0x0005)" "$T/console" ||
    fail "stage3a did not decode cmd/rc/rrc"
grep -q "^qemu-system-s390x: Protected Virtualization: .*rc 0x108.*: please check whether the image is correctly encrypted for this host$" \
    "$T/console" || { cat "$T/console"; fail "no rc 0x108 hint"; }
