/*
 * Protected code for the tests (component 0, linked at 0x15000): what
 * diag 308 does in a protected guest.
 *
 *   subcodes 8, 9 and 10: a specification exception each; the program
 *   interruption codes go to 0x16010, 0x16018 and 0x16020
 *   subcode 1 (load normal), after storing a short PSW at absolute 0: the
 *   CPU continues there, as after any reset the guest asks for, and
 *   stores 0x600d at 0x16028
 *
 * Anything else stores 0xbad at 0x16008.  Both ends are disabled waits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define MARK        0x16000

    .section .text.entry,"ax"
    .globl _start
_start:
    llilf   %r9,MARK
    larl    %r1,pgm_new_psw
    mvc     0x1d0(16,%r0),0(%r1)
    llilf   %r2,0x17000             /* a page-aligned operand */
    lghi    %r10,0

    larl    %r11,1f
    lghi    %r4,8
    diag    %r2,%r4,0x308
    j       fail
1:  larl    %r11,2f
    lghi    %r4,9
    diag    %r2,%r4,0x308
    j       fail
2:  larl    %r11,3f
    lghi    %r4,10
    diag    %r2,%r4,0x308
    j       fail

3:  larl    %r1,reset_psw
    mvc     0(8,%r0),0(%r1)
    lghi    %r4,1
    diag    %r2,%r4,0x308
    j       fail

after_reset:
    llilf   %r9,MARK
    mvghi   0x28(%r9),0x600d
    j       wait

pgm_handler:
    llgh    %r1,0x8e(%r0)           /* program interruption code */
    stg     %r1,0x10(%r10,%r9)
    aghi    %r10,8
    br      %r11

fail:
    mvghi   8(%r9),0xbad
wait:
    larl    %r1,wait_psw
    lpswe   0(%r1)

    .balign 8
pgm_new_psw:
    .quad   0x0000000180000000, pgm_handler
wait_psw:
    .quad   0x0002000180000000, 0x600d
reset_psw:
    .long   0x00080000, 0x80000000 + after_reset
