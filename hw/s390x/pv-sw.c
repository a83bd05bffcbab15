/*
 * s390x Protected Virtualization: the software Ultravisor
 *
 * Under TCG, this backend does what the firmware Ultravisor does for
 * set-secure-parameters, unpack and verify: it opens the SE header with a
 * host key, decrypts every component page in place, recomputes the page,
 * address and tweak digests and checks them, with the firmware's result
 * codes.  Once the guest runs protected, it answers the guest's own
 * Ultravisor calls (Query, Set and Remove Shared Access) and keeps which
 * pages the guest shared: the machine hides every other page from the
 * host's devices, monitor and dumps.  Guest memory is not encrypted in
 * host memory: this is functional fidelity, not protection from the host
 * (which runs this Ultravisor).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <nettle/sha2.h>
#include "qemu/bitmap.h"
#include "qemu/atomic.h"
#include "qemu/bswap.h"
#include "qemu/lockable.h"
#include "hw/s390x/pv-sw.h"
#include "hw/s390x/pv-uvc.h"
#include "hw/s390x/pv-sw-secrets.h"
#include "hw/s390x/pv-dump.h"
#include "trace.h"

typedef enum SwState {
    SW_OFF,         /* not protected */
    SW_ENABLED,     /* secure configuration, no header yet */
    SW_UNPACKING,   /* header accepted, components arriving */
    SW_VERIFIED,    /* running protected */
} SwState;

/*
 * Unpacking is two passes over each page: the page list digest over the
 * encrypted page, then its decryption in place.  Beyond one chunk of a
 * component, a worker thread hashes the next chunk while the current one
 * is decrypted.
 */
#define SW_CHUNK_PAGES  64

typedef struct S390PVSoft {
    S390PVBackend parent;
    S390PVKey *keys;
    int nr_keys;
    uint8_t *ram;
    uint64_t ram_size;
    const S390PVSwMemoryOps *mops;
    void *opaque;

    SwState state;
    S390PVHeader hdr;
    QCryptoCipher *xts;
    S390PVDigests digests;
    unsigned long *unpacked;        /* one bit per guest page */
    bool have_pref;
    uint64_t last_pref;
    S390PVHashWorker *hasher;   /* started with the first large unpack */

    /* The protected guest's side */
    unsigned long *shared;      /* one bit per guest page: shared */
    uint16_t max_cpu_id;        /* Query: the highest CPU address */
    uint64_t guest_calls;       /* UV calls the guest made */
    uint64_t queries;           /* of them, Query */
    S390PVSecretStore *secrets; /* attestation and secrets of this boot */

    /*
     * Protected dumps (dump-guest-memory).  dump_lock: a detached dump's
     * thread exports pages while a reset may end the dump.
     */
    bool isolation;             /* the host sees the shared pages only */
    QemuMutex dump_lock;
    bool dumping;               /* between dump init and completion */
    uint8_t dump_key[32];       /* HKDF of the CCK with the seed */
    uint8_t dump_seed[64];
    uint8_t dump_nonce[16];
    uint8_t dump_xts_key[64];
    QCryptoCipher *dump_xts;
    struct sha512_ctx dump_md;  /* what the dump exported encrypted */
} S390PVSoft;

static S390PVSoft *sw_be(S390PVBackend *be)
{
    return container_of(be, S390PVSoft, parent);
}

static int sw_fail(S390PVResult *res, uint16_t cmd, uint16_t rc,
                   uint16_t rrc, Error **errp, const char *what)
{
    if (res) {
        res->cmd = cmd;
        res->rc = rc;
        res->rrc = rrc;
    }
    trace_s390_pv_sw_fail(s390_pv_cmd_name(cmd), rc, rrc);
    error_setg(errp, "Ultravisor: %s failed: %s (rc 0x%x rrc 0x%x)",
               s390_pv_cmd_name(cmd), what, rc, rrc);
    return -EINVAL;
}

static void sw_ok(S390PVResult *res, uint16_t cmd)
{
    if (res) {
        res->cmd = cmd;
        res->rc = S390_PV_RC_OK;
        res->rrc = 0;
    }
}

/* End a protected dump, forgetting its keys; dump_lock is held. */
static void sw_dump_end(S390PVSoft *s)
{
    s->dumping = false;
    qcrypto_cipher_free(s->dump_xts);
    s->dump_xts = NULL;
    s390_pv_se_wipe(s->dump_key, sizeof(s->dump_key));
    s390_pv_se_wipe(s->dump_xts_key, sizeof(s->dump_xts_key));
    s390_pv_se_wipe(s->dump_nonce, sizeof(s->dump_nonce));
    s390_pv_se_wipe(&s->dump_md, sizeof(s->dump_md));
}

/* Forget the image keys and everything derived from them. */
static void sw_forget(S390PVSoft *s)
{
    qemu_mutex_lock(&s->dump_lock);
    sw_dump_end(s);
    qemu_mutex_unlock(&s->dump_lock);
    s390_pv_se_wipe(&s->hdr, sizeof(s->hdr));
    s390_pv_digests_abandon(&s->digests);
    s390_pv_se_wipe(&s->digests, sizeof(s->digests));
    qcrypto_cipher_free(s->xts);
    s->xts = NULL;
    s->have_pref = false;
}

/* The Ultravisor changed guest pages [@pfn, @pfn + @n) behind the CPUs. */
static void sw_changed(S390PVSoft *s, uint64_t pfn, uint64_t n)
{
    if (n && s->mops && s->mops->changed) {
        s->mops->changed(s->opaque, pfn * S390_PV_SE_PAGE,
                         n * S390_PV_SE_PAGE);
    }
}

/*
 * Guest pages [@pfn, @pfn + @n) read as zero from now on: discarded when
 * the machine can (nothing is committed for them), else written.
 */
static void sw_zero(S390PVSoft *s, uint64_t pfn, uint64_t n)
{
    uint64_t addr = pfn * S390_PV_SE_PAGE, len = n * S390_PV_SE_PAGE;

    if (!n) {
        return;
    }
    if (!s->mops || !s->mops->zero || !s->mops->zero(s->opaque, addr, len)) {
        memset(s->ram + addr, 0, len);
    }
    sw_changed(s, pfn, n);
}

/*
 * Clear the guest pages whose bit in @map is @set, each run of them at
 * once, and say which changed.
 */
static void sw_clear_pages(S390PVSoft *s, const unsigned long *map, bool set)
{
    uint64_t npages = s->ram_size / S390_PV_SE_PAGE, pfn, end;

    pfn = set ? find_first_bit(map, npages) : find_first_zero_bit(map, npages);
    while (pfn < npages) {
        end = set ? find_next_zero_bit(map, npages, pfn) :
                    find_next_bit(map, npages, pfn);
        sw_zero(s, pfn, end - pfn);
        if (end >= npages) {
            break;
        }
        pfn = set ? find_next_bit(map, npages, end) :
                    find_next_zero_bit(map, npages, end);
    }
}

static int sw_enable(S390PVBackend *be, S390PVResult *res, Error **errp)
{
    S390PVSoft *s = sw_be(be);

    if (s->state != SW_OFF) {
        return sw_fail(res, S390_PV_CMD_ENABLE, S390_PV_RC_INVALID_STATE, 0,
                       errp, "already protected");
    }
    bitmap_zero(s->unpacked, s->ram_size / S390_PV_SE_PAGE);
    bitmap_zero(s->shared, s->ram_size / S390_PV_SE_PAGE);
    s->state = SW_ENABLED;
    sw_ok(res, S390_PV_CMD_ENABLE);
    return 0;
}

static int sw_disable(S390PVBackend *be, S390PVResult *res, Error **errp)
{
    S390PVSoft *s = sw_be(be);

    /*
     * Destroying the secure configuration clears its memory: all of it
     * once the guest ran protected, the unpacked pages before that.
     */
    if (s->state == SW_VERIFIED) {
        sw_zero(s, 0, s->ram_size / S390_PV_SE_PAGE);
    } else if (s->state != SW_OFF) {
        sw_clear_pages(s, s->unpacked, true);
    }
    sw_forget(s);
    s390_pv_secrets_end(s->secrets);
    s->state = SW_OFF;
    /* Nothing is shared any more: the host may see everything again. */
    bitmap_zero(s->shared, s->ram_size / S390_PV_SE_PAGE);
    sw_ok(res, S390_PV_CMD_DISABLE);
    return 0;
}

static int sw_info(S390PVBackend *be, S390PVInfo *info, Error **errp)
{
    memset(info, 0, sizeof(*info));
    /* no limits to report (valid stays false), but dumps as IBM Z's */
    info->dump_valid = true;
    info->dump_cpu_len = S390_PV_DUMP_CPU_LEN;
    info->dump_storage_state_len = S390_PV_DUMP_PAGES_PER_MIB *
                                   S390_PV_DUMP_TC_LEN;
    info->dump_completion_len = S390_PV_DUMP_COMPL_LEN;
    return 0;
}

static int sw_set_sec_parms(S390PVBackend *be, const void *hdr, uint64_t len,
                            S390PVResult *res, Error **errp)
{
    S390PVSoft *s = sw_be(be);
    uint16_t rc, rrc;
    Error *err = NULL;

    if (s->state != SW_ENABLED) {
        return sw_fail(res, S390_PV_CMD_SET_SEC_PARMS,
                       S390_PV_RC_INVALID_STATE, 0, errp,
                       "secure parameters already set");
    }
    if (s390_pv_se_open(hdr, len, s->keys, s->nr_keys, &s->hdr, &rc, &rrc,
                        &err) < 0) {
        sw_fail(res, S390_PV_CMD_SET_SEC_PARMS, rc, rrc, NULL, NULL);
        error_propagate_prepend(errp, err, "Ultravisor: ");
        return -EINVAL;
    }
    s->xts = s390_pv_xts_new(s->hdr.xts_key, errp);
    s390_pv_se_wipe(s->hdr.xts_key, sizeof(s->hdr.xts_key));
    if (!s->xts) {
        sw_forget(s);
        return -EINVAL;
    }
    s390_pv_digests_init(&s->digests);
    s->state = SW_UNPACKING;
    trace_s390_pv_sw_header(s->hdr.nks, s->hdr.nep, s->hdr.pcf, s->hdr.scf);
    sw_ok(res, S390_PV_CMD_SET_SEC_PARMS);
    return 0;
}

/* Address and tweak digests and decryption of pages [@first, @first + @n) */
static bool sw_decrypt_pages(S390PVSoft *s, uint64_t addr, uint64_t first,
                             uint64_t n, uint64_t tweak, bool decrypt,
                             Error **errp)
{
    uint64_t off, end = (first + n) * S390_PV_SE_PAGE;
    uint8_t tw[16];

    for (off = first * S390_PV_SE_PAGE; off < end; off += S390_PV_SE_PAGE) {
        s390_pv_tweak(tw, tweak, off);
        s390_pv_digests_add_meta(&s->digests, addr + off, tw);
        if (decrypt &&
            !s390_pv_xts_page(s->xts, tw, s->ram + addr + off, false, errp)) {
            return false;
        }
    }
    return true;
}

/*
 * Unpack @n pages from @addr: every page's digests, then its decryption.
 * Beyond one chunk, the helper thread hashes chunk k + 1 while this one
 * decrypts chunk k.
 */
static bool sw_unpack_pages(S390PVSoft *s, uint64_t addr, uint64_t n,
                            uint64_t tweak, bool decrypt, Error **errp)
{
    uint64_t done, c, next;
    bool ok = true;

    if (n <= SW_CHUNK_PAGES) {
        s390_pv_digests_add_pages(&s->digests, s->ram + addr, n);
        return sw_decrypt_pages(s, addr, 0, n, tweak, decrypt, errp);
    }
    if (!s->hasher) {
        s->hasher = s390_pv_hash_worker_new(&s->digests);
    }
    s390_pv_hash_worker_submit(s->hasher, s->ram + addr, SW_CHUNK_PAGES);
    for (done = 0; done < n && ok; done = next) {
        c = MIN(n - done, SW_CHUNK_PAGES);
        next = done + c;
        /* chunk done is hashed once the worker takes the next one */
        if (next < n) {
            s390_pv_hash_worker_submit(s->hasher,
                                       s->ram + addr + next * S390_PV_SE_PAGE,
                                       MIN(n - next, SW_CHUNK_PAGES));
        } else {
            s390_pv_hash_worker_wait(s->hasher);
        }
        ok = sw_decrypt_pages(s, addr, done, c, tweak, decrypt, errp);
    }
    s390_pv_hash_worker_wait(s->hasher);
    return ok;
}

static int sw_unpack(S390PVBackend *be, uint64_t addr, uint64_t size,
                     uint64_t tweak, S390PVResult *res, Error **errp)
{
    S390PVSoft *s = sw_be(be);
    bool decrypt = !(s->hdr.pcf & S390_PV_PCF_NO_DECRYPT);
    uint64_t pfn, npages, good;
    bool ok;

    if (s->state != SW_UNPACKING) {
        return sw_fail(res, S390_PV_CMD_UNPACK, S390_PV_RC_INVALID_STATE, 0,
                       errp, s->state == SW_VERIFIED ?
                       "the image is already verified" :
                       "no secure parameters set");
    }
    if ((addr | size) & (S390_PV_SE_PAGE - 1) || size == 0) {
        return sw_fail(res, S390_PV_CMD_UNPACK, S390_PV_RC_UNPACK,
                       S390_PV_RRC_UNPACK_ALIGN, errp,
                       "address or size not page aligned");
    }
    if (addr >= s->ram_size || size > s->ram_size - addr) {
        return sw_fail(res, S390_PV_CMD_UNPACK, S390_PV_RC_UNPACK,
                       S390_PV_RRC_UNPACK_RANGE, errp,
                       "pages outside guest memory");
    }
    if (s->have_pref && tweak <= s->last_pref) {
        return sw_fail(res, S390_PV_CMD_UNPACK, S390_PV_RC_UNPACK,
                       S390_PV_RRC_UNPACK_ORDER, errp,
                       "tweak prefix does not increase");
    }
    s->have_pref = true;
    s->last_pref = tweak;

    /* A page is unpacked once: go up to the first one that was before. */
    pfn = addr / S390_PV_SE_PAGE;
    npages = size / S390_PV_SE_PAGE;
    good = find_next_bit(s->unpacked, pfn + npages, pfn) - pfn;
    ok = sw_unpack_pages(s, addr, good, tweak, decrypt, errp);
    bitmap_set(s->unpacked, pfn, good);
    if (decrypt) {
        sw_changed(s, pfn, good);
    }
    if (!ok) {
        return -EIO;
    }
    if (good < npages) {
        return sw_fail(res, S390_PV_CMD_UNPACK, S390_PV_RC_UNPACK,
                       S390_PV_RRC_UNPACK_AGAIN, errp,
                       "page unpacked twice");
    }
    trace_s390_pv_sw_unpack(addr, size / S390_PV_SE_PAGE);
    sw_ok(res, S390_PV_CMD_UNPACK);
    return 0;
}

static int sw_verify(S390PVBackend *be, S390PVResult *res, Error **errp)
{
    S390PVSoft *s = sw_be(be);
    uint8_t pld[64], ald[64], tld[64];
    uint64_t nep = s->digests.nep;

    if (s->state != SW_UNPACKING) {
        return sw_fail(res, S390_PV_CMD_VERIFY, S390_PV_RC_INVALID_STATE, 0,
                       errp, "nothing to verify");
    }
    s390_pv_digests_final(&s->digests, pld, ald, tld);
    /* The digests cannot be resumed: unpacking is over either way. */
    s390_pv_digests_init(&s->digests);
    s->digests.nep = nep;

    if (nep != s->hdr.nep) {
        return sw_fail(res, S390_PV_CMD_VERIFY, S390_PV_RC_VERIFY,
                       S390_PV_RRC_VERIFY_NEP, errp,
                       "number of unpacked pages differs");
    }
    if (memcmp(pld, s->hdr.pld, 64)) {
        return sw_fail(res, S390_PV_CMD_VERIFY, S390_PV_RC_VERIFY,
                       S390_PV_RRC_VERIFY_PLD, errp,
                       "page list digest differs");
    }
    if (memcmp(ald, s->hdr.ald, 64)) {
        return sw_fail(res, S390_PV_CMD_VERIFY, S390_PV_RC_VERIFY,
                       S390_PV_RRC_VERIFY_ALD, errp,
                       "address list digest differs");
    }
    if (memcmp(tld, s->hdr.tld, 64)) {
        return sw_fail(res, S390_PV_CMD_VERIFY, S390_PV_RC_VERIFY,
                       S390_PV_RRC_VERIFY_TLD, errp,
                       "tweak list digest differs");
    }

    /* A protected guest starts with nothing but its unpacked image. */
    sw_clear_pages(s, s->unpacked, false);
    /*
     * A new configuration: a new CUID, an empty secret store.  The
     * customer communication key is needed no longer than that.
     */
    s390_pv_secrets_boot(s->secrets, &s->hdr);
    /* ... and for dumps, if the image allows them: their key derives from it */
    if (!(s->hdr.pcf & S390_PV_PCF_ALLOW_DUMP)) {
        s390_pv_se_wipe(s->hdr.cck, sizeof(s->hdr.cck));
    }
    qcrypto_cipher_free(s->xts);
    s->xts = NULL;
    s->state = SW_VERIFIED;
    sw_ok(res, S390_PV_CMD_VERIFY);
    return 0;
}

static int sw_prep_reset(S390PVBackend *be, S390PVResult *res, Error **errp)
{
    /* Secrets last one protected boot: every reset forgets them. */
    s390_pv_secrets_reset(sw_be(be)->secrets);
    sw_ok(res, S390_PV_CMD_PREP_RESET);
    return 0;
}

/* The host's devices must stop using [@addr, @addr + @len) now. */
static void sw_unshared(S390PVSoft *s, uint64_t addr, uint64_t len)
{
    if (s->mops && s->mops->unshared) {
        s->mops->unshared(s->opaque, addr, len);
    }
}

static int sw_unshare_all(S390PVBackend *be, S390PVResult *res, Error **errp)
{
    S390PVSoft *s = sw_be(be);

    /* Every CPU is stopped: no Set Shared Access can race with this. */
    bitmap_zero(s->shared, s->ram_size / S390_PV_SE_PAGE);
    sw_unshared(s, 0, s->ram_size);
    trace_s390_pv_sw_unshare_all();
    sw_ok(res, S390_PV_CMD_UNSHARE_ALL);
    return 0;
}

static bool sw_start_psw(S390PVBackend *be, uint64_t *mask, uint64_t *addr)
{
    S390PVSoft *s = sw_be(be);

    if (s->state != SW_VERIFIED) {
        return false;
    }
    *mask = s->hdr.psw_mask;
    *addr = s->hdr.psw_addr;
    return true;
}

static bool sw_header_scf(S390PVBackend *be, uint64_t *scf)
{
    const S390PVHeader *hdr = s390_pv_sw_header(be);

    if (!hdr) {
        return false;
    }
    *scf = hdr->scf;
    return true;
}

static void sw_destroy(S390PVBackend *be)
{
    S390PVSoft *s = sw_be(be);

    if (s->hasher) {
        s390_pv_hash_worker_free(s->hasher);
    }

    sw_forget(s);
    s390_pv_se_wipe(s->keys, sizeof(*s->keys) * s->nr_keys);
    g_free(s->keys);
    g_free(s->unpacked);
    g_free(s->shared);
    s390_pv_secrets_free(s->secrets);
    qemu_mutex_destroy(&s->dump_lock);
    g_free(s);
}

/* --- protected dumps ---------------------------------------------------- */

static int sw_dump_fail(Error **errp, const char *what)
{
    error_setg(errp, "Ultravisor: dump refused: %s", what);
    return -EINVAL;
}

static int sw_dump_init(S390PVBackend *be, Error **errp)
{
    S390PVSoft *s = sw_be(be);
    S390PVSecretsInfo si;

    if (s->state != SW_VERIFIED) {
        return sw_dump_fail(errp, "the guest does not run protected");
    }
    if (!(s->hdr.pcf & S390_PV_PCF_ALLOW_DUMP)) {
        return sw_dump_fail(errp, "the image does not allow dumping "
                            "(plaintext control flag 0x20000000 is off: "
                            "build it with --enable-dump)");
    }
    s390_pv_secrets_get_info(s->secrets, &si);
    if (si.dump_disabled) {
        return sw_dump_fail(errp, "an add-secret request of the guest's "
                            "owner disabled dumping for this boot");
    }
    QEMU_LOCK_GUARD(&s->dump_lock);
    sw_dump_end(s);
    s390_pv_random(s->dump_seed, sizeof(s->dump_seed), GNUTLS_RND_KEY);
    s390_pv_random(s->dump_xts_key, sizeof(s->dump_xts_key),
                   GNUTLS_RND_KEY);
    /*
     * The nonce's right half stays zero: a page's tweak is the nonce's
     * left half and its frame number, unique in the dump.
     */
    memset(s->dump_nonce, 0, sizeof(s->dump_nonce));
    s390_pv_random(s->dump_nonce, 8, GNUTLS_RND_KEY);
    s->dump_xts = s390_pv_xts_new(s->dump_xts_key, errp);
    if (!s->dump_xts) {
        sw_dump_end(s);
        return -EINVAL;
    }
    s390_pv_dump_key(s->hdr.cck, s->dump_seed, s->dump_key);
    sha512_init(&s->dump_md);
    s->dumping = true;
    trace_s390_pv_sw_dump("init", 0, 0);
    return 0;
}

static int sw_dump_cpu(S390PVBackend *be, int cpu_index, const void *state,
                       void *buf, uint64_t len, Error **errp)
{
    S390PVSoft *s = sw_be(be);
    uint8_t *b = buf;

    QEMU_LOCK_GUARD(&s->dump_lock);
    if (!s->dumping || len < S390_PV_DUMP_CPU_LEN || !state) {
        return sw_dump_fail(errp, "no dump of this CPU in progress");
    }
    memset(b, 0, len);
    stl_be_p(b + S390_PV_DUMP_CPU_VERSION, S390_PV_DUMP_VERSION);
    stl_be_p(b + S390_PV_DUMP_CPU_LENGTH, S390_PV_DUMP_CPU_LEN);
    s390_pv_random(b + S390_PV_DUMP_CPU_IV, 12, GNUTLS_RND_KEY);
    memcpy(b + S390_PV_DUMP_CPU_AREA, state, S390_PV_DUMP_CPU_AREA_LEN);
    s390_pv_dump_seal(s->dump_key, b, S390_PV_DUMP_CPU_LEN,
                      S390_PV_DUMP_CPU_AAD, S390_PV_DUMP_CPU_IV);
    trace_s390_pv_sw_dump("cpu", cpu_index, 0);
    return 0;
}

/* Does the host see the page at @addr in the clear? */
static bool sw_dump_clear(S390PVSoft *s, uint64_t addr)
{
    return !s->isolation || s390_pv_sw_host_may_access(&s->parent, addr);
}

static bool sw_page_is_zero(S390PVSoft *s, uint64_t addr)
{
    const uint64_t *p = (const uint64_t *)(s->ram + addr);
    uint64_t acc = 0;
    size_t i;

    for (i = 0; i < S390_PV_SE_PAGE / sizeof(*p); i++) {
        acc |= p[i];
    }
    return !acc;
}

static void sw_dump_component(S390PVSoft *s, uint64_t addr, uint8_t tc[16])
{
    if (sw_dump_clear(s, addr)) {
        s390_pv_dump_tc_special(tc, S390_PV_DUMP_TC_SHARED |
                                    S390_PV_DUMP_TC_MAPPED);
    } else if (sw_page_is_zero(s, addr)) {
        s390_pv_dump_tc_special(tc, S390_PV_DUMP_TC_ZERO);
    } else {
        s390_pv_dump_tc_page(tc, addr / S390_PV_SE_PAGE);
    }
}

static int sw_dump_storage_state(S390PVBackend *be, uint64_t gaddr,
                                 uint64_t len, void *buf, Error **errp)
{
    S390PVSoft *s = sw_be(be);
    uint64_t i, n = len / S390_PV_DUMP_TC_LEN;
    uint8_t *b = buf;

    QEMU_LOCK_GUARD(&s->dump_lock);
    if (!s->dumping || gaddr % S390_PV_SE_PAGE ||
        len % S390_PV_DUMP_TC_LEN) {
        return sw_dump_fail(errp, "storage state out of a dump");
    }
    for (i = 0; i < n; i++) {
        sw_dump_component(s, gaddr + i * S390_PV_SE_PAGE,
                          b + i * S390_PV_DUMP_TC_LEN);
    }
    trace_s390_pv_sw_dump("storage-state", gaddr, n);
    return 0;
}

static int sw_dump_complete(S390PVBackend *be, void *buf, uint64_t len,
                            Error **errp)
{
    S390PVSoft *s = sw_be(be);
    uint8_t *b = buf;

    QEMU_LOCK_GUARD(&s->dump_lock);
    if (!s->dumping || len < S390_PV_DUMP_COMPL_LEN) {
        sw_dump_end(s);
        return sw_dump_fail(errp, "no dump to complete");
    }
    memset(b, 0, len);
    stl_be_p(b + S390_PV_DUMP_COMPL_VERSION, S390_PV_DUMP_VERSION);
    stl_be_p(b + S390_PV_DUMP_COMPL_LENGTH, S390_PV_DUMP_COMPL_LEN);
    memcpy(b + S390_PV_DUMP_COMPL_SEED, s->dump_seed, 64);
    s390_pv_random(b + S390_PV_DUMP_COMPL_IV, 12, GNUTLS_RND_KEY);
    memcpy(b + S390_PV_DUMP_COMPL_NONCE, s->dump_nonce, 16);
    memcpy(b + S390_PV_DUMP_COMPL_KEY, s->dump_xts_key, 64);
    memcpy(b + S390_PV_DUMP_COMPL_MD_MARK, S390_PV_DUMP_MD_MARK, 8);
    sha512_digest(&s->dump_md, SHA512_DIGEST_SIZE,
                  b + S390_PV_DUMP_COMPL_MD);
    s390_pv_dump_seal(s->dump_key, b, S390_PV_DUMP_COMPL_LEN,
                      S390_PV_DUMP_COMPL_AAD, S390_PV_DUMP_COMPL_IV);
    sw_dump_end(s);
    trace_s390_pv_sw_dump("complete", 0, 0);
    return 0;
}

bool s390_pv_sw_dumping(S390PVBackend *be)
{
    return sw_be(be)->dumping;
}

void s390_pv_sw_set_isolation(S390PVBackend *be, bool on)
{
    sw_be(be)->isolation = on;
}

void s390_pv_sw_dump_export(S390PVBackend *be, uint64_t addr, uint8_t *buf,
                            uint64_t len)
{
    S390PVSoft *s = sw_be(be);
    uint64_t end = addr + len, next, page;
    uint8_t page_buf[S390_PV_SE_PAGE], tc[16], tweak[16], a[8];

    QEMU_LOCK_GUARD(&s->dump_lock);
    if (!s->dumping) {
        /* the dump ended under the dump's thread (a reset): nothing */
        memset(buf, 0, len);
        return;
    }
    while (addr < end) {
        page = addr & ~(uint64_t)(S390_PV_SE_PAGE - 1);
        next = MIN(page + S390_PV_SE_PAGE, end);
        if (!sw_dump_clear(s, page)) {
            sw_dump_component(s, page, tc);
            if (s390_pv_dump_page_state(tc) == S390_PV_PAGE_ZERO) {
                memset(buf, 0, next - addr);
            } else {
                memcpy(page_buf, s->ram + page, S390_PV_SE_PAGE);
                s390_pv_dump_tweak(tc, s->dump_nonce, tweak);
                if (!s390_pv_xts_page(s->dump_xts, tweak, page_buf, true,
                                      NULL)) {
                    abort();
                }
                memcpy(buf, page_buf + (addr - page), next - addr);
                /* where, its component and the bytes: see protvirt.rst */
                stq_be_p(a, addr);
                sha512_update(&s->dump_md, sizeof(a), a);
                sha512_update(&s->dump_md, sizeof(tc), tc);
                sha512_update(&s->dump_md, next - addr, buf);
            }
        }
        buf += next - addr;
        addr = next;
    }
    s390_pv_se_wipe(page_buf, sizeof(page_buf));
}

static const S390PVBackendOps sw_ops = {
    .name = "software",
    .enable = sw_enable,
    .disable = sw_disable,
    .info = sw_info,
    .set_sec_parms = sw_set_sec_parms,
    .unpack = sw_unpack,
    .verify = sw_verify,
    .prep_reset = sw_prep_reset,
    .unshare_all = sw_unshare_all,
    .dump_init = sw_dump_init,
    .dump_cpu = sw_dump_cpu,
    .dump_storage_state = sw_dump_storage_state,
    .dump_complete = sw_dump_complete,
    .start_psw = sw_start_psw,
    .header_scf = sw_header_scf,
    .destroy = sw_destroy,
};

S390PVBackend *s390_pv_sw_backend_new(const S390PVKey *keys, int nr_keys,
                                      uint8_t *ram, uint64_t ram_size,
                                      const S390PVSwMemoryOps *mops,
                                      void *opaque)
{
    S390PVSoft *s = g_new0(S390PVSoft, 1);

    s->parent.ops = &sw_ops;
    s->keys = g_memdup2(keys, sizeof(*keys) * nr_keys);
    s->nr_keys = nr_keys;
    s->ram = ram;
    s->ram_size = ram_size & ~(S390_PV_SE_PAGE - 1);
    s->mops = mops;
    s->opaque = opaque;
    s->unpacked = bitmap_new(s->ram_size / S390_PV_SE_PAGE);
    s->shared = bitmap_new(s->ram_size / S390_PV_SE_PAGE);
    s->secrets = s390_pv_secrets_new();
    s->max_cpu_id = 0;
    qemu_mutex_init(&s->dump_lock);
    return &s->parent;
}

const S390PVHeader *s390_pv_sw_header(S390PVBackend *be)
{
    S390PVSoft *s = sw_be(be);

    return s->state >= SW_UNPACKING ? &s->hdr : NULL;
}

/* --- the protected guest's Ultravisor calls ------------------------------ */

bool s390_pv_sw_is(S390PVBackend *be)
{
    return be && be->ops == &sw_ops;
}

bool s390_pv_sw_guest_protected(S390PVBackend *be)
{
    return sw_be(be)->state == SW_VERIFIED;
}

void s390_pv_sw_set_max_cpus(S390PVBackend *be, uint32_t max_cpus)
{
    sw_be(be)->max_cpu_id = max_cpus ? max_cpus - 1 : 0;
}

static void sw_set_call_bit(uint8_t *q, unsigned bit)
{
    q[S390_PV_QUERY_OFF_CALLS + bit / 8] |= 0x80 >> (bit % 8);
}

/* The secret types Add Secret takes: bit t (MSB-0) for type t */
static uint64_t sw_secret_types(void)
{
    uint64_t types = 0;
    unsigned t;

    for (t = 1; t < 64; t++) {
        if (s390_pv_secret_value_len(t) != -1) {
            types |= 1ULL << (63 - t);
        }
    }
    return types;
}

void s390_pv_sw_query(S390PVBackend *be, uint8_t *q)
{
    S390PVSoft *s = sw_be(be);

    memset(q, 0, S390_PV_QUERY_LEN);
    sw_set_call_bit(q, S390_PV_UVC_BIT_QUERY);
    sw_set_call_bit(q, S390_PV_UVC_BIT_SET_SHARED);
    sw_set_call_bit(q, S390_PV_UVC_BIT_REMOVE_SHARED);
    sw_set_call_bit(q, S390_PV_UVC_BIT_ATTEST);
    sw_set_call_bit(q, S390_PV_UVC_BIT_ADD_SECRET);
    sw_set_call_bit(q, S390_PV_UVC_BIT_LIST_SECRETS);
    sw_set_call_bit(q, S390_PV_UVC_BIT_LOCK_SECRETS);
    sw_set_call_bit(q, S390_PV_UVC_BIT_RETR_SECRET);
    /* One secure configuration: this guest's, of this guest's size. */
    stl_be_p(q + S390_PV_QUERY_OFF_MAX_CONF, 1);
    stq_be_p(q + S390_PV_QUERY_OFF_MAX_ADDR, s->ram_size);
    stw_be_p(q + S390_PV_QUERY_OFF_MAX_CPU_ID, s->max_cpu_id);
    /* No AIV, no AP: nothing but storage sharing. */
    stq_be_p(q + S390_PV_QUERY_OFF_FEATURES, 0);
    /* SE header version 0x100 is bit 0. */
    stq_be_p(q + S390_PV_QUERY_OFF_HDR_VER, 1ULL << 63);
    stq_be_p(q + S390_PV_QUERY_OFF_HDR_PCF, S390_PV_PCF_KNOWN);
    /* Attestation and add-secret requests: version 0x100 is bit 0 */
    stq_be_p(q + S390_PV_QUERY_OFF_ATT_VER, 1ULL << 63);
    stq_be_p(q + S390_PV_QUERY_OFF_ATT_PAF, S390_PV_PAF_SUPPORTED);
    stq_be_p(q + S390_PV_QUERY_OFF_ADD_VER, 1ULL << 63);
    stq_be_p(q + S390_PV_QUERY_OFF_ADD_PCF, S390_PV_ASRCB_PCF_KNOWN);
    stq_be_p(q + S390_PV_QUERY_OFF_SECRET_TYPES, sw_secret_types());
    stw_be_p(q + S390_PV_QUERY_OFF_MAX_ASSOC, S390_PV_MAX_ASSOC_SECRETS);
    stw_be_p(q + S390_PV_QUERY_OFF_MAX_RETR, S390_PV_MAX_RETR_SECRETS);
}

S390PVUvcAccess s390_pv_sw_guest_call_access(const uint8_t *hdr)
{
    uint16_t len = lduw_be_p(hdr + S390_PV_UVCB_OFF_LEN);
    S390PVUvcAccess a = { S390_PV_UVCB_HDR_LEN, S390_PV_UVCB_HDR_LEN };

    switch (lduw_be_p(hdr + S390_PV_UVCB_OFF_CMD)) {
    case S390_PV_UVC_QUERY:
        if (len >= S390_PV_QUERY_MIN_LEN) {
            /* Query stores everything up to its length, at most all. */
            a.fetch = a.store = MIN(len, S390_PV_QUERY_LEN);
        }
        break;
    case S390_PV_UVC_SET_SHARED:
    case S390_PV_UVC_REMOVE_SHARED:
        if (len >= S390_PV_SHARE_LEN) {
            a.fetch = S390_PV_SHARE_LEN;
        }
        break;
    case S390_PV_UVC_ATTEST:
        /* The CUID and the additional-data length come back. */
        if (len == S390_PV_ATT_LEN) {
            a.fetch = a.store = S390_PV_ATT_LEN;
        }
        break;
    case S390_PV_UVC_ADD_SECRET:
    case S390_PV_UVC_LIST_SECRETS:
    case S390_PV_UVC_RETR_SECRET:
        if (len >= S390_PV_SECRET_UVCB_LEN) {
            a.fetch = S390_PV_SECRET_UVCB_LEN;
        }
        break;
    }
    return a;
}

static int sw_uvc_done_rrc(uint8_t *cb, uint16_t rc, uint16_t rrc)
{
    stw_be_p(cb + S390_PV_UVCB_OFF_RC, rc);
    stw_be_p(cb + S390_PV_UVCB_OFF_RRC, rrc);
    return rc == S390_PV_UVC_RC_OK ? S390_PV_UVC_CC_OK : S390_PV_UVC_CC_ERROR;
}

static int sw_uvc_done(uint8_t *cb, uint16_t rc)
{
    return sw_uvc_done_rrc(cb, rc, 0);
}

static int sw_uvc_share(S390PVSoft *s, uint8_t *cb, uint16_t len, bool share)
{
    uint64_t addr, pfn;

    if (len < S390_PV_SHARE_LEN) {
        return sw_uvc_done(cb, S390_PV_UVC_RC_INV_LEN);
    }
    addr = ldq_be_p(cb + S390_PV_SHARE_OFF_ADDR);
    /*
     * An absolute page address inside guest storage.  Every page of a
     * protected guest's storage is secure, so there is no other error.
     */
    if (addr & (S390_PV_SE_PAGE - 1) || addr >= s->ram_size) {
        trace_s390_pv_sw_share_bad(share, addr);
        return sw_uvc_done(cb, S390_PV_UVC_RC_SHARE_ADDR);
    }
    pfn = addr / S390_PV_SE_PAGE;
    if (share) {
        set_bit_atomic(pfn, s->shared);
    } else {
        qatomic_and(&s->shared[BIT_WORD(pfn)], ~BIT_MASK(pfn));
        sw_unshared(s, addr, S390_PV_SE_PAGE);
    }
    trace_s390_pv_sw_share(share, addr);
    return sw_uvc_done(cb, S390_PV_UVC_RC_OK);
}

int s390_pv_sw_guest_call(S390PVBackend *be, uint8_t *cb, uint32_t fetched,
                          const S390PVUvcMem *mem)
{
    S390PVSoft *s = sw_be(be);
    uint16_t len = lduw_be_p(cb + S390_PV_UVCB_OFF_LEN);
    uint16_t cmd = lduw_be_p(cb + S390_PV_UVCB_OFF_CMD);
    uint8_t q[S390_PV_QUERY_LEN];
    uint16_t rc, rrc;
    uint32_t n;

    qatomic_inc(&s->guest_calls);
    trace_s390_pv_sw_guest_call(cmd, len);
    if (s->state != SW_VERIFIED) {
        return sw_uvc_done(cb, S390_PV_UVC_RC_INV_CMD);
    }
    switch (cmd) {
    case S390_PV_UVC_QUERY:
        if (len < S390_PV_QUERY_MIN_LEN) {
            return sw_uvc_done(cb, S390_PV_UVC_RC_INV_LEN);
        }
        qatomic_inc(&s->queries);
        s390_pv_sw_query(be, q);
        n = MIN(MIN(len, S390_PV_QUERY_LEN), fetched);
        memcpy(cb + S390_PV_UVCB_HDR_LEN, q + S390_PV_UVCB_HDR_LEN,
               n - S390_PV_UVCB_HDR_LEN);
        return sw_uvc_done(cb, len >= S390_PV_QUERY_LEN ?
                           S390_PV_UVC_RC_OK : S390_PV_UVC_RC_MORE_DATA);
    case S390_PV_UVC_SET_SHARED:
    case S390_PV_UVC_REMOVE_SHARED:
        if (len >= S390_PV_SHARE_LEN && fetched < S390_PV_SHARE_LEN) {
            return sw_uvc_done(cb, S390_PV_UVC_RC_INV_LEN);
        }
        return sw_uvc_share(s, cb, len, cmd == S390_PV_UVC_SET_SHARED);
    case S390_PV_UVC_ATTEST:
        if (len != S390_PV_ATT_LEN || fetched < S390_PV_ATT_LEN) {
            return sw_uvc_done(cb, S390_PV_UVC_RC_INV_LEN);
        }
        goto secrets;
    case S390_PV_UVC_ADD_SECRET:
    case S390_PV_UVC_LIST_SECRETS:
    case S390_PV_UVC_RETR_SECRET:
        if (len < S390_PV_SECRET_UVCB_LEN ||
            fetched < S390_PV_SECRET_UVCB_LEN) {
            return sw_uvc_done(cb, S390_PV_UVC_RC_INV_LEN);
        }
        goto secrets;
    case S390_PV_UVC_LOCK_SECRETS:
        if (len < S390_PV_LOCK_UVCB_LEN) {
            return sw_uvc_done(cb, S390_PV_UVC_RC_INV_LEN);
        }
        goto secrets;
    default:
        /* Unknown, and every host-only command. */
        return sw_uvc_done(cb, S390_PV_UVC_RC_INV_CMD);
    }
secrets:
    rc = s390_pv_secrets_call(s->secrets, &s->hdr, s->keys, s->nr_keys, cmd,
                              cb, mem, &rrc);
    return sw_uvc_done_rrc(cb, rc, rrc);
}

void s390_pv_sw_secrets_info(S390PVBackend *be, S390PVSecretsInfo *info)
{
    s390_pv_secrets_get_info(sw_be(be)->secrets, info);
}

bool s390_pv_sw_host_may_access(S390PVBackend *be, uint64_t addr)
{
    S390PVSoft *s = sw_be(be);

    if (qatomic_read(&s->state) != SW_VERIFIED || addr >= s->ram_size) {
        return true;
    }
    return test_bit(addr / S390_PV_SE_PAGE, s->shared);
}

void s390_pv_sw_guest_stats(S390PVBackend *be, uint64_t *shared_pages,
                            uint64_t *calls, uint64_t *queries)
{
    S390PVSoft *s = sw_be(be);

    *shared_pages = bitmap_count_one(s->shared,
                                     s->ram_size / S390_PV_SE_PAGE);
    *calls = qatomic_read(&s->guest_calls);
    *queries = qatomic_read(&s->queries);
}

/* --- the UVC instruction ------------------------------------------------- */

#define UVC_PAGE        4096ULL

/*
 * Translate logical [@addr, @addr + @len) for a store or a fetch, page by
 * page, into @abs (the absolute address of each page's first byte used);
 * false with *@fault, the first logical address that did not translate.
 */
static bool uvc_translate(const S390PVUvcCpu *cpu, uint64_t addr,
                          uint64_t len, bool store, uint64_t *abs,
                          int max_pages, uint64_t *fault)
{
    uint64_t a = addr, end = addr + len;
    int i = 0;

    if (end < addr) {
        *fault = addr;
        return false;
    }
    while (a < end) {
        uint64_t next = MIN((a | (UVC_PAGE - 1)) + 1, end);

        if (i == max_pages || !cpu->translate(cpu->opaque, a, store, &abs[i])) {
            *fault = a;
            return false;
        }
        i++;
        a = next;
    }
    return true;
}

/* Access [@addr, @addr + @len), whose pages are at @abs. */
static bool uvc_abs_rw(const S390PVUvcCpu *cpu, uint64_t addr, uint64_t len,
                       const uint64_t *abs, void *buf, bool write)
{
    uint64_t a = addr, done = 0;
    int i = 0;

    while (done < len) {
        uint64_t n = MIN(len - done, UVC_PAGE - (a & (UVC_PAGE - 1)));

        if (!cpu->abs_rw(cpu->opaque, abs[i++],
                         buf ? (uint8_t *)buf + done : NULL, n, write)) {
            return false;
        }
        a += n;
        done += n;
    }
    return true;
}

/*
 * The Ultravisor's own accesses to the buffers a UVCB names: every page
 * translated and checked first, then accessed where it was translated,
 * so that a write stores everything or nothing.  A failure is the call's
 * result code, not a program interruption.
 */
static bool uvc_mem_rw(const S390PVUvcCpu *cpu, uint64_t addr, void *buf,
                       uint64_t len, bool write)
{
    g_autofree uint64_t *abs = NULL;
    uint64_t pages, fault;

    if (!len) {
        return true;
    }
    if (addr + len < addr) {
        return false;
    }
    pages = ((addr + len - 1) / UVC_PAGE) - (addr / UVC_PAGE) + 1;
    abs = g_new(uint64_t, pages);
    return uvc_translate(cpu, addr, len, write, abs, pages, &fault) &&
           uvc_abs_rw(cpu, addr, len, abs, NULL, write) &&
           uvc_abs_rw(cpu, addr, len, abs, buf, write);
}

static bool uvc_mem_read(void *opaque, uint64_t addr, void *buf,
                         uint64_t len)
{
    return uvc_mem_rw(opaque, addr, buf, len, false);
}

static bool uvc_mem_write(void *opaque, uint64_t addr, const void *buf,
                          uint64_t len)
{
    return uvc_mem_rw(opaque, addr, (void *)buf, len, true);
}

#define UVCB_PAGES      (S390_PV_UVCB_MAX / UVC_PAGE + 2)

int s390_pv_sw_uvc(S390PVBackend *be, const S390PVUvcCpu *cpu,
                   uint64_t addr, S390PVUvcFault *fault)
{
    const S390PVUvcMem mem = {
        .read = uvc_mem_read,
        .write = uvc_mem_write,
        .opaque = (void *)cpu,
    };
    uint64_t fetch_abs[UVCB_PAGES], store_abs[UVCB_PAGES];
    uint8_t cb[S390_PV_UVCB_MAX];
    S390PVUvcAccess a;
    int cc;

    /*
     * The header says which command and how much of the UVCB it uses;
     * every byte it reads or stores must be accessible before it runs.
     */
    memset(cb, 0, sizeof(cb));
    fault->store = false;
    if (!uvc_translate(cpu, addr, S390_PV_UVCB_HDR_LEN, false, fetch_abs,
                       UVCB_PAGES, &fault->addr) ||
        !uvc_abs_rw(cpu, addr, S390_PV_UVCB_HDR_LEN, fetch_abs, cb, false)) {
        return -1;
    }
    a = s390_pv_sw_guest_call_access(cb);
    assert(a.fetch <= sizeof(cb) && a.store <= a.fetch);
    if (!uvc_translate(cpu, addr, a.fetch, false, fetch_abs, UVCB_PAGES,
                       &fault->addr) ||
        !uvc_abs_rw(cpu, addr, a.fetch, fetch_abs, cb, false)) {
        return -1;
    }
    /*
     * Where the result goes is settled before the call acts: once it has
     * (a secret added, a page shared), the store cannot fault and make
     * the guest execute the call again.
     */
    fault->store = true;
    if (!uvc_translate(cpu, addr, a.store, true, store_abs, UVCB_PAGES,
                       &fault->addr) ||
        !uvc_abs_rw(cpu, addr, a.store, store_abs, NULL, true)) {
        return -1;
    }
    cc = s390_pv_sw_guest_call(be, cb, a.fetch, &mem);
    /* (memory that was there a moment ago: it cannot fail) */
    uvc_abs_rw(cpu, addr, a.store, store_abs, cb, true);
    return cc;
}
