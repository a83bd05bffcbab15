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
#include "exec/cpu-common.h"
#include "exec/memory.h"
#include "hw/boards.h"
#include "migration/blocker.h"
#include "sysemu/kvm.h"
#include "cpu.h"
#include "hw/s390x/pv-machine.h"
#include "hw/s390x/pv-se.h"
#include "hw/s390x/pv-sw.h"
#include "qemu/bswap.h"
#include "monitor/monitor.h"
#include "qapi/qapi-commands-machine-target.h"
#include "qapi/qmp/qdict.h"
#include "trace.h"

uint64_t s390_pv_diag308_set(S390CPU *cpu, uint64_t addr)
{
    S390PVGuest *pv = s390_pv_guest();
    g_autofree uint8_t *buf = NULL;
    Error *err = NULL;
    uint8_t lenbuf[4];
    uint32_t len;

    if (!pv) {
        qemu_log_mask(LOG_GUEST_ERROR, "diag 308 subcode 8: no %s object "
                      "is configured\n", TYPE_S390_PV_GUEST);
        return S390_PV_DIAG308_RC_INVALID;
    }

    /* The caller checked that one page at @addr is accessible. */
    s390_cpu_diag_operand_rw(cpu, addr, lenbuf, sizeof(lenbuf), false);
    len = s390_pv_iplb_read_len(lenbuf);
    if (len < S390_PV_IPLB_MIN_LEN || len > S390_PV_IPLB_MAX_LEN) {
        trace_s390_pv_iplb_invalid("length out of range");
        qemu_log_mask(LOG_GUEST_ERROR, "diag 308 subcode 8: PV IPL block "
                      "length %u outside [%u, %u]\n", len,
                      S390_PV_IPLB_MIN_LEN, S390_PV_IPLB_MAX_LEN);
        return S390_PV_DIAG308_RC_INVALID;
    }

    buf = g_malloc(len);
    s390_cpu_diag_operand_rw(cpu, addr, buf, len, false);
    if (!s390_pv_iplb_parse(buf, len, current_machine->ram_size, pv->iplb,
                            &err)) {
        trace_s390_pv_iplb_invalid(error_get_pretty(err));
        qemu_log_mask(LOG_GUEST_ERROR, "diag 308 subcode 8: invalid PV IPL "
                      "block: %s\n", error_get_pretty(err));
        error_free(err);
        pv->iplb_valid = false;
        return S390_PV_DIAG308_RC_INVALID;
    }
    pv->iplb_valid = true;
    trace_s390_pv_iplb_set(pv->iplb->num_comp, pv->iplb->hdr_addr,
                           pv->iplb->hdr_len);
    return S390_PV_DIAG308_RC_OK;
}

uint64_t s390_pv_diag308_store(S390CPU *cpu, uint64_t addr)
{
    S390PVGuest *pv = s390_pv_guest();

    if (!pv || !pv->iplb_valid) {
        return S390_PV_DIAG308_RC_NO_CONF;
    }
    s390_cpu_diag_operand_rw(cpu, addr, pv->iplb->raw, pv->iplb->len, true);
    return S390_PV_DIAG308_RC_OK;
}

uint64_t s390_pv_diag308_start(S390CPU *cpu, int r1)
{
    S390PVGuest *pv = s390_pv_guest();

    if (!pv) {
        qemu_log_mask(LOG_GUEST_ERROR, "diag 308 subcode 10: no %s object "
                      "is configured\n", TYPE_S390_PV_GUEST);
        return S390_PV_DIAG308_RC_INVAL_FOR_PV;
    }
    if (!pv->iplb_valid) {
        return S390_PV_DIAG308_RC_NO_PV_CONF;
    }
    pv->diag_r1 = r1;
    return 0;
}

/* Undo every protect step that was done, in reverse order. */
static void pv_unprotect(S390PVGuest *pv)
{
    Error *err = NULL;

    if (pv->protected) {
        if (pv->backend->ops->disable(pv->backend, NULL, &err) < 0) {
            error_report_err(err);
        }
        pv->protected = false;
        trace_s390_pv_unprotected();
    }
    if (pv->migration_blocker) {
        migrate_del_blocker(pv->migration_blocker);
        error_free(pv->migration_blocker);
        pv->migration_blocker = NULL;
    }
    if (pv->discard_disabled) {
        ram_block_discard_disable(false);
        pv->discard_disabled = false;
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

static int pv_protect_steps(S390PVGuest *pv, S390PVResult *res,
                            Error **errp)
{
    MachineState *ms = current_machine;
    S390PVIplBlock *iplb = pv->iplb;
    g_autofree uint8_t *hdr = NULL;
    int ret;

    pv->have_header = false;
    pv->pages_unpacked = 0;
    if (!pv->backend) {
        error_setg(errp, "no Ultravisor is available");
        return -1;
    }

    /*
     * A protected guest's memory cannot be discarded behind its back, and
     * cannot be migrated.
     */
    if (ram_block_discard_disable(true)) {
        error_setg(errp, "protected VMs: cannot disable RAM discard");
        return -1;
    }
    pv->discard_disabled = true;

    error_setg(&pv->migration_blocker,
               "protected VMs are currently not migratable.");
    if (migrate_add_blocker(pv->migration_blocker, errp) < 0) {
        error_free(pv->migration_blocker);
        pv->migration_blocker = NULL;
        return -1;
    }

    /* The Ultravisor gets a host copy of the header. */
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
    S390PVResult res = { 0 };
    Error *err = NULL;

    if (pv_protect_steps(pv, &res, &err) == 0) {
        trace_s390_pv_protected(pv->iplb->num_comp);
        return true;
    }

    /* The guest goes on unprotected and learns why from r1 + 1. */
    error_prepend(&err, "Protected Virtualization: ");
    error_report_err(err);
    pv->last_failure = res;
    pv->failed = true;
    pv_unprotect(pv);
    cpu->env.regs[pv->diag_r1 + 1] = s390_pv_diag308_failure(&res);
    trace_s390_pv_protect_failed(res.cmd, res.rc, res.rrc);
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

void s390_pv_cpu_load(S390CPU *cpu)
{
    S390PVGuest *pv = s390_pv_guest();
    S390PVBackend *be = pv->backend;
    uint64_t mask, addr;

    /* The software Ultravisor hands over the SE header's PSW. */
    if (be && be->ops->start_psw && be->ops->start_psw(be, &mask, &addr)) {
        s390_cpu_set_psw(&cpu->env, mask, addr);
        trace_s390_pv_start(mask, addr);
        return;
    }
    /*
     * The firmware Ultravisor starts a protected CPU at the PSW of the SE
     * header once the CPU is in the load state.
     */
    s390_cpu_set_state(S390_CPU_STATE_LOAD, cpu);
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

bool s390_pv_dump_start(void)
{
    S390PVGuest *pv = s390_pv_guest();
    S390PVBackend *be = pv_dump_backend();
    Error *err = NULL;

    if (!be) {
        return false;
    }
    if (be->ops->dump_init(be, &err) < 0) {
        /* e.g. the image does not allow dumps: fall back to a plain one */
        warn_reportf_err(err, "protected dump not possible, the dump will "
                         "hold encrypted memory only: ");
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

int s390_pv_dump_cpu(S390CPU *cpu, void *buf)
{
    S390PVBackend *be = pv_dump_backend();
    Error *err = NULL;

    if (!be || !s390_pv_dumping()) {
        return -1;
    }
    if (be->ops->dump_cpu(be, CPU(cpu)->cpu_index, buf,
                          s390_pv_dump_cpu_len(), &err) < 0) {
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

/* --- observability ------------------------------------------------------ */

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
        st->has_backend = true;
        st->backend = g_strdup(pv->backend->ops->name);
    }
    if (pv->have_header) {
        const S390PVHeader *sw = NULL;

        st->has_header = true;
        st->header = g_new0(S390PVHeaderSummary, 1);
        st->header->version = pv->hdr_version;
        st->header->key_slots = pv->hdr_nks;
        st->header->pages = pv->hdr_nep;
        st->header->pcf = pv->hdr_pcf;
        if (pv->backend && !strcmp(pv->backend->ops->name, "software")) {
            sw = s390_pv_sw_header(pv->backend);
        }
        if (sw) {
            st->header->has_scf = true;
            st->header->scf = sw->scf;
        }
    }
    st->components = pv->iplb_valid ? pv->iplb->num_comp : 0;
    st->pages_unpacked = pv->pages_unpacked;
    if (pv->failed) {
        st->has_last_failure = true;
        st->last_failure = g_new0(S390PVFailure, 1);
        st->last_failure->cmd = pv->last_failure.cmd;
        st->last_failure->cmd_name =
            g_strdup(s390_pv_cmd_name(pv->last_failure.cmd));
        st->last_failure->rc = pv->last_failure.rc;
        st->last_failure->rrc = pv->last_failure.rrc;
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
                   st->has_backend ? st->backend : "none");
    if (st->has_header) {
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
    if (st->has_last_failure) {
        monitor_printf(mon, "last failure: %s (%u): rc 0x%x rrc 0x%x\n",
                       st->last_failure->cmd_name, st->last_failure->cmd,
                       st->last_failure->rc, st->last_failure->rrc);
    }
}
