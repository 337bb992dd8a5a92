/// The byte scanner behind ``EventKey/extract(from:)``.
struct EventKeyScanner {
    var parser: JSONParser

    /// Top-level keys of interest, by position: see `scan()`.
    private static let topKeyNames = [
        "event", "webhook_version", "call_id",
        "call", "mid_call", "sms", "call_started", "call_ended", "call_analyzed", "sms_received",
    ]
    private static let topKeys = JSONKeySet(topKeyNames)
    private static let payloadKeyOffset = 3
    private static let callIDKey = JSONKeySet(["call_id"])

    mutating func scan() throws(CallEventsError) -> EventKey {
        guard let first = parser.peek() else { throw .emptyBody }
        guard first == UInt8(ascii: "{") else {
            // Rare: parse fully to tell "JSON but not an object" from "not JSON".
            let value = try JSONValue(parsing: parser.bytesForFullParse())
            throw CallEventsError.notAnObject(value.typeName)
        }
        var event: String?
        var version = WebhookVersion.v1
        var topCallID: String?
        // call_id found in each payload candidate, indexed like `topKeys`.
        var payloadCallIDs = [String?](repeating: nil, count: Self.topKeyNames.count)
        var payloadSeen = [Bool](repeating: false, count: Self.topKeyNames.count)

        try parser.expect(UInt8(ascii: "{"), "'{'")
        if parser.peek() == UInt8(ascii: "}") {
            throw CallEventsError.missingEvent
        }
        while true {
            guard parser.peek() == UInt8(ascii: "\"") else { throw parser.fail("expected a member name") }
            let match = try parser.matchString(Self.topKeys)
            try parser.expect(UInt8(ascii: ":"), "':'")
            _ = parser.peek()
            switch match {
            case 0?: event = try readString(field: "event")
            case 1?: if let text = try readString(field: "webhook_version") { version = WebhookVersion(rawValue: text) }
            case 2?: topCallID = try readString(field: "call_id")
            case let position? where position >= Self.payloadKeyOffset:
                if parser.peek() == UInt8(ascii: "{") {
                    payloadSeen[position] = true
                    payloadCallIDs[position] = try scanPayload(field: Self.fieldName(position))
                } else {
                    try parser.skipValue()
                }
            default:
                try parser.skipValue()
            }
            switch parser.peek() {
            case UInt8(ascii: ",")?: try parser.expect(UInt8(ascii: ","), "','")
            case UInt8(ascii: "}")?:
                try parser.expect(UInt8(ascii: "}"), "'}'")
                guard parser.peek() == nil else { throw parser.fail("unexpected bytes after the JSON value") }
                return try resolve(event: event, version: version, topCallID: topCallID, seen: payloadSeen, callIDs: payloadCallIDs)
            default: throw parser.fail("expected ',' or '}'")
            }
        }
    }

    private func resolve(event: String?, version: WebhookVersion, topCallID: String?, seen: [Bool], callIDs: [String?]) throws(CallEventsError) -> EventKey {
        guard let event else { throw CallEventsError.missingEvent }
        guard let name = CallEventName(rawValue: event) else { throw CallEventsError.unknownEvent(event) }
        guard let payloadKey = name.payloadKey else { return EventKey(event: name, callID: nil, webhookVersion: version) }
        // Same choice as the decoder: the documented key, else the event's own name.
        let documented = Self.position(of: payloadKey)
        let chosen = seen[documented] ? documented : Self.position(of: event)
        guard seen[chosen] else { throw CallEventsError.missingPayload(event: event, key: payloadKey) }
        guard let callID = callIDs[chosen] ?? topCallID, !callID.isEmpty else {
            if name == .smsReceived { return EventKey(event: name, callID: nil, webhookVersion: version) }
            throw CallEventsError.missingCallID(event: event)
        }
        return EventKey(event: name, callID: callID, webhookVersion: version)
    }

    /// Scans one payload object for its top-level `call_id`, skipping every other value.
    private mutating func scanPayload(field: String) throws(CallEventsError) -> String? {
        try parser.expect(UInt8(ascii: "{"), "'{'")
        var callID: String?
        if parser.peek() == UInt8(ascii: "}") {
            try parser.expect(UInt8(ascii: "}"), "'}'")
            return nil
        }
        while true {
            guard parser.peek() == UInt8(ascii: "\"") else { throw parser.fail("expected a member name") }
            let match = try parser.matchString(Self.callIDKey)
            try parser.expect(UInt8(ascii: ":"), "':'")
            _ = parser.peek()
            if match != nil {
                callID = try readString(field: "\(field).call_id")
            } else {
                try parser.skipValue()
            }
            switch parser.peek() {
            case UInt8(ascii: ",")?: try parser.expect(UInt8(ascii: ","), "','")
            case UInt8(ascii: "}")?:
                try parser.expect(UInt8(ascii: "}"), "'}'")
                return callID
            default: throw parser.fail("expected ',' or '}'")
            }
        }
    }

    /// Reads a string value (or `null`); any other type is a wrong field type.
    private mutating func readString(field: String) throws(CallEventsError) -> String? {
        switch parser.peek() {
        case UInt8(ascii: "\"")?:
            return try parser.parseString()
        case UInt8(ascii: "n")?:
            try parser.skipValue()
            return nil
        default:
            let value = try parser.parseValue()
            throw CallEventsError.wrongFieldType(field, expected: "a string", got: value.typeName)
        }
    }

    private static func position(of key: String) -> Int {
        topKeyNames.firstIndex(of: key) ?? 0
    }

    private static func fieldName(_ position: Int) -> String {
        topKeyNames[position]
    }
}
