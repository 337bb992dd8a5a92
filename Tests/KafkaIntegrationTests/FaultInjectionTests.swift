import Foundation
import Kafka
import Testing

@Suite("Fault injection on the embedded broker", .serialized)
struct FaultInjectionTests {
    @Test("Broker down: sends fail with a KafkaError after message.timeout.ms; broker up: sends succeed")
    func brokerDownAndUp() async throws {
        try await withEmbeddedCluster(topics: ["outage": 3]) { cluster in
            var configuration = producerConfiguration(cluster)
            configuration.messageTimeout = .seconds(2)
            configuration.properties["reconnect.backoff.max.ms"] = "500"
            let producer = try KafkaProducer(configuration: configuration, logger: testLogger())
            try await withRunning(producer) {
                _ = try await producer.send(KafkaProducerMessage(topic: "outage", key: "a", value: "before"))

                try cluster.setBrokerDown(1)
                let started = ContinuousClock.now
                let error = await #expect(throws: KafkaError.self) {
                    _ = try await producer.send(KafkaProducerMessage(topic: "outage", key: "a", value: "during"))
                }
                #expect(error?.code == .messageTimedOut, "got \(String(describing: error))")
                #expect(error?.isRetriable == true)
                #expect(ContinuousClock.now - started >= .seconds(2), "not before message.timeout.ms")

                try cluster.setBrokerUp(1)
                // As a caller would: retry what is retriable until the broker is back.
                var report: KafkaDeliveryReport?
                let deadline = ContinuousClock.now + .seconds(60)
                while report == nil && ContinuousClock.now < deadline {
                    do {
                        report = try await producer.send(KafkaProducerMessage(topic: "outage", key: "a", value: "after"))
                    } catch let error as KafkaError where error.isRetriable {
                        continue
                    }
                }
                #expect(report != nil, "sends succeed again once the broker is up")
            }
        }
    }

    @Test("Produce errors the broker answers (not leader, timeouts) are retried without loss or duplication")
    func produceRequestErrorsAreRetried() async throws {
        try await withEmbeddedCluster(topics: ["flaky": 1]) { cluster in
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger())
            let reports = try await withRunning(producer) {
                _ = try await producer.send(KafkaProducerMessage(topic: "flaky", key: "k", value: "warm-up"))
                cluster.pushRequestErrors(.produce, [.notLeaderForPartition, .requestTimedOut, .notEnoughReplicas])
                return try await produce(producer, topic: "flaky", count: 50, key: { _ in "k" })
            }
            #expect(Set(reports.map(\.offset)) == Set(1...50), "each message exactly once, after the warm-up")
            let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: testLogger())
            let metadata = try await admin.metadata(topics: ["flaky"])
            #expect(metadata.topic("flaky")?.partitions.first?.highWatermark == 51)
            await admin.shutdown()
        }
    }

    @Test("Metadata lists brokers, topics and watermarks; creating topics on the embedded broker fails with a KafkaError")
    func adminMetadata() async throws {
        try await withEmbeddedCluster(brokers: 3, topics: ["meta": 6]) { cluster in
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger())
            _ = try await withRunning(producer) { try await produce(producer, topic: "meta", count: 60, key: { "k\($0)" }) }
            let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: testLogger())
            let metadata = try await admin.metadata()
            #expect(metadata.brokers.map(\.id) == [1, 2, 3])
            let topic = try #require(metadata.topic("meta"))
            #expect(topic.partitions.map(\.id) == Array(0..<6))
            #expect(topic.partitions.map(\.messageCount).reduce(0, +) == 60)
            #expect(topic.partitions.allSatisfy { (1...3).contains($0.leader) })

            let error = await #expect(throws: KafkaError.self) {
                try await admin.createTopics([KafkaTopicSpecification(name: "new", partitions: 3, configs: ["cleanup.policy": "compact"])], timeout: .seconds(5))
            }
            // The mock cluster has no controller, so librdkafka waits for one until the timeout.
            #expect(error?.code == .timedOut, "got \(String(describing: error))")
            await admin.shutdown()
        }
    }
}
