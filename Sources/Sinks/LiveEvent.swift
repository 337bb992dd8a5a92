public import CallEvents

/// One raw webhook of a call in progress (or just ended), as a ``LiveEventSink`` receives it from
/// the raw events topic: decoded, with its original bytes in ``event``'s `raw`.
public struct LiveEvent: Sendable {
    /// The call it belongs to.
    public var callID: String
    /// The decoded webhook.
    public var event: CallEvent
    /// Where it was read (`nil` when fed without a broker).
    public var source: SinkSource?

    public init(callID: String, event: CallEvent, source: SinkSource? = nil) {
        self.callID = callID
        self.event = event
        self.source = source
    }

    /// Decodes a raw webhook body; `nil` for ticks, for events without a call and for what does
    /// not decode (the worker dead-letters those).
    public init?(raw: [UInt8], source: SinkSource? = nil) {
        guard let event = try? CallEvent(decoding: raw), let callID = event.callID else { return nil }
        self.init(callID: callID, event: event, source: source)
    }
}
