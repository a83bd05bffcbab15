# QEMU's own checkpatch.pl (from the base tree) is clean on every patch in
# patches/ and every C, header and assembly file we carry.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

"$TOP/build-aux/checkpatch.sh" "$TOP" "$BUILD/src"
