/*
 * s390x Protected Virtualization: the software Ultravisor (TCG backend)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_S390X_PV_SW_H
#define HW_S390X_PV_SW_H

#include "hw/s390x/pv-uv.h"
#include "hw/s390x/pv-se.h"

/*
 * The Ultravisor rewrote guest memory [@addr, @addr + @len) behind the
 * CPUs' back: TCG must drop the translations of exactly those pages, and
 * dirty tracking must see them.
 */
typedef void (*S390PVMemoryChanged)(void *opaque, uint64_t addr,
                                    uint64_t len);

/*
 * A software Ultravisor over guest memory at @ram (@ram_size bytes from
 * guest absolute address 0), trusting the host keys @keys.
 * @memory_changed, if set, is called with @opaque for every range of
 * pages the Ultravisor changed.
 */
S390PVBackend *s390_pv_sw_backend_new(const S390PVKey *keys, int nr_keys,
                                      uint8_t *ram, uint64_t ram_size,
                                      S390PVMemoryChanged memory_changed,
                                      void *opaque);

/* The opened header of the last set-secure-parameters, or NULL */
const S390PVHeader *s390_pv_sw_header(S390PVBackend *be);

#endif
