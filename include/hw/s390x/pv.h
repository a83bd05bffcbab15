/*
 * s390x Protected Virtualization: the s390-pv-guest object and the
 * machine's PV state
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_S390X_PV_H
#define HW_S390X_PV_H

#include "system/confidential-guest-support.h"
#include "hw/qdev-core.h"
#include "hw/s390x/pv-diag.h"
#include "hw/s390x/pv-iplb.h"
#include "hw/s390x/pv-uv.h"
#include "qapi/qapi-builtin-types.h"
#include "qom/object.h"

#define TYPE_S390_PV_GUEST "s390-pv-guest"
OBJECT_DECLARE_SIMPLE_TYPE(S390PVGuest, S390_PV_GUEST)

struct S390PVGuest {
    ConfidentialGuestSupport parent_obj;

    /* host-key=: the software Ultravisor's key files, ':'-separated */
    char *host_key;
    /* host-key-dir=: where installed host keys are (NULL: default) */
    char *host_key_dir;

    /* The Ultravisor; NULL under qtest, where no guest code runs. */
    S390PVBackend *backend;
    DeviceListener device_listener;

    /* diag 308 subcodes 8, 9 and 10 */
    S390PVDiag diag;
    /* The next load of the protected CPU starts at the header's PSW. */
    bool start_from_header;

    /* Protected state */
    bool protected;
    Error *migration_blocker;
    bool discard_disabled;
    S390PVInfo info;

    /* A protected dump is in progress */
    bool dumping;

    /* The last protect attempt, for query-s390-pv */
    bool have_header;
    uint32_t hdr_version;
    uint64_t hdr_nks, hdr_nep, hdr_pcf;
    uint64_t pages_unpacked;
    /* The last failed protect: the Ultravisor step, or the step before */
    bool failed;
    S390PVResult last_failure;
    const char *fail_step;      /* NULL: the Ultravisor step failed */
    char *fail_error;

    /*
     * Isolation (software Ultravisor): devices, the monitor, the gdbstub
     * and dumps see only what the guest shared.  isolation=off: debugging.
     */
    bool isolation;
    GHashTable *dev_views;          /* DeviceState * -> S390PVDevView * */
    uint64_t refused_accesses;      /* device accesses to unshared pages */
    uint64_t refused_writes;        /* of them, writes */
    bool host_write_ended;          /* a device wrote: the guest is ended */
    uint64_t ended_guests;          /* protected boots a device write ended */

    /* Rate limit of the error lines a guest can cause */
    int64_t report_window_start;
    unsigned report_count;
    unsigned report_suppressed;
};

typedef struct Monitor Monitor;
void hmp_info_s390_pv(Monitor *mon, const QDict *qdict);

typedef struct S390PVDevView S390PVDevView;

/*
 * The address space through which CCW device @dev reaches guest memory:
 * &address_space_memory, or under the software Ultravisor with isolation
 * on, a view that hides what a protected guest did not share.
 */
AddressSpace *s390_pv_device_as(DeviceState *dev);

/*
 * The guest stopped sharing [@addr, @addr + @len): every device view
 * sends an IOMMU unmap notification for it (@opaque unused).
 */
void s390_pv_device_views_unshared(void *opaque, uint64_t addr,
                                   uint64_t len);

/* @dev was unplugged: forget its view. */
void s390_pv_device_gone(DeviceState *dev);

/* The names of the devices that have a view now (query-s390-pv) */
strList *s390_pv_device_views(S390PVGuest *pv);

/*
 * Deny by default: may a device of type @driver be created next to a
 * protected guest?  Under the software Ultravisor with isolation on, only
 * types known to reach guest memory through a view, or not at all.
 */
bool s390_pv_device_type_check(S390PVGuest *pv, const char *driver,
                               Error **errp);

/*
 * May virtio device @vdev behind CCW proxy @proxy be plugged: with
 * isolation, its rings and buffers must go through the proxy's view
 * (iommu_platform on) and no vhost back end may reach guest memory.
 */
bool s390_pv_virtio_plug_check(DeviceState *proxy, VirtIODevice *vdev,
                               Error **errp);

/* Hide unshared pages from the monitor, gdbstub and dumps (isolation). */
void s390_pv_host_view_init(S390PVGuest *pv);

/* QEMU's default directory of installed host keys (software UV) */
char *s390_pv_default_host_key_dir(void);

/* The configured PV object, or NULL. */
S390PVGuest *s390_pv_guest(void);

/* Is the guest running in protected mode? */
bool s390_pv_is_protected(void);

/*
 * Machine start-up, after the CPUs exist: check that PV can work with this
 * accelerator, CPU model and memory, and set up the Ultravisor backend.
 * Does nothing when no PV object is configured.
 */
void s390_pv_machine_init(MachineState *ms, Error **errp);

#endif
