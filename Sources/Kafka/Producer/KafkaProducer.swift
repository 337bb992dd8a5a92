import CRdKafka
import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

/// An idempotent producer (`acks=all`) whose ``send(_:)`` returns once the broker acknowledged.
///
/// librdkafka batches messages; ``run()`` polls for delivery reports on a thread of its own and,
/// on graceful shutdown, flushes what is outstanding within ``KafkaProducerConfiguration/shutdownTimeout``.
/// Sends made before ``run()`` starts are queued and reported once it runs.
public final class KafkaProducer: Service, Sendable {
    private typealias Waiter = CheckedContinuation<KafkaDeliveryReport, any Error>

    private let client: RdKafkaClient
    private let configuration: KafkaProducerConfiguration
    private let state: Mutex<ProducerStateMachine<Waiter>>
    private let deliveries: DeliveryRouter
    private let stopPolling = Atomic<Bool>(false)
    private let pollingFinished = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let logger: Logger

    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        let router = DeliveryRouter()
        let context = ClientContext(logger: logger, onDelivery: { router.deliver($0) })
        self.client = try RdKafkaClient(type: RD_KAFKA_PRODUCER, properties: configuration.rdKafkaProperties, context: context)
        self.configuration = configuration
        self.state = Mutex(ProducerStateMachine())
        self.deliveries = router
        self.logger = logger
        router.producer.withLock { $0 = WeakProducer(self) }
    }

    /// Messages sent but not yet acknowledged.
    public var outstandingCount: Int { state.withLock { $0.outstanding } }

    /// Sends `message` and returns the broker's acknowledgement.
    ///
    /// Throws ``KafkaError`` with `.queueFull` when the local queue is full, `.messageTimedOut` when
    /// the broker did not acknowledge within `message.timeout.ms`, `.shutDown` after shutdown began.
    /// Cancelling the calling task does not recall a message that was handed to librdkafka.
    public func send(_ message: KafkaProducerMessage) async throws -> KafkaDeliveryReport {
        try await withCheckedThrowingContinuation { (continuation: Waiter) in
            switch state.withLock({ $0.register(continuation) }) {
            case .reject:
                continuation.resume(throwing: KafkaError.shutDown("producer"))
            case .produce(let id):
                if let error = produce(message, opaque: UnsafeMutableRawPointer(bitPattern: id)) {
                    state.withLock { $0.complete(id: id) }?.resume(throwing: error)
                }
            }
        }
    }

    /// Sends a message built from its parts; see ``send(_:)``.
    public func send(
        topic: String, key: String?, value: [UInt8], headers: [KafkaHeader] = []
    ) async throws -> KafkaDeliveryReport {
        try await send(KafkaProducerMessage(topic: topic, key: key.map { Array($0.utf8) }, value: value, headers: headers))
    }

    /// Waits until every queued message is acknowledged or failed; `false` when `timeout` passed first.
    public func flush(timeout: Duration) async -> Bool {
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
        let stop = UncheckedSendable(self)
        let thread = Thread {
            while !stop.value.stopPolling.load(ordering: .relaxed) {
                rd_kafka_poll(handle.value, 100)
            }
            stop.value.pollingFinished.withLock { $0.take() }?.resume()
        }
        thread.name = "kafka-producer-poll"
        await withTaskCancellationOrGracefulShutdownHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                pollingFinished.withLock { $0 = continuation }
                thread.start()
            }
        } onCancelOrGracefulShutdown: {
            Task { await self.shutdown() }
        }
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
            waiter.resume(throwing: KafkaError.shutDown("producer"))
        }
        await client.destroy(timeout: configuration.shutdownTimeout)
    }

    /// Called on the polling thread for each delivery report.
    fileprivate func delivered(_ message: UnsafePointer<rd_kafka_message_t>) {
        let id = UInt(bitPattern: message.pointee._private)
        guard let waiter = state.withLock({ $0.complete(id: id) }) else { return }
        let error = message.pointee.err
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            waiter.resume(throwing: KafkaError(rdKafka: error, context: "delivery failed"))
            return
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        waiter.resume(returning: KafkaDeliveryReport(
            topic: deliveries.topicName(message.pointee.rkt),
            partition: message.pointee.partition,
            offset: message.pointee.offset,
            timestampMilliseconds: timestamp >= 0 ? timestamp : nil
        ))
    }

    private func produce(_ message: KafkaProducerMessage, opaque: UnsafeMutableRawPointer?) -> KafkaError? {
        var headers: OpaquePointer?
        if !message.headers.isEmpty {
            headers = rd_kafka_headers_new(message.headers.count)
            for header in message.headers {
                if let value = header.value {
                    value.withUnsafeBytes { _ = rd_kafka_header_add(headers, header.key, -1, $0.baseAddress, $0.count) }
                } else {
                    rd_kafka_header_add(headers, header.key, -1, nil, 0)
                }
            }
        }
        let error: OpaquePointer? = message.topic.withCString { topic in
            message.value.withUnsafeBytes { value in
                withOptionalBytes(message.key) { key in
                    var values: [rd_kafka_vu_t] = []
                    values.reserveCapacity(7)
                    var entry = rd_kafka_vu_t()
                    entry.vtype = RD_KAFKA_VTYPE_TOPIC
                    entry.u.cstr = topic
                    values.append(entry)
                    entry = rd_kafka_vu_t()
                    entry.vtype = RD_KAFKA_VTYPE_VALUE
                    entry.u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress)
                    entry.u.mem.size = value.count
                    values.append(entry)
                    if let key {
                        entry = rd_kafka_vu_t()
                        entry.vtype = RD_KAFKA_VTYPE_KEY
                        entry.u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
                        entry.u.mem.size = key.count
                        values.append(entry)
                    }
                    entry = rd_kafka_vu_t()
                    entry.vtype = RD_KAFKA_VTYPE_MSGFLAGS
                    entry.u.i = RD_KAFKA_MSG_F_COPY
                    values.append(entry)
                    entry = rd_kafka_vu_t()
                    entry.vtype = RD_KAFKA_VTYPE_OPAQUE
                    entry.u.ptr = opaque
                    values.append(entry)
                    if let partition = message.partition {
                        entry = rd_kafka_vu_t()
                        entry.vtype = RD_KAFKA_VTYPE_PARTITION
                        entry.u.i32 = partition
                        values.append(entry)
                    }
                    if let timestamp = message.timestampMilliseconds {
                        entry = rd_kafka_vu_t()
                        entry.vtype = RD_KAFKA_VTYPE_TIMESTAMP
                        entry.u.i64 = timestamp
                        values.append(entry)
                    }
                    if let headers {
                        entry = rd_kafka_vu_t()
                        entry.vtype = RD_KAFKA_VTYPE_HEADERS
                        entry.u.headers = headers
                        values.append(entry)
                    }
                    return rd_kafka_produceva(client.handle, values, values.count)
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
private final class DeliveryRouter: Sendable {
    let producer = Mutex<WeakProducer?>(nil)
    /// Topic names by topic handle: the report carries only the handle. Touched only on the polling thread.
    private let topicNames = Mutex<[UInt: String]>([:])

    func deliver(_ message: UnsafePointer<rd_kafka_message_t>) {
        producer.withLock { $0?.producer }?.delivered(message)
    }

    func topicName(_ topic: OpaquePointer?) -> String {
        guard let topic else { return "" }
        let key = UInt(bitPattern: UnsafeMutableRawPointer(topic))
        return topicNames.withLock { names in
            if let name = names[key] { return name }
            let name = String(cString: rd_kafka_topic_name(topic))
            names[key] = name
            return name
        }
    }
}

private struct WeakProducer: Sendable {
    weak var producer: KafkaProducer?
    init(_ producer: KafkaProducer) { self.producer = producer }
}
