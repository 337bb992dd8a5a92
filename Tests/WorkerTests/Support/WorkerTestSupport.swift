import CallAssembly
import CallEvents
import Foundation
import Kafka
import Logging
import Synchronization
import Testing
import Worker

/// A logger for tests: errors only unless `CALLSTREAM_TEST_LOG` says otherwise.
func testLogger(_ label: String = "test") -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = ProcessInfo.processInfo.environment["CALLSTREAM_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
    return logger
}

/// The package's root directory (for samples and executables).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

enum Topics {
    static let events = "callstream.events"
    static let records = "callstream.records"
    static let dlq = "callstream.dlq"
    static let partitions: Int32 = 12
}

/// Runs `body` with a fresh embedded cluster holding the worker's topics; always shut down.
func withWorkerCluster<T>(_ body: (EmbeddedKafkaCluster) async throws -> T) async throws -> T {
    let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: testLogger("embedded"))
    try cluster.createTopic(Topics.events, partitions: Topics.partitions)
    try cluster.createTopic(Topics.records, partitions: Topics.partitions)
    try cluster.createTopic(Topics.dlq, partitions: 3)
    do {
        let result = try await body(cluster)
        await cluster.shutdown()
        return result
    } catch {
        await cluster.shutdown()
        throw error
    }
}

/// A worker configuration for the embedded broker: fast group joins, ticks after 1 s of quiet.
func testWorkerConfiguration(_ cluster: EmbeddedKafkaCluster, group: String = "callstream-workers") -> WorkerConfiguration {
    var configuration = WorkerConfiguration(bootstrapServers: cluster.bootstrapServers)
    configuration.groupID = group
    configuration.sessionTimeout = .seconds(6)
    configuration.heartbeatInterval = .milliseconds(500)
    configuration.tickAfter = .seconds(1)
    configuration.tickCheckInterval = .milliseconds(200)
    configuration.commitInterval = .milliseconds(200)
    configuration.kafkaProperties["topic.metadata.refresh.interval.ms"] = "1000"
    configuration.assembler.lateEventWindow = .milliseconds(WorkerProcessTests.lateEventWindowMs)
    return configuration
}

/// A worker running in a task of its own until ``stop()`` (graceful) or ``kill()`` (abrupt).
final class RunningWorker: Sendable {
    let worker: Worker
    let task: Task<Void, any Error>

    init(_ configuration: WorkerConfiguration, label: String = "worker") {
        let worker = Worker(configuration: configuration, logger: testLogger(label))
        self.worker = worker
        self.task = Task { try await worker.run() }
    }

    /// Leaves the group gracefully and waits for the worker to end.
    func stop() async throws {
        // The clients exist once run() started; ask until it takes.
        for _ in 0..<100 where worker.assignedPartitions.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        worker.triggerGracefulShutdown()
        try await task.value
    }

    /// Stops at once without committing, as a crash would.
    func kill() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// Sends `messages` with the idempotent producer and waits for every acknowledgement.
func produceAll(_ cluster: some KafkaBroker, _ messages: [KafkaProducerMessage]) async throws {
    var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
    configuration.shutdownTimeout = .seconds(5)
    let producer = try KafkaProducer(configuration: configuration, logger: testLogger("producer"))
    let runner = Task { try await producer.run() }
    var index = 0
    while index < messages.count {
        let chunk = Array(messages[index..<min(index + 2000, messages.count)])
        for result in await producer.send(chunk) { _ = try result.get() }
        index += chunk.count
    }
    producer.triggerGracefulShutdown()
    try await runner.value
}

/// Reads every partition of `topic` from the beginning until `done` holds for what was read, or
/// `timeout` passes (a bound, not a speed goal); returns the messages in per-partition order.
func readTopic(
    _ cluster: some KafkaBroker, _ topic: String, partitions: Int32, timeout: Duration = .seconds(120),
    until done: @escaping @Sendable ([KafkaMessage]) -> Bool
) async throws -> [KafkaMessage] {
    var configuration = KafkaConsumerConfiguration(
        bootstrapServers: cluster.bootstrapServers,
        subscription: .partitions((0..<partitions).map { KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: KafkaOffset.beginning) }),
        groupID: nil
    )
    configuration.shutdownTimeout = .seconds(5)
    let consumer = try KafkaConsumer(configuration: configuration, logger: testLogger("reader"))
    let runner = Task { try await consumer.run() }
    let collected = Mutex<[KafkaMessage]>([])
    let reader = Task {
        for await event in consumer.events {
            if case .message(let message) = event { collected.withLock { $0.append(message) } }
        }
    }
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline, !done(collected.withLock { $0 }) {
        try await Task.sleep(for: .milliseconds(50))
    }
    consumer.triggerGracefulShutdown()
    _ = try? await runner.value
    _ = await reader.value
    return collected.withLock { $0 }
}

/// The high watermarks of `topic`'s partitions.
func highWatermarks(_ cluster: some KafkaBroker, _ topic: String) async throws -> [Int32: Int64] {
    let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: testLogger("admin"))
    let metadata = try await admin.metadata(topics: [topic])
    await admin.shutdown()
    var result: [Int32: Int64] = [:]
    for partition in metadata.topics.first?.partitions ?? [] { result[partition.id] = partition.highWatermark }
    return result
}

/// What a fresh assembler per partition gives for the raw topic's contents: the records by
/// (call_id, revision). Inbound audit copies are skipped as the worker skips them.
func referenceRecords(_ raw: [KafkaMessage], configuration: AssemblerConfiguration) -> [String: [UInt8]] {
    var byPartition: [Int32: [KafkaMessage]] = [:]
    for message in raw { byPartition[message.partition, default: []].append(message) }
    var records: [String: [UInt8]] = [:]
    for (partition, messages) in byPartition {
        var assembler = CallAssembler(topic: Topics.events, partition: partition, configuration: configuration)
        for message in messages.sorted(by: { $0.offset < $1.offset }) {
            if message.headers.string(for: WorkerHeader.event) == WorkerHeader.inboundAuditEvent { continue }
            for action in assembler.receive(message.value, offset: message.offset) {
                if case .emit(let emitted) = action { records["\(emitted.callID)#\(emitted.revision)"] = emitted.bytes }
                assembler.acknowledge(action.receipt)
            }
        }
    }
    return records
}
