#ifndef LIGHTBOX_CJPEG_SHIM_H
#define LIGHTBOX_CJPEG_SHIM_H
#include <stdio.h>
#include <stddef.h>
#include <jpeglib.h>

/// libjpeg-turbo's version as an integer (e.g. 2001005 for 2.1.5), from jconfig.h.
static inline int cjpeg_turbo_version_number(void) {
    return LIBJPEG_TURBO_VERSION_NUMBER;
}

/// The libjpeg API version this build was compiled against (62, 70 or 80).
static inline int cjpeg_lib_version(void) {
    return JPEG_LIB_VERSION;
}

/// jpeg_create_decompress is a macro over jpeg_CreateDecompress with the struct size.
static inline void cjpeg_create_decompress(j_decompress_ptr cinfo) {
    jpeg_create_decompress(cinfo);
}

/// jpeg_create_compress is a macro over jpeg_CreateCompress with the struct size.
static inline void cjpeg_create_compress(j_compress_ptr cinfo) {
    jpeg_create_compress(cinfo);
}
#endif
