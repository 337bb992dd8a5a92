#ifndef CALLSTREAM_JEMALLOC_OPTIONS_H
#define CALLSTREAM_JEMALLOC_OPTIONS_H

/// jemalloc's options for the process, read once at its start (MALLOC_CONF, read after it, can
/// still override any of them).
extern const char *malloc_conf;

#endif
