import CallAssembly
import CallEvents
import Testing

@Suite("Duplicates")
struct DuplicateTests {
    /// The same event re-serialised with its members in reverse order and numbers respelled:
    /// not byte-identical, but equal after parsing.
    static func respelled(_ raw: [UInt8]) throws -> [UInt8] {
        func reverse(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(let object):
                return .object(JSONObject(members: object.members.reversed().map { .init(key: $0.key, value: reverse($0.value)) }))
            case .array(let elements):
                return .array(elements.map(reverse))
            default:
                return value
            }
        }
        var writer = JSONWriter()
        writer.value(reverse(try JSONValue(parsing: raw)))
        // The writer sorts keys; reverse-sorted input plus sorted output differ from the original.
        return writer.bytes
    }

    @Test func byteIdenticalAndEqualAfterParsingDuplicatesCountOnce() throws {
        let events = try Fixtures.sample("ko-v1-order-inquiry.jsonl")
        var clean = Feed()
        clean.send(events)
        clean.tick(farFuture)
        let expected = try #require(clean.records.first)

        var feed = Feed()
        for event in events {
            feed.send(event)
            feed.send(event)
            let respelled = try Self.respelled(event)
            #expect(respelled != event)
            feed.send(respelled)
        }
        feed.tick(farFuture)
        #expect(feed.records.count == 1)
        let record = try #require(feed.records.first)
        #expect(record.events.received == 18)
        #expect(record.events.duplicates == 12)
        #expect(arrivalIndependent(record) == arrivalIndependent(expected))
        #expect(record.messages == expected.messages)
    }

    @Test func aDuplicateAfterEmissionMakesNoNewRevision() throws {
        let events = try Fixtures.sample("ko-v1-order-inquiry.jsonl")
        var feed = Feed()
        feed.send(events)
        feed.tick(farFuture)
        #expect(feed.records.count == 1)
        for event in events { feed.send(event) }
        feed.tick(farFuture + 3_600_000)
        #expect(feed.records.count == 1)
        #expect(feed.assembler.call("6b0f1f08-1c2b-4f0e-9c3a-0c1d9e6f5a82")?.phase == .emitted(revision: 1, acknowledged: true))
    }

    @Test func sameTimeDifferentContentIsNotADuplicate() throws {
        let first = bytes(#"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":100,"event_type":"call_message","event_data":{"role":"user","content":"네"}}}"#)
        let second = bytes(#"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":100,"event_type":"call_message","event_data":{"role":"user","content":"아니요"}}}"#)
        let ended = bytes(#"{"event":"call_ended","call":{"call_id":"c","end_timestamp":200}}"#)
        var feed = Feed()
        feed.send([second, first, second, ended])
        feed.tick(farFuture)
        let record = try #require(feed.records.first)
        #expect(record.messages.map(\.content) == ["아니요", "네"])  // same time: arrival order
        #expect(record.events.duplicates == 1)
    }
}
