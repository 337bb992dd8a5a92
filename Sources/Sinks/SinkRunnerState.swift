public import Kafka

/// What a ``SinkRunner`` tracks between its reader and its writer: messages read but not yet
/// written, the batch in flight, and per partition the offset that is safe to commit.
/// A value with no I/O; the runner keeps it behind a lock.
public struct SinkRunnerState: Sendable {
    /// Read, not yet taken into a batch, in arrival order (so each partition's order holds).
    private var pending: [KafkaMessage] = []
    private var pendingHead = 0
    /// Messages of the batch being written, per partition.
    private var inFlight: [KafkaTopicPartition: Int] = [:]
    /// One past the last offset written (or dead-lettered), per assigned partition.
    private var done: [KafkaTopicPartition: Int64] = [:]
    private var committed: [KafkaTopicPartition: Int64] = [:]
    private(set) var assigned: Set<KafkaTopicPartition> = []
    /// Revocations waiting for their partitions to drain: while > 0 batches do not linger.
    public var draining = 0

    public init() {}

    /// Messages read and not yet written.
    public var pendingCount: Int { pending.count - pendingHead }

    public mutating func assign(_ partitions: [KafkaTopicPartition]) {
        assigned.formUnion(partitions)
    }

    /// Forgets `partitions`: what was read of them and not written is read again by their next owner.
    public mutating func revoke(_ partitions: [KafkaTopicPartition]) {
        let revoked = Set(partitions)
        assigned.subtract(revoked)
        compact()
        pending.removeAll { revoked.contains($0.topicPartition) }
        for partition in revoked {
            done[partition] = nil
            committed[partition] = nil
        }
    }

    /// Queues a message of an assigned partition (others are dropped: they were revoked).
    public mutating func receive(_ message: KafkaMessage) {
        guard assigned.contains(message.topicPartition) else { return }
        pending.append(message)
    }

    /// Takes up to `maximum` pending messages as the next batch.
    public mutating func takeBatch(maximum: Int) -> [KafkaMessage] {
        let end = min(pending.count, pendingHead + maximum)
        let batch = Array(pending[pendingHead..<end])
        pendingHead = end
        if pendingHead > 4096 { compact() }
        for message in batch { inFlight[message.topicPartition, default: 0] += 1 }
        return batch
    }

    /// The batch is written (or dead-lettered): its offsets may be committed.
    public mutating func finish(_ batch: [KafkaMessage]) {
        for message in batch {
            let partition = message.topicPartition
            if let count = inFlight[partition] { inFlight[partition] = count > 1 ? count - 1 : nil }
            guard assigned.contains(partition) else { continue }
            done[partition] = max(done[partition] ?? 0, message.offset + 1)
        }
    }

    /// The batch was given up (shutdown): nothing of it may be committed.
    public mutating func abandon(_ batch: [KafkaMessage]) {
        for message in batch {
            let partition = message.topicPartition
            if let count = inFlight[partition] { inFlight[partition] = count > 1 ? count - 1 : nil }
        }
    }

    /// Whether nothing of `partitions` waits to be written.
    public func isDrained(_ partitions: [KafkaTopicPartition]) -> Bool {
        let wanted = Set(partitions)
        if wanted.contains(where: { inFlight[$0] != nil }) { return false }
        return !pending[pendingHead...].contains { wanted.contains($0.topicPartition) }
    }

    /// Offsets written past the last commit, for `partitions` (all when `nil`).
    public func commitCandidates(_ partitions: [KafkaTopicPartition]? = nil) -> [KafkaTopicPartitionOffset] {
        let wanted = partitions.map(Set.init) ?? assigned
        return done.filter { wanted.contains($0.key) && committed[$0.key] != $0.value }
            .map { KafkaTopicPartitionOffset($0.key, offset: $0.value) }
            .sorted { $0.topicPartition < $1.topicPartition }
    }

    public mutating func markCommitted(_ offsets: [KafkaTopicPartitionOffset]) {
        for offset in offsets where assigned.contains(offset.topicPartition) {
            committed[offset.topicPartition] = offset.offset
        }
    }

    private mutating func compact() {
        pending.removeFirst(pendingHead)
        pendingHead = 0
    }
}
