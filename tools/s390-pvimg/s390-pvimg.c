/*
 * s390-pvimg: build IBM Secure Execution boot images, genprotimg style
 *
 *   s390-pvimg -k HKD.crt [-k ...] --no-verify -i KERNEL [-r INITRD]
 *              [-p PARMFILE] -o IMAGE [--x-pcf N] [--x-scf N]
 *              [--x-comp-key F] [--x-header-key F] [--x-comm-key F] [-V]
 *   s390-pvimg info IMAGE
 *
 * The image is a memory image for -kernel (or zipl): a short PSW to
 * stage3a at 0x10000, the PV IPL block at 0x13000, the SE header at
 * 0x14000 and, from 0x15000, the kernel, command line, initrd and stage3b
 * components, each AES-256-XTS encrypted.  The format code is shared with
 * the software Ultravisor (hw/s390x/pv-se.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <getopt.h>
#include <netdb.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <gnutls/abstract.h>
#include <nettle/sha2.h>
#include "qapi/error.h"
#include "qemu/bswap.h"
#include "qemu/cutils.h"
#include "qemu-version.h"
#include "crypto/init.h"
#include "hw/s390x/pv-se.h"
#include "hw/s390x/pv-iplb.h"
#include "pc-bios/s390-pv/loader.h"

#define PAGE            S390_PV_SE_PAGE
#define MAX_HOST_KEYS   64
#define KERNEL_MIN      0x10000     /* its first 64 KiB are its lowcore */

/* Component kinds, in image order (C genprotimg's tweak prefixes) */
enum { COMP_KERNEL, COMP_CMDLINE, COMP_INITRD, COMP_STAGE3B, NR_COMP };

static const char *const comp_names[NR_COMP] = {
    "kernel", "cmdline", "initrd", "stage3b"
};

static bool verbose;
static char *tmp_output;

static void G_GNUC_PRINTF(1, 2) G_NORETURN die(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "s390-pvimg: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    if (tmp_output) {
        unlink(tmp_output);
    }
    exit(1);
}

static void die_err(Error *err)
{
    die("%s", error_get_pretty(err));
}

static void G_GNUC_PRINTF(1, 2) note(const char *fmt, ...)
{
    va_list ap;

    if (!verbose) {
        return;
    }
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static uint8_t *read_file(const char *file, gsize *len)
{
    g_autoptr(GError) gerr = NULL;
    char *data;

    if (!g_file_get_contents(file, &data, len, &gerr)) {
        die("%s", gerr->message);
    }
    return (uint8_t *)data;
}

/* --x-*-key FILE: exactly @len bytes */
static void read_key(const char *file, uint8_t *key, size_t len,
                     const char *what)
{
    g_autofree uint8_t *data = NULL;
    gsize n;

    data = read_file(file, &n);
    if (n != len) {
        die("%s %s: %zu bytes, need %zu", what, file, (size_t)n, len);
    }
    memcpy(key, data, len);
    s390_pv_se_wipe(data, n);
}

/* A host-key document: an X.509 certificate (PEM or DER) of a P-521 key */
static void read_host_key(const char *file, S390PVKey *key)
{
    g_autofree uint8_t *data = NULL;
    gnutls_x509_crt_t crt;
    gnutls_datum_t d, x = { 0 }, y = { 0 };
    gnutls_ecc_curve_t curve;
    uint8_t cx[S390_PV_SE_COORD_LEN], cy[S390_PV_SE_COORD_LEN];
    Error *err = NULL;
    gsize len;
    int ret;

    data = read_file(file, &len);
    d.data = data;
    d.size = len;
    gnutls_x509_crt_init(&crt);
    ret = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM);
    if (ret < 0) {
        ret = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER);
    }
    if (ret < 0) {
        die("host-key document %s: not an X.509 certificate (PEM or DER)",
            file);
    }
    if (gnutls_x509_crt_get_pk_algorithm(crt, NULL) != GNUTLS_PK_ECDSA) {
        die("host-key document %s: not an EC key, need EC secp521r1", file);
    }
    ret = gnutls_x509_crt_get_pk_ecc_raw(crt, &curve, &x, &y);
    if (ret < 0) {
        die("host-key document %s: %s", file, gnutls_strerror(ret));
    }
    if (curve != GNUTLS_ECC_CURVE_SECP521R1) {
        g_autofree char *name =
            g_ascii_strdown(gnutls_ecc_curve_get_name(curve) ?: "unknown", -1);

        die("host-key document %s: curve %s, need secp521r1", file, name);
    }
    if (!s390_pv_coord_from_be(cx, x.data, x.size) ||
        !s390_pv_coord_from_be(cy, y.data, y.size)) {
        die("host-key document %s: malformed EC point", file);
    }
    if (!s390_pv_key_set_pub(key, cx, cy, &err)) {
        error_prepend(&err, "host-key document %s: ", file);
        die_err(err);
    }
    gnutls_free(x.data);
    gnutls_free(y.data);
    gnutls_x509_crt_deinit(crt);
}

static void random_bytes(uint8_t *buf, size_t len)
{
    if (gnutls_rnd(GNUTLS_RND_KEY, buf, len) < 0) {
        die("no random numbers from gnutls");
    }
}

/* Where the loaders are: next to QEMU's firmware. */
static uint8_t *read_loader(const char *dir, const char *name, gsize *len)
{
    /* in the build tree, the tool is one level below qemu-bundle */
    g_autofree char *bundle = g_build_filename(qemu_get_exec_dir(), "..",
                                               "qemu-bundle",
                                               CONFIG_QEMU_DATADIR, NULL);
    const char *dirs[3];
    int i, n = 0;

    if (dir) {
        dirs[n++] = dir;
    }
    dirs[n++] = bundle;
    dirs[n++] = CONFIG_QEMU_DATADIR;
    for (i = 0; i < n; i++) {
        g_autofree char *f = g_build_filename(dirs[i], name, NULL);

        if (g_file_test(f, G_FILE_TEST_EXISTS)) {
            note("loader: %s", f);
            return read_file(f, len);
        }
    }
    die("boot loader %s not found (looked in %s%s%s, %s)", name,
        dir ? dir : "", dir ? ", " : "", bundle, CONFIG_QEMU_DATADIR);
}

/*
 * A component: small ones (command line, stage3b) are held in memory,
 * large ones (kernel, initrd) are read from their file in chunks, twice
 * at most, so that the builder's memory does not grow with them.
 */
typedef struct Comp {
    const char *file;       /* NULL: the bytes are in data */
    int fd;
    uint8_t *data;
    uint64_t len;
} Comp;

#define CHUNK_PAGES     256     /* 1 MiB at a time */

static void comp_open(Comp *c, const char *file)
{
    struct stat st;

    c->file = file;
    /* the same words as for the files read whole (GLib's) */
    c->fd = qemu_open_old(file, O_RDONLY);
    if (c->fd < 0 || fstat(c->fd, &st) < 0) {
        die("Failed to open file \u201c%s\u201d: %s", file, strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) {
        die("%s: not a regular file", file);
    }
    c->len = st.st_size;
}

/* Bytes [@off, @off + @n) of @c into @buf, zeros past its end. */
static void comp_read(const Comp *c, uint64_t off, uint8_t *buf, uint64_t n)
{
    uint64_t have = off < c->len ? MIN(n, c->len - off) : 0;
    ssize_t r;

    if (!c->file) {
        memcpy(buf, c->data + off, have);
    } else if (have) {
        r = pread(c->fd, buf, have, off);
        if (r != (ssize_t)have) {
            die("%s: %s", c->file, r < 0 ? strerror(errno) :
                "changed size while being read");
        }
    }
    memset(buf + have, 0, n - have);
}

/* Write @n bytes at @off of the output, or die. */
static void out_write(int fd, uint64_t off, const void *buf, size_t n)
{
    if (pwrite(fd, buf, n, off) != (ssize_t)n) {
        die("cannot write %s: %s", tmp_output, strerror(errno));
    }
}

/* --- host-key document verification ------------------------------------- */

/*
 * The chain: root CA -> intermediate CA(s) -> IBM Z signing key -> host-key
 * document (HKD).  The signing key is no CA, so GnuTLS's chain
 * verification covers root .. signing key, and the last link, the HKD's
 * revocation and the signing key's CRL are checked here by hand.
 */
#define HKD_MAX_FILES       64
#define HKD_MAX_CRLS        256
#define HKD_DOWNLOAD_SEC    3
#define HKD_DOWNLOAD_MAX    (1024 * 1024)

typedef struct HkdOpts {
    const char *certs[HKD_MAX_FILES];
    int nr_certs;
    const char *crls[HKD_MAX_FILES];
    int nr_crls;
    const char *root_ca;
    bool offline;
} HkdOpts;

typedef struct HkdCtx {
    gnutls_x509_crt_t chain[HKD_MAX_FILES];     /* -C, first cert each */
    int nr_chain;
    gnutls_x509_crt_t signer;
    gnutls_x509_crl_t crls[HKD_MAX_CRLS];
    int nr_crls;
    gnutls_x509_crl_t signer_crls[HKD_MAX_CRLS];   /* valid, by the signer */
    int nr_signer_crls;
} HkdCtx;

static void G_GNUC_PRINTF(1, 2) G_NORETURN hkd_die(const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    die("Failed to verify host-key document: %s", msg);
}

/* The first certificate of @file, PEM or DER, or NULL */
static gnutls_x509_crt_t hkd_load_crt(const char *file, int *count)
{
    g_autofree uint8_t *data = NULL;
    gnutls_x509_crt_t *list = NULL, crt;
    unsigned int n = 0, i;
    gnutls_datum_t d;
    gsize len;

    data = read_file(file, &len);
    d.data = data;
    d.size = len;
    if (gnutls_x509_crt_list_import2(&list, &n, &d, GNUTLS_X509_FMT_PEM,
                                     0) < 0 || !n) {
        gnutls_x509_crt_init(&crt);
        if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) < 0) {
            gnutls_x509_crt_deinit(crt);
            return NULL;
        }
        *count = 1;
        return crt;
    }
    for (i = 1; i < n; i++) {
        gnutls_x509_crt_deinit(list[i]);
    }
    crt = list[0];
    gnutls_free(list);
    *count = n;
    return crt;
}

static int hkd_add_crls(HkdCtx *c, const gnutls_datum_t *d)
{
    gnutls_x509_crl_t *list = NULL, crl;
    unsigned int n = 0, i;

    if (gnutls_x509_crl_list_import2(&list, &n, d, GNUTLS_X509_FMT_PEM,
                                     0) < 0 || !n) {
        gnutls_x509_crl_init(&crl);
        if (gnutls_x509_crl_import(crl, d, GNUTLS_X509_FMT_DER) < 0) {
            gnutls_x509_crl_deinit(crl);
            return 0;
        }
        list = gnutls_malloc(sizeof(*list));
        list[0] = crl;
        n = 1;
    }
    for (i = 0; i < n; i++) {
        if (c->nr_crls < HKD_MAX_CRLS) {
            c->crls[c->nr_crls++] = list[i];
        } else {
            gnutls_x509_crl_deinit(list[i]);
        }
    }
    gnutls_free(list);
    return n;
}

/* The subject as "/C=../ST=..", in the certificate's order */
static char *hkd_subject(gnutls_x509_crt_t crt)
{
    static const char *const names[][2] = {
        { "2.5.4.6", "C" }, { "2.5.4.8", "ST" }, { "2.5.4.7", "L" },
        { "2.5.4.10", "O" }, { "2.5.4.11", "OU" }, { "2.5.4.3", "CN" },
    };
    GString *s = g_string_new("");
    gnutls_x509_dn_t dn;
    gnutls_x509_ava_st ava;
    int i, j, k;

    if (gnutls_x509_crt_get_subject(crt, &dn) < 0) {
        return g_string_free(s, false);
    }
    for (i = 0; gnutls_x509_dn_get_rdn_ava(dn, i, 0, &ava) >= 0; i++) {
        for (j = 0; gnutls_x509_dn_get_rdn_ava(dn, i, j, &ava) >= 0; j++) {
            const char *name = (const char *)ava.oid.data;

            for (k = 0; k < ARRAY_SIZE(names); k++) {
                if (!strcmp(name, names[k][0])) {
                    name = names[k][1];
                }
            }
            g_string_append_printf(s, "/%s=%.*s", name, ava.value.size,
                                   ava.value.data);
        }
    }
    return g_string_free(s, false);
}

/* The first value of @oid in @dn, or NULL */
static char *hkd_dn_value(gnutls_x509_dn_t dn, const char *oid, int *count)
{
    gnutls_x509_ava_st ava;
    char *found = NULL;
    int i, j;

    *count = 0;
    for (i = 0;; i++) {
        int r = 0;

        for (j = 0;; j++) {
            r = gnutls_x509_dn_get_rdn_ava(dn, i, j, &ava);
            if (r < 0) {
                break;
            }
            (*count)++;
            /* the OID's size may count a terminating NUL */
            if (!found &&
                strnlen((char *)ava.oid.data, ava.oid.size) == strlen(oid) &&
                !memcmp(ava.oid.data, oid, strlen(oid))) {
                found = g_strndup((char *)ava.value.data, ava.value.size);
            }
        }
        if (j == 0) {
            break;
        }
    }
    return found;
}

/* Is @crt an IBM Z signing-key certificate (by its subject)? */
static bool hkd_is_signing_key(gnutls_x509_crt_t crt)
{
    static const char org[] = "International Business Machines Corporation";
    g_autofree char *c = NULL, *st = NULL, *l = NULL, *o = NULL;
    g_autofree char *ou = NULL, *cn = NULL;
    gnutls_x509_dn_t dn;
    int n;

    if (gnutls_x509_crt_get_subject(crt, &dn) < 0) {
        return false;
    }
    c = hkd_dn_value(dn, "2.5.4.6", &n);
    st = hkd_dn_value(dn, "2.5.4.8", &n);
    l = hkd_dn_value(dn, "2.5.4.7", &n);
    o = hkd_dn_value(dn, "2.5.4.10", &n);
    ou = hkd_dn_value(dn, "2.5.4.11", &n);
    cn = hkd_dn_value(dn, "2.5.4.3", &n);
    return n == 6 && !g_strcmp0(c, "US") && !g_strcmp0(st, "New York") &&
           (!g_strcmp0(l, "Poughkeepsie") || !g_strcmp0(l, "Armonk")) &&
           !g_strcmp0(o, org) && !g_strcmp0(cn, org) && ou &&
           g_str_has_suffix(ou, "Key Signing Service");
}

/* Length of the DER element at @p (at most @len bytes), or 0 */
static size_t hkd_der_len(const uint8_t *p, size_t len, size_t *hdr)
{
    size_t n, i, l;

    if (len < 2) {
        return 0;
    }
    if (!(p[1] & 0x80)) {
        *hdr = 2;
        l = p[1];
    } else {
        n = p[1] & 0x7f;
        if (n == 0 || n > 4 || len < 2 + n) {
            return 0;
        }
        for (l = 0, i = 0; i < n; i++) {
            l = (l << 8) | p[2 + i];
        }
        *hdr = 2 + n;
    }
    return l <= len - *hdr ? *hdr + l : 0;
}

/*
 * Does the signature over @der (a certificate or CRL: its first element
 * is the signed part) verify under @signer's key?  Name-agnostic, and
 * the signer need not be a CA.
 */
static bool hkd_signed_by(const gnutls_datum_t *der, int sign_algo,
                          const gnutls_datum_t *sig,
                          gnutls_x509_crt_t signer)
{
    gnutls_pubkey_t pub;
    gnutls_datum_t tbs;
    size_t hdr, ihdr, tlen;
    bool ok;

    if (der->size < 4 || der->data[0] != 0x30 ||
        !hkd_der_len(der->data, der->size, &hdr)) {
        return false;
    }
    tlen = hkd_der_len(der->data + hdr, der->size - hdr, &ihdr);
    if (!tlen) {
        return false;
    }
    tbs.data = der->data + hdr;
    tbs.size = tlen;
    if (gnutls_pubkey_init(&pub) < 0) {
        return false;
    }
    ok = gnutls_pubkey_import_x509(pub, signer, 0) >= 0 &&
         gnutls_pubkey_verify_data2(pub, sign_algo, 0, &tbs, sig) >= 0;
    gnutls_pubkey_deinit(pub);
    return ok;
}

static bool hkd_crl_signed_by(gnutls_x509_crl_t crl, gnutls_x509_crt_t signer)
{
    gnutls_datum_t der = { 0 }, sig = { 0 };
    size_t ssz = 0;
    bool ok = false;

    if (gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_DER, &der) < 0) {
        return false;
    }
    /* the size first: it is not updated on success */
    gnutls_x509_crl_get_signature(crl, NULL, &ssz);
    sig.data = g_malloc(ssz ?: 1);
    sig.size = ssz;
    if (gnutls_x509_crl_get_signature(crl, (char *)sig.data, &ssz) >= 0) {
        ok = hkd_signed_by(&der, gnutls_x509_crl_get_signature_algorithm(crl),
                           &sig, signer);
    }
    g_free(sig.data);
    gnutls_free(der.data);
    return ok;
}

static bool hkd_crt_signed_by(gnutls_x509_crt_t crt, gnutls_x509_crt_t signer)
{
    gnutls_datum_t der = { 0 }, sig = { 0 };
    size_t ssz = 0;
    bool ok = false;

    if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) < 0) {
        return false;
    }
    gnutls_x509_crt_get_signature(crt, NULL, &ssz);
    sig.data = g_malloc(ssz ?: 1);
    sig.size = ssz;
    if (gnutls_x509_crt_get_signature(crt, (char *)sig.data, &ssz) >= 0) {
        ok = hkd_signed_by(&der, gnutls_x509_crt_get_signature_algorithm(crt),
                           &sig, signer);
    }
    g_free(sig.data);
    gnutls_free(der.data);
    return ok;
}

/* @issuer's raw DN equals @crt's subject DN? (CRL issuer lookup) */
static bool hkd_crl_issued_by(gnutls_x509_crl_t crl, gnutls_x509_crt_t crt)
{
    gnutls_datum_t a = { 0 }, b = { 0 };
    bool eq;

    if (gnutls_x509_crl_get_raw_issuer_dn(crl, &a) < 0) {
        return false;
    }
    if (gnutls_x509_crt_get_raw_dn(crt, &b) < 0) {
        gnutls_free(a.data);
        return false;
    }
    eq = a.size == b.size && !memcmp(a.data, b.data, a.size);
    gnutls_free(a.data);
    gnutls_free(b.data);
    return eq;
}

/* A CRL of @issuer that is current and signed by it */
static bool hkd_crl_valid(gnutls_x509_crl_t crl, gnutls_x509_crt_t issuer,
                          const char **why)
{
    time_t now = time(NULL);
    time_t this = gnutls_x509_crl_get_this_update(crl);
    time_t next = gnutls_x509_crl_get_next_update(crl);

    if (this == (time_t)-1 || next == (time_t)-1 || this > now ||
        now >= next) {
        *why = "validity period is not valid";
        return false;
    }
    if (!hkd_crl_signed_by(crl, issuer)) {
        *why = "signature is not valid";
        return false;
    }
    return true;
}

static bool hkd_revoked(gnutls_x509_crl_t crl, gnutls_x509_crt_t crt)
{
    uint8_t serial[64], rs[64];
    size_t sl = sizeof(serial), rl;
    int i, n = gnutls_x509_crl_get_crt_count(crl);

    if (gnutls_x509_crt_get_serial(crt, serial, &sl) < 0) {
        return false;
    }
    for (i = 0; i < n; i++) {
        rl = sizeof(rs);
        if (gnutls_x509_crl_get_crt_serial(crl, i, rs, &rl, NULL) >= 0 &&
            rl == sl && !memcmp(rs, serial, sl)) {
            return true;
        }
    }
    return false;
}

/*
 * http://HOST[:PORT]/PATH, with a timeout and a size limit; NULL on any
 * failure (the caller goes on without it, as genprotimg does).
 */
static GBytes *hkd_http_get(const char *url)
{
    g_autofree char *host = NULL, *req = NULL;
    const char *slash;
    g_autoptr(GByteArray) buf = g_byte_array_new();
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
    struct timeval tv = { .tv_sec = HKD_DOWNLOAD_SEC };
    const char *p, *path, *port = "80";
    uint8_t chunk[4096];
    uint8_t *body;
    ssize_t n;
    int fd = -1;

    if (!g_str_has_prefix(url, "http://")) {
        return NULL;
    }
    p = url + 7;
    slash = strchr(p, '/');
    host = slash ? g_strndup(p, slash - p) : g_strdup(p);
    path = slash ? slash : "/";
    if (strchr(host, ':')) {
        char *c = strchr(host, ':');

        *c = 0;
        port = c + 1;
    }
    if (getaddrinfo(host, port, &hints, &ai) || !ai) {
        return NULL;
    }
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
        connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
        goto fail;
    }
    req = g_strdup_printf("GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: "
                          "s390-pvimg\r\n\r\n", path, host);
    if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
        goto fail;
    }
    while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
        g_byte_array_append(buf, chunk, n);
        if (buf->len > HKD_DOWNLOAD_MAX) {
            goto fail;
        }
    }
    close(fd);
    freeaddrinfo(ai);
    body = memmem(buf->data, buf->len, "\r\n\r\n", 4);
    if (!body || n < 0) {
        return NULL;
    }
    body += 4;
    return g_bytes_new(body, buf->data + buf->len - body);
fail:
    if (fd >= 0) {
        close(fd);
    }
    freeaddrinfo(ai);
    return NULL;
}

/* Download the CRL(s) of @crt's distribution points (first http URI). */
static void hkd_download_crls(HkdCtx *c, gnutls_x509_crt_t crt)
{
    char url[1024];
    size_t sz;
    unsigned int reason;
    int i, ret;

    for (i = 0;; i++) {
        g_autoptr(GBytes) data = NULL;
        gnutls_datum_t d;

        sz = sizeof(url) - 1;
        ret = gnutls_x509_crt_get_crl_dist_points(crt, i, url, &sz, &reason,
                                                  NULL);
        if (ret < 0) {
            break;
        }
        if (ret != GNUTLS_SAN_URI) {
            continue;
        }
        url[sz] = 0;
        data = hkd_http_get(url);
        if (!data) {
            continue;
        }
        d.data = (uint8_t *)g_bytes_get_data(data, NULL);
        d.size = g_bytes_get_size(data);
        if (hkd_add_crls(c, &d) > 0) {
            break;
        }
    }
}

/* Is a CRL of @issuer (current and signed by it) there? */
static bool hkd_have_crl_of(HkdCtx *c, gnutls_x509_crt_t issuer)
{
    const char *why;
    int i;

    for (i = 0; i < c->nr_crls; i++) {
        if (hkd_crl_issued_by(c->crls[i], issuer) &&
            hkd_crl_valid(c->crls[i], issuer, &why)) {
            return true;
        }
    }
    return false;
}

/* Root .. signing key: GnuTLS's chain verification, then every CRL. */
static void hkd_verify_chain(HkdCtx *c, const HkdOpts *o)
{
    gnutls_x509_trust_list_t tl;
    gnutls_x509_crt_t list[HKD_MAX_FILES + 1], root = NULL, issuer;
    g_autofree char *subj = hkd_subject(c->signer);
    unsigned int status = 0, n = 0;
    int i, ret, count, depth;

    gnutls_x509_trust_list_init(&tl, 0);
    if (o->root_ca) {
        root = hkd_load_crt(o->root_ca, &count);
        if (!root) {
            hkd_die("unable to load certificate: '%s'", o->root_ca);
        }
        if (count > 1) {
            hkd_die("multiple certificates in one PEM file is not "
                    "supported");
        }
        gnutls_x509_trust_list_add_cas(tl, &root, 1, 0);
    } else if (gnutls_x509_trust_list_add_system_trust(tl, 0, 0) < 0) {
        hkd_die("cannot load the system's trusted root CAs");
    }
    /* the signing key first, then the intermediates in issuer order */
    list[n++] = c->signer;
    for (depth = 0; depth < c->nr_chain; depth++) {
        bool found = false;

        for (i = 0; i < c->nr_chain; i++) {
            if (c->chain[i] != c->signer &&
                gnutls_x509_crt_check_issuer(list[n - 1], c->chain[i]) &&
                list[n - 1] != c->chain[i]) {
                list[n++] = c->chain[i];
                found = true;
                break;
            }
        }
        if (!found) {
            break;
        }
    }
    if (n > 3) {
        hkd_die("failed to verify certificate '%s': certificate chain too "
                "long", subj);
    }
    if (c->nr_crls) {
        /* not GNUTLS_TL_VERIFY_CRL: it drops the intermediate's CRL */
        gnutls_x509_trust_list_add_crls(tl, c->crls, c->nr_crls, 0, 0);
    }
    ret = gnutls_x509_trust_list_verify_crt2(tl, list, n, NULL, 0,
                                             GNUTLS_PROFILE_TO_VFLAGS(
                                                 GNUTLS_PROFILE_MEDIUM),
                                             &status, NULL);
    if (ret < 0 || status) {
        gnutls_datum_t out = { 0 };
        const char *why = "unable to get local issuer certificate";

        if (status & GNUTLS_CERT_REVOKED) {
            why = "certificate revoked";
        } else if (status & GNUTLS_CERT_EXPIRED) {
            why = "certificate has expired";
        } else if (status & GNUTLS_CERT_NOT_ACTIVATED) {
            why = "certificate is not yet valid";
        } else if (status & (GNUTLS_CERT_INSECURE_ALGORITHM |
                             GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE)) {
            why = "CA signature digest algorithm too weak";
        } else if (status & GNUTLS_CERT_SIGNATURE_FAILURE) {
            why = "certificate signature failure";
        } else if (status & GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED) {
            why = "CRL has expired";
        } else if (status && gnutls_certificate_verification_status_print(
                       status, GNUTLS_CRT_X509, &out, 0) >= 0) {
            note("GnuTLS: %s", out.data);
            gnutls_free(out.data);
        }
        hkd_die("failed to verify certificate '%s': %s", subj, why);
    }
    /*
     * GnuTLS takes a missing CRL for "not revoked": the issuer of every
     * certificate of the chain, the root included, needs a current CRL.
     */
    for (i = 0; i < (int)n; i++) {
        gnutls_x509_crt_t copy = NULL;

        issuer = i + 1 < (int)n ? list[i + 1] : root;
        if (!issuer &&
            gnutls_x509_trust_list_get_issuer(tl, list[i], &copy,
                                              GNUTLS_TL_GET_COPY) >= 0) {
            issuer = copy;
        }
        if (!issuer || !hkd_have_crl_of(c, issuer)) {
            g_autofree char *s = hkd_subject(list[i]);

            if (copy) {
                gnutls_x509_crt_deinit(copy);
            }
            hkd_die("failed to verify certificate '%s': unable to get "
                    "certificate CRL", s);
        }
        if (copy) {
            gnutls_x509_crt_deinit(copy);
        }
    }
    /* the root and the CRLs are ours to free, not the list's */
    gnutls_x509_trust_list_deinit(tl, 0);
    if (root) {
        gnutls_x509_crt_deinit(root);
    }
}

/* The signing key's CRLs that can be used for the HKDs */
static void hkd_signer_crls(HkdCtx *c)
{
    const char *why;
    bool any = false;
    int i;

    for (i = 0; i < c->nr_crls; i++) {
        if (!hkd_crl_issued_by(c->crls[i], c->signer) &&
            !hkd_crl_signed_by(c->crls[i], c->signer)) {
            continue;
        }
        any = true;
        if (!hkd_crl_valid(c->crls[i], c->signer, &why)) {
            fprintf(stderr, "WARNING: CRL is not valid: %s\n", why);
            continue;
        }
        c->signer_crls[c->nr_signer_crls++] = c->crls[i];
    }
    if (!c->nr_signer_crls) {
        hkd_die("IBM Z signing key: %s", any ? "no valid CRL found" :
                "no CRL found");
    }
}

/* The checks on host-key document @hkd, read from @path */
static void hkd_verify_one(HkdCtx *c, gnutls_x509_crt_t hkd, const char *path)
{
    uint8_t akid[64], skid[64];
    size_t al = sizeof(akid), sl = sizeof(skid);
    unsigned int bits = 0;
    time_t now = time(NULL);
    int algo, i;

    algo = gnutls_x509_crt_get_pk_algorithm(hkd, &bits);
    if (gnutls_pk_bits_to_sec_param(algo, bits) < GNUTLS_SEC_PARAM_MEDIUM) {
        hkd_die("'%s': not enough bits of security (112 expected)", path);
    }
    if (gnutls_x509_crt_get_activation_time(hkd) > now ||
        gnutls_x509_crt_get_expiration_time(hkd) <= now) {
        hkd_die("'%s': validity period is not valid", path);
    }
    if ((gnutls_x509_crt_get_authority_key_id(hkd, akid, &al, NULL) >= 0 &&
         (gnutls_x509_crt_get_subject_key_id(c->signer, skid, &sl,
                                             NULL) < 0 ||
          al != sl || memcmp(akid, skid, al))) ||
        !hkd_crt_signed_by(hkd, c->signer)) {
        hkd_die("'%s': no IBM Z signing key that issued this host-key "
                "document found", path);
    }
    for (i = 0; i < c->nr_signer_crls; i++) {
        if (hkd_revoked(c->signer_crls[i], hkd)) {
            hkd_die("'%s': certificate revoked", path);
        }
    }
}

/* Verify every host-key document, or die. */
static void hkd_verify(const HkdOpts *o, const char *const *hkds, int nr)
{
    HkdCtx c = { 0 };
    gnutls_x509_crt_t docs[MAX_HOST_KEYS];
    int i, count;

    if (!o->nr_certs) {
        die("Either specify the IBM Z signing key and intermediate CA "
            "certificate by using the '--cert' option, or use the "
            "'--no-verify' flag to disable the host-key document "
            "verification completely (at your own risk).");
    }
    for (i = 0; i < nr; i++) {
        docs[i] = hkd_load_crt(hkds[i], &count);
        if (!docs[i]) {
            die("unable to load certificate: '%s'", hkds[i]);
        }
    }
    for (i = 0; i < o->nr_crls; i++) {
        g_autofree uint8_t *data = NULL;
        gnutls_datum_t d;
        gsize len;

        data = read_file(o->crls[i], &len);
        d.data = data;
        d.size = len;
        if (hkd_add_crls(&c, &d) <= 0) {
            hkd_die("unable to load CRL from: '%s'", o->crls[i]);
        }
    }
    if (!o->offline) {
        for (i = 0; i < nr; i++) {
            hkd_download_crls(&c, docs[i]);
        }
    }
    for (i = 0; i < o->nr_certs; i++) {
        gnutls_x509_crt_t crt = hkd_load_crt(o->certs[i], &count);

        if (!crt) {
            hkd_die("unable to load certificate: '%s'", o->certs[i]);
        }
        if (!o->offline) {
            hkd_download_crls(&c, crt);
        }
        if (hkd_is_signing_key(crt)) {
            if (c.signer) {
                hkd_die("please specify only one IBM Z signing key");
            }
            c.signer = crt;
        }
        c.chain[c.nr_chain++] = crt;
    }
    if (!c.signer) {
        hkd_die("please specify at least one IBM Z signing key");
    }
    hkd_verify_chain(&c, o);
    hkd_signer_crls(&c);
    for (i = 0; i < nr; i++) {
        hkd_verify_one(&c, docs[i], hkds[i]);
        gnutls_x509_crt_deinit(docs[i]);
    }
    {
        g_autofree char *subj = hkd_subject(c.signer);

        note("host-key documents verified; IBM Z signing key '%s'", subj);
    }
    for (i = 0; i < c.nr_chain; i++) {
        gnutls_x509_crt_deinit(c.chain[i]);
    }
    for (i = 0; i < c.nr_crls; i++) {
        gnutls_x509_crl_deinit(c.crls[i]);
    }
}

typedef struct Opts {
    const char *host_keys[MAX_HOST_KEYS];
    int nr_host_keys;
    bool no_verify;
    const char *kernel, *ramdisk, *parmfile, *output;
    const char *comp_key, *header_key, *comm_key, *loader_dir;
    uint64_t pcf, scf;
    bool no_component_check;
    HkdOpts hkd;
} Opts;

/*
 * The kernel's longest command line, terminator included: the s390
 * kernel records it in its parameter area (0 in older kernels: 896).
 */
#define KERNEL_CMDLINE_MAX_OFF  0x10430
#define KERNEL_CMDLINE_LEGACY   896

static uint64_t kernel_cmdline_max(const Comp *kernel)
{
    uint8_t v[8];
    uint64_t max;

    comp_read(kernel, KERNEL_CMDLINE_MAX_OFF, v, sizeof(v));
    max = ldq_be_p(v);
    return max ? max : KERNEL_CMDLINE_LEGACY;
}

static void build(const Opts *o)
{
    S390PVKey hosts[MAX_HOST_KEYS], cust;
    S390PVHeaderSpec spec = { 0 };
    g_autoptr(QCryptoCipher) xts = NULL;
    g_autofree uint8_t *stage3a = NULL, *head = NULL, *buf = NULL;
    Comp comp[NR_COMP] = { 0 };
    bool present[NR_COMP] = { 0 };
    int nr_present = 0, j;
    mode_t mask;
    S390PVHashWorker *w;
    int cur = 0;
    gsize s3a_len, n;
    uint64_t addr[NR_COMP], size[NR_COMP], tweak[NR_COMP];
    uint8_t seed[64], priv[S390_PV_SE_COORD_LEN], tw[16], *b;
    uint64_t img_size, off, p, next = PV_IMG_COMPONENTS;
    S390PVDigests d;
    Error *err = NULL;
    int i, fd;

    if (!o->kernel || !o->output || !o->nr_host_keys) {
        die("need -k HOST_KEY_DOCUMENT, -i KERNEL and -o OUTPUT "
            "(see --help)");
    }
    if (!o->no_verify) {
        hkd_verify(&o->hkd, o->host_keys, o->nr_host_keys);
    }
    for (i = 0; i < o->nr_host_keys; i++) {
        read_host_key(o->host_keys[i], &hosts[i]);
    }

    comp_open(&comp[COMP_KERNEL], o->kernel);
    if (comp[COMP_KERNEL].len == 0) {
        die("kernel %s is empty", o->kernel);
    }
    if (comp[COMP_KERNEL].len < KERNEL_MIN) {
        die("kernel %s is smaller than 64 KiB: not an s390 kernel image",
            o->kernel);
    }
    if (o->parmfile) {
        Comp *c = &comp[COMP_CMDLINE];
        uint64_t max = kernel_cmdline_max(&comp[COMP_KERNEL]);

        /* as genprotimg: the file's bytes, newlines and all */
        c->data = read_file(o->parmfile, &n);
        c->len = n;
        if (!o->no_component_check && c->len > max - 1) {
            die("parmfile %s: the command line has %" PRIu64 " bytes, "
                "the kernel takes at most %" PRIu64, o->parmfile,
                (uint64_t)c->len, max - 1);
        }
    }
    if (o->ramdisk) {
        comp_open(&comp[COMP_INITRD], o->ramdisk);
    }
    /* genprotimg adds only the components it was given */
    present[COMP_KERNEL] = present[COMP_STAGE3B] = true;
    present[COMP_CMDLINE] = o->parmfile;
    present[COMP_INITRD] = o->ramdisk;
    for (i = 0; i < NR_COMP; i++) {
        nr_present += present[i];
    }
    stage3a = read_loader(o->loader_dir, "s390-pv-stage3a.bin", &s3a_len);
    comp[COMP_STAGE3B].data = read_loader(o->loader_dir,
                                          "s390-pv-stage3b.bin", &n);
    comp[COMP_STAGE3B].len = n;
    if (s3a_len > PV_IMG_STAGE3A_MAX || s3a_len < sizeof(struct stage3a_args)
        || comp[COMP_STAGE3B].len < sizeof(struct stage3b_args)) {
        die("boot loaders of unexpected size");
    }
    buf = g_malloc(2 * CHUNK_PAGES * PAGE);     /* two chunks in turn */

    /* Keys: given, or random; the rest follows from them */
    if (o->comp_key) {
        read_key(o->comp_key, spec.xts_key, 64, "component key");
    } else {
        random_bytes(spec.xts_key, 64);
    }
    if (o->header_key) {
        read_key(o->header_key, spec.header_key, 32, "header key");
    } else {
        random_bytes(spec.header_key, 32);
    }
    if (o->comm_key) {
        read_key(o->comm_key, spec.cck, 32, "communication key");
    } else {
        random_bytes(spec.cck, 32);
    }
    if (o->comp_key && o->header_key && o->comm_key) {
        /*
         * All keys fixed: the whole image is reproducible.  The customer
         * key, the header's GCM IV and the XTS tweak prefixes then come
         * from the keys and from every byte that goes into the image, so
         * that two different images never share an IV under one header
         * key (GCM nonce reuse gives away the authentication key) nor a
         * tweak under one component key.
         */
        struct sha512_ctx h;
        uint8_t word[8];

        sha512_init(&h);
        sha512_update(&h, 24, (const uint8_t *)"s390-pvimg reproducible");
        sha512_update(&h, 64, spec.xts_key);
        sha512_update(&h, 32, spec.header_key);
        sha512_update(&h, 32, spec.cck);
        for (i = 0; i < o->nr_host_keys; i++) {
            sha512_update(&h, S390_PV_SE_COORD_LEN, hosts[i].x);
            sha512_update(&h, S390_PV_SE_COORD_LEN, hosts[i].y);
        }
        stq_be_p(word, o->pcf);
        sha512_update(&h, 8, word);
        stq_be_p(word, o->scf);
        sha512_update(&h, 8, word);
        stq_be_p(word, s3a_len);
        sha512_update(&h, 8, word);
        sha512_update(&h, s3a_len, stage3a);
        for (i = 0; i < NR_COMP; i++) {
            /* the length first: the components cannot trade bytes */
            stq_be_p(word, comp[i].len);
            sha512_update(&h, 8, word);
            for (off = 0; off < comp[i].len; off += n) {
                n = MIN(CHUNK_PAGES * PAGE, comp[i].len - off);
                comp_read(&comp[i], off, buf, n);
                sha512_update(&h, n, buf);
            }
        }
        stq_be_p(word, !!o->ramdisk);
        sha512_update(&h, 8, word);
        stq_be_p(word, !!o->parmfile);
        sha512_update(&h, 8, word);
        sha512_digest(&h, 64, seed);
    } else {
        random_bytes(seed, sizeof(seed));
    }
    /* customer key, IV and tweak prefixes from the seed */
    do {
        struct sha512_ctx h;
        uint8_t out[2][64];

        for (i = 0; i < 2; i++) {
            sha512_init(&h);
            sha512_update(&h, 64, seed);
            sha512_update(&h, 1, (uint8_t *)&"cp"[i]);
            sha512_digest(&h, 64, out[i]);
        }
        memcpy(priv, out[0], 64);
        memcpy(priv + 64, out[1], 2);
        priv[0] &= 0x01;        /* below the P-521 order */
        memcpy(spec.iv, out[1] + 2, S390_PV_SE_IV_LEN);
        for (i = 0; i < NR_COMP; i++) {
            tweak[i] = ((uint64_t)i << 48) |
                       (ldq_be_p(out[1] + 16 + 8 * i) & 0xffffffffffffULL);
        }
        memcpy(seed, out[1], 64);
        s390_pv_se_wipe(out, sizeof(out));
    } while (!s390_pv_key_from_priv(priv, &cust, NULL));
    s390_pv_se_wipe(priv, sizeof(priv));
    s390_pv_se_wipe(seed, sizeof(seed));

    /* Layout: page-aligned and contiguous from 0x15000 */
    for (i = 0; i < NR_COMP; i++) {
        addr[i] = present[i] ? next : 0;
        size[i] = present[i] ? MAX(ROUND_UP(comp[i].len, PAGE), PAGE) : 0;
        next += size[i];
    }
    img_size = next;

    /* stage3b learns where everything is (before it is encrypted) */
    {
        Comp *c = &comp[COMP_STAGE3B];
        uint8_t *a = c->data + c->len - sizeof(struct stage3b_args);

        stq_be_p(a + 0, addr[COMP_KERNEL]);
        stq_be_p(a + 8, comp[COMP_KERNEL].len);
        stq_be_p(a + 16, addr[COMP_CMDLINE]);
        stq_be_p(a + 24, comp[COMP_CMDLINE].len);
        stq_be_p(a + 32, addr[COMP_INITRD]);
        stq_be_p(a + 40, comp[COMP_INITRD].len);
    }

    /* Write it whole, or not at all: into a temporary file first */
    tmp_output = g_strdup_printf("%s.tmp-XXXXXX", o->output);
    fd = g_mkstemp(tmp_output);
    if (fd < 0) {
        g_free(tmp_output);
        tmp_output = NULL;
        die("cannot create %s: %s", o->output, strerror(errno));
    }
    /* as any file the user creates: the umask decides */
    mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) < 0) {
        die("cannot create %s: %s", o->output, strerror(errno));
    }

    /* The components, a chunk at a time: encrypted, digested, written */
    xts = s390_pv_xts_new(spec.xts_key, &err);
    if (!xts) {
        die_err(err);
    }
    s390_pv_digests_init(&d);
    /*
     * The page list digest is over the encrypted pages, and the slowest
     * part: the hash worker computes it over a chunk while this thread
     * writes that chunk out (both only read it), then reads and encrypts
     * the next one into the other buffer.
     */
    w = s390_pv_hash_worker_new(&d);
    for (i = 0; i < NR_COMP; i++) {
        if (!present[i]) {
            continue;
        }
        for (off = 0; off < size[i]; off += n) {
            uint8_t *c = buf + cur * CHUNK_PAGES * PAGE;

            n = MIN(CHUNK_PAGES * PAGE, size[i] - off);
            comp_read(&comp[i], off, c, n);
            for (p = 0; p < n; p += PAGE) {
                s390_pv_tweak(tw, tweak[i], off + p);
                if (!(o->pcf & S390_PV_PCF_NO_DECRYPT) &&
                    !s390_pv_xts_page(xts, tw, c + p, true, &err)) {
                    die_err(err);
                }
                s390_pv_digests_add_meta(&d, addr[i] + off + p, tw);
            }
            /* once done with the chunk before, the worker takes this one */
            s390_pv_hash_worker_submit(w, c, n / PAGE);
            out_write(fd, addr[i] + off, c, n);
            cur ^= 1;
        }
        note("%-8s 0x%08" PRIx64 " %8zu bytes, %5" PRIu64 " pages, tweak "
             "0x%016" PRIx64, comp_names[i], addr[i], (size_t)comp[i].len,
             size[i] / PAGE, tweak[i]);
    }
    s390_pv_hash_worker_free(w);
    spec.nep = d.nep;
    s390_pv_digests_final(&d, spec.pld, spec.ald, spec.tld);
    spec.host_keys = hosts;
    spec.nr_host_keys = o->nr_host_keys;
    spec.cust_key = &cust;
    spec.psw_mask = 0x0000000180000000ULL;
    spec.psw_addr = addr[COMP_STAGE3B];
    spec.pcf = o->pcf;
    spec.scf = o->scf;
    if (s390_pv_se_header_len(o->nr_host_keys) > PV_IMG_COMPONENTS -
        PV_IMG_HDR) {
        die("%d host keys make the SE header too large",
            o->nr_host_keys);
    }
    /* What comes before the components: PSW, stage3a, IPL block, header */
    head = g_malloc0(PV_IMG_COMPONENTS);
    if (!s390_pv_se_build(&spec, head + PV_IMG_HDR, &err)) {
        die_err(err);
    }

    /* short PSW: 31-bit, to stage3a */
    stl_be_p(head, 0x00080000);
    stl_be_p(head + 4, 0x80000000 | PV_IMG_STAGE3A);
    /*
     * Then the two IPL CCWs and the blanks an s390 Linux image has there
     * (unused here): the s390-ccw BIOS boots an El Torito entry of an
     * ISO-9660 image only when it finds them.
     */
    stl_be_p(head + 8, 0x02000018);
    stl_be_p(head + 12, 0x60000050);
    stl_be_p(head + 16, 0x02000068);
    stl_be_p(head + 20, 0x60000050);
    memset(head + 24, 0x40, 8);
    memcpy(head + PV_IMG_STAGE3A, stage3a, s3a_len);
    b = head + PV_IMG_STAGE3A + s3a_len - sizeof(struct stage3a_args);
    stq_be_p(b, PV_IMG_HDR - PV_IMG_STAGE3A);
    stq_be_p(b + 8, s390_pv_se_header_len(o->nr_host_keys));
    stq_be_p(b + 16, PV_IMG_IPIB - PV_IMG_STAGE3A);

    /* the PV IPL block */
    b = head + PV_IMG_IPIB;
    stl_be_p(b + S390_PV_IPLB_OFF_LEN, PAGE);
    b[S390_PV_IPLB_OFF_VERSION] = 1;
    stl_be_p(b + S390_PV_IPLB_OFF_PB0_LEN,
             S390_PV_IPLB_PB0_BASE + nr_present * S390_PV_IPLB_COMP_SIZE);
    b[S390_PV_IPLB_OFF_PBT] = S390_PV_IPLB_PBT;
    stl_be_p(b + S390_PV_IPLB_OFF_NUM_COMP, nr_present);
    stq_be_p(b + S390_PV_IPLB_OFF_HDR_ADDR, PV_IMG_HDR);
    stq_be_p(b + S390_PV_IPLB_OFF_HDR_LEN,
             s390_pv_se_header_len(o->nr_host_keys));
    for (i = 0, j = 0; i < NR_COMP; i++) {
        uint8_t *c = b + S390_PV_IPLB_OFF_COMP + j * S390_PV_IPLB_COMP_SIZE;

        if (!present[i]) {
            continue;
        }
        j++;
        stq_be_p(c, tweak[i]);
        stq_be_p(c + 8, addr[i]);
        stq_be_p(c + 16, size[i]);
    }

    out_write(fd, 0, head, PV_IMG_COMPONENTS);
    if (fsync(fd) || close(fd) || rename(tmp_output, o->output)) {
        die("cannot write %s: %s", o->output, strerror(errno));
    }
    g_free(tmp_output);
    tmp_output = NULL;
    note("%s: %" PRIu64 " bytes, %" PRIu64 " encrypted pages, %d key "
         "slot(s)", o->output, img_size, spec.nep, o->nr_host_keys);

    /* the image keys, the customer key and what they came from */
    s390_pv_se_wipe(&spec, sizeof(spec));
    s390_pv_se_wipe(&cust, sizeof(cust));
    for (i = 0; i < NR_COMP; i++) {
        if (comp[i].file) {
            close(comp[i].fd);
        }
        g_free(comp[i].data);
    }
}

static void print_hex(const char *name, const uint8_t *p, size_t n)
{
    size_t i;

    printf("%-12s ", name);
    for (i = 0; i < n; i++) {
        printf("%02x", p[i]);
    }
    printf("\n");
}

/*
 * Print the header's plaintext part and the component table of the image
 * @img (@len bytes, named @name), no key.  Every offset and count comes
 * from the file: each is bounded by @len before it is used.
 */
static bool image_info(const char *name, const uint8_t *img, size_t len,
                       bool *inconsistent, Error **errp)
{
    const uint8_t *h, *b;
    uint64_t nks, hdr_off = PV_IMG_HDR, ipib_off = PV_IMG_IPIB, i;
    uint32_t n;

    /* pvimg (s390-tools 2.36+) images say where things are at 0xc000 */
    if (len >= 0xc020 && !memcmp(img + 0xc000, "SeImgLnx", 8)) {
        hdr_off = ldq_be_p(img + 0xc008);
        ipib_off = ldq_be_p(img + 0xc018);
    }
    if (hdr_off > len || len - hdr_off < S390_PV_SE_OFF_SLOTS ||
        ldq_be_p(img + hdr_off) != S390_PV_SE_MAGIC) {
        error_setg(errp, "%s: no Secure Execution header found", name);
        return false;
    }
    h = img + hdr_off;
    nks = ldq_be_p(h + S390_PV_SE_OFF_NKS);
    printf("image        %s (%zu bytes)\n", name, len);
    printf("header at    0x%" PRIx64 "\n", hdr_off);
    printf("version      0x%x\n", ldl_be_p(h + S390_PV_SE_OFF_VERSION));
    printf("phs          %u\n", ldl_be_p(h + S390_PV_SE_OFF_PHS));
    printf("nks          %" PRIu64 "\n", nks);
    printf("sea          %" PRIu64 "\n", ldq_be_p(h + S390_PV_SE_OFF_SEA));
    printf("nep          %" PRIu64 "\n", ldq_be_p(h + S390_PV_SE_OFF_NEP));
    printf("pcf          0x%" PRIx64 "\n",
           ldq_be_p(h + S390_PV_SE_OFF_PCF));
    /* the size must be what the key slots and the secret part make */
    {
        uint64_t phs = ldl_be_p(h + S390_PV_SE_OFF_PHS);
        uint64_t sea = ldq_be_p(h + S390_PV_SE_OFF_SEA);
        uint64_t want = nks > 0xffff || sea > 0xffffffff ? 0 :
                        S390_PV_SE_OFF_SLOTS + nks * S390_PV_SE_SLOT_LEN +
                        sea + S390_PV_SE_TAG_LEN;

        if (phs != want) {
            printf("consistent   NO: phs %" PRIu64 " bytes, but %" PRIu64
                   " key slots and sea %" PRIu64 " make %" PRIu64 "\n",
                   phs, nks, sea, want);
            if (inconsistent) {
                *inconsistent = true;
            }
        } else {
            printf("consistent   yes\n");
        }
    }
    print_hex("iv", h + S390_PV_SE_OFF_IV, S390_PV_SE_IV_LEN);
    print_hex("cust-pub-x", h + S390_PV_SE_OFF_CUST_X + 14, 66);
    print_hex("cust-pub-y", h + S390_PV_SE_OFF_CUST_Y + 14, 66);
    print_hex("pld", h + S390_PV_SE_OFF_PLD, 64);
    print_hex("ald", h + S390_PV_SE_OFF_ALD, 64);
    print_hex("tld", h + S390_PV_SE_OFF_TLD, 64);
    for (i = 0; i < nks && (len - hdr_off - S390_PV_SE_OFF_SLOTS) /
         S390_PV_SE_SLOT_LEN > i; i++) {
        g_autofree char *slot = g_strdup_printf("key-slot %" PRIu64, i);

        print_hex(slot, h + S390_PV_SE_OFF_SLOTS + i * S390_PV_SE_SLOT_LEN,
                  32);
    }
    if (ipib_off > len || len - ipib_off < S390_PV_IPLB_OFF_COMP) {
        error_setg(errp, "%s: no PV IPL block found", name);
        return false;
    }
    b = img + ipib_off;
    n = ldl_be_p(b + S390_PV_IPLB_OFF_NUM_COMP);
    printf("components   %u\n", n);
    for (i = 0; i < n && i < S390_PV_IPLB_MAX_COMP &&
         (len - ipib_off - S390_PV_IPLB_OFF_COMP) / S390_PV_IPLB_COMP_SIZE >
         i; i++) {
        const uint8_t *c = b + S390_PV_IPLB_OFF_COMP +
                           S390_PV_IPLB_COMP_SIZE * i;

        printf("  %" PRIu64 ": tweak 0x%016" PRIx64 " addr 0x%08" PRIx64
               " size 0x%" PRIx64 "\n", i, ldq_be_p(c), ldq_be_p(c + 8),
               ldq_be_p(c + 16));
    }
    return true;
}

static void info(const char *file)
{
    g_autofree uint8_t *img = NULL;
    Error *err = NULL;
    bool bad = false;
    gsize len;

    img = read_file(file, &len);
    if (!image_info(file, img, len, &bad, &err)) {
        die_err(err);
    }
    if (bad) {
        die("%s: the SE header's size contradicts its key-slot count",
            file);
    }
}

static void usage(void)
{
    printf("Usage: s390-pvimg -k HOST_KEY_DOCUMENT [-k ...]\n"
           "                  {-C CERT [-C ...] [--crl CRL ...] [--root-ca CA]\n"
           "                   [--offline] | --no-verify}\n"
           "                  -i KERNEL [-r INITRD] [-p PARMFILE] -o OUTPUT\n"
           "                  [--x-pcf N] [--x-scf N] [--x-comp-key FILE]\n"
           "                  [--x-header-key FILE] [--x-comm-key FILE]\n"
           "                  [--enable-dump|--disable-dump] [-V]\n"
           "       s390-pvimg info IMAGE\n\n"
           "Build an IBM Secure Execution image (genprotimg compatible).\n"
           "  -k, --host-key-document  X.509 certificate (PEM or DER) of a\n"
           "                           host's EC secp521r1 key; one key\n"
           "                           slot each\n"
           "  -C, --cert               the IBM Z signing-key certificate and\n"
           "                           the intermediate CA(s), to verify\n"
           "                           the host-key documents with\n"
           "      --crl                a CRL file (PEM or DER), repeatable\n"
           "      --root-ca            the only trusted root CA (default:\n"
           "                           the system's trusted CAs)\n"
           "      --offline            do not download the CRLs named by\n"
           "                           the certificates' distribution points\n"
           "      --no-verify          use host-key documents unverified\n"
           "  -i, --image              the s390 kernel image\n"
           "  -r, --ramdisk            the initrd\n"
           "  -p, --parmfile           the kernel command line\n"
           "  -o, --output             the image to write\n"
           "      --x-pcf, --x-scf     plaintext/secret control flags (hex)\n"
           "      --enable-dump,       allow (disallow) a protected dump\n"
           "      --disable-dump       (PCF bit 0x20000000)\n"
           "      --no-component-check do not check the command line\n"
           "                           against the kernel's maximum\n"
           "      --x-comp-key         64-byte file: AES-256-XTS key\n"
           "      --x-header-key       32-byte file: the header key\n"
           "      --x-comm-key         32-byte file: customer communication\n"
           "                           key; with all three --x-*-key given,\n"
           "                           the output is reproducible\n"
           "      --comm-key, --cck, --hdr-key, --overwrite: pvimg create's\n"
           "                           names for --x-comm-key, --x-header-key\n"
           "                           (the output is always replaced)\n"
           "  -v, --version            print the version\n"
           "  -V, --verbose            say what goes where\n");
}

/* A hexadecimal value, with or without 0x, as genprotimg takes it */
static uint64_t parse_hex(const char *s, const char *opt)
{
    uint64_t v;

    if (qemu_strtou64(s, NULL, 16, &v) < 0) {
        die("%s: '%s' is not a hexadecimal number", opt, s);
    }
    return v;
}

/* The fuzzer of "info" takes the functions above, not main(). */
#ifndef S390_PVIMG_NO_MAIN
int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "host-key-document", required_argument, NULL, 'k' },
        { "no-verify", no_argument, NULL, 'N' },
        { "image", required_argument, NULL, 'i' },
        { "ramdisk", required_argument, NULL, 'r' },
        { "parmfile", required_argument, NULL, 'p' },
        { "output", required_argument, NULL, 'o' },
        { "x-pcf", required_argument, NULL, 'P' },
        { "x-scf", required_argument, NULL, 'S' },
        { "x-comp-key", required_argument, NULL, 'X' },
        { "x-header-key", required_argument, NULL, 'H' },
        { "x-comm-key", required_argument, NULL, 'M' },
        { "cert", required_argument, NULL, 'C' },
        { "crt", required_argument, NULL, 'C' },
        { "crl", required_argument, NULL, 'R' },
        { "root-ca", required_argument, NULL, 'T' },
        { "offline", no_argument, NULL, 'F' },
        /* the spellings of pvimg create (s390-tools 2.36+) */
        { "comm-key", required_argument, NULL, 'M' },
        { "cck", required_argument, NULL, 'M' },
        { "hdr-key", required_argument, NULL, 'H' },
        { "overwrite", no_argument, NULL, 'W' },
        { "no-component-check", no_argument, NULL, 'K' },
        { "enable-dump", no_argument, NULL, 'D' },
        { "disable-dump", no_argument, NULL, 'd' },
        { "version", no_argument, NULL, 'v' },
        { "loader-dir", required_argument, NULL, 'L' },
        { "verbose", no_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },
        { }
    };
    Opts o = { 0 };
    Error *err = NULL;
    int c, dump = -1;

    qemu_init_exec_dir(argv[0]);
    if (qcrypto_init(&err) < 0) {
        die_err(err);
    }
    if (argc == 3 && !strcmp(argv[1], "info")) {
        info(argv[2]);
        return 0;
    }
    while ((c = getopt_long(argc, argv, "k:C:i:r:p:o:Vvh", longopts,
                            NULL)) != -1) {
        switch (c) {
        case 'k':
            if (o.nr_host_keys == MAX_HOST_KEYS) {
                die("at most %d host-key documents", MAX_HOST_KEYS);
            }
            o.host_keys[o.nr_host_keys++] = optarg;
            break;
        case 'N':
            o.no_verify = true;
            break;
        case 'i':
            o.kernel = optarg;
            break;
        case 'r':
            o.ramdisk = optarg;
            break;
        case 'p':
            o.parmfile = optarg;
            break;
        case 'o':
            o.output = optarg;
            break;
        case 'P':
            o.pcf = parse_hex(optarg, "--x-pcf");
            break;
        case 'S':
            o.scf = parse_hex(optarg, "--x-scf");
            break;
        case 'W':
            /* the output is always replaced, as genprotimg does */
            break;
        case 'K':
            o.no_component_check = true;
            break;
        case 'D':
            dump = 1;
            break;
        case 'd':
            dump = 0;
            break;
        case 'v':
            printf("s390-pvimg (QEMU %s), genprotimg compatible\n",
                   QEMU_FULL_VERSION);
            return 0;
        case 'X':
            o.comp_key = optarg;
            break;
        case 'C':
            if (o.hkd.nr_certs == HKD_MAX_FILES) {
                die("at most %d --cert files", HKD_MAX_FILES);
            }
            o.hkd.certs[o.hkd.nr_certs++] = optarg;
            break;
        case 'R':
            if (o.hkd.nr_crls == HKD_MAX_FILES) {
                die("at most %d --crl files", HKD_MAX_FILES);
            }
            o.hkd.crls[o.hkd.nr_crls++] = optarg;
            break;
        case 'T':
            o.hkd.root_ca = optarg;
            break;
        case 'F':
            o.hkd.offline = true;
            break;
        case 'H':
            o.header_key = optarg;
            break;
        case 'M':
            o.comm_key = optarg;
            break;
        case 'L':
            o.loader_dir = optarg;
            break;
        case 'V':
            verbose = true;
            break;
        case 'h':
            usage();
            return 0;
        default:
            die("bad option (see --help)");
        }
    }
    if (optind != argc) {
        die("unexpected argument '%s' (see --help)", argv[optind]);
    }
    if (dump == 1) {
        o.pcf |= S390_PV_PCF_ALLOW_DUMP;
    } else if (dump == 0) {
        o.pcf &= ~S390_PV_PCF_ALLOW_DUMP;
    }
    build(&o);
    return 0;
}
#endif
