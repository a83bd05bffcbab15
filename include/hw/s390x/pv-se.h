/*
 * s390x Protected Virtualization: the Secure Execution image format
 *
 * One definition of the SE header, its keys and the image digests, shared
 * by the software Ultravisor, the image builder and the tests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_S390X_PV_SE_H
#define HW_S390X_PV_SE_H

#include <gnutls/crypto.h>
#include "qapi/error.h"
#include "crypto/cipher.h"

#define S390_PV_SE_MAGIC            0x49424d5365634578ULL   /* "IBMSecEx" */
#define S390_PV_SE_VERSION          0x100
#define S390_PV_SE_MAX_LEN          8192

/* Offsets of the plaintext part (all big-endian) */
#define S390_PV_SE_OFF_MAGIC        0x000
#define S390_PV_SE_OFF_VERSION      0x008
#define S390_PV_SE_OFF_PHS          0x00c
#define S390_PV_SE_OFF_IV           0x010
#define S390_PV_SE_OFF_NKS          0x020
#define S390_PV_SE_OFF_SEA          0x028
#define S390_PV_SE_OFF_NEP          0x030
#define S390_PV_SE_OFF_PCF          0x038
#define S390_PV_SE_OFF_CUST_X       0x040
#define S390_PV_SE_OFF_CUST_Y       0x090
#define S390_PV_SE_OFF_PLD          0x0e0
#define S390_PV_SE_OFF_ALD          0x120
#define S390_PV_SE_OFF_TLD          0x160
#define S390_PV_SE_OFF_SLOTS        0x1a0
#define S390_PV_SE_SLOT_LEN         80
/* Offsets inside the encrypted part */
#define S390_PV_SE_ENC_CCK          0x00
#define S390_PV_SE_ENC_XTS          0x20
#define S390_PV_SE_ENC_PSW          0x60
#define S390_PV_SE_ENC_SCF          0x70
#define S390_PV_SE_ENC_NOI          0x78
#define S390_PV_SE_SEA_V1           0x80
#define S390_PV_SE_IV_LEN           12
#define S390_PV_SE_TAG_LEN          16

#define S390_PV_SE_COORD_LEN        66      /* a P-521 coordinate */
#define S390_PV_SE_COORD_FIELD      80      /* as stored, right-aligned */

/* Plaintext control flags */
#define S390_PV_PCF_ALLOW_DUMP      0x20000000ULL
/* PCKMO DEA/TDEA, AES and ECC keys allowed: genprotimg's default */
#define S390_PV_PCF_PCKMO           0x000000e0ULL
#define S390_PV_PCF_PCKMO_HMAC      0x00000010ULL
#define S390_PV_PCF_BACKUP_KEYS     0x00000002ULL
#define S390_PV_PCF_NO_DECRYPT      0x10000000ULL
#define S390_PV_PCF_KNOWN           0x300000f2ULL
/* Secret control flags */
/* bit 1: add-secret requests carry the extension secret derived from the CCK */
#define S390_PV_SCF_CCK_EXT_SECRET  0x4000000000000000ULL
#define S390_PV_SCF_KNOWN           0x6000000000000000ULL

#define S390_PV_SE_PAGE             4096

/*
 * Ultravisor results of set-secure-parameters, unpack and verify.  Codes
 * marked (ours) are not published; see docs/system/s390x/protvirt.rst.
 */
#define S390_PV_RC_INVALID_STATE    0x0003
#define S390_PV_RC_VERIFY           0x0102
#define S390_PV_RRC_VERIFY_ALD      0x1a
#define S390_PV_RRC_VERIFY_PLD      0x1b
#define S390_PV_RRC_VERIFY_TLD      0x1c
#define S390_PV_RRC_VERIFY_NEP      0x1d
#define S390_PV_RC_HDR_VERSION      0x0104
#define S390_PV_RRC_VERSION         0x01
#define S390_PV_RRC_MAGIC           0x02    /* (ours) */
#define S390_PV_RC_PCF              0x0106
#define S390_PV_RRC_PCF             0x30
#define S390_PV_RC_KEY              0x0108
#define S390_PV_RRC_NO_SLOT         0x05
#define S390_PV_RRC_CUST_KEY        0x0b
#define S390_PV_RRC_SLOT_TAG        0x41    /* (ours) */
#define S390_PV_RRC_HDR_TAG         0x42    /* (ours) */
#define S390_PV_RC_SCF              0x0109
#define S390_PV_RC_HDR_LEN          0x010a
#define S390_PV_RRC_HDR_LEN         0x31
#define S390_PV_RRC_SEA             0x39
#define S390_PV_RRC_NKS             0x40
#define S390_PV_RRC_NOI             0x3a    /* (ours) */
#define S390_PV_RC_UNPACK           0x0200  /* (ours) */
#define S390_PV_RRC_UNPACK_RANGE    0x01
#define S390_PV_RRC_UNPACK_AGAIN    0x02
#define S390_PV_RRC_UNPACK_ORDER    0x03
#define S390_PV_RRC_UNPACK_ALIGN    0x04

/* An EC P-521 key: private scalar (may be absent) and public point. */
typedef struct S390PVKey {
    bool has_priv;
    uint8_t priv[S390_PV_SE_COORD_LEN];
    uint8_t x[S390_PV_SE_COORD_LEN];
    uint8_t y[S390_PV_SE_COORD_LEN];
    uint8_t phkh[32];           /* SHA-256(X80 || Y80) */
} S390PVKey;

/* An opened SE header, host byte order. */
typedef struct S390PVHeader {
    uint32_t version;
    uint32_t phs;
    uint64_t nks;
    uint64_t sea;
    uint64_t nep;
    uint64_t pcf;
    uint8_t pld[64];
    uint8_t ald[64];
    uint8_t tld[64];
    uint8_t tag[S390_PV_SE_TAG_LEN];    /* the header's GCM tag */
    uint8_t phkh[32];           /* of the host key that opened it */
    /* from the encrypted part */
    uint8_t cck[32];
    uint8_t xts_key[64];
    uint64_t psw_mask;
    uint64_t psw_addr;
    uint64_t scf;
    uint32_t noi;
} S390PVHeader;

/*
 * Running digests over the pages of an image, SHA-512 through gnutls (the
 * fastest implementation Debian's libraries have).  init starts them,
 * final ends them; abandon ends them without a result.
 */
typedef struct S390PVDigests {
    gnutls_hash_hd_t pld;
    gnutls_hash_hd_t ald;
    gnutls_hash_hd_t tld;
    bool live;
    uint64_t nep;
} S390PVDigests;

/* What the image builder puts in a header. */
typedef struct S390PVHeaderSpec {
    const S390PVKey *host_keys;     /* one key slot each */
    int nr_host_keys;
    const S390PVKey *cust_key;      /* with its private half */
    uint8_t header_key[32];
    uint8_t iv[S390_PV_SE_IV_LEN];
    uint8_t cck[32];
    uint8_t xts_key[64];
    uint64_t psw_mask;
    uint64_t psw_addr;
    uint64_t pcf;
    uint64_t scf;
    uint64_t nep;
    uint8_t pld[64];
    uint8_t ald[64];
    uint8_t tld[64];
} S390PVHeaderSpec;

/* Wipe secrets. */
void s390_pv_se_wipe(void *p, size_t len);

/* Keys */
/*
 * A big-endian integer (e.g. from gnutls, which may prefix a 0 byte) as a
 * right-aligned P-521 coordinate; false if it does not fit.
 */
bool s390_pv_coord_from_be(uint8_t out[S390_PV_SE_COORD_LEN],
                           const uint8_t *p, size_t len);
bool s390_pv_key_load_pem(const char *file, S390PVKey *key, Error **errp);
bool s390_pv_key_from_priv(const uint8_t priv[S390_PV_SE_COORD_LEN],
                           S390PVKey *key, Error **errp);
bool s390_pv_key_set_pub(S390PVKey *key, const uint8_t *x, const uint8_t *y,
                         Error **errp);
/* SHA-256(Z || 00000001), Z = X of ECDH(@priv, @peer); false: bad peer */
bool s390_pv_exchange_key(const S390PVKey *priv, const uint8_t *peer_x,
                          const uint8_t *peer_y, uint8_t out[32]);

/*
 * Key slots (SE header, attestation and add-secret requests): 80 bytes,
 * the host key's phkh, a 32-byte key wrapped with AES-256-GCM (zero IV,
 * no AAD) under SHA-256(Z || 00000001) of ECDH between the customer key
 * and the host key, and the GCM tag.
 */
typedef enum S390PVSlotResult {
    S390_PV_SLOT_OK,
    S390_PV_SLOT_NONE,          /* no slot is for any of the keys */
    S390_PV_SLOT_CUST_KEY,      /* the customer key is no P-521 point */
    S390_PV_SLOT_TAG,           /* the slot does not authenticate */
} S390PVSlotResult;

/*
 * Find the slot among @nks at @slots for one of @keys and unwrap its key
 * with the customer public key @cust (X80 || Y80); @used is the host
 * key whose slot it was.
 */
S390PVSlotResult s390_pv_slot_unwrap(const uint8_t *slots, uint64_t nks,
                                     const uint8_t *cust,
                                     const S390PVKey *keys, int nr_keys,
                                     uint8_t wrapped_key[32],
                                     const S390PVKey **used);
/* Fill @slot for @host; false if @host is no P-521 point */
bool s390_pv_slot_wrap(const S390PVKey *cust, const S390PVKey *host,
                       const uint8_t wrapped_key[32], uint8_t *slot);

/* Digests */
void s390_pv_tweak(uint8_t tweak[16], uint64_t pref, uint64_t offset);
void s390_pv_digests_init(S390PVDigests *d);
void s390_pv_digests_abandon(S390PVDigests *d);
/* @page as it is stored in the image (the ciphertext, normally) */
/*
 * The page list digest of @n pages at @pages, and the address and tweak
 * digests of one page: together what s390_pv_digests_add() does, for a
 * caller that computes them apart (in page order each).
 */
void s390_pv_digests_add_pages(S390PVDigests *d, const uint8_t *pages,
                               uint64_t n);
void s390_pv_digests_add_meta(S390PVDigests *d, uint64_t gaddr,
                              const uint8_t tweak[16]);
/*
 * The page list digest is the slow part of building and of unpacking an
 * image, and depends on the other work only through page order.  A
 * worker thread computes it for one chunk of pages at a time while the
 * caller works on another.
 */
typedef struct S390PVHashWorker S390PVHashWorker;
S390PVHashWorker *s390_pv_hash_worker_new(S390PVDigests *d);
/*
 * Wait until the worker is done with the previous chunk, then give it @n
 * pages at @pages.
 */
void s390_pv_hash_worker_submit(S390PVHashWorker *w, const uint8_t *pages,
                                uint64_t n);
/* Wait until the worker is done with the last chunk given. */
void s390_pv_hash_worker_wait(S390PVHashWorker *w);
void s390_pv_hash_worker_free(S390PVHashWorker *w);

void s390_pv_digests_add(S390PVDigests *d, const uint8_t *page,
                         uint64_t gaddr, const uint8_t tweak[16]);
void s390_pv_digests_final(S390PVDigests *d, uint8_t pld[64],
                           uint8_t ald[64], uint8_t tld[64]);

/* One page of a component, in place: AES-256-XTS, data unit = page */
QCryptoCipher *s390_pv_xts_new(const uint8_t key[64], Error **errp);
bool s390_pv_xts_page(QCryptoCipher *xts, const uint8_t tweak[16],
                      uint8_t *page, bool encrypt, Error **errp);

/* The header's total size for @nks key slots (v1: sea = 128) */
static inline uint32_t s390_pv_se_header_len(uint64_t nks)
{
    return 0x1a0 + S390_PV_SE_SLOT_LEN * nks + S390_PV_SE_SEA_V1 +
           S390_PV_SE_TAG_LEN;
}

/*
 * Open a header as the Ultravisor does, with one of @keys.  Returns 0, or
 * -1 with the Ultravisor's rc/rrc and @errp set.
 */
int s390_pv_se_open(const uint8_t *hdr, uint64_t len, const S390PVKey *keys,
                    int nr_keys, S390PVHeader *out, uint16_t *rc,
                    uint16_t *rrc, Error **errp);

/*
 * Open a header with the key that protects it (the builder's --hdr-key),
 * not a host key: what the image owner can do.  Same checks and results.
 */
int s390_pv_se_open_with_key(const uint8_t *hdr, uint64_t len,
                             const uint8_t hdr_key[32], S390PVHeader *out,
                             Error **errp);

/* @len random bytes of gnutls's @level (keys, nonces); never fails */
void s390_pv_random(void *buf, size_t len, gnutls_rnd_level_t level);

/*
 * HKDF (RFC 5869) with HMAC-SHA-512: @out_len bytes from the input key
 * @ikm, the salt @salt and the info string @info.
 */
void s390_pv_hkdf_sha512(const uint8_t *salt, size_t salt_len,
                         const uint8_t *ikm, size_t ikm_len,
                         const char *info, uint8_t *out, size_t out_len);

/* Build a header; @out has s390_pv_se_header_len(nr_host_keys) bytes. */
bool s390_pv_se_build(const S390PVHeaderSpec *spec, uint8_t *out,
                      Error **errp);

#endif
