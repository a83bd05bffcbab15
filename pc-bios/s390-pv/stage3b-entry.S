/*
 * stage3b entry: a stack inside the image, then C.  Position independent.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .section .text.entry,"ax"
    .globl _start
_start:
    larl    %r15,stack_top
    aghi    %r15,-160
    brasl   %r14,stage3b_main
0:  j       0b

    .section .data.stack,"aw"
    .balign 8
    .space  4096
stack_top:
