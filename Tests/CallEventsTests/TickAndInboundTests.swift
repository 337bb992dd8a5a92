import CallEvents
import Testing

@Suite("Ticks and inbound requests")
struct TickAndInboundTests {
    @Test func tickRoundTrips() throws {
        let raw = Tick.encode(atMs: 1_732_500_000_000)
        #expect(raw == bytes(#"{"event":"callstream_tick","at_ms":1732500000000}"#))
        let event = try CallEvent(decoding: raw)
        #expect(event.body == .tick(Tick(atMs: 1_732_500_000_000)))
        #expect(event.callID == nil)
        #expect(event.eventTimeMs == 1_732_500_000_000)
        let key = try EventKey.extract(from: raw)
        #expect(key == EventKey(event: .tick, callID: nil))
    }

    @Test func tickKeepsExtraMembersAndNeedsATime() throws {
        let event = try decode(#"{"event":"callstream_tick","at_ms":5,"writer":"worker-2"}"#)
        #expect(event.body == .tick(Tick(atMs: 5, unknownFields: ["writer": .string("worker-2")])))
        let error = #expect(throws: CallEventsError.self) { try decode(#"{"event":"callstream_tick"}"#) }
        #expect(error?.code == .wrongFieldType("at_ms"))
    }

    @Test func inboundCurrentForm() throws {
        let request = try InboundRequest(decoding: bytes(#"{"event":"call_inbound","call_inbound":{"from_number":"+821012345678","to_number":"+827012345678","agent_id":"a1"}}"#))
        #expect(request.form == .current)
        #expect(request.fromNumber == "+821012345678")
        #expect(request.toNumber == "+827012345678")
        #expect(request.unknownFields == ["agent_id": .string("a1")])
    }

    @Test func inboundLegacyForm() throws {
        let request = try InboundRequest(decoding: bytes(#"{"call_from":"+821012345678","call_to":"+827012345678"}"#))
        #expect(request.form == .legacy)
        #expect(request.fromNumber == "+821012345678")
        #expect(request.toNumber == "+827012345678")
    }

    @Test func inboundSamplesDecode() throws {
        let current = try InboundRequest(decoding: try Samples.lines("inbound-current.json")[0])
        let legacy = try InboundRequest(decoding: try Samples.lines("inbound-legacy.json")[0])
        #expect(current.fromNumber == legacy.fromNumber && current.toNumber == legacy.toNumber)
    }

    @Test func inboundErrors() {
        let other = #expect(throws: CallEventsError.self) { try InboundRequest(decoding: bytes(#"{"event":"call_started"}"#)) }
        #expect(other?.code == .unknownEvent)
        let empty = #expect(throws: CallEventsError.self) { try InboundRequest(decoding: bytes("{}")) }
        #expect(empty?.code == .missingPayload)
        let wrong = #expect(throws: CallEventsError.self) { try InboundRequest(decoding: bytes(#"{"call_from":5}"#)) }
        #expect(wrong?.code == .wrongFieldType("call_from"))
    }
}
