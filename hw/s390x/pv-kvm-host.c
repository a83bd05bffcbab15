/*
 * s390x Protected Virtualization: the KVM backend bound to the running VM
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "system/kvm.h"
#include "hw/core/cpu.h"
#include "hw/s390x/pv-kvm.h"
#include "kvm/kvm_s390x.h"

static int real_vm_ioctl(void *opaque, unsigned long req, void *arg)
{
    return kvm_vm_ioctl(kvm_state, req, arg);
}

static int real_vcpu_ioctl(void *opaque, int cpu_index, unsigned long req,
                           void *arg)
{
    CPUState *cs = qemu_get_cpu(cpu_index);

    return cs ? kvm_vcpu_ioctl(cs, req, arg) : -ENODEV;
}

static int real_check_extension(void *opaque, unsigned int cap)
{
    return kvm_check_extension(kvm_state, cap);
}

bool s390_pv_kvm_huge_pages(void)
{
    return kvm_s390_get_hpage_1m();
}

bool s390_pv_kvm_available(void)
{
    return kvm_check_extension(kvm_state, S390_PV_KVM_CAP_PROTECTED) > 0;
}

S390PVBackend *s390_pv_kvm_backend_create(uint64_t ram_size)
{
    static const S390PVKvmIo real_io = {
        .vm_ioctl = real_vm_ioctl,
        .vcpu_ioctl = real_vcpu_ioctl,
        .check_extension = real_check_extension,
    };

    return s390_pv_kvm_backend_new(&real_io, ram_size);
}
