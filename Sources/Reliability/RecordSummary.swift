import CallEvents

/// The parts of a completed call record (CALL_RECORD.md, schema 1) the invariant checker compares.
struct RecordSummary {
    struct Step: Hashable {
        var first: String?
        var second: String?
        var atMs: Int64?
    }

    var callID: String
    var revision: Int64
    var status: String
    var sensitiveDataRedacted: Bool
    var endedAtMs: Int64?
    var hasAnalysisOrCost: Bool
    /// `(role, content, at_ms)` of `messages`.
    var messages: Set<Step>
    /// `(from_node_id, to_node_id, at_ms)` of `flow`.
    var flow: Set<Step>
    /// `events.received - events.duplicates`: the distinct events the record was built from.
    var distinctEvents: Int64

    init?(_ bytes: [UInt8]) {
        guard let object = (try? JSONValue(parsing: bytes))?.objectValue,
              let callID = object["call_id"]?.stringValue,
              let revision = object["revision"]?.numberValue?.int64Value
        else { return nil }
        self.callID = callID
        self.revision = revision
        status = object["status"]?.stringValue ?? ""
        sensitiveDataRedacted = object["sensitive_data_redacted"]?.boolValue ?? false
        endedAtMs = object["ended_at_ms"]?.numberValue?.int64Value
        hasAnalysisOrCost = object["analysis"]?.objectValue != nil || object["cost"]?.objectValue != nil
        func steps(_ key: String, _ first: String, _ second: String) -> Set<Step> {
            Set((object[key]?.arrayValue ?? []).compactMap(\.objectValue).map {
                Step(first: $0[first]?.stringValue, second: $0[second]?.stringValue, atMs: $0["at_ms"]?.numberValue?.int64Value)
            })
        }
        messages = steps("messages", "role", "content")
        flow = steps("flow", "from_node_id", "to_node_id")
        let events = object["events"]?.objectValue
        distinctEvents = (events?["received"]?.numberValue?.int64Value ?? 0) - (events?["duplicates"]?.numberValue?.int64Value ?? 0)
    }
}
