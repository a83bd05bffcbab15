/*
 * Fuzzer: the software Ultravisor's set-secure-configuration on any
 * header, with a fixed host key, then any sequence of unpack, verify,
 * reset and teardown steps over a small guest memory
 *
 * Input: u16 header length, the header, u8 n and n pages of guest memory
 * (placed from FUZZ_COMP0 on), then 12-byte steps:
 *   op, page, pages, 0, u64 tweak prefix (big-endian)
 * op 0 unpack, 1 verify, 2 unshare all + prepare reset, 3 disable,
 * 4 enable + set secure configuration again, 5 start PSW.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/s390x/pv-sw.h"
#include "hw/s390x/pv-uv.h"
#include "fuzz-common.h"

static uint8_t *ram;

static bool all_zero(const uint8_t *p, size_t n)
{
    return !n || (!p[0] && !memcmp(p, p + 1, n - 1));
}

static void make_seeds(void)
{
    g_autofree uint8_t *img = g_malloc(FUZZ_RAM_SIZE);
    g_autoptr(GByteArray) in = g_byte_array_new();
    uint32_t hdr_len = fuzz_make_image(img);
    uint8_t u16[2], n = 2, step[12] = { 0 };

    stw_be_p(u16, hdr_len);
    g_byte_array_append(in, u16, 2);
    g_byte_array_append(in, img + FUZZ_HDR, hdr_len);
    g_byte_array_append(in, &n, 1);
    g_byte_array_append(in, img + FUZZ_COMP0, 2 * S390_PV_SE_PAGE);
    /* unpack both components, verify, start */
    step[0] = 0;
    step[1] = FUZZ_COMP0 / S390_PV_SE_PAGE;
    step[2] = 1;
    stq_be_p(step + 4, FUZZ_TWEAK0);
    g_byte_array_append(in, step, 12);
    step[1] = FUZZ_COMP1 / S390_PV_SE_PAGE;
    stq_be_p(step + 4, FUZZ_TWEAK1);
    g_byte_array_append(in, step, 12);
    memset(step, 0, 12);
    step[0] = 1;
    g_byte_array_append(in, step, 12);
    step[0] = 5;
    g_byte_array_append(in, step, 12);
    fuzz_write_seed("valid-image-verified", in->data, in->len);
    /* the header alone */
    fuzz_write_seed("header-only", in->data, 2 + hdr_len);
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
    S390PVBackend *be;
    S390PVResult res;
    uint64_t mask, addr;
    const uint8_t *hdr;
    bool verified = false;
    size_t hdr_len, off, n;

    if (size < 3) {
        return 0;
    }
    hdr_len = lduw_be_p(data);
    if (hdr_len > size - 3) {
        return 0;
    }
    hdr = data + 2;
    off = 2 + hdr_len;
    n = MIN(data[off++], FUZZ_RAM_PAGES - FUZZ_COMP0 / S390_PV_SE_PAGE);
    n = MIN(n, (size - off) / S390_PV_SE_PAGE);
    memset(ram, 0, FUZZ_RAM_SIZE);
    memcpy(ram + FUZZ_COMP0, data + off, n * S390_PV_SE_PAGE);
    off += n * S390_PV_SE_PAGE;

    be = s390_pv_sw_backend_new(&fuzz_host_key, 1, ram, FUZZ_RAM_SIZE, NULL,
                                NULL);
    if (be->ops->enable(be, &res, NULL) == 0) {
        be->ops->set_sec_parms(be, hdr, hdr_len, &res, NULL);
    }
    for (; off + 12 <= size; off += 12) {
        const uint8_t *s = data + off;
        uint64_t a = (uint64_t)s[1] * S390_PV_SE_PAGE;
        uint64_t len = (uint64_t)s[2] * S390_PV_SE_PAGE;

        switch (s[0] % 6) {
        case 0:
            be->ops->unpack(be, a, len, ldq_be_p(s + 4), &res, NULL);
            break;
        case 1:
            if (be->ops->verify(be, &res, NULL) == 0) {
                verified = true;
            }
            break;
        case 2:
            be->ops->unshare_all(be, &res, NULL);
            be->ops->prep_reset(be, &res, NULL);
            break;
        case 3:
            be->ops->disable(be, &res, NULL);
            /* no plaintext survives the teardown of a verified guest */
            assert(!verified || all_zero(ram, FUZZ_RAM_SIZE));
            verified = false;
            break;
        case 4:
            if (be->ops->enable(be, &res, NULL) == 0) {
                be->ops->set_sec_parms(be, hdr, hdr_len, &res, NULL);
            }
            break;
        case 5:
            if (be->ops->start_psw(be, &mask, &addr)) {
                assert(verified);
            }
            break;
        }
    }
    be->ops->disable(be, &res, NULL);
    assert(!verified || all_zero(ram, FUZZ_RAM_SIZE));
    be->ops->destroy(be);
    return 0;
}
