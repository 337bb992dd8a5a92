import CHeapStats

/// The bytes the allocator has handed out and not had back (glibc `mallinfo2`, every arena).
///
/// Not the resident memory: memory freed by an earlier section stays resident and is reused
/// unseen, so a growth measured in resident memory read as zero, or below, after some sections.
func heapBytesInUse() -> Int {
    Int(callstream_heap_in_use())
}
