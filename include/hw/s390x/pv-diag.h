/*
 * s390x Protected Virtualization: diag 308 subcodes 8, 9 and 10
 *
 * The state the guest builds up with those subcodes, and the rules, apart
 * from any CPU or machine: guest memory is reached through a callback,
 * so that the code can be unit-tested and fuzzed on its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_S390X_PV_DIAG_H
#define HW_S390X_PV_DIAG_H

#include "hw/s390x/pv-iplb.h"

/*
 * Read (@is_write false) or write @len bytes of the guest's operand at
 * absolute address @addr.  Returns 0, or non-zero when the operand cannot
 * be accessed.
 */
typedef int (*S390PVOperandRW)(void *opaque, uint64_t addr, void *buf,
                               int len, bool is_write);

typedef struct S390PVDiag {
    /*
     * Subcode 8: the last block that passed every check.  A block is
     * parsed into a copy of its own and committed only once it is valid,
     * so an invalid one never changes what is stored.
     */
    S390PVIplBlock *iplb;
    bool iplb_valid;
    /*
     * Subcode 10: the block the protect reset works on, copied when the
     * guest asked for it, so that nothing a CPU does in the meantime can
     * change it.  At most one protect is in flight.
     */
    S390PVIplBlock *protect_iplb;
    bool protect_pending;
    /* Register r1 of the pending subcode 10: the response goes to r1 + 1 */
    int r1;
} S390PVDiag;

/* What subcode 10 does next */
typedef enum S390PVStart {
    S390_PV_START_RESPOND,  /* the guest goes on with the response */
    S390_PV_START_PROTECT,  /* request the protect reset */
    S390_PV_START_JOIN,     /* another CPU's protect is in flight: stop */
} S390PVStart;

void s390_pv_diag_init(S390PVDiag *d);
void s390_pv_diag_cleanup(S390PVDiag *d);

/*
 * Subcodes 8 (set) and 9 (store) at @addr, which passed the architected
 * alignment checks.  Each returns 0 with the response for r1 + 1 in
 * @resp, or the program interruption code the instruction ends with when
 * the operand cannot be accessed.
 */
int s390_pv_diag_set(S390PVDiag *d, S390PVOperandRW rw, void *opaque,
                     uint64_t addr, uint64_t ram_size, uint64_t *resp);
int s390_pv_diag_store(S390PVDiag *d, S390PVOperandRW rw, void *opaque,
                       uint64_t addr, uint64_t *resp);

/* Subcode 10 with register @r1: snapshot the stored block, or respond. */
S390PVStart s390_pv_diag_start(S390PVDiag *d, int r1, uint64_t *resp);

/* Another reset replaced the protect reset: no protect is pending. */
void s390_pv_diag_cancel(S390PVDiag *d);

/*
 * The protect reset takes the snapshot (NULL if none is pending: the
 * response is then in @resp).
 */
const S390PVIplBlock *s390_pv_diag_take_protect(S390PVDiag *d,
                                                uint64_t *resp);

#endif
