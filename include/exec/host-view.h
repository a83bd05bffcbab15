/*
 * What the host may see of guest memory through its inspection paths
 *
 * A confidential guest's memory can be hidden from the host's own views
 * of it: the monitor (x, xp, memsave, pmemsave, sum), the gdbstub and
 * dump-guest-memory; and the writes devices made through mappings they
 * held can be checked when the mappings end.  The accelerator or machine
 * that knows which pages the guest keeps to itself installs HostViewOps;
 * with none installed, the host sees all of guest memory.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef EXEC_HOST_VIEW_H
#define EXEC_HOST_VIEW_H

#include "exec/hwaddr.h"

typedef struct HostViewOps {
    /* Is anything hidden now? */
    bool (*active)(void);
    /*
     * @buf holds guest physical [@addr, @addr + @len) as just read:
     * replace what the host must not see.  Returns the bytes replaced.
     */
    uint64_t (*filter)(hwaddr addr, void *buf, hwaddr len);
    /*
     * As filter, for dump-guest-memory's reads of guest memory (optional:
     * filter when NULL).  A confidential guest's dump may hold its pages
     * differently from the other views (encrypted for the guest's owner).
     */
    uint64_t (*dump_filter)(hwaddr addr, void *buf, hwaddr len);
    /* May the host write guest physical [@addr, @addr + @len)? */
    bool (*may_write)(hwaddr addr, hwaddr len);
    /*
     * A device wrote [@offset, @offset + @len) of RAM region @mr through
     * a mapping of @as that it held (address_space_map(): DMA in flight);
     * the guest may have taken the pages away since they were mapped.
     */
    void (*mapped_write)(AddressSpace *as, MemoryRegion *mr, hwaddr offset,
                         hwaddr len);
    /* For dump-guest-memory: one line saying what it will hide */
    const char *note;
} HostViewOps;

/* Set by the machine; defined in softmmu/cpus.c */
extern const HostViewOps *host_view_ops;

static inline bool host_view_active(void)
{
    return host_view_ops && host_view_ops->active();
}

static inline uint64_t host_view_filter(hwaddr addr, void *buf, hwaddr len)
{
    return host_view_active() ? host_view_ops->filter(addr, buf, len) : 0;
}

static inline uint64_t host_view_dump_filter(hwaddr addr, void *buf,
                                             hwaddr len)
{
    if (!host_view_active()) {
        return 0;
    }
    return host_view_ops->dump_filter ?
           host_view_ops->dump_filter(addr, buf, len) :
           host_view_ops->filter(addr, buf, len);
}

static inline bool host_view_may_write(hwaddr addr, hwaddr len)
{
    return !host_view_active() || host_view_ops->may_write(addr, len);
}

static inline void host_view_mapped_write(AddressSpace *as, MemoryRegion *mr,
                                          hwaddr offset, hwaddr len)
{
    if (len && host_view_active() && host_view_ops->mapped_write) {
        host_view_ops->mapped_write(as, mr, offset, len);
    }
}

#endif
