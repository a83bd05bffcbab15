/*
 * s390x Protected Virtualization: the KVM_S390_PV_COMMAND interface
 *
 * Since Linux 6.8 the argument blocks of the PV commands live in s390's
 * <asm/kvm.h>, so a build for another host architecture sees the ioctl
 * numbers in <linux/kvm.h> but not the structures they take.  The KVM
 * backend's sequencing is unit-tested on every host, so where <asm/kvm.h>
 * is not s390's (it has no KVM_SYNC_PREFIX) this header describes the same
 * binary interface (Linux UAPI, s390).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_S390X_PV_KVM_ABI_H
#define HW_S390X_PV_KVM_ABI_H

#include <linux/kvm.h>

#ifndef KVM_SYNC_PREFIX

/* KVM_PV_SET_SEC_PARMS: where the SE header is */
struct kvm_s390_pv_sec_parm {
    __u64 origin;
    __u64 length;
};

/* KVM_PV_UNPACK: one run of encrypted pages */
struct kvm_s390_pv_unp {
    __u64 addr;
    __u64 size;
    __u64 tweak;
};

/* KVM_PV_DUMP subcommands */
enum {
    KVM_PV_DUMP_INIT = 0,
    KVM_PV_DUMP_CONFIG_STOR_STATE = 1,
    KVM_PV_DUMP_COMPLETE = 2,
    KVM_PV_DUMP_CPU = 3,
};

struct kvm_s390_pv_dmp {
    __u64 subcmd;
    __u64 buff_addr;
    __u64 buff_len;
    __u64 gaddr;
    __u64 reserved[4];
};

/* KVM_PV_INFO request ids */
enum {
    KVM_PV_INFO_VM = 0,
    KVM_PV_INFO_DUMP = 1,
};

struct kvm_s390_pv_info_dump {
    __u64 dump_cpu_buffer_len;
    __u64 dump_config_mem_buffer_per_1m;
    __u64 dump_config_finalize_len;
};

struct kvm_s390_pv_info_vm {
    __u64 inst_calls_list[4];
    __u64 max_cpus;
    __u64 max_guests;
    __u64 max_guest_addr;
    __u64 feature_indication;
};

struct kvm_s390_pv_info_header {
    __u32 id;
    __u32 len_max;
    __u32 len_written;
    __u32 reserved;
};

struct kvm_s390_pv_info {
    struct kvm_s390_pv_info_header header;
    union {
        struct kvm_s390_pv_info_dump dump;
        struct kvm_s390_pv_info_vm vm;
    };
};

/* The commands of KVM_S390_PV_COMMAND */
enum {
    KVM_PV_ENABLE = 0,
    KVM_PV_DISABLE = 1,
    KVM_PV_SET_SEC_PARMS = 2,
    KVM_PV_UNPACK = 3,
    KVM_PV_VERIFY = 4,
    KVM_PV_PREP_RESET = 5,
    KVM_PV_UNSHARE_ALL = 6,
    KVM_PV_INFO = 7,
    KVM_PV_DUMP = 8,
    KVM_PV_ASYNC_CLEANUP_PREPARE = 9,
    KVM_PV_ASYNC_CLEANUP_PERFORM = 10,
};

struct kvm_pv_cmd {
    __u32 cmd;
    __u16 rc;
    __u16 rrc;
    __u64 data;
    __u32 flags;
    __u32 reserved[3];
};

#endif /* !KVM_SYNC_PREFIX */

#endif
