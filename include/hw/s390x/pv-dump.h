/*
 * s390x Protected Virtualization: the protected dump format
 *
 * What the Ultravisor adds to the dump of a protected guest whose image
 * allows dumping, as IBM Z's Ultravisor makes it and s390-tools'
 * zgetdump reads it: per-CPU state encrypted with AES-256-GCM under a
 * dump key, one 16-byte tweak component per guest page (pv_mem_meta),
 * and the completion data (pv_compl), which holds the AES-256-XTS key and
 * the tweak nonce the exported pages are encrypted with, itself
 * encrypted under the dump key.  The dump key is HKDF-SHA-512 of the
 * image's customer communication key (CCK), salted with the completion
 * data's seed: only the image's owner can read the dump.
 *
 * Shared by the software Ultravisor and s390-pvdump.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_S390X_PV_DUMP_H
#define HW_S390X_PV_DUMP_H

#include "hw/s390x/pv-se.h"

#define S390_PV_DUMP_VERSION        1
#define S390_PV_DUMP_KEY_INFO       "IBM Z Ultravisor Dump"
#define S390_PV_DUMP_PAGE           4096
#define S390_PV_DUMP_PAGES_PER_MIB  256

/* Completion data v1 (pv_compl), big endian */
#define S390_PV_DUMP_COMPL_LEN      288
#define S390_PV_DUMP_COMPL_AAD      96      /* version to reserved */
#define S390_PV_DUMP_COMPL_VERSION  0
#define S390_PV_DUMP_COMPL_LENGTH   4
#define S390_PV_DUMP_COMPL_SEED     16      /* 64 bytes: the HKDF salt */
#define S390_PV_DUMP_COMPL_IV       80      /* 12 bytes */
#define S390_PV_DUMP_COMPL_NONCE    96      /* encrypted from here */
#define S390_PV_DUMP_COMPL_KEY      112     /* 64 bytes, AES-256-XTS */
/*
 * The reserved rest of the encrypted area (176-271) is zero from IBM Z's
 * Ultravisor.  The software Ultravisor puts a digest of the memory it
 * exported there (ours, see protvirt.rst), after a marker.
 */
#define S390_PV_DUMP_COMPL_MD_MARK  176     /* 8 bytes */
#define S390_PV_DUMP_COMPL_MD       184     /* SHA-512 */
#define S390_PV_DUMP_MD_MARK        "QEMU-MD1"
#define S390_PV_DUMP_COMPL_TAG      272

/* NT_S390_PV_CPU_DATA v1, big endian */
#define NT_S390_PV_CPU_DATA         0x30e
#define S390_PV_DUMP_CPU_LEN        1568
#define S390_PV_DUMP_CPU_AAD        32
#define S390_PV_DUMP_CPU_VERSION    0
#define S390_PV_DUMP_CPU_LENGTH     4
#define S390_PV_DUMP_CPU_IV         8       /* 12 bytes */
#define S390_PV_DUMP_CPU_AREA       32      /* encrypted from here */
#define S390_PV_DUMP_CPU_AREA_LEN   1520
#define S390_PV_DUMP_CPU_TAG        1552
/* Offsets inside the encrypted CPU area */
#define S390_PV_CPU_GPRS            0       /* 16 x 8 */
#define S390_PV_CPU_PSW             128     /* mask, address */
#define S390_PV_CPU_PREFIX          152
#define S390_PV_CPU_FPC             156
#define S390_PV_CPU_TODPR           164
#define S390_PV_CPU_TIMER           168
#define S390_PV_CPU_CKC             176
#define S390_PV_CPU_ACRS            192     /* 16 x 4 */
#define S390_PV_CPU_CRS             256     /* 16 x 8 */
#define S390_PV_CPU_VRS             384     /* 32 x 16, FPR i = VR i's left */
#define S390_PV_CPU_GSD             1416
#define S390_PV_CPU_GSSM            1424
#define S390_PV_CPU_GS_EPL          1432
#define S390_PV_CPU_FLAGS           1504    /* 0x8000: partial instruction */

/* Tweak components (pv_mem_meta): 16 bytes a page */
#define S390_PV_DUMP_TC_LEN         16
#define S390_PV_DUMP_TC_SPECIAL     0xffffffffU     /* in the first word */
#define S390_PV_DUMP_TC_ZERO        0x01            /* flags, last byte */
#define S390_PV_DUMP_TC_SHARED      0x02
#define S390_PV_DUMP_TC_MAPPED      0x04

typedef enum S390PVPageState {
    S390_PV_PAGE_ENCRYPTED,     /* decrypt with its tweak */
    S390_PV_PAGE_ZERO,          /* zeros, whatever the dump holds */
    S390_PV_PAGE_SHARED,        /* in the clear */
    S390_PV_PAGE_INVALID,
} S390PVPageState;

/* The dump key: HKDF-SHA-512(CCK, salt = seed, info), 32 bytes */
void s390_pv_dump_key(const uint8_t cck[32], const uint8_t seed[64],
                      uint8_t key[32]);

/*
 * Encrypt (seal) or decrypt and authenticate (open) the area of a piece
 * of dump data in place: @buf is @len bytes, its first @aad_len bytes the
 * associated data, the 12-byte IV at @iv_off, the tag in the last 16
 * bytes.  Open returns false if the tag does not match (wrong key, or
 * the piece was changed); @buf's area is then wiped.
 */
void s390_pv_dump_seal(const uint8_t key[32], uint8_t *buf, size_t len,
                       size_t aad_len, size_t iv_off);
bool s390_pv_dump_open(const uint8_t key[32], uint8_t *buf, size_t len,
                       size_t aad_len, size_t iv_off);

/* A page's XTS tweak: its tweak component OR the dump's nonce */
void s390_pv_dump_tweak(const uint8_t comp[16], const uint8_t nonce[16],
                        uint8_t tweak[16]);

/* The tweak component of an exported page: its frame number */
void s390_pv_dump_tc_page(uint8_t comp[16], uint64_t pfn);
/* A special component: @flags of S390_PV_DUMP_TC_* */
void s390_pv_dump_tc_special(uint8_t comp[16], uint8_t flags);
/* What a component (from the dump: untrusted) says of its page */
S390PVPageState s390_pv_dump_page_state(const uint8_t comp[16]);

#endif
