import CallEvents
import Testing

@Suite("Validation errors")
struct ValidationErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let body: String
        let code: CallEventsError.Code
        /// A fragment the message must contain, so that it names the problem.
        let mentions: String
        var testDescription: String { "\(code): \(body.prefix(40))" }
    }

    static let cases: [Case] = [
        Case(body: "", code: .emptyBody, mentions: "empty"),
        Case(body: " \n\t ", code: .emptyBody, mentions: "empty"),
        Case(body: "hello", code: .notJSON, mentions: "not valid JSON"),
        Case(body: #"{"event":"call_started","call":{"call_id":"c"}"#, code: .notJSON, mentions: "not valid JSON"),
        Case(body: #"{"event":"call_started"} trailing"#, code: .notJSON, mentions: "after the JSON value"),
        Case(body: "[1,2]", code: .notAnObject, mentions: "an array"),
        Case(body: #"{"call":{"call_id":"c"}}"#, code: .missingEvent, mentions: "event"),
        Case(body: #"{"event":"call_exploded","call":{"call_id":"c"}}"#, code: .unknownEvent, mentions: "call_exploded"),
        Case(body: #"{"event":"call_started"}"#, code: .missingPayload, mentions: "\"call\""),
        Case(body: #"{"event":"call_started","call":{"agent_id":"a"}}"#, code: .missingCallID, mentions: "call_id"),
        Case(body: #"{"event":"mid_call","mid_call":{"call_id":""}}"#, code: .missingCallID, mentions: "call_id"),
        Case(body: #"{"event":"call_started","call":{"call_id":42}}"#, code: .wrongFieldType("call.call_id"), mentions: "call.call_id"),
        Case(body: #"{"event":"call_started","call":{"call_id":"c","start_timestamp":true}}"#, code: .wrongFieldType("call.start_timestamp"), mentions: "an integer"),
        Case(body: #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":1.5}}"#, code: .wrongFieldType("mid_call.timestamp"), mentions: "1.5"),
        Case(body: #"{"event":"mid_call","mid_call":{"call_id":"c","event_type":"call_message","event_data":"hi"}}"#, code: .wrongFieldType("mid_call.event_data"), mentions: "a string"),
        Case(body: #"{"event":"call_ended","call":{"call_id":"c","transcript":[{"role":1}]}}"#, code: .wrongFieldType("call.transcript[0].role"), mentions: "transcript[0].role"),
        Case(body: #"{"event":"call_ended","call":{"call_id":"c","opt_out_sensitive_data_storage":"yes"}}"#, code: .wrongFieldType("call.opt_out_sensitive_data_storage"), mentions: "a boolean"),
        Case(body: #"{"event":7}"#, code: .wrongFieldType("event"), mentions: "event"),
        Case(body: #"{"event":"call_started","call":[]}"#, code: .wrongFieldType("call"), mentions: "an object"),
    ]

    @Test(arguments: cases)
    func decoderNamesTheProblem(_ testCase: Case) {
        let error = #expect(throws: CallEventsError.self) { try decode(testCase.body) }
        #expect(error?.code == testCase.code)
        #expect(error?.message.contains(testCase.mentions) == true, "\(error?.message ?? "")")
    }

    @Test func invalidUTF8IsNotJSON() {
        var raw = bytes(#"{"event":"call_started","call":{"call_id":"c","call_type":"x"}}"#)
        raw[raw.count - 4] = 0xFF
        let error = #expect(throws: CallEventsError.self) { try CallEvent(decoding: raw) }
        #expect(error?.code == .notJSON)
        #expect(error?.message.contains("UTF-8") == true)
    }

    @Test func excessiveNestingIsRejected() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let error = #expect(throws: CallEventsError.self) { try decode(#"{"event":"call_started","call":{"call_id":"c","metadata":{"x":\#(deep)}}}"#) }
        #expect(error?.code == .notJSON)
    }

    @Test func codesAreStableAndDescribed() {
        #expect(CallEventsError.Code.wrongFieldType("a") == .wrongFieldType("a"))
        #expect(CallEventsError.Code.wrongFieldType("a") != .wrongFieldType("b"))
        #expect(CallEventsError.Code.wrongFieldType("a").isWrongFieldType)
        #expect(CallEventsError.Code.missingCallID.description == "missingCallID")
        #expect(CallEventsError.Code.wrongFieldType("call.x").description == "wrongFieldType(call.x)")
    }
}
