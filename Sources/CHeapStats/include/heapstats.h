#ifndef CALLSTREAM_HEAPSTATS_H
#define CALLSTREAM_HEAPSTATS_H
#include <stddef.h>

/// Bytes the allocator has handed out and not had back: jemalloc's `stats.allocated` where jemalloc
/// is the allocator, else glibc's `mallinfo2` (in-use chunks plus mmapped blocks, every arena);
/// 0 where neither is there.
size_t callstream_heap_in_use(void);

/// The allocator in use, for reports: "jemalloc" or "the C library's malloc".
const char *callstream_heap_allocator(void);

#endif
