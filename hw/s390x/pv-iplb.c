/*
 * s390x Protected Virtualization: checking the PV IPL parameter block
 *
 * Nothing here touches guest memory or machine state, so that every rule
 * can be unit-tested with blocks built in memory.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/s390x/pv-iplb.h"

uint32_t s390_pv_iplb_read_len(const uint8_t *buf)
{
    return ldl_be_p(buf + S390_PV_IPLB_OFF_LEN);
}

/* Is [addr, addr + size) inside guest memory?  Overflow-safe. */
static bool range_in_ram(uint64_t addr, uint64_t size, uint64_t ram_size)
{
    return addr < ram_size && size <= ram_size - addr;
}

bool s390_pv_iplb_parse(const uint8_t *buf, uint32_t len, uint64_t ram_size,
                        S390PVIplBlock *out, Error **errp)
{
    uint32_t pb0_len, n, i;
    const uint8_t *c;

    if (len < S390_PV_IPLB_MIN_LEN || len > S390_PV_IPLB_MAX_LEN) {
        error_setg(errp, "block length %u outside [%u, %u]", len,
                   S390_PV_IPLB_MIN_LEN, S390_PV_IPLB_MAX_LEN);
        return false;
    }
    if (s390_pv_iplb_read_len(buf) != len) {
        error_setg(errp, "block length field %u does not match %u",
                   s390_pv_iplb_read_len(buf), len);
        return false;
    }
    if (buf[S390_PV_IPLB_OFF_PBT] != S390_PV_IPLB_PBT) {
        error_setg(errp, "parameter block type %u is not PV (%u)",
                   buf[S390_PV_IPLB_OFF_PBT], S390_PV_IPLB_PBT);
        return false;
    }

    n = ldl_be_p(buf + S390_PV_IPLB_OFF_NUM_COMP);
    if (n == 0) {
        error_setg(errp, "no components");
        return false;
    }
    /* Bound the component table by the block before reading it. */
    if (n > (len - S390_PV_IPLB_OFF_COMP) / S390_PV_IPLB_COMP_SIZE) {
        error_setg(errp, "%u components do not fit in a block of %u bytes",
                   n, len);
        return false;
    }
    pb0_len = ldl_be_p(buf + S390_PV_IPLB_OFF_PB0_LEN);
    if (pb0_len != S390_PV_IPLB_PB0_BASE + n * S390_PV_IPLB_COMP_SIZE) {
        error_setg(errp, "parameter block length %u does not match %u "
                   "components", pb0_len, n);
        return false;
    }

    out->len = len;
    out->version = buf[S390_PV_IPLB_OFF_VERSION];
    out->pv_version = buf[S390_PV_IPLB_OFF_PV_VERSION];
    out->num_comp = n;
    out->hdr_addr = ldq_be_p(buf + S390_PV_IPLB_OFF_HDR_ADDR);
    out->hdr_len = ldq_be_p(buf + S390_PV_IPLB_OFF_HDR_LEN);

    if (out->hdr_len == 0 || out->hdr_len > S390_PV_HDR_MAX_LEN) {
        error_setg(errp, "SE header length %" PRIu64 " outside [1, %u]",
                   out->hdr_len, S390_PV_HDR_MAX_LEN);
        return false;
    }
    if (!range_in_ram(out->hdr_addr, out->hdr_len, ram_size)) {
        error_setg(errp, "SE header at 0x%" PRIx64 " (+0x%" PRIx64
                   ") is outside guest memory", out->hdr_addr, out->hdr_len);
        return false;
    }

    for (i = 0, c = buf + S390_PV_IPLB_OFF_COMP; i < n;
         i++, c += S390_PV_IPLB_COMP_SIZE) {
        S390PVComponent *comp = &out->comp[i];

        comp->tweak_pref = ldq_be_p(c);
        comp->addr = ldq_be_p(c + 8);
        comp->size = ldq_be_p(c + 16);

        if (comp->addr & (S390_PV_PAGE_SIZE - 1)) {
            error_setg(errp, "component %u address 0x%" PRIx64
                       " is not page aligned", i, comp->addr);
            return false;
        }
        if (comp->size == 0) {
            error_setg(errp, "component %u is empty", i);
            return false;
        }
        /* The Ultravisor unpacks whole pages: check the rounded size. */
        if (comp->size > UINT64_MAX - (S390_PV_PAGE_SIZE - 1) ||
            !range_in_ram(comp->addr, s390_pv_comp_pages_size(comp),
                          ram_size)) {
            error_setg(errp, "component %u at 0x%" PRIx64 " (+0x%" PRIx64
                       ") is outside guest memory", i, comp->addr,
                       comp->size);
            return false;
        }
        if (i > 0 && comp->tweak_pref <= out->comp[i - 1].tweak_pref) {
            error_setg(errp, "component %u tweak prefix 0x%" PRIx64
                       " does not increase", i, comp->tweak_pref);
            return false;
        }
    }

    memcpy(out->raw, buf, len);
    return true;
}
