/*
 * End-to-end test of Protected Virtualization under TCG with the software
 * Ultravisor: images built here in the Secure Execution format boot
 * through diag 308 subcodes 8 and 10 into their protected code, and
 * tampered ones get the Ultravisor's result in the extended response.
 *
 * The image, loaded with -kernel at address 0:
 *   0x00000  short PSW to 0x10000
 *   0x10000  stage code: diag 308 subcode 8 then 10 (r2 = 0x13000);
 *            stores the responses at 0x12000 and 0x12008
 *   0x10800  its disabled-wait PSW
 *   0x13000  PV IPL block
 *   0x14000  SE header
 *   0x15000  component 0 (code): stores 0x600d at 0x16000 and the first
 *            word of component 1 at 0x16008
 *   0x17000  component 1 (data)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include "libqtest.h"
#include "qemu/bswap.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qnum.h"
#include "qobject/qstring.h"
#include "crypto/init.h"
#include "hw/s390x/pv-se.h"
#include "hw/s390x/pv-req.h"

#define IMG_SIZE    0x18000
#define RESP8       0x12000
#define RESP10      0x12008
#define IPLB        0x13000
#define HDR         0x14000
#define MARK        0x16000
#define DATA_WORD   0x0123456789abcdefULL
#define PGM_SPECIFICATION 0x0006

/*
 * lghi r0,0; llilf r2,0x13000; lghi r4,8; diag r2,r4,0x308;
 * stg r3,0x12000; lghi r4,10; diag r2,r4,0x308; stg r3,0x12008;
 * llilf r5,0x10800; lpswe 0(r5)
 */
static const uint8_t stage_code[] = {
    0xa7, 0x09, 0x00, 0x00, 0xc0, 0x2f, 0x00, 0x01, 0x30, 0x00, 0xa7, 0x49,
    0x00, 0x08, 0x83, 0x24, 0x03, 0x08, 0xe3, 0x30, 0x00, 0x00, 0x12, 0x24,
    0xa7, 0x49, 0x00, 0x0a, 0x83, 0x24, 0x03, 0x08, 0xe3, 0x30, 0x00, 0x08,
    0x12, 0x24, 0xc0, 0x5f, 0x00, 0x01, 0x08, 0x00, 0xb2, 0xb2, 0x50, 0x00
};

/*
 * lgfi r1,0x600d; stg r1,0x16000; lg r1,0x17000; stg r1,0x16008;
 * llilf r5,0x15100; lpswe 0(r5)
 */
static const uint8_t protected_code[] = {
    0xc0, 0x11, 0x00, 0x00, 0x60, 0x0d, 0xe3, 0x10, 0x00, 0x00, 0x16, 0x24,
    0xe3, 0x10, 0x00, 0x00, 0x17, 0x04, 0xe3, 0x10, 0x00, 0x08, 0x16, 0x24,
    0xc0, 0x5f, 0x00, 0x01, 0x51, 0x00, 0xb2, 0xb2, 0x50, 0x00, 0x07, 0x07
};

static const struct {
    uint64_t addr, size, tweak;
} comps[] = {
    { 0x15000, 0x1000, 0x0000000011223344ULL },
    { 0x17000, 0x0800, 0x0001000011223344ULL },
};

typedef enum Tamper {
    TAMPER_NONE,
    TAMPER_COMPONENT,
    TAMPER_HEADER_PLAIN,
    TAMPER_HEADER_SECRET,
    TAMPER_HEADER_TAG,
    TAMPER_IPLB_TWEAK,
} Tamper;

static char *data_dir;

static char *data_file(const char *name)
{
    return g_build_filename(data_dir, name, NULL);
}

/*
 * lghi r2,0; lghi r4,3; diag r2,r4,0x308 (re-IPL); j .
 * The race tests' protected code: leave PV, and the image starts over.
 */
static const uint8_t reipl_code[] = {
    0xa7, 0x29, 0x00, 0x00, 0xa7, 0x49, 0x00, 0x03, 0x83, 0x24, 0x03, 0x08,
    0xa7, 0xf4, 0x00, 0x00
};

/* Where the race guests keep their counters and bad responses */
#define RACE_DATA       0x12000
#define RACE_BAD_IPLB   0x11000

/* A file that the build put into the QEMU build directory, or NULL */
static uint8_t *read_built(const char *name, gsize *len)
{
    g_autofree char *path = g_build_filename("pc-bios", "s390-pv", name,
                                             NULL);
    uint8_t *buf;

    if (!g_file_get_contents(path, (char **)&buf, len, NULL)) {
        return NULL;
    }
    return buf;
}

/* The plaintext control flags of the next images (dumps need 0x20000000) */
static uint64_t image_pcf;

/* Write an image for the key in tests/data/s390x-pv/@key, tampered. */
/*
 * @stage: code for 0x10000 instead of the default stage code, @prot:
 * protected code for component 0 instead of the default one; with a
 * @stage and no @prot, protected code that re-IPLs.
 */
static char *make_image_with(const char *key, Tamper tamper,
                             const uint8_t *stage, gsize stage_len,
                             const uint8_t *prot, gsize prot_len)
{
    g_autofree char *keyfile = data_file(key);
    g_autofree uint8_t *img = g_malloc0(IMG_SIZE);
    g_autoptr(QCryptoCipher) xts = NULL;
    S390PVKey host, cust;
    S390PVHeaderSpec spec = { 0 };
    S390PVDigests d;
    uint8_t priv[66], tw[16], *b;
    uint32_t hdr_len;
    char *path;
    int fd, i;
    uint64_t off;

    g_assert_true(s390_pv_key_load_pem(keyfile, &host, &error_abort));
    for (i = 0; i < 66; i++) {
        priv[i] = i ? 0x21 + i : 0;
    }
    g_assert_true(s390_pv_key_from_priv(priv, &cust, &error_abort));

    /* short PSW: 31-bit, entry 0x10000 */
    stl_be_p(img, 0x00080000);
    stl_be_p(img + 4, 0x80010000);
    if (stage) {
        g_assert_cmpint(stage_len, <=, RACE_BAD_IPLB - 0x10000);
        memcpy(img + 0x10000, stage, stage_len);
    } else {
        memcpy(img + 0x10000, stage_code, sizeof(stage_code));
        stq_be_p(img + 0x10800, 0x0002000180000000ULL); /* disabled wait */
        stq_be_p(img + 0x10808, 0xdead);
    }

    /* the components, in plaintext first */
    if (prot) {
        g_assert_cmpint(prot_len, <=, comps[0].size);
        memcpy(img + comps[0].addr, prot, prot_len);
    } else if (stage) {
        /* a race guest of the tests: it loops, the protected code too */
        memcpy(img + comps[0].addr, reipl_code, sizeof(reipl_code));
    } else {
        memcpy(img + comps[0].addr, protected_code, sizeof(protected_code));
        stq_be_p(img + comps[0].addr + 0x100, 0x0002000180000000ULL);
        stq_be_p(img + comps[0].addr + 0x108, 0x600d);
    }
    stq_be_p(img + comps[1].addr, DATA_WORD);

    for (i = 0; i < 32; i++) {
        spec.header_key[i] = 0xa0 ^ i;
        spec.cck[i] = i;
    }
    for (i = 0; i < 64; i++) {
        spec.xts_key[i] = 0x3c + 5 * i;
    }
    memcpy(spec.iv, "qtest-iv-abc", S390_PV_SE_IV_LEN);
    spec.host_keys = &host;
    spec.nr_host_keys = 1;
    spec.cust_key = &cust;
    spec.psw_mask = 0x0000000180000000ULL;
    spec.psw_addr = comps[0].addr;
    spec.pcf = image_pcf;

    xts = s390_pv_xts_new(spec.xts_key, &error_abort);
    s390_pv_digests_init(&d);
    for (i = 0; i < ARRAY_SIZE(comps); i++) {
        for (off = 0; off < ROUND_UP(comps[i].size, 4096); off += 4096) {
            uint8_t *page = img + comps[i].addr + off;

            s390_pv_tweak(tw, comps[i].tweak, off);
            g_assert_true(s390_pv_xts_page(xts, tw, page, true,
                                           &error_abort));
            s390_pv_digests_add(&d, page, comps[i].addr + off, tw);
        }
    }
    spec.nep = d.nep;
    s390_pv_digests_final(&d, spec.pld, spec.ald, spec.tld);
    hdr_len = s390_pv_se_header_len(1);
    g_assert_true(s390_pv_se_build(&spec, img + HDR, &error_abort));

    /* the PV IPL block */
    b = img + IPLB;
    stl_be_p(b, 0x1000);
    b[7] = 1;
    stl_be_p(b + 8, 0x80 + 24 * ARRAY_SIZE(comps));
    b[0xc] = 5;
    stl_be_p(b + 0x74, ARRAY_SIZE(comps));
    stq_be_p(b + 0x78, HDR);
    stq_be_p(b + 0x80, hdr_len);
    for (i = 0; i < ARRAY_SIZE(comps); i++) {
        stq_be_p(b + 0x88 + 24 * i, comps[i].tweak);
        stq_be_p(b + 0x88 + 24 * i + 8, comps[i].addr);
        stq_be_p(b + 0x88 + 24 * i + 16, comps[i].size);
    }

    /* the race guest's invalid block: header length 2^64 - 4096 */
    if (stage) {
        memcpy(img + RACE_BAD_IPLB, b, 0x1000);
        stq_be_p(img + RACE_BAD_IPLB + 0x80, 0xfffffffffffff000ULL);
    }

    switch (tamper) {
    case TAMPER_NONE:
        break;
    case TAMPER_COMPONENT:
        img[comps[1].addr + 0x400] ^= 0x01;
        break;
    case TAMPER_HEADER_PLAIN:
        img[HDR + S390_PV_SE_OFF_PLD] ^= 0x01;
        break;
    case TAMPER_HEADER_SECRET:
        img[HDR + 0x1a0 + 80 + 0x20] ^= 0x01;
        break;
    case TAMPER_HEADER_TAG:
        img[HDR + hdr_len - 1] ^= 0x01;
        break;
    case TAMPER_IPLB_TWEAK:
        b[0x88 + 24 + 7] ^= 0x01;
        break;
    }

    fd = g_file_open_tmp("s390x-pv-image-XXXXXX", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, img, IMG_SIZE), ==, IMG_SIZE);
    close(fd);
    return path;
}

static char *make_image(const char *key, Tamper tamper)
{
    return make_image_with(key, tamper, NULL, 0, NULL, 0);
}

static QTestState *boot(const char *image, const char *key)
{
    g_autofree char *keyfile = data_file(key);

    return qtest_initf("-machine s390-ccw-virtio,confidential-guest-support="
                       "pv0 -object s390-pv-guest,id=pv0,host-key=%s "
                       "-accel tcg -cpu max -m 64M -nodefaults "
                       "-action panic=pause -kernel %s",
                       keyfile, image);
}

/* Wait until the guest stores something at @addr; return it. */
static uint64_t wait_for(QTestState *qts, uint64_t addr)
{
    gint64 end = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
    uint64_t val;

    while (!(val = qtest_readq(qts, addr))) {
        g_assert_cmpint(g_get_monotonic_time(), <, end);
        g_usleep(10 * 1000);
    }
    return val;
}

static QDict *query_pv(QTestState *qts)
{
    QDict *resp = qtest_qmp(qts, "{ 'execute': 'query-s390-pv' }");
    QDict *ret = qdict_get_qdict(resp, "return");

    qobject_ref(ret);
    qobject_unref(resp);
    return ret;
}

static void test_boot(void)
{
    g_autofree char *img = make_image("host-sec1.pem", TAMPER_NONE);
    QTestState *qts = boot(img, "host-pkcs8.pem");

    /* the protected code runs, from the header's PSW ... */
    g_assert_cmphex(wait_for(qts, MARK), ==, 0x600d);
    /* ... and sees its data component decrypted */
    g_assert_cmphex(qtest_readq(qts, MARK + 8), ==, DATA_WORD);
    /* everything that was not unpacked reads as zero */
    g_assert_cmphex(qtest_readq(qts, 0x10000), ==, 0);
    g_assert_cmphex(qtest_readq(qts, IPLB), ==, 0);
    g_assert_cmphex(qtest_readq(qts, HDR), ==, 0);
    g_assert_cmphex(qtest_readq(qts, RESP8), ==, 0);

    /* what query-s390-pv and info s390-pv report */
    {
        QDict *st = query_pv(qts), *h = qdict_get_qdict(st, "header");
        g_autofree char *hmp = qtest_hmp(qts, "info s390-pv");

        g_assert_true(qdict_get_bool(st, "configured"));
        g_assert_true(qdict_get_bool(st, "protected"));
        g_assert_cmpstr(qdict_get_str(st, "backend"), ==, "software");
        g_assert_cmpint(qdict_get_int(h, "version"), ==, 0x100);
        g_assert_cmpint(qdict_get_int(h, "key-slots"), ==, 1);
        g_assert_cmpint(qdict_get_int(h, "pages"), ==, 2);
        g_assert_cmpint(qdict_get_int(h, "pcf"), ==, 0);
        g_assert_cmpint(qdict_get_int(h, "scf"), ==, 0);
        g_assert_cmpint(qdict_get_int(st, "components"), ==, 2);
        g_assert_cmpint(qdict_get_int(st, "pages-unpacked"), ==, 2);
        g_assert_false(qdict_haskey(st, "last-failure"));
        qobject_unref(st);
        g_assert_nonnull(strstr(hmp, "Protected Virtualization: protected, "
                                "backend software"));
        g_assert_nonnull(strstr(hmp, "components: 2, pages unpacked: 2"));
    }

    /*
     * A reboot leaves PV, and nothing the protected guest had in memory
     * survives it: not at the start of memory, not at its end.  (The
     * disabled wait paused the guest, -action panic=pause: it stays
     * paused across the reset until cont.)
     */
    qtest_writeq(qts, MARK, 0);
    qtest_writeq(qts, 0x100000, 0x5ec7e75ec7e7ULL);
    qtest_writeq(qts, 64 * MiB - 8, 0x5ec7e75ec7e7ULL);
    qtest_qmp_assert_success(qts, "{ 'execute': 'system_reset' }");
    qtest_qmp_eventwait(qts, "RESET");
    g_assert_cmphex(qtest_readq(qts, 0x100000), ==, 0);
    g_assert_cmphex(qtest_readq(qts, 64 * MiB - 8), ==, 0);
    /* the image protects itself again */
    qtest_qmp_assert_success(qts, "{ 'execute': 'cont' }");
    g_assert_cmphex(wait_for(qts, MARK), ==, 0x600d);
    qtest_quit(qts);
    unlink(img);
}

/* The guest goes on after a failed subcode 10 and stores the response. */
static void expect_failure(Tamper tamper, const char *key, uint64_t resp)
{
    g_autofree char *img = make_image("host-sec1.pem", tamper);
    QTestState *qts = boot(img, key);
    QDict *st, *f;

    g_assert_cmphex(wait_for(qts, RESP10), ==, resp);
    g_assert_cmphex(qtest_readq(qts, RESP8), ==, 0x0001);
    g_assert_cmphex(qtest_readq(qts, MARK), ==, 0);
    /* QEMU is alive and says what failed */
    st = query_pv(qts);
    f = qdict_get_qdict(st, "last-failure");
    g_assert_false(qdict_get_bool(st, "protected"));
    g_assert_cmphex(qdict_get_int(f, "cmd"), ==, resp >> 48);
    g_assert_cmphex(qdict_get_int(f, "rrc"), ==, (resp >> 32) & 0xffff);
    g_assert_cmphex(qdict_get_int(f, "rc"), ==, (resp >> 16) & 0xffff);
    g_assert_cmpstr(qdict_get_str(f, "cmd-name"), ==,
                    (resp >> 48) == 4 ? "KVM_PV_VERIFY" :
                    "KVM_PV_SET_SEC_PARMS");
    qobject_unref(st);
    qtest_quit(qts);
    unlink(img);
}

static void test_tampered_component(void)
{
    /* verify (4): PLD mismatch, rc 0x0102 rrc 0x1b */
    expect_failure(TAMPER_COMPONENT, "host-sec1.pem", 0x0004001b01020a02ULL);
}

static void test_wrong_host_key(void)
{
    /* set secure parameters (2): no key slot, rc 0x0108 rrc 0x05 */
    expect_failure(TAMPER_NONE, "other-host.pem", 0x0002000501080a02ULL);
}

static void test_tampered_header(void)
{
    /* the plaintext part, the secret part and the tag are authenticated */
    expect_failure(TAMPER_HEADER_PLAIN, "host-sec1.pem",
                   0x0002004201080a02ULL);
    expect_failure(TAMPER_HEADER_SECRET, "host-sec1.pem",
                   0x0002004201080a02ULL);
    expect_failure(TAMPER_HEADER_TAG, "host-sec1.pem",
                   0x0002004201080a02ULL);
}

static void test_tampered_iplb(void)
{
    /* another tweak prefix in the component table: TLD, rrc 0x1c */
    expect_failure(TAMPER_IPLB_TWEAK, "host-sec1.pem", 0x0004001c01020a02ULL);
}

/* The lines of QEMU's log (-D) that name trace event @event */
static int count_log(const char *log, const char *event)
{
    g_autofree char *text = NULL;
    int n = 0;
    char *p;

    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    for (p = text; (p = strstr(p, event)); p += strlen(event)) {
        n++;
    }
    return n;
}

/*
 * Let a two-CPU race guest run for @seconds, and (with @log) until it
 * protected itself @protects times, within a minute: QEMU must stay up,
 * and the guest must still be running, as it would not be had it seen a
 * response outside the defined ones (a disabled wait: a guest panic).
 */
static void race_run(QTestState *qts, int seconds, const char *log,
                     int protects)
{
    gint64 start = g_get_monotonic_time();
    QDict *resp, *ret;

    for (;;) {
        gint64 now = g_get_monotonic_time();

        if (now - start >= seconds * G_USEC_PER_SEC &&
            (!log || count_log(log, "s390_pv_protected") >= protects)) {
            break;
        }
        g_assert_cmpint(now - start, <, 60 * G_USEC_PER_SEC);
        g_usleep(100 * 1000);
        resp = qtest_qmp(qts, "{ 'execute': 'query-status' }");
        ret = qdict_get_qdict(resp, "return");
        g_assert_nonnull(ret);
        g_assert_cmpstr(qdict_get_str(ret, "status"), ==, "running");
        qobject_unref(resp);
    }
}

/*
 * diag 308: CPU 0 sets the valid block and protects, again and again (the
 * protected code re-IPLs); CPU 1 sets a block whose header length is
 * 2^64 - 4096, as fast as it can.  Before the fix the block CPU 1 was
 * rejected with was half written into the one being protected with, and
 * QEMU died allocating 2^64 - 4096 bytes.
 */
static void test_race_diag308(void)
{
    g_autofree uint8_t *stage = NULL;
    g_autofree char *img = NULL, *keyfile = data_file("host-sec1.pem");
    g_autofree char *log = NULL;
    QTestState *qts;
    gsize len;
    int fd, protects;

    stage = read_built("s390-pv-test-race-diag308.bin", &len);
    g_assert_nonnull(stage);
    img = make_image_with("host-sec1.pem", TAMPER_NONE, stage, len, NULL, 0);
    fd = g_file_open_tmp("s390x-pv-race-XXXXXX.log", &log, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);

    qts = qtest_initf("-machine s390-ccw-virtio,confidential-guest-support="
                      "pv0 -object s390-pv-guest,id=pv0,host-key=%s "
                      "-accel tcg,thread=multi -smp 2 -cpu max -m 64M "
                      "-nodefaults -action panic=pause "
                      "-trace s390_pv_protected -D %s -kernel %s",
                      keyfile, log, img);
    /* at least 100 protect -> re-IPL -> protect cycles */
    race_run(qts, 4, log, 100);
    qtest_quit(qts);
    protects = count_log(log, "s390_pv_protected");
    g_test_message("%d protects while the other CPU raced", protects);
    g_assert_cmpint(protects, >=, 100);
    unlink(log);
    unlink(img);
}

/*
 * SCLP: CPU 0 loops on Read SCP Info while CPU 1 switches the SCCB's
 * length between 8 and 0x1000.  Before the fix, QEMU sized its copy by
 * one read of the length and wrote by another: heap corruption, SIGABRT.
 * No PV object is needed for that.
 */
/*
 * A plain (unprotected) image: a short PSW to built guest @name, which is
 * linked at @at
 */
static char *plain_image_at(const char *name, uint32_t at)
{
    g_autofree uint8_t *stage = NULL, *img = NULL;
    char *path;
    gsize len;
    int fd;

    stage = read_built(name, &len);
    g_assert_nonnull(stage);
    img = g_malloc0(at + len);
    stl_be_p(img, 0x00080000);              /* short PSW to @at */
    stl_be_p(img + 4, 0x80000000 | at);
    memcpy(img + at, stage, len);
    fd = g_file_open_tmp("s390x-plain-XXXXXX", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, img, at + len), ==, at + len);
    close(fd);
    return path;
}

static char *plain_image(const char *name)
{
    return plain_image_at(name, 0x10000);
}

static void test_race_sclp(void)
{
    g_autofree char *path = plain_image("s390-pv-test-race-sclp.bin");
    QTestState *qts;

    qts = qtest_initf("-machine s390-ccw-virtio -accel tcg,thread=multi "
                      "-smp 2 -cpu max -m 64M -nodefaults "
                      "-action panic=pause -kernel %s", path);
    race_run(qts, 4, NULL, 0);
    /* both CPUs ran, and CPU 0 saw no unexpected condition code */
    g_assert_cmpint(qtest_readq(qts, RACE_DATA), >, 1000);
    g_assert_cmpint(qtest_readq(qts, RACE_DATA + 8), >, 1000);
    g_assert_cmphex(qtest_readq(qts, RACE_DATA + 0x10), ==, 0);
    qtest_quit(qts);
    unlink(path);
}

/*
 * diag 308 in a protected guest: subcodes 8, 9 and 10 end with a
 * specification exception; after subcode 1 the CPU continues at the PSW
 * the guest stored at absolute 0, not at the SE header's.
 */
static void test_protected_diag308(void)
{
    g_autofree uint8_t *prot = NULL;
    g_autofree char *img = NULL;
    QTestState *qts;
    QDict *st;
    gsize len;

    prot = read_built("s390-pv-test-pv-diag308.bin", &len);
    g_assert_nonnull(prot);
    img = make_image_with("host-sec1.pem", TAMPER_NONE, NULL, 0, prot, len);
    qts = boot(img, "host-sec1.pem");
    g_assert_cmphex(wait_for(qts, MARK + 0x28), ==, 0x600d);
    g_assert_cmphex(qtest_readq(qts, MARK + 0x10), ==, PGM_SPECIFICATION);
    g_assert_cmphex(qtest_readq(qts, MARK + 0x18), ==, PGM_SPECIFICATION);
    g_assert_cmphex(qtest_readq(qts, MARK + 0x20), ==, PGM_SPECIFICATION);
    g_assert_cmphex(qtest_readq(qts, MARK + 0x08), ==, 0);
    /* still protected after a reset of its own */
    st = query_pv(qts);
    g_assert_true(qdict_get_bool(st, "protected"));
    qobject_unref(st);
    qtest_quit(qts);
    unlink(img);
}

/*
 * A subcode 10 issued through EXRL (6 bytes) that fails: the guest goes
 * on after the EXRL with the response.
 */
static void test_exrl_diag308(void)
{
    g_autofree uint8_t *stage = NULL;
    g_autofree char *img = NULL;
    QTestState *qts;
    gsize len;

    stage = read_built("s390-pv-test-exrl-diag308.bin", &len);
    g_assert_nonnull(stage);
    img = make_image_with("host-sec1.pem", TAMPER_NONE, stage, len, NULL, 0);
    /* not encrypted for this host: set secure parameters fails */
    qts = boot(img, "other-host.pem");
    g_assert_cmphex(wait_for(qts, RESP8 + 0x10), ==, 0x600d);
    g_assert_cmphex(qtest_readq(qts, RESP8), ==, 0x0001);
    g_assert_cmphex(qtest_readq(qts, RESP10), ==, 0x0002000501080a02ULL);
    qtest_quit(qts);
    unlink(img);
}

/*
 * A guest that loops on a failing subcode 10 (fifty times) must not make
 * the host print fifty error lines: five, the last saying that more are
 * suppressed; the trace event stays one per attempt.
 */
static void test_error_rate_limit(void)
{
    const char *bin = g_getenv("QTEST_QEMU_BINARY");
    g_autofree uint8_t *stage = NULL;
    g_autofree char *img = NULL, *log = NULL, *cmd = NULL, *err = NULL;
    g_autofree char *keyfile = data_file("other-host.pem");
    g_auto(GStrv) lines = NULL;
    const char *argv[] = { "/bin/sh", "-c", NULL, NULL };
    int status, fd, i, n = 0;
    gsize len;

    stage = read_built("s390-pv-test-loop-diag308.bin", &len);
    g_assert_nonnull(stage);
    img = make_image_with("host-sec1.pem", TAMPER_NONE, stage, len, NULL, 0);
    fd = g_file_open_tmp("s390x-pv-loop-XXXXXX.log", &log, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    cmd = g_strdup_printf("timeout 120 %s -machine s390-ccw-virtio,"
                          "confidential-guest-support=pv0 -object "
                          "s390-pv-guest,id=pv0,host-key=%s -accel tcg "
                          "-cpu max -m 64M -nodefaults -display none "
                          "-action panic=shutdown -trace "
                          "s390_pv_protect_failed -D %s -kernel %s",
                          bin, keyfile, log, img);
    argv[2] = cmd;
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, 0, NULL, NULL,
                               NULL, &err, &status, NULL));
    g_test_message("stderr: %s", err);
    /* the guest got to its end: a disabled wait, shut down */
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    g_assert_cmpint(count_log(log, "s390_pv_protect_failed"), ==, 50);

    lines = g_strsplit(err, "\n", -1);
    for (i = 0; lines[i]; i++) {
        if (strstr(lines[i], "Protected Virtualization: ")) {
            n++;
            g_assert_nonnull(strstr(lines[i], "no key slot"));
            if (n == 5) {
                g_assert_nonnull(strstr(lines[i], "(similar errors are "
                                        "suppressed for 60 s)"));
            }
        }
    }
    g_assert_cmpint(n, ==, 5);
    unlink(log);
    unlink(img);
}

/*
 * An SCCB beyond guest memory: an addressing exception (it used to be
 * read as zeros and refused as too short, a specification exception).
 */
static void test_sclp_addressing(void)
{
    g_autofree char *path = plain_image("s390-pv-test-sclp-addressing.bin");
    QTestState *qts;

    qts = qtest_initf("-machine s390-ccw-virtio -accel tcg -cpu max "
                      "-m 64M -nodefaults -action panic=pause -kernel %s",
                      path);
    g_assert_cmphex(wait_for(qts, RACE_DATA + 0x18), ==, 0x600d);
    g_assert_cmphex(qtest_readq(qts, RACE_DATA + 0x10), ==, 0x0005);
    g_assert_cmphex(qtest_readq(qts, RACE_DATA + 0x08), ==, 0);
    qtest_quit(qts);
    unlink(path);
}

static void expect_startup_error(const char *object, const char *msg)
{
    const char *bin = g_getenv("QTEST_QEMU_BINARY");
    g_autofree char *cmd = g_strdup_printf(
        "timeout 60 %s -machine s390-ccw-virtio,confidential-guest-support="
        "pv0 -object s390-pv-guest,id=pv0%s -accel tcg -cpu max "
        "-nodefaults -display none", bin, object);
    const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    g_autofree char *err = NULL;
    int status;

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, 0, NULL, NULL,
                               NULL, &err, &status, NULL));
    g_test_message("stderr: %s", err);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 1);
    g_assert_true(strchr(err, '\n') == err + strlen(err) - 1);
    g_assert_nonnull(strstr(err, msg));
}

/* --- the protected guest's Ultravisor calls and what the host sees ------ */

#define UVC_REC(n)      (MARK + 0x10 + 8 * (n))
#define UVC_SHARED      0x19000
#define UVC_SECRET      0x1a000
#define PGM(code)       (0xffff0000ULL | (code))

/*
 * isolation is fixed once the machine is created: qom-set is refused with
 * one message and changes nothing (turning it on later crashed QEMU on the
 * first device access, turning it off unprotected the guest).
 */
static void isolation_is_fixed(QTestState *qts, bool want)
{
    QDict *r, *err, *st;

    r = qtest_qmp(qts, "{ 'execute': 'qom-set', 'arguments': { 'path': "
                  "'/objects/pv0', 'property': 'isolation', 'value': %i } }",
                  !want);
    err = qdict_get_qdict(r, "error");
    g_assert_nonnull(err);
    g_assert_cmpstr(qdict_get_str(err, "desc"), ==,
                    "isolation cannot change once the machine is created: "
                    "set it on the -object command line");
    qobject_unref(r);
    r = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': { 'path': "
                  "'/objects/pv0', 'property': 'isolation' } }");
    g_assert(qdict_get_bool(r, "return") == want);
    qobject_unref(r);
    st = query_pv(qts);
    g_assert(qdict_get_bool(qdict_get_qdict(st, "isolation"), "enabled") ==
             want);
    qobject_unref(st);
}

static QTestState *boot_uvc(const char *img, const char *extra)
{
    g_autofree char *keyfile = data_file("host-sec1.pem");

    return qtest_initf("-machine s390-ccw-virtio,confidential-guest-support="
                       "pv0 -object s390-pv-guest,id=pv0,host-key=%s%s "
                       "-accel tcg,thread=multi -smp 2 -cpu max -m 64M "
                       "-nodefaults -action panic=pause -kernel %s",
                       keyfile, extra, img);
}

static char *uvc_image(void)
{
    g_autofree uint8_t *prot = NULL;
    gsize len;

    prot = read_built("s390-pv-test-uvc.bin", &len);
    g_assert_nonnull(prot);
    return make_image_with("host-sec1.pem", TAMPER_NONE, NULL, 0, prot, len);
}

/* Does file @path hold @needle? */
static bool file_has(const char *path, const char *needle)
{
    g_autofree char *buf = NULL;
    gsize len;

    g_assert_true(g_file_get_contents(path, &buf, &len, NULL));
    return memmem(buf, len, needle, strlen(needle)) != NULL;
}

/* dump-guest-memory into a new file *@path; QMP's answer */
static QDict *dump_to_file(QTestState *qts, char **path)
{
    int fd = g_file_open_tmp("s390x-pv-dump-XXXXXX", path, NULL);

    g_assert_cmpint(fd, >=, 0);
    close(fd);
    return qtest_qmp(qts, "{ 'execute': 'dump-guest-memory', 'arguments': "
                     "{ 'paging': false, 'protocol': %s } }",
                     g_strdup_printf("file:%s", *path));
}

/* pmemsave, memsave (DAT is off: virtual = real) and xp of one page */
static void host_reads(QTestState *qts, uint64_t addr, const char *marker,
                       bool clear)
{
    g_autofree char *p = NULL, *v = NULL, *xp = NULL, *hex = NULL;
    g_autofree char *saved = NULL, *sum = NULL, *xpi = NULL, *xi = NULL;
    uint16_t want = 0;
    gsize len, i;
    QDict *r;
    int fd;

    fd = g_file_open_tmp("s390x-pv-pmem-XXXXXX", &p, NULL);
    close(fd);
    fd = g_file_open_tmp("s390x-pv-vmem-XXXXXX", &v, NULL);
    close(fd);
    r = qtest_qmp(qts, "{ 'execute': 'pmemsave', 'arguments': { 'val': %"
                  PRIu64 ", 'size': 4096, 'filename': %s } }", addr, p);
    g_assert_true(qdict_haskey(r, "return"));
    qobject_unref(r);
    r = qtest_qmp(qts, "{ 'execute': 'memsave', 'arguments': { 'val': %"
                  PRIu64 ", 'size': 4096, 'filename': %s, 'cpu-index': 0 } }",
                  addr, v);
    g_assert_true(qdict_haskey(r, "return"));
    qobject_unref(r);
    g_assert_cmpint(file_has(p, marker), ==, clear);
    g_assert_cmpint(file_has(v, marker), ==, clear);
    /* the first 8 bytes of the marker, as xp prints them */
    hex = g_strdup_printf("0x%016" PRIx64, ldq_be_p(marker));
    xp = qtest_hmp(qts, "xp /1xg 0x%" PRIx64, addr);
    g_test_message("xp: %s", xp);
    g_assert_cmpint(!!strstr(xp, hex), ==, clear);
    /* sum: the BSD checksum of what pmemsave wrote */
    g_assert_true(g_file_get_contents(p, &saved, &len, NULL));
    g_assert_cmpint(len, ==, 4096);
    for (i = 0; i < len; i++) {
        want = (want >> 1) | (want << 15);
        want += (uint8_t)saved[i];
    }
    sum = qtest_hmp(qts, "sum 0x%" PRIx64 " 4096", addr);
    g_assert_cmpint(atoi(sum), ==, want);
    /* xp /i disassembles what x /i does (no DAT: virtual = real) */
    xpi = qtest_hmp(qts, "xp /8i 0x%" PRIx64, addr);
    xi = qtest_hmp(qts, "x /8i 0x%" PRIx64, addr);
    g_test_message("xp /8i: %s", xpi);
    g_assert_cmpstr(xpi, ==, xi);
    unlink(p);
    unlink(v);
}

/*
 * The UVC test guest, protected, on two CPUs: every command, length,
 * privilege and address case of the guest interface; then a race of
 * share/unshare on one bitmap word.  Afterwards the host sees the page
 * the guest shared, and only ciphertext of the one it did not.
 */
static void test_uvc(void)
{
    static const uint64_t rec[] = {
        [1] = 0x00001, [4] = 0x10005, [5] = 0x10100, [6] = 0x10005,
        [7] = 0x00001, [8] = 0x10101, [9] = 0x10101, [10] = 0x00001,
        [11] = 0x10005, [12] = 0x10002, [13] = 0x10002, [14] = 0x10002,
        [15] = 0x10002, [16] = PGM(0x0006), [17] = PGM(0x0005),
        [18] = PGM(0x0002), [19] = 0x00001,
    };
    g_autofree char *img = uvc_image(), *dump = NULL;
    QTestState *qts;
    QDict *st, *g, *iso, *r;
    QList *fac;
    int i;

    qts = boot_uvc(img, "");
    g_assert_cmphex(wait_for(qts, MARK), ==, 0x600d);
    g_assert_cmphex(qtest_readq(qts, MARK + 8), ==, 0);
    g_assert_cmphex(qtest_readq(qts, UVC_REC(0)) & 0x02, ==, 0x02);
    for (i = 1; i < ARRAY_SIZE(rec); i++) {
        if (rec[i]) {
            g_test_message("record %d", i);
            g_assert_cmphex(qtest_readq(qts, UVC_REC(i)), ==, rec[i]);
        }
    }
    /* Query, bits 0, 8 and 9 and nothing else */
    g_assert_cmphex(qtest_readq(qts, UVC_REC(2)), ==, 0x80c0000f40000000ULL);

    st = query_pv(qts);
    g = qdict_get_qdict(st, "guest");
    g_assert_nonnull(g);
    fac = qdict_get_qlist(g, "facilities");
    g_assert_cmpint(qlist_size(fac), ==, 4);
    g_assert_cmphex(qnum_get_uint(qobject_to(QNum, qlist_peek(fac))), ==,
                    0x80c0000f40000000ULL);
    g_assert_cmpint(qdict_get_int(g, "max-cpu-id"), ==,
                    qtest_readq(qts, UVC_REC(3)));
    g_assert_cmpint(qdict_get_int(g, "max-cpu-id"), >=, 1);
    /* 0x19000, and CPU 0's 32 race pages; CPU 1 left none */
    g_assert_cmpint(qdict_get_int(g, "shared-pages"), ==, 33);
    /* 14 single calls, 1000 rounds of 32 shares and 32 unshares but one */
    g_assert_cmpint(qdict_get_int(g, "calls"), ==, 14 + 2 * 1000 * 64 - 32);
    iso = qdict_get_qdict(st, "isolation");
    g_assert_true(qdict_get_bool(iso, "enabled"));
    g_assert_cmpint(qdict_get_int(iso, "refused-accesses"), ==, 0);
    qobject_unref(st);

    /* the monitor sees the shared page, not the other one */
    host_reads(qts, UVC_SHARED, "SHARED-PAGE-MARKER", true);
    host_reads(qts, UVC_SECRET, "SECRET-PAGE-MARKER", false);
    isolation_is_fixed(qts, true);
    host_reads(qts, UVC_SECRET, "SECRET-PAGE-MARKER", false);

    /* the image does not allow dumps: one line says so, nothing written */
    r = dump_to_file(qts, &dump);
    g_assert_true(qdict_haskey(r, "error"));
    g_assert_cmpstr(qdict_get_str(qdict_get_qdict(r, "error"), "desc"), ==,
                    "dump-guest-memory: the guest is protected: Ultravisor: "
                    "dump refused: the image does not allow dumping "
                    "(plaintext control flag 0x20000000 is off: build it "
                    "with --enable-dump)");
    qobject_unref(r);
    g_assert_false(file_has(dump, "SHARED-PAGE-MARKER"));
    unlink(dump);
    /* and the guest is as it was */
    st = query_pv(qts);
    g_assert_cmpint(qdict_get_int(qdict_get_qdict(st, "guest"),
                                  "shared-pages"), ==, 33);
    qobject_unref(st);

    /* a reset unshares everything */
    qtest_qmp_assert_success(qts, "{ 'execute': 'system_reset' }");
    st = query_pv(qts);
    g_assert_cmpint(qdict_get_int(qdict_get_qdict(st, "guest"),
                                  "shared-pages"), ==, 0);
    qobject_unref(st);
    qtest_quit(qts);
    unlink(img);
}

/* --- protected dumps ---------------------------------------------------- */

/* A dump file, read whole; its ELF read in big endian, bounded */
typedef struct DumpFile {
    uint8_t *d;
    gsize len;
} DumpFile;

static void dump_read(DumpFile *df, const char *path)
{
    g_assert_true(g_file_get_contents(path, (char **)&df->d, &df->len,
                                      NULL));
    g_assert_cmpuint(df->len, >=, 64);
    g_assert_cmpmem(df->d, 4, "\x7f" "ELF", 4);
    g_assert_cmpint(df->d[4], ==, 2);       /* 64-bit */
    g_assert_cmpint(df->d[5], ==, 2);       /* big endian */
    g_assert_cmpint(lduw_be_p(df->d + 0x12), ==, 22);   /* EM_S390 */
    /* the ELF header's own size, not a pointer's */
    g_assert_cmpint(lduw_be_p(df->d + 0x34), ==, 64);
}

/* Section @name's contents and size, or NULL (checks the string table) */
static const uint8_t *dump_section(DumpFile *df, const char *name,
                                   uint64_t *size)
{
    uint64_t shoff = ldq_be_p(df->d + 0x28);
    uint16_t shnum = lduw_be_p(df->d + 0x3c), i;
    uint16_t shstrndx = lduw_be_p(df->d + 0x3e);
    const uint8_t *str, *sh;
    uint64_t strsz;

    if (!shnum) {
        return NULL;
    }
    g_assert_cmpint(lduw_be_p(df->d + 0x3a), ==, 64);
    g_assert_cmpuint(shoff + 64 * shnum, <=, df->len);
    g_assert_cmpuint(shstrndx, <, shnum);
    sh = df->d + shoff + 64 * shstrndx;
    /* .shstrtab: SHT_STRTAB, a size that fits, in the dump's byte order */
    g_assert_cmpint(ldl_be_p(sh + 4), ==, 3);
    strsz = ldq_be_p(sh + 0x20);
    g_assert_cmpuint(strsz, <, 4096);
    g_assert_cmpuint(ldq_be_p(sh + 0x18) + strsz, <=, df->len);
    str = df->d + ldq_be_p(sh + 0x18);
    g_assert_cmpint(str[strsz - 1], ==, 0);
    for (i = 0; i < shnum; i++) {
        sh = df->d + shoff + 64 * i;
        if (ldl_be_p(sh) < strsz &&
            !strcmp((const char *)str + ldl_be_p(sh), name)) {
            *size = ldq_be_p(sh + 0x20);
            g_assert_cmpuint(ldq_be_p(sh + 0x18) + *size, <=, df->len);
            return df->d + ldq_be_p(sh + 0x18);
        }
    }
    return NULL;
}

/* The file offset of guest absolute @addr (a PT_LOAD holds it) */
static uint64_t dump_offset_of(DumpFile *df, uint64_t addr)
{
    uint64_t phoff = ldq_be_p(df->d + 0x20);
    uint16_t phnum = lduw_be_p(df->d + 0x38), i;

    for (i = 0; i < phnum; i++) {
        const uint8_t *ph = df->d + phoff + 56 * i;
        uint64_t paddr = ldq_be_p(ph + 0x18), filesz = ldq_be_p(ph + 0x20);

        if (ldl_be_p(ph) == 1 && addr >= paddr && addr - paddr < filesz) {
            return ldq_be_p(ph + 8) + addr - paddr;
        }
    }
    g_assert_not_reached();
}

/* The descriptors of the notes of @type, in order; returns how many */
static int dump_notes(DumpFile *df, uint32_t type, uint8_t **desc, int max)
{
    uint64_t phoff = ldq_be_p(df->d + 0x20);
    uint16_t phnum = lduw_be_p(df->d + 0x38), i;
    int n = 0;

    for (i = 0; i < phnum; i++) {
        const uint8_t *ph = df->d + phoff + 56 * i;
        uint64_t pos = ldq_be_p(ph + 8), end = pos + ldq_be_p(ph + 0x20);

        if (ldl_be_p(ph) != 4) {
            continue;
        }
        g_assert_cmpuint(end, <=, df->len);
        while (pos + 12 <= end) {
            uint32_t namesz = ldl_be_p(df->d + pos);
            uint32_t descsz = ldl_be_p(df->d + pos + 4);
            uint64_t dpos = pos + 12 + ROUND_UP(namesz, 4);

            if (ldl_be_p(df->d + pos + 8) == type) {
                g_assert_cmpint(n, <, max);
                desc[n++] = df->d + dpos;
            }
            pos = dpos + ROUND_UP(descsz, 4);
        }
    }
    return n;
}

static char *dump_guest(QTestState *qts)
{
    char *path;
    QDict *r = dump_to_file(qts, &path);

    g_assert_true(qdict_haskey(r, "return"));
    qobject_unref(r);
    return path;
}

/* s390-pvdump -k @cck @dump @out: its exit status, its stderr in *@err */
static int pvdump(const char *cck, const char *dump, const char *out,
                  char **err)
{
    const char *argv[] = { "tools/s390-pvdump", "-k", cck, dump, out, NULL };
    int status;

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL,
                               G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                               err, &status, NULL));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A copy of @dump with the byte at @off flipped (none if @off is -1) */
static char *flipped(DumpFile *df, uint64_t off)
{
    char *path;
    int fd = g_file_open_tmp("s390x-pv-bad-XXXXXX", &path, NULL);

    if (off != (uint64_t)-1) {
        df->d[off] ^= 0x01;
    }
    g_assert_cmpint(write(fd, df->d, df->len), ==, df->len);
    if (off != (uint64_t)-1) {
        df->d[off] ^= 0x01;
    }
    close(fd);
    return path;
}

/* s390-pvdump fails with one line saying @why, and writes nothing */
static void pvdump_refuses(const char *cck, const char *dump,
                           const char *why)
{
    g_autofree char *out = g_strdup_printf("%s.out", dump), *err = NULL;

    g_assert_cmpint(pvdump(cck, dump, out, &err), ==, 1);
    g_test_message("%s", err);
    g_assert_nonnull(strstr(err, why));
    g_assert_nonnull(strchr(err, '\n'));
    g_assert_cmpstr(strchr(err, '\n') + 1, ==, "");
    g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
    unlink(dump);
}

/*
 * A protected guest whose image allows dumps (the UVC guest: a marker in
 * a page it shares, another in one it does not) is dumped as IBM Z's
 * Ultravisor dumps it: the host cannot read it; its owner, with the
 * customer communication key, gets memory and registers with s390-pvdump.
 * @isolation: off, the host sees the guest (and so does the dump).
 */
static void protected_dump(bool isolation)
{
    g_autofree char *img = NULL, *dump = NULL, *plain = NULL;
    g_autofree char *cck = NULL, *err = NULL, *bad = NULL;
    uint8_t key[32], *notes[4];
    DumpFile raw, dec;
    const uint8_t *meta, *compl;
    uint64_t size, off;
    QTestState *qts;
    int i, n, fd;

    image_pcf = 0x200000e0;
    img = uvc_image();
    image_pcf = 0;
    qts = boot_uvc(img, isolation ? "" : ",isolation=off");
    g_assert_cmphex(wait_for(qts, MARK), ==, 0x600d);
    dump = dump_guest(qts);
    qtest_quit(qts);

    dump_read(&raw, dump);
    g_assert_true(file_has(dump, "SHARED-PAGE-MARKER"));
    g_assert(file_has(dump, "SECRET-PAGE-MARKER") == !isolation);
    /* the Ultravisor's sections, their headers in big endian */
    compl = dump_section(&raw, "pv_compl", &size);
    g_assert_nonnull(compl);
    g_assert_cmpuint(size, ==, 288);
    g_assert_cmpint(ldl_be_p(compl), ==, 1);
    g_assert_cmpint(ldl_be_p(compl + 4), ==, 288);
    meta = dump_section(&raw, "pv_mem_meta", &size);
    g_assert_nonnull(meta);
    g_assert_cmpuint(size, ==, 64 * 4096);     /* 64 MiB, 16 bytes a page */
    /* the shared page is marked shared; the secret one encrypted or not */
    g_assert_cmphex((uint32_t)ldl_be_p(meta + UVC_SHARED / 4096 * 16), ==,
                    0xffffffff);
    g_assert_cmphex(meta[UVC_SHARED / 4096 * 16 + 15], ==, 0x06);
    g_assert_cmphex((uint32_t)ldl_be_p(meta + UVC_SECRET / 4096 * 16), ==,
                    isolation ? 0 : 0xffffffff);
    /* one protected note per CPU; the clear ones hold no registers */
    g_assert_cmpint(dump_notes(&raw, 0x30e, notes, 4), ==, 2);
    n = dump_notes(&raw, 1, notes, 4);
    g_assert_cmpint(n, ==, 2);
    for (i = 0; i < n; i++) {
        g_assert_cmpint(ldl_be_p(notes[i] + 32), ==, i + 1);   /* pid */
        if (isolation) {
            g_assert_cmphex(ldq_be_p(notes[i] + 112), ==, 0);
            g_assert_cmphex(ldq_be_p(notes[i] + 120), ==, 0);
        }
    }

    /* the owner's side */
    for (i = 0; i < 32; i++) {
        key[i] = i;                         /* make_image_with()'s CCK */
    }
    fd = g_file_open_tmp("s390x-pv-cck-XXXXXX", &cck, NULL);
    g_assert_cmpint(write(fd, key, 32), ==, 32);
    close(fd);
    plain = g_strdup_printf("%s.plain", dump);
    g_assert_cmpint(pvdump(cck, dump, plain, &err), ==, 0);
    g_assert_cmpstr(err, ==, "");
    dump_read(&dec, plain);
    g_assert_cmpint(lduw_be_p(dec.d + 0x3c), ==, 0);    /* no sections */
    off = dump_offset_of(&dec, UVC_SECRET);
    g_assert_cmpmem(dec.d + off, 18, "SECRET-PAGE-MARKER", 18);
    off = dump_offset_of(&dec, UVC_SHARED);
    g_assert_cmpmem(dec.d + off, 18, "SHARED-PAGE-MARKER", 18);
    /* the registers: both CPUs stopped in the guest's disabled wait */
    n = dump_notes(&dec, 1, notes, 4);
    g_assert_cmpint(n, ==, 2);
    for (i = 0; i < n; i++) {
        g_assert_cmpint(ldl_be_p(notes[i] + 32), ==, i + 1);
        g_assert_cmphex(ldq_be_p(notes[i] + 112), ==, 0x0002000180000000ULL);
        g_assert_cmphex(ldq_be_p(notes[i] + 120), ==, 0x600d);
    }
    /* CPU 0's r9 points to the result words (test-uvc.S) */
    g_assert_cmphex(ldq_be_p(notes[0] + 128 + 9 * 8), ==, MARK);
    g_free(dec.d);
    unlink(plain);

    /* a wrong key, and changed bytes: one line, exit 1, no output */
    key[0] ^= 0xff;
    g_assert_true(g_file_set_contents(cck, (char *)key, 32, NULL));
    bad = flipped(&raw, (uint64_t)-1);
    pvdump_refuses(cck, bad, "the key does not open its completion data");
    g_clear_pointer(&bad, g_free);
    key[0] ^= 0xff;
    g_assert_true(g_file_set_contents(cck, (char *)key, 32, NULL));
    compl = dump_section(&raw, "pv_compl", &size);
    bad = flipped(&raw, compl - raw.d + 150);
    pvdump_refuses(cck, bad, "the key does not open its completion data");
    g_clear_pointer(&bad, g_free);
    g_assert_cmpint(dump_notes(&raw, 0x30e, notes, 4), ==, 2);
    bad = flipped(&raw, notes[1] - raw.d + 40 + 130);
    pvdump_refuses(cck, bad, "CPU 1's protected state does not "
                   "authenticate");
    g_clear_pointer(&bad, g_free);
    if (isolation) {
        bad = flipped(&raw, dump_offset_of(&raw, UVC_SECRET) + 5);
        pvdump_refuses(cck, bad, "its encrypted memory is not what the "
                       "Ultravisor exported");
        g_clear_pointer(&bad, g_free);
        /* an encrypted page passed off as shared, then as a zero page */
        for (i = 0; i < 2; i++) {
            uint8_t *tc = raw.d + (meta - raw.d) + UVC_SECRET / 4096 * 16;
            uint8_t saved[16];

            memcpy(saved, tc, 16);
            memset(tc, 0, 16);
            stl_be_p(tc, 0xffffffff);
            tc[15] = i ? 0x01 : 0x02;
            bad = flipped(&raw, (uint64_t)-1);
            memcpy(tc, saved, 16);
            pvdump_refuses(cck, bad, "its encrypted memory is not what the "
                           "Ultravisor exported");
            g_clear_pointer(&bad, g_free);
        }
    }
    g_free(raw.d);
    unlink(cck);
    unlink(dump);
    unlink(img);
}

static void test_protected_dump(void)
{
    protected_dump(true);
}

static void test_protected_dump_isolation_off(void)
{
    protected_dump(false);
}

/*
 * A detached protected dump while the machine is reset, 5 times: the
 * reset ends the Ultravisor's dump under the dump's thread, which must
 * finish (or fail) cleanly, and QEMU stays.
 */
static void test_protected_dump_reset(void)
{
    g_autofree char *img = NULL;
    QTestState *qts;
    int round;

    image_pcf = 0x200000e0;
    img = uvc_image();
    image_pcf = 0;
    qts = boot_uvc(img, "");
    for (round = 0; round < 5; round++) {
        g_autofree char *path = NULL;
        const char *status;
        QDict *r;
        int fd;

        g_assert_cmphex(wait_for(qts, MARK), ==, 0x600d);
        fd = g_file_open_tmp("s390x-pv-dump-XXXXXX", &path, NULL);
        close(fd);
        qtest_qmp_assert_success(qts, "{ 'execute': 'dump-guest-memory', "
                                 "'arguments': { 'paging': false, "
                                 "'detach': true, 'protocol': %s } }",
                                 g_strdup_printf("file:%s", path));
        qtest_writeq(qts, MARK, 0);
        qtest_qmp_assert_success(qts, "{ 'execute': 'system_reset' }");
        do {
            r = qtest_qmp(qts, "{ 'execute': 'query-dump' }");
            status = qdict_get_str(qdict_get_qdict(r, "return"), "status");
            g_assert_cmpstr(status, !=, "none");
            if (!strcmp(status, "active")) {
                qobject_unref(r);
                g_usleep(10000);
                continue;
            }
            break;
        } while (true);
        g_assert_true(!strcmp(status, "completed") ||
                      !strcmp(status, "failed"));
        qobject_unref(r);
        unlink(path);
        qtest_qmp_assert_success(qts, "{ 'execute': 'cont' }");
    }
    qtest_quit(qts);
    unlink(img);
}

/* A guest that is not protected: a plain dump, its ELF as zgetdump reads */
static void test_plain_dump(void)
{
    g_autofree char *dump = NULL;
    QTestState *qts;
    DumpFile df;
    uint64_t size;

    /* -S: with nothing to boot, the BIOS would end the guest (and QEMU) */
    qts = qtest_init("-machine s390-ccw-virtio -accel tcg -m 64M "
                     "-nodefaults -S");
    dump = dump_guest(qts);
    qtest_quit(qts);
    dump_read(&df, dump);
    /* only the string table; dump_section() checks its header */
    g_assert_null(dump_section(&df, "pv_compl", &size));
    g_assert_cmpint(lduw_be_p(df.d + 0x3c), ==, 2);
    g_free(df.d);
    unlink(dump);
}

/* isolation=off: the host sees everything, as it must not on IBM Z */
static void test_uvc_isolation_off(void)
{
    g_autofree char *img = uvc_image();
    QTestState *qts;
    QDict *st;

    qts = boot_uvc(img, ",isolation=off");
    g_assert_cmphex(wait_for(qts, MARK), ==, 0x600d);
    host_reads(qts, UVC_SECRET, "SECRET-PAGE-MARKER", true);
    isolation_is_fixed(qts, false);
    host_reads(qts, UVC_SECRET, "SECRET-PAGE-MARKER", true);
    st = query_pv(qts);
    g_assert_false(qdict_get_bool(qdict_get_qdict(st, "isolation"),
                                  "enabled"));
    qobject_unref(st);
    qtest_quit(qts);
    unlink(img);
}

/*
 * The same code, not protected (with a PV object): no facility 158, and
 * every UVC is an operation exception, whatever else is wrong with it.
 */
static void test_uvc_unprotected(void)
{
    g_autofree char *path = plain_image_at("s390-pv-test-uvc.bin", 0x15000);
    QTestState *qts;
    int i;

    qts = boot_uvc(path, "");
    g_assert_cmphex(wait_for(qts, MARK), ==, 0x600d);
    g_assert_cmphex(qtest_readq(qts, UVC_REC(0)) & 0x02, ==, 0);
    g_assert_cmphex(qtest_readq(qts, UVC_REC(1)), ==, PGM(0x0001));
    for (i = 4; i <= 19; i++) {
        g_assert_cmphex(qtest_readq(qts, UVC_REC(i)), ==, PGM(0x0001));
    }
    /* nothing is hidden from the host of a guest that is not protected */
    host_reads(qts, UVC_SECRET, "SECRET-PAGE-MARKER", true);
    qtest_quit(qts);
    unlink(path);
}

/*
 * A device of a protected guest: SENSE ID into a page the guest shared
 * arrives; into a page it did not share, the write ends the guest (as
 * KVM does when the page cannot be imported again) and never reaches
 * the page.
 */
static void test_device_write(void)
{
    g_autofree uint8_t *prot = NULL;
    g_autofree char *img = NULL, *log = NULL;
    g_autofree char *keyfile = data_file("host-sec1.pem");
    QTestState *qts;
    QDict *st, *iso, *r;
    gint64 end, writes;
    gsize len;
    int fd, i;

    prot = read_built("s390-pv-test-dev-write.bin", &len);
    g_assert_nonnull(prot);
    img = make_image_with("host-sec1.pem", TAMPER_NONE, NULL, 0, prot, len);
    fd = g_file_open_tmp("s390x-pv-devw-XXXXXX.log", &log, NULL);
    close(fd);
    qts = qtest_initf("-machine s390-ccw-virtio,confidential-guest-support="
                      "pv0 -object s390-pv-guest,id=pv0,host-key=%s "
                      "-accel tcg -cpu max -m 64M -nodefaults "
                      "-device virtio-rng-ccw,id=rng0 "
                      "-action panic=pause -trace s390_pv_refused "
                      "-trace s390_pv_guest_ended -D %s "
                      "-kernel %s", keyfile, log, img);
    /* the guest is ended */
    end = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
    for (;;) {
        r = qtest_qmp(qts, "{ 'execute': 'query-status' }");
        if (!strcmp(qdict_get_str(qdict_get_qdict(r, "return"), "status"),
                    "guest-panicked")) {
            qobject_unref(r);
            break;
        }
        qobject_unref(r);
        g_assert_cmpint(g_get_monotonic_time(), <, end);
        g_usleep(10 * 1000);
    }
    g_assert_cmphex(qtest_readq(qts, MARK + 8), ==, 0);
    /* stsch, msch, ssch, tsch, ssch: all condition code 0 */
    for (i = 0; i < 5; i++) {
        g_assert_cmphex(qtest_readq(qts, MARK + 0x10 + 8 * i), ==, 0);
    }
    /* SENSE ID arrived in the shared page: 0xff, control unit 0x3832 */
    g_assert_cmphex(qtest_readl(qts, 0x19000) >> 8, ==, 0xff3832);
    /* and nothing in the other one */
    g_assert_cmphex(qtest_readq(qts, 0x1a000), ==, 0x1111111111111111ULL);
    /* (one per access: the channel writes SENSE ID 8 bytes at a time) */
    st = query_pv(qts);
    iso = qdict_get_qdict(st, "isolation");
    writes = qdict_get_int(iso, "refused-writes");
    g_assert_cmpint(writes, >=, 1);
    g_assert_cmpint(qdict_get_int(iso, "refused-accesses"), ==, writes);
    g_assert_cmpint(qdict_get_int(iso, "ended-guests"), ==, 1);
    qobject_unref(st);

    /*
     * libvirt's on_crash=restart: reset and run again.  The guest
     * protects itself again, and its device write ends it again (it was
     * dropped silently once a write had ended a guest).
     */
    qtest_qmp_assert_success(qts, "{ 'execute': 'system_reset' }");
    qtest_qmp_assert_success(qts, "{ 'execute': 'cont' }");
    end = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
    for (;;) {
        st = query_pv(qts);
        i = qdict_get_int(qdict_get_qdict(st, "isolation"), "ended-guests");
        qobject_unref(st);
        if (i == 2) {
            break;
        }
        g_assert_cmpint(g_get_monotonic_time(), <, end);
        g_usleep(10 * 1000);
    }
    st = query_pv(qts);
    writes = qdict_get_int(qdict_get_qdict(st, "isolation"),
                           "refused-writes");
    qobject_unref(st);
    qtest_quit(qts);
    g_assert_cmpint(count_log(log, "s390_pv_refused"), ==, writes);
    g_assert_cmpint(count_log(log, "s390_pv_guest_ended"), ==, 2);
    unlink(log);
    unlink(img);
}

/*
 * A device DMA in flight into a page the guest stops sharing: virtio-blk
 * maps the buffer of a read when it takes the request (at once, in the
 * guest's notify, with ioeventfd=off), and the disk (null-co, 1 s per
 * request) completes it after the guest removed shared access of that
 * page.  The device's write through the mapping it held
 * is refused like any other: it ends the guest.  (It used to land in the
 * page unnoticed.)
 */
static void test_dma_unshare(void)
{
    g_autofree uint8_t *prot = NULL;
    g_autofree char *img = NULL;
    g_autofree char *keyfile = data_file("host-sec1.pem");
    QTestState *qts;
    QDict *st, *iso;
    gint64 end;
    gsize len;

    prot = read_built("s390-pv-test-dma-unshare.bin", &len);
    g_assert_nonnull(prot);
    img = make_image_with("host-sec1.pem", TAMPER_NONE, NULL, 0, prot, len);
    qts = qtest_initf("-machine s390-ccw-virtio,confidential-guest-support="
                      "pv0 -object s390-pv-guest,id=pv0,host-key=%s "
                      "-accel tcg -cpu max -m 64M -nodefaults "
                      "-blockdev null-co,node-name=slow,size=1048576,"
                      "latency-ns=1000000000,read-zeroes=on "
                      "-device virtio-blk-ccw,drive=slow,id=blk0,ioeventfd=off "
                      "-action panic=pause -kernel %s", keyfile, img);
    end = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
    for (;;) {
        QDict *r = qtest_qmp(qts, "{ 'execute': 'query-status' }");
        bool stopped = !strcmp(qdict_get_str(qdict_get_qdict(r, "return"),
                                             "status"), "guest-panicked");

        qobject_unref(r);
        if (stopped) {
            break;
        }
        g_assert_cmpint(g_get_monotonic_time(), <, end);
        g_usleep(10 * 1000);
    }
    /* the device was set up and took the request (no failure recorded) */
    g_assert_cmphex(qtest_readq(qts, MARK) & 0xfff, !=, 0xbad);
    st = query_pv(qts);
    iso = qdict_get_qdict(st, "isolation");
    g_assert_cmpint(qdict_get_int(iso, "ended-guests"), ==, 1);
    g_assert_cmpint(qdict_get_int(iso, "refused-writes"), >=, 1);
    qobject_unref(st);
    qtest_quit(qts);
    unlink(img);
}

/* --- what else the host cannot reach: registers, logs, the gdbstub --- */

/* One gdb remote protocol exchange on @fd: send @cmd, return the reply. */
static char *gdb_cmd(int fd, const char *cmd)
{
    g_autofree char *pkt = NULL;
    GString *reply = g_string_new(NULL);
    unsigned sum = 0;
    bool in = false;
    const char *c;
    char ch;

    for (c = cmd; *c; c++) {
        sum += (uint8_t)*c;
    }
    pkt = g_strdup_printf("$%s#%02x", cmd, sum & 0xff);
    g_assert_cmpint(write(fd, pkt, strlen(pkt)), ==, strlen(pkt));
    for (;;) {
        g_assert_cmpint(read(fd, &ch, 1), ==, 1);
        if (!in) {
            in = ch == '$';
            continue;
        }
        if (ch == '#') {
            break;
        }
        g_string_append_c(reply, ch);
    }
    /* the checksum, then acknowledge */
    g_assert_cmpint(read(fd, &ch, 1), ==, 1);
    g_assert_cmpint(read(fd, &ch, 1), ==, 1);
    g_assert_cmpint(write(fd, "+", 1), ==, 1);
    return g_string_free(reply, false);
}

static int gdb_connect(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    int i;

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    for (i = 0; i < 600; i++) {
        if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
            return fd;
        }
        g_usleep(100 * 1000);
    }
    g_assert_not_reached();
}

/*
 * A protected guest's CPU under isolation, as under KVM: info registers
 * and TCG's logs (-d in_asm, cpu) show nothing of it, and the gdbstub
 * reads its registers as zeros and can neither change them, nor set
 * breakpoints, nor step it.  With isolation=off all of it is shown.
 */
static void hidden_cpu_state(bool isolation)
{
    g_autofree char *img = make_image("host-sec1.pem", TAMPER_NONE);
    g_autofree char *keyfile = data_file("host-sec1.pem");
    g_autofree char *log = NULL, *dir = NULL, *sock = NULL;
    g_autofree char *regs = NULL, *text = NULL, *g = NULL, *z = NULL;
    g_autofree char *w = NULL, *st = NULL, *cmd = NULL;
    QTestState *qts;
    int fd;

    fd = g_file_open_tmp("s390x-pv-cpu-XXXXXX.log", &log, NULL);
    close(fd);
    dir = g_dir_make_tmp("s390x-pv-gdb-XXXXXX", NULL);
    sock = g_build_filename(dir, "gdb", NULL);
    qts = qtest_initf("-machine s390-ccw-virtio,confidential-guest-support="
                      "pv0 -object s390-pv-guest,id=pv0,host-key=%s%s "
                      "-accel tcg -cpu max -m 64M -nodefaults "
                      "-action panic=pause -d in_asm,cpu,int -D %s "
                      "-gdb unix:%s,server=on,wait=off -kernel %s",
                      keyfile, isolation ? "" : ",isolation=off", log, sock,
                      img);
    g_assert_cmphex(wait_for(qts, MARK), ==, 0x600d);

    regs = qtest_hmp(qts, "info registers");
    g_test_message("info registers: %s", regs);
    g_assert_cmpint(!!strstr(regs, "PSW=mask"), ==, !isolation);
    g_assert_cmpint(!!strstr(regs, "the guest is protected: its registers "
                             "are not shown"), ==, isolation);

    fd = gdb_connect(sock);
    g = gdb_cmd(fd, "g");
    g_assert_cmpint(strlen(g), >, 16);
    /* PSW, r0 = 0x600d (which the protected code loaded), ... */
    g_assert_cmpint(strspn(g, "0") == strlen(g), ==, isolation);
    z = gdb_cmd(fd, "Z0,15000,2");
    g_assert_cmpstr(z, ==, isolation ? "E22" : "OK");
    cmd = g_strdup_printf("P0=%016x", 0x1234);
    w = gdb_cmd(fd, cmd);
    g_assert_cmpstr(w, ==, isolation ? "E22" : "OK");
    if (isolation) {
        st = gdb_cmd(fd, "s");
        g_assert_cmpstr(st, ==, "E22");
    }
    close(fd);
    qtest_quit(qts);

    /* the protected code runs at 0x15000 */
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    g_assert_cmpint(!!strstr(text, "\n0x00015000:"), ==, !isolation);
    g_assert_cmpint(!!strstr(text, "addr 0000000000015"), ==, !isolation);
    /* what ran before the protect is logged either way */
    g_assert_nonnull(strstr(text, "\n0x00010000:"));
    unlink(log);
    unlink(img);
    rmdir(dir);
}

static void test_hidden_cpu_state(void)
{
    hidden_cpu_state(true);
}

static void test_shown_cpu_state(void)
{
    hidden_cpu_state(false);
}

/* -device @dev next to a protected guest ends QEMU with @msg. */
static void expect_device_refused(const char *dev, const char *msg)
{
    g_autofree char *keyfile = data_file("host-sec1.pem");
    g_autofree char *opts = g_strdup_printf(",host-key=%s %s", keyfile, dev);

    expect_startup_error(opts, msg);
}

/*
 * Deny by default: what could reach guest memory around the view is
 * refused at start-up, with one line saying why and what to use instead.
 * (build-aux/tests/pv-device-walk.sh tries every device type, and a
 * vhost-user network back end.)
 */
static void test_devices_refused(void)
{
    expect_device_refused("-device virtio-rng-ccw,iommu_platform=off",
                          "Protected Virtualization: virtio-rng-ccw has "
                          "iommu_platform=off: its rings and buffers would "
                          "bypass what the guest shared (isolation=on); "
                          "leave iommu_platform on");
    expect_device_refused("-global virtio-device.iommu_platform=off "
                          "-device virtio-rng-ccw,id=r0",
                          "virtio-rng-ccw 'r0' has iommu_platform=off");
    expect_device_refused("-device vhost-vsock-ccw,guest-cid=3",
                          "'vhost-vsock-ccw' cannot be used with "
                          "isolation=on: vhost reaches all guest memory, "
                          "not only what the guest shared; use a device "
                          "without vhost");
    expect_device_refused("-device virtio-net-pci",
                          "'virtio-net-pci' cannot be used with "
                          "isolation=on: zPCI DMA and the guest's I/O "
                          "translation tables bypass what the guest "
                          "shared; use the virtio-*-ccw devices");
    expect_device_refused("-device zpci", "'zpci' cannot be used with "
                          "isolation=on: zPCI DMA");
    expect_device_refused("-device nvme,serial=1", "'nvme' cannot be used");
    expect_device_refused("-device loader,file=/dev/null",
                          "'loader' cannot be used with isolation=on: it is "
                          "not known to reach guest memory only through "
                          "what the guest shared");
}

/* isolation=off: zPCI and the rest are the user's to choose */
static void test_devices_isolation_off(void)
{
    g_autofree char *keyfile = data_file("host-sec1.pem");
    QTestState *qts;

    qts = qtest_initf("-machine s390-ccw-virtio,confidential-guest-support="
                      "pv0 -object s390-pv-guest,id=pv0,host-key=%s,"
                      "isolation=off -accel tcg -cpu max -m 64M -nodefaults "
                      "-S -device virtio-rng-pci -device "
                      "virtio-rng-ccw,iommu_platform=off", keyfile);
    qtest_quit(qts);
}

/* The device names query-s390-pv lists */
static GStrv pv_view_names(QTestState *qts)
{
    QDict *st = query_pv(qts);
    QList *l = qdict_get_qlist(qdict_get_qdict(st, "isolation"), "devices");
    GPtrArray *a = g_ptr_array_new();
    QListEntry *e;

    QLIST_FOREACH_ENTRY(l, e) {
        g_ptr_array_add(a, g_strdup(qstring_get_str(
                                        qobject_to(QString, e->value))));
    }
    g_ptr_array_add(a, NULL);
    qobject_unref(st);
    return (GStrv)g_ptr_array_free(a, false);
}

/*
 * A device's view goes with the device: hot-plugged and unplugged again
 * and again, no view is left behind (nor its name, nor its state).
 */
static void test_views_follow_devices(void)
{
    g_autofree char *keyfile = data_file("host-sec1.pem");
    QTestState *qts;
    int i;

    qts = qtest_initf("-machine s390-ccw-virtio,confidential-guest-support="
                      "pv0 -object s390-pv-guest,id=pv0,host-key=%s "
                      "-accel tcg -cpu max -m 64M -nodefaults -S "
                      "-device virtio-rng-ccw,id=keep", keyfile);
    for (i = 0; i < 5; i++) {
        g_auto(GStrv) names = NULL;
        g_autofree char *id = g_strdup_printf("rng%d", i);
        g_autofree char *name = g_strdup_printf("virtio-rng-ccw '%s'", id);

        qtest_qmp_device_add(qts, "virtio-rng-ccw", id, "{}");
        names = pv_view_names(qts);
        g_assert_cmpint(g_strv_length(names), ==, 2);
        g_assert_true(g_strv_contains((const char * const *)names, name));
        g_assert_true(g_strv_contains((const char * const *)names,
                                      "virtio-rng-ccw 'keep'"));
        qtest_qmp_device_del(qts, id);
        g_strfreev(names);
        names = pv_view_names(qts);
        g_assert_cmpint(g_strv_length(names), ==, 1);
        g_assert_cmpstr(names[0], ==, "virtio-rng-ccw 'keep'");
    }
    /* hot plug is refused like cold plug */
    {
        QDict *r = qtest_qmp(qts, "{ 'execute': 'device_add', 'arguments': "
                             "{ 'driver': 'virtio-rng-ccw', 'id': 'off', "
                             "'iommu_platform': false } }");

        g_assert_nonnull(strstr(qdict_get_str(qdict_get_qdict(r, "error"),
                                              "desc"),
                                "has iommu_platform=off"));
        qobject_unref(r);
    }
    qtest_quit(qts);
}

/*
 * A guest whose memory is a private mapping of the user's file: protect,
 * run, reset and protect again write nothing into the file.  (The
 * software Ultravisor used to discard cleared pages by punching holes
 * into it.)
 */
static void test_private_file_ram(void)
{
    g_autofree char *img = make_image("host-sec1.pem", TAMPER_NONE);
    g_autofree char *keyfile = data_file("host-sec1.pem");
    g_autofree char *path = NULL, *before = NULL, *after = NULL;
    g_autofree uint8_t *buf = g_malloc(64 * MiB);
    g_autofree char *data = NULL;
    QTestState *qts;
    gsize len;
    int fd;

    memset(buf, 0xa5, 64 * MiB);
    fd = g_file_open_tmp("s390x-pv-ram-XXXXXX", &path, NULL);
    g_assert_cmpint(write(fd, buf, 64 * MiB), ==, 64 * MiB);
    close(fd);
    before = g_compute_checksum_for_data(G_CHECKSUM_SHA256, buf, 64 * MiB);

    qts = qtest_initf("-machine s390-ccw-virtio,confidential-guest-support="
                      "pv0,memory-backend=ram0 -object memory-backend-file,"
                      "id=ram0,size=64M,mem-path=%s,share=off "
                      "-object s390-pv-guest,id=pv0,host-key=%s "
                      "-accel tcg -cpu max -m 64M -nodefaults "
                      "-action panic=pause -kernel %s", path, keyfile, img);
    g_assert_cmphex(wait_for(qts, MARK), ==, 0x600d);
    /* the guest sees zeros where nothing was unpacked, not the file */
    g_assert_cmphex(qtest_readq(qts, 0x100000), ==, 0);
    qtest_writeq(qts, MARK, 0);
    qtest_qmp_assert_success(qts, "{ 'execute': 'system_reset' }");
    qtest_qmp_eventwait(qts, "RESET");
    qtest_qmp_assert_success(qts, "{ 'execute': 'cont' }");
    g_assert_cmphex(wait_for(qts, MARK), ==, 0x600d);
    qtest_quit(qts);

    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    g_assert_cmpint(len, ==, 64 * MiB);
    after = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (guchar *)data,
                                        len);
    g_assert_cmpstr(after, ==, before);
    unlink(path);
    unlink(img);
}

/*
 * Attestation and secret calls raced on two CPUs: every call succeeds,
 * the Ultravisor counts every one, and after the lock an add fails.
 */
#define SR_ITER     200
#define SR_ASRCB    0x1c000
#define SR_ARCB     0x1e000

static void test_secret_race(void)
{
    g_autofree char *keyfile = data_file("host-sec1.pem");
    g_autofree uint8_t *prot = NULL, *img = NULL, *asrcb = NULL;
    g_autofree uint8_t *arcb = NULL;
    g_autofree char *path = NULL, *hmp = NULL, *want = NULL;
    uint8_t priv[66] = { 0, 1, 2, 3 }, meas_key[64] = { 7 }, nonce[16] = { 9 };
    S390PVAsrcbSpec sp = { 0 };
    S390PVKey host, cust;
    QTestState *qts;
    QDict *st, *sec;
    uint32_t hdr_len, len;
    gsize plen, ilen;
    int i;

    prot = read_built("s390-pv-test-secret-race.bin", &plen);
    g_assert_nonnull(prot);
    path = make_image_with("host-sec1.pem", TAMPER_NONE, NULL, 0, prot, plen);
    g_assert_true(g_file_get_contents(path, (char **)&img, &ilen, NULL));
    g_assert_true(s390_pv_key_load_pem(keyfile, &host, &error_abort));
    g_assert_true(s390_pv_key_from_priv(priv, &cust, &error_abort));

    /* the requests, bound to this image */
    hdr_len = ldl_be_p(img + HDR + S390_PV_SE_OFF_PHS);
    memcpy(sp.tags, img + HDR + S390_PV_SE_OFF_PLD, 3 * 64);
    memcpy(sp.tags + 3 * 64, img + HDR + hdr_len - 16, 16);
    sp.hosts = &host;
    sp.nr_hosts = 1;
    sp.cust = &cust;
    sp.type = S390_PV_SECRET_NULL;
    asrcb = s390_pv_asrcb_build(&sp, &len, &error_abort);
    g_assert_cmpuint(len, <=, SR_ARCB - SR_ASRCB);

    qts = boot_uvc(path, "");
    for (i = 0; i < 600 && qtest_readq(qts, MARK + 0x28) != 1; i++) {
        g_usleep(50 * 1000);
    }
    g_assert_cmphex(qtest_readq(qts, MARK + 0x28), ==, 1);
    qtest_memwrite(qts, SR_ASRCB, asrcb, len);
    arcb = s390_pv_arcb_build(&host, 1, &cust, (const uint8_t *)
                              "0123456789abcdef0123456789abcdef",
                              (const uint8_t *)"race-iv-0123",
                              S390_PV_PAF_SECRET_HASH, meas_key, nonce, &len,
                              &error_abort);
    qtest_memwrite(qts, SR_ARCB, arcb, len);
    qtest_writeq(qts, MARK + 0x30, 1);

    g_assert_cmphex(wait_for(qts, MARK), ==, 0x600d);
    g_assert_cmphex(qtest_readq(qts, MARK + 8), ==, 0);
    g_assert_cmpuint(qtest_readq(qts, MARK + 0x10), ==, 3 * SR_ITER);
    g_assert_cmpuint(qtest_readq(qts, MARK + 0x18), ==, 3 * SR_ITER);
    g_assert_cmphex(qtest_readq(qts, MARK + 0x20), ==, 0x10102);
    st = query_pv(qts);
    sec = qdict_get_qdict(st, "secrets");
    g_assert_nonnull(sec);
    g_assert_cmpuint(qdict_get_int(sec, "added"), ==, 2 * SR_ITER);
    g_assert_cmpuint(qdict_get_int(sec, "attestations"), ==, 2 * SR_ITER);
    g_assert_cmpuint(qdict_get_int(sec, "secrets"), ==, 0);
    g_assert_true(qdict_get_bool(sec, "locked"));
    g_assert_cmpuint(strlen(qdict_get_str(sec, "cuid")), ==, 32);
    hmp = qtest_hmp(qts, "info s390-pv");
    want = g_strdup_printf("Secrets: 0 in the store, locked, 400 added, "
                           "400 attestations, CUID %s\r\n",
                           qdict_get_str(sec, "cuid"));
    g_assert_nonnull(strstr(hmp, want));
    qobject_unref(st);

    /* a reset empties and unlocks the store */
    qtest_qmp_assert_success(qts, "{ 'execute': 'system_reset' }");
    st = query_pv(qts);
    sec = qdict_get_qdict(st, "secrets");
    g_assert_cmpuint(qdict_get_int(sec, "added"), ==, 0);
    g_assert_false(qdict_get_bool(sec, "locked"));
    qobject_unref(st);
    qtest_quit(qts);
    unlink(path);
}

static void test_host_key_errors(void)
{
    g_autofree char *p384 = data_file("host-p384.pem");
    g_autofree char *o1 = g_strdup_printf(",host-key=%s", p384);
    g_autofree char *mismatch = data_file("host-mismatch.pem");
    g_autofree char *o2 = g_strdup_printf(",host-key=%s", mismatch);
    g_autofree char *e2 = g_strdup_printf("host key %s: its public key is "
                                          "not its private key's "
                                          "(inconsistent file)", mismatch);

    expect_startup_error("", "Protected Virtualization under TCG needs the "
                         "software Ultravisor's private host key (EC "
                         "secp521r1, PEM): none given with host-key=, and "
                         "no *.pem in ");
    expect_startup_error(",host-key=/nonexistent/key.pem",
                         "host key /nonexistent/key.pem: ");
    expect_startup_error(o1, "curve secp384r1, need secp521r1");
    /* a public point that is not the scalar's: refused, file named */
    expect_startup_error(o2, e2);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qcrypto_init(&error_abort);
    data_dir = g_build_filename(g_getenv("G_TEST_SRCDIR") ?: "tests/qtest",
                                "..", "data", "s390x-pv", NULL);

    qtest_add_func("/pv/tcg/boot", test_boot);
    qtest_add_func("/pv/tcg/tampered-component", test_tampered_component);
    qtest_add_func("/pv/tcg/wrong-host-key", test_wrong_host_key);
    qtest_add_func("/pv/tcg/tampered-header", test_tampered_header);
    qtest_add_func("/pv/tcg/tampered-iplb", test_tampered_iplb);
    qtest_add_func("/pv/tcg/host-key-errors", test_host_key_errors);
    qtest_add_func("/pv/tcg/protected-diag308", test_protected_diag308);
    qtest_add_func("/pv/tcg/exrl-diag308", test_exrl_diag308);
    qtest_add_func("/pv/tcg/error-rate-limit", test_error_rate_limit);
    qtest_add_func("/pv/tcg/race/diag308", test_race_diag308);
    qtest_add_func("/pv/tcg/race/sclp", test_race_sclp);
    qtest_add_func("/pv/tcg/sclp-addressing", test_sclp_addressing);
    qtest_add_func("/pv/tcg/uvc", test_uvc);
    qtest_add_func("/pv/tcg/protected-dump", test_protected_dump);
    qtest_add_func("/pv/tcg/protected-dump-isolation-off",
                   test_protected_dump_isolation_off);
    qtest_add_func("/pv/tcg/plain-dump", test_plain_dump);
    qtest_add_func("/pv/tcg/protected-dump-reset",
                   test_protected_dump_reset);
    qtest_add_func("/pv/tcg/uvc-isolation-off", test_uvc_isolation_off);
    qtest_add_func("/pv/tcg/uvc-unprotected", test_uvc_unprotected);
    qtest_add_func("/pv/tcg/device-write", test_device_write);
    qtest_add_func("/pv/tcg/dma-unshare", test_dma_unshare);
    qtest_add_func("/pv/tcg/hidden-cpu-state", test_hidden_cpu_state);
    qtest_add_func("/pv/tcg/shown-cpu-state", test_shown_cpu_state);
    qtest_add_func("/pv/tcg/devices-refused", test_devices_refused);
    qtest_add_func("/pv/tcg/devices-isolation-off",
                   test_devices_isolation_off);
    qtest_add_func("/pv/tcg/views-follow-devices", test_views_follow_devices);
    qtest_add_func("/pv/tcg/private-file-ram", test_private_file_ram);
    qtest_add_func("/pv/tcg/race/secrets", test_secret_race);
    return g_test_run();
}
