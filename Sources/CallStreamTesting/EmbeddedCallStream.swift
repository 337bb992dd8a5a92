import Foundation
public import Kafka
public import Logging
public import Sinks
import Synchronization

/// An embedded Kafka cluster (librdkafka's mock cluster, in memory) with CallStream's topics, for
/// tests of your sink against a real broker protocol:
///
/// ```swift
/// try await EmbeddedCallStream.run { stream in
///     try await stream.publish(TestRecords.calls(3))
///     let runner = SinkRunner(configuration: stream.runnerConfiguration(), sink: mySink, logger: stream.logger)
///     …
/// }
/// ```
public final class EmbeddedCallStream: Sendable {
    public let cluster: EmbeddedKafkaCluster
    public let logger: Logger
    /// The topics created (names as in `config/callstream.yaml`).
    public let eventsTopic = "callstream.events"
    public let recordsTopic = "callstream.records"
    public let deadLetterTopic = "callstream.sink-dlq"
    public let partitions: Int32

    private init(cluster: EmbeddedKafkaCluster, partitions: Int32, logger: Logger) {
        self.cluster = cluster
        self.partitions = partitions
        self.logger = logger
    }

    /// `host:port,…` of the embedded cluster.
    public var bootstrapServers: String { cluster.bootstrapServers }

    /// Starts a cluster with the events, records and sink dead-letter topics, runs `body`, and
    /// always shuts the cluster down.
    public static func run<T>(partitions: Int32 = 4, logger: Logger = EmbeddedCallStream.defaultLogger(), _ body: (EmbeddedCallStream) async throws -> T) async throws -> T {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: logger)
        let stream = EmbeddedCallStream(cluster: cluster, partitions: partitions, logger: logger)
        do {
            for topic in [stream.eventsTopic, stream.recordsTopic, stream.deadLetterTopic] {
                try cluster.createTopic(topic, partitions: partitions)
            }
            let result = try await body(stream)
            await cluster.shutdown()
            return result
        } catch {
            await cluster.shutdown()
            throw error
        }
    }

    /// Errors only, unless `CALLSTREAM_TEST_LOG` names another level.
    public static func defaultLogger(_ label: String = "callstream.testing") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = ProcessInfo.processInfo.environment["CALLSTREAM_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return logger
    }

    /// A runner configuration for this cluster: the records topic, fast group joins, quick retries.
    public func runnerConfiguration(group: String = "test-sink", topic: String? = nil) -> SinkRunnerConfiguration {
        var configuration = SinkRunnerConfiguration(bootstrapServers: bootstrapServers, topic: topic ?? recordsTopic, groupID: group)
        configuration.deadLetterTopic = deadLetterTopic
        configuration.sessionTimeout = .seconds(6)
        configuration.heartbeatInterval = .milliseconds(500)
        configuration.batchWait = .milliseconds(20)
        configuration.retry = RetryPolicy(maximumAttempts: 4, initialDelay: .milliseconds(50), maximumDelay: .milliseconds(400))
        configuration.kafkaProperties["topic.metadata.refresh.interval.ms"] = "1000"
        return configuration
    }

    /// Publishes records to the records topic, keyed by call_id (as the worker does).
    public func publish(_ records: [SinkRecord]) async throws {
        try await produce(records.map {
            KafkaProducerMessage(topic: recordsTopic, key: Array($0.callID.utf8), value: $0.json, headers: [KafkaHeader(key: "revision", string: "\($0.revision)")])
        })
    }

    /// Publishes raw webhook bodies to the events topic keyed by their call_id, as the intake does.
    public func publish(events raw: [[UInt8]]) async throws {
        try await produce(raw.map { body in
            let callID = LiveEvent(raw: body)?.callID
            return KafkaProducerMessage(topic: eventsTopic, key: callID.map { Array($0.utf8) }, value: body, headers: [])
        })
    }

    /// Sends `messages` and waits for every acknowledgement.
    public func produce(_ messages: [KafkaProducerMessage]) async throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrapServers)
        configuration.shutdownTimeout = .seconds(5)
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let runner = Task { try await producer.run() }
        defer { producer.triggerGracefulShutdown() }
        for result in await producer.send(messages) { _ = try result.get() }
        producer.triggerGracefulShutdown()
        try await runner.value
    }

    /// Reads `topic` from the beginning until `count` messages arrived or `timeout` passed.
    public func read(_ topic: String, count: Int, timeout: Duration = .seconds(30)) async throws -> [KafkaMessage] {
        var configuration = KafkaConsumerConfiguration(
            bootstrapServers: bootstrapServers,
            subscription: .partitions((0..<partitions).map { KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: KafkaOffset.beginning) }),
            groupID: nil
        )
        configuration.shutdownTimeout = .seconds(5)
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let runner = Task { try await consumer.run() }
        let collected = Mutex<[KafkaMessage]>([])
        let reader = Task {
            for await event in consumer.events {
                if case .message(let message) = event { collected.withLock { $0.append(message) } }
            }
        }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, collected.withLock({ $0.count }) < count {
            try await Task.sleep(for: .milliseconds(50))
        }
        consumer.triggerGracefulShutdown()
        _ = try? await runner.value
        _ = await reader.value
        return collected.withLock { $0 }
    }
}
