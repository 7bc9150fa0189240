#ifndef LIGHTBOX_CPNG_SHIM_H
#define LIGHTBOX_CPNG_SHIM_H
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/// PNG_IMAGE_SIZE is a macro; Swift cannot call it.
static inline size_t cpng_image_size(const png_image *image) {
    return PNG_IMAGE_SIZE(*image);
}

/// libpng reports errors by longjmp, which Swift cannot catch: every call that may fail is wrapped below in a
/// function that sets the jump point and returns 0 on failure, with libpng's message in `message`.
typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
    unsigned char *output;
    size_t output_size;
    size_t output_capacity;
    int warnings;
    char message[256];
    char warning[256];
} cpng_io;

static void cpng_on_error(png_structp png, png_const_charp text) {
    cpng_io *io = (cpng_io *)png_get_error_ptr(png);
    strncpy(io->message, text ? text : "unknown libpng error", sizeof io->message - 1);
    io->message[sizeof io->message - 1] = 0;
    png_longjmp(png, 1);
}

static void cpng_on_warning(png_structp png, png_const_charp text) {
    cpng_io *io = (cpng_io *)png_get_error_ptr(png);
    if (io->warnings++ == 0) {
        strncpy(io->warning, text ? text : "", sizeof io->warning - 1);
        io->warning[sizeof io->warning - 1] = 0;
    }
}

static void cpng_read_memory(png_structp png, png_bytep out, size_t length) {
    cpng_io *io = (cpng_io *)png_get_io_ptr(png);
    if (io->size - io->offset < length) png_error(png, "Read Error: the file ends before its data does");
    memcpy(out, io->data + io->offset, length);
    io->offset += length;
}

static void cpng_write_memory(png_structp png, png_bytep bytes, size_t length) {
    cpng_io *io = (cpng_io *)png_get_io_ptr(png);
    if (io->output_capacity - io->output_size < length) {
        size_t capacity = io->output_capacity ? io->output_capacity : 65536;
        while (capacity - io->output_size < length) capacity *= 2;
        unsigned char *grown = (unsigned char *)realloc(io->output, capacity);
        if (!grown) png_error(png, "out of memory");
        io->output = grown;
        io->output_capacity = capacity;
    }
    memcpy(io->output + io->output_size, bytes, length);
    io->output_size += length;
}

static void cpng_flush_memory(png_structp png) { (void)png; }

/// A read struct reading from io->data, reporting through io.
static inline png_structp cpng_create_reader(cpng_io *io) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, io, cpng_on_error, cpng_on_warning);
    if (png) png_set_read_fn(png, io, cpng_read_memory);
    return png;
}

/// Reads the chunks before the image data (IHDR, PLTE, …). 1 on success.
static inline int cpng_read_header(png_structp png, png_infop info) {
    if (setjmp(png_jmpbuf(png))) return 0;
    png_read_info(png, info);
    return 1;
}

/// Asks for 8-bit grey or RGB output (palette expanded, 16-bit scaled, low bit depths expanded, alpha dropped)
/// and returns the number of output channels, or 0 on failure.
static inline int cpng_request_8bit_grey_or_rgb(png_structp png, png_infop info) {
    if (setjmp(png_jmpbuf(png))) return 0;
    int colour = png_get_color_type(png, info);
    int depth = png_get_bit_depth(png, info);
    if (colour == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (colour == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (depth == 16) png_set_scale_16(png);
    png_set_strip_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    return png_get_channels(png, info);
}

/// Reads every row into `rows` and the chunks after the image data up to IEND. 1 on success.
static inline int cpng_read_rows(png_structp png, png_infop info, png_bytepp rows) {
    if (setjmp(png_jmpbuf(png))) return 0;
    png_read_image(png, rows);
    png_read_end(png, info);
    return 1;
}

/// Encodes 8-bit grey (1 channel) or RGB (3) rows into io->output (malloc'd; the caller frees it). 1 on success.
static inline int cpng_write_image(cpng_io *io, png_uint_32 width, png_uint_32 height, int channels,
                                   png_bytepp rows, int compression_level) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, io, cpng_on_error, cpng_on_warning);
    if (!png) return 0;
    png_infop info = png_create_info_struct(png);
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, info ? &info : NULL);
        return 0;
    }
    png_set_write_fn(png, io, cpng_write_memory, cpng_flush_memory);
    png_set_compression_level(png, compression_level);
    png_set_IHDR(png, info, width, height, 8, channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    png_write_image(png, rows);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return 1;
}
#endif
