/*
 * Secure Execution boot loaders: what stage3a, stage3b and the image
 * builder (s390-pvimg) agree on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef S390_PV_LOADER_H
#define S390_PV_LOADER_H

/* Image layout for -kernel / zipl boot (as C genprotimg lays it out) */
#define PV_IMG_STAGE3A          0x10000
#define PV_IMG_IPIB             0x13000
#define PV_IMG_HDR              0x14000
#define PV_IMG_COMPONENTS       0x15000
#define PV_IMG_STAGE3A_MAX      (PV_IMG_IPIB - PV_IMG_STAGE3A)

/*
 * pvimg (s390-tools 2.36+) images: a packed 28-byte block at 0xc000,
 * "SeImgLnx", SE header offset (8 bytes), version (4), IPL block offset
 * (8), all big-endian
 */
#define PV_IMG_META             0xc000
#define PV_IMG_META_LEN         28

/* Linux's parameter area, relative to absolute 0 */
#define PV_LINUX_START          0x10000
#define PV_LINUX_INITRD_START   0x10408
#define PV_LINUX_INITRD_SIZE    0x10410
#define PV_LINUX_CMDLINE_MAX    0x10430
#define PV_LINUX_CMDLINE        0x10480
#define PV_LINUX_CMDLINE_LEGACY 896
/* stage3b's disabled wait for a command line longer than the kernel's */
#define PV_STAGE3B_WAIT_CMDLINE 0x4609

/* Disabled-wait codes of stage3a */
#define PV_WAIT_NO_UNPACK       0x4607
#define PV_WAIT_DIAG308         0x4608

/*
 * The last 24 bytes of stage3a, filled in by the builder: offsets from
 * stage3a's start (big-endian, as everything here).
 */
struct stage3a_args {
    unsigned long long hdr_offs;
    unsigned long long hdr_size;
    unsigned long long ipib_offs;
};

/* The last 48 bytes of stage3b, filled in by the builder */
struct stage3b_args {
    unsigned long long kernel_addr;
    unsigned long long kernel_size;
    unsigned long long cmdline_addr;
    unsigned long long cmdline_size;
    unsigned long long initrd_addr;
    unsigned long long initrd_size;
};

#endif
