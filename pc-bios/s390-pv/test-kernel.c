/*
 * A tiny s390x "kernel" for the image-builder tests.  Laid out like a
 * Linux image (entry at 0x10000, parameter area at 0x10400), it prints
 * what stage3b handed it over the SCLP console and stops:
 *
 *   TINY-KERNEL-OK initrd=<size> cmdline=<command line>
 *
 * With "reipl" in its command line it then re-IPLs (diag 308 subcode 3)
 * instead, so that a protected boot follows another, for ever.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "loader.h"
#include "sclp.h"

/* Is @word one of the blank-separated words of @s? */
static int has_word(const char *s, const char *word)
{
    int i;

    while (*s) {
        for (i = 0; word[i] && s[i] == word[i]; i++) {
            ;
        }
        if (!word[i] && (s[i] == ' ' || s[i] == 0)) {
            return 1;
        }
        while (*s && *s != ' ') {
            s++;
        }
        while (*s == ' ') {
            s++;
        }
    }
    return 0;
}

void tiny_main(void)
{
    static char buf[1100];
    const char *cmdline = (const char *)(unsigned long)PV_LINUX_CMDLINE;
    /* volatile: a fixed low address, written by stage3b */
    volatile u64 *initrd_size = (volatile u64 *)(unsigned long)
                                PV_LINUX_INITRD_SIZE;
    static u64 psw[2] __attribute__((aligned(8)));
    char *p = buf;
    int i;

    sclp_setup();
    p = str(p, "TINY-KERNEL-OK initrd=0x");
    p = hex(p, *initrd_size, 8);
    p = str(p, " cmdline=");
    for (i = 0; i < 1000 && cmdline[i]; i++) {
        *p++ = cmdline[i];
    }
    p = str(p, "\n");
    *p = 0;
    print(buf);

    if (has_word(cmdline, "reipl")) {
        register unsigned long r2 asm("2") = 0;
        register unsigned long r4 asm("4") = 3;

        asm volatile("diag %0,%1,0x308" : : "d"(r2), "d"(r4) : "memory");
    }

    /* a disabled wait at 0xfff: the guest quiesces (a clean shutdown) */
    psw[0] = 0x0002000180000000ULL;
    psw[1] = 0xfff;
    asm volatile("lpswe %0" : : "Q"(psw) : "memory");
    __builtin_unreachable();
}
