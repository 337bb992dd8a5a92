import Foundation
import Kafka
import Synchronization
import Testing

/// Every message the producer reports as acknowledged is in the topic, at the offset reported,
/// while the embedded cluster goes through the faults of the reliability suite: 500 ms round trips
/// switched on and off, produce errors, leader moves and a broker down and up.
@Suite("Acknowledgements under broker faults", .serialized)
struct AcknowledgementUnderFaultsTests {
    @Test func everyAcknowledgedMessageIsInTheTopicAtItsOffset() async throws {
        let topic = "acknowledged"
        try await withEmbeddedCluster(brokers: 3) { cluster in
            try cluster.createTopic(topic, partitions: 12, replicationFactor: 3)
            var configuration = producerConfiguration(cluster)
            configuration.messageTimeout = .seconds(3)
            configuration.linger = .milliseconds(2)
            let producer = try KafkaProducer(configuration: configuration, logger: testLogger())
            let run = Run()
            try await withRunning(producer) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for lane in 0..<16 {
                        group.addTask {
                            var index = 0
                            while !run.stop.load(ordering: .relaxed) {
                                let id = "\(lane)-\(index)"
                                index += 1
                                do {
                                    let report = try await producer.send(KafkaProducerMessage(topic: topic, key: "call-\(lane)-\(index / 10)", value: id))
                                    run.acknowledged.withLock { $0.append((id, report)) }
                                } catch {
                                    try await Task.sleep(for: .milliseconds(100))
                                }
                                try await Task.sleep(for: .milliseconds(60))
                            }
                        }
                    }
                    group.addTask {
                        let pause: Duration = .milliseconds(1500)
                        try await Task.sleep(for: pause)
                        for broker: Int32 in 1...3 { try cluster.setRoundTripTime(.milliseconds(500), broker: broker) }
                        try await Task.sleep(for: pause)
                        for broker: Int32 in 1...3 { try cluster.setRoundTripTime(.zero, broker: broker) }
                        let retriable: [KafkaBrokerError] = [.notLeaderForPartition, .requestTimedOut, .notEnoughReplicas]
                        cluster.pushRequestErrors(.produce, Array(repeating: retriable, count: 5).flatMap { $0 })
                        try await Task.sleep(for: pause)
                        for partition: Int32 in 0..<12 { try cluster.setPartitionLeader(topic: topic, partition: partition, broker: partition % 3 + 1) }
                        try await Task.sleep(for: pause)
                        try cluster.setBrokerDown(3)
                        try await Task.sleep(for: .seconds(3))
                        try cluster.setBrokerUp(3)
                        try await Task.sleep(for: .seconds(3))
                        run.stop.store(true, ordering: .relaxed)
                    }
                    try await group.waitForAll()
                }
            }
            cluster.clearRequestErrors(.produce)
            let reports = run.acknowledged.withLock { $0 }
            // Enough traffic to meet every fault (a bound on the test's reach, not a speed goal: a busy
            // CI machine acknowledged 284).
            #expect(reports.count >= 50)
            #expect(reports.filter { $0.report.offset < 0 }.isEmpty, "acknowledged without an offset: \(reports.filter { $0.report.offset < 0 }.prefix(10).map(\.id))")

            // Read the topic whole and find each acknowledged message at its offset.
            let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: testLogger())
            let metadata = try await admin.metadata(topics: [topic])
            await admin.shutdown()
            let ends = Dictionary(uniqueKeysWithValues: (metadata.topic(topic)?.partitions ?? []).map { ($0.id, $0.highWatermark) })
            var readerConfiguration = KafkaConsumerConfiguration(
                bootstrapServers: cluster.bootstrapServers,
                subscription: .partitions((0..<12).map { KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: KafkaOffset.beginning) }), groupID: nil
            )
            readerConfiguration.shutdownTimeout = .seconds(5)
            let reader = try KafkaConsumer(configuration: readerConfiguration, logger: testLogger())
            let runner = Task { try await reader.run() }
            var stored: [Int32: [Int64: String]] = [:]
            var remaining = Set(ends.filter { $0.value > 0 }.keys)
            for await event in reader.events {
                guard case .message(let message) = event else { continue }
                stored[message.partition, default: [:]][message.offset] = String(decoding: message.value, as: UTF8.self)
                if message.offset + 1 >= ends[message.partition] ?? 0 { remaining.remove(message.partition) }
                if remaining.isEmpty { break }
            }
            reader.triggerGracefulShutdown()
            _ = try? await runner.value
            let missing = reports.filter { stored[$0.report.partition]?[$0.report.offset] != $0.id }
            let storedIDs = Set(stored.values.flatMap(\.values))
            #expect(missing.isEmpty, "\(missing.count) of \(reports.count) acknowledged not at their offset: \(missing.prefix(10).map { "\($0.id) at \($0.report.partition):\($0.report.offset) (there: \(stored[$0.report.partition]?[$0.report.offset] ?? "nothing"); anywhere: \(storedIDs.contains($0.id)))" })")
        }
    }

    /// What the sending lanes share.
    private final class Run: Sendable {
        let acknowledged = Mutex<[(id: String, report: KafkaDeliveryReport)]>([])
        let stop = Atomic<Bool>(false)
    }
}
