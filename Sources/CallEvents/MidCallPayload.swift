/// The `mid_call` object: one live event during a call.
public struct MidCallPayload: Sendable, Hashable {
    public var callID: String
    /// v1 `agent_id`, v2 `agent.agent_id`.
    public var agentID: String?
    /// v2 `agent.agent_version`.
    public var agentVersion: Int64?
    /// Epoch ms: v1 `timestamp`, v2 `occurred_at`.
    public var atMs: Int64?
    public var data: MidCallData
    /// Members we do not model, kept as sent.
    public var unknownFields: JSONObject

    public init(callID: String, agentID: String? = nil, agentVersion: Int64? = nil, atMs: Int64?, data: MidCallData, unknownFields: JSONObject = JSONObject()) {
        self.callID = callID
        self.agentID = agentID
        self.agentVersion = agentVersion
        self.atMs = atMs
        self.data = data
        self.unknownFields = unknownFields
    }

    init(_ object: JSONObject, path: String, fallbackCallID: String?) throws(CallEventsError) {
        let reader = FieldReader(path: path)
        var callID: String?
        var agentID: String?
        var agentVersion: Int64?
        var atMs: Int64?
        var eventType: String?
        var eventData: JSONValue?
        var unknown: [JSONObject.Member] = []
        for member in object.members {
            let value = member.value
            switch member.key {
            case "call_id": callID = try reader.string(value, member.key)
            case "agent_id": agentID = try reader.string(value, member.key)
            case "agent_version": agentVersion = try reader.integer(value, member.key)
            case "agent":
                if let agent = try reader.object(value, member.key) {
                    let extra = try Agent.read(agent, reader: reader.nested(member.key), id: &agentID, version: &agentVersion)
                    if !extra.isEmpty { unknown.append(JSONObject.Member(key: member.key, value: .object(extra))) }
                }
            case "timestamp", "occurred_at": atMs = try reader.integer(value, member.key)
            case "event_type": eventType = try reader.string(value, member.key)
            case "event_data": eventData = value
            default: unknown.append(member)
            }
        }
        guard let id = callID ?? fallbackCallID, !id.isEmpty else { throw .missingCallID(event: "mid_call") }
        let dataReader = reader.nested("event_data")
        let data: MidCallData
        switch (eventType, eventData) {
        case ("flow_transition", .object(let object)?):
            data = .flowTransition(try FlowTransition(object, reader: dataReader))
        case ("call_message", .object(let object)?):
            data = .callMessage(try CallMessage(object, reader: dataReader))
        case ("flow_transition", let value?), ("call_message", let value?):
            if case .null = value {
                data = .other(eventType: eventType, data: value)
            } else {
                throw .wrongFieldType(dataReader.path, expected: "an object", got: value.typeName)
            }
        default:
            data = .other(eventType: eventType, data: eventData)
        }
        self.init(callID: id, agentID: agentID, agentVersion: agentVersion, atMs: atMs, data: data,
                  unknownFields: unknown.isEmpty ? JSONObject() : JSONObject(members: unknown))
    }
}
