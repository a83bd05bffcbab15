/*
 * s390-pvsecret add / list / lock / retrieve: in a protected guest, the
 * secret store of the Ultravisor through /dev/uv (s390-tools' pvsecret
 * options).  Plain C, libc only.
 *
 *   s390-pvsecret add [-i] REQUEST
 *   s390-pvsecret list [--format human|yaml|bin] [[-o] FILE]
 *   s390-pvsecret lock
 *   s390-pvsecret retrieve [-i] ID [[-o] FILE]
 *                 [--inform yaml|hex|name|idx] [--outform pem|bin]
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../s390-pv-common/uvdev.h"

#define ENTRY_LEN   0x30
#define HDR_LEN     0x10
#define PLAIN_TYPE  3
#define ASSOC_TYPE  2
#define WKVP_LEN    32

static void check(uint16_t cmd, UvdevResult res, const char *what)
{
    const char *why;

    if (res.rc == 1) {
        return;
    }
    why = uvdev_rc_text(cmd, res.rc, res.rrc);
    uvdev_die("the Ultravisor refused to %s: rc 0x%04x rrc 0x%04x%s%s",
              what, res.rc, res.rrc, why ? ": " : "", why ? why : "");
}

static void list(uint8_t *page)
{
    check(0x1033, uvdev_list_secrets(page), "list the secrets");
    if (uvdev_get16(page) > (UVDEV_LIST_LEN - HDR_LEN) / ENTRY_LEN) {
        uvdev_die("the Ultravisor's list has %u entries: too many",
                  uvdev_get16(page));
    }
}

static int cmd_add(int argc, char **argv)
{
    const char *in = NULL;
    uint8_t *req;
    size_t len;
    int i;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-i") || !strcmp(argv[i], "--input")) {
            if (++i == argc) {
                uvdev_die("add: -i needs a file");
            }
            in = argv[i];
        } else if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force")) {
            continue;
        } else if (!in && argv[i][0] != '-') {
            in = argv[i];
        } else {
            uvdev_die("add: unexpected argument '%s'", argv[i]);
        }
    }
    if (!in) {
        uvdev_die("add needs an add-secret request");
    }
    req = uvdev_read_file(in, UVDEV_ASRCB_MAX, &len);
    check(0x1031, uvdev_add_secret(req, len), "add the secret");
    free(req);
    return 0;
}

static int cmd_lock(int argc, char **argv)
{
    if (argc > 1) {
        uvdev_die("lock takes no arguments");
    }
    check(0x1034, uvdev_lock_secrets(), "lock the secret store");
    return 0;
}

/*
 * The list as pvsecret prints it: YAML with the numeric secret type
 * (stype) and the ID as 0x-prefixed hex; or for people, a blank line
 * after the total, then "INDEX TYPE:" and the ID in hex on the next line.
 */
static void print_list(FILE *f, const uint8_t *page, bool yaml)
{
    uint16_t n = uvdev_get16(page), i;
    char id[2 * 32 + 3];

    if (yaml) {
        fprintf(f, "total_num_secrets: %u\nsecrets:%s\n",
                uvdev_get16(page + 2), n ? "" : " []");
    } else {
        fprintf(f, "Total number of secrets: %u\n%s", uvdev_get16(page + 2),
                n ? "\n" : "");
    }
    for (i = 0; i < n; i++) {
        const uint8_t *e = page + HDR_LEN + i * ENTRY_LEN;
        uint16_t stype = uvdev_get16(e + 2);

        uvdev_hex(e + 16, 32, id);
        if (yaml) {
            fprintf(f, "- index: %u\n  stype: %u\n  len: %u\n  id: %s\n",
                    uvdev_get16(e), stype, uvdev_get32(e + 4), id);
        } else {
            /* the ID without its 0x */
            fprintf(f, "%u %s:\n  %s\n", uvdev_get16(e),
                    uvdev_secret_type_name(stype), id + 2);
        }
    }
}

static int cmd_list(int argc, char **argv)
{
    const char *out = "-", *format = "human";
    uint8_t page[UVDEV_LIST_LEN];
    FILE *f;
    int i;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
            if (++i == argc) {
                uvdev_die("list: -o needs a file");
            }
            out = argv[i];
        } else if (!strncmp(argv[i], "--format=", 9)) {
            format = argv[i] + 9;
        } else if (!strcmp(argv[i], "--format")) {
            if (++i == argc) {
                uvdev_die("list: --format needs human, yaml or bin");
            }
            format = argv[i];
        } else if (argv[i][0] != '-' || !strcmp(argv[i], "-")) {
            out = argv[i];
        } else {
            uvdev_die("list: unexpected argument '%s'", argv[i]);
        }
    }
    if (strcmp(format, "human") && strcmp(format, "yaml") &&
        strcmp(format, "bin")) {
        uvdev_die("list: unknown format '%s' (human, yaml or bin)", format);
    }
    list(page);
    if (!strcmp(format, "bin")) {
        /* the header and the entries, as the Ultravisor lists them */
        uvdev_write_file(out, page, HDR_LEN + uvdev_get16(page) * ENTRY_LEN);
        return 0;
    }
    f = strcmp(out, "-") ? fopen(out, "w") : stdout;
    if (!f) {
        uvdev_die("cannot create %s", out);
    }
    print_list(f, page, !strcmp(format, "yaml"));
    if (f != stdout && fclose(f)) {
        uvdev_die("cannot write %s", out);
    }
    return 0;
}

/* The ID in a NAME.yaml of "create": its "id:" line */
static void id_from_yaml(const char *file, uint8_t *id)
{
    size_t len;
    char *text = (char *)uvdev_read_file(file, 65536, &len), *line;

    text[len] = 0;
    for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *v;

        while (*line == ' ') {
            line++;
        }
        if (strncmp(line, "id:", 3)) {
            continue;
        }
        v = line + 3;
        v += strspn(v, " '\"");
        v[strcspn(v, " '\"\r")] = 0;
        if (uvdev_unhex(v, id, 32)) {
            free(text);
            return;
        }
    }
    uvdev_die("%s: no secret ID (an 'id:' of 32 bytes in hex)", file);
}

static void base64(FILE *f, const uint8_t *p, size_t len)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i, col = 0;

    for (i = 0; i < len; i += 3) {
        uint32_t v = p[i] << 16 | (i + 1 < len ? p[i + 1] << 8 : 0) |
                     (i + 2 < len ? p[i + 2] : 0);

        fputc(b64[v >> 18], f);
        fputc(b64[(v >> 12) & 63], f);
        fputc(i + 1 < len ? b64[(v >> 6) & 63] : '=', f);
        fputc(i + 2 < len ? b64[v & 63] : '=', f);
        col += 4;
        if (col == 64) {
            fputc('\n', f);
            col = 0;
        }
    }
    if (col) {
        fputc('\n', f);
    }
}

static int cmd_retrieve(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "input", required_argument, NULL, 'i' },
        { "output", required_argument, NULL, 'o' },
        { "inform", required_argument, NULL, 'I' },
        { "outform", required_argument, NULL, 'O' },
        { }
    };
    const char *in = NULL, *out = NULL, *inform = "yaml", *outform = "pem";
    uint8_t page[UVDEV_LIST_LEN], id[32], *buf;
    uint16_t idx = 0, type = 0, n, i;
    uint32_t len = 0, want;
    bool found = false;
    FILE *f;
    int c;

    optind = 0;     /* glibc: start over, with this optstring's ordering */
    while ((c = getopt_long(argc, argv, "i:o:", longopts, NULL)) != -1) {
        switch (c) {
        case 'i':
            in = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'I':
            inform = optarg;
            break;
        case 'O':
            outform = optarg;
            break;
        default:
            uvdev_die("retrieve: bad option");
        }
    }
    if (!in && optind < argc) {
        in = argv[optind++];
    }
    if (!out) {
        out = optind < argc ? argv[optind++] : "-";
    }
    if (!in || optind < argc) {
        uvdev_die("retrieve needs one secret ID");
    }
    if (strcmp(outform, "pem") && strcmp(outform, "bin")) {
        uvdev_die("retrieve: unknown --outform '%s' (pem or bin)", outform);
    }
    list(page);
    n = uvdev_get16(page);
    if (!strcmp(inform, "idx")) {
        const char *d;
        uint32_t v = 0;

        for (d = in; *d >= '0' && *d <= '9' && v <= 0xffff; d++) {
            v = v * 10 + (*d - '0');
        }
        if (*d || d == in || v > 0xffff) {
            uvdev_die("retrieve: '%s' is not an index", in);
        }
        idx = v;
    } else if (!strcmp(inform, "hex")) {
        if (!uvdev_unhex(in, id, 32)) {
            uvdev_die("retrieve: '%s' is not a 32-byte ID in hex", in);
        }
    } else if (!strcmp(inform, "name")) {
        uvdev_sha256(in, strlen(in), id);
    } else if (!strcmp(inform, "yaml")) {
        id_from_yaml(in, id);
    } else {
        uvdev_die("retrieve: unknown --inform '%s' (yaml, hex, name, idx)",
                  inform);
    }
    for (i = 0; i < n && !found; i++) {
        const uint8_t *e = page + HDR_LEN + i * ENTRY_LEN;

        if (strcmp(inform, "idx") ? !memcmp(e + 16, id, 32) :
                                    uvdev_get16(e) == idx) {
            idx = uvdev_get16(e);
            type = uvdev_get16(e + 2);
            len = uvdev_get32(e + 4);
            found = true;
        }
    }
    if (!found) {
        uvdev_die("retrieve: no such secret in the store");
    }
    want = len + (type == PLAIN_TYPE || type == ASSOC_TYPE ? 0 : WKVP_LEN);
    if (want < 2 || want > UVDEV_RETR_MAX) {
        uvdev_die("retrieve: secret %u has an unusable size (%u)", idx, want);
    }
    buf = calloc(1, want);
    if (!buf) {
        uvdev_die("out of memory");
    }
    check(0x1035, uvdev_retrieve_secret(idx, buf, want), "retrieve the secret");
    if (type == PLAIN_TYPE) {
        uint16_t plen = uvdev_get16(buf);

        if (plen > want - 2) {
            uvdev_die("retrieve: malformed plaintext secret");
        }
        if (!strcmp(outform, "bin")) {
            uvdev_write_file(out, buf + 2, plen);
            free(buf);
            return 0;
        }
        memmove(buf, buf + 2, plen);
        want = plen;
    } else if (!strcmp(outform, "bin")) {
        uvdev_write_file(out, buf, want);
        free(buf);
        return 0;
    }
    f = strcmp(out, "-") ? fopen(out, "w") : stdout;
    if (!f) {
        uvdev_die("cannot create %s", out);
    }
    if (type == PLAIN_TYPE) {
        fprintf(f, "-----BEGIN PLAINTEXT SECRET-----\n");
        base64(f, buf, want);
        fprintf(f, "-----END PLAINTEXT SECRET-----\n");
    } else {
        fprintf(f, "-----BEGIN IBM PROTECTED KEY-----\nkind: %s\n\n",
                uvdev_secret_type_name(type));
        base64(f, buf, want);
        fprintf(f, "-----END IBM PROTECTED KEY-----\n");
    }
    if (f != stdout && fclose(f)) {
        uvdev_die("cannot write %s", out);
    }
    free(buf);
    return 0;
}

int pvsecret_guest(int argc, char **argv)
{
    if (!strcmp(argv[0], "add")) {
        return cmd_add(argc, argv);
    }
    if (!strcmp(argv[0], "list")) {
        return cmd_list(argc, argv);
    }
    if (!strcmp(argv[0], "lock")) {
        return cmd_lock(argc, argv);
    }
    if (!strcmp(argv[0], "retrieve") || !strcmp(argv[0], "retr")) {
        return cmd_retrieve(argc, argv);
    }
    uvdev_die("unknown command '%s'", argv[0]);
}
