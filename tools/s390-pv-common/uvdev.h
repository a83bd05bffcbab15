/*
 * The guest side of the Secure Execution tools: Linux's /dev/uv, the
 * pvattest exchange format, and small helpers.  Plain C and libc only:
 * it is built into the host tools and, statically for s390x, into the
 * protected guest's initrd.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TOOLS_S390_PV_UVDEV_H
#define TOOLS_S390_PV_UVDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The tool's name, for messages */
extern const char *uvdev_tool;

/* "TOOL: message" on stderr, exit status 1 */
void uvdev_die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* A whole file (at most @max bytes), or die; "-" is stdin */
uint8_t *uvdev_read_file(const char *file, size_t max, size_t *len);
/* Write @len bytes to @file ("-" is stdout), or die */
void uvdev_write_file(const char *file, const void *buf, size_t len);

/* Big-endian fields */
uint16_t uvdev_get16(const uint8_t *p);
uint32_t uvdev_get32(const uint8_t *p);
uint64_t uvdev_get64(const uint8_t *p);
void uvdev_put16(uint8_t *p, uint16_t v);
void uvdev_put32(uint8_t *p, uint32_t v);

/* SHA-256 of @len bytes (secret IDs from names) */
void uvdev_sha256(const void *data, size_t len, uint8_t out[32]);
/* @len bytes as "0x" and lower-case hex into @out (2 * len + 3 bytes) */
void uvdev_hex(const uint8_t *p, size_t len, char *out);
/* Exactly @len bytes from hex (with or without 0x); false if not */
bool uvdev_unhex(const char *s, uint8_t *out, size_t len);

/* --- /dev/uv ------------------------------------------------------------ */

#define UVDEV_PATH              "/dev/uv"
#define UVDEV_USER_MAX          256
#define UVDEV_ARCB_MAX          0x100000
#define UVDEV_MEAS_MAX          0x8000
#define UVDEV_ADD_MAX           0x8000
#define UVDEV_ASRCB_MAX         0x100000
#define UVDEV_LIST_LEN          0x1000
#define UVDEV_RETR_MAX          0x2000

typedef struct UvdevResult {
    uint16_t rc;
    uint16_t rrc;
} UvdevResult;

/*
 * Retrieve Attestation Measurement: @meas and @add are filled with
 * @meas_len and @add_len bytes, @cuid with the configuration unique ID.
 * Dies when /dev/uv refuses the request; the Ultravisor's rc is the
 * caller's to judge.
 */
UvdevResult uvdev_attest(const uint8_t *arcb, uint32_t arcb_len,
                         const uint8_t *user, uint16_t user_len,
                         uint8_t *meas, uint32_t meas_len,
                         uint8_t *add, uint32_t add_len, uint8_t cuid[16]);
UvdevResult uvdev_add_secret(const uint8_t *asrcb, uint32_t len);
UvdevResult uvdev_list_secrets(uint8_t page[UVDEV_LIST_LEN]);
UvdevResult uvdev_lock_secrets(void);
/* The secret @index into @buf (@len bytes) */
UvdevResult uvdev_retrieve_secret(uint16_t index, uint8_t *buf,
                                  uint32_t len);

/* The name of secret type @t ("AES-256-KEY", ...), or "Unknown" */
const char *uvdev_secret_type_name(uint16_t t);

/* What an rc of @cmd (0x1020, 0x1031, ...) means, or NULL */
const char *uvdev_rc_text(uint16_t cmd, uint16_t rc, uint16_t rrc);

/* --- the pvattest exchange format ---------------------------------------- */

/*
 * A 0x40-byte header ("pvattest", version 0x100, total size), then five
 * (size, offset) entries: request, measurement, additional data, user
 * data, configuration unique ID.  An entry with a size and offset 0 only
 * says how large the answer must be.
 */
typedef struct UvdevExchange {
    uint8_t *arcb;
    uint32_t arcb_len;
    uint8_t *meas;          /* NULL: only its size is known */
    uint32_t meas_len;
    uint8_t *add;
    uint32_t add_len;
    uint8_t *user;
    uint32_t user_len;
    uint8_t *cuid;          /* 16 bytes, or NULL */
} UvdevExchange;

/* Parse @len bytes at @buf (pointers into it): NULL, or what is wrong */
const char *uvdev_exchange_check(uint8_t *buf, size_t len,
                                 UvdevExchange *ex);
/* The same for @file's contents, or die */
void uvdev_exchange_parse(const char *file, uint8_t *buf, size_t len,
                          UvdevExchange *ex);
/* Serialise @ex (g_free-less: free()) */
uint8_t *uvdev_exchange_build(const UvdevExchange *ex, size_t *len);

/* The guest subcommands, for the host tools' main() and the guest build */
int pvattest_perform(int argc, char **argv);
int pvsecret_guest(int argc, char **argv);  /* argv[0]: add, list, ... */

#endif
