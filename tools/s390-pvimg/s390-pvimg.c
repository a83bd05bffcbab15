/*
 * s390-pvimg: build IBM Secure Execution boot images, genprotimg style
 *
 *   s390-pvimg -k HKD.crt [-k ...] --no-verify -i KERNEL [-r INITRD]
 *              [-p PARMFILE] -o IMAGE [--x-pcf N] [--x-scf N]
 *              [--x-comp-key F] [--x-header-key F] [--x-comm-key F] [-V]
 *   s390-pvimg info [--format json] [--key HEADER_KEY] IMAGE
 *   s390-pvimg test IMAGE {-k HKD ... | --key-hashes[=FILE]}
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
#include "../s390-pv-common/pv-tool.h"

#define PAGE            S390_PV_SE_PAGE
#define KERNEL_MIN      0x10000     /* its first 64 KiB are its lowcore */

/* Component kinds, in image order (C genprotimg's tweak prefixes) */
enum { COMP_KERNEL, COMP_CMDLINE, COMP_INITRD, COMP_STAGE3B, NR_COMP };

static const char *const comp_names[NR_COMP] = {
    "kernel", "cmdline", "initrd", "stage3b"
};

/* The directory this program was started from */
static char *exec_dir;

static void init_exec_dir(const char *argv0)
{
    g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);

    exec_dir = g_path_get_dirname(self ? self : argv0);
}

/* Where the loaders are: next to QEMU's firmware. */
static uint8_t *read_loader(const char *dir, const char *name, gsize *len)
{
    /* in the build tree, the tool is one level below qemu-bundle */
    g_autofree char *bundle = g_build_filename(exec_dir, "..",
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

typedef struct Opts {
    HostKeys hk;
    const char *kernel, *ramdisk, *parmfile, *output;
    const char *comp_key, *header_key, *comm_key, *loader_dir;
    uint64_t pcf, scf;
    uint64_t psw_addr;          /* --x-psw, or 0: stage3b's entry */
    bool no_component_check;
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

    if (!o->kernel || !o->output || !o->hk.nr) {
        die("need -k HOST_KEY_DOCUMENT, -i KERNEL and -o OUTPUT "
            "(see --help)");
    }
    host_keys_load(&o->hk, hosts);

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
        for (i = 0; i < o->hk.nr; i++) {
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
    spec.nr_host_keys = o->hk.nr;
    spec.cust_key = &cust;
    spec.psw_mask = 0x0000000180000000ULL;
    spec.psw_addr = o->psw_addr ? o->psw_addr : addr[COMP_STAGE3B];
    spec.pcf = o->pcf;
    spec.scf = o->scf;
    if (s390_pv_se_header_len(o->hk.nr) > PV_IMG_COMPONENTS -
        PV_IMG_HDR) {
        die("%d host keys make the SE header too large",
            o->hk.nr);
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
    stq_be_p(b + 8, s390_pv_se_header_len(o->hk.nr));
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
             s390_pv_se_header_len(o->hk.nr));
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
         "slot(s)", o->output, img_size, spec.nep, o->hk.nr);

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

    /*
     * pvimg (s390-tools 2.36+) images say where things are at 0xc000, in
     * 28 packed bytes: magic, SE header offset, version (4 bytes), IPL
     * block offset.
     */
    if (len >= PV_IMG_META + PV_IMG_META_LEN &&
        !memcmp(img + PV_IMG_META, "SeImgLnx", 8)) {
        hdr_off = ldq_be_p(img + PV_IMG_META + 0x08);
        ipib_off = ldq_be_p(img + PV_IMG_META + 0x14);
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

/* --- pvimg info --format json ------------------------------------------ */

static void json_hex(GString *j, const char *ind, const char *key,
                     const uint8_t *p, size_t n, bool comma)
{
    size_t i;

    g_string_append_printf(j, "%s\"%s\": \"", ind, key);
    for (i = 0; i < n; i++) {
        g_string_append_printf(j, "%02x", p[i]);
    }
    g_string_append_printf(j, "\"%s\n", comma ? "," : "");
}

static void json_u64(GString *j, const char *key, uint64_t v)
{
    g_string_append_printf(j, "  \"%s\": %" PRIu64 ",\n", key, v);
}

static void json_hex64(GString *j, const char *ind, const char *key,
                       uint64_t v, bool comma)
{
    g_string_append_printf(j, "%s\"%s\": \"%016" PRIx64 "\"%s\n", ind, key,
                           v, comma ? "," : "");
}

/*
 * The SE header @h (@hdr_len bytes, already bounded by the file) as
 * pvimg 2.36's "info --format json" prints it: the plaintext fields, then
 * either the encrypted part in base64 or, opened with the header key
 * (@open), the secrets.  Returns the text.
 */
static char *header_json(const uint8_t *h, uint32_t hdr_len,
                         const S390PVHeader *open)
{
    GString *j = g_string_new("{\n");
    uint64_t nks = ldq_be_p(h + S390_PV_SE_OFF_NKS);
    uint64_t sea = ldq_be_p(h + S390_PV_SE_OFF_SEA);
    uint32_t version = ldl_be_p(h + S390_PV_SE_OFF_VERSION);
    uint64_t i, enc;

    enc = S390_PV_SE_OFF_SLOTS + nks * S390_PV_SE_SLOT_LEN;
    json_hex(j, "  ", "magic", h, 8, true);
    if (version == S390_PV_SE_VERSION) {
        g_string_append(j, "  \"version\": \"V1\",\n");
    } else {
        g_string_append_printf(j, "  \"version\": %u,\n", version);
    }
    json_u64(j, "sehs", ldl_be_p(h + S390_PV_SE_OFF_PHS));
    json_hex(j, "  ", "iv_hex", h + S390_PV_SE_OFF_IV, S390_PV_SE_IV_LEN,
             true);
    json_u64(j, "nks", nks);
    json_u64(j, "sea", sea);
    json_u64(j, "nep", ldq_be_p(h + S390_PV_SE_OFF_NEP));
    json_hex64(j, "  ", "pcf_hex", ldq_be_p(h + S390_PV_SE_OFF_PCF), true);
    g_string_append(j, "  \"cust_pub_key\": {\n");
    json_hex(j, "    ", "coord_hex", h + S390_PV_SE_OFF_CUST_X,
             2 * S390_PV_SE_COORD_FIELD, false);
    g_string_append(j, "  },\n");
    json_hex(j, "  ", "pld_hex", h + S390_PV_SE_OFF_PLD, 64, true);
    json_hex(j, "  ", "ald_hex", h + S390_PV_SE_OFF_ALD, 64, true);
    json_hex(j, "  ", "tld_hex", h + S390_PV_SE_OFF_TLD, 64, true);
    g_string_append(j, nks ? "  \"keyslots\": [\n" : "  \"keyslots\": [],\n");
    for (i = 0; i < nks; i++) {
        const uint8_t *slot = h + S390_PV_SE_OFF_SLOTS +
                              i * S390_PV_SE_SLOT_LEN;

        g_string_append(j, "    {\n");
        json_hex(j, "      ", "phkh_hex", slot, 32, true);
        json_hex(j, "      ", "wrpk_hex", slot + 32, 32, true);
        json_hex(j, "      ", "kst_hex", slot + 64, 16, false);
        g_string_append_printf(j, "    }%s\n", i + 1 < nks ? "," : "");
    }
    if (nks) {
        g_string_append(j, "  ],\n");
    }
    if (open) {
        json_hex(j, "  ", "cck_hex", open->cck, sizeof(open->cck), true);
        json_hex(j, "  ", "xts_hex", open->xts_key, sizeof(open->xts_key),
                 true);
        g_string_append(j, "  \"psw\": {\n");
        json_hex64(j, "    ", "mask_hex", open->psw_mask, true);
        json_hex64(j, "    ", "addr_hex", open->psw_addr, false);
        g_string_append(j, "  },\n");
        json_hex64(j, "  ", "scf_hex", open->scf, true);
    } else {
        g_autofree char *b64 = g_base64_encode(h + enc, sea);

        g_string_append_printf(j, "  \"cipher_data_b64\": \"%s\",\n", b64);
    }
    json_hex(j, "  ", "tag_hex", h + hdr_len - S390_PV_SE_TAG_LEN,
             S390_PV_SE_TAG_LEN, false);
    g_string_append(j, "}\n");
    return g_string_free(j, false);
}

/*
 * The JSON of the SE header in the image @img (@len bytes, named @name),
 * opened with @hdr_key if given; NULL with @errp set if there is no header,
 * its sizes contradict each other or the key does not open it.  The
 * header is found as pvimg finds it: the first page that starts with the
 * magic.
 */
static char *image_json(const char *name, const uint8_t *img, size_t len,
                        const uint8_t *hdr_key, Error **errp)
{
    S390PVHeader open;
    const uint8_t *h = NULL;
    uint64_t nks, sea, phs;
    size_t off;
    char *text;

    for (off = 0; len >= S390_PV_SE_OFF_SLOTS &&
         off <= len - S390_PV_SE_OFF_SLOTS; off += PAGE) {
        if (ldq_be_p(img + off) == S390_PV_SE_MAGIC) {
            h = img + off;
            break;
        }
    }
    if (!h) {
        error_setg(errp, "%s: no Secure Execution header found", name);
        return NULL;
    }
    phs = ldl_be_p(h + S390_PV_SE_OFF_PHS);
    nks = ldq_be_p(h + S390_PV_SE_OFF_NKS);
    sea = ldq_be_p(h + S390_PV_SE_OFF_SEA);
    if (phs > len - off || phs > S390_PV_SE_MAX_LEN ||
        nks > S390_PV_SE_MAX_LEN / S390_PV_SE_SLOT_LEN ||
        sea > S390_PV_SE_MAX_LEN ||
        S390_PV_SE_OFF_SLOTS + nks * S390_PV_SE_SLOT_LEN + sea +
        S390_PV_SE_TAG_LEN != phs) {
        error_setg(errp, "%s: the SE header's size (%" PRIu64 ") is not "
                   "what its %" PRIu64 " key slot(s) and %" PRIu64
                   " encrypted bytes make, or past the file's end", name,
                   phs, nks, sea);
        return NULL;
    }
    if (hdr_key && s390_pv_se_open_with_key(h, phs, hdr_key, &open, errp)) {
        error_prepend(errp, "%s: the key given does not open its SE header: ",
                      name);
        return NULL;
    }
    text = header_json(h, phs, hdr_key ? &open : NULL);
    s390_pv_se_wipe(&open, sizeof(open));
    return text;
}

/*
 * s390-pvimg info [--format json] [--key FILE] IMAGE.  Without --format,
 * our own text (the PV IPL block too); with it, pvimg's JSON.
 */
static int cmd_info(int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "key", required_argument, NULL, 'K' },
        { "hdr-key", required_argument, NULL, 'K' },
        { "verbose", no_argument, NULL, 'V' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { }
    };
    g_autofree uint8_t *img = NULL;
    g_autofree char *text = NULL;
    const char *format = NULL, *key_file = NULL;
    uint8_t key[32] = { 0 };
    Error *err = NULL;
    gsize len;
    int c;

    while ((c = getopt_long(argc, argv, "hvVq", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            format = optarg;
            break;
        case 'K':
            key_file = optarg;
            break;
        case 'v':
        case 'V':
            verbose = true;
            break;
        case 'q':
            verbose = false;
            break;
        case 'h':
            printf("Usage: s390-pvimg info [--format json] [--key FILE] "
                   "IMAGE\n\n"
                   "Print the image's SE header (and, without --format, "
                   "its PV IPL block).\n"
                   "      --format json        pvimg's JSON\n"
                   "      --key, --hdr-key FILE  the header key the image "
                   "was built\n"
                   "                           with (--x-header-key): "
                   "authenticate the\n"
                   "                           header and show its secrets "
                   "(JSON)\n");
            return 0;
        default:
            die("info: bad option (see s390-pvimg info --help)");
        }
    }
    if (optind + 1 != argc) {
        die("info: give exactly one IMAGE (see s390-pvimg info --help)");
    }
    if (format && strcmp(format, "json") && strcmp(format, "json:pretty")) {
        die("info: --format %s: the only format is json", format);
    }
    if (key_file && !format) {
        die("info: --key needs --format json");
    }
    img = read_file(argv[optind], &len);
    if (!format) {
        bool bad = false;

        if (!image_info(argv[optind], img, len, &bad, &err)) {
            die_err(err);
        }
        if (bad) {
            die("%s: the SE header's size contradicts its key-slot count",
                argv[optind]);
        }
        return 0;
    }
    if (key_file) {
        read_key(key_file, key, sizeof(key), "header key");
    }
    text = image_json(argv[optind], img, len, key_file ? key : NULL, &err);
    s390_pv_se_wipe(key, sizeof(key));
    if (!text) {
        die_err(err);
    }
    if (!key_file) {
        fprintf(stderr, "s390-pvimg: WARNING: the SE header is not "
                "authenticated (no --key): do not trust it\n");
    }
    fputs(text, stdout);
    s390_pv_se_wipe(text, strlen(text));
    return fflush(stdout) ? 1 : 0;
}

/* --- pvimg test --------------------------------------------------------- */

#define UV_KEYS_ALL     "/sys/firmware/uv/keys/all"
#define UV_KEY_HASHES   15

static bool header_has_hash(const uint8_t *h, const uint8_t hash[32])
{
    uint64_t i, nks = ldq_be_p(h + S390_PV_SE_OFF_NKS);

    for (i = 0; i < nks; i++) {
        if (!memcmp(h + S390_PV_SE_OFF_SLOTS + i * S390_PV_SE_SLOT_LEN,
                    hash, 32)) {
            return true;
        }
    }
    return false;
}

static void print_hash(const char *what, const uint8_t hash[32])
{
    int i;

    printf(" \u2713 %s ", what);
    for (i = 0; i < 32; i++) {
        printf("%02x", hash[i]);
    }
    printf(" is included\n");
}

/*
 * The Ultravisor's key hashes, as Linux shows them in UV_KEYS_ALL: 15
 * lines of 64 hex digits (the host key's, the backup key's, then
 * reserved ones, zero when unused).
 */
static bool test_key_hashes(const uint8_t *h, const char *file)
{
    static const uint8_t zero[32];
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    uint8_t hash[UV_KEY_HASHES][32];
    bool found = false;
    int i, k, n = 0;

    if (!g_file_get_contents(file, &text, NULL, NULL)) {
        if (!strcmp(file, UV_KEYS_ALL)) {
            die("%s: not available: this system has no Query Ultravisor "
                "Keys call (give --key-hashes=FILE)", file);
        }
        die("%s: %s", file, g_strerror(errno));
    }
    /* all of it first: a bad file says nothing but why */
    lines = g_strsplit(text, "\n", -1);
    for (i = 0; lines[i]; i++) {
        const char *l = g_strstrip(lines[i]);

        if (!*l) {
            continue;
        }
        if (strlen(l) != 64 || n == UV_KEY_HASHES) {
            break;
        }
        for (k = 0; k < 32; k++) {
            if (!g_ascii_isxdigit(l[2 * k]) ||
                !g_ascii_isxdigit(l[2 * k + 1])) {
                break;
            }
            hash[n][k] = g_ascii_xdigit_value(l[2 * k]) << 4 |
                         g_ascii_xdigit_value(l[2 * k + 1]);
        }
        if (k < 32) {
            break;
        }
        n++;
    }
    if (lines[i] || n != UV_KEY_HASHES) {
        die("%s: not the Ultravisor's key hashes (%d lines of 64 hex "
            "digits)", file, UV_KEY_HASHES);
    }
    for (n = 0; n < UV_KEY_HASHES; n++) {
        if (memcmp(hash[n], zero, 32) && header_has_hash(h, hash[n])) {
            print_hash(n == 0 ? "Host key hash" : n == 1 ?
                       "Backup host key hash" : "Key hash", hash[n]);
            found = true;
        }
    }
    if (!found) {
        printf(" \u2718 None of the key hashes is included\n");
    }
    return found;
}

/*
 * s390-pvimg test IMAGE {-k HKD [-k ...] | --key-hashes[=FILE]}: is the
 * image made for this host?  Exit 0 if so, 1 if not.
 */
static int cmd_test(int argc, char **argv)
{
    static const struct option opts[] = {
        { "host-key-document", required_argument, NULL, 'k' },
        { "key-hashes", optional_argument, NULL, 'H' },
        { "verbose", no_argument, NULL, 'V' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { }
    };
    g_autoptr(GPtrArray) hkds = g_ptr_array_new_with_free_func(g_free);
    g_autofree uint8_t *img = NULL;
    const char *hashes = NULL;
    const uint8_t *h;
    bool ok = true, any = false;
    uint32_t hdr_len;
    gsize len;
    guint i;
    int c;

    while ((c = getopt_long(argc, argv, "k:hvVq", opts, NULL)) != -1) {
        switch (c) {
        case 'k': {
            g_auto(GStrv) parts = g_strsplit(optarg, ",", -1);
            int k;

            for (k = 0; parts[k]; k++) {
                if (*parts[k]) {
                    g_ptr_array_add(hkds, g_strdup(parts[k]));
                }
            }
            break;
        }
        case 'H':
            hashes = optarg ? optarg : UV_KEYS_ALL;
            break;
        case 'v':
        case 'V':
        case 'q':
            break;
        case 'h':
            printf("Usage: s390-pvimg test IMAGE {-k HKD [-k ...] | "
                   "--key-hashes[=FILE]}\n\n"
                   "Is IMAGE made for this host?  Exit 0 if yes, 1 if "
                   "not.\n"
                   "  -k, --host-key-document FILE  one of these host "
                   "keys has a key slot\n"
                   "      --key-hashes[=FILE]   one of the Ultravisor's "
                   "key hashes has\n"
                   "                            a key slot (default "
                   UV_KEYS_ALL ")\n");
            return 0;
        default:
            die("test: bad option (see s390-pvimg test --help)");
        }
    }
    if (optind + 1 != argc) {
        die("test: give exactly one IMAGE (see s390-pvimg test --help)");
    }
    if (!hkds->len && !hashes) {
        die("test: give -k/--host-key-document or --key-hashes");
    }
    if (hkds->len && hashes) {
        die("test: --key-hashes cannot be used with --host-key-document");
    }
    img = read_file(argv[optind], &len);
    h = find_se_header(argv[optind], img, len, &hdr_len);
    if (ldq_be_p(h + S390_PV_SE_OFF_NKS) >
        (hdr_len - S390_PV_SE_OFF_SLOTS) / S390_PV_SE_SLOT_LEN) {
        die("%s: the SE header has more key slots than room for them",
            argv[optind]);
    }
    for (i = 0; i < hkds->len; i++) {
        const char *f = g_ptr_array_index(hkds, i);
        S390PVKey key;

        read_host_key(f, &key);
        if (header_has_hash(h, key.phkh)) {
            printf(" \u2713 Host key document '%s' is included\n", f);
            any = true;
        } else {
            printf(" \u2718 Host key document '%s' is not included\n", f);
        }
    }
    if (hkds->len) {
        ok = any;
    }
    if (hashes) {
        ok = test_key_hashes(h, hashes);
    }
    fflush(stdout);
    return ok ? 0 : 1;
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
           "       s390-pvimg create ...  (the same, as pvimg create)\n"
           "       s390-pvimg info [--format json] [--key FILE] IMAGE\n"
           "       s390-pvimg test IMAGE {-k HKD ... | --key-hashes[=FILE]}"
           "\n\n"
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
           "  -i, --image, --kernel    the s390 kernel image\n"
           "  -r, --ramdisk            the initrd\n"
           "  -p, --parmfile           the kernel command line\n"
           "  -o, --output             the image to write\n"
           "      --x-pcf, --x-scf     plaintext/secret control flags (hex)\n"
           "      --enable-dump,       allow (disallow) a protected dump\n"
           "      --disable-dump       (PCF bit 0x20000000; --enable-dump\n"
           "                           needs --comm-key)\n"
           "      --enable-pckmo,      allow (disallow) PCKMO DEA/TDEA, AES\n"
           "      --disable-pckmo      and ECC keys (PCF 0xe0, the default)\n"
           "      --enable-cck-extension-secret, --disable-cck-extension-"
           "secret\n"
           "                           require (or not) add-secret requests\n"
           "                           to carry the CCK-derived extension\n"
           "                           secret (SCF bit 0x4000000000000000)\n"
           "      --enable-pckmo-hmac, --disable-pckmo-hmac: PCKMO HMAC keys\n"
           "                           (PCF 0x10, off by default)\n"
           "      --enable-backup-keys, --disable-backup-keys: backup\n"
           "                           target keys (PCF 0x2, off)\n"
           "      --x-psw              the address the guest starts at (hex;\n"
           "                           default: the loader's entry)\n"
           "      --help-all, --help-experimental: this help\n"
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
           "  -v, --version            print the version (after create: -v is\n"
           "                           --verbose, as pvimg create has it)\n"
           "  -V, --verbose            say what goes where (-q, --quiet:\n"
           "                           do not, the default)\n");
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

/* An --enable/--disable pair's effect on @flags: -1 none, 1 set, 0 clear */
static uint64_t switch_flags(uint64_t flags, int on, uint64_t bits)
{
    return on < 0 ? flags : on ? flags | bits : flags & ~bits;
}

/* The fuzzer of "info" takes the functions above, not main(). */
#ifndef S390_PVIMG_NO_MAIN
int main(int argc, char **argv)
{
    static const struct option own_opts[] = {
        { "image", required_argument, NULL, 'i' },
        { "ramdisk", required_argument, NULL, 'r' },
        { "parmfile", required_argument, NULL, 'p' },
        { "output", required_argument, NULL, 'o' },
        { "x-pcf", required_argument, NULL, 'P' },
        { "x-scf", required_argument, NULL, 'S' },
        { "x-comp-key", required_argument, NULL, 'X' },
        { "x-header-key", required_argument, NULL, 'H' },
        { "x-comm-key", required_argument, NULL, 'M' },
        /* the spellings of pvimg create (s390-tools 2.36+) */
        { "comm-key", required_argument, NULL, 'M' },
        { "cck", required_argument, NULL, 'M' },
        { "hdr-key", required_argument, NULL, 'H' },
        { "overwrite", no_argument, NULL, 'W' },
        { "no-component-check", no_argument, NULL, 'K' },
        { "enable-dump", no_argument, NULL, 'D' },
        { "disable-dump", no_argument, NULL, 'd' },
        /* genprotimg 2.35's other switches */
        { "enable-cck-extension-secret", no_argument, NULL, 'E' },
        { "disable-cck-extension-secret", no_argument, NULL, 'e' },
        { "enable-pckmo", no_argument, NULL, 'Q' },
        { "disable-pckmo", no_argument, NULL, 0x105 },
        { "x-psw", required_argument, NULL, 'A' },
        /* pvimg create's (s390-tools 2.36+) */
        { "kernel", required_argument, NULL, 'i' },
        { "enable-pckmo-hmac", no_argument, NULL, 0x100 },
        { "disable-pckmo-hmac", no_argument, NULL, 0x101 },
        { "enable-backup-keys", no_argument, NULL, 0x102 },
        { "disable-backup-keys", no_argument, NULL, 0x103 },
        { "quiet", no_argument, NULL, 0x104 },
        { "help-all", no_argument, NULL, 'a' },
        { "help-experimental", no_argument, NULL, 'x' },
        { "version", no_argument, NULL, 0x106 },
        { "loader-dir", required_argument, NULL, 'L' },
        { "verbose", no_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },
        { }
    };
    g_autofree struct option *longopts = host_keys_longopts(own_opts);
    Opts o = { 0 };
    Error *err = NULL;
    int c, dump = -1, cck_ext = -1, pckmo = -1, hmac = -1, backup = -1;
    bool x_pcf = false, create = false;

    tool_name = "s390-pvimg";
    init_exec_dir(argv[0]);
    if (qcrypto_init(&err) < 0) {
        die_err(err);
    }
    if (argc > 1 && !strcmp(argv[1], "info")) {
        return cmd_info(argc - 1, argv + 1);
    }
    if (argc > 1 && !strcmp(argv[1], "test")) {
        return cmd_test(argc - 1, argv + 1);
    }
    /* pvimg create ...: the same options */
    if (argc > 1 && !strcmp(argv[1], "create")) {
        argv[1] = argv[0];
        argc--;
        argv++;
        create = true;
    }
    while ((c = getopt_long(argc, argv, "k:C:i:r:p:o:Vvhq", longopts,
                            NULL)) != -1) {
        switch (c) {
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
            x_pcf = true;
            break;
        case 0x100:
        case 0x101:
            hmac = c == 0x100;
            break;
        case 0x102:
        case 0x103:
            backup = c == 0x102;
            break;
        case 'q':
        case 0x104:
            /* quiet is the default: -V says what goes where */
            verbose = false;
            break;
        case 'E':
            cck_ext = 1;
            break;
        case 'e':
            cck_ext = 0;
            break;
        case 'Q':
            pckmo = 1;
            break;
        case 0x105:
            pckmo = 0;
            break;
        case 'A':
            o.psw_addr = parse_hex(optarg, "--x-psw");
            if (!o.psw_addr || o.psw_addr & 1 || o.psw_addr >> 31) {
                die("--x-psw: 0x%" PRIx64 " is not an even address below "
                    "2 GiB other than 0", o.psw_addr);
            }
            break;
        case 'a':
        case 'x':
            usage();
            printf("\nExperimental options (genprotimg's --x-*): --x-pcf, "
                   "--x-scf, --x-psw,\n--x-comp-key, --x-header-key, "
                   "--x-comm-key, as above.\n");
            return 0;
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
            /* genprotimg's -v is --version, pvimg create's -v --verbose */
            if (create) {
                verbose = true;
                break;
            }
            /* fall through */
        case 0x106:
            printf("s390-pvimg (QEMU %s), genprotimg compatible\n",
                   QEMU_FULL_VERSION);
            return 0;
        case 'X':
            o.comp_key = optarg;
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
            if (!host_keys_option(&o.hk, c, optarg)) {
                die("bad option (see --help)");
            }
        }
    }
    if (optind != argc) {
        die("unexpected argument '%s' (see --help)", argv[optind]);
    }
    /* genprotimg's refusals */
    if (x_pcf && pckmo >= 0) {
        die("--x-pcf cannot be combined with --enable-pckmo or "
            "--disable-pckmo");
    }
    if (x_pcf && hmac >= 0) {
        die("--x-pcf cannot be combined with --enable-pckmo-hmac or "
            "--disable-pckmo-hmac");
    }
    if (dump == 1 && !o.comm_key) {
        die("--enable-dump needs --comm-key: the dump is encrypted with "
            "the customer communication key");
    }
    /* PCKMO (DEA/TDEA, AES, ECC) is allowed unless said otherwise */
    if (!x_pcf) {
        o.pcf = S390_PV_PCF_PCKMO;
    }
    o.pcf = switch_flags(o.pcf, pckmo, S390_PV_PCF_PCKMO);
    o.pcf = switch_flags(o.pcf, hmac, S390_PV_PCF_PCKMO_HMAC);
    o.pcf = switch_flags(o.pcf, backup, S390_PV_PCF_BACKUP_KEYS);
    o.pcf = switch_flags(o.pcf, dump, S390_PV_PCF_ALLOW_DUMP);
    o.scf = switch_flags(o.scf, cck_ext, S390_PV_SCF_CCK_EXT_SECRET);
    build(&o);
    return 0;
}
#endif
