import CallAssembly
import CallEvents
public import Sinks

/// Valid call records (contract schema version 1) for tests, built with the worker's own encoder.
public enum TestRecords {
    /// A completed record of `callID` at `revision`, ended at `endedAtMs`, with one transcript turn
    /// per `transcript` entry (`role: content`).
    public static func record(
        callID: String, revision: Int = 1, startedAtMs: Int64 = 1_764_000_000_000, endedAtMs: Int64? = 1_764_000_060_000,
        transcript: [(role: String, content: String)] = [("agent", "Hello"), ("user", "Hi")], summary: String? = nil
    ) -> SinkRecord {
        var record = CallRecord(
            callID: callID, revision: revision, status: .completed, webhookVersion: .v2,
            events: .init(received: 3, duplicates: 0, outOfOrder: 0),
            source: .init(topic: "callstream.events", partition: 0, firstOffset: 0, lastOffset: 2)
        )
        record.agentID = "agent_test"
        record.startedAtMs = startedAtMs
        record.endedAtMs = endedAtMs
        record.durationMs = endedAtMs.map { $0 - startedAtMs }
        record.transcript = transcript.map { CallRecord.Turn(role: $0.role, content: $0.content) }
        if let summary { record.analysis = .init(summary: summary, userSentiment: nil, custom: JSONObject()) }
        // The encoder's output is a record by construction.
        return try! SinkRecord(json: record.encoded())
    }

    /// `count` distinct calls (`call-0001`, …), revision 1, one per minute.
    public static func calls(_ count: Int, prefix: String = "call") -> [SinkRecord] {
        (0..<count).map { index in
            let start: Int64 = 1_764_000_000_000 + Int64(index) * 60_000
            return record(callID: "\(prefix)-\(String(format: "%04d", index + 1))", startedAtMs: start, endedAtMs: start + 30_000)
        }
    }
}
