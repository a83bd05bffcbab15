/*
 * s390-pvattest perform: in a protected guest, send an attestation
 * request (made by "s390-pvattest create" or pvattest) to the Ultravisor
 * through /dev/uv and write the answer for "verify", in the pvattest
 * exchange format.  Plain C, libc only.
 *
 *   s390-pvattest perform [-i] REQUEST [-o] RESPONSE [-u USER_DATA]
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../s390-pv-common/uvdev.h"

#define MEAS_LEN    64      /* HMAC-SHA512 */

int pvattest_perform(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "input", required_argument, NULL, 'i' },
        { "output", required_argument, NULL, 'o' },
        { "user-data", required_argument, NULL, 'u' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { }
    };
    const char *in = NULL, *out = NULL, *user_file = NULL;
    uint8_t *req, *user = NULL, cuid[16];
    size_t req_len, user_len = 0, resp_len;
    UvdevExchange ex, resp;
    uint8_t *meas, *add = NULL, *buf;
    uint32_t meas_len, add_len;
    UvdevResult res;
    const char *why;
    int c;

    optind = 0;     /* glibc: start over, with this optstring's ordering */
    while ((c = getopt_long(argc, argv, "i:o:u:vVh", longopts, NULL)) != -1) {
        switch (c) {
        case 'i':
            in = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'u':
            user_file = optarg;
            break;
        case 'v':
        case 'V':
            break;
        case 'h':
            printf("Usage: %s perform [-i] REQUEST [-o] RESPONSE "
                   "[-u USER_DATA]\n"
                   "Send an attestation request to the Ultravisor "
                   "(in a protected guest, through %s).\n", uvdev_tool,
                   UVDEV_PATH);
            return 0;
        default:
            uvdev_die("bad option (see perform --help)");
        }
    }
    if (!in && optind < argc) {
        in = argv[optind++];
    }
    if (!out && optind < argc) {
        out = argv[optind++];
    }
    if (!in || !out || optind < argc) {
        uvdev_die("perform needs a request and an output file "
                  "(see perform --help)");
    }
    req = uvdev_read_file(in, UVDEV_ARCB_MAX + 0x10000, &req_len);
    uvdev_exchange_parse(in, req, req_len, &ex);
    if (user_file) {
        user = uvdev_read_file(user_file, UVDEV_USER_MAX, &user_len);
    }
    meas_len = ex.meas_len ? ex.meas_len : MEAS_LEN;
    add_len = ex.add_len;
    meas = calloc(1, meas_len);
    if (add_len) {
        add = calloc(1, add_len);
    }
    if (!meas || (add_len && !add)) {
        uvdev_die("out of memory");
    }
    res = uvdev_attest(ex.arcb, ex.arcb_len, user, user_len, meas, meas_len,
                       add, add_len, cuid);
    if (res.rc != 1) {
        why = uvdev_rc_text(0x1020, res.rc, res.rrc);
        uvdev_die("the Ultravisor refused the attestation request: "
                  "rc 0x%04x rrc 0x%04x%s%s", res.rc, res.rrc,
                  why ? ": " : "", why ? why : "");
    }
    memset(&resp, 0, sizeof(resp));
    resp.arcb = ex.arcb;
    resp.arcb_len = ex.arcb_len;
    resp.meas = meas;
    resp.meas_len = meas_len;
    resp.add = add;
    resp.add_len = add_len;
    resp.user = user;
    resp.user_len = user ? user_len : 0;
    resp.cuid = cuid;
    buf = uvdev_exchange_build(&resp, &resp_len);
    uvdev_write_file(out, buf, resp_len);
    free(buf);
    free(meas);
    free(add);
    free(user);
    free(req);
    return 0;
}
