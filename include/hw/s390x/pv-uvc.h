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
#define S390_PV_UVC_ATTEST              0x1020
#define S390_PV_UVC_ADD_SECRET          0x1031
#define S390_PV_UVC_LIST_SECRETS        0x1033
#define S390_PV_UVC_LOCK_SECRETS        0x1034
#define S390_PV_UVC_RETR_SECRET         0x1035
#define S390_PV_UVC_BIT_ATTEST          28
#define S390_PV_UVC_BIT_ADD_SECRET      29
#define S390_PV_UVC_BIT_LIST_SECRETS    30
#define S390_PV_UVC_BIT_LOCK_SECRETS    31
#define S390_PV_UVC_BIT_RETR_SECRET     33

/* General return codes */
#define S390_PV_UVC_RC_OK               0x0001
#define S390_PV_UVC_RC_INV_CMD          0x0002
#define S390_PV_UVC_RC_INV_LEN          0x0005
#define S390_PV_UVC_RC_MORE_DATA        0x0100
/* Set/Remove Shared Access: the page is not guest storage */
#define S390_PV_UVC_RC_SHARE_ADDR       0x0101

/* Retrieve Attestation Measurement */
#define S390_PV_ATT_RC_TOKEN            0x0101  /* continuation token not 0 */
#define S390_PV_ATT_RC_USER_LEN         0x0102  /* user data > 256 bytes */
#define S390_PV_ATT_RC_ARCB_ACCESS      0x0103
#define S390_PV_ATT_RC_MEAS_ACCESS      0x0104
#define S390_PV_ATT_RC_ADD_ACCESS       0x0105
#define S390_PV_ATT_RC_VERSION          0x0106
#define S390_PV_ATT_RC_LEN              0x0107  /* ARCB length */
#define S390_PV_ATT_RC_NKS              0x0108
#define S390_PV_ATT_RC_SEA              0x0109
#define S390_PV_ATT_RC_PAF              0x010a
#define S390_PV_ATT_RC_MAI              0x010b
#define S390_PV_ATT_RC_DECRYPT          0x010c
#define S390_PV_ATT_RC_MEAS_LEN         0x010d
#define S390_PV_ATT_RC_ADD_LEN          0x010e

/* Add Secret */
#define S390_PV_ADD_RC_LOCKED           0x0102
#define S390_PV_ADD_RC_ACCESS           0x0103
#define S390_PV_ADD_RC_VERSION          0x0104
#define S390_PV_ADD_RC_SIZE             0x0105
#define S390_PV_ADD_RC_NKS              0x0106
#define S390_PV_ADD_RC_FLAGS            0x0107
#define S390_PV_ADD_RC_DECRYPT          0x0108
#define S390_PV_ADD_RC_TYPE             0x0109
#define S390_PV_ADD_RC_TYPE_LEN         0x010a
#define S390_PV_ADD_RC_FULL             0x010b
#define S390_PV_ADD_RC_CANNOT           0x010c
/* ... and why it cannot (ours) */
#define S390_PV_ADD_RRC_TAGS            0x0001  /* for another image */
#define S390_PV_ADD_RRC_CUID            0x0002  /* for another boot */
#define S390_PV_ADD_RRC_EXT             0x0003  /* other extension secret */

/* Lock Secret Store */
#define S390_PV_LOCK_RC_LOCKED          0x0102

/* List Secrets: the output page is not accessible (ours) */
#define S390_PV_LIST_RC_ACCESS          0x0103

/* Retrieve Secret */
#define S390_PV_RETR_RC_ACCESS          0x0102
#define S390_PV_RETR_RC_BUF_LEN         0x0109
#define S390_PV_RETR_RC_EMPTY           0x010f
#define S390_PV_RETR_RC_INDEX           0x0110
#define S390_PV_RETR_RC_NOT_RETR        0x0111

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
#define S390_PV_QUERY_OFF_ATT_VER       0xe0
#define S390_PV_QUERY_OFF_ATT_PAF       0xe8
#define S390_PV_QUERY_OFF_ADD_VER       0xf8
#define S390_PV_QUERY_OFF_ADD_PCF       0x100
#define S390_PV_QUERY_OFF_SECRET_TYPES  0x108
#define S390_PV_QUERY_OFF_MAX_ASSOC     0x110
#define S390_PV_QUERY_OFF_MAX_RETR      0x112

/* Retrieve Attestation Measurement: exactly 0x188 bytes */
#define S390_PV_ATT_LEN                 0x188
#define S390_PV_ATT_OFF_ARCB            0x018
#define S390_PV_ATT_OFF_TOKEN           0x020
#define S390_PV_ATT_OFF_USER_LEN        0x02e
#define S390_PV_ATT_OFF_USER            0x030
#define S390_PV_ATT_OFF_MEAS_LEN        0x13c
#define S390_PV_ATT_OFF_MEAS            0x140
#define S390_PV_ATT_OFF_CUID            0x148
#define S390_PV_ATT_OFF_ADD_LEN         0x15c
#define S390_PV_ATT_OFF_ADD             0x160

/* Add / List / Retrieve Secret: 0x48 bytes; Lock: 0x40 */
#define S390_PV_SECRET_UVCB_LEN         0x48
#define S390_PV_LOCK_UVCB_LEN           0x40
#define S390_PV_ADD_OFF_ASRCB           0x20
#define S390_PV_LIST_OFF_START          0x1e
#define S390_PV_LIST_OFF_PAGE           0x20
#define S390_PV_RETR_OFF_INDEX          0x18
#define S390_PV_RETR_OFF_SIZE           0x1c
#define S390_PV_RETR_OFF_BUF            0x20
/* Limits of the software Ultravisor's secret store */
#define S390_PV_MAX_ASSOC_SECRETS       32
#define S390_PV_MAX_RETR_SECRETS        32
#define S390_PV_RETR_WKVP_LEN           32  /* after a retrieved key */

/* Set / Remove Shared Access: 0x30 bytes, the page address at 0x20 */
#define S390_PV_SHARE_LEN               0x30
#define S390_PV_SHARE_OFF_ADDR          0x20

/* The largest UVCB part a guest call reads or stores */
#define S390_PV_UVCB_MAX                S390_PV_ATT_LEN

/* What the UV call with header @hdr reads and stores */
typedef struct S390PVUvcAccess {
    uint32_t fetch;     /* bytes of the UVCB the call reads, >= 8 */
    uint32_t store;     /* bytes it stores back, from offset 0, >= 8 */
} S390PVUvcAccess;

#endif
