/*
 * Fuzzer: what "s390-pvattest verify" does with an answer file
 *
 * The answer of "perform" comes from the guest, through its host: neither
 * is trusted by the machine that verifies.  The input is the file, given
 * to the tool's own code (answer_parse(), answer_verify() of
 * tools/s390-pvattest/s390-pvattest.c): the exchange format is parsed,
 * the request in it laid out, opened with a fixed protection key and
 * measured over what the file holds.  Each length must be bounded by the
 * file; the parsed file must serialise to the same entries again.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define S390_PVATTEST_NO_MAIN
#include "../../../tools/s390-pv-common/pv-tool.c"
#include "../../../tools/s390-pv-common/uvdev.c"
#include "../../../tools/s390-pvattest/s390-pvattest.c"
#include "fuzz-common.h"

static const uint8_t arpk[32] = "fuzz attestation protection key";

static void make_seed(void)
{
    uint8_t meas_key[64] = { 1 }, nonce[16] = { 2 }, meas[64] = { 3 };
    uint8_t add[128] = { 4 }, user[16] = { 5 }, cuid[16] = { 6 };
    uint8_t priv[66] = { 0, 7, 7, 7 };
    g_autofree uint8_t *arcb = NULL;
    UvdevExchange ex = { 0 };
    S390PVKey cust;
    uint8_t *buf;
    uint32_t len;
    size_t n;

    fuzz_init();
    assert(s390_pv_key_from_priv(priv, &cust, NULL));
    arcb = s390_pv_arcb_build(&fuzz_host_key, 1, &cust, arpk,
                              (const uint8_t *)"fuzz-iv-0123",
                              S390_PV_PAF_PHKH_IMG | S390_PV_PAF_PHKH_ATT |
                              S390_PV_PAF_SECRET_HASH, meas_key, nonce, &len,
                              NULL);
    ex.arcb = arcb;
    ex.arcb_len = len;
    ex.meas = meas;
    ex.meas_len = sizeof(meas);
    ex.add = add;
    ex.add_len = sizeof(add);
    ex.user = user;
    ex.user_len = sizeof(user);
    ex.cuid = cuid;
    buf = uvdev_exchange_build(&ex, &n);
    fuzz_write_seed("response", buf, n);
    free(buf);
    ex.meas = ex.add = ex.user = ex.cuid = NULL;
    ex.user_len = 0;
    buf = uvdev_exchange_build(&ex, &n);
    fuzz_write_seed("request", buf, n);
    free(buf);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    if (g_getenv("S390X_PV_FUZZ_SEEDS")) {
        make_seed();
        exit(0);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* an exact copy: reads past the end hit the sanitizer's redzone */
    g_autofree uint8_t *buf = g_memdup2(data, size);
    uint8_t tags[S390_PV_TAGS_LEN] = { 0 };
    UvdevExchange ex, again;
    Error *err = NULL;
    uint32_t off, sea;
    uint64_t paf;
    uint8_t *out;
    size_t n;

    if (!answer_parse("fuzz", buf, size, &ex, &off, &sea, &paf, &err)) {
        assert(err);
        error_free(err);
        return 0;
    }
    /* what was parsed serialises and parses to the same entries */
    out = uvdev_exchange_build(&ex, &n);
    assert(!uvdev_exchange_check(out, n, &again));
    assert(again.arcb_len == ex.arcb_len &&
           !memcmp(again.arcb, ex.arcb, ex.arcb_len));
    assert(again.user_len == ex.user_len);
    assert(!again.cuid == !ex.cuid);
    free(out);
    assert(off + sea + 16 == ex.arcb_len);

    switch (answer_verify(&ex, off, sea, paf, arpk, tags)) {
    case ANSWER_VERIFIED:
    case ANSWER_KEY_DOES_NOT_OPEN:
    case ANSWER_NOT_VERIFIED:
        break;
    default:
        abort();
    }
    return 0;
}
