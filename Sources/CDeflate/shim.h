#ifndef LIGHTBOX_CDEFLATE_SHIM_H
#define LIGHTBOX_CDEFLATE_SHIM_H
// libdeflate: whole-buffer DEFLATE, zlib and gzip (de)compression and CRC-32 / Adler-32, faster than zlib's
// streaming inflate for data that is in memory at once.
#include <libdeflate.h>
#endif
