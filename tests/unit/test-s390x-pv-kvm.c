/*
 * Unit tests of the KVM Ultravisor backend and of the protect sequence,
 * over a recording fake of the KVM ioctl layer
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "hw/s390x/pv-kvm-abi.h"
#include "qapi/error.h"
#include "qemu/thread.h"
#include "hw/s390x/pv-kvm.h"

#define MAX_CALLS 64

typedef struct Call {
    int cpu;                    /* -1: VM ioctl */
    unsigned long req;
    uint32_t cmd;
    union {
        struct kvm_s390_pv_sec_parm sec;
        struct kvm_s390_pv_unp unp;
        struct kvm_s390_pv_dmp dmp;
        struct kvm_s390_pv_info_header info;
    };
} Call;

typedef struct Fake {
    Call calls[MAX_CALLS];
    int ncalls;
    /* Capabilities the fake kernel has */
    bool cap_dump;
    bool cap_async;
    /* Fail the call with this command number (or -1) ... */
    int fail_cmd;
    /* ... the fail_nth time it is seen (1 = first) */
    int fail_nth;
    int seen;
    uint16_t fail_rc, fail_rrc;
    int fail_errno;
    /* Return -EINTR this many times first */
    int eintr;
    /* Guard for calls from the cleanup thread */
    QemuMutex lock;
    /* Hold the background teardown until perform_release is set */
    bool block_perform;
    QemuEvent perform_release;
    bool perform_done;
} Fake;

static Fake fake;

static int fake_ioctl(int cpu, unsigned long req, void *arg)
{
    struct kvm_pv_cmd *pvc = arg;
    Call *c;
    int ret = 0;

    qemu_mutex_lock(&fake.lock);
    g_assert(req == KVM_S390_PV_COMMAND || req == KVM_S390_PV_CPU_COMMAND);
    g_assert_cmpint(fake.ncalls, <, MAX_CALLS);
    c = &fake.calls[fake.ncalls++];
    c->cpu = cpu;
    c->req = req;
    c->cmd = pvc->cmd;
    g_assert_cmpuint(pvc->flags, ==, 0);

    switch (pvc->cmd) {
    case KVM_PV_SET_SEC_PARMS:
        c->sec = *(struct kvm_s390_pv_sec_parm *)(uintptr_t)pvc->data;
        break;
    case KVM_PV_UNPACK:
        c->unp = *(struct kvm_s390_pv_unp *)(uintptr_t)pvc->data;
        break;
    case KVM_PV_DUMP:
        c->dmp = *(struct kvm_s390_pv_dmp *)(uintptr_t)pvc->data;
        break;
    case KVM_PV_INFO: {
        struct kvm_s390_pv_info *info = (void *)(uintptr_t)pvc->data;

        c->info = info->header;
        info->header.len_written = info->header.len_max;
        if (info->header.id == KVM_PV_INFO_VM) {
            info->vm.max_cpus = 8;
            info->vm.max_guests = 100;
            info->vm.max_guest_addr = (1ULL << 30) - 1;
            info->vm.feature_indication = 0x5;
        } else {
            info->dump.dump_cpu_buffer_len = 0x1000;
            info->dump.dump_config_mem_buffer_per_1m = 0x40;
            info->dump.dump_config_finalize_len = 0x200;
        }
        break;
    }
    }

    if (pvc->cmd == S390_PV_CMD_ASYNC_CLEANUP_PERFORM && fake.block_perform) {
        qemu_mutex_unlock(&fake.lock);
        qemu_event_wait(&fake.perform_release);
        qemu_mutex_lock(&fake.lock);
    }
    if (pvc->cmd == S390_PV_CMD_ASYNC_CLEANUP_PERFORM) {
        fake.perform_done = true;
    }
    if (fake.eintr > 0) {
        fake.eintr--;
        ret = -EINTR;
    } else if ((int)pvc->cmd == fake.fail_cmd && ++fake.seen == fake.fail_nth) {
        pvc->rc = fake.fail_rc;
        pvc->rrc = fake.fail_rrc;
        ret = -fake.fail_errno;
    } else {
        pvc->rc = S390_PV_RC_OK;
    }
    qemu_mutex_unlock(&fake.lock);
    return ret;
}

static int fake_vm_ioctl(void *opaque, unsigned long req, void *arg)
{
    return fake_ioctl(-1, req, arg);
}

static int fake_vcpu_ioctl(void *opaque, int cpu, unsigned long req,
                           void *arg)
{
    return fake_ioctl(cpu, req, arg);
}

static int fake_check_extension(void *opaque, unsigned int cap)
{
    switch (cap) {
    case S390_PV_KVM_CAP_PROTECTED_DUMP:
        return fake.cap_dump;
    case S390_PV_KVM_CAP_ASYNC_DISABLE:
        return fake.cap_async;
    }
    return 0;
}

static const S390PVKvmIo fake_io = {
    .vm_ioctl = fake_vm_ioctl,
    .vcpu_ioctl = fake_vcpu_ioctl,
    .check_extension = fake_check_extension,
};

static S390PVBackend *setup(bool dump, bool async, uint64_t ram_size)
{
    /* No background teardown of an earlier test may still run. */
    g_assert_cmpint(s390_pv_kvm_cleanups_running(), ==, 0);
    qemu_mutex_destroy(&fake.lock);
    qemu_event_destroy(&fake.perform_release);
    memset(&fake, 0, sizeof(fake));
    qemu_mutex_init(&fake.lock);
    qemu_event_init(&fake.perform_release, false);
    fake.cap_dump = dump;
    fake.cap_async = async;
    fake.fail_cmd = -1;
    return s390_pv_kvm_backend_new(&fake_io, ram_size);
}

static void fail_on(int cmd, int nth, uint16_t rc, uint16_t rrc)
{
    fake.fail_cmd = cmd;
    fake.fail_nth = nth;
    fake.fail_rc = rc;
    fake.fail_rrc = rrc;
    fake.fail_errno = EINVAL;
}

/* The VM-level commands the fake saw, in order. */
static void assert_cmds(const uint32_t *want, int n)
{
    int i;

    g_assert_cmpint(fake.ncalls, ==, n);
    for (i = 0; i < n; i++) {
        g_assert_cmpuint(fake.calls[i].cmd, ==, want[i]);
    }
}

/* A block with three components at page-aligned addresses. */
static void make_iplb(S390PVIplBlock *b)
{
    memset(b, 0, sizeof(*b));
    b->hdr_addr = 0x14000;
    b->hdr_len = 0x2a0;
    b->num_comp = 3;
    b->comp[0] = (S390PVComponent) { 0x10, 0x15000, 0x3400 };
    b->comp[1] = (S390PVComponent) { 0x20, 0x20000, 0x1000 };
    b->comp[2] = (S390PVComponent) { 0x30, 0x30000, 0x1 };
}

static void test_protect_sequence(void)
{
    S390PVBackend *be = setup(true, false, 1 << 20);
    static const uint32_t want[] = {
        KVM_PV_ENABLE, KVM_PV_INFO, KVM_PV_INFO, KVM_PV_SET_SEC_PARMS,
        KVM_PV_UNPACK, KVM_PV_UNPACK, KVM_PV_UNPACK, KVM_PV_VERIFY,
    };
    S390PVIplBlock iplb;
    S390PVInfo info;
    S390PVResult res;
    uint8_t hdr[0x2a0];

    make_iplb(&iplb);
    g_assert_cmpint(s390_pv_uv_protect(be, &iplb, hdr, 4, 1 << 20, &info,
                                       &res, &error_abort), ==, 0);
    assert_cmds(want, ARRAY_SIZE(want));
    g_assert_cmpint(fake.calls[0].req, ==, KVM_S390_PV_COMMAND);
    g_assert_cmpint(fake.calls[1].info.id, ==, KVM_PV_INFO_VM);
    g_assert_cmpint(fake.calls[2].info.id, ==, KVM_PV_INFO_DUMP);
    /* A host copy of the header goes to the Ultravisor */
    g_assert_cmphex(fake.calls[3].sec.origin, ==, (uintptr_t)hdr);
    g_assert_cmphex(fake.calls[3].sec.length, ==, 0x2a0);
    /* Whole pages, with each component's tweak prefix */
    g_assert_cmphex(fake.calls[4].unp.addr, ==, 0x15000);
    g_assert_cmphex(fake.calls[4].unp.size, ==, 0x4000);
    g_assert_cmphex(fake.calls[4].unp.tweak, ==, 0x10);
    g_assert_cmphex(fake.calls[5].unp.size, ==, 0x1000);
    g_assert_cmphex(fake.calls[6].unp.addr, ==, 0x30000);
    g_assert_cmphex(fake.calls[6].unp.size, ==, 0x1000);
    g_assert_cmphex(fake.calls[6].unp.tweak, ==, 0x30);
    /* The limits were read */
    g_assert_true(info.valid);
    g_assert_cmpuint(info.max_cpus, ==, 8);
    g_assert_cmphex(info.max_guest_addr, ==, (1ULL << 30) - 1);
    g_assert_true(info.dump_valid);
    g_assert_cmphex(info.dump_cpu_len, ==, 0x1000);
    be->ops->destroy(be);
}

static void test_no_info_without_dump_cap(void)
{
    S390PVBackend *be = setup(false, false, 1 << 20);
    static const uint32_t want[] = {
        KVM_PV_ENABLE, KVM_PV_SET_SEC_PARMS, KVM_PV_UNPACK, KVM_PV_UNPACK,
        KVM_PV_UNPACK, KVM_PV_VERIFY,
    };
    S390PVIplBlock iplb;
    S390PVInfo info;
    S390PVResult res;
    uint8_t hdr[0x2a0];

    make_iplb(&iplb);
    g_assert_cmpint(s390_pv_uv_protect(be, &iplb, hdr, 4, 1 << 20, &info,
                                       &res, &error_abort), ==, 0);
    assert_cmds(want, ARRAY_SIZE(want));
    g_assert_false(info.valid);
    be->ops->destroy(be);
}

static void test_eintr_is_retried(void)
{
    S390PVBackend *be = setup(false, false, 1 << 20);
    S390PVResult res;

    fake.eintr = 3;
    g_assert_cmpint(be->ops->enable(be, &res, &error_abort), ==, 0);
    g_assert_cmpint(fake.ncalls, ==, 4);
    g_assert_cmpuint(res.rc, ==, S390_PV_RC_OK);
    be->ops->destroy(be);
}

static void test_failure_unwinds(void)
{
    static const struct {
        int cmd, nth;
        uint16_t rc, rrc;
        const char *msg;
        int ncalls;     /* commands issued, the closing DISABLE included */
    } cases[] = {
        { KVM_PV_SET_SEC_PARMS, 1, 0x108, 0x5,
          "KVM PV command 2 (KVM_PV_SET_SEC_PARMS) failed: rc 0x108 rrc 0x5",
          5 },
        { KVM_PV_UNPACK, 2, 0x10a, 0x31,
          "KVM PV command 3 (KVM_PV_UNPACK) failed: rc 0x10a rrc 0x31", 7 },
        { KVM_PV_VERIFY, 1, 0x102, 0x1a,
          "KVM PV command 4 (KVM_PV_VERIFY) failed: rc 0x102 rrc 0x1a", 9 },
        { KVM_PV_INFO, 2, 0x3, 0,
          "KVM PV command 7 (KVM_PV_INFO) failed: rc 0x3 rrc 0x0", 4 },
    };
    int i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        S390PVBackend *be = setup(true, false, 1 << 20);
        S390PVIplBlock iplb;
        S390PVInfo info;
        S390PVResult res;
        Error *err = NULL;
        uint8_t hdr[0x2a0];

        make_iplb(&iplb);
        fail_on(cases[i].cmd, cases[i].nth, cases[i].rc, cases[i].rrc);
        g_assert_cmpint(s390_pv_uv_protect(be, &iplb, hdr, 4, 1 << 20,
                                           &info, &res, &err), ==, -1);
        g_assert_nonnull(err);
        g_assert_nonnull(strstr(error_get_pretty(err), cases[i].msg));
        error_free(err);
        /* The guest learns the failing command and its rc/rrc ... */
        g_assert_cmpuint(res.cmd, ==, cases[i].cmd);
        if (cases[i].cmd != KVM_PV_INFO) {
            g_assert_cmphex(res.rc, ==, cases[i].rc);
            g_assert_cmphex(res.rrc, ==, cases[i].rrc);
        } else {
            /* no Ultravisor rc to report for a failed query */
            g_assert_cmphex(res.rc, ==, 0);
        }
        /* ... and the secure configuration is gone again. */
        g_assert_cmpint(fake.ncalls, ==, cases[i].ncalls);
        g_assert_cmpuint(fake.calls[fake.ncalls - 1].cmd, ==,
                         KVM_PV_DISABLE);
        be->ops->destroy(be);
    }
}

static void test_enable_failure_has_nothing_to_undo(void)
{
    S390PVBackend *be = setup(true, false, 1 << 20);
    static const uint32_t want[] = { KVM_PV_ENABLE };
    S390PVIplBlock iplb;
    S390PVInfo info;
    S390PVResult res;
    Error *err = NULL;
    uint8_t hdr[16];

    make_iplb(&iplb);
    fail_on(KVM_PV_ENABLE, 1, 0x8000, 0);
    g_assert_cmpint(s390_pv_uv_protect(be, &iplb, hdr, 4, 1 << 20, &info,
                                       &res, &err), ==, -1);
    error_free(err);
    assert_cmds(want, ARRAY_SIZE(want));
    g_assert_cmpuint(res.cmd, ==, KVM_PV_ENABLE);
    g_assert_cmphex(res.rc, ==, 0x8000);
    g_assert_cmphex(s390_pv_diag308_failure(&res), ==,
                    0x0000000080000a02ULL);
    be->ops->destroy(be);
}

static void test_limits_refused(void)
{
    S390PVIplBlock iplb;
    S390PVInfo info;
    S390PVResult res;
    Error *err = NULL;
    uint8_t hdr[16];
    S390PVBackend *be = setup(true, false, 1 << 20);

    make_iplb(&iplb);
    /* 9 CPUs, the fake Ultravisor takes 8 */
    g_assert_cmpint(s390_pv_uv_protect(be, &iplb, hdr, 9, 1 << 20, &info,
                                       &res, &err), ==, -1);
    g_assert_nonnull(strstr(error_get_pretty(err), "at most 8 CPUs"));
    error_free(err);
    err = NULL;
    g_assert_cmpuint(res.cmd, ==, KVM_PV_INFO);
    g_assert_cmpuint(fake.calls[fake.ncalls - 1].cmd, ==, KVM_PV_DISABLE);
    be->ops->destroy(be);

    /* 2 GiB of memory, the fake Ultravisor takes 1 GiB */
    be = setup(true, false, 2ULL << 30);
    g_assert_cmpint(s390_pv_uv_protect(be, &iplb, hdr, 1, 2ULL << 30, &info,
                                       &res, &err), ==, -1);
    g_assert_nonnull(strstr(error_get_pretty(err), "guest memory up to"));
    error_free(err);
    be->ops->destroy(be);
}

static void test_diag308_response(void)
{
    S390PVResult res = { .cmd = 4, .rc = 0x102, .rrc = 0x1b };

    g_assert_cmphex(s390_pv_diag308_failure(&res), ==,
                    0x0004001b01020a02ULL);
    g_assert_cmpstr(s390_pv_cmd_name(2), ==, "KVM_PV_SET_SEC_PARMS");
    g_assert_cmpstr(s390_pv_cmd_name(10), ==, "KVM_PV_ASYNC_CLEANUP_PERFORM");
    g_assert_cmpstr(s390_pv_cmd_name(99), ==, "unknown");
}

static void test_disable_sync_small_guest(void)
{
    /* "more than 2 GiB": exactly 2 GiB is torn down synchronously */
    S390PVBackend *be = setup(true, true, 2ULL << 30);
    static const uint32_t want[] = { KVM_PV_DISABLE };

    g_assert_cmpint(be->ops->disable(be, NULL, &error_abort), ==, 0);
    assert_cmds(want, ARRAY_SIZE(want));
    be->ops->destroy(be);
}

/* Wait (a bounded time) for the detached teardown threads to end. */
static void wait_cleanups(void)
{
    gint64 end = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while (s390_pv_kvm_cleanups_running()) {
        g_assert_cmpint(g_get_monotonic_time(), <, end);
        g_usleep(1000);
    }
}

static void test_disable_async_large_guest(void)
{
    S390PVBackend *be = setup(true, true, (2ULL << 30) + 4096);
    int i, perform = -1, enable = -1;

    /*
     * The teardown hangs in the kernel: disable and a new enable (under
     * the main-loop lock in QEMU) still return at once.
     */
    fake.block_perform = true;
    g_assert_cmpint(be->ops->disable(be, NULL, &error_abort), ==, 0);
    g_assert_cmpint(be->ops->enable(be, NULL, &error_abort), ==, 0);
    g_assert_cmpint(s390_pv_kvm_cleanups_running(), ==, 1);
    g_assert_false(fake.perform_done);
    /* the backend may go while the thread still runs */
    be->ops->destroy(be);

    qemu_event_set(&fake.perform_release);
    wait_cleanups();
    g_assert_true(fake.perform_done);
    g_assert_cmpint(fake.ncalls, ==, 3);
    g_assert_cmpuint(fake.calls[0].cmd, ==, S390_PV_CMD_ASYNC_CLEANUP_PREPARE);
    for (i = 1; i < 3; i++) {
        if (fake.calls[i].cmd == S390_PV_CMD_ASYNC_CLEANUP_PERFORM) {
            perform = i;
        } else if (fake.calls[i].cmd == KVM_PV_ENABLE) {
            enable = i;
        }
    }
    g_assert_cmpint(perform, >, 0);
    g_assert_cmpint(enable, >, 0);
}

static void test_disable_async_unavailable(void)
{
    static const uint32_t want_nocap[] = { KVM_PV_DISABLE };
    static const uint32_t want_fallback[] = {
        S390_PV_CMD_ASYNC_CLEANUP_PREPARE, KVM_PV_DISABLE,
    };
    S390PVBackend *be = setup(true, false, 4ULL << 30);

    g_assert_cmpint(be->ops->disable(be, NULL, &error_abort), ==, 0);
    assert_cmds(want_nocap, ARRAY_SIZE(want_nocap));
    be->ops->destroy(be);

    /* The kernel refuses to prepare: fall back to a plain disable. */
    be = setup(true, true, 4ULL << 30);
    fail_on(S390_PV_CMD_ASYNC_CLEANUP_PREPARE, 1, 0x3, 0);
    g_assert_cmpint(be->ops->disable(be, NULL, &error_abort), ==, 0);
    assert_cmds(want_fallback, ARRAY_SIZE(want_fallback));
    be->ops->destroy(be);
}

static void test_dump(void)
{
    S390PVBackend *be = setup(true, false, 1 << 20);
    uint8_t cpu_buf[0x1000], meta[0x40], compl[0x200];

    g_assert_cmpint(be->ops->dump_init(be, &error_abort), ==, 0);
    g_assert_cmpuint(fake.calls[0].cmd, ==, KVM_PV_DUMP);
    g_assert_cmpuint(fake.calls[0].dmp.subcmd, ==, KVM_PV_DUMP_INIT);

    g_assert_cmpint(be->ops->dump_cpu(be, 1, NULL, cpu_buf, sizeof(cpu_buf),
                                      &error_abort), ==, 0);
    /* the per-CPU data comes from the vCPU */
    g_assert_cmpint(fake.calls[1].cpu, ==, 1);
    g_assert_cmpint(fake.calls[1].req, ==, KVM_S390_PV_CPU_COMMAND);
    g_assert_cmpuint(fake.calls[1].dmp.subcmd, ==, KVM_PV_DUMP_CPU);
    g_assert_cmphex(fake.calls[1].dmp.buff_addr, ==, (uintptr_t)cpu_buf);
    g_assert_cmphex(fake.calls[1].dmp.buff_len, ==, 0x1000);

    g_assert_cmpint(be->ops->dump_storage_state(be, 0x100000, sizeof(meta),
                                                meta, &error_abort), ==, 0);
    g_assert_cmpuint(fake.calls[2].dmp.subcmd, ==,
                     KVM_PV_DUMP_CONFIG_STOR_STATE);
    g_assert_cmphex(fake.calls[2].dmp.gaddr, ==, 0x100000);

    g_assert_cmpint(be->ops->dump_complete(be, compl, sizeof(compl),
                                           &error_abort), ==, 0);
    g_assert_cmpuint(fake.calls[3].dmp.subcmd, ==, KVM_PV_DUMP_COMPLETE);
    g_assert_cmphex(fake.calls[3].dmp.buff_len, ==, 0x200);
    /* one command each: no limits queried again during a dump */
    g_assert_cmpint(fake.ncalls, ==, 4);
    be->ops->destroy(be);
}

static void test_dump_needs_cap(void)
{
    S390PVBackend *be = setup(false, false, 1 << 20);
    Error *err = NULL;

    g_assert_cmpint(be->ops->dump_init(be, &err), <, 0);
    g_assert_nonnull(err);
    error_free(err);
    g_assert_cmpint(fake.ncalls, ==, 0);
    be->ops->destroy(be);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_mutex_init(&fake.lock);
    qemu_event_init(&fake.perform_release, false);

    g_test_add_func("/s390x/pv/kvm/protect-sequence", test_protect_sequence);
    g_test_add_func("/s390x/pv/kvm/no-info-without-dump-cap",
                    test_no_info_without_dump_cap);
    g_test_add_func("/s390x/pv/kvm/eintr-is-retried", test_eintr_is_retried);
    g_test_add_func("/s390x/pv/kvm/failure-unwinds", test_failure_unwinds);
    g_test_add_func("/s390x/pv/kvm/enable-failure",
                    test_enable_failure_has_nothing_to_undo);
    g_test_add_func("/s390x/pv/kvm/limits-refused", test_limits_refused);
    g_test_add_func("/s390x/pv/kvm/diag308-response", test_diag308_response);
    g_test_add_func("/s390x/pv/kvm/disable-sync-small-guest",
                    test_disable_sync_small_guest);
    g_test_add_func("/s390x/pv/kvm/disable-async-large-guest",
                    test_disable_async_large_guest);
    g_test_add_func("/s390x/pv/kvm/disable-async-unavailable",
                    test_disable_async_unavailable);
    g_test_add_func("/s390x/pv/kvm/dump", test_dump);
    g_test_add_func("/s390x/pv/kvm/dump-needs-cap", test_dump_needs_cap);
    return g_test_run();
}
