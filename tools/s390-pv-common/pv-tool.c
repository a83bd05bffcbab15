/*
 * What the Secure Execution host tools share: messages, files, keys and
 * host-key document verification (genprotimg's and pvattest's rules)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <netdb.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <gnutls/abstract.h>
#include <getopt.h>
#include "qapi/error.h"
#include "qemu-version.h"
#include "qemu/bswap.h"
#include "pv-tool.h"

bool verbose;
char *tmp_output;
const char *tool_name = "s390-pv";

void die(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", tool_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    if (tmp_output) {
        unlink(tmp_output);
    }
    exit(1);
}

void die_err(Error *err)
{
    die("%s", error_get_pretty(err));
}

void note(const char *fmt, ...)
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

uint8_t *read_file(const char *file, gsize *len)
{
    g_autoptr(GError) gerr = NULL;
    char *data;

    if (!g_file_get_contents(file, &data, len, &gerr)) {
        die("%s", gerr->message);
    }
    return (uint8_t *)data;
}

/* --x-*-key FILE: exactly @len bytes */
void read_key(const char *file, uint8_t *key, size_t len,
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
void read_host_key(const char *file, S390PVKey *key)
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

void random_bytes(uint8_t *buf, size_t len)
{
    if (gnutls_rnd(GNUTLS_RND_KEY, buf, len) < 0) {
        die("no random numbers from gnutls");
    }
}

void random_cust_key(S390PVKey *cust)
{
    uint8_t priv[S390_PV_SE_COORD_LEN];

    do {
        random_bytes(priv, sizeof(priv));
        priv[0] &= 0x01;        /* below the P-521 order */
    } while (!s390_pv_key_from_priv(priv, cust, NULL));
    s390_pv_se_wipe(priv, sizeof(priv));
}

void write_output(const char *file, const void *buf, size_t len,
                  bool private)
{
    g_autofree char *tmp = g_strdup_printf("%s.XXXXXX", file);
    mode_t mask = umask(0);
    int fd;

    umask(mask);
    fd = g_mkstemp_full(tmp, O_WRONLY, 0600);
    if (fd < 0) {
        die("cannot create %s: %s", file, strerror(errno));
    }
    tmp_output = tmp;
    if (fchmod(fd, (private ? 0600 : 0666) & ~mask) < 0 ||
        write(fd, buf, len) != (ssize_t)len || close(fd) < 0 ||
        rename(tmp, file) < 0) {
        die("cannot write %s: %s", file, strerror(errno));
    }
    tmp_output = NULL;
}

const uint8_t *find_se_header(const char *file, const uint8_t *img,
                              size_t len, uint32_t *hdr_len)
{
    size_t off;

    for (off = 0; off + S390_PV_SE_OFF_SLOTS <= len;
         off += S390_PV_SE_PAGE) {
        const uint8_t *h = img + off;
        uint32_t phs;

        if (ldq_be_p(h + S390_PV_SE_OFF_MAGIC) != S390_PV_SE_MAGIC) {
            continue;
        }
        phs = ldl_be_p(h + S390_PV_SE_OFF_PHS);
        if (phs < S390_PV_SE_OFF_SLOTS + S390_PV_SE_TAG_LEN ||
            phs > S390_PV_SE_MAX_LEN || phs > len - off) {
            die("%s: the SE header at 0x%zx has a bad size (%u)", file, off,
                phs);
        }
        *hdr_len = phs;
        return h;
    }
    die("%s: no IBM Secure Execution header found", file);
}

void se_header_tags(const uint8_t *hdr, uint32_t hdr_len, uint8_t *tags)
{
    memcpy(tags, hdr + S390_PV_SE_OFF_PLD, 3 * 64);
    memcpy(tags + 3 * 64, hdr + hdr_len - S390_PV_SE_TAG_LEN,
           S390_PV_SE_TAG_LEN);
}

/* --- host-key document verification ------------------------------------- */

#define HKD_MAX_CRLS        256
#define HKD_DOWNLOAD_SEC    3
#define HKD_DOWNLOAD_MAX    (1024 * 1024)

/*
 * The chain: root CA -> intermediate CA(s) -> IBM Z signing key -> host-key
 * document (HKD).  The signing key is no CA, so GnuTLS's chain
 * verification covers root .. signing key, and the last link, the HKD's
 * revocation and the signing key's CRL are checked here by hand.
 */

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
void hkd_verify(const HkdOpts *o, const char *const *hkds, int nr)
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

bool host_keys_option(HostKeys *hk, int c, const char *arg)
{
    switch (c) {
    case 'k':
        if (hk->nr == MAX_HOST_KEYS) {
            die("at most %d host-key documents", MAX_HOST_KEYS);
        }
        hk->files[hk->nr++] = arg;
        return true;
    case 'N':
        hk->no_verify = true;
        return true;
    case 'C':
        if (hk->hkd.nr_certs == HKD_MAX_FILES) {
            die("at most %d --cert files", HKD_MAX_FILES);
        }
        hk->hkd.certs[hk->hkd.nr_certs++] = arg;
        return true;
    case 'R':
        if (hk->hkd.nr_crls == HKD_MAX_FILES) {
            die("at most %d --crl files", HKD_MAX_FILES);
        }
        hk->hkd.crls[hk->hkd.nr_crls++] = arg;
        return true;
    case 'T':
        hk->hkd.root_ca = arg;
        return true;
    case 'F':
        hk->hkd.offline = true;
        return true;
    }
    return false;
}

void host_keys_load(const HostKeys *hk, S390PVKey *keys)
{
    int i;

    if (!hk->no_verify) {
        hkd_verify(&hk->hkd, hk->files, hk->nr);
    }
    for (i = 0; i < hk->nr; i++) {
        read_host_key(hk->files[i], &keys[i]);
    }
}

struct option *host_keys_longopts(const struct option *own)
{
    static const struct option host_key_opts[] = {
        { "host-key-document", required_argument, NULL, 'k' },
        { "no-verify", no_argument, NULL, 'N' },
        { "cert", required_argument, NULL, 'C' },
        { "crt", required_argument, NULL, 'C' },
        { "crl", required_argument, NULL, 'R' },
        { "root-ca", required_argument, NULL, 'T' },
        { "offline", no_argument, NULL, 'F' },
    };
    struct option *all;
    int n = 0;

    while (own[n].name) {
        n++;
    }
    all = g_new0(struct option, n + ARRAY_SIZE(host_key_opts) + 1);
    memcpy(all, own, n * sizeof(*own));
    memcpy(all + n, host_key_opts, sizeof(host_key_opts));
    return all;
}

bool tool_start(int *argc, char ***argv, const char *name,
                const char *compatible, void (*usage)(void), int *status)
{
    tool_name = name;
    while (*argc > 1 && (!strcmp((*argv)[1], "-v") ||
                         !strcmp((*argv)[1], "-V") ||
                         !strcmp((*argv)[1], "--verbose"))) {
        verbose = true;
        (*argv)[1] = (*argv)[0];
        (*argc)--;
        (*argv)++;
    }
    if (*argc < 2) {
        die("no command given (see --help)");
    }
    if (!strcmp((*argv)[1], "--help") || !strcmp((*argv)[1], "-h")) {
        usage();
        *status = 0;
        return false;
    }
    if (!strcmp((*argv)[1], "--version") || !strcmp((*argv)[1], "version")) {
        printf("%s (QEMU %s), %s compatible\n", name, QEMU_FULL_VERSION,
               compatible);
        *status = 0;
        return false;
    }
    return true;
}
