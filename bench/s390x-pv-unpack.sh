#!/bin/sh
# Benchmark of the software Ultravisor (not a test): unpack + verify
# throughput of a 64 MiB component next to the crypto library's raw
# AES-256-XTS decrypt + SHA-512 throughput on the same data.
#
# Usage: bench/s390x-pv-unpack.sh   (after make)
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
cd "$(dirname "$0")/.."
make --no-print-directory overlay >/dev/null
ninja -C build/qemu tests/bench/s390x-pv-unpack-bench >/dev/null
build/qemu/tests/bench/s390x-pv-unpack-bench
