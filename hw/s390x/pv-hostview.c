/*
 * s390x Protected Virtualization: what the host sees of a protected guest
 * under the software Ultravisor
 *
 * On IBM Z a host access to a secure page the guest did not share exports
 * it: the host reads ciphertext, and when the host changed the page, the
 * guest's next access fails to import it and KVM ends the guest.  Under
 * TCG the software Ultravisor knows which pages the guest shared, and the
 * machine gives the host the same view:
 *
 * - every CCW device reaches guest memory through its own address space:
 *   an IOMMU that passes shared pages (and everything of a guest that is
 *   not protected) through, and sends the others to a view that reads as
 *   ciphertext of the page and ends the guest when written;
 * - the monitor, the gdbstub and dump-guest-memory read ciphertext for
 *   those pages too, and cannot write them (HostViewOps).
 *
 * The ciphertext is the page under AES-128 with a key drawn at start-up,
 * XOR-encrypt-XOR with the absolute address as tweak: no plaintext, and
 * the same bytes for the same content, like an export.
 *
 * isolation=off on the object turns all of this off, for debugging: the
 * host then sees a protected guest's memory in the clear, which IBM Z
 * never allows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qemu/guest-random.h"
#include "qemu/host-utils.h"
#include "crypto/aes.h"
#include "exec/address-spaces.h"
#include "exec/host-view.h"
#include "exec/memory.h"
#include "hw/boards.h"
#include "system/runstate.h"
#include "system/tcg.h"
#include "hw/pci/pci_device.h"
#include "hw/s390x/3270-ccw.h"
#include "hw/s390x/event-facility.h"
#include "hw/s390x/s390-pci-bus.h"
#include "hw/scsi/scsi.h"
#include "hw/virtio/virtio.h"
#include "hw/virtio/virtio-crypto.h"
#include "hw/virtio/virtio-net.h"
#include "hw/virtio/virtio-serial.h"
#include "hw/watchdog/wdt_diag288.h"
#include "net/net.h"
#include "standard-headers/linux/virtio_config.h"
#include "cpu.h"
#include "hw/s390x/virtio-ccw.h"
#include "hw/s390x/pv.h"
#include "hw/s390x/pv-sw.h"
#include "trace.h"

#define TYPE_S390_PV_VIEW_IOMMU "s390-pv-view-iommu"

#define PV_PAGE     4096ULL

struct S390PVDevView {
    struct rcu_head rcu;        /* first: call_rcu() */
    S390PVGuest *pv;
    IOMMUMemoryRegion iommu;
    AddressSpace as;
    MemoryRegion hidden;        /* what an unshared page looks like */
    AddressSpace hidden_as;
    char *name;
    bool reported;
};

static AES_KEY pv_view_key;

/* Is guest absolute @addr hidden from the host now? */
static bool pv_hidden(S390PVGuest *pv, uint64_t addr)
{
    return pv->isolation && s390_pv_sw_is(pv->backend) &&
           !s390_pv_sw_host_may_access(pv->backend, addr);
}

/*
 * Overwrite @buf, guest absolute [@addr, @addr + @len) of a hidden page,
 * with the page's ciphertext: whole 16-byte blocks, read from guest
 * memory, so that any split of a read gives the same bytes.
 */
static void pv_ciphertext(hwaddr addr, uint8_t *buf, hwaddr len)
{
    MachineState *ms = current_machine;
    const uint8_t *ram = memory_region_get_ram_ptr(ms->ram);
    hwaddr blk, end = addr + len;
    uint8_t t[16], b[16];
    int i;

    for (blk = addr & ~15ULL; blk < end; blk += 16) {
        hwaddr from = MAX(blk, addr), to = MIN(blk + 16, end);

        memset(t, 0, sizeof(t));
        stq_be_p(t, blk);
        AES_encrypt(t, t, &pv_view_key);
        for (i = 0; i < 16; i++) {
            b[i] = qatomic_read(&ram[blk + i]) ^ t[i];
        }
        AES_encrypt(b, b, &pv_view_key);
        for (i = 0; i < 16; i++) {
            b[i] ^= t[i];
        }
        memcpy(buf + (from - addr), b + (from - blk), to - from);
    }
}

static void pv_end_guest_bh(void *opaque)
{
    qemu_system_guest_panicked(NULL);
}

/* A device accessed @addr, which the guest did not share. */
static void pv_refused(S390PVGuest *pv, S390PVDevView *v, hwaddr addr,
                       bool write)
{
    qatomic_inc(&pv->refused_accesses);
    trace_s390_pv_refused(v->name, addr, write);
    if (write) {
        qatomic_inc(&pv->refused_writes);
        if (!qatomic_xchg(&pv->host_write_ended, true)) {
            qatomic_inc(&pv->ended_guests);
            trace_s390_pv_guest_ended(v->name, addr);
            error_report("Protected Virtualization: %s: write to guest "
                         "address 0x%" HWADDR_PRIx " not shared by the "
                         "guest: ending the guest (on IBM Z the page could "
                         "not be imported again)", v->name, addr);
            aio_bh_schedule_oneshot(qemu_get_aio_context(),
                                    pv_end_guest_bh, NULL);
        }
    } else if (!qatomic_xchg(&v->reported, true)) {
        error_report("Protected Virtualization: %s: read of guest address "
                     "0x%" HWADDR_PRIx " not shared by the guest: the device "
                     "sees ciphertext (further refused accesses are counted "
                     "in query-s390-pv)", v->name, addr);
    }
}

static IOMMUTLBEntry pv_view_translate(IOMMUMemoryRegion *iommu, hwaddr addr,
                                       IOMMUAccessFlags flag, int iommu_idx)
{
    S390PVDevView *v = container_of(iommu, S390PVDevView, iommu);
    IOMMUTLBEntry e = {
        .target_as = &address_space_memory,
        .iova = addr & ~(PV_PAGE - 1),
        .translated_addr = addr & ~(PV_PAGE - 1),
        .addr_mask = PV_PAGE - 1,
        .perm = IOMMU_RW,
    };

    if (pv_hidden(v->pv, addr)) {
        e.target_as = &v->hidden_as;
        pv_refused(v->pv, v, addr, flag & IOMMU_WO);
    }
    return e;
}

static uint64_t pv_hidden_read(void *opaque, hwaddr addr, unsigned size)
{
    uint8_t b[8];

    pv_ciphertext(addr, b, size);
    return ldn_be_p(b, size);
}

static void pv_hidden_write(void *opaque, hwaddr addr, uint64_t val,
                            unsigned size)
{
    /* Never reaches the page: the guest is being ended (pv_refused). */
}

static const MemoryRegionOps pv_hidden_ops = {
    .read = pv_hidden_read,
    .write = pv_hidden_write,
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = {
        .min_access_size = 1,
        .max_access_size = 8,
        .unaligned = true,
    },
    .impl = {
        .min_access_size = 1,
        .max_access_size = 8,
        .unaligned = true,
    },
};

static char *pv_dev_name(DeviceState *dev)
{
    const char *type = object_get_typename(OBJECT(dev));

    return dev->id ? g_strdup_printf("%s '%s'", type, dev->id) :
                     g_strdup(type);
}

AddressSpace *s390_pv_device_as(DeviceState *dev)
{
    S390PVGuest *pv = s390_pv_guest();
    S390PVDevView *v;
    g_autofree char *mrname = NULL;

    /* Under KVM the firmware keeps the host out. */
    if (!pv || !pv->isolation || !tcg_enabled()) {
        return &address_space_memory;
    }
    if (!pv->dev_views) {
        pv->dev_views = g_hash_table_new(NULL, NULL);
    }
    v = g_hash_table_lookup(pv->dev_views, dev);
    if (v) {
        return &v->as;
    }

    v = g_new0(S390PVDevView, 1);
    v->pv = pv;
    v->name = pv_dev_name(dev);
    mrname = g_strdup_printf("s390-pv-view[%s]", v->name);
    memory_region_init_iommu(&v->iommu, sizeof(v->iommu),
                             TYPE_S390_PV_VIEW_IOMMU, OBJECT(pv), mrname,
                             UINT64_MAX);
    address_space_init(&v->as, MEMORY_REGION(&v->iommu), mrname);
    memory_region_init_io(&v->hidden, OBJECT(pv), &pv_hidden_ops, v,
                          "s390-pv-hidden", UINT64_MAX);
    address_space_init(&v->hidden_as, &v->hidden, "s390-pv-hidden");
    g_hash_table_insert(pv->dev_views, dev, v);
    return &v->as;
}

void s390_pv_device_views_unshared(void *opaque, uint64_t addr,
                                   uint64_t len)
{
    S390PVGuest *pv = s390_pv_guest();
    GHashTableIter it;
    S390PVDevView *v;
    IOMMUTLBEvent ev = {
        .type = IOMMU_NOTIFIER_UNMAP,
        .entry = {
            .target_as = &address_space_memory,
            .perm = IOMMU_NONE,
        },
    };
    uint64_t mask = len <= PV_PAGE ? PV_PAGE - 1 : pow2ceil(len) - 1;

    /* called from a vCPU (Remove Shared Access) or a reset */
    BQL_LOCK_GUARD();
    if (!pv || !pv->dev_views) {
        return;
    }
    ev.entry.iova = addr & ~mask;
    ev.entry.translated_addr = ev.entry.iova;
    ev.entry.addr_mask = mask;
    g_hash_table_iter_init(&it, pv->dev_views);
    while (g_hash_table_iter_next(&it, NULL, (void **)&v)) {
        memory_region_notify_iommu(&v->iommu, 0, ev);
    }
}

/* Drop @dev's view once the device is gone (unplug). */
static void pv_view_free_rcu(S390PVDevView *v)
{
    g_free(v->name);
    g_free(v);
}

void s390_pv_device_gone(DeviceState *dev)
{
    S390PVGuest *pv = s390_pv_guest();
    S390PVDevView *v;

    if (!pv || !pv->dev_views) {
        return;
    }
    v = g_hash_table_lookup(pv->dev_views, dev);
    if (!v) {
        return;
    }
    g_hash_table_remove(pv->dev_views, dev);
    address_space_destroy(&v->as);
    address_space_destroy(&v->hidden_as);
    object_unparent(OBJECT(&v->iommu));
    object_unparent(OBJECT(&v->hidden));
    /* after the address spaces, which RCU readers may still use */
    call_rcu(v, pv_view_free_rcu, rcu);
}

strList *s390_pv_device_views(S390PVGuest *pv)
{
    g_autoptr(GList) views = NULL;
    strList *names = NULL;
    GList *l;

    if (!pv->dev_views) {
        return NULL;
    }
    views = g_hash_table_get_values(pv->dev_views);
    for (l = views; l; l = l->next) {
        S390PVDevView *v = l->data;

        QAPI_LIST_PREPEND(names, g_strdup(v->name));
    }
    return names;
}

/* --- deny by default: the devices a protected guest may have ----------- */

/*
 * Device types that reach guest memory only through a view, or not at
 * all.  Every other type is refused next to a protected guest of the
 * software Ultravisor with isolation on: a device type QEMU adds later
 * is refused until someone checks where it reaches guest memory.
 */
static const char *const pv_isolated_types[] = {
    /* their own view; virtio-ccw checked again when plugged */
    TYPE_VIRTIO_CCW_DEVICE,
    TYPE_EMULATED_CCW_3270,
    /* behind a virtio-ccw proxy, checked with the proxy */
    TYPE_VIRTIO_DEVICE,
    /* data moves through the HBA's or the virtio-serial device's view */
    TYPE_SCSI_DEVICE,
    TYPE_VIRTIO_SERIAL_PORT,
    /* no DMA: SCCBs are the Ultravisor's (SIDA), CPUs and the watchdog */
    TYPE_SCLP_EVENT,
    TYPE_S390_CPU,
    TYPE_WDT_DIAG288,
};

static bool pv_isolating(S390PVGuest *pv)
{
    return pv && pv->isolation && tcg_enabled() &&
           s390_pv_sw_is(pv->backend);
}

bool s390_pv_device_type_check(S390PVGuest *pv, const char *driver,
                               Error **errp)
{
    ObjectClass *oc = object_class_by_name(driver);
    int i;

    if (!pv_isolating(pv) || !oc) {
        return true;
    }
    if (strstr(driver, "vhost")) {
        error_setg(errp, "Protected Virtualization: '%s' cannot be used "
                   "with isolation=on: vhost reaches all guest memory, "
                   "not only what the guest shared; use a device without "
                   "vhost (e.g. virtio-net-ccw with -netdev tap,vhost=off)",
                   driver);
        return false;
    }
    if (object_class_dynamic_cast(oc, TYPE_PCI_DEVICE) ||
        object_class_dynamic_cast(oc, TYPE_S390_PCI_DEVICE)) {
        error_setg(errp, "Protected Virtualization: '%s' cannot be used "
                   "with isolation=on: zPCI DMA and the guest's I/O "
                   "translation tables bypass what the guest shared; use "
                   "the virtio-*-ccw devices", driver);
        return false;
    }
    for (i = 0; i < ARRAY_SIZE(pv_isolated_types); i++) {
        if (object_class_dynamic_cast(oc, pv_isolated_types[i])) {
            return true;
        }
    }
    error_setg(errp, "Protected Virtualization: '%s' cannot be used with "
               "isolation=on: it is not known to reach guest memory only "
               "through what the guest shared", driver);
    return false;
}

/* Does @vdev's backend reach guest memory outside QEMU (vhost)? */
static bool pv_virtio_vhost(VirtIODevice *vdev)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    NetClientState *nc;

    if (vdc->get_vhost && vdc->get_vhost(vdev)) {
        return true;
    }
    /* vhost-user and vDPA back ends connect later */
    if (object_dynamic_cast(OBJECT(vdev), TYPE_VIRTIO_NET)) {
        VirtIONet *n = VIRTIO_NET(vdev);

        nc = n->nic ? qemu_get_queue(n->nic) : NULL;
        return nc && nc->peer &&
               (nc->peer->info->type == NET_CLIENT_DRIVER_VHOST_USER ||
                nc->peer->info->type == NET_CLIENT_DRIVER_VHOST_VDPA);
    }
    if (object_dynamic_cast(OBJECT(vdev), TYPE_VIRTIO_CRYPTO)) {
        VirtIOCrypto *c = VIRTIO_CRYPTO(vdev);

        return c->conf.cryptodev &&
               object_dynamic_cast(OBJECT(c->conf.cryptodev),
                                   "cryptodev-vhost-user");
    }
    return false;
}

bool s390_pv_virtio_plug_check(DeviceState *proxy, VirtIODevice *vdev,
                               Error **errp)
{
    S390PVGuest *pv = s390_pv_guest();
    g_autofree char *name = NULL;

    if (!pv_isolating(pv)) {
        return true;
    }
    name = pv_dev_name(proxy);
    if (pv_virtio_vhost(vdev)) {
        error_setg(errp, "Protected Virtualization: %s has a vhost back "
                   "end, which reaches all guest memory, not only what the "
                   "guest shared (isolation=on); use one without vhost "
                   "(e.g. -netdev tap,vhost=off)", name);
        return false;
    }
    if (!virtio_host_has_feature(vdev, VIRTIO_F_IOMMU_PLATFORM)) {
        error_setg(errp, "Protected Virtualization: %s has "
                   "iommu_platform=off: its rings and buffers would bypass "
                   "what the guest shared (isolation=on); leave "
                   "iommu_platform on", name);
        return false;
    }
    return true;
}

/* --- the monitor, the gdbstub and dumps ---------------------------------- */

static bool pv_host_view_active(void)
{
    S390PVGuest *pv = s390_pv_guest();

    return pv && pv->isolation && s390_pv_sw_is(pv->backend) &&
           s390_pv_sw_guest_protected(pv->backend);
}

/*
 * Replace, in @buf (guest physical [@addr, @addr + @len) as just read),
 * each piece of a page the host may not see with @hide's bytes for it;
 * the pieces end at page boundaries.  Returns the bytes replaced.
 */
static uint64_t pv_host_view_hide(hwaddr addr, void *buf, hwaddr len,
                                  void (*hide)(hwaddr, uint8_t *, hwaddr))
{
    S390PVGuest *pv = s390_pv_guest();
    hwaddr end = addr + len, next, hidden = 0;

    while (addr < end) {
        next = MIN((addr | (PV_PAGE - 1)) + 1, end);
        if (pv_hidden(pv, addr)) {
            hide(addr, (uint8_t *)buf + (len - (end - addr)), next - addr);
            hidden += next - addr;
        }
        addr = next;
    }
    return hidden;
}

static uint64_t pv_host_view_filter(hwaddr addr, void *buf, hwaddr len)
{
    return pv_host_view_hide(addr, buf, len, pv_ciphertext);
}

static void pv_dump_export(hwaddr addr, uint8_t *buf, hwaddr len)
{
    s390_pv_sw_dump_export(s390_pv_guest()->backend, addr, buf, len);
}

/*
 * A dump: during a protected dump, the pages the guest did not share as
 * the Ultravisor exports them for the dump (readable by the image's
 * owner); otherwise as for the other views.
 */
static uint64_t pv_host_view_dump_filter(hwaddr addr, void *buf, hwaddr len)
{
    return pv_host_view_hide(addr, buf, len,
                             s390_pv_sw_dumping(s390_pv_guest()->backend) ?
                             pv_dump_export : pv_ciphertext);
}

static bool pv_host_view_may_write(hwaddr addr, hwaddr len)
{
    S390PVGuest *pv = s390_pv_guest();
    hwaddr a;

    for (a = addr & ~(PV_PAGE - 1); a < addr + len; a += PV_PAGE) {
        if (pv_hidden(pv, a)) {
            return false;
        }
    }
    return true;
}

/*
 * A device wrote through a mapping it held (DMA in flight: virtio maps a
 * request's buffers when it takes the request and writes them when it
 * completes).  The pages were shared when they were mapped, but the guest
 * may have removed shared access since: a write to a page it no longer
 * shares is refused like any other, and ends the guest, as on IBM Z,
 * where that page would fail to import again.
 */
static void pv_host_view_mapped_write(AddressSpace *as, MemoryRegion *mr,
                                      hwaddr offset, hwaddr len)
{
    S390PVGuest *pv = s390_pv_guest();
    hwaddr a;

    if (!pv || !current_machine || mr != current_machine->ram ||
        !as->root ||
        !object_dynamic_cast(OBJECT(as->root), TYPE_S390_PV_VIEW_IOMMU)) {
        return;
    }
    for (a = offset & ~(PV_PAGE - 1); a < offset + len; a += PV_PAGE) {
        if (pv_hidden(pv, a)) {
            pv_refused(pv, container_of(as, S390PVDevView, as),
                       MAX(a, offset), true);
            return;
        }
    }
}

static const HostViewOps pv_host_view_ops = {
    .active = pv_host_view_active,
    .filter = pv_host_view_filter,
    .dump_filter = pv_host_view_dump_filter,
    .may_write = pv_host_view_may_write,
    .mapped_write = pv_host_view_mapped_write,
    .note = "the guest is protected: the pages it did not share and its "
            "registers are written encrypted for the image's owner "
            "(s390-pvdump --key)",
};

void s390_pv_host_view_init(S390PVGuest *pv)
{
    uint8_t key[16];

    if (!pv->isolation || !s390_pv_sw_is(pv->backend)) {
        return;
    }
    qemu_guest_getrandom_nofail(key, sizeof(key));
    AES_set_encrypt_key(key, 128, &pv_view_key);
    memset(key, 0, sizeof(key));
    host_view_ops = &pv_host_view_ops;
}

static void pv_view_iommu_class_init(ObjectClass *klass, void *data)
{
    IOMMUMemoryRegionClass *imrc = IOMMU_MEMORY_REGION_CLASS(klass);

    imrc->translate = pv_view_translate;
}

static const TypeInfo pv_view_iommu_info = {
    .parent = TYPE_IOMMU_MEMORY_REGION,
    .name = TYPE_S390_PV_VIEW_IOMMU,
    .class_init = pv_view_iommu_class_init,
};

static void pv_view_register_types(void)
{
    type_register_static(&pv_view_iommu_info);
}

type_init(pv_view_register_types)
