public import CallAssembly
public import CallEvents

/// One assigned partition: its assembler and what the worker tracks around it (commits, ticks,
/// outputs in flight). A value owned by ``WorkerState``.
public struct PartitionRunner: Sendable {
    public let partition: Int32
    /// Distinguishes this assignment from an earlier one of the same partition, so that a late
    /// acknowledgement never reaches a newer assembler.
    public let generation: UInt64
    public private(set) var assembler: CallAssembler
    /// The last offset committed by this worker for this assignment.
    public var committed: Int64?
    /// Outputs of this partition produced but not yet acknowledged.
    public var outstanding = 0
    /// Wall time (ms, any monotonic origin) when stream time last moved, or the partition was
    /// assigned, or a tick was written: the tick timer counts from there.
    public var quietSinceMs: Int64
    /// One past the last offset read (skipped messages included), `nil` before the first.
    public var position: Int64?
    /// The wall-clock time (epoch ms) carried by the last tick written for this assignment, `nil`
    /// before the first: while stream time is below it, that tick is still on its way back.
    public var lastTickAtMs: Int64?

    public init(topic: String, partition: Int32, generation: UInt64, configuration: AssemblerConfiguration, nowMs: Int64) {
        self.partition = partition
        self.generation = generation
        self.assembler = CallAssembler(topic: topic, partition: partition, configuration: configuration)
        self.quietSinceMs = nowMs
    }

    /// Feeds one event, already decoded from `raw`; notes stream-time progress for the tick timer.
    public mutating func receive(_ decoded: consuming Result<CallEvent, CallEventsError>, raw: [UInt8], offset: Int64, nowMs: Int64) -> [AssemblerAction] {
        position = offset + 1
        let before = assembler.streamTimeMs
        let actions = assembler.receive(consume decoded, raw: raw, offset: offset)
        if assembler.streamTimeMs != before { quietSinceMs = nowMs }
        return actions
    }

    public mutating func acknowledge(_ receipt: AssemblerReceipt) {
        assembler.acknowledge(receipt)
    }

    /// The offset to commit now, when it differs from the last commit.
    public var offsetToCommit: Int64? {
        guard let watermark = assembler.lowWatermark, watermark != committed else { return nil }
        return watermark
    }
}
