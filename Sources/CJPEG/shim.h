#ifndef LIGHTBOX_CJPEG_SHIM_H
#define LIGHTBOX_CJPEG_SHIM_H
#include <stdio.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
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

/// libjpeg's default error handler calls exit(); this one longjmps back into the wrapper that made the call, which
/// returns 0 with the message kept here. Warnings (a premature end of data among them) are counted.
typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
    int warnings;
    char message[JMSG_LENGTH_MAX];
    char warning[JMSG_LENGTH_MAX];
} cjpeg_errors;

static void cjpeg_on_error(j_common_ptr cinfo) {
    cjpeg_errors *errors = (cjpeg_errors *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, errors->message);
    longjmp(errors->jump, 1);
}

static void cjpeg_on_message(j_common_ptr cinfo, int level) {
    cjpeg_errors *errors = (cjpeg_errors *)cinfo->err;
    if (level < 0 && errors->warnings++ == 0) (*cinfo->err->format_message)(cinfo, errors->warning);
}

static inline void cjpeg_install_errors(j_common_ptr cinfo, cjpeg_errors *errors) {
    cinfo->err = jpeg_std_error(&errors->manager);
    errors->manager.error_exit = cjpeg_on_error;
    errors->manager.emit_message = cjpeg_on_message;
    errors->warnings = 0;
    errors->message[0] = 0;
    errors->warning[0] = 0;
}

/// Creates the decompressor and reads the header from memory. 1 on success.
static inline int cjpeg_open(j_decompress_ptr cinfo, cjpeg_errors *errors, const unsigned char *data,
                             unsigned long size) {
    cjpeg_install_errors((j_common_ptr)cinfo, errors);
    if (setjmp(errors->jump)) return 0;
    jpeg_create_decompress(cinfo);
    jpeg_mem_src(cinfo, data, size);
    return jpeg_read_header(cinfo, TRUE) == JPEG_HEADER_OK;
}

/// Starts decompression and reads every scanline into `out` (`stride` bytes a row), then finishes. 1 on success.
static inline int cjpeg_read_all(j_decompress_ptr cinfo, unsigned char *out, size_t stride) {
    cjpeg_errors *errors = (cjpeg_errors *)cinfo->err;
    if (setjmp(errors->jump)) return 0;
    jpeg_start_decompress(cinfo);
    while (cinfo->output_scanline < cinfo->output_height) {
        JSAMPROW row = out + (size_t)cinfo->output_scanline * stride;
        jpeg_read_scanlines(cinfo, &row, 1);
    }
    jpeg_finish_decompress(cinfo);
    return 1;
}

/// Encodes 8-bit grey (1 channel) or RGB (3) pixels at `quality` into a malloc'd buffer (*out, *out_size; the
/// caller frees it). 1 on success.
static inline int cjpeg_write_image(const unsigned char *pixels, unsigned width, unsigned height, int channels,
                                    int quality, unsigned char **out, unsigned long *out_size, cjpeg_errors *errors) {
    struct jpeg_compress_struct cinfo;
    cjpeg_install_errors((j_common_ptr)&cinfo, errors);
    *out = NULL;
    *out_size = 0;
    if (setjmp(errors->jump)) {
        jpeg_destroy_compress(&cinfo);
        free(*out);
        *out = NULL;
        return 0;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, out, out_size);
    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * width * channels);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    return 1;
}
#endif
