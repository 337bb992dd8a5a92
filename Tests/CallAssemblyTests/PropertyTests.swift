import CallAssembly
import CallEvents
import Testing

@Suite("Properties (seeded)")
struct PropertyTests {
    /// Long enough (the samples span 11 h) that no call is due before the final tick, however the stream is shuffled: the
    /// property is then about content, not about when stream time happens to pass a deadline.
    static var patient: AssemblerConfiguration {
        var configuration = AssemblerConfiguration()
        configuration.gracePeriod = .seconds(3 * 86_400)
        configuration.analysisWait = .seconds(3 * 86_400)
        configuration.openCallLimit = .seconds(3 * 86_400)
        configuration.lateEventWindow = .zero
        return configuration
    }

    /// `count` calls made from the samples, each with its own call_id.
    static func calls(_ count: Int) throws -> [[[UInt8]]] {
        let templates = try Fixtures.callSamples.map { name in
            let events = try Fixtures.sample(name)
            let callID = try #require(try EventKey.extract(from: events[0]).callID)
            return (events, callID)
        }
        return (0..<count).map { index in
            let (events, callID) = templates[index % templates.count]
            return events.map { bytes(text($0).replacingOccurrences(of: callID, with: "\(callID)-\(index)")) }
        }
    }

    static func recordsByCall(_ feed: Feed) -> [String: [UInt8]] {
        // Keeps the first revision; extra revisions are caught by the callers' count checks.
        Dictionary(feed.records.map { ($0.callID, arrivalIndependent($0)) }, uniquingKeysWith: { first, _ in first })
    }

    @Test(arguments: 1...20 as ClosedRange<UInt64>)
    func interleavingsAndDuplicatesGiveTheOrderedStreamsRecords(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let calls = try Self.calls(25)

        var ordered = Feed(configuration: Self.patient)
        for call in calls { ordered.send(call) }
        ordered.tick(farFuture + 10 * 86_400_000)
        let expected = Self.recordsByCall(ordered)
        #expect(expected.count == calls.count)

        // Shuffle everything, then add repeats of random events at random later positions,
        // and a few undecodable messages.
        var stream = calls.flatMap { $0 }
        random.shuffle(&stream)
        for _ in 0..<(stream.count / 3) {
            let source = random.below(stream.count)
            let target = source + 1 + random.below(stream.count - source)
            stream.insert(stream[source], at: target)
        }
        for _ in 0..<3 { stream.insert(bytes("{\"event\":\"call_started\",\"call\":{\"call_id\":7}}"), at: random.below(stream.count)) }

        var feed = Feed(configuration: Self.patient, acknowledges: false)
        var pending: [AssemblerAction] = []
        var openFirstOffsets: [String: Int64] = [:]
        var lastWatermark: Int64 = 0
        for event in stream + [Tick.encode(atMs: farFuture + 10 * 86_400_000)] {
            let offset = feed.nextOffset
            if let callID = try? EventKey.extract(from: event).callID, openFirstOffsets[callID] == nil,
               !feed.records.contains(where: { $0.callID == callID }) {
                openFirstOffsets[callID] = offset
            }
            let produced = feed.send(event)
            pending += produced
            for case .emit(let emitted) in produced { openFirstOffsets[emitted.callID] = nil }
            // Acknowledge a random part of what is pending, in random order.
            random.shuffle(&pending)
            let acknowledged = random.below(pending.count + 1)
            for action in pending.prefix(acknowledged) { feed.assembler.acknowledge(action.receipt) }
            pending.removeFirst(acknowledged)

            let watermark = try #require(feed.assembler.lowWatermark)
            #expect(watermark >= lastWatermark, "the watermark never moves back (seed \(seed))")
            lastWatermark = watermark
            for offset in openFirstOffsets.values { #expect(watermark <= offset, "an open call is passed (seed \(seed))") }
            for action in pending {
                switch action {
                case .emit(let emitted): #expect(watermark <= emitted.record.source.firstOffset, "an unacknowledged record is passed (seed \(seed))")
                case .deadLetter(let deadLetter): #expect(watermark <= deadLetter.offset, "an unacknowledged dead letter is passed (seed \(seed))")
                }
            }
        }
        for action in pending { feed.assembler.acknowledge(action.receipt) }
        #expect(feed.assembler.lowWatermark == feed.assembler.nextOffset)

        #expect(feed.records.count == calls.count, "one record per call, no extra revision (seed \(seed))")
        #expect(feed.actions.filter { if case .deadLetter = $0 { true } else { false } }.count == 3)
        let actual = Self.recordsByCall(feed)
        for (callID, record) in expected {
            #expect(actual[callID] == record, "call \(callID), seed \(seed)")
        }
        // Counts: every delivery is counted, the repeats as duplicates.
        let received = feed.records.reduce(0) { $0 + $1.events.received }
        let duplicates = feed.records.reduce(0) { $0 + $1.events.duplicates }
        #expect(received == stream.count - 3)
        #expect(received - duplicates == calls.reduce(0) { $0 + $1.count })
    }

    /// Shifts every epoch-ms time in an event (numbers between 2020 and 2030) by `shift`.
    static func shifted(_ raw: [UInt8], by shift: Int64) throws -> [UInt8] {
        func walk(_ value: JSONValue) -> JSONValue {
            switch value {
            case .number(let number):
                if let time = number.int64Value, time > 1_577_836_800_000, time < 1_893_456_000_000 {
                    return .number(JSONNumber(time + shift))
                }
                return value
            case .array(let elements):
                return .array(elements.map(walk))
            case .object(let object):
                return .object(JSONObject(members: object.members.map { .init(key: $0.key, value: walk($0.value)) }))
            default:
                return value
            }
        }
        var writer = JSONWriter()
        writer.value(walk(try JSONValue(parsing: raw)))
        return writer.bytes
    }

    /// With the default configuration: overlapping calls (one starting every 7 s), each event
    /// delivered up to 4 s after its own time (less than the grace period), in delivery order.
    /// Stragglers within the grace period must never cost a revision: every call is emitted
    /// once, with the same content as when its events are read in order.
    @Test(arguments: 1...10 as ClosedRange<UInt64>)
    func stragglersWithinTheGracePeriodNeverCauseRevisions(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let base: Int64 = 1_780_000_000_000
        var calls: [[[UInt8]]] = []
        for (index, call) in try Self.calls(30).enumerated() {
            let start = try call.compactMap { try CallEvent(decoding: $0).eventTimeMs }.min() ?? 0
            calls.append(try call.map { try Self.shifted($0, by: base + Int64(index) * 7_000 - start) })
        }
        var reference = Feed(configuration: Self.patient)
        for call in calls { reference.send(call) }
        reference.tick(farFuture + 10 * 86_400_000)
        let expected = Self.recordsByCall(reference)

        var deliveries: [(at: Int64, order: UInt64, raw: [UInt8])] = []
        for call in calls {
            for raw in call {
                let time = try #require(try CallEvent(decoding: raw).eventTimeMs)
                deliveries.append((time + Int64(random.below(4_000)), random.next(), raw))
            }
        }
        deliveries.sort { ($0.at, $0.order) < ($1.at, $1.order) }
        var feed = Feed()
        for delivery in deliveries { feed.send(delivery.raw) }
        feed.tick(farFuture)
        #expect(feed.records.count == calls.count, "seed \(seed)")
        #expect(feed.records.allSatisfy { $0.revision == 1 }, "seed \(seed)")
        let actual = Self.recordsByCall(feed)
        for (callID, record) in expected {
            #expect(actual[callID] == record, "call \(callID), seed \(seed)")
        }
    }

    @Test(arguments: 1...5 as ClosedRange<UInt64>)
    func feedingTheSameEventsTwiceGivesByteIdenticalOutput(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var stream = try Self.calls(10).flatMap { $0 }
        random.shuffle(&stream)
        stream += stream.prefix(7)
        // Default configuration: calls are emitted while the stream is still being read, and
        // some get later revisions.
        func run() -> [AssemblerAction] {
            var feed = Feed()
            feed.send(stream)
            feed.tick(farFuture)
            return feed.actions
        }
        let first = run()
        let second = run()
        #expect(!first.isEmpty)
        #expect(first == second)
        let firstBytes = first.compactMap { if case .emit(let emitted) = $0 { emitted.bytes } else { nil } }
        let secondBytes = second.compactMap { if case .emit(let emitted) = $0 { emitted.bytes } else { nil } }
        #expect(firstBytes == secondBytes)
    }
}
