/*
 * Fuzzer: the protected guest's Ultravisor calls (UVC) on the software
 * Ultravisor, with any UVCBs, against a guest protected once at start-up
 *
 * Input: UVCBs back to back.  Each is taken as its header says: the
 * bytes s390_pv_sw_guest_call_access() asks for (missing ones are zero),
 * then the next one starts.  A header with command 0xfffe is a reset
 * (unshare all, empty secret store) instead; one with 0xfffd copies the
 * next len bytes of input into guest memory at FUZZ_REQ (requests for
 * attestation and Add Secret to point at).  The last guest page gives
 * access exceptions to the Ultravisor's own accesses.
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
#include "hw/s390x/pv-req.h"
#include "fuzz-common.h"

#define FUZZ_REQ        0x8000
#define FUZZ_REQ_MAX    (8 * S390_PV_SE_PAGE)
#define FUZZ_FAULT      (FUZZ_RAM_SIZE - S390_PV_SE_PAGE)

static uint8_t *ram;
static S390PVBackend *be;

/* Where the current call may store, and how much */
static uint64_t out_addr[2], out_len[2];

static void expect_outputs(const uint8_t *cb, uint16_t cmd)
{
    out_addr[0] = out_addr[1] = UINT64_MAX;
    out_len[0] = out_len[1] = 0;
    switch (cmd) {
    case S390_PV_UVC_ATTEST:
        out_addr[0] = ldq_be_p(cb + S390_PV_ATT_OFF_MEAS);
        out_len[0] = MIN(ldl_be_p(cb + S390_PV_ATT_OFF_MEAS_LEN),
                         S390_PV_ATT_MEAS_LEN);
        out_addr[1] = ldq_be_p(cb + S390_PV_ATT_OFF_ADD);
        out_len[1] = ldl_be_p(cb + S390_PV_ATT_OFF_ADD_LEN);
        break;
    case S390_PV_UVC_LIST_SECRETS:
        out_addr[0] = ldq_be_p(cb + S390_PV_LIST_OFF_PAGE);
        out_len[0] = S390_PV_LIST_LEN;
        break;
    case S390_PV_UVC_RETR_SECRET:
        out_addr[0] = ldq_be_p(cb + S390_PV_RETR_OFF_BUF);
        out_len[0] = ldl_be_p(cb + S390_PV_RETR_OFF_SIZE);
        break;
    }
}

static bool mem_ok(uint64_t addr, uint64_t len)
{
    return addr <= FUZZ_FAULT && len <= FUZZ_FAULT - addr;
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
    /* the Ultravisor writes only where the UVCB said, no more than asked */
    assert((addr == out_addr[0] && len <= out_len[0]) ||
           (addr == out_addr[1] && len <= out_len[1]));
    memcpy(ram + addr, buf, len);
    return true;
}

static const S390PVUvcMem guest_mem = { mem_read, mem_write, NULL };

static void write_seed(const char *name, uint16_t len, uint16_t cmd,
                       uint64_t addr)
{
    uint8_t cb[S390_PV_UVCB_MAX] = { 0 };

    stw_be_p(cb, len);
    stw_be_p(cb + 2, cmd);
    stq_be_p(cb + S390_PV_SHARE_OFF_ADDR, addr);
    fuzz_write_seed(name, cb, MIN(len, sizeof(cb)));
}

/* A seed: a request copied to FUZZ_REQ, then the UVCB that uses it */
static void write_req_seed(const char *name, const uint8_t *req,
                           uint32_t len, const uint8_t *cb, uint16_t cb_len)
{
    g_autofree uint8_t *seed = g_malloc0(8 + len + cb_len);

    stw_be_p(seed, len);
    stw_be_p(seed + 2, 0xfffd);
    memcpy(seed + 8, req, len);
    memcpy(seed + 8 + len, cb, cb_len);
    fuzz_write_seed(name, seed, 8 + len + cb_len);
}

static void write_request_seeds(void)
{
    static const uint8_t key[32] = "fuzz protection key";
    const S390PVHeader *hdr = s390_pv_sw_header(be);
    uint8_t meas_key[64] = { 1 }, nonce[16] = { 2 }, value[32] = { 3 };
    uint8_t cb[S390_PV_ATT_LEN] = { 0 };
    g_autofree uint8_t *arcb = NULL, *asrcb = NULL;
    S390PVAsrcbSpec sp = { 0 };
    S390PVKey cust;
    uint8_t priv[66] = { 0, 9, 8, 7 };
    uint32_t len;

    assert(s390_pv_key_from_priv(priv, &cust, NULL));
    arcb = s390_pv_arcb_build(&fuzz_host_key, 1, &cust, key,
                              (const uint8_t *)"fuzz-iv-0123",
                              S390_PV_PAF_SUPPORTED, meas_key, nonce, &len,
                              NULL);
    stw_be_p(cb, S390_PV_ATT_LEN);
    stw_be_p(cb + 2, S390_PV_UVC_ATTEST);
    stq_be_p(cb + S390_PV_ATT_OFF_ARCB, FUZZ_REQ);
    stw_be_p(cb + S390_PV_ATT_OFF_USER_LEN, 16);
    stl_be_p(cb + S390_PV_ATT_OFF_MEAS_LEN, 64);
    stq_be_p(cb + S390_PV_ATT_OFF_MEAS, 0x10000);
    stl_be_p(cb + S390_PV_ATT_OFF_ADD_LEN, 128);
    stq_be_p(cb + S390_PV_ATT_OFF_ADD, 0x11000);
    write_req_seed("attest", arcb, len, cb, S390_PV_ATT_LEN);

    sp.hosts = &fuzz_host_key;
    sp.nr_hosts = 1;
    sp.cust = &cust;
    memcpy(sp.tags, hdr->pld, 64);
    memcpy(sp.tags + 64, hdr->ald, 64);
    memcpy(sp.tags + 128, hdr->tld, 64);
    memcpy(sp.tags + 192, hdr->tag, 16);
    sp.type = S390_PV_SECRET_AES_256;
    sp.value = value;
    sp.value_len = 32;
    asrcb = s390_pv_asrcb_build(&sp, &len, NULL);
    memset(cb, 0, sizeof(cb));
    stw_be_p(cb, S390_PV_SECRET_UVCB_LEN);
    stw_be_p(cb + 2, S390_PV_UVC_ADD_SECRET);
    stq_be_p(cb + S390_PV_ADD_OFF_ASRCB, FUZZ_REQ);
    write_req_seed("add-secret", asrcb, len, cb, S390_PV_SECRET_UVCB_LEN);
    /* then list, retrieve and lock */
    {
        uint8_t seq[3 * S390_PV_SECRET_UVCB_LEN] = { 0 };
        uint8_t all[4 * S390_PV_SECRET_UVCB_LEN];
        uint8_t *c = seq;

        stw_be_p(c, S390_PV_SECRET_UVCB_LEN);
        stw_be_p(c + 2, S390_PV_UVC_LIST_SECRETS);
        stq_be_p(c + S390_PV_LIST_OFF_PAGE, 0x10000);
        c += S390_PV_SECRET_UVCB_LEN;
        stw_be_p(c, S390_PV_SECRET_UVCB_LEN);
        stw_be_p(c + 2, S390_PV_UVC_RETR_SECRET);
        stw_be_p(c + S390_PV_RETR_OFF_INDEX, 1);
        stl_be_p(c + S390_PV_RETR_OFF_SIZE, 64);
        stq_be_p(c + S390_PV_RETR_OFF_BUF, 0x11000);
        c += S390_PV_SECRET_UVCB_LEN;
        stw_be_p(c, S390_PV_LOCK_UVCB_LEN);
        stw_be_p(c + 2, S390_PV_UVC_LOCK_SECRETS);
        memcpy(all, cb, S390_PV_SECRET_UVCB_LEN);
        memcpy(all + S390_PV_SECRET_UVCB_LEN, seq, sizeof(seq));
        write_req_seed("add-list-retrieve-lock", asrcb, len, all,
                       sizeof(all));
        fuzz_write_seed("list-retrieve-lock", seq, sizeof(seq));
    }
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
        ram = g_malloc0(FUZZ_RAM_SIZE);
        protect();
        write_request_seeds();
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
    be->ops->prep_reset(be, NULL, NULL);
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
            be->ops->prep_reset(be, NULL, NULL);
            off += S390_PV_UVCB_HDR_LEN;
            continue;
        }
        if (cmd == 0xfffd) {
            off += S390_PV_UVCB_HDR_LEN;
            n = MIN(MIN(len, FUZZ_REQ_MAX), size - off);
            memcpy(ram + FUZZ_REQ, data + off, n);
            off += n;
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

        expect_outputs(cb, cmd);
        cc = s390_pv_sw_guest_call(be, cb, a.fetch, &guest_mem);
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
