import CallStreamTesting
import Foundation
import HTTPSink
import Sinks
import SinkApp
import Testing

@Suite("HTTP sink: a local receiver on the embedded broker", .serialized)
struct HTTPSinkTests {
    @Test func everyRecordIsAcknowledgedOnceSignedAndA500IsRetried() async throws {
        let receiver = WebhookReceiver(secret: "s3cret", failFirst: 2)
        let records = TestRecords.calls(15, prefix: "http")
        try await receiver.run { url in
            try await EmbeddedCallStream.run { stream in
                try await stream.publish(records)
                var configuration = SinkConfiguration(destination: url)
                configuration.runner = stream.runnerConfiguration(group: "http-sink")
                configuration.recordsTopic = stream.recordsTopic
                configuration.httpSecret = "s3cret"
                configuration.httpMaximumRequestsPerSecond = 200
                let program = try buildSink(configuration: configuration, logger: stream.logger)
                let running = RunningSinkRunner(program.runner)
                #expect(try await running.waitUntilWritten(15))
                try await running.stop()
            }
        }
        let acknowledged = receiver.acknowledged
        #expect(acknowledged.count == 15, "each record acknowledged exactly once")
        #expect(Set(acknowledged.map(\.callID)) == Set(records.map(\.callID)))
        #expect(receiver.deliveries.allSatisfy { $0.signatureValid })
        #expect(receiver.deliveries.filter { $0.status == 500 }.count == 2)
        // The record that got a 500 came again and was then acknowledged.
        let failed = try #require(receiver.deliveries.first { $0.status == 500 })
        #expect(acknowledged.contains { $0.idempotencyKey == failed.idempotencyKey })
        #expect(acknowledged.allSatisfy { $0.idempotencyKey == "\($0.callID):\($0.revision)" })
    }

    @Test func aRecordTheReceiverRejectsGoesToTheDeadLetterTopicAndTheOthersThrough() async throws {
        let records = TestRecords.calls(6, prefix: "reject")
        let receiver = WebhookReceiver(secret: "", failFirst: 0, reject: [records[2].callID])
        let dead = try await receiver.run { url in
            try await EmbeddedCallStream.run(partitions: 1) { stream in
                try await stream.publish(records)
                var configuration = SinkConfiguration(destination: url)
                configuration.runner = stream.runnerConfiguration(group: "http-reject")
                configuration.httpMaximumRequestsPerSecond = 0
                let running = RunningSinkRunner(try buildSink(configuration: configuration, logger: stream.logger).runner)
                let dead = try await stream.read(stream.deadLetterTopic, count: 1)
                #expect(try await running.waitUntilWritten(5))
                try await running.stop()
                return dead
            }
        }
        #expect(dead.compactMap(\.keyString) == [records[2].callID])
        #expect(dead.first?.headers.string(for: SinkHeader.deadLetterReason) == "rejected")
        #expect(Set(receiver.acknowledged.map(\.callID)) == Set(records.map(\.callID)).subtracting([records[2].callID]))
        #expect(receiver.acknowledged.count == 5, "nothing acknowledged was sent again")
    }

    @Test func requestsArePacedByTheRateLimit() async throws {
        let receiver = WebhookReceiver(secret: "", failFirst: 0)
        let records = TestRecords.calls(6, prefix: "paced")
        let took = try await receiver.run { url in
            var configuration = HTTPSinkConfiguration(url: url)
            configuration.maximumRequestsPerSecond = 10
            let started = ContinuousClock.now
            try await SinkFeeder.feed(records, to: HTTPSink(configuration: configuration, logger: testLogger()))
            return ContinuousClock.now - started
        }
        // Six requests at ten a second: the last may start 500 ms after the first, not sooner.
        #expect(took >= .milliseconds(500))
        #expect(receiver.acknowledged.map(\.callID) == records.map(\.callID))
    }

    @Test func aSignatureOfOtherBytesDoesNotVerify() {
        let body = Array(#"{"call_id":"a"}"#.utf8)
        let signature = HTTPSignature.sign(body: body, timestamp: "1700000000000", secret: "k")
        #expect(signature.hasPrefix("v1=") && signature.count == 3 + 64)
        #expect(HTTPSignature.verify(signature, body: body, timestamp: "1700000000000", secret: "k"))
        #expect(!HTTPSignature.verify(signature, body: body + [0x20], timestamp: "1700000000000", secret: "k"))
        #expect(!HTTPSignature.verify(signature, body: body, timestamp: "1700000000001", secret: "k"))
        #expect(!HTTPSignature.verify(signature, body: body, timestamp: "1700000000000", secret: "other"))
    }
}
