/*
 * Fuzzer: "s390-pvimg info" on any file, in text and in JSON
 *
 * The input is the image file.  Every offset and count in it comes from
 * the file: info must bound each one by the file's size, print or refuse,
 * and never read outside it.  The JSON is made once unopened and once
 * with the header key its seeds were built with.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define S390_PVIMG_NO_MAIN
#include "../../../tools/s390-pv-common/pv-tool.c"
#include "../../../tools/s390-pvimg/s390-pvimg.c"
#include "fuzz-common.h"

/* Seeds: a genprotimg-layout image and a pvimg-layout one */
static void make_seeds(void)
{
    g_autofree uint8_t *ram = g_malloc(FUZZ_RAM_SIZE);
    g_autofree uint8_t *img = NULL;
    uint32_t hdr_len, iplb_len;
    size_t len;

    fuzz_init();
    hdr_len = fuzz_make_image(ram);
    iplb_len = s390_pv_iplb_read_len(ram + FUZZ_IPLB);

    len = PV_IMG_HDR + hdr_len;
    img = g_malloc0(len);
    memcpy(img + PV_IMG_IPIB, ram + FUZZ_IPLB, iplb_len);
    memcpy(img + PV_IMG_HDR, ram + FUZZ_HDR, hdr_len);
    fuzz_write_seed("genprotimg-layout", img, len);
    g_free(img);

    len = 0xc100 + hdr_len + iplb_len;
    img = g_malloc0(len);
    memcpy(img + 0xc000, "SeImgLnx", 8);
    stq_be_p(img + 0xc008, 0xc100);
    stl_be_p(img + 0xc010, 1);
    stq_be_p(img + 0xc014, 0xc100 + hdr_len);
    memcpy(img + 0xc100, ram + FUZZ_HDR, hdr_len);
    memcpy(img + 0xc100 + hdr_len, ram + FUZZ_IPLB, iplb_len);
    fuzz_write_seed("pvimg-layout", img, len);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    if (g_getenv("S390X_PV_FUZZ_SEEDS")) {
        make_seeds();
        exit(0);
    }
    /* what info prints is not the point, and costs time */
    if (!freopen("/dev/null", "w", stdout)) {
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* an exact copy: reads past the end hit the sanitizer's redzone */
    g_autofree uint8_t *img = g_memdup2(data, size);
    uint8_t hdr_key[32];
    Error *err = NULL;
    char *json;
    int i;

    for (i = 0; i < 32; i++) {
        hdr_key[i] = 0xa0 ^ i;      /* as fuzz_make_image() */
    }

    if (!image_info("fuzz", img, size, NULL, &err)) {
        assert(err);
        error_free(err);
        err = NULL;
    }
    for (i = 0; i < 2; i++) {
        json = image_json("fuzz", img, size, i ? hdr_key : NULL, &err);
        assert(!json != !err);
        if (json) {
            assert(json[0] == '{' && json[strlen(json) - 2] == '}');
            g_free(json);
        } else {
            error_free(err);
            err = NULL;
        }
    }
    return 0;
}
