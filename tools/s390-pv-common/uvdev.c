/*
 * The guest side of the Secure Execution tools: Linux's /dev/uv, the
 * pvattest exchange format, and small helpers (plain C, libc only)
 *
 * The ioctl numbers and argument blocks are Linux's uvdevice ABI
 * (arch/s390/include/uapi/asm/uvdevice.h): attestation (1) since 5.19,
 * add / list / lock secrets (2-4) and retrieve (5) in newer kernels and
 * in the test kernel QEMU's tests build.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include "uvdev.h"

const char *uvdev_tool = "s390-pv";

void uvdev_die(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", uvdev_tool);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);

    if (!p) {
        uvdev_die("out of memory");
    }
    return p;
}

uint8_t *uvdev_read_file(const char *file, size_t max, size_t *len)
{
    int fd = strcmp(file, "-") ? open(file, O_RDONLY) : 0;
    uint8_t *buf;
    size_t n = 0;
    ssize_t r;

    if (fd < 0) {
        uvdev_die("cannot open %s: %s", file, strerror(errno));
    }
    buf = xmalloc(max + 1);
    while ((r = read(fd, buf + n, max + 1 - n)) > 0) {
        n += r;
        if (n > max) {
            uvdev_die("%s: larger than %zu bytes", file, max);
        }
    }
    if (r < 0) {
        uvdev_die("cannot read %s: %s", file, strerror(errno));
    }
    if (fd) {
        close(fd);
    }
    *len = n;
    return buf;
}

void uvdev_write_file(const char *file, const void *buf, size_t len)
{
    int fd = strcmp(file, "-") ?
             open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600) : 1;
    const uint8_t *p = buf;
    ssize_t r;

    if (fd < 0) {
        uvdev_die("cannot create %s: %s", file, strerror(errno));
    }
    while (len) {
        r = write(fd, p, len);
        if (r <= 0) {
            uvdev_die("cannot write %s: %s", file, strerror(errno));
        }
        p += r;
        len -= r;
    }
    if (fd != 1 && close(fd) < 0) {
        uvdev_die("cannot write %s: %s", file, strerror(errno));
    }
}

uint16_t uvdev_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t uvdev_get32(const uint8_t *p)
{
    return (uint32_t)uvdev_get16(p) << 16 | uvdev_get16(p + 2);
}

uint64_t uvdev_get64(const uint8_t *p)
{
    return (uint64_t)uvdev_get32(p) << 32 | uvdev_get32(p + 4);
}

void uvdev_put16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

void uvdev_put32(uint8_t *p, uint32_t v)
{
    uvdev_put16(p, v >> 16);
    uvdev_put16(p + 2, v);
}

/* --- SHA-256 (FIPS 180-4) ----------------------------------------------- */

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const uint8_t *blk)
{
    static const uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
        0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
        0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
        0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
        0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152,
        0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
        0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
        0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
        0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
        0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };
    uint32_t w[64], v[8], t1, t2;
    int i;

    for (i = 0; i < 16; i++) {
        w[i] = uvdev_get32(blk + 4 * i);
    }
    for (i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^
                      (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^
                      (w[i - 2] >> 10);

        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(v, h, sizeof(v));
    for (i = 0; i < 64; i++) {
        t1 = v[7] + (ROR(v[4], 6) ^ ROR(v[4], 11) ^ ROR(v[4], 25)) +
             ((v[4] & v[5]) ^ (~v[4] & v[6])) + k[i] + w[i];
        t2 = (ROR(v[0], 2) ^ ROR(v[0], 13) ^ ROR(v[0], 22)) +
             ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
        memmove(v + 1, v, 7 * sizeof(v[0]));
        v[4] += t1;
        v[0] = t1 + t2;
    }
    for (i = 0; i < 8; i++) {
        h[i] += v[i];
    }
}

void uvdev_sha256(const void *data, size_t len, uint8_t out[32])
{
    uint32_t h[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    const uint8_t *p = data;
    uint8_t blk[128];
    size_t rest, i;
    uint64_t bits = (uint64_t)len * 8;

    for (; len >= 64; len -= 64, p += 64) {
        sha256_block(h, p);
    }
    rest = len;
    memset(blk, 0, sizeof(blk));
    memcpy(blk, p, rest);
    blk[rest] = 0x80;
    rest = rest < 56 ? 64 : 128;
    for (i = 0; i < 8; i++) {
        blk[rest - 1 - i] = bits >> (8 * i);
    }
    sha256_block(h, blk);
    if (rest == 128) {
        sha256_block(h, blk + 64);
    }
    for (i = 0; i < 8; i++) {
        uvdev_put32(out + 4 * i, h[i]);
    }
}

void uvdev_hex(const uint8_t *p, size_t len, char *out)
{
    size_t i;

    out += sprintf(out, "0x");
    for (i = 0; i < len; i++) {
        out += sprintf(out, "%02x", p[i]);
    }
}

bool uvdev_unhex(const char *s, uint8_t *out, size_t len)
{
    size_t i;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
    }
    if (strlen(s) != 2 * len) {
        return false;
    }
    for (i = 0; i < len; i++) {
        unsigned int b;

        if (sscanf(s + 2 * i, "%2x", &b) != 1 ||
            !strchr("0123456789abcdefABCDEF", s[2 * i]) ||
            !strchr("0123456789abcdefABCDEF", s[2 * i + 1])) {
            return false;
        }
        out[i] = b;
    }
    return true;
}

/* --- /dev/uv ------------------------------------------------------------ */

/* struct uvio_ioctl_cb: 0x40 bytes */
typedef struct UvioCb {
    uint32_t flags;
    uint16_t uv_rc;
    uint16_t uv_rrc;
    uint64_t argument_addr;
    uint32_t argument_len;
    uint8_t reserved14[0x40 - 0x14];
} __attribute__((packed)) UvioCb;

/* struct uvio_attest: 0x138 bytes */
typedef struct UvioAttest {
    uint64_t arcb_addr;
    uint64_t meas_addr;
    uint64_t add_data_addr;
    uint8_t user_data[256];
    uint8_t config_uid[16];
    uint32_t arcb_len;
    uint32_t meas_len;
    uint32_t add_data_len;
    uint16_t user_data_len;
    uint16_t reserved136;
} __attribute__((packed)) UvioAttest;

#define UVIO_IOCTL(nr)  _IOWR('u', nr, UvioCb)

static const char *const ioctl_names[] = {
    "info", "attestation", "add secret", "list secrets", "lock secrets",
    "retrieve secret",
};

static UvdevResult uvio(int nr, void *arg, uint32_t len)
{
    UvioCb cb;
    UvdevResult res;
    int fd = open(UVDEV_PATH, O_RDWR);

    if (fd < 0) {
        uvdev_die("cannot open %s: %s (a protected guest with the "
                  "Ultravisor-call facility and uvdevice has it)", UVDEV_PATH,
                  strerror(errno));
    }
    memset(&cb, 0, sizeof(cb));
    cb.argument_addr = (uintptr_t)arg;
    cb.argument_len = len;
    if (ioctl(fd, UVIO_IOCTL(nr), &cb) < 0) {
        if (errno == ENOTTY) {
            uvdev_die("%s: the kernel's uvdevice has no %s call", UVDEV_PATH,
                      ioctl_names[nr]);
        }
        uvdev_die("%s: %s failed: %s", UVDEV_PATH, ioctl_names[nr],
                  strerror(errno));
    }
    close(fd);
    res.rc = cb.uv_rc;
    res.rrc = cb.uv_rrc;
    return res;
}

UvdevResult uvdev_attest(const uint8_t *arcb, uint32_t arcb_len,
                         const uint8_t *user, uint16_t user_len,
                         uint8_t *meas, uint32_t meas_len,
                         uint8_t *add, uint32_t add_len, uint8_t cuid[16])
{
    UvioAttest a;
    UvdevResult res;

    memset(&a, 0, sizeof(a));
    a.arcb_addr = (uintptr_t)arcb;
    a.arcb_len = arcb_len;
    a.meas_addr = (uintptr_t)meas;
    a.meas_len = meas_len;
    a.add_data_addr = (uintptr_t)add;
    a.add_data_len = add_len;
    if (user_len) {
        memcpy(a.user_data, user, user_len);
    }
    a.user_data_len = user_len;
    res = uvio(1, &a, sizeof(a));
    memcpy(cuid, a.config_uid, 16);
    return res;
}

UvdevResult uvdev_add_secret(const uint8_t *asrcb, uint32_t len)
{
    return uvio(2, (void *)asrcb, len);
}

UvdevResult uvdev_list_secrets(uint8_t page[UVDEV_LIST_LEN])
{
    return uvio(3, page, UVDEV_LIST_LEN);
}

UvdevResult uvdev_lock_secrets(void)
{
    return uvio(4, NULL, 0);
}

UvdevResult uvdev_retrieve_secret(uint16_t index, uint8_t *buf, uint32_t len)
{
    memset(buf, 0, len);
    memcpy(buf, &index, sizeof(index));     /* native order, as the kernel */
    return uvio(5, buf, len);
}

const char *uvdev_secret_type_name(uint16_t t)
{
    static const char *const names[] = {
        NULL, "Meta", "Association", "Plaintext", "AES-128-KEY",
        "AES-192-KEY", "AES-256-KEY", "AES-XTS-128-KEY", "AES-XTS-256-KEY",
        "HMAC-SHA-256-KEY", "HMAC-SHA-512-KEY", NULL, NULL, NULL, NULL, NULL,
        NULL, "EC-SECP256R1-PRIVATE-KEY", "EC-SECP384R1-PRIVATE-KEY",
        "EC-SECP521R1-PRIVATE-KEY", "EC-ED25519-PRIVATE-KEY",
        "EC-ED448-PRIVATE-KEY", "Update-CCK",
    };

    return t < sizeof(names) / sizeof(names[0]) && names[t] ? names[t] :
           "Unknown";
}

const char *uvdev_rc_text(uint16_t cmd, uint16_t rc, uint16_t rrc)
{
    switch (rc) {
    case 0x0002:
        return "the Ultravisor does not offer this call";
    case 0x0005:
        return "bad UVCB length";
    }
    switch (cmd) {
    case 0x1020:
        switch (rc) {
        case 0x0101: return "continuation token not 0";
        case 0x0102: return "user data longer than 256 bytes";
        case 0x0103: return "the request is not accessible";
        case 0x0104: return "the measurement area is not accessible";
        case 0x0105: return "the additional-data area is not accessible";
        case 0x0106: return "unsupported request version";
        case 0x0107: return "bad request length";
        case 0x0108: return "bad number of key slots";
        case 0x0109: return "bad size of the encrypted area";
        case 0x010a: return "unsupported attestation flags";
        case 0x010b: return "unsupported measurement algorithm";
        case 0x010c: return "the request cannot be decrypted: "
                            "not made for this host's key";
        case 0x010d: return "measurement area too small";
        case 0x010e: return "additional-data area too small";
        }
        break;
    case 0x1031:
        switch (rc) {
        case 0x0101: return "not allowed";
        case 0x0102: return "the secret store is locked";
        case 0x0103: return "the request is not accessible";
        case 0x0104: return "unsupported request version";
        case 0x0105: return "bad request size";
        case 0x0106: return "bad number of key slots";
        case 0x0107: return "unsupported flags";
        case 0x0108: return "the request cannot be decrypted: "
                            "not made for this host's key";
        case 0x0109: return "unsupported secret type";
        case 0x010a: return "bad secret length for its type";
        case 0x010b: return "the secret store is full";
        case 0x010c:
            switch (rrc) {
            case 1: return "cannot add: the request is for another image";
            case 2: return "cannot add: the request is for another boot "
                           "(configuration unique ID)";
            case 3: return "cannot add: another extension secret";
            }
            return "cannot add";
        case 0x010d: return "a dump is in progress";
        }
        break;
    case 0x1034:
        if (rc == 0x0102) {
            return "the secret store is already locked";
        }
        break;
    case 0x1035:
        switch (rc) {
        case 0x0102: return "the buffer is not accessible";
        case 0x0109: return "buffer too small";
        case 0x010f: return "the secret store is empty";
        case 0x0110: return "no secret with this index";
        case 0x0111: return "this secret is not retrievable";
        }
        break;
    }
    return NULL;
}

/* --- the pvattest exchange format ---------------------------------------- */

#define EX_MAGIC        "pvattest"
#define EX_VERSION      0x100
#define EX_HDR_LEN      0x40
#define EX_NR_ENTRIES   5

const char *uvdev_exchange_check(uint8_t *buf, size_t len,
                                 UvdevExchange *ex)
{
    static char msg[128];
    uint32_t size[EX_NR_ENTRIES], off[EX_NR_ENTRIES];
    uint8_t *data[EX_NR_ENTRIES];
    int i;

    memset(ex, 0, sizeof(*ex));
    if (len < EX_HDR_LEN || memcmp(buf, EX_MAGIC, 8)) {
        return "not a pvattest exchange file";
    }
    if (uvdev_get32(buf + 8) != EX_VERSION) {
        snprintf(msg, sizeof(msg), "unsupported exchange format version "
                 "0x%x", uvdev_get32(buf + 8));
        return msg;
    }
    if (uvdev_get32(buf + 12) > len) {
        snprintf(msg, sizeof(msg), "truncated (%zu bytes of %u)", len,
                 uvdev_get32(buf + 12));
        return msg;
    }
    for (i = 0; i < EX_NR_ENTRIES; i++) {
        size[i] = uvdev_get32(buf + 0x18 + 8 * i);
        off[i] = uvdev_get32(buf + 0x1c + 8 * i);
        data[i] = NULL;
        if (!size[i] || !off[i]) {
            continue;
        }
        if (off[i] < EX_HDR_LEN || off[i] > len || size[i] > len - off[i]) {
            snprintf(msg, sizeof(msg), "entry %d lies outside the file", i);
            return msg;
        }
        data[i] = buf + off[i];
    }
    if (!data[0]) {
        return "contains no attestation request";
    }
    if (data[4] && size[4] != 16) {
        return "the configuration unique ID is not 16 bytes";
    }
    if (size[0] > UVDEV_ARCB_MAX || size[1] > UVDEV_MEAS_MAX ||
        size[2] > UVDEV_ADD_MAX || (data[3] && size[3] > UVDEV_USER_MAX)) {
        return "an entry is larger than allowed";
    }
    ex->arcb = data[0];
    ex->arcb_len = size[0];
    ex->meas = data[1];
    ex->meas_len = size[1];
    ex->add = data[2];
    ex->add_len = size[2];
    ex->user = data[3];
    ex->user_len = data[3] ? size[3] : 0;
    ex->cuid = data[4];
    return NULL;
}

void uvdev_exchange_parse(const char *file, uint8_t *buf, size_t len,
                          UvdevExchange *ex)
{
    const char *err = uvdev_exchange_check(buf, len, ex);

    if (err) {
        uvdev_die("%s: %s", file, err);
    }
}

uint8_t *uvdev_exchange_build(const UvdevExchange *ex, size_t *len)
{
    const uint8_t *data[EX_NR_ENTRIES] = {
        ex->arcb, ex->meas, ex->add, ex->user, ex->cuid
    };
    uint32_t size[EX_NR_ENTRIES] = {
        ex->arcb_len, ex->meas_len, ex->add_len, ex->user_len,
        ex->cuid ? 16 : 0
    };
    uint32_t off = EX_HDR_LEN;
    uint8_t *buf;
    int i;

    for (i = 0; i < EX_NR_ENTRIES; i++) {
        off += data[i] ? size[i] : 0;
    }
    buf = xmalloc(off);
    memcpy(buf, EX_MAGIC, 8);
    uvdev_put32(buf + 8, EX_VERSION);
    uvdev_put32(buf + 12, off);
    off = EX_HDR_LEN;
    for (i = 0; i < EX_NR_ENTRIES; i++) {
        if (!size[i]) {
            continue;
        }
        uvdev_put32(buf + 0x18 + 8 * i, size[i]);
        if (data[i]) {
            uvdev_put32(buf + 0x1c + 8 * i, off);
            memcpy(buf + off, data[i], size[i]);
            off += size[i];
        }
    }
    *len = off;
    return buf;
}
