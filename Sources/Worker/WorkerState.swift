public import CallAssembly
public import CallEvents
public import Kafka

/// The worker's shared state as a value: the consuming loop, the sender, the committer and the
/// ticker each take a lock, call one of these, and do the I/O it returns outside the lock.
public struct WorkerState: Sendable {
    public let configuration: WorkerConfiguration
    public private(set) var partitions: [Int32: PartitionRunner] = [:]
    /// Outputs waiting for the sender, oldest first.
    public private(set) var pending: [Outbound] = []
    /// Outputs handed to the producer and not yet settled.
    public private(set) var inFlight = 0
    private var nextGeneration: UInt64 = 1
    /// Counts for the metrics endpoint (plain integers; published when scraped).
    public private(set) var counters = WorkerCounters()

    public init(configuration: WorkerConfiguration) {
        self.configuration = configuration
    }

    /// Outputs produced or waiting, for back-pressure.
    public var outstanding: Int { pending.count + inFlight }

    public mutating func assign(_ assigned: [Int32], nowMs: Int64) {
        for partition in assigned where partitions.index(forKey: partition) == nil {
            partitions[partition] = PartitionRunner(
                topic: configuration.eventsTopic, partition: partition, generation: nextGeneration,
                configuration: configuration.assembler, nowMs: nowMs
            )
            nextGeneration += 1
        }
    }

    /// Whether `revoked` partitions still have outputs not acknowledged.
    public func hasOutstanding(_ revoked: [Int32]) -> Bool {
        revoked.contains { (partitions[$0]?.outstanding ?? 0) > 0 }
    }

    /// The offsets to commit for `revoked` (or all) partitions.
    public func commitCandidates(_ only: [Int32]? = nil) -> [KafkaTopicPartitionOffset] {
        let selected = only.map { Set($0) }
        return partitions.values.compactMap { runner in
            guard selected?.contains(runner.partition) ?? true, let offset = runner.offsetToCommit else { return nil }
            return KafkaTopicPartitionOffset(topic: configuration.eventsTopic, partition: runner.partition, offset: offset)
        }.sorted { $0.partition < $1.partition }
    }

    public mutating func markCommitted(_ offsets: [KafkaTopicPartitionOffset]) {
        for offset in offsets { partitions[offset.partition]?.committed = offset.offset }
    }

    /// Forgets revoked partitions; their outputs still waiting are dropped (the next owner
    /// re-reads from the committed offset and emits them again, byte-identical).
    public mutating func revoke(_ revoked: [Int32]) {
        let gone = Set(revoked)
        for partition in revoked { partitions[partition] = nil }
        pending.removeAll { gone.contains($0.partition) }
    }

    /// Feeds a message to its partition's assembler and queues what it asks to produce.
    /// Returns the assembler's actions; inbound audit copies are skipped.
    @discardableResult
    public mutating func receive(_ message: KafkaMessage, nowMs: Int64) -> [AssemblerAction] {
        receive(message, decoded: Self.decode(message), nowMs: nowMs)
    }

    /// ``receive(_:nowMs:)`` with the message already decoded by ``decode(_:)``.
    @discardableResult
    public mutating func receive(_ message: KafkaMessage, decoded: consuming Result<CallEvent, CallEventsError>?, nowMs: Int64) -> [AssemblerAction] {
        counters.countConsumed(message.partition)
        // By key: reading the value would copy the runner (retaining its assembler's storage).
        if partitions.index(forKey: message.partition) == nil { assign([message.partition], nowMs: nowMs) }
        // A replay reads up to its end offsets and no further, whatever arrived since it began.
        if let end = configuration.replay?.endOffsets[message.partition], message.offset >= end {
            partitions[message.partition]?.position = end
            return []
        }
        // Moved, not bound (a binding copies the event): the assembler keeps its strings.
        let event: Result<CallEvent, CallEventsError>
        switch consume decoded {
        case .none:
            partitions[message.partition]?.position = message.offset + 1
            return []
        case .some(let decoded):
            event = decoded
        }
        // Mutated in place through the dictionary's values: no copy of the runner (nor of the event,
        // which an optional chain would copy), no removal and reinsertion.
        guard let index = partitions.index(forKey: message.partition) else { return [] }
        let actions = partitions.values[index].receive(consume event, raw: message.value, offset: message.offset, nowMs: nowMs)
        guard !actions.isEmpty else { return actions }
        let generation = partitions.values[index].generation
        for action in actions {
            var record: EmittedRecord?
            switch action {
            case .emit(let emitted): record = emitted
            case .deadLetter(let deadLetter): counters.countDeadLetter(deadLetter)
            }
            pending.append(Outbound(
                message: output(for: action, source: message), receipt: action.receipt, record: record,
                partition: message.partition, generation: generation
            ))
        }
        partitions.values[index].outstanding += actions.count
        return actions
    }

    /// Hands every waiting output to the sender.
    public mutating func takePending() -> [Outbound] {
        let taken = pending
        pending.removeAll(keepingCapacity: true)
        inFlight += taken.count
        return taken
    }

    /// Settles outputs the producer answered: acknowledged ones release their receipts; failed
    /// ones go back to the front of the queue. Returns the acknowledged outputs.
    public mutating func settle(_ outputs: [Outbound], acknowledged results: [Bool]) -> [Outbound] {
        inFlight -= outputs.count
        var acknowledged: [Outbound] = []
        var retry: [Outbound] = []
        for (output, result) in zip(outputs, results) {
            // Mutated in place: a copy of the runner would share its assembler's storage, and the
            // acknowledgement would then copy every open call of the partition.
            guard partitions[output.partition]?.generation == output.generation else { continue }
            if result {
                if let receipt = output.receipt {
                    partitions[output.partition]?.acknowledge(receipt)
                    partitions[output.partition]?.outstanding -= 1
                }
                if let record = output.record { counters.countRecord(record.record) }
                acknowledged.append(output)
            } else {
                var again = output
                again.attempts += 1
                retry.append(again)
            }
        }
        pending.insert(contentsOf: retry, at: 0)
        return acknowledged
    }

    /// The partitions to write a tick into now, each at most once per call:
    /// - **quiet**: open calls, and stream time has not moved for ``WorkerConfiguration/tickAfter``
    ///   of wall time (`nowMs`, monotonic); the timer restarts.
    /// - **due**: the next decision's deadline (``CallAssembler/nextDeadlineMs``) has just passed
    ///   in wall time (`wallMs`, epoch; at most `tickAfter` or the grace period ago) without an
    ///   event moving stream time past it. So a record is emitted as soon as its grace period has
    ///   passed, not when the next event happens to arrive. Deadlines long past in wall time (a
    ///   backlog, old event times) get no such tick: only the quiet one.
    ///
    /// A partition whose last tick has not come back yet (stream time below its time) gets no
    /// other for ``tickResendAfterMs``.
    public mutating func partitionsNeedingTicks(nowMs: Int64, wallMs: Int64) -> [Int32] {
        guard let tickAfter = configuration.tickAfter, configuration.replay == nil else { return [] }
        let afterMs = tickAfter.milliseconds
        let followMs = max(afterMs, configuration.assembler.gracePeriod.milliseconds)
        var due: [Int32] = []
        for (partition, runner) in partitions {
            let assembler = runner.assembler
            let streamTimeMs = assembler.streamTimeMs ?? .min
            if let tickMs = runner.lastTickAtMs, streamTimeMs < tickMs, wallMs - tickMs < Self.tickResendAfterMs { continue }
            let quiet = assembler.openCallCount > 0 && nowMs - runner.quietSinceMs >= afterMs
            let deadlinePassed = assembler.nextDeadlineMs.map { deadline in
                deadline <= wallMs && streamTimeMs < deadline && wallMs - deadline <= followMs
            } ?? false
            if quiet || deadlinePassed { due.append(partition) }
        }
        // Marked after the loop: a change to `partitions` while iterating it copies the dictionary.
        for partition in due {
            partitions[partition]?.quietSinceMs = nowMs
            partitions[partition]?.lastTickAtMs = wallMs
        }
        return due.sorted()
    }

    /// How long a tick may take to come back before another is written (ms).
    public static let tickResendAfterMs: Int64 = 1000

    /// Events read so far in `plan` and whether every replayed partition reached its end offset.
    public func replayProgress(_ plan: ReplayPlan, reached: inout [Int32: Int64]) -> (read: Int64, done: Bool) {
        for (partition, runner) in partitions { if let position = runner.position { reached[partition] = max(reached[partition] ?? 0, position) } }
        var read: Int64 = 0
        var done = true
        for (partition, end) in plan.endOffsets {
            guard let start = plan.startOffset(partition), end > start else { continue }
            let position = min(reached[partition] ?? start, end)
            read += max(0, position - start)
            if position < end { done = false }
        }
        return (read, done)
    }

    private func output(for action: AssemblerAction, source: KafkaMessage) -> KafkaProducerMessage {
        switch action {
        case .emit(let emitted):
            return KafkaProducerMessage(
                topic: configuration.recordsTopic, key: Array(emitted.callID.utf8), value: emitted.bytes,
                headers: Self.recordHeaders(revision: emitted.revision, status: emitted.record.status.rawValue)
            )
        case .deadLetter(let deadLetter):
            var headers = source.headers
            headers.append(key: WorkerHeader.deadLetterReason, string: deadLetter.reason.code.description)
            headers.append(key: WorkerHeader.deadLetterMessage, string: deadLetter.reason.message)
            headers.append(key: WorkerHeader.sourceTopic, string: source.topic)
            headers.append(key: WorkerHeader.sourcePartition, string: String(source.partition))
            headers.append(key: WorkerHeader.sourceOffset, string: String(deadLetter.offset))
            return KafkaProducerMessage(topic: configuration.deadLetterTopic, key: source.key, value: deadLetter.raw, headers: headers)
        }
    }

    /// A record's headers, packed at once (one allocation).
    private static func recordHeaders(revision: Int, status: String) -> KafkaHeaders {
        var headers = KafkaHeaders()
        let revision = String(revision)
        headers.reserveCapacity(headers: 2, bytes: WorkerHeader.revision.utf8.count + revision.utf8.count + WorkerHeader.status.utf8.count + status.utf8.count)
        headers.append(key: WorkerHeader.revision, string: revision)
        headers.append(key: WorkerHeader.status, string: status)
        return headers
    }
}
