/*
 * A minimal SCLP ASCII console for the Secure Execution loaders: set the
 * event mask once, then write ASCII console events.  QEMU answers the
 * service call at once, so nothing waits for the service interrupt.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "sclp.h"

#define SCLP_CMD_WRITE_EVENT_MASK   0x00780005
#define SCLP_CMD_WRITE_EVENT_DATA   0x00760005
#define SCLP_EVENT_ASCII            0x1a
#define SCLP_MASK_ASCII             0x00000040

struct sccb_header {
    u16 length;
    u8 function_code;
    u8 control_mask[3];
    u16 response_code;
} __attribute__((packed));

struct sccb_mask {
    struct sccb_header h;
    u16 reserved;
    u16 mask_length;
    u32 cp_receive_mask;
    u32 cp_send_mask;
    u32 send_mask;
    u32 receive_mask;
} __attribute__((packed));

struct sccb_write {
    struct sccb_header h;
    u16 ebh_length;
    u8 ebh_type;
    u8 ebh_flags;
    u16 ebh_reserved;
    char data[200];
} __attribute__((packed));

/* One SCCB, inside one page as the SCLP wants it */
static union {
    struct sccb_mask mask;
    struct sccb_write write;
    char page[4096];
} sccb __attribute__((aligned(4096)));

static int servc(u32 cmd, void *p)
{
    int cc;

    asm volatile("    .insn rre,0xb2200000,%1,%2\n"
                 "    ipm %0\n"
                 "    srl %0,28\n"
                 : "=&d"(cc) : "d"(cmd), "a"(p) : "cc", "memory");
    return cc;
}

void sclp_setup(void)
{
    char *c = sccb.page;
    int i;

    for (i = 0; i < (int)sizeof(sccb.mask); i++) {
        c[i] = 0;
    }
    sccb.mask.h.length = sizeof(sccb.mask);
    sccb.mask.mask_length = 4;
    sccb.mask.cp_receive_mask = SCLP_MASK_ASCII;
    sccb.mask.cp_send_mask = SCLP_MASK_ASCII;
    servc(SCLP_CMD_WRITE_EVENT_MASK, &sccb);
}

static void print_part(const char *s, int n);

/* @s in as many writes as its length needs */
void print(const char *s)
{
    int n;

    do {
        for (n = 0; s[n] && n < (int)sizeof(sccb.write.data); n++) {
            continue;
        }
        print_part(s, n);
        s += n;
    } while (*s);
}

static void print_part(const char *s, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        sccb.write.data[i] = s[i];
    }
    sccb.write.h.length = sizeof(struct sccb_header) + 6 + n;
    sccb.write.h.function_code = 0;
    sccb.write.h.control_mask[0] = 0;
    sccb.write.h.control_mask[1] = 0;
    sccb.write.h.control_mask[2] = 0;
    sccb.write.h.response_code = 0;
    sccb.write.ebh_length = 6 + n;
    sccb.write.ebh_type = SCLP_EVENT_ASCII;
    sccb.write.ebh_flags = 0;
    sccb.write.ebh_reserved = 0;
    servc(SCLP_CMD_WRITE_EVENT_DATA, &sccb);
}

char *hex(char *p, u64 v, int digits)
{
    int i;

    for (i = digits - 1; i >= 0; i--) {
        *p++ = "0123456789abcdef"[(v >> (4 * i)) & 0xf];
    }
    return p;
}

char *str(char *p, const char *s)
{
    while (*s) {
        *p++ = *s++;
    }
    return p;
}

