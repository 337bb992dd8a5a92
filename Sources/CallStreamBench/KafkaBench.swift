import Foundation
import Kafka
import Logging

/// Producer and consumer throughput of the wrapper next to kcat (raw librdkafka), same broker.
struct KafkaBench {
    let cluster: EmbeddedKafkaCluster
    let messages: Int
    let messageSize: Int
    let logger: Logger
    let partitions: Int32 = 6

    func run() async throws -> [BenchResult] {
        try cluster.createTopic("bench.kcat", partitions: partitions)
        try cluster.createTopic("bench.swift", partitions: partitions)
        let kcatProduce = try kcatProduceRate(topic: "bench.kcat")
        let swiftProduce = try await wrapperProduceRate(topic: "bench.swift")
        // Both read the topic the wrapper wrote, so the data is the same.
        let kcatConsume = try kcatConsumeRate(topic: "bench.swift")
        let swiftConsume = try await wrapperConsumeRate(topic: "bench.swift")
        return [
            BenchResult(name: "producer, \(messageSize) B, acks=all", value: swiftProduce, unit: "msg/s", reference: kcatProduce,
                        referenceName: "kcat", target: "≥ 0.8× kcat", met: swiftProduce >= 0.8 * kcatProduce),
            BenchResult(name: "consumer, \(messageSize) B", value: swiftConsume, unit: "msg/s", reference: kcatConsume,
                        referenceName: "kcat", target: "≥ 0.8× kcat", met: swiftConsume >= 0.8 * kcatConsume),
        ]
    }

    private var payload: String { String(repeating: "x", count: messageSize - 1) }

    private func kcatProduceRate(topic: String) throws -> Double {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("callstream-bench-\(UUID().uuidString)")
        let line = payload + "\n"
        try String(repeating: line, count: messages).write(to: file, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let started = ContinuousClock.now
        try shell("kcat", "-P", "-b", cluster.bootstrapServers, "-t", topic, "-l", "-X", "enable.idempotence=true",
                  "-X", "acks=all", "-X", "linger.ms=5", "-X", "queue.buffering.max.messages=100000", file.path)
        return Double(messages) / (ContinuousClock.now - started).seconds
    }

    private func kcatConsumeRate(topic: String) throws -> Double {
        let started = ContinuousClock.now
        let output = try shell("sh", "-c", "kcat -C -b \(cluster.bootstrapServers) -t \(topic) -o beginning -c \(messages) -q -f '%o\\n' | wc -l")
        let elapsed = (ContinuousClock.now - started).seconds
        guard Int(output) == messages else { throw BenchFailure(message: "kcat read \(output) of \(messages) messages") }
        return Double(messages) / elapsed
    }

    private func wrapperProduceRate(topic: String) async throws -> Double {
        var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.shutdownTimeout = .seconds(30)
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let runner = Task { try await producer.run() }
        let value = Array(payload.utf8)
        let window = 10_000
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<messages {
                if index >= window { try await group.next() }
                group.addTask { _ = try await producer.send(KafkaProducerMessage(topic: topic, key: nil, value: value)) }
            }
            try await group.waitForAll()
        }
        let elapsed = (ContinuousClock.now - started).seconds
        producer.triggerGracefulShutdown()
        try await runner.value
        return Double(messages) / elapsed
    }

    private func wrapperConsumeRate(topic: String) async throws -> Double {
        let configuration = KafkaConsumerConfiguration(
            bootstrapServers: cluster.bootstrapServers,
            subscription: .partitions((0..<partitions).map { KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: KafkaOffset.beginning) }),
            groupID: nil
        )
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let started = ContinuousClock.now
        let runner = Task { try await consumer.run() }
        var count = 0
        var bytes = 0
        for await event in consumer.events {
            guard case .message(let message) = event else { continue }
            count += 1
            bytes &+= message.value.count
            if count == messages { break }
        }
        let elapsed = (ContinuousClock.now - started).seconds
        consumer.triggerGracefulShutdown()
        try await runner.value
        guard bytes == messages * (messageSize - 1) else { throw BenchFailure(message: "consumer read \(bytes) bytes") }
        return Double(messages) / elapsed
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
