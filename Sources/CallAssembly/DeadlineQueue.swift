/// A min-heap of call deadlines in stream time. Entries are not removed when their call moves on:
/// a popped entry whose call has moved on is simply skipped, which keeps updates O(log n). The
/// assembler sweeps such stale entries out now and then (``removeStale(where:)``): every call
/// leaves one behind (its open-call-limit deadline, hours of stream time away).
struct DeadlineQueue: Sendable {
    enum Kind: Sendable, Hashable {
        /// Emit the call if it is still open with this due time.
        case emit
        /// Release the call's hold on the low watermark if `revision` is still its latest.
        case release(revision: Int)

        var rank: Int {
            switch self {
            case .emit: 0
            case .release(let revision): revision
            }
        }
    }

    struct Entry: Sendable {
        var due: Int64
        /// The call's first offset: a deterministic order among calls due at the same time.
        var tie: Int64
        var callID: String
        var kind: Kind

        static func < (lhs: Entry, rhs: Entry) -> Bool {
            if lhs.due != rhs.due { return lhs.due < rhs.due }
            if lhs.tie != rhs.tie { return lhs.tie < rhs.tie }
            if lhs.kind.rank != rhs.kind.rank { return lhs.kind.rank < rhs.kind.rank }
            return lhs.callID < rhs.callID
        }
    }

    private var heap: [Entry] = []

    var count: Int { heap.count }
    var first: Entry? { heap.first }

    mutating func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popFirst() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        siftDown(from: 0)
        return top
    }

    /// Drops the entries `isStale` names and rebuilds the heap (O(n)). Only for entries that would
    /// be skipped when popped: the order of the others is a total order, so it does not change.
    mutating func removeStale(where isStale: (Entry) -> Bool) {
        heap.removeAll(where: isStale)
        var index = heap.count / 2
        while index > 0 {
            index -= 1
            siftDown(from: index)
        }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left] < heap[smallest] { smallest = left }
            if right < heap.count, heap[right] < heap[smallest] { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
