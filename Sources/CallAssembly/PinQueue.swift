/// The offsets that hold the low watermark back (open calls, unacknowledged records and dead
/// letters). Pins are added in increasing offset order.
///
/// A released call's pin keeps the call's last offset: while the watermark would fall inside the
/// call's offsets (another call that began among them still holds its pin), a reader restarting
/// there would re-read only the call's tail and emit a different record under the same revision.
/// So a released pin holds the watermark at its call's first offset until the watermark would
/// pass the call's last offset.
struct PinQueue: Sendable {
    private var offsets: [Int64] = []
    private var head = 0
    /// Released pins at or after `head`: the offset → the last offset of what it pinned.
    private var released: [Int64: Int64] = [:]

    /// Number of pins still held.
    var count: Int { offsets.count - head - released.count }

    mutating func append(_ offset: Int64) {
        precondition(offsets.last.map { $0 < offset } ?? true, "pins must be added in increasing offset order")
        offsets.append(offset)
    }

    /// Releases the pin at `offset`; `last` is the last offset of the call it pinned (none for a
    /// single event, such as a dead letter).
    mutating func release(_ offset: Int64, through last: Int64? = nil) {
        released[offset] = max(offset, last ?? offset)
    }

    /// The smallest offset a restarted reader must start from, or `nil` when nothing holds it
    /// (the caller then uses the next offset to read, which is past every released call).
    mutating func minimum() -> Int64? {
        var index = head
        while index < offsets.count, released[offsets[index]] != nil { index += 1 }
        var watermark: Int64? = index < offsets.count ? offsets[index] : nil
        var keepFrom = index
        // Walking back over released pins: one whose call reaches the watermark holds it.
        var back = index - 1
        while back >= head {
            let offset = offsets[back]
            if let current = watermark, let last = released[offset], last >= current {
                watermark = offset
                keepFrom = back
            }
            back -= 1
        }
        // Released pins before the watermark never hold again: the watermark only grows (new pins
        // are appended past every offset read).
        while head < keepFrom {
            released.removeValue(forKey: offsets[head])
            head += 1
        }
        // As soon as the passed front is the larger half (amortised O(1)), so memory follows the live pins.
        if head > 64, head * 2 > offsets.count {
            offsets.removeFirst(head)
            head = 0
        }
        return watermark
    }
}
