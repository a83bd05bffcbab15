/*
 * s390x Protected Virtualization: the protected dump format
 *
 * The key derivation, the AES-256-GCM of the completion data and CPU
 * notes, and the page tweaks; see include/hw/s390x/pv-dump.h.  nettle
 * for GCM and (through pv-se.c) HKDF, as the rest of the format code.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <nettle/gcm.h>
#include <nettle/memops.h>
#include "qemu/bswap.h"
#include "hw/s390x/pv-dump.h"

void s390_pv_dump_key(const uint8_t cck[32], const uint8_t seed[64],
                      uint8_t key[32])
{
    s390_pv_hkdf_sha512(seed, 64, cck, 32, S390_PV_DUMP_KEY_INFO, key, 32);
}

static void dump_gcm(const uint8_t key[32], uint8_t *buf, size_t len,
                     size_t aad_len, size_t iv_off, bool encrypt,
                     uint8_t tag[16])
{
    struct gcm_aes256_ctx gcm;
    size_t n = len - aad_len - 16;

    assert(len > aad_len + 16 && iv_off + 12 <= aad_len);
    gcm_aes256_set_key(&gcm, key);
    gcm_aes256_set_iv(&gcm, 12, buf + iv_off);
    gcm_aes256_update(&gcm, aad_len, buf);
    if (encrypt) {
        gcm_aes256_encrypt(&gcm, n, buf + aad_len, buf + aad_len);
    } else {
        gcm_aes256_decrypt(&gcm, n, buf + aad_len, buf + aad_len);
    }
    gcm_aes256_digest(&gcm, 16, tag);
    s390_pv_se_wipe(&gcm, sizeof(gcm));
}

void s390_pv_dump_seal(const uint8_t key[32], uint8_t *buf, size_t len,
                       size_t aad_len, size_t iv_off)
{
    dump_gcm(key, buf, len, aad_len, iv_off, true, buf + len - 16);
}

bool s390_pv_dump_open(const uint8_t key[32], uint8_t *buf, size_t len,
                       size_t aad_len, size_t iv_off)
{
    uint8_t tag[16];

    dump_gcm(key, buf, len, aad_len, iv_off, false, tag);
    if (!memeql_sec(tag, buf + len - 16, 16)) {
        s390_pv_se_wipe(buf + aad_len, len - aad_len - 16);
        return false;
    }
    return true;
}

void s390_pv_dump_tweak(const uint8_t comp[16], const uint8_t nonce[16],
                        uint8_t tweak[16])
{
    int i;

    for (i = 0; i < 16; i++) {
        tweak[i] = comp[i] | nonce[i];
    }
}

void s390_pv_dump_tc_page(uint8_t comp[16], uint64_t pfn)
{
    /* the first word 0: never the special indicator */
    memset(comp, 0, 8);
    stq_be_p(comp + 8, pfn);
}

void s390_pv_dump_tc_special(uint8_t comp[16], uint8_t flags)
{
    memset(comp, 0, 16);
    stl_be_p(comp, S390_PV_DUMP_TC_SPECIAL);
    comp[15] = flags;
}

S390PVPageState s390_pv_dump_page_state(const uint8_t comp[16])
{
    uint8_t f = comp[15];

    if (ldl_be_p(comp) != S390_PV_DUMP_TC_SPECIAL) {
        return S390_PV_PAGE_ENCRYPTED;
    }
    /* reserved flags set, or none of zero, shared, mapped: invalid */
    if (comp[14] || (f & ~0x07) || !f) {
        return S390_PV_PAGE_INVALID;
    }
    f &= ~S390_PV_DUMP_TC_MAPPED;
    if (f == S390_PV_DUMP_TC_ZERO) {
        return S390_PV_PAGE_ZERO;
    }
    if (f == S390_PV_DUMP_TC_SHARED) {
        return S390_PV_PAGE_SHARED;
    }
    return S390_PV_PAGE_INVALID;
}
