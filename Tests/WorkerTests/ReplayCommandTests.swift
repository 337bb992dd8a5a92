import Foundation
import Kafka
import Testing
import Worker

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
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(text.contains("records on replayed"))
            let total = Int(try await highWatermarks(cluster, "replayed").values.reduce(0, +))
            let replayed = recordsByRevision(try await readTopic(cluster, "replayed", partitions: 2) { $0.count >= total }).records
            #expect(replayed == liveRecords)
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == total)
        }
    }
}
