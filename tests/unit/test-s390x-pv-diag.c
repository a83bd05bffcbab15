/*
 * Unit tests of diag 308 subcodes 8, 9 and 10 (hw/s390x/pv-diag.c) over
 * a guest memory of our own
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/s390x/pv-diag.h"
#include "hw/s390x/pv-uv.h"

#define RAM_SIZE    (1 << 20)
#define BLOCK       0x8000
#define STORE       0x9000

static uint8_t ram[RAM_SIZE];
static int fail_after = -1;        /* accesses that succeed, -1: all */

static int ram_rw(void *opaque, uint64_t addr, void *buf, int len,
                  bool is_write)
{
    if (fail_after == 0) {
        return -1;
    }
    if (fail_after > 0) {
        fail_after--;
    }
    g_assert_cmpuint(addr, <, RAM_SIZE);
    g_assert_cmpuint(len, <=, RAM_SIZE - addr);
    if (is_write) {
        memcpy(ram + addr, buf, len);
    } else {
        memcpy(buf, ram + addr, len);
    }
    return 0;
}

/* A valid block with one component and header length @hdr_len */
static void put_block(uint64_t addr, uint64_t hdr_len, uint64_t tweak)
{
    uint8_t *b = ram + addr;

    memset(b, 0, 0x100);
    stl_be_p(b, 0xa0);
    b[7] = 1;
    stl_be_p(b + 8, 0x80 + 24);
    b[0xc] = 5;
    stl_be_p(b + 0x74, 1);
    stq_be_p(b + 0x78, 0x4000);
    stq_be_p(b + 0x80, hdr_len);
    stq_be_p(b + 0x88, tweak);
    stq_be_p(b + 0x90, 0x10000);
    stq_be_p(b + 0x98, 0x1000);
}

static void test_set_commits_valid_only(void)
{
    S390PVDiag d;
    uint64_t resp = 0;

    s390_pv_diag_init(&d);
    put_block(BLOCK, 0x300, 7);
    g_assert_cmpint(s390_pv_diag_set(&d, ram_rw, NULL, BLOCK, RAM_SIZE,
                                     &resp), ==, 0);
    g_assert_cmphex(resp, ==, S390_PV_DIAG308_RC_OK);
    g_assert_cmphex(d.iplb->hdr_len, ==, 0x300);

    /* an invalid block changes nothing that was stored */
    put_block(BLOCK, 0xfffffffffffff000ULL, 8);
    g_assert_cmpint(s390_pv_diag_set(&d, ram_rw, NULL, BLOCK, RAM_SIZE,
                                     &resp), ==, 0);
    g_assert_cmphex(resp, ==, S390_PV_DIAG308_RC_INVALID);
    g_assert_true(d.iplb_valid);
    g_assert_cmphex(d.iplb->hdr_len, ==, 0x300);
    g_assert_cmphex(d.iplb->comp[0].tweak_pref, ==, 7);

    /* subcode 9 gives back the stored one, as the guest gave it */
    g_assert_cmpint(s390_pv_diag_store(&d, ram_rw, NULL, STORE, &resp),
                    ==, 0);
    g_assert_cmphex(resp, ==, S390_PV_DIAG308_RC_OK);
    g_assert_cmphex(ldq_be_p(ram + STORE + 0x80), ==, 0x300);
    s390_pv_diag_cleanup(&d);
}

static void test_set_length(void)
{
    S390PVDiag d;
    uint64_t resp = 0;

    s390_pv_diag_init(&d);
    put_block(BLOCK, 0x300, 7);
    stl_be_p(ram + BLOCK, 0x1001);
    g_assert_cmpint(s390_pv_diag_set(&d, ram_rw, NULL, BLOCK, RAM_SIZE,
                                     &resp), ==, 0);
    g_assert_cmphex(resp, ==, S390_PV_DIAG308_RC_INVALID);
    stl_be_p(ram + BLOCK, 3);
    g_assert_cmpint(s390_pv_diag_set(&d, ram_rw, NULL, BLOCK, RAM_SIZE,
                                     &resp), ==, 0);
    g_assert_cmphex(resp, ==, S390_PV_DIAG308_RC_INVALID);
    g_assert_false(d.iplb_valid);

    /* nothing stored: subcode 9 and 10 say so */
    g_assert_cmpint(s390_pv_diag_store(&d, ram_rw, NULL, STORE, &resp),
                    ==, 0);
    g_assert_cmphex(resp, ==, S390_PV_DIAG308_RC_NO_CONF);
    g_assert_cmpint(s390_pv_diag_start(&d, 2, &resp), ==,
                    S390_PV_START_RESPOND);
    g_assert_cmphex(resp, ==, S390_PV_DIAG308_RC_NO_PV_CONF);
    s390_pv_diag_cleanup(&d);
}

static void test_operand_fault(void)
{
    S390PVDiag d;
    uint64_t resp = 0x1234;

    s390_pv_diag_init(&d);
    put_block(BLOCK, 0x300, 7);
    /* the length can be read, the block cannot */
    fail_after = 1;
    g_assert_cmpint(s390_pv_diag_set(&d, ram_rw, NULL, BLOCK, RAM_SIZE,
                                     &resp), ==, 0x0005);
    g_assert_cmphex(resp, ==, 0x1234);
    g_assert_false(d.iplb_valid);
    fail_after = -1;
    g_assert_cmpint(s390_pv_diag_set(&d, ram_rw, NULL, BLOCK, RAM_SIZE,
                                     &resp), ==, 0);
    fail_after = 0;
    g_assert_cmpint(s390_pv_diag_store(&d, ram_rw, NULL, STORE, &resp),
                    ==, 0x0005);
    fail_after = -1;
    s390_pv_diag_cleanup(&d);
}

static void test_start_snapshot(void)
{
    const S390PVIplBlock *b;
    S390PVDiag d;
    uint64_t resp = 0;

    s390_pv_diag_init(&d);
    put_block(BLOCK, 0x300, 7);
    g_assert_cmpint(s390_pv_diag_set(&d, ram_rw, NULL, BLOCK, RAM_SIZE,
                                     &resp), ==, 0);
    g_assert_cmpint(s390_pv_diag_start(&d, 4, &resp), ==,
                    S390_PV_START_PROTECT);
    g_assert_cmpint(d.r1, ==, 4);

    /* another CPU sets another valid block: the snapshot stays */
    put_block(BLOCK, 0x400, 9);
    g_assert_cmpint(s390_pv_diag_set(&d, ram_rw, NULL, BLOCK, RAM_SIZE,
                                     &resp), ==, 0);
    g_assert_cmphex(d.iplb->hdr_len, ==, 0x400);
    /* ... and a second subcode 10 joins the one in flight */
    g_assert_cmpint(s390_pv_diag_start(&d, 6, &resp), ==,
                    S390_PV_START_JOIN);
    g_assert_cmpint(d.r1, ==, 4);

    b = s390_pv_diag_take_protect(&d, &resp);
    g_assert_nonnull(b);
    g_assert_cmphex(b->hdr_len, ==, 0x300);
    g_assert_cmphex(b->comp[0].tweak_pref, ==, 7);
    /* taken once */
    g_assert_null(s390_pv_diag_take_protect(&d, &resp));
    g_assert_cmphex(resp, ==, S390_PV_DIAG308_RC_NO_PV_CONF);
    g_assert_cmpint(s390_pv_diag_start(&d, 2, &resp), ==,
                    S390_PV_START_PROTECT);
    /* another reset came first: nothing left to protect with */
    s390_pv_diag_cancel(&d);
    g_assert_null(s390_pv_diag_take_protect(&d, &resp));
    g_assert_cmpint(s390_pv_diag_start(&d, 2, &resp), ==,
                    S390_PV_START_PROTECT);
    s390_pv_diag_cleanup(&d);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/s390x/pv/diag/set-commits-valid-only",
                    test_set_commits_valid_only);
    g_test_add_func("/s390x/pv/diag/set-length", test_set_length);
    g_test_add_func("/s390x/pv/diag/operand-fault", test_operand_fault);
    g_test_add_func("/s390x/pv/diag/start-snapshot", test_start_snapshot);
    return g_test_run();
}
