/// One call as the monitor page shows it.
public struct MonitorCall: Sendable, Hashable, Codable {
    public var callID: String
    /// `live` until `call_ended`, then `ended`.
    public var state: String
    public var agentID: String?
    public var fromNumber: String?
    public var toNumber: String?
    public var startedAtMs: Int64?
    public var endedAtMs: Int64?
    /// The latest `call_message`.
    public var lastMessageRole: String?
    public var lastMessage: String?
    /// The node the latest `flow_transition` went to (name, else id).
    public var flowNode: String?
    public var disconnectionReason: String?
    /// Events seen for the call.
    public var events: Int = 0

    public init(callID: String) {
        self.callID = callID
        self.state = "live"
    }

    public var isLive: Bool { state == "live" }
}
