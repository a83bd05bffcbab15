/*
 * Stage code for the tests (linked at 0x10000): diag 308 subcodes 8 and
 * 10, fifty times, for an image whose protect fails; then 0x600d at
 * 0x12010 and a disabled wait.  The host must not print fifty errors.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define RESP        0x12000

    .section .text.entry,"ax"
    .globl _start
_start:
    llilf   %r9,RESP
    lghi    %r8,50
1:  llilf   %r2,0x13000
    lghi    %r4,8
    diag    %r2,%r4,0x308
    stg     %r3,0(%r9)
    lghi    %r4,10
    diag    %r2,%r4,0x308
    stg     %r3,8(%r9)
    brctg   %r8,1b
    mvghi   0x10(%r9),0x600d
    larl    %r1,wait_psw
    lpswe   0(%r1)

    .balign 8
wait_psw:
    .quad   0x0002000180000000, 0x600d
