import Foundation
import Kafka
import Testing
import Worker

/// `callstream-worker` as a separate process against an embedded broker in the test process.
@Suite("callstream-worker process on the embedded broker", .serialized)
struct WorkerProcessTests {
    private static func workerProcess(_ cluster: EmbeddedKafkaCluster) throws -> Process {
        let process = Process()
        process.executableURL = packageRoot.appendingPathComponent(".build/debug/callstream-worker")
        process.currentDirectoryURL = packageRoot
        process.arguments = [
            "--kafka-bootstrap-servers", cluster.bootstrapServers,
            "--worker-session-timeout-ms", "6000", "--worker-heartbeat-interval-ms", "500",
            "--worker-tick-after-ms", "1000", "--worker-late-event-window-ms", "0", "--log-level", "error",
        ]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The group's committed offsets, asked by a client that never joins (and is gone before the broker).
    private static func committedOffsets(_ cluster: EmbeddedKafkaCluster) async throws -> [KafkaTopicPartitionOffset] {
        var configuration = KafkaConsumerConfiguration(
            bootstrapServers: cluster.bootstrapServers, subscription: .group(topics: [Topics.events]), groupID: "callstream-workers"
        )
        configuration.shutdownTimeout = .seconds(3)
        let probe = try KafkaConsumer(configuration: configuration, logger: testLogger("probe"))
        return try await probe.committedOffsets(for: (0..<Topics.partitions).map { KafkaTopicPartition(topic: Topics.events, partition: $0) })
    }

    @Test func sigtermEndsTheWorkerWithinTenSecondsWithItsOffsetsCommitted() async throws {
        try await withWorkerCluster { cluster in
            let load = try CallLoad(calls: 60, eventsPerCall: 10, startMs: Int64(Date().timeIntervalSince1970 * 1000) - 3_600_000)
            try await produceAll(cluster, load.messages(topic: Topics.events))
            let process = try Self.workerProcess(cluster)
            _ = try await readTopic(cluster, Topics.records, partitions: Topics.partitions) { Set($0.compactMap(\.keyString)).count >= 60 }
            // Past one commit interval, so that the last acknowledgements are committed in steady state too.
            try await Task.sleep(for: .seconds(1))

            let signalled = ContinuousClock.now
            process.terminate()  // SIGTERM
            while process.isRunning, ContinuousClock.now - signalled < .seconds(15) {
                try await Task.sleep(for: .milliseconds(20))
            }
            let took = ContinuousClock.now - signalled
            if process.isRunning { process.interrupt(); kill(process.processIdentifier, SIGKILL) }
            #expect(took < .seconds(10), "exited \(took) after SIGTERM")
            #expect(process.terminationStatus == 0)

            // Every call emitted and acknowledged, no late-event window: the watermark is the end.
            let ends = try await highWatermarks(cluster, Topics.events)
            let committed = try await Self.committedOffsets(cluster)
            for offset in committed where (ends[offset.partition] ?? 0) > 0 {
                #expect(offset.offset == ends[offset.partition], "partition \(offset.partition) committed at its end")
            }
        }
    }
}
