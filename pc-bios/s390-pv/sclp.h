/*
 * A minimal SCLP ASCII console for the Secure Execution loaders.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef S390_PV_SCLP_H
#define S390_PV_SCLP_H

typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

void sclp_setup(void);
void print(const char *s);
char *hex(char *p, u64 v, int digits);
char *str(char *p, const char *s);

#endif
