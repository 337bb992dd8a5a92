import Foundation
import Kafka
import Logging

/// Producer and consumer throughput of the wrapper next to kcat (raw librdkafka), same broker.
struct KafkaBench {
    let cluster: EmbeddedKafkaCluster
    let messages: Int
    let messageSize: Int
    let logger: Logger
    let partitions: Int32 = 12
    let rounds = 3
    /// Messages in flight at most, as kcat's queue allows (`queue.buffering.max.messages`).
    let inFlight = 100_000

    func run() async throws -> [BenchResult] {
        // The embedded broker keeps only the last 5 MiB of each partition (librdkafka 2.0.2's mock
        // cluster, not configurable): stay below it, or older messages vanish before they are read.
        let perPartition = messages * (messageSize + 64) / Int(partitions)
        guard perPartition < 4_800_000 else {
            throw BenchFailure(message: "\(messages) messages of \(messageSize) B exceed the embedded broker's 5 MiB per partition; use fewer")
        }
        var kcatProduce: [Double] = [], swiftProduce: [Double] = [], batchProduce: [Double] = []
        var kcatConsume: [Double] = [], swiftConsume: [Double] = []
        for round in 0..<rounds {
            try cluster.createTopic("bench.kcat.\(round)", partitions: partitions)
            try cluster.createTopic("bench.swift.\(round)", partitions: partitions)
            try cluster.createTopic("bench.batch.\(round)", partitions: partitions)
            kcatProduce.append(try kcatProduceRate(topic: "bench.kcat.\(round)"))
            swiftProduce.append(try await wrapperProduceRate(topic: "bench.swift.\(round)", batch: nil))
            batchProduce.append(try await wrapperProduceRate(topic: "bench.batch.\(round)", batch: 1000))
            try await checkNothingDropped(topics: ["bench.kcat.\(round)", "bench.swift.\(round)", "bench.batch.\(round)"])
            // Both read the topic the wrapper wrote, so the data is the same.
            kcatConsume.append(try kcatConsumeRate(topic: "bench.swift.\(round)"))
            swiftConsume.append(try await wrapperConsumeRate(topic: "bench.swift.\(round)"))
        }
        let produce = (median(swiftProduce), median(kcatProduce))
        let batched = median(batchProduce)
        let consume = (median(swiftConsume), median(kcatConsume))
        return [
            BenchResult(name: "producer `send(_:)`, 100,000 in flight, \(messageSize) B, acks=all (median of \(rounds))", value: produce.0, unit: "msg/s",
                        reference: produce.1, referenceName: "kcat", target: "≥ 0.8× kcat", met: produce.0 >= 0.8 * produce.1),
            BenchResult(name: "producer `send([…])`, batches of 1,000, \(messageSize) B, acks=all (median of \(rounds))", value: batched, unit: "msg/s",
                        reference: produce.1, referenceName: "kcat", target: "≥ 0.8× kcat", met: batched >= 0.8 * produce.1),
            BenchResult(name: "consumer, \(messageSize) B (median of \(rounds))", value: consume.0, unit: "msg/s", reference: consume.1,
                        referenceName: "kcat", target: "≥ 0.8× kcat", met: consume.0 >= 0.8 * consume.1),
        ]
    }

    private var payload: String { String(repeating: "x", count: messageSize - 1) }

    /// Only the wrapper's sends, `rounds` times, for a profiler (`perf record`).
    func profileProducer(batch: Int?) async throws {
        for round in 0..<rounds {
            try cluster.createTopic("profile.\(round)", partitions: partitions)
            _ = try await wrapperProduceRate(topic: "profile.\(round)", batch: batch)
        }
    }

    private func checkNothingDropped(topics: [String]) async throws {
        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: logger)
        defer { Task { await admin.shutdown() } }
        for topic in topics {
            let partitions = try await admin.metadata(topics: [topic]).topic(topic)?.partitions ?? []
            let total = partitions.map(\.messageCount).reduce(0, +)
            guard partitions.allSatisfy({ $0.lowWatermark == 0 }), total == Int64(messages) else {
                throw BenchFailure(message: "\(topic): \(total) of \(messages) messages kept; low watermarks \(partitions.map(\.lowWatermark))")
            }
        }
    }

    private func kcatProduceRate(topic: String) throws -> Double {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("callstream-bench-\(UUID().uuidString)")
        // Distinct keys, so murmur2 spreads the messages evenly (as the wrapper's do).
        var text = ""
        text.reserveCapacity(messages * (messageSize + 16))
        let payload = self.payload
        for index in 0..<messages { text += "k\(index)\t\(payload)\n" }
        try text.write(to: file, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let started = ContinuousClock.now
        try shell("kcat", "-P", "-b", cluster.bootstrapServers, "-t", topic, "-K", "\t", "-l", "-X", "enable.idempotence=true",
                  "-X", "acks=all", "-X", "linger.ms=5", "-X", "partitioner=murmur2_random", "-X", "queue.buffering.max.messages=100000", file.path)
        return Double(messages) / (ContinuousClock.now - started).seconds
    }

    private func kcatConsumeRate(topic: String) throws -> Double {
        let started = ContinuousClock.now
        let output = try shell("sh", "-c", "kcat -C -X fetch.wait.max.ms=50 -b \(cluster.bootstrapServers) -t \(topic) -o beginning -c \(messages) -q -f '%o\\n' | wc -l")
        let elapsed = (ContinuousClock.now - started).seconds
        guard Int(output) == messages else { throw BenchFailure(message: "kcat read \(output) of \(messages) messages") }
        return Double(messages) / elapsed
    }

    /// Sends one at a time with up to 100,000 in flight, or in batches of `batch`.
    private func wrapperProduceRate(topic: String, batch: Int?) async throws -> Double {
        var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.shutdownTimeout = .seconds(30)
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let runner = Task { try await producer.run() }
        let value = Array(payload.utf8)
        let all = (0..<messages).map { KafkaProducerMessage(topic: topic, key: Array("k\($0)".utf8), value: value) }
        let started = ContinuousClock.now
        if let batch {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, start) in stride(from: 0, to: messages, by: batch).enumerated() {
                    if index >= inFlight / batch { try await group.next() }
                    let slice = Array(all[start..<min(start + batch, messages)])
                    group.addTask {
                        for result in await producer.send(slice) { _ = try result.get() }
                    }
                }
                try await group.waitForAll()
            }
        } else {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, message) in all.enumerated() {
                    if index >= inFlight { try await group.next() }
                    group.addTask { _ = try await producer.send(message) }
                }
                try await group.waitForAll()
            }
        }
        let elapsed = (ContinuousClock.now - started).seconds
        producer.triggerGracefulShutdown()
        try await runner.value
        return Double(messages) / elapsed
    }

    private func wrapperConsumeRate(topic: String) async throws -> Double {
        var configuration = KafkaConsumerConfiguration(
            bootstrapServers: cluster.bootstrapServers,
            subscription: .partitions((0..<partitions).map { KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: KafkaOffset.beginning) }),
            groupID: nil
        )
        var debugLogger = logger
        if ProcessInfo.processInfo.environment["BENCH_DEBUG"] != nil {
            configuration.properties["debug"] = "fetch,cgrp,topic"
            debugLogger.logLevel = .debug
        }
        let consumer = try KafkaConsumer(configuration: configuration, logger: debugLogger)
        let started = ContinuousClock.now
        let runner = Task { try await consumer.run() }
        var count = 0
        var bytes = 0
        for await event in consumer.events {
            guard case .message(let message) = event else { continue }
            if count == 0, ProcessInfo.processInfo.environment["BENCH_DEBUG"] != nil { print("first message after \(ContinuousClock.now - started)") }
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

/// The middle of `values` (the upper one of the two middles when their count is even).
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

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
