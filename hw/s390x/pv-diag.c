/*
 * s390x Protected Virtualization: diag 308 subcodes 8, 9 and 10
 *
 * Every field comes from the guest and is read once: the length, bounded,
 * then the block, which is checked as a copy and committed only whole.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "hw/s390x/pv-diag.h"
#include "hw/s390x/pv-uv.h"
#include "trace.h"

/* Program interruption code of an inaccessible operand */
#define PV_DIAG_PGM_ADDRESSING  0x0005

void s390_pv_diag_init(S390PVDiag *d)
{
    memset(d, 0, sizeof(*d));
    d->iplb = g_new0(S390PVIplBlock, 1);
    d->protect_iplb = g_new0(S390PVIplBlock, 1);
}

void s390_pv_diag_cleanup(S390PVDiag *d)
{
    g_free(d->iplb);
    g_free(d->protect_iplb);
    memset(d, 0, sizeof(*d));
}

int s390_pv_diag_set(S390PVDiag *d, S390PVOperandRW rw, void *opaque,
                     uint64_t addr, uint64_t ram_size, uint64_t *resp)
{
    g_autofree uint8_t *buf = NULL;
    g_autofree S390PVIplBlock *blk = NULL;
    Error *err = NULL;
    uint8_t lenbuf[4];
    uint32_t len;

    if (rw(opaque, addr, lenbuf, sizeof(lenbuf), false)) {
        return PV_DIAG_PGM_ADDRESSING;
    }
    len = s390_pv_iplb_read_len(lenbuf);
    if (len < S390_PV_IPLB_MIN_LEN || len > S390_PV_IPLB_MAX_LEN) {
        trace_s390_pv_iplb_invalid("length out of range");
        qemu_log_mask(LOG_GUEST_ERROR, "diag 308 subcode 8: PV IPL block "
                      "length %u outside [%u, %u]\n", len,
                      S390_PV_IPLB_MIN_LEN, S390_PV_IPLB_MAX_LEN);
        *resp = S390_PV_DIAG308_RC_INVALID;
        return 0;
    }
    /*
     * The block is read once, after its bounded length: the parser sees
     * that copy only, and checks that its length field still agrees.
     */
    buf = g_malloc(len);
    if (rw(opaque, addr, buf, len, false)) {
        return PV_DIAG_PGM_ADDRESSING;
    }
    blk = g_new0(S390PVIplBlock, 1);
    if (!s390_pv_iplb_parse(buf, len, ram_size, blk, &err)) {
        trace_s390_pv_iplb_invalid(error_get_pretty(err));
        qemu_log_mask(LOG_GUEST_ERROR, "diag 308 subcode 8: invalid PV IPL "
                      "block: %s\n", error_get_pretty(err));
        error_free(err);
        *resp = S390_PV_DIAG308_RC_INVALID;
        return 0;
    }
    /* Only a block that passed every check replaces the stored one. */
    memcpy(d->iplb, blk, sizeof(*blk));
    d->iplb_valid = true;
    trace_s390_pv_iplb_set(blk->num_comp, blk->hdr_addr, blk->hdr_len);
    *resp = S390_PV_DIAG308_RC_OK;
    return 0;
}

int s390_pv_diag_store(S390PVDiag *d, S390PVOperandRW rw, void *opaque,
                       uint64_t addr, uint64_t *resp)
{
    if (!d->iplb_valid) {
        *resp = S390_PV_DIAG308_RC_NO_CONF;
        return 0;
    }
    if (rw(opaque, addr, d->iplb->raw, d->iplb->len, true)) {
        return PV_DIAG_PGM_ADDRESSING;
    }
    *resp = S390_PV_DIAG308_RC_OK;
    return 0;
}

S390PVStart s390_pv_diag_start(S390PVDiag *d, int r1, uint64_t *resp)
{
    if (d->protect_pending) {
        /* Another CPU's protect reset will reset this CPU too. */
        return S390_PV_START_JOIN;
    }
    if (!d->iplb_valid) {
        *resp = S390_PV_DIAG308_RC_NO_PV_CONF;
        return S390_PV_START_RESPOND;
    }
    memcpy(d->protect_iplb, d->iplb, sizeof(*d->iplb));
    d->protect_pending = true;
    d->r1 = r1;
    return S390_PV_START_PROTECT;
}

void s390_pv_diag_cancel(S390PVDiag *d)
{
    d->protect_pending = false;
}

const S390PVIplBlock *s390_pv_diag_take_protect(S390PVDiag *d,
                                                uint64_t *resp)
{
    if (!d->protect_pending) {
        *resp = S390_PV_DIAG308_RC_NO_PV_CONF;
        return NULL;
    }
    d->protect_pending = false;
    return d->protect_iplb;
}
