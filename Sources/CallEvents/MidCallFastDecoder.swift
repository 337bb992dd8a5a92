/// A direct byte-level decoder for the most frequent body, a `mid_call` `call_message` or
/// `flow_transition` in its usual shape (v1 or v2), that builds the same ``CallEvent`` as the
/// general decoder without the intermediate ``JSONValue`` tree.
///
/// It gives up (returns `nil`) on anything unusual: an unknown member anywhere, `null`s, numbers
/// that are not plain integers, another event, invalid JSON. The general decoder then handles the
/// body, so results and errors are always the general decoder's; a test checks that both agree.
struct MidCallFastDecoder {
    private var parser: JSONParser

    private static let topKeys: [[UInt8]] = ["event", "webhook_version", "mid_call"].map { Array($0.utf8) }
    private static let payloadKeys: [[UInt8]] = [
        "call_id", "agent_id", "agent", "timestamp", "occurred_at", "event_type", "event_data",
    ].map { Array($0.utf8) }
    private static let agentKeys: [[UInt8]] = ["agent_id", "agent_version"].map { Array($0.utf8) }
    private static let dataKeys: [[UInt8]] = [
        "role", "content", "from_node_id", "to_node_id", "from_node_name", "to_node_name",
    ].map { Array($0.utf8) }

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        parser = JSONParser(bytes)
    }

    static func decode(_ raw: [UInt8]) -> CallEvent? {
        raw.withUnsafeBufferPointer { buffer -> CallEvent? in
            var decoder = MidCallFastDecoder(buffer)
            guard let (payload, version) = decoder.decode() else { return nil }
            return CallEvent(body: .midCall(payload), webhookVersion: version, raw: raw)
        }
    }

    private mutating func decode() -> (MidCallPayload, WebhookVersion)? {
        var isMidCall = false
        var version = WebhookVersion.v1
        var payload: MidCallPayload?
        let complete = members(Self.topKeys) { decoder, key in
            switch key {
            case 0:
                guard let name = decoder.string() else { return false }
                isMidCall = name == "mid_call"
                return isMidCall
            case 1:
                guard let text = decoder.string() else { return false }
                version = WebhookVersion(rawValue: text)
                return true
            default:
                payload = decoder.midCall()
                return payload != nil
            }
        }
        guard complete, isMidCall, let payload, parser.peek() == nil else { return nil }
        return (payload, version)
    }

    private mutating func midCall() -> MidCallPayload? {
        var callID: String?
        var agentID: String?
        var agentVersion: Int64?
        var atMs: Int64?
        var eventType: String?
        var fields = [String?](repeating: nil, count: Self.dataKeys.count)
        var sawData = false
        let complete = members(Self.payloadKeys) { decoder, key in
            switch key {
            case 0: callID = decoder.string(); return callID != nil
            case 1: agentID = decoder.string(); return agentID != nil
            case 2:
                return decoder.members(Self.agentKeys) { decoder, key in
                    if key == 0 {
                        agentID = decoder.string()
                        return agentID != nil
                    }
                    agentVersion = decoder.integer()
                    return agentVersion != nil
                }
            case 3, 4: atMs = decoder.integer(); return atMs != nil
            case 5: eventType = decoder.string(); return eventType != nil
            default:
                sawData = true
                return decoder.members(Self.dataKeys) { decoder, key in
                    fields[key] = decoder.string()
                    return fields[key] != nil
                }
            }
        }
        guard complete, let callID, !callID.isEmpty, sawData else { return nil }
        let hasMessageFields = fields[0] != nil || fields[1] != nil
        let hasFlowFields = fields[2...].contains { $0 != nil }
        let data: MidCallData
        switch eventType {
        case "call_message" where !hasFlowFields:
            data = .callMessage(CallMessage(role: fields[0], content: fields[1]))
        case "flow_transition" where !hasMessageFields:
            data = .flowTransition(FlowTransition(fromNodeID: fields[2], toNodeID: fields[3], fromNodeName: fields[4], toNodeName: fields[5]))
        default:
            return nil
        }
        return MidCallPayload(callID: callID, agentID: agentID, agentVersion: agentVersion, atMs: atMs, data: data)
    }

    /// Walks an object whose members must all be among `keys`, calling `body` with the key's
    /// position for each value; `false` as soon as anything is unexpected.
    private mutating func members(_ keys: [[UInt8]], _ body: (inout MidCallFastDecoder, Int) -> Bool) -> Bool {
        guard parser.peek() == UInt8(ascii: "{") else { return false }
        do {
            try parser.expect(UInt8(ascii: "{"), "'{'")
            if parser.peek() == UInt8(ascii: "}") {
                try parser.expect(UInt8(ascii: "}"), "'}'")
                return true
            }
            while true {
                guard parser.peek() == UInt8(ascii: "\""), let key = try parser.matchString(keys) else { return false }
                try parser.expect(UInt8(ascii: ":"), "':'")
                _ = parser.peek()
                guard body(&self, key) else { return false }
                switch parser.peek() {
                case UInt8(ascii: ",")?: try parser.expect(UInt8(ascii: ","), "','")
                case UInt8(ascii: "}")?:
                    try parser.expect(UInt8(ascii: "}"), "'}'")
                    return true
                default: return false
                }
            }
        } catch {
            return false
        }
    }

    private mutating func string() -> String? {
        guard parser.peek() == UInt8(ascii: "\"") else { return nil }
        return try? parser.parseString()
    }

    private mutating func integer() -> Int64? {
        _ = parser.peek()
        return parser.parseInteger()
    }
}
