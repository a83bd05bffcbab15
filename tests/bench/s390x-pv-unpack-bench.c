/*
 * Benchmark: the software Ultravisor's unpack + verify of one 64 MiB
 * component (set secure parameters, unpack, verify), best of three runs,
 * in MB/s of component.  bench/s390x-pv-unpack.sh puts it next to
 * OpenSSL's rate for the same cryptography on the same machine.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qapi/error.h"
#include "crypto/init.h"
#include "hw/s390x/pv-se.h"
#include "hw/s390x/pv-sw.h"

#define COMP_SIZE   (64 * 1024 * 1024ULL)
#define RAM_SIZE    (COMP_SIZE + 0x100000ULL)
#define COMP_ADDR   0x100000ULL
#define PAGE        S390_PV_SE_PAGE
#define ROUNDS      3

static double now(void)
{
    return g_get_monotonic_time() / 1e6;
}

int main(int argc, char **argv)
{
    g_autofree uint8_t *ram = g_malloc(RAM_SIZE);
    g_autofree uint8_t *copy = g_malloc(COMP_SIZE);
    g_autofree uint8_t *hdr = NULL;
    g_autoptr(QCryptoCipher) xts = NULL;
    S390PVKey host, cust;
    S390PVHeaderSpec spec = { 0 };
    S390PVIplBlock iplb = { 0 };
    S390PVDigests d;
    uint8_t priv[66], tw[16];
    double best_uv = 1e9, t;
    uint64_t off;
    int i, r;

    qcrypto_init(&error_fatal);
    for (i = 0; i < 66; i++) {
        priv[i] = i ? 0x31 + i : 0;
    }
    s390_pv_key_from_priv(priv, &host, &error_fatal);
    priv[5] ^= 0x55;
    s390_pv_key_from_priv(priv, &cust, &error_fatal);

    for (i = 0; i < 64; i++) {
        spec.xts_key[i] = 0x17 * i + 3;
    }
    spec.host_keys = &host;
    spec.nr_host_keys = 1;
    spec.cust_key = &cust;
    spec.psw_mask = 0x0000000180000000ULL;
    spec.psw_addr = COMP_ADDR;

    /* The image: one 64 MiB component, encrypted, and its header */
    for (off = 0; off < COMP_SIZE; off += 8) {
        stq_be_p(ram + COMP_ADDR + off, off * 0x9e3779b97f4a7c15ULL);
    }
    xts = s390_pv_xts_new(spec.xts_key, &error_fatal);
    s390_pv_digests_init(&d);
    for (off = 0; off < COMP_SIZE; off += PAGE) {
        s390_pv_tweak(tw, 0x42, off);
        s390_pv_xts_page(xts, tw, ram + COMP_ADDR + off, true, &error_fatal);
        s390_pv_digests_add(&d, ram + COMP_ADDR + off, COMP_ADDR + off, tw);
    }
    spec.nep = d.nep;
    s390_pv_digests_final(&d, spec.pld, spec.ald, spec.tld);
    hdr = g_malloc(s390_pv_se_header_len(1));
    s390_pv_se_build(&spec, hdr, &error_fatal);
    memcpy(copy, ram + COMP_ADDR, COMP_SIZE);

    iplb.num_comp = 1;
    iplb.hdr_len = s390_pv_se_header_len(1);
    iplb.comp[0] = (S390PVComponent) { 0x42, COMP_ADDR, COMP_SIZE };

    for (r = 0; r < ROUNDS; r++) {
        S390PVBackend *be = s390_pv_sw_backend_new(&host, 1, ram, RAM_SIZE,
                                                   NULL, NULL);
        S390PVInfo info;
        S390PVResult res;

        memcpy(ram + COMP_ADDR, copy, COMP_SIZE);
        t = now();
        if (s390_pv_uv_protect(be, &iplb, hdr, 1, RAM_SIZE, &info, &res,
                               &error_fatal) < 0) {
            return 1;
        }
        best_uv = MIN(best_uv, now() - t);
        be->ops->destroy(be);
    }

    printf("unpack+verify %.1f MB/s (%llu MiB component, best of %d)\n",
           COMP_SIZE / best_uv / 1e6, COMP_SIZE >> 20, ROUNDS);
    return 0;
}
