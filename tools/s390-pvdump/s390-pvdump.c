/*
 * s390-pvdump: decrypt the dump of a protected guest, zgetdump --key style
 *
 *   s390-pvdump -k CCK DUMP OUTPUT
 *
 * DUMP is what dump-guest-memory (virsh dump) wrote of a protected guest
 * whose image allows dumping: an ELF core whose pages the guest did not
 * share are encrypted, whose CPU state is in encrypted
 * NT_S390_PV_CPU_DATA notes, and whose pv_compl section holds the keys,
 * encrypted under a key derived from the image's customer communication
 * key (CCK; genprotimg's --comm-key).  With the CCK, OUTPUT becomes a
 * plain ELF dump that crash or gdb read: the memory decrypted, the CPU
 * notes filled with the registers.  The format is IBM Z's (pv-dump.h),
 * so dumps taken on IBM Z decrypt too.
 *
 * Everything in DUMP is untrusted: every offset and size is bounded by
 * the file, and every encrypted piece is authenticated before it is
 * used.  A wrong key or a changed byte is one error line, exit status 1,
 * and no OUTPUT.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <getopt.h>
#include <nettle/sha2.h>
#include "qapi/error.h"
#include "qemu/bswap.h"
#include "qemu-version.h"
#include "crypto/init.h"
#include "elf.h"
#include "hw/s390x/pv-dump.h"
#include "../s390-pv-common/pv-tool.h"

#define PAGE            S390_PV_DUMP_PAGE

/* The notes QEMU writes for a CPU, and where its registers go in them */
#define PRSTATUS_PSW    112
#define PRSTATUS_GPRS   128
#define PRSTATUS_ACRS   256
#define PRSTATUS_LEN    336

typedef struct Dump {
    const uint8_t *d;
    size_t len;
    const uint8_t *meta;            /* pv_mem_meta */
    uint64_t nr_tc;
    uint8_t compl[S390_PV_DUMP_COMPL_LEN];  /* opened */
    uint8_t key[32];                /* the dump key */
    int out;                        /* the output file */
    unsigned cpus;
    bool partial;                   /* a CPU stopped inside an instruction */
} Dump;

static bool out_write(Dump *dp, uint64_t off, const void *buf, size_t len,
                      Error **errp)
{
    const uint8_t *p = buf;

    while (len) {
        ssize_t n = pwrite(dp->out, p, len, off);

        if (n <= 0) {
            error_setg_errno(errp, n < 0 ? errno : EIO, "cannot write");
            return false;
        }
        p += n;
        off += n;
        len -= n;
    }
    return true;
}

/* [@off, @off + @n) is in the file */
static bool in_file(const Dump *dp, uint64_t off, uint64_t n)
{
    return off <= dp->len && n <= dp->len - off;
}

/* The section named @name, or NULL; *@size its size */
static const uint8_t *section(const Dump *dp, const char *name,
                              uint64_t *size, Error **errp)
{
    const uint8_t *eh = dp->d, *sh, *strtab;
    uint64_t shoff = ldq_be_p(eh + 0x28), strsz, stroff;
    uint16_t shentsize = lduw_be_p(eh + 0x3a), shnum = lduw_be_p(eh + 0x3c);
    uint16_t shstrndx = lduw_be_p(eh + 0x3e), i;

    if (!shnum) {
        return NULL;
    }
    if (shentsize != sizeof(Elf64_Shdr) || shstrndx >= shnum ||
        !in_file(dp, shoff, (uint64_t)shnum * shentsize)) {
        error_setg(errp, "its section headers are not where it says");
        return NULL;
    }
    sh = dp->d + shoff + shstrndx * shentsize;
    stroff = ldq_be_p(sh + 0x18);
    strsz = ldq_be_p(sh + 0x20);
    if (!in_file(dp, stroff, strsz)) {
        error_setg(errp, "its section name table (%" PRIu64 " bytes at 0x%"
                   PRIx64 ") is not in the file", strsz, stroff);
        return NULL;
    }
    strtab = dp->d + stroff;
    for (i = 0; i < shnum; i++) {
        uint32_t nm;

        sh = dp->d + shoff + i * shentsize;
        nm = ldl_be_p(sh);
        if (nm < strsz && strnlen((const char *)strtab + nm, strsz - nm) ==
            strlen(name) && !memcmp(strtab + nm, name, strlen(name))) {
            uint64_t off = ldq_be_p(sh + 0x18);

            *size = ldq_be_p(sh + 0x20);
            if (!in_file(dp, off, *size)) {
                error_setg(errp, "its section %s is not in the file", name);
                return NULL;
            }
            return dp->d + off;
        }
    }
    return NULL;
}

/* The completion data: open it with the CCK, keep its keys */
static bool open_completion(Dump *dp, const uint8_t cck[32], Error **errp)
{
    const uint8_t *c;
    uint64_t size;
    Error *err = NULL;

    c = section(dp, "pv_compl", &size, &err);
    if (!c) {
        if (err) {
            error_propagate(errp, err);
        } else {
            error_setg(errp, "not the dump of a protected guest (no "
                       "pv_compl section): nothing to decrypt");
        }
        return false;
    }
    if (size < S390_PV_DUMP_COMPL_LEN ||
        ldl_be_p(c + S390_PV_DUMP_COMPL_VERSION) != S390_PV_DUMP_VERSION ||
        ldl_be_p(c + S390_PV_DUMP_COMPL_LENGTH) != S390_PV_DUMP_COMPL_LEN) {
        error_setg(errp, "its completion data is not version 1 of 288 "
                   "bytes");
        return false;
    }
    memcpy(dp->compl, c, S390_PV_DUMP_COMPL_LEN);
    s390_pv_dump_key(cck, dp->compl + S390_PV_DUMP_COMPL_SEED, dp->key);
    if (!s390_pv_dump_open(dp->key, dp->compl, S390_PV_DUMP_COMPL_LEN,
                           S390_PV_DUMP_COMPL_AAD, S390_PV_DUMP_COMPL_IV)) {
        error_setg(errp, "the key does not open its completion data: not "
                   "the image's customer communication key, or the dump "
                   "was changed");
        return false;
    }
    dp->meta = section(dp, "pv_mem_meta", &size, errp);
    if (!dp->meta) {
        if (errp && !*errp) {
            error_setg(errp, "it has no pv_mem_meta section");
        }
        return false;
    }
    dp->nr_tc = size / S390_PV_DUMP_TC_LEN;
    return true;
}

/* The registers of an opened CPU area @a into the CPU's plain note @n */
static void fill_note(uint32_t type, uint8_t *n, uint64_t size,
                      const uint8_t *a)
{
    int i;

    switch (type) {
    case NT_PRSTATUS:
        if (size >= PRSTATUS_LEN) {
            memcpy(n + PRSTATUS_PSW, a + S390_PV_CPU_PSW, 16);
            memcpy(n + PRSTATUS_GPRS, a + S390_PV_CPU_GPRS, 128);
            memcpy(n + PRSTATUS_ACRS, a + S390_PV_CPU_ACRS, 64);
        }
        break;
    case NT_FPREGSET:
        if (size >= 8 + 128) {
            memcpy(n, a + S390_PV_CPU_FPC, 4);
            for (i = 0; i < 16; i++) {
                memcpy(n + 8 + 8 * i, a + S390_PV_CPU_VRS + 16 * i, 8);
            }
        }
        break;
    case NT_S390_TIMER:
        if (size >= 8) {
            memcpy(n, a + S390_PV_CPU_TIMER, 8);
        }
        break;
    case NT_S390_TODCMP:
        if (size >= 8) {
            memcpy(n, a + S390_PV_CPU_CKC, 8);
        }
        break;
    case NT_S390_TODPREG:
        if (size >= 4) {
            memcpy(n, a + S390_PV_CPU_TODPR, 4);
        }
        break;
    case NT_S390_CTRS:
        if (size >= 128) {
            memcpy(n, a + S390_PV_CPU_CRS, 128);
        }
        break;
    case NT_S390_PREFIX:
        if (size >= 4) {
            memcpy(n, a + S390_PV_CPU_PREFIX, 4);
        }
        break;
    case NT_S390_VXRS_LOW:
        if (size >= 128) {
            for (i = 0; i < 16; i++) {
                memcpy(n + 8 * i, a + S390_PV_CPU_VRS + 16 * i + 8, 8);
            }
        }
        break;
    case NT_S390_VXRS_HIGH:
        if (size >= 256) {
            memcpy(n, a + S390_PV_CPU_VRS + 256, 256);
        }
        break;
    case NT_S390_GS_CB:
        if (size >= 32) {
            memset(n, 0, 8);
            memcpy(n + 8, a + S390_PV_CPU_GSD, 24);
        }
        break;
    }
}

typedef struct NoteRef {
    uint32_t type;
    uint64_t off, size;             /* of its contents in the file */
} NoteRef;

/*
 * The notes of one PT_NOTE segment: each NT_S390_PV_CPU_DATA is opened,
 * and the notes of the same CPU before it (since the previous one) are
 * filled in the output with its registers.
 */
static bool do_notes(Dump *dp, uint64_t off, uint64_t size, Error **errp)
{
    g_autoptr(GArray) cpu_notes = g_array_new(false, false,
                                              sizeof(NoteRef));
    uint64_t pos = off, end = off + size;

    while (end - pos >= 12) {
        uint32_t namesz = ldl_be_p(dp->d + pos);
        uint32_t descsz = ldl_be_p(dp->d + pos + 4);
        uint32_t type = ldl_be_p(dp->d + pos + 8);
        uint64_t desc = pos + 12 + ROUND_UP((uint64_t)namesz, 4);
        uint64_t next = desc + ROUND_UP((uint64_t)descsz, 4);
        NoteRef r = { type, desc, descsz };

        if (next > end || desc > end) {
            error_setg(errp, "a note at 0x%" PRIx64 " runs past its "
                       "segment", pos);
            return false;
        }
        if (type == NT_S390_PV_CPU_DATA) {
            uint8_t area[S390_PV_DUMP_CPU_LEN];
            const uint8_t *a = area + S390_PV_DUMP_CPU_AREA;
            guint i;
            bool ok;

            if (descsz < S390_PV_DUMP_CPU_LEN ||
                ldl_be_p(dp->d + desc) != S390_PV_DUMP_VERSION ||
                ldl_be_p(dp->d + desc + 4) != S390_PV_DUMP_CPU_LEN) {
                error_setg(errp, "CPU %u's protected state is not version "
                           "1 of 1568 bytes", dp->cpus);
                return false;
            }
            memcpy(area, dp->d + desc, sizeof(area));
            if (!s390_pv_dump_open(dp->key, area, sizeof(area),
                                   S390_PV_DUMP_CPU_AAD,
                                   S390_PV_DUMP_CPU_IV)) {
                error_setg(errp, "CPU %u's protected state does not "
                           "authenticate: the dump was changed", dp->cpus);
                return false;
            }
            if (lduw_be_p(a + S390_PV_CPU_FLAGS) & 0x8000) {
                dp->partial = true;
            }
            ok = true;
            for (i = 0; ok && i < cpu_notes->len; i++) {
                NoteRef *n = &g_array_index(cpu_notes, NoteRef, i);
                g_autofree uint8_t *buf = g_memdup2(dp->d + n->off,
                                                    n->size);

                fill_note(n->type, buf, n->size, a);
                ok = out_write(dp, n->off, buf, n->size, errp);
                s390_pv_se_wipe(buf, n->size);
            }
            s390_pv_se_wipe(area, sizeof(area));
            if (!ok) {
                return false;
            }
            g_array_set_size(cpu_notes, 0);
            dp->cpus++;
        } else {
            g_array_append_val(cpu_notes, r);
        }
        pos = next;
    }
    return true;
}

/*
 * The memory of one PT_LOAD segment: [@paddr, @paddr + @size) at file
 * offset @off.  Encrypted pages are decrypted and go into the memory
 * digest as the software Ultravisor put them, in the pieces it exported
 * them in: their address, their tweak component, their bytes.  Zero pages
 * are zeros, shared ones as they are.
 */
static bool do_memory(Dump *dp, QCryptoCipher *xts, struct sha512_ctx *md,
                      uint64_t off, uint64_t paddr, uint64_t size,
                      Error **errp)
{
    uint64_t end = paddr + size, addr = paddr, next, page;
    uint8_t buf[PAGE], tweak[16], a[8];

    if (end < paddr) {
        error_setg(errp, "a memory segment wraps around");
        return false;
    }
    while (addr < end) {
        const uint8_t *tc;
        uint64_t n, at = off + (addr - paddr);

        /*
         * pieces as dump-guest-memory read them: pages, and page-sized
         * steps from the segment's start
         */
        page = addr & ~(uint64_t)(PAGE - 1);
        next = MIN(MIN(page + PAGE, end),
                   paddr + ((addr - paddr) / PAGE + 1) * PAGE);
        n = next - addr;
        if (page / PAGE >= dp->nr_tc) {
            error_setg(errp, "no tweak component for the page at 0x%" PRIx64,
                       page);
            return false;
        }
        tc = dp->meta + page / PAGE * S390_PV_DUMP_TC_LEN;
        switch (s390_pv_dump_page_state(tc)) {
        case S390_PV_PAGE_SHARED:
            break;
        case S390_PV_PAGE_ZERO:
            memset(buf, 0, n);
            if (!out_write(dp, at, buf, n, errp)) {
                return false;
            }
            break;
        case S390_PV_PAGE_ENCRYPTED:
            if ((addr | n) & 15) {
                error_setg(errp, "the encrypted page at 0x%" PRIx64 " is "
                           "cut inside a 16-byte block: cannot decrypt it",
                           page);
                return false;
            }
            stq_be_p(a, addr);
            sha512_update(md, sizeof(a), a);
            sha512_update(md, S390_PV_DUMP_TC_LEN, tc);
            sha512_update(md, n, dp->d + at);
            memset(buf, 0, sizeof(buf));
            memcpy(buf + (addr - page), dp->d + at, n);
            s390_pv_dump_tweak(tc, dp->compl + S390_PV_DUMP_COMPL_NONCE,
                               tweak);
            if (!s390_pv_xts_page(xts, tweak, buf, false, errp) ||
                !out_write(dp, at, buf + (addr - page), n, errp)) {
                return false;
            }
            break;
        default:
            error_setg(errp, "the page at 0x%" PRIx64 " has an invalid "
                       "state", page);
            return false;
        }
        addr = next;
    }
    s390_pv_se_wipe(buf, sizeof(buf));
    return true;
}

/*
 * Decrypt the dump @d (@len bytes) with @cck into @out (a new, empty
 * file).  False with @errp set if it cannot, and then @out must go.
 */
static bool pvdump_decrypt(const uint8_t *d, size_t len,
                           const uint8_t cck[32], int out, bool *partial,
                           Error **errp)
{
    Dump dp = { .d = d, .len = len, .out = out };
    g_autoptr(QCryptoCipher) xts = NULL;
    struct sha512_ctx md;
    uint8_t digest[SHA512_DIGEST_SIZE];
    uint64_t phoff, keep = 0x40, shoff;
    uint16_t phentsize, phnum, i;
    bool ok = false;

    if (len < 0x40 || memcmp(d, ELFMAG, SELFMAG) ||
        d[EI_CLASS] != ELFCLASS64 || d[EI_DATA] != ELFDATA2MSB ||
        lduw_be_p(d + 0x12) != EM_S390) {
        error_setg(errp, "not an s390x ELF dump (64-bit, big endian)");
        return false;
    }
    phoff = ldq_be_p(d + 0x20);
    phentsize = lduw_be_p(d + 0x36);
    phnum = lduw_be_p(d + 0x38);
    if (phentsize != sizeof(Elf64_Phdr) || phnum == PN_XNUM ||
        !in_file(&dp, phoff, (uint64_t)phnum * phentsize)) {
        error_setg(errp, "its program headers are not where it says");
        return false;
    }
    keep = MAX(keep, phoff + (uint64_t)phnum * phentsize);
    if (!open_completion(&dp, cck, errp)) {
        goto out;
    }
    xts = s390_pv_xts_new(dp.compl + S390_PV_DUMP_COMPL_KEY, errp);
    if (!xts) {
        goto out;
    }
    /* everything up to the end of the last segment, then changed */
    for (i = 0; i < phnum; i++) {
        const uint8_t *ph = d + phoff + i * phentsize;
        uint64_t off = ldq_be_p(ph + 0x08), filesz = ldq_be_p(ph + 0x20);

        if (!in_file(&dp, off, filesz)) {
            error_setg(errp, "segment %u is not in the file", i);
            goto out;
        }
        keep = MAX(keep, off + filesz);
    }
    if (!out_write(&dp, 0, d, keep, errp)) {
        goto out;
    }
    sha512_init(&md);
    for (i = 0; i < phnum; i++) {
        const uint8_t *ph = d + phoff + i * phentsize;
        uint32_t type = ldl_be_p(ph);
        uint64_t off = ldq_be_p(ph + 0x08), paddr = ldq_be_p(ph + 0x18);
        uint64_t filesz = ldq_be_p(ph + 0x20);

        if (type == PT_NOTE && !do_notes(&dp, off, filesz, errp)) {
            goto out;
        }
        if (type == PT_LOAD &&
            !do_memory(&dp, xts, &md, off, paddr, filesz, errp)) {
            goto out;
        }
    }
    if (!dp.cpus) {
        error_setg(errp, "it has no protected CPU state");
        goto out;
    }
    /* The memory digest: ours, where IBM Z's Ultravisor leaves zeros */
    sha512_digest(&md, sizeof(digest), digest);
    if (!memcmp(dp.compl + S390_PV_DUMP_COMPL_MD_MARK, S390_PV_DUMP_MD_MARK,
                8) && memcmp(dp.compl + S390_PV_DUMP_COMPL_MD, digest,
                             sizeof(digest))) {
        error_setg(errp, "its encrypted memory is not what the Ultravisor "
                   "exported: the dump was changed");
        goto out;
    }
    /* no sections: they were the Ultravisor's, and are not copied */
    shoff = ldq_be_p(d + 0x28);
    if (shoff && shoff < keep) {
        g_autofree uint8_t *zero = NULL;
        uint64_t n = MIN((uint64_t)lduw_be_p(d + 0x3c) * sizeof(Elf64_Shdr),
                         keep - shoff);

        zero = g_malloc0(n);
        if (!out_write(&dp, shoff, zero, n, errp)) {
            goto out;
        }
    }
    {
        uint8_t eh[0x40];

        memcpy(eh, d, sizeof(eh));
        stq_be_p(eh + 0x28, 0);
        stw_be_p(eh + 0x3c, 0);
        stw_be_p(eh + 0x3e, 0);
        if (!out_write(&dp, 0, eh, sizeof(eh), errp)) {
            goto out;
        }
    }
    *partial = dp.partial;
    ok = true;
out:
    s390_pv_se_wipe(dp.key, sizeof(dp.key));
    s390_pv_se_wipe(dp.compl, sizeof(dp.compl));
    return ok;
}

#ifndef S390_PVDUMP_NO_MAIN
static void usage(void)
{
    printf("Usage: s390-pvdump -k CCK DUMP OUTPUT\n\n"
           "Decrypt the dump of a protected guest (dump-guest-memory, "
           "virsh dump)\ninto a plain ELF dump, as zgetdump --key does.\n"
           "  -k, --key CCK      the image's customer communication key "
           "(32 bytes;\n"
           "                     genprotimg's and s390-pvimg's --comm-key)\n"
           "  -h, --help         this help\n"
           "  -v, --version      the version\n"
           "OUTPUT holds the guest's memory in the clear: it is created "
           "readable by\nits owner only.  A wrong key or a changed dump: "
           "one error line, exit\nstatus 1, no OUTPUT.\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "key", required_argument, NULL, 'k' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'v' },
        { }
    };
    g_autoptr(GMappedFile) map = NULL;
    g_autoptr(GError) gerr = NULL;
    g_autofree char *tmp = NULL;
    const char *key_file = NULL, *dump, *output;
    uint8_t cck[32];
    Error *err = NULL;
    bool partial = false;
    int c, fd;

    tool_name = "s390-pvdump";
    while ((c = getopt_long(argc, argv, "k:hv", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            key_file = optarg;
            break;
        case 'h':
            usage();
            return 0;
        case 'v':
            printf("s390-pvdump (QEMU %s), zgetdump --key compatible\n",
                   QEMU_FULL_VERSION);
            return 0;
        default:
            die("bad option (see --help)");
        }
    }
    if (optind + 2 != argc) {
        die("give DUMP and OUTPUT (see --help)");
    }
    if (!key_file) {
        die("give the customer communication key: -k CCK");
    }
    dump = argv[optind];
    output = argv[optind + 1];
    if (qcrypto_init(&err) < 0) {
        die_err(err);
    }
    read_key(key_file, cck, sizeof(cck), "customer communication key");
    map = g_mapped_file_new(dump, false, &gerr);
    if (!map) {
        die("%s", gerr->message);
    }
    /* decrypted into a file of its owner's only, renamed when whole */
    tmp = g_strdup_printf("%s.XXXXXX", output);
    fd = g_mkstemp_full(tmp, O_RDWR, 0600);
    if (fd < 0) {
        die("cannot create %s: %s", output, strerror(errno));
    }
    tmp_output = tmp;
    if (!pvdump_decrypt((const uint8_t *)g_mapped_file_get_contents(map),
                        g_mapped_file_get_length(map), cck, fd, &partial,
                        &err)) {
        s390_pv_se_wipe(cck, sizeof(cck));
        error_prepend(&err, "%s: ", dump);
        die_err(err);
    }
    s390_pv_se_wipe(cck, sizeof(cck));
    if (fsync(fd) < 0 || close(fd) < 0 || rename(tmp, output) < 0) {
        die("cannot write %s: %s", output, strerror(errno));
    }
    tmp_output = NULL;
    if (partial) {
        fprintf(stderr, "s390-pvdump: warning: a CPU's state may hold a "
                "partly executed instruction\n");
    }
    return 0;
}
#endif
