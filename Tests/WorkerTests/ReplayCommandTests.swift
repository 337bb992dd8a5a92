import CallEvents
import Foundation
import Kafka
import Testing
import Worker
import ProcessTestSupport

/// `callstream replay` as a process against an embedded broker in the test process.
@Suite("callstream replay process on the embedded broker")
struct ReplayCommandTests {
    @Test func replayCommandWritesTheLiveRecordsToANewTopicAndAFile() async throws {
        try await withWorkerCluster { cluster in
            let load = try CallLoad(calls: 40, eventsPerCall: 8, startMs: epochNowMs() - 3_600_000)
            try await produceAll(cluster, load.messages(topic: Topics.events))
            let live = RunningWorker(testWorkerConfiguration(cluster))
            _ = try await readTopic(cluster, Topics.records, partitions: Topics.partitions) { Set($0.compactMap(\.keyString)).count >= 40 }
            try await live.stop()
            let liveRecords = recordsByRevision(try await allRecords(cluster)).records
            try cluster.createTopic("replayed", partitions: 2)

            let file = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString).jsonl")
            defer { try? FileManager.default.removeItem(at: file) }
            let process = Process()
            process.executableURL = packageRoot.appendingPathComponent(".build/debug/callstream")
            process.arguments = [
                "replay", "--bootstrap-servers", cluster.bootstrapServers, "--from", "earliest", "--group", "replay-cli",
                "--records-topic", "replayed", "--sink", "jsonl:\(file.path)",
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: await output.fileHandleForReading.dataToEnd(), as: UTF8.self)
            await process.exited()
            #expect(process.terminationStatus == 0)
            #expect(text.contains("records on replayed"))
            let total = Int(try await highWatermarks(cluster, "replayed").values.reduce(0, +))
            let replayed = recordsByRevision(try await readTopic(cluster, "replayed", partitions: 2) { $0.count >= total }).records
            #expect(replayed == liveRecords)
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == total)
        }
    }

    /// Two batches of calls received an hour apart: `--to` the time between them replays only the
    /// first, `--from` that time only the second, and each replay stops at its end.
    @Test func replayCommandReadsTheTimeRangeItIsGiven() async throws {
        try await withWorkerCluster { cluster in
            let now = epochNowMs()
            let early = try CallLoad(calls: 12, eventsPerCall: 6, startMs: now - 3 * 3_600_000, seed: 7)
            let late = try CallLoad(calls: 12, eventsPerCall: 6, startMs: now - 3_600_000, seed: 8)
            // Received (message timestamps) two hours and half an hour ago; a tick per partition
            // after each batch moves stream time past its calls.
            for (load, receivedMs) in [(early, now - 2 * 3_600_000), (late, now - 1_800_000)] {
                var messages = load.messages(topic: Topics.events)
                for partition in 0..<Topics.partitions {
                    messages.append(KafkaProducerMessage(topic: Topics.events, key: nil, value: Tick.encode(atMs: receivedMs), partition: partition))
                }
                for index in messages.indices { messages[index].timestampMilliseconds = receivedMs }
                try await produceAll(cluster, messages)
            }
            let between = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(now - 3_600_000) / 1000))

            for (range, topic, expected) in [(["--from", "earliest", "--to", between], "first-batch", early.callIDs),
                                             (["--from", between], "second-batch", late.callIDs)] {
                try cluster.createTopic(topic, partitions: 2)
                let process = Process()
                process.executableURL = packageRoot.appendingPathComponent(".build/debug/callstream")
                process.arguments = ["replay", "--bootstrap-servers", cluster.bootstrapServers, "--group", "replay-\(topic)", "--records-topic", topic] + range
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                await process.exited()
                #expect(process.terminationStatus == 0)
                let total = Int(try await highWatermarks(cluster, topic).values.reduce(0, +))
                let records = try await readTopic(cluster, topic, partitions: 2) { $0.count >= total }
                #expect(Set(records.compactMap(\.keyString)) == Set(expected), "\(topic)")
            }
        }
    }
}
