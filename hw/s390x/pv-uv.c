/*
 * s390x Protected Virtualization: helpers shared by every backend
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "hw/s390x/pv-uv.h"
#include "hw/s390x/pv-iplb.h"
#include "trace.h"

const char *s390_pv_cmd_name(uint16_t cmd)
{
    static const char *const names[S390_PV_CMD__MAX] = {
        [S390_PV_CMD_ENABLE] = "KVM_PV_ENABLE",
        [S390_PV_CMD_DISABLE] = "KVM_PV_DISABLE",
        [S390_PV_CMD_SET_SEC_PARMS] = "KVM_PV_SET_SEC_PARMS",
        [S390_PV_CMD_UNPACK] = "KVM_PV_UNPACK",
        [S390_PV_CMD_VERIFY] = "KVM_PV_VERIFY",
        [S390_PV_CMD_PREP_RESET] = "KVM_PV_PREP_RESET",
        [S390_PV_CMD_UNSHARE_ALL] = "KVM_PV_UNSHARE_ALL",
        [S390_PV_CMD_INFO] = "KVM_PV_INFO",
        [S390_PV_CMD_DUMP] = "KVM_PV_DUMP",
        [S390_PV_CMD_ASYNC_CLEANUP_PREPARE] = "KVM_PV_ASYNC_CLEANUP_PREPARE",
        [S390_PV_CMD_ASYNC_CLEANUP_PERFORM] = "KVM_PV_ASYNC_CLEANUP_PERFORM",
    };

    return cmd < S390_PV_CMD__MAX ? names[cmd] : "unknown";
}

uint64_t s390_pv_diag308_failure(const S390PVResult *res)
{
    return ((uint64_t)res->cmd << 48) | ((uint64_t)res->rrc << 32) |
           ((uint64_t)res->rc << 16) | S390_PV_DIAG308_RC_INVAL_FOR_PV;
}

/* Refuse a guest bigger than the Ultravisor can protect. */
static bool pv_check_limits(const S390PVInfo *info, uint32_t max_cpus,
                            uint64_t ram_size, Error **errp)
{
    if (!info->valid) {
        return true;
    }
    if (max_cpus > info->max_cpus) {
        error_setg(errp, "the Ultravisor protects at most %u CPUs, the "
                   "guest has %u", info->max_cpus, max_cpus);
        return false;
    }
    if (ram_size && ram_size - 1 > info->max_guest_addr) {
        error_setg(errp, "the Ultravisor protects guest memory up to "
                   "0x%" PRIx64 ", the guest has 0x%" PRIx64 " bytes",
                   info->max_guest_addr, ram_size);
        return false;
    }
    return true;
}

int s390_pv_uv_protect(S390PVBackend *be, const S390PVIplBlock *iplb,
                       const void *hdr, uint32_t max_cpus,
                       uint64_t ram_size, S390PVInfo *info,
                       S390PVResult *res, Error **errp)
{
    const S390PVBackendOps *ops = be->ops;
    uint32_t i;

    memset(res, 0, sizeof(*res));
    if (ops->enable(be, res, errp) < 0) {
        return -1;
    }
    trace_s390_pv_step("enable", 0, 0);
    if (ops->info(be, info, errp) < 0 ||
        !pv_check_limits(info, max_cpus, ram_size, errp)) {
        res->cmd = S390_PV_CMD_INFO;
        res->rc = 0;
        res->rrc = 0;
        goto undo;
    }
    if (ops->set_sec_parms(be, hdr, iplb->hdr_len, res, errp) < 0) {
        goto undo;
    }
    trace_s390_pv_step("set-sec-parms", iplb->hdr_addr, iplb->hdr_len);
    for (i = 0; i < iplb->num_comp; i++) {
        const S390PVComponent *c = &iplb->comp[i];

        if (ops->unpack(be, c->addr, s390_pv_comp_pages_size(c),
                        c->tweak_pref, res, errp) < 0) {
            goto undo;
        }
        res->pages += s390_pv_comp_pages_size(c) / S390_PV_PAGE_SIZE;
        trace_s390_pv_step("unpack", c->addr, s390_pv_comp_pages_size(c));
    }
    if (ops->verify(be, res, errp) < 0) {
        goto undo;
    }
    trace_s390_pv_step("verify", 0, 0);
    return 0;

undo:
    /* The secure configuration goes; the failure stays in @res. */
    ops->disable(be, NULL, NULL);
    return -1;
}
