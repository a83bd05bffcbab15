/*
 * Stage code for the tests (linked at 0x10000, loaded with -kernel behind
 * a short PSW, no protection): an SCLP service call whose SCCB lies
 * beyond guest memory (0x10000000, for -m 64M) must end with an
 * addressing exception.  The program interruption code goes to 0x12010,
 * then 0x600d to 0x12018; no exception stores 0xbad at 0x12008.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define DATA        0x12000
#define SCCB        0x10000000
#define READ_SCP_INFO 0x00020001

    .section .text.entry,"ax"
    .globl _start
_start:
    llilf   %r9,DATA
    larl    %r1,pgm_new_psw
    mvc     0x1d0(16,%r0),0(%r1)
    llilf   %r2,SCCB
    llilf   %r4,READ_SCP_INFO
    .insn   rre,0xb2200000,%r4,%r2      /* servc */
    mvghi   8(%r9),0xbad
    j       wait

pgm_handler:
    llgh    %r1,0x8e(%r0)               /* program interruption code */
    stg     %r1,0x10(%r9)
    mvghi   0x18(%r9),0x600d
wait:
    larl    %r1,wait_psw
    lpswe   0(%r1)

    .balign 8
pgm_new_psw:
    .quad   0x0000000180000000, pgm_handler
wait_psw:
    .quad   0x0002000180000000, 0x600d
