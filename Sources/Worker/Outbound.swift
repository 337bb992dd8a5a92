public import CallAssembly
public import Kafka

/// One message the worker must get acknowledged before its receipt may move a partition's watermark.
public struct Outbound: Sendable {
    public var message: KafkaProducerMessage
    /// `nil` for ticks, which move no watermark.
    public var receipt: AssemblerReceipt?
    /// The record it carries (records topic only).
    public var record: EmittedRecord?
    public var partition: Int32
    public var generation: UInt64
    /// How many times producing it failed.
    public var attempts = 0

    public init(message: KafkaProducerMessage, receipt: AssemblerReceipt?, record: EmittedRecord? = nil, partition: Int32, generation: UInt64) {
        self.message = message
        self.receipt = receipt
        self.record = record
        self.partition = partition
        self.generation = generation
    }
}
