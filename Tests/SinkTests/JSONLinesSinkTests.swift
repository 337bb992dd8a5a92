import CallStreamTesting
import Foundation
import Sinks
import Testing

@Suite("JSON Lines sink")
struct JSONLinesSinkTests {
    @Test func replaysAndRedeliveriesAddNoLine() async throws {
        let directory = try temporaryDirectory("jsonl")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // 3 days of calls, each delivered three times over, in batches that split them differently.
        let records = (0..<30).map { index in
            TestRecords.record(callID: "call-\(index)", endedAtMs: 1_764_000_000_000 + Int64(index % 3) * 86_400_000)
        }
        try await SinkFeeder.feed(records, to: JSONLinesSink(configuration: .init(directory: directory)), batchSize: 7, deliveries: 3)
        // A new sink on the same folder (a restart) sees what the files hold.
        let revised = TestRecords.record(callID: "call-4", revision: 2, endedAtMs: 1_764_000_000_000 + 86_400_000)
        try await SinkFeeder.feed(records + [revised, revised], to: JSONLinesSink(configuration: .init(directory: directory, fsync: false)), batchSize: 11)

        let lines = try jsonLines(in: directory)
        #expect(lines.count == 31)
        #expect(Set(lines.map { "\($0.callID)#\($0.revision)" }).count == 31, "one line per (call_id, revision)")
        #expect(Set(lines.map(\.file)) == ["records-2025-11-24.jsonl", "records-2025-11-25.jsonl", "records-2025-11-26.jsonl"])
        #expect(lines.contains { $0.callID == "call-4" && $0.revision == 2 && $0.file == "records-2025-11-25.jsonl" })
    }

    @Test func aTornLastLineIsCutAndItsRecordWrittenAgain() async throws {
        let directory = try temporaryDirectory("jsonl-torn")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let records = TestRecords.calls(3)
        let sink = JSONLinesSink(configuration: .init(directory: directory))
        try await SinkFeeder.feed(Array(records.prefix(2)), to: sink)
        // A crash in the middle of appending the third record.
        let path = directory + "/" + sink.fileName(for: records[2])
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: records[2].json.prefix(20))
        try handle.close()

        try await SinkFeeder.feed(records, to: JSONLinesSink(configuration: .init(directory: directory)))
        let lines = try jsonLines(in: directory)
        #expect(lines.map(\.callID) == records.map(\.callID))
    }

    @Test func aRunnerReplayOnTheEmbeddedBrokerAddsNoLine() async throws {
        let directory = try temporaryDirectory("jsonl-broker")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await EmbeddedCallStream.run { stream in
            let records = TestRecords.calls(40)
            try await stream.publish(records)
            let sink = JSONLinesSink(configuration: .init(directory: directory))
            let first = RunningSinkRunner(SinkRunner(configuration: stream.runnerConfiguration(group: "archive"), sink: sink, logger: stream.logger))
            #expect(try await first.waitUntilWritten(40))
            try await first.stop()

            // The records come again (a worker replay) with one new revision, and a second group
            // re-reads the whole topic from the beginning into the same folder.
            try await stream.publish(records + [TestRecords.record(callID: records[5].callID, revision: 2, startedAtMs: records[5].startedAtMs!, endedAtMs: records[5].endedAtMs)])
            let replay = RunningSinkRunner(SinkRunner(
                configuration: stream.runnerConfiguration(group: "archive-replay"), sink: JSONLinesSink(configuration: .init(directory: directory)), logger: stream.logger
            ))
            #expect(try await replay.waitUntilWritten(81))
            try await replay.stop()
        }
        let lines = try jsonLines(in: directory)
        #expect(lines.count == 41)
        #expect(Set(lines.map { "\($0.callID)#\($0.revision)" }).count == 41)
    }
}
