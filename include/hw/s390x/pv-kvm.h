/*
 * s390x Protected Virtualization: the KVM Ultravisor backend
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_S390X_PV_KVM_H
#define HW_S390X_PV_KVM_H

#include "hw/s390x/pv-uv.h"

/* Newer than QEMU 7.2's linux-headers: asynchronous teardown. */
#define S390_PV_KVM_CAP_PROTECTED        180
#define S390_PV_KVM_CAP_PROTECTED_DUMP   217
#define S390_PV_KVM_CAP_ASYNC_DISABLE    224

/* Guests of more memory than this are torn down in the background. */
#define S390_PV_KVM_ASYNC_THRESHOLD      (2ULL << 30)

/*
 * The ioctl layer the backend uses.  Production code binds it to the VM's
 * file descriptor; unit tests bind it to a recording fake.  Each call
 * returns what kvm_vm_ioctl() returns: >= 0, or a negative errno.
 */
typedef struct S390PVKvmIo {
    int (*vm_ioctl)(void *opaque, unsigned long req, void *arg);
    int (*vcpu_ioctl)(void *opaque, int cpu_index, unsigned long req,
                      void *arg);
    int (*check_extension)(void *opaque, unsigned int cap);
    void *opaque;
} S390PVKvmIo;

/* A KVM backend on top of @io; @ram_size decides synchronous teardown. */
S390PVBackend *s390_pv_kvm_backend_new(const S390PVKvmIo *io,
                                       uint64_t ram_size);

/* How many background teardowns are running (detached threads) */
int s390_pv_kvm_cleanups_running(void);

/* Does KVM back guest memory with 1 MiB pages?  KVM only. */
bool s390_pv_kvm_huge_pages(void);
/* Does the host kernel offer PV (KVM_CAP_S390_PROTECTED)?  KVM only. */
bool s390_pv_kvm_available(void);
/* The backend for the running VM.  KVM only. */
S390PVBackend *s390_pv_kvm_backend_create(uint64_t ram_size);

#endif
