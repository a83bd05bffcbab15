/*
 * A two-CPU guest for the tests: diag 308 subcodes 8 and 10 racing.
 * Linked at 0x10000; the test builds the rest of the image around it:
 * an invalid PV IPL block at 0x11000 (header length 2^64 - 4096), the
 * valid block at 0x13000, and a Secure Execution header and components
 * whose protected code re-IPLs, so that the race starts over.
 *
 *   CPU 0  starts CPU 1, then forever: subcode 8 with the valid block
 *          (response 0x0001), subcode 10 (no return when it protects;
 *          0x0902 when no block is stored)
 *   CPU 1  forever: subcode 8 with the invalid block (response 0x0402)
 *
 * Any other response: stored at 0x12010 (CPU 0) or 0x12018 (CPU 1),
 * the other CPU stopped and a disabled wait at 0xbad0 + CPU, which
 * QEMU reports as a guest panic.  0x12000 and 0x12008 count CPU 1's
 * and CPU 0's calls.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define DATA        0x12000
#define BAD_IPLB    0x11000
#define GOOD_IPLB   0x13000

    .section .text.entry,"ax"
    .globl _start
_start:
    llilf   %r9,DATA
    /* CPU 1 starts at its restart new PSW (absolute 0x1a0) */
    larl    %r1,restart_psw
    mvc     0x1a0(16,%r0),0(%r1)
0:  lghi    %r3,1
    sigp    %r6,%r3,6               /* restart */
    jo      bad0                    /* cc 3: no CPU 1 */
    jh      0b                      /* cc 2: busy */

cpu0:
    llilf   %r2,GOOD_IPLB
    lghi    %r4,8
    diag    %r2,%r4,0x308
    cghi    %r3,1
    jne     bad0
    agsi    8(%r9),1
    lghi    %r4,10
    diag    %r2,%r4,0x308
    cghi    %r3,0x902
    je      cpu0
    j       bad0

cpu1:
    llilf   %r9,DATA
    llilf   %r2,BAD_IPLB
    lghi    %r4,8
1:  diag    %r2,%r4,0x308
    cghi    %r3,0x402
    jne     bad1
    agsi    0(%r9),1
    j       1b

bad0:
    stg     %r3,0x10(%r9)
    lghi    %r3,1
    larl    %r1,bad0_psw
    j       2f
bad1:
    stg     %r3,0x18(%r9)
    lghi    %r3,0
    larl    %r1,bad1_psw
2:  sigp    %r6,%r3,5               /* stop the other CPU */
    jh      2b
    lpswe   0(%r1)

    .balign 8
restart_psw:
    .quad   0x0000000080000000, cpu1
bad0_psw:
    .quad   0x0002000180000000, 0xbad0
bad1_psw:
    .quad   0x0002000180000000, 0xbad1
