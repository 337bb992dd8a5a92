/// Header names the worker reads and writes.
public enum WorkerHeader {
    /// The intake's header naming the webhook event (`call_inbound` audit copies are skipped).
    public static let event = "event"
    /// The record's revision (records topic).
    public static let revision = "revision"
    /// The record's status, `completed` or `incomplete` (records topic).
    public static let status = "status"
    /// Why the event is a dead letter: the `CallEventsError` code (dead-letter topic).
    public static let deadLetterReason = "dlq-reason"
    /// The reason in words (dead-letter topic).
    public static let deadLetterMessage = "dlq-message"
    /// Where the event was read (dead-letter topic).
    public static let sourceTopic = "source-topic"
    public static let sourcePartition = "source-partition"
    public static let sourceOffset = "source-offset"
    /// The value of ``event`` on the intake's inbound audit copies.
    public static let inboundAuditEvent = "call_inbound"
    /// The value of ``event`` on ticks.
    public static let tickEvent = "callstream_tick"
}
