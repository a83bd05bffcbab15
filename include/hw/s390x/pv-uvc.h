/*
 * s390x Protected Virtualization: Ultravisor calls of a protected guest
 *
 * The UVC instruction (0xB9A4) of a protected guest under the software
 * Ultravisor: the UV call block (UVCB) formats and result codes the guest
 * sees.  Everything in a UVCB is big-endian.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_S390X_PV_UVC_H
#define HW_S390X_PV_UVC_H

/* The UVCB header: len, cmd, rc (out), rrc (out), 2 bytes each */
#define S390_PV_UVCB_HDR_LEN            8
#define S390_PV_UVCB_OFF_LEN            0x0
#define S390_PV_UVCB_OFF_CMD            0x2
#define S390_PV_UVCB_OFF_RC             0x4
#define S390_PV_UVCB_OFF_RRC            0x6

/* Guest-callable commands and their bits in Query's installed-call list */
#define S390_PV_UVC_QUERY               0x0001
#define S390_PV_UVC_SET_SHARED          0x1000
#define S390_PV_UVC_REMOVE_SHARED       0x1001
#define S390_PV_UVC_BIT_QUERY           0
#define S390_PV_UVC_BIT_SET_SHARED      8
#define S390_PV_UVC_BIT_REMOVE_SHARED   9

/* General return codes */
#define S390_PV_UVC_RC_OK               0x0001
#define S390_PV_UVC_RC_INV_CMD          0x0002
#define S390_PV_UVC_RC_INV_LEN          0x0005
#define S390_PV_UVC_RC_MORE_DATA        0x0100
/* Set/Remove Shared Access: the page is not guest storage */
#define S390_PV_UVC_RC_SHARE_ADDR       0x0101

/* Condition codes */
#define S390_PV_UVC_CC_OK               0
#define S390_PV_UVC_CC_ERROR            1

/* Query Ultravisor Information: the guest's answer, 0x120 bytes */
#define S390_PV_QUERY_MIN_LEN           0xa8
#define S390_PV_QUERY_LEN               0x120
#define S390_PV_QUERY_OFF_CALLS         0x10    /* 4 dwords, MSB-0 bits */
#define S390_PV_QUERY_OFF_MAX_CONF      0x7c
#define S390_PV_QUERY_OFF_MAX_ADDR      0x80
#define S390_PV_QUERY_OFF_MAX_CPU_ID    0x9e
#define S390_PV_QUERY_OFF_FEATURES      0xa0
#define S390_PV_QUERY_OFF_HDR_VER       0xb0
#define S390_PV_QUERY_OFF_HDR_PCF       0xb8

/* Set / Remove Shared Access: 0x30 bytes, the page address at 0x20 */
#define S390_PV_SHARE_LEN               0x30
#define S390_PV_SHARE_OFF_ADDR          0x20

/* The largest UVCB part a guest call reads or stores */
#define S390_PV_UVCB_MAX                S390_PV_QUERY_LEN

/* What the UV call with header @hdr reads and stores */
typedef struct S390PVUvcAccess {
    uint32_t fetch;     /* bytes of the UVCB the call reads, >= 8 */
    uint32_t store;     /* bytes it stores back, from offset 0, >= 8 */
} S390PVUvcAccess;

#endif
