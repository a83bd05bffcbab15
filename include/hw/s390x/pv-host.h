/*
 * s390x Protected Virtualization: what the host's memory allows
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_S390X_PV_HOST_H
#define HW_S390X_PV_HOST_H

/*
 * May the software Ultravisor clear guest RAM [@addr, @addr + @len) by
 * discarding it, rather than by writing zeros?  Not in a private mapping
 * of a file: discarding punches holes into the file itself (and the
 * mapping would then read the file, not zeros); and only whole pages of
 * @page_size bytes, the RAM block's, which may be larger than the 4 KiB
 * the Ultravisor works in (hosts with 16 KiB or 64 KiB pages).
 */
static inline bool s390_pv_may_discard(bool fd_backed, bool shared,
                                       uint64_t page_size, uint64_t addr,
                                       uint64_t len)
{
    if (fd_backed && !shared) {
        return false;
    }
    return page_size && !(addr % page_size) && !(len % page_size);
}

/*
 * Can RAM whose largest page is @ram_page bytes back a protected guest,
 * on a host whose base page is @host_page bytes?  The firmware
 * Ultravisor (KVM) works on 4 KiB host pages only; the software
 * Ultravisor on any base page, but not on huge pages, which PV refuses.
 */
static inline bool s390_pv_ram_pages_ok(bool kvm, uint64_t ram_page,
                                        uint64_t host_page)
{
    return kvm ? ram_page <= 4096 : ram_page <= host_page;
}

#endif
