#ifndef LIGHTBOX_CJPEG_SHIM_H
#define LIGHTBOX_CJPEG_SHIM_H
#include <stdio.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <jpeglib.h>
#include <jerror.h>

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
    /// Set by warnings that mean the data ended early, or that the data is damaged (bad Huffman code, a marker
    /// in the middle of the data, lost sync); libjpeg decodes on with grey blocks after either.
    int truncated;
    int corrupt;
    struct jpeg_progress_mgr progress;
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
    if (level >= 0) return;
    int code = cinfo->err->msg_code;
    if (code == JWRN_JPEG_EOF) errors->truncated = 1;
    if (code == JWRN_HUFF_BAD_CODE || code == JWRN_HIT_MARKER || code == JWRN_MUST_RESYNC ||
        code == JWRN_NOT_SEQUENTIAL || code == JWRN_BOGUS_PROGRESSION || code == JWRN_ARITH_BAD_CODE)
        errors->corrupt = 1;
    if (errors->warnings++ == 0 || code == JWRN_JPEG_EOF) (*cinfo->err->format_message)(cinfo, errors->warning);
}

/// Stops a progressive JPEG with an absurd number of scans (each scan re-decodes the image: a small file could
/// keep a core busy for hours), as libjpeg-turbo's `djpeg -maxscans` does.
static void cjpeg_on_progress(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor || ((j_decompress_ptr)cinfo)->input_scan_number <= 500) return;
    cjpeg_errors *errors = (cjpeg_errors *)cinfo->err;
    snprintf(errors->message, sizeof errors->message, "more than 500 scans; refused as a decompression bomb");
    longjmp(errors->jump, 1);
}

static inline void cjpeg_install_errors(j_common_ptr cinfo, cjpeg_errors *errors) {
    cinfo->err = jpeg_std_error(&errors->manager);
    errors->manager.error_exit = cjpeg_on_error;
    errors->manager.emit_message = cjpeg_on_message;
    errors->warnings = 0;
    errors->truncated = 0;
    errors->corrupt = 0;
    errors->message[0] = 0;
    errors->warning[0] = 0;
}

/// Creates the decompressor and reads the header from memory. 1 on success.
static inline int cjpeg_open(j_decompress_ptr cinfo, cjpeg_errors *errors, const unsigned char *data,
                             unsigned long size) {
    cjpeg_install_errors((j_common_ptr)cinfo, errors);
    if (setjmp(errors->jump)) return 0;
    jpeg_create_decompress(cinfo);
    errors->progress.progress_monitor = cjpeg_on_progress;
    cinfo->progress = &errors->progress;
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
/// caller frees it). 1 on success. The compressor lives on the heap so that nothing the error path reads is a
/// local changed after setjmp. On failure the output buffer is not freed: libjpeg frees and replaces it as it
/// grows without updating *out, so freeing *out could free it twice; the inputs are this program's own pixels,
/// so encoding fails only when memory runs out.
static inline int cjpeg_write_image(const unsigned char *pixels, unsigned width, unsigned height, int channels,
                                    int quality, unsigned char **out, unsigned long *out_size, cjpeg_errors *errors) {
    struct jpeg_compress_struct *cinfo = (struct jpeg_compress_struct *)calloc(1, sizeof *cinfo);
    if (!cinfo) return 0;
    cjpeg_install_errors((j_common_ptr)cinfo, errors);
    *out = NULL;
    *out_size = 0;
    if (setjmp(errors->jump)) {
        jpeg_destroy_compress(cinfo);
        free(cinfo);
        *out = NULL;
        return 0;
    }
    jpeg_create_compress(cinfo);
    jpeg_mem_dest(cinfo, out, out_size);
    cinfo->image_width = width;
    cinfo->image_height = height;
    cinfo->input_components = channels;
    cinfo->in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(cinfo);
    jpeg_set_quality(cinfo, quality, TRUE);
    jpeg_start_compress(cinfo, TRUE);
    while (cinfo->next_scanline < cinfo->image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo->next_scanline * width * channels);
        jpeg_write_scanlines(cinfo, &row, 1);
    }
    jpeg_finish_compress(cinfo);
    jpeg_destroy_compress(cinfo);
    free(cinfo);
    return 1;
}
#endif
