import CallAssembly
import CallEvents
import Testing

@Suite("Arrival order")
struct PermutationTests {
    /// Heap's algorithm: every permutation of `0..<count`.
    static func permutations(_ count: Int) -> [[Int]] {
        var result: [[Int]] = []
        var items = Array(0..<count)
        func generate(_ size: Int) {
            if size == 1 { result.append(items); return }
            for index in 0..<size {
                generate(size - 1)
                items.swapAt(size % 2 == 0 ? index : 0, size - 1)
            }
        }
        generate(count)
        return result
    }

    @Test func everyPermutationOfASixEventCallGivesTheSameRecord() throws {
        let events = try Fixtures.sample("ko-v1-order-inquiry.jsonl")
        #expect(events.count == 6)
        var ordered = Feed()
        ordered.send(events)
        ordered.tick(farFuture)
        let expected = try #require(ordered.records.first)
        let permutations = Self.permutations(6)
        #expect(permutations.count == 720)
        #expect(Set(permutations).count == 720)
        for permutation in permutations {
            var feed = Feed()
            feed.send(permutation.map { events[$0] })
            feed.tick(farFuture)
            #expect(feed.records.count == 1)
            guard let record = feed.records.first else { continue }
            // Only the out-of-order count may differ; all six offsets are the call's.
            var normalized = record
            normalized.events.outOfOrder = 0
            #expect(normalized == expected, "permutation \(permutation)")
            #expect(normalized.encoded() == expected.encoded())
            #expect(record.events.received == 6 && record.events.duplicates == 0)
            #expect(record.source.firstOffset == 0 && record.source.lastOffset == 5)
        }
    }

    @Test func everyPermutationOfASevenEventV2CallGivesTheSameRecord() throws {
        let events = try Fixtures.sample("ko-v2-reservation.jsonl")
        #expect(events.count == 7)
        var ordered = Feed()
        ordered.send(events)
        ordered.tick(farFuture)
        let expected = try #require(ordered.records.first)
        let permutations = Self.permutations(7)
        #expect(permutations.count == 5_040)
        for permutation in permutations {
            var feed = Feed()
            feed.send(permutation.map { events[$0] })
            feed.tick(farFuture)
            #expect(feed.records.count == 1)
            var normalized = try #require(feed.records.first)
            normalized.events.outOfOrder = 0
            #expect(normalized == expected, "permutation \(permutation)")
        }
    }

    @Test func outOfOrderCountsEventsEarlierThanOneAlreadyReceived() throws {
        let events = try Fixtures.sample("ko-v1-order-inquiry.jsonl")
        var feed = Feed()
        feed.send([events[5], events[0], events[1], events[2], events[3], events[4]])
        feed.tick(farFuture)
        #expect(feed.records.first?.events.outOfOrder == 5)
    }

    @Test func callEndedBeforeTheLastMidCallKeepsTheStraggler() throws {
        let events = try Fixtures.sample("ko-v1-order-inquiry.jsonl")
        var feed = Feed()
        feed.send(Array(events[0...3]) + [events[5]])
        // The straggler's time is before the end; stream time is still within the grace period.
        feed.tick(1_775_980_542_000 + 4_999)
        #expect(feed.records.isEmpty)
        feed.send(events[4])
        feed.tick(1_775_980_542_000 + 5_000)
        let record = try #require(feed.records.first)
        #expect(feed.records.count == 1)
        #expect(record.revision == 1)
        #expect(record.messages.count == 3)
        #expect(record.messages.last?.content == "확인해 보니 3월 25일 도착 예정입니다 📦")
        #expect(record.events.outOfOrder == 1)
    }
}
