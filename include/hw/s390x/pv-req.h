/*
 * s390x Protected Virtualization: attestation and add-secret requests
 *
 * The request control blocks a protected guest hands the Ultravisor
 * (ARCB for Retrieve Attestation Measurement, ASRCB for Add Secret) are
 * built on a trusted machine by s390-pvattest / s390-pvsecret (or
 * s390-tools' pvattest / pvsecret).  Both share one layout: a 48-byte
 * header, plaintext fields, the customer's public key, one key slot per
 * host key (the SE header's scheme), an AES-256-GCM encrypted area and
 * its tag; every byte before the encrypted area is authenticated.  This
 * code is shared by the software Ultravisor and the host tools.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_S390X_PV_REQ_H
#define HW_S390X_PV_REQ_H

#include "hw/s390x/pv-se.h"

/* The common header (all big-endian) */
#define S390_PV_REQ_OFF_MAGIC       0x00
#define S390_PV_REQ_OFF_VERSION     0x08
#define S390_PV_REQ_OFF_LEN         0x0c
#define S390_PV_REQ_OFF_IV          0x10
#define S390_PV_REQ_OFF_NKS         0x27
#define S390_PV_REQ_OFF_SEA         0x2c
#define S390_PV_REQ_HDR_LEN         0x30
#define S390_PV_REQ_VERSION         0x100
#define S390_PV_REQ_SLOT_LEN        80
#define S390_PV_REQ_TAG_LEN         16
#define S390_PV_REQ_KEY_LEN         32      /* the protection key */
#define S390_PV_REQ_CUST_LEN        160     /* X80 || Y80 */

/* Attestation request control block, version 1 */
#define S390_PV_ARCB_OFF_PAF        0x30
#define S390_PV_ARCB_OFF_MAI        0x38
#define S390_PV_ARCB_OFF_CUST       0x40
#define S390_PV_ARCB_OFF_SLOTS      0xe0
#define S390_PV_ARCB_MAI_HMAC_SHA512 1
#define S390_PV_ARCB_MAX_LEN        0x100000
#define S390_PV_ATT_KEY_LEN         64      /* the measurement key */
#define S390_PV_ATT_NONCE_LEN       16
#define S390_PV_ATT_MEAS_LEN        64      /* HMAC-SHA512 */
#define S390_PV_ATT_USER_MAX        256
#define S390_PV_ATT_CUID_LEN        16

/* Plaintext attestation flags (MSB-0 bit numbers) */
#define S390_PV_PAF_NONCE           (1ULL << 62)    /* bit 1 */
#define S390_PV_PAF_PHKH_IMG        (1ULL << 61)    /* bit 2: 32 bytes */
#define S390_PV_PAF_PHKH_ATT        (1ULL << 60)    /* bit 3: 32 bytes */
#define S390_PV_PAF_SECRET_HASH     (1ULL << 59)    /* bit 4: 64 bytes */
#define S390_PV_PAF_FW_STATE        (1ULL << 58)    /* bit 5: 320 bytes */
/* What the software Ultravisor measures: everything but firmware state */
#define S390_PV_PAF_SUPPORTED       (S390_PV_PAF_NONCE | \
                                     S390_PV_PAF_PHKH_IMG | \
                                     S390_PV_PAF_PHKH_ATT | \
                                     S390_PV_PAF_SECRET_HASH)

/* Add-secret request control block, version 1 */
#define S390_PV_ASRCB_MAGIC         "asrcbM"        /* + BE16 user-data type */
#define S390_PV_ASRCB_OFF_PCF       0x030
#define S390_PV_ASRCB_OFF_TAGS      0x038   /* PLD, ALD, TLD, header tag */
#define S390_PV_ASRCB_OFF_CUID      0x108
#define S390_PV_ASRCB_OFF_USER      0x218
#define S390_PV_ASRCB_USER_LEN      512
#define S390_PV_ASRCB_OFF_CUST      0x418
#define S390_PV_ASRCB_OFF_SLOTS     0x4b8
#define S390_PV_ASRCB_MAX_LEN       0x100000
#define S390_PV_ASRCB_PCF_NO_DUMP   (1ULL << 63)    /* bit 0 */
#define S390_PV_ASRCB_PCF_KNOWN     S390_PV_ASRCB_PCF_NO_DUMP
#define S390_PV_EXT_SECRET_LEN      32
#define S390_PV_EXT_SECRET_INFO     "IBM Z Ultravisor Add-Secret"

/* The secret header that follows the key slots */
#define S390_PV_SECRET_HDR_META     0x10    /* type 1: no ID */
#define S390_PV_SECRET_HDR_LEN      0x30    /* the others: + 32-byte ID */
#define S390_PV_SECRET_OFF_TYPE     0x02
#define S390_PV_SECRET_OFF_LEN      0x04
#define S390_PV_SECRET_OFF_ID       0x10
#define S390_PV_SECRET_ID_LEN       32

/* Secret types */
#define S390_PV_SECRET_NULL         0x01    /* meta: flags only */
#define S390_PV_SECRET_ASSOC        0x02
#define S390_PV_SECRET_PLAIN        0x03
#define S390_PV_SECRET_AES_128      0x04
#define S390_PV_SECRET_AES_192      0x05
#define S390_PV_SECRET_AES_256      0x06
#define S390_PV_SECRET_AES_XTS_128  0x07
#define S390_PV_SECRET_AES_XTS_256  0x08
#define S390_PV_SECRET_HMAC_256     0x09
#define S390_PV_SECRET_HMAC_512     0x0a
#define S390_PV_SECRET_EC_P256      0x11
#define S390_PV_SECRET_EC_P384      0x12
#define S390_PV_SECRET_EC_P521      0x13
#define S390_PV_SECRET_ED25519      0x14
#define S390_PV_SECRET_ED448        0x15
#define S390_PV_SECRET_UPDATE_CCK   0x16
#define S390_PV_SECRET_PLAIN_MAX    8190    /* value, without its BE16 len */

/* List Secrets: a 4 KiB page, a 16-byte header then 48-byte entries */
#define S390_PV_LIST_LEN            4096
#define S390_PV_LIST_OFF_NUM        0x00
#define S390_PV_LIST_OFF_TOTAL      0x02
#define S390_PV_LIST_OFF_NEXT       0x04
#define S390_PV_LIST_HDR_LEN        0x10
#define S390_PV_LIST_ENTRY_LEN      0x30
#define S390_PV_LIST_MAX_ENTRIES    85

/*
 * Value size of a secret of @type in an add-secret request, 0 for a type
 * without a value (meta), -1 for a type the software Ultravisor does not
 * take; plaintext secrets (size varies) give -2.
 */
int s390_pv_secret_value_len(uint16_t type);

/*
 * Find the key slot of @req (nks slots at @slots_off) made for one of
 * @keys, unwrap the protection key and decrypt the @sea bytes at @enc_off
 * into @plain, authenticating everything before @enc_off and checking
 * the tag after the encrypted area.  The customer public key is at
 * @cust_off.  @used is the key that opened it.  False if no slot is for
 * these keys, the customer key is bad or nothing authenticates.
 */
bool s390_pv_req_open(const uint8_t *req, uint32_t cust_off,
                      uint32_t slots_off, uint32_t nks, uint32_t enc_off,
                      uint32_t sea, const S390PVKey *keys, int nr_keys,
                      uint8_t *plain, const S390PVKey **used);

/* Decrypt a request with its protection key @key (the requester's side) */
bool s390_pv_req_decrypt(const uint8_t *req, uint32_t enc_off, uint32_t sea,
                         const uint8_t key[32], uint8_t *plain);

/*
 * Seal a request: @req has its header, plaintext fields and IV in place
 * and room for everything; this writes the customer public key of
 * @cust (with its private half), one slot per host key, the encrypted
 * @plain (@sea bytes at @enc_off) and the tag.
 */
bool s390_pv_req_seal(uint8_t *req, uint32_t cust_off, uint32_t slots_off,
                      const S390PVKey *host_keys, int nr_host_keys,
                      const S390PVKey *cust, const uint8_t key[32],
                      uint32_t enc_off, const uint8_t *plain, uint32_t sea,
                      Error **errp);

/*
 * The layout of the ARCB at @arcb (@len bytes): version 1, at least one
 * key slot, an encrypted area of the measurement key (and the nonce with
 * flag bit 1), all adding up to @len.  Its offset, size and the flags.
 */
bool s390_pv_arcb_layout(const uint8_t *arcb, uint32_t len, uint32_t *enc_off,
                         uint32_t *sea, uint64_t *paf);

/*
 * Build an ARCB for @nr_hosts host keys: measurement key @meas_key, with
 * @nonce (16 bytes) when given, protection key @key, IV @iv, customer key
 * @cust (fresh per request).  Returns the request (g_free) and its length.
 */
uint8_t *s390_pv_arcb_build(const S390PVKey *hosts, int nr_hosts,
                            const S390PVKey *cust, const uint8_t key[32],
                            const uint8_t iv[S390_PV_SE_IV_LEN], uint64_t paf,
                            const uint8_t meas_key[S390_PV_ATT_KEY_LEN],
                            const uint8_t *nonce, uint32_t *len,
                            Error **errp);

/* What an add-secret request carries */
typedef struct S390PVAsrcbSpec {
    const S390PVKey *hosts;
    int nr_hosts;
    const S390PVKey *cust;
    uint8_t key[32];                    /* protection key */
    uint8_t iv[S390_PV_SE_IV_LEN];
    uint64_t pcf;
    uint8_t tags[3 * 64 + 16];          /* of the target SE header */
    uint8_t cuid[16];                   /* 0: any boot */
    uint16_t user_type;                 /* 0: no user data */
    uint8_t user[S390_PV_ASRCB_USER_LEN];
    uint16_t type;
    uint8_t id[S390_PV_SECRET_ID_LEN];
    const uint8_t *value;               /* as the Ultravisor takes it */
    uint32_t value_len;
    uint8_t ext[S390_PV_EXT_SECRET_LEN];
} S390PVAsrcbSpec;

uint8_t *s390_pv_asrcb_build(const S390PVAsrcbSpec *spec, uint32_t *len,
                             Error **errp);

/* What one attestation measurement covers */
typedef struct S390PVAttInputs {
    const uint8_t *tags;        /* PLD, ALD, TLD (64 each), header tag */
    const uint8_t *cuid;        /* 16 bytes */
    const uint8_t *user;
    uint16_t user_len;
    const uint8_t *nonce;       /* 16 bytes, or NULL */
    const uint8_t *add;
    uint32_t add_len;
} S390PVAttInputs;

#define S390_PV_TAGS_LEN            (3 * 64 + 16)

/* HMAC-SHA512 under the measurement key, in the documented order */
void s390_pv_att_measure(const uint8_t key[S390_PV_ATT_KEY_LEN],
                         const S390PVAttInputs *in,
                         uint8_t out[S390_PV_ATT_MEAS_LEN]);

/* Additional data that the flags @paf ask for, in bytes */
uint32_t s390_pv_att_add_len(uint64_t paf);

/* The items of additional data @add (s390_pv_att_add_len(@paf) bytes) */
typedef struct S390PVAttAdd {
    const uint8_t *image_phkh;      /* 32 bytes, or NULL */
    const uint8_t *att_phkh;        /* 32 bytes, or NULL */
    const uint8_t *secret_hash;     /* 64 bytes, or NULL */
} S390PVAttAdd;

void s390_pv_att_add_split(uint64_t paf, const uint8_t *add,
                           S390PVAttAdd *out);

/* HKDF-SHA512(CCK, salt = header tag, "IBM Z Ultravisor Add-Secret") */
void s390_pv_ext_secret_derive(const uint8_t cck[32], const uint8_t tag[16],
                               uint8_t out[S390_PV_EXT_SECRET_LEN]);

#endif
