/*
 * Protected code for the tests (component 0, linked at 0x15000): the
 * attestation and secret calls of the software Ultravisor raced on two
 * CPUs.  The test writes an add-secret request (a meta secret) at
 * 0x1c000 and an attestation request at 0x1e000 once this code says it
 * is ready (1 at 0x16028), then sets 0x16030.  Each CPU then runs ITER
 * rounds of Add Secret, Retrieve Attestation Measurement and List
 * Secrets, each of which must succeed, and stores how many did: CPU 0 at
 * 0x16010, CPU 1 at 0x16018.  Then CPU 0 locks the store and adds once
 * more: (cc << 16) | rc of that at 0x16020.  0x600d at 0x16000 when all
 * is done; anything unexpected stores 0xbad at 0x16008.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define MARK        0x16000
#define UVCB0       0x16400
#define UVCB1       0x16600
#define ASRCB       0x1c000
#define ARCB        0x1e000
#define MEAS0       0x1f000
#define MEAS1       0x1f200
#define LIST0       0x20000
#define LIST1       0x21000
#define ITER        200

/* UVC r0,r2 */
#define UVC         .insn rrf,0xb9a40000,%r0,%r2,0,0

    .section .text.entry,"ax"
    .globl _start
_start:
    llilf   %r9,MARK
    larl    %r1,pgm_new_psw
    mvc     0x1d0(16,%r0),0(%r1)
    larl    %r1,restart_psw
    mvc     0x1a0(16,%r0),0(%r1)
    mvghi   0x28(%r9),1             /* ready */
1:  lg      %r1,0x30(%r9)           /* wait for the requests */
    ltgr    %r1,%r1
    jz      1b
    lghi    %r3,1
1:  sigp    %r6,%r3,6               /* restart CPU 1 */
    jo      fail
    jh      1b
    llilf   %r2,UVCB0
    llilf   %r7,MEAS0
    llilf   %r8,LIST0
    bras    %r14,rounds
    stg     %r10,0x10(%r9)
    /* wait for CPU 1 */
1:  lg      %r1,8(%r9)
    ltgr    %r1,%r1
    jnz     wait
    lg      %r1,0x18(%r9)
    ltgr    %r1,%r1
    jz      1b
    /* lock, then add once more */
    bras    %r14,clear
    mvhhi   0(%r2),0x40
    mvhhi   2(%r2),0x1034
    lghi    %r0,0
    UVC
    jnz     fail
    bras    %r14,clear
    mvhhi   0(%r2),0x48
    mvhhi   2(%r2),0x1031
    llilf   %r1,ASRCB
    stg     %r1,0x20(%r2)
    lghi    %r0,0
    UVC
    ipm     %r5
    srl     %r5,28
    sllg    %r5,%r5,16
    llgh    %r1,4(%r2)
    ogr     %r5,%r1
    stg     %r5,0x20(%r9)
    mvghi   0(%r9),0x600d
    j       wait

cpu1:
    llilf   %r9,MARK
    llilf   %r2,UVCB1
    llilf   %r7,MEAS1
    llilf   %r8,LIST1
    bras    %r14,rounds
    stg     %r10,0x18(%r9)
    j       wait

/* ITER rounds of add, attest, list with the UVCB at %r2; %r10 counts */
rounds:
    lgr     %r13,%r14
    lghi    %r10,0
    lghi    %r12,ITER
0:  bras    %r14,clear
    mvhhi   0(%r2),0x48
    mvhhi   2(%r2),0x1031
    llilf   %r1,ASRCB
    stg     %r1,0x20(%r2)
    lghi    %r0,0
    UVC
    jnz     fail
    aghi    %r10,1
    bras    %r14,clear
    mvhhi   0(%r2),0x188
    mvhhi   2(%r2),0x1020
    llilf   %r1,ARCB
    stg     %r1,0x18(%r2)
    mvhi    0x13c(%r2),64
    stg     %r7,0x140(%r2)
    mvhi    0x15c(%r2),64
    la      %r1,0x100(%r7)
    stg     %r1,0x160(%r2)
    lghi    %r0,0
    UVC
    jnz     fail
    aghi    %r10,1
    bras    %r14,clear
    mvhhi   0(%r2),0x48
    mvhhi   2(%r2),0x1033
    stg     %r8,0x20(%r2)
    lghi    %r0,0
    UVC
    jnz     fail
    lgh     %r1,2(%r8)              /* the list: no listable secret */
    ltgr    %r1,%r1
    jnz     fail
    aghi    %r10,1
    brct    %r12,0b
    br      %r13

/* Clear the 0x188-byte UVCB at %r2. */
clear:
    xc      0(0x100,%r2),0(%r2)
    xc      0x100(0x88,%r2),0x100(%r2)
    br      %r14

pgm_handler:
fail:
    mvghi   8(%r9),0xbad
wait:
    larl    %r1,wait_psw
    lpswe   0(%r1)

    .balign 8
pgm_new_psw:
    .quad   0x0000000180000000, pgm_handler
restart_psw:
    .quad   0x0000000180000000, cpu1
wait_psw:
    .quad   0x0002000180000000, 0x600d
