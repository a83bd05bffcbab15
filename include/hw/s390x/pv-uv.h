/*
 * s390x Protected Virtualization: the Ultravisor backend interface
 *
 * The machine code drives the Ultravisor through this interface only.
 * There are two backends: KVM (the firmware Ultravisor of IBM Z, reached
 * through KVM_S390_PV_COMMAND) and the software Ultravisor under TCG.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_S390X_PV_UV_H
#define HW_S390X_PV_UV_H

#include "qapi/error.h"
#include "hw/s390x/pv-iplb.h"

/*
 * Ultravisor steps.  The numbers are KVM's enum pv_cmd_id: they travel to
 * the guest in the extended diag 308 response, whatever the backend.
 */
typedef enum S390PVCmd {
    S390_PV_CMD_ENABLE = 0,
    S390_PV_CMD_DISABLE = 1,
    S390_PV_CMD_SET_SEC_PARMS = 2,
    S390_PV_CMD_UNPACK = 3,
    S390_PV_CMD_VERIFY = 4,
    S390_PV_CMD_PREP_RESET = 5,
    S390_PV_CMD_UNSHARE_ALL = 6,
    S390_PV_CMD_INFO = 7,
    S390_PV_CMD_DUMP = 8,
    S390_PV_CMD_ASYNC_CLEANUP_PREPARE = 9,
    S390_PV_CMD_ASYNC_CLEANUP_PERFORM = 10,
    S390_PV_CMD__MAX,
} S390PVCmd;

/* Ultravisor return codes (UV call header rc) */
#define S390_PV_RC_OK               0x0001

/* The outcome of one Ultravisor step. */
typedef struct S390PVResult {
    uint16_t cmd;       /* S390PVCmd */
    uint16_t rc;        /* Ultravisor rc, 0 when it was not reached */
    uint16_t rrc;       /* Ultravisor rrc */
    uint64_t pages;     /* protect sequence: pages unpacked */
} S390PVResult;

/* Ultravisor limits (KVM_PV_INFO).  valid is false when unknown. */
typedef struct S390PVInfo {
    bool valid;
    uint32_t max_cpus;
    uint32_t max_guests;
    uint64_t max_guest_addr;
    uint64_t feature_indication;
    bool dump_valid;
    uint64_t dump_cpu_len;              /* bytes of CPU data per vCPU */
    uint64_t dump_storage_state_len;    /* bytes of metadata per MiB */
    uint64_t dump_completion_len;       /* bytes of completion data */
} S390PVInfo;

typedef struct S390PVBackend S390PVBackend;

/*
 * Every step returns 0 on success.  On failure it returns a negative
 * errno, fills @res (when given) with the step and the Ultravisor's
 * rc/rrc, and sets @errp.
 */
typedef struct S390PVBackendOps {
    const char *name;   /* "kvm", "software" */
    int (*enable)(S390PVBackend *be, S390PVResult *res, Error **errp);
    /* Leave PV mode; tears the secure configuration down. */
    int (*disable)(S390PVBackend *be, S390PVResult *res, Error **errp);
    int (*info)(S390PVBackend *be, S390PVInfo *info, Error **errp);
    /* @hdr is a host copy of the SE header */
    int (*set_sec_parms)(S390PVBackend *be, const void *hdr, uint64_t len,
                         S390PVResult *res, Error **errp);
    int (*unpack)(S390PVBackend *be, uint64_t addr, uint64_t size,
                  uint64_t tweak, S390PVResult *res, Error **errp);
    int (*verify)(S390PVBackend *be, S390PVResult *res, Error **errp);
    int (*prep_reset)(S390PVBackend *be, S390PVResult *res, Error **errp);
    int (*unshare_all)(S390PVBackend *be, S390PVResult *res, Error **errp);
    /*
     * Protected dump, optional: NULL when the backend cannot dump.  The
     * buffers are sized by the caller from S390PVInfo's dump lengths.
     */
    int (*dump_init)(S390PVBackend *be, Error **errp);
    /*
     * @state: the CPU's registers as the Ultravisor's dump area holds them
     * (S390_PV_DUMP_CPU_AREA_LEN bytes, pv-dump.h), for a backend that is
     * not given them otherwise (the software Ultravisor); KVM's firmware
     * has them and ignores it.
     */
    int (*dump_cpu)(S390PVBackend *be, int cpu_index, const void *state,
                    void *buf, uint64_t len, Error **errp);
    int (*dump_storage_state)(S390PVBackend *be, uint64_t gaddr,
                              uint64_t len, void *buf, Error **errp);
    int (*dump_complete)(S390PVBackend *be, void *buf, uint64_t len,
                         Error **errp);
    /*
     * The PSW a protected guest starts at, for a backend that starts the
     * CPU itself; NULL when the Ultravisor does (KVM).
     */
    bool (*start_psw)(S390PVBackend *be, uint64_t *mask, uint64_t *addr);
    /*
     * The secret control flags of the opened SE header, for a backend
     * that knows them (optional; false when there is no header).
     */
    bool (*header_scf)(S390PVBackend *be, uint64_t *scf);
    void (*destroy)(S390PVBackend *be);
} S390PVBackendOps;

struct S390PVBackend {
    const S390PVBackendOps *ops;
};

/* diag 308 responses (r1 + 1) */
#define S390_PV_DIAG308_RC_OK              0x0001
#define S390_PV_DIAG308_RC_NO_CONF         0x0102
#define S390_PV_DIAG308_RC_INVALID         0x0402
#define S390_PV_DIAG308_RC_NO_PV_CONF      0x0902
#define S390_PV_DIAG308_RC_INVAL_FOR_PV    0x0a02

/* Name of a step, as KVM calls it: "KVM_PV_SET_SEC_PARMS" */
const char *s390_pv_cmd_name(uint16_t cmd);

/*
 * The diag 308 subcode 10 response for a failed protect:
 * (cmd << 48) | (rrc << 32) | (rc << 16) | 0x0a02
 */
uint64_t s390_pv_diag308_failure(const S390PVResult *res);

/**
 * s390_pv_uv_protect: the Ultravisor's part of the protect sequence
 * @be: the backend
 * @iplb: the checked PV IPL block
 * @hdr: a host copy of the SE header (iplb->hdr_len bytes)
 * @max_cpus, @ram_size: the guest, checked against the Ultravisor's limits
 * @info: filled with the Ultravisor's limits
 * @res: the failing step and its rc/rrc
 *
 * Enable, query the limits, set the secure parameters, unpack every
 * component (in whole pages) and verify.  On failure the secure
 * configuration is torn down again before returning -1.
 */
int s390_pv_uv_protect(S390PVBackend *be, const S390PVIplBlock *iplb,
                       const void *hdr, uint32_t max_cpus,
                       uint64_t ram_size, S390PVInfo *info,
                       S390PVResult *res, Error **errp);

#endif
