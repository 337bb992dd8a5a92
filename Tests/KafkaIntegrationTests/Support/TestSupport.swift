import Foundation
import Kafka
import Logging
import Synchronization
import Testing

/// A logger for tests: warnings and worse, so failures show librdkafka's complaints.
func testLogger(_ label: String = "test") -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = ProcessInfo.processInfo.environment["CALLSTREAM_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
    return logger
}

/// Runs `body` with a fresh embedded cluster that is always shut down.
func withEmbeddedCluster<T>(
    brokers: Int = 1, topics: [String: Int32] = [:], _ body: (EmbeddedKafkaCluster) async throws -> T
) async throws -> T {
    let cluster = try EmbeddedKafkaCluster(brokers: brokers, logger: testLogger("embedded"))
    for (name, partitions) in topics { try cluster.createTopic(name, partitions: partitions) }
    do {
        let result = try await body(cluster)
        await cluster.shutdown()
        return result
    } catch {
        await cluster.shutdown()
        throw error
    }
}

/// Runs `body` while `producer.run()` polls; then shuts it down and waits for `run()` to return.
func withRunning<T: Sendable>(_ producer: KafkaProducer, _ body: () async throws -> T) async throws -> T {
    let runner = Task { try await producer.run() }
    do {
        let result = try await body()
        producer.triggerGracefulShutdown()
        try await runner.value
        return result
    } catch {
        producer.triggerGracefulShutdown()
        _ = try? await runner.value
        throw error
    }
}

func producerConfiguration(_ cluster: EmbeddedKafkaCluster) -> KafkaProducerConfiguration {
    var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
    configuration.shutdownTimeout = .seconds(5)
    return configuration
}

func groupConsumerConfiguration(_ cluster: EmbeddedKafkaCluster, topic: String, group: String) -> KafkaConsumerConfiguration {
    var configuration = KafkaConsumerConfiguration(
        bootstrapServers: cluster.bootstrapServers, subscription: .group(topics: [topic]), groupID: group
    )
    configuration.sessionTimeout = .seconds(6)
    configuration.heartbeatInterval = .milliseconds(500)
    configuration.autoCommitInterval = nil
    configuration.shutdownTimeout = .seconds(5)
    configuration.properties["topic.metadata.refresh.interval.ms"] = "1000"
    return configuration
}

/// Produces `count` messages and returns their delivery reports, in send order.
func produce(_ producer: KafkaProducer, topic: String, count: Int, key: @escaping @Sendable (Int) -> String?, timestamp: (@Sendable (Int) -> Int64)? = nil) async throws -> [KafkaDeliveryReport] {
    try await withThrowingTaskGroup(of: (Int, KafkaDeliveryReport).self) { group in
        for index in 0..<count {
            group.addTask {
                let message = KafkaProducerMessage(
                    topic: topic, key: key(index), value: "message-\(index)", headers: [KafkaHeader(key: "index", string: "\(index)"), KafkaHeader(key: "no-value", value: nil), KafkaHeader(key: "이름", string: "김민준")],
                    timestampMilliseconds: timestamp?(index)
                )
                return (index, try await producer.send(message))
            }
        }
        var reports = [KafkaDeliveryReport?](repeating: nil, count: count)
        for try await (index, report) in group { reports[index] = report }
        return reports.map { $0! }
    }
}

/// Drives a consumer the way a careful application does: records every event, stores the offset
/// after each message, and commits when partitions are revoked.
final class ConsumerDriver: Sendable {
    struct State {
        var messages: [KafkaMessage] = []
        var assigned: Set<KafkaTopicPartition> = []
        var revocations = 0
        var commitErrors: [KafkaError] = []
        var finished = false
    }

    let consumer: KafkaConsumer
    let state = Mutex(State())
    private let tasks = Mutex<[Task<Void, any Error>]>([])

    init(_ configuration: KafkaConsumerConfiguration, storeOffsets: Bool = true) throws {
        consumer = try KafkaConsumer(configuration: configuration, logger: testLogger("consumer"))
        let consumer = self.consumer
        let runner = Task { try await consumer.run() }
        let reader = Task { [self] in
            for await event in consumer.events {
                switch event {
                case .message(let message):
                    self.state.withLock { $0.messages.append(message) }
                    if storeOffsets { try consumer.storeOffsets([KafkaTopicPartitionOffset(message.topicPartition, offset: message.offset + 1)]) }
                case .partitionsAssigned(let partitions):
                    self.state.withLock { $0.assigned = Set(partitions) }
                case .partitionsRevoked:
                    // Committing while the group already rebalances may be refused (the embedded
                    // broker refuses it); the next owner then re-reads from the last commit.
                    if storeOffsets {
                        do { try await consumer.commit() } catch let error as KafkaError {
                            self.state.withLock { $0.commitErrors.append(error) }
                        }
                    }
                    self.state.withLock { $0.assigned = []; $0.revocations += 1 }
                }
            }
            self.state.withLock { $0.finished = true }
        }
        tasks.withLock { $0 = [runner, reader] }
    }

    var messages: [KafkaMessage] { state.withLock { $0.messages } }
    var assigned: Set<KafkaTopicPartition> { state.withLock { $0.assigned } }

    /// Waits until `condition` holds, failing the test after `timeout` (a bound, not a speed goal).
    func wait(_ what: Comment, timeout: Duration = .seconds(60), until condition: (State) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if state.withLock({ condition($0) }) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("timed out waiting: \(what)")
        throw CancellationError()
    }

    /// Leaves the group (committing on the final revocation) and waits for both tasks.
    func stop() async throws {
        consumer.triggerGracefulShutdown()
        for task in tasks.withLock({ $0 }) { try await task.value }
    }
}

/// Where the built `callstream` executable is: `$CALLSTREAM_BIN`, else `.build/debug/callstream`.
func callstreamExecutable() -> URL {
    if let path = ProcessInfo.processInfo.environment["CALLSTREAM_BIN"] { return URL(fileURLWithPath: path) }
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    return packageRoot.appendingPathComponent(".build/debug/callstream")
}
