import Foundation
import Kafka
import Testing
import Worker

/// `callstream status` as a process against an embedded broker in the test process.
@Suite("callstream status process on the embedded broker", .serialized)
struct StatusCommandTests {
    private struct Report: Decodable {
        struct Group: Decodable {
            struct Member: Decodable {
                var client: String
                var partitions: [String]
            }

            struct Partition: Decodable {
                var topic: String
                var partition: Int32
                var committed: Int64?
                var highWatermark: Int64
                var lag: Int64
            }

            var group: String
            var members: [Member]
            var partitions: [Partition]
            var totalLag: Int64
        }

        var groups: [Group]
        var totalLag: Int64
    }

    private static func status(_ cluster: EmbeddedKafkaCluster) async throws -> Report {
        let run = try await runCallStream(["status", "--json", "--bootstrap-servers", cluster.bootstrapServers, "--timeout", "10"])
        #expect(run.status == 0, "stderr: \(run.error)")
        return try JSONDecoder().decode(Report.self, from: Data(run.output.utf8))
    }

    @Test func lagIsTheEventsProducedUntilAWorkerCatchesUpThenZeroWithItsMembers() async throws {
        try await withWorkerCluster { cluster in
            let load = try CallLoad(calls: 30, eventsPerCall: 6, startMs: Int64(Date().timeIntervalSince1970 * 1000) - 3_600_000)
            let messages = load.messages(topic: Topics.events)
            try await produceAll(cluster, messages)

            let before = try await Self.status(cluster)
            let workers = try #require(before.groups.first { $0.group == "callstream-workers" })
            #expect(workers.partitions.reduce(0) { $0 + $1.lag } == Int64(messages.count))
            #expect(workers.totalLag == Int64(messages.count))
            #expect(workers.partitions.allSatisfy { $0.committed == nil && $0.topic == Topics.events })
            #expect(workers.members.isEmpty)

            var configuration = testWorkerConfiguration(cluster)
            configuration.assembler.lateEventWindow = .zero
            let worker = RunningWorker(configuration)
            var after = before
            let deadline = ContinuousClock.now + .seconds(90)
            while ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(500))
                after = try await Self.status(cluster)
                if after.totalLag == 0 { break }
            }
            try await worker.stop()
            let caughtUp = try #require(after.groups.first { $0.group == "callstream-workers" })
            #expect(caughtUp.totalLag == 0)
            #expect(after.totalLag == 0)
            let committedPartitions = Set(caughtUp.partitions.filter { $0.committed != nil }.map { "\($0.topic)[\($0.partition)]" })
            #expect(!committedPartitions.isEmpty)
            #expect(caughtUp.members.count == 1)
            #expect(caughtUp.members.first?.client.hasPrefix("callstream-worker ") == true)
            #expect(Set(caughtUp.members.flatMap(\.partitions)) == committedPartitions)
        }
    }

    @Test func theSinksGroupIsListedOnceItCommittedWithWhoCommitted() async throws {
        try await withWorkerCluster { cluster in
            try await produceAll(cluster, (0..<5).map { KafkaProducerMessage(topic: Topics.records, key: "call-\($0)", value: "{}", partition: 2) })
            var configuration = KafkaConsumerConfiguration(
                bootstrapServers: cluster.bootstrapServers,
                subscription: .partitions([KafkaTopicPartitionOffset(topic: Topics.records, partition: 2, offset: KafkaOffset.beginning)]),
                groupID: "callstream-sink"
            )
            configuration.autoCommitInterval = nil
            configuration.shutdownTimeout = .seconds(3)
            configuration.commitMetadata = "test-sink host pid 1"
            let consumer = try KafkaConsumer(configuration: configuration, logger: testLogger("sink"))
            let runner = Task { try await consumer.run() }
            try await consumer.commit([KafkaTopicPartitionOffset(topic: Topics.records, partition: 2, offset: 3)])
            consumer.triggerGracefulShutdown()
            _ = try? await runner.value

            let report = try await Self.status(cluster)
            let sink = try #require(report.groups.first { $0.group == "callstream-sink" })
            #expect(sink.partitions.allSatisfy { $0.topic == Topics.records })
            let two = try #require(sink.partitions.first { $0.partition == 2 })
            #expect(two.committed == 3 && two.highWatermark == 5 && two.lag == 2)
            #expect(sink.totalLag == 2)
            #expect(sink.members.map(\.client) == ["test-sink host pid 1"])
            #expect(sink.members.first?.partitions == ["\(Topics.records)[2]"])
        }
    }

    @Test func anUnreachableBrokerIsOneLineAndAFailure() async throws {
        let run = try await runCallStream(["status", "--bootstrap-servers", "127.0.0.1:1", "--timeout", "2"])
        #expect(run.status != 0)
        let lines = run.error.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: cannot get the groups' status from 127.0.0.1:1"), "stderr: \(run.error)")
        #expect(run.output.isEmpty)
    }
}
