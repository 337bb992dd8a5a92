/// What the intake needs to route a delivery: its event name and `call_id`, found by scanning the
/// bytes without decoding the body (a 1 MB transcript is skipped, not materialised).
public struct EventKey: Sendable, Hashable {
    public var event: CallEventName
    /// `nil` for ticks, and for an `sms_received` that names no call.
    public var callID: String?
    public var webhookVersion: WebhookVersion

    public init(event: CallEventName, callID: String?, webhookVersion: WebhookVersion = .v1) {
        self.event = event
        self.callID = callID
        self.webhookVersion = webhookVersion
    }

    /// Scans the top-level object and the payload object for `event`, `webhook_version` and
    /// `call_id`, following the decoder's rules (payload under its documented key or the event's
    /// name; `call_id` in the payload, else at the top level). Any key order, whitespace and
    /// escapes are handled; values that are not needed are skipped. Structure inside skipped values
    /// is checked only loosely: the full decoder is the validator.
    public static func extract(from bytes: [UInt8]) throws(CallEventsError) -> EventKey {
        try bytes.withUnsafeBufferPointer { (buffer) throws(CallEventsError) -> EventKey in
            var scanner = EventKeyScanner(parser: JSONParser(buffer))
            return try scanner.scan()
        }
    }
}
