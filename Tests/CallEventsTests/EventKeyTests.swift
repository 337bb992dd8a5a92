import CallEvents
import Testing

@Suite("call_id extractor")
struct EventKeyTests {
    @Test func findsCallIDInAnyKeyOrderWithWhitespace() throws {
        let body = """
          {
            "mid_call" : { "event_data" : { "role" : "user", "content" : "{\\"call_id\\":\\"decoy\\"} }]" },
                           "metadata": {"call_id": "nested-decoy"}, "timestamp" : 1,
                           "call_id" : "real-id" } ,
            "event" : "mid_call"
          }
        """
        let key = try EventKey.extract(from: bytes(body))
        #expect(key == EventKey(event: .midCall, callID: "real-id"))
        #expect(try decode(body).callID == "real-id")
    }

    @Test func decodesEscapesInKeysAndValues() throws {
        let body = #"{"ev\u0065nt":"call_\u0073tarted","call":{"call\u005fid":"id-\"quoted\"-\uD83D\uDE00-\\"}}"#
        let key = try EventKey.extract(from: bytes(body))
        #expect(key.event == .callStarted)
        #expect(key.callID == "id-\"quoted\"-😀-\\")
        #expect(try decode(body).callID == key.callID)
    }

    @Test func ignoresCallIDsOfOtherObjects() throws {
        let body = #"{"event":"call_ended","mid_call":{"call_id":"wrong"},"call":{"metadata":{"call_id":"decoy"},"transcript":[{"call_id":"decoy2"}],"call_id":"right"}}"#
        #expect(try EventKey.extract(from: bytes(body)).callID == "right")
        #expect(try decode(body).callID == "right")
    }

    @Test func readsV2VersionAndFallbacks() throws {
        let v2 = try EventKey.extract(from: bytes(#"{"webhook_version":"v2","event":"call_analyzed","call_analyzed":{"x":[1,{"y":"}"}]},"call_id":"top"}"#))
        #expect(v2 == EventKey(event: .callAnalyzed, callID: "top", webhookVersion: .v2))
        let sms = try EventKey.extract(from: bytes(#"{"webhook_version":"v2","event":"sms_received","sms":{"content":"hi"}}"#))
        #expect(sms == EventKey(event: .smsReceived, callID: nil, webhookVersion: .v2))
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        let body: String
        let code: CallEventsError.Code
        var testDescription: String { "\(code): \(body)" }
    }

    @Test(arguments: [
        Failure(body: "", code: .emptyBody),
        Failure(body: "nope", code: .notJSON),
        Failure(body: "[]", code: .notAnObject),
        Failure(body: "{}", code: .missingEvent),
        Failure(body: #"{"call":{"call_id":"c"}}"#, code: .missingEvent),
        Failure(body: #"{"event":"call_exploded","call":{"call_id":"c"}}"#, code: .unknownEvent),
        Failure(body: #"{"event":"call_started"}"#, code: .missingPayload),
        Failure(body: #"{"event":"call_started","call":{"agent_id":"a"}}"#, code: .missingCallID),
        Failure(body: #"{"event":"call_started","call":{"call_id":""}}"#, code: .missingCallID),
        Failure(body: #"{"event":"call_started","call":{"call_id":5}}"#, code: .wrongFieldType("call.call_id")),
        Failure(body: #"{"event":["x"],"call":{"call_id":"c"}}"#, code: .wrongFieldType("event")),
        Failure(body: #"{"event":"call_started","call":{"call_id":"c"}"#, code: .notJSON),
        Failure(body: #"{"event":"call_started","call":{"call_id":"c"}} x"#, code: .notJSON),
        Failure(body: #"{"event":"call_started","call":{"call_id":"c"},"t":"unterminated}"#, code: .notJSON),
    ])
    func rejectsLikeTheDecoder(_ failure: Failure) {
        let error = #expect(throws: CallEventsError.self) { try EventKey.extract(from: bytes(failure.body)) }
        #expect(error?.code == failure.code)
        let decoderError = #expect(throws: CallEventsError.self) { try decode(failure.body) }
        #expect(decoderError?.code == failure.code)
    }

    @Test func agreesWithTheDecoderOnEverySample() throws {
        for file in try Samples.callFiles() {
            for line in try Samples.lines(file) {
                let key = try EventKey.extract(from: line)
                let event = try CallEvent(decoding: line)
                #expect(key.event == event.name, "\(file)")
                #expect(key.callID == event.callID, "\(file)")
                #expect(key.webhookVersion == event.webhookVersion, "\(file)")
            }
        }
    }
}
