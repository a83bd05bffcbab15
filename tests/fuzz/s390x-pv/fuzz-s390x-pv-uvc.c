/*
 * Fuzzer: the protected guest's Ultravisor calls (UVC) on the software
 * Ultravisor, with any UVCBs, against a guest protected once at start-up
 *
 * Input: UVCBs back to back.  Each is taken as its header says: the
 * bytes s390_pv_sw_guest_call_access() asks for (missing ones are zero),
 * then the next one starts.  A header with command 0xfffe is a reset
 * (unshare all) instead.
 *
 * Checked: the call reads and stores no more than it announced, the
 * condition code is 0 or 1 with rc 1 exactly for cc 0, and the shared
 * state agrees with the calls that succeeded.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/bswap.h"
#include "hw/s390x/pv-sw.h"
#include "hw/s390x/pv-uv.h"
#include "fuzz-common.h"

static uint8_t *ram;
static S390PVBackend *be;

static void write_seed(const char *name, uint16_t len, uint16_t cmd,
                       uint64_t addr)
{
    uint8_t cb[S390_PV_UVCB_MAX] = { 0 };

    stw_be_p(cb, len);
    stw_be_p(cb + 2, cmd);
    stq_be_p(cb + S390_PV_SHARE_OFF_ADDR, addr);
    fuzz_write_seed(name, cb, MIN(len, sizeof(cb)));
}

static void protect(void)
{
    g_autofree uint8_t *img = g_malloc(FUZZ_RAM_SIZE);
    uint32_t hdr_len = fuzz_make_image(img);
    S390PVResult res;

    memcpy(ram, img, FUZZ_RAM_SIZE);
    be = s390_pv_sw_backend_new(&fuzz_host_key, 1, ram, FUZZ_RAM_SIZE, NULL,
                                NULL);
    s390_pv_sw_set_max_cpus(be, 248);
    assert(be->ops->enable(be, &res, NULL) == 0);
    assert(be->ops->set_sec_parms(be, img + FUZZ_HDR, hdr_len, &res,
                                  NULL) == 0);
    assert(be->ops->unpack(be, FUZZ_COMP0, S390_PV_SE_PAGE, FUZZ_TWEAK0,
                           &res, NULL) == 0);
    assert(be->ops->unpack(be, FUZZ_COMP1, S390_PV_SE_PAGE, FUZZ_TWEAK1,
                           &res, NULL) == 0);
    assert(be->ops->verify(be, &res, NULL) == 0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_init();
    if (g_getenv("S390X_PV_FUZZ_SEEDS")) {
        write_seed("query", 0x120, 0x0001, 0);
        write_seed("query-short", 0xa8, 0x0001, 0);
        write_seed("share", 0x30, 0x1000, 0x4000);
        write_seed("unshare", 0x30, 0x1001, 0x4000);
        write_seed("share-outside", 0x30, 0x1000, FUZZ_RAM_SIZE);
        write_seed("host-only", 0x60, 0x0301, 0);
        exit(0);
    }
    ram = g_malloc0(FUZZ_RAM_SIZE);
    protect();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t cb[S390_PV_UVCB_MAX + 16], shadow[S390_PV_UVCB_MAX + 16];
    size_t off = 0, n;

    be->ops->unshare_all(be, NULL, NULL);
    while (off + S390_PV_UVCB_HDR_LEN <= size) {
        S390PVUvcAccess a = s390_pv_sw_guest_call_access(data + off);
        uint16_t len = lduw_be_p(data + off);
        uint16_t cmd = lduw_be_p(data + off + 2);
        uint64_t addr;
        uint16_t rc;
        bool was;
        int cc;

        assert(a.fetch >= S390_PV_UVCB_HDR_LEN &&
               a.fetch <= S390_PV_UVCB_MAX && a.store <= a.fetch &&
               a.store >= S390_PV_UVCB_HDR_LEN);
        if (cmd == 0xfffe) {
            be->ops->unshare_all(be, NULL, NULL);
            off += S390_PV_UVCB_HDR_LEN;
            continue;
        }
        /* bytes beyond what the call may touch are a guard */
        memset(cb, 0x5a, sizeof(cb));
        n = MIN(a.fetch, size - off);
        memcpy(cb, data + off, n);
        memset(cb + n, 0, a.fetch - n);
        memcpy(shadow, cb, sizeof(cb));
        addr = ldq_be_p(cb + S390_PV_SHARE_OFF_ADDR);
        was = s390_pv_sw_host_may_access(be, addr & ~0xfffULL);

        cc = s390_pv_sw_guest_call(be, cb, a.fetch);
        rc = lduw_be_p(cb + S390_PV_UVCB_OFF_RC);
        assert(cc == 0 || cc == 1);
        assert((cc == 0) == (rc == S390_PV_UVC_RC_OK));
        assert(!memcmp(cb + a.store, shadow + a.store,
                       sizeof(cb) - a.store));
        if (cmd == S390_PV_UVC_QUERY && cc == 0) {
            assert(len >= S390_PV_QUERY_LEN);
        }
        if ((cmd == S390_PV_UVC_SET_SHARED ||
             cmd == S390_PV_UVC_REMOVE_SHARED) && addr < FUZZ_RAM_SIZE) {
            bool now = s390_pv_sw_host_may_access(be, addr & ~0xfffULL);

            if (cc == 0) {
                assert(now == (cmd == S390_PV_UVC_SET_SHARED));
            } else {
                assert(now == was);
            }
        }
        off += MAX(a.fetch, S390_PV_UVCB_HDR_LEN);
    }
    return 0;
}
