/*
 * s390x Protected Virtualization: the Secure Execution image format
 *
 * The SE header protects the image keys: its plaintext part is the
 * additional authenticated data of an AES-256-GCM encryption of its
 * secret part, under a header key that every key slot wraps for one host
 * key (ECDH on P-521, then SHA-256 as one-round X9.63 KDF).  Components
 * are AES-256-XTS encrypted page by page; three SHA-512 digests over the
 * pages, their addresses and their tweaks bind them to the header.
 *
 * Crypto comes from what QEMU already links: QEMU's cipher layer for XTS,
 * nettle for SHA-2 and GCM, hogweed for P-521, gnutls for PEM keys.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <nettle/bignum.h>
#include <nettle/ecc.h>
#include <nettle/ecc-curve.h>
#include <nettle/gcm.h>
#include <nettle/hkdf.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <nettle/sha2.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include "qemu/bswap.h"
#include "qemu/thread.h"
#include "hw/s390x/pv-se.h"

void s390_pv_se_wipe(void *p, size_t len)
{
    /* nothing to wipe may come as NULL (g_memdup2() of 0 bytes) */
    if (len) {
        explicit_bzero(p, len);
    }
}

void s390_pv_random(void *buf, size_t len, gnutls_rnd_level_t level)
{
    /* gnutls cannot fail to give random bytes short of a broken system */
    if (gnutls_rnd(level, buf, len) < 0) {
        abort();
    }
}

void s390_pv_hkdf_sha512(const uint8_t *salt, size_t salt_len,
                         const uint8_t *ikm, size_t ikm_len,
                         const char *info, uint8_t *out, size_t out_len)
{
    struct hmac_sha512_ctx h;
    uint8_t prk[SHA512_DIGEST_SIZE];

    hmac_sha512_set_key(&h, salt_len, salt);
    hkdf_extract(&h, (nettle_hash_update_func *)hmac_sha512_update,
                 (nettle_hash_digest_func *)hmac_sha512_digest,
                 SHA512_DIGEST_SIZE, ikm_len, ikm, prk);
    hmac_sha512_set_key(&h, sizeof(prk), prk);
    hkdf_expand(&h, (nettle_hash_update_func *)hmac_sha512_update,
                (nettle_hash_digest_func *)hmac_sha512_digest,
                SHA512_DIGEST_SIZE, strlen(info), (const uint8_t *)info,
                out_len, out);
    s390_pv_se_wipe(prk, sizeof(prk));
    s390_pv_se_wipe(&h, sizeof(h));
}

/* --- keys --------------------------------------------------------------- */

static void mpz_to_coord(uint8_t out[S390_PV_SE_COORD_LEN], const mpz_t v)
{
    nettle_mpz_get_str_256(S390_PV_SE_COORD_LEN, out, v);
}

/*
 * Private scalars and shared secrets also live in GMP integers and nettle
 * ECC objects: wipe all their limbs before they are freed.
 */
static void wipe_mpz(mpz_t v)
{
    s390_pv_se_wipe(v->_mp_d, v->_mp_alloc * sizeof(mp_limb_t));
}

static void wipe_scalar(struct ecc_scalar *s, const struct ecc_curve *curve)
{
    s390_pv_se_wipe(s->p, ecc_size(curve) * sizeof(mp_limb_t));
}

static void wipe_point(struct ecc_point *p, const struct ecc_curve *curve)
{
    s390_pv_se_wipe(p->p, 2 * ecc_size(curve) * sizeof(mp_limb_t));
}

static void key_hash(S390PVKey *key)
{
    uint8_t buf[2 * S390_PV_SE_COORD_FIELD] = { 0 };
    struct sha256_ctx ctx;

    memcpy(buf + S390_PV_SE_COORD_FIELD - S390_PV_SE_COORD_LEN, key->x,
           S390_PV_SE_COORD_LEN);
    memcpy(buf + 2 * S390_PV_SE_COORD_FIELD - S390_PV_SE_COORD_LEN, key->y,
           S390_PV_SE_COORD_LEN);
    sha256_init(&ctx);
    sha256_update(&ctx, sizeof(buf), buf);
    sha256_digest(&ctx, sizeof(key->phkh), key->phkh);
}

bool s390_pv_key_from_priv(const uint8_t priv[S390_PV_SE_COORD_LEN],
                           S390PVKey *key, Error **errp)
{
    const struct ecc_curve *curve = nettle_get_secp_521r1();
    struct ecc_scalar s;
    struct ecc_point p;
    mpz_t k, x, y;
    bool ok;

    mpz_inits(k, x, y, NULL);
    nettle_mpz_set_str_256_u(k, S390_PV_SE_COORD_LEN, priv);
    ecc_scalar_init(&s, curve);
    ecc_point_init(&p, curve);
    ok = ecc_scalar_set(&s, k);
    if (ok) {
        ecc_point_mul_g(&p, &s);
        ecc_point_get(&p, x, y);
        key->has_priv = true;
        memcpy(key->priv, priv, S390_PV_SE_COORD_LEN);
        mpz_to_coord(key->x, x);
        mpz_to_coord(key->y, y);
        key_hash(key);
    } else {
        error_setg(errp, "the private key is out of range for P-521");
    }
    ecc_point_clear(&p);
    wipe_scalar(&s, curve);
    ecc_scalar_clear(&s);
    wipe_mpz(k);
    mpz_clears(k, x, y, NULL);
    return ok;
}

bool s390_pv_key_set_pub(S390PVKey *key, const uint8_t *x, const uint8_t *y,
                         Error **errp)
{
    const struct ecc_curve *curve = nettle_get_secp_521r1();
    struct ecc_point p;
    mpz_t mx, my;
    bool ok;

    mpz_inits(mx, my, NULL);
    nettle_mpz_set_str_256_u(mx, S390_PV_SE_COORD_LEN, x);
    nettle_mpz_set_str_256_u(my, S390_PV_SE_COORD_LEN, y);
    ecc_point_init(&p, curve);
    ok = ecc_point_set(&p, mx, my);
    ecc_point_clear(&p);
    mpz_clears(mx, my, NULL);
    if (!ok) {
        error_setg(errp, "the public key is not a point on P-521");
        return false;
    }
    memset(key, 0, sizeof(*key));
    memcpy(key->x, x, S390_PV_SE_COORD_LEN);
    memcpy(key->y, y, S390_PV_SE_COORD_LEN);
    key_hash(key);
    return true;
}

bool s390_pv_coord_from_be(uint8_t out[S390_PV_SE_COORD_LEN],
                           const uint8_t *p, size_t len)
{
    while (len > S390_PV_SE_COORD_LEN && *p == 0) {
        p++;
        len--;
    }
    if (len > S390_PV_SE_COORD_LEN) {
        return false;
    }
    memset(out, 0, S390_PV_SE_COORD_LEN - len);
    memcpy(out + S390_PV_SE_COORD_LEN - len, p, len);
    return true;
}

bool s390_pv_key_load_pem(const char *file, S390PVKey *key, Error **errp)
{
    g_autofree char *pem = NULL;
    g_autoptr(GError) gerr = NULL;
    gnutls_x509_privkey_t pk = NULL;
    gnutls_datum_t data, x = { 0 }, y = { 0 }, k = { 0 };
    gnutls_ecc_curve_t curve;
    uint8_t priv[S390_PV_SE_COORD_LEN];
    uint8_t px[S390_PV_SE_COORD_LEN], py[S390_PV_SE_COORD_LEN];
    S390PVKey derived;
    gsize len;
    bool ok = false;
    int ret;

    if (!g_file_get_contents(file, &pem, &len, &gerr)) {
        error_setg(errp, "host key %s: %s", file, gerr->message);
        return false;
    }
    data.data = (unsigned char *)pem;
    data.size = len;
    gnutls_x509_privkey_init(&pk);
    /* SEC1 ("EC PRIVATE KEY") and unencrypted PKCS#8 ("PRIVATE KEY") */
    ret = gnutls_x509_privkey_import2(pk, &data, GNUTLS_X509_FMT_PEM, NULL,
                                      GNUTLS_PKCS_PLAIN);
    if (ret < 0) {
        error_setg(errp, "host key %s: not a PEM private key (%s)", file,
                   gnutls_strerror(ret));
        goto out;
    }
    if (gnutls_x509_privkey_get_pk_algorithm(pk) != GNUTLS_PK_ECDSA) {
        error_setg(errp, "host key %s: not an EC key, need EC secp521r1",
                   file);
        goto out;
    }
    ret = gnutls_x509_privkey_export_ecc_raw(pk, &curve, &x, &y, &k);
    if (ret < 0) {
        error_setg(errp, "host key %s: %s", file, gnutls_strerror(ret));
        goto out;
    }
    if (curve != GNUTLS_ECC_CURVE_SECP521R1) {
        g_autofree char *name =
            g_ascii_strdown(gnutls_ecc_curve_get_name(curve) ?: "unknown", -1);

        error_setg(errp, "host key %s: curve %s, need secp521r1", file, name);
        goto out;
    }
    /*
     * gnutls gives the public point stored with the scalar (computing it
     * when the file lacks it): it must be on the curve and the scalar's.
     */
    if (!s390_pv_coord_from_be(priv, k.data, k.size) ||
        !s390_pv_coord_from_be(px, x.data, x.size) ||
        !s390_pv_coord_from_be(py, y.data, y.size)) {
        error_setg(errp, "host key %s: a coordinate is too large", file);
        goto out;
    }
    if (!s390_pv_key_set_pub(key, px, py, errp)) {
        error_prepend(errp, "host key %s: ", file);
        goto out;
    }
    /*
     * A public point that is not the scalar's would never match an image's
     * key slot, and attestation would name a host key nobody holds.
     */
    if (!s390_pv_key_from_priv(priv, &derived, errp)) {
        error_prepend(errp, "host key %s: ", file);
        goto out;
    }
    if (memcmp(derived.x, px, sizeof(px)) ||
        memcmp(derived.y, py, sizeof(py))) {
        error_setg(errp, "host key %s: its public key is not its private "
                   "key's (inconsistent file)", file);
        goto out;
    }
    key->has_priv = true;
    memcpy(key->priv, priv, S390_PV_SE_COORD_LEN);
    ok = true;
out:
    s390_pv_se_wipe(priv, sizeof(priv));
    s390_pv_se_wipe(&derived, sizeof(derived));
    if (k.data) {
        s390_pv_se_wipe(k.data, k.size);
    }
    gnutls_free(x.data);
    gnutls_free(y.data);
    gnutls_free(k.data);
    gnutls_x509_privkey_deinit(pk);
    s390_pv_se_wipe(pem, len);
    return ok;
}

bool s390_pv_exchange_key(const S390PVKey *priv, const uint8_t *peer_x,
                          const uint8_t *peer_y, uint8_t out[32])
{
    static const uint8_t counter[4] = { 0, 0, 0, 1 };
    const struct ecc_curve *curve = nettle_get_secp_521r1();
    uint8_t z[S390_PV_SE_COORD_LEN];
    struct ecc_scalar s;
    struct ecc_point p, r;
    struct sha256_ctx ctx;
    mpz_t mx, my, k;
    bool ok;

    mpz_inits(mx, my, k, NULL);
    nettle_mpz_set_str_256_u(mx, S390_PV_SE_COORD_LEN, peer_x);
    nettle_mpz_set_str_256_u(my, S390_PV_SE_COORD_LEN, peer_y);
    nettle_mpz_set_str_256_u(k, S390_PV_SE_COORD_LEN, priv->priv);
    ecc_point_init(&p, curve);
    ecc_point_init(&r, curve);
    ecc_scalar_init(&s, curve);
    ok = ecc_point_set(&p, mx, my) && ecc_scalar_set(&s, k);
    if (ok) {
        ecc_point_mul(&r, &s, &p);
        ecc_point_get(&r, mx, NULL);
        mpz_to_coord(z, mx);
        sha256_init(&ctx);
        sha256_update(&ctx, sizeof(z), z);
        sha256_update(&ctx, sizeof(counter), counter);
        sha256_digest(&ctx, 32, out);
        s390_pv_se_wipe(z, sizeof(z));
    }
    wipe_scalar(&s, curve);
    ecc_scalar_clear(&s);
    wipe_point(&r, curve);
    ecc_point_clear(&r);
    ecc_point_clear(&p);
    wipe_mpz(mx);
    wipe_mpz(k);
    mpz_clears(mx, my, k, NULL);
    return ok;
}

/* --- digests and pages -------------------------------------------------- */

void s390_pv_tweak(uint8_t tweak[16], uint64_t pref, uint64_t offset)
{
    stq_be_p(tweak, pref);
    stq_be_p(tweak + 8, offset);
}

void s390_pv_digests_init(S390PVDigests *d)
{
    if (gnutls_hash_init(&d->pld, GNUTLS_DIG_SHA512) < 0 ||
        gnutls_hash_init(&d->ald, GNUTLS_DIG_SHA512) < 0 ||
        gnutls_hash_init(&d->tld, GNUTLS_DIG_SHA512) < 0) {
        /* only out of memory, or a gnutls without SHA-512 */
        abort();
    }
    d->live = true;
    d->nep = 0;
}

void s390_pv_digests_abandon(S390PVDigests *d)
{
    if (d->live) {
        gnutls_hash_deinit(d->pld, NULL);
        gnutls_hash_deinit(d->ald, NULL);
        gnutls_hash_deinit(d->tld, NULL);
        d->live = false;
    }
}

void s390_pv_digests_add(S390PVDigests *d, const uint8_t *page,
                         uint64_t gaddr, const uint8_t tweak[16])
{
    s390_pv_digests_add_pages(d, page, 1);
    s390_pv_digests_add_meta(d, gaddr, tweak);
}

struct S390PVHashWorker {
    QemuThread thread;
    QemuSemaphore go, done;
    S390PVDigests *digests;
    const uint8_t *pages;
    uint64_t n;
    bool busy, quit;
};

static void *hash_worker_thread(void *arg)
{
    S390PVHashWorker *w = arg;

    for (;;) {
        qemu_sem_wait(&w->go);
        if (w->quit) {
            return NULL;
        }
        s390_pv_digests_add_pages(w->digests, w->pages, w->n);
        qemu_sem_post(&w->done);
    }
}

S390PVHashWorker *s390_pv_hash_worker_new(S390PVDigests *d)
{
    S390PVHashWorker *w = g_new0(S390PVHashWorker, 1);

    w->digests = d;
    qemu_sem_init(&w->go, 0);
    qemu_sem_init(&w->done, 0);
    qemu_thread_create(&w->thread, "s390-pv-hash", hash_worker_thread, w,
                       QEMU_THREAD_JOINABLE);
    return w;
}

void s390_pv_hash_worker_wait(S390PVHashWorker *w)
{
    if (w->busy) {
        qemu_sem_wait(&w->done);
        w->busy = false;
    }
}

void s390_pv_hash_worker_submit(S390PVHashWorker *w, const uint8_t *pages,
                                uint64_t n)
{
    s390_pv_hash_worker_wait(w);
    w->pages = pages;
    w->n = n;
    w->busy = true;
    qemu_sem_post(&w->go);
}

void s390_pv_hash_worker_free(S390PVHashWorker *w)
{
    s390_pv_hash_worker_wait(w);
    w->quit = true;
    qemu_sem_post(&w->go);
    qemu_thread_join(&w->thread);
    qemu_sem_destroy(&w->go);
    qemu_sem_destroy(&w->done);
    g_free(w);
}

void s390_pv_digests_add_pages(S390PVDigests *d, const uint8_t *pages,
                               uint64_t n)
{
    gnutls_hash(d->pld, pages, n * S390_PV_SE_PAGE);
}

void s390_pv_digests_add_meta(S390PVDigests *d, uint64_t gaddr,
                              const uint8_t tweak[16])
{
    uint8_t addr[8];

    stq_be_p(addr, gaddr);
    gnutls_hash(d->ald, addr, sizeof(addr));
    gnutls_hash(d->tld, tweak, 16);
    d->nep++;
}

void s390_pv_digests_final(S390PVDigests *d, uint8_t pld[64],
                           uint8_t ald[64], uint8_t tld[64])
{
    gnutls_hash_deinit(d->pld, pld);
    gnutls_hash_deinit(d->ald, ald);
    gnutls_hash_deinit(d->tld, tld);
    d->live = false;
}

QCryptoCipher *s390_pv_xts_new(const uint8_t key[64], Error **errp)
{
    return qcrypto_cipher_new(QCRYPTO_CIPHER_ALGO_AES_256,
                              QCRYPTO_CIPHER_MODE_XTS, key, 64, errp);
}

bool s390_pv_xts_page(QCryptoCipher *xts, const uint8_t tweak[16],
                      uint8_t *page, bool encrypt, Error **errp)
{
    if (qcrypto_cipher_setiv(xts, tweak, 16, errp) < 0) {
        return false;
    }
    if (encrypt) {
        return qcrypto_cipher_encrypt(xts, page, page, S390_PV_SE_PAGE,
                                      errp) == 0;
    }
    return qcrypto_cipher_decrypt(xts, page, page, S390_PV_SE_PAGE,
                                  errp) == 0;
}

/* --- the header --------------------------------------------------------- */

static uint64_t enc_off(uint64_t nks)
{
    return S390_PV_SE_OFF_SLOTS + S390_PV_SE_SLOT_LEN * nks;
}

static int hdr_fail(uint16_t *rc, uint16_t *rrc, uint16_t c, uint16_t rr,
                    Error **errp, const char *fmt, ...)
    G_GNUC_PRINTF(6, 7);

static int hdr_fail(uint16_t *rc, uint16_t *rrc, uint16_t c, uint16_t rr,
                    Error **errp, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    *rc = c;
    *rrc = rr;
    error_setg(errp, "%s (rc 0x%x rrc 0x%x)", msg, c, rr);
    return -1;
}

S390PVSlotResult s390_pv_slot_unwrap(const uint8_t *slots, uint64_t nks,
                                     const uint8_t *cust,
                                     const S390PVKey *keys, int nr_keys,
                                     uint8_t wrapped_key[32],
                                     const S390PVKey **used)
{
    static const uint8_t zero_iv[S390_PV_SE_IV_LEN];
    const uint32_t pad = S390_PV_SE_COORD_FIELD - S390_PV_SE_COORD_LEN;
    const uint8_t *slot = NULL;
    const S390PVKey *key = NULL;
    struct gcm_aes256_ctx gcm;
    uint8_t exch[32], tag[16];
    S390PVSlotResult ret = S390_PV_SLOT_OK;
    uint64_t i;
    int k;

    for (i = 0; i < nks && !slot; i++) {
        const uint8_t *s = slots + i * S390_PV_SE_SLOT_LEN;

        for (k = 0; k < nr_keys; k++) {
            if (!memcmp(s, keys[k].phkh, 32)) {
                slot = s;
                key = &keys[k];
                break;
            }
        }
    }
    if (!slot) {
        return S390_PV_SLOT_NONE;
    }
    /* X80 || Y80, each a right-aligned 66-byte coordinate */
    for (i = 0; i < pad; i++) {
        if (cust[i] || cust[S390_PV_SE_COORD_FIELD + i]) {
            return S390_PV_SLOT_CUST_KEY;
        }
    }
    if (!s390_pv_exchange_key(key, cust + pad,
                              cust + S390_PV_SE_COORD_FIELD + pad, exch)) {
        return S390_PV_SLOT_CUST_KEY;
    }
    /* GCM, zero IV, no AAD */
    gcm_aes256_set_key(&gcm, exch);
    gcm_aes256_set_iv(&gcm, sizeof(zero_iv), zero_iv);
    gcm_aes256_decrypt(&gcm, 32, wrapped_key, slot + 32);
    gcm_aes256_digest(&gcm, sizeof(tag), tag);
    if (!memeql_sec(tag, slot + 64, sizeof(tag))) {
        s390_pv_se_wipe(wrapped_key, 32);
        ret = S390_PV_SLOT_TAG;
    } else if (used) {
        *used = key;
    }
    s390_pv_se_wipe(exch, sizeof(exch));
    s390_pv_se_wipe(&gcm, sizeof(gcm));
    return ret;
}

bool s390_pv_slot_wrap(const S390PVKey *cust, const S390PVKey *host,
                       const uint8_t wrapped_key[32], uint8_t *slot)
{
    static const uint8_t zero_iv[S390_PV_SE_IV_LEN];
    struct gcm_aes256_ctx gcm;
    uint8_t exch[32];

    if (!s390_pv_exchange_key(cust, host->x, host->y, exch)) {
        s390_pv_se_wipe(exch, sizeof(exch));
        return false;
    }
    memcpy(slot, host->phkh, 32);
    gcm_aes256_set_key(&gcm, exch);
    gcm_aes256_set_iv(&gcm, sizeof(zero_iv), zero_iv);
    gcm_aes256_encrypt(&gcm, 32, slot + 32, wrapped_key);
    gcm_aes256_digest(&gcm, 16, slot + 64);
    s390_pv_se_wipe(exch, sizeof(exch));
    s390_pv_se_wipe(&gcm, sizeof(gcm));
    return true;
}

/*
 * Open a header with one of @keys (the Ultravisor's way), or, when
 * @hdr_key is given, with the header key itself (the image owner's way).
 */
static int se_open(const uint8_t *hdr, uint64_t len, const S390PVKey *keys,
                   int nr_keys, const uint8_t *hdr_key, S390PVHeader *out,
                   uint16_t *rc, uint16_t *rrc, Error **errp)
{
    struct gcm_aes256_ctx gcm;
    const S390PVKey *key = NULL;
    uint8_t hkey[32], tag[16], enc[S390_PV_SE_SEA_V1];
    uint64_t a;
    int ret = -1;

    memset(out, 0, sizeof(*out));
    if (len < S390_PV_SE_OFF_SLOTS || len > S390_PV_SE_MAX_LEN) {
        return hdr_fail(rc, rrc, S390_PV_RC_HDR_LEN, S390_PV_RRC_HDR_LEN,
                        errp, "SE header length %" PRIu64 " is invalid",
                        len);
    }
    if (ldq_be_p(hdr + S390_PV_SE_OFF_MAGIC) != S390_PV_SE_MAGIC) {
        return hdr_fail(rc, rrc, S390_PV_RC_HDR_VERSION, S390_PV_RRC_MAGIC,
                        errp, "not an SE header (bad magic)");
    }
    out->version = ldl_be_p(hdr + S390_PV_SE_OFF_VERSION);
    out->phs = ldl_be_p(hdr + S390_PV_SE_OFF_PHS);
    out->nks = ldq_be_p(hdr + S390_PV_SE_OFF_NKS);
    out->sea = ldq_be_p(hdr + S390_PV_SE_OFF_SEA);
    out->nep = ldq_be_p(hdr + S390_PV_SE_OFF_NEP);
    out->pcf = ldq_be_p(hdr + S390_PV_SE_OFF_PCF);
    if (out->version != S390_PV_SE_VERSION) {
        return hdr_fail(rc, rrc, S390_PV_RC_HDR_VERSION,
                        S390_PV_RRC_VERSION, errp,
                        "SE header version 0x%x is not 0x%x", out->version,
                        S390_PV_SE_VERSION);
    }
    if (out->nks == 0) {
        return hdr_fail(rc, rrc, S390_PV_RC_HDR_LEN, S390_PV_RRC_NKS, errp,
                        "SE header has no key slots");
    }
    if (out->sea % 16 || out->sea != S390_PV_SE_SEA_V1) {
        return hdr_fail(rc, rrc, S390_PV_RC_HDR_LEN, S390_PV_RRC_SEA, errp,
                        "SE header encrypted area of %" PRIu64 " bytes",
                        out->sea);
    }
    if (out->nks > S390_PV_SE_MAX_LEN / S390_PV_SE_SLOT_LEN ||
        out->phs != enc_off(out->nks) + out->sea + S390_PV_SE_TAG_LEN ||
        out->phs != len) {
        return hdr_fail(rc, rrc, S390_PV_RC_HDR_LEN, S390_PV_RRC_HDR_LEN,
                        errp, "SE header size %u does not match %" PRIu64
                        " key slots (given %" PRIu64 " bytes)", out->phs,
                        out->nks, len);
    }
    memcpy(out->pld, hdr + S390_PV_SE_OFF_PLD, 64);
    memcpy(out->ald, hdr + S390_PV_SE_OFF_ALD, 64);
    memcpy(out->tld, hdr + S390_PV_SE_OFF_TLD, 64);

    if (hdr_key) {
        memcpy(hkey, hdr_key, sizeof(hkey));
    } else {
        switch (s390_pv_slot_unwrap(hdr + S390_PV_SE_OFF_SLOTS, out->nks,
                                    hdr + S390_PV_SE_OFF_CUST_X, keys,
                                    nr_keys, hkey, &key)) {
        case S390_PV_SLOT_NONE:
            return hdr_fail(rc, rrc, S390_PV_RC_KEY, S390_PV_RRC_NO_SLOT,
                            errp, "no key slot of the SE header is for "
                            "this host");
        case S390_PV_SLOT_CUST_KEY:
            return hdr_fail(rc, rrc, S390_PV_RC_KEY, S390_PV_RRC_CUST_KEY,
                            errp, "customer key is not a point on P-521");
        case S390_PV_SLOT_TAG:
            return hdr_fail(rc, rrc, S390_PV_RC_KEY, S390_PV_RRC_SLOT_TAG,
                            errp, "the key slot does not authenticate");
        case S390_PV_SLOT_OK:
            break;
        }
    }

    /* Open the secret part; the plaintext part is the AAD */
    a = enc_off(out->nks);
    gcm_aes256_set_key(&gcm, hkey);
    gcm_aes256_set_iv(&gcm, S390_PV_SE_IV_LEN, hdr + S390_PV_SE_OFF_IV);
    gcm_aes256_update(&gcm, a, hdr);
    gcm_aes256_decrypt(&gcm, out->sea, enc, hdr + a);
    gcm_aes256_digest(&gcm, sizeof(tag), tag);
    if (!memeql_sec(tag, hdr + len - S390_PV_SE_TAG_LEN, sizeof(tag))) {
        hdr_fail(rc, rrc, S390_PV_RC_KEY, S390_PV_RRC_HDR_TAG, errp,
                 "the SE header does not authenticate");
        goto out;
    }
    memcpy(out->cck, enc + S390_PV_SE_ENC_CCK, 32);
    memcpy(out->xts_key, enc + S390_PV_SE_ENC_XTS, 64);
    out->psw_mask = ldq_be_p(enc + S390_PV_SE_ENC_PSW);
    out->psw_addr = ldq_be_p(enc + S390_PV_SE_ENC_PSW + 8);
    out->scf = ldq_be_p(enc + S390_PV_SE_ENC_SCF);
    out->noi = ldl_be_p(enc + S390_PV_SE_ENC_NOI);
    memcpy(out->tag, hdr + len - S390_PV_SE_TAG_LEN, S390_PV_SE_TAG_LEN);
    if (key) {
        memcpy(out->phkh, key->phkh, sizeof(out->phkh));
    }

    if (out->noi) {
        hdr_fail(rc, rrc, S390_PV_RC_HDR_LEN, S390_PV_RRC_NOI, errp,
                 "%u optional items, version 1 has none", out->noi);
    } else if (out->pcf & ~S390_PV_PCF_KNOWN) {
        hdr_fail(rc, rrc, S390_PV_RC_PCF, S390_PV_RRC_PCF, errp,
                 "unsupported plaintext control flags 0x%" PRIx64,
                 (uint64_t)(out->pcf & ~S390_PV_PCF_KNOWN));
    } else if (out->scf & ~S390_PV_SCF_KNOWN) {
        hdr_fail(rc, rrc, S390_PV_RC_SCF, 0, errp,
                 "unsupported secret control flags 0x%" PRIx64,
                 (uint64_t)(out->scf & ~S390_PV_SCF_KNOWN));
    } else {
        *rc = 0x0001;
        *rrc = 0;
        ret = 0;
    }
out:
    s390_pv_se_wipe(hkey, sizeof(hkey));
    s390_pv_se_wipe(enc, sizeof(enc));
    s390_pv_se_wipe(&gcm, sizeof(gcm));
    if (ret) {
        s390_pv_se_wipe(out->xts_key, sizeof(out->xts_key));
        s390_pv_se_wipe(out->cck, sizeof(out->cck));
    }
    return ret;
}

int s390_pv_se_open(const uint8_t *hdr, uint64_t len, const S390PVKey *keys,
                    int nr_keys, S390PVHeader *out, uint16_t *rc,
                    uint16_t *rrc, Error **errp)
{
    return se_open(hdr, len, keys, nr_keys, NULL, out, rc, rrc, errp);
}

int s390_pv_se_open_with_key(const uint8_t *hdr, uint64_t len,
                             const uint8_t hdr_key[32], S390PVHeader *out,
                             Error **errp)
{
    uint16_t rc, rrc;

    return se_open(hdr, len, NULL, 0, hdr_key, out, &rc, &rrc, errp);
}

bool s390_pv_se_build(const S390PVHeaderSpec *spec, uint8_t *out,
                      Error **errp)
{
    uint64_t nks = spec->nr_host_keys;
    uint32_t len = s390_pv_se_header_len(nks);
    uint64_t a = enc_off(nks);
    struct gcm_aes256_ctx gcm;
    uint8_t enc[S390_PV_SE_SEA_V1] = { 0 };
    uint64_t i;

    if (nks < 1 || !spec->cust_key->has_priv) {
        error_setg(errp, "an SE header needs a host key and a customer key");
        return false;
    }
    memset(out, 0, len);
    stq_be_p(out + S390_PV_SE_OFF_MAGIC, S390_PV_SE_MAGIC);
    stl_be_p(out + S390_PV_SE_OFF_VERSION, S390_PV_SE_VERSION);
    stl_be_p(out + S390_PV_SE_OFF_PHS, len);
    memcpy(out + S390_PV_SE_OFF_IV, spec->iv, S390_PV_SE_IV_LEN);
    stq_be_p(out + S390_PV_SE_OFF_NKS, nks);
    stq_be_p(out + S390_PV_SE_OFF_SEA, S390_PV_SE_SEA_V1);
    stq_be_p(out + S390_PV_SE_OFF_NEP, spec->nep);
    stq_be_p(out + S390_PV_SE_OFF_PCF, spec->pcf);
    memcpy(out + S390_PV_SE_OFF_CUST_X + S390_PV_SE_COORD_FIELD -
           S390_PV_SE_COORD_LEN, spec->cust_key->x, S390_PV_SE_COORD_LEN);
    memcpy(out + S390_PV_SE_OFF_CUST_Y + S390_PV_SE_COORD_FIELD -
           S390_PV_SE_COORD_LEN, spec->cust_key->y, S390_PV_SE_COORD_LEN);
    memcpy(out + S390_PV_SE_OFF_PLD, spec->pld, 64);
    memcpy(out + S390_PV_SE_OFF_ALD, spec->ald, 64);
    memcpy(out + S390_PV_SE_OFF_TLD, spec->tld, 64);

    for (i = 0; i < nks; i++) {
        if (!s390_pv_slot_wrap(spec->cust_key, &spec->host_keys[i],
                               spec->header_key, out + S390_PV_SE_OFF_SLOTS +
                               i * S390_PV_SE_SLOT_LEN)) {
            error_setg(errp, "host key %" PRIu64 " is not a P-521 point", i);
            return false;
        }
    }

    memcpy(enc + S390_PV_SE_ENC_CCK, spec->cck, 32);
    memcpy(enc + S390_PV_SE_ENC_XTS, spec->xts_key, 64);
    stq_be_p(enc + S390_PV_SE_ENC_PSW, spec->psw_mask);
    stq_be_p(enc + S390_PV_SE_ENC_PSW + 8, spec->psw_addr);
    stq_be_p(enc + S390_PV_SE_ENC_SCF, spec->scf);
    gcm_aes256_set_key(&gcm, spec->header_key);
    gcm_aes256_set_iv(&gcm, S390_PV_SE_IV_LEN, spec->iv);
    gcm_aes256_update(&gcm, a, out);
    gcm_aes256_encrypt(&gcm, sizeof(enc), out + a, enc);
    gcm_aes256_digest(&gcm, S390_PV_SE_TAG_LEN,
                      out + len - S390_PV_SE_TAG_LEN);

    s390_pv_se_wipe(enc, sizeof(enc));
    s390_pv_se_wipe(&gcm, sizeof(gcm));
    return true;
}
