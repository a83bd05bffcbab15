/*
 * s390x Protected Virtualization: attestation and the secret store of the
 * software Ultravisor
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_S390X_PV_SW_SECRETS_H
#define HW_S390X_PV_SW_SECRETS_H

#include "hw/s390x/pv-sw.h"
#include "hw/s390x/pv-req.h"

typedef struct S390PVSecretStore S390PVSecretStore;

S390PVSecretStore *s390_pv_secrets_new(void);
void s390_pv_secrets_free(S390PVSecretStore *st);

/*
 * A protected boot of the image whose opened header is @hdr begins (its
 * customer communication key is still there): a new configuration unique
 * ID, an empty unlocked store.
 */
void s390_pv_secrets_boot(S390PVSecretStore *st, const S390PVHeader *hdr);
/* A reset of the protected guest: the store is emptied and unlocked. */
void s390_pv_secrets_reset(S390PVSecretStore *st);
/* The guest left protected mode: nothing of the boot is kept. */
void s390_pv_secrets_end(S390PVSecretStore *st);

/*
 * Retrieve Attestation Measurement, Add / List / Lock / Retrieve Secret
 * (@cmd) on the host copy @cb of a UVCB whose length the caller checked;
 * guest buffers through @mem.  @hdr is the running image's header, @keys
 * the host keys.  Returns the call's rc and stores its rrc in @rrc.
 */
uint16_t s390_pv_secrets_call(S390PVSecretStore *st, const S390PVHeader *hdr,
                              const S390PVKey *keys, int nr_keys,
                              uint16_t cmd, uint8_t *cb,
                              const S390PVUvcMem *mem, uint16_t *rrc);

void s390_pv_secrets_get_info(S390PVSecretStore *st, S390PVSecretsInfo *info);

#endif
