/// `mid_call` `call_message` data: one live utterance.
public struct CallMessage: Sendable, Hashable {
    /// `user` or `agent` (other values kept as sent).
    public var role: String?
    public var content: String?
    /// Members we do not model, kept as sent.
    public var unknownFields: JSONObject

    public init(role: String?, content: String?, unknownFields: JSONObject = JSONObject()) {
        self.role = role
        self.content = content
        self.unknownFields = unknownFields
    }

    init(_ object: JSONObject, reader: FieldReader) throws(CallEventsError) {
        self.init(role: nil, content: nil)
        var unknown: [JSONObject.Member] = []
        for member in object.members {
            switch member.key {
            case "role": role = try reader.string(member.value, member.key)
            case "content": content = try reader.string(member.value, member.key)
            default: unknown.append(member)
            }
        }
        if !unknown.isEmpty { unknownFields = JSONObject(members: unknown) }
    }
}
