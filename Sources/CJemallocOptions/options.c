#include "CJemallocOptions.h"

// One arena for every thread. The worker allocates an event on the consumer's polling thread and
// frees it on the pool's; librdkafka allocates its fetch buffers on its broker thread and frees
// them on the polling thread. With an arena per thread (jemalloc's default, 4 per core), memory
// freed into one arena was not reused by the threads allocating from the others: a replay's
// resident memory was about twice its live heap, and it page-faulted 28% more.
const char *malloc_conf = "narenas:1";
