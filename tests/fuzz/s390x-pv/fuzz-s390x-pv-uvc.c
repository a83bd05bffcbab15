/*
 * Fuzzer: the protected guest's UVC instruction on the software
 * Ultravisor (s390_pv_sw_uvc(): the UVCB's translation, fetch and store,
 * and the Ultravisor's own accesses, uvc_mem_rw()), with any UVCBs,
 * against a guest protected once at start-up
 *
 * Input: UVCBs back to back.  Each is written to guest memory at the
 * UVCB address as its header says: the bytes
 * s390_pv_sw_guest_call_access() asks for (missing ones are zero), then
 * the next one starts.  A header with command 0xfffe is a reset (unshare
 * all, empty secret store) instead; one with 0xfffd copies the next len
 * bytes of input into guest memory at FUZZ_REQ (requests for attestation
 * and Add Secret to point at); one with 0xfffc sets the UVCB address to
 * FUZZ_UVCB + len % 0x1e00, the page (bytes 4-5, logical page number)
 * that stores do not translate to, and after how many translations
 * (bytes 6-7, 0 never) stores to the UVCB's own pages stop translating,
 * as when another CPU changes the tables under the call.  The last guest
 * page never translates.
 *
 * Checked: the call reads and stores no more than it announced, the
 * condition code is 0 or 1 with rc 1 exactly for cc 0, the shared state
 * agrees with the calls that succeeded, and an access exception comes
 * before the call acted (no call counted, nothing stored).
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
        out_len[0] = MIN((uint32_t)ldl_be_p(cb + S390_PV_ATT_OFF_MEAS_LEN),
                         S390_PV_ATT_MEAS_LEN);
        out_addr[1] = ldq_be_p(cb + S390_PV_ATT_OFF_ADD);
        out_len[1] = (uint32_t)ldl_be_p(cb + S390_PV_ATT_OFF_ADD_LEN);
        break;
    case S390_PV_UVC_LIST_SECRETS:
        out_addr[0] = ldq_be_p(cb + S390_PV_LIST_OFF_PAGE);
        out_len[0] = S390_PV_LIST_LEN;
        break;
    case S390_PV_UVC_RETR_SECRET:
        out_addr[0] = ldq_be_p(cb + S390_PV_RETR_OFF_BUF);
        out_len[0] = (uint32_t)ldl_be_p(cb + S390_PV_RETR_OFF_SIZE);
        break;
    }
}

#define FUZZ_UVCB       0x6000

/* The UVCB, and which translations fail */
static uint64_t uvcb = FUZZ_UVCB + 0xff0;
static uint64_t uvcb_store;         /* how much of it the call stores */
static uint64_t no_store = UINT64_MAX;
static unsigned take_after;         /* 0: never */
static unsigned translations;

static bool cpu_translate(void *opaque, uint64_t addr, bool store,
                          uint64_t *abs)
{
    uint64_t page = addr & ~0xfffULL;

    translations++;
    if (addr >= FUZZ_FAULT) {
        return false;
    }
    if (store && page == no_store) {
        return false;
    }
    if (store && take_after && translations > take_after &&
        page >= (uvcb & ~0xfffULL) && page < uvcb + uvcb_store) {
        return false;
    }
    *abs = addr;
    return true;
}

/* Is [@a, @a + @len) inside [@base, @base + @blen)?  (No overflow.) */
static bool within(uint64_t a, uint64_t len, uint64_t base, uint64_t blen)
{
    return a >= base && a - base <= blen && len <= blen - (a - base);
}

static bool cpu_abs_rw(void *opaque, uint64_t abs, void *buf, uint64_t len,
                       bool write)
{
    /* one page at a time, and only what translated */
    assert((abs & 0xfff) + len <= 0x1000);
    assert(abs < FUZZ_FAULT);
    if (buf && write) {
        /*
         * The Ultravisor writes only where the UVCB said, no more than
         * asked, and the instruction stores the UVCB's first bytes.
         */
        assert(within(abs, len, uvcb, uvcb_store) ||
               within(abs, len, out_addr[0], out_len[0]) ||
               within(abs, len, out_addr[1], out_len[1]));
        memcpy(ram + abs, buf, len);
    } else if (buf) {
        memcpy(buf, ram + abs, len);
    }
    return true;
}

/* Do the call's output buffers overlap [@addr, @addr + @len)? */
static bool outputs_overlap(uint64_t addr, uint64_t len)
{
    int i;

    for (i = 0; i < 2; i++) {
        if (out_len[i] && out_addr[i] < addr + len &&
            addr < out_addr[i] + out_len[i]) {
            return true;
        }
    }
    return false;
}

static const S390PVUvcCpu fuzz_cpu = { cpu_translate, cpu_abs_rw, NULL };

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
    uint8_t shadow[S390_PV_UVCB_MAX + 16];
    size_t off = 0, n;

    be->ops->unshare_all(be, NULL, NULL);
    be->ops->prep_reset(be, NULL, NULL);
    uvcb = FUZZ_UVCB + 0xff0;
    no_store = UINT64_MAX;
    take_after = 0;
    while (off + S390_PV_UVCB_HDR_LEN <= size) {
        S390PVUvcAccess a = s390_pv_sw_guest_call_access(data + off);
        uint16_t len = lduw_be_p(data + off);
        uint16_t cmd = lduw_be_p(data + off + 2);
        uint64_t addr, calls0, calls, shared, queries;
        S390PVUvcFault fault;
        uint8_t *cb;
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
        if (cmd == 0xfffc) {
            uint16_t p = lduw_be_p(data + off + 4);

            uvcb = FUZZ_UVCB + len % 0x1e00;
            no_store = p == 0xffff ? UINT64_MAX : (uint64_t)p << 12;
            take_after = lduw_be_p(data + off + 6);
            off += S390_PV_UVCB_HDR_LEN;
            continue;
        }
        /* the UVCB in guest memory; bytes beyond the call's are a guard */
        cb = ram + uvcb;
        memset(cb, 0x5a, sizeof(shadow));
        n = MIN(a.fetch, size - off);
        memcpy(cb, data + off, n);
        memset(cb + n, 0, a.fetch - n);
        memcpy(shadow, cb, sizeof(shadow));
        addr = ldq_be_p(cb + S390_PV_SHARE_OFF_ADDR);
        was = s390_pv_sw_host_may_access(be, addr & ~0xfffULL);
        uvcb_store = a.store;
        translations = 0;
        s390_pv_sw_guest_stats(be, &shared, &calls0, &queries);

        expect_outputs(cb, cmd);
        cc = s390_pv_sw_uvc(be, &fuzz_cpu, uvcb, &fault);
        s390_pv_sw_guest_stats(be, &shared, &calls, &queries);
        if (cc < 0) {
            /* an access exception: the call did not act, nothing stored */
            assert(calls == calls0);
            assert(!memcmp(cb, shadow, sizeof(shadow)));
            assert(s390_pv_sw_host_may_access(be, addr & ~0xfffULL) == was);
            assert(fault.addr >= uvcb && fault.addr < uvcb + a.fetch);
            off += MAX(a.fetch, S390_PV_UVCB_HDR_LEN);
            continue;
        }
        assert(calls == calls0 + 1);
        rc = lduw_be_p(cb + S390_PV_UVCB_OFF_RC);
        assert(cc == 0 || cc == 1);
        assert((cc == 0) == (rc == S390_PV_UVC_RC_OK));
        if (!outputs_overlap(uvcb, sizeof(shadow))) {
            assert(!memcmp(cb + a.store, shadow + a.store,
                           sizeof(shadow) - a.store));
        }
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
