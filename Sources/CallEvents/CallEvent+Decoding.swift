extension CallEvent {
    /// Decodes one webhook body (either format) or tick.
    ///
    /// The payload sits under `call`, `mid_call` or `sms` as documented, or under the event's own
    /// name; `call_id` is read from the payload, else from the top level.
    public init(decoding raw: [UInt8]) throws(CallEventsError) {
        if let fast = MidCallFastDecoder.decode(raw) {
            self = fast
            return
        }
        try self.init(decodingGenerally: raw)
    }

    /// Decodes one webhook body (either format) or tick from bytes it does not own (e.g. a Kafka
    /// client's buffer), copying only what the event keeps. Without `keepingRaw`, the usual
    /// `mid_call` event's ``raw`` is empty instead of a copy of the bytes (other events, decoded
    /// by the general decoder, keep theirs).
    public init(decoding bytes: UnsafeRawBufferPointer, keepingRaw: Bool) throws(CallEventsError) {
        if !keepingRaw, let fast = MidCallFastDecoder.decode(bytes.assumingMemoryBound(to: UInt8.self), keeping: []) {
            self = fast
            return
        }
        try self.init(decoding: Array(bytes))
    }

    /// The general decoder, without the `mid_call` fast path (the reference the fast path must
    /// agree with).
    init(decodingGenerally raw: [UInt8]) throws(CallEventsError) {
        let value = try JSONValue(parsing: raw)
        guard case .object(let object) = value else { throw .notAnObject(value.typeName) }
        try self.init(object: object, raw: raw)
    }

    init(object: JSONObject, raw: [UInt8]) throws(CallEventsError) {
        let reader = FieldReader(path: "")
        var eventValue: String?
        var version = WebhookVersion.v1
        var topCallID: String?
        for member in object.members {
            switch member.key {
            case "event": eventValue = try reader.string(member.value, member.key)
            case "webhook_version":
                if let text = try reader.string(member.value, member.key) { version = WebhookVersion(rawValue: text) }
            case "call_id": topCallID = try reader.string(member.value, member.key)
            default: break
            }
        }
        guard let eventValue else { throw .missingEvent }
        guard let name = CallEventName(rawValue: eventValue) else { throw .unknownEvent(eventValue) }

        guard let payloadKey = name.payloadKey else {
            guard let atValue = object["at_ms"], let atMs = try reader.integer(atValue, "at_ms") else {
                throw .wrongFieldType("at_ms", expected: "an integer", got: "nothing")
            }
            let extra = JSONObject(members: object.members.filter { !["event", "webhook_version", "at_ms"].contains($0.key) })
            self.init(body: .tick(Tick(atMs: atMs, unknownFields: extra)), webhookVersion: version, raw: raw)
            return
        }
        let key = object[payloadKey] != nil ? payloadKey : eventValue
        guard let payloadValue = object[key] else { throw .missingPayload(event: eventValue, key: payloadKey) }
        guard case .object(let payload) = payloadValue else {
            throw .wrongFieldType(key, expected: "an object", got: payloadValue.typeName)
        }
        let body: Body
        switch name {
        case .callStarted: body = .callStarted(try CallPayload(payload, path: key, event: eventValue, fallbackCallID: topCallID))
        case .callEnded: body = .callEnded(try CallPayload(payload, path: key, event: eventValue, fallbackCallID: topCallID))
        case .callAnalyzed: body = .callAnalyzed(try CallPayload(payload, path: key, event: eventValue, fallbackCallID: topCallID))
        case .midCall: body = .midCall(try MidCallPayload(payload, path: key, fallbackCallID: topCallID))
        case .smsReceived, .tick: body = .smsReceived(try SMSPayload(payload, path: key, fallbackCallID: topCallID))
        }
        // Everything but the members read above is kept (a top-level call_id only when it was used).
        let unknown = JSONObject(members: object.members.filter {
            $0.key != "event" && $0.key != "webhook_version" && $0.key != key && !($0.key == "call_id" && topCallID != nil)
        })
        self.init(body: body, webhookVersion: version, unknownFields: unknown, raw: raw)
    }
}
