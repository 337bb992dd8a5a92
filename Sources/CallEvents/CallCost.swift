/// `call_cost`: credits and billed seconds, numbers as sent.
public struct CallCost: Sendable, Hashable {
    public var totalCreditsUsed: JSONNumber?
    /// In seconds (the only duration the platform sends in seconds).
    public var durationSeconds: JSONNumber?
    /// Members other than the two above, kept as sent.
    public var unknownFields: JSONObject

    public init(totalCreditsUsed: JSONNumber?, durationSeconds: JSONNumber?, unknownFields: JSONObject = JSONObject()) {
        self.totalCreditsUsed = totalCreditsUsed
        self.durationSeconds = durationSeconds
        self.unknownFields = unknownFields
    }

    init(_ object: JSONObject, reader: FieldReader) throws(CallEventsError) {
        var credits: JSONNumber?
        var seconds: JSONNumber?
        var unknown: [JSONObject.Member] = []
        for member in object.members {
            switch member.key {
            case "total_credits_used": credits = try reader.number(member.value, member.key)
            case "duration_seconds": seconds = try reader.number(member.value, member.key)
            default: unknown.append(member)
            }
        }
        self.init(totalCreditsUsed: credits, durationSeconds: seconds, unknownFields: JSONObject(members: unknown))
    }
}
