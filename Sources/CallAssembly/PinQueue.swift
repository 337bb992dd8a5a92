/// The offsets that hold the low watermark back (open calls, unacknowledged records and dead
/// letters). Pins are added in increasing offset order, so the smallest live pin is found by
/// dropping released pins from the front: O(1) amortised.
struct PinQueue: Sendable {
    private var offsets: [Int64] = []
    private var head = 0
    private var released: Set<Int64> = []

    /// Number of pins still held.
    var count: Int { offsets.count - head - released.count }

    mutating func append(_ offset: Int64) {
        precondition(offsets.last.map { $0 < offset } ?? true, "pins must be added in increasing offset order")
        offsets.append(offset)
    }

    mutating func release(_ offset: Int64) {
        released.insert(offset)
    }

    /// The smallest offset still pinned.
    mutating func minimum() -> Int64? {
        while head < offsets.count, released.remove(offsets[head]) != nil {
            head += 1
        }
        if head > 4096, head * 2 > offsets.count {
            offsets.removeFirst(head)
            head = 0
        }
        return head < offsets.count ? offsets[head] : nil
    }
}
