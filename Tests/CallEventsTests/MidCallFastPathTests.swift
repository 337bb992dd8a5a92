@testable import CallEvents
import Testing

@Suite("mid_call fast path agrees with the general decoder")
struct MidCallFastPathTests {
    static let variants: [String] = [
        #"{"event":"mid_call","mid_call":{"agent_id":"a","call_id":"c","timestamp":1775980380000,"event_type":"call_message","event_data":{"role":"user","content":"주문 😊"}}}"#,
        #"  { "mid_call" : { "event_data" : { "content" : "x\"y\\z\u00e9\ud83d\ude00" , "role":"agent" } , "event_type":"call_message", "timestamp" : -5 , "call_id" : "c" } , "event" : "mid_call" }  "#,
        #"{"webhook_version":"v2","event":"mid_call","mid_call":{"call_id":"c","agent":{"agent_id":"a","agent_version":7},"occurred_at":1,"event_type":"flow_transition","event_data":{"from_node_id":"n1","to_node_id":"n2","from_node_name":"인사","to_node_name":"주문 조회"}}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":1,"event_type":"flow_transition","event_data":{"to_node_id":"n2"}}}"#,
        #"{"event":"mid_call","mid_call":{"call\u005fid":"c","timestamp":1,"event_type":"call_message","event_data":{}}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","call_id":"d","timestamp":1,"timestamp":2,"event_type":"call_message","event_data":{"role":"user"}}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":1,"event_type":"call_message","event_data":{"role":"user"},"event_data":{"content":"x"}}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":1,"event_type":"flow_transition","event_type":"call_message","event_data":{"role":"user"}}}"#,
        #"{"event":"mid\u005fcall","mid_call":{"call_id":"c","timestamp":1,"event_type":"call_\u006dessage","event_data":{"role":"user"}}}"#,
        // Unusual shapes the fast path leaves to the general decoder.
        #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":1,"event_type":"tool_call","event_type":"call_message","event_data":{"role":"user"}}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":1,"event_type":"call_message","event_data":{"role":"user"},"event_data_and_more":1}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","agent_id":null,"timestamp":1,"event_type":"call_message","event_data":{"role":"user","content":"x"}}}"#,
        #"{"event":"mid_call","trace":1,"mid_call":{"call_id":"c","timestamp":1,"event_type":"call_message","event_data":{"role":"user","content":"x"}}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","extra":[1],"timestamp":1,"event_type":"call_message","event_data":{"role":"user","content":"x"}}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":1,"event_type":"call_message","event_data":{"role":"user","content":"x","lang":"ko"}}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":1,"event_type":"call_message","event_data":{"role":"user","from_node_id":"x"}}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":1.7e12,"event_type":"call_message","event_data":{"role":"user"}}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":"17","event_type":"call_message","event_data":{"role":"user"}}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":1,"event_type":"tool_call","event_data":{"role":"user"}}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":1,"event_type":"call_message"}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","agent":{"agent_id":"a","team":"t"},"timestamp":1,"event_type":"call_message","event_data":{"role":"user"}}}"#,
        #"{"event":"call_started","mid_call":{"call_id":"c","timestamp":1,"event_type":"call_message","event_data":{"role":"user"}}}"#,
        // Errors: the general decoder's error is the answer.
        #"{"event":"mid_call","mid_call":{"call_id":"","timestamp":1,"event_type":"call_message","event_data":{"role":"user"}}}"#,
        #"{"event":"mid_call","mid_call":{"timestamp":1,"event_type":"call_message","event_data":{"role":"user"}}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":01,"event_type":"call_message","event_data":{"role":"user"}}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":99999999999999999999,"event_type":"call_message","event_data":{"role":"user"}}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":1,"event_type":"call_message","event_data":{"role":5}}}"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":1,"event_type":"call_message","event_data":{"role":"user"}}} x"#,
        #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":1,"event_type":"call_message","event_data":{"role":"user"}}"#,
    ]

    static func agree(_ raw: [UInt8]) {
        let fast = MidCallFastDecoder.decode(raw)
        switch Result(catching: { () throws(CallEventsError) -> CallEvent in try CallEvent(decodingGenerally: raw) }) {
        case .success(let general):
            if let fast {
                #expect(fast.body == general.body)
                #expect(fast.webhookVersion == general.webhookVersion)
                #expect(fast.unknownFields == general.unknownFields)
                #expect(fast.raw == general.raw)
            }
            let decoded = try? CallEvent(decoding: raw)
            #expect(decoded?.body == general.body && decoded?.unknownFields == general.unknownFields)
        case .failure(let error):
            #expect(fast == nil, "the fast path accepted what the general decoder rejects: \(error)")
        }
    }

    @Test(arguments: variants)
    func agreesOnVariant(_ body: String) {
        Self.agree(Array(body.utf8))
    }

    /// Decoded in place from bytes it does not own (the worker decodes in librdkafka's buffer): the
    /// same event or error; only the usual `mid_call` skips its copy of the bytes.
    @Test(arguments: variants)
    func decodesInPlaceLikeFromAnArray(_ body: String) {
        let raw = Array(body.utf8)
        let inPlace = raw.withUnsafeBytes { bytes in
            Result { () throws(CallEventsError) -> CallEvent in try CallEvent(decoding: bytes, keepingRaw: false) }
        }
        let kept = raw.withUnsafeBytes { bytes in
            Result { () throws(CallEventsError) -> CallEvent in try CallEvent(decoding: bytes, keepingRaw: true) }
        }
        switch Result(catching: { () throws(CallEventsError) -> CallEvent in try CallEvent(decoding: raw) }) {
        case .success(let expected):
            for decoded in [inPlace, kept] {
                let event = try? decoded.get()
                #expect(event?.body == expected.body)
                #expect(event?.webhookVersion == expected.webhookVersion)
                #expect(event?.unknownFields == expected.unknownFields)
            }
            #expect((try? kept.get())?.raw == raw)
            let usual = MidCallFastDecoder.decode(raw) != nil
            #expect((try? inPlace.get())?.raw == (usual ? [] : raw))
        case .failure(let expected):
            for decoded in [inPlace, kept] {
                guard case .failure(let error) = decoded else {
                    Issue.record("decoded in place what the array decoder rejects: \(expected)")
                    continue
                }
                #expect(error.code == expected.code)
                #expect(error.message == expected.message)
            }
        }
    }

    @Test func takesTheUsualShapes() throws {
        for index in 0..<9 {
            #expect(MidCallFastDecoder.decode(Array(Self.variants[index].utf8)) != nil, "variant \(index)")
        }
        for index in 9..<Self.variants.count {
            #expect(MidCallFastDecoder.decode(Array(Self.variants[index].utf8)) == nil, "variant \(index)")
        }
    }

    /// Integers are read eight digits at a time when eight follow: every length, sign, leading
    /// zero and the Int64 limits give the general decoder's answer.
    @Test(arguments: [
        "0", "7", "-7", "1234567", "12345678", "-12345678", "123456789", "1775980200000", "-1775980200000",
        "1234567812345678", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "-9223372036854775809", "00000001", "012345678", "-0", "12345678.5", "12345678e3", "1234567a",
    ])
    func agreesOnIntegers(_ literal: String) {
        let body = #"{"event":"mid_call","mid_call":{"call_id":"c","timestamp":"# + literal
            + #","event_type":"call_message","event_data":{"role":"user"}}}"#
        Self.agree(Array(body.utf8))
        if let value = Int64(literal), !literal.hasPrefix("0") || literal == "0", !literal.hasPrefix("-0") {
            let fast = MidCallFastDecoder.decode(Array(body.utf8))
            #expect(fast?.eventTimeMs == value, "\(literal) takes the fast path")
        }
    }

    @Test func agreesOnEverySample() throws {
        var fastCount = 0
        for file in try Samples.callFiles() {
            for line in try Samples.lines(file) {
                Self.agree(line)
                if MidCallFastDecoder.decode(line) != nil { fastCount += 1 }
            }
        }
        #expect(fastCount == 17, "every sample mid_call takes the fast path")
    }
}
