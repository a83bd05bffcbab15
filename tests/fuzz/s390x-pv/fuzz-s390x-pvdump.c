/*
 * Fuzzer: s390-pvdump on any dump file
 *
 * The input is the dump: its ELF headers, notes, sections and the
 * Ultravisor's data all come from a file the host wrote.  s390-pvdump
 * must bound every offset, count and size by the file, authenticate what
 * it decrypts, and either write the plain dump or refuse; never read
 * outside the file.  The seed is a small protected dump, valid for the
 * fuzzer's CCK, that decrypts.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define S390_PVDUMP_NO_MAIN
#include "../../../tools/s390-pv-common/pv-tool.c"
#include "../../../tools/s390-pvdump/s390-pvdump.c"
#include "fuzz-common.h"

/* The seed's layout */
#define D_PHDRS     0x40
#define D_SHDRS     0xb0    /* 4 section headers */
#define D_NOTES     0x200
#define D_MEM       0x1000  /* two pages: one encrypted, one zero */
#define D_META      0x3000
#define D_COMPL     0x3020
#define D_STRTAB    0x3140
#define D_LEN       0x3180

static int fuzz_out = -1;

static void fuzz_cck(uint8_t cck[32])
{
    int i;

    for (i = 0; i < 32; i++) {
        cck[i] = 0x40 + i;
    }
}

static void shdr(uint8_t *d, int i, uint32_t name, uint32_t type,
                 uint64_t off, uint64_t size)
{
    uint8_t *sh = d + D_SHDRS + 64 * i;

    stl_be_p(sh, name);
    stl_be_p(sh + 4, type);
    stq_be_p(sh + 0x18, off);
    stq_be_p(sh + 0x20, size);
}

/* A protected dump of a 2-page guest with one CPU */
static void make_seeds(void)
{
    static const char strtab[] = "\0pv_mem_meta\0pv_compl\0.shstrtab";
    g_autofree uint8_t *d = g_malloc0(D_LEN);
    g_autoptr(QCryptoCipher) xts = NULL;
    uint8_t cck[32], key[32], tweak[16], a[8], *n, *c;
    struct sha512_ctx md;
    int i;

    fuzz_init();
    fuzz_cck(cck);
    memcpy(d, ELFMAG, SELFMAG);
    d[EI_CLASS] = ELFCLASS64;
    d[EI_DATA] = ELFDATA2MSB;
    d[EI_VERSION] = EV_CURRENT;
    stw_be_p(d + 0x10, ET_CORE);
    stw_be_p(d + 0x12, EM_S390);
    stl_be_p(d + 0x14, EV_CURRENT);
    stq_be_p(d + 0x20, D_PHDRS);
    stq_be_p(d + 0x28, D_SHDRS);
    stw_be_p(d + 0x34, 64);
    stw_be_p(d + 0x36, 56);
    stw_be_p(d + 0x38, 2);
    stw_be_p(d + 0x3a, 64);
    stw_be_p(d + 0x3c, 4);
    stw_be_p(d + 0x3e, 3);

    /* PT_NOTE: a prstatus and the CPU's protected state */
    stl_be_p(d + D_PHDRS, PT_NOTE);
    stq_be_p(d + D_PHDRS + 8, D_NOTES);
    stq_be_p(d + D_PHDRS + 0x20, 12 + 8 + 336 + 12 + 8 + 1568);
    n = d + D_NOTES;
    stl_be_p(n, 5);
    stl_be_p(n + 4, 336);
    stl_be_p(n + 8, NT_PRSTATUS);
    memcpy(n + 12, "CORE", 5);
    n += 12 + 8 + 336;
    stl_be_p(n, 6);
    stl_be_p(n + 4, 1568);
    stl_be_p(n + 8, NT_S390_PV_CPU_DATA);
    memcpy(n + 12, "LINUX", 6);
    n += 12 + 8;

    /* PT_LOAD: guest absolute 0, two pages */
    stl_be_p(d + D_PHDRS + 56, PT_LOAD);
    stq_be_p(d + D_PHDRS + 56 + 8, D_MEM);
    stq_be_p(d + D_PHDRS + 56 + 0x20, 2 * PAGE);
    stq_be_p(d + D_PHDRS + 56 + 0x28, 2 * PAGE);
    memcpy(d + D_MEM, "a secret of the guest's", 24);
    s390_pv_dump_tc_page(d + D_META, 0);
    s390_pv_dump_tc_special(d + D_META + 16, S390_PV_DUMP_TC_ZERO);

    /* the completion data, and what it encrypts */
    c = d + D_COMPL;
    stl_be_p(c, 1);
    stl_be_p(c + 4, S390_PV_DUMP_COMPL_LEN);
    for (i = 0; i < 64; i++) {
        c[S390_PV_DUMP_COMPL_SEED + i] = i;
        c[S390_PV_DUMP_COMPL_KEY + i] = 0x80 + i;
    }
    memcpy(c + S390_PV_DUMP_COMPL_IV, "fuzz-dump-iv", 12);
    c[S390_PV_DUMP_COMPL_NONCE] = 0x99;
    xts = s390_pv_xts_new(c + S390_PV_DUMP_COMPL_KEY, &error_abort);
    s390_pv_dump_tweak(d + D_META, c + S390_PV_DUMP_COMPL_NONCE, tweak);
    if (!s390_pv_xts_page(xts, tweak, d + D_MEM, true, &error_abort)) {
        abort();
    }
    sha512_init(&md);
    stq_be_p(a, 0);
    sha512_update(&md, 8, a);
    sha512_update(&md, 16, d + D_META);
    sha512_update(&md, PAGE, d + D_MEM);
    memcpy(c + S390_PV_DUMP_COMPL_MD_MARK, S390_PV_DUMP_MD_MARK, 8);
    sha512_digest(&md, 64, c + S390_PV_DUMP_COMPL_MD);
    s390_pv_dump_key(cck, c + S390_PV_DUMP_COMPL_SEED, key);
    s390_pv_dump_seal(key, c, S390_PV_DUMP_COMPL_LEN,
                      S390_PV_DUMP_COMPL_AAD, S390_PV_DUMP_COMPL_IV);
    stl_be_p(n, 1);
    stl_be_p(n + 4, S390_PV_DUMP_CPU_LEN);
    memcpy(n + 8, "fuzz-cpu-iv0", 12);
    stq_be_p(n + 32 + S390_PV_CPU_PSW + 8, 0x10000);
    s390_pv_dump_seal(key, n, S390_PV_DUMP_CPU_LEN, S390_PV_DUMP_CPU_AAD,
                      S390_PV_DUMP_CPU_IV);

    /* the sections */
    memcpy(d + D_STRTAB, strtab, sizeof(strtab));
    shdr(d, 1, 1, SHT_PROGBITS, D_META, 32);
    shdr(d, 2, 13, SHT_PROGBITS, D_COMPL, S390_PV_DUMP_COMPL_LEN);
    shdr(d, 3, 22, SHT_STRTAB, D_STRTAB, sizeof(strtab));
    fuzz_write_seed("protected-dump", d, D_LEN);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    if (g_getenv("S390X_PV_FUZZ_SEEDS")) {
        make_seeds();
        exit(0);
    }
    qcrypto_init(&error_abort);
    fuzz_out = open("/dev/null", O_WRONLY);
    if (fuzz_out < 0) {
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* an exact copy: reads past the end hit the sanitizer's redzone */
    g_autofree uint8_t *dump = g_memdup2(data, size);
    uint8_t cck[32];
    Error *err = NULL;
    bool partial = false;

    fuzz_cck(cck);
    if (!pvdump_decrypt(dump, size, cck, fuzz_out, &partial, &err)) {
        assert(err);
        error_free(err);
    }
    return 0;
}
