/*
 * s390x Protected Virtualization: diag 308 subcodes 8-10 and the protect
 * sequence, shared by every Ultravisor backend
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/error-report.h"
#include "qemu/log.h"
#include "qemu/units.h"
#include "qemu/timer.h"
#include "exec/cpu-common.h"
#include "exec/memory.h"
#include "exec/address-spaces.h"
#include "hw/boards.h"
#include "migration/blocker.h"
#include "system/kvm.h"
#include "cpu.h"
#include "s390x-internal.h"
#include "hw/s390x/pv-machine.h"
#include "hw/s390x/pv-se.h"
#include "hw/s390x/pv-sw.h"
#include "hw/s390x/pv-dump.h"
#include "qemu/bswap.h"
#include "monitor/monitor.h"
#include "qapi/qapi-commands-machine-target.h"
#include "qobject/qdict.h"
#include "trace.h"

/*
 * Error lines a guest can cause (a failed protect) are rate limited, so
 * that a guest looping on a failing diag 308 cannot flood the host's log:
 * a burst, then nothing until the window is over, and the next line says
 * how many were left out.  The trace events stay one per attempt.
 */
#define PV_REPORT_BURST         5
#define PV_REPORT_WINDOW_SEC    60

static void pv_report_guest_error(S390PVGuest *pv, Error *err)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    g_autofree char *note = NULL;

    if (!pv->report_count ||
        now - pv->report_window_start >=
        PV_REPORT_WINDOW_SEC * NANOSECONDS_PER_SECOND) {
        pv->report_window_start = now;
        pv->report_count = 0;
    }
    if (pv->report_count >= PV_REPORT_BURST) {
        pv->report_suppressed++;
        error_free(err);
        return;
    }
    pv->report_count++;
    if (pv->report_suppressed) {
        note = g_strdup_printf(" (%u similar errors were suppressed)",
                               pv->report_suppressed);
        pv->report_suppressed = 0;
    } else if (pv->report_count == PV_REPORT_BURST) {
        note = g_strdup_printf(" (similar errors are suppressed for %d s)",
                               PV_REPORT_WINDOW_SEC);
    }
    error_report("%s%s", error_get_pretty(err), note ?: "");
    error_free(err);
}

/* A diagnose operand of @opaque, the S390CPU that issued it */
static int pv_operand_rw(void *opaque, uint64_t addr, void *buf, int len,
                         bool is_write)
{
    return s390_cpu_diag_operand_rw(opaque, addr, buf, len, is_write);
}

int s390_pv_diag308_set(S390CPU *cpu, uint64_t addr, uint64_t *resp)
{
    S390PVGuest *pv = s390_pv_guest();

    if (!pv) {
        qemu_log_mask(LOG_GUEST_ERROR, "diag 308 subcode 8: no %s object "
                      "is configured\n", TYPE_S390_PV_GUEST);
        *resp = S390_PV_DIAG308_RC_INVALID;
        return 0;
    }
    return s390_pv_diag_set(&pv->diag, pv_operand_rw, cpu, addr,
                            current_machine->ram_size, resp);
}

int s390_pv_diag308_store(S390CPU *cpu, uint64_t addr, uint64_t *resp)
{
    S390PVGuest *pv = s390_pv_guest();

    if (!pv) {
        *resp = S390_PV_DIAG308_RC_NO_CONF;
        return 0;
    }
    return s390_pv_diag_store(&pv->diag, pv_operand_rw, cpu, addr, resp);
}

S390PVStart s390_pv_diag308_start(S390CPU *cpu, int r1, uint64_t *resp)
{
    S390PVGuest *pv = s390_pv_guest();

    if (!pv) {
        qemu_log_mask(LOG_GUEST_ERROR, "diag 308 subcode 10: no %s object "
                      "is configured\n", TYPE_S390_PV_GUEST);
        *resp = S390_PV_DIAG308_RC_INVAL_FOR_PV;
        return S390_PV_START_RESPOND;
    }
    return s390_pv_diag_start(&pv->diag, r1, resp);
}

void s390_pv_cancel_protect(void)
{
    S390PVGuest *pv = s390_pv_guest();

    if (pv) {
        s390_pv_diag_cancel(&pv->diag);
    }
}

/* Undo every protect step that was done, in reverse order. */
static void pv_unprotect(S390PVGuest *pv)
{
    Error *err = NULL;

    if (pv->protected) {
        if (pv->backend->ops->disable(pv->backend, NULL, &err) < 0) {
            /*
             * The Ultravisor still has the guest protected: QEMU can
             * neither run it as a normal guest nor protect it again.
             */
            error_report_err(err);
            error_report("Protected Virtualization: the guest cannot leave "
                         "protected mode; stopping");
            exit(EXIT_FAILURE);
        }
        pv->protected = false;
        pv->dumping = false;
        /* A device write ended that guest; the next one starts afresh. */
        qatomic_set(&pv->host_write_ended, false);
        pv->start_from_header = false;
        trace_s390_pv_unprotected();
    }
    if (pv->migration_blocker) {
        migrate_del_blocker(&pv->migration_blocker);
    }
    if (pv->discard_disabled) {
        ram_block_discard_disable(false);
        pv->discard_disabled = false;
    }
}

/*
 * TCG's log items that show a guest's code, control flow or registers
 * log nothing while the guest is protected (software Ultravisor with
 * isolation), as under KVM, where QEMU never sees them: from the protect
 * until the end of the reset that leaves PV, once the CPUs are reset.
 */
static void pv_log_hide(S390PVGuest *pv)
{
    static bool told;

    if (!pv->isolation || !s390_pv_sw_is(pv->backend)) {
        return;
    }
    if (qemu_log_hide(LOG_GUEST_STATE) && !told) {
        told = true;
        warn_report("Protected Virtualization: QEMU does not log a "
                    "protected guest's code, control flow or registers "
                    "(-d in_asm, exec, cpu, int, ...)");
    }
}

void s390_pv_reset_done(void)
{
    if (!s390_pv_is_protected()) {
        qemu_log_hide(0);
    }
}

/* Remember the header's plaintext fields, for query-s390-pv. */
static void pv_note_header(S390PVGuest *pv, const uint8_t *hdr, uint64_t len)
{
    if (len < S390_PV_SE_OFF_SLOTS ||
        ldq_be_p(hdr + S390_PV_SE_OFF_MAGIC) != S390_PV_SE_MAGIC) {
        return;
    }
    pv->have_header = true;
    pv->hdr_version = ldl_be_p(hdr + S390_PV_SE_OFF_VERSION);
    pv->hdr_nks = ldq_be_p(hdr + S390_PV_SE_OFF_NKS);
    pv->hdr_nep = ldq_be_p(hdr + S390_PV_SE_OFF_NEP);
    pv->hdr_pcf = ldq_be_p(hdr + S390_PV_SE_OFF_PCF);
}

static int pv_protect_steps(S390PVGuest *pv, const S390PVIplBlock *iplb,
                            S390PVResult *res, const char **step,
                            Error **errp)
{
    MachineState *ms = current_machine;
    g_autofree uint8_t *hdr = NULL;
    int ret;

    pv->have_header = false;
    pv->pages_unpacked = 0;
    if (!pv->backend) {
        *step = "find an Ultravisor";
        error_setg(errp, "no Ultravisor is available");
        return -1;
    }

    /*
     * A protected guest's memory cannot be discarded behind its back, and
     * cannot be migrated.
     */
    if (ram_block_discard_disable(true)) {
        *step = "disable RAM discard";
        error_setg(errp, "protected VMs: cannot disable RAM discard");
        return -1;
    }
    pv->discard_disabled = true;

    error_setg(&pv->migration_blocker,
               "protected VMs are currently not migratable.");
    if (migrate_add_blocker(&pv->migration_blocker, errp) < 0) {
        *step = "block migration";
        return -1;
    }

    /*
     * The Ultravisor gets a host copy of the header; its length is the
     * checked one of the snapshot, and every CPU is stopped.
     */
    hdr = g_malloc(iplb->hdr_len);
    cpu_physical_memory_read(iplb->hdr_addr, hdr, iplb->hdr_len);
    pv_note_header(pv, hdr, iplb->hdr_len);
    ret = s390_pv_uv_protect(pv->backend, iplb, hdr, ms->smp.max_cpus,
                             ms->ram_size, &pv->info, res, errp);
    pv->pages_unpacked = res->pages;
    if (ret < 0) {
        return -1;
    }
    pv->protected = true;
    return 0;
}

bool s390_pv_protect(S390CPU *cpu)
{
    S390PVGuest *pv = s390_pv_guest();
    const S390PVIplBlock *iplb;
    S390PVResult res = { 0 };
    const char *step = NULL;
    Error *err = NULL;
    uint64_t resp;

    iplb = s390_pv_diag_take_protect(&pv->diag, &resp);
    if (!iplb) {
        /* Nothing to protect with (cannot happen: subcode 10 checked). */
        cpu->env.regs[pv->diag.r1 + 1] = resp;
        return false;
    }
    if (pv_protect_steps(pv, iplb, &res, &step, &err) == 0) {
        pv->start_from_header = true;
        pv_log_hide(pv);
        trace_s390_pv_protected(iplb->num_comp);
        return true;
    }

    /* The guest goes on unprotected and learns why from r1 + 1. */
    pv->last_failure = res;
    pv->failed = true;
    pv->fail_step = step;
    g_free(pv->fail_error);
    pv->fail_error = g_strdup(error_get_pretty(err));
    pv_unprotect(pv);
    cpu->env.regs[pv->diag.r1 + 1] = s390_pv_diag308_failure(&res);
    trace_s390_pv_protect_failed(res.cmd, res.rc, res.rrc);
    if (!step && res.cmd == S390_PV_CMD_SET_SEC_PARMS &&
        res.rc == S390_PV_RC_KEY) {
        /* whichever Ultravisor: no key slot for this host, or a bad one */
        Error *hinted = NULL;

        error_setg(&hinted, "%s: please check whether the image is "
                   "correctly encrypted for this host", error_get_pretty(err));
        error_free(err);
        err = hinted;
    }
    error_prepend(&err, "Protected Virtualization: ");
    pv_report_guest_error(pv, err);
    return false;
}

void s390_pv_prepare_reset(void)
{
    S390PVGuest *pv = s390_pv_guest();
    S390PVBackend *be;
    Error *err = NULL;
    CPUState *cs;

    if (!pv || !pv->protected) {
        return;
    }
    be = pv->backend;
    /* The Ultravisor needs every CPU stopped before it unshares. */
    CPU_FOREACH(cs) {
        s390_cpu_set_state(S390_CPU_STATE_STOPPED, S390_CPU(cs));
    }
    if (be->ops->unshare_all(be, NULL, &err) < 0 ||
        be->ops->prep_reset(be, NULL, &err) < 0) {
        error_report_err(err);
    }
    trace_s390_pv_step("prepare-reset", 0, 0);
}

void s390_pv_leave(void)
{
    S390PVGuest *pv = s390_pv_guest();

    if (pv) {
        pv_unprotect(pv);
    }
}

bool s390_pv_cpu_load(S390CPU *cpu)
{
    S390PVGuest *pv = s390_pv_guest();
    S390PVBackend *be = pv->backend;
    bool from_header = pv->start_from_header;
    uint64_t mask, addr;

    pv->start_from_header = false;
    if (!be || !be->ops->start_psw) {
        /*
         * The firmware Ultravisor starts a protected CPU once it is in the
         * load state: at the SE header's PSW after the protect, at the
         * guest's reset PSW at absolute 0 after a reset of its own.
         */
        s390_cpu_set_state(S390_CPU_STATE_LOAD, cpu);
        return true;
    }
    /* The software Ultravisor hands over the SE header's PSW once. */
    if (from_header && be->ops->start_psw(be, &mask, &addr)) {
        s390_cpu_set_psw(&cpu->env, mask, addr);
        trace_s390_pv_start(mask, addr);
        return true;
    }
    /* A reset of the protected guest's own: the PSW at absolute 0. */
    return false;
}

/*
 * Protected dump (dump-guest-memory of a protected guest).  The Ultravisor
 * adds encrypted CPU state, per-MiB storage metadata and completion data
 * to an otherwise normal dump.
 */
static S390PVBackend *pv_dump_backend(void)
{
    S390PVGuest *pv = s390_pv_guest();

    if (!pv || !pv->protected || !pv->backend ||
        !pv->backend->ops->dump_init || !pv->info.dump_valid) {
        return NULL;
    }
    return pv->backend;
}

bool s390_pv_dump_start(Error **errp)
{
    S390PVGuest *pv = s390_pv_guest();
    S390PVBackend *be = pv_dump_backend();

    if (!be) {
        error_setg(errp, "dump-guest-memory: the guest is protected and "
                   "its Ultravisor has no dump interface (the kernel's KVM "
                   "lacks KVM_PV_DUMP)");
        return false;
    }
    if (be->ops->dump_init(be, errp) < 0) {
        error_prepend(errp, "dump-guest-memory: the guest is protected: ");
        return false;
    }
    pv->dumping = true;
    trace_s390_pv_step("dump-init", 0, 0);
    return true;
}
bool s390_pv_dumping(void)
{
    S390PVGuest *pv = s390_pv_guest();

    return pv && pv->dumping;
}

uint64_t s390_pv_dump_cpu_len(void)
{
    return s390_pv_dumping() ? s390_pv_guest()->info.dump_cpu_len : 0;
}

uint64_t s390_pv_dump_storage_state_len(uint64_t mem_len)
{
    S390PVGuest *pv = s390_pv_guest();

    return s390_pv_dumping() ?
           (mem_len / MiB) * pv->info.dump_storage_state_len : 0;
}

uint64_t s390_pv_dump_completion_len(void)
{
    return s390_pv_dumping() ? s390_pv_guest()->info.dump_completion_len : 0;
}

/*
 * The registers of @cpu as the Ultravisor's dump area holds them, for the
 * software Ultravisor (pv-dump.h); the guest is stopped.
 */
static void pv_dump_cpu_state(S390CPU *cpu, uint8_t *a)
{
    CPUS390XState *env = &cpu->env;
    int i;

    memset(a, 0, S390_PV_DUMP_CPU_AREA_LEN);
    for (i = 0; i < 16; i++) {
        stq_be_p(a + S390_PV_CPU_GPRS + 8 * i, env->regs[i]);
        stl_be_p(a + S390_PV_CPU_ACRS + 4 * i, env->aregs[i]);
        stq_be_p(a + S390_PV_CPU_CRS + 8 * i, env->cregs[i]);
    }
    stq_be_p(a + S390_PV_CPU_PSW, s390_cpu_get_psw_mask(env));
    stq_be_p(a + S390_PV_CPU_PSW + 8, env->psw.addr);
    stl_be_p(a + S390_PV_CPU_PREFIX, env->psa);
    stl_be_p(a + S390_PV_CPU_FPC, env->fpc);
    stl_be_p(a + S390_PV_CPU_TODPR, env->todpr);
    stq_be_p(a + S390_PV_CPU_TIMER, env->cputm);
    stq_be_p(a + S390_PV_CPU_CKC, env->ckc);
    for (i = 0; i < 32; i++) {
        stq_be_p(a + S390_PV_CPU_VRS + 16 * i, env->vregs[i][0]);
        stq_be_p(a + S390_PV_CPU_VRS + 16 * i + 8, env->vregs[i][1]);
    }
    stq_be_p(a + S390_PV_CPU_GSD, env->gscb[1]);
    stq_be_p(a + S390_PV_CPU_GSSM, env->gscb[2]);
    stq_be_p(a + S390_PV_CPU_GS_EPL, env->gscb[3]);
}

int s390_pv_dump_cpu(S390CPU *cpu, void *buf)
{
    S390PVBackend *be = pv_dump_backend();
    uint8_t state[S390_PV_DUMP_CPU_AREA_LEN];
    Error *err = NULL;
    bool sw;
    int ret;

    if (!be || !s390_pv_dumping()) {
        return -1;
    }
    sw = s390_pv_sw_is(be);
    if (sw) {
        pv_dump_cpu_state(cpu, state);
    }
    ret = be->ops->dump_cpu(be, CPU(cpu)->cpu_index, sw ? state : NULL, buf,
                            s390_pv_dump_cpu_len(), &err);
    if (sw) {
        s390_pv_se_wipe(state, sizeof(state));
    }
    if (ret < 0) {
        error_report_err(err);
        return -1;
    }
    return 0;
}
int s390_pv_dump_storage_state(uint64_t gaddr, uint64_t len, void *buf)
{
    S390PVBackend *be = pv_dump_backend();
    Error *err = NULL;

    if (!be || !s390_pv_dumping()) {
        return -1;
    }
    if (be->ops->dump_storage_state(be, gaddr, len, buf, &err) < 0) {
        error_report_err(err);
        return -1;
    }
    return 0;
}

int s390_pv_dump_complete(void *buf)
{
    S390PVGuest *pv = s390_pv_guest();
    S390PVBackend *be = pv_dump_backend();
    uint64_t len = s390_pv_dump_completion_len();
    Error *err = NULL;
    int ret;

    if (!be || !s390_pv_dumping()) {
        return 0;
    }
    /* Ends the dump for the Ultravisor, which lets the guest run again. */
    pv->dumping = false;
    ret = be->ops->dump_complete(be, buf, len, &err);
    if (ret < 0) {
        error_report_err(err);
    }
    trace_s390_pv_step("dump-complete", 0, 0);
    return ret;
}

void s390_pv_dump_abort(void)
{
    g_autofree void *buf = NULL;

    if (s390_pv_dumping()) {
        buf = g_malloc0(s390_pv_dump_completion_len());
        s390_pv_dump_complete(buf);
    }
}

/* --- the protected guest's Ultravisor calls ----------------------------- */

bool s390_pv_uvc_available(void)
{
    S390PVGuest *pv = s390_pv_guest();

    return pv && qatomic_read(&pv->protected) && s390_pv_sw_is(pv->backend);
}

/*
 * The Ultravisor's own access to guest buffers a UVCB names: logical
 * addresses through the CPU's current translation, like the UVCB's own;
 * an access exception is the call's result code, so nothing is injected.
 * Every page is translated before anything is copied.
 */
/* The calling CPU's view of its storage, for s390_pv_sw_uvc() */
static bool uvc_translate(void *opaque, uint64_t addr, bool store,
                          uint64_t *abs)
{
    CPUS390XState *env = &((S390CPU *)opaque)->env;
    target_ulong raddr;
    uint64_t tec;
    int flags;

    if (mmu_translate(env, addr, store ? MMU_DATA_STORE : MMU_DATA_LOAD,
                      env->psw.mask & PSW_MASK_ASC, &raddr, &flags, &tec)) {
        return false;
    }
    *abs = (raddr & TARGET_PAGE_MASK) | (addr & ~TARGET_PAGE_MASK);
    return true;
}

static bool uvc_abs_rw(void *opaque, uint64_t abs, void *buf, uint64_t len,
                       bool write)
{
    if (!buf) {
        return address_space_access_valid(&address_space_memory, abs, len,
                                          write, MEMTXATTRS_UNSPECIFIED);
    }
    return address_space_rw(&address_space_memory, abs,
                            MEMTXATTRS_UNSPECIFIED, buf, len,
                            write) == MEMTX_OK;
}

int s390_pv_uvc(S390CPU *cpu, uint64_t addr, uintptr_t ra)
{
    const S390PVUvcCpu uvc_cpu = {
        .translate = uvc_translate,
        .abs_rw = uvc_abs_rw,
        .opaque = cpu,
    };
    S390PVGuest *pv = s390_pv_guest();
    S390PVUvcFault fault;
    int cc, tries;

    for (tries = 0; tries < 8; tries++) {
        cc = s390_pv_sw_uvc(pv->backend, &uvc_cpu, addr, &fault);
        if (cc >= 0) {
            return cc;
        }
        /*
         * Nothing took effect: raise the access exception as the CPU's
         * own access to that byte would.  (Another CPU may have changed
         * the tables since: then the call starts again.)
         */
        if (fault.store ?
            s390_cpu_virt_mem_check_write(cpu, fault.addr, 0, 1) :
            s390_cpu_virt_mem_check_read(cpu, fault.addr, 0, 1)) {
            s390_cpu_virt_mem_handle_exc(cpu, ra);
            return -1;
        }
    }
    /* The tables kept changing under the call: execute it again. */
#ifdef CONFIG_TCG
    cpu_loop_exit_restore(CPU(cpu), ra);
#endif
    return -1;
}

/* --- observability ------------------------------------------------------ */

static S390PVSecrets *pv_secrets_status(S390PVBackend *be)
{
    S390PVSecrets *sec = g_new0(S390PVSecrets, 1);
    S390PVSecretsInfo info;

    s390_pv_sw_secrets_info(be, &info);
    if (info.have_cuid) {
        GString *hex = g_string_new("");
        int i;

        for (i = 0; i < sizeof(info.cuid); i++) {
            g_string_append_printf(hex, "%02x", info.cuid[i]);
        }
        sec->cuid = g_string_free(hex, false);
    }
    sec->locked = info.locked;
    sec->dump_disabled = info.dump_disabled;
    sec->secrets = info.secrets;
    sec->added = info.added;
    sec->attestations = info.attestations;
    return sec;
}

S390PVStatus *qmp_query_s390_pv(Error **errp)
{
    S390PVGuest *pv = s390_pv_guest();
    S390PVStatus *st = g_new0(S390PVStatus, 1);

    if (!pv) {
        return st;
    }
    st->configured = true;
    st->q_protected = pv->protected;
    if (pv->backend) {
        st->backend = g_strdup(pv->backend->ops->name);
    }
    if (pv->have_header) {
        S390PVBackend *be = pv->backend;

        st->header = g_new0(S390PVHeaderSummary, 1);
        st->header->version = pv->hdr_version;
        st->header->key_slots = pv->hdr_nks;
        st->header->pages = pv->hdr_nep;
        st->header->pcf = pv->hdr_pcf;
        /* Only a backend that opened the header knows its secret part. */
        st->header->has_scf = be && be->ops->header_scf &&
                               be->ops->header_scf(be, &st->header->scf);
    }
    st->components = pv->diag.iplb_valid ? pv->diag.iplb->num_comp : 0;
    st->pages_unpacked = pv->pages_unpacked;
    if (s390_pv_sw_is(pv->backend)) {
        S390PVGuestView *g = g_new0(S390PVGuestView, 1);
        S390PVIsolation *iso = g_new0(S390PVIsolation, 1);
        uint8_t q[S390_PV_QUERY_LEN];
        int i;

        s390_pv_sw_query(pv->backend, q);
        for (i = 3; i >= 0; i--) {
            QAPI_LIST_PREPEND(g->facilities,
                              ldq_be_p(q + S390_PV_QUERY_OFF_CALLS + 8 * i));
        }
        g->max_cpu_id = lduw_be_p(q + S390_PV_QUERY_OFF_MAX_CPU_ID);
        g->max_address = ldq_be_p(q + S390_PV_QUERY_OFF_MAX_ADDR);
        g->feature_indications = ldq_be_p(q + S390_PV_QUERY_OFF_FEATURES);
        g->se_header_versions = ldq_be_p(q + S390_PV_QUERY_OFF_HDR_VER);
        g->se_header_pcf = ldq_be_p(q + S390_PV_QUERY_OFF_HDR_PCF);
        s390_pv_sw_guest_stats(pv->backend, &g->shared_pages, &g->calls,
                               &g->queries);
        st->guest = g;
        iso->enabled = pv->isolation;
        iso->refused_accesses = qatomic_read(&pv->refused_accesses);
        iso->refused_writes = qatomic_read(&pv->refused_writes);
        iso->ended_guests = qatomic_read(&pv->ended_guests);
        iso->devices = s390_pv_device_views(pv);
        st->isolation = iso;
        st->secrets = pv_secrets_status(pv->backend);
    }
    if (pv->failed) {
        S390PVFailure *f = g_new0(S390PVFailure, 1);

        st->last_failure = f;
        f->error = g_strdup(pv->fail_error);
        if (pv->fail_step) {
            /* The Ultravisor was never reached. */
            f->cmd_name = g_strdup(pv->fail_step);
        } else {
            f->has_cmd = f->has_rc = f->has_rrc = true;
            f->cmd = pv->last_failure.cmd;
            f->cmd_name = g_strdup(s390_pv_cmd_name(pv->last_failure.cmd));
            f->rc = pv->last_failure.rc;
            f->rrc = pv->last_failure.rrc;
        }
    }
    return st;
}

void hmp_info_s390_pv(Monitor *mon, const QDict *qdict)
{
    g_autoptr(S390PVStatus) st = qmp_query_s390_pv(NULL);

    if (!st->configured) {
        monitor_printf(mon, "Protected Virtualization: not configured\n");
        return;
    }
    monitor_printf(mon, "Protected Virtualization: %s, backend %s\n",
                   st->q_protected ? "protected" : "not protected",
                   st->backend ? st->backend : "none");
    if (st->header) {
        monitor_printf(mon, "SE header: version 0x%x, %" PRIu64 " key slots, "
                       "%" PRIu64 " pages, pcf 0x%" PRIx64, st->header->version,
                       st->header->key_slots, st->header->pages,
                       st->header->pcf);
        if (st->header->has_scf) {
            monitor_printf(mon, ", scf 0x%" PRIx64, st->header->scf);
        }
        monitor_printf(mon, "\n");
    }
    monitor_printf(mon, "components: %u, pages unpacked: %" PRIu64 "\n",
                   st->components, st->pages_unpacked);
    if (st->last_failure && st->last_failure->has_cmd) {
        monitor_printf(mon, "last failure: %s (%u): rc 0x%x rrc 0x%x\n",
                       st->last_failure->cmd_name, st->last_failure->cmd,
                       st->last_failure->rc, st->last_failure->rrc);
    } else if (st->last_failure) {
        monitor_printf(mon, "last failure: %s, before the Ultravisor: %s\n",
                       st->last_failure->cmd_name, st->last_failure->error);
    }
    if (st->guest) {
        S390PVGuestView *g = st->guest;
        uint64List *f;

        monitor_printf(mon, "guest's Query: facilities");
        for (f = g->facilities; f; f = f->next) {
            monitor_printf(mon, " %016" PRIx64, f->value);
        }
        monitor_printf(mon, ", max CPU id %u, max address 0x%" PRIx64
                       ", features 0x%" PRIx64 "\n", g->max_cpu_id,
                       g->max_address, g->feature_indications);
        monitor_printf(mon, "guest calls: %" PRIu64 " (%" PRIu64 " Query), "
                       "shared pages: %" PRIu64 "\n", g->calls, g->queries,
                       g->shared_pages);
    }
    if (st->isolation) {
        monitor_printf(mon, "isolation: %s, refused device accesses: %"
                       PRIu64 " (%" PRIu64 " writes)\n",
                       st->isolation->enabled ? "on" : "off",
                       st->isolation->refused_accesses,
                       st->isolation->refused_writes);
    }
    if (st->secrets) {
        monitor_printf(mon, "Secrets: %u in the store%s%s, %" PRIu64
                       " added, %" PRIu64 " attestations, CUID %s\n",
                       st->secrets->secrets,
                       st->secrets->locked ? ", locked" : "",
                       st->secrets->dump_disabled ? ", dump disabled" : "",
                       st->secrets->added, st->secrets->attestations,
                       st->secrets->cuid ? st->secrets->cuid : "none");
    }
}
