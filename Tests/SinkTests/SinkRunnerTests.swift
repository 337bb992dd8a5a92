import CallStreamTesting
import ExampleSinks
import Foundation
import Kafka
import Sinks
import Testing

@Suite("Sink runner on the embedded broker", .serialized)
struct SinkRunnerTests {
    @Test func failedWritesAreRetriedWithBackoffAndNothingIsLost() async throws {
        try await EmbeddedCallStream.run { stream in
            let records = TestRecords.calls(25)
            try await stream.publish(records)
            let sink = RecordingSink(failures: 3)
            let running = RunningSinkRunner(SinkRunner(configuration: stream.runnerConfiguration(), sink: sink, logger: stream.logger))
            #expect(try await running.waitUntilWritten(25))
            try await running.stop()
            #expect(sink.callIDs == Set(records.map(\.callID)))
            #expect(running.runner.counters.failedWrites == 3)
            #expect(running.runner.counters.deadLettered == 0)
        }
    }

    @Test func aRecordThatKeepsFailingGoesToTheDeadLetterTopicAloneAndOffsetsMoveOn() async throws {
        try await EmbeddedCallStream.run(partitions: 1) { stream in
            let records = TestRecords.calls(10)
            let poison = records[4].callID
            // Not a record at all: dead-lettered at once, never handed to the sink.
            try await stream.produce([KafkaProducerMessage(topic: stream.recordsTopic, key: Array("junk".utf8), value: Array("{oops".utf8), headers: [])])
            try await stream.publish(records)
            let sink = RecordingSink(poison: [poison])
            let running = RunningSinkRunner(SinkRunner(configuration: stream.runnerConfiguration(), sink: sink, logger: stream.logger))
            #expect(try await running.waitUntilWritten(9))
            let dead = try await stream.read(stream.deadLetterTopic, count: 2)
            try await running.stop()
            #expect(sink.callIDs == Set(records.map(\.callID)).subtracting([poison]))
            #expect(Set(dead.compactMap(\.keyString)) == [poison, "junk"])
            #expect(Set(dead.compactMap { $0.headers.string(for: SinkHeader.deadLetterReason) }) == ["unavailable", "invalid_record"])

            // Everything was handled: a restarted member of the group gets nothing again.
            let again = RecordingSink()
            let restarted = RunningSinkRunner(SinkRunner(configuration: stream.runnerConfiguration(), sink: again, logger: stream.logger))
            try await Task.sleep(for: .seconds(3))
            try await restarted.stop()
            #expect(again.records.isEmpty)
        }
    }

    @Test func offsetsAreNotCommittedPastAFailingSink() async throws {
        try await EmbeddedCallStream.run { stream in
            let records = TestRecords.calls(12)
            try await stream.publish(records)
            // No dead-letter topic: the runner retries until it stops, and commits nothing.
            var configuration = stream.runnerConfiguration()
            configuration.deadLetterTopic = nil
            configuration.drainTimeout = .milliseconds(500)
            let down = RunningSinkRunner(SinkRunner(configuration: configuration, sink: RecordingSink(failures: .max), logger: stream.logger))
            #expect(await eventually(timeout: .seconds(30)) { down.runner.counters.failedWrites >= 2 })
            try await down.stop()

            let sink = RecordingSink()
            let up = RunningSinkRunner(SinkRunner(configuration: configuration, sink: sink, logger: stream.logger))
            #expect(try await up.waitUntilWritten(12))
            try await up.stop()
            #expect(sink.callIDs == Set(records.map(\.callID)))
        }
    }

    @Test func theExampleSinkRunsAgainstTheEmbeddedBroker() async throws {
        try await EmbeddedCallStream.run { stream in
            try await stream.publish(TestRecords.calls(3, prefix: "example"))
            try await stream.publish([TestRecords.record(callID: "example-0002", revision: 2), TestRecords.record(callID: "example-0002", revision: 1)])
            let sink = LatestRevisionSink()
            let running = RunningSinkRunner(SinkRunner(configuration: stream.runnerConfiguration(group: "example"), sink: sink, logger: stream.logger))
            #expect(try await running.waitUntilWritten(5))
            try await running.stop()
            #expect(sink.revisions == ["example-0001": 1, "example-0002": 2, "example-0003": 1])
        }
    }
}
