/// The v2 `sms` object of `sms_received` (shape *unconfirmed* by the platform: every member we do
/// not recognise is kept).
public struct SMSPayload: Sendable, Hashable {
    /// The call the message belongs to, when the platform says.
    public var callID: String?
    public var agentID: String?
    public var agentVersion: Int64?
    public var fromNumber: String?
    public var toNumber: String?
    public var content: String?
    /// Epoch ms: `occurred_at`.
    public var occurredAtMs: Int64?
    /// Members we do not model, kept as sent.
    public var unknownFields: JSONObject

    public init(callID: String?) {
        self.callID = callID
        self.unknownFields = JSONObject()
    }

    init(_ object: JSONObject, path: String, fallbackCallID: String?) throws(CallEventsError) {
        let reader = FieldReader(path: path)
        self.init(callID: fallbackCallID)
        var unknown: [JSONObject.Member] = []
        for member in object.members {
            let value = member.value
            switch member.key {
            case "call_id": callID = try reader.string(value, member.key) ?? fallbackCallID
            case "agent_id": agentID = try reader.string(value, member.key)
            case "agent":
                if let agent = try reader.object(value, member.key) {
                    let extra = try Agent.read(agent, reader: reader.nested(member.key), id: &agentID, version: &agentVersion)
                    if !extra.isEmpty { unknown.append(JSONObject.Member(key: member.key, value: .object(extra))) }
                }
            case "from_number": fromNumber = try reader.string(value, member.key)
            case "to_number": toNumber = try reader.string(value, member.key)
            case "content": content = try reader.string(value, member.key)
            case "occurred_at": occurredAtMs = try reader.integer(value, member.key)
            default: unknown.append(member)
            }
        }
        unknownFields = JSONObject(members: unknown)
    }
}
