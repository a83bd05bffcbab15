# The KVM backend and every file we change for PV compile for an s390x
# host with KVM (the x86 build never compiles the KVM-only code).
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

"$TOP/build-aux/s390x-kvm-check.sh" "$TOP" "$BUILD"
