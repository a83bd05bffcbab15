/*
 * s390-pvattest: create, perform and verify attestation measurements of
 * IBM Secure Execution guests (s390-tools' pvattest options and formats)
 *
 *   s390-pvattest create -k HKD [-k ...] {-C CERT ... | --no-verify}
 *                 -o REQUEST --arpk KEY [--add-data phkh-img|phkh-att|
 *                 secret-store-hash ...]
 *   s390-pvattest perform [-i] REQUEST [-o] RESPONSE [-u USER_DATA]
 *   s390-pvattest verify -i RESPONSE --hdr IMAGE --arpk KEY [-o OUT]
 *                 [-u USER_DATA_OUT] [--format yaml]
 *   s390-pvattest check [-i] RESPONSE [[-o] OUT] [-k HKD ...]
 *                 [--host-key-check att-key-hash|boot-key-hash]
 *                 [-u USER_DATA] [--secret REQUEST ... --secret-store-locked
 *                 true|false]
 *
 * create and verify run on a trusted machine; perform runs in the
 * protected guest (it talks to /dev/uv).  The request is an ARCB in the
 * pvattest exchange format; the attestation request protection key
 * (ARPK) opens it again for verify.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <getopt.h>
#include <nettle/memops.h>
#include "qapi/error.h"
#include "qemu/bswap.h"
#include "qemu-version.h"
#include "crypto/init.h"
#include "hw/s390x/pv-req.h"
#include "../s390-pv-common/pv-tool.h"
#include "../s390-pv-common/uvdev.h"

/* pvattest's exit status for a measurement that does not verify */
#define EXIT_NOT_VERIFIED   2

static void usage(void)
{
    printf("Usage: s390-pvattest create -k HOST_KEY_DOCUMENT [-k ...]\n"
           "                    {-C CERT [-C ...] [--crl CRL ...] "
           "[--root-ca CA] [--offline] | --no-verify}\n"
           "                    -o REQUEST --arpk FILE [--add-data FLAG ...]\n"
           "       s390-pvattest perform [-i] REQUEST [-o] RESPONSE "
           "[-u USER_DATA]\n"
           "       s390-pvattest verify -i RESPONSE --hdr IMAGE --arpk FILE\n"
           "                    [-o OUTPUT] [-u USER_DATA] [--format yaml]\n"
           "       s390-pvattest check [-i] RESPONSE [[-o] OUTPUT] "
           "[-k HOST_KEY_DOCUMENT ...]\n"
           "                    [--host-key-check att-key-hash|boot-key-hash]\n"
           "                    [-u USER_DATA] [--secret REQUEST ... "
           "--secret-store-locked BOOL]\n\n"
           "Attestation of IBM Secure Execution guests.\n"
           "  create   make an attestation request for the host keys; its\n"
           "           protection key goes to --arpk (keep it secret)\n"
           "           --add-data: phkh-img, phkh-att, secret-store-hash\n"
           "  perform  in the protected guest: send the request to the\n"
           "           Ultravisor through /dev/uv\n"
           "  verify   check the measurement against the SE image's header\n"
           "           and the protection key; exit status 2 if it does\n"
           "           not verify, 1 if the key does not open the request\n"
           "  check    after verify: the host keys that opened the image\n"
           "           and the request, the user data, the secret store\n"
           "           (add-secret requests in order, and the lock);\n"
           "           exit status 2 if one does not match\n"
           "Each takes --help.\n");
}

/* SUBCOMMAND --help (or -h): that subcommand's usage, exit status 0 */
static bool sub_help(int argc, char **argv)
{
    static const struct {
        const char *cmd, *text;
    } help[] = {
        { "create",
          "Usage: s390-pvattest create -k HOST_KEY_DOCUMENT [-k ...]\n"
          "         {-C CERT [-C ...] [--crl CRL ...] [--root-ca CA] "
          "[--offline] | --no-verify}\n"
          "         -o REQUEST --arpk FILE [--add-data FLAG ...]\n\n"
          "Make an attestation request for the host keys; its protection "
          "key goes to\n--arpk (keep it secret).  --add-data: phkh-img, "
          "phkh-att, secret-store-hash.\n" },
        { "perform",
          "Usage: s390-pvattest perform [-i] REQUEST [-o] RESPONSE "
          "[-u USER_DATA]\n\n"
          "In the protected guest: send the request to the Ultravisor "
          "through /dev/uv.\n" },
        { "verify",
          "Usage: s390-pvattest verify -i RESPONSE --hdr IMAGE --arpk FILE"
          "\n         [-o OUTPUT] [-u USER_DATA] [--format yaml]\n\n"
          "Check the measurement against the SE image's header.  Exit "
          "status 0 if it\nverifies, 2 if it does not, 1 for an error "
          "(a protection key that does\nnot open the request among "
          "them).\n" },
        { "check",
          "Usage: s390-pvattest check [-i] RESPONSE [[-o] OUTPUT] "
          "[-k HOST_KEY_DOCUMENT ...]\n"
          "         [--host-key-check att-key-hash|boot-key-hash]\n"
          "         [-u USER_DATA] [--secret REQUEST ... "
          "--secret-store-locked BOOL]\n\n"
          "After verify: the host keys that opened the image and the "
          "request, the user\ndata, the secret store (add-secret requests "
          "in order, and the lock).  Exit\nstatus 2 if one does not "
          "match.\n" },
    };
    int i, j;

    for (i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            break;
        }
        if (strcmp(argv[i], "--help") && strcmp(argv[i], "-h")) {
            continue;
        }
        for (j = 0; j < ARRAY_SIZE(help); j++) {
            if (!strcmp(argv[1], help[j].cmd)) {
                fputs(help[j].text, stdout);
                return true;
            }
        }
    }
    return false;
}

static uint64_t add_data_flag(const char *s)
{
    g_auto(GStrv) parts = g_strsplit(s, ",", -1);
    uint64_t paf = 0;
    int i;

    for (i = 0; parts[i]; i++) {
        if (!strcmp(parts[i], "phkh-img")) {
            paf |= S390_PV_PAF_PHKH_IMG;
        } else if (!strcmp(parts[i], "phkh-att")) {
            paf |= S390_PV_PAF_PHKH_ATT;
        } else if (!strcmp(parts[i], "secret-store-hash")) {
            paf |= S390_PV_PAF_SECRET_HASH;
        } else {
            die("--add-data: unknown '%s' (phkh-img, phkh-att, "
                "secret-store-hash)", parts[i]);
        }
    }
    return paf;
}

static int cmd_create(int argc, char **argv)
{
    static const struct option own_opts[] = {
        { "output", required_argument, NULL, 'o' },
        { "arpk", required_argument, NULL, 'A' },
        { "add-data", required_argument, NULL, 'D' },
        { "verbose", no_argument, NULL, 'v' },
        { }
    };
    const char *output = NULL, *arpk = NULL;
    S390PVKey hosts[MAX_HOST_KEYS], cust;
    uint8_t key[32], iv[S390_PV_SE_IV_LEN], meas_key[S390_PV_ATT_KEY_LEN];
    uint8_t nonce[S390_PV_ATT_NONCE_LEN];
    g_autofree uint8_t *arcb = NULL, *ex_buf = NULL;
    UvdevExchange ex = { 0 };
    g_autofree struct option *longopts = host_keys_longopts(own_opts);
    HostKeys hk = { 0 };
    uint64_t paf = 0;
    Error *err = NULL;
    int c;
    uint32_t len;
    size_t ex_len;

    optind = 0;     /* glibc: start over, with this optstring's ordering */
    while ((c = getopt_long(argc, argv, "k:C:o:vV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case 'A':
            arpk = optarg;
            break;
        case 'D':
            paf |= add_data_flag(optarg);
            break;
        case 'v':
        case 'V':
            verbose = true;
            break;
        default:
            if (!host_keys_option(&hk, c, optarg)) {
                die("create: bad option (see --help)");
            }
        }
    }
    if (optind != argc) {
        die("create: unexpected argument '%s'", argv[optind]);
    }
    if (!hk.nr) {
        die("create: at least one host-key document (-k) is needed");
    }
    if (!output || !arpk) {
        die("create: both --output and --arpk are needed");
    }
    host_keys_load(&hk, hosts);

    random_bytes(key, sizeof(key));
    random_bytes(iv, sizeof(iv));
    random_bytes(meas_key, sizeof(meas_key));
    random_bytes(nonce, sizeof(nonce));
    random_cust_key(&cust);
    /* like pvattest: always with a nonce */
    arcb = s390_pv_arcb_build(hosts, hk.nr, &cust, key, iv, paf, meas_key,
                              nonce, &len, &err);
    s390_pv_se_wipe(meas_key, sizeof(meas_key));
    s390_pv_se_wipe(&cust, sizeof(cust));
    if (!arcb) {
        die_err(err);
    }
    ex.arcb = arcb;
    ex.arcb_len = len;
    ex.meas_len = S390_PV_ATT_MEAS_LEN;
    ex.add_len = s390_pv_att_add_len(paf);
    ex_buf = uvdev_exchange_build(&ex, &ex_len);
    write_output(arpk, key, sizeof(key), true);
    s390_pv_se_wipe(key, sizeof(key));
    write_output(output, ex_buf, ex_len, false);
    note("attestation request: %u bytes, %d key slots, flags 0x%" PRIx64,
         len, hk.nr, (uint64_t)(paf | S390_PV_PAF_NONCE));
    return 0;
}

static void yaml_hex(FILE *f, const char *indent, const char *name,
                     const uint8_t *p, size_t len)
{
    size_t i;

    fprintf(f, "%s%s: '0x", indent, name);
    for (i = 0; i < len; i++) {
        fprintf(f, "%02x", p[i]);
    }
    fprintf(f, "'\n");
}

/*
 * The answer of 'perform' in @buf (@len bytes, read from @file): parsed,
 * its request laid out (@enc_off, @sea, @paf), with a measurement, a CUID
 * and the additional data the request asks for.  The entries point into
 * @buf.  Everything in it comes from the guest's host: every length is
 * checked against the file.
 */
static bool answer_parse(const char *file, uint8_t *buf, size_t len,
                         UvdevExchange *ex, uint32_t *enc_off, uint32_t *sea,
                         uint64_t *paf, Error **errp)
{
    const char *why = uvdev_exchange_check(buf, len, ex);

    if (why) {
        error_setg(errp, "%s: %s", file, why);
        return false;
    }
    if (!ex->meas || !ex->cuid) {
        error_setg(errp, "%s: no measurement: a request, not the answer of "
                   "'perform'", file);
        return false;
    }
    if (!s390_pv_arcb_layout(ex->arcb, ex->arcb_len, enc_off, sea, paf)) {
        error_setg(errp, "%s: not a version 1 attestation request", file);
        return false;
    }
    if (ex->meas_len != S390_PV_ATT_MEAS_LEN ||
        ex->add_len != s390_pv_att_add_len(*paf) ||
        (ex->add_len && !ex->add)) {
        error_setg(errp, "%s: the answer does not fit the request "
                   "(measurement %u, additional data %u bytes)", file,
                   ex->meas_len, ex->add_len);
        return false;
    }
    return true;
}

/* The answer of 'perform' in @file, or die (see answer_parse()) */
static uint8_t *read_answer(const char *file, UvdevExchange *ex,
                            uint32_t *enc_off, uint32_t *sea, uint64_t *paf)
{
    Error *err = NULL;
    uint8_t *buf;
    gsize len;

    buf = read_file(file, &len);
    if (!answer_parse(file, buf, len, ex, enc_off, sea, paf, &err)) {
        die_err(err);
    }
    return buf;
}

typedef enum AnswerVerdict {
    ANSWER_VERIFIED,
    ANSWER_KEY_DOES_NOT_OPEN,       /* wrong protection key: exit 1 */
    ANSWER_NOT_VERIFIED,            /* the measurement differs: exit 2 */
} AnswerVerdict;

/*
 * Verify the parsed answer @ex (request laid out at @off, @sea, @paf)
 * with the request's protection key @key against the SE header's tags.
 */
static AnswerVerdict answer_verify(const UvdevExchange *ex, uint32_t off,
                                   uint32_t sea, uint64_t paf,
                                   const uint8_t key[32],
                                   const uint8_t tags[S390_PV_TAGS_LEN])
{
    uint8_t plain[S390_PV_ATT_KEY_LEN + S390_PV_ATT_NONCE_LEN];
    uint8_t meas[S390_PV_ATT_MEAS_LEN];
    S390PVAttInputs in;
    bool same;

    if (sea > sizeof(plain) ||
        !s390_pv_req_decrypt(ex->arcb, off, sea, key, plain)) {
        return ANSWER_KEY_DOES_NOT_OPEN;
    }
    in.tags = tags;
    in.cuid = ex->cuid;
    in.user = ex->user;
    in.user_len = ex->user_len;
    in.nonce = paf & S390_PV_PAF_NONCE ? plain + S390_PV_ATT_KEY_LEN : NULL;
    in.add = ex->add;
    in.add_len = ex->add_len;
    s390_pv_att_measure(plain, &in, meas);
    s390_pv_se_wipe(plain, sizeof(plain));
    same = memeql_sec(meas, ex->meas, sizeof(meas));
    s390_pv_se_wipe(meas, sizeof(meas));
    return same ? ANSWER_VERIFIED : ANSWER_NOT_VERIFIED;
}

static int cmd_verify(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "input", required_argument, NULL, 'i' },
        { "output", required_argument, NULL, 'o' },
        { "hdr", required_argument, NULL, 'H' },
        { "arpk", required_argument, NULL, 'A' },
        { "format", required_argument, NULL, 'f' },
        { "user-data", required_argument, NULL, 'u' },
        { "verbose", no_argument, NULL, 'v' },
        { }
    };
    const char *input = NULL, *output = NULL, *hdr_file = NULL;
    const char *arpk = NULL, *user_out = NULL;
    g_autofree uint8_t *resp = NULL, *img = NULL;
    uint8_t key[32], tags[S390_PV_TAGS_LEN];
    const uint8_t *hdr;
    uint32_t hdr_len, sea, off;
    UvdevExchange ex;
    uint64_t paf;
    gsize img_len;
    FILE *f;
    int c;

    optind = 0;     /* glibc: start over, with this optstring's ordering */
    while ((c = getopt_long(argc, argv, "i:o:u:vV", longopts, NULL)) != -1) {
        switch (c) {
        case 'i':
            input = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'H':
            hdr_file = optarg;
            break;
        case 'A':
            arpk = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "yaml")) {
                die("verify: --format: only yaml");
            }
            break;
        case 'u':
            user_out = optarg;
            break;
        case 'v':
        case 'V':
            verbose = true;
            break;
        default:
            die("verify: bad option (see --help)");
        }
    }
    if (optind != argc) {
        die("verify: unexpected argument '%s'", argv[optind]);
    }
    if (!input || !hdr_file || !arpk) {
        die("verify needs --input, --hdr and --arpk");
    }
    resp = read_answer(input, &ex, &off, &sea, &paf);
    read_key(arpk, key, sizeof(key), "protection key");
    img = read_file(hdr_file, &img_len);
    hdr = find_se_header(hdr_file, img, img_len, &hdr_len);
    se_header_tags(hdr, hdr_len, tags);

    switch (answer_verify(&ex, off, sea, paf, key, tags)) {
    case ANSWER_KEY_DOES_NOT_OPEN:
        s390_pv_se_wipe(key, sizeof(key));
        die("the protection key %s does not open the request in %s", arpk,
            input);
    case ANSWER_NOT_VERIFIED:
        s390_pv_se_wipe(key, sizeof(key));
        fprintf(stderr, "s390-pvattest: Attestation measurement verification "
                "failed: the guest did not run the image %s (or the answer "
                "was changed)\n", hdr_file);
        return EXIT_NOT_VERIFIED;
    case ANSWER_VERIFIED:
        break;
    }
    s390_pv_se_wipe(key, sizeof(key));

    f = output ? fopen(output, "w") : stdout;
    if (!f) {
        die("cannot create %s: %s", output, strerror(errno));
    }
    fprintf(f, "---\n");
    yaml_hex(f, "", "cuid", ex.cuid, 16);
    if (ex.add_len) {
        S390PVAttAdd items;

        s390_pv_att_add_split(paf, ex.add, &items);
        yaml_hex(f, "", "add", ex.add, ex.add_len);
        fprintf(f, "add_fields:\n");
        if (items.image_phkh) {
            yaml_hex(f, "  ", "image_phkh", items.image_phkh, 32);
        }
        if (items.att_phkh) {
            yaml_hex(f, "  ", "attestation_phkh", items.att_phkh, 32);
        }
        if (items.secret_hash) {
            yaml_hex(f, "  ", "secret_store_hash", items.secret_hash, 64);
        }
    }
    if (ex.user_len) {
        yaml_hex(f, "", "user_data", ex.user, ex.user_len);
    }
    if (output && fclose(f)) {
        die("cannot write %s", output);
    }
    if (user_out) {
        if (!ex.user_len) {
            fprintf(stderr, "s390-pvattest: warning: the answer holds no "
                    "user data\n");
        }
        write_output(user_out, ex.user ? ex.user : (const uint8_t *)"",
                     ex.user_len, false);
    }
    fprintf(stderr, "Attestation measurement verified\n");
    return 0;
}

/*
 * check: does an answer (verified before) hold what the user expects?
 * The host keys that opened the image and the request, the user data,
 * the secret store (the tags of the add-secret requests, in the order
 * they were added, and the lock).  Exit status 2 if not.
 */
/* What 'check' compares a verified answer with */
typedef struct CheckInputs {
    const S390PVKey *keys;          /* host-key documents (-k) */
    const char *const *key_names;
    int nr_keys;
    bool need_img, need_att;        /* --host-key-check */
    const uint8_t *user;            /* --user-data, or NULL */
    size_t user_len;
    const uint8_t *const *reqs;     /* add-secret requests (--secret) */
    const char *const *req_names;
    const size_t *req_lens;
    int nr_reqs;
    int locked;                     /* --secret-store-locked, or -1 */
} CheckInputs;

/*
 * Compare the parsed answer @ex (flags @paf) with @ci, appending the
 * YAML lines to @out: whether everything matches; false with @errp set
 * when an input is not what it should be.
 */
static bool answer_check(const UvdevExchange *ex, uint64_t paf,
                         const CheckInputs *ci, GString *out, Error **errp)
{
    S390PVAttAdd items;
    bool ok = true;
    int i;

    s390_pv_att_add_split(paf, ex->add, &items);
    if (ci->nr_keys) {
        const uint8_t *hashes[2] = { items.image_phkh, items.att_phkh };
        const char *names[2] = { "boot_key_hash", "att_key_hash" };
        const bool need[2] = { ci->need_img, ci->need_att };
        int h;

        for (h = 0; h < 2; h++) {
            bool match = false;

            if (!hashes[h]) {
                g_string_append_printf(out, "%s: %s\n", names[h],
                                       need[h] ? "missing" : "not asked for");
                ok &= !need[h];
                continue;
            }
            for (i = 0; i < ci->nr_keys && !match; i++) {
                match = !memcmp(ci->keys[i].phkh, hashes[h], 32);
                if (match) {
                    g_string_append_printf(out, "%s: '%s'\n", names[h],
                                           ci->key_names[i]);
                }
            }
            if (!match) {
                g_string_append_printf(out, "%s: no host-key document "
                                       "matches\n", names[h]);
                ok = false;
            }
        }
    }
    if (ci->user) {
        bool same = ci->user_len == ex->user_len &&
                    (!ci->user_len ||
                     !memcmp(ci->user, ex->user, ci->user_len));

        g_string_append_printf(out, "user_data: %s\n",
                               same ? "matches" : "differs");
        ok &= same;
    }
    if (ci->locked >= 0) {
        GChecksum *h = g_checksum_new(G_CHECKSUM_SHA512);
        uint8_t want[64], lock = ci->locked;
        gsize n = sizeof(want);

        for (i = 0; i < ci->nr_reqs; i++) {
            const uint8_t *req = ci->reqs[i];
            size_t len = ci->req_lens[i];

            if (len < S390_PV_ASRCB_OFF_SLOTS + S390_PV_REQ_TAG_LEN ||
                memcmp(req, S390_PV_ASRCB_MAGIC, 6)) {
                error_setg(errp, "%s: not an add-secret request",
                           ci->req_names[i]);
                g_checksum_free(h);
                return false;
            }
            g_checksum_update(h, req + len - S390_PV_REQ_TAG_LEN,
                              S390_PV_REQ_TAG_LEN);
        }
        g_checksum_update(h, &lock, 1);
        g_checksum_get_digest(h, want, &n);
        g_checksum_free(h);
        if (!items.secret_hash) {
            g_string_append(out, "secret_store: no hash in the answer\n");
            ok = false;
        } else {
            bool same = !memcmp(want, items.secret_hash, sizeof(want));

            g_string_append_printf(out, "secret_store: %s\n", same ?
                                   "matches" : "differs");
            ok &= same;
        }
    }
    return ok;
}

static int cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "input", required_argument, NULL, 'i' },
        { "output", required_argument, NULL, 'o' },
        { "format", required_argument, NULL, 'f' },
        { "host-key-document", required_argument, NULL, 'k' },
        { "host-key-check", required_argument, NULL, 'K' },
        { "user-data", required_argument, NULL, 'u' },
        { "secret", required_argument, NULL, 's' },
        { "secret-store-locked", required_argument, NULL, 'L' },
        { "verbose", no_argument, NULL, 'v' },
        { }
    };
    const char *input = NULL, *output = NULL, *user_file = NULL;
    const char *hkds[MAX_HOST_KEYS], *secrets[MAX_HOST_KEYS];
    g_autofree uint8_t *resp = NULL, *user = NULL;
    uint8_t *reqs[MAX_HOST_KEYS];
    gsize req_lens[MAX_HOST_KEYS], user_len = 0;
    S390PVKey keys[MAX_HOST_KEYS];
    CheckInputs ci;
    Error *err = NULL;
    bool need_img = false, need_att = false, ok;
    int nr_hkds = 0, nr_secrets = 0, locked = -1, c, i;
    g_autoptr(GString) out = g_string_new("---\n");
    UvdevExchange ex;
    uint32_t off, sea;
    uint64_t paf;

    optind = 0;     /* glibc: start over, with this optstring's ordering */
    while ((c = getopt_long(argc, argv, "i:o:k:u:vV", longopts,
                            NULL)) != -1) {
        switch (c) {
        case 'i':
            input = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "yaml")) {
                die("check: --format: only yaml");
            }
            break;
        case 'k':
            if (nr_hkds == MAX_HOST_KEYS) {
                die("at most %d host-key documents", MAX_HOST_KEYS);
            }
            hkds[nr_hkds++] = optarg;
            break;
        case 'K':
            if (!strcmp(optarg, "att-key-hash")) {
                need_att = true;
            } else if (!strcmp(optarg, "boot-key-hash")) {
                need_img = true;
            } else {
                die("--host-key-check: unknown '%s' (att-key-hash, "
                    "boot-key-hash)", optarg);
            }
            break;
        case 'u':
            user_file = optarg;
            break;
        case 's':
            if (nr_secrets == MAX_HOST_KEYS) {
                die("at most %d --secret files", MAX_HOST_KEYS);
            }
            secrets[nr_secrets++] = optarg;
            break;
        case 'L':
            if (!strcmp(optarg, "true")) {
                locked = 1;
            } else if (!strcmp(optarg, "false")) {
                locked = 0;
            } else {
                die("--secret-store-locked: true or false, not '%s'",
                    optarg);
            }
            break;
        case 'v':
        case 'V':
            verbose = true;
            break;
        default:
            die("check: bad option (see --help)");
        }
    }
    if (!input && optind < argc) {
        input = argv[optind++];
    }
    if (!output && optind < argc) {
        output = argv[optind++];
    }
    if (!input || optind < argc) {
        die("check needs one answer of 'perform' (see --help)");
    }
    if ((need_att || need_img) && !nr_hkds) {
        die("--host-key-check needs at least one host-key document");
    }
    if (nr_secrets && locked < 0) {
        die("--secret needs --secret-store-locked");
    }
    resp = read_answer(input, &ex, &off, &sea, &paf);
    for (i = 0; i < nr_hkds; i++) {
        read_host_key(hkds[i], &keys[i]);
    }
    if (user_file) {
        user = read_file(user_file, &user_len);
    }
    for (i = 0; i < nr_secrets; i++) {
        reqs[i] = read_file(secrets[i], &req_lens[i]);
    }
    ci.keys = keys;
    ci.key_names = hkds;
    ci.nr_keys = nr_hkds;
    ci.need_img = need_img;
    ci.need_att = need_att;
    ci.user = user_file ? (user ? user : (const uint8_t *)"") : NULL;
    ci.user_len = user_len;
    ci.reqs = (const uint8_t *const *)reqs;
    ci.req_names = secrets;
    ci.req_lens = req_lens;
    ci.nr_reqs = nr_secrets;
    ci.locked = locked;
    ok = answer_check(&ex, paf, &ci, out, &err);
    for (i = 0; i < nr_secrets; i++) {
        g_free(reqs[i]);
    }
    if (err) {
        die_err(err);
    }
    g_string_append_printf(out, "result: %s\n", ok ? "pass" : "fail");
    if (output) {
        write_output(output, out->str, out->len, false);
    } else {
        fputs(out->str, stdout);
    }
    if (!ok) {
        fprintf(stderr, "s390-pvattest: the answer does not pass the "
                "checks\n");
        return EXIT_NOT_VERIFIED;
    }
    return 0;
}

#ifndef S390_PVATTEST_NO_MAIN
int main(int argc, char **argv)
{
    Error *err = NULL;
    int status;

    uvdev_tool = "s390-pvattest";
    if (!tool_start(&argc, &argv, uvdev_tool, "pvattest", usage, &status)) {
        return status;
    }
    if (sub_help(argc, argv)) {
        return 0;
    }
    if (!strcmp(argv[1], "perform")) {
        return pvattest_perform(argc - 1, argv + 1);
    }
    if (qcrypto_init(&err) < 0) {
        die_err(err);
    }
    if (!strcmp(argv[1], "create")) {
        return cmd_create(argc - 1, argv + 1);
    }
    if (!strcmp(argv[1], "verify")) {
        return cmd_verify(argc - 1, argv + 1);
    }
    if (!strcmp(argv[1], "check")) {
        return cmd_check(argc - 1, argv + 1);
    }
    die("unknown command '%s' (create, perform, verify, check; see --help)",
        argv[1]);
}
#endif
