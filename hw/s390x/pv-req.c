/*
 * s390x Protected Virtualization: attestation and add-secret requests
 *
 * Key slots, sealing and opening of request control blocks, the
 * attestation measurement and the extension-secret derivation, shared by
 * the software Ultravisor and the host tools.  nettle does the crypto.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <nettle/gcm.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include "qemu/bswap.h"
#include "hw/s390x/pv-req.h"

int s390_pv_secret_value_len(uint16_t type)
{
    switch (type) {
    case S390_PV_SECRET_NULL:
        return 0;
    case S390_PV_SECRET_PLAIN:
        return -2;
    case S390_PV_SECRET_AES_128:
        return 16;
    case S390_PV_SECRET_AES_192:
        return 24;
    case S390_PV_SECRET_ASSOC:
    case S390_PV_SECRET_AES_256:
    case S390_PV_SECRET_AES_XTS_128:
    case S390_PV_SECRET_EC_P256:
    case S390_PV_SECRET_ED25519:
        return 32;
    case S390_PV_SECRET_EC_P384:
        return 48;
    case S390_PV_SECRET_AES_XTS_256:
    case S390_PV_SECRET_HMAC_256:
    case S390_PV_SECRET_ED448:
        return 64;
    case S390_PV_SECRET_EC_P521:
        return 80;
    case S390_PV_SECRET_HMAC_512:
        return 128;
    default:
        /* reserved, and update-CCK (no customer key to update here) */
        return -1;
    }
}

bool s390_pv_req_decrypt(const uint8_t *req, uint32_t enc_off, uint32_t sea,
                         const uint8_t key[32], uint8_t *plain)
{
    struct gcm_aes256_ctx gcm;
    uint8_t tag[16];
    bool ok;

    gcm_aes256_set_key(&gcm, key);
    gcm_aes256_set_iv(&gcm, S390_PV_SE_IV_LEN, req + S390_PV_REQ_OFF_IV);
    gcm_aes256_update(&gcm, enc_off, req);
    gcm_aes256_decrypt(&gcm, sea, plain, req + enc_off);
    gcm_aes256_digest(&gcm, sizeof(tag), tag);
    ok = memeql_sec(tag, req + enc_off + sea, sizeof(tag));
    if (!ok) {
        s390_pv_se_wipe(plain, sea);
    }
    s390_pv_se_wipe(&gcm, sizeof(gcm));
    return ok;
}

bool s390_pv_req_open(const uint8_t *req, uint32_t cust_off,
                      uint32_t slots_off, uint32_t nks, uint32_t enc_off,
                      uint32_t sea, const S390PVKey *keys, int nr_keys,
                      uint8_t *plain, const S390PVKey **used)
{
    uint8_t pkey[S390_PV_REQ_KEY_LEN];
    const S390PVKey *key;
    bool ok;

    if (s390_pv_slot_unwrap(req + slots_off, nks, req + cust_off, keys,
                            nr_keys, pkey, &key) != S390_PV_SLOT_OK) {
        return false;
    }
    ok = s390_pv_req_decrypt(req, enc_off, sea, pkey, plain);
    s390_pv_se_wipe(pkey, sizeof(pkey));
    if (ok && used) {
        *used = key;
    }
    return ok;
}

bool s390_pv_req_seal(uint8_t *req, uint32_t cust_off, uint32_t slots_off,
                      const S390PVKey *host_keys, int nr_host_keys,
                      const S390PVKey *cust, const uint8_t key[32],
                      uint32_t enc_off, const uint8_t *plain, uint32_t sea,
                      Error **errp)
{
    const uint32_t pad = S390_PV_SE_COORD_FIELD - S390_PV_SE_COORD_LEN;
    struct gcm_aes256_ctx gcm;
    int i;

    if (!cust->has_priv || nr_host_keys < 1) {
        error_setg(errp, "a request needs a host key and a customer key");
        return false;
    }
    memset(req + cust_off, 0, S390_PV_REQ_CUST_LEN);
    memcpy(req + cust_off + pad, cust->x, S390_PV_SE_COORD_LEN);
    memcpy(req + cust_off + S390_PV_SE_COORD_FIELD + pad, cust->y,
           S390_PV_SE_COORD_LEN);
    for (i = 0; i < nr_host_keys; i++) {
        if (!s390_pv_slot_wrap(cust, &host_keys[i], key, req + slots_off +
                               i * S390_PV_REQ_SLOT_LEN)) {
            error_setg(errp, "host key %d is not a P-521 point", i);
            return false;
        }
    }
    gcm_aes256_set_key(&gcm, key);
    gcm_aes256_set_iv(&gcm, S390_PV_SE_IV_LEN, req + S390_PV_REQ_OFF_IV);
    gcm_aes256_update(&gcm, enc_off, req);
    gcm_aes256_encrypt(&gcm, sea, req + enc_off, plain);
    gcm_aes256_digest(&gcm, S390_PV_REQ_TAG_LEN, req + enc_off + sea);
    s390_pv_se_wipe(&gcm, sizeof(gcm));
    return true;
}

void s390_pv_att_measure(const uint8_t key[S390_PV_ATT_KEY_LEN],
                         const S390PVAttInputs *in,
                         uint8_t out[S390_PV_ATT_MEAS_LEN])
{
    struct hmac_sha512_ctx h;
    uint8_t lens[8];

    stw_be_p(lens, in->user_len);
    stw_be_p(lens + 2, 0);
    stl_be_p(lens + 4, in->add_len);
    hmac_sha512_set_key(&h, S390_PV_ATT_KEY_LEN, key);
    hmac_sha512_update(&h, S390_PV_TAGS_LEN, in->tags);
    hmac_sha512_update(&h, S390_PV_ATT_CUID_LEN, in->cuid);
    hmac_sha512_update(&h, sizeof(lens), lens);
    hmac_sha512_update(&h, in->user_len, in->user);
    if (in->nonce) {
        hmac_sha512_update(&h, S390_PV_ATT_NONCE_LEN, in->nonce);
    }
    hmac_sha512_update(&h, in->add_len, in->add);
    hmac_sha512_digest(&h, S390_PV_ATT_MEAS_LEN, out);
    s390_pv_se_wipe(&h, sizeof(h));
}

uint32_t s390_pv_att_add_len(uint64_t paf)
{
    return (paf & S390_PV_PAF_PHKH_IMG ? 32 : 0) +
           (paf & S390_PV_PAF_PHKH_ATT ? 32 : 0) +
           (paf & S390_PV_PAF_SECRET_HASH ? 64 : 0) +
           (paf & S390_PV_PAF_FW_STATE ? 320 : 0);
}

void s390_pv_att_add_split(uint64_t paf, const uint8_t *add,
                           S390PVAttAdd *out)
{
    memset(out, 0, sizeof(*out));
    if (paf & S390_PV_PAF_PHKH_IMG) {
        out->image_phkh = add;
        add += 32;
    }
    if (paf & S390_PV_PAF_PHKH_ATT) {
        out->att_phkh = add;
        add += 32;
    }
    if (paf & S390_PV_PAF_SECRET_HASH) {
        out->secret_hash = add;
    }
}

void s390_pv_ext_secret_derive(const uint8_t cck[32], const uint8_t tag[16],
                               uint8_t out[S390_PV_EXT_SECRET_LEN])
{
    s390_pv_hkdf_sha512(tag, 16, cck, 32, S390_PV_EXT_SECRET_INFO, out,
                        S390_PV_EXT_SECRET_LEN);
}

bool s390_pv_arcb_layout(const uint8_t *arcb, uint32_t len, uint32_t *enc_off,
                         uint32_t *sea, uint64_t *paf)
{
    uint32_t nks, want = S390_PV_ATT_KEY_LEN;

    if (len < S390_PV_ARCB_OFF_SLOTS ||
        ldl_be_p(arcb + S390_PV_REQ_OFF_VERSION) != S390_PV_REQ_VERSION ||
        ldl_be_p(arcb + S390_PV_REQ_OFF_LEN) != len) {
        return false;
    }
    nks = arcb[S390_PV_REQ_OFF_NKS];
    *paf = ldq_be_p(arcb + S390_PV_ARCB_OFF_PAF);
    *sea = ldl_be_p(arcb + S390_PV_REQ_OFF_SEA);
    *enc_off = S390_PV_ARCB_OFF_SLOTS + nks * S390_PV_REQ_SLOT_LEN;
    if (*paf & S390_PV_PAF_NONCE) {
        want += S390_PV_ATT_NONCE_LEN;
    }
    return nks && *sea == want &&
           (uint64_t)*enc_off + *sea + S390_PV_REQ_TAG_LEN == len;
}

uint8_t *s390_pv_arcb_build(const S390PVKey *hosts, int nr_hosts,
                            const S390PVKey *cust, const uint8_t key[32],
                            const uint8_t iv[S390_PV_SE_IV_LEN], uint64_t paf,
                            const uint8_t meas_key[S390_PV_ATT_KEY_LEN],
                            const uint8_t *nonce, uint32_t *len,
                            Error **errp)
{
    uint8_t plain[S390_PV_ATT_KEY_LEN + S390_PV_ATT_NONCE_LEN];
    uint32_t sea = S390_PV_ATT_KEY_LEN + (nonce ? S390_PV_ATT_NONCE_LEN : 0);
    uint32_t enc = S390_PV_ARCB_OFF_SLOTS + nr_hosts * S390_PV_REQ_SLOT_LEN;
    uint8_t *req;

    if (nr_hosts < 1 || nr_hosts > 255) {
        error_setg(errp, "an attestation request takes 1 to 255 host keys");
        return NULL;
    }
    if (nonce) {
        paf |= S390_PV_PAF_NONCE;
    } else {
        paf &= ~S390_PV_PAF_NONCE;
    }
    *len = enc + sea + S390_PV_REQ_TAG_LEN;
    req = g_malloc0(*len);
    stl_be_p(req + S390_PV_REQ_OFF_VERSION, S390_PV_REQ_VERSION);
    stl_be_p(req + S390_PV_REQ_OFF_LEN, *len);
    memcpy(req + S390_PV_REQ_OFF_IV, iv, S390_PV_SE_IV_LEN);
    req[S390_PV_REQ_OFF_NKS] = nr_hosts;
    stl_be_p(req + S390_PV_REQ_OFF_SEA, sea);
    stq_be_p(req + S390_PV_ARCB_OFF_PAF, paf);
    stl_be_p(req + S390_PV_ARCB_OFF_MAI, S390_PV_ARCB_MAI_HMAC_SHA512);
    memcpy(plain, meas_key, S390_PV_ATT_KEY_LEN);
    if (nonce) {
        memcpy(plain + S390_PV_ATT_KEY_LEN, nonce, S390_PV_ATT_NONCE_LEN);
    }
    if (!s390_pv_req_seal(req, S390_PV_ARCB_OFF_CUST, S390_PV_ARCB_OFF_SLOTS,
                          hosts, nr_hosts, cust, key, enc, plain, sea,
                          errp)) {
        g_free(req);
        req = NULL;
    }
    s390_pv_se_wipe(plain, sizeof(plain));
    return req;
}

uint8_t *s390_pv_asrcb_build(const S390PVAsrcbSpec *spec, uint32_t *len,
                             Error **errp)
{
    uint32_t shdr = S390_PV_ASRCB_OFF_SLOTS +
                    spec->nr_hosts * S390_PV_REQ_SLOT_LEN;
    uint32_t shdr_len = spec->type == S390_PV_SECRET_NULL ?
                        S390_PV_SECRET_HDR_META : S390_PV_SECRET_HDR_LEN;
    uint32_t sea = spec->value_len + S390_PV_EXT_SECRET_LEN;
    g_autofree uint8_t *plain = NULL;
    uint8_t *req;

    if (spec->nr_hosts < 1 || spec->nr_hosts > 255) {
        error_setg(errp, "an add-secret request takes 1 to 255 host keys");
        return NULL;
    }
    *len = shdr + shdr_len + sea + S390_PV_REQ_TAG_LEN;
    req = g_malloc0(*len);
    memcpy(req + S390_PV_REQ_OFF_MAGIC, S390_PV_ASRCB_MAGIC, 6);
    stw_be_p(req + 6, spec->user_type);
    stl_be_p(req + S390_PV_REQ_OFF_VERSION, S390_PV_REQ_VERSION);
    stl_be_p(req + S390_PV_REQ_OFF_LEN, *len);
    memcpy(req + S390_PV_REQ_OFF_IV, spec->iv, S390_PV_SE_IV_LEN);
    req[S390_PV_REQ_OFF_NKS] = spec->nr_hosts;
    stl_be_p(req + S390_PV_REQ_OFF_SEA, sea);
    stq_be_p(req + S390_PV_ASRCB_OFF_PCF, spec->pcf);
    memcpy(req + S390_PV_ASRCB_OFF_TAGS, spec->tags, sizeof(spec->tags));
    memcpy(req + S390_PV_ASRCB_OFF_CUID, spec->cuid, sizeof(spec->cuid));
    memcpy(req + S390_PV_ASRCB_OFF_USER, spec->user, sizeof(spec->user));
    stw_be_p(req + shdr + S390_PV_SECRET_OFF_TYPE, spec->type);
    stl_be_p(req + shdr + S390_PV_SECRET_OFF_LEN, spec->value_len);
    if (spec->type != S390_PV_SECRET_NULL) {
        memcpy(req + shdr + S390_PV_SECRET_OFF_ID, spec->id,
               S390_PV_SECRET_ID_LEN);
    }
    plain = g_malloc0(sea);
    if (spec->value_len) {
        memcpy(plain, spec->value, spec->value_len);
    }
    memcpy(plain + spec->value_len, spec->ext, S390_PV_EXT_SECRET_LEN);
    if (!s390_pv_req_seal(req, S390_PV_ASRCB_OFF_CUST, S390_PV_ASRCB_OFF_SLOTS,
                          spec->hosts, spec->nr_hosts, spec->cust, spec->key,
                          shdr + shdr_len, plain, sea, errp)) {
        g_free(req);
        req = NULL;
    }
    s390_pv_se_wipe(plain, sea);
    return req;
}
