/*
 * Unit tests of the Secure Execution format code and the software
 * Ultravisor: known answers, header rules with their result codes,
 * unpack and verify rules, over images built here with fixed keys.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <nettle/sha2.h>
#include "qemu/bswap.h"
#include "qapi/error.h"
#include "crypto/init.h"
#include "hw/s390x/pv-host.h"
#include "hw/s390x/pv-se.h"
#include "hw/s390x/pv-sw.h"
#include "hw/s390x/pv-req.h"
#include "hw/s390x/pv-dump.h"

#define RAM_SIZE    (1024 * 1024)
#define PAGE        S390_PV_SE_PAGE
#define HDR_ADDR    0x14000

static char *data_dir;
static S390PVKey host_key, other_key, cust_key;
static uint8_t *ram;

static char *data_file(const char *name)
{
    return g_build_filename(data_dir, name, NULL);
}

static void load_key(const char *name, S390PVKey *key)
{
    g_autofree char *f = data_file(name);

    g_assert_true(s390_pv_key_load_pem(f, key, &error_abort));
}

static void hex(const char *s, uint8_t *out, size_t len)
{
    size_t i;

    g_assert_cmpuint(strlen(s), ==, 2 * len);
    for (i = 0; i < len; i++) {
        sscanf(s + 2 * i, "%2hhx", &out[i]);
    }
}

/* spec: se-image-format.md section 3, from the public pvimg tests */
static void test_known_answer(void)
{
    static const struct {
        uint64_t addr, len;
        uint8_t fill;
    } comps[] = { { 0x10000, 0x3400, 0x01 }, { 0x20000, 0x3000, 0x02 } };
    uint8_t key[64], want[64], pld[64], ald[64], tld[64], tw[16];
    g_autoptr(QCryptoCipher) xts = NULL;
    uint8_t page[PAGE];
    S390PVDigests d;
    uint64_t off;
    int i;

    memset(key, 0x42, 32);
    memset(key + 32, 0x43, 32);
    xts = s390_pv_xts_new(key, &error_abort);
    s390_pv_digests_init(&d);
    for (i = 0; i < ARRAY_SIZE(comps); i++) {
        for (off = 0; off < comps[i].len; off += PAGE) {
            memset(page, 0, PAGE);
            memset(page, comps[i].fill, MIN(PAGE, comps[i].len - off));
            s390_pv_tweak(tw, 0x42, off);
            g_assert_true(s390_pv_xts_page(xts, tw, page, true,
                                           &error_abort));
            s390_pv_digests_add(&d, page, comps[i].addr + off, tw);
        }
    }
    g_assert_cmpuint(d.nep, ==, 7);
    s390_pv_digests_final(&d, pld, ald, tld);
    hex("c391de5727a08212ea2fea9c37f9cf090be51f93c6d521b8906332ce720c5f38"
        "ada0e73e69663e5211d015fef41dc62606f5135e619904d4f450ab889f49caad",
        want, 64);
    g_assert_cmpmem(ald, 64, want, 64);
    hex("a24ff30a8af1295888dedfe9369eb509290309a90159ebc32ca26a53f9d4364a"
        "781857e2590587536c3e767355c7b7603f2b0c6a407f16330d82128d0964fad2",
        want, 64);
    g_assert_cmpmem(pld, 64, want, 64);
    hex("424fe3cf04a6f64a7aef185c3b4ef607c0e4f54bb7e14620b574a3d31eef31c7"
        "d462eb040d45ee6918e6b80968ba4454f9e2edc26f6929ed624d0055f2355659",
        want, 64);
    g_assert_cmpmem(tld, 64, want, 64);
}

static void test_key_pem(void)
{
    g_autofree char *p384 = data_file("host-p384.pem");
    g_autofree char *crt = data_file("host.crt");
    g_autofree char *mismatch = data_file("host-mismatch.pem");
    S390PVKey pkcs8, k;
    Error *err = NULL;

    /* SEC1 and PKCS#8 forms of one key are the same key */
    load_key("host-pkcs8.pem", &pkcs8);
    g_assert_true(host_key.has_priv);
    g_assert_cmpmem(pkcs8.priv, 66, host_key.priv, 66);
    g_assert_cmpmem(pkcs8.phkh, 32, host_key.phkh, 32);
    /* the public point taken from the file is the scalar's */
    g_assert_true(s390_pv_key_from_priv(host_key.priv, &k, &error_abort));
    g_assert_cmpmem(k.x, 66, host_key.x, 66);
    g_assert_cmpmem(k.y, 66, host_key.y, 66);
    g_assert_cmpmem(k.phkh, 32, host_key.phkh, 32);

    g_assert_false(s390_pv_key_load_pem(p384, &k, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "curve secp384r1, need "
                            "secp521r1"));
    error_free(err);
    err = NULL;
    g_assert_false(s390_pv_key_load_pem("/nonexistent/host.pem", &k, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "/nonexistent/host.pem"));
    error_free(err);
    err = NULL;
    /* a certificate holds no private key */
    g_assert_false(s390_pv_key_load_pem(crt, &k, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "not a PEM private key"));
    error_free(err);
    err = NULL;
    /* one key's scalar with another's public point: refused */
    g_assert_false(s390_pv_key_load_pem(mismatch, &k, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "its public key is not "
                            "its private key's"));
    g_assert_nonnull(strstr(error_get_pretty(err), mismatch));
    error_free(err);
}

/* Clearing guest RAM by discarding it, and which RAM pages PV accepts */
static void test_host_memory_rules(void)
{
    /* anonymous or shared RAM: whole RAM pages are discarded */
    g_assert_true(s390_pv_may_discard(false, false, 4096, 0x10000, 0x3000));
    g_assert_true(s390_pv_may_discard(true, true, 4096, 0x10000, 0x3000));
    /* never a private mapping of a file: holes would be punched into it */
    g_assert_false(s390_pv_may_discard(true, false, 4096, 0x10000, 0x1000));
    /* 64 KiB host pages: 4 KiB runs are written, whole pages discarded */
    g_assert_false(s390_pv_may_discard(false, false, 0x10000, 0x11000,
                                       0x1000));
    g_assert_false(s390_pv_may_discard(false, false, 0x10000, 0x10000,
                                       0x1000));
    g_assert_true(s390_pv_may_discard(false, false, 0x10000, 0x20000,
                                      0x20000));
    /* TCG runs on 16 KiB and 64 KiB base pages, not on huge pages */
    g_assert_true(s390_pv_ram_pages_ok(false, 4096, 4096));
    g_assert_true(s390_pv_ram_pages_ok(false, 0x4000, 0x4000));
    g_assert_true(s390_pv_ram_pages_ok(false, 0x10000, 0x10000));
    g_assert_false(s390_pv_ram_pages_ok(false, 2 * 1024 * 1024, 4096));
    /* KVM: 4 KiB pages only */
    g_assert_true(s390_pv_ram_pages_ok(true, 4096, 4096));
    g_assert_false(s390_pv_ram_pages_ok(true, 0x10000, 0x10000));
    g_assert_false(s390_pv_ram_pages_ok(true, 1024 * 1024, 4096));
}

/* --- images built in guest memory --------------------------------------- */

typedef struct Image {
    S390PVIplBlock iplb;
    S390PVHeaderSpec spec;
    uint8_t hdr[S390_PV_SE_MAX_LEN];
    uint32_t hdr_len;
    uint8_t plain[3][3 * PAGE];
} Image;

static const struct {
    uint64_t addr, size, tweak;
} layout[] = {
    { 0x15000, 0x2100, 0x0000aabbccddeeffULL },
    { 0x18000, 0x0010, 0x0001aabbccddeeffULL },
    { 0x19000, 0x3000, 0x0002aabbccddeeffULL },
};

/* Put a 3-component image into guest memory; header at HDR_ADDR. */
static void make_image(Image *im, uint64_t pcf, uint64_t scf,
                       const S390PVKey *hosts, int nhosts)
{
    g_autoptr(QCryptoCipher) xts = NULL;
    S390PVDigests d;
    uint8_t tw[16];
    uint64_t off;
    int i, j;

    memset(ram, 0x5a, RAM_SIZE);    /* stale memory, cleared by verify */
    memset(im, 0, sizeof(*im));
    for (i = 0; i < 32; i++) {
        im->spec.header_key[i] = 0x10 + i;
        im->spec.cck[i] = 0x50 + i;
    }
    for (i = 0; i < 64; i++) {
        im->spec.xts_key[i] = 0x80 + i;
    }
    memcpy(im->spec.iv, "fixed-iv-123", S390_PV_SE_IV_LEN);
    im->spec.host_keys = hosts;
    im->spec.nr_host_keys = nhosts;
    im->spec.cust_key = &cust_key;
    im->spec.psw_mask = 0x0000000180000000ULL;
    im->spec.psw_addr = 0x15000;
    im->spec.pcf = pcf;
    im->spec.scf = scf;

    xts = s390_pv_xts_new(im->spec.xts_key, &error_abort);
    s390_pv_digests_init(&d);
    im->iplb.num_comp = ARRAY_SIZE(layout);
    im->iplb.hdr_addr = HDR_ADDR;
    for (i = 0; i < ARRAY_SIZE(layout); i++) {
        uint64_t size = ROUND_UP(layout[i].size, PAGE);

        im->iplb.comp[i] = (S390PVComponent) {
            layout[i].tweak, layout[i].addr, layout[i].size
        };
        memset(ram + layout[i].addr, 0, size);
        for (j = 0; j < layout[i].size; j++) {
            ram[layout[i].addr + j] = (uint8_t)(j * 7 + i);
        }
        memcpy(im->plain[i], ram + layout[i].addr, size);
        for (off = 0; off < size; off += PAGE) {
            uint8_t *page = ram + layout[i].addr + off;

            s390_pv_tweak(tw, layout[i].tweak, off);
            if (!(pcf & S390_PV_PCF_NO_DECRYPT)) {
                g_assert_true(s390_pv_xts_page(xts, tw, page, true,
                                               &error_abort));
            }
            s390_pv_digests_add(&d, page, layout[i].addr + off, tw);
        }
    }
    im->spec.nep = d.nep;
    s390_pv_digests_final(&d, im->spec.pld, im->spec.ald, im->spec.tld);
    im->hdr_len = s390_pv_se_header_len(nhosts);
    im->iplb.hdr_len = im->hdr_len;
    g_assert_true(s390_pv_se_build(&im->spec, im->hdr, &error_abort));
    memcpy(ram + HDR_ADDR, im->hdr, im->hdr_len);
}

static S390PVBackend *uv(const S390PVKey *key)
{
    return s390_pv_sw_backend_new(key, 1, ram, RAM_SIZE, NULL, NULL);
}

/* Protect with @be; expect @cmd to fail with @rc/@rrc (or success). */
static void expect(S390PVBackend *be, Image *im, uint16_t cmd, uint16_t rc,
                   uint16_t rrc)
{
    S390PVInfo info;
    S390PVResult res;
    Error *err = NULL;
    int ret;

    ret = s390_pv_uv_protect(be, &im->iplb, im->hdr, 1, RAM_SIZE, &info,
                             &res, &err);
    if (err) {
        g_test_message("%s", error_get_pretty(err));
        error_free(err);
    }
    g_assert_cmpuint(res.cmd, ==, cmd);
    g_assert_cmphex(res.rc, ==, rc);
    g_assert_cmphex(res.rrc, ==, rrc);
    g_assert_cmpint(ret, ==, rc == S390_PV_RC_OK ? 0 : -1);
}

/*
 * The image owner opens the header with its header key (s390-pvimg info
 * --key): the same fields as the Ultravisor's open with the host key; a
 * wrong key, or a header with a flipped byte, is refused as the
 * Ultravisor refuses it.
 */
static void test_open_with_key(void)
{
    static const uint8_t zero[32];
    S390PVHeader by_host, by_owner;
    uint8_t wrong[32];
    uint16_t rc, rrc;
    Error *err = NULL;
    Image im;

    make_image(&im, S390_PV_PCF_PCKMO, S390_PV_SCF_CCK_EXT_SECRET,
               &other_key, 1);
    g_assert_cmpint(s390_pv_se_open(im.hdr, im.hdr_len, &host_key, 1,
                                    &by_host, &rc, &rrc, NULL), ==, -1);
    make_image(&im, S390_PV_PCF_PCKMO, S390_PV_SCF_CCK_EXT_SECRET,
               &host_key, 1);
    g_assert_cmpint(s390_pv_se_open(im.hdr, im.hdr_len, &host_key, 1,
                                    &by_host, &rc, &rrc, &error_abort), ==,
                    0);
    g_assert_cmpint(s390_pv_se_open_with_key(im.hdr, im.hdr_len,
                                             im.spec.header_key, &by_owner,
                                             &error_abort), ==, 0);
    g_assert_cmpmem(by_owner.cck, 32, im.spec.cck, 32);
    g_assert_cmpmem(by_owner.xts_key, 64, im.spec.xts_key, 64);
    g_assert_cmphex(by_owner.psw_addr, ==, 0x15000);
    g_assert_cmphex(by_owner.scf, ==, S390_PV_SCF_CCK_EXT_SECRET);
    g_assert_cmphex(by_owner.pcf, ==, S390_PV_PCF_PCKMO);
    memset(by_host.phkh, 0, sizeof(by_host.phkh));
    g_assert_cmpmem(&by_owner, sizeof(by_owner), &by_host, sizeof(by_host));

    memcpy(wrong, im.spec.header_key, 32);
    wrong[31] ^= 1;
    g_assert_cmpint(s390_pv_se_open_with_key(im.hdr, im.hdr_len, wrong,
                                             &by_owner, &err), ==, -1);
    error_free_or_abort(&err);
    g_assert_cmpmem(by_owner.cck, 32, zero, 32);
    im.hdr[S390_PV_SE_OFF_PCF + 7] ^= 0x80;
    g_assert_cmpint(s390_pv_se_open_with_key(im.hdr, im.hdr_len,
                                             im.spec.header_key, &by_owner,
                                             &err), ==, -1);
    g_assert_nonnull(strstr(error_get_pretty(err), "rrc 0x42"));
    error_free(err);
}

/*
 * The dump key: HKDF-SHA-512 known answers computed independently
 * (Python's hmac and hashlib, RFC 5869's construction): RFC 5869's first
 * test case's inputs with SHA-512, and the dump key of a CCK and seed.
 */
static void test_dump_key(void)
{
    static const char rfc_okm[] =
        "832390086cda71fb47625bb5ceb168e4c8e26a1a16ed34d9fc7fe92c14815793"
        "38da362cb8d9f925d7cb";
    static const char dump_key[] =
        "43c68681bf961cabcb7f316df23983e2879e156ba6d5099c9a25fc97c389dd61";
    uint8_t ikm[22], salt[13], okm[42], cck[32], seed[64], key[32];
    uint8_t want[42];
    char info[11] = { 0 };
    int i;

    memset(ikm, 0x0b, sizeof(ikm));
    for (i = 0; i < 13; i++) {
        salt[i] = i;
    }
    for (i = 0; i < 10; i++) {
        info[i] = 0xf0 + i;
    }
    s390_pv_hkdf_sha512(salt, sizeof(salt), ikm, sizeof(ikm), info, okm,
                        sizeof(okm));
    hex(rfc_okm, want, sizeof(okm));
    g_assert_cmpmem(okm, sizeof(okm), want, sizeof(okm));

    for (i = 0; i < 32; i++) {
        cck[i] = i;
    }
    for (i = 0; i < 64; i++) {
        seed[i] = 0x80 + i;
    }
    s390_pv_dump_key(cck, seed, key);
    hex(dump_key, want, sizeof(key));
    g_assert_cmpmem(key, sizeof(key), want, sizeof(key));
}

/* Sealed pieces open with their key only, and only unchanged */
static void test_dump_format(void)
{
    uint8_t key[32], buf[S390_PV_DUMP_CPU_LEN], copy[sizeof(buf)], tc[16];
    uint8_t nonce[16], tweak[16];
    int i;

    memset(key, 0x11, sizeof(key));
    for (i = 0; i < sizeof(buf); i++) {
        buf[i] = i * 7;
    }
    s390_pv_dump_seal(key, buf, sizeof(buf), S390_PV_DUMP_CPU_AAD,
                      S390_PV_DUMP_CPU_IV);
    memcpy(copy, buf, sizeof(buf));
    g_assert_true(s390_pv_dump_open(key, copy, sizeof(copy),
                                    S390_PV_DUMP_CPU_AAD,
                                    S390_PV_DUMP_CPU_IV));
    for (i = S390_PV_DUMP_CPU_AAD; i < sizeof(buf) - 16; i++) {
        g_assert_cmpint(copy[i], ==, (uint8_t)(i * 7));
    }
    /* the associated data, the area and the tag are all bound */
    for (i = 0; i < 3; i++) {
        static const int at[] = { 4, 100, S390_PV_DUMP_CPU_LEN - 1 };

        memcpy(copy, buf, sizeof(buf));
        copy[at[i]] ^= 1;
        g_assert_false(s390_pv_dump_open(key, copy, sizeof(copy),
                                         S390_PV_DUMP_CPU_AAD,
                                         S390_PV_DUMP_CPU_IV));
    }
    memcpy(copy, buf, sizeof(buf));
    key[0] ^= 1;
    g_assert_false(s390_pv_dump_open(key, copy, sizeof(copy),
                                     S390_PV_DUMP_CPU_AAD,
                                     S390_PV_DUMP_CPU_IV));

    /* tweak components and page states, as zgetdump reads them */
    s390_pv_dump_tc_page(tc, 0x1234);
    g_assert_cmpint(s390_pv_dump_page_state(tc), ==, S390_PV_PAGE_ENCRYPTED);
    memset(nonce, 0, sizeof(nonce));
    nonce[0] = 0xab;
    s390_pv_dump_tweak(tc, nonce, tweak);
    g_assert_cmphex(tweak[0], ==, 0xab);
    g_assert_cmphex(ldq_be_p(tweak + 8), ==, 0x1234);
    s390_pv_dump_tc_special(tc, S390_PV_DUMP_TC_ZERO);
    g_assert_cmpint(s390_pv_dump_page_state(tc), ==, S390_PV_PAGE_ZERO);
    s390_pv_dump_tc_special(tc, S390_PV_DUMP_TC_SHARED |
                            S390_PV_DUMP_TC_MAPPED);
    g_assert_cmpint(s390_pv_dump_page_state(tc), ==, S390_PV_PAGE_SHARED);
    s390_pv_dump_tc_special(tc, S390_PV_DUMP_TC_MAPPED);
    g_assert_cmpint(s390_pv_dump_page_state(tc), ==, S390_PV_PAGE_INVALID);
    s390_pv_dump_tc_special(tc, S390_PV_DUMP_TC_ZERO |
                            S390_PV_DUMP_TC_SHARED);
    g_assert_cmpint(s390_pv_dump_page_state(tc), ==, S390_PV_PAGE_INVALID);
    s390_pv_dump_tc_special(tc, 0x08 | S390_PV_DUMP_TC_ZERO);
    g_assert_cmpint(s390_pv_dump_page_state(tc), ==, S390_PV_PAGE_INVALID);
    s390_pv_dump_tc_special(tc, 0);
    g_assert_cmpint(s390_pv_dump_page_state(tc), ==, S390_PV_PAGE_INVALID);
}

/*
 * The software Ultravisor's dump: refused for an image without the dump
 * flag; otherwise its CPU note, its storage state, an exported page and
 * its completion data all open and decrypt with what the CCK gives.
 */
static void test_dump_sw(void)
{
    g_autofree Image *im = g_new0(Image, 1);
    S390PVBackend *be = uv(&host_key);
    uint8_t state[S390_PV_DUMP_CPU_AREA_LEN], note[S390_PV_DUMP_CPU_LEN];
    uint8_t meta[S390_PV_DUMP_PAGES_PER_MIB * 16], page[PAGE], a[8];
    uint8_t compl[S390_PV_DUMP_COMPL_LEN], key[32], tweak[16];
    uint8_t md[SHA512_DIGEST_SIZE];
    g_autoptr(QCryptoCipher) xts = NULL;
    struct sha512_ctx h;
    S390PVInfo info;
    Error *err = NULL;
    int i;

    make_image(im, 0, 0, &host_key, 1);
    expect(be, im, S390_PV_CMD_VERIFY, S390_PV_RC_OK, 0);
    g_assert_cmpint(be->ops->dump_init(be, &err), <, 0);
    g_assert_nonnull(strstr(error_get_pretty(err),
                            "the image does not allow dumping"));
    error_free_or_abort(&err);
    be->ops->disable(be, NULL, &error_abort);
    be->ops->destroy(be);

    be = uv(&host_key);
    s390_pv_sw_set_isolation(be, true);
    make_image(im, S390_PV_PCF_ALLOW_DUMP, 0, &host_key, 1);
    expect(be, im, S390_PV_CMD_VERIFY, S390_PV_RC_OK, 0);
    g_assert_cmpint(be->ops->info(be, &info, &error_abort), ==, 0);
    g_assert_true(info.dump_valid);
    g_assert_cmpuint(info.dump_cpu_len, ==, 1568);
    g_assert_cmpuint(info.dump_storage_state_len, ==, 4096);
    g_assert_cmpuint(info.dump_completion_len, ==, 288);
    g_assert_false(s390_pv_sw_dumping(be));
    g_assert_cmpint(be->ops->dump_init(be, &error_abort), ==, 0);
    g_assert_true(s390_pv_sw_dumping(be));

    for (i = 0; i < sizeof(state); i++) {
        state[i] = i ^ 0x5a;
    }
    g_assert_cmpint(be->ops->dump_cpu(be, 0, state, note, sizeof(note),
                                      &error_abort), ==, 0);
    g_assert_cmpint(ldl_be_p(note), ==, 1);
    g_assert_cmpint(ldl_be_p(note + 4), ==, 1568);
    g_assert_true(memcmp(note + 32, state, sizeof(state)) != 0);

    /* the first page of component 0, as the dump holds it */
    s390_pv_sw_dump_export(be, 0x15000, page, PAGE);
    g_assert_true(memcmp(page, im->plain[0], PAGE) != 0);
    g_assert_cmpint(be->ops->dump_storage_state(be, 0, sizeof(meta), meta,
                                                &error_abort), ==, 0);
    g_assert_cmpint(s390_pv_dump_page_state(meta + 0x15 * 16), ==,
                    S390_PV_PAGE_ENCRYPTED);
    g_assert_cmphex(ldq_be_p(meta + 0x15 * 16 + 8), ==, 0x15);
    g_assert_cmpint(s390_pv_dump_page_state(meta + 0x40 * 16), ==,
                    S390_PV_PAGE_ZERO);
    g_assert_cmpint(be->ops->dump_complete(be, compl, sizeof(compl),
                                           &error_abort), ==, 0);
    g_assert_false(s390_pv_sw_dumping(be));
    g_assert_cmpint(be->ops->dump_cpu(be, 0, state, note, sizeof(note),
                                      &err), <, 0);
    error_free_or_abort(&err);

    /* the owner's side: everything from the CCK */
    s390_pv_dump_key(im->spec.cck, compl + S390_PV_DUMP_COMPL_SEED, key);
    g_assert_true(s390_pv_dump_open(key, compl, sizeof(compl),
                                    S390_PV_DUMP_COMPL_AAD,
                                    S390_PV_DUMP_COMPL_IV));
    g_assert_true(s390_pv_dump_open(key, note, sizeof(note),
                                    S390_PV_DUMP_CPU_AAD,
                                    S390_PV_DUMP_CPU_IV));
    g_assert_cmpmem(note + 32, sizeof(state), state, sizeof(state));
    g_assert_cmpmem(compl + S390_PV_DUMP_COMPL_MD_MARK, 8, "QEMU-MD1", 8);
    sha512_init(&h);
    stq_be_p(a, 0x15000);
    sha512_update(&h, 8, a);
    sha512_update(&h, 16, meta + 0x15 * 16);
    sha512_update(&h, PAGE, page);
    sha512_digest(&h, sizeof(md), md);
    g_assert_cmpmem(compl + S390_PV_DUMP_COMPL_MD, 64, md, 64);
    xts = s390_pv_xts_new(compl + S390_PV_DUMP_COMPL_KEY, &error_abort);
    s390_pv_dump_tweak(meta + 0x15 * 16, compl + S390_PV_DUMP_COMPL_NONCE,
                       tweak);
    g_assert_true(s390_pv_xts_page(xts, tweak, page, false, &error_abort));
    g_assert_cmpmem(page, PAGE, im->plain[0], PAGE);
    be->ops->disable(be, NULL, &error_abort);
    be->ops->destroy(be);
}

static void test_protect(void)
{
    g_autofree Image *im = g_new0(Image, 1);
    S390PVBackend *be = uv(&host_key);
    uint64_t mask, addr;
    int i;

    make_image(im, 0, 0, &host_key, 1);
    expect(be, im, S390_PV_CMD_VERIFY, S390_PV_RC_OK, 0);
    /* every component is back to its plaintext ... */
    for (i = 0; i < ARRAY_SIZE(layout); i++) {
        g_assert_cmpmem(ram + layout[i].addr, ROUND_UP(layout[i].size, PAGE),
                        im->plain[i], ROUND_UP(layout[i].size, PAGE));
    }
    /* ... and every other page is clear, the header's included */
    g_assert_cmphex(ram[0], ==, 0);
    g_assert_cmphex(ram[HDR_ADDR], ==, 0);
    g_assert_cmphex(ram[0x1c000], ==, 0);
    g_assert_cmphex(ram[RAM_SIZE - 1], ==, 0);
    g_assert_true(be->ops->start_psw(be, &mask, &addr));
    g_assert_cmphex(mask, ==, 0x0000000180000000ULL);
    g_assert_cmphex(addr, ==, 0x15000);
    g_assert_cmphex(s390_pv_sw_header(be)->nep, ==, 7);
    /* nothing may be unpacked once verified */
    g_assert_cmpint(be->ops->unpack(be, 0x30000, PAGE, 0xffffffffffffULL,
                                    NULL, NULL), <, 0);
    /* leaving PV clears a protected guest's memory */
    ram[0x15000] = 1;
    be->ops->disable(be, NULL, &error_abort);
    g_assert_cmphex(ram[0x15000], ==, 0);
    be->ops->destroy(be);
}

/* One guest UV call on a UVCB of @len bytes with @cmd (page @addr). */
/*
 * Guest memory for the Ultravisor's own accesses: @ram, with the page
 * at FAULT_PAGE giving access exceptions.
 */
#define FAULT_PAGE  0xf0000

static bool mem_ok(uint64_t addr, uint64_t len)
{
    return addr < RAM_SIZE && len <= RAM_SIZE - addr &&
           (addr + len <= FAULT_PAGE || addr >= FAULT_PAGE + PAGE);
}

static bool mem_read(void *opaque, uint64_t addr, void *buf, uint64_t len)
{
    if (!mem_ok(addr, len)) {
        return false;
    }
    memcpy(buf, ram + addr, len);
    return true;
}

static bool mem_write(void *opaque, uint64_t addr, const void *buf,
                      uint64_t len)
{
    if (!mem_ok(addr, len)) {
        return false;
    }
    memcpy(ram + addr, buf, len);
    return true;
}

static const S390PVUvcMem guest_mem = { mem_read, mem_write, NULL };

static int guest_call(S390PVBackend *be, uint8_t *cb, uint16_t len,
                      uint16_t cmd, uint64_t addr, uint16_t *rc)
{
    S390PVUvcAccess a;
    int cc;

    memset(cb, 0xaa, S390_PV_UVCB_MAX);
    stw_be_p(cb, len);
    stw_be_p(cb + 2, cmd);
    stq_be_p(cb + S390_PV_SHARE_OFF_ADDR, addr);
    a = s390_pv_sw_guest_call_access(cb);
    g_assert_cmpint(a.fetch, >=, 8);
    g_assert_cmpint(a.fetch, <=, S390_PV_UVCB_MAX);
    g_assert_cmpint(a.store, <=, a.fetch);
    cc = s390_pv_sw_guest_call(be, cb, a.fetch, &guest_mem);
    *rc = lduw_be_p(cb + 4);
    g_assert_cmphex(lduw_be_p(cb + 6), ==, 0);
    return cc;
}

/* --- the UVC instruction: translation of the UVCB --------------------- */

/*
 * A CPU whose logical addresses are absolute ones in ram, except that
 * stores to [no_store, no_store + 4 KiB) do not translate, and, once
 * page 0x20000 is shared (the call acted), neither do stores to the
 * UVCB's page: another CPU took it away between the call and its store.
 */
typedef struct FakeCpu {
    S390PVBackend *be;
    uint64_t no_store;
    uint64_t uvcb;
    bool take_after_effect;
    int store_translations;
} FakeCpu;

static bool fake_translate(void *opaque, uint64_t addr, bool store,
                           uint64_t *abs)
{
    FakeCpu *c = opaque;

    if (addr >= RAM_SIZE) {
        return false;
    }
    if (store) {
        c->store_translations++;
        if ((addr & ~0xfffULL) == c->no_store) {
            return false;
        }
        if (c->take_after_effect &&
            (addr & ~0xfffULL) == (c->uvcb & ~0xfffULL) &&
            s390_pv_sw_host_may_access(c->be, 0x20000)) {
            return false;
        }
    }
    *abs = addr;
    return true;
}

static bool fake_abs_rw(void *opaque, uint64_t abs, void *buf, uint64_t len,
                        bool write)
{
    g_assert_cmpint((abs & 0xfff) + len, <=, 0x1000);
    if (abs + len > RAM_SIZE) {
        return false;
    }
    if (buf) {
        if (write) {
            memcpy(ram + abs, buf, len);
        } else {
            memcpy(buf, ram + abs, len);
        }
    }
    return true;
}

static int fake_uvc(FakeCpu *c, uint64_t uvcb, uint16_t len, uint16_t cmd,
                    uint64_t page, S390PVUvcFault *fault)
{
    const S390PVUvcCpu cpu = {
        .translate = fake_translate,
        .abs_rw = fake_abs_rw,
        .opaque = c,
    };

    memset(ram + uvcb, 0, len);
    stw_be_p(ram + uvcb, len);
    stw_be_p(ram + uvcb + 2, cmd);
    stq_be_p(ram + uvcb + S390_PV_SHARE_OFF_ADDR, page);
    c->uvcb = uvcb;
    return s390_pv_sw_uvc(c->be, &cpu, uvcb, fault);
}

/*
 * The UVC instruction settles where its result goes before the call
 * acts.  A UVCB whose page another CPU takes away right after the call
 * acted still gets its result (the store used to fault then, and the
 * guest executed the call a second time); one that cannot be stored to
 * from the start is an access exception, and nothing took effect.
 */
static void test_uvc_insn_store(void)
{
    g_autofree Image *im = g_new0(Image, 1);
    FakeCpu c = { .no_store = UINT64_MAX };
    S390PVUvcFault fault;
    uint64_t shared, calls, calls0, queries, queries0;

    c.be = uv(&host_key);
    make_image(im, 0, 0, &host_key, 1);
    expect(c.be, im, S390_PV_CMD_VERIFY, S390_PV_RC_OK, 0);

    /* taken away after the effect: the result arrives, once */
    c.take_after_effect = true;
    s390_pv_sw_guest_stats(c.be, &shared, &calls0, &queries);
    g_assert_cmpint(fake_uvc(&c, 0x30000, 0x30, 0x1000, 0x20000, &fault),
                    ==, 0);
    g_assert_cmphex(lduw_be_p(ram + 0x30004), ==, 0x0001);
    g_assert_true(s390_pv_sw_host_may_access(c.be, 0x20000));
    s390_pv_sw_guest_stats(c.be, &shared, &calls, &queries);
    g_assert_cmpint(calls, ==, calls0 + 1);
    g_assert_cmpint(c.store_translations, >=, 1);
    c.take_after_effect = false;

    /* no store from the start: an exception, and no effect */
    c.no_store = 0x31000;
    g_assert_cmpint(fake_uvc(&c, 0x31000, 0x30, 0x1000, 0x21000, &fault),
                    ==, -1);
    g_assert_true(fault.store);
    g_assert_cmphex(fault.addr, ==, 0x31000);
    g_assert_false(s390_pv_sw_host_may_access(c.be, 0x21000));
    s390_pv_sw_guest_stats(c.be, &shared, &calls, &queries);
    g_assert_cmpint(calls, ==, calls0 + 1);

    /* a Query across two pages, the second not storable: the same */
    c.no_store = 0x33000;
    s390_pv_sw_guest_stats(c.be, &shared, &calls, &queries0);
    g_assert_cmpint(fake_uvc(&c, 0x32f80, 0x120, 0x0001, 0, &fault), ==, -1);
    g_assert_true(fault.store);
    g_assert_cmphex(fault.addr, ==, 0x33000);
    s390_pv_sw_guest_stats(c.be, &shared, &calls, &queries);
    g_assert_cmpint(queries, ==, queries0);
    g_assert_cmpint(calls, ==, calls0 + 1);

    /* the header does not translate: a fetch exception */
    {
        const S390PVUvcCpu cpu = { fake_translate, fake_abs_rw, &c };

        g_assert_cmpint(s390_pv_sw_uvc(c.be, &cpu, RAM_SIZE + 0x100, &fault),
                        ==, -1);
        g_assert_false(fault.store);
        g_assert_cmphex(fault.addr, ==, RAM_SIZE + 0x100);
    }
    c.be->ops->destroy(c.be);
}

/*
 * The protected guest's calls, case by case: lengths, commands the guest
 * may not call, addresses; the shared state and who may see which page.
 */
static void test_guest_calls(void)
{
    static const uint16_t host_only[] = {
        0x000f, 0x0100, 0x0101, 0x0120, 0x0121, 0x0200, 0x0201, 0x0300,
        0x0301, 0x0302, 0x0310, 0x0311, 0x0320, 0x0321, 0x0330, 0x0340,
        0x0341, 0x0342, 0x0102, 0x0400, 0x0002, 0x4242, 0xffff,
    };
    g_autofree Image *im = g_new0(Image, 1);
    S390PVBackend *be = uv(&host_key);
    uint8_t cb[S390_PV_UVCB_MAX], q[S390_PV_QUERY_LEN];
    uint64_t shared, calls, queries;
    uint16_t rc;
    int i;

    /* not protected yet: nothing but "invalid command", all visible */
    g_assert_cmpint(guest_call(be, cb, 0x120, 0x0001, 0, &rc), ==, 1);
    g_assert_cmphex(rc, ==, S390_PV_UVC_RC_INV_CMD);
    g_assert_true(s390_pv_sw_host_may_access(be, 0x20000));

    make_image(im, 0, 0, &host_key, 1);
    expect(be, im, S390_PV_CMD_VERIFY, S390_PV_RC_OK, 0);
    s390_pv_sw_set_max_cpus(be, 248);

    /* Query: every length class */
    g_assert_cmpint(guest_call(be, cb, 0xa0, 0x0001, 0, &rc), ==, 1);
    g_assert_cmphex(rc, ==, 0x0005);
    g_assert_cmpint(guest_call(be, cb, 0xa8, 0x0001, 0, &rc), ==, 1);
    g_assert_cmphex(rc, ==, 0x0100);
    g_assert_cmphex(ldq_be_p(cb + 0x10), ==, 0x80c0000f40000000ULL);
    g_assert_cmphex(cb[0xa8], ==, 0xaa);            /* nothing beyond len */
    g_assert_cmpint(guest_call(be, cb, 0x100, 0x0001, 0, &rc), ==, 1);
    g_assert_cmphex(rc, ==, 0x0100);
    g_assert_cmpint(guest_call(be, cb, 0x120, 0x0001, 0, &rc), ==, 0);
    g_assert_cmphex(rc, ==, 0x0001);
    g_assert_cmpint(guest_call(be, cb, 0xffff, 0x0001, 0, &rc), ==, 0);
    g_assert_cmphex(rc, ==, 0x0001);
    s390_pv_sw_query(be, q);
    g_assert_cmpmem(cb + 8, S390_PV_QUERY_LEN - 8, q + 8,
                    S390_PV_QUERY_LEN - 8);
    g_assert_cmphex(lduw_be_p(q + 0x9e), ==, 247);
    g_assert_cmphex(ldq_be_p(q + 0xb0), ==, 0x8000000000000000ULL);
    g_assert_cmphex(ldq_be_p(q + 0x80), ==, RAM_SIZE);
    /* bits 1-7, 11, 13-19, 21, 22 and 34 are not the guest's */
    g_assert_cmphex(ldq_be_p(q + 0x18), ==, 0);

    /* host-only and unknown commands */
    for (i = 0; i < ARRAY_SIZE(host_only); i++) {
        g_assert_cmpint(guest_call(be, cb, 0x30, host_only[i], 0, &rc), ==, 1);
        g_assert_cmphex(rc, ==, S390_PV_UVC_RC_INV_CMD);
    }

    /* Set and Remove Shared Access */
    g_assert_false(s390_pv_sw_host_may_access(be, 0x20000));
    g_assert_cmpint(guest_call(be, cb, 0x28, 0x1000, 0x20000, &rc), ==, 1);
    g_assert_cmphex(rc, ==, 0x0005);
    g_assert_cmpint(guest_call(be, cb, 0x30, 0x1000, 0x20000, &rc), ==, 0);
    g_assert_cmphex(rc, ==, 0x0001);
    g_assert_true(s390_pv_sw_host_may_access(be, 0x20fff));
    g_assert_false(s390_pv_sw_host_may_access(be, 0x21000));
    g_assert_false(s390_pv_sw_host_may_access(be, 0x1ffff));
    g_assert_cmpint(guest_call(be, cb, 0x30, 0x1000, 0x20000, &rc), ==, 0);
    g_assert_cmpint(guest_call(be, cb, 0x30, 0x1000, 0x20010, &rc), ==, 1);
    g_assert_cmphex(rc, ==, 0x0101);
    g_assert_cmpint(guest_call(be, cb, 0x30, 0x1000, RAM_SIZE, &rc), ==, 1);
    g_assert_cmphex(rc, ==, 0x0101);
    g_assert_cmpint(guest_call(be, cb, 0x30, 0x1001, RAM_SIZE + PAGE, &rc),
                    ==, 1);
    g_assert_cmphex(rc, ==, 0x0101);
    g_assert_cmpint(guest_call(be, cb, 0x30, 0x1000, 0x22000, &rc), ==, 0);
    s390_pv_sw_guest_stats(be, &shared, &calls, &queries);
    g_assert_cmpint(shared, ==, 2);
    g_assert_cmpint(queries, ==, 4);      /* the short one is no Query */
    g_assert_cmpint(guest_call(be, cb, 0x28, 0x1001, 0x20000, &rc), ==, 1);
    g_assert_cmphex(rc, ==, 0x0005);
    g_assert_cmpint(guest_call(be, cb, 0x30, 0x1001, 0x20000, &rc), ==, 0);
    g_assert_false(s390_pv_sw_host_may_access(be, 0x20000));
    /* outside guest memory is not the Ultravisor's to hide */
    g_assert_true(s390_pv_sw_host_may_access(be, RAM_SIZE));

    /* a reset unshares everything */
    g_assert_cmpint(be->ops->unshare_all(be, NULL, &error_abort), ==, 0);
    s390_pv_sw_guest_stats(be, &shared, &calls, &queries);
    g_assert_cmpint(shared, ==, 0);
    g_assert_false(s390_pv_sw_host_may_access(be, 0x22000));

    /* and so does leaving PV; the host then sees everything */
    g_assert_cmpint(guest_call(be, cb, 0x30, 0x1000, 0x22000, &rc), ==, 0);
    be->ops->disable(be, NULL, &error_abort);
    g_assert_true(s390_pv_sw_host_may_access(be, 0x23000));
    s390_pv_sw_guest_stats(be, &shared, &calls, &queries);
    g_assert_cmpint(shared, ==, 0);
    be->ops->destroy(be);
}

/* What the Ultravisor said it changed, in order */
static GArray *changes;

static void record_change(void *opaque, uint64_t addr, uint64_t len)
{
    uint64_t r[2] = { addr, len };

    g_assert_true(opaque == &changes);
    g_array_append_vals(changes, r, 2);
}

static void expect_changes(const uint64_t *want, int n)
{
    int i;

    g_assert_cmpint(changes->len, ==, 2 * n);
    for (i = 0; i < 2 * n; i++) {
        g_assert_cmphex(g_array_index(changes, uint64_t, i), ==, want[i]);
    }
    g_array_set_size(changes, 0);
}

/*
 * TCG must drop the translations of exactly the pages the Ultravisor
 * rewrote: it names each run of them, no more, no less.
 */
static void test_memory_changed_exact(void)
{
    static const uint64_t unpacked[] = {
        0x15000, 0x3000, 0x18000, 0x1000, 0x19000, 0x3000,
    };
    static const uint64_t cleared[] = {
        0, 0x15000, 0x1c000, RAM_SIZE - 0x1c000,
    };
    static const uint64_t all[] = { 0, RAM_SIZE };
    g_autofree Image *im = g_new0(Image, 1);
    S390PVBackend *be;
    S390PVInfo info;
    S390PVResult res;
    int i;
    static const S390PVSwMemoryOps mops = { .changed = record_change };

    changes = g_array_new(false, false, sizeof(uint64_t));
    be = s390_pv_sw_backend_new(&host_key, 1, ram, RAM_SIZE, &mops,
                                &changes);
    make_image(im, 0, 0, &host_key, 1);
    g_assert_cmpint(be->ops->enable(be, &res, &error_abort), ==, 0);
    g_assert_cmpint(be->ops->info(be, &info, &error_abort), ==, 0);
    g_assert_cmpint(be->ops->set_sec_parms(be, im->hdr, im->hdr_len, &res,
                                           &error_abort), ==, 0);
    expect_changes(NULL, 0);
    for (i = 0; i < ARRAY_SIZE(layout); i++) {
        g_assert_cmpint(be->ops->unpack(be, layout[i].addr,
                                        ROUND_UP(layout[i].size, PAGE),
                                        layout[i].tweak, &res,
                                        &error_abort), ==, 0);
    }
    expect_changes(unpacked, 3);
    g_assert_cmpint(be->ops->verify(be, &res, &error_abort), ==, 0);
    expect_changes(cleared, 2);
    be->ops->disable(be, NULL, &error_abort);
    expect_changes(all, 1);

    /* torn down before verify: only the unpacked pages go */
    make_image(im, 0, 0, &host_key, 1);
    g_assert_cmpint(be->ops->enable(be, &res, &error_abort), ==, 0);
    g_assert_cmpint(be->ops->set_sec_parms(be, im->hdr, im->hdr_len, &res,
                                           &error_abort), ==, 0);
    g_assert_cmpint(be->ops->unpack(be, layout[0].addr, 0x3000,
                                    layout[0].tweak, &res, &error_abort),
                    ==, 0);
    /* a page unpacked twice: the one before it was decrypted */
    g_assert_cmpint(be->ops->unpack(be, 0x14000, 0x2000, layout[1].tweak,
                                    &res, NULL), <, 0);
    g_assert_cmphex(res.rrc, ==, S390_PV_RRC_UNPACK_AGAIN);
    {
        static const uint64_t partial[] = {
            0x15000, 0x3000, 0x14000, 0x1000,
        };
        expect_changes(partial, 2);
    }
    be->ops->disable(be, NULL, &error_abort);
    {
        static const uint64_t torn[] = { 0x14000, 0x4000 };
        expect_changes(torn, 1);
    }
    be->ops->destroy(be);
    g_array_free(changes, true);
}

/*
 * A component of many chunks: its page list digest is computed by the
 * helper thread while the pages before are decrypted.  It must verify,
 * and decrypt to the plaintext, like a small one.
 */
static void test_large_component(void)
{
    enum { BIG = 0x20000, NPAGES = 150 };
    g_autofree Image *im = g_new0(Image, 1);
    g_autofree uint8_t *plain = g_malloc(NPAGES * PAGE);
    g_autoptr(QCryptoCipher) xts = NULL;
    S390PVBackend *be = uv(&host_key);
    S390PVDigests d;
    uint8_t tw[16];
    uint64_t off;

    memset(ram, 0x5a, RAM_SIZE);
    for (off = 0; off < NPAGES * PAGE; off++) {
        plain[off] = (uint8_t)(off * 13 + (off >> 12));
    }
    memcpy(ram + BIG, plain, NPAGES * PAGE);
    memset(&im->spec, 0, sizeof(im->spec));
    memset(im->spec.xts_key, 0x77, 64);
    im->spec.host_keys = &host_key;
    im->spec.nr_host_keys = 1;
    im->spec.cust_key = &cust_key;
    im->spec.psw_mask = 0x0000000180000000ULL;
    im->spec.psw_addr = BIG;
    xts = s390_pv_xts_new(im->spec.xts_key, &error_abort);
    s390_pv_digests_init(&d);
    for (off = 0; off < NPAGES * PAGE; off += PAGE) {
        s390_pv_tweak(tw, 0x99, off);
        g_assert_true(s390_pv_xts_page(xts, tw, ram + BIG + off, true,
                                       &error_abort));
        s390_pv_digests_add(&d, ram + BIG + off, BIG + off, tw);
    }
    im->spec.nep = d.nep;
    s390_pv_digests_final(&d, im->spec.pld, im->spec.ald, im->spec.tld);
    im->hdr_len = s390_pv_se_header_len(1);
    g_assert_true(s390_pv_se_build(&im->spec, im->hdr, &error_abort));
    memset(&im->iplb, 0, sizeof(im->iplb));
    im->iplb.num_comp = 1;
    im->iplb.hdr_addr = HDR_ADDR;
    im->iplb.hdr_len = im->hdr_len;
    im->iplb.comp[0] = (S390PVComponent) { 0x99, BIG, NPAGES * PAGE };

    expect(be, im, S390_PV_CMD_VERIFY, S390_PV_RC_OK, 0);
    g_assert_cmpmem(ram + BIG, NPAGES * PAGE, plain, NPAGES * PAGE);
    be->ops->disable(be, NULL, &error_abort);

    /* one ciphertext byte in the last chunk: the page list digest differs */
    memcpy(ram + BIG, plain, NPAGES * PAGE);
    for (off = 0; off < NPAGES * PAGE; off += PAGE) {
        s390_pv_tweak(tw, 0x99, off);
        g_assert_true(s390_pv_xts_page(xts, tw, ram + BIG + off, true,
                                       &error_abort));
    }
    ram[BIG + (NPAGES - 1) * PAGE + 5] ^= 1;
    expect(be, im, S390_PV_CMD_VERIFY, S390_PV_RC_VERIFY,
           S390_PV_RRC_VERIFY_PLD);
    be->ops->destroy(be);
}

static int zero_calls;
static bool zero_ok;

static bool record_zero(void *opaque, uint64_t addr, uint64_t len)
{
    zero_calls++;
    return zero_ok;
}

/*
 * Pages to clear go to the machine's zero operation (a discard, which
 * commits no memory): the Ultravisor writes them only when it fails.
 */
static void test_zero_by_discard(void)
{
    static const S390PVSwMemoryOps mops = {
        .zero = record_zero, .changed = record_change,
    };
    g_autofree Image *im = g_new0(Image, 1);
    S390PVBackend *be;

    changes = g_array_new(false, false, sizeof(uint64_t));
    be = s390_pv_sw_backend_new(&host_key, 1, ram, RAM_SIZE, &mops,
                                &changes);
    make_image(im, 0, 0, &host_key, 1);
    zero_ok = true;
    zero_calls = 0;
    expect(be, im, S390_PV_CMD_VERIFY, S390_PV_RC_OK, 0);
    /* two runs around the image; nothing written there */
    g_assert_cmpint(zero_calls, ==, 2);
    g_assert_cmphex(ram[0], ==, 0x5a);
    g_assert_cmphex(ram[RAM_SIZE - 1], ==, 0x5a);
    be->ops->disable(be, NULL, &error_abort);
    g_assert_cmpint(zero_calls, ==, 3);
    g_assert_cmphex(ram[0x15001], ==, 7);

    /* a machine that cannot discard: the Ultravisor writes the zeros */
    make_image(im, 0, 0, &host_key, 1);
    zero_ok = false;
    expect(be, im, S390_PV_CMD_VERIFY, S390_PV_RC_OK, 0);
    g_assert_cmphex(ram[0], ==, 0);
    g_assert_cmphex(ram[RAM_SIZE - 1], ==, 0);
    be->ops->disable(be, NULL, &error_abort);
    g_assert_cmphex(ram[0x15001], ==, 0);
    be->ops->destroy(be);
    g_array_free(changes, true);
}

static void test_several_key_slots(void)
{
    g_autofree Image *im = g_new0(Image, 1);
    S390PVKey hosts[2] = { other_key, host_key };
    S390PVBackend *be = uv(&host_key);

    make_image(im, 0, 0, hosts, 2);
    expect(be, im, S390_PV_CMD_VERIFY, S390_PV_RC_OK, 0);
    be->ops->destroy(be);
}

static void test_no_decrypt(void)
{
    g_autofree Image *im = g_new0(Image, 1);
    S390PVBackend *be = uv(&host_key);

    make_image(im, S390_PV_PCF_NO_DECRYPT | S390_PV_PCF_ALLOW_DUMP, 0,
               &host_key, 1);
    expect(be, im, S390_PV_CMD_VERIFY, S390_PV_RC_OK, 0);
    g_assert_cmpmem(ram + layout[2].addr, 0x3000, im->plain[2], 0x3000);
    be->ops->destroy(be);
}

/* Each header rule broken alone gives its own rc/rrc. */
typedef void (*Breaker)(Image *im);

static void break_magic(Image *im)
{
    im->hdr[0] ^= 1;
}

static void break_version(Image *im)
{
    stl_be_p(im->hdr + S390_PV_SE_OFF_VERSION, 0x200);
}

static void break_nks(Image *im)
{
    stq_be_p(im->hdr + S390_PV_SE_OFF_NKS, 0);
}

static void break_sea(Image *im)
{
    stq_be_p(im->hdr + S390_PV_SE_OFF_SEA, 0x88);
}

static void break_phs(Image *im)
{
    stl_be_p(im->hdr + S390_PV_SE_OFF_PHS, im->hdr_len + 16);
}

static void break_len(Image *im)
{
    im->iplb.hdr_len -= 16;
}

static void break_cust_key(Image *im)
{
    im->hdr[S390_PV_SE_OFF_CUST_Y + 79] ^= 1;
}

static void break_cust_key_size(Image *im)
{
    im->hdr[S390_PV_SE_OFF_CUST_X] = 1;
}

static void break_slot_tag(Image *im)
{
    im->hdr[S390_PV_SE_OFF_SLOTS + 64] ^= 0x80;
}

static void break_wrapped_key(Image *im)
{
    im->hdr[S390_PV_SE_OFF_SLOTS + 40] ^= 0x80;
}

static void break_aad(Image *im)
{
    im->hdr[S390_PV_SE_OFF_PLD + 5] ^= 1;
}

static void break_aad_nep(Image *im)
{
    im->hdr[S390_PV_SE_OFF_NEP + 7] ^= 1;
}

static void break_encrypted(Image *im)
{
    im->hdr[S390_PV_SE_OFF_SLOTS + S390_PV_SE_SLOT_LEN + 0x61] ^= 1;
}

static void break_tag(Image *im)
{
    im->hdr[im->hdr_len - 1] ^= 1;
}

static void test_header_rules(void)
{
    static const struct {
        const char *name;
        Breaker brk;
        uint16_t rc, rrc;
    } cases[] = {
        { "magic", break_magic, 0x0104, 0x02 },
        { "version", break_version, 0x0104, 0x01 },
        { "no key slots", break_nks, 0x010a, 0x40 },
        { "sea", break_sea, 0x010a, 0x39 },
        { "phs", break_phs, 0x010a, 0x31 },
        { "length", break_len, 0x010a, 0x31 },
        { "customer key off the curve", break_cust_key, 0x0108, 0x0b },
        { "customer key too large", break_cust_key_size, 0x0108, 0x0b },
        { "key slot tag", break_slot_tag, 0x0108, 0x41 },
        { "wrapped key", break_wrapped_key, 0x0108, 0x41 },
        { "AAD (digest)", break_aad, 0x0108, 0x42 },
        { "AAD (nep)", break_aad_nep, 0x0108, 0x42 },
        { "encrypted part", break_encrypted, 0x0108, 0x42 },
        { "tag", break_tag, 0x0108, 0x42 },
    };
    g_autofree Image *im = g_new0(Image, 1);
    int i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        S390PVBackend *be = uv(&host_key);

        g_test_message("breaking the %s", cases[i].name);
        make_image(im, 0, 0, &host_key, 1);
        cases[i].brk(im);
        expect(be, im, S390_PV_CMD_SET_SEC_PARMS, cases[i].rc,
               cases[i].rrc);
        /* nothing was decrypted */
        g_assert_cmpint(memcmp(ram + layout[0].addr, im->plain[0], 64), !=,
                        0);
        be->ops->destroy(be);
    }
}

static void test_header_flags_and_keys(void)
{
    g_autofree Image *im = g_new0(Image, 1);
    S390PVBackend *be;

    be = uv(&host_key);
    make_image(im, 0x1, 0, &host_key, 1);
    expect(be, im, S390_PV_CMD_SET_SEC_PARMS, 0x0106, 0x30);
    be->ops->destroy(be);

    be = uv(&host_key);
    make_image(im, 0, 1, &host_key, 1);
    expect(be, im, S390_PV_CMD_SET_SEC_PARMS, 0x0109, 0x00);
    be->ops->destroy(be);

    /* an image for another host */
    be = uv(&other_key);
    make_image(im, 0, 0, &host_key, 1);
    expect(be, im, S390_PV_CMD_SET_SEC_PARMS, 0x0108, 0x05);
    be->ops->destroy(be);
}

static void test_verify_rules(void)
{
    g_autofree Image *im = g_new0(Image, 1);
    S390PVBackend *be;

    /* one byte of a component */
    be = uv(&host_key);
    make_image(im, 0, 0, &host_key, 1);
    ram[layout[2].addr + 0x1234] ^= 1;
    expect(be, im, S390_PV_CMD_VERIFY, 0x0102, 0x1b);
    /* its decrypted pages are gone with the failed configuration */
    g_assert_cmphex(ram[layout[0].addr + 1], ==, 0);
    be->ops->destroy(be);

    /* a component elsewhere in memory */
    be = uv(&host_key);
    make_image(im, 0, 0, &host_key, 1);
    memcpy(ram + 0x40000, ram + layout[1].addr, PAGE);
    im->iplb.comp[1].addr = 0x40000;
    expect(be, im, S390_PV_CMD_VERIFY, 0x0102, 0x1a);
    be->ops->destroy(be);

    /* another tweak prefix */
    be = uv(&host_key);
    make_image(im, 0, 0, &host_key, 1);
    im->iplb.comp[1].tweak_pref++;
    expect(be, im, S390_PV_CMD_VERIFY, 0x0102, 0x1c);
    be->ops->destroy(be);

    /* a component left out */
    be = uv(&host_key);
    make_image(im, 0, 0, &host_key, 1);
    im->iplb.num_comp = 2;
    expect(be, im, S390_PV_CMD_VERIFY, 0x0102, 0x1d);
    be->ops->destroy(be);
}

static void test_unpack_rules(void)
{
    g_autofree Image *im = g_new0(Image, 1);
    S390PVBackend *be = uv(&host_key);
    S390PVResult res;

    make_image(im, 0, 0, &host_key, 1);
    /* before the header */
    g_assert_cmpint(be->ops->enable(be, &res, &error_abort), ==, 0);
    g_assert_cmpint(be->ops->unpack(be, 0x15000, PAGE, 1, &res, NULL), <, 0);
    g_assert_cmphex(res.rc, ==, 0x0003);
    g_assert_cmpint(be->ops->verify(be, &res, NULL), <, 0);
    g_assert_cmphex(res.rc, ==, 0x0003);
    g_assert_cmpint(be->ops->set_sec_parms(be, im->hdr, im->hdr_len, &res,
                                           &error_abort), ==, 0);
    /* twice */
    g_assert_cmpint(be->ops->set_sec_parms(be, im->hdr, im->hdr_len, &res,
                                           NULL), <, 0);
    g_assert_cmphex(res.rc, ==, 0x0003);
    /* outside memory, unaligned */
    g_assert_cmpint(be->ops->unpack(be, RAM_SIZE - PAGE, 2 * PAGE, 1, &res,
                                    NULL), <, 0);
    g_assert_cmphex(res.rc, ==, 0x0200);
    g_assert_cmphex(res.rrc, ==, 0x01);
    g_assert_cmpint(be->ops->unpack(be, 0x15800, PAGE, 2, &res, NULL), <, 0);
    g_assert_cmphex(res.rrc, ==, 0x04);
    /* a page twice, prefixes out of order */
    g_assert_cmpint(be->ops->unpack(be, 0x15000, PAGE, 10, &res,
                                    &error_abort), ==, 0);
    g_assert_cmpint(be->ops->unpack(be, 0x15000, PAGE, 11, &res, NULL), <, 0);
    g_assert_cmphex(res.rrc, ==, 0x02);
    g_assert_cmpint(be->ops->unpack(be, 0x20000, PAGE, 11, &res, NULL), <, 0);
    g_assert_cmphex(res.rrc, ==, 0x03);
    be->ops->destroy(be);
}

/* --- attestation and secrets ---------------------------------------------- */

#define ARCB_ADDR   0x40000
#define MEAS_ADDR   0x50000
#define ADD_ADDR    0x51000
#define ASRCB_ADDR  0x60000
#define LIST_ADDR   0x70000
#define RETR_ADDR   0x72000

static const uint8_t prot_key[32] = "protection key of this request";
static const uint8_t meas_key[64] =
    "the measurement key: 64 bytes, of which this is the start";
static const uint8_t nonce[16] = "nonce of request";

/* A UV call on @cb as it is (len and cmd set): cc, rc and rrc */
static int uvc(S390PVBackend *be, uint8_t *cb, uint16_t *rc, uint16_t *rrc)
{
    S390PVUvcAccess a = s390_pv_sw_guest_call_access(cb);
    int cc;

    g_assert_cmpint(a.fetch, <=, S390_PV_UVCB_MAX);
    cc = s390_pv_sw_guest_call(be, cb, a.fetch, &guest_mem);
    *rc = lduw_be_p(cb + 4);
    *rrc = lduw_be_p(cb + 6);
    g_assert_cmpint(cc, ==, *rc == 1 ? 0 : 1);
    return cc;
}

static void image_tags(const Image *im, uint8_t *tags)
{
    memcpy(tags, im->spec.pld, 64);
    memcpy(tags + 64, im->spec.ald, 64);
    memcpy(tags + 128, im->spec.tld, 64);
    memcpy(tags + 192, im->hdr + im->hdr_len - 16, 16);
}

/* Retrieve Attestation Measurement of the request at @arcb */
static uint16_t attest(S390PVBackend *be, uint8_t *cb, uint16_t len,
                       uint64_t arcb, uint16_t user_len, uint32_t meas_len,
                       uint32_t add_len, uint64_t meas, uint64_t add)
{
    uint16_t rc, rrc;

    memset(cb, 0, S390_PV_UVCB_MAX);
    stw_be_p(cb, len);
    stw_be_p(cb + 2, S390_PV_UVC_ATTEST);
    stq_be_p(cb + S390_PV_ATT_OFF_ARCB, arcb);
    stw_be_p(cb + S390_PV_ATT_OFF_USER_LEN, user_len);
    memset(cb + S390_PV_ATT_OFF_USER, 'u', 256);
    stl_be_p(cb + S390_PV_ATT_OFF_MEAS_LEN, meas_len);
    stq_be_p(cb + S390_PV_ATT_OFF_MEAS, meas);
    stl_be_p(cb + S390_PV_ATT_OFF_ADD_LEN, add_len);
    stq_be_p(cb + S390_PV_ATT_OFF_ADD, add);
    uvc(be, cb, &rc, &rrc);
    g_assert_cmphex(rrc, ==, 0);
    return rc;
}

/* kvm-unit-tests' request: valid in form, undecryptable */
static void kut_arcb(uint8_t *a)
{
    memset(a, 0, PAGE);
    stl_be_p(a + 8, 0x100);
    stl_be_p(a + 12, 0x180);
    a[0x27] = 1;
    stl_be_p(a + 0x2c, 64);
    stq_be_p(a + 0x30, 1ULL << 61);
    stl_be_p(a + 0x38, 1);
}

static uint16_t kut_case(S390PVBackend *be, uint8_t *cb, int field,
                         uint64_t v)
{
    uint8_t *a = ram + ARCB_ADDR;
    uint64_t arcb = ARCB_ADDR;
    uint16_t user = 0;
    uint32_t meas = 64, add = 32;

    kut_arcb(a);
    switch (field) {
    case 0:
        break;
    case 1:
        user = v;
        break;
    case 2:
        arcb = v;
        break;
    case 3:
        stl_be_p(a + 8, v);
        break;
    case 4:
        stl_be_p(a + 12, v);
        break;
    case 5:
        a[0x27] = v;
        break;
    case 6:
        stl_be_p(a + 0x2c, v);
        break;
    case 7:
        stq_be_p(a + 0x30, v);
        break;
    case 8:
        stl_be_p(a + 0x38, v);
        break;
    case 9:
        meas = v;
        break;
    case 10:
        add = v;
        break;
    }
    return attest(be, cb, 0x188, arcb, user, meas, add, MEAS_ADDR, ADD_ADDR);
}

/* Every result code of Retrieve Attestation Measurement, and its answer */
static void test_attestation(void)
{
    g_autofree Image *im = g_new0(Image, 1);
    S390PVBackend *be = uv(&host_key);
    uint8_t cb[S390_PV_UVCB_MAX], q[S390_PV_QUERY_LEN];
    uint8_t tags[S390_PV_TAGS_LEN], cuid[16], add[128], want[64], h[64];
    g_autofree uint8_t *arcb = NULL;
    S390PVAttInputs in;
    struct {
        int field;
        uint64_t v;
        uint16_t rc;
    } kut[] = {
        { 1, 257, 0x102 },
        { 2, RAM_SIZE + PAGE, 0x103 },
        { 2, FAULT_PAGE, 0x103 },
        { 3, 0, 0x106 },
        { 4, 0x181, 0x107 },
        { 5, 2, 0x107 },
        { 5, 0, 0x108 },
        { 6, 80, 0x109 },
        { 6, 17, 0x109 },
        { 7, ~S390_PV_PAF_SUPPORTED, 0x10a },
        { 7, S390_PV_PAF_FW_STATE, 0x10a },
        { 8, 0, 0x10b },
        { 0, 0, 0x10c },
        { 9, 0, 0x10d },
        { 9, 63, 0x10d },
        { 10, 0, 0x10e },
        { 10, 31, 0x10e },
    };
    S390PVSecretsInfo info;
    uint32_t len;
    uint16_t rc;
    int i;

    /* not protected: no such call */
    g_assert_cmphex(attest(be, cb, 0x188, ARCB_ADDR, 0, 64, 0, MEAS_ADDR,
                           ADD_ADDR), ==, S390_PV_UVC_RC_INV_CMD);
    make_image(im, 0, 0, &host_key, 1);
    expect(be, im, S390_PV_CMD_VERIFY, S390_PV_RC_OK, 0);
    image_tags(im, tags);

    /* Query announces it */
    s390_pv_sw_query(be, q);
    g_assert_cmphex(ldq_be_p(q + 0x10) & (1ULL << 35), !=, 0);
    g_assert_cmphex(ldq_be_p(q + 0xe0), ==, 1ULL << 63);
    g_assert_cmphex(ldq_be_p(q + 0xe8), ==, S390_PV_PAF_SUPPORTED);

    /* the UVCB length is exact */
    g_assert_cmphex(attest(be, cb, 0x187, ARCB_ADDR, 0, 64, 0, MEAS_ADDR,
                           ADD_ADDR), ==, 0x0005);
    g_assert_cmphex(attest(be, cb, 0x189, ARCB_ADDR, 0, 64, 0, MEAS_ADDR,
                           ADD_ADDR), ==, 0x0005);
    /* a continuation token */
    kut_arcb(ram + ARCB_ADDR);
    memset(cb, 0, sizeof(cb));
    stw_be_p(cb, 0x188);
    stw_be_p(cb + 2, S390_PV_UVC_ATTEST);
    stq_be_p(cb + S390_PV_ATT_OFF_ARCB, ARCB_ADDR);
    stq_be_p(cb + S390_PV_ATT_OFF_TOKEN, 0xff);
    stl_be_p(cb + S390_PV_ATT_OFF_MEAS_LEN, 64);
    {
        uint16_t rrc;

        uvc(be, cb, &rc, &rrc);
    }
    g_assert_cmphex(rc, ==, 0x101);
    /* kvm-unit-tests' cases: one fault each */
    for (i = 0; i < ARRAY_SIZE(kut); i++) {
        g_test_message("case %d: field %d value 0x%" PRIx64, i, kut[i].field,
                       kut[i].v);
        g_assert_cmphex(kut_case(be, cb, kut[i].field, kut[i].v), ==,
                        kut[i].rc);
    }

    /* a real request: with nonce, both PHKHs, the store hash */
    arcb = s390_pv_arcb_build(&host_key, 1, &cust_key, prot_key,
                              (const uint8_t *)"request-iv12",
                              S390_PV_PAF_PHKH_IMG | S390_PV_PAF_PHKH_ATT |
                              S390_PV_PAF_SECRET_HASH, meas_key, nonce, &len,
                              &error_abort);
    g_assert_cmpuint(len, ==, 0x190);
    memcpy(ram + ARCB_ADDR, arcb, len);
    memset(ram + MEAS_ADDR, 0xee, 2 * PAGE);
    g_assert_cmphex(attest(be, cb, 0x188, ARCB_ADDR, 5, 64, 200, MEAS_ADDR,
                           ADD_ADDR), ==, 1);
    g_assert_cmpuint(ldl_be_p(cb + S390_PV_ATT_OFF_ADD_LEN), ==, 128);
    g_assert_cmphex(ram[ADD_ADDR + 128], ==, 0xee);     /* no more */
    g_assert_cmphex(ram[MEAS_ADDR + 64], ==, 0xee);
    memcpy(cuid, cb + S390_PV_ATT_OFF_CUID, 16);
    memcpy(add, host_key.phkh, 32);
    memcpy(add + 32, host_key.phkh, 32);
    {
        GChecksum *c = g_checksum_new(G_CHECKSUM_SHA512);
        gsize n = 64;

        g_checksum_update(c, (const guchar *)"\0", 1);   /* not locked */
        g_checksum_get_digest(c, h, &n);
        g_checksum_free(c);
    }
    memcpy(add + 64, h, 64);
    g_assert_cmpmem(ram + ADD_ADDR, 128, add, 128);
    in = (S390PVAttInputs) {
        tags, cuid, (const uint8_t *)"uuuuu", 5, nonce, add, 128
    };
    s390_pv_att_measure(meas_key, &in, want);
    g_assert_cmpmem(ram + MEAS_ADDR, 64, want, 64);
    /* the same CUID for the whole boot */
    g_assert_cmphex(attest(be, cb, 0x188, ARCB_ADDR, 0, 64, 128, MEAS_ADDR,
                           ADD_ADDR), ==, 1);
    g_assert_cmpmem(cb + S390_PV_ATT_OFF_CUID, 16, cuid, 16);
    s390_pv_sw_secrets_info(be, &info);
    g_assert_cmpmem(info.cuid, 16, cuid, 16);
    g_assert_cmpuint(info.attestations, ==, 2);

    /* the measurement and additional areas must be writable */
    g_assert_cmphex(attest(be, cb, 0x188, ARCB_ADDR, 0, 64, 128, FAULT_PAGE,
                           ADD_ADDR), ==, 0x104);
    g_assert_cmphex(attest(be, cb, 0x188, ARCB_ADDR, 0, 64, 128, MEAS_ADDR,
                           FAULT_PAGE + 64), ==, 0x105);
    g_assert_cmphex(attest(be, cb, 0x188, ARCB_ADDR, 0, 64, 128, MEAS_ADDR,
                           RAM_SIZE - 100), ==, 0x105);
    /* a request for another host's key, or changed by one bit */
    g_free(arcb);
    arcb = s390_pv_arcb_build(&other_key, 1, &cust_key, prot_key,
                              (const uint8_t *)"request-iv12", 0, meas_key,
                              NULL, &len, &error_abort);
    g_assert_cmpuint(len, ==, 0x180);
    memcpy(ram + ARCB_ADDR, arcb, len);
    g_assert_cmphex(attest(be, cb, 0x188, ARCB_ADDR, 0, 64, 0, MEAS_ADDR,
                           ADD_ADDR), ==, 0x10c);
    g_free(arcb);
    arcb = s390_pv_arcb_build(&host_key, 1, &cust_key, prot_key,
                              (const uint8_t *)"request-iv12", 0, meas_key,
                              NULL, &len, &error_abort);
    memcpy(ram + ARCB_ADDR, arcb, len);
    g_assert_cmphex(attest(be, cb, 0x188, ARCB_ADDR, 0, 64, 0, MEAS_ADDR,
                           ADD_ADDR), ==, 1);
    ram[ARCB_ADDR + 0x100] ^= 1;
    g_assert_cmphex(attest(be, cb, 0x188, ARCB_ADDR, 0, 64, 0, MEAS_ADDR,
                           ADD_ADDR), ==, 0x10c);

    /* a reset keeps the configuration; a new protected boot has a new CUID */
    be->ops->disable(be, NULL, &error_abort);
    s390_pv_sw_secrets_info(be, &info);
    g_assert_false(info.have_cuid);
    make_image(im, 0, 0, &host_key, 1);
    expect(be, im, S390_PV_CMD_VERIFY, S390_PV_RC_OK, 0);
    memcpy(ram + ARCB_ADDR, arcb, len);
    g_assert_cmphex(attest(be, cb, 0x188, ARCB_ADDR, 0, 64, 0, MEAS_ADDR,
                           ADD_ADDR), ==, 1);
    s390_pv_sw_secrets_info(be, &info);
    g_assert_cmpmem(cb + S390_PV_ATT_OFF_CUID, 16, info.cuid, 16);
    g_assert_true(memcmp(cb + S390_PV_ATT_OFF_CUID, cuid, 16) != 0);
    be->ops->destroy(be);
}

static uint16_t secret_call(S390PVBackend *be, uint16_t cmd, uint16_t len,
                            uint64_t addr, uint16_t idx, uint32_t size,
                            uint16_t *rrc)
{
    uint8_t cb[S390_PV_UVCB_MAX];
    uint16_t rc, r;

    memset(cb, 0, sizeof(cb));
    stw_be_p(cb, len);
    stw_be_p(cb + 2, cmd);
    if (cmd == S390_PV_UVC_RETR_SECRET) {
        stw_be_p(cb + S390_PV_RETR_OFF_INDEX, idx);
        stl_be_p(cb + S390_PV_RETR_OFF_SIZE, size);
    } else {
        stw_be_p(cb + S390_PV_LIST_OFF_START, idx);
    }
    stq_be_p(cb + 0x20, addr);
    uvc(be, cb, &rc, &r);
    if (rrc) {
        *rrc = r;
    } else {
        g_assert_cmphex(r, ==, 0);
    }
    return rc;
}

/* An add-secret request for @im's host key, bound to @im */
static void asrcb_spec_init(S390PVAsrcbSpec *sp, Image *im, const char *iv,
                            uint16_t type, char id)
{
    sp->hosts = &host_key;
    sp->nr_hosts = 1;
    sp->cust = &cust_key;
    memcpy(sp->key, prot_key, 32);
    memcpy(sp->iv, iv, 12);
    image_tags(im, sp->tags);
    sp->type = type;
    memset(sp->id, id, 32);
}

/* Put an add-secret request into guest memory; its GCM tag to @tag */
static void put_asrcb(S390PVAsrcbSpec *sp, void (*mangle)(uint8_t *, uint32_t),
                      uint8_t *tag)
{
    g_autofree uint8_t *req = NULL;
    uint32_t len;

    req = s390_pv_asrcb_build(sp, &len, &error_abort);
    if (mangle) {
        mangle(req, len);
    }
    memcpy(ram + ASRCB_ADDR, req, len);
    if (tag) {
        memcpy(tag, req + len - 16, 16);
    }
}

static uint16_t add(S390PVBackend *be, S390PVAsrcbSpec *sp,
                    void (*mangle)(uint8_t *, uint32_t), uint16_t *rrc,
                    uint8_t *tag)
{
    put_asrcb(sp, mangle, tag);
    return secret_call(be, S390_PV_UVC_ADD_SECRET, 0x48, ASRCB_ADDR, 0, 0,
                       rrc);
}

static void m_version(uint8_t *r, uint32_t len)
{
    stl_be_p(r + 8, 0x200);
}

static void m_nks(uint8_t *r, uint32_t len)
{
    r[0x27] = 0;
}

static void m_len(uint8_t *r, uint32_t len)
{
    stl_be_p(r + 12, len + 16);
}

static void m_huge(uint8_t *r, uint32_t len)
{
    stl_be_p(r + 12, 0x7fffffff);
}

static void m_sea(uint8_t *r, uint32_t len)
{
    stl_be_p(r + 0x2c, ldl_be_p(r + 0x2c) + 16);
}

static void m_pcf(uint8_t *r, uint32_t len)
{
    stq_be_p(r + 0x30, 1);
}

static void m_type(uint8_t *r, uint32_t len)
{
    stw_be_p(r + 0x4b8 + 80 + 2, 0x0b);
}

static void m_type_len(uint8_t *r, uint32_t len)
{
    stw_be_p(r + 0x4b8 + 80 + 2, S390_PV_SECRET_AES_128);
}

static void m_tag(uint8_t *r, uint32_t len)
{
    r[len - 1] ^= 0x80;
}

/* Every result code of Add, List, Lock and Retrieve Secret */
static void test_secrets(void)
{
    g_autofree Image *im = g_new0(Image, 1);
    S390PVBackend *be = uv(&host_key);
    uint8_t q[S390_PV_QUERY_LEN], assoc[32], aes[32], want[64];
    uint8_t ptext[48] = { 0, 37 };
    uint8_t tags[3][16];
    S390PVAsrcbSpec sp = { 0 };
    S390PVSecretsInfo info;
    uint8_t dump_compl[S390_PV_DUMP_COMPL_LEN];
    Error *err = NULL;
    uint16_t rrc;
    int i;

    /* an image that allows dumps, until a request of its owner's says no */
    make_image(im, S390_PV_PCF_ALLOW_DUMP, 0, &host_key, 1);
    expect(be, im, S390_PV_CMD_VERIFY, S390_PV_RC_OK, 0);
    s390_pv_sw_query(be, q);
    g_assert_cmphex(ldq_be_p(q + 0x10) & 0xf40000000ULL, ==, 0xf40000000ULL);
    g_assert_cmphex(ldq_be_p(q + 0xf8), ==, 1ULL << 63);
    g_assert_cmphex(ldq_be_p(q + 0x100), ==, 1ULL << 63);
    /* meta, association, plaintext, AES ... Ed448: types 1-10, 0x11-0x15 */
    g_assert_cmphex(ldq_be_p(q + 0x108), ==, 0x7fe07c0000000000ULL);
    g_assert_cmpuint(lduw_be_p(q + 0x110), ==, 32);
    g_assert_cmpuint(lduw_be_p(q + 0x112), ==, 32);

    for (i = 0; i < 32; i++) {
        assoc[i] = 0xa0 + i;
        aes[i] = 0x30 + i;
    }
    memcpy(ptext + 2, "a plaintext secret of 37 bytes, here", 37);
    asrcb_spec_init(&sp, im, "asrcb-iv-012", S390_PV_SECRET_ASSOC, 'A');
    sp.value = assoc;
    sp.value_len = 32;

    /* lengths, and nothing to list or retrieve yet */
    g_assert_cmphex(secret_call(be, S390_PV_UVC_ADD_SECRET, 0x40, ASRCB_ADDR,
                                0, 0, NULL), ==, 0x0005);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_LOCK_SECRETS, 0x38, 0, 0, 0,
                                NULL), ==, 0x0005);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_LIST_SECRETS, 0x40, LIST_ADDR,
                                0, 0, NULL), ==, 0x0005);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_RETR_SECRET, 0x40, RETR_ADDR,
                                1, 4096, NULL), ==, 0x0005);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_RETR_SECRET, 0x48, RETR_ADDR,
                                1, 4096, NULL), ==, 0x10f);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_LIST_SECRETS, 0x48, LIST_ADDR,
                                0, 0, NULL), ==, 1);
    g_assert_cmphex(lduw_be_p(ram + LIST_ADDR), ==, 0);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_LIST_SECRETS, 0x48,
                                FAULT_PAGE, 0, 0, NULL), ==, 0x103);

    /* malformed requests */
    g_assert_cmphex(secret_call(be, S390_PV_UVC_ADD_SECRET, 0x48, FAULT_PAGE,
                                0, 0, NULL), ==, 0x103);
    g_assert_cmphex(add(be, &sp, m_version, NULL, NULL), ==, 0x104);
    g_assert_cmphex(add(be, &sp, m_len, NULL, NULL), ==, 0x105);
    g_assert_cmphex(add(be, &sp, m_huge, NULL, NULL), ==, 0x105);
    g_assert_cmphex(add(be, &sp, m_sea, NULL, NULL), ==, 0x105);
    g_assert_cmphex(add(be, &sp, m_nks, NULL, NULL), ==, 0x106);
    g_assert_cmphex(add(be, &sp, m_pcf, NULL, NULL), ==, 0x107);
    g_assert_cmphex(add(be, &sp, m_tag, NULL, NULL), ==, 0x108);
    g_assert_cmphex(add(be, &sp, m_type, NULL, NULL), ==, 0x109);
    g_assert_cmphex(add(be, &sp, m_type_len, NULL, NULL), ==, 0x10a);
    sp.hosts = &other_key;
    g_assert_cmphex(add(be, &sp, NULL, NULL, NULL), ==, 0x108);
    sp.hosts = &host_key;
    /* an ASRCB that reaches into an inaccessible page */
    put_asrcb(&sp, NULL, NULL);
    memmove(ram + FAULT_PAGE - 0x100, ram + ASRCB_ADDR, 0x100);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_ADD_SECRET, 0x48,
                                FAULT_PAGE - 0x100, 0, 0, NULL), ==, 0x103);
    /* bound to another image (replay), or to another boot */
    sp.tags[5] ^= 1;
    g_assert_cmphex(add(be, &sp, NULL, &rrc, NULL), ==, 0x10c);
    g_assert_cmphex(rrc, ==, S390_PV_ADD_RRC_TAGS);
    sp.tags[5] ^= 1;
    memset(sp.cuid, 0x77, 16);
    g_assert_cmphex(add(be, &sp, NULL, &rrc, NULL), ==, 0x10c);
    g_assert_cmphex(rrc, ==, S390_PV_ADD_RRC_CUID);
    s390_pv_sw_secrets_info(be, &info);
    g_assert_cmpuint(info.added, ==, 0);

    /* an association secret for this boot */
    memcpy(sp.cuid, info.cuid, 16);
    g_assert_cmphex(add(be, &sp, NULL, NULL, tags[0]), ==, 1);
    memset(sp.cuid, 0, 16);
    /* the extension secret of the first request binds the others */
    sp.ext[0] = 1;
    g_assert_cmphex(add(be, &sp, NULL, &rrc, NULL), ==, 0x10c);
    g_assert_cmphex(rrc, ==, S390_PV_ADD_RRC_EXT);
    sp.ext[0] = 0;
    /* a plaintext and an AES-256 key; a malformed plaintext */
    sp.type = S390_PV_SECRET_PLAIN;
    memset(sp.id, 'P', 32);
    sp.value = ptext;
    sp.value_len = 48;
    g_assert_cmphex(add(be, &sp, NULL, NULL, tags[1]), ==, 1);
    ptext[1] = 47;
    g_assert_cmphex(add(be, &sp, NULL, NULL, NULL), ==, 0x10a);
    ptext[1] = 37;
    sp.type = S390_PV_SECRET_AES_256;
    memset(sp.id, 'K', 32);
    sp.value = aes;
    sp.value_len = 32;
    g_assert_cmphex(add(be, &sp, NULL, NULL, tags[2]), ==, 1);
    /* a meta secret: flags only, not listed; this one disables dumps */
    g_assert_cmpint(be->ops->dump_init(be, &error_abort), ==, 0);
    g_assert_cmpint(be->ops->dump_complete(be, dump_compl,
                                           sizeof(dump_compl),
                                           &error_abort), ==, 0);
    sp.type = S390_PV_SECRET_NULL;
    sp.value_len = 0;
    sp.pcf = S390_PV_ASRCB_PCF_NO_DUMP;
    g_assert_cmphex(add(be, &sp, NULL, NULL, NULL), ==, 1);
    sp.pcf = 0;
    g_assert_cmpint(be->ops->dump_init(be, &err), <, 0);
    g_assert_nonnull(strstr(error_get_pretty(err), "disabled dumping"));
    error_free_or_abort(&err);

    /* the list */
    memset(ram + LIST_ADDR, 0xee, PAGE);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_LIST_SECRETS, 0x48, LIST_ADDR,
                                0, 0, NULL), ==, 1);
    g_assert_cmpuint(lduw_be_p(ram + LIST_ADDR), ==, 3);
    g_assert_cmpuint(lduw_be_p(ram + LIST_ADDR + 2), ==, 3);
    g_assert_cmpuint(lduw_be_p(ram + LIST_ADDR + 4), ==, 0);
    for (i = 0; i < 3; i++) {
        static const uint16_t types[] = { 2, 3, 6 };
        static const uint32_t lens[] = { 32, 48, 32 };
        uint8_t *e = ram + LIST_ADDR + 16 + 48 * i;

        g_assert_cmpuint(lduw_be_p(e), ==, i + 1);
        g_assert_cmpuint(lduw_be_p(e + 2), ==, types[i]);
        g_assert_cmpuint(ldl_be_p(e + 4), ==, lens[i]);
        g_assert_cmphex(e[16], ==, "APK"[i]);
    }
    g_assert_cmphex(ram[LIST_ADDR + 16 + 48 * 3], ==, 0);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_LIST_SECRETS, 0x48, LIST_ADDR,
                                2, 0, NULL), ==, 1);
    g_assert_cmpuint(lduw_be_p(ram + LIST_ADDR), ==, 1);
    g_assert_cmpuint(lduw_be_p(ram + LIST_ADDR + 16), ==, 3);

    /* retrieve */
    g_assert_cmphex(secret_call(be, S390_PV_UVC_RETR_SECRET, 0x48, RETR_ADDR,
                                1, 4096, NULL), ==, 0x111);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_RETR_SECRET, 0x48, RETR_ADDR,
                                0, 4096, NULL), ==, 0x110);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_RETR_SECRET, 0x48, RETR_ADDR,
                                4, 4096, NULL), ==, 0x110);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_RETR_SECRET, 0x48, RETR_ADDR,
                                2, 47, NULL), ==, 0x109);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_RETR_SECRET, 0x48, FAULT_PAGE,
                                2, 4096, NULL), ==, 0x102);
    memset(ram + RETR_ADDR, 0xee, PAGE);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_RETR_SECRET, 0x48, RETR_ADDR,
                                2, 48, NULL), ==, 1);
    g_assert_cmpmem(ram + RETR_ADDR, 48, ptext, 48);
    g_assert_cmphex(ram[RETR_ADDR + 48], ==, 0xee);
    /* a key comes wrapped, with a verification pattern */
    g_assert_cmphex(secret_call(be, S390_PV_UVC_RETR_SECRET, 0x48, RETR_ADDR,
                                3, 63, NULL), ==, 0x109);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_RETR_SECRET, 0x48, RETR_ADDR,
                                3, 64, NULL), ==, 1);
    g_assert_true(memcmp(ram + RETR_ADDR, aes, 32) != 0);
    memcpy(want, ram + RETR_ADDR, 64);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_RETR_SECRET, 0x48, RETR_ADDR,
                                3, 64, NULL), ==, 1);
    g_assert_cmpmem(ram + RETR_ADDR, 64, want, 64);

    /* the store hash covers the added requests' tags and the lock */
    s390_pv_sw_secrets_info(be, &info);
    g_assert_cmpuint(info.secrets, ==, 3);
    g_assert_cmpuint(info.added, ==, 4);
    g_assert_true(info.dump_disabled);
    g_assert_false(info.locked);

    /* lock */
    g_assert_cmphex(secret_call(be, S390_PV_UVC_LOCK_SECRETS, 0x40, 0, 0, 0,
                                NULL), ==, 1);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_LOCK_SECRETS, 0x40, 0, 0, 0,
                                NULL), ==, 0x102);
    sp.type = S390_PV_SECRET_ASSOC;
    sp.value = assoc;
    sp.value_len = 32;
    g_assert_cmphex(add(be, &sp, NULL, NULL, NULL), ==, 0x102);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_RETR_SECRET, 0x48, RETR_ADDR,
                                2, 48, NULL), ==, 1);

    /* a reset empties and unlocks the store; the CUID stays */
    g_assert_cmpint(be->ops->prep_reset(be, NULL, &error_abort), ==, 0);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_RETR_SECRET, 0x48, RETR_ADDR,
                                1, 4096, NULL), ==, 0x10f);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_LIST_SECRETS, 0x48, LIST_ADDR,
                                0, 0, NULL), ==, 1);
    g_assert_cmpuint(lduw_be_p(ram + LIST_ADDR + 2), ==, 0);
    /* ... and a full store says so */
    for (i = 0; i < 32; i++) {
        sp.id[0] = i;
        g_assert_cmphex(add(be, &sp, NULL, NULL, NULL), ==, 1);
    }
    g_assert_cmphex(add(be, &sp, NULL, NULL, NULL), ==, 0x10b);
    sp.type = S390_PV_SECRET_AES_128;
    sp.value_len = 16;
    g_assert_cmphex(add(be, &sp, NULL, NULL, NULL), ==, 1);
    be->ops->destroy(be);
}

/*
 * Guest root retrieves key K1 (index 1), resets (diag 308 subcode 1), adds
 * a key K2 it knows (an add-secret request needs only public data) at
 * index 1 again and retrieves it.  With one keystream for both, K1 would
 * be C1 ^ C2 ^ K2.
 */
static void test_retrieved_keys_across_reset(void)
{
    g_autofree Image *im = g_new0(Image, 1);
    S390PVBackend *be = uv(&host_key);
    S390PVAsrcbSpec sp = { 0 };
    uint8_t k1[32], k2[32], c1[64], c2[64], guess[32];
    int i;

    make_image(im, 0, 0, &host_key, 1);
    expect(be, im, S390_PV_CMD_VERIFY, S390_PV_RC_OK, 0);
    for (i = 0; i < 32; i++) {
        k1[i] = 0x5a ^ (i * 7);
        k2[i] = i;
    }
    asrcb_spec_init(&sp, im, "asrcb-iv-345", S390_PV_SECRET_AES_256, 'K');
    sp.value_len = 32;

    sp.value = k1;
    g_assert_cmphex(add(be, &sp, NULL, NULL, NULL), ==, 1);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_RETR_SECRET, 0x48, RETR_ADDR,
                                1, 64, NULL), ==, 1);
    memcpy(c1, ram + RETR_ADDR, 64);

    g_assert_cmpint(be->ops->prep_reset(be, NULL, &error_abort), ==, 0);
    sp.value = k2;
    g_assert_cmphex(add(be, &sp, NULL, NULL, NULL), ==, 1);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_RETR_SECRET, 0x48, RETR_ADDR,
                                1, 64, NULL), ==, 1);
    memcpy(c2, ram + RETR_ADDR, 64);

    for (i = 0; i < 32; i++) {
        guess[i] = c1[i] ^ c2[i] ^ k2[i];
    }
    g_assert_true(memcmp(guess, k1, 32) != 0);
    /* a new wrapping key: its verification pattern changed too */
    g_assert_true(memcmp(c1 + 32, c2 + 32, 32) != 0);
    be->ops->destroy(be);
}

/* The secret-store hash an attestation reports */
static uint16_t rrc_sink;

static void test_attest_store_hash(void)
{
    g_autofree Image *im = g_new0(Image, 1);
    S390PVBackend *be = uv(&host_key);
    g_autofree uint8_t *arcb = NULL;
    uint8_t cb[S390_PV_UVCB_MAX], tags[2][16], h[64], one = 1, value[32];
    S390PVAsrcbSpec sp = { 0 };
    GChecksum *c;
    gsize n = 64;
    uint32_t len;

    make_image(im, 0, S390_PV_SCF_CCK_EXT_SECRET, &host_key, 1);
    expect(be, im, S390_PV_CMD_VERIFY, S390_PV_RC_OK, 0);
    memset(value, 0x42, 32);
    sp.hosts = &host_key;
    sp.nr_hosts = 1;
    sp.cust = &cust_key;
    image_tags(im, sp.tags);
    sp.type = S390_PV_SECRET_ASSOC;
    sp.value = value;
    sp.value_len = 32;
    /* SCF bit 1: the extension secret must be derived from the CCK */
    g_assert_cmphex(add(be, &sp, NULL, &rrc_sink, NULL), ==, 0x10c);
    s390_pv_ext_secret_derive(im->spec.cck, sp.tags + 192, sp.ext);
    g_assert_cmphex(add(be, &sp, NULL, NULL, tags[0]), ==, 1);
    sp.type = S390_PV_SECRET_NULL;
    sp.value_len = 0;
    g_assert_cmphex(add(be, &sp, NULL, NULL, tags[1]), ==, 1);
    g_assert_cmphex(secret_call(be, S390_PV_UVC_LOCK_SECRETS, 0x40, 0, 0, 0,
                                NULL), ==, 1);

    arcb = s390_pv_arcb_build(&host_key, 1, &cust_key, prot_key,
                              (const uint8_t *)"request-iv12",
                              S390_PV_PAF_SECRET_HASH, meas_key, nonce, &len,
                              &error_abort);
    memcpy(ram + ARCB_ADDR, arcb, len);
    g_assert_cmphex(attest(be, cb, 0x188, ARCB_ADDR, 0, 64, 64, MEAS_ADDR,
                           ADD_ADDR), ==, 1);
    c = g_checksum_new(G_CHECKSUM_SHA512);
    g_checksum_update(c, tags[0], 16);
    g_checksum_update(c, tags[1], 16);
    g_checksum_update(c, &one, 1);
    g_checksum_get_digest(c, h, &n);
    g_checksum_free(c);
    g_assert_cmpmem(ram + ADD_ADDR, 64, h, 64);
    be->ops->destroy(be);
}

/*
 * The measurement's known answers (s390-tools' pv crate tests): key 0x41
 * x 64, tags 1/2/3 x 64 and 4 x 16, CUID 5 x 16, user data 7 x 256, nonce
 * 8 x 16, additional data 9 x 128.
 */
static void test_measurement_known_answer(void)
{
    static const char *const want[] = {
        /* all */
        "88794c62cce7bcf26216deb3f48f13fea6374b6d7e35bcc5c2ce68121db6f45d"
        "fc8c171856463549408bf8e7d1aca11efad0a878af97dc9e21a1fc2a32f3a675",
        /* user data and additional data */
        "fbd4f738a390edd947cd4f11af3a2f3bab2fdf8bf89bf81beb495117f4382cf4"
        "2f0730c8c7d9e3ca27fb25adfceb21224f57fdb398dcf41a83c146e6a23db760",
        /* additional data */
        "63671fbf295036eb1023ea71f7182e7d6343dc7b2da584e824d0a7d198ab9cde"
        "d756c93b39050ffb764555b01f88cb82017a6a15c7e0bafc6005f1e4f78aa124",
        /* minimal */
        "c5c34c93835d1ec23f5c2d778dfa20129b11b305601742cb2f38e0ed9894dcdb"
        "73fc8695ab6a8dbad0744073ddc81a5eaafa52e4a15af8deb8d761091922847f",
    };
    uint8_t key[64], tags[S390_PV_TAGS_LEN], cuid[16], user[256];
    uint8_t nonce[16], add[128], out[64], exp[64];
    S390PVAttInputs in;
    int i;

    memset(key, 0x41, 64);
    memset(tags, 1, 64);
    memset(tags + 64, 2, 64);
    memset(tags + 128, 3, 64);
    memset(tags + 192, 4, 16);
    memset(cuid, 5, 16);
    memset(user, 7, 256);
    memset(nonce, 8, 16);
    memset(add, 9, 128);
    for (i = 0; i < ARRAY_SIZE(want); i++) {
        hex(want[i], exp, 64);
        in = (S390PVAttInputs) {
            tags, cuid, user, i < 2 ? 256 : 0, i == 0 ? nonce : NULL,
            add, i < 3 ? 128 : 0
        };
        s390_pv_att_measure(key, &in, out);
        g_assert_cmpmem(out, 64, exp, 64);
    }
}

/* The extension secret, against RFC 5869 done here with GLib's HMAC */
static void test_ext_secret_hkdf(void)
{
    uint8_t cck[32], tag[16], prk[64], t[64], out[32];
    gsize n = sizeof(prk);
    GHmac *h;
    int i;

    for (i = 0; i < 32; i++) {
        cck[i] = 0x20 + i;
    }
    memset(tag, 0xab, sizeof(tag));
    h = g_hmac_new(G_CHECKSUM_SHA512, tag, sizeof(tag));
    g_hmac_update(h, cck, sizeof(cck));
    g_hmac_get_digest(h, prk, &n);
    g_hmac_unref(h);
    h = g_hmac_new(G_CHECKSUM_SHA512, prk, sizeof(prk));
    g_hmac_update(h, (const guchar *)"IBM Z Ultravisor Add-Secret", 27);
    g_hmac_update(h, (const guchar *)"\x01", 1);
    n = sizeof(t);
    g_hmac_get_digest(h, t, &n);
    g_hmac_unref(h);
    s390_pv_ext_secret_derive(cck, tag, out);
    g_assert_cmpmem(out, 32, t, 32);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qcrypto_init(&error_abort);

    data_dir = g_build_filename(g_getenv("G_TEST_SRCDIR") ?: "tests/unit",
                                "..", "data", "s390x-pv", NULL);
    ram = g_malloc(RAM_SIZE);
    load_key("host-sec1.pem", &host_key);
    load_key("other-host.pem", &other_key);
    {
        uint8_t priv[66];
        int i;

        for (i = 0; i < 66; i++) {
            priv[i] = i == 0 ? 0 : 0x11 + i;
        }
        g_assert_true(s390_pv_key_from_priv(priv, &cust_key, &error_abort));
    }

    g_test_add_func("/s390x/pv/se/known-answer", test_known_answer);
    g_test_add_func("/s390x/pv/se/key-pem", test_key_pem);
    g_test_add_func("/s390x/pv/host-memory-rules", test_host_memory_rules);
    g_test_add_func("/s390x/pv/se/open-with-key", test_open_with_key);
    g_test_add_func("/s390x/pv/dump/key", test_dump_key);
    g_test_add_func("/s390x/pv/dump/format", test_dump_format);
    g_test_add_func("/s390x/pv/dump/software-ultravisor", test_dump_sw);
    g_test_add_func("/s390x/pv/sw/protect", test_protect);
    g_test_add_func("/s390x/pv/sw/memory-changed-exact",
                    test_memory_changed_exact);
    g_test_add_func("/s390x/pv/sw/zero-by-discard", test_zero_by_discard);
    g_test_add_func("/s390x/pv/sw/large-component", test_large_component);
    g_test_add_func("/s390x/pv/sw/several-key-slots", test_several_key_slots);
    g_test_add_func("/s390x/pv/sw/no-decrypt", test_no_decrypt);
    g_test_add_func("/s390x/pv/sw/header-rules", test_header_rules);
    g_test_add_func("/s390x/pv/sw/header-flags-and-keys",
                    test_header_flags_and_keys);
    g_test_add_func("/s390x/pv/sw/verify-rules", test_verify_rules);
    g_test_add_func("/s390x/pv/sw/unpack-rules", test_unpack_rules);
    g_test_add_func("/s390x/pv/sw/guest-calls", test_guest_calls);
    g_test_add_func("/s390x/pv/sw/uvc-insn-store", test_uvc_insn_store);
    g_test_add_func("/s390x/pv/req/measurement-known-answer",
                    test_measurement_known_answer);
    g_test_add_func("/s390x/pv/req/ext-secret-hkdf", test_ext_secret_hkdf);
    g_test_add_func("/s390x/pv/sw/attestation", test_attestation);
    g_test_add_func("/s390x/pv/sw/secrets", test_secrets);
    g_test_add_func("/s390x/pv/sw/retrieved-keys-across-reset",
                    test_retrieved_keys_across_reset);
    g_test_add_func("/s390x/pv/sw/attestation-store-hash",
                    test_attest_store_hash);
    return g_test_run();
}
