/*
 * s390x Protected Virtualization: the software Ultravisor (TCG backend)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_S390X_PV_SW_H
#define HW_S390X_PV_SW_H

#include "hw/s390x/pv-uv.h"
#include "hw/s390x/pv-se.h"
#include "hw/s390x/pv-uvc.h"

/* How the software Ultravisor works on guest memory; both optional. */
/*
 * Guest storage as the operands of a UV call address it (the buffers a
 * UVCB names: requests, measurement, lists, secrets), for the
 * Ultravisor's own accesses: false on an access exception, which the
 * call reports as its result code, not as a program interruption.  A
 * write either stores everything or nothing.
 */
typedef struct S390PVUvcMem {
    bool (*read)(void *opaque, uint64_t addr, void *buf, uint64_t len);
    bool (*write)(void *opaque, uint64_t addr, const void *buf,
                  uint64_t len);
    void *opaque;
} S390PVUvcMem;

/* What a protected boot's secrets and attestations look like now */
typedef struct S390PVSecretsInfo {
    uint8_t cuid[16];
    bool have_cuid;
    bool locked;
    bool dump_disabled;
    uint32_t secrets;           /* listable secrets in the store */
    uint64_t added;             /* successful Add Secret calls */
    uint64_t attestations;      /* successful measurements */
} S390PVSecretsInfo;

void s390_pv_sw_secrets_info(S390PVBackend *be, S390PVSecretsInfo *info);

typedef struct S390PVSwMemoryOps {
    /*
     * Make guest pages [@addr, @addr + @len) read as zero without writing
     * them (discard their backing: no memory is committed for pages that
     * were never used).  False if it could not: the Ultravisor then
     * writes zeros.
     */
    bool (*zero)(void *opaque, uint64_t addr, uint64_t len);
    /*
     * The Ultravisor changed guest pages [@addr, @addr + @len) behind the
     * CPUs' back (decrypted or zeroed them): TCG must drop the
     * translations of exactly those pages, and dirty tracking must see
     * them.
     */
    void (*changed)(void *opaque, uint64_t addr, uint64_t len);
    /*
     * The guest stopped sharing guest pages [@addr, @addr + @len) (Remove
     * Shared Access, or every page at a reset): what the host's devices
     * cached of their translations must go.
     */
    void (*unshared)(void *opaque, uint64_t addr, uint64_t len);
} S390PVSwMemoryOps;

/*
 * A software Ultravisor over guest memory at @ram (@ram_size bytes from
 * guest absolute address 0), trusting the host keys @keys; @mops (may be
 * NULL) is called with @opaque.
 */
S390PVBackend *s390_pv_sw_backend_new(const S390PVKey *keys, int nr_keys,
                                      uint8_t *ram, uint64_t ram_size,
                                      const S390PVSwMemoryOps *mops,
                                      void *opaque);

/* The opened header of the last set-secure-parameters, or NULL */
const S390PVHeader *s390_pv_sw_header(S390PVBackend *be);

/* --- the protected guest's side ------------------------------------------ */

/* Is @be (may be NULL) the software Ultravisor? */
bool s390_pv_sw_is(S390PVBackend *be);

/* Does the guest run protected (verified, not left since)? */
bool s390_pv_sw_guest_protected(S390PVBackend *be);

/* Query tells the guest CPU addresses 0 to @max_cpus - 1. */
void s390_pv_sw_set_max_cpus(S390PVBackend *be, uint32_t max_cpus);

/* The Query answer (S390_PV_QUERY_LEN bytes) a protected guest gets */
void s390_pv_sw_query(S390PVBackend *be, uint8_t *q);

/*
 * How many bytes of the UVCB whose 8-byte header is @hdr the call reads
 * and stores: the caller fetches that much (access exceptions are the
 * guest's) before s390_pv_sw_guest_call().
 */
S390PVUvcAccess s390_pv_sw_guest_call_access(const uint8_t *hdr);

/*
 * A UV call of the protected guest, on a host copy @cb of its UVCB with
 * the @fetched bytes s390_pv_sw_guest_call_access() asked for.  Fills in
 * rc/rrc and the output; returns the condition code.
 */
int s390_pv_sw_guest_call(S390PVBackend *be, uint8_t *cb, uint32_t fetched,
                          const S390PVUvcMem *mem);

/*
 * May the host (devices, monitor, dumps) see guest absolute address
 * @addr in the clear: the guest is not protected, shared the page, or
 * the address is not guest storage?  Safe from any thread.
 */
bool s390_pv_sw_host_may_access(S390PVBackend *be, uint64_t addr);

/* The calling CPU's storage, for the UVC instruction */
typedef struct S390PVUvcCpu {
    /*
     * Translate logical @addr (the CPU's address space and DAT now) for a
     * store or a fetch into absolute *@abs; false if it does not
     * translate or is protected (no exception is raised).
     */
    bool (*translate)(void *opaque, uint64_t addr, bool store,
                      uint64_t *abs);
    /*
     * Read or write absolute [@abs, @abs + @len), within one page; with
     * @buf NULL only check that it is memory.  False if it is not.
     */
    bool (*abs_rw)(void *opaque, uint64_t abs, void *buf, uint64_t len,
                   bool write);
    void *opaque;
} S390PVUvcCpu;

/* Where the UVC instruction's own access to its UVCB failed */
typedef struct S390PVUvcFault {
    uint64_t addr;              /* logical address */
    bool store;
} S390PVUvcFault;

/*
 * The UVC instruction of a protected guest's CPU @cpu, with the UVCB at
 * logical @addr: the header, then what the command reads and stores.
 * Returns the condition code, or -1 for an access exception at @fault,
 * which the caller raises: then nothing took effect.  The result's store
 * is translated before the call acts, and cannot fault afterwards.
 */
int s390_pv_sw_uvc(S390PVBackend *be, const S390PVUvcCpu *cpu,
                   uint64_t addr, S390PVUvcFault *fault);

/*
 * Isolation (the machine's): when on, the host sees only the pages the
 * guest shared, and a dump exports the others encrypted.
 */
void s390_pv_sw_set_isolation(S390PVBackend *be, bool on);

/* Is a protected dump in progress (between its init and completion)? */
bool s390_pv_sw_dumping(S390PVBackend *be);

/*
 * What a protected dump holds of guest absolute [@addr, @addr + @len),
 * all of it pages the host may not see, into @buf: each page encrypted
 * with the dump's XTS key and its tweak, or zeros for a zero page; and
 * taken into the dump's memory digest.
 */
void s390_pv_sw_dump_export(S390PVBackend *be, uint64_t addr, uint8_t *buf,
                            uint64_t len);

/* Pages shared now; UV calls and Queries since start-up */
void s390_pv_sw_guest_stats(S390PVBackend *be, uint64_t *shared_pages,
                            uint64_t *calls, uint64_t *queries);

#endif
