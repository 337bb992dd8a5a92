/// Header names on the sink's dead-letter topic (the worker's names, so one tool reads both).
public enum SinkHeader {
    /// Why the record is a dead letter: the ``SinkError/Code`` (or `sink_failed`).
    public static let deadLetterReason = "dlq-reason"
    /// The last error in words.
    public static let deadLetterMessage = "dlq-message"
    /// Where the record was read.
    public static let sourceTopic = "source-topic"
    public static let sourcePartition = "source-partition"
    public static let sourceOffset = "source-offset"
    /// The raw events topic's header naming the webhook event (ticks and inbound audit copies are skipped).
    public static let event = "event"
}
