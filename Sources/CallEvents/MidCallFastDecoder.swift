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

    /// Where a walk over an object's members stands.
    private enum Member {
        /// A member named by the key set, by position; the cursor is on its value.
        case key(Int)
        /// The object is over (its `}` consumed).
        case end
        /// Anything else: not an object, another name, other punctuation.
        case unusual
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        parser = JSONParser(bytes)
    }

    static func decode(_ raw: [UInt8]) -> CallEvent? {
        raw.withUnsafeBufferPointer { buffer -> CallEvent? in
            decode(buffer, keeping: raw)
        }
    }

    /// Decodes `bytes` in place; the event's ``CallEvent/raw`` is `raw` (the same bytes, or empty).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, keeping raw: [UInt8]) -> CallEvent? {
        var decoder = MidCallFastDecoder(bytes)
        return decoder.decode(raw)
    }

    private mutating func decode(_ raw: [UInt8]) -> CallEvent? {
        var isMidCall = false
        var version = WebhookVersion.v1
        var payload: MidCallPayload?
        var member = firstMember(Self.topKeys)
        while case .key(let key) = member {
            switch key {
            case 0:
                // Any other event is the general decoder's.
                guard value(among: Self.eventNames) == 0 else { return nil }
                isMidCall = true
            case 1:
                guard let text = string() else { return nil }
                version = WebhookVersion(rawValue: text)
            default:
                guard midCall(into: &payload) else { return nil }
            }
            member = nextMember(Self.topKeys)
        }
        guard case .end = member, isMidCall, parser.peek() == nil, let payload = payload.take() else { return nil }
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
        var member = firstMember(Self.payloadKeys)
        while case .key(let key) = member {
            switch key {
            case 0:
                guard let text = string() else { return false }
                callID = text
            case 1:
                guard let text = string() else { return false }
                agentID = text
            case 2:
                guard agent(id: &agentID, version: &agentVersion) else { return false }
            case 3, 4:
                guard let time = integer() else { return false }
                atMs = time
            case 5:
                // Another `event_type` is the general decoder's, even if a later one would do.
                guard let type = value(among: Self.eventTypes) else { return false }
                isMessage = type == 0
            default:
                if sawData { fields = DataFields() }
                sawData = true
                guard eventData(into: &fields) else { return false }
            }
            member = nextMember(Self.payloadKeys)
        }
        guard case .end = member, callID?.isEmpty == false, sawData, let isMessage else { return false }
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
        var member = firstMember(Self.agentKeys)
        while case .key(let key) = member {
            if key == 0 {
                guard let text = string() else { return false }
                id = text
            } else {
                guard let number = integer() else { return false }
                version = number
            }
            member = nextMember(Self.agentKeys)
        }
        guard case .end = member else { return false }
        return true
    }

    private mutating func eventData(into fields: inout DataFields) -> Bool {
        var member = firstMember(Self.dataKeys)
        while case .key(let key) = member {
            guard let text = string() else { return false }
            switch key {
            case 0: fields.role = text
            case 1: fields.content = text
            case 2: fields.fromNodeID = text
            case 3: fields.toNodeID = text
            case 4: fields.fromNodeName = text
            default: fields.toNodeName = text
            }
            member = nextMember(Self.dataKeys)
        }
        guard case .end = member else { return false }
        return true
    }

    /// Opens the object at the cursor and reads its first member's name among `keys`.
    @inline(__always)
    private mutating func firstMember(_ keys: JSONKeySet) -> Member {
        guard parser.consume(UInt8(ascii: "{")) else { return .unusual }
        return parser.consume(UInt8(ascii: "}")) ? .end : key(keys)
    }

    /// After a member's value: the next member's name among `keys`, or the object's end.
    @inline(__always)
    private mutating func nextMember(_ keys: JSONKeySet) -> Member {
        if parser.consume(UInt8(ascii: ",")) { return key(keys) }
        return parser.consume(UInt8(ascii: "}")) ? .end : .unusual
    }

    /// The member name at the cursor among `keys`, its `:` consumed.
    private mutating func key(_ keys: JSONKeySet) -> Member {
        guard parser.peek() == UInt8(ascii: "\""),
              let key = try? parser.matchString(keys),
              parser.consume(UInt8(ascii: ":")) else { return .unusual }
        return .key(key)
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
