#ifndef LIGHTBOX_CCRYPTO_SHIM_H
#define LIGHTBOX_CCRYPTO_SHIM_H
// SHA-256 (with the CPU's SHA extensions where present), AES-128-CTR and PBKDF2 for Web3 keystores.
#include <openssl/sha.h>
#include <openssl/evp.h>
#endif
