/// The broker's acknowledgement of a produced message.
public struct KafkaDeliveryReport: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    /// The offset the broker gave the message.
    public var offset: Int64
    /// The message's timestamp in epoch milliseconds, when known.
    public var timestampMilliseconds: Int64?
}
