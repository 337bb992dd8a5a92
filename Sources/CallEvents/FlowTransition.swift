/// `mid_call` `flow_transition` data: the agent moved from one flow node to another.
public struct FlowTransition: Sendable, Hashable {
    public var fromNodeID: String?
    public var toNodeID: String?
    public var fromNodeName: String?
    public var toNodeName: String?
    /// Members we do not model, kept as sent.
    public var unknownFields: JSONObject

    public init(fromNodeID: String?, toNodeID: String?, fromNodeName: String?, toNodeName: String?, unknownFields: JSONObject = JSONObject()) {
        self.fromNodeID = fromNodeID
        self.toNodeID = toNodeID
        self.fromNodeName = fromNodeName
        self.toNodeName = toNodeName
        self.unknownFields = unknownFields
    }

    init(_ object: JSONObject, reader: FieldReader) throws(CallEventsError) {
        self.init(fromNodeID: nil, toNodeID: nil, fromNodeName: nil, toNodeName: nil)
        var unknown: [JSONObject.Member] = []
        for member in object.members {
            switch member.key {
            case "from_node_id": fromNodeID = try reader.string(member.value, member.key)
            case "to_node_id": toNodeID = try reader.string(member.value, member.key)
            case "from_node_name": fromNodeName = try reader.string(member.value, member.key)
            case "to_node_name": toNodeName = try reader.string(member.value, member.key)
            default: unknown.append(member)
            }
        }
        if !unknown.isEmpty { unknownFields = JSONObject(members: unknown) }
    }
}
