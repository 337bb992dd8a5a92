/// The worker's counts and per-partition state at one moment (see ``WorkerState/metricsSnapshot``).
public struct WorkerMetricsSnapshot: Sendable, Hashable {
    public struct Partition: Sendable, Hashable {
        public var partition: Int32
        public var openCalls: Int
        /// The partition's stream time (epoch ms of the latest event time seen), `nil` before one.
        public var streamTimeMs: Int64?
        /// The last offset this worker committed in this assignment.
        public var committed: Int64?
        /// One past the last offset read.
        public var position: Int64?
    }

    public var counters: WorkerCounters
    /// Outputs waiting for the producer or unacknowledged.
    public var outstanding: Int
    /// The assigned partitions, in order.
    public var partitions: [Partition]
}
