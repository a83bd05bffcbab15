/*
 * s390x Protected Virtualization: attestation and the secret store of the
 * software Ultravisor
 *
 * A protected guest proves what it booted with Retrieve Attestation
 * Measurement: the Ultravisor opens the attestation request (ARCB) with
 * a host key and returns an HMAC-SHA512, under the request's measurement
 * key, over the running image's SE-header tags, this boot's
 * configuration unique ID (CUID), the guest's user data, the request's
 * nonce and the additional data it asked for.  Add Secret opens an
 * add-secret request (ASRCB) bound to the image (and optionally to one
 * boot by its CUID) and keeps its secret for the guest to list and, for
 * retrievable types, retrieve; Lock ends adding.  The store lives as
 * long as one protected boot: every reset empties it.
 *
 * Result codes follow docs/system/s390x/protvirt.rst ("Attestation and
 * secrets"); where the firmware's codes or order are not public, ours
 * are documented there.
 *
 * Guest buffers are read before and written after the store's lock is
 * held: a guest access may take the BQL, which QMP holds when it asks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <gnutls/crypto.h>
#include <nettle/aes.h>
#include <nettle/ctr.h>
#include <nettle/memops.h>
#include <nettle/sha2.h>
#include "qemu/bswap.h"
#include "qemu/cutils.h"
#include "qemu/thread.h"
#include "hw/s390x/pv-sw-secrets.h"
#include "trace.h"

#define MAX_SECRETS (S390_PV_MAX_ASSOC_SECRETS + S390_PV_MAX_RETR_SECRETS)

typedef struct Secret {
    uint16_t type;
    uint32_t len;
    uint8_t id[S390_PV_SECRET_ID_LEN];
    uint8_t *value;
} Secret;

struct S390PVSecretStore {
    QemuMutex lock;
    bool booted;
    uint8_t cuid[S390_PV_ATT_CUID_LEN];
    uint8_t wrap_key[32];           /* retrieved keys, this store only */
    bool ext_derived;               /* SCF: derive it from the CCK */
    bool have_ext;                  /* the first request set it */
    uint8_t ext[S390_PV_EXT_SECRET_LEN];
    bool locked;
    bool dump_disabled;
    struct sha512_ctx tags;         /* tags of the successful requests */
    Secret secrets[MAX_SECRETS];    /* index = position + 1 */
    unsigned nr, nr_assoc, nr_retr;
    uint64_t added;
    uint64_t attestations;
};

S390PVSecretStore *s390_pv_secrets_new(void)
{
    S390PVSecretStore *st = g_new0(S390PVSecretStore, 1);

    qemu_mutex_init(&st->lock);
    sha512_init(&st->tags);
    return st;
}

/*
 * Empty and unlock the store, zero its counters; the lock is held.  The
 * key that wraps retrieved keys is drawn anew: indices start at 1 again,
 * and a key retrieved from the emptied store must not share a keystream
 * with the next store's.
 */
static void store_clear(S390PVSecretStore *st)
{
    unsigned i;

    for (i = 0; i < st->nr; i++) {
        s390_pv_se_wipe(st->secrets[i].value, st->secrets[i].len);
        g_free(st->secrets[i].value);
    }
    memset(st->secrets, 0, sizeof(st->secrets));
    st->nr = st->nr_assoc = st->nr_retr = 0;
    st->locked = false;
    st->dump_disabled = false;
    if (!st->ext_derived) {
        st->have_ext = false;
        s390_pv_se_wipe(st->ext, sizeof(st->ext));
    }
    sha512_init(&st->tags);
    st->added = st->attestations = 0;
    s390_pv_random(st->wrap_key, sizeof(st->wrap_key), GNUTLS_RND_KEY);
}

void s390_pv_secrets_free(S390PVSecretStore *st)
{
    s390_pv_secrets_end(st);
    qemu_mutex_destroy(&st->lock);
    g_free(st);
}

void s390_pv_secrets_boot(S390PVSecretStore *st, const S390PVHeader *hdr)
{
    qemu_mutex_lock(&st->lock);
    st->ext_derived = false;
    store_clear(st);
    s390_pv_random(st->cuid, sizeof(st->cuid), GNUTLS_RND_NONCE);
    /* SCF bit 1: every request must carry the secret derived from the CCK */
    if (hdr->scf & S390_PV_SCF_CCK_EXT_SECRET) {
        s390_pv_ext_secret_derive(hdr->cck, hdr->tag, st->ext);
        st->ext_derived = st->have_ext = true;
    }
    st->booted = true;
    qemu_mutex_unlock(&st->lock);
    trace_s390_pv_sw_secrets("boot", 0);
}

void s390_pv_secrets_reset(S390PVSecretStore *st)
{
    qemu_mutex_lock(&st->lock);
    store_clear(st);
    qemu_mutex_unlock(&st->lock);
    trace_s390_pv_sw_secrets("reset", 0);
}

void s390_pv_secrets_end(S390PVSecretStore *st)
{
    qemu_mutex_lock(&st->lock);
    st->ext_derived = false;
    store_clear(st);
    s390_pv_se_wipe(st->cuid, sizeof(st->cuid));
    s390_pv_se_wipe(st->wrap_key, sizeof(st->wrap_key));
    st->booted = false;
    qemu_mutex_unlock(&st->lock);
}

void s390_pv_secrets_get_info(S390PVSecretStore *st, S390PVSecretsInfo *info)
{
    memset(info, 0, sizeof(*info));
    qemu_mutex_lock(&st->lock);
    info->have_cuid = st->booted;
    if (st->booted) {
        memcpy(info->cuid, st->cuid, sizeof(info->cuid));
    }
    info->locked = st->locked;
    info->dump_disabled = st->dump_disabled;
    info->secrets = st->nr;
    info->added = st->added;
    info->attestations = st->attestations;
    qemu_mutex_unlock(&st->lock);
}

static void header_tags(const S390PVHeader *hdr, uint8_t *tags)
{
    memcpy(tags, hdr->pld, 64);
    memcpy(tags + 64, hdr->ald, 64);
    memcpy(tags + 128, hdr->tld, 64);
    memcpy(tags + 192, hdr->tag, 16);
}

/* --- Retrieve Attestation Measurement ----------------------------------- */

static uint16_t attest(S390PVSecretStore *st, const S390PVHeader *hdr,
                       const S390PVKey *keys, int nr_keys, uint8_t *cb,
                       const S390PVUvcMem *mem)
{
    uint64_t arcb_addr = ldq_be_p(cb + S390_PV_ATT_OFF_ARCB);
    uint16_t user_len = lduw_be_p(cb + S390_PV_ATT_OFF_USER_LEN);
    uint32_t meas_len = ldl_be_p(cb + S390_PV_ATT_OFF_MEAS_LEN);
    uint64_t meas_addr = ldq_be_p(cb + S390_PV_ATT_OFF_MEAS);
    uint32_t add_cap = ldl_be_p(cb + S390_PV_ATT_OFF_ADD_LEN);
    uint64_t add_addr = ldq_be_p(cb + S390_PV_ATT_OFF_ADD);
    uint8_t fixed[S390_PV_ARCB_OFF_SLOTS];
    uint8_t plain[S390_PV_ATT_KEY_LEN + S390_PV_ATT_NONCE_LEN];
    uint8_t tags[S390_PV_TAGS_LEN], add[128], meas[S390_PV_ATT_MEAS_LEN];
    g_autofree uint8_t *arcb = NULL;
    const S390PVKey *used = NULL;
    S390PVAttInputs in;
    uint32_t nks, sea, len, add_len, off = 0;
    uint64_t paf;

    if (ldq_be_p(cb + S390_PV_ATT_OFF_TOKEN)) {
        return S390_PV_ATT_RC_TOKEN;
    }
    if (user_len > S390_PV_ATT_USER_MAX) {
        return S390_PV_ATT_RC_USER_LEN;
    }
    if (!mem->read(mem->opaque, arcb_addr, fixed, sizeof(fixed))) {
        return S390_PV_ATT_RC_ARCB_ACCESS;
    }
    if (ldl_be_p(fixed + S390_PV_REQ_OFF_VERSION) != S390_PV_REQ_VERSION) {
        return S390_PV_ATT_RC_VERSION;
    }
    nks = fixed[S390_PV_REQ_OFF_NKS];
    if (!nks) {
        return S390_PV_ATT_RC_NKS;
    }
    paf = ldq_be_p(fixed + S390_PV_ARCB_OFF_PAF);
    if (paf & ~S390_PV_PAF_SUPPORTED) {
        return S390_PV_ATT_RC_PAF;
    }
    if (ldl_be_p(fixed + S390_PV_ARCB_OFF_MAI) !=
        S390_PV_ARCB_MAI_HMAC_SHA512) {
        return S390_PV_ATT_RC_MAI;
    }
    sea = ldl_be_p(fixed + S390_PV_REQ_OFF_SEA);
    if (sea != S390_PV_ATT_KEY_LEN +
               (paf & S390_PV_PAF_NONCE ? S390_PV_ATT_NONCE_LEN : 0)) {
        return S390_PV_ATT_RC_SEA;
    }
    len = ldl_be_p(fixed + S390_PV_REQ_OFF_LEN);
    if (len != S390_PV_ARCB_OFF_SLOTS + nks * S390_PV_REQ_SLOT_LEN + sea +
               S390_PV_REQ_TAG_LEN) {
        return S390_PV_ATT_RC_LEN;
    }
    if (meas_len < S390_PV_ATT_MEAS_LEN) {
        return S390_PV_ATT_RC_MEAS_LEN;
    }
    add_len = s390_pv_att_add_len(paf);
    if (add_cap < add_len) {
        return S390_PV_ATT_RC_ADD_LEN;
    }
    arcb = g_malloc(len);
    if (!mem->read(mem->opaque, arcb_addr, arcb, len)) {
        return S390_PV_ATT_RC_ARCB_ACCESS;
    }
    /* The request may have changed since its header was read: recheck. */
    if (memcmp(arcb, fixed, sizeof(fixed))) {
        return S390_PV_ATT_RC_DECRYPT;
    }
    if (!s390_pv_req_open(arcb, S390_PV_ARCB_OFF_CUST, S390_PV_ARCB_OFF_SLOTS,
                          nks, len - sea - S390_PV_REQ_TAG_LEN, sea, keys,
                          nr_keys, plain, &used)) {
        return S390_PV_ATT_RC_DECRYPT;
    }

    if (paf & S390_PV_PAF_PHKH_IMG) {
        memcpy(add + off, hdr->phkh, 32);
        off += 32;
    }
    if (paf & S390_PV_PAF_PHKH_ATT) {
        memcpy(add + off, used->phkh, 32);
        off += 32;
    }
    header_tags(hdr, tags);
    qemu_mutex_lock(&st->lock);
    if (paf & S390_PV_PAF_SECRET_HASH) {
        struct sha512_ctx h = st->tags;
        uint8_t locked = st->locked;

        sha512_update(&h, 1, &locked);
        sha512_digest(&h, 64, add + off);
        off += 64;
    }
    in.tags = tags;
    in.cuid = st->cuid;
    in.user = cb + S390_PV_ATT_OFF_USER;
    in.user_len = user_len;
    in.nonce = paf & S390_PV_PAF_NONCE ? plain + S390_PV_ATT_KEY_LEN : NULL;
    in.add = add;
    in.add_len = add_len;
    assert(off == add_len);
    s390_pv_att_measure(plain, &in, meas);
    memcpy(cb + S390_PV_ATT_OFF_CUID, st->cuid, S390_PV_ATT_CUID_LEN);
    qemu_mutex_unlock(&st->lock);
    s390_pv_se_wipe(plain, sizeof(plain));

    if (!mem->write(mem->opaque, meas_addr, meas, sizeof(meas))) {
        return S390_PV_ATT_RC_MEAS_ACCESS;
    }
    if (add_len && !mem->write(mem->opaque, add_addr, add, add_len)) {
        return S390_PV_ATT_RC_ADD_ACCESS;
    }
    stl_be_p(cb + S390_PV_ATT_OFF_ADD_LEN, add_len);
    qemu_mutex_lock(&st->lock);
    st->attestations++;
    qemu_mutex_unlock(&st->lock);
    trace_s390_pv_sw_attest(paf, user_len, add_len);
    return S390_PV_UVC_RC_OK;
}

/* --- Add Secret ----------------------------------------------------------- */

static bool plain_value_ok(const uint8_t *v, uint32_t len)
{
    uint16_t n = lduw_be_p(v);

    return n <= S390_PV_SECRET_PLAIN_MAX && ROUND_UP(n + 2, 16) == len;
}

static uint16_t add_secret(S390PVSecretStore *st, const S390PVHeader *hdr,
                           const S390PVKey *keys, int nr_keys, uint8_t *cb,
                           const S390PVUvcMem *mem, uint16_t *rrc)
{
    uint64_t addr = ldq_be_p(cb + S390_PV_ADD_OFF_ASRCB);
    uint8_t fixed[S390_PV_ASRCB_OFF_SLOTS], tags[S390_PV_TAGS_LEN];
    g_autofree uint8_t *req = NULL;
    g_autofree uint8_t *plain = NULL;
    uint32_t nks, len, sea, slen, shdr, enc, min;
    uint16_t type, rc;
    uint64_t pcf;
    bool locked;
    int vlen;
    Secret *s;

    qemu_mutex_lock(&st->lock);
    locked = st->locked;
    qemu_mutex_unlock(&st->lock);
    if (locked) {
        return S390_PV_ADD_RC_LOCKED;
    }
    if (!mem->read(mem->opaque, addr, fixed, sizeof(fixed))) {
        return S390_PV_ADD_RC_ACCESS;
    }
    if (ldl_be_p(fixed + S390_PV_REQ_OFF_VERSION) != S390_PV_REQ_VERSION) {
        return S390_PV_ADD_RC_VERSION;
    }
    nks = fixed[S390_PV_REQ_OFF_NKS];
    if (!nks) {
        return S390_PV_ADD_RC_NKS;
    }
    len = ldl_be_p(fixed + S390_PV_REQ_OFF_LEN);
    shdr = S390_PV_ASRCB_OFF_SLOTS + nks * S390_PV_REQ_SLOT_LEN;
    min = shdr + S390_PV_SECRET_HDR_META + S390_PV_EXT_SECRET_LEN +
          S390_PV_REQ_TAG_LEN;
    if (len < min || len > S390_PV_ASRCB_MAX_LEN) {
        return S390_PV_ADD_RC_SIZE;
    }
    pcf = ldq_be_p(fixed + S390_PV_ASRCB_OFF_PCF);
    if (pcf & ~S390_PV_ASRCB_PCF_KNOWN) {
        return S390_PV_ADD_RC_FLAGS;
    }
    req = g_malloc(len);
    if (!mem->read(mem->opaque, addr, req, len)) {
        return S390_PV_ADD_RC_ACCESS;
    }
    if (memcmp(req, fixed, sizeof(fixed))) {
        return S390_PV_ADD_RC_DECRYPT;
    }
    type = lduw_be_p(req + shdr + S390_PV_SECRET_OFF_TYPE);
    slen = ldl_be_p(req + shdr + S390_PV_SECRET_OFF_LEN);
    vlen = s390_pv_secret_value_len(type);
    if (vlen == -1) {
        return S390_PV_ADD_RC_TYPE;
    }
    if ((vlen >= 0 && slen != vlen) ||
        (vlen == -2 && (slen < 16 || slen % 16 ||
                        slen > ROUND_UP(S390_PV_SECRET_PLAIN_MAX + 2, 16)))) {
        return S390_PV_ADD_RC_TYPE_LEN;
    }
    enc = shdr + (type == S390_PV_SECRET_NULL ? S390_PV_SECRET_HDR_META :
                                                S390_PV_SECRET_HDR_LEN);
    sea = ldl_be_p(req + S390_PV_REQ_OFF_SEA);
    if (sea != slen + S390_PV_EXT_SECRET_LEN ||
        (uint64_t)enc + sea + S390_PV_REQ_TAG_LEN != len) {
        return S390_PV_ADD_RC_SIZE;
    }
    plain = g_malloc(sea);
    if (!s390_pv_req_open(req, S390_PV_ASRCB_OFF_CUST, S390_PV_ASRCB_OFF_SLOTS,
                          nks, enc, sea, keys, nr_keys, plain, NULL)) {
        return S390_PV_ADD_RC_DECRYPT;
    }

    rc = S390_PV_ADD_RC_CANNOT;
    header_tags(hdr, tags);
    if (memcmp(req + S390_PV_ASRCB_OFF_TAGS, tags, sizeof(tags))) {
        *rrc = S390_PV_ADD_RRC_TAGS;
        goto out;
    }
    if (type == S390_PV_SECRET_PLAIN && !plain_value_ok(plain, slen)) {
        rc = S390_PV_ADD_RC_TYPE_LEN;
        goto out;
    }
    qemu_mutex_lock(&st->lock);
    if (!buffer_is_zero(req + S390_PV_ASRCB_OFF_CUID, S390_PV_ATT_CUID_LEN) &&
        memcmp(req + S390_PV_ASRCB_OFF_CUID, st->cuid, S390_PV_ATT_CUID_LEN)) {
        *rrc = S390_PV_ADD_RRC_CUID;
    } else if (st->locked) {
        rc = S390_PV_ADD_RC_LOCKED;
    } else if (st->have_ext &&
               !memeql_sec(st->ext, plain + slen, S390_PV_EXT_SECRET_LEN)) {
        *rrc = S390_PV_ADD_RRC_EXT;
    } else if ((type == S390_PV_SECRET_ASSOC &&
                st->nr_assoc == S390_PV_MAX_ASSOC_SECRETS) ||
               (type != S390_PV_SECRET_ASSOC && vlen &&
                st->nr_retr == S390_PV_MAX_RETR_SECRETS)) {
        rc = S390_PV_ADD_RC_FULL;
    } else {
        if (!st->have_ext) {
            memcpy(st->ext, plain + slen, S390_PV_EXT_SECRET_LEN);
            st->have_ext = true;
        }
        if (type != S390_PV_SECRET_NULL) {
            s = &st->secrets[st->nr++];
            s->type = type;
            s->len = slen;
            memcpy(s->id, req + shdr + S390_PV_SECRET_OFF_ID, sizeof(s->id));
            s->value = g_memdup2(plain, slen);
            if (type == S390_PV_SECRET_ASSOC) {
                st->nr_assoc++;
            } else {
                st->nr_retr++;
            }
        }
        if (pcf & S390_PV_ASRCB_PCF_NO_DUMP) {
            st->dump_disabled = true;
        }
        sha512_update(&st->tags, S390_PV_REQ_TAG_LEN,
                      req + len - S390_PV_REQ_TAG_LEN);
        st->added++;
        rc = S390_PV_UVC_RC_OK;
    }
    qemu_mutex_unlock(&st->lock);
out:
    s390_pv_se_wipe(plain, sea);
    trace_s390_pv_sw_add_secret(type, slen, rc, *rrc);
    return rc;
}

/* --- List, Lock, Retrieve ------------------------------------------------- */

static uint16_t list_secrets(S390PVSecretStore *st, uint8_t *cb,
                             const S390PVUvcMem *mem)
{
    uint16_t start = lduw_be_p(cb + S390_PV_LIST_OFF_START);
    uint64_t addr = ldq_be_p(cb + S390_PV_LIST_OFF_PAGE);
    g_autofree uint8_t *page = g_malloc0(S390_PV_LIST_LEN);
    unsigned i, n = 0;

    qemu_mutex_lock(&st->lock);
    /* At most 64 secrets: one page always holds them all. */
    for (i = start; i < st->nr; i++, n++) {
        uint8_t *e = page + S390_PV_LIST_HDR_LEN + n * S390_PV_LIST_ENTRY_LEN;

        stw_be_p(e, i + 1);
        stw_be_p(e + 2, st->secrets[i].type);
        stl_be_p(e + 4, st->secrets[i].len);
        memcpy(e + 16, st->secrets[i].id, S390_PV_SECRET_ID_LEN);
    }
    stw_be_p(page + S390_PV_LIST_OFF_NUM, n);
    stw_be_p(page + S390_PV_LIST_OFF_TOTAL, st->nr);
    qemu_mutex_unlock(&st->lock);
    if (!mem->write(mem->opaque, addr, page, S390_PV_LIST_LEN)) {
        return S390_PV_LIST_RC_ACCESS;
    }
    return S390_PV_UVC_RC_OK;
}

static uint16_t lock_secrets(S390PVSecretStore *st)
{
    uint16_t rc = S390_PV_UVC_RC_OK;

    qemu_mutex_lock(&st->lock);
    if (st->locked) {
        rc = S390_PV_LOCK_RC_LOCKED;
    }
    st->locked = true;
    qemu_mutex_unlock(&st->lock);
    trace_s390_pv_sw_secrets("lock", rc);
    return rc;
}

/*
 * A retrieved key is a protected key: the value encrypted under the
 * store's wrapping key (AES-256-CTR, the index as counter block), then a
 * 32-byte verification pattern of the wrapping key.  Within one store an
 * index names one secret, and an emptied store gets a new wrapping key,
 * so no keystream serves two values.  The format has no room for a tag:
 * nothing under TCG ever unwraps a protected key.  A plaintext secret
 * comes as it was added.
 */
static uint16_t retrieve_secret(S390PVSecretStore *st, uint8_t *cb,
                                const S390PVUvcMem *mem)
{
    uint16_t idx = lduw_be_p(cb + S390_PV_RETR_OFF_INDEX);
    uint32_t size = ldl_be_p(cb + S390_PV_RETR_OFF_SIZE);
    uint64_t addr = ldq_be_p(cb + S390_PV_RETR_OFF_BUF);
    g_autofree uint8_t *out = NULL;
    uint32_t out_len;
    uint16_t rc = S390_PV_UVC_RC_OK;
    Secret *s;

    qemu_mutex_lock(&st->lock);
    if (!st->nr) {
        rc = S390_PV_RETR_RC_EMPTY;
        goto unlock;
    }
    if (idx < 1 || idx > st->nr) {
        rc = S390_PV_RETR_RC_INDEX;
        goto unlock;
    }
    s = &st->secrets[idx - 1];
    if (s->type == S390_PV_SECRET_ASSOC) {
        rc = S390_PV_RETR_RC_NOT_RETR;
        goto unlock;
    }
    out_len = s->len + (s->type == S390_PV_SECRET_PLAIN ? 0 :
                        S390_PV_RETR_WKVP_LEN);
    if (size < out_len) {
        rc = S390_PV_RETR_RC_BUF_LEN;
        goto unlock;
    }
    out = g_malloc0(out_len);
    if (s->type == S390_PV_SECRET_PLAIN) {
        memcpy(out, s->value, s->len);
    } else {
        struct aes256_ctx aes;
        uint8_t ctr[AES_BLOCK_SIZE] = { 0 };
        struct sha256_ctx h;

        stw_be_p(ctr, idx);
        aes256_set_encrypt_key(&aes, st->wrap_key);
        ctr_crypt(&aes, (nettle_cipher_func *)aes256_encrypt,
                  AES_BLOCK_SIZE, ctr, s->len, out, s->value);
        sha256_init(&h);
        sha256_update(&h, sizeof(st->wrap_key), st->wrap_key);
        sha256_digest(&h, S390_PV_RETR_WKVP_LEN, out + s->len);
        s390_pv_se_wipe(&aes, sizeof(aes));
    }
unlock:
    qemu_mutex_unlock(&st->lock);
    if (rc == S390_PV_UVC_RC_OK) {
        bool ok = mem->write(mem->opaque, addr, out, out_len);

        s390_pv_se_wipe(out, out_len);
        if (!ok) {
            rc = S390_PV_RETR_RC_ACCESS;
        }
    }
    trace_s390_pv_sw_retrieve_secret(idx, rc);
    return rc;
}

uint16_t s390_pv_secrets_call(S390PVSecretStore *st, const S390PVHeader *hdr,
                              const S390PVKey *keys, int nr_keys,
                              uint16_t cmd, uint8_t *cb,
                              const S390PVUvcMem *mem, uint16_t *rrc)
{
    *rrc = 0;
    switch (cmd) {
    case S390_PV_UVC_ATTEST:
        return attest(st, hdr, keys, nr_keys, cb, mem);
    case S390_PV_UVC_ADD_SECRET:
        return add_secret(st, hdr, keys, nr_keys, cb, mem, rrc);
    case S390_PV_UVC_LIST_SECRETS:
        return list_secrets(st, cb, mem);
    case S390_PV_UVC_LOCK_SECRETS:
        return lock_secrets(st);
    case S390_PV_UVC_RETR_SECRET:
        return retrieve_secret(st, cb, mem);
    default:
        return S390_PV_UVC_RC_INV_CMD;
    }
}
