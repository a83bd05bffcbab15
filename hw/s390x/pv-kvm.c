/*
 * s390x Protected Virtualization: the KVM Ultravisor backend
 *
 * Every Ultravisor step is one KVM_S390_PV_COMMAND (or, for per-CPU dump
 * data, KVM_S390_PV_CPU_COMMAND).  The ioctls go through S390PVKvmIo so
 * that the sequencing can be tested without a kernel.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "hw/s390x/pv-kvm-abi.h"
#include "qemu/error-report.h"
#include "qemu/atomic.h"
#include "qemu/thread.h"
#include "hw/s390x/pv-kvm.h"
#include "trace.h"

typedef struct S390PVKvm {
    S390PVBackend parent;
    S390PVKvmIo io;
    uint64_t ram_size;
    bool can_dump;
    bool can_async;
} S390PVKvm;

/* Background teardowns still running */
static int kvm_pv_cleanups;

static S390PVKvm *kvm_be(S390PVBackend *be)
{
    return container_of(be, S390PVKvm, parent);
}

/*
 * Issue one PV command through @io.  KVM copies the Ultravisor's rc/rrc
 * into @pvc and fails the ioctl when the Ultravisor reports an error.
 */
static int pv_io_cmd(const S390PVKvmIo *io, int cpu_index, uint32_t cmd,
                     void *data, S390PVResult *res, Error **errp)
{
    struct kvm_pv_cmd pvc = {
        .cmd = cmd,
        .data = (uintptr_t)data,
    };
    int ret;

    do {
        if (cpu_index < 0) {
            ret = io->vm_ioctl(io->opaque, KVM_S390_PV_COMMAND, &pvc);
        } else {
            ret = io->vcpu_ioctl(io->opaque, cpu_index,
                                 KVM_S390_PV_CPU_COMMAND, &pvc);
        }
    } while (ret == -EINTR);

    trace_s390_pv_kvm_cmd(s390_pv_cmd_name(cmd), ret, pvc.rc, pvc.rrc);
    if (res) {
        res->cmd = cmd;
        res->rc = pvc.rc;
        res->rrc = pvc.rrc;
    }
    if (ret < 0) {
        error_setg(errp, "KVM PV command %u (%s) failed: rc 0x%x rrc 0x%x "
                   "(%s)", cmd, s390_pv_cmd_name(cmd), pvc.rc, pvc.rrc,
                   strerror(-ret));
    }
    return ret < 0 ? ret : 0;
}

static int pv_ioctl(S390PVKvm *k, int cpu_index, uint32_t cmd, void *data,
                    S390PVResult *res, Error **errp)
{
    return pv_io_cmd(&k->io, cpu_index, cmd, data, res, errp);
}

static int kvm_pv_enable(S390PVBackend *be, S390PVResult *res, Error **errp)
{
    S390PVKvm *k = kvm_be(be);

    /*
     * A background teardown of the previous configuration may still run:
     * the kernel keeps it apart, so the new one need not wait for it.
     */
    return pv_ioctl(k, -1, S390_PV_CMD_ENABLE, NULL, res, errp);
}

/* @opaque: a copy of the backend's ioctl layer, which it may outlive */
static void *kvm_pv_cleanup_thread(void *opaque)
{
    S390PVKvmIo *io = opaque;
    Error *err = NULL;

    if (pv_io_cmd(io, -1, S390_PV_CMD_ASYNC_CLEANUP_PERFORM, NULL, NULL,
                  &err) < 0) {
        error_prepend(&err, "background teardown: ");
        error_report_err(err);
    }
    qatomic_dec(&kvm_pv_cleanups);
    g_free(io);
    return NULL;
}

static int kvm_pv_disable(S390PVBackend *be, S390PVResult *res, Error **errp)
{
    S390PVKvm *k = kvm_be(be);

    /*
     * Guests of more than 2 GiB are torn down in the background: the VM
     * leaves PV mode at once, and a detached thread frees the secure
     * memory while the guest and the main loop go on (nothing ever waits
     * for it).  The kernel sets aside one configuration at a time: while
     * a teardown still runs, prepare fails and the disable is a plain one.
     */
    if (k->can_async && k->ram_size > S390_PV_KVM_ASYNC_THRESHOLD &&
        pv_ioctl(k, -1, S390_PV_CMD_ASYNC_CLEANUP_PREPARE, NULL, NULL,
                 NULL) == 0) {
        QemuThread thread;

        qatomic_inc(&kvm_pv_cleanups);
        qemu_thread_create(&thread, "s390-pv-cleanup", kvm_pv_cleanup_thread,
                           g_memdup2(&k->io, sizeof(k->io)),
                           QEMU_THREAD_DETACHED);
        return 0;
    }
    return pv_ioctl(k, -1, S390_PV_CMD_DISABLE, NULL, res, errp);
}

int s390_pv_kvm_cleanups_running(void)
{
    return qatomic_read(&kvm_pv_cleanups);
}

static int kvm_pv_info_one(S390PVKvm *k, uint32_t id, size_t len,
                           struct kvm_s390_pv_info *info, Error **errp)
{
    memset(info, 0, sizeof(*info));
    info->header.id = id;
    info->header.len_max = sizeof(info->header) + len;
    if (pv_ioctl(k, -1, S390_PV_CMD_INFO, info, NULL, errp) < 0) {
        return -1;
    }
    if (info->header.len_written < sizeof(info->header) + len) {
        error_setg(errp, "KVM PV info %u: only %u bytes written", id,
                   info->header.len_written);
        return -1;
    }
    return 0;
}

static int kvm_pv_info(S390PVBackend *be, S390PVInfo *out, Error **errp)
{
    S390PVKvm *k = kvm_be(be);
    struct kvm_s390_pv_info info;

    memset(out, 0, sizeof(*out));
    /* KVM_PV_INFO came with the dump interface: older kernels lack it. */
    if (!k->can_dump) {
        return 0;
    }
    if (kvm_pv_info_one(k, KVM_PV_INFO_VM, sizeof(info.vm), &info,
                        errp) < 0) {
        return -1;
    }
    out->valid = true;
    out->max_cpus = info.vm.max_cpus;
    out->max_guests = info.vm.max_guests;
    out->max_guest_addr = info.vm.max_guest_addr;
    out->feature_indication = info.vm.feature_indication;

    if (kvm_pv_info_one(k, KVM_PV_INFO_DUMP, sizeof(info.dump), &info,
                        errp) < 0) {
        return -1;
    }
    out->dump_valid = true;
    out->dump_cpu_len = info.dump.dump_cpu_buffer_len;
    out->dump_storage_state_len = info.dump.dump_config_mem_buffer_per_1m;
    out->dump_completion_len = info.dump.dump_config_finalize_len;
    return 0;
}

static int kvm_pv_set_sec_parms(S390PVBackend *be, const void *hdr,
                                uint64_t len, S390PVResult *res,
                                Error **errp)
{
    struct kvm_s390_pv_sec_parm parm = {
        .origin = (uintptr_t)hdr,
        .length = len,
    };

    return pv_ioctl(kvm_be(be), -1, S390_PV_CMD_SET_SEC_PARMS, &parm, res,
                    errp);
}

static int kvm_pv_unpack(S390PVBackend *be, uint64_t addr, uint64_t size,
                         uint64_t tweak, S390PVResult *res, Error **errp)
{
    struct kvm_s390_pv_unp unp = {
        .addr = addr,
        .size = size,
        .tweak = tweak,
    };

    return pv_ioctl(kvm_be(be), -1, S390_PV_CMD_UNPACK, &unp, res, errp);
}

static int kvm_pv_verify(S390PVBackend *be, S390PVResult *res, Error **errp)
{
    return pv_ioctl(kvm_be(be), -1, S390_PV_CMD_VERIFY, NULL, res, errp);
}

static int kvm_pv_prep_reset(S390PVBackend *be, S390PVResult *res,
                             Error **errp)
{
    return pv_ioctl(kvm_be(be), -1, S390_PV_CMD_PREP_RESET, NULL, res, errp);
}

static int kvm_pv_unshare_all(S390PVBackend *be, S390PVResult *res,
                              Error **errp)
{
    return pv_ioctl(kvm_be(be), -1, S390_PV_CMD_UNSHARE_ALL, NULL, res,
                    errp);
}

static int kvm_pv_dump(S390PVKvm *k, int cpu_index, uint64_t subcmd,
                       uint64_t gaddr, void *buf, uint64_t len, Error **errp)
{
    struct kvm_s390_pv_dmp dmp = {
        .subcmd = subcmd,
        .buff_addr = (uintptr_t)buf,
        .buff_len = len,
        .gaddr = gaddr,
    };

    if (!k->can_dump) {
        error_setg(errp, "the host kernel cannot dump protected guests");
        return -ENOTSUP;
    }
    return pv_ioctl(k, cpu_index, S390_PV_CMD_DUMP, &dmp, NULL, errp);
}

static int kvm_pv_dump_init(S390PVBackend *be, Error **errp)
{
    return kvm_pv_dump(kvm_be(be), -1, KVM_PV_DUMP_INIT, 0, NULL, 0, errp);
}

static int kvm_pv_dump_cpu(S390PVBackend *be, int cpu_index,
                           const void *state, void *buf, uint64_t len,
                           Error **errp)
{
    /* the firmware has the registers: @state is not needed */
    return kvm_pv_dump(kvm_be(be), cpu_index, KVM_PV_DUMP_CPU, 0, buf, len,
                       errp);
}

static int kvm_pv_dump_storage_state(S390PVBackend *be, uint64_t gaddr,
                                     uint64_t len, void *buf, Error **errp)
{
    return kvm_pv_dump(kvm_be(be), -1, KVM_PV_DUMP_CONFIG_STOR_STATE, gaddr,
                       buf, len, errp);
}

static int kvm_pv_dump_complete(S390PVBackend *be, void *buf, uint64_t len,
                                Error **errp)
{
    return kvm_pv_dump(kvm_be(be), -1, KVM_PV_DUMP_COMPLETE, 0, buf, len,
                       errp);
}

static void kvm_pv_destroy(S390PVBackend *be)
{
    g_free(kvm_be(be));
}

static const S390PVBackendOps kvm_pv_ops = {
    .name = "kvm",
    .enable = kvm_pv_enable,
    .disable = kvm_pv_disable,
    .info = kvm_pv_info,
    .set_sec_parms = kvm_pv_set_sec_parms,
    .unpack = kvm_pv_unpack,
    .verify = kvm_pv_verify,
    .prep_reset = kvm_pv_prep_reset,
    .unshare_all = kvm_pv_unshare_all,
    .dump_init = kvm_pv_dump_init,
    .dump_cpu = kvm_pv_dump_cpu,
    .dump_storage_state = kvm_pv_dump_storage_state,
    .dump_complete = kvm_pv_dump_complete,
    .destroy = kvm_pv_destroy,
};

S390PVBackend *s390_pv_kvm_backend_new(const S390PVKvmIo *io,
                                       uint64_t ram_size)
{
    S390PVKvm *k = g_new0(S390PVKvm, 1);

    k->parent.ops = &kvm_pv_ops;
    k->io = *io;
    k->ram_size = ram_size;
    k->can_dump = io->check_extension(io->opaque,
                                      S390_PV_KVM_CAP_PROTECTED_DUMP) > 0;
    k->can_async = io->check_extension(io->opaque,
                                       S390_PV_KVM_CAP_ASYNC_DISABLE) > 0;
    return &k->parent;
}
