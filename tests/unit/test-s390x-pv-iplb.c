/*
 * Unit tests of the PV IPL block checks (diag 308 subcode 8)
 *
 * Each test breaks one rule in an otherwise valid block, built big-endian
 * as a guest would; values are chosen so that a parser that forgot to
 * byte-swap on a little-endian host fails the valid cases.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qapi/error.h"
#include "hw/s390x/pv-iplb.h"

#define RAM_SIZE    (128 * 1024 * 1024ULL)
#define BLOCK_LEN   0x1000

static uint8_t block[S390_PV_IPLB_MAX_LEN];
static S390PVIplBlock out;

/* A valid block with @n components, as genprotimg lays one out. */
static void make_block(uint32_t n)
{
    uint32_t i;

    memset(block, 0, sizeof(block));
    stl_be_p(block + S390_PV_IPLB_OFF_LEN, BLOCK_LEN);
    block[S390_PV_IPLB_OFF_VERSION] = 1;
    stl_be_p(block + S390_PV_IPLB_OFF_PB0_LEN, 0x80 + 24 * n);
    block[S390_PV_IPLB_OFF_PBT] = S390_PV_IPLB_PBT;
    stl_be_p(block + S390_PV_IPLB_OFF_NUM_COMP, n);
    stq_be_p(block + S390_PV_IPLB_OFF_HDR_ADDR, 0x14000);
    stq_be_p(block + S390_PV_IPLB_OFF_HDR_LEN, 0x2a0);
    for (i = 0; i < n; i++) {
        uint8_t *c = block + S390_PV_IPLB_OFF_COMP + 24 * i;

        /* Increasing only when read big-endian: 1, 0x100, 0x10000, ... */
        stq_be_p(c, 1ULL << (8 * i));
        stq_be_p(c + 8, 0x15000 + 0x100000ULL * i);
        stq_be_p(c + 16, 0x3400);
    }
}

static void set_comp(uint32_t i, int field, uint64_t val)
{
    stq_be_p(block + S390_PV_IPLB_OFF_COMP + 24 * i + 8 * field, val);
}

/* Parse the block; it must fail with an error that says @why. */
static void expect_invalid(uint32_t len, const char *why)
{
    Error *err = NULL;

    g_assert_false(s390_pv_iplb_parse(block, len, RAM_SIZE, &out, &err));
    g_assert_nonnull(err);
    if (!strstr(error_get_pretty(err), why)) {
        g_test_message("error '%s' does not say '%s'",
                       error_get_pretty(err), why);
        g_test_fail();
    }
    error_free(err);
}

static void test_valid(void)
{
    make_block(3);
    g_assert_true(s390_pv_iplb_parse(block, BLOCK_LEN, RAM_SIZE, &out,
                                     &error_abort));
    g_assert_cmpuint(out.len, ==, BLOCK_LEN);
    g_assert_cmpuint(out.version, ==, 1);
    g_assert_cmpuint(out.num_comp, ==, 3);
    g_assert_cmphex(out.hdr_addr, ==, 0x14000);
    g_assert_cmphex(out.hdr_len, ==, 0x2a0);
    g_assert_cmphex(out.comp[0].tweak_pref, ==, 1);
    g_assert_cmphex(out.comp[1].tweak_pref, ==, 0x100);
    g_assert_cmphex(out.comp[2].tweak_pref, ==, 0x10000);
    g_assert_cmphex(out.comp[2].addr, ==, 0x215000);
    g_assert_cmphex(out.comp[2].size, ==, 0x3400);
    g_assert_cmphex(s390_pv_comp_pages_size(&out.comp[2]), ==, 0x4000);
    /* subcode 9 hands back exactly what the guest gave */
    g_assert_cmpmem(out.raw, BLOCK_LEN, block, BLOCK_LEN);
    g_assert_cmpuint(s390_pv_iplb_read_len(block), ==, BLOCK_LEN);
}

static void test_valid_minimal(void)
{
    /* One component, and a block just long enough for it. */
    make_block(1);
    stl_be_p(block, S390_PV_IPLB_MIN_LEN);
    g_assert_true(s390_pv_iplb_parse(block, S390_PV_IPLB_MIN_LEN, RAM_SIZE,
                                     &out, &error_abort));
    g_assert_cmpuint(out.num_comp, ==, 1);
}

static void test_valid_edge_of_ram(void)
{
    make_block(1);
    set_comp(0, 1, RAM_SIZE - 0x4000);
    set_comp(0, 2, 0x3001);
    g_assert_true(s390_pv_iplb_parse(block, BLOCK_LEN, RAM_SIZE, &out,
                                     &error_abort));
}

static void test_len_too_short(void)
{
    make_block(1);
    stl_be_p(block, S390_PV_IPLB_MIN_LEN - 1);
    expect_invalid(S390_PV_IPLB_MIN_LEN - 1, "block length");
}

static void test_len_upstream_minimum(void)
{
    /* 148 bytes cannot hold one component (0x88 + 24 = 160). */
    make_block(1);
    stl_be_p(block, 148);
    expect_invalid(148, "block length 148 outside");
}

static void test_len_too_long(void)
{
    make_block(1);
    stl_be_p(block, S390_PV_IPLB_MAX_LEN + 1);
    expect_invalid(S390_PV_IPLB_MAX_LEN + 1, "block length");
}

static void test_len_field_mismatch(void)
{
    make_block(1);
    expect_invalid(0x800, "does not match");
}

static void test_wrong_pbt(void)
{
    make_block(1);
    block[S390_PV_IPLB_OFF_PBT] = 2;    /* CCW */
    expect_invalid(BLOCK_LEN, "parameter block type 2");
}

static void test_no_components(void)
{
    make_block(1);
    stl_be_p(block + S390_PV_IPLB_OFF_NUM_COMP, 0);
    expect_invalid(BLOCK_LEN, "no components");
}

static void test_components_beyond_block(void)
{
    /* The table must be bounded by the block, not read past it. */
    make_block(2);
    stl_be_p(block, S390_PV_IPLB_MIN_LEN);
    expect_invalid(S390_PV_IPLB_MIN_LEN, "2 components do not fit");

    make_block(1);
    stl_be_p(block + S390_PV_IPLB_OFF_NUM_COMP, 0xffffffff);
    expect_invalid(BLOCK_LEN, "components do not fit");
}

static void test_pb0_len_mismatch(void)
{
    make_block(2);
    stl_be_p(block + S390_PV_IPLB_OFF_PB0_LEN, 0x80 + 24);
    expect_invalid(BLOCK_LEN, "parameter block length 152");
}

static void test_hdr_len_zero(void)
{
    make_block(1);
    stq_be_p(block + S390_PV_IPLB_OFF_HDR_LEN, 0);
    expect_invalid(BLOCK_LEN, "SE header length 0");
}

static void test_hdr_len_too_big(void)
{
    make_block(1);
    stq_be_p(block + S390_PV_IPLB_OFF_HDR_LEN, S390_PV_HDR_MAX_LEN + 1);
    expect_invalid(BLOCK_LEN, "SE header length 8193");
}

static void test_hdr_outside_ram(void)
{
    make_block(1);
    stq_be_p(block + S390_PV_IPLB_OFF_HDR_ADDR, RAM_SIZE - 0x100);
    expect_invalid(BLOCK_LEN, "outside guest memory");

    /* addr + len wraps around */
    stq_be_p(block + S390_PV_IPLB_OFF_HDR_ADDR, UINT64_MAX - 0x10);
    expect_invalid(BLOCK_LEN, "outside guest memory");
}

static void test_comp_unaligned(void)
{
    make_block(2);
    set_comp(1, 1, 0x115800);
    expect_invalid(BLOCK_LEN, "component 1 address 0x115800 is not page");
}

static void test_comp_empty(void)
{
    make_block(2);
    set_comp(0, 2, 0);
    expect_invalid(BLOCK_LEN, "component 0 is empty");
}

static void test_comp_outside_ram(void)
{
    make_block(1);
    set_comp(0, 1, RAM_SIZE);
    expect_invalid(BLOCK_LEN, "component 0 at");

    /* Fits in bytes, but not once rounded up to whole pages. */
    make_block(1);
    set_comp(0, 1, RAM_SIZE - 0x1000);
    set_comp(0, 2, 0x1001);
    expect_invalid(BLOCK_LEN, "outside guest memory");

    /* The rounded size would wrap around. */
    make_block(1);
    set_comp(0, 2, UINT64_MAX - 2);
    expect_invalid(BLOCK_LEN, "outside guest memory");
}

static void test_tweak_not_increasing(void)
{
    make_block(3);
    set_comp(2, 0, 0x100);  /* equal to component 1 */
    expect_invalid(BLOCK_LEN, "component 2 tweak prefix 0x100 does not");

    make_block(2);
    set_comp(0, 0, 0x0001000000000000ULL);
    set_comp(1, 0, 0x0000000000000100ULL);
    expect_invalid(BLOCK_LEN, "component 1 tweak prefix");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/s390x/pv/iplb/valid", test_valid);
    g_test_add_func("/s390x/pv/iplb/valid-minimal", test_valid_minimal);
    g_test_add_func("/s390x/pv/iplb/valid-edge-of-ram",
                    test_valid_edge_of_ram);
    g_test_add_func("/s390x/pv/iplb/len-too-short", test_len_too_short);
    g_test_add_func("/s390x/pv/iplb/len-upstream-minimum",
                    test_len_upstream_minimum);
    g_test_add_func("/s390x/pv/iplb/len-too-long", test_len_too_long);
    g_test_add_func("/s390x/pv/iplb/len-field-mismatch",
                    test_len_field_mismatch);
    g_test_add_func("/s390x/pv/iplb/wrong-pbt", test_wrong_pbt);
    g_test_add_func("/s390x/pv/iplb/no-components", test_no_components);
    g_test_add_func("/s390x/pv/iplb/components-beyond-block",
                    test_components_beyond_block);
    g_test_add_func("/s390x/pv/iplb/pb0-len-mismatch",
                    test_pb0_len_mismatch);
    g_test_add_func("/s390x/pv/iplb/hdr-len-zero", test_hdr_len_zero);
    g_test_add_func("/s390x/pv/iplb/hdr-len-too-big", test_hdr_len_too_big);
    g_test_add_func("/s390x/pv/iplb/hdr-outside-ram", test_hdr_outside_ram);
    g_test_add_func("/s390x/pv/iplb/comp-unaligned", test_comp_unaligned);
    g_test_add_func("/s390x/pv/iplb/comp-empty", test_comp_empty);
    g_test_add_func("/s390x/pv/iplb/comp-outside-ram",
                    test_comp_outside_ram);
    g_test_add_func("/s390x/pv/iplb/tweak-not-increasing",
                    test_tweak_not_increasing);
    return g_test_run();
}
