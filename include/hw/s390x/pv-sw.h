/*
 * s390x Protected Virtualization: the software Ultravisor (TCG backend)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_S390X_PV_SW_H
#define HW_S390X_PV_SW_H

#include "hw/s390x/pv-uv.h"
#include "hw/s390x/pv-se.h"

/* How the software Ultravisor works on guest memory; both optional. */
typedef struct S390PVSwMemoryOps {
    /*
     * Make guest pages [@addr, @addr + @len) read as zero without writing
     * them (discard their backing: no memory is committed for pages that
     * were never used).  False if it could not: the Ultravisor then
     * writes zeros.
     */
    bool (*zero)(void *opaque, uint64_t addr, uint64_t len);
    /*
     * The Ultravisor changed guest pages [@addr, @addr + @len) behind the
     * CPUs' back (decrypted or zeroed them): TCG must drop the
     * translations of exactly those pages, and dirty tracking must see
     * them.
     */
    void (*changed)(void *opaque, uint64_t addr, uint64_t len);
} S390PVSwMemoryOps;

/*
 * A software Ultravisor over guest memory at @ram (@ram_size bytes from
 * guest absolute address 0), trusting the host keys @keys; @mops (may be
 * NULL) is called with @opaque.
 */
S390PVBackend *s390_pv_sw_backend_new(const S390PVKey *keys, int nr_keys,
                                      uint8_t *ram, uint64_t ram_size,
                                      const S390PVSwMemoryOps *mops,
                                      void *opaque);

/* The opened header of the last set-secure-parameters, or NULL */
const S390PVHeader *s390_pv_sw_header(S390PVBackend *be);

#endif
