#ifndef LIGHTBOX_CPNG_SHIM_H
#define LIGHTBOX_CPNG_SHIM_H
#include <png.h>

/// PNG_IMAGE_SIZE is a macro; Swift cannot call it.
static inline size_t cpng_image_size(const png_image *image) {
    return PNG_IMAGE_SIZE(*image);
}
#endif
