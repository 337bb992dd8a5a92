import CRdKafka
public import Logging
public import ServiceLifecycle
import Synchronization

/// An idempotent producer (`acks=all`) whose ``send(_:)`` returns once the broker acknowledged.
///
/// librdkafka batches messages; ``run()`` polls for delivery reports on a thread of its own and,
/// on graceful shutdown, flushes what is outstanding within ``KafkaProducerConfiguration/shutdownTimeout``.
/// Sends made before ``run()`` starts are queued and reported once it runs.
public final class KafkaProducer: Service, Sendable {
    /// Who waits for a message's report.
    private enum Waiter {
        case single(CheckedContinuation<KafkaDeliveryReport, any Error>, topic: String)
        case batch(BatchDelivery, index: Int)

        func resume(with result: Result<KafkaDeliveryReport, KafkaError>) {
            switch self {
            case .single(let continuation, _): continuation.resume(with: result.mapError { $0 as any Error })
            case .batch(let batch, let index): batch.complete(index, with: result)
            }
        }

        var topic: String {
            switch self {
            case .single(_, let topic): topic
            case .batch(let batch, let index): batch.topics[index]
            }
        }
    }

    private let client: RdKafkaClient
    private let configuration: KafkaProducerConfiguration
    private let state: Mutex<ProducerStateMachine<Waiter>>
    private let deliveries: DeliveryRouter
    private let stopPolling = Atomic<Bool>(false)
    /// Topic handles by name: producing through a handle skips librdkafka's lookup by name.
    private let topics = Mutex<[String: UncheckedSendable<OpaquePointer>]>([:])
    private let logger: Logger

    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        let router = DeliveryRouter()
        let context = ClientContext(logger: logger, onDelivery: { router.deliver($0) })
        self.client = try RdKafkaClient(type: RD_KAFKA_PRODUCER, properties: configuration.rdKafkaProperties, context: context)
        self.configuration = configuration
        self.state = Mutex(ProducerStateMachine())
        self.deliveries = router
        self.logger = logger
        router.attach(self)
    }

    /// Messages sent but not yet acknowledged.
    public var outstandingCount: Int { state.withLock { $0.outstanding } }

    /// Sends `message` and returns the broker's acknowledgement.
    ///
    /// Throws ``KafkaError`` with `.queueFull` when the local queue is full, `.messageTimedOut` when
    /// the broker did not acknowledge within `message.timeout.ms`, `.shutDown` after shutdown began.
    /// Cancelling the calling task does not recall a message that was handed to librdkafka.
    public func send(_ message: KafkaProducerMessage) async throws -> KafkaDeliveryReport {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<KafkaDeliveryReport, any Error>) in
            switch state.withLock({ $0.register(.single(continuation, topic: message.topic)) }) {
            case .reject:
                continuation.resume(throwing: KafkaError.shutDown("producer"))
            case .produce(let id):
                if let error = produce(message, opaque: UnsafeMutableRawPointer(bitPattern: id)) {
                    state.withLock { $0.complete(id: id) }?.resume(with: .failure(error))
                }
            }
        }
    }

    /// Sends `messages` and returns, in the same order, each one's acknowledgement or error, once
    /// all are settled. One suspension for the whole batch: the cheap way to send many.
    public func send(_ messages: [KafkaProducerMessage]) async -> [Result<KafkaDeliveryReport, KafkaError>] {
        guard !messages.isEmpty else { return [] }
        return await withCheckedContinuation { (continuation: CheckedContinuation<[Result<KafkaDeliveryReport, KafkaError>], Never>) in
            let batch = BatchDelivery(topics: messages.map(\.topic), continuation: continuation)
            let actions = state.withLock { state in
                messages.indices.map { state.register(.batch(batch, index: $0)) }
            }
            var handles: [String: OpaquePointer] = [:]
            for (index, action) in actions.enumerated() {
                switch action {
                case .reject:
                    batch.complete(index, with: .failure(KafkaError.shutDown("producer")))
                case .produce(let id):
                    let message = messages[index]
                    let handle = handles[message.topic] ?? topicHandle(message.topic)
                    handles[message.topic] = handle
                    if let error = produce(message, opaque: UnsafeMutableRawPointer(bitPattern: id), topic: handle) {
                        state.withLock { $0.complete(id: id) }?.resume(with: .failure(error))
                    }
                }
            }
        }
    }

    /// Sends a message built from its parts; see ``send(_:)``.
    public func send(
        topic: String, key: String?, value: [UInt8], headers: KafkaHeaders = []
    ) async throws -> KafkaDeliveryReport {
        try await send(KafkaProducerMessage(topic: topic, key: key.map { Array($0.utf8) }, value: value, headers: headers))
    }

    /// Waits until every queued message is acknowledged or failed; `false` when `timeout` passed first.
    public func flush(timeout: Duration) async -> Bool {
        // After run() returned, the handle is destroyed.
        guard state.withLock({ $0.lifecycle != .finished }) else { return outstandingCount == 0 }
        let handle = UncheckedSendable(client.handle)
        let result = await Blocking.run { rd_kafka_flush(handle.value, timeout.timeoutMilliseconds) }
        return result == RD_KAFKA_RESP_ERR_NO_ERROR
    }

    /// Polls for delivery reports until graceful shutdown (or cancellation), then flushes within
    /// ``KafkaProducerConfiguration/shutdownTimeout`` and releases the client.
    public func run() async throws {
        guard state.withLock({ $0.start() }) else {
            throw KafkaError(code: .shutDown, message: "producer run() called twice or after shutdown")
        }
        let handle = UncheckedSendable(client.handle)
        await PollingThread.run(name: "kafka-producer", loop: { [self] in
            while !stopPolling.load(ordering: .relaxed) {
                rd_kafka_poll(handle.value, 100)
            }
        }, stop: { [self] in
            Task { await shutdown() }
        })
        await finishShutdown()
    }

    /// Stops accepting messages and flushes outstanding ones within the shutdown timeout; `run()`
    /// then returns. Safe to call more than once.
    public func triggerGracefulShutdown() {
        Task { await shutdown() }
    }

    private func shutdown() async {
        guard state.withLock({ $0.beginShutdown() }) else { return }
        let delivered = await flush(timeout: configuration.shutdownTimeout)
        if !delivered {
            logger.warning("producer shutdown: messages not acknowledged in time", metadata: ["outstanding": "\(outstandingCount)"])
        }
        stopPolling.store(true, ordering: .relaxed)
    }

    private func finishShutdown() async {
        let handle = client.handle
        // Whatever is still queued can no longer be reported: purge it so destroy does not wait for it.
        rd_kafka_purge(handle, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
        rd_kafka_poll(handle, 0)
        for waiter in state.withLock({ $0.finish() }) {
            waiter.resume(with: .failure(KafkaError.shutDown("producer")))
        }
        for topic in topics.withLock({ $0.values }) { rd_kafka_topic_destroy(topic.value) }
        await client.destroy(timeout: configuration.shutdownTimeout)
    }

    /// Called on the polling thread for each delivery report.
    fileprivate func delivered(_ message: UnsafePointer<rd_kafka_message_t>) {
        let id = UInt(bitPattern: message.pointee._private)
        guard let waiter = state.withLock({ $0.complete(id: id) }) else { return }
        let error = message.pointee.err
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            waiter.resume(with: .failure(KafkaError(rdKafka: error, context: "delivery failed")))
            return
        }
        // Without an offset, librdkafka acknowledged the message implicitly (a later message of
        // the partition succeeded while this one waited for a retry). Only a broker that enforces
        // idempotent sequences makes that proof of a write; the embedded cluster does not, and lost
        // such messages under injected faults. The caller sends it again: a duplicate at worst.
        guard message.pointee.offset >= 0 else {
            waiter.resume(with: .failure(KafkaError(
                code: .deliveryUnconfirmed, message: "acknowledged without an offset (implicitly, by a later message's success); not counted as delivered"
            )))
            return
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        waiter.resume(with: .success(KafkaDeliveryReport(
            topic: waiter.topic,
            partition: message.pointee.partition,
            offset: message.pointee.offset,
            timestampMilliseconds: timestamp >= 0 ? timestamp : nil
        )))
    }

    private func topicHandle(_ name: String) -> OpaquePointer? {
        topics.withLock { topics in
            if let handle = topics[name] { return handle.value }
            guard let handle = rd_kafka_topic_new(client.handle, name, nil) else { return nil }
            topics[name] = UncheckedSendable(handle)
            return handle
        }
    }

    private func produce(_ message: KafkaProducerMessage, opaque: UnsafeMutableRawPointer?, topic knownTopic: OpaquePointer? = nil) -> KafkaError? {
        guard let topic = knownTopic ?? topicHandle(message.topic) else {
            return KafkaError(rdKafka: rd_kafka_last_error(), context: "topic \(message.topic)")
        }
        var headers: OpaquePointer?
        if !message.headers.isEmpty {
            headers = rd_kafka_headers_new(8)
            message.headers.forEachRaw { key, value in
                _ = rd_kafka_header_add(headers, key.baseAddress?.assumingMemoryBound(to: CChar.self), key.count, value?.baseAddress, value?.count ?? 0)
            }
        }
        let error: OpaquePointer? = message.value.withUnsafeBytes { value in
            withOptionalBytes(message.key) { key in
                withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 8) { values in
                    var count = 0
                    func add(_ type: rd_kafka_vtype_t, _ fill: (inout rd_kafka_vu_t) -> Void) {
                        var entry = rd_kafka_vu_t()
                        entry.vtype = type
                        fill(&entry)
                        values.initializeElement(at: count, to: entry)
                        count += 1
                    }
                    add(RD_KAFKA_VTYPE_RKT) { $0.u.rkt = topic }
                    add(RD_KAFKA_VTYPE_VALUE) {
                        $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress)
                        $0.u.mem.size = value.count
                    }
                    if let key {
                        add(RD_KAFKA_VTYPE_KEY) {
                            $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
                            $0.u.mem.size = key.count
                        }
                    }
                    add(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
                    add(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = opaque }
                    if let partition = message.partition { add(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = partition } }
                    if let timestamp = message.timestampMilliseconds { add(RD_KAFKA_VTYPE_TIMESTAMP) { $0.u.i64 = timestamp } }
                    if let headers { add(RD_KAFKA_VTYPE_HEADERS) { $0.u.headers = headers } }
                    defer { values.baseAddress!.deinitialize(count: count) }
                    return rd_kafka_produceva(client.handle, values.baseAddress, count)
                }
            }
        }
        guard let error else { return nil }
        // On failure the headers stay ours.
        if let headers { rd_kafka_headers_destroy(headers) }
        return KafkaError(consuming: error, context: "produce to \(message.topic)")
    }
}

private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}

/// Routes delivery reports from librdkafka's callback to the producer, which does not exist yet
/// when the callback is registered.
///
/// The producer is set once, in its initializer, before ``KafkaProducer/run()`` can poll (and so
/// before any report arrives); the reference is unowned because the producer owns the client
/// whose callback holds this router, and reports stop when the client is destroyed.
private final class DeliveryRouter: @unchecked Sendable {
    private var producer: Unmanaged<KafkaProducer>?

    func attach(_ producer: KafkaProducer) {
        self.producer = Unmanaged.passUnretained(producer)
    }

    func deliver(_ message: UnsafePointer<rd_kafka_message_t>) {
        producer?.takeUnretainedValue().delivered(message)
    }
}
