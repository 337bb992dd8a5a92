/// The inbound webhook's request: the platform asks for dynamic variables just before a call.
///
/// Two forms are accepted: the current `{"event":"call_inbound","call_inbound":{"from_number",
/// "to_number"}}` and the older `{"call_from","call_to"}`.
public struct InboundRequest: Sendable, Hashable {
    /// Which request form was received (a response shape may depend on it).
    public enum Form: Sendable, Hashable {
        case current
        case legacy
    }

    public var form: Form
    public var fromNumber: String?
    public var toNumber: String?
    /// Members we do not model (of the `call_inbound` object, or of the body in the older form).
    public var unknownFields: JSONObject
    /// The exact bytes received.
    public var raw: [UInt8]

    public init(form: Form, fromNumber: String?, toNumber: String?, unknownFields: JSONObject = JSONObject(), raw: [UInt8] = []) {
        self.form = form
        self.fromNumber = fromNumber
        self.toNumber = toNumber
        self.unknownFields = unknownFields
        self.raw = raw
    }

    /// Decodes either request form.
    public init(decoding raw: [UInt8]) throws(CallEventsError) {
        let value = try JSONValue(parsing: raw)
        guard case .object(let object) = value else { throw .notAnObject(value.typeName) }
        let reader = FieldReader(path: "")
        if let eventValue = object["event"] {
            let event = try reader.string(eventValue, "event")
            guard event == "call_inbound" else { throw .unknownEvent(event ?? "null") }
        }
        if let nested = object["call_inbound"] {
            guard let inner = try reader.object(nested, "call_inbound") else {
                throw .missingPayload(event: "call_inbound", key: "call_inbound")
            }
            let innerReader = reader.nested("call_inbound")
            var from: String?
            var to: String?
            var unknown: [JSONObject.Member] = []
            for member in inner.members {
                switch member.key {
                case "from_number", "call_from": from = try innerReader.string(member.value, member.key)
                case "to_number", "call_to": to = try innerReader.string(member.value, member.key)
                default: unknown.append(member)
                }
            }
            self.init(form: .current, fromNumber: from, toNumber: to, unknownFields: JSONObject(members: unknown), raw: raw)
            return
        }
        guard object["call_from"] != nil || object["call_to"] != nil else {
            throw .missingPayload(event: "call_inbound", key: "call_inbound")
        }
        var from: String?
        var to: String?
        var unknown: [JSONObject.Member] = []
        for member in object.members {
            switch member.key {
            case "call_from": from = try reader.string(member.value, member.key)
            case "call_to": to = try reader.string(member.value, member.key)
            case "event": break
            default: unknown.append(member)
            }
        }
        self.init(form: .legacy, fromNumber: from, toNumber: to, unknownFields: JSONObject(members: unknown), raw: raw)
    }
}
