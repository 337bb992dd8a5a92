import CRdKafka
import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

/// A consumer-group member (or a reader of fixed partitions) whose messages and rebalances arrive,
/// in order, through ``events``.
///
/// ``run()`` polls with `rd_kafka_consumer_poll` on a thread of its own (librdkafka 2.0.2's batch
/// APIs are unsafe with seek, pause and rebalances). Offsets are never stored automatically:
/// the caller stores what is safe (``storeOffsets(_:)``) and commits (``commit()``, or in the
/// background every ``KafkaConsumerConfiguration/autoCommitInterval``).
public final class KafkaConsumer: Service, Sendable {
    private let client: RdKafkaClient
    private let configuration: KafkaConsumerConfiguration
    private let buffer: ConsumerEventBuffer
    private let lifecycle = Mutex<Lifecycle>(.initial)
    private let stopRequested = Atomic<Bool>(false)
    private let requests = Mutex<[PollThreadRequest]>([])
    private let logger: Logger

    private enum Lifecycle {
        case initial, running, finished
    }

    /// Work that must run on the polling thread, between two polls.
    private struct PollThreadRequest: Sendable {
        let offsets: [KafkaTopicPartitionOffset]
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// The events to iterate (from one task).
    public var events: KafkaConsumerEvents { KafkaConsumerEvents(buffer: buffer) }

    public init(configuration: KafkaConsumerConfiguration, logger: Logger) throws(KafkaError) {
        if case .group = configuration.subscription, configuration.groupID == nil {
            throw KafkaError(code: .configuration, message: "a group subscription needs a groupID")
        }
        let buffer = ConsumerEventBuffer(capacity: configuration.bufferCapacity)
        let revocationTimeout = configuration.revocationTimeout
        let assignmentOffsets = configuration.assignmentOffsets
        let context = ClientContext(logger: logger, onRebalance: { rk, error, list in
            Self.rebalance(
                rk: rk, error: error, list: list, buffer: buffer, timeout: revocationTimeout, assignmentOffsets: assignmentOffsets, logger: logger
            )
        })
        self.client = try RdKafkaClient(type: RD_KAFKA_CONSUMER, properties: configuration.rdKafkaProperties, context: context)
        // Serve rebalances and errors from the consumer queue, i.e. from our polling thread.
        rd_kafka_poll_set_consumer(client.handle)
        self.configuration = configuration
        self.buffer = buffer
        self.logger = logger
    }

    // MARK: Running

    /// Subscribes (or assigns), polls until graceful shutdown or cancellation, then closes the
    /// consumer (a last ``KafkaConsumerEvent/partitionsRevoked(_:)`` lets the caller commit) and
    /// releases it, all within ``KafkaConsumerConfiguration/shutdownTimeout`` plus the revocation timeout.
    public func run() async throws {
        let canStart = lifecycle.withLock { state -> Bool in
            guard case .initial = state else { return false }
            state = .running
            return true
        }
        guard canStart else { throw KafkaError(code: .shutDown, message: "consumer run() called twice or after shutdown") }
        do {
            if case .partitions(let offsets) = configuration.subscription {
                await warmUpMetadata(topics: Set(offsets.map(\.topic)))
            }
            try start()
        } catch {
            // The reader must not wait for events that will never come.
            lifecycle.withLock { $0 = .finished }
            buffer.finish()
            await client.destroy(flags: RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE, timeout: configuration.shutdownTimeout)
            throw error
        }
        let this = UncheckedSendable(self)
        await PollingThread.run(name: "kafka-consumer", loop: { this.value.pollLoop() }, stop: { this.value.triggerGracefulShutdown() })
        lifecycle.withLock { $0 = .finished }
        failPendingRequests()
        buffer.finish()
        await client.destroy(flags: RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE, timeout: configuration.shutdownTimeout)
    }

    /// Leaves the group and ends ``run()`` (bounded); for use outside a `ServiceGroup`.
    public func triggerGracefulShutdown() {
        stopRequested.store(true, ordering: .relaxed)
        rd_kafka_yield(client.handle)
    }

    /// Learns the partitions' leaders before assigning them: librdkafka 2.0.2 otherwise retries
    /// the first offset lookup on a fixed 500 ms timer, a delay every fixed-partition reader paid.
    private func warmUpMetadata(topics: Set<String>) async {
        let handle = UncheckedSendable(client.handle)
        await Blocking.run {
            for topic in topics.sorted() {
                guard let topicHandle = rd_kafka_topic_new(handle.value, topic, nil) else { continue }
                var metadata: UnsafePointer<rd_kafka_metadata>?
                if rd_kafka_metadata(handle.value, 0, topicHandle, &metadata, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR {
                    rd_kafka_metadata_destroy(metadata)
                }
                rd_kafka_topic_destroy(topicHandle)
            }
        }
    }

    private func start() throws(KafkaError) {
        switch configuration.subscription {
        case .group(let topics):
            let list = TopicPartitionList.make(topics.map { KafkaTopicPartitionOffset(topic: $0, partition: RD_KAFKA_PARTITION_UA, offset: KafkaOffset.stored) })
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let error = rd_kafka_subscribe(client.handle, list)
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rdKafka: error, context: "subscribe to \(topics)") }
        case .partitions(let offsets):
            let list = TopicPartitionList.make(offsets)
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let error = rd_kafka_assign(client.handle, list)
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rdKafka: error, context: "assign \(offsets)") }
            buffer.pushControl(.event(.partitionsAssigned(offsets.map(\.topicPartition))))
        }
    }

    private func pollLoop() {
        var topicNames: [UInt: KafkaTopicName] = [:]
        let handle = client.handle
        /// How many ready messages one hand-over takes at most.
        let batchLimit = 1000
        let decoder = configuration.messageDecoder
        while !stopRequested.load(ordering: .relaxed) {
            serveRequests()
            var next = rd_kafka_consumer_poll(handle, 100)
            var polled = 0
            // Drain what is ready without waiting; a rebalance callback in here flushes the stage first.
            while let raw = next {
                if raw.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    let polled = KafkaPolledMessage(raw, topicName: Self.topicName(raw, cache: &topicNames))
                    buffer.stage(decoder?(polled) ?? polled.message())
                } else {
                    logConsumerError(raw)
                }
                rd_kafka_message_destroy(raw)
                polled += 1
                next = polled < batchLimit ? rd_kafka_consumer_poll(handle, 0) : nil
            }
            while !buffer.flushStaged(wait: 0.05) {
                // Seeks served while the batch waits for room drop its stale messages.
                serveRequests()
                if stopRequested.load(ordering: .relaxed) { break }
            }
        }
        serveRequests()
        if case .group = configuration.subscription {
            // Serves the final revocation on this thread, through the rebalance callback.
            let error = rd_kafka_consumer_close(handle)
            if error != RD_KAFKA_RESP_ERR_NO_ERROR {
                logger.warning("consumer close failed", metadata: ["error": "\(KafkaError(rdKafka: error))"])
            }
        }
    }

    private func logConsumerError(_ raw: UnsafeMutablePointer<rd_kafka_message_t>) {
        let error = KafkaError(rdKafka: raw.pointee.err)
        var metadata: Logger.Metadata = ["error": "\(error)"]
        if let topic = raw.pointee.rkt {
            metadata["topic"] = "\(String(cString: rd_kafka_topic_name(topic)))"
            metadata["partition"] = "\(raw.pointee.partition)"
        }
        logger.warning("consumer error", metadata: metadata)
    }

    /// The message's topic name, from `cache` (by librdkafka's topic handle) after the first time.
    private static func topicName(_ raw: UnsafeMutablePointer<rd_kafka_message_t>, cache: inout [UInt: KafkaTopicName]) -> KafkaTopicName {
        guard let rkt = raw.pointee.rkt else { return KafkaTopicName.interned("") }
        let key = UInt(bitPattern: UnsafeMutableRawPointer(rkt))
        if let name = cache[key] { return name }
        let name = KafkaTopicName.interned(String(cString: rd_kafka_topic_name(rkt)))
        cache[key] = name
        return name
    }

    /// The rebalance callback, on the polling thread. Eager protocol: revoke all, then assign all.
    private static func rebalance(
        rk: OpaquePointer, error: rd_kafka_resp_err_t, list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        buffer: ConsumerEventBuffer, timeout: Duration,
        assignmentOffsets: (@Sendable ([KafkaTopicPartition]) -> [KafkaTopicPartition: Int64])?, logger: Logger
    ) {
        let partitions = TopicPartitionList.offsets(list).map(\.topicPartition)
        switch error {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            logger.info("partitions assigned", metadata: ["partitions": "\(partitions.map(\.description).joined(separator: ","))"])
            if let assignmentOffsets, let list {
                TopicPartitionList.setOffsets(list, assignmentOffsets(partitions))
            }
            let result = rd_kafka_assign(rk, list)
            if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                logger.error("assign failed", metadata: ["error": "\(KafkaError(rdKafka: result))"])
            }
            buffer.pushControl(.event(.partitionsAssigned(partitions)))
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            logger.info("partitions revoked", metadata: ["partitions": "\(partitions.map(\.description).joined(separator: ","))"])
            let gate = RevocationGate()
            buffer.pushControl(.revocation(partitions, gate))
            if !gate.wait(timeout: timeout) {
                logger.warning("revocation not handled in time; completing it", metadata: ["timeout": "\(timeout)"])
            }
            rd_kafka_assign(rk, nil)
        default:
            logger.error("rebalance failed", metadata: ["error": "\(KafkaError(rdKafka: error))"])
            rd_kafka_assign(rk, nil)
        }
    }

    // MARK: Offsets

    /// Marks `offsets` (each the offset of the next message to read) for the next commit.
    /// Only assigned partitions can be stored.
    public func storeOffsets(_ offsets: [KafkaTopicPartitionOffset]) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = TopicPartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let error = rd_kafka_offsets_store(client.handle, list)
        if let partitionError = TopicPartitionList.firstError(list, context: "store offset") { throw partitionError }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rdKafka: error, context: "store offsets") }
    }

    /// Commits the stored offsets now and waits for the coordinator's answer.
    public func commit() async throws {
        try await commit(list: nil)
    }

    /// Commits exactly `offsets` now (each the next offset to read) and waits for the answer.
    public func commit(_ offsets: [KafkaTopicPartitionOffset]) async throws {
        guard !offsets.isEmpty else { return }
        try await commit(list: offsets)
    }

    private func commit(list offsets: [KafkaTopicPartitionOffset]?) async throws {
        let handle = UncheckedSendable(client.handle)
        let metadata = configuration.commitMetadata
        let result: KafkaError? = await Blocking.run {
            let list = offsets.map { TopicPartitionList.make($0, metadata: metadata) }
            defer { list.map { rd_kafka_topic_partition_list_destroy($0) } }
            let error = rd_kafka_commit(handle.value, list, 0)
            // Nothing stored since the last commit is not a failure.
            if error == RD_KAFKA_RESP_ERR__NO_OFFSET { return nil }
            if error != RD_KAFKA_RESP_ERR_NO_ERROR { return KafkaError(rdKafka: error, context: "commit") }
            return list.flatMap { TopicPartitionList.firstError($0, context: "commit") }
        }
        if let result { throw result }
    }

    /// The group's committed offsets for `partitions` (``KafkaOffset/stored`` where there is none).
    public func committedOffsets(for partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10)) async throws -> [KafkaTopicPartitionOffset] {
        let handle = UncheckedSendable(client.handle)
        let result: Result<[KafkaTopicPartitionOffset], KafkaError> = await Blocking.run {
            let list = TopicPartitionList.make(partitions)
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let error = rd_kafka_committed(handle.value, list, timeout.timeoutMilliseconds)
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { return .failure(KafkaError(rdKafka: error, context: "committed offsets")) }
            return .success(TopicPartitionList.offsets(list))
        }
        return try result.get()
    }

    /// The partitions currently assigned to this consumer.
    public func assignment() throws(KafkaError) -> [KafkaTopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let error = rd_kafka_assignment(client.handle, &list)
        defer { list.map { rd_kafka_topic_partition_list_destroy($0) } }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rdKafka: error, context: "assignment") }
        return TopicPartitionList.offsets(list).map(\.topicPartition).sorted()
    }

    // MARK: Positioning

    /// Moves assigned partitions to `offsets`. Messages polled before the seek and not yet
    /// handed out are dropped, so the next message of each partition is the one sought.
    public func seek(_ offsets: [KafkaTopicPartitionOffset]) async throws {
        guard !offsets.isEmpty else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let accepted = lifecycle.withLock { state -> Bool in
                guard case .running = state else { return false }
                requests.withLock { $0.append(PollThreadRequest(offsets: offsets, continuation: continuation)) }
                return true
            }
            if accepted {
                rd_kafka_yield(client.handle)
            } else {
                continuation.resume(throwing: KafkaError(code: .notRunning, message: "seek needs a running consumer"))
            }
        }
    }

    /// Moves assigned `partitions` to the first message whose timestamp is at or after
    /// `timestampMilliseconds` (or to their end when there is none).
    public func seek(toTimestamp timestampMilliseconds: Int64, partitions: [KafkaTopicPartition]) async throws {
        let offsets = try await TimestampOffsetLookup(properties: configuration.rdKafkaProperties, logger: logger)
            .offsets(forTimestamp: timestampMilliseconds, partitions: partitions)
        try await seek(offsets)
    }

    /// Serves seeks; returns the partitions whose position moved.
    @discardableResult
    private func serveRequests() -> Set<KafkaTopicPartition> {
        var moved: Set<KafkaTopicPartition> = []
        let pending = requests.withLock { requests -> [PollThreadRequest] in
            defer { requests = [] }
            return requests
        }
        for request in pending {
            let list = TopicPartitionList.make(request.offsets)
            defer { rd_kafka_topic_partition_list_destroy(list) }
            if let error = rd_kafka_seek_partitions(client.handle, list, 10_000) {
                request.continuation.resume(throwing: KafkaError(consuming: error, context: "seek"))
                continue
            }
            if let error = TopicPartitionList.firstError(list, context: "seek") {
                request.continuation.resume(throwing: error)
                continue
            }
            let partitions = Set(request.offsets.map(\.topicPartition))
            buffer.discardMessages(of: partitions)
            moved.formUnion(partitions)
            request.continuation.resume()
        }
        return moved
    }

    private func failPendingRequests() {
        let pending = requests.withLock { requests -> [PollThreadRequest] in
            defer { requests = [] }
            return requests
        }
        pending.forEach { $0.continuation.resume(throwing: KafkaError.shutDown("consumer")) }
    }

    /// Stops fetching `partitions` until ``resume(_:)``; messages already polled still arrive.
    public func pause(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        try changePause(partitions, pause: true)
    }

    /// Fetches paused `partitions` again.
    public func resume(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        try changePause(partitions, pause: false)
    }

    private func changePause(_ partitions: [KafkaTopicPartition], pause: Bool) throws(KafkaError) {
        let list = TopicPartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let error = pause ? rd_kafka_pause_partitions(client.handle, list) : rd_kafka_resume_partitions(client.handle, list)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rdKafka: error, context: pause ? "pause" : "resume") }
        if let partitionError = TopicPartitionList.firstError(list, context: pause ? "pause" : "resume") { throw partitionError }
    }
}

// MARK: Watermarks

extension KafkaConsumer {
    /// The high watermark of `partition` as last seen in a fetch answer (no request is sent);
    /// `nil` before the first fetch of that partition.
    public func cachedHighWatermark(topic: String, partition: Int32) -> Int64? {
        var low: Int64 = 0
        var high: Int64 = 0
        let error = rd_kafka_get_watermark_offsets(client.handle, topic, partition, &low, &high)
        return error == RD_KAFKA_RESP_ERR_NO_ERROR && high >= 0 ? high : nil
    }
}
