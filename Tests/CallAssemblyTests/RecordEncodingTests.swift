import CallAssembly
import CallEvents
import Foundation
import Testing

@Suite("Record encoding")
struct RecordEncodingTests {
    @Test(arguments: Fixtures.callSamples)
    func sampleCallGivesTheExpectedRecordBytes(_ name: String) throws {
        var feed = Feed()
        feed.send(try Fixtures.sample(name))
        feed.tick(farFuture)
        #expect(feed.emitted.count == 1)
        let expected = try Fixtures.record(String(name.dropLast(".jsonl".count)) + ".json")
        #expect(text(feed.emitted.first?.bytes ?? []) == text(expected))
    }

    @Test func keysFollowTheContractOrderAndAbsentValuesAreNull() {
        let record = CallRecord(callID: "c/1", revision: 1, status: .incomplete, webhookVersion: .v1,
                                events: .init(received: 1, duplicates: 0, outOfOrder: 0),
                                source: .init(topic: "t", partition: 0, firstOffset: 4, lastOffset: 4))
        #expect(text(record.encoded()) == #"{"schema_version":1,"call_id":"c/1","revision":1,"status":"incomplete","webhook_version":"v1","agent_id":null,"agent_version":null,"call_type":null,"from_number":null,"to_number":null,"started_at_ms":null,"ended_at_ms":null,"duration_ms":null,"disconnection_reason":null,"recording_url":null,"dynamic_variables":{},"metadata":{},"transcript":[],"messages":[],"flow":[],"cost":null,"analysis":null,"sensitive_data_redacted":false,"events":{"received":1,"duplicates":0,"out_of_order":0},"source":{"topic":"t","partition":0,"first_offset":4,"last_offset":4}}"#)
    }

    @Test func nestedAsSentValuesRoundTripWithSortedKeys() throws {
        let body = #"{"event":"call_ended","call":{"call_id":"c","end_timestamp":10,"metadata":{"z":{"b":[1,{"y":null,"x":"😀"}],"a":-0.5e2},"a":"\n"},"call_analysis":{"custom_analysis_data":[{"name":"n","value":{"k2":2,"k1":[true,false]}},{"name":"m","value":null}]}}}"#
        var feed = Feed()
        feed.send(bytes(body))
        feed.tick(farFuture)
        let record = try #require(feed.records.first)
        #expect(text(record.encoded()).contains(#""metadata":{"a":"\n","z":{"a":-0.5e2,"b":[1,{"x":"😀","y":null}]}}"#))
        #expect(text(record.encoded()).contains(#""custom":{"m":null,"n":{"k1":[true,false],"k2":2}}"#))
        // The whole record is valid JSON.
        #expect(throws: Never.self) { try JSONValue(parsing: record.encoded()) }
    }

    @Test func oneMegabyteTranscriptIsKeptWhole() throws {
        let turn = #"{"role":"user","content":"긴 통화 내용입니다 😊 \"인용\" / 끝"},"#
        var transcript = ""
        while transcript.utf8.count < 1 << 20 { transcript += turn }
        transcript.removeLast()
        let body = #"{"event":"call_ended","call":{"call_id":"long","end_timestamp":5,"transcript":["# + transcript + "]}}"
        var feed = Feed()
        feed.send(bytes(body))
        feed.tick(farFuture)
        let emitted = try #require(feed.emitted.first)
        #expect(emitted.bytes.count > 1 << 20)
        #expect(emitted.record.transcript.count == transcript.components(separatedBy: "},{").count)
        #expect(emitted.record.transcript.allSatisfy { $0.content == #"긴 통화 내용입니다 😊 "인용" / 끝"# })
        // The transcript is written back exactly as it was sent.
        #expect(text(emitted.bytes).contains(#""transcript":["# + transcript + "]"))
    }

    @Test func fixtureSamplesAreTheConfigSamples() throws {
        let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/samples")
        let names = try FileManager.default.contentsOfDirectory(atPath: config.path).filter { $0.hasSuffix(".jsonl") || $0.hasSuffix(".json") }
        #expect(names.count == 7)
        for name in names {
            let original = try Data(contentsOf: config.appendingPathComponent(name))
            let copy = try Data(contentsOf: Fixtures.url("samples", name))
            #expect(original == copy, "\(name) differs between config/samples and the test fixtures")
        }
    }
}
