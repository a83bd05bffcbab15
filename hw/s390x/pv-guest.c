/*
 * s390x Protected Virtualization: the s390-pv-guest object
 *
 *   -machine s390-ccw-virtio,confidential-guest-support=pv0
 *   -object s390-pv-guest,id=pv0
 *
 * The object checks at start-up that the configuration can run a
 * protected guest (accelerator, CPU model, memory, devices) and owns the
 * Ultravisor backend.  Every refusal is one error naming its cause.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qobject/qdict.h"
#include "qemu/error-report.h"
#include "qemu/accel.h"
#include "qemu/units.h"
#include "qemu/cutils.h"
#include "qom/object_interfaces.h"
#include "exec/ram_addr.h"
#include "hw/boards.h"
#include "hw/virtio/virtio.h"
#include "standard-headers/linux/virtio_config.h"
#include "system/kvm.h"
#include "system/qtest.h"
#include "system/tcg.h"
#include "exec/exec-all.h"
#include "exec/memory.h"
#include "cpu.h"
#include "hw/s390x/pv.h"
#include "hw/s390x/pv-host.h"
#include "hw/s390x/pv-kvm.h"
#include "hw/s390x/pv-sw.h"
#include "trace.h"

/*
 * The Read SCP Info block of a protected guest must fit one page: one CPU
 * entry less when the extended-length SCCB facility is offered.
 */
#define S390_PV_MAX_CPUS            248
#define S390_PV_MAX_CPUS_EXT_SCCB   247

S390PVGuest *s390_pv_guest(void)
{
    MachineState *ms = current_machine;

    if (!ms || !ms->cgs) {
        return NULL;
    }
    return (S390PVGuest *)object_dynamic_cast(OBJECT(ms->cgs),
                                              TYPE_S390_PV_GUEST);
}

bool s390_pv_is_protected(void)
{
    S390PVGuest *pv = s390_pv_guest();

    return pv && pv->protected;
}

/* Is @driver a passthrough (vfio) device type? */
static bool pv_is_passthrough(const char *driver)
{
    ObjectClass *oc = object_class_by_name(driver);

    if (!oc) {
        return g_str_has_prefix(driver, "vfio-");
    }
    for (; oc; oc = object_class_get_parent(oc)) {
        if (g_str_has_prefix(object_class_get_name(oc), "vfio-")) {
            return true;
        }
    }
    return false;
}

/*
 * Called for every device about to be created, on the command line and
 * by device_add: setting @errp refuses the device.
 */
static bool pv_check_device(DeviceListener *listener, const QDict *opts,
                            bool from_json, Error **errp)
{
    const char *driver = qdict_get_try_str(opts, "driver");

    if (driver && pv_is_passthrough(driver)) {
        error_setg(errp, "Protected Virtualization does not support "
                   "passthrough devices: '%s' cannot be used", driver);
    } else if (driver) {
        s390_pv_device_type_check(s390_pv_guest(), driver, errp);
    }
    return false;
}

static void pv_device_unrealized(DeviceListener *listener, DeviceState *dev)
{
    s390_pv_device_gone(dev);
}

/* A virtio device the user set iommu_platform=off for cannot be used. */
static void pv_device_realized(DeviceListener *listener, DeviceState *dev)
{
    DeviceState *proxy;

    if (!object_dynamic_cast(OBJECT(dev), TYPE_VIRTIO_DEVICE) ||
        virtio_host_has_feature(VIRTIO_DEVICE(dev),
                                VIRTIO_F_IOMMU_PLATFORM)) {
        return;
    }
    proxy = dev->parent_bus ? dev->parent_bus->parent : NULL;
    warn_report("virtio device '%s' has iommu_platform=off: a protected "
                "guest will not be able to use it",
                proxy && proxy->id ? proxy->id :
                object_get_typename(OBJECT(proxy ? proxy : dev)));
}

/*
 * The software Ultravisor rewrote guest pages (every CPU is stopped): the
 * code TCG translated from exactly those pages is stale, and whoever
 * tracks dirty memory must see them written.
 */
static void pv_tcg_memory_changed(void *opaque, uint64_t addr, uint64_t len)
{
    MachineState *ms = opaque;
    ram_addr_t ra = memory_region_get_ram_addr(ms->ram) + addr;

#ifdef CONFIG_TCG
    tb_invalidate_phys_range(ra, ra + len);
#endif
    cpu_physical_memory_set_dirty_range(ra, len, DIRTY_CLIENTS_ALL);
}

/*
 * Pages the software Ultravisor clears (never unpacked, or all of them
 * when the guest leaves PV) are discarded: they read as zero, and no host
 * memory is committed for them, whatever the guest's size.
 */
static bool pv_tcg_zero(void *opaque, uint64_t addr, uint64_t len)
{
    MachineState *ms = opaque;
    RAMBlock *rb = ms->ram->ram_block;

    if (!s390_pv_may_discard(qemu_ram_get_fd(rb) >= 0, qemu_ram_is_shared(rb),
                             qemu_ram_pagesize(rb), addr, len)) {
        return false;   /* the Ultravisor writes zeros */
    }
    return ram_block_discard_range(rb, addr, len) == 0;
}

static const S390PVSwMemoryOps pv_tcg_memory_ops = {
    .zero = pv_tcg_zero,
    .changed = pv_tcg_memory_changed,
    .unshared = s390_pv_device_views_unshared,
};

/* Where the host's keys are when host-key= does not name them */
char *s390_pv_default_host_key_dir(void)
{
    return get_relocated_path(CONFIG_QEMU_CONFDIR "/s390-pv/host-keys");
}

/*
 * The host keys installed in @dir: every *.pem, in name order.  A key
 * that every user may read is refused: it is the host's secret.
 */
static GStrv pv_installed_keys(const char *dir, Error **errp)
{
    g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;
    struct stat st;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);

        if (!g_str_has_suffix(name, ".pem") || stat(path, &st) < 0 ||
            !S_ISREG(st.st_mode)) {
            continue;
        }
        if (st.st_mode & S_IROTH) {
            error_setg(errp, "Protected Virtualization: host key %s is "
                       "readable by every user (mode %04o): make it "
                       "readable by QEMU's user only (chmod o-rwx)", path,
                       (unsigned)(st.st_mode & 07777));
            return NULL;
        }
        g_ptr_array_add(found, g_steal_pointer(&path));
    }
    if (!found->len) {
        error_setg(errp, "Protected Virtualization under TCG needs the "
                   "software Ultravisor's private host key (EC secp521r1, "
                   "PEM): none given with host-key=, and no *.pem in %s "
                   "(host-key-dir=)", dir);
        return NULL;
    }
    g_ptr_array_sort(found, (GCompareFunc)g_strcmp0);
    g_ptr_array_add(found, NULL);
    return (GStrv)g_ptr_array_free(g_steal_pointer(&found), false);
}

/*
 * The software Ultravisor, with the host keys named by host-key=, or
 * else those installed in host-key-dir (QEMU's sysconfdir by default).
 */
static bool pv_software_uv(S390PVGuest *pv, MachineState *ms, Error **errp)
{
    g_auto(GStrv) files = NULL;
    g_autofree S390PVKey *keys = NULL;
    g_autofree char *dir = NULL;
    int i, n;

    if (pv->host_key && *pv->host_key) {
        files = g_strsplit(pv->host_key, ":", 0);
    } else {
        dir = pv->host_key_dir ? g_strdup(pv->host_key_dir) :
                                 s390_pv_default_host_key_dir();
        files = pv_installed_keys(dir, errp);
        if (!files) {
            return false;
        }
    }
    n = g_strv_length(files);
    keys = g_new0(S390PVKey, n);
    for (i = 0; i < n; i++) {
        if (!s390_pv_key_load_pem(files[i], &keys[i], errp)) {
            s390_pv_se_wipe(keys, sizeof(*keys) * n);
            return false;
        }
    }
    pv->backend = s390_pv_sw_backend_new(keys, n,
                                         memory_region_get_ram_ptr(ms->ram),
                                         ms->ram_size, &pv_tcg_memory_ops,
                                         ms);
    s390_pv_sw_set_isolation(pv->backend, pv->isolation);
    s390_pv_se_wipe(keys, sizeof(*keys) * n);
    return true;
}

/* Does KVM back guest memory with 1 MiB pages (hpage=1)? */
static bool pv_kvm_huge_pages(void)
{
#ifdef CONFIG_KVM
    return kvm_enabled() && s390_pv_kvm_huge_pages();
#else
    return false;
#endif
}

static bool pv_check_accel(S390PVGuest *pv, MachineState *ms, Error **errp)
{
    if (kvm_enabled()) {
#ifdef CONFIG_KVM
        if (!s390_pv_kvm_available()) {
            error_setg(errp, "Protected Virtualization is not available "
                       "from this host's KVM (KVM_CAP_S390_PROTECTED): is "
                       "the host booted with prot_virt=1?");
            return false;
        }
        pv->backend = s390_pv_kvm_backend_create(ms->ram_size);
        return true;
#endif
    } else if (tcg_enabled()) {
        return pv_software_uv(pv, ms, errp);
    } else if (qtest_enabled()) {
        /* No guest code runs, so no Ultravisor is needed. */
        return true;
    }
    error_setg(errp, "Protected Virtualization is not available with the "
               "'%s' accelerator: it needs KVM with KVM_CAP_S390_PROTECTED "
               "or TCG (software Ultravisor)", current_accel_name());
    return false;
}

void s390_pv_machine_init(MachineState *ms, Error **errp)
{
    S390PVGuest *pv;
    unsigned int max_cpus;

    if (!ms->cgs) {
        return;
    }
    pv = s390_pv_guest();
    if (!pv) {
        error_setg(errp, "confidential-guest-support: '%s' is not an %s "
                   "object", object_get_canonical_path_component(
                       OBJECT(ms->cgs)), TYPE_S390_PV_GUEST);
        return;
    }

    if (!pv_check_accel(pv, ms, errp)) {
        return;
    }
    if (!s390_has_feat(S390_FEAT_UNPACK)) {
        error_setg(errp, "CPU model does not support Protected "
                   "Virtualization: it lacks the 'unpack' facility "
                   "(stfle bit 161)");
        return;
    }
    max_cpus = s390_has_feat(S390_FEAT_EXTENDED_LENGTH_SCCB) ?
               S390_PV_MAX_CPUS_EXT_SCCB : S390_PV_MAX_CPUS;
    if (ms->smp.max_cpus > max_cpus) {
        error_setg(errp, "Protected VMs support a maximum of %u CPUs, "
                   "not %u", max_cpus, ms->smp.max_cpus);
        return;
    }
    if (s390_pv_sw_is(pv->backend)) {
        s390_pv_sw_set_max_cpus(pv->backend, max_cpus);
    }
    if (!s390_pv_ram_pages_ok(kvm_enabled(), qemu_maxrampagesize(),
                              qemu_real_host_page_size()) ||
        pv_kvm_huge_pages()) {
        error_setg(errp, "Protected VMs cannot be backed with huge pages");
        return;
    }

    s390_pv_host_view_init(pv);

    pv->device_listener.hide_device = pv_check_device;
    pv->device_listener.realize = pv_device_realized;
    pv->device_listener.unrealize = pv_device_unrealized;
    device_listener_register(&pv->device_listener);

    pv->parent_obj.ready = true;
    trace_s390_pv_init(pv->backend ? pv->backend->ops->name : "none");
}

static void s390_pv_guest_init(Object *obj)
{
    S390PVGuest *pv = S390_PV_GUEST(obj);

    s390_pv_diag_init(&pv->diag);
    pv->isolation = true;
}

static bool pv_get_isolation(Object *obj, Error **errp)
{
    return S390_PV_GUEST(obj)->isolation;
}

static void pv_set_isolation(Object *obj, bool value, Error **errp)
{
    S390PVGuest *pv = S390_PV_GUEST(obj);

    /*
     * The host's view of guest memory is set up with the machine: turning
     * isolation on later would find no view (and no key), turning it off
     * would unprotect the guest behind its back.
     */
    if (pv->parent_obj.ready) {
        error_setg(errp, "isolation cannot change once the machine is "
                   "created: set it on the -object command line");
        return;
    }
    pv->isolation = value;
}

static char *pv_get_host_key(Object *obj, Error **errp)
{
    return g_strdup(S390_PV_GUEST(obj)->host_key);
}

static void pv_set_host_key(Object *obj, const char *value, Error **errp)
{
    S390PVGuest *pv = S390_PV_GUEST(obj);

    g_free(pv->host_key);
    pv->host_key = g_strdup(value);
}

static char *pv_get_host_key_dir(Object *obj, Error **errp)
{
    S390PVGuest *pv = S390_PV_GUEST(obj);

    return pv->host_key_dir ? g_strdup(pv->host_key_dir) :
                              s390_pv_default_host_key_dir();
}

static void pv_set_host_key_dir(Object *obj, const char *value,
                                Error **errp)
{
    S390PVGuest *pv = S390_PV_GUEST(obj);

    g_free(pv->host_key_dir);
    pv->host_key_dir = g_strdup(value);
}

static void s390_pv_guest_class_init(ObjectClass *oc, void *data)
{
    object_class_property_add_str(oc, "host-key", pv_get_host_key,
                                  pv_set_host_key);
    object_class_property_set_description(oc, "host-key",
        "Software Ultravisor (TCG): the host's private key(s), EC "
        "secp521r1 in PEM (SEC1 or PKCS#8); several files separated by ':'");
    object_class_property_add_str(oc, "host-key-dir", pv_get_host_key_dir,
                                  pv_set_host_key_dir);
    object_class_property_set_description(oc, "host-key-dir",
        "Software Ultravisor (TCG): without host-key=, use every *.pem "
        "there (not readable by all users); default: the s390-pv/host-keys "
        "directory in QEMU's sysconfdir");
    object_class_property_add_bool(oc, "isolation", pv_get_isolation,
                                   pv_set_isolation);
    object_class_property_set_description(oc, "isolation",
        "Software Ultravisor (TCG): hide the pages a protected guest did "
        "not share from devices, the monitor, the gdbstub and dumps, as IBM "
        "Z does (default on; off is for debugging and unlike IBM Z)");
}

static void s390_pv_guest_finalize(Object *obj)
{
    S390PVGuest *pv = S390_PV_GUEST(obj);

    if (pv->parent_obj.ready) {
        device_listener_unregister(&pv->device_listener);
    }
    if (pv->backend && pv->backend->ops->destroy) {
        pv->backend->ops->destroy(pv->backend);
    }
    s390_pv_diag_cleanup(&pv->diag);
    g_free(pv->fail_error);
    g_free(pv->host_key);
    g_free(pv->host_key_dir);
}

static const TypeInfo s390_pv_guest_info = {
    .parent = TYPE_CONFIDENTIAL_GUEST_SUPPORT,
    .name = TYPE_S390_PV_GUEST,
    .instance_size = sizeof(S390PVGuest),
    .instance_init = s390_pv_guest_init,
    .class_init = s390_pv_guest_class_init,
    .instance_finalize = s390_pv_guest_finalize,
    .interfaces = (InterfaceInfo[]) {
        { TYPE_USER_CREATABLE },
        { }
    },
};

static void s390_pv_guest_register_types(void)
{
    type_register_static(&s390_pv_guest_info);
}

type_init(s390_pv_guest_register_types)
