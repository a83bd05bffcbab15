/*
 * s390x Protected Virtualization: the machine's side of diag 308 and of
 * resets, shared by every Ultravisor backend
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_S390X_PV_MACHINE_H
#define HW_S390X_PV_MACHINE_H

#include "cpu.h"
#include "hw/s390x/pv.h"

/*
 * diag 308 subcodes 8 and 9 of a guest that is not protected.  @addr has
 * passed the architected alignment and access checks.  Each returns 0
 * with the response for r1 + 1 in @resp, or the program interruption
 * code the instruction ends with when its operand cannot be accessed.
 */
int s390_pv_diag308_set(S390CPU *cpu, uint64_t addr, uint64_t *resp);
int s390_pv_diag308_store(S390CPU *cpu, uint64_t addr, uint64_t *resp);

/*
 * diag 308 subcode 10: snapshot the stored PV IPL block for the protect
 * reset.  At most one protect is in flight.
 */
S390PVStart s390_pv_diag308_start(S390CPU *cpu, int r1, uint64_t *resp);

/* Another reset replaced a requested protect reset. */
void s390_pv_cancel_protect(void);

/*
 * The protect reset (subcode 10), with every other CPU reset and @cpu
 * stopped.  On success the guest is protected and @cpu must be loaded
 * (s390_pv_cpu_load); on failure every step is undone, the response is in
 * @cpu's r1 + 1, and false is returned.
 */
bool s390_pv_protect(S390CPU *cpu);

/* Subcodes 0 and 1 of a protected guest: before the CPU resets. */
void s390_pv_prepare_reset(void);

/* Re-IPL and external resets: leave protected mode. */
void s390_pv_leave(void);

/*
 * The end of every machine reset, after the CPUs': a guest that is no
 * longer protected may be logged again (-d cpu, in_asm, ...).
 */
void s390_pv_reset_done(void);

/*
 * The load-normal step of a protected CPU.  Returns false when the CPU
 * starts, as any other, at the PSW at absolute 0: a reset the protected
 * guest asked for (subcodes 0 and 1) under the software Ultravisor.
 */
bool s390_pv_cpu_load(S390CPU *cpu);

/*
 * Protected dump: s390_pv_dump_start() asks the Ultravisor to start one
 * for a protected guest; false with @errp set if it cannot (no dump
 * interface, or the image or its owner forbids dumps): a protected guest
 * is then not dumped at all, as on IBM Z.  Until s390_pv_dump_complete()
 * or s390_pv_dump_abort(), the guest is blocked by the Ultravisor.
 */
bool s390_pv_dump_start(Error **errp);
bool s390_pv_dumping(void);
uint64_t s390_pv_dump_cpu_len(void);
uint64_t s390_pv_dump_storage_state_len(uint64_t mem_len);
uint64_t s390_pv_dump_completion_len(void);
int s390_pv_dump_cpu(S390CPU *cpu, void *buf);
int s390_pv_dump_storage_state(uint64_t gaddr, uint64_t len, void *buf);
int s390_pv_dump_complete(void *buf);
void s390_pv_dump_abort(void);

/*
 * Does the ultravisor-call facility (stfle bit 158, the UVC instruction)
 * exist for the guest now?  Only for a protected guest of the software
 * Ultravisor; on IBM Z the firmware offers it.
 */
bool s390_pv_uvc_available(void);

/*
 * UVC by @cpu (supervisor state, facility available) with the UVCB at
 * logical address @addr.  Returns the condition code; an access exception
 * on the UVCB is a program interruption (unwinds with @ra under TCG).
 */
int s390_pv_uvc(S390CPU *cpu, uint64_t addr, uintptr_t ra);

#endif
