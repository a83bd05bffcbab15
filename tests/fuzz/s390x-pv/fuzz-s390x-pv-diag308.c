/*
 * Fuzzer: diag 308 subcodes 8, 9 and 10 over guest memory, with the
 * protect they lead to (software Ultravisor, fixed host key)
 *
 * Input: u16 n and n bytes of guest memory (from address 0), then 12-byte
 * steps, as CPUs would issue them in any order:
 *   op, r1, 0, 0, u32 address, u32 value (big-endian)
 * op 0 subcode 8 at address, 1 subcode 9 at address, 2 subcode 10 with r1,
 * 3 the protect reset (takes the snapshot and protects), 4 another CPU
 * writes value at address.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/s390x/pv-diag.h"
#include "hw/s390x/pv-sw.h"
#include "hw/s390x/pv-uv.h"
#include "fuzz-common.h"

static uint8_t *ram;

/* Guest memory as QEMU sees it: an access outside it fails. */
static int ram_rw(void *opaque, uint64_t addr, void *buf, int len,
                  bool is_write)
{
    if (len < 0 || addr > FUZZ_RAM_SIZE || len > FUZZ_RAM_SIZE - addr) {
        return -1;
    }
    if (is_write) {
        memcpy(ram + addr, buf, len);
    } else {
        memcpy(buf, ram + addr, len);
    }
    return 0;
}

static void protect(S390PVDiag *d, uint64_t *regs)
{
    const S390PVIplBlock *iplb;
    S390PVBackend *be;
    S390PVResult res;
    S390PVInfo info;
    uint64_t resp = 0;
    g_autofree uint8_t *hdr = NULL;

    iplb = s390_pv_diag_take_protect(d, &resp);
    if (!iplb) {
        assert(resp == S390_PV_DIAG308_RC_NO_PV_CONF);
        return;
    }
    /* what the machine relies on: a checked block, in guest memory */
    assert(iplb->hdr_len <= S390_PV_HDR_MAX_LEN);
    assert(iplb->hdr_addr + iplb->hdr_len <= FUZZ_RAM_SIZE);
    hdr = g_malloc(iplb->hdr_len);
    memcpy(hdr, ram + iplb->hdr_addr, iplb->hdr_len);
    be = s390_pv_sw_backend_new(&fuzz_host_key, 1, ram, FUZZ_RAM_SIZE, NULL,
                                NULL);
    if (s390_pv_uv_protect(be, iplb, hdr, 1, FUZZ_RAM_SIZE, &info, &res,
                           NULL) < 0) {
        regs[d->r1 + 1] = s390_pv_diag308_failure(&res);
        assert((regs[d->r1 + 1] & 0xffff) == S390_PV_DIAG308_RC_INVAL_FOR_PV);
    } else {
        be->ops->disable(be, NULL, NULL);
    }
    be->ops->destroy(be);
}

static void make_seeds(void)
{
    g_autofree uint8_t *img = g_malloc(FUZZ_RAM_SIZE);
    g_autoptr(GByteArray) in = g_byte_array_new();
    uint8_t u16[2], step[12] = { 0 };

    fuzz_make_image(img);
    stw_be_p(u16, FUZZ_COMP1 + S390_PV_SE_PAGE);
    g_byte_array_append(in, u16, 2);
    g_byte_array_append(in, img, FUZZ_COMP1 + S390_PV_SE_PAGE);
    /* 8, 9, 10, protect; then a bad length, 8 again */
    stl_be_p(step + 4, FUZZ_IPLB);
    g_byte_array_append(in, step, 12);
    step[0] = 1;
    stl_be_p(step + 4, 0x6000);
    g_byte_array_append(in, step, 12);
    step[0] = 2;
    step[1] = 2;
    g_byte_array_append(in, step, 12);
    step[0] = 3;
    g_byte_array_append(in, step, 12);
    step[0] = 4;
    stl_be_p(step + 4, FUZZ_IPLB);
    stl_be_p(step + 8, 0x1001);
    g_byte_array_append(in, step, 12);
    step[0] = 0;
    g_byte_array_append(in, step, 12);
    fuzz_write_seed("set-store-start-protect", in->data, in->len);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_init();
    if (g_getenv("S390X_PV_FUZZ_SEEDS")) {
        make_seeds();
        exit(0);
    }
    ram = g_malloc0(FUZZ_RAM_SIZE);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t regs[16] = { 0 };
    S390PVDiag d;
    size_t n, off;

    if (size < 2) {
        return 0;
    }
    n = MIN(lduw_be_p(data), MIN(size - 2, FUZZ_RAM_SIZE));
    memset(ram, 0, FUZZ_RAM_SIZE);
    memcpy(ram, data + 2, n);
    s390_pv_diag_init(&d);

    for (off = 2 + n; off + 12 <= size; off += 12) {
        const uint8_t *s = data + off;
        uint64_t addr = ldl_be_p(s + 4);
        uint64_t resp = 0xdead;
        int r1 = s[1] & 14, pgm;

        switch (s[0] % 5) {
        case 0:
            pgm = s390_pv_diag_set(&d, ram_rw, NULL, addr, FUZZ_RAM_SIZE,
                                   &resp);
            assert(pgm == 0x0005 || resp == S390_PV_DIAG308_RC_OK ||
                   resp == S390_PV_DIAG308_RC_INVALID);
            assert(!pgm || resp == 0xdead);
            break;
        case 1:
            pgm = s390_pv_diag_store(&d, ram_rw, NULL, addr, &resp);
            assert(pgm == 0x0005 || resp == S390_PV_DIAG308_RC_OK ||
                   resp == S390_PV_DIAG308_RC_NO_CONF);
            break;
        case 2:
            switch (s390_pv_diag_start(&d, r1, &resp)) {
            case S390_PV_START_RESPOND:
                assert(resp == S390_PV_DIAG308_RC_NO_PV_CONF);
                break;
            case S390_PV_START_PROTECT:
                assert(d.protect_pending && d.r1 == r1);
                break;
            case S390_PV_START_JOIN:
                assert(d.protect_pending);
                break;
            }
            break;
        case 3:
            protect(&d, regs);
            break;
        case 4:
            if (addr <= FUZZ_RAM_SIZE - 4) {
                memcpy(ram + addr, s + 8, 4);
            }
            break;
        }
    }
    s390_pv_diag_cleanup(&d);
    return 0;
}
