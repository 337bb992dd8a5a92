/// A `mid_call` event's `event_data`, by `event_type`.
///
/// Flow transitions (four strings) are boxed so that the frequent messages, which every open call
/// holds by the dozen, stay small.
public enum MidCallData: Sendable, Hashable {
    indirect case flowTransition(FlowTransition)
    case callMessage(CallMessage)
    /// An `event_type` we do not model (or none), with its `event_data` as sent.
    case other(eventType: String?, data: JSONValue?)

    /// The `event_type` as sent.
    public var eventType: String? {
        switch self {
        case .flowTransition: "flow_transition"
        case .callMessage: "call_message"
        case .other(let eventType, _): eventType
        }
    }
}
