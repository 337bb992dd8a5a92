#include "heapstats.h"
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h> /* defines __GLIBC__ on glibc */

#if defined(__GLIBC__)
#include <malloc.h>
#endif

typedef int (*mallctl_function)(const char *, void *, size_t *, void *, size_t);

/* jemalloc's mallctl, where jemalloc is this process's allocator (linked or preloaded); else NULL. */
static mallctl_function jemalloc_mallctl(void) {
    return (mallctl_function)dlsym(RTLD_DEFAULT, "mallctl");
}

/* jemalloc's statistics: refreshed by writing "epoch", then its bytes allocated. */
static int jemalloc_allocated(size_t *allocated) {
    mallctl_function mallctl = jemalloc_mallctl();
    if (mallctl == NULL) return 0;
    uint64_t epoch = 1;
    size_t size = sizeof(epoch);
    if (mallctl("epoch", &epoch, &size, &epoch, size) != 0) return 0;
    size = sizeof(*allocated);
    return mallctl("stats.allocated", allocated, &size, NULL, 0) == 0;
}

size_t callstream_heap_in_use(void) {
    size_t allocated = 0;
    if (jemalloc_allocated(&allocated)) return allocated;
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
#else
    return 0;
#endif
}

const char *callstream_heap_allocator(void) {
    return jemalloc_mallctl() != NULL ? "jemalloc" : "the C library's malloc";
}
