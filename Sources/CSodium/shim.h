#ifndef LIGHTBOX_CSODIUM_SHIM_H
#define LIGHTBOX_CSODIUM_SHIM_H
#include <sodium.h>
#endif
