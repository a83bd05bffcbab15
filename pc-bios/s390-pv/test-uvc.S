/*
 * Protected code for the tests (component 0, linked at 0x15000): the
 * ultravisor-call facility and UVC of a protected guest.  Run with two
 * CPUs and 64 MiB.  Each step stores one record at 0x16010 + 8 * n:
 * (cc << 16) | rc of a UV call, a plain value, or 0xffff0000 | the
 * program interruption code it ended with.
 *
 *   0  stfle byte 19 (bit 158 is 0x02)
 *   1  Query, len 0x120
 *   2  its installed-calls dword 0;  3  its max CPU id (0x9e)
 *   4  Query, len 0xa0;  5  Query, len 0xa8
 *   6  Set Shared Access, len 0x28;  7  the same of page 0x18000
 *   8  of 64 MiB + 4 KiB (outside memory);  9  of 0x19010 (unaligned)
 *   10 Remove Shared Access of 0x18000;  11  the same, len 0x28
 *   12 command 0x4242, len 8;  13  Initialize UV (0x000f, host-only)
 *   14 Unpack (0x0301);  15  Set Secure Config Params (0x0300)
 *   16 UVC with bits 16-23 nonzero;  17  the UVCB outside memory
 *   18 UVC in problem state;  19  Set Shared Access of 0x19000
 *
 * Page 0x19000 (left shared) and page 0x1a000 (not shared) then hold
 * marker strings.  Last, a race on one bitmap word: CPU 1 shares and
 * unshares the odd pages of 0x100000-0x13f000, CPU 0 the even ones, 1000
 * times; CPU 0 leaves its 32 pages shared, CPU 1 none.  0x600d at 0x16000
 * when all is done; anything unexpected stores 0xbad at 0x16008.  Both
 * ends are disabled waits.
 *
 * Unprotected, the same code records no bit 158 and an operation
 * exception for every UVC.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define MARK        0x16000
#define UVCB        0x16400
#define STFLE       0x16800
#define RACE        0x100000
#define ITER        1000

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
    llilf   %r2,UVCB
    lghi    %r10,0

    /* 0: facility 158 */
    lghi    %r0,2
    llilf   %r1,STFLE
    .insn   s,0xb2b00000,0(%r1)     /* stfle */
    llgc    %r5,19(%r1)
    bras    %r14,record

    /* 1-3: Query */
    lghi    %r3,0x120
    lghi    %r4,0x0001
    larl    %r11,1f
    bras    %r14,uvc
1:  lg      %r5,0x10(%r2)
    bras    %r14,record
    llgh    %r5,0x9e(%r2)
    bras    %r14,record
    /* 4, 5: short Query */
    lghi    %r3,0xa0
    larl    %r11,1f
    bras    %r14,uvc
1:  lghi    %r3,0xa8
    larl    %r11,1f
    bras    %r14,uvc

    /* 6-9: Set Shared Access */
1:  lghi    %r3,0x28
    lghi    %r4,0x1000
    llilf   %r6,0x18000
    larl    %r11,1f
    bras    %r14,uvc
1:  lghi    %r3,0x30
    larl    %r11,1f
    bras    %r14,uvc
1:  llilf   %r6,0x4001000
    larl    %r11,1f
    bras    %r14,uvc
1:  llilf   %r6,0x19010
    larl    %r11,1f
    bras    %r14,uvc

    /* 10, 11: Remove Shared Access */
1:  lghi    %r4,0x1001
    llilf   %r6,0x18000
    larl    %r11,1f
    bras    %r14,uvc
1:  lghi    %r3,0x28
    larl    %r11,1f
    bras    %r14,uvc

    /* 12-15: unknown and host-only commands */
1:  lghi    %r3,8
    lghi    %r4,0x4242
    larl    %r11,1f
    bras    %r14,uvc
1:  lghi    %r3,0x88
    lghi    %r4,0x000f
    larl    %r11,1f
    bras    %r14,uvc
1:  lghi    %r3,0x60
    lghi    %r4,0x0301
    larl    %r11,1f
    bras    %r14,uvc
1:  lghi    %r3,0x40
    lghi    %r4,0x0300
    larl    %r11,1f
    bras    %r14,uvc

    /* 16: bits 16-23 nonzero */
1:  lghi    %r3,0x120
    lghi    %r4,0x0001
    bras    %r14,fill
    larl    %r11,1f
    .insn   rrf,0xb9a40000,%r0,%r2,4,2
    j       fail
    /* 17: the UVCB outside memory */
1:  llilf   %r7,0x4001000
    larl    %r11,1f
    .insn   rrf,0xb9a40000,%r0,%r7,0,0
    j       fail
    /* 18: problem state */
1:  larl    %r11,1f
    larl    %r1,problem_psw
    lpswe   0(%r1)
problem:
    UVC
    j       fail

    /* 19: share page 0x19000 and leave it so */
1:  lghi    %r3,0x30
    lghi    %r4,0x1000
    llilf   %r6,0x19000
    larl    %r11,1f
    bras    %r14,uvc
1:  llilf   %r1,0x19000
    larl    %r3,shared_text
    mvc     0(32,%r1),0(%r3)
    llilf   %r1,0x1a000
    larl    %r3,secret_text
    mvc     0(32,%r1),0(%r3)

    /* the race: CPU 1 takes the odd pages, this CPU the even ones */
    llilf   %r1,STFLE
    tm      19(%r1),0x02
    jz      done                    /* not protected: no UV calls */
    lghi    %r3,1
1:  sigp    %r6,%r3,6               /* restart CPU 1 */
    jo      fail
    jh      1b
    llilf   %r8,RACE
    lghi    %r12,ITER
    bras    %r14,race
    /* wait for CPU 1 */
1:  lg      %r1,8(%r9)
    ltgr    %r1,%r1
    jnz     wait
    lg      %r1,0x200(%r9)
    cghi    %r1,ITER
    jne     1b
done:
    mvghi   0(%r9),0x600d
    j       wait

cpu1:
    llilf   %r9,MARK
    llilf   %r2,UVCB + 0x100
    llilf   %r8,RACE + 0x1000
    lghi    %r12,ITER
    bras    %r14,race
    llilf   %r1,ITER
    stg     %r1,0x200(%r9)
    larl    %r1,wait_psw
    lpswe   0(%r1)

/*
 * %r12 times: share then unshare the 32 pages 0x2000 apart from %r8,
 * with the UVCB at %r2; the even pages (%r8 = RACE) end shared.
 */
race:
    lgr     %r13,%r14
    lghi    %r3,0x30
0:  lghi    %r4,0x1000
    bras    %r14,race_pages
    lghi    %r4,0x1001
    llilf   %r1,RACE
    cgr     %r8,%r1
    jne     1f
    chi     %r12,1                  /* the last round: leave them */
    je      2f
1:  bras    %r14,race_pages
2:  brct    %r12,0b
    br      %r13

race_pages:
    lgr     %r7,%r14
    lgr     %r6,%r8
    lghi    %r0,32
1:  mvhhi   0(%r2),0x30
    sth     %r4,2(%r2)
    stg     %r6,0x20(%r2)
    lgr     %r1,%r0
    lghi    %r0,0
    UVC
    lgr     %r0,%r1
    jnz     race_fail
    aghi    %r6,0x2000
    brct    %r0,1b
    br      %r7
race_fail:
    mvghi   8(%r9),0xbad
    larl    %r1,wait_psw
    lpswe   0(%r1)

/* Fill the UVCB: len %r3, cmd %r4, page address %r6. */
fill:
    xc      0(0x100,%r2),0(%r2)
    xc      0x100(0x30,%r2),0x100(%r2)
    sth     %r3,0(%r2)
    sth     %r4,2(%r2)
    stg     %r6,0x20(%r2)
    br      %r14

/* UV call with fill(), recorded; a program interruption goes to %r11. */
uvc:
    lgr     %r13,%r14
    bras    %r14,fill
    lghi    %r0,0
    UVC
    ipm     %r5
    srl     %r5,28
    sllg    %r5,%r5,16
    llgh    %r1,4(%r2)
    ogr     %r5,%r1
    lgr     %r14,%r13
record:
    stg     %r5,0x10(%r10,%r9)
    aghi    %r10,8
    br      %r14

pgm_handler:
    llgh    %r5,0x8e(%r0)
    oilh    %r5,0xffff
    stg     %r5,0x10(%r10,%r9)
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
restart_psw:
    .quad   0x0000000180000000, cpu1
problem_psw:
    .quad   0x0001000180000000, problem
wait_psw:
    .quad   0x0002000180000000, 0x600d
shared_text:
    .ascii  "SHARED-PAGE-MARKER-0123456789ab"
    .byte   0
secret_text:
    .ascii  "SECRET-PAGE-MARKER-0123456789ab"
    .byte   0
