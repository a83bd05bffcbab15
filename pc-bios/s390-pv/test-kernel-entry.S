/*
 * Entry of the tiny test kernel: at 0x10000 like Linux, jumping over the
 * parameter area (0x10400-0x10880) that stage3b fills in.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .section .text.entry,"ax"
    .globl _start
_start:
    jg      start2

    .section .text.start2,"ax"
start2:
    larl    %r15,stack_top
    aghi    %r15,-160
    brasl   %r14,tiny_main
0:  j       0b

    .section .bss
    .balign 8
    .space  8192
stack_top:
