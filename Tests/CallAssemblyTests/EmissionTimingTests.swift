import CallAssembly
import CallEvents
import Testing

@Suite("Emission by stream time")
struct EmissionTimingTests {
    static let v1End: Int64 = 1_775_980_542_000
    static let v2End: Int64 = 1_776_000_020_000

    @Test func v1CallIsEmittedOnceTheGracePeriodHasPassed() throws {
        var feed = Feed()
        feed.send(try Fixtures.sample("ko-v1-order-inquiry.jsonl"))
        #expect(feed.records.isEmpty)
        feed.tick(Self.v1End + 4_999)
        #expect(feed.records.isEmpty)
        feed.tick(Self.v1End + 5_000)
        #expect(feed.records.map(\.status) == [.completed])
    }

    @Test func ticksAndOtherCallsBothMoveStreamTime() throws {
        var feed = Feed()
        feed.send(try Fixtures.sample("ko-v1-order-inquiry.jsonl"))
        feed.send(try Fixtures.sample("en-v1-appointment-reminder.jsonl")[0])  // a later call's first event
        #expect(feed.records.count == 1)
        #expect(feed.assembler.streamTimeMs == 1_775_990_000_000)
    }

    @Test func streamTimeNeverMovesBack() throws {
        var feed = Feed()
        feed.tick(2_000)
        feed.tick(1_000)
        #expect(feed.assembler.streamTimeMs == 2_000)
    }

    @Test func v2WaitsForCallAnalyzed() throws {
        let events = try Fixtures.sample("ko-v2-reservation.jsonl")
        var feed = Feed()
        feed.send(Array(events.dropLast()))  // up to call_ended
        feed.tick(Self.v2End + 60_000)
        #expect(feed.records.isEmpty, "grace has passed, but call_analyzed is still awaited")
        feed.send(events.last!)  // call_analyzed: the wait is over, the grace period too
        let record = try #require(feed.records.first)
        #expect(feed.records.count == 1)
        #expect(record.status == .completed)
        #expect(record.cost?.totalCreditsUsed?.literal == "9")
        #expect(record.analysis?.summary == "토요일 19시 4인 예약을 접수했습니다.")
        #expect(record.durationMs == 20_000)
        #expect(record.disconnectionReason == "silence_timeout")
    }

    @Test func v2CallAnalyzedNeverArriving() throws {
        let events = try Fixtures.sample("en-v2-account-optout.jsonl")
        let end: Int64 = 1_776_010_030_000
        var feed = Feed()
        feed.send(events)
        feed.tick(end + 119_999)
        #expect(feed.records.isEmpty)
        feed.tick(end + 120_000)
        let record = try #require(feed.records.first)
        #expect(record.status == .completed)
        #expect(record.analysis == nil && record.cost == nil)
        #expect(record.durationMs == 30_000)  // end - start, nothing sent
    }

    @Test func configurableWaits() throws {
        var configuration = AssemblerConfiguration()
        configuration.gracePeriod = .seconds(1)
        configuration.analysisWait = .seconds(10)
        let events = try Fixtures.sample("en-v2-account-optout.jsonl")
        var feed = Feed(configuration: configuration)
        feed.send(events)
        feed.tick(1_776_010_030_000 + 9_999)
        #expect(feed.records.isEmpty)
        feed.tick(1_776_010_030_000 + 10_000)
        #expect(feed.records.count == 1)
    }

    @Test func missingCallStarted() throws {
        var feed = Feed()
        feed.send(try Fixtures.sample("ko-v1-no-answer.jsonl"))
        feed.tick(1_776_020_030_000 + 5_000)
        let record = try #require(feed.records.first)
        #expect(record.status == .completed)
        #expect(record.disconnectionReason == "dial_no_answer")
        #expect(record.startedAtMs == 1_776_020_000_000)
        #expect(record.fromNumber == "+827012345678")
        #expect(record.transcript.isEmpty && record.messages.isEmpty && record.flow.isEmpty)
    }

    @Test func callWithoutEndIsEmittedIncompleteAfterTheOpenCallLimit() throws {
        let events = try Fixtures.sample("ko-v1-order-inquiry.jsonl")
        let start: Int64 = 1_775_980_200_000
        var feed = Feed()
        feed.send(Array(events.dropLast()))
        feed.tick(start + 4 * 3_600_000 - 1)
        #expect(feed.records.isEmpty)
        feed.tick(start + 4 * 3_600_000)
        let record = try #require(feed.records.first)
        #expect(record.status == .incomplete)
        #expect(record.endedAtMs == nil && record.durationMs == nil && record.disconnectionReason == nil)
        #expect(record.transcript.count == 3)  // from the messages
        #expect(record.startedAtMs == start)
    }

    @Test func callsDueTogetherAreEmittedInFirstOffsetOrder() throws {
        var feed = Feed()
        for callID in ["z", "a", "m"] {
            feed.send(bytes(#"{"event":"call_ended","call":{"call_id":"\#(callID)","end_timestamp":1000}}"#))
        }
        feed.tick(10_000)
        #expect(feed.records.map(\.callID) == ["z", "a", "m"])
    }

    @Test func eventsWithoutAnyTimeWaitForStreamTime() throws {
        var feed = Feed()
        feed.send(bytes(#"{"event":"call_ended","call":{"call_id":"untimed"}}"#))
        #expect(feed.assembler.streamTimeMs == nil)
        feed.tick(1_000)
        #expect(feed.records.isEmpty)
        feed.tick(6_000)
        #expect(feed.records.map(\.callID) == ["untimed"])
    }

    @Test func smsMovesStreamTimeButMakesNoCall() throws {
        var feed = Feed()
        feed.send(bytes(#"{"webhook_version":"v2","event":"sms_received","sms":{"call_id":"s","content":"hi","occurred_at":5000}}"#))
        #expect(feed.assembler.streamTimeMs == 5_000)
        #expect(feed.assembler.openCallCount == 0)
        feed.tick(farFuture)
        #expect(feed.records.isEmpty)
    }
}
