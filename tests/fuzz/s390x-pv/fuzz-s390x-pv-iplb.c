/*
 * Fuzzer: the PV IPL block parser (diag 308 subcode 8's checks)
 *
 * The input is a block as the guest would hand it over.  Whatever it
 * holds, the parser must neither crash nor read outside it, and a block
 * it accepts must keep every promise the protect sequence relies on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "fuzz-common.h"

static S390PVIplBlock out;

static void check_accepted(const uint8_t *buf, uint32_t len, uint64_t ram)
{
    uint32_t i;

    assert(out.len == len);
    assert(out.num_comp >= 1 && out.num_comp <= S390_PV_IPLB_MAX_COMP);
    assert(S390_PV_IPLB_OFF_COMP + out.num_comp * S390_PV_IPLB_COMP_SIZE <=
           len);
    assert(out.hdr_len >= 1 && out.hdr_len <= S390_PV_HDR_MAX_LEN);
    assert(out.hdr_addr < ram && out.hdr_len <= ram - out.hdr_addr);
    for (i = 0; i < out.num_comp; i++) {
        const S390PVComponent *c = &out.comp[i];

        assert(!(c->addr & (S390_PV_PAGE_SIZE - 1)));
        assert(c->size && s390_pv_comp_pages_size(c) >= c->size);
        assert(c->addr < ram &&
               s390_pv_comp_pages_size(c) <= ram - c->addr);
        assert(!i || c->tweak_pref > out.comp[i - 1].tweak_pref);
    }
    assert(!memcmp(out.raw, buf, len));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    if (g_getenv("S390X_PV_FUZZ_SEEDS")) {
        g_autofree uint8_t *ram = g_malloc(FUZZ_RAM_SIZE);
        uint8_t *b = ram + FUZZ_IPLB;

        fuzz_init();
        fuzz_make_image(ram);
        fuzz_write_seed("valid-2-components", b, s390_pv_iplb_read_len(b));
        exit(0);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the guest's memory size: the input's first byte picks one */
    uint64_t ram = size ? (1ULL << 16) << (data[0] & 31) : 1 << 20;
    uint32_t len;
    Error *err = NULL;

    if (size < 4 || size > S390_PV_IPLB_MAX_LEN) {
        return 0;
    }
    /* as diag 308 does: the length field, bounded by the caller */
    len = s390_pv_iplb_read_len(data);
    if (len >= S390_PV_IPLB_MIN_LEN && len <= size) {
        memset(&out, 0, sizeof(out));
        if (s390_pv_iplb_parse(data, len, ram, &out, &err)) {
            check_accepted(data, len, ram);
        } else {
            assert(err);
            error_free(err);
            err = NULL;
        }
    }
    /* and whatever length it is told: it must refuse, not overrun */
    memset(&out, 0, sizeof(out));
    if (s390_pv_iplb_parse(data, size, ram, &out, &err)) {
        check_accepted(data, size, ram);
    } else {
        error_free(err);
    }
    return 0;
}
