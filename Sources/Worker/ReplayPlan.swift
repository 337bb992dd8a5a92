/// What a replay reads: from where, and up to the end offsets taken when it started. A replaying
/// worker writes no ticks (it reads the ticks the live run wrote, so it decides the same way) and
/// stops by itself once every partition reached its end offset.
public struct ReplayPlan: Sendable, Hashable {
    /// Where each partition starts.
    public enum Start: Sendable, Hashable {
        /// Each partition's first retained offset.
        case earliest
        /// The same offset in every partition.
        case offset(Int64)
        /// One partition from an offset; the others are not replayed.
        case partitionOffset(partition: Int32, offset: Int64)
        /// An offset per partition (e.g. found for a timestamp); partitions not listed are not replayed.
        case offsets([Int32: Int64])
    }

    public var start: Start
    /// One past the last offset to read, per partition (the high watermarks at the start).
    public var endOffsets: [Int32: Int64]
    /// Each partition's first retained offset (for `earliest` and for progress).
    public var lowOffsets: [Int32: Int64]

    public init(start: Start, endOffsets: [Int32: Int64], lowOffsets: [Int32: Int64] = [:]) {
        self.start = start
        self.endOffsets = endOffsets
        self.lowOffsets = lowOffsets
    }

    /// The first offset to read in `partition`; `nil` when it is not replayed.
    public func startOffset(_ partition: Int32) -> Int64? {
        let low = lowOffsets[partition] ?? 0
        switch start {
        case .earliest: return low
        case .offset(let offset): return max(offset, low)
        case .partitionOffset(let only, let offset): return only == partition ? max(offset, low) : nil
        case .offsets(let offsets): return offsets[partition].map { max($0, low) }
        }
    }

    /// How many events the replay reads in all.
    public var totalEvents: Int64 {
        endOffsets.reduce(0) { total, entry in
            guard let start = startOffset(entry.key) else { return total }
            return total + max(0, entry.value - start)
        }
    }
}
