# The binary says it is QEMU 10.0.x with our series.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

v=$("$BUILD/qemu/qemu-system-s390x" -version | head -n 1)
echo "$v"
echo "$v" | grep -Eq '^QEMU emulator version 10\.0\.[0-9]+ \(' ||
    fail "not a QEMU 10.0.x binary"
echo "$v" | grep -q 's390x-pv series ' || fail "our series is not named"
