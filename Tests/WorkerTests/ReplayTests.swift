import Foundation
import Kafka
import Synchronization
import Testing
import Worker

@Suite("Replay on the embedded broker", .serialized)
struct ReplayTests {
    @Test func replayFromEarliestIntoANewTopicGivesTheLiveRunsRecordsByteForByte() async throws {
        try await withWorkerCluster { cluster in
            let (load, liveRecords) = try await liveRun(cluster, calls: 150, eventsPerCall: 12)

            try cluster.createTopic("replayed", partitions: 3)
            var configuration = testWorkerConfiguration(cluster, group: "replay-1")
            configuration.recordsTopic = "replayed"
            configuration.replay = ReplayPlan(start: .earliest, endOffsets: try await highWatermarks(cluster, Topics.events))
            let lastProgress = try await runReplay(configuration)

            let total = Int(try await highWatermarks(cluster, "replayed").values.reduce(0, +))
            let replayed = try await readTopic(cluster, "replayed", partitions: 3) { $0.count >= total }
            let replayedRecords = recordsByRevision(replayed)
            #expect(lastProgress.read == lastProgress.total && lastProgress.total > 0)
            #expect(replayedRecords.mismatches.isEmpty)
            #expect(replayedRecords.records == liveRecords, "byte-identical to the live run")
            #expect(Set(replayed.compactMap(\.keyString)) == Set(load.callIDs))
        }
    }

    /// The live run's group has committed its offsets; a replay in that same group still starts
    /// where its plan says (the start is part of the assignment, not a seek after it).
    @Test func replayInTheLiveRunsGroupStillReadsFromItsStart() async throws {
        try await withWorkerCluster { cluster in
            let (_, liveRecords) = try await liveRun(cluster, calls: 60, eventsPerCall: 10)

            try cluster.createTopic("replayed-same-group", partitions: 3)
            var configuration = testWorkerConfiguration(cluster)  // the live run's group
            configuration.recordsTopic = "replayed-same-group"
            let ends = try await highWatermarks(cluster, Topics.events)
            configuration.replay = ReplayPlan(start: .earliest, endOffsets: ends)
            let progress = try await runReplay(configuration)

            let total = Int(try await highWatermarks(cluster, "replayed-same-group").values.reduce(0, +))
            let replayed = recordsByRevision(try await readTopic(cluster, "replayed-same-group", partitions: 3) { $0.count >= total })
            #expect(progress.read == progress.total && progress.total == ends.values.reduce(0, +))
            #expect(replayed.records == liveRecords, "every call again, byte-identical")
        }
    }

    /// Produces `calls` calls, runs a live worker (the default group) until every call has its
    /// record, stops it; returns the load and the live run's records by call and revision.
    private func liveRun(_ cluster: EmbeddedKafkaCluster, calls: Int, eventsPerCall: Int) async throws -> (load: CallLoad, records: [String: [UInt8]]) {
        let load = try CallLoad(calls: calls, eventsPerCall: eventsPerCall, startMs: epochNowMs() - 3_600_000)
        try await produceAll(cluster, load.messages(topic: Topics.events))
        let live = RunningWorker(testWorkerConfiguration(cluster))
        _ = try await readTopic(cluster, Topics.records, partitions: Topics.partitions) { Set($0.compactMap(\.keyString)).count >= calls }
        try await live.stop()
        return (load, recordsByRevision(try await allRecords(cluster)).records)
    }

    /// Runs a replaying worker until it stops by itself; returns its last progress report.
    private func runReplay(_ configuration: WorkerConfiguration) async throws -> (read: Int64, total: Int64) {
        let lastProgress = Mutex<(read: Int64, total: Int64)>((0, 0))
        let replay = Worker(configuration: configuration, logger: testLogger("replay")) { _ in } onReplayProgress: { read, total in
            lastProgress.withLock { $0 = (read, total) }
        }
        // It stops by itself at the end offsets; the bound is only against a hang.
        let run = Task { try await replay.run() }
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline, lastProgress.withLock({ $0.read < $0.total || $0.total == 0 }) {
            try await Task.sleep(for: .milliseconds(100))
        }
        try await run.value
        return lastProgress.withLock { $0 }
    }
}
