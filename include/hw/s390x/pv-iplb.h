/*
 * s390x Protected Virtualization: the PV IPL parameter block
 *
 * The guest hands the block to diag 308 subcode 8.  Every field is
 * big-endian and untrusted; s390_pv_iplb_parse() converts it to host
 * order and checks it before anything else looks at it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_S390X_PV_IPLB_H
#define HW_S390X_PV_IPLB_H

#include "qapi/error.h"

/* Offsets into the block (all fields big-endian). */
#define S390_PV_IPLB_OFF_LEN        0x00    /* u32 total length */
#define S390_PV_IPLB_OFF_VERSION    0x07    /* u8 */
#define S390_PV_IPLB_OFF_PB0_LEN    0x08    /* u32: 0x80 + 24 * n */
#define S390_PV_IPLB_OFF_PBT        0x0c    /* u8: parameter block type */
#define S390_PV_IPLB_OFF_PV_VERSION 0x6f    /* u8 */
#define S390_PV_IPLB_OFF_NUM_COMP   0x74    /* u32 */
#define S390_PV_IPLB_OFF_HDR_ADDR   0x78    /* u64 */
#define S390_PV_IPLB_OFF_HDR_LEN    0x80    /* u64 */
#define S390_PV_IPLB_OFF_COMP       0x88    /* n * {tweak, addr, size} */

#define S390_PV_IPLB_PBT            5
#define S390_PV_IPLB_PB0_BASE       0x80
#define S390_PV_IPLB_COMP_SIZE      24
/* The block is at most one page (the size of the IPL parameter area). */
#define S390_PV_IPLB_MAX_LEN        4096
#define S390_PV_IPLB_MIN_LEN        (S390_PV_IPLB_OFF_COMP + \
                                     S390_PV_IPLB_COMP_SIZE)
#define S390_PV_IPLB_MAX_COMP       ((S390_PV_IPLB_MAX_LEN - \
                                      S390_PV_IPLB_OFF_COMP) / \
                                     S390_PV_IPLB_COMP_SIZE)
/* The Ultravisor takes an SE header of at most 8 KiB. */
#define S390_PV_HDR_MAX_LEN         8192
#define S390_PV_PAGE_SIZE           4096ULL

typedef struct S390PVComponent {
    uint64_t tweak_pref;
    uint64_t addr;
    uint64_t size;
} S390PVComponent;

/* A checked PV IPL block, in host byte order. */
typedef struct S390PVIplBlock {
    uint32_t len;
    uint8_t version;
    uint8_t pv_version;
    uint64_t hdr_addr;
    uint64_t hdr_len;
    uint32_t num_comp;
    S390PVComponent comp[S390_PV_IPLB_MAX_COMP];
    /* The block as the guest gave it (big-endian), for diag 308 subcode 9 */
    uint8_t raw[S390_PV_IPLB_MAX_LEN];
} S390PVIplBlock;

/**
 * s390_pv_iplb_read_len: the total length field of a block
 * @buf: at least 4 bytes, as read from the guest
 */
uint32_t s390_pv_iplb_read_len(const uint8_t *buf);

/**
 * s390_pv_iplb_parse: check a PV IPL block and convert it to host order
 * @buf: the block, @len bytes, exactly as in guest memory (big-endian)
 * @len: the block's length field, already bounded by the caller to
 *       [S390_PV_IPLB_MIN_LEN, S390_PV_IPLB_MAX_LEN] (anything else fails)
 * @ram_size: guest memory size; every address and length must fit in it
 * @out: filled on success
 * @errp: says which rule the block broke
 *
 * Returns: true if the block is valid.
 */
bool s390_pv_iplb_parse(const uint8_t *buf, uint32_t len, uint64_t ram_size,
                        S390PVIplBlock *out, Error **errp);

/* Size of component @c once rounded up to whole pages. */
static inline uint64_t s390_pv_comp_pages_size(const S390PVComponent *c)
{
    return (c->size + S390_PV_PAGE_SIZE - 1) & ~(S390_PV_PAGE_SIZE - 1);
}

#endif
