/// A message to produce.
public struct KafkaProducerMessage: Sendable, Hashable {
    public var topic: String
    /// The key decides the partition (murmur2, as the Java client does) unless ``partition`` is set.
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: KafkaHeaders
    /// An explicit partition; `nil` lets the partitioner choose from the key.
    public var partition: Int32?
    /// An explicit CreateTime in epoch milliseconds; `nil` lets librdkafka use the wall clock.
    public var timestampMilliseconds: Int64?

    public init(
        topic: String, key: [UInt8]?, value: [UInt8], headers: KafkaHeaders = [],
        partition: Int32? = nil, timestampMilliseconds: Int64? = nil
    ) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.partition = partition
        self.timestampMilliseconds = timestampMilliseconds
    }

    public init(
        topic: String, key: String?, value: String, headers: KafkaHeaders = [],
        partition: Int32? = nil, timestampMilliseconds: Int64? = nil
    ) {
        self.init(
            topic: topic, key: key.map { Array($0.utf8) }, value: Array(value.utf8), headers: headers,
            partition: partition, timestampMilliseconds: timestampMilliseconds
        )
    }
}
