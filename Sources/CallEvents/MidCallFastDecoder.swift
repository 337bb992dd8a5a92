/// A direct byte-level decoder for the most frequent body, a `mid_call` `call_message` or
/// `flow_transition` in its usual shape (v1 or v2), that builds the same ``CallEvent`` as the
/// general decoder without the intermediate ``JSONValue`` tree.
///
/// It gives up (returns `nil`) on anything unusual: an unknown member anywhere, `null`s, numbers
/// that are not plain integers, another event or `event_type`, invalid JSON. The general decoder
/// then handles the body, so results and errors are always the general decoder's; a test checks
/// that both agree.
///
/// Names and the values it only compares (`event`, `event_type`) are matched as bytes; only the
/// values the event keeps become `String`s.
struct MidCallFastDecoder {
    private var parser: JSONParser

    private static let topKeys = JSONKeySet(["event", "webhook_version", "mid_call"])
    private static let payloadKeys = JSONKeySet([
        "call_id", "agent_id", "agent", "timestamp", "occurred_at", "event_type", "event_data",
    ])
    private static let agentKeys = JSONKeySet(["agent_id", "agent_version"])
    private static let dataKeys = JSONKeySet([
        "role", "content", "from_node_id", "to_node_id", "from_node_name", "to_node_name",
    ])
    private static let eventNames = JSONKeySet(["mid_call"])
    private static let eventTypes = JSONKeySet(["call_message", "flow_transition"])

    /// The `event_data` members, all optional strings.
    private struct DataFields {
        var role: String?
        var content: String?
        var fromNodeID: String?
        var toNodeID: String?
        var fromNodeName: String?
        var toNodeName: String?

        var hasMessageFields: Bool { role != nil || content != nil }
        var hasFlowFields: Bool { fromNodeID != nil || toNodeID != nil || fromNodeName != nil || toNodeName != nil }
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        parser = JSONParser(bytes)
    }

    static func decode(_ raw: [UInt8]) -> CallEvent? {
        raw.withUnsafeBufferPointer { buffer -> CallEvent? in
            var decoder = MidCallFastDecoder(buffer)
            return decoder.decode(raw)
        }
    }

    private mutating func decode(_ raw: [UInt8]) -> CallEvent? {
        var isMidCall = false
        var version = WebhookVersion.v1
        var payload: MidCallPayload?
        guard var more = openObject() else { return nil }
        while more {
            switch key(Self.topKeys) {
            case 0?:
                // Any other event is the general decoder's.
                guard value(among: Self.eventNames) == 0 else { return nil }
                isMidCall = true
            case 1?:
                guard let text = string() else { return nil }
                version = WebhookVersion(rawValue: text)
            case 2?:
                guard midCall(into: &payload) else { return nil }
            default:
                return nil
            }
            guard let next = nextMember() else { return nil }
            more = next
        }
        guard isMidCall, parser.peek() == nil, let payload = payload.take() else { return nil }
        return CallEvent(body: .midCall(payload), webhookVersion: version, raw: raw)
    }

    /// Reads the `mid_call` object into `payload`; `false` when it is not in the usual shape.
    private mutating func midCall(into payload: inout MidCallPayload?) -> Bool {
        var callID: String?
        var agentID: String?
        var agentVersion: Int64?
        var atMs: Int64?
        var isMessage: Bool?
        var fields = DataFields()
        var sawData = false
        guard var more = openObject() else { return false }
        while more {
            switch key(Self.payloadKeys) {
            case 0?:
                guard let text = string() else { return false }
                callID = text
            case 1?:
                guard let text = string() else { return false }
                agentID = text
            case 2?:
                guard agent(id: &agentID, version: &agentVersion) else { return false }
            case 3?, 4?:
                guard let time = integer() else { return false }
                atMs = time
            case 5?:
                // Another `event_type` is the general decoder's, even if a later one would do.
                guard let type = value(among: Self.eventTypes) else { return false }
                isMessage = type == 0
            case 6?:
                if sawData { fields = DataFields() }
                sawData = true
                guard eventData(into: &fields) else { return false }
            default:
                return false
            }
            guard let next = nextMember() else { return false }
            more = next
        }
        guard callID?.isEmpty == false, sawData, let isMessage else { return false }
        // The strings are moved (`take()`) into the payload: copies would retain each of them.
        let data: MidCallData
        if isMessage {
            guard !fields.hasFlowFields else { return false }
            data = .callMessage(CallMessage(role: fields.role.take(), content: fields.content.take()))
        } else {
            guard !fields.hasMessageFields else { return false }
            data = .flowTransition(FlowTransition(fromNodeID: fields.fromNodeID.take(), toNodeID: fields.toNodeID.take(),
                                                  fromNodeName: fields.fromNodeName.take(), toNodeName: fields.toNodeName.take()))
        }
        payload = MidCallPayload(callID: callID.take()!, agentID: agentID.take(), agentVersion: agentVersion, atMs: atMs, data: data)
        return true
    }

    /// v2 `agent`: `agent_id` and `agent_version`, each optional.
    private mutating func agent(id: inout String?, version: inout Int64?) -> Bool {
        guard var more = openObject() else { return false }
        while more {
            switch key(Self.agentKeys) {
            case 0?:
                guard let text = string() else { return false }
                id = text
            case 1?:
                guard let number = integer() else { return false }
                version = number
            default:
                return false
            }
            guard let next = nextMember() else { return false }
            more = next
        }
        return true
    }

    private mutating func eventData(into fields: inout DataFields) -> Bool {
        guard var more = openObject() else { return false }
        while more {
            guard let key = key(Self.dataKeys), let text = string() else { return false }
            switch key {
            case 0: fields.role = text
            case 1: fields.content = text
            case 2: fields.fromNodeID = text
            case 3: fields.toNodeID = text
            case 4: fields.fromNodeName = text
            default: fields.toNodeName = text
            }
            guard let next = nextMember() else { return false }
            more = next
        }
        return true
    }

    /// Consumes the `{` of an object: `true` when a member follows, `false` for `{}` (consumed
    /// whole), `nil` when the value is not an object.
    private mutating func openObject() -> Bool? {
        guard parser.consume(UInt8(ascii: "{")) else { return nil }
        return !parser.consume(UInt8(ascii: "}"))
    }

    /// The member name at the cursor among `keys`, its `:` consumed; `nil` for any other name or
    /// anything but a name.
    private mutating func key(_ keys: JSONKeySet) -> Int? {
        guard parser.peek() == UInt8(ascii: "\""),
              let key = try? parser.matchString(keys),
              parser.consume(UInt8(ascii: ":")) else { return nil }
        return key
    }

    /// After a member's value: `true` when another member follows (`,` consumed), `false` at the
    /// end of the object (`}` consumed), `nil` for anything else.
    private mutating func nextMember() -> Bool? {
        if parser.consume(UInt8(ascii: ",")) { return true }
        if parser.consume(UInt8(ascii: "}")) { return false }
        return nil
    }

    private mutating func string() -> String? {
        guard parser.peek() == UInt8(ascii: "\"") else { return nil }
        return try? parser.parseString()
    }

    /// Which of `values` the string value at the cursor is; `nil` for another string or another
    /// type. Compared as bytes: no `String` is made.
    private mutating func value(among values: JSONKeySet) -> Int? {
        guard parser.peek() == UInt8(ascii: "\"") else { return nil }
        return try? parser.matchString(values)
    }

    private mutating func integer() -> Int64? {
        _ = parser.peek()
        return parser.parseInteger()
    }
}
