/// One decoded delivery of the call data webhook (or one of our ticks), with its original bytes.
public struct CallEvent: Sendable {
    /// What the event says, by event name.
    ///
    /// The large, rare call payloads are boxed (`indirect`) so that the frequent `mid_call` events
    /// are small values that copy cheaply.
    public enum Body: Sendable, Hashable {
        indirect case callStarted(CallPayload)
        case midCall(MidCallPayload)
        indirect case callEnded(CallPayload)
        /// v2 only: cost, analysis and duration, after `call_ended`.
        indirect case callAnalyzed(CallPayload)
        /// v2 only.
        case smsReceived(SMSPayload)
        case tick(Tick)
    }

    public var body: Body
    /// `v1` unless the body has `webhook_version`.
    public var webhookVersion: WebhookVersion
    /// Top-level members other than `event`, `webhook_version` and the payload, kept as sent.
    public var unknownFields: JSONObject
    /// The exact bytes received (empty for a `mid_call` decoded in place without keeping them,
    /// ``init(decoding:keepingRaw:)``).
    public var raw: [UInt8]

    public init(body: Body, webhookVersion: WebhookVersion = .v1, unknownFields: JSONObject = JSONObject(), raw: [UInt8] = []) {
        self.body = body
        self.webhookVersion = webhookVersion
        self.unknownFields = unknownFields
        self.raw = raw
    }

    /// The body, moved out of the event it consumes: a caller done with the rest of the event
    /// takes the payload without a copy (which would retain each of its strings).
    public consuming func takeBody() -> Body {
        // Swapped out: the optimiser copies a stored property read from a consumed value.
        var taken = Body.tick(Tick(atMs: 0))
        swap(&taken, &body)
        return taken
    }

    /// The event name.
    public var name: CallEventName {
        switch body {
        case .callStarted: .callStarted
        case .midCall: .midCall
        case .callEnded: .callEnded
        case .callAnalyzed: .callAnalyzed
        case .smsReceived: .smsReceived
        case .tick: .tick
        }
    }

    /// The call the event belongs to; `nil` for ticks (and for an SMS that names no call).
    public var callID: String? {
        switch body {
        case .callStarted(let call), .callEnded(let call), .callAnalyzed(let call): call.callID
        case .midCall(let midCall): midCall.callID
        case .smsReceived(let sms): sms.callID
        case .tick: nil
        }
    }

    /// When the event happened, epoch ms, as far as the event says: the start of `call_started`,
    /// the end of `call_ended`, the time of a `mid_call`, `occurred_at` (else the end) of
    /// `call_analyzed`, and a tick's time. This is what moves stream time.
    public var eventTimeMs: Int64? {
        switch body {
        case .callStarted(let call): call.startMs ?? call.occurredAtMs
        case .callEnded(let call): call.endMs ?? call.occurredAtMs ?? call.startMs
        case .callAnalyzed(let call): call.occurredAtMs ?? call.endMs ?? call.startMs
        case .midCall(let midCall): midCall.atMs
        case .smsReceived(let sms): sms.occurredAtMs
        case .tick(let tick): tick.atMs
        }
    }
}
