/*
 * Protected code for the tests (component 0, linked at 0x15000): a device
 * DMA in flight into a page the guest stops sharing.
 *
 * It drives the virtio-blk-ccw device at subchannel 0.0.0000 (revision 1,
 * VERSION_1 and IOMMU_PLATFORM, one queue, polled): the channel program
 * page 0x18000, the ring page 0x19000, the used ring page 0x1a000 and the
 * data page 0x1b000 are shared.  It reads sector 0 into 0x1b000, tells
 * the device (diag 0x500), and removes shared access of 0x1b000 at once:
 * the device (a slow disk) still holds its mapping of the page and writes
 * the data there when the read completes.
 *
 * Results at 0x16000: 0x600d once the read completed (the guest may be
 * ended before), 0xbad and the step at 0x16008 for a failure; then a
 * disabled wait.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;

#define MARK        0x16000
#define SCHIB       0x16400
#define ORB         0x16500
#define IRB         0x16600
#define UVCB        0x16800
#define CCWS        0x18000     /* the CCW, then its data at +0x100 */
#define RING        0x19000     /* descriptors, available ring */
#define REQ         0x19800     /* request header, status at +0x100 */
#define USED        0x1a000
#define DATA        0x1b000
#define SCHID       0x00010000UL
#define QSIZE       16

/*
 * volatile: guest memory at fixed addresses, which the device reads and
 * writes behind the compiler's back.
 */
static volatile unsigned char *p8(unsigned long a) /* see above */
{
    return (volatile unsigned char *)a;     /* volatile: above */
}

static volatile unsigned short *p16(unsigned long a) /* see above */
{
    return (volatile unsigned short *)a;    /* volatile: above */
}

static volatile unsigned int *p32(unsigned long a) /* see above */
{
    return (volatile unsigned int *)a;      /* volatile: above */
}

static volatile unsigned long *p64(unsigned long a) /* see above */
{
    return (volatile unsigned long *)a;     /* volatile: above */
}

#define P8(a)       (*p8(a))
#define P16(a)      (*p16(a))
#define P32(a)      (*p32(a))
#define P64(a)      (*p64(a))

asm(".section .text.entry,\"ax\"\n"
    ".globl _start\n"
    "_start:\n"
    "    llilf %r15,0x1ef00\n"
    "    brasl %r14,start\n"
    ".previous\n");

static void zero(u64 a, u64 n)
{
    while (n--) {
        P8(a++) = 0;
    }
}

static void done(u64 mark, u64 step)
{
    /* a disabled-wait PSW, built where nothing else is */
    P64(MARK + 8) = step;
    P64(MARK) = mark;
    P64(0x16f00) = 0x0002000180000000UL;
    P64(0x16f08) = mark;
    asm volatile("lpswe 0(%0)" : : "a"(0x16f00UL) : "memory");
    __builtin_unreachable();
}

/* A UV call with the UVCB at UVCB: its condition code */
static int uvc(u16 cmd, u64 page)
{
    int cc;

    zero(UVCB, 0x30);
    P16(UVCB) = 0x30;
    P16(UVCB + 2) = cmd;
    P64(UVCB + 0x20) = page;
    asm volatile("lghi 0,0\n"
                 ".insn rrf,0xb9a40000,0,%1,0,0\n"
                 "ipm %0\n"
                 "srl %0,28\n"
                 : "=d"(cc) : "a"(UVCB) : "0", "cc", "memory");
    return cc;
}

static int io(u32 insn_is_tsch, u64 op)
{
    int cc;
    register u64 r1 asm("1") = SCHID;

    if (insn_is_tsch) {
        asm volatile("tsch 0(%2)\nipm %0\nsrl %0,28"
                     : "=d"(cc) : "d"(r1), "a"(op) : "cc", "memory");
    } else {
        asm volatile("ssch 0(%2)\nipm %0\nsrl %0,28"
                     : "=d"(cc) : "d"(r1), "a"(op) : "cc", "memory");
    }
    return cc;
}

/* One virtio-ccw command, its @len bytes of data at CCWS + 0x100 */
static void ccw(u8 cmd, u16 len, u64 step)
{
    u64 i;

    P8(CCWS) = cmd;
    P8(CCWS + 1) = 0x20;                /* suppress length indication */
    P16(CCWS + 2) = len;
    P32(CCWS + 4) = CCWS + 0x100;
    zero(ORB, 32);
    P32(ORB) = 0x1234;
    P16(ORB + 4) = 0x0080;              /* format-1 CCWs */
    P8(ORB + 6) = 0xff;                 /* logical path mask */
    P32(ORB + 8) = CCWS;
    if (io(0, ORB)) {
        done(0xbad, step);
    }
    for (i = 0; io(1, IRB); i++) {
        if (i > 100000000) {
            done(0xbad, step | 0x100);
        }
    }
    /* channel end and device end, nothing else */
    if (P8(IRB + 8) != 0x0c) {
        done(0xbad, step | 0x200 | (u64)P8(IRB + 8) << 12);
    }
}

static u16 le16(u16 v)
{
    return __builtin_bswap16(v);
}

static u32 le32(u32 v)
{
    return __builtin_bswap32(v);
}

static u64 le64(u64 v)
{
    return __builtin_bswap64(v);
}

static void desc(int i, u64 addr, u32 len, u16 flags)
{
    u64 d = RING + 16 * i;

    P64(d) = le64(addr);
    P32(d + 8) = le32(len);
    P16(d + 12) = le16(flags);
    P16(d + 14) = le16(i + 1);
}

/* called from _start */
void __attribute__((used)) start(void)
{
    register u64 r1 asm("1");
    register u64 r2 asm("2");
    register u64 r3 asm("3");
    register u64 r4 asm("4");
    u64 d = CCWS + 0x100, i;

    if (uvc(0x1000, CCWS) || uvc(0x1000, RING) || uvc(0x1000, USED) ||
        uvc(0x1000, DATA)) {
        done(0xbad, 1);
    }
    zero(RING, 0x1000);
    zero(USED, 0x1000);
    for (i = 0; i < 512; i++) {
        P8(DATA + i) = 0x11;
    }

    /* enable the subchannel */
    r1 = SCHID;
    asm volatile("stsch 0(%1)" : : "d"(r1), "a"(SCHIB) : "cc", "memory");
    P8(SCHIB + 5) |= 0x80;
    asm volatile("msch 0(%1)" : : "d"(r1), "a"(SCHIB) : "cc", "memory");

    /* revision 1; status ACKNOWLEDGE | DRIVER */
    P16(d) = 1;
    P16(d + 2) = 0;
    ccw(0x83, 4, 2);
    P8(d) = 0x03;
    ccw(0x31, 1, 3);
    /* features 32 (VERSION_1) and 33 (IOMMU_PLATFORM), none below */
    P32(d) = 0;
    P8(d + 4) = 0;
    ccw(0x11, 5, 4);
    P32(d) = le32(0x3);
    P8(d + 4) = 1;
    ccw(0x11, 5, 5);
    P8(d) = 0x0b;                       /* FEATURES_OK */
    ccw(0x31, 1, 6);
    /* queue 0: QSIZE descriptors at RING, available ring after them */
    zero(d, 32);
    P64(d) = RING;
    P16(d + 14) = QSIZE;
    P64(d + 16) = RING + 16 * QSIZE;
    P64(d + 24) = USED;
    ccw(0x13, 32, 7);
    P8(d) = 0x0f;                       /* DRIVER_OK */
    ccw(0x31, 1, 8);

    /* read sector 0: header, data, status */
    zero(REQ, 0x200);
    P8(REQ + 0x100) = 0xff;
    desc(0, REQ, 16, 1);
    desc(1, DATA, 512, 1 | 2);
    desc(2, REQ + 0x100, 1, 2);
    P16(RING + 16 * QSIZE + 4) = le16(0);          /* ring[0] = head 0 */
    asm volatile("" : : : "memory");
    P16(RING + 16 * QSIZE + 2) = le16(1);          /* idx */
    asm volatile("bcr 14,0" : : : "memory");

    r1 = 3;                                 /* virtio-ccw notify */
    r2 = SCHID;
    r3 = 0;
    r4 = 0;
    asm volatile("diag 2,4,0x500"
                 : "+d"(r2) : "d"(r1), "d"(r3), "d"(r4) : "cc", "memory");

    /* and stop sharing the data page while the read is in flight */
    if (uvc(0x1001, DATA)) {
        done(0xbad, 9);
    }
    for (i = 0; le16(P16(USED + 2)) != 1; i++) {
        if (i > 2000000000UL) {
            done(0xbad, 10);
        }
    }
    done(0x600d, P8(REQ + 0x100));
}
