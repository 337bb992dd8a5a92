import CallEvents
public import Sinks

/// What the monitor knows: calls in progress, and the most recently ended ones (newest first).
/// A value with no I/O; ``MonitorSink`` keeps it behind a lock.
public struct MonitorState: Sendable {
    public private(set) var live: [String: MonitorCall] = [:]
    public private(set) var ended: [MonitorCall] = []
    /// How many ended calls are kept.
    public let endedLimit: Int

    public init(endedLimit: Int = 50) {
        self.endedLimit = endedLimit
    }

    /// Applies one event; returns the call as it now is (`nil` when nothing changed).
    public mutating func apply(_ live: LiveEvent) -> MonitorCall? {
        if let index = ended.firstIndex(where: { $0.callID == live.callID }) {
            // A late event of an ended call (or a redelivery) updates it where it is.
            var call = ended[index]
            Self.update(&call, with: live.event)
            call.state = "ended"
            ended[index] = call
            return call
        }
        var call = self.live[live.callID] ?? MonitorCall(callID: live.callID)
        Self.update(&call, with: live.event)
        if case .callEnded = live.event.body {
            call.state = "ended"
            self.live[live.callID] = nil
            ended.insert(call, at: 0)
            if ended.count > endedLimit { ended.removeLast(ended.count - endedLimit) }
        } else {
            self.live[live.callID] = call
        }
        return call
    }

    /// Live calls by start time, then ended calls newest first.
    public var calls: [MonitorCall] {
        live.values.sorted { ($0.startedAtMs ?? 0, $0.callID) < ($1.startedAtMs ?? 0, $1.callID) } + ended
    }

    private static func update(_ call: inout MonitorCall, with event: CallEvent) {
        call.events += 1
        switch event.body {
        case .callStarted(let payload), .callEnded(let payload), .callAnalyzed(let payload):
            call.agentID = payload.agentID ?? call.agentID
            call.fromNumber = payload.fromNumber ?? call.fromNumber
            call.toNumber = payload.toNumber ?? call.toNumber
            call.startedAtMs = payload.startMs ?? call.startedAtMs
            call.endedAtMs = payload.endMs ?? call.endedAtMs
            call.disconnectionReason = payload.disconnectionReason ?? call.disconnectionReason
        case .midCall(let midCall):
            call.agentID = midCall.agentID ?? call.agentID
            switch midCall.data {
            case .callMessage(let message):
                call.lastMessageRole = message.role
                call.lastMessage = message.content
            case .flowTransition(let transition):
                call.flowNode = transition.toNodeName ?? transition.toNodeID ?? call.flowNode
            case .other:
                break
            }
        case .smsReceived, .tick:
            break
        }
    }
}
