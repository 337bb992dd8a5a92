import CallEvents
import Reliability
import Testing

/// The checker itself, on hand-made topics: it must find each kind of broken promise.
@Suite("Invariant checker")
struct InvariantCheckerTests {
    static let started = Array(#"{"event":"call_started","call":{"call_id":"c1","agent_id":"a","start_timestamp":1000}}"#.utf8)
    static let message = Array(#"{"event":"mid_call","mid_call":{"call_id":"c1","timestamp":1500,"event_type":"call_message","event_data":{"role":"agent","content":"hi"}}}"#.utf8)
    static let ended = Array(#"{"event":"call_ended","call":{"call_id":"c1","agent_id":"a","start_timestamp":1000,"end_timestamp":2000}}"#.utf8)
    static let poison = Array(#"{"event":"call_ended","call":{"call_id":"c1","end_timestamp":"soon"}}"#.utf8)

    static func record(revision: Int = 1, status: String = "completed", messages: String = #"[{"role":"agent","content":"hi","at_ms":1500}]"#,
                       received: Int = 3, duplicates: Int = 0, ended: String = "2000") -> TopicMessage {
        let json = #"{"schema_version":1,"call_id":"c1","revision":\#(revision),"status":"\#(status)","ended_at_ms":\#(ended),"messages":\#(messages),"flow":[],"#
            + #""sensitive_data_redacted":false,"events":{"received":\#(received),"duplicates":\#(duplicates),"out_of_order":0}}"#
        return TopicMessage(partition: 0, offset: 0, key: Array("c1".utf8), value: Array(json.utf8))
    }

    static func acknowledged(_ bodies: [[UInt8]]) -> [AcknowledgedWebhook] {
        bodies.map { body in
            AcknowledgedWebhook(callID: "c1", event: (try? JSONValue(parsing: body))?.objectValue?["event"]?.stringValue ?? "?",
                                bodySHA256: InvariantChecker.sha256(body))
        }
    }

    static func raw(_ bodies: [[UInt8]]) -> [TopicMessage] {
        bodies.enumerated().map { TopicMessage(partition: 0, offset: Int64($0.offset), key: nil, value: $0.element) }
    }

    let bodies = [started, message, ended]

    @Test func aCompleteRunPasses() {
        let report = InvariantChecker().check(acknowledged: Self.acknowledged(bodies + [Self.message]), rawEvents: Self.raw(bodies),
                                              records: [Self.record(received: 4, duplicates: 1), Self.record(received: 4, duplicates: 1)], deadLetters: [])
        #expect(report.passed, "\(report)")
        #expect(report.repeatedRecords == 1)
    }

    @Test func anEventMissingFromTheRawTopicIsLost() {
        let report = InvariantChecker().check(acknowledged: Self.acknowledged(bodies), rawEvents: Self.raw([Self.started, Self.ended]),
                                              records: [Self.record()], deadLetters: [])
        #expect(report.count(.acknowledgedButNotPublished) == 1)
        #expect(report.lostEvents >= 1)
    }

    @Test func aMessageMissingFromTheRecordIsLost() {
        let report = InvariantChecker().check(acknowledged: Self.acknowledged(bodies), rawEvents: Self.raw(bodies),
                                              records: [Self.record(messages: "[]", received: 2)], deadLetters: [])
        #expect(report.count(.eventMissingFromRecord) == 2, "\(report)")
    }

    @Test func anIncompleteRecordDoesNotCoverCallEnded() {
        let report = InvariantChecker().check(acknowledged: Self.acknowledged(bodies), rawEvents: Self.raw(bodies),
                                              records: [Self.record(status: "incomplete", ended: "null")], deadLetters: [])
        #expect(report.count(.eventMissingFromRecord) == 1, "\(report)")
    }

    @Test func aCallWithoutRecordIsLost() {
        let report = InvariantChecker().check(acknowledged: Self.acknowledged(bodies), rawEvents: Self.raw(bodies), records: [], deadLetters: [])
        #expect(report.count(.noRecord) == 1)
    }

    @Test func poisonMustBeDeadLettered() {
        let withPoison = bodies + [Self.poison]
        let missing = InvariantChecker().check(acknowledged: Self.acknowledged(withPoison), rawEvents: Self.raw(withPoison),
                                               records: [Self.record()], deadLetters: [])
        #expect(missing.count(.poisonNotDeadLettered) == 1, "\(missing)")
        let present = InvariantChecker().check(acknowledged: Self.acknowledged(withPoison), rawEvents: Self.raw(withPoison),
                                               records: [Self.record()], deadLetters: Self.raw([Self.poison]))
        #expect(present.passed, "\(present)")
    }

    @Test func differingDuplicatesAndUnexplainedRevisionsAreFound() {
        let differing = InvariantChecker().check(acknowledged: Self.acknowledged(bodies), rawEvents: Self.raw(bodies),
                                                 records: [Self.record(), Self.record(received: 4, duplicates: 1)], deadLetters: [])
        #expect(differing.count(.differingDuplicate) == 1)
        let unexplained = InvariantChecker().check(acknowledged: Self.acknowledged(bodies), rawEvents: Self.raw(bodies),
                                                   records: [Self.record(), Self.record(revision: 2, received: 4, duplicates: 1)], deadLetters: [])
        #expect(unexplained.count(.unexplainedRevision) == 1)
        let gap = InvariantChecker().check(acknowledged: Self.acknowledged(bodies), rawEvents: Self.raw(bodies),
                                           records: [Self.record(revision: 2)], deadLetters: [])
        #expect(gap.count(.unexplainedRevision) == 1)
    }

    @Test func logLinesRoundTrip() throws {
        let webhook = AcknowledgedWebhook(callID: "통화-1", event: "mid_call", bodySHA256: "ab", status: 200)
        #expect(try AcknowledgedWebhook(jsonLine: webhook.jsonLine) == webhook)
    }
}
