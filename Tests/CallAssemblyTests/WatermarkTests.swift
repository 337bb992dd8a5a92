import CallAssembly
import CallEvents
import Testing

@Suite("Low watermark and restart")
struct WatermarkTests {
    static var immediateRelease: AssemblerConfiguration {
        var configuration = AssemblerConfiguration()
        configuration.lateEventWindow = .zero
        return configuration
    }

    @Test func neverPassesAnOpenCallOrAnUnacknowledgedRecord() throws {
        let first = try Fixtures.sample("ko-v1-order-inquiry.jsonl")
        let second = try Fixtures.sample("en-v1-appointment-reminder.jsonl")
        var feed = Feed(configuration: Self.immediateRelease, acknowledges: false)
        #expect(feed.assembler.lowWatermark == nil)
        for event in first {
            feed.send(event)
            #expect(feed.assembler.lowWatermark == 0)
        }
        feed.send(second[0])  // offset 6: stream time passes the first call's end + grace
        #expect(feed.records.count == 1)
        #expect(feed.assembler.lowWatermark == 0, "emitted but not acknowledged")
        feed.assembler.acknowledge(.record(callID: "someone-else", revision: 1))
        feed.assembler.acknowledge(.record(callID: feed.records[0].callID, revision: 2))
        #expect(feed.assembler.lowWatermark == 0, "wrong receipts change nothing")
        feed.assembler.acknowledge(feed.emitted[0].receipt)
        #expect(feed.assembler.lowWatermark == 6, "the second call is open from offset 6")
        feed.send(Array(second.dropFirst()))
        #expect(feed.assembler.lowWatermark == 6)
        feed.tick(farFuture)
        #expect(feed.records.count == 2)
        #expect(feed.assembler.lowWatermark == 6)
        feed.assembler.acknowledge(feed.emitted[1].receipt)
        #expect(feed.assembler.lowWatermark == 15)
        #expect(feed.assembler.nextOffset == 15)
    }

    @Test func acknowledgedCallsHoldTheWatermarkForTheLateEventWindow() throws {
        var feed = Feed()  // default window: 300 s
        feed.send(try Fixtures.sample("ko-v1-order-inquiry.jsonl"))
        let emittedAt: Int64 = 1_775_980_542_000 + 5_000
        feed.tick(emittedAt)
        #expect(feed.records.count == 1)
        #expect(feed.assembler.lowWatermark == 0)
        feed.tick(emittedAt + 299_999)
        #expect(feed.assembler.lowWatermark == 0)
        feed.tick(emittedAt + 300_000)
        #expect(feed.assembler.lowWatermark == 9)
    }

    @Test func aLateEventAfterTheWindowHoldsTheWatermarkFromItsOwnOffset() throws {
        var feed = Feed(configuration: Self.immediateRelease)
        feed.send(try Fixtures.sample("ko-v1-order-inquiry.jsonl"))
        feed.tick(farFuture)
        #expect(feed.assembler.lowWatermark == 7)
        feed.send(RevisionTests.lateMessage)  // offset 7, reopens the remembered call
        #expect(feed.assembler.lowWatermark == 7)
        feed.tick(farFuture + 5_000)
        #expect(feed.records.map(\.revision) == [1, 2])
        #expect(feed.assembler.lowWatermark == 9)
    }

    @Test func aCallStartedAgainUnderAForgottenIDIsAnotherCall() throws {
        var configuration = AssemblerConfiguration()
        configuration.rememberedEmittedCalls = 1
        configuration.lateEventWindow = .seconds(60)
        var feed = Feed(configuration: configuration)
        feed.send(bytes(#"{"event":"call_ended","call":{"call_id":"c","end_timestamp":1000}}"#))
        feed.tick(6_000)  // c emitted and acknowledged: held until 66 000
        feed.send(bytes(#"{"event":"call_ended","call":{"call_id":"d","end_timestamp":6500}}"#))
        feed.tick(12_000)  // d emitted: c is forgotten (one remembered call)
        #expect(feed.assembler.call("c") == nil)
        #expect(feed.assembler.lowWatermark == 2)
        feed.send(bytes(#"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":12500,"event_type":"x"}}"#))
        feed.send(bytes(#"{"event":"call_ended","call":{"call_id":"c","end_timestamp":13000}}"#))
        feed.tick(18_000)  // the new c emitted: held until 78 000
        #expect(feed.records.map { "\($0.callID)@\($0.revision)" } == ["c@1", "d@1", "c@1"])
        #expect(feed.assembler.lowWatermark == 4)
        feed.tick(66_000)  // the old c's window ends: it must not release the new c
        #expect(feed.assembler.lowWatermark == 4)
        feed.tick(78_000)
        #expect(feed.assembler.lowWatermark == 9)
    }

    @Test func deadLettersHoldTheWatermarkUntilAcknowledged() throws {
        var feed = Feed(acknowledges: false)
        let produced = feed.send(bytes("{not json"))
        guard case .deadLetter(let deadLetter)? = produced.first else { Issue.record("no dead letter"); return }
        #expect(deadLetter.offset == 0)
        #expect(deadLetter.reason.code == .notJSON)
        #expect(deadLetter.raw == bytes("{not json"))
        feed.send(bytes(#"{"event":"mid_call","mid_call":{"timestamp":1}}"#))
        feed.tick(5)
        #expect(feed.actions.count == 2)
        #expect(feed.assembler.lowWatermark == 0)
        feed.assembler.acknowledge(.deadLetter(offset: 2))  // the tick: not a dead letter, ignored
        feed.assembler.acknowledge(.deadLetter(offset: 0))
        feed.assembler.acknowledge(.deadLetter(offset: 0))
        #expect(feed.assembler.lowWatermark == 1)
        feed.assembler.acknowledge(feed.actions[1].receipt)
        #expect(feed.assembler.lowWatermark == 3)
    }

    @Test func aReceiptForAFutureOffsetReleasesNothing() throws {
        var feed = Feed(acknowledges: false)
        feed.assembler.acknowledge(.deadLetter(offset: 0))
        feed.send(bytes(#"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":1,"event_type":"x"}}"#))
        #expect(feed.assembler.lowWatermark == 0)
    }

    @Test func redeliveredOffsetsAreIgnored() throws {
        var feed = Feed()
        let event = try Fixtures.sample("ko-v1-no-answer.jsonl")[0]
        _ = feed.assembler.receive(event, offset: 10)
        #expect(feed.assembler.receive(event, offset: 10).isEmpty)
        #expect(feed.assembler.receive(event, offset: 3).isEmpty)
        #expect(feed.assembler.call("f0e1d2c3-b4a5-4968-8776-655443322110")?.eventCountsForTesting == 1)
        #expect(feed.assembler.nextOffset == 11)
    }

    /// A stream with three calls, a late event within the window, and ticks.
    static func restartStream() throws -> [[UInt8]] {
        let first = try Fixtures.sample("ko-v1-order-inquiry.jsonl")
        let second = try Fixtures.sample("en-v1-appointment-reminder.jsonl")
        let third = try Fixtures.sample("ko-v2-reservation.jsonl")
        let firstEnd: Int64 = 1_775_980_542_000
        return first
            + [Tick.encode(atMs: firstEnd + 5_000)]
            + [RevisionTests.lateMessage, Tick.encode(atMs: firstEnd + 20_000)]
            + second + [Tick.encode(atMs: 1_775_990_016_000 + 5_000)]
            + third + [Tick.encode(atMs: farFuture)]
    }

    @Test func aRestartFromAnyCommittedWatermarkRebuildsTheSameRecords() throws {
        let stream = try Self.restartStream()
        var live = Feed()
        var watermarks: [Int64] = []
        var emittedBefore: [Int] = []
        for event in stream {
            live.send(event)
            watermarks.append(live.assembler.lowWatermark!)
            emittedBefore.append(live.emitted.count)
        }
        #expect(live.records.map { "\($0.callID.prefix(4))@\($0.revision)" } == ["6b0f@1", "6b0f@2", "0f9e@1", "c4d5@1"])
        let liveBytes = Dictionary(uniqueKeysWithValues: live.emitted.map { ("\($0.callID)@\($0.revision)", $0.bytes) })
        for crash in stream.indices {
            let committed = watermarks[crash]
            var restarted = Feed(startOffset: committed)
            restarted.send(Array(stream[Int(committed)...]))
            for emitted in restarted.emitted {
                #expect(liveBytes["\(emitted.callID)@\(emitted.revision)"] == emitted.bytes, "crash after offset \(crash), restart at \(committed)")
            }
            // Nothing emitted after the crash point is missing from the restarted run.
            let rebuilt = Set(restarted.emitted.map { "\($0.callID)@\($0.revision)" })
            for emitted in live.emitted[emittedBefore[crash]...] {
                #expect(rebuilt.contains("\(emitted.callID)@\(emitted.revision)"), "crash after offset \(crash)")
            }
        }
    }

    /// Call X spans offsets 0...6; call Y begins at offset 2 and is still open when X is emitted
    /// and released. A restart from Y's offset would re-read only X's tail.
    @Test func aReleasedCallHoldsTheWatermarkWhileACallThatBeganAmongItsOffsetsIsOpen() throws {
        let x = try Fixtures.sample("ko-v1-order-inquiry.jsonl")
        let y = try Fixtures.sample("en-v1-appointment-reminder.jsonl")
        let stream = [x[0], x[1], y[0]] + x[2...] + [Tick.encode(atMs: 1_775_980_542_000 + 10_000)] + y[1...] + [Tick.encode(atMs: farFuture)]
        var live = Feed(configuration: Self.immediateRelease)
        var watermarks: [Int64] = []
        var emittedBefore: [Int] = []
        for event in stream {
            live.send(event)
            watermarks.append(live.assembler.lowWatermark!)
            emittedBefore.append(live.emitted.count)
        }
        let xEmittedAt = try #require(emittedBefore.firstIndex { $0 == 1 })
        #expect(xEmittedAt < 2 + x.count, "X is emitted while Y is open")
        #expect(watermarks[xEmittedAt...(2 + x.count)].allSatisfy { $0 == 0 }, "X holds the watermark at its first offset while Y is open: \(watermarks)")
        #expect(live.records.count == 2)
        let liveBytes = Dictionary(uniqueKeysWithValues: live.emitted.map { ("\($0.callID)@\($0.revision)", $0.bytes) })
        for crash in stream.indices {
            let committed = watermarks[crash]
            var restarted = Feed(configuration: Self.immediateRelease, startOffset: committed)
            restarted.send(Array(stream[Int(committed)...]))
            for emitted in restarted.emitted {
                #expect(liveBytes["\(emitted.callID)@\(emitted.revision)"] == emitted.bytes, "crash after offset \(crash), restart at \(committed)")
            }
            let rebuilt = Set(restarted.emitted.map { "\($0.callID)@\($0.revision)" })
            for emitted in live.emitted[emittedBefore[crash]...] {
                #expect(rebuilt.contains("\(emitted.callID)@\(emitted.revision)"), "crash after offset \(crash)")
            }
        }
    }

    @Test func aLateEventForACallBeforeTheWatermarkStartsAPartialCall() throws {
        // With no late-event window the first call stops holding the watermark once acknowledged.
        let stream = try Self.restartStream()
        var live = Feed(configuration: Self.immediateRelease)
        live.send(Array(stream[0...6]))  // the first call and the tick that emits it
        let committed = try #require(live.assembler.lowWatermark)
        #expect(committed == 7)
        live.send(Array(stream[7...]))
        #expect(live.records.first { $0.revision == 2 }?.messages.count == 4, "the live run remembers the call")

        var restarted = Feed(configuration: Self.immediateRelease, startOffset: committed)
        restarted.send(Array(stream[7...]))
        restarted.tick(farFuture + 5 * 3_600_000)
        let partial = try #require(restarted.records.first { $0.callID == "6b0f1f08-1c2b-4f0e-9c3a-0c1d9e6f5a82" })
        // Documented behaviour: only the events read are known, so it is a new revision 1,
        // incomplete, holding just the late message.
        #expect(partial.revision == 1)
        #expect(partial.status == .incomplete)
        #expect(partial.messages.map(\.content) == ["감사합니다! 😊"])
        #expect(partial.source.firstOffset == 7)
        // The other calls are rebuilt byte for byte.
        let liveOthers = live.emitted.filter { !$0.callID.hasPrefix("6b0f") }.map(\.bytes)
        let restartedOthers = restarted.emitted.filter { !$0.callID.hasPrefix("6b0f") }.map(\.bytes)
        #expect(liveOthers == restartedOthers)
    }
}
