import Foundation
import Kafka
import Testing
import Worker
import ProcessTestSupport

/// `callstream-worker` as a separate process against an embedded broker in the test process.
@Suite("callstream-worker process on the embedded broker", .serialized)
struct WorkerProcessTests {
    /// The default late-event window. (With 300 s, a restart used to re-read the tail of an
    /// emitted call as a new, partial call; the assembler now holds the watermark before it.)
    static let lateEventWindowMs = 300_000

    private static func workerProcess(_ cluster: some KafkaBroker, lateEventWindowMs: Int = 0) throws -> Process {
        try startWorkerProcess(cluster, lateEventWindowMs: lateEventWindowMs)
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

    /// Ten trials: a worker process killed with SIGKILL mid-stream (no leave, no commit at the
    /// end) after 10 to 179 records, a different moment each trial; another started; no call lost,
    /// every repeated record byte-identical to its first.
    @Test(arguments: 1...10)
    func sigkillMidStreamLosesNoCall(trial: Int) async throws {
        try await withWorkerCluster { cluster in
            let load = try CallLoad(calls: 200, eventsPerCall: 12, startMs: epochNowMs() - 3_600_000, spacingMs: 200, seed: UInt64(trial))
            let producing = Task { try await produceStreaming(cluster, load.messages(topic: Topics.events), chunk: 200) }
            let first = try Self.workerProcess(cluster, lateEventWindowMs: Self.lateEventWindowMs)
            let killAfter = 10 + (trial * 37) % 170
            _ = try await readTopic(cluster, Topics.records, partitions: Topics.partitions) { $0.count >= killAfter }
            kill(first.processIdentifier, SIGKILL)
            await first.exited()
            let second = try Self.workerProcess(cluster, lateEventWindowMs: Self.lateEventWindowMs)
            try await producing.value
            _ = try await readTopic(cluster, Topics.records, partitions: Topics.partitions, timeout: .seconds(180)) {
                Set($0.compactMap(\.keyString)).count >= 200
            }
            second.terminate()
            await second.exited()

            let records = try await allRecords(cluster)
            let byRevision = recordsByRevision(records)
            #expect(Set(records.compactMap(\.keyString)) == Set(load.callIDs), "no call lost (trial \(trial))")
            #expect(byRevision.mismatches.isEmpty, "every repeated record byte-identical (trial \(trial))")
            var configuration = testWorkerConfiguration(cluster)
            configuration.assembler.lateEventWindow = .milliseconds(Self.lateEventWindowMs)
            let expected = try await expectedRecords(cluster, configuration)
            #expect(expected == byRevision.records)
        }
    }

    /// Scale-out: three worker processes in one group on a `callstream broker` process (as an
    /// operator runs them); one killed (SIGKILL) and another started mid-stream; every call
    /// emitted, every repeated record byte-identical.
    @Test func threeWorkerProcessesOneKilledAnotherStartedEveryCallEmitted() async throws {
        let cluster = try BrokerProcess()
        defer { cluster.stop() }
        let load = try CallLoad(calls: 300, eventsPerCall: 12, startMs: epochNowMs() - 3_600_000, spacingMs: 200, seed: 7)
        var workers = try (0..<3).map { _ in try Self.workerProcess(cluster, lateEventWindowMs: Self.lateEventWindowMs) }
        let producing = Task { try await produceStreaming(cluster, load.messages(topic: Topics.events), chunk: 200) }
        _ = try await readTopic(cluster, Topics.records, partitions: Topics.partitions) { $0.count >= 40 }
        kill(workers[1].processIdentifier, SIGKILL)
        await workers[1].exited()
        workers[1] = try Self.workerProcess(cluster, lateEventWindowMs: Self.lateEventWindowMs)
        try await producing.value
        _ = try await readTopic(cluster, Topics.records, partitions: Topics.partitions, timeout: .seconds(180)) {
            Set($0.compactMap(\.keyString)).count >= 300
        }
        for worker in workers { worker.terminate() }
        for worker in workers { await worker.exited() }

        let records = try await allRecords(cluster)
        let byRevision = recordsByRevision(records)
        #expect(Set(records.compactMap(\.keyString)) == Set(load.callIDs), "every call emitted")
        #expect(byRevision.mismatches.isEmpty, "every repeated record byte-identical")
    }
}
