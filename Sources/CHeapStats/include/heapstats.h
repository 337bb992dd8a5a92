#ifndef CALLSTREAM_HEAPSTATS_H
#define CALLSTREAM_HEAPSTATS_H
#include <stddef.h>

/// Bytes the allocator has handed out and not had back (glibc `mallinfo2`: in-use chunks plus
/// mmapped blocks, every arena); 0 where the C library has no `mallinfo2`.
size_t callstream_heap_in_use(void);

#endif
