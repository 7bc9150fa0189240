#ifndef LIGHTBOX_CCRYPTO_SHIM_H
#define LIGHTBOX_CCRYPTO_SHIM_H
// Only SHA-256 is used: OpenSSL's implementation uses the CPU's SHA extensions where present.
#include <openssl/sha.h>
#endif
