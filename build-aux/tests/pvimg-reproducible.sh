# With all --x-* keys given, s390-pvimg's output is reproducible; without
# them it is not; "info" prints the fields that were put in.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

fixed_keys "$T"
echo "a=b c" >"$T/parm"
head -c 7000 /dev/zero >"$T/initrd"
for n in 1 2; do
    "$PVIMG" --no-verify -k "$KEYS/host.crt" -i "$TINY" -r "$T/initrd" \
        -p "$T/parm" --x-pcf 0x20000000 --x-comp-key "$T/comp.key" \
        --x-header-key "$T/header.key" --x-comm-key "$T/comm.key" \
        -o "$T/img$n" || fail "s390-pvimg failed"
done
cmp "$T/img1" "$T/img2" || fail "two runs with fixed keys differ"
for n in 3 4; do
    "$PVIMG" --no-verify -k "$KEYS/host.crt" -i "$TINY" -o "$T/img$n" ||
        fail "s390-pvimg failed"
done
cmp -s "$T/img3" "$T/img4" && fail "two runs with random keys are identical"

"$PVIMG" info "$T/img1" >"$T/info" || fail "info failed"
cat "$T/info"
grep -q '^version      0x100$' "$T/info" || fail "info: version"
grep -q '^nks          1$' "$T/info" || fail "info: nks"
grep -q '^sea          128$' "$T/info" || fail "info: sea"
grep -q '^pcf          0x20000000$' "$T/info" || fail "info: pcf"
# kernel 18 + cmdline 1 + initrd 2 + stage3b 2 pages
grep -q '^nep          23$' "$T/info" || fail "info: nep"
grep -q '^components   4$' "$T/info" || fail "info: components"
grep -q '^  0: tweak 0x0000[0-9a-f]* addr 0x00015000 size 0x12000$' \
    "$T/info" || fail "info: kernel component"
grep -q '^  3: tweak 0x0003' "$T/info" || fail "info: stage3b component"
# the key slot is for the host key's hash
openssl x509 -in "$KEYS/host.crt" -noout >/dev/null || fail "openssl"

# Same pinned keys, different inputs: the header's IV, the customer key
# and the tweak prefixes differ (no GCM nonce or XTS tweak reuse); the
# same input still gives the same image (checked above).
cp "$TINY" "$T/kernel2"
printf 'x' | dd of="$T/kernel2" bs=1 seek=70000 conv=notrunc 2>/dev/null
"$PVIMG" --no-verify -k "$KEYS/host.crt" -i "$T/kernel2" -r "$T/initrd" \
    -p "$T/parm" --x-pcf 0x20000000 --x-comp-key "$T/comp.key" \
    --x-header-key "$T/header.key" --x-comm-key "$T/comm.key" \
    -o "$T/img5" || fail "s390-pvimg failed"
"$PVIMG" info "$T/img5" >"$T/info5" || fail "info failed"
for f in iv cust-pub-x; do
    a=$(grep "^$f " "$T/info") b=$(grep "^$f " "$T/info5")
    [ -n "$a" ] || fail "info prints no $f"
    [ "$a" != "$b" ] || fail "two kernels, same keys: same $f ($a)"
done
t1=$(grep -o 'tweak 0x[0-9a-f]*' "$T/info" | sort)
t5=$(grep -o 'tweak 0x[0-9a-f]*' "$T/info5" | sort)
[ -n "$t1" ] || fail "info prints no tweaks"
echo "$t1" "$t5" | tr ' ' '\n' | grep '^0x' | sort | uniq -d | grep -q . &&
    fail "two kernels, same keys: a tweak prefix repeats"
echo "ok: different inputs under the same keys share no IV, key or tweak"
