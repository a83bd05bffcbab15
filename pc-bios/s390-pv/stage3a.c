/*
 * stage3a: the unprotected part of a Secure Execution image.
 *
 * Loaded at 0x10000 with the rest of the image, it tells the hypervisor
 * where the PV IPL block and the SE header are, and asks it (diag 308
 * subcodes 8 and 10) to have the Ultravisor unpack and start the
 * protected image.  It prints what it does on the SCLP console; on
 * failure it prints the hypervisor's whole response and stops in a
 * disabled wait (0x4607: no unpack facility, 0x4608: diag 308 failed).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "loader.h"
#include "sclp.h"


/* Filled in by the image builder: the last 24 bytes of the binary */
__attribute__((section(".args"), used))
struct stage3a_args stage3a_args;

/* --- the work ------------------------------------------------------------ */

static __attribute__((noreturn)) void disabled_wait(u64 code)
{
    static u64 psw[2] __attribute__((aligned(8)));

    psw[0] = 0x0002000180000000ULL;
    psw[1] = code;
    asm volatile("lpswe %0" : : "Q"(psw) : "memory");
    __builtin_unreachable();
}

static int has_unpack(void)
{
    register unsigned long r0 asm("0") = 3;     /* 4 doublewords */
    static u64 fac[4] __attribute__((aligned(8)));

    asm volatile(".insn s,0xb2b00000,%0" : "=Q"(fac), "+d"(r0) : : "cc");
    /* facility 161: doubleword 2, bit 33 */
    return (fac[2] >> (63 - (161 - 128))) & 1;
}

static u64 diag308(u64 subcode, void *addr)
{
    register unsigned long r2 asm("2") = (unsigned long)addr;
    register unsigned long r3 asm("3") = 0;

    asm volatile("diag %1,%2,0x308"
                 : "+d"(r3) : "d"(r2), "d"(subcode) : "cc", "memory");
    return r3;
}

static void report(const char *what, u64 resp)
{
    char buf[160], *p = buf;

    p = str(p, "stage3a: ");
    p = str(p, what);
    p = str(p, " failed: response 0x");
    p = hex(p, resp, 16);
    p = str(p, " (cmd ");
    p = hex(p, resp >> 48, 4);
    p = str(p, " rc 0x");
    p = hex(p, (resp >> 16) & 0xffff, 4);
    p = str(p, " rrc 0x");
    p = hex(p, (resp >> 32) & 0xffff, 4);
    p = str(p, ")\n");
    *p = 0;
    print(buf);
}

void stage3a_main(void)
{
    u8 *base = (u8 *)PV_IMG_STAGE3A;
    u8 *ipib = base + stage3a_args.ipib_offs;
    u64 resp;

    sclp_setup();
    print("stage3a: Secure Execution image, switching to protected mode\n");
    if (!has_unpack()) {
        print("Secure unpack facility is not available\n");
        disabled_wait(PV_WAIT_NO_UNPACK);
    }

    /* The header's address goes into the PV IPL block (offset 0x78) */
    *(u64 *)(ipib + 0x78) = (u64)(unsigned long)(base +
                                                 stage3a_args.hdr_offs);
    resp = diag308(8, ipib);
    if (resp != 1) {
        report("diag 308 subcode 8", resp);
        disabled_wait(PV_WAIT_DIAG308);
    }
    print("stage3a: PV IPL block accepted, diag 308 subcode 10\n");
    resp = diag308(10, ipib);
    /* Only a failure comes back. */
    report("diag 308 subcode 10", resp);
    disabled_wait(PV_WAIT_DIAG308);
}
