/*
 * s390-pvsecret: secrets of IBM Secure Execution guests (s390-tools'
 * pvsecret options and request format)
 *
 *   s390-pvsecret create -k HKD [-k ...] {-C CERT ... | --no-verify}
 *                 --hdr IMAGE -o REQUEST [--extension-secret FILE |
 *                 --cck FILE] [--cuid-hex HEX | --cuid FILE]
 *                 [--flags disable-dump] [--user-data FILE] [--use-name]
 *                 meta | association NAME [--stdout] [--input-secret FILE |
 *                 --output-secret FILE] | retrievable NAME --secret FILE
 *                 --type plain|aes|aes-xts|hmac-sha|ec [--stdout]
 *   s390-pvsecret add | list | lock | retrieve ...   (in the guest)
 *
 * create runs on a trusted machine and binds the request to the image's
 * SE header (and, with a CUID, to one boot of it); the other commands
 * run in the protected guest, through /dev/uv.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <getopt.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include "qapi/error.h"
#include "qemu/bswap.h"
#include "qemu/cutils.h"
#include "qemu-version.h"
#include "crypto/init.h"
#include "hw/s390x/pv-req.h"
#include "../s390-pv-common/pv-tool.h"
#include "../s390-pv-common/uvdev.h"

static void usage(void)
{
    printf("Usage: s390-pvsecret create -k HOST_KEY_DOCUMENT [-k ...]\n"
           "                    {-C CERT [-C ...] [--crl CRL ...] "
           "[--root-ca CA] [--offline] | --no-verify}\n"
           "                    --hdr IMAGE -o REQUEST\n"
           "                    [--extension-secret FILE | --cck FILE]\n"
           "                    [--cuid-hex HEX | --cuid FILE] "
           "[--flags disable-dump]\n"
           "                    [--user-data FILE] [--use-name] SECRET\n"
           "         SECRET: meta\n"
           "               | association NAME [--stdout]\n"
           "                     [--input-secret FILE | --output-secret FILE]\n"
           "               | retrievable NAME --secret FILE\n"
           "                     --type plain|aes|aes-xts|hmac-sha|ec [--stdout]\n"
           "       s390-pvsecret add [-i] REQUEST          (in the guest)\n"
           "       s390-pvsecret list [--format human|yaml|bin] [[-o] FILE]\n"
           "       s390-pvsecret lock\n"
           "       s390-pvsecret retrieve [-i] ID [[-o] FILE]\n"
           "                    [--inform yaml|hex|name|idx] "
           "[--outform pem|bin]\n\n"
           "Secrets for IBM Secure Execution guests.  The name's SHA-256 is\n"
           "the secret's ID (the name itself with --use-name); create writes\n"
           "NAME.yaml with both unless --stdout.\n");
}

/* The configuration unique ID: a 16-byte file, or a YAML "cuid:" line */
static void read_cuid(const char *file, uint8_t *cuid)
{
    g_autofree uint8_t *data = NULL;
    g_auto(GStrv) lines = NULL;
    gsize len;
    int i;

    data = read_file(file, &len);
    if (len == 16) {
        memcpy(cuid, data, 16);
        return;
    }
    lines = g_strsplit((const char *)data, "\n", -1);
    for (i = 0; lines[i]; i++) {
        char *v = g_strstrip(lines[i]);

        if (g_str_has_prefix(v, "cuid:")) {
            g_autofree char *val = g_strdup(v + 5);

            g_strdelimit(val, "'\"", ' ');
            g_strstrip(val);
            if (uvdev_unhex(val, cuid, 16)) {
                return;
            }
        }
    }
    die("%s: neither 16 bytes nor a YAML file with a 'cuid:' entry", file);
}

/*
 * An EC private key (PEM or DER; NIST P-256/384/521, Ed25519, Ed448): its
 * secret scalar, right-aligned in the type's size
 */
static uint8_t *ec_value(const char *file, const uint8_t *data, gsize len,
                         uint16_t *type, uint32_t *vlen)
{
    static const struct {
        gnutls_ecc_curve_t curve;
        uint16_t type;
    } curves[] = {
        { GNUTLS_ECC_CURVE_SECP256R1, S390_PV_SECRET_EC_P256 },
        { GNUTLS_ECC_CURVE_SECP384R1, S390_PV_SECRET_EC_P384 },
        { GNUTLS_ECC_CURVE_SECP521R1, S390_PV_SECRET_EC_P521 },
        { GNUTLS_ECC_CURVE_ED25519, S390_PV_SECRET_ED25519 },
        { GNUTLS_ECC_CURVE_ED448, S390_PV_SECRET_ED448 },
    };
    gnutls_datum_t d = { (unsigned char *)data, len }, x = { 0 }, y = { 0 };
    gnutls_datum_t k = { 0 };
    gnutls_x509_privkey_t key;
    gnutls_ecc_curve_t curve;
    const uint8_t *p;
    uint8_t *v;
    size_t n;
    int i;

    gnutls_x509_privkey_init(&key);
    if (gnutls_x509_privkey_import(key, &d, GNUTLS_X509_FMT_PEM) < 0 &&
        gnutls_x509_privkey_import(key, &d, GNUTLS_X509_FMT_DER) < 0) {
        die("%s: not an EC private key (PEM or DER)", file);
    }
    if (gnutls_x509_privkey_export_ecc_raw(key, &curve, &x, &y, &k) < 0) {
        die("%s: not an EC private key", file);
    }
    gnutls_x509_privkey_deinit(key);
    for (i = 0; i < ARRAY_SIZE(curves) && curves[i].curve != curve; i++) {
        continue;
    }
    if (i == ARRAY_SIZE(curves)) {
        die("%s: curve %s is not supported (P-256, P-384, P-521, Ed25519, "
            "Ed448)", file, gnutls_ecc_curve_get_name(curve) ?: "unknown");
    }
    *type = curves[i].type;
    *vlen = s390_pv_secret_value_len(*type);
    /* gnutls may prefix a zero byte to keep the integer positive */
    p = k.data;
    n = k.size;
    while (n > *vlen && !*p) {
        p++;
        n--;
    }
    if (n > *vlen) {
        die("%s: the private key does not fit %u bytes", file, *vlen);
    }
    v = g_malloc0(*vlen);
    memcpy(v + *vlen - n, p, n);
    s390_pv_se_wipe(k.data, k.size);
    gnutls_free(k.data);
    gnutls_free(x.data);
    gnutls_free(y.data);
    return v;
}

/* The retrievable secret in @file as the Ultravisor takes it */
static uint8_t *retrievable_value(const char *file, const char *kind,
                                  uint16_t *type, uint32_t *vlen)
{
    g_autofree uint8_t *data = NULL;
    uint8_t *v;
    gsize len;

    data = read_file(file, &len);
    if (!strcmp(kind, "plain")) {
        if (len > S390_PV_SECRET_PLAIN_MAX) {
            die("%s: a plaintext secret holds at most %d bytes", file,
                S390_PV_SECRET_PLAIN_MAX);
        }
        *type = S390_PV_SECRET_PLAIN;
        *vlen = ROUND_UP(len + 2, 16);
        v = g_malloc0(*vlen);
        stw_be_p(v, len);
        memcpy(v + 2, data, len);
        s390_pv_se_wipe(data, len);
        return v;
    }
    if (!strcmp(kind, "ec")) {
        v = ec_value(file, data, len, type, vlen);
        s390_pv_se_wipe(data, len);
        return v;
    }
    if (!strcmp(kind, "aes") && (len == 16 || len == 24 || len == 32)) {
        *type = len == 16 ? S390_PV_SECRET_AES_128 :
                len == 24 ? S390_PV_SECRET_AES_192 : S390_PV_SECRET_AES_256;
    } else if (!strcmp(kind, "aes-xts") && (len == 32 || len == 64)) {
        *type = len == 32 ? S390_PV_SECRET_AES_XTS_128 :
                            S390_PV_SECRET_AES_XTS_256;
    } else if (!strcmp(kind, "hmac-sha") && (len == 64 || len == 128)) {
        *type = len == 64 ? S390_PV_SECRET_HMAC_256 :
                            S390_PV_SECRET_HMAC_512;
    } else if (!strcmp(kind, "aes") || !strcmp(kind, "aes-xts") ||
               !strcmp(kind, "hmac-sha")) {
        die("%s: %zu bytes is no %s key (aes: 16, 24 or 32; aes-xts: 32 or "
            "64; hmac-sha: 64 or 128)", file, (size_t)len, kind);
    } else {
        die("--type: '%s' is not supported (plain, aes, aes-xts, hmac-sha, "
            "ec)", kind);
    }
    *vlen = len;
    v = g_memdup2(data, len);
    s390_pv_se_wipe(data, len);
    return v;
}

/*
 * The secret's name and ID, to NAME.yaml (white space as _), or with
 * --stdout to standard output.  An association as pvsecret writes it: a
 * YAML document tagged !Association, the ID in 0x-prefixed hex; a
 * retrievable secret as name and ID (--stdout: the ID alone).
 */
static void save_id(const char *name, const uint8_t *id, bool assoc,
                    bool to_stdout)
{
    char hex[2 * S390_PV_SECRET_ID_LEN + 3];
    g_autofree char *file = NULL, *text = NULL;

    uvdev_hex(id, S390_PV_SECRET_ID_LEN, hex);
    text = assoc ?
           g_strdup_printf("!Association\nname: %s\nid: %s\n", name, hex) :
           g_strdup_printf("---\nname: %s\nid: '%s'\n", name, hex);
    if (to_stdout) {
        if (assoc) {
            fputs(text, stdout);
        } else {
            printf("%s\n", hex);
        }
        return;
    }
    file = g_strdup_printf("%s.yaml", name);
    g_strdelimit(file, " \t\n", '_');
    write_output(file, text, strlen(text), false);
    note("secret ID in %s", file);
}

static int cmd_create(int argc, char **argv)
{
    static const struct option own_opts[] = {
        { "hdr", required_argument, NULL, 'H' },
        { "output", required_argument, NULL, 'o' },
        { "force", no_argument, NULL, 'f' },
        { "extension-secret", required_argument, NULL, 'E' },
        { "cck", required_argument, NULL, 'K' },
        { "cuid-hex", required_argument, NULL, 'U' },
        { "cuid", required_argument, NULL, 'u' },
        { "flags", required_argument, NULL, 'L' },
        { "pcf", required_argument, NULL, 'P' },
        { "user-data", required_argument, NULL, 'D' },
        { "use-name", no_argument, NULL, 'n' },
        { "verbose", no_argument, NULL, 'v' },
        { }
    };
    static const struct option secret_opts[] = {
        { "stdout", no_argument, NULL, 's' },
        { "input-secret", required_argument, NULL, 'i' },
        { "output-secret", required_argument, NULL, 'O' },
        { "secret", required_argument, NULL, 'S' },
        { "type", required_argument, NULL, 't' },
        { }
    };
    const char *hdr_file = NULL, *output = NULL;
    const char *ext_file = NULL, *cck_file = NULL, *cuid_hex = NULL;
    const char *cuid_file = NULL, *user_file = NULL, *kind_arg = NULL;
    const char *in_secret = NULL, *out_secret = NULL, *secret_file = NULL;
    const char *name = NULL;
    S390PVKey hosts[MAX_HOST_KEYS], cust;
    g_autofree uint8_t *img = NULL, *req = NULL, *value = NULL;
    S390PVAsrcbSpec sp = { 0 };
    const uint8_t *hdr;
    uint32_t hdr_len, len;
    g_autofree struct option *longopts = host_keys_longopts(own_opts);
    HostKeys hk = { 0 };
    bool use_name = false, to_stdout = false;
    Error *err = NULL;
    int c;
    gsize img_len;

    optind = 0;     /* glibc: start over, with this optstring's ordering */
    while ((c = getopt_long(argc, argv, "+k:C:o:fvV", longopts,
                            NULL)) != -1) {
        switch (c) {
        case 'H':
            hdr_file = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'f':
            break;
        case 'E':
            ext_file = optarg;
            break;
        case 'K':
            cck_file = optarg;
            break;
        case 'U':
            cuid_hex = optarg;
            break;
        case 'u':
            cuid_file = optarg;
            break;
        case 'L':
            if (strcmp(optarg, "disable-dump")) {
                die("--flags: unknown flag '%s' (disable-dump)", optarg);
            }
            sp.pcf |= S390_PV_ASRCB_PCF_NO_DUMP;
            break;
        case 'P':
            if (qemu_strtou64(optarg, NULL, 16, &sp.pcf) < 0) {
                die("--pcf: '%s' is not a hexadecimal number", optarg);
            }
            break;
        case 'D':
            user_file = optarg;
            break;
        case 'n':
            use_name = true;
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
    if (optind == argc) {
        die("create: which secret? (meta, association, retrievable)");
    }
    kind_arg = argv[optind];
    if (!strcmp(kind_arg, "meta")) {
        sp.type = S390_PV_SECRET_NULL;
        if (optind + 1 != argc) {
            die("create meta: unexpected argument '%s'", argv[optind + 1]);
        }
    } else if (!strcmp(kind_arg, "association") ||
               !strcmp(kind_arg, "retrievable") ||
               !strcmp(kind_arg, "retr")) {
        const char *type_kind = NULL;
        int sargc = argc - optind;
        char **sargv = argv + optind;

        optind = 0;     /* glibc: start over, with this optstring's ordering */
        while ((c = getopt_long(sargc, sargv, "", secret_opts,
                                NULL)) != -1) {
            switch (c) {
            case 's':
                to_stdout = true;
                break;
            case 'i':
                in_secret = optarg;
                break;
            case 'O':
                out_secret = optarg;
                break;
            case 'S':
                secret_file = optarg;
                break;
            case 't':
                type_kind = optarg;
                break;
            default:
                die("create %s: bad option (see --help)", kind_arg);
            }
        }
        if (optind + 1 != sargc) {
            die("create %s: one NAME is needed", kind_arg);
        }
        name = sargv[optind];
        if (!strcmp(kind_arg, "association")) {
            if (in_secret && out_secret) {
                die("--input-secret and --output-secret exclude each other");
            }
            if (secret_file || type_kind) {
                die("--secret and --type are for retrievable secrets");
            }
            sp.type = S390_PV_SECRET_ASSOC;
            sp.value_len = 32;
            value = g_malloc(32);
            if (in_secret) {
                read_key(in_secret, value, 32, "association secret");
            } else {
                random_bytes(value, 32);
            }
        } else {
            if (!secret_file || !type_kind) {
                die("create retrievable: --secret and --type are needed");
            }
            if (in_secret || out_secret) {
                die("--input-secret and --output-secret are for "
                    "association secrets");
            }
            value = retrievable_value(secret_file, type_kind, &sp.type,
                                      &sp.value_len);
        }
        if (use_name) {
            if (strlen(name) > S390_PV_SECRET_ID_LEN) {
                die("--use-name: '%s' is longer than %d bytes", name,
                    S390_PV_SECRET_ID_LEN);
            }
            memcpy(sp.id, name, strlen(name));
        } else {
            uvdev_sha256(name, strlen(name), sp.id);
        }
    } else if (!strcmp(kind_arg, "update-cck") || !strcmp(kind_arg, "cck")) {
        die("create update-cck: not supported (the software Ultravisor has "
            "no customer-communication-key update)");
    } else {
        die("create: unknown secret '%s' (meta, association, retrievable)",
            kind_arg);
    }

    if (!hk.nr) {
        die("create: at least one host-key document (-k) is needed");
    }
    if (!hdr_file || !output) {
        die("create: both --hdr and --output are needed");
    }
    if (ext_file && cck_file) {
        die("--extension-secret and --cck exclude each other");
    }
    if (cuid_hex && cuid_file) {
        die("--cuid-hex and --cuid exclude each other");
    }
    if (name && !to_stdout && !strcmp(output, name)) {
        die("the output file and the secret's name are the same");
    }
    host_keys_load(&hk, hosts);
    img = read_file(hdr_file, &img_len);
    hdr = find_se_header(hdr_file, img, img_len, &hdr_len);
    se_header_tags(hdr, hdr_len, sp.tags);
    if (cuid_hex && !uvdev_unhex(cuid_hex, sp.cuid, 16)) {
        die("--cuid-hex: '%s' is not 16 bytes in hex", cuid_hex);
    }
    if (cuid_file) {
        read_cuid(cuid_file, sp.cuid);
    }
    if (ext_file) {
        read_key(ext_file, sp.ext, sizeof(sp.ext), "extension secret");
    } else if (cck_file) {
        uint8_t cck[32];

        read_key(cck_file, cck, sizeof(cck), "customer communication key");
        s390_pv_ext_secret_derive(cck, sp.tags + 3 * 64, sp.ext);
        s390_pv_se_wipe(cck, sizeof(cck));
    }
    if (user_file) {
        g_autofree uint8_t *u = NULL;
        gsize ulen;

        u = read_file(user_file, &ulen);
        if (ulen > S390_PV_ASRCB_USER_LEN) {
            die("%s: user data holds at most %d bytes", user_file,
                S390_PV_ASRCB_USER_LEN);
        }
        memcpy(sp.user, u, ulen);
        sp.user_type = 1;       /* unsigned */
    }

    random_cust_key(&cust);
    random_bytes(sp.key, sizeof(sp.key));
    random_bytes(sp.iv, sizeof(sp.iv));
    sp.hosts = hosts;
    sp.nr_hosts = hk.nr;
    sp.cust = &cust;
    sp.value = value;
    req = s390_pv_asrcb_build(&sp, &len, &err);
    s390_pv_se_wipe(&cust, sizeof(cust));
    s390_pv_se_wipe(sp.key, sizeof(sp.key));
    s390_pv_se_wipe(sp.ext, sizeof(sp.ext));
    if (!req) {
        die_err(err);
    }
    write_output(output, req, len, false);
    if (out_secret) {
        write_output(out_secret, value, 32, true);
    }
    if (value) {
        s390_pv_se_wipe(value, sp.value_len);
    }
    if (name) {
        save_id(name, sp.id, sp.type == S390_PV_SECRET_ASSOC,
                to_stdout);
    }
    note("add-secret request: %u bytes, type %s", len,
         uvdev_secret_type_name(sp.type));
    return 0;
}

int main(int argc, char **argv)
{
    Error *err = NULL;
    int status;

    uvdev_tool = "s390-pvsecret";
    if (!tool_start(&argc, &argv, uvdev_tool, "pvsecret", usage, &status)) {
        return status;
    }
    if (!strcmp(argv[1], "create")) {
        if (qcrypto_init(&err) < 0) {
            die_err(err);
        }
        return cmd_create(argc - 1, argv + 1);
    }
    return pvsecret_guest(argc - 1, argv + 1);
}
