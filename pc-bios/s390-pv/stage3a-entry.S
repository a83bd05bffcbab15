/*
 * stage3a entry: over the Linux parameter area, 64-bit addressing, a
 * stack, then C.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .section .text.entry,"ax"
    .globl _start
_start:
    jg      start

    .section .text.start,"ax"
start:
    sam64
    larl    %r15,stack_top
    aghi    %r15,-160
    brasl   %r14,stage3a_main
0:  j       0b

    .section .bss
    .balign 8
    .space  8192
stack_top:
