import Foundation
import Kafka
public import Logging
public import ServiceLifecycle
import Synchronization

/// Makes a sink a member of a consumer group: reads the records topic (or the raw events topic for
/// a ``LiveEventSink``), hands the sink batches in partition order, retries failed writes with
/// exponential backoff, dead-letters what still fails, and commits a partition's offset only past
/// what was written. Delivery is at least once.
///
/// Graceful shutdown (SIGTERM in a `ServiceGroup`, or ``triggerGracefulShutdown()``) writes what
/// was read within ``SinkRunnerConfiguration/drainTimeout``, commits and leaves the group.
/// Cancelling ``run()`` stops at once without committing, as a crash would.
public final class SinkRunner: Service, Sendable {
    public let configuration: SinkRunnerConfiguration
    private let target: SinkTarget
    private let logger: Logger
    private let state = Mutex(SinkRunnerState())
    private let aborted = Atomic<Bool>(false)
    private let stopRequested = Atomic<Bool>(false)
    private let consumerClient = Mutex<KafkaConsumer?>(nil)
    private let counts = Mutex(SinkRunnerCounters())
    private let wake: AsyncStream<Void>.Continuation
    private let wakeups: AsyncStream<Void>

    /// A runner for a sink of completed records (``SinkRunnerConfiguration/topic`` = the records topic).
    public convenience init(configuration: SinkRunnerConfiguration, sink: any RecordSink, logger: Logger) {
        self.init(configuration: configuration, target: .records(sink), logger: logger)
    }

    /// A runner for a sink of live events (``SinkRunnerConfiguration/topic`` = the raw events topic).
    public convenience init(configuration: SinkRunnerConfiguration, liveSink: any LiveEventSink, logger: Logger) {
        self.init(configuration: configuration, target: .liveEvents(liveSink), logger: logger)
    }

    init(configuration: SinkRunnerConfiguration, target: SinkTarget, logger: Logger) {
        self.configuration = configuration
        self.target = target
        self.logger = logger
        (self.wakeups, self.wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// What the runner did so far: for status and tests.
    public var counters: SinkRunnerCounters { counts.withLock { $0 } }

    /// Writes what was read, commits and leaves the group; ``run()`` then returns.
    /// Callable before ``run()`` created its consumer: the runner then stops as soon as it has one.
    public func triggerGracefulShutdown() {
        let consumer = consumerClient.withLock { client in
            stopRequested.store(true, ordering: .relaxed)
            return client
        }
        consumer?.triggerGracefulShutdown()
    }

    public func run() async throws {
        try await target.lifecycle.start()
        let consumer: KafkaConsumer
        let producer: KafkaProducer?
        do {
            consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
            producer = try configuration.deadLetterTopic.map { _ in try KafkaProducer(configuration: producerConfiguration, logger: logger) }
        } catch {
            try? await target.lifecycle.shutdown()
            throw SinkError(.kafka, "cannot create the Kafka clients: \(error)")
        }
        let stopEarly = consumerClient.withLock { client in
            client = consumer
            return stopRequested.load(ordering: .relaxed)
        }
        if stopEarly { consumer.triggerGracefulShutdown() }
        // Detached, so that a graceful shutdown reaches them in our order: consumer, then producer.
        let consumerTask = Task.detached { try await consumer.run() }
        let producerTask = producer.map { producer in Task.detached { try await producer.run() } }

        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.writeLoop(consumer, producer) }
                await withGracefulShutdownHandler {
                    await self.consume(consumer)
                } onGracefulShutdown: {
                    consumer.triggerGracefulShutdown()
                }
                // The last revocation drained and committed; anything still retrying is given up.
                aborted.store(true, ordering: .relaxed)
                wake.finish()
            }
        } onCancel: {
            self.aborted.store(true, ordering: .relaxed)
            consumer.triggerGracefulShutdown()
        }
        consumer.triggerGracefulShutdown()
        _ = try? await consumerTask.value
        producer?.triggerGracefulShutdown()
        _ = try? await producerTask?.value
        do {
            try await target.lifecycle.shutdown()
        } catch {
            logger.error("sink shutdown failed", metadata: ["error": "\(error)"])
        }
        logger.info("sink runner stopped", metadata: ["topic": "\(configuration.topic)"])
    }

    // MARK: Reading

    private func consume(_ consumer: KafkaConsumer) async {
        for await event in consumer.events {
            if aborted.load(ordering: .relaxed) { continue }
            switch event {
            case .message(let message):
                while state.withLock({ $0.pendingCount }) >= configuration.maximumPending, !aborted.load(ordering: .relaxed) {
                    try? await Task.sleep(for: .milliseconds(5))
                }
                state.withLock { $0.receive(message) }
                wake.yield()
            case .partitionsAssigned(let partitions):
                state.withLock { $0.assign(partitions) }
                logger.info("partitions assigned", metadata: ["topic": "\(configuration.topic)", "partition": "\(partitions.map(\.partition))"])
            case .partitionsRevoked(let partitions):
                // Write and commit what was read before asking for the next event: that completes the revocation.
                if !(await drain(partitions)) {
                    logger.warning("revocation: writes still failing; committing only what was written", metadata: ["partition": "\(partitions.map(\.partition))"])
                }
                await commit(consumer, partitions)
                state.withLock { $0.revoke(partitions) }
                logger.info("partitions revoked", metadata: ["topic": "\(configuration.topic)", "partition": "\(partitions.map(\.partition))"])
            }
        }
    }

    /// Waits until `partitions` have nothing read and unwritten, within the drain timeout.
    private func drain(_ partitions: [KafkaTopicPartition]) async -> Bool {
        state.withLock { $0.draining += 1 }
        defer { state.withLock { $0.draining -= 1 } }
        let deadline = ContinuousClock.now + configuration.drainTimeout
        while ContinuousClock.now < deadline {
            if state.withLock({ $0.isDrained(partitions) }) { return true }
            wake.yield()
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    // MARK: Writing

    private func writeLoop(_ consumer: KafkaConsumer, _ producer: KafkaProducer?) async {
        for await _ in wakeups {
            while !aborted.load(ordering: .relaxed) {
                let (count, draining) = state.withLock { ($0.pendingCount, $0.draining) }
                if count == 0 { break }
                if count < configuration.batchSize, draining == 0 {
                    try? await Task.sleep(for: configuration.batchWait)
                }
                let batch = state.withLock { $0.takeBatch(maximum: configuration.batchSize) }
                if batch.isEmpty { break }
                if await write(batch, producer) {
                    state.withLock { $0.finish(batch) }
                    await commit(consumer, nil)
                } else {
                    state.withLock { $0.abandon(batch) }
                }
            }
        }
    }

    /// Writes `batch` (retrying, then record by record, then dead-lettering); `false` when the
    /// runner stopped before it was done.
    private func write(_ batch: [KafkaMessage], _ producer: KafkaProducer?) async -> Bool {
        var items: [(message: KafkaMessage, item: SinkTarget.Item)] = []
        var deadLetters: [(KafkaMessage, SinkError)] = []
        for message in batch {
            switch target.decode(message) {
            case .success(let item?): items.append((message, item))
            case .success(nil): continue
            case .failure(let error): deadLetters.append((message, error))
            }
        }
        if !items.isEmpty {
            switch await attempt(items.map(\.item), attempts: configuration.retry.maximumAttempts) {
            case .written:
                counts.withLock { $0.written += items.count }
            case .stopped:
                return false
            case .failed(let error):
                guard items.count > 1 else {
                    deadLetters.append((items[0].message, error))
                    break
                }
                // One bad record must not take its batch to the dead letters: try each alone.
                for (message, item) in items {
                    switch await attempt([item], attempts: 1) {
                    case .written: counts.withLock { $0.written += 1 }
                    case .stopped: return false
                    case .failed(let error): deadLetters.append((message, error))
                    }
                }
            }
        }
        return await deadLetter(deadLetters, producer)
    }

    private enum Outcome {
        case written
        case failed(SinkError)
        case stopped
    }

    private func attempt(_ items: [SinkTarget.Item], attempts: Int) async -> Outcome {
        var attempt = 0
        while true {
            if aborted.load(ordering: .relaxed) { return .stopped }
            do {
                try await target.deliver(items)
                return .written
            } catch {
                attempt += 1
                counts.withLock { $0.failedWrites += 1 }
                let sinkError = error as? SinkError ?? SinkError(.unavailable, "\(error)")
                logger.warning("sink write failed", metadata: [
                    "topic": "\(configuration.topic)", "records": "\(items.count)", "attempt": "\(attempt)", "error": "\(error)",
                ])
                // Without a dead-letter topic nothing is given up: retry until it works or we stop.
                if configuration.deadLetterTopic != nil, !sinkError.isRetriable || attempt >= attempts {
                    return .failed(sinkError)
                }
                await sleep(configuration.retry.delay(afterAttempt: attempt))
            }
        }
    }

    /// Produces the dead letters, retrying until acknowledged; `false` when the runner stopped first.
    private func deadLetter(_ failures: [(KafkaMessage, SinkError)], _ producer: KafkaProducer?) async -> Bool {
        guard !failures.isEmpty, let producer, let topic = configuration.deadLetterTopic else { return true }
        let messages = failures.map { message, error in
            KafkaProducerMessage(topic: topic, key: message.key, value: message.value, headers: [
                KafkaHeader(key: SinkHeader.deadLetterReason, string: error.code.description),
                KafkaHeader(key: SinkHeader.deadLetterMessage, string: error.message),
                KafkaHeader(key: SinkHeader.sourceTopic, string: message.topic),
                KafkaHeader(key: SinkHeader.sourcePartition, string: "\(message.partition)"),
                KafkaHeader(key: SinkHeader.sourceOffset, string: "\(message.offset)"),
            ])
        }
        var attempt = 0
        while !aborted.load(ordering: .relaxed) {
            let results = await producer.send(messages)
            if results.allSatisfy({ (try? $0.get()) != nil }) {
                counts.withLock { $0.deadLettered += messages.count }
                for (message, error) in failures {
                    logger.error("dead letter", metadata: [
                        "topic": "\(message.topic)", "partition": "\(message.partition)", "offset": "\(message.offset)", "reason": "\(error.code)",
                    ])
                }
                return true
            }
            attempt += 1
            await sleep(configuration.retry.delay(afterAttempt: attempt))
        }
        return false
    }

    /// Sleeps `duration`, waking early when the runner stops.
    private func sleep(_ duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline, !aborted.load(ordering: .relaxed) {
            try? await Task.sleep(for: min(.milliseconds(50), deadline - ContinuousClock.now))
        }
    }

    // MARK: Committing

    private func commit(_ consumer: KafkaConsumer, _ partitions: [KafkaTopicPartition]?) async {
        let offsets = state.withLock { $0.commitCandidates(partitions) }
        guard !offsets.isEmpty else { return }
        do {
            try await consumer.commit(offsets)
            state.withLock { $0.markCommitted(offsets) }
            logger.debug("committed", metadata: ["topic": "\(configuration.topic)", "offset": "\(offsets.map(\.description))"])
        } catch {
            // Refused while the group rebalances: the next commit (or owner) covers it.
            logger.info("commit refused", metadata: ["topic": "\(configuration.topic)", "error": "\(error)"])
        }
    }

    // MARK: Clients

    private var consumerConfiguration: KafkaConsumerConfiguration {
        // Offsets are committed by the runner only, past what the sink wrote.
        .committingMember(
            bootstrapServers: configuration.bootstrapServers, topic: configuration.topic, groupID: configuration.groupID,
            clientID: configuration.clientID, sessionTimeout: configuration.sessionTimeout, heartbeatInterval: configuration.heartbeatInterval,
            drainTimeout: configuration.drainTimeout, shutdownTimeout: configuration.clientShutdownTimeout, properties: configuration.kafkaProperties
        )
    }

    private var producerConfiguration: KafkaProducerConfiguration {
        var producer = KafkaProducerConfiguration(bootstrapServers: configuration.bootstrapServers)
        producer.clientID = configuration.clientID
        producer.shutdownTimeout = configuration.clientShutdownTimeout
        producer.properties = configuration.kafkaProperties
        return producer
    }
}
