import CHeapStats

/// The bytes the allocator has handed out and not had back (glibc's `mallinfo2`: the bench does not
/// link jemalloc; jemalloc's `stats.allocated` when it is preloaded, e.g. for a profile).
///
/// Not the resident memory: memory freed by an earlier section stays resident and is reused
/// unseen, so a growth measured in resident memory read as zero, or below, after some sections.
func heapBytesInUse() -> Int {
    Int(callstream_heap_in_use())
}

/// The allocator this process uses, for the report.
func heapAllocatorName() -> String {
    String(cString: callstream_heap_allocator())
}
