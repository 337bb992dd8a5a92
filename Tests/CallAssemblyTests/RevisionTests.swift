import CallAssembly
import CallEvents
import Testing

@Suite("Revisions and redaction")
struct RevisionTests {
    static let lateMessage = bytes(#"{"event":"mid_call","mid_call":{"agent_id":"a1f4c8d2-3e5b-4a7c-9d8e-2b1f6c4a9d3e","call_id":"6b0f1f08-1c2b-4f0e-9c3a-0c1d9e6f5a82","timestamp":1775980500000,"event_type":"call_message","event_data":{"role":"user","content":"감사합니다! 😊"}}}"#)

    @Test func aLateEventAfterEmissionGivesRevisionTwo() throws {
        let events = try Fixtures.sample("ko-v1-order-inquiry.jsonl")
        var feed = Feed()
        feed.send(events)
        let emittedAt: Int64 = 1_775_980_542_000 + 10_000
        feed.tick(emittedAt)
        #expect(feed.records.map(\.revision) == [1])
        feed.send(Self.lateMessage)
        #expect(feed.records.count == 1, "a reopened call waits a grace period for more stragglers")
        feed.tick(emittedAt + 4_999)
        #expect(feed.records.count == 1)
        feed.tick(emittedAt + 5_000)
        #expect(feed.records.map(\.revision) == [1, 2])
        let second = feed.records[1]
        #expect(second.messages.count == 4)
        #expect(second.messages.last?.content == "감사합니다! 😊")
        #expect(second.events.received == 7)
        #expect(second.source.lastOffset == 7)
        #expect(second.events.outOfOrder == 1)
        // A duplicate of the late event changes nothing more.
        feed.send(Self.lateMessage)
        feed.tick(farFuture)
        #expect(feed.records.count == 2)
    }

    @Test func lateCallAnalyzedAfterTheWaitGivesRevisionTwo() throws {
        let events = try Fixtures.sample("ko-v2-reservation.jsonl")
        var feed = Feed()
        feed.send(Array(events.dropLast()))
        feed.tick(1_776_000_020_000 + 120_000)
        #expect(feed.records.map(\.revision) == [1])
        #expect(feed.records[0].analysis == nil)
        feed.send(events.last!)
        feed.tick(1_776_000_020_000 + 130_000)
        #expect(feed.records.map(\.revision) == [1, 2])
        #expect(feed.records[1].analysis?.userSentiment == "positive")
        #expect(feed.records[1].status == .completed)
    }

    @Test func optOutRedactsTextAndVariables() throws {
        var feed = Feed()
        feed.send(try Fixtures.sample("en-v2-account-optout.jsonl"))
        feed.tick(farFuture)
        let record = try #require(feed.records.first)
        #expect(record.sensitiveDataRedacted)
        #expect(record.transcript.isEmpty)
        #expect(record.messages.isEmpty)
        #expect(record.recordingURL == nil)
        #expect(record.dynamicVariables.isEmpty)
        #expect(record.metadata == ["channel": .string("web")])
        let encoded = text(record.encoded())
        #expect(!encoded.contains("4111"))
        #expect(!encoded.contains("9912-3344"))
    }

    @Test func optOutOnAnyEventRedacts() throws {
        var feed = Feed()
        feed.send(bytes(#"{"event":"call_started","call":{"call_id":"c","start_timestamp":1,"opt_out_sensitive_data_storage":false,"dynamic_variables":{"x":"y"}}}"#))
        feed.send(bytes(#"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":2,"event_type":"call_message","event_data":{"role":"user","content":"secret"}}}"#))
        feed.send(bytes(#"{"event":"call_ended","call":{"call_id":"c","end_timestamp":3,"opt_out_sensitive_data_storage":true,"recording_url":"https://x/y"}}"#))
        feed.tick(farFuture)
        let record = try #require(feed.records.first)
        #expect(record.sensitiveDataRedacted && record.messages.isEmpty && record.recordingURL == nil && record.dynamicVariables.isEmpty)
    }

    @Test func fieldPrecedenceStartedEndedAnalyzed() throws {
        var feed = Feed()
        feed.send(bytes(#"{"webhook_version":"v2","event":"call_analyzed","call":{"call_id":"c","call_type":"from-analyzed","end_at":900}}"#))
        feed.send(bytes(#"{"webhook_version":"v2","event":"call_ended","call":{"call_id":"c","call_type":"from-ended","from_number":"+1","end_at":1000,"start_at":10}}"#))
        feed.send(bytes(#"{"webhook_version":"v2","event":"call_started","call":{"call_id":"c","call_type":"from-started","from_number":"+2","to_number":"+3","start_at":0}}"#))
        feed.tick(farFuture)
        let record = try #require(feed.records.first)
        #expect(record.callType == "from-analyzed")
        #expect(record.fromNumber == "+1")
        #expect(record.toNumber == "+3")
        #expect(record.startedAtMs == 10)
        #expect(record.endedAtMs == 900)
        #expect(record.durationMs == 890)
    }

    @Test func rememberedEmittedCallsAreBounded() throws {
        var configuration = AssemblerConfiguration()
        configuration.rememberedEmittedCalls = 2
        var feed = Feed(configuration: configuration)
        for index in 0..<5 {
            feed.send(bytes(#"{"event":"call_ended","call":{"call_id":"c\#(index)","end_timestamp":\#(1000 * index)}}"#))
        }
        feed.tick(farFuture)
        #expect(feed.records.count == 5)
        #expect(feed.assembler.rememberedCallCount == 2)
        #expect(feed.assembler.call("c0") == nil)
        #expect(feed.assembler.call("c4") != nil)
        // A late event for a forgotten call starts over; for a remembered one it is revision 2.
        feed.send(bytes(#"{"event":"mid_call","mid_call":{"call_id":"c4","timestamp":5,"event_type":"x"}}"#))
        feed.send(bytes(#"{"event":"mid_call","mid_call":{"call_id":"c0","timestamp":5,"event_type":"x"}}"#))
        feed.tick(farFuture + 5 * 3_600_000)
        #expect(Set(feed.records.suffix(2).map { "\($0.callID)@\($0.revision)/\($0.status)" }) == ["c4@2/completed", "c0@1/incomplete"])
    }

    @Test func unacknowledgedCallsAreNeverForgotten() throws {
        var configuration = AssemblerConfiguration()
        configuration.rememberedEmittedCalls = 0
        var feed = Feed(configuration: configuration, acknowledges: false)
        feed.send(bytes(#"{"event":"call_ended","call":{"call_id":"c","end_timestamp":1}}"#))
        feed.tick(farFuture)
        #expect(feed.assembler.rememberedCallCount == 1)
        feed.assembler.acknowledge(.record(callID: "c", revision: 1))
        #expect(feed.assembler.rememberedCallCount == 0)
    }
}
