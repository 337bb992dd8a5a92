public import CallEvents

/// The completed call record, schema version 1 (`CALL_RECORD.md`): one per call and revision.
///
/// Encode it with ``encoded()``; the bytes are a function of the record's values only.
public struct CallRecord: Sendable, Hashable {
    /// `completed` or `incomplete`.
    public enum Status: String, Sendable, Hashable {
        /// `call_ended` seen (and, for v2, `call_analyzed` seen or its wait ran out).
        case completed
        /// No `call_ended` within the open-call limit.
        case incomplete
    }

    /// One `{role, content}` turn.
    public struct Turn: Sendable, Hashable {
        public var role: String?
        public var content: String?

        public init(role: String?, content: String?) {
            self.role = role
            self.content = content
        }
    }

    /// One live `call_message`.
    public struct Message: Sendable, Hashable {
        public var role: String?
        public var content: String?
        public var atMs: Int64?

        public init(role: String?, content: String?, atMs: Int64?) {
            self.role = role
            self.content = content
            self.atMs = atMs
        }
    }

    /// One `flow_transition`.
    public struct FlowStep: Sendable, Hashable {
        public var fromNodeID: String?
        public var toNodeID: String?
        public var fromNodeName: String?
        public var toNodeName: String?
        public var atMs: Int64?

        public init(fromNodeID: String?, toNodeID: String?, fromNodeName: String?, toNodeName: String?, atMs: Int64?) {
            self.fromNodeID = fromNodeID
            self.toNodeID = toNodeID
            self.fromNodeName = fromNodeName
            self.toNodeName = toNodeName
            self.atMs = atMs
        }
    }

    /// `{total_credits_used, duration_seconds}`, numbers as sent.
    public struct Cost: Sendable, Hashable {
        public var totalCreditsUsed: JSONNumber?
        public var durationSeconds: JSONNumber?

        public init(totalCreditsUsed: JSONNumber?, durationSeconds: JSONNumber?) {
            self.totalCreditsUsed = totalCreditsUsed
            self.durationSeconds = durationSeconds
        }
    }

    /// `{summary, user_sentiment, custom}`.
    public struct Analysis: Sendable, Hashable {
        public var summary: String?
        public var userSentiment: String?
        /// `custom_analysis_data` as `name → value`.
        public var custom: JSONObject

        public init(summary: String?, userSentiment: String?, custom: JSONObject) {
            self.summary = summary
            self.userSentiment = userSentiment
            self.custom = custom
        }
    }

    /// Delivery counts for the call.
    public struct EventCounts: Sendable, Hashable {
        /// Deliveries of the call's events, duplicates included.
        public var received: Int
        /// Deliveries that repeated an earlier one.
        public var duplicates: Int
        /// Events (not duplicates) whose time was earlier than that of an event already received.
        public var outOfOrder: Int

        public init(received: Int, duplicates: Int, outOfOrder: Int) {
            self.received = received
            self.duplicates = duplicates
            self.outOfOrder = outOfOrder
        }
    }

    /// Where the call's events lie in the raw topic.
    public struct Source: Sendable, Hashable {
        public var topic: String
        public var partition: Int32
        public var firstOffset: Int64
        public var lastOffset: Int64

        public init(topic: String, partition: Int32, firstOffset: Int64, lastOffset: Int64) {
            self.topic = topic
            self.partition = partition
            self.firstOffset = firstOffset
            self.lastOffset = lastOffset
        }
    }

    /// Always `1` for this type.
    public static let schemaVersion = 1

    public var callID: String
    public var revision: Int
    public var status: Status
    public var webhookVersion: WebhookVersion
    public var agentID: String?
    public var agentVersion: Int64?
    public var callType: String?
    public var fromNumber: String?
    public var toNumber: String?
    public var startedAtMs: Int64?
    public var endedAtMs: Int64?
    public var durationMs: Int64?
    public var disconnectionReason: String?
    public var recordingURL: String?
    public var dynamicVariables: JSONObject
    public var metadata: JSONObject
    public var transcript: [Turn]
    public var messages: [Message]
    public var flow: [FlowStep]
    public var cost: Cost?
    public var analysis: Analysis?
    public var sensitiveDataRedacted: Bool
    public var events: EventCounts
    public var source: Source

    /// A record with every optional value absent.
    public init(callID: String, revision: Int, status: Status, webhookVersion: WebhookVersion, events: EventCounts, source: Source) {
        self.callID = callID
        self.revision = revision
        self.status = status
        self.webhookVersion = webhookVersion
        self.dynamicVariables = JSONObject()
        self.metadata = JSONObject()
        self.transcript = []
        self.messages = []
        self.flow = []
        self.sensitiveDataRedacted = false
        self.events = events
        self.source = source
    }
}
