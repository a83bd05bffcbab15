/*
 * stage3b: the first protected code of a Secure Execution image.
 *
 * The Ultravisor starts it (the SE header's PSW) wherever its component
 * was unpacked, so it is position independent.  It lays Linux out as
 * the kernel expects after an IPL: the kernel image from its offset
 * 0x10000 on at absolute 0x10000, the command line at 0x10480, the
 * initrd's address and size at 0x10408/0x10410 (the initrd stays where
 * it was unpacked), then enters the kernel at 0x10000 in 64-bit mode.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "loader.h"

typedef unsigned long long u64;
typedef unsigned char u8;

/* Filled in by the image builder: the last 48 bytes of the binary */
__attribute__((section(".args"), used))
struct stage3b_args stage3b_args;

static void copy(u8 *dst, const u8 *src, u64 n)
{
    /*
     * Forward: the kernel moves down, never onto bytes not yet read.
     * MVC moves its bytes one at a time from left to right (whatever the
     * overlap), as the loop below does, 256 at once: megabytes of kernel
     * and initrd go at memory speed, also under TCG.
     */
    while (n >= 256) {
        asm volatile("mvc 0(256,%0),0(%1)"
                     : : "a"(dst), "a"(src) : "memory");
        dst += 256;
        src += 256;
        n -= 256;
    }
    while (n--) {
        *dst++ = *src++;
    }
}

/*
 * Absolute addresses, as the kernel's parameter area is at fixed ones.
 * volatile: the compiler must not reason about stores to low addresses.
 */
#define ABS(a)  ((volatile u8 *)(unsigned long)(a))  /* volatile: see above */
#define ABS64(a) (*(volatile u64 *)(unsigned long)(a)) /* volatile: above */

void stage3b_main(void)
{
    struct stage3b_args *a = &stage3b_args;
    u64 max, n, i;
    static u64 psw[2] __attribute__((aligned(8)));

    copy((u8 *)ABS(PV_LINUX_START),
         (u8 *)(unsigned long)(a->kernel_addr + PV_LINUX_START),
         a->kernel_size - PV_LINUX_START);

    /*
     * The kernel says how long its command line may be (0: legacy).  A
     * longer one is refused, not cut: disabled wait 0x4609.  Without a
     * command-line component the kernel keeps its built-in one.
     */
    max = ABS64(PV_LINUX_CMDLINE_MAX);
    if (!max) {
        max = PV_LINUX_CMDLINE_LEGACY;
    }
    if (a->cmdline_size > max - 1) {
        psw[0] = 0x0002000180000000ULL;
        psw[1] = PV_STAGE3B_WAIT_CMDLINE;
        asm volatile("lpswe %0" : : "Q"(psw) : "memory");
    }
    if (a->cmdline_addr) {
        n = a->cmdline_size;
        for (i = 0; i < max; i++) {
            ABS(PV_LINUX_CMDLINE)[i] = 0;
        }
        copy((u8 *)ABS(PV_LINUX_CMDLINE),
             (u8 *)(unsigned long)a->cmdline_addr, n);
    }

    ABS64(PV_LINUX_INITRD_START) = a->initrd_addr;
    ABS64(PV_LINUX_INITRD_SIZE) = a->initrd_size;

    psw[0] = 0x0000000180000000ULL;
    psw[1] = PV_LINUX_START;
    asm volatile("lpswe %0" : : "Q"(psw) : "memory");
    __builtin_unreachable();
}
