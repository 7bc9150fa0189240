#ifndef LIGHTBOX_CSQLITE_SHIM_H
#define LIGHTBOX_CSQLITE_SHIM_H
#include <sqlite3.h>

/// SQLITE_TRANSIENT is a cast macro Swift cannot import: it makes SQLite copy bound text and blobs.
static inline sqlite3_destructor_type csqlite_transient(void) {
    return SQLITE_TRANSIENT;
}
#endif
