/// The `event` names this version understands, with the payload key each one uses.
public enum CallEventName: String, Sendable, CaseIterable {
    case callStarted = "call_started"
    case midCall = "mid_call"
    case callEnded = "call_ended"
    case callAnalyzed = "call_analyzed"
    case smsReceived = "sms_received"
    /// Our own stream-time marker, written by workers into quiet partitions (see ``Tick``).
    case tick = "callstream_tick"

    /// The member that holds the payload object; `nil` for ticks, whose fields are top-level.
    public var payloadKey: String? {
        switch self {
        case .callStarted, .callEnded, .callAnalyzed: "call"
        case .midCall: "mid_call"
        case .smsReceived: "sms"
        case .tick: nil
        }
    }
}
