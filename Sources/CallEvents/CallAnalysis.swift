/// `call_analysis`: the platform's post-call analysis.
public struct CallAnalysis: Sendable, Hashable {
    public var summary: String?
    public var userSentiment: String?
    /// `custom_analysis_data` as `name → value`, in the order sent. The platform sends an array of
    /// `{name, value}`; an object of the same meaning is accepted too.
    public var custom: JSONObject
    /// Members other than the three above, kept as sent.
    public var unknownFields: JSONObject

    public init(summary: String?, userSentiment: String?, custom: JSONObject = JSONObject(), unknownFields: JSONObject = JSONObject()) {
        self.summary = summary
        self.userSentiment = userSentiment
        self.custom = custom
        self.unknownFields = unknownFields
    }

    init(_ object: JSONObject, reader: FieldReader) throws(CallEventsError) {
        var summary: String?
        var sentiment: String?
        var custom = JSONObject()
        var unknown: [JSONObject.Member] = []
        for member in object.members {
            switch member.key {
            case "summary": summary = try reader.string(member.value, member.key)
            case "user_sentiment": sentiment = try reader.string(member.value, member.key)
            case "custom_analysis_data": custom = try Self.custom(member.value, reader: reader.nested(member.key))
            default: unknown.append(member)
            }
        }
        self.init(summary: summary, userSentiment: sentiment, custom: custom, unknownFields: JSONObject(members: unknown))
    }

    private static func custom(_ value: JSONValue, reader: FieldReader) throws(CallEventsError) -> JSONObject {
        switch value {
        case .null:
            return JSONObject()
        case .object(let object):
            return object
        case .array(let items):
            var members: [JSONObject.Member] = []
            members.reserveCapacity(items.count)
            for (position, item) in items.enumerated() {
                let itemReader = FieldReader(path: "\(reader.path)[\(position)]")
                guard case .object(let entry) = item else {
                    throw .wrongFieldType(itemReader.path, expected: "an object {name, value}", got: item.typeName)
                }
                guard let nameValue = entry["name"], let name = try itemReader.string(nameValue, "name") else {
                    throw .wrongFieldType(itemReader.field("name"), expected: "a string", got: "nothing")
                }
                members.append(JSONObject.Member(key: name, value: entry["value"] ?? .null))
            }
            return JSONObject(members: members)
        default:
            throw .wrongFieldType(reader.path, expected: "an array of {name, value}", got: value.typeName)
        }
    }
}
