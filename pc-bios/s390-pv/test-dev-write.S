/*
 * Protected code for the tests (component 0, linked at 0x15000): a
 * channel program of a protected guest, run with one CCW device at
 * subchannel 0.0.0000.  The CCW page 0x18000 and the data page 0x19000
 * are shared; 0x1a000 is not (0x11 bytes).
 *
 *   SENSE ID into 0x19000: the device writes it there (shared)
 *   SENSE ID into 0x1a000: a device write to a page the guest did not
 *   share, which ends the guest
 *
 * Condition codes of STSCH, MSCH, SSCH, TSCH, SSCH go to 0x16010 +
 * 8 * n; 0x600d at 0x16000 after the second SSCH (the guest may be ended
 * before it gets there).  Both ends are disabled waits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define MARK        0x16000
#define SCHIB       0x16400
#define ORB         0x16500
#define IRB         0x16600
#define UVCB        0x16800
#define CCW         0x18000
#define SHARED      0x19000
#define SECRET      0x1a000

    .section .text.entry,"ax"
    .globl _start
_start:
    llilf   %r9,MARK
    lghi    %r10,0
    /* share the CCW and the first data page */
    llilf   %r2,UVCB
    llilf   %r6,CCW
    bras    %r14,share
    llilf   %r6,SHARED
    bras    %r14,share
    /* the page not shared: 0x11 everywhere */
    llilf   %r1,SECRET
    mvi     0(%r1),0x11
    mvc     1(255,%r1),0(%r1)

    /* enable subchannel 0.0.0000 */
    llilf   %r1,0x00010000
    llilf   %r4,SCHIB
    stsch   0(%r4)
    bras    %r14,record
    oi      5(%r4),0x80
    msch    0(%r4)
    bras    %r14,record

    /* SENSE ID into the shared page, then clear the status */
    llilf   %r7,SHARED
    bras    %r14,sense_id
    llilf   %r3,IRB
    tsch    0(%r3)
    bras    %r14,record
    /* SENSE ID into the page not shared */
    llilf   %r7,SECRET
    bras    %r14,sense_id
    mvghi   0(%r9),0x600d
    larl    %r1,wait_psw
    lpswe   0(%r1)

/* SSCH of one format-1 SENSE ID CCW with its data at %r7 */
sense_id:
    lgr     %r13,%r14
    llilf   %r5,CCW
    larl    %r1,ccw_sense_id
    mvc     0(8,%r5),0(%r1)
    st      %r7,4(%r5)
    llilf   %r5,ORB
    xc      0(32,%r5),0(%r5)
    mvhi    0(%r5),0x1234
    mvhhi   4(%r5),0x0080           /* format-1 CCWs */
    mvi     6(%r5),0xff             /* logical path mask */
    llilf   %r1,CCW
    st      %r1,8(%r5)
    llilf   %r1,0x00010000
    ssch    0(%r5)
    lgr     %r14,%r13
record:
    ipm     %r5
    srl     %r5,28
    stg     %r5,0x10(%r10,%r9)
    aghi    %r10,8
    br      %r14

/* Set Shared Access of page %r6, UVCB at %r2 */
share:
    xc      0(0x30,%r2),0(%r2)
    mvhhi   0(%r2),0x30
    mvhhi   2(%r2),0x1000
    stg     %r6,0x20(%r2)
    lghi    %r0,0
    .insn   rrf,0xb9a40000,%r0,%r2,0,0
    jnz     fail
    br      %r14

fail:
    mvghi   8(%r9),0xbad
    larl    %r1,wait_psw
    lpswe   0(%r1)

    .balign 8
ccw_sense_id:
    .byte   0xe4, 0x20              /* SENSE ID, suppress length */
    .short  0x0020
    .long   0
wait_psw:
    .quad   0x0002000180000000, 0x600d
