/// One `{role, content}` turn of a `call_ended` transcript.
public struct TranscriptEntry: Sendable, Hashable {
    public var role: String?
    public var content: String?
    /// Members other than `role` and `content`, kept as sent.
    public var unknownFields: JSONObject

    public init(role: String?, content: String?, unknownFields: JSONObject = JSONObject()) {
        self.role = role
        self.content = content
        self.unknownFields = unknownFields
    }

    init(_ value: JSONValue, reader: FieldReader) throws(CallEventsError) {
        guard case .object(let object) = value else {
            throw .wrongFieldType(reader.path, expected: "an object", got: value.typeName)
        }
        var role: String?
        var content: String?
        var unknown: [JSONObject.Member] = []
        for member in object.members {
            switch member.key {
            case "role": role = try reader.string(member.value, "role")
            case "content": content = try reader.string(member.value, "content")
            default: unknown.append(member)
            }
        }
        self.init(role: role, content: content, unknownFields: JSONObject(members: unknown))
    }
}
