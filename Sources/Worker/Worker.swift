public import CallAssembly
import CallEvents
import Foundation
import Kafka
public import Logging
public import ServiceLifecycle
import Synchronization

/// A call-assembly worker: a member of the consumer group on the raw events topic that runs a
/// ``CallAssembler`` per assigned partition, produces its records and dead letters, and commits
/// each partition's low watermark once the outputs that moved it are acknowledged.
///
/// On graceful shutdown it leaves the group: the last revocation drains outputs in flight and
/// commits, then the producer flushes. Cancelling ``run()`` instead stops at once without
/// committing, as a crash would (the next owner re-reads from the last commit).
public final class Worker: Service, Sendable {
    public let configuration: WorkerConfiguration
    let logger: Logger
    let state: Mutex<WorkerState>
    let aborted = Atomic<Bool>(false)
    private let wake: AsyncStream<Void>.Continuation
    private let wakeups: AsyncStream<Void>
    private let onRecord: (@Sendable (EmittedRecord) -> Void)?
    private let onReplayProgress: (@Sendable (_ read: Int64, _ total: Int64) -> Void)?
    let clients = Mutex<(consumer: KafkaConsumer?, producer: KafkaProducer?)>((nil, nil))
    /// Prometheus metrics (see `docs/metrics.md`); ``WorkerServices`` serve them.
    public let metrics: WorkerMetrics
    let running = Atomic<Bool>(false)

    /// - Parameter onRecord: called with each record once the broker acknowledged it (e.g. to
    ///   write a local JSON Lines file in `callstream dev`).
    /// - Parameter onReplayProgress: with ``WorkerConfiguration/replay``, called about every 200 ms
    ///   with the events read so far and in all.
    public init(
        configuration: WorkerConfiguration, logger: Logger, onRecord: (@Sendable (EmittedRecord) -> Void)? = nil,
        onReplayProgress: (@Sendable (_ read: Int64, _ total: Int64) -> Void)? = nil, metrics: WorkerMetrics = WorkerMetrics()
    ) {
        self.metrics = metrics
        self.onReplayProgress = onReplayProgress
        self.configuration = configuration
        self.logger = logger
        self.state = Mutex(WorkerState(configuration: configuration))
        (self.wakeups, self.wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.onRecord = onRecord
    }

    /// Leaves the group gracefully (drain, commit, flush); ``run()`` then returns. For use
    /// outside a `ServiceGroup`, which otherwise does this on SIGTERM.
    public func triggerGracefulShutdown() {
        clients.withLock { $0.consumer }?.triggerGracefulShutdown()
    }

    /// The partitions currently assigned, for tests and status.
    public var assignedPartitions: [Int32] { state.withLock { $0.partitions.keys.sorted() } }

    public func run() async throws {
        let consumer: KafkaConsumer
        let producer: KafkaProducer
        do {
            consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
            producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        } catch {
            throw WorkerError(.kafka, "cannot create the Kafka clients: \(error)")
        }
        clients.withLock { $0 = (consumer, producer) }
        running.store(true, ordering: .relaxed)
        defer { running.store(false, ordering: .relaxed) }
        // The clients run detached so that a graceful shutdown reaches them in our order (consumer
        // first, producer last), not all at once through the task-local shutdown signal.
        let consumerTask = Task.detached { try await consumer.run() }
        let producerTask = Task.detached { try await producer.run() }

        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.sendLoop(producer) }
                group.addTask { await self.commitLoop(consumer) }
                group.addTask { await self.tickLoop(producer) }
                if let plan = configuration.replay { group.addTask { await self.replayLoop(plan, consumer) } }
                await withGracefulShutdownHandler {
                    await self.consume(consumer)
                } onGracefulShutdown: {
                    consumer.triggerGracefulShutdown()
                }
                if !aborted.load(ordering: .relaxed) {
                    _ = await drain(nil)
                }
                group.cancelAll()
            }
        } onCancel: {
            self.aborted.store(true, ordering: .relaxed)
            consumer.triggerGracefulShutdown()
        }
        consumer.triggerGracefulShutdown()
        _ = try? await consumerTask.value
        producer.triggerGracefulShutdown()
        _ = try? await producerTask.value
        wake.finish()
        logger.info("worker stopped")
    }

    // MARK: Consuming

    /// Reads in batches, in order. Each message arrives decoded (``WorkerState/decodeOnPollingThread(_:)``
    /// runs on the consumer's polling thread), so decoding overlaps the assembly here; a batch
    /// with a rebalance is handled in order after everything read before it.
    private func consume(_ consumer: KafkaConsumer) async {
        var iterator = consumer.events.makeAsyncIterator()
        while true {
            // Under load, messages are ready: taken as messages (moved out of the consumer, not copied).
            let messages = iterator.readyMessages(maximum: Self.batchSize)
            if !messages.isEmpty {
                if !aborted.load(ordering: .relaxed) { await assemble(messages) }
                continue
            }
            let batch = iterator.readyBatch(maximum: Self.batchSize)
            if batch.isEmpty {
                guard await iterator.waitForEvents() else { break }
                continue
            }
            if aborted.load(ordering: .relaxed) { continue }
            var pending: [KafkaMessage] = []
            for event in batch {
                switch event {
                case .message(let message):
                    pending.append(message)
                case .partitionsAssigned(let assigned):
                    await assemble(&pending)
                    let partitions = assigned.filter { $0.topic == configuration.eventsTopic }.map(\.partition)
                    state.withLock { $0.assign(partitions, nowMs: Self.nowMs()) }
                    metrics.recordRebalance("assigned")
                    logger.info("partitions assigned", metadata: ["topic": "\(configuration.eventsTopic)", "partition": "\(partitions)"])
                case .partitionsRevoked(let revoked):
                    await assemble(&pending)
                    let partitions = revoked.filter { $0.topic == configuration.eventsTopic }.map(\.partition)
                    // Commit before asking for the next event: that is what completes the revocation.
                    if await drain(partitions) {
                        await commit(consumer, partitions)
                    } else {
                        logger.warning("revocation: outputs still in flight; not committing", metadata: ["partition": "\(partitions)"])
                    }
                    state.withLock { $0.revoke(partitions) }
                    metrics.recordRebalance("revoked")
                    logger.info("partitions revoked", metadata: ["topic": "\(configuration.eventsTopic)", "partition": "\(partitions)"])
                }
            }
            await assemble(&pending)
        }
    }

    /// Messages taken from the consumer at once (a rebalance ends a batch early).
    private static let batchSize = 1000

    /// Assembles `messages` and empties it.
    private func assemble(_ messages: inout [KafkaMessage]) async {
        guard !messages.isEmpty else { return }
        defer { messages.removeAll(keepingCapacity: true) }
        await assemble(messages)
    }

    /// Feeds messages to their assemblers in order under one lock; each message's event is the
    /// one decoded on the polling thread (moved out of it, not copied), or decoded here.
    private func assemble(_ messages: [KafkaMessage]) async {
        await waitForRoom()
        let nowMs = Self.nowMs()
        let (produced, deadLetters) = state.withLock { state in
            var produced = false
            var deadLetters: [(KafkaMessage, DeadLetter)] = []
            // Borrowed from the array's storage, not copied out.
            messages.withUnsafeBufferPointer { messages in
                for index in messages.indices {
                    for action in state.receive(messages[index], decoded: WorkerState.decode(messages[index]), nowMs: nowMs) {
                        produced = true
                        if case .deadLetter(let deadLetter) = action { deadLetters.append((messages[index], deadLetter)) }
                    }
                }
            }
            return (produced, deadLetters)
        }
        for (message, deadLetter) in deadLetters {
            logger.warning("dead letter", metadata: [
                "topic": "\(message.topic)", "partition": "\(message.partition)", "offset": "\(message.offset)",
                "reason": "\(deadLetter.reason.code)", "call_id": "\(message.keyString ?? "")",
            ])
        }
        if produced { wake.yield() }
    }

    /// Back-pressure: reading waits while too many outputs are unacknowledged.
    private func waitForRoom() async {
        while state.withLock({ $0.outstanding }) >= configuration.maximumOutstanding, !aborted.load(ordering: .relaxed) {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits until `partitions` (all when `nil`) have no output unacknowledged, within the drain
    /// timeout; `false` when time ran out.
    private func drain(_ partitions: [Int32]?) async -> Bool {
        let deadline = ContinuousClock.now + configuration.drainTimeout
        while ContinuousClock.now < deadline {
            let busy = state.withLock { state in
                state.hasOutstanding(partitions ?? Array(state.partitions.keys))
            }
            if !busy { return true }
            wake.yield()
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    // MARK: Producing

    private func sendLoop(_ producer: KafkaProducer) async {
        for await _ in wakeups {
            while true {
                let batch = state.withLock { $0.takePending() }
                if batch.isEmpty { break }
                let results = await producer.send(batch.map(\.message))
                let acknowledged = state.withLock { $0.settle(batch, acknowledged: results.map { (try? $0.get()) != nil }) }
                if acknowledged.count < batch.count { await backOff(batch, results) }
                if logger.logLevel <= .debug { logRecords(batch, results) }
                if let onRecord {
                    for output in acknowledged { if let record = output.record { onRecord(record) } }
                }
                if Task.isCancelled { return }
            }
        }
    }

    private func backOff(_ batch: [Outbound], _ results: [Result<KafkaDeliveryReport, KafkaError>]) async {
        for (output, result) in zip(batch, results) {
            if case .failure(let error) = result {
                logger.error("produce failed; retrying", metadata: [
                    "topic": "\(output.message.topic)", "partition": "\(output.partition)", "error": "\(error)",
                ])
                break
            }
        }
        try? await Task.sleep(for: .milliseconds(200))
        wake.yield()
    }

    // MARK: Committing

    private func commitLoop(_ consumer: KafkaConsumer) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.commitInterval)
            if aborted.load(ordering: .relaxed) { return }
            await commit(consumer, nil)
        }
    }

    private func commit(_ consumer: KafkaConsumer, _ partitions: [Int32]?) async {
        let offsets = state.withLock { $0.commitCandidates(partitions) }
        guard !offsets.isEmpty else { return }
        let started = ContinuousClock.now
        defer { metrics.commitDuration.record(ContinuousClock.now - started) }
        do {
            try await consumer.commit(offsets)
            state.withLock { $0.markCommitted(offsets) }
            logger.debug("committed", metadata: ["topic": "\(configuration.eventsTopic)", "offset": "\(offsets.map(\.description))"])
        } catch {
            // Refused while the group rebalances: the next owner re-reads from the last commit.
            metrics.commitFailures.increment()
            logger.info("commit refused", metadata: ["topic": "\(configuration.eventsTopic)", "error": "\(error)"])
        }
    }

    // MARK: Replay

    /// Reports progress and ends the worker once every replayed partition reached its end offset.
    private func replayLoop(_ plan: ReplayPlan, _ consumer: KafkaConsumer) async {
        var reached: [Int32: Int64] = [:]
        let total = plan.totalEvents
        while !Task.isCancelled {
            let progress = state.withLock { $0.replayProgress(plan, reached: &reached) }
            onReplayProgress?(progress.read, total)
            if progress.done {
                logger.info("replay reached its end offsets", metadata: ["topic": "\(configuration.eventsTopic)"])
                consumer.triggerGracefulShutdown()
                return
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    // MARK: Ticks

    private func tickLoop(_ producer: KafkaProducer) async {
        // A replay reads a fixed range to its end offsets: it writes no ticks.
        guard configuration.tickAfter != nil, configuration.replay == nil else { return }
        var skipped = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.tickCheckInterval)
            if aborted.load(ordering: .relaxed) { return }
            let atMs = Int64(Date().timeIntervalSince1970 * 1000)
            // The state is busy while a batch is assembled, so events are flowing: waiting for it
            // would hold one of the pool's threads (two on two cores) for the whole batch. The
            // check waits only after `maximumTickChecksSkipped` tries in a row found it busy.
            let nowMs = Self.nowMs()
            let found = skipped < Self.maximumTickChecksSkipped
                ? state.withLockIfAvailable { $0.partitionsNeedingTicks(nowMs: nowMs, wallMs: atMs) }
                : state.withLock { $0.partitionsNeedingTicks(nowMs: nowMs, wallMs: atMs) }
            guard let due = found else {
                skipped += 1
                continue
            }
            skipped = 0
            guard !due.isEmpty else { continue }
            let messages = due.map {
                KafkaProducerMessage(
                    topic: configuration.eventsTopic, key: nil, value: Tick.encode(atMs: atMs),
                    headers: [KafkaHeader(key: WorkerHeader.event, string: WorkerHeader.tickEvent)], partition: $0
                )
            }
            for (partition, result) in zip(due, await producer.send(messages)) {
                if case .failure(let error) = result {
                    logger.warning("tick failed", metadata: ["topic": "\(configuration.eventsTopic)", "partition": "\(partition)", "error": "\(error)"])
                } else {
                    logger.debug("tick", metadata: ["topic": "\(configuration.eventsTopic)", "partition": "\(partition)"])
                }
            }
        }
    }

    /// Tick checks in a row that may skip a busy state (at the default interval, 200 ms of them).
    private static let maximumTickChecksSkipped = 20

    // MARK: Clients

    private var consumerConfiguration: KafkaConsumerConfiguration {
        // The worker commits exactly its watermarks itself; nothing is stored for auto-commit.
        var consumer = KafkaConsumerConfiguration.committingMember(
            bootstrapServers: configuration.bootstrapServers, topic: configuration.eventsTopic, groupID: configuration.groupID,
            clientID: configuration.clientID, sessionTimeout: configuration.sessionTimeout, heartbeatInterval: configuration.heartbeatInterval,
            drainTimeout: configuration.drainTimeout, shutdownTimeout: configuration.clientShutdownTimeout, properties: configuration.kafkaProperties
        )
        consumer.messageDecoder = WorkerState.decodeOnPollingThread
        if let plan = configuration.replay {
            // A replay starts each assigned partition at the plan's start (one not replayed at its
            // end), whatever the group committed before.
            let topic = configuration.eventsTopic
            consumer.assignmentOffsets = { partitions in
                var offsets: [KafkaTopicPartition: Int64] = [:]
                for partition in partitions where partition.topic == topic {
                    offsets[partition] = plan.startOffset(partition.partition) ?? plan.endOffsets[partition.partition] ?? KafkaOffset.end
                }
                return offsets
            }
        }
        return consumer
    }

    private var producerConfiguration: KafkaProducerConfiguration {
        var producer = KafkaProducerConfiguration(bootstrapServers: configuration.bootstrapServers)
        producer.clientID = configuration.clientID
        producer.messageTimeout = configuration.messageTimeout
        producer.shutdownTimeout = configuration.clientShutdownTimeout
        producer.properties = configuration.kafkaProperties
        return producer
    }

    /// A monotonic clock in ms, for the tick timer only (never part of a record).
    static func nowMs() -> Int64 {
        return Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000)
    }
}
