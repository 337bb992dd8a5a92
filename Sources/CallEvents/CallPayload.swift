/// The `call` object of `call_started`, `call_ended` and (v2) `call_analyzed`, with v1 and v2 field
/// names mapped onto one shape.
public struct CallPayload: Sendable, Hashable {
    public var callID: String
    /// v1 `agent_id`, v2 `agent.agent_id`.
    public var agentID: String?
    /// v2 `agent.agent_version`.
    public var agentVersion: Int64?
    /// As sent: `inbound`, `outbound`, `web`, …
    public var callType: String?
    /// v1 `call_from`, v2 `from_number`.
    public var fromNumber: String?
    /// v1 `call_to`, v2 `to_number`.
    public var toNumber: String?
    public var dynamicVariables: JSONObject?
    public var metadata: JSONObject?
    /// Epoch ms: v1 `start_timestamp`, v2 `start_at`.
    public var startMs: Int64?
    /// Epoch ms: v1 `end_timestamp`, v2 `end_at`.
    public var endMs: Int64?
    public var durationMs: Int64?
    /// Epoch ms: v2 `occurred_at` (when the platform produced this event).
    public var occurredAtMs: Int64?
    /// As sent; values unknown to us are kept.
    public var disconnectionReason: String?
    public var recordingURL: String?
    public var transcript: [TranscriptEntry]?
    /// `call_cost`.
    public var cost: CallCost?
    /// `call_analysis`.
    public var analysis: CallAnalysis?
    public var optOutSensitiveDataStorage: Bool?
    /// v2 `call_status`.
    public var callStatus: String?
    /// Members we do not model, kept as sent.
    public var unknownFields: JSONObject

    public init(callID: String) {
        self.callID = callID
        self.unknownFields = JSONObject()
    }

    init(_ object: JSONObject, path: String, event: String, fallbackCallID: String?) throws(CallEventsError) {
        let reader = FieldReader(path: path)
        var callID: String?
        var payload = CallPayload(callID: "")
        var unknown: [JSONObject.Member] = []
        for member in object.members {
            let value = member.value
            switch member.key {
            case "call_id": callID = try reader.string(value, member.key)
            case "agent_id": payload.agentID = try reader.string(value, member.key)
            case "agent_version": payload.agentVersion = try reader.integer(value, member.key)
            case "agent":
                if let agent = try reader.object(value, member.key) {
                    let extra = try Agent.read(agent, reader: reader.nested(member.key), id: &payload.agentID, version: &payload.agentVersion)
                    if !extra.isEmpty { unknown.append(JSONObject.Member(key: member.key, value: .object(extra))) }
                }
            case "call_type": payload.callType = try reader.string(value, member.key)
            case "call_from", "from_number": payload.fromNumber = try reader.string(value, member.key)
            case "call_to", "to_number": payload.toNumber = try reader.string(value, member.key)
            case "dynamic_variables": payload.dynamicVariables = try reader.object(value, member.key)
            case "metadata": payload.metadata = try reader.object(value, member.key)
            case "start_timestamp", "start_at": payload.startMs = try reader.integer(value, member.key)
            case "end_timestamp", "end_at": payload.endMs = try reader.integer(value, member.key)
            case "duration_ms": payload.durationMs = try reader.integer(value, member.key)
            case "occurred_at": payload.occurredAtMs = try reader.integer(value, member.key)
            case "disconnection_reason": payload.disconnectionReason = try reader.string(value, member.key)
            case "recording_url": payload.recordingURL = try reader.string(value, member.key)
            case "transcript": payload.transcript = try Self.transcript(value, reader: reader.nested(member.key))
            case "call_cost":
                if let cost = try reader.object(value, member.key) {
                    payload.cost = try CallCost(cost, reader: reader.nested(member.key))
                }
            case "call_analysis":
                if let analysis = try reader.object(value, member.key) {
                    payload.analysis = try CallAnalysis(analysis, reader: reader.nested(member.key))
                }
            case "opt_out_sensitive_data_storage": payload.optOutSensitiveDataStorage = try reader.bool(value, member.key)
            case "call_status": payload.callStatus = try reader.string(value, member.key)
            default: unknown.append(member)
            }
        }
        guard let id = callID ?? fallbackCallID, !id.isEmpty else { throw .missingCallID(event: event) }
        payload.callID = id
        payload.unknownFields = JSONObject(members: unknown)
        self = payload
    }

    private static func transcript(_ value: JSONValue, reader: FieldReader) throws(CallEventsError) -> [TranscriptEntry]? {
        switch value {
        case .null:
            return nil
        case .array(let items):
            var entries: [TranscriptEntry] = []
            entries.reserveCapacity(items.count)
            for (position, item) in items.enumerated() {
                entries.append(try TranscriptEntry(item, reader: FieldReader(path: "\(reader.path)[\(position)]")))
            }
            return entries
        default:
            throw .wrongFieldType(reader.path, expected: "an array of {role, content}", got: value.typeName)
        }
    }
}
