# Debian 12's s390x kernel with a busybox initrd boots to userspace under
# TCG with the built binary and firmware (the README's demo), and the
# marker proves the initrd and the command line arrived.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

"$TOP/build-aux/demo.sh" "$TOP" "$BUILD" >"$T/demo.out" 2>&1 ||
    fail "demo failed: $(tail -n 20 "$T/demo.out")"
cat "$T/demo.out"
grep -q '^GUEST-USERSPACE-OK initrd=busybox marker=demo-' "$T/demo.out" ||
    fail "no userspace marker"
grep -q '^kernel: 6\.1\.' "$T/demo.out" || fail "not Debian 12's 6.1 kernel"
