# s390-pvimg refuses bad input with one line and exit status 1, and
# leaves no output file behind.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

out=$T/out.img
openssl req -x509 -new -key "$KEYS/host-p384.pem" -nodes -days 30 \
    -subj "/CN=p384" -out "$T/p384.crt" 2>/dev/null || fail "openssl"
: >"$T/empty"
head -c 1000 /dev/zero >"$T/small"
echo garbage >"$T/garbage.crt"

bad() {
    want=$1
    shift
    expect_error "$want" "$PVIMG" "$@"
    ls "$T"/out.img* 2>/dev/null && fail "an output file was left behind"
    true
}

bad "Failed to open file" --no-verify -k "$KEYS/host.crt" \
    -i "$T/nonexistent" -o "$out"
bad "Failed to open file" --no-verify -k "$T/nonexistent.crt" -i "$TINY" \
    -o "$out"
bad "host-key document $T/p384.crt: curve secp384r1, need secp521r1" \
    --no-verify -k "$T/p384.crt" -i "$TINY" -o "$out"
bad "host-key document $T/garbage.crt: not an X.509 certificate" \
    --no-verify -k "$T/garbage.crt" -i "$TINY" -o "$out"
bad "kernel $T/empty is empty" --no-verify -k "$KEYS/host.crt" \
    -i "$T/empty" -o "$out"
bad "smaller than 64 KiB" --no-verify -k "$KEYS/host.crt" -i "$T/small" \
    -o "$out"
bad "Either specify the IBM Z signing key and intermediate CA certificate by using the '--cert' option, or use the '--no-verify' flag" \
    -k "$KEYS/host.crt" -i "$TINY" -o "$out"
bad "need -k HOST_KEY_DOCUMENT" --no-verify -i "$TINY" -o "$out"
bad "component key $T/small: 1000 bytes, need 64" --no-verify \
    -k "$KEYS/host.crt" -i "$TINY" --x-comp-key "$T/small" -o "$out"
# 50 key slots: the header would overlap the components
set -- --no-verify -i "$TINY" -o "$out"
i=0
while [ $i -lt 50 ]; do
    set -- "$@" -k "$KEYS/host.crt"
    i=$((i + 1))
done
bad "50 host keys make the SE header too large" "$@"
bad "no Secure Execution header found" info "$TINY"
