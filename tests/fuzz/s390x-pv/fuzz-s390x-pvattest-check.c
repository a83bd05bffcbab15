/*
 * Fuzzer: what "s390-pvattest check" does with an answer file
 *
 * The input is the answer of "perform" (from the guest, through its
 * host).  It goes through the tool's own code (answer_parse(),
 * answer_check() of tools/s390-pvattest/s390-pvattest.c) against fixed
 * expectations of the verifying machine: a host key, user data and an
 * add-secret request with the store locked.  Whatever the answer holds,
 * check reads only what its lengths allow and says pass or fail.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define S390_PVATTEST_NO_MAIN
#include "../../../tools/s390-pv-common/pv-tool.c"
#include "../../../tools/s390-pv-common/uvdev.c"
#include "../../../tools/s390-pvattest/s390-pvattest.c"
#include "fuzz-common.h"

static uint8_t req[S390_PV_ASRCB_OFF_SLOTS + S390_PV_REQ_TAG_LEN + 64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_init();
    memcpy(req, S390_PV_ASRCB_MAGIC, 6);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const key_names[] = { "host.crt" };
    static const char *const req_names[] = { "secret.req" };
    const uint8_t *reqs[] = { req };
    const size_t req_lens[] = { sizeof(req) };
    g_autofree uint8_t *buf = g_memdup2(data, size);
    g_autoptr(GString) out = g_string_new("---\n");
    CheckInputs ci = {
        .keys = &fuzz_host_key,
        .key_names = key_names,
        .nr_keys = 1,
        .need_img = true,
        .need_att = true,
        .user = (const uint8_t *)"fuzz-user",
        .user_len = 9,
        .reqs = reqs,
        .req_names = req_names,
        .req_lens = req_lens,
        .nr_reqs = 1,
        .locked = 1,
    };
    UvdevExchange ex;
    Error *err = NULL;
    uint32_t off, sea;
    uint64_t paf;
    bool ok;

    if (!answer_parse("fuzz", buf, size, &ex, &off, &sea, &paf, &err)) {
        error_free(err);
        return 0;
    }
    ok = answer_check(&ex, paf, &ci, out, &err);
    /* the request is a valid one: no input error, one line per check */
    assert(!err);
    assert(g_str_has_suffix(out->str, "\n"));
    assert(strstr(out->str, "boot_key_hash: ") &&
           strstr(out->str, "att_key_hash: ") &&
           strstr(out->str, "user_data: ") &&
           strstr(out->str, "secret_store: "));
    /* a pass needs every hash and the user data */
    assert(!ok || (strstr(out->str, "user_data: matches") &&
                   strstr(out->str, "secret_store: matches")));
    return 0;
}
