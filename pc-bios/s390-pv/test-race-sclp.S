/*
 * A two-CPU guest for the tests: the SCCB length changing under an SCLP
 * service call.  Linked at 0x10000 and loaded with -kernel behind a short
 * PSW at 0 (no protection needed).
 *
 *   CPU 0  starts CPU 1, then forever: Read SCP Info with the SCCB at
 *          0x20000, counting the calls at 0x12008
 *   CPU 1  forever: the SCCB's length 8, then 0x1000, counting at 0x12000
 *
 * A condition code other than 0 (initiated) or 2 (busy): stored at
 * 0x12010, CPU 1 stopped and a disabled wait at 0xbad0.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define DATA        0x12000
#define SCCB        0x20000
#define READ_SCP_INFO 0x00020001

    .section .text.entry,"ax"
    .globl _start
_start:
    llilf   %r9,DATA
    larl    %r1,restart_psw
    mvc     0x1a0(16,%r0),0(%r1)
0:  lghi    %r3,1
    sigp    %r6,%r3,6               /* restart CPU 1 */
    jo      bad0
    jh      0b

    llilf   %r2,SCCB
    llilf   %r4,READ_SCP_INFO
cpu0:
    mvhhi   0(%r2),0x1000
    .insn   rre,0xb2200000,%r4,%r2      /* servc */
    ipm     %r5
    srl     %r5,28
    chi     %r5,1
    je      bad0
    chi     %r5,3
    je      bad0
    agsi    8(%r9),1
    j       cpu0

cpu1:
    llilf   %r9,DATA
    llilf   %r2,SCCB
1:  mvhhi   0(%r2),8
    mvhhi   0(%r2),0x1000
    agsi    0(%r9),1
    j       1b

bad0:
    stg     %r5,0x10(%r9)
    lghi    %r3,1
2:  sigp    %r6,%r3,5               /* stop CPU 1 */
    jh      2b
    larl    %r1,bad0_psw
    lpswe   0(%r1)

    .balign 8
restart_psw:
    .quad   0x0000000080000000, cpu1
bad0_psw:
    .quad   0x0002000180000000, 0xbad0
