/*
 * s390x Protected Virtualization fuzzers: what they share
 *
 * A small guest memory, a host key of our own for the software
 * Ultravisor, and a valid Secure Execution image for that key laid out in
 * guest memory, from which the fuzzers' seed inputs are made.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TESTS_FUZZ_S390X_PV_COMMON_H
#define TESTS_FUZZ_S390X_PV_COMMON_H

#include "qemu/bswap.h"
#include "crypto/init.h"
#include "hw/s390x/pv-se.h"
#include "hw/s390x/pv-iplb.h"

#define FUZZ_RAM_PAGES  32
#define FUZZ_RAM_SIZE   (FUZZ_RAM_PAGES * S390_PV_SE_PAGE)
/* The image: IPL block, SE header, two components */
#define FUZZ_IPLB       0x0800
#define FUZZ_HDR        0x1000
#define FUZZ_COMP0      0x2000
#define FUZZ_COMP1      0x3000
#define FUZZ_TWEAK0     0x0000000011223344ULL
#define FUZZ_TWEAK1     0x0001000011223344ULL

/* libFuzzer's entry points */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static S390PVKey fuzz_host_key;

/* The host key (a fixed P-521 scalar) and QEMU's crypto layer */
static void fuzz_init(void)
{
    uint8_t priv[S390_PV_SE_COORD_LEN];
    int i;

    qcrypto_init(&error_abort);
    for (i = 0; i < S390_PV_SE_COORD_LEN; i++) {
        priv[i] = i ? 0x5a ^ (7 * i) : 0x01;
    }
    if (!s390_pv_key_from_priv(priv, &fuzz_host_key, &error_abort)) {
        abort();
    }
}

/*
 * A valid image for fuzz_host_key in @ram (FUZZ_RAM_SIZE bytes): the PV
 * IPL block at FUZZ_IPLB, the header at FUZZ_HDR, two encrypted pages at
 * FUZZ_COMP0 and FUZZ_COMP1.  Returns the header's length.
 */
static uint32_t fuzz_make_image(uint8_t *ram)
{
    static const uint64_t addr[2] = { FUZZ_COMP0, FUZZ_COMP1 };
    static const uint64_t tweak[2] = { FUZZ_TWEAK0, FUZZ_TWEAK1 };
    g_autoptr(QCryptoCipher) xts = NULL;
    S390PVHeaderSpec spec = { 0 };
    uint8_t priv[S390_PV_SE_COORD_LEN], tw[16], *b;
    S390PVDigests d;
    S390PVKey cust;
    uint32_t hdr_len = s390_pv_se_header_len(1);
    int i;

    memset(ram, 0, FUZZ_RAM_SIZE);
    for (i = 0; i < S390_PV_SE_COORD_LEN; i++) {
        priv[i] = i ? 0x21 + i : 0;
    }
    s390_pv_key_from_priv(priv, &cust, &error_abort);
    for (i = 0; i < 32; i++) {
        spec.header_key[i] = 0xa0 ^ i;
        spec.cck[i] = i;
    }
    for (i = 0; i < 64; i++) {
        spec.xts_key[i] = 0x3c + 5 * i;
    }
    memcpy(spec.iv, "fuzz-iv-0123", S390_PV_SE_IV_LEN);
    spec.host_keys = &fuzz_host_key;
    spec.nr_host_keys = 1;
    spec.cust_key = &cust;
    spec.psw_mask = 0x0000000180000000ULL;
    spec.psw_addr = FUZZ_COMP0;

    xts = s390_pv_xts_new(spec.xts_key, &error_abort);
    s390_pv_digests_init(&d);
    for (i = 0; i < 2; i++) {
        uint8_t *page = ram + addr[i];

        memset(page, 0x40 + i, S390_PV_SE_PAGE);
        s390_pv_tweak(tw, tweak[i], 0);
        s390_pv_xts_page(xts, tw, page, true, &error_abort);
        s390_pv_digests_add(&d, page, addr[i], tw);
    }
    spec.nep = d.nep;
    s390_pv_digests_final(&d, spec.pld, spec.ald, spec.tld);
    s390_pv_se_build(&spec, ram + FUZZ_HDR, &error_abort);

    b = ram + FUZZ_IPLB;
    stl_be_p(b + S390_PV_IPLB_OFF_LEN, S390_PV_IPLB_OFF_COMP + 2 * 24);
    b[S390_PV_IPLB_OFF_VERSION] = 1;
    stl_be_p(b + S390_PV_IPLB_OFF_PB0_LEN, S390_PV_IPLB_PB0_BASE + 2 * 24);
    b[S390_PV_IPLB_OFF_PBT] = S390_PV_IPLB_PBT;
    stl_be_p(b + S390_PV_IPLB_OFF_NUM_COMP, 2);
    stq_be_p(b + S390_PV_IPLB_OFF_HDR_ADDR, FUZZ_HDR);
    stq_be_p(b + S390_PV_IPLB_OFF_HDR_LEN, hdr_len);
    for (i = 0; i < 2; i++) {
        stq_be_p(b + S390_PV_IPLB_OFF_COMP + 24 * i, tweak[i]);
        stq_be_p(b + S390_PV_IPLB_OFF_COMP + 24 * i + 8, addr[i]);
        stq_be_p(b + S390_PV_IPLB_OFF_COMP + 24 * i + 16, S390_PV_SE_PAGE);
    }
    return hdr_len;
}

/*
 * With S390X_PV_FUZZ_SEEDS=DIR in the environment, a fuzzer writes its
 * seed inputs there instead of fuzzing (how the checked-in corpus was
 * made).
 */
static void fuzz_write_seed(const char *name, const uint8_t *data,
                            size_t len)
{
    const char *dir = g_getenv("S390X_PV_FUZZ_SEEDS");
    g_autofree char *path = g_build_filename(dir, name, NULL);

    if (!g_file_set_contents(path, (const char *)data, len, NULL)) {
        abort();
    }
}

#endif
