/*
 * What the Secure Execution host tools share: messages, files, keys and
 * host-key document verification
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TOOLS_S390_PV_TOOL_H
#define TOOLS_S390_PV_TOOL_H

#include "hw/s390x/pv-se.h"

#define MAX_HOST_KEYS   64
#define HKD_MAX_FILES       64

/* What the messages start with ("s390-pvimg", ...) */
extern const char *tool_name;
/* -V: say what goes where */
extern bool verbose;
/* A partly written output file, removed by die() */
extern char *tmp_output;

/* One line on stderr, "TOOL: ...", then exit status 1 */
void G_GNUC_PRINTF(1, 2) G_NORETURN die(const char *fmt, ...);
void G_NORETURN die_err(Error *err);
/* With -V only */
void G_GNUC_PRINTF(1, 2) note(const char *fmt, ...);

/* A whole file, or die */
uint8_t *read_file(const char *file, gsize *len);
/* A file of exactly @len bytes (a key), or die */
void read_key(const char *file, uint8_t *key, size_t len, const char *what);
/* A host-key document: an X.509 certificate (PEM or DER) of a P-521 key */
void read_host_key(const char *file, S390PVKey *key);
void random_bytes(uint8_t *buf, size_t len);
/* A fresh customer key pair (P-521), as for every request */
void random_cust_key(S390PVKey *cust);
/* Write @file whole (via a temporary file), mode 0666 or 0600 less umask */
void write_output(const char *file, const void *buf, size_t len,
                  bool private);

/*
 * The SE header in @img (an SE image, where it starts at a page
 * boundary, or a header on its own): its start and length, or die.
 */
const uint8_t *find_se_header(const char *file, const uint8_t *img,
                              size_t len, uint32_t *hdr_len);
/* PLD, ALD, TLD and the header tag: what requests bind to */
void se_header_tags(const uint8_t *hdr, uint32_t hdr_len, uint8_t *tags);

typedef struct HkdOpts {
    const char *certs[HKD_MAX_FILES];
    int nr_certs;
    const char *crls[HKD_MAX_FILES];
    int nr_crls;
    const char *root_ca;
    bool offline;
} HkdOpts;

/* Verify every host-key document (-k) against -C/--crl/--root-ca, or die */
void hkd_verify(const HkdOpts *o, const char *const *hkds, int nr);

/*
 * @own long options followed by the host-key options every tool takes:
 * -k/--host-key-document, --no-verify, -C/--cert/--crt, --crl, --root-ca,
 * --offline (getopt codes 'k', 'N', 'C', 'R', 'T', 'F'); g_free it
 */
struct option *host_keys_longopts(const struct option *own);

typedef struct HostKeys {
    const char *files[MAX_HOST_KEYS];
    int nr;
    bool no_verify;
    HkdOpts hkd;
} HostKeys;

/* Take getopt's @c with @arg if it is a host-key option; false if not */
bool host_keys_option(HostKeys *hk, int c, const char *arg);
/*
 * Verify the documents (unless --no-verify), then read their keys into
 * @keys (hk->nr of them); or die
 */
void host_keys_load(const HostKeys *hk, S390PVKey *keys);

/*
 * What the tools' main() does first: -v/-V/--verbose before the command,
 * --help, --version; no command at all is an error.  False when main()
 * should return *@status.
 */
bool tool_start(int *argc, char ***argv, const char *name,
                const char *compatible, void (*usage)(void), int *status);

#endif
