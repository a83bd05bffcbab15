/*
 * Stage code for the tests (linked at 0x10000): diag 308 subcode 8, then
 * subcode 10 through EXECUTE RELATIVE LONG (6 bytes).  When the protect
 * fails, the guest must go on after the EXRL: there it stores the
 * subcode 10 response at 0x12008 and 0x600d at 0x12010.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define RESP        0x12000

    .section .text.entry,"ax"
    .globl _start
_start:
    llilf   %r9,RESP
    llilf   %r2,0x13000
    lghi    %r4,8
    diag    %r2,%r4,0x308
    stg     %r3,0(%r9)
    lghi    %r4,10
    exrl    %r0,target
    stg     %r3,8(%r9)
    mvghi   0x10(%r9),0x600d
    larl    %r1,wait_psw
    lpswe   0(%r1)

target:
    diag    %r2,%r4,0x308

    .balign 8
wait_psw:
    .quad   0x0002000180000000, 0x600d
